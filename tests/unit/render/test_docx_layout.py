"""The DOCX finishing steps on their own: table widths, boxes and quotes, numbering labels, the contents'
page numbers, font embedding, styles (lxml and pandoc; no LibreOffice)."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from lxml import etree

from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import document
from guidebuilder.pandoc.tools import pandoc_path
from guidebuilder.render.docx import contents, layout
from guidebuilder.render.docx.document import _mark_boxes_and_quotes, chapter_numbers, heading_label
from guidebuilder.render.docx.fonts import FACES, Metrics, embed_fonts, embedded_faces
from guidebuilder.render.docx.ooxml import font_key, obfuscate_font, pandoc_bookmark, w

ROOT = Path(__file__).resolve().parents[3]
FONTS = ROOT / "assets" / "fonts" / "atkinson-hyperlegible"
REFERENCE = ROOT / "assets" / "reference.docx"
WIDTH = 9360  # letter, 2.54 cm margins


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    return Metrics((FONTS / "atkinson-hyperlegible-latin-400-normal.ttf").read_bytes(),
                   (FONTS / "atkinson-hyperlegible-latin-700-normal.ttf").read_bytes(), layout.TABLE_PT)


def _table(rows: list[list[str]], header: bool = True) -> etree._Element:
    """A w:tbl as pandoc writes it: equal grid columns, empty cell properties, the first row a header."""
    tbl = layout.el("tbl")
    pr = layout.el("tblPr")
    pr.append(layout.el("tblStyle", val="Table"))
    pr.append(layout.el("tblW", type="pct", w="5000"))
    tbl.append(pr)
    grid = layout.el("tblGrid")
    for _ in rows[0]:
        grid.append(layout.el("gridCol", w=str(7920 // len(rows[0]))))
    tbl.append(grid)
    for i, row in enumerate(rows):
        tr = layout.el("tr")
        if header and i == 0:
            tr_pr = layout.el("trPr")
            tr_pr.append(layout.el("tblHeader", val="on"))
            tr.append(tr_pr)
        for text in row:
            tc = layout.el("tc")
            tc.append(layout.el("tcPr"))
            p = layout.el("p")
            ppr = layout.el("pPr")
            ppr.append(layout.el("pStyle", val="Compact"))
            p.append(ppr)
            r = layout.el("r")
            t = layout.el("t")
            t.text = text
            r.append(t)
            p.append(r)
            tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    body = layout.el("body")
    body.append(tbl)
    return body


SOURCES = [["Indicador", "Territorio", "Año", "Valor", "Fuente"],
           ["Métrica de Gobierno Abierto: transparencia proactiva", "Nuevo León", "2021", "0.35",
            "Compromiso MXSPG0003 «Making transparency proactive in Nuevo León», apartado Status quo "
            "(Open Government Partnership) (fuente secundaria)"],
           ["Responsable de la transparencia", "México", "2021", "0.61", "Compromiso MXSPG0003"]]


def test_columns_are_at_least_their_longest_word_and_fill_the_width(metrics):
    # pandoc gives every column the same width: "Compromiso" and "transparencia" then break letter by
    # letter in a six-column table
    rows = [[[text] for text in row] for row in SOURCES]
    widths = layout.column_widths(rows, 1, WIDTH, metrics.measure)
    assert sum(widths) == WIDTH
    for c in range(len(SOURCES[0])):
        words = [word for row in SOURCES for word in row[c].split()]
        longest = max(metrics.measure(word, r == 0) for r, row in enumerate(SOURCES) for word in row[c].split())
        assert widths[c] >= longest + 2 * layout.CELL_PAD, (c, words)
    assert widths[4] == max(widths)  # the long sources take the room left
    assert widths[2] < widths[0] and widths[3] < widths[0]


def test_a_word_wider_than_a_share_of_the_table_is_not_a_minimum(metrics):
    # a long address breaks anyway; taken as the column's minimum it would squeeze the other column
    url = "https://opengovpartnership.org/members/san-pedro-garza-garcia/commitments/mxspg0003/informe-final"
    text = "Una práctica con una descripción larga que ocupa varias líneas en cualquier columna " * 3
    widths = layout.column_widths([[["Práctica"], ["Fuente"]], [[text], [url]]], 1, WIDTH, metrics.measure)
    assert metrics.measure(url) > WIDTH
    assert sum(widths) == WIDTH and widths[0] >= layout.WORD_SHARE * WIDTH


def test_short_tables_share_the_width_as_their_texts_do(metrics):
    rows = [[["Paso"], ["Nombre"]], [["1"], ["Identificar las necesidades de información de la gente"]]]
    widths = layout.column_widths(rows, 1, WIDTH, metrics.measure)
    assert sum(widths) == WIDTH and widths[1] > 3 * widths[0]


def test_fit_tables_fixes_the_layout_and_keeps_rows_whole(metrics):
    body = _table(SOURCES + [["", "", "", "", ""]])
    assert layout.fit_tables(body, WIDTH, 12960, metrics.measure) == 1
    tbl = body.find(w("tbl"))
    assert tbl.find(f"{w('tblPr')}/{w('tblLayout')}").get(w("type")) == "fixed"
    assert tbl.find(f"{w('tblPr')}/{w('tblW')}").get(w("type")) == "dxa"
    grid = [int(g.get(w("w"))) for g in tbl.iter(w("gridCol"))]
    assert sum(grid) == WIDTH and len(set(grid)) > 2
    rows = tbl.findall(w("tr"))
    assert all(r.find(f"{w('trPr')}/{w('cantSplit')}") is not None for r in rows)
    header = rows[0].find(w("trPr"))
    assert [c.tag for c in header] == [w("cantSplit"), w("tblHeader")]  # schema order
    for row in rows:
        assert [int(tc.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) for tc in row.iter(w("tc"))] == grid
    assert rows[-1].find(f"{w('trPr')}/{w('trHeight')}").get(w("val")) == str(layout.WRITING_ROW)
    assert {p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in tbl.iter(w("p"))} == {"TableText"}


def test_a_cell_spanning_columns_gets_their_width(metrics):
    body = _table([["Indicador", "Valor", "Fuente"], ["Transparencia proactiva", "0.35", "Compromiso MXSPG0003"],
                   ["Nota", "", ""]])
    last = body.find(w("tbl")).findall(w("tr"))[-1]
    cells = last.findall(w("tc"))
    for tc in cells[2:]:
        last.remove(tc)
    cells[1].find(w("tcPr")).append(layout.el("gridSpan", val="2"))
    cells[1].find(f".//{w('t')}").text = "Una nota larga que ocupa la fila entera, sin medida propia"
    layout.fit_tables(body, WIDTH, 12960, metrics.measure)
    grid = [int(g.get(w("w"))) for g in body.iter(w("gridCol"))]
    assert [int(tc.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) for tc in last.findall(w("tc"))] == \
        [grid[0], grid[1] + grid[2]]
    tc_pr = last.findall(w("tc"))[1].find(w("tcPr"))
    assert [c.tag for c in tc_pr] == [w("tcW"), w("gridSpan")]


def test_a_row_taller_than_half_a_page_may_split(metrics):
    long_text = " ".join(["palabra"] * 1500)
    body = _table([["A", "B"], ["uno", long_text]])
    layout.fit_tables(body, WIDTH, 12960, metrics.measure)
    rows = body.find(w("tbl")).findall(w("tr"))
    assert rows[0].find(f"{w('trPr')}/{w('cantSplit')}") is not None
    assert rows[1].find(f"{w('trPr')}/{w('cantSplit')}") is None


def test_numbers_keep_their_units_and_labels_their_numbers():
    body = layout.el("body")
    texts = ["el 39.3 % de", "de 18 a 24 años", "(n = 120)", "Paso 1. Identificar", "la Tabla 3.1", "Anexo A",
             "paso a paso", "capítulo Buenas prácticas"]
    for text in texts:
        t = layout.el("t")
        t.text = text
        body.append(t)
    heading = layout.el("p")
    ppr = layout.el("pPr")
    ppr.append(layout.el("pStyle", val="Heading1"))
    heading.append(ppr)
    title = layout.el("t")
    title.text = "Paso 1. Identificar"
    heading.append(title)
    body.append(heading)
    assert layout.keep_together(body, frozenset({"Heading1"})) == 6
    got = [t.text for t in body.iter(w("t"))]
    assert got[:6] == ["el 39.3\u00a0% de", "de 18 a 24\u00a0años", "(n\u00a0=\u00a0120)", "Paso\u00a01. Identificar",
                       "la Tabla\u00a03.1", "Anexo\u00a0A"]
    assert got[6:] == texts[6:] + ["Paso 1. Identificar"]  # a heading's text stays the chapter's title


def test_long_ids_get_the_bookmark_name_pandoc_gives_them(tmp_path):
    long_id = "los-ejercicios-de-transparencia-proactiva"  # 41 characters: pandoc hashes it
    doc = document([A.header(2, "Los ejercicios", ident=long_id), A.header(2, "Corto", ident="corto")],
                   {"title": {"t": "MetaInlines", "c": A.inlines("x")}})
    out = tmp_path / "x.docx"
    subprocess.run([pandoc_path(), "-f", "json", "-t", "docx", "-o", str(out)], input=doc, check=True)
    names = {b.get(w("name")) for b in etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
             .iter(w("bookmarkStart"))}
    assert {pandoc_bookmark(long_id), pandoc_bookmark("corto")} <= names
    assert pandoc_bookmark("corto") == "corto" and pandoc_bookmark(long_id) != long_id


def _pandoc_body(blocks: list) -> tuple:
    """pandoc's document.xml body and numbering.xml for blocks, with the reference document."""
    data = subprocess.run([pandoc_path(), "-f", "json", "-t", "docx", "-o", "-", f"--reference-doc={REFERENCE}"],
                          input=document(blocks, {}), capture_output=True, check=True).stdout
    z = zipfile.ZipFile(io.BytesIO(data))
    return etree.fromstring(z.read("word/document.xml")).find(w("body")), etree.fromstring(z.read("word/numbering.xml"))


def _styles(body) -> list[tuple[str, str]]:
    out = []
    for p in body.iter(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        out.append((style.get(w("val")) if style is not None else "", "".join(p.itertext())))
    return out


def test_boxes_keep_a_style_per_class_and_their_lists_the_box_look():
    nota = A.div([A.para("Texto de la nota."), A.bullet_list([[A.plain("uno")], [A.plain("dos")]])], ["nota"])
    importante = A.div([A.para("Texto importante.")], ["importante"])
    blocks = _mark_boxes_and_quotes([A.para("Antes."), nota, importante, A.para("Después.")], [0])
    body, numbering = _pandoc_body(blocks)
    assert layout.boxes_and_quotes(body, numbering) == (2, 0)
    styles = _styles(body)
    assert ("RecuadroNota", "Texto de la nota.") in styles and ("RecuadroImportante", "Texto importante.") in styles
    assert styles[0][1] == "Antes." and styles[-1] == ("BodyText", "Después.")
    items = [p for p in body.iter(w("p")) if "".join(p.itertext()) in ("uno", "dos")]
    for p in items:
        ppr = p.find(w("pPr"))
        assert ppr.find(f"{w('pBdr')}/{w('left')}").get(w("color")) == "1F5F8B"
        assert ppr.find(w("shd")).get(w("fill")) == "F2F6F9"
        ind = ppr.find(w("ind"))
        assert int(ind.get(w("left"))) - int(ind.get(w("hanging"))) == layout.BOX_INDENT  # bullet where text starts
        assert [c.tag.split("}")[1] for c in ppr] == sorted((c.tag.split("}")[1] for c in ppr),
                                                            key=layout.PPR_ORDER.index)
    # two boxes in a row: a thin empty paragraph keeps them apart
    between = [p for p in body.iter(w("p")) if not "".join(p.itertext())]
    assert len(between) == 1
    assert not [b for b in body.iter(w("bookmarkStart")) if b.get(w("name")).startswith(layout.BOX_MARK)]


def test_nested_quotes_keep_their_levels():
    quote = {"t": "BlockQuote", "c": [A.para("Uno."), {"t": "BlockQuote", "c": [
        A.para("Dos."), {"t": "BlockQuote", "c": [A.para("Tres.")]}]}]}
    body, numbering = _pandoc_body(_mark_boxes_and_quotes([quote], [0]))
    assert [s for s, _ in _styles(body)] == ["BlockText"] * 3  # pandoc flattens them
    assert layout.boxes_and_quotes(body, numbering) == (0, 3)
    assert _styles(body) == [("BlockText", "Uno."), ("BlockText2", "Dos."), ("BlockText3", "Tres.")]


def test_chapters_are_numbered_as_the_pdf_numbers_them():
    from guidebuilder.render.pdf.book import chapter_label

    chapters = [NS(id="a", appendix=False, number=1, index=0), NS(id="b", appendix=True, number=2, index=1),
                NS(id="c", appendix=True, number=3, index=2), NS(id="d", appendix=False, number=4, index=3)]
    guide = NS(chapters=chapters)
    numbers = chapter_numbers(guide)
    for chapter in chapters:
        appendix, number = numbers[chapter.id]
        assert heading_label(appendix, number, [1], 1) == chapter_label(guide, chapter) + "."
    assert heading_label(*numbers["d"], [1, 2], 2) == "4.2."  # a chapter after the appendices: 4, not 2
    assert heading_label(*numbers["c"], [1, 3, 1], 3) == "B.3.1."


def test_font_obfuscation_round_trips_and_is_stable():
    data = (FONTS / "atkinson-hyperlegible-latin-400-normal.ttf").read_bytes()
    key = font_key(data)
    hidden = obfuscate_font(data, key)
    assert hidden[:32] != data[:32] and hidden[32:] == data[32:]
    assert obfuscate_font(hidden, key) == data and font_key(data) == key


def test_reference_document_embeds_the_four_faces():
    from docx import Document

    doc = Document(str(REFERENCE))
    faces = embedded_faces(doc, "Atkinson Hyperlegible")
    assert sorted(faces) == sorted(FACES)
    from fontTools.ttLib import TTFont

    for face, data in faces.items():
        font = TTFont(io.BytesIO(data))
        assert font["name"].getDebugName(1) == "Atkinson Hyperlegible"
        assert font["OS/2"].fsType == 0  # installable: Word and LibreOffice may use it
        assert ord("ñ") in font.getBestCmap() and ord("ā") in font.getBestCmap()  # latin and latin-ext
    settings = etree.fromstring(zipfile.ZipFile(REFERENCE).read("word/settings.xml"))
    assert settings.find(w("embedTrueTypeFonts")) is not None and settings.find(w("embedSystemFonts")) is None


def test_embed_fonts_writes_what_word_reads():
    z = zipfile.ZipFile(REFERENCE)
    parts = {n: z.read(n) for n in z.namelist() if not n.startswith("word/fonts/")}
    data = (FONTS / "atkinson-hyperlegible-latin-400-normal.ttf").read_bytes()
    out = embed_fonts(parts, "Prueba", {"Regular": data})
    table = etree.fromstring(out["word/fontTable.xml"])
    font = next(f for f in table.iter(w("font")) if f.get(w("name")) == "Prueba")
    embed = font.find(w("embedRegular"))
    assert embed.get(w("fontKey")) == font_key(data)
    assert obfuscate_font(out["word/fonts/font1.odttf"], embed.get(w("fontKey"))) == data
    assert b"obfuscatedFont" in out["[Content_Types].xml"] and b"fonts/font1.odttf" in out["word/_rels/fontTable.xml.rels"]


def test_every_style_used_is_defined():
    styles = etree.fromstring(zipfile.ZipFile(REFERENCE).read("word/styles.xml"))
    ids = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    wanted = {"CommentText", "CommentReference", "CommentSubject", "Footer", layout.TABLE_TEXT_STYLE,
              *layout.BOX_IDS, *(f"BlockText{n}" for n in range(2, layout.QUOTE_LEVELS + 1))}
    assert wanted <= ids
    body = layout.el("body")
    p = layout.el("p")
    ppr = layout.el("pPr")
    ppr.append(layout.el("pStyle", val="EstiloDeOtraPlantilla"))
    p.append(ppr)
    body.append(p)
    used = layout.styles_used(body)
    assert layout.define_missing_styles(styles, used) == ["EstiloDeOtraPlantilla"]
    assert layout.define_missing_styles(styles, used) == []


def _toc_docx(tmp_path: Path) -> bytes:
    """A small DOCX with a contents field, as pandoc writes it with --toc, filled by fill_toc."""
    from docx import Document

    blocks = [A.header(1, "Uno", ident="uno"), A.para("x"), A.header(2, "Uno punto uno", ident="uno-uno")]
    data = subprocess.run([pandoc_path(), "-f", "json", "-t", "docx", "-o", "-", "--toc",
                           f"--reference-doc={REFERENCE}"], input=document(blocks, {}),
                          capture_output=True, check=True).stdout
    doc = Document(io.BytesIO(data))
    entries = [(1, "uno", "Capítulo 1. Uno", "_GB_a"), (2, "uno-uno", "1.1. Uno punto uno", "_GB_b")]
    assert contents.fill_toc(doc, entries, 2, WIDTH, numbered=True) == 2
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_contents_get_page_numbers_in_their_pageref_fields(tmp_path):
    data = _toc_docx(tmp_path)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    refs = contents._pagerefs(root)
    assert [(m, t.text) for m, t in refs] == [("_GB_a", contents.PLACEHOLDER), ("_GB_b", contents.PLACEHOLDER)]
    done = contents.set_toc_pages(data, {"_GB_a": 3, "_GB_b": 4})
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(done)).read("word/document.xml"))
    assert [t.text for _, t in contents._pagerefs(root)] == ["3", "4"]
    assert not [f for f in root.iter(w("fldChar")) if f.get(w("dirty"))]  # Word shows them as they are
    assert {"Capítulo 1. Uno 3", "1.1. Uno punto uno 4"} <= set(contents.toc_texts(root))  # a tab reads as a space
    tabs = root.find(f".//{w('sdt')}").findall(f".//{w('tab')}[@{w('leader')}='dot']")
    assert tabs and tabs[0].get(w("pos")) == str(WIDTH)


def test_page_numbers_are_cached_by_document(tmp_path, monkeypatch):
    data = _toc_docx(tmp_path)
    calls = []

    def layout_run(blob, name):
        calls.append(name)
        return {"_GB_a": 1, "_GB_b": 2}

    monkeypatch.setattr(contents, "laid_out_pages", layout_run)
    from guidebuilder.core.cache import Cache

    cache = Cache(tmp_path / "cache")
    first = contents.with_page_numbers(data, "x.docx", cache)
    again = contents.with_page_numbers(data, "x.docx", cache)
    assert first == again and calls == ["x.docx"]


def test_pages_only_when_asked(monkeypatch):
    monkeypatch.delenv(contents.PAGES_ENV, raising=False)
    assert not contents.wants_pages()
    monkeypatch.setenv(contents.PAGES_ENV, "1")
    assert contents.wants_pages()
    monkeypatch.setenv(contents.PAGES_ENV, "0")
    assert not contents.wants_pages()

