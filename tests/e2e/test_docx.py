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
    # a chapter's headings have a list of their own, which starts at the chapter's number
    chapter = next(p for p in doc.paragraphs if p.text == "Buenas prácticas")
    num_id = chapter._p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val"))
    num = next(n for n in part(public, "word/numbering.xml").iter(f"{W}num") if n.get(qn("w:numId")) == num_id)
    assert num.find(f"{W}lvlOverride/{W}startOverride").get(qn("w:val")) == "4"
    section = next(p for p in doc.paragraphs if p.text == "Canales digitales")
    assert section._p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(qn("w:val")) == "1"


def test_toc_field_with_entries(public):
    body = part(public, "word/document.xml")
    instr = " ".join(t.text for t in body.iter(f"{W}instrText"))
    assert re.search(r'TOC \\o "1-2"', instr)
    sdt = next(body.iter(f"{W}sdt"))
    entries = ["".join(p.itertext()).replace("\xa0", " ") for p in sdt.iter(f"{W}p")
               if p.find(f"{W}pPr/{W}pStyle") is not None
               and p.find(f"{W}pPr/{W}pStyle").get(qn("w:val")) in ("TOC1", "TOC2")]
    assert "Capítulo 1. Presentación y cómo usar esta guía" in entries
    assert "3.2. Canales digitales" in entries
    anchors = {h.get(qn("w:anchor")) for h in sdt.iter(f"{W}hyperlink")}
    assert {"presentacion", "canales-digitales"} <= anchors
    # pandoc marks the field dirty, and Word then asks the reader whether to update it: not any more
    assert not [f for f in sdt.iter(f"{W}fldChar") if f.get(qn("w:dirty"))]
    assert part(public, "word/settings.xml").find(f"{W}updateFields") is None
    assert "PAGEREF" not in instr  # page numbers only when GUIDEBUILDER_DOCX_PAGES asks (test_layout_*)


def test_tables_are_word_tables(public):
    doc = Document(str(public))
    assert len(doc.tables) >= 3
    texts = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Canal", "Tipo", "Cuándo usarlo", "Costo", "Para quién"] in texts
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
    assert "Capítulo 1. Presentación y cómo usar esta guía" in text  # the contents, filled in
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


# ---------------------------------------------------------------- the document as Word and LibreOffice show it

LONG_ID = "una-seccion-con-un-titulo-bastante-largo-para-su-id"  # over 40 characters: pandoc hashes it
SOURCE = ("Compromiso MXSPG0003 «Making transparency proactive in Nuevo León», apartado Status quo (Open "
          "Government Partnership) (fuente secundaria)")
LAYOUT_CHAPTERS = {
    "paso-1.md": f"""---
id: paso-1
short_title: "Paso 1. Identificar"
---
# Paso 1. Identificar las necesidades de información

Antes de publicar, pregunta a la gente qué necesita saber.

::: {{.nota}}
**Sobre las fuentes.** Texto del recuadro de nota, que ocupa más de una línea para que se vea su fondo y
su barra a la izquierda en la página.
:::

::: {{.ficha}}
**Ficha de ejercicio**

- Nombre del ejercicio:
- Institución y área responsable:
:::

::: {{.importante}}
**Pon siempre la fecha.** Una tabla sin fecha confunde.
:::

> Primer nivel de la cita, dicho por una persona de la consulta.
>
> > Segundo nivel de la cita, dentro de la primera.
> >
> > > Tercer nivel de la cita, dentro de la segunda.

## Una sección con un título bastante largo {{#{LONG_ID}}}

| Indicador | Territorio | Año | Valor | Referencia | Fuente |
|---|---|---|---|---|---|
""" + "".join(f"| Métrica de Gobierno Abierto: transparencia proactiva ({n}) | Nuevo León | 2021 | 0.{n:02d} | "
              f"0.38 (promedio nacional) | {SOURCE} |\n" for n in range(1, 31)) + """
: Indicadores con su fuente
""",
    "anexo.md": """---
appendix: true
---
# Un anexo de prueba

Texto del anexo.

## Sección del anexo

Más texto del anexo.
""",
    "despues.md": """# Después de los anexos

| Paso | Qué se hace |
|---|---|
| 1 | Preguntar a la gente qué información necesita. |

: Una tabla después de los anexos
""",
}


@pytest.fixture(scope="module")
def layout_build(tmp_path_factory) -> tuple[Path, Path]:
    """The mini guide with boxes, nested quotes, a long data table, an appendix and a chapter after it,
    built into DOCX with the contents' page numbers (GUIDEBUILDER_DOCX_PAGES=1); returns (document, review)."""
    import os

    base = tmp_path_factory.mktemp("docx-layout")
    guide = base / "guide"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "mini", guide)
    for name, text in LAYOUT_CHAPTERS.items():
        (guide / "chapters" / name).write_text(text, encoding="utf-8")
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - buenas-practicas.md\n", "  - buenas-practicas.md\n  - paso-1.md\n  - anexo.md\n  - despues.md\n"),
        encoding="utf-8")
    out = base / "build"
    env = {**os.environ, "GUIDEBUILDER_DOCX_PAGES": "1"}
    result = subprocess.run([sys.executable, "-m", "guidebuilder.cli", "build", "--guide", str(guide), "--out",
                             str(out), "--format", "docx", "-q"], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    return out / "docx" / f"{SLUG}.docx", out / "docx" / f"{SLUG}-revision.docx"


@pytest.fixture(scope="module")
def layout_pdf(layout_build, tmp_path_factory) -> Path:
    """The document laid out by LibreOffice."""
    folder = tmp_path_factory.mktemp("docx-layout-pdf")
    result = soffice("--convert-to", "pdf", "--outdir", str(folder), str(layout_build[0]))
    pdf = folder / f"{SLUG}.pdf"
    assert pdf.is_file(), result.stderr
    return pdf


def _pdf_pages(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    texts = [document[i].get_textpage().get_text_range().replace("\r", "") for i in range(len(document))]
    document.close()
    return texts


def test_layout_tables_are_sized_from_their_content(layout_build):
    doc = Document(str(layout_build[0]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indicador")
    tbl = table._tbl
    assert tbl.find(f"{W}tblPr/{W}tblLayout").get(qn("w:type")) == "fixed"
    grid = [int(g.get(qn("w:w"))) for g in tbl.iter(f"{W}gridCol")]
    assert len(grid) == 6 and len(set(grid)) > 3  # not pandoc's equal columns
    assert grid[5] == max(grid) and grid[2] < grid[0]  # the sources get the room, the year little
    assert sum(grid) == 9360  # letter, 2.54 cm margins
    rows = tbl.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)  # no row split across pages
    assert {p.style.style_id for row in table.rows for c in row.cells for p in c.paragraphs} == {"TableText"}


@pytest.mark.libreoffice
def test_layout_no_word_is_broken_and_headers_repeat(layout_pdf):
    from guidebuilder.checks.layout_pdf import pdf_findings

    findings = pdf_findings(layout_pdf, "docx/x", 8.0)
    assert [f.message for f in findings if f.kind == "broken-word"] == []
    assert [f.message for f in findings if f.kind == "small-text"] == []
    pages = _pdf_pages(layout_pdf)
    with_rows = [i for i, text in enumerate(pages) if "Compromiso MXSPG0003" in text]
    assert len(with_rows) >= 2, "the table should run over several pages"
    assert all("Indicador Territorio Año Valor Referencia Fuente" in pages[i] for i in with_rows)
    rows = [int(n) for i in with_rows for n in re.findall(r"proactiva \((\d+)\)", pages[i])]
    assert rows == list(range(1, 31))  # every row once, whole, in order


@pytest.mark.libreoffice
def test_layout_font_is_embedded_and_used(layout_pdf, layout_build):
    # no Atkinson Hyperlegible on this machine (nor in Word): only the faces in the DOCX can be used
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(layout_pdf))
    names = set()
    for obj in document[4].get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
        font = raw.FPDFTextObj_GetFont(obj.raw)
        size = raw.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFFont_GetBaseFontName(font, buffer, size)
        names.add(buffer.value.decode())
    document.close()
    assert {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"} <= names, names
    with zipfile.ZipFile(layout_build[0]) as z:
        assert len([n for n in z.namelist() if n.startswith("word/fonts/")]) == 4


@pytest.mark.libreoffice
def test_layout_page_numbers_in_the_footer_and_the_contents(layout_pdf):
    pages = _pdf_pages(layout_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Página {number} de {len(pages)}" in text, number
    contents = "\n".join(pages[:3])
    entries = re.findall(r"^(Capítulo \d+\.|Anexo [A-Z]\.|\d+\.\d+\.|[A-Z]\.\d+\.)\s(.+?)\s*\.{3,}\s*(\d+)\s*$",
                         contents, re.M)
    assert len(entries) >= 10, contents
    for label, title, page in entries:
        heading = " ".join(f"{label} {title}".split())
        assert heading in " ".join(pages[int(page) - 1].split()), (heading, page)
    assert ("Capítulo 7.", "Después de los anexos") in [(a, b.strip()) for a, b, _ in entries]


@pytest.mark.libreoffice
def test_layout_numbers_chapters_tables_and_appendices_as_the_pdf(layout_pdf):
    text = "\n".join(" ".join(line.split()) for line in "\n".join(_pdf_pages(layout_pdf)).split("\n"))
    assert "Capítulo 5. Paso 1. Identificar las necesidades de información" in text
    assert not re.search(r"^\d+\. Paso \d", text, re.M)
    assert "Anexo A. Un anexo de prueba" in text and "A.1. Sección del anexo" in text
    # the chapter after the appendix is the guide's 7th: the PDF says Capítulo 7 and Tabla 7.1
    assert "Capítulo 7. Después de los anexos" in text and "Tabla 7.1. Una tabla después de los anexos" in text
    assert "Tabla 5.1. Indicadores con su fuente" in text
    assert "5.1. Una sección con un título bastante largo" in text  # a heading whose id pandoc hashed


def _line_with(pages, text: str):
    for page in pages:
        for line in page.lines:
            if line.text.replace("\xa0", " ").startswith(text):
                return page, line
    raise AssertionError(f"no line starts with {text!r}")


@pytest.mark.libreoffice
def test_layout_boxes_and_nested_quotes(layout_pdf, layout_build):
    import pypdfium2 as pdfium

    from guidebuilder.checks.layout_pdf import read_pages

    document = pdfium.PdfDocument(str(layout_pdf))
    pages = read_pages(document)
    page, line = _line_with(pages, "Sobre las fuentes.")
    image = document[page.number - 1].render(scale=2).to_pil().convert("RGB")
    middle = int(2 * (line.base - 0.3 * line.size))  # scale 2: points → pixels
    shade = image.getpixel((int(2 * line.x0) - 6, middle))
    bar = min((image.getpixel((x, middle)) for x in range(int(2 * line.x0) - 6, int(2 * line.x0) - 60, -1)),
              key=sum)  # the darkest pixel left of the text
    assert shade == (0xF2, 0xF6, 0xF9), shade  # the note's background
    assert abs(bar[0] - 0x1F) < 40 and abs(bar[2] - 0x8B) < 40, bar  # its bar, in the accent colour
    _, first = _line_with(pages, "Primer nivel de la cita")
    _, second = _line_with(pages, "Segundo nivel de la cita")
    _, third = _line_with(pages, "Tercer nivel de la cita")
    assert first.x0 + 10 < second.x0 and second.x0 + 10 < third.x0, (first.x0, second.x0, third.x0)
    document.close()
    doc = Document(str(layout_build[0]))
    styles = {p.text[:20]: p.style.style_id for p in doc.paragraphs}
    assert styles["Sobre las fuentes. T"] == "RecuadroNota" and styles["Pon siempre la fecha"] == "RecuadroImportante"
    assert styles["Ficha de ejercicio"] == "RecuadroFicha"


def _styles_used(path: Path) -> tuple[set[str], dict[str, str]]:
    """A DOCX's defined style ids, and each style id its parts use → the part that uses it."""
    with zipfile.ZipFile(path) as z:
        defined = {s.get(qn("w:styleId")) for s in etree.fromstring(z.read("word/styles.xml")).iter(f"{W}style")}
        used = {}
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
                root = etree.fromstring(z.read(name))
                for tag in ("pStyle", "rStyle", "tblStyle"):
                    used.update({e.get(qn("w:val")): name for e in root.iter(f"{W}{tag}")})
    return defined, used


def test_layout_every_style_used_is_defined(layout_build, built):
    review = built[1] / "docx" / f"{SLUG}-revision.docx"
    for path in (*layout_build, review):
        defined, used = _styles_used(path)
        assert {s: n for s, n in used.items() if s not in defined} == {}, path
    defined, used = _styles_used(review)
    assert used["CommentText"] == used["CommentReference"] == "word/comments.xml"  # its comments' styles
    assert {"Footer", "TableText", "RecuadroNota"} <= set(_styles_used(layout_build[0])[1])


def test_layout_long_heading_ids_keep_their_bookmarks_and_links(layout_build):
    from guidebuilder.render.docx.ooxml import hidden_bookmark, pandoc_bookmark

    body = part(layout_build[0], "word/document.xml")
    heading = next(p for p in body.iter(f"{W}p") if paragraph_text(p) == "Una sección con un título bastante largo")
    names = {b.get(qn("w:name")) for b in heading.iter(f"{W}bookmarkStart")}
    assert {pandoc_bookmark(LONG_ID), hidden_bookmark(LONG_ID)} <= names
    sdt = next(body.iter(f"{W}sdt"))
    assert pandoc_bookmark(LONG_ID) in {h.get(qn("w:anchor")) for h in sdt.iter(f"{W}hyperlink")}
    refs = " ".join(t.text for t in sdt.iter(f"{W}instrText"))
    assert f"PAGEREF {hidden_bookmark(LONG_ID)}" in refs
