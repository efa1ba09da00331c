"""The real guide, built once into every format, as editors, officials and print shops receive it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import ROOT, run_cli
from guidebuilder.builder.orchestrator import prepare
from guidebuilder.core.cache import Cache

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    base = tmp_path_factory.mktemp("real")
    guide = base / "guide"
    shutil.copytree(ROOT / "guide", guide)
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr  # the privacy scan of every output passed too
    return {"out": out, "guide": prepare(guide, Cache(None, enabled=False))}


def test_pdf_book_has_every_chapter_as_a_bookmark(real):
    guide, out = real["guide"], real["out"]
    path = out / "pdf" / f"{guide.slug}.pdf"
    with pikepdf.open(path) as pdf:
        with pdf.open_outline() as outline:
            # a label and its number are joined by a no-break space in print ("Paso\u00a01."): read it as a space
            titles = [item.title.replace("\u00a0", " ") for item in outline.root]
        assert str(pdf.Root.Lang) == "es-MX" and "/StructTreeRoot" in pdf.Root
        pages = len(pdf.pages)
    for chapter in guide.chapters:
        assert any(chapter.title in t for t in titles), chapter.title
    assert 40 <= pages <= 110
    assert (out / "pdf" / f"{guide.slug}-letra-grande.pdf").is_file()


def test_html_has_a_page_per_chapter_and_public_practice(real):
    guide, out = real["guide"], real["out"]
    for chapter in guide.chapters:
        page = lxml_html.parse(str(out / "html" / f"{chapter.id}.html")).getroot()
        assert page.get("lang") == "es-MX"
        assert page.xpath("//main//h1")
    practices = guide.public_practices()
    assert len(practices) >= 15  # real proactive-transparency exercises only (issue 22)
    for practice in practices:
        assert (out / "html" / "practicas" / f"{practice.id}.html").is_file(), practice.id
    assert (out / "html" / f"{guide.slug}-completa.html").is_file()


def test_docx_headings_follow_the_chapters(real):
    guide, out = real["guide"], real["out"]
    doc = Document(str(out / "docx" / f"{guide.slug}.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [c.title for c in guide.chapters] == headings
    assert (out / "docx" / f"{guide.slug}-revision.docx").is_file()


def test_leaflets_and_print_package(real):
    guide, out = real["guide"], real["out"]
    for size in guide.config.formats.leaflet.sizes:
        assert len(PdfReader(str(out / "leaflet" / f"{guide.slug}-{size}.pdf")).pages) == 2
        assert (out / "leaflet" / "print" / f"{guide.slug}-{size}-pdfx.pdf").is_file()
    assert (out / "leaflet" / "print" / f"{guide.slug}-imprenta.zip").is_file()


def _pdf_text(path) -> str:
    return " ".join(" ".join((page.extract_text() or "") for page in PdfReader(str(path)).pages).split())


def test_public_outputs_hold_no_placeholder_nor_invented_data(real):
    """No address leads to a placeholder and no invented answer or fictional municipality is shown, in any
    output (the guide's url is still example.org: a draft build, whose outputs say the address is pending)."""
    import zipfile

    out = real["out"]
    texts = {str(p.relative_to(out)): p.read_text(encoding="utf-8", errors="replace")
             for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json", ".svg", ".txt")
             and ".cache" not in p.parts}
    texts.update({str(p.relative_to(out)): _pdf_text(p) for p in out.rglob("*.pdf")})
    for path in out.rglob("*.docx"):
        if path.name.endswith("-revision.docx"):
            continue  # for reviewers, not the public: it carries the review contact (the release gate checks it)
        with zipfile.ZipFile(path) as zf:
            texts[str(path.relative_to(out))] = " ".join(zf.read(n).decode("utf-8", "replace")
                                                         for n in zf.namelist() if n.endswith(".xml"))
    assert len(texts) > 50 and any(k.endswith("-pdfx.pdf") for k in texts)
    for name, text in texts.items():
        for needle in ("example.org", "San Ficticio", "Villa Ejemplo", "<b>Presupuesto", "&lt;b&gt;Presupuesto",
                       "Datos ilustrativos", "MUESTRA"):
            assert needle not in text, (needle, name)
    slug = real["guide"].slug
    pending = "Dirección del sitio: pendiente de publicar"
    assert pending in texts[f"leaflet/{slug}-letter.pdf"] and pending in texts[f"pdf/{slug}.pdf"]


def test_the_consultation_section_shows_the_questions(real):
    page = lxml_html.parse(str(real["out"] / "html" / "diagnostico.html")).getroot()
    section = " ".join(page.xpath("//main")[0].text_content().split())
    start = section.index("La voz de la gente")
    text = section[start: section.index("Otras fuentes sobre lo que preocupa", start)]
    for shown in ("¿En qué municipio de Nuevo León vive?", "¿Sobre qué temas necesita información pública?",
                  "¿Por qué medios prefiere recibir esa información?", "Cuestionario en papel", "Por teléfono",
                  "Preguntas de la consulta", "nunca se publican"):
        assert shown in text, shown
    assert "respuestas entre" not in text and "Menciones" not in text  # no result, no figure
    assert "Preguntas de la consulta" in _pdf_text(real["out"] / "pdf" / f"{real['guide'].slug}.pdf")


@pytest.mark.browser
@pytest.mark.libreoffice
def test_every_public_output_of_the_real_guide_has_no_layout_finding(real):
    """The proof sheet of the real build: the book, the large print, the leaflets, the report, the
    consultation forms, the didactic PDFs, both DOCX editions (through LibreOffice) and the site at
    phone and desktop widths, with zero layout findings."""
    import json

    if not shutil.which("soffice") or not Path("/usr/bin/chromium").exists():
        pytest.skip("needs Chromium and LibreOffice")
    result = run_cli("proof", "--out", str(real["out"]), "-q")
    assert result.returncode == 0, result.stderr
    findings = json.loads((real["out"] / "proof" / "findings.json").read_text(encoding="utf-8"))
    assert findings == [], "\n".join(f"{f['output']} p. {f['page']}: {f['message']}" for f in findings)
    sheet = (real["out"] / "proof" / "index.html").read_text(encoding="utf-8")
    for output in ("pdf/guia-transparencia-proactiva.pdf", "pdf/guia-transparencia-proactiva-letra-grande.pdf",
                   "docx/guia-transparencia-proactiva.docx", "didactico/guia-transparencia-proactiva-taller.pdf"):
        assert f"<h2>{output}</h2>" in sheet


def test_printed_addresses_never_break_after_their_own_hyphen(real):
    """An address breaks after a slash, or before "?", "#", "&" or one of its hyphens (the next line then
    starts with it): no line of an address ends in a hyphen that reads as a word cut."""
    import re

    import pypdfium2

    for name in ("guia-transparencia-proactiva.pdf", "guia-transparencia-proactiva-letra-grande.pdf"):
        pdf = pypdfium2.PdfDocument(real["out"] / "pdf" / name)
        text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
        pdf.close()
        lines = [line.strip() for line in text.splitlines()]
        cut = [(a, b) for a, b in zip(lines, lines[1:]) if re.search(r"/\S*-$", a) and b[:1].islower()]
        assert not cut, f"{name}: {cut[:3]}"
        assert "\u2060" not in text and "\u200b" not in text  # break marks are not copied with the text
        assert "https://meridiano.mx/2025/05/09/el-acceso-a-internet-a-mexico-crece-la-brecha-digital-persiste" \
            in text.replace("\r", "").replace("\n", "")


def test_no_line_of_a_paragraph_or_item_is_carried_alone_to_the_top_of_a_page(real):
    """Widows (issue 18): a page's first body line that goes on from the page before (it starts in lower
    case) and ends its paragraph or list item (the next line is a block's spacing further down). In the
    large print such single lines of list items stood at the top of 15 pages."""
    import pypdfium2

    from guidebuilder.checks.layout_pdf import BAND, read_pages

    for name in ("guia-transparencia-proactiva.pdf", "guia-transparencia-proactiva-letra-grande.pdf"):
        pdf = pypdfium2.PdfDocument(real["out"] / "pdf" / name)
        pages = read_pages(pdf)
        pdf.close()
        alone = []
        for page in pages:
            body = sorted((line for line in page.lines if line.text.strip()
                           and BAND * page.height < line.base < (1 - BAND) * page.height), key=lambda line: line.base)
            if len(body) < 2 or abs(body[0].size - body[1].size) > 0.5:
                continue
            first = body[0].text.strip()
            if first[:1].islower() and body[1].base - body[0].base > 1.7 * body[0].size:
                alone.append((page.number, first))
        assert not alone, f"{name}: {alone[:5]}"
