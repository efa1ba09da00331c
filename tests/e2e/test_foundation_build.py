"""End to end: the mini guide into every format, inspected by structure; builds are reproducible."""

from __future__ import annotations

import shutil

import pikepdf
from docx import Document
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import FIXTURES, run_cli, tree_hashes

SLUG = "guia-transparencia-proactiva"


def test_html_pages(built_mini):
    index = lxml_html.parse(str(built_mini / "html" / "index.html")).getroot()
    assert index.get("lang") == "es-MX"
    links = index.xpath("//main//a/@href")
    for chapter in ("presentacion", "que-es", "canales", "buenas-practicas"):
        assert f"{chapter}.html" in links
        page = lxml_html.parse(str(built_mini / "html" / f"{chapter}.html")).getroot()
        assert page.xpath("//main//h1"), chapter
    canales = lxml_html.parse(str(built_mini / "html" / "canales.html")).getroot()
    assert "Radio comunitaria" in canales.text_content()
    assert canales.xpath("//table//th[normalize-space()='Canal']")
    # the cross-chapter link in que-es.md points at the channels page
    que_es = lxml_html.parse(str(built_mini / "html" / "que-es.html")).getroot()
    assert any(h.startswith("canales.html") for h in que_es.xpath("//main//a/@href"))


def test_pdf_book(built_mini):
    path = built_mini / "pdf" / f"{SLUG}.pdf"
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Guía de Transparencia Proactiva" in text
    assert "Radio comunitaria" in text
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "es-MX"


def test_docx_headings(built_mini):
    doc = Document(str(built_mini / "docx" / f"{SLUG}.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "¿Qué es la transparencia proactiva?" in headings
    assert "Buenas prácticas" in headings
    assert doc.tables, "data blocks become real Word tables"


def test_leaflets(built_mini):
    for size in ("letter", "a4"):
        path = built_mini / "leaflet" / f"{SLUG}-{size}.pdf"
        reader = PdfReader(str(path))
        assert len(reader.pages) >= 2
        text = " ".join(reader.pages[0].extract_text().split()).lower()
        assert "qué información pública puedes pedir" in text


def test_builds_are_byte_identical(built_mini, tmp_path):
    # built_mini used a worker per core (formats, book and large print, review DOCX and leaflets
    # side by side); this one runs everything one after another in one process.
    guide = tmp_path / "other-place" / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    out = tmp_path / "second"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--no-cache", "-q", "--jobs", "1",
                     env={"TZ": "America/Monterrey"})
    assert result.returncode == 0, result.stderr
    first = {k: v for k, v in tree_hashes(built_mini).items() if not k.startswith(".cache")}
    second = {k: v for k, v in tree_hashes(out).items() if not k.startswith(".cache")}
    assert first == second


def test_nothing_changed_rebuild_rewrites_nothing(built_mini, tmp_path):
    out = tmp_path / "b"
    shutil.copytree(built_mini, out)
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
