"""The DOCX editions: Word styles, contents field, tables, footnotes, images, the review edition."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

sys.path.insert(0, str(Path(__file__).parents[1]))
from docx_helpers import built_review, soffice  # noqa: E402

from guidebuilder.render.docx.ooxml import paragraph_text  # noqa: E402

SLUG = "guia-transparencia-proactiva"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_review(tmp_path_factory)


@pytest.fixture(scope="module")
def public(built) -> Path:
    return built[1] / "docx" / f"{SLUG}.docx"


@pytest.fixture(scope="module")
def review(built) -> Path:
    return built[1] / "docx" / f"{SLUG}-revision.docx"


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_headings_use_word_heading_styles(public):
    doc = Document(str(public))
    found = headings(doc)
    assert ("Heading 1", "Presentación y cómo usar esta guía") in found
    assert ("Heading 1", "¿Qué es la transparencia proactiva?") in found
    assert ("Heading 2", "Canales digitales") in found
    assert [t for s, t in found if s == "Heading 1"] == [
        "Presentación y cómo usar esta guía", "¿Qué es la transparencia proactiva?",
        "Canales para llegar a la gente", "Buenas prácticas"]


def test_reference_styles(public):
    doc = Document(str(public))
    styles = {s.style_id: s for s in doc.styles}
    normal = styles["Normal"].element
    assert normal.find(f"{W}rPr/{W}rFonts").get(qn("w:ascii")) == "Atkinson Hyperlegible"
    # Heading 1–4 linked to one multilevel list whose levels name the heading styles
    num_ids = set()
    for level in range(1, 5):
        numpr = styles[f"Heading{level}"].element.find(f"{W}pPr/{W}numPr")
        assert numpr is not None, f"Heading {level} has no numbering"
        num_ids.add(numpr.find(f"{W}numId").get(qn("w:val")))
    assert len(num_ids) == 1
    numbering = part(public, "word/numbering.xml")
    num = next(n for n in numbering.iter(f"{W}num") if n.get(qn("w:numId")) in num_ids)
    abstract = next(a for a in numbering.iter(f"{W}abstractNum")
                    if a.get(qn("w:abstractNumId")) == num.find(f"{W}abstractNumId").get(qn("w:val")))
    assert [lvl.find(f"{W}pStyle").get(qn("w:val")) for lvl in abstract.iter(f"{W}lvl")
            if lvl.find(f"{W}pStyle") is not None] == ["Heading1", "Heading2", "Heading3", "Heading4"]
    table = styles["Table"].element
    assert table.find(f"{W}tblPr/{W}tblBorders/{W}insideH").get(qn("w:val")) == "single"
    first_row = next(t for t in table.iter(f"{W}tblStylePr") if t.get(qn("w:type")) == "firstRow")
    assert first_row.find(f"{W}tcPr/{W}shd") is not None and first_row.find(f"{W}rPr/{W}b") is not None
    for name in ("TableCaption", "ImageCaption", "Title"):
        assert name in styles


def test_unnumbered_headings_switch_numbering_off(public):
    doc = Document(str(public))
    card = next(p for p in doc.paragraphs if p.text.startswith("Campaña de radio sobre el derecho"))
    assert card.style.name.startswith("Heading")
    assert card._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")) == "0"
    chapter = next(p for p in doc.paragraphs if p.text == "Buenas prácticas")
    assert chapter._p.find(f"{W}pPr/{W}numPr") is None  # numbered through its style


def test_toc_field_with_entries(public):
    body = part(public, "word/document.xml")
    instr = " ".join(t.text for t in body.iter(f"{W}instrText"))
    assert re.search(r'TOC \\o "1-2"', instr)
    sdt = next(body.iter(f"{W}sdt"))
    entries = ["".join(p.itertext()) for p in sdt.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}pStyle") is not None
               and p.find(f"{W}pPr/{W}pStyle").get(qn("w:val")) in ("TOC1", "TOC2")]
    assert "1. Presentación y cómo usar esta guía" in entries
    assert "3.2. Canales digitales" in entries
    anchors = {h.get(qn("w:anchor")) for h in sdt.iter(f"{W}hyperlink")}
    assert {"presentacion", "canales-digitales"} <= anchors


def test_tables_are_word_tables(public):
    doc = Document(str(public))
    assert len(doc.tables) >= 3
    texts = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Canal", "Tipo", "Cuándo usarlo", "Costo", "Población que atiende"] in texts
    assert any(row[:2] == ["Indicador", "Territorio"] for row in texts)
    assert all(t.style.name == "Table" for t in doc.tables)


def test_footnotes_are_word_footnotes(public):
    notes = part(public, "word/footnotes.xml")
    texts = ["".join(n.itertext()) for n in notes.iter(f"{W}footnote") if n.get(qn("w:type")) is None]
    assert any("compromiso MXSPG0003" in t for t in texts)
    body = part(public, "word/document.xml")
    assert len(list(body.iter(f"{W}footnoteReference"))) == len(texts)


def test_images_have_alt_text_and_a_png_fallback(public):
    body = part(public, "word/document.xml")
    docprs = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert docprs and all(d.get("descr", "").startswith("Gráfica de barras") for d in docprs)
    with zipfile.ZipFile(public) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert any(n.endswith(".svg") for n in media)
    if shutil.which("rsvg-convert"):
        assert any(n.endswith(".png") for n in media), "no PNG fallback: LibreOffice would show no chart"


def test_heading_bookmarks_sit_inside_the_headings(public):
    doc = Document(str(public))
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            names = [b.get(qn("w:name")) for b in p._p.iter(f"{W}bookmarkStart")]
            assert names, p.text
    names = {b.get(qn("w:name")) for b in part(public, "word/document.xml").iter(f"{W}bookmarkStart")}
    assert {"presentacion", "que-es", "canales", "buenas-practicas", "canales-digitales"} <= names


def test_document_properties_mark_the_edition(public, review):
    for path, edition in ((public, "public"), (review, "review")):
        props = {p.get("name"): "".join(p.itertext()) for p in part(path, "docProps/custom.xml")}
        assert props["guidebuilder-slug"] == SLUG
        assert props["guidebuilder-edition"] == edition
        assert props["guidebuilder-date"] == "2026-11-22"


def test_public_edition_leaves_unverified_practices_out(public, review):
    public_text = "\n".join(p.text for p in Document(str(public)).paragraphs)
    review_text = "\n".join(p.text for p in Document(str(review)).paragraphs)
    assert "Perifoneo ficticio" not in public_text
    assert "Perifoneo ficticio" in review_text
    assert not list(Document(str(public)).comments)


def test_review_edition_first_page(review):
    doc = Document(str(review))
    first = [p.text for p in doc.paragraphs[:12]]
    assert first[0] == "Cómo revisar este documento"
    text = "\n".join(first)
    assert "Comente, no reescriba" in text and "Una idea por comentario" in text
    assert "15 de diciembre de 2026" in text and "guia@example.org" in text
    assert doc.paragraphs[0].style.name == "Review Title"
    # the title page follows the instructions page
    assert any(p.style.name == "Title" for p in doc.paragraphs[:15])


def test_review_edition_comments_mark_what_needs_attention(review):
    doc = Document(str(review))
    comments = list(doc.comments)
    assert all(c.author == "guidebuilder" for c in comments)
    texts = [c.text for c in comments]
    assert sum("perifoneo-ficticio" in t for t in texts) == 2  # its card and its row in the table
    assert sum("portal-ficticio" in t for t in texts) == 2
    assert sum("TODO" in t for t in texts) == 1
    assert not any("radio-lenguas-oaxaca" in t for t in texts)  # verified: nothing to ask
    # each comment is anchored on the item: find the anchored text
    body = doc.element.body
    anchored = {}
    for start in body.iter(f"{W}commentRangeStart"):
        cid = start.get(qn("w:id"))
        p = next(start.iterancestors(f"{W}p"))
        anchored[cid] = paragraph_text(p)
    by_id = {str(c.comment_id): c.text for c in comments}
    assert any(a.startswith("TODO: agregar el costo") and "TODO" in by_id[c] for c, a in anchored.items())
    assert any(a == "Perifoneo ficticio sobre trámites municipales" for a in anchored.values())
    # nothing on the instructions page, even though it says "revisar"
    assert not any("Cómo revisar" in a for a in anchored.values())


def test_builds_are_byte_identical(built, tmp_path):
    guide, out = built
    again = tmp_path / "again"
    result = subprocess.run([sys.executable, "-m", "guidebuilder.cli", "build", "--guide", str(guide), "--out",
                             str(again), "--format", "docx", "--no-cache", "-q"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in (f"{SLUG}.docx", f"{SLUG}-revision.docx"):
        assert (again / "docx" / name).read_bytes() == (out / "docx" / name).read_bytes(), name


@pytest.mark.libreoffice
def test_opens_in_libreoffice(review, tmp_path):
    from pypdf import PdfReader

    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(review))
    pdf = tmp_path / f"{SLUG}-revision.pdf"
    assert pdf.is_file(), result.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 6
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Cómo revisar este documento" in reader.pages[0].extract_text()
    assert "1. Presentación y cómo usar esta guía" in text  # the contents, filled in
    assert "3.2. Canales digitales" in text
    chart_page = next(p for p in reader.pages if "La brecha digital" in p.extract_text()
                      and "Figura" in p.extract_text())
    assert list(chart_page.images), "the chart did not reach the PDF: LibreOffice dropped the image"
    render = subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                            capture_output=True)
    assert render.returncode == 0 and list(tmp_path.glob("p*.png"))


def test_review_edition_only_when_asked_for():
    from types import SimpleNamespace as NS

    from guidebuilder.render.docx.document import wants_review

    def guide(review, flag):
        return NS(config=NS(review=review, formats=NS(docx=NS(review=flag))))

    assert wants_review(guide(NS(deadline="2026-12-15"), True))
    assert not wants_review(guide(None, True))  # no review: in guide.yml, no review edition
    assert not wants_review(guide(NS(deadline="2026-12-15"), False))


@pytest.mark.parametrize("fixture", ["mini", "consult"])
def test_without_unverified_items_the_review_edition_is_the_public_guide_with_its_edition_changed(fixture):
    # Without anything unverified in the data, both DOCX editions come from one pandoc run of the
    # public guide (build_both); this holds only while the unverified items are all that the edition
    # changes in preparing.
    import dataclasses

    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.model.guide import to_jsonable

    root = Path(__file__).parents[1] / "fixtures" / fixture
    cache = Cache(None, enabled=False)
    public = prepare(root, cache)
    assert not public.review_adds()
    assert to_jsonable(dataclasses.replace(public, edition="review")) == to_jsonable(prepare(root, cache, "review"))
    assert to_jsonable(dataclasses.replace(public, edition="review")) != to_jsonable(public)


def test_with_an_unverified_practice_the_review_edition_is_prepared_again(built):
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.builder.orchestrator import prepare_editions

    cache = Cache(None, enabled=False)
    public = prepare(built[0], cache)
    assert public.review_adds()
    review = prepare_editions(built[0], cache, ["docx"]).others["review"]
    assert review.edition == "review" and len(review.public_practices()) > len(public.public_practices())


def _docx_content(data: bytes) -> dict:
    """What a reader of the DOCX sees: paragraphs (style, text), tables, footnotes, comments, properties."""
    import io

    doc = Document(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footnotes = [paragraph_text(f) for f in etree.fromstring(z.read("word/footnotes.xml")).iter(f"{W}footnote")]
        props = {p.get("name"): "".join(p.itertext()) for p in etree.fromstring(z.read("docProps/custom.xml"))}
        media = sorted(len(z.read(n)) for n in z.namelist() if n.startswith("word/media/"))
    return {"paragraphs": [(p.style.name, p.text) for p in doc.paragraphs],
            "tables": [[c.text for row in t.rows for c in row.cells] for t in doc.tables],
            "footnotes": footnotes, "comments": [c.text for c in doc.comments], "properties": props,
            "bookmarks": sorted(b.get(qn("w:name")) for b in doc.element.body.iter(f"{W}bookmarkStart")),
            "media": media}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_both_editions_from_one_pandoc_run_read_as_two_runs_would(jobs, tmp_path, monkeypatch):
    # Without unverified items, the document is the review edition's pandoc output without its
    # "how to review" page (build_both, finished side by side when there are cores); a reader must
    # find in each what a pandoc run of its own gives.
    import dataclasses

    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.render.base import RenderContext
    from guidebuilder.render.docx.document import REVIEW_BOX_ID, build_both, build_docx

    monkeypatch.setenv("GUIDEBUILDER_JOBS", jobs)
    cache = Cache(None, enabled=False)
    guide = prepare(Path(__file__).parents[1] / "fixtures" / "mini", cache)
    assert not guide.review_adds()
    from guidebuilder.builder.parallel import Parallel

    ctx = RenderContext(out=tmp_path / "docx", cache=cache, parallel=Parallel(cache))
    public, review = build_both(guide, ctx)
    alone_public = build_docx(guide, ctx)
    alone_review = build_docx(dataclasses.replace(guide, edition="review"), ctx, review=True)
    assert _docx_content(public) == _docx_content(alone_public)
    assert _docx_content(review) == _docx_content(alone_review)
    assert review == alone_review  # the same run, finished the same way
    assert _docx_content(public)["properties"]["guidebuilder-edition"] == "public"
    assert REVIEW_BOX_ID.encode() not in zipfile.ZipFile(__import__("io").BytesIO(public)).read("word/document.xml")
    assert "Cómo revisar este documento" not in [t for _, t in _docx_content(public)["paragraphs"]]


def test_one_run_for_both_editions_refuses_a_review_page_it_could_not_take_out(tmp_path, monkeypatch):
    # The document is the review output without the page marked by the bookmark REVIEW_BOX_ID; a
    # pandoc that wrote no such bookmark must stop the build, not publish the page.
    from guidebuilder.pandoc import ast as A
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.model.errors import ToolError
    from guidebuilder.render.base import RenderContext
    from guidebuilder.render.docx import document as D

    original = D.review_blocks
    monkeypatch.setattr(D, "review_blocks", lambda guide: [A.div(original(guide)[0]["c"][1])])  # no id
    cache = Cache(None, enabled=False)
    guide = prepare(Path(__file__).parents[1] / "fixtures" / "mini", cache)
    with pytest.raises(ToolError, match="review page has no bookmark"):
        D.build_both(guide, RenderContext(out=tmp_path / "docx", cache=cache))
