"""The real guide, built once into every format, as editors, officials and print shops receive it."""

from __future__ import annotations

import shutil

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
            titles = [item.title for item in outline.root]
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
    assert len(practices) >= 20
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
