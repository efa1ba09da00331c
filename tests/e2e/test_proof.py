"""The proof sheet of a real build: every page of every paged output as a thumbnail, the site at two
widths, the DOCX through LibreOffice, and the findings as data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice]


@pytest.fixture(scope="module")
def proofed(built_mini, tmp_path_factory) -> Path:
    if not Path("/usr/bin/chromium").exists() or shutil.which("soffice") is None:
        pytest.skip("needs Chromium and LibreOffice")
    out = tmp_path_factory.mktemp("proof") / "build"
    shutil.copytree(built_mini, out)
    (out / "didactico").mkdir(exist_ok=True)  # a poster as the didactic format makes it (the mini guide has none)
    shutil.copy(sorted((out / "leaflet").glob("*.pdf"))[0], out / "didactico" / "guia-cartel-a3.pdf")
    result = run_cli("proof", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def test_every_page_of_every_paged_output_is_on_the_sheet(proofed):
    sheet = (proofed / "proof" / "index.html").read_text(encoding="utf-8")
    paged = [sorted((proofed / d).glob("*.pdf")) for d in ("pdf", "leaflet", "didactico")]
    assert paged[2] and "Cartel, tamaño a3" in sheet
    for pdf in [p for found in paged for p in found]:
        output = str(pdf.relative_to(proofed))
        folder = proofed / "proof" / "img" / output.replace("/", "-").replace(".", "-")
        assert len(list(folder.glob("p*.png"))) == _pages(pdf) > 0, output
        assert f"<h2>{output}</h2>" in sheet
    for docx in sorted((proofed / "docx").glob("*.docx")):
        output = str(docx.relative_to(proofed))
        laid_out = proofed / "proof" / "docx" / (docx.stem + ".pdf")
        assert laid_out.is_file() and _pages(laid_out) > 1, output
        assert f"<h2>{output}</h2>" in sheet


def test_the_site_is_shown_at_phone_and_desktop_widths(proofed):
    shots = sorted(p.name for p in (proofed / "proof" / "web").iterdir())
    for page in ("index-", "buscar-"):
        assert any(s.startswith(page) and "360" in s for s in shots), shots
        assert any(s.startswith(page) and "1280" in s for s in shots), shots
    assert any(s.startswith("practicas-") for s in shots) and any(s.startswith("canales-") for s in shots)


def test_findings_are_data_and_match_the_sheet(proofed):
    findings = json.loads((proofed / "proof" / "findings.json").read_text(encoding="utf-8"))
    assert isinstance(findings, list)
    for f in findings:
        assert {"output", "kind", "message", "page", "view", "where"} <= set(f)
    sheet = (proofed / "proof" / "index.html").read_text(encoding="utf-8")
    assert (f"{len(findings)} hallazgo" in sheet) if findings else ("Sin hallazgos de diseño" in sheet)


def test_proof_without_a_build_says_what_to_do(tmp_path):
    result = run_cli("proof", "--out", str(tmp_path / "nada"))
    assert result.returncode == 1
    assert "run 'make guide' first" in result.stderr
