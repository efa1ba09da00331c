"""The didactic materials end to end: one build of the mini guide with a small guide/didactico/
(tests/fixtures/didactico) into html + didactico, with a named fictional entity (a sample build), then
the package for portals unpacked under a sub-path of a web server and every link followed.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import shutil
import subprocess
import threading
import zipfile
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pikepdf
import pytest
from PIL import Image

from guidebuilder.checks.preflight import analyse, check

from conftest import FIXTURES, run_cli

SLUG = "guia-transparencia-proactiva"
SITE = "https://guia-transparencia-proactiva.mx/"
ENTITY = "municipio-ejemplo"
MM = 25.4 / 72

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("didactico")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    shutil.copytree(FIXTURES / "didactico", guide / "didactico")
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "url: https://example.org/guia-transparencia-proactiva/", f"url: {SITE}\nsample: true"), encoding="utf-8")
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "html,didactico",
                     "--entity", ENTITY, "-q")
    assert result.returncode == 0, result.stderr
    return guide, out


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_deck_opens_with_notes_pictures_alt_text_in_spanish(built):
    from pptx import Presentation

    _, out = built
    deck = Presentation(str(out / "didactico" / f"{SLUG}-taller.pptx"))
    slides = list(deck.slides)
    # title, 2 section slides, la idea, gráfica, los pasos, 2 step slides, canales, secciones
    assert len(slides) == 10
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
    assert "Taller de prueba" in texts[0]
    assert any("Paso 4 de 2. Difundir la información" in t for t in texts)  # numbers as steps.yml gives them
    assert any("Ejemplo:" in t and "Campaña de radio" in t for t in texts)
    notes = [s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide]
    assert any("Pregunte al grupo" in n for n in notes)
    assert any("Fuente: Lanzan en Oaxaca" in n for n in notes)  # the example's source, from practices.yml
    pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 1
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert alt and not alt.endswith(".png") and "internet" in alt.lower()
    for slide in slides:  # shape ids unique on every slide (PowerPoint repairs files where they are not)
        ids = [el.get("id") for el in slide._element.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr")]
        assert len(ids) == len(set(ids))


def test_slides_pdf_has_every_slide(built):
    _, out = built
    pdf = pikepdf.open(out / "didactico" / f"{SLUG}-taller.pdf")
    assert len(pdf.pages) == 10
    assert "/CreationDate" not in pdf.docinfo
    text = pdf_text(out / "didactico" / f"{SLUG}-taller.pdf")
    assert "Canales sin internet" in text and "Difundir la información" in text


@pytest.mark.parametrize("size,trim", [("a3", (297.0, 420.0)), ("tabloid", (279.4, 431.8))])
def test_poster_sizes_bleed_fonts(built, size, trim):
    _, out = built
    screen = pikepdf.open(out / "didactico" / f"{SLUG}-cartel-{size}.pdf")
    assert len(screen.pages) == 1
    box = [float(v) * MM for v in screen.pages[0].mediabox]
    assert abs(box[2] - box[0] - trim[0]) < 0.1 and abs(box[3] - box[1] - trim[1]) < 0.1
    report = check(analyse(out / "didactico" / "print" / f"{SLUG}-cartel-{size}-pdfx.pdf"), cmyk=True)
    assert report.ok, report.failures
    assert report.pdfx_version and report.output_intents
    page = report.pages[0]
    assert [round(v, 1) for v in page.bleed_sides()] == [3.0] * 4
    assert report.fonts and all(f.name.split("+")[-1].startswith("Atkinson") for f in report.fonts)
    text = pdf_text(out / "didactico" / f"{SLUG}-cartel-{size}.pdf")
    assert "Identificar las necesidades de información" in text and "Lee la guía completa" in text


def test_poster_and_letter_editions_per_entity(built):
    _, out = built
    folder = out / "didactico" / "entidades" / ENTITY
    poster = pdf_text(folder / f"{SLUG}-{ENTITY}-cartel-a3.pdf")
    assert "Calle Ficticia 123" in poster and "81 0000 0000" in poster
    letter = pdf_text(folder / f"{SLUG}-carta-adopcion-{ENTITY}.pdf")
    assert "Municipio de Ejemplo (ficticio)" in letter
    blank = pdf_text(out / "didactico" / f"{SLUG}-carta-adopcion.pdf")
    assert "Municipio de Ejemplo" not in blank and "(nombre de la institución)" in blank and "____" in blank
    from docx import Document

    doc = Document(str(folder / f"{SLUG}-carta-adopcion-{ENTITY}.docx"))
    assert any("Municipio de Ejemplo (ficticio)" in p.text for p in doc.paragraphs)


def test_cards_in_site_sizes_and_alt_texts(built):
    _, out = built
    folder = out / "html" / "tarjetas"
    names = ["guia", "paso-1", "paso-4", "practica-radio-lenguas-oaxaca"]
    alts = json.loads((folder / "textos-alternativos.json").read_text(encoding="utf-8"))
    assert sorted(alts) == sorted(f"{n}-{s}.png" for n in names for s in ("1080", "1200x630"))
    for name in names:
        assert Image.open(folder / f"{name}-1080.png").size == (1080, 1080)
        assert Image.open(folder / f"{name}-1200x630.png").size == (1200, 630)
        assert "guia-transparencia-proactiva.mx" in alts[f"{name}-1080.png"]
        assert (folder / f"{name}-1080.png").read_bytes() == (out / "didactico" / "tarjetas" / f"{name}-1080.png").read_bytes()
    posts = (out / "didactico" / "tarjetas" / "publicaciones-sugeridas.txt").read_text(encoding="utf-8")
    assert "#TransparenciaProactiva" in posts and SITE in posts


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_package_served_under_a_sub_path_every_link_works(built, tmp_path):
    guide, out = built
    result = run_cli("package", "--guide", str(guide), "--out", str(out), "--no-build", "-q")
    assert result.returncode == 0, result.stderr
    zips = sorted((out / "publicar").glob("*.zip"))
    assert [z.name for z in zips] == [f"{SLUG}-2026-11-22-redes.zip", f"{SLUG}-2026-11-22.zip"]
    first = [z.read_bytes() for z in zips]
    assert run_cli("package", "--guide", str(guide), "--out", str(out), "--no-build", "-q").returncode == 0
    assert [z.read_bytes() for z in zips] == first  # the same build packs into the same bytes
    root = tmp_path / "www" / "portal" / "transparencia"
    with zipfile.ZipFile(zips[1]) as zf:
        zf.extractall(root)
    unpacked = root / f"{SLUG}-2026-11-22"
    for line in (unpacked / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((unpacked / name).read_bytes()).hexdigest() == digest, name
    assert (unpacked / "sitio" / "descargas" / f"{SLUG}-taller.pptx").is_file()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(tmp_path / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/portal/transparencia/{SLUG}-2026-11-22/"
        checked = crawl(base + "LEEME.html", base)
    finally:
        server.shutdown()
    assert base + "sitio/index.html" in checked
    assert base + f"sitio/descargas/{SLUG}-taller.pdf" in checked


def crawl(start: str, base: str) -> set[str]:
    """Follow every local link and image from start (pages under base); each must answer 200."""
    seen, todo = set(), [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        with urlopen(url) as response:
            assert response.status == 200, url
            body = response.read()
        if not url.endswith(".html"):
            continue
        for ref in re.findall(r'(?:href|src)="([^"#]+)', body.decode("utf-8")):
            target = urljoin(url, ref)
            if urlsplit(target).netloc == urlsplit(base).netloc and target.startswith(base):
                todo.append(target.split("#")[0])
            else:
                assert urlsplit(target).scheme in ("http", "https", "mailto", "data"), (url, ref)
    return seen


def test_cold_rebuild_is_byte_identical(built, tmp_path):
    """No cache, another folder: every file of the format (LibreOffice's PDF included) comes out the same."""
    guide, out = built
    again = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(again), "--format", "didactico",
                     "--entity", ENTITY, "--no-cache", "-q")
    assert result.returncode == 0, result.stderr

    def tree(folder: Path) -> dict:
        return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    first, second = tree(out / "didactico"), tree(again / "didactico")
    assert len(first) > 20 and first == second
