#!/usr/bin/env python3
"""Regenerate assets/reference.docx: pandoc's default reference document with the guide's styles.

    .venv/bin/python scripts/make_reference_docx.py [OUT]

Starts from `pandoc --print-default-data-file reference.docx` (the pandoc shipped by pypandoc) and
adjusts it with python-docx and lxml:

- Normal (and the document defaults) in Atkinson Hyperlegible, 11 pt, Spanish (Mexico); Word and
  LibreOffice fall back to another sans serif where the font is not installed;
- Title, Subtitle, Heading 1–4 with explicit fonts, sizes and colours (no theme fonts);
- Heading 1–4 linked to a multilevel list (1. / 1.1. / 1.1.1. / 1.1.1.1.) through the styles'
  numPr and the levels' pStyle, so Word's navigation pane and table of contents show the numbers.
  `renderers/docx.py` switches numbering off for headings marked `unnumbered` and gives appendices
  their own list (Anexo A, A.1, …);
- captions (Caption, Table Caption, Image Caption) smaller, italic, kept with their table/figure;
- the table style "Table" with borders on every cell and a shaded, bold, repeated header row.

The output is deterministic (fixed zip timestamps), so re-running it changes nothing.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidebuilder.render.docx.document import (HEADING_ABSTRACT_NUM, HEADING_NUM, APPENDIX_ABSTRACT_NUM, APPENDIX_NUM, normalise_zip)  # noqa: E402
from guidebuilder.pandoc.tools import pandoc_path  # noqa: E402

FONT = "Atkinson Hyperlegible"
INK = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = "808080"
HEADER_FILL = "DCE6F0"
HEADINGS = {1: (20, True), 2: (16, True), 3: (13, True), 4: (12, True)}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def el(tag: str, **attrs: str) -> etree._Element:
    return OxmlElement(tag, {qn(f"w:{key}"): value for key, value in attrs.items()})


def set_fonts(rpr: etree._Element) -> None:
    """Explicit font names on every script; theme font references removed (they win otherwise)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), FONT)


def by_id(doc, style_id: str):
    """A style by its id (names vary in case between pandoc's reference document and Word)."""
    return next(s for s in doc.styles if s.style_id == style_id)


def rpr_of(style) -> etree._Element:
    return style.element.get_or_add_rPr()


def replace_child(parent: etree._Element, child: etree._Element, successors: tuple[str, ...] = ()) -> None:
    """Put child in parent, replacing one of the same tag, before the first of successors present."""
    old = parent.find(child.tag)
    if old is not None:
        parent.replace(old, child)
        return
    for tag in successors:
        nxt = parent.find(qn(tag))
        if nxt is not None:
            nxt.addprevious(child)
            return
    parent.append(child)


def defaults(doc) -> None:
    styles = doc.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr)
    rpr.find(qn("w:sz")).set(qn("w:val"), "22")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "22")
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "es-MX")
    lang.set(qn("w:bidi"), "ar-SA")
    normal = by_id(doc, "Normal")
    normal.font.name = FONT
    set_fonts(rpr_of(normal))
    normal.font.size = Pt(11)
    normal.font.color.rgb = INK
    body = by_id(doc, "BodyText")
    body.paragraph_format.space_before = Pt(0)
    body.paragraph_format.space_after = Pt(8)
    body.paragraph_format.line_spacing = 1.15


def titles(doc) -> None:
    for name, size in (("Title", 28), ("Subtitle", 16)):
        style = by_id(doc, name)
        set_fonts(rpr_of(style))
        style.font.size = Pt(size)
        style.font.bold = name == "Title"
        style.font.color.rgb = ACCENT
        _drop_theme_colour(style)


def _drop_theme_colour(style) -> None:
    colour = rpr_of(style).find(qn("w:color"))
    if colour is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def headings(doc) -> None:
    for level, (size, bold) in HEADINGS.items():
        style = by_id(doc, f"Heading{level}")
        set_fonts(rpr_of(style))
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = ACCENT if level < 4 else INK
        _drop_theme_colour(style)
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.space_before = Pt({1: 0, 2: 18, 3: 14, 4: 12}[level])
        fmt.space_after = Pt(6)
        if level == 1:
            fmt.page_break_before = True
        ppr = style.element.get_or_add_pPr()
        numpr = el("w:numPr")
        if level > 1:
            numpr.append(el("w:ilvl", val=str(level - 1)))
        numpr.append(el("w:numId", val=str(HEADING_NUM)))
        replace_child(ppr, numpr, ("w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:spacing",
                                   "w:ind", "w:jc", "w:outlineLvl"))


def captions(doc) -> None:
    for name in ("Caption", "TableCaption", "ImageCaption"):
        style = by_id(doc, name)
        style.font.size = Pt(10)
        style.font.italic = True
        style.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
        style.paragraph_format.space_before = Pt(4)
        style.paragraph_format.space_after = Pt(8)
    by_id(doc, "TableCaption").paragraph_format.keep_with_next = True  # the caption sits above its table


def extra_styles(doc) -> None:
    """Styles pandoc's reference lacks: table of contents levels, and the review page's title."""
    for level in (1, 2, 3):
        style = doc.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), f"TOC{level}")
        style.element.attrib.pop(qn("w:customStyle"), None)  # Word's own "toc N" styles, not look-alikes
        style.element.append(el("w:uiPriority", val="39"))
        style.element.append(el("w:unhideWhenUsed"))
        style.base_style = by_id(doc, "Normal")
        style.paragraph_format.left_indent = Pt(14 * (level - 1))
        style.paragraph_format.space_after = Pt(4)
        style.font.bold = level == 1
    # the contents' own title is based on Heading 1: keep it out of the chapter numbering
    toc_heading = by_id(doc, "TOCHeading").element.get_or_add_pPr()
    numpr = el("w:numPr")
    numpr.append(el("w:ilvl", val="0"))
    numpr.append(el("w:numId", val="0"))
    replace_child(toc_heading, numpr, ("w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:spacing",
                                       "w:ind", "w:jc", "w:outlineLvl"))
    review = doc.styles.add_style("Review Title", WD_STYLE_TYPE.PARAGRAPH)
    review.element.set(qn("w:styleId"), "ReviewTitle")
    review.base_style = by_id(doc, "Normal")
    set_fonts(rpr_of(review))
    review.font.size = Pt(20)
    review.font.bold = True
    review.font.color.rgb = ACCENT
    review.paragraph_format.space_after = Pt(12)
    review.paragraph_format.keep_with_next = True


def table_style(doc) -> None:
    style = by_id(doc, "Table")
    tbl_pr = style.element.find(qn("w:tblPr"))
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(el(f"w:{side}", val="single", sz="4", space="0", color=GREY))
    replace_child(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    margins = tbl_pr.find(qn("w:tblCellMar"))
    for side in ("top", "bottom"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), "40")
    for old in style.element.findall(qn("w:tblStylePr")):
        style.element.remove(old)
    first = el("w:tblStylePr", type="firstRow")
    ppr = el("w:pPr")
    ppr.append(el("w:keepNext"))
    first.append(ppr)
    rpr = el("w:rPr")
    rpr.append(el("w:b"))
    rpr.append(el("w:bCs"))
    first.append(rpr)
    trpr = el("w:trPr")
    trpr.append(el("w:tblHeader"))
    first.append(el("w:tblPr"))
    first.append(trpr)
    tcpr = el("w:tcPr")
    tc_borders = el("w:tcBorders")
    tc_borders.append(el("w:bottom", val="single", sz="8", space="0", color="404040"))
    tcpr.append(tc_borders)
    tcpr.append(el("w:shd", val="clear", color="auto", fill=HEADER_FILL))
    tcpr.append(el("w:vAlign", val="bottom"))
    first.append(tcpr)
    style.element.append(first)
    # a table style's paragraphs: a little tighter than body text
    style_ppr = style.element.find(qn("w:pPr"))
    if style_ppr is None:
        style_ppr = el("w:pPr")
        style.element.find(qn("w:tblPr")).addprevious(style_ppr)
    style_ppr.append(el("w:spacing", before="20", after="20"))


def numbering(doc) -> None:
    """Two multilevel lists bound to Heading 1–4: the chapters (1., 1.1.) and the appendices (Anexo A.)."""
    part = doc.part.numbering_part
    root = part.element
    for abstract_id, num_id, first in ((HEADING_ABSTRACT_NUM, HEADING_NUM, ("decimal", "%1.")),
                                       (APPENDIX_ABSTRACT_NUM, APPENDIX_NUM, ("upperLetter", "Anexo %1."))):
        for old in root.findall(qn("w:abstractNum")) + root.findall(qn("w:num")):
            if old.get(qn("w:abstractNumId")) == str(abstract_id) or old.get(qn("w:numId")) == str(num_id):
                root.remove(old)
        abstract = el("w:abstractNum", abstractNumId=str(abstract_id))
        abstract.append(el("w:nsid", val=f"{0x47420000 + abstract_id:08X}"))
        abstract.append(el("w:multiLevelType", val="multilevel"))
        for ilvl in range(9):
            lvl = el("w:lvl", ilvl=str(ilvl))
            lvl.append(el("w:start", val="1"))
            if ilvl == 0:
                fmt, text = first
            elif ilvl < 4:
                fmt = "decimal"
                text = ".".join(f"%{i + 1}" for i in range(ilvl + 1)) + "."
            else:
                fmt, text = "none", ""
            lvl.append(el("w:numFmt", val=fmt))
            if ilvl < 4:
                lvl.append(el("w:pStyle", val=f"Heading{ilvl + 1}"))
            lvl.append(el("w:suff", val="space"))
            lvl.append(el("w:lvlText", val=text))
            lvl.append(el("w:lvlJc", val="left"))
            ppr = el("w:pPr")
            ppr.append(el("w:ind", left="0", hanging="0"))
            lvl.append(ppr)
            abstract.append(lvl)
        # abstractNum elements come before every num element
        nums = root.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            root.append(abstract)
        num = el("w:num", numId=str(num_id))
        num.append(el("w:abstractNumId", val=str(abstract_id)))
        root.append(num)


def make(out: Path) -> None:
    raw = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                         check=True, capture_output=True).stdout
    doc = Document(io.BytesIO(raw))
    defaults(doc)
    titles(doc)
    headings(doc)
    captions(doc)
    table_style(doc)
    extra_styles(doc)
    numbering(doc)
    core = doc.core_properties
    core.title, core.author, core.comments = "Guía de Transparencia Proactiva: documento de referencia", "", ""
    buf = io.BytesIO()
    doc.save(buf)
    data = normalise_zip(buf.getvalue())
    # python-docx stamps nothing else; check the zip is readable before replacing the committed file
    zipfile.ZipFile(io.BytesIO(data)).testzip()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes")


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "reference.docx")
