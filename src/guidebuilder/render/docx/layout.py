"""The DOCX laid out for print: page size, tables sized from their content, boxes and nested quotes.

pandoc leaves these to Word's defaults: every table column the same width (names broken letter by
letter), rows split across pages, `::: {.nota}` boxes and nested quotes flattened into body text.
These functions work on the document's WordprocessingML with lxml (python-docx's elements are lxml
elements). Lengths are in twips (1/20 pt). The styles they name are made by
scripts/make_reference_docx.py (assets/reference.docx), from the constants here.
"""

from __future__ import annotations

import math
import re

from guidebuilder.render.docx.ooxml import el, paragraph_text, set_child, w

PAGE_SIZES = {"letter": (12240, 15840), "a4": (11906, 16838)}
MARGIN = 1440  # 2.54 cm on every side
HEADER_FOOTER = 708  # from the page edge

# tables: 10 pt text in the style "Table Text", cells padded this much left and right
TABLE_TEXT_STYLE = "TableText"
TABLE_PT = 10
CELL_PAD = 80
TABLE_LINE = 1.25  # line height of table text, in font sizes
WORD_SHARE = 0.4  # a word wider than this share of the table cannot be kept whole: it is not the minimum
TEXT_SAFETY = 1.06  # Word and LibreOffice set text a little wider than the font's advances add up to
MIN_COLUMN = 400  # no column narrower (≈ 7 mm)
SPLIT_ROWS_FROM = 0.5  # a row estimated taller than half the text height may split across pages
WRITING_ROW = 567  # an empty row, left for writing by hand: at least 1 cm high
AFTER_TABLE = 160  # room between a table and the text under it (8 pt, as between paragraphs)

BODY_STYLES = {None, "BodyText", "FirstParagraph", "Compact", "Normal"}

# the box classes of docs/content-model.md: paragraph style id, name, bar (style, colour), shading
BOX_STYLES = {
    "nota": ("RecuadroNota", "Recuadro nota", ("single", "1F5F8B"), "F2F6F9"),
    "importante": ("RecuadroImportante", "Recuadro importante", ("single", "A3410F"), "FBF1EA"),
    "ejemplo": ("RecuadroEjemplo", "Recuadro ejemplo", ("single", "1F5F8B"), "F2F6F9"),
    "lista-verificacion": ("RecuadroListaVerificacion", "Recuadro lista de verificación", ("single", "1F5F8B"),
                           "F2F6F9"),
    "ficha": ("RecuadroFicha", "Recuadro ficha", ("single", "1F5F8B"), "F2F6F9"),
    "resumen": ("RecuadroResumen", "Recuadro resumen", ("single", "1F5F8B"), "F2F6F9"),
    "aviso-ilustrativo": ("RecuadroAvisoIlustrativo", "Recuadro aviso ilustrativo", ("dashed", "B5651D"),
                          "FFF6EC"),
}
BOX_IDS = {style_id for style_id, *_ in BOX_STYLES.values()}
BOX_INDENT = 284  # a box's text stands 0.5 cm in from each margin; its bar 8 pt left of the text
BOX_BAR = (24, 8)  # bar width in eighths of a point, space to the text in points
BOX_MARK = "gb-box-"  # the id given to a Div around each box, written by pandoc as a bookmark
QUOTE_MARK = "gb-quote-"  # the same around each block quote
QUOTE_STYLE = "BlockText"  # pandoc's style for quoted paragraphs
QUOTE_STEP = 480  # each level of quoting indents this much more
QUOTE_LEVELS = 4  # Block Text, Block Text 2 … Block Text 4
BOX_GAP = 120  # room above a box; two boxes in a row get a thin empty paragraph between them

# a number and its unit, "n =" and its number, "paso", "tabla"… and theirs: kept on one line
UNIT_GAP = re.compile(r"(?<=\d) (?=(?:%|pt|km|m|kg|MXN|mm|cm|años|personas|hogares|municipios)(?!\w))")
COUNT_GAP = re.compile(r"(?<=\bn) (?==)|(?<=\bn =) (?=\d)|(?<=\bn=) (?=\d)")
LABEL_GAP = re.compile(r"\b((?i:paso|capítulo|tabla|figura|anexo)) (?=\d|[A-ZÁÉÍÓÚÑ](?!\w))")

# children of w:pPr / w:tblPr / w:trPr / w:tcPr / w:sectPr in schema order (Word refuses others)
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")
TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
               "tblCaption", "tblDescription")
TRPR_ORDER = ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
              "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark")
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")


# ---------------------------------------------------------------- the page

def page_setup(body, size: str) -> int:
    """Every section on `size` paper (letter or a4) with 2.54 cm margins; returns the text width."""
    width, height = PAGE_SIZES[size]
    for sect in body.iter(w("sectPr")):
        set_child(sect, el("pgSz", w=str(width), h=str(height)), SECTPR_ORDER)
        set_child(sect, el("pgMar", top=str(MARGIN), right=str(MARGIN), bottom=str(MARGIN), left=str(MARGIN),
                           header=str(HEADER_FOOTER), footer=str(HEADER_FOOTER), gutter="0"), SECTPR_ORDER)
    return width - 2 * MARGIN


def page_height(size: str) -> int:
    return PAGE_SIZES[size][1] - 2 * MARGIN


# ---------------------------------------------------------------- tables

def _cells(row) -> list[tuple[int, int, object]]:
    """(first grid column, columns spanned, w:tc) for each cell of a row."""
    out, col = [], 0
    for tc in row.iterchildren(w("tc")):
        span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
        n = int(span.get(w("val"), "1")) if span is not None else 1
        out.append((col, n, tc))
        col += n
    return out


def _texts(tc) -> list[str]:
    return [paragraph_text(p) for p in tc.iter(w("p"))]


def column_widths(rows: list[list[list[str]]], header_rows: int, width: int, measure, wants: float = 0.0) -> list[int]:
    """Column widths (twips, summing to `width`) from the cells' texts, as a browser sizes an auto table:
    each column at least its longest word (so that no word breaks), the room left shared in proportion
    to how much more each column's text needs to sit on one line.

    rows: per row, per grid column, the texts of its paragraphs ([] for a column a cell spans);
    measure(text, bold) gives a text's width in twips; wants: the width every column would like at least
    (a form's columns are written in by hand, so each wants an equal share, however short its text)."""
    count = max((len(r) for r in rows), default=0)
    least, most = [MIN_COLUMN] * count, [MIN_COLUMN] * count
    cap = WORD_SHARE * width
    for i, row in enumerate(rows):
        bold = i < header_rows
        for c, texts in enumerate(row):
            for text in texts:
                words = [x for x in re.split(r"[ \t\n]+|(?<=-)", text) if x]  # not at a no-break space
                longest = max((measure(x, bold) for x in words), default=0.0)
                least[c] = max(least[c], min(cap, longest * TEXT_SAFETY + 2 * CELL_PAD + 40))
                most[c] = max(most[c], measure(text, bold) * TEXT_SAFETY + 2 * CELL_PAD + 40)
    most = [max(m, n, wants) for m, n in zip(most, least)]
    if sum(most) <= width:
        share = [m / sum(most) * width for m in most] if count else []
    elif sum(least) >= width:
        share = [n / sum(least) * width for n in least]
    else:
        room, wants = width - sum(least), sum(m - n for m, n in zip(most, least))
        share = [n + (m - n) * room / wants for m, n in zip(most, least)]
    out = [int(s) for s in share]
    if out:
        out[out.index(max(out))] += width - sum(out)  # rounding: the widest column takes the rest
    return out


def _row_height(texts_by_col: list[list[str]], widths: list[int], measure) -> float:
    """An estimate of a row's height in twips: the tallest cell, its text wrapped at its column's width."""
    line = TABLE_PT * TABLE_LINE * 20
    tallest = 0.0
    for texts, col in zip(texts_by_col, widths):
        room = max(1.0, col - 2 * CELL_PAD)
        lines = sum(max(1, math.ceil(measure(t, False) * TEXT_SAFETY / room)) for t in texts) if texts else 1
        tallest = max(tallest, lines * line + 80)
    return tallest


def fit_tables(body, width: int, text_height: int, measure) -> int:
    """Every table of the body (not those inside another): widths from content, fixed layout, its
    text in the style Table Text, header rows repeated, rows kept on one page (unless taller than
    half a page), empty rows high enough to write in. Returns how many tables."""
    count = 0
    for tbl in list(body.iter(w("tbl"))):
        if any(a.tag == w("tc") for a in tbl.iterancestors()):
            continue
        count += 1
        _fit_table(tbl, width, text_height, measure)
    return count


def _fit_table(tbl, width: int, text_height: int, measure) -> None:
    rows = list(tbl.iterchildren(w("tr")))
    grid = tbl.find(w("tblGrid"))
    columns = len(grid.findall(w("gridCol"))) if grid is not None else 0
    columns = max([columns] + [sum(n for _, n, _ in _cells(r)) for r in rows])
    header_rows = 0
    for row in rows:
        if row.find(f"{w('trPr')}/{w('tblHeader')}") is None:
            break
        header_rows += 1
    table: list[list[list[str]]] = []
    for row in rows:
        cells = [[] for _ in range(columns)]
        for col, span, tc in _cells(row):
            if span == 1:
                cells[col] = _texts(tc)
        table.append(cells)
    form = any(not any(t.strip() for cell in cells for t in cell) for cells in table[header_rows:])
    widths = column_widths(table, header_rows, width, measure, width / columns if form and columns else 0.0)
    tbl_pr = tbl.find(w("tblPr"))
    set_child(tbl_pr, el("tblW", type="dxa", w=str(width)), TBLPR_ORDER)
    set_child(tbl_pr, el("tblLayout", type="fixed"), TBLPR_ORDER)
    if grid is None:
        grid = el("tblGrid")
        tbl_pr.addnext(grid)
    for old in list(grid):
        grid.remove(old)
    for value in widths:
        grid.append(el("gridCol", w=str(value)))
    for row, texts in zip(rows, table):
        _fit_row(row, texts, widths, text_height, measure)
    after = tbl.getnext()
    while after is not None and after.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        after = after.getnext()
    if after is not None and after.tag == w("p") and _style(after) in BODY_STYLES | set(BOX_IDS):
        space_before(after, AFTER_TABLE)  # Word and LibreOffice leave no room under a table


def space_before(p, twips: int) -> None:
    """At least this much room above a paragraph (its other spacing as it was)."""
    ppr = _ppr(p)
    spacing = ppr.find(w("spacing"))
    if spacing is None:
        spacing = el("spacing")
        set_child(ppr, spacing, PPR_ORDER)
    if int(spacing.get(w("before"), "0") or 0) < twips:
        spacing.set(w("before"), str(twips))


def _fit_row(row, texts: list[list[str]], widths: list[int], text_height: int, measure) -> None:
    tr_pr = row.find(w("trPr"))
    if tr_pr is None:
        tr_pr = el("trPr")
        row.insert(1 if row.find(w("tblPrEx")) is not None else 0, tr_pr)
    if _row_height(texts, widths, measure) < SPLIT_ROWS_FROM * text_height:
        set_child(tr_pr, el("cantSplit"), TRPR_ORDER)
    if not any(t.strip() for cell in texts for t in cell):
        set_child(tr_pr, el("trHeight", val=str(WRITING_ROW), hRule="atLeast"), TRPR_ORDER)
    for col, span, tc in _cells(row):
        tc_pr = tc.find(w("tcPr"))
        if tc_pr is None:
            tc_pr = el("tcPr")
            tc.insert(0, tc_pr)
        set_child(tc_pr, el("tcW", type="dxa", w=str(sum(widths[col:col + span]))), TCPR_ORDER)
        for p in tc.iterchildren(w("p")):
            style = p.find(f"{w('pPr')}/{w('pStyle')}")
            if style is None or style.get(w("val")) in BODY_STYLES:
                set_child(_ppr(p), el("pStyle", val=TABLE_TEXT_STYLE), PPR_ORDER)


def _ppr(p):
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    return ppr


# ---------------------------------------------------------------- boxes and block quotes

def list_indents(numbering) -> dict[tuple[str, str], tuple[int, int]]:
    """(numId, ilvl) → (left, hanging) indents of the lists in numbering.xml."""
    if numbering is None:
        return {}
    abstract = {}
    for a in numbering.iter(w("abstractNum")):
        levels = {}
        for lvl in a.iter(w("lvl")):
            ind = lvl.find(f"{w('pPr')}/{w('ind')}")
            if ind is not None:
                levels[lvl.get(w("ilvl"))] = (int(ind.get(w("left"), ind.get(w("start"), "0")) or 0),
                                              int(ind.get(w("hanging"), "0") or 0))
        abstract[a.get(w("abstractNumId"))] = levels
    out = {}
    for num in numbering.iter(w("num")):
        ref = num.find(w("abstractNumId"))
        for ilvl, ind in abstract.get(ref.get(w("val")) if ref is not None else "", {}).items():
            out[(num.get(w("numId")), ilvl)] = ind
    return out


def _list_indent(p, indents) -> tuple[int, int] | None:
    num = p.find(f"{w('pPr')}/{w('numPr')}")
    if num is None:
        return None
    num_id, ilvl = num.find(w("numId")), num.find(w("ilvl"))
    key = (num_id.get(w("val")) if num_id is not None else "", ilvl.get(w("val")) if ilvl is not None else "0")
    return indents.get(key, (720 * (int(key[1] or 0) + 1), 360))


def box_border(kind: str):
    """The bar and shading of a box class, as w:pBdr and w:shd elements."""
    _, _, (line, colour), fill = BOX_STYLES[kind]
    border = el("pBdr")
    border.append(el("left", val=line, sz=str(BOX_BAR[0]), space=str(BOX_BAR[1]), color=colour))
    return border, el("shd", val="clear", color="auto", fill=fill)


def _style(p) -> str | None:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else None


def _box_paragraph(p, kind: str, indents) -> None:
    """A paragraph inside a box: body text takes the box's style; a list item keeps its own and gets the
    box's bar and shading, indented so that its bullet stands where the box's text starts."""
    ppr = _ppr(p)
    ind = _list_indent(p, indents)
    if ind is None and _style(p) in BODY_STYLES:
        set_child(ppr, el("pStyle", val=BOX_STYLES[kind][0]), PPR_ORDER)
        return
    border, shading = box_border(kind)
    set_child(ppr, border, PPR_ORDER)
    set_child(ppr, shading, PPR_ORDER)
    if ind is not None:
        left, hanging = ind
        set_child(ppr, el("ind", left=str(left + BOX_INDENT - hanging), hanging=str(hanging),
                          right=str(BOX_INDENT)), PPR_ORDER)


def _quote_paragraph(p, depth: int, indents) -> None:
    """A paragraph inside `depth` block quotes: quoted text takes Block Text N; a list is indented as much."""
    ind = _list_indent(p, indents)
    if ind is not None:
        left, hanging = ind
        set_child(_ppr(p), el("ind", left=str(left + QUOTE_STEP * depth), hanging=str(hanging)), PPR_ORDER)
    elif _style(p) == QUOTE_STYLE and depth > 1:
        set_child(_ppr(p), el("pStyle", val=f"{QUOTE_STYLE}{min(depth, QUOTE_LEVELS)}"), PPR_ORDER)


def boxes_and_quotes(body, numbering) -> tuple[int, int]:
    """Style the paragraphs between the bookmarks docx_blocks put around boxes and block quotes (then
    drop those bookmarks, which nothing else needs). Returns (boxes, quotes) found."""
    marks = {b.get(w("id")): b.get(w("name"), "") for b in body.iter(w("bookmarkStart"))
             if b.get(w("name"), "").startswith((BOX_MARK, QUOTE_MARK))}
    if not marks:
        return 0, 0
    indents = list_indents(numbering)
    open_boxes: list[tuple[str, str]] = []
    quotes: list[str] = []
    boxed: set = set()  # the paragraphs given a box's look
    first = False  # the next paragraph opens a box
    for node in list(body.iter(w("bookmarkStart"), w("bookmarkEnd"), w("p"))):
        if node.tag == w("p"):
            if open_boxes:
                _box_paragraph(node, open_boxes[-1][1], indents)
                _open_box(node, first, boxed)
                boxed.add(node)
                first = False
            elif quotes:
                _quote_paragraph(node, len(quotes), indents)
            continue
        name = marks.get(node.get(w("id")))
        if name is None:
            continue
        if node.tag == w("bookmarkStart") and name.startswith(BOX_MARK):
            open_boxes.append((node.get(w("id")), box_kind(name)))
            first = True
        elif node.tag == w("bookmarkStart"):
            quotes.append(node.get(w("id")))
        else:
            open_boxes = [b for b in open_boxes if b[0] != node.get(w("id"))]
            quotes = [q for q in quotes if q != node.get(w("id"))]
        node.getparent().remove(node)
    names = list(marks.values())
    return sum(n.startswith(BOX_MARK) for n in names), sum(n.startswith(QUOTE_MARK) for n in names)


def _open_box(p, first: bool, boxed: set) -> None:
    """Room above a box's first paragraph; and when the paragraph before it belongs to another box, a
    thin empty paragraph between the two (Word and LibreOffice would draw them as one box)."""
    if not first:
        return
    space_before(p, BOX_GAP)
    before = p.getprevious()
    while before is not None and before.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        before = before.getprevious()
    if before is not None and before in boxed:
        gap = el("p")
        ppr = el("pPr")
        ppr.append(el("spacing", before="0", after="0", line=str(BOX_GAP), lineRule="exact"))
        gap.append(ppr)
        p.addprevious(gap)


def box_kind(mark: str) -> str:
    """The box class named in a box's bookmark (gb-box-<class>-<n>)."""
    return mark[len(BOX_MARK):].rsplit("-", 1)[0]


def keep_together(root, headings: frozenset[str] = frozenset()) -> int:
    """No-break spaces where a line must not part a number from its unit ("39.3 %", "18 años"), "n =" from
    its number or "Paso", "Tabla"… from theirs (as the PDF does); not in paragraphs of the `headings`
    styles, whose text stays the chapter's title. Returns how many text runs changed."""
    changed = 0
    for t in root.iter(w("t")):
        text = t.text
        if not text or " " not in text:
            continue
        p = next(t.iterancestors(w("p")), None)
        if headings and p is not None and _style(p) in headings:
            continue
        new = LABEL_GAP.sub("\\1\u00a0", COUNT_GAP.sub("\u00a0", UNIT_GAP.sub("\u00a0", text)))
        if new != text:
            t.text = new
            changed += 1
    return changed


def styles_used(*roots) -> dict[str, str]:
    """Style id → type (paragraph, character, table) of every style the given parts refer to."""
    kinds = {"pStyle": "paragraph", "rStyle": "character", "tblStyle": "table"}
    out: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for tag, kind in kinds.items():
            for node in root.iter(w(tag)):
                out.setdefault(node.get(w("val"), ""), kind)
    out.pop("", None)
    return out


def define_missing_styles(styles_root, used: dict[str, str]) -> list[str]:
    """Add a plain style for every style id used but not defined (a guide's own reference.docx may lack
    the ones guidebuilder uses), so that Word and LibreOffice never meet an unknown style. Returns them."""
    defined = {s.get(w("styleId")) for s in styles_root.iter(w("style"))}
    added = []
    for sid, kind in sorted(used.items()):
        if sid in defined:
            continue
        style = el("style", type=kind, styleId=sid)
        style.append(el("name", val=sid))
        base = {"paragraph": "Normal", "character": "DefaultParagraphFont", "table": "TableNormal"}[kind]
        if base in defined:
            style.append(el("basedOn", val=base))
        styles_root.append(style)
        added.append(sid)
    return added

