#!/usr/bin/env python3
"""Regenerate assets/reference.docx: pandoc's default reference document with the guide's styles.

    .venv/bin/python scripts/make_reference_docx.py [OUT]

Starts from `pandoc --print-default-data-file reference.docx` (the pandoc shipped by pypandoc) and
adjusts it with python-docx and lxml:

- Normal (and the document defaults) in Atkinson Hyperlegible, 11 pt, Spanish (Mexico), the font's
  four faces embedded (assets/fonts/, latin and latin-ext subsets merged into one file per face;
  obfuscated in word/fonts/ as Word embeds fonts, with w:embedTrueTypeFonts so Word keeps them when
  a reviewer saves): Word has no Atkinson Hyperlegible, and the embedded faces are what both Word and
  LibreOffice show (pandoc carries them, with fontTable.xml and settings.xml, into every DOCX);
- the page: letter, 2.54 cm margins, a footer "Página N de M" (PAGE and NUMPAGES fields) on every page
  (render/docx/layout.page_setup sets A4 for a guide whose PDF is A4);
- Title, Subtitle, Heading 1–4 with explicit fonts, sizes and colours (no theme fonts);
- Heading 1–4 linked to a multilevel list (Capítulo 1. / 1.1. / 1.1.1. / 1.1.1.1.) through the styles'
  numPr and the levels' pStyle, so Word's navigation pane and table of contents show the numbers.
  `render/docx/document.py` gives each chapter a list instance starting at its number as the PDF
  numbers it, switches numbering off for headings marked `unnumbered` and gives appendices their
  own list (Anexo A., A.1., …);
- captions (Caption, Table Caption, Image Caption) smaller, italic, kept with their table/figure;
- the table style "Table" with borders on every cell and a shaded, bold, repeated header row, and the
  paragraph style "Table Text" (10 pt) its cells' text takes;
- one paragraph style per box class ("Recuadro nota", …: a coloured bar and shading), "Block Text 2"
  to "Block Text 4" for nested quotes, the comment styles (CommentText, CommentReference,
  CommentSubject) python-docx and Word use, and the footer's style.

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
from guidebuilder.render.docx.fonts import FACES, embed_fonts  # noqa: E402
from guidebuilder.render.docx.layout import (BOX_BAR, BOX_INDENT, BOX_STYLES, CELL_PAD, HEADER_FOOTER, MARGIN,  # noqa: E402
                                             PAGE_SIZES, QUOTE_LEVELS, QUOTE_STEP, TABLE_PT, TABLE_TEXT_STYLE)
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


def footnote_reference(doc) -> None:
    """Note numbers set at 14 pt before the superscript shrinks them (LibreOffice to 58 %: 8.1 pt, Word to
    about two thirds): at the body's 11 pt they would shrink to 6.4 pt, under the 8 pt the layout check
    asks of every text. (LibreOffice makes a note's number superscript whatever the style says.)"""
    rpr = rpr_of(by_id(doc, "FootnoteReference"))
    rpr.append(el("w:sz", val="28"))
    rpr.append(el("w:szCs", val="28"))
    vert = rpr.find(qn("w:vertAlign"))
    if vert is not None:  # schema order: sizes before vertAlign
        rpr.remove(vert)
        rpr.append(vert)


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
    for side in ("left", "right"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), str(CELL_PAD))
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


def paragraph_style(doc, name: str, style_id: str, based_on: str, size: float | None = None):
    """A new paragraph style with Word's style id (python-docx would derive another from the name)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = by_id(doc, based_on)
    if size:
        style.font.size = Pt(size)
    return style


def character_style(doc, name: str, style_id: str, size: float | None = None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = by_id(doc, "DefaultParagraphFont")
    if size:
        style.font.size = Pt(size)
    return style


def builtin(style) -> None:
    """Mark a style as Word's own (annotation text, footer …), not a look-alike of the user's."""
    style.element.attrib.pop(qn("w:customStyle"), None)
    style.element.append(el("w:uiPriority", val="99"))
    style.element.append(el("w:unhideWhenUsed"))


def document_styles(doc) -> None:
    """Table text, boxes, nested quotes, comments and the footer: every style the finished DOCX names."""
    table_text = paragraph_style(doc, "Table Text", TABLE_TEXT_STYLE, "Normal", TABLE_PT)
    table_text.paragraph_format.space_before = Pt(0)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    for kind, (style_id, name, (line, colour), fill) in BOX_STYLES.items():
        box = paragraph_style(doc, name, style_id, "BodyText")
        box.paragraph_format.left_indent = Pt(BOX_INDENT / 20)
        box.paragraph_format.right_indent = Pt(BOX_INDENT / 20)
        ppr = box.element.get_or_add_pPr()
        border = el("w:pBdr")
        border.append(el("w:left", val=line, sz=str(BOX_BAR[0]), space=str(BOX_BAR[1]), color=colour))
        replace_child(ppr, border, ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"))
        replace_child(ppr, el("w:shd", val="clear", color="auto", fill=fill),
                      ("w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"))
    for level in range(2, QUOTE_LEVELS + 1):
        quote = paragraph_style(doc, f"Block Text {level}", f"BlockText{level}", "BlockText")
        quote.paragraph_format.left_indent = Pt(QUOTE_STEP * level / 20)
    comment = paragraph_style(doc, "annotation text", "CommentText", "Normal", 10)
    builtin(comment)
    subject = paragraph_style(doc, "annotation subject", "CommentSubject", "CommentText")
    subject.font.bold = True
    builtin(subject)
    builtin(character_style(doc, "annotation reference", "CommentReference", 8))
    footer = paragraph_style(doc, "footer", "Footer", "Normal", 9)
    footer.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    footer.paragraph_format.alignment = 1  # centred
    builtin(footer)


def field(paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES) at the end of a paragraph."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            text = el("w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "result":
            run.text = shown
        else:
            run._r.append(el("w:fldChar", fldCharType=kind))


def page(doc) -> None:
    """Letter paper, 2.54 cm margins, and "Página N de M" in the footer of every page."""
    from docx.shared import Twips

    doc.element.body.get_or_add_sectPr()
    section = doc.sections[-1]
    section.page_width, section.page_height = (Twips(v) for v in PAGE_SIZES["letter"])
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Twips(MARGIN))
    section.header_distance = section.footer_distance = Twips(HEADER_FOOTER)
    footer = section.footer
    footer.is_linked_to_previous = False
    line = footer.paragraphs[0]
    line.style = by_id(doc, "Footer")
    line.add_run("Página ")
    field(line, "PAGE", "1")
    line.add_run(" de ")
    field(line, "NUMPAGES", "1")


def font_faces() -> dict[str, bytes]:
    """Each face of the font, its subsets (latin, latin-ext) merged into one TrueType file."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    folder = ROOT / "assets" / "fonts" / "atkinson-hyperlegible"
    files = {"Regular": "400-normal", "Bold": "700-normal", "Italic": "400-italic", "BoldItalic": "700-italic"}
    out = {}
    for face in FACES:
        sources = [str(folder / f"atkinson-hyperlegible-{subset}-{files[face]}.ttf") for subset in ("latin", "latin-ext")]
        merged = Merger().merge(sources)
        first = TTFont(sources[0])["head"]
        merged["head"].created, merged["head"].modified = first.created, first.modified  # not the time of the merge
        merged.recalcTimestamp = False  # the same file on every run
        buf = io.BytesIO()
        merged.save(buf)
        out[face] = buf.getvalue()
    return out


def numbering(doc) -> None:
    """Two multilevel lists bound to Heading 1–4: the chapters (1., 1.1.) and the appendices (Anexo A.)."""
    part = doc.part.numbering_part
    root = part.element
    for abstract_id, num_id, first in ((HEADING_ABSTRACT_NUM, HEADING_NUM, ("decimal", "Capítulo %1.")),
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
    footnote_reference(doc)
    table_style(doc)
    extra_styles(doc)
    document_styles(doc)
    numbering(doc)
    page(doc)
    core = doc.core_properties
    core.title, core.author, core.comments = "Guía de Transparencia Proactiva: documento de referencia", "", ""
    buf = io.BytesIO()
    doc.save(buf)
    saved = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {name: saved.read(name) for name in saved.namelist()}
    data = normalise_zip(buf.getvalue(), embed_fonts(parts, FONT, font_faces()))
    # python-docx stamps nothing else; check the zip is readable before replacing the committed file
    zipfile.ZipFile(io.BytesIO(data)).testzip()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes")


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "assets" / "reference.docx")
