"""The DOCX editions: pandoc with assets/reference.docx, then finished with python-docx.

- `<slug>.docx`: the edition being built (public by default).
- `<slug>-revision.docx` (when guide.yml has `review:` and `formats.docx.review` is true): the review
  edition, with unverified practices included and marked, a first page on how to review, and a Word
  comment on every item that needs the reviewers' attention.

Both carry custom document properties (guidebuilder-slug, -edition, -date) and a bookmark named by
the id of every heading, so that `guidebuilder feedback import` can trace comments back to the guide.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass

from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import document, meta_string
from guidebuilder.render.docx.contents import fill_toc, wants_pages, with_page_numbers
from guidebuilder.render.docx.layout import (BOX_MARK, BOX_STYLES, QUOTE_MARK, TABLE_PT, boxes_and_quotes,
                                             define_missing_styles, fit_tables, keep_together, page_height, page_setup,
                                             styles_used)
from guidebuilder.render.docx.forms import fill_in_fields
from guidebuilder.render.docx.ooxml import (CUSTOM_NS, PROP_DATE, PROP_EDITION, PROP_SLUG, el, heading_bookmarks,
                                            hidden_bookmark, pandoc_bookmark, paragraph_text, w)
from guidebuilder.model.errors import ToolError
from guidebuilder.model.guide import Guide
from guidebuilder.core.files import normalise_zip, write_bytes
from guidebuilder.core.placeholders import SAMPLE_NOTE
from guidebuilder.pandoc.tools import pandoc_path, run_tool, source_date_epoch_env
from guidebuilder.render.base import RenderContext, RenderResult

# numbering definitions of assets/reference.docx bound to Heading 1–4 (pandoc's own lists use 990+):
# "Capítulo 1." / "1.1." and "Anexo A." / "A.1."; each chapter's headings use a list of their own
# (CHAPTER_NUM + its place) that starts at the chapter's number, so the DOCX numbers chapters as the
# PDF does (render/pdf/book.chapter_label), appendices and chapters after them included
HEADING_ABSTRACT_NUM = HEADING_NUM = 41
APPENDIX_ABSTRACT_NUM = APPENDIX_NUM = 42
CHAPTER_NUM = 500
TOC_DEPTH = 2
REVIEW_AUTHOR = "guidebuilder"
REVIEW_INITIALS = "GB"
REVIEW_BOX_ID = "gb-como-revisar"
# what an editor marks on purpose for the reviewers: TODO in capitals (the Spanish word "todo" is not a
# marker), or a span [texto]{.revisar}; never the ordinary verb "revisar", which the guide uses often
ATTENTION = re.compile(r"\bTODO\b")
REVIEW_CLASS = "revisar"
REVIEW_MARK = "gb-revisar-"  # the bookmark pandoc writes for the span around a {.revisar} span's text
TODO_NOTE = "Nota pendiente del equipo editorial (TODO): revise este punto y deje su comentario."
SPAN_NOTE = "Nota pendiente del equipo editorial: revise el texto señalado y deje su comentario."
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")


def epoch(guide: Guide) -> int:
    return calendar.timegm(guide.config.date.timetuple())


def spanish_date(day: dt.date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


CUSTOM_PROPERTIES = "docProps/custom.xml"


def edition_properties(data: bytes, edition: str) -> bytes:
    """The DOCX's docProps/custom.xml with its guidebuilder-edition property set to edition."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(CUSTOM_PROPERTIES))
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        if prop.get("name") == PROP_EDITION:
            prop[0].text = edition
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="UTF-8")  # as pandoc writes it


# ---------------------------------------------------------------- headings of the guide

@dataclass(frozen=True)
class HeadingInfo:
    """A heading of the guide as it appears in the DOCX, traced to its chapter."""

    id: str
    chapter: str  # chapter id
    file: str  # chapter file, relative to the guide's parent (guide/chapters/x.md)
    level: int
    title: str
    numbered: bool
    appendix: bool


def docx_blocks(guide: Guide) -> tuple[list, dict[str, HeadingInfo]]:
    """All chapters' blocks with an id on every heading, and what each heading id stands for.

    The blocks that hold a heading are deep copies (the Guide is not touched); the others are the
    chapter's own, which nothing downstream changes (pandoc only reads them)."""
    blocks: list = []
    headings: dict[str, HeadingInfo] = {}
    marks, boxes = [0], [0]
    for chapter in guide.chapters:
        count = 0
        source = chapter.blocks
        markdown = getattr(chapter, "markdown", "")
        if REVIEW_CLASS in markdown:
            source = _bookmark_review_spans(list(source), marks)
        if ":::" in markdown or ">" in markdown:
            source = _mark_boxes_and_quotes(list(source), boxes)
        copied = [json.loads(json.dumps(b)) if next(A.headers([b]), None) is not None else b for b in source]
        for node in A.headers(copied):
            level, (ident, classes, kv), content = node["c"]
            if not ident:
                count += 1
                ident = f"gb-{chapter.id}-h{count}"
                node["c"][1] = [ident, classes, kv]
            headings[ident] = HeadingInfo(ident, chapter.id, chapter.file, level, A.stringify(content),
                                          "unnumbered" not in classes, chapter.appendix)
        blocks.extend(copied)
    return blocks, headings


def _bookmark_review_spans(blocks: list, marks: list) -> list:
    """A copy of blocks where the text of each [texto]{.revisar} span sits in a span with the id
    gb-revisar-N, which pandoc writes as a bookmark: mark_for_review finds the marked text by it."""
    def mark(node: dict) -> None:
        if node["t"] == "Span" and REVIEW_CLASS in node["c"][0][1]:
            marks[0] += 1
            node["c"][1] = [A.span(node["c"][1], ident=f"{REVIEW_MARK}{marks[0]}")]

    return A.walk(blocks, mark)


def _mark_boxes_and_quotes(blocks: list, marks: list) -> list:
    """A copy of blocks where each box (a Div of a box class) and each block quote sits in a Div whose id
    (gb-box-<class>-N, gb-quote-N) pandoc writes as a bookmark around it: layout.boxes_and_quotes styles
    what lies between, then drops the bookmark."""
    def mark(node: dict):
        if node["t"] == "Div":
            kind = next((c for c in node["c"][0][1] if c in BOX_STYLES), None)
            if kind is not None:
                marks[0] += 1
                return A.div([node], ident=f"{BOX_MARK}{kind}-{marks[0]}")
        elif node["t"] == "BlockQuote":
            marks[0] += 1
            return A.div([node], ident=f"{QUOTE_MARK}{marks[0]}")
        return None

    return A.walk(blocks, mark)


def guide_headings(guide: Guide) -> dict[str, HeadingInfo]:
    return docx_blocks(guide)[1]


# ---------------------------------------------------------------- pandoc

def pandoc_docx(guide: Guide, blocks: list, ctx: RenderContext, extra_args: tuple = (),
                edition: str | None = None) -> bytes:
    meta = {"title": meta_string(guide.config.title), "lang": meta_string(guide.config.language),
            "author": {"t": "MetaList", "c": [meta_string(guide.config.publisher)]},
            "date": meta_string(spanish_date(guide.config.date)),
            "toc-title": meta_string("Contenido"),
            PROP_SLUG: meta_string(guide.slug), PROP_EDITION: meta_string(edition or guide.edition),
            PROP_DATE: meta_string(guide.config.date.isoformat())}
    if guide.config.subtitle:
        meta["subtitle"] = meta_string(guide.config.subtitle)
    if guide.config.sample:  # a sample build says so on the first page, under the title
        meta["abstract"] = {"t": "MetaBlocks", "c": [A.para(A.strong(SAMPLE_NOTE))]}
        meta["abstract-title"] = meta_string("Aviso")
    args = [pandoc_path(), "-f", "json", "-t", "docx", "-o", "-"]
    reference = guide.asset("reference.docx")
    if reference:
        args.append(f"--reference-doc={reference}")
    generated_dir = ctx.out.parent / ".generated"
    for name, data in guide.generated.items():
        write_bytes(generated_dir / name, data)
    args.append(f"--resource-path={guide.root}:{generated_dir}")
    args.extend(extra_args)
    data = run_tool(args, "pandoc", "writing the DOCX", input=document(blocks, meta),
                    env=source_date_epoch_env(epoch(guide)))
    return normalise_zip(data)


def has_svg(guide: Guide, blocks: list) -> bool:
    found = [False]

    def visit(node: dict) -> None:
        if node.get("t") == "Image" and node["c"][2][0].lower().endswith(".svg"):
            found[0] = True
        return None

    A.visit(blocks, visit)
    return found[0]


# ---------------------------------------------------------------- finishing with python-docx

# children of w:pPr that the schema puts after w:numPr (Word refuses a file with them out of order)
PPR_AFTER_NUMPR = ("suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                   "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                   "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                   "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
                   "rPr", "sectPr", "pPrChange")


def insert_in_order(parent, child, successors: tuple[str, ...]) -> None:
    """Insert child before the first existing element that must follow it, else at the end."""
    later = {w(t) for t in successors}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attrs.items()})


def bookmark_names(headings: dict[str, HeadingInfo]) -> dict[str, HeadingInfo]:
    """The headings by the bookmark name pandoc gives them (a hash for an id Word could not take)."""
    return {pandoc_bookmark(ident): info for ident, info in headings.items()}


def inline_heading_bookmarks(doc, headings: dict[str, HeadingInfo]) -> None:
    """Move each heading's bookmark inside its paragraph, around its text.

    pandoc's bookmark spans the whole section, from before the heading to the section's end;
    LibreOffice loses or moves such bookmarks when it saves. A bookmark inside the heading paragraph
    (where Word puts its own) survives both programs, and links to the heading still work.
    """
    from guidebuilder.render.docx.ooxml import heading_styles, paragraph_level

    levels = heading_styles(doc.styles.element)
    by_mark = bookmark_names(headings)
    body = doc.element.body
    ends = {e.get(w("id")): e for e in body.iter(w("bookmarkEnd"))}
    next_id = max([int(e.get(w("id"))) for e in body.iter(w("bookmarkStart")) if e.get(w("id"), "").isdigit()]
                  or [0]) + 1
    for p in list(body.iter(w("p"))):
        if not paragraph_level(p, levels):
            continue
        prev = p.getprevious()
        starts = []
        while prev is not None and prev.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            if prev.tag == w("bookmarkStart") and prev.get(w("name")) in by_mark:
                starts.append(prev)
            prev = prev.getprevious()
        ppr = p.find(w("pPr"))
        for start in reversed(starts):
            end = ends.get(start.get(w("id")))
            if end is not None:
                end.getparent().remove(end)
            else:
                end = _el("w:bookmarkEnd", id=start.get(w("id")))
            start.getparent().remove(start)
            if ppr is not None:
                ppr.addnext(start)
            else:
                p.insert(0, start)
            p.append(end)
        if starts:
            name = hidden_bookmark(by_mark[starts[0].get(w("name"))].id)
            starts[0].addprevious(_el("w:bookmarkStart", id=str(next_id), name=name))
            p.append(_el("w:bookmarkEnd", id=str(next_id)))
            next_id += 1


def chapter_numbers(guide: Guide) -> dict[str, tuple[bool, int]]:
    """Chapter id → (appendix, its number as the PDF shows it): a chapter is "Capítulo N" by its place in
    the guide, appendices included (render/pdf/book.chapter_label); an appendix is "Anexo A", "B"… by its
    place among the appendices."""
    out, appendices = {}, 0
    for chapter in guide.chapters:
        if chapter.appendix:
            appendices += 1
            out[chapter.id] = (True, appendices)
        else:
            out[chapter.id] = (False, chapter.number)
    return out


def _chapter_list(numbering, num_id: int, appendix: bool, start: int) -> None:
    """A list instance of the chapter (or appendix) numbering that starts at `start`."""
    num = el("num", numId=str(num_id))
    num.append(el("abstractNumId", val=str(APPENDIX_ABSTRACT_NUM if appendix else HEADING_ABSTRACT_NUM)))
    override = el("lvlOverride", ilvl="0")
    override.append(el("startOverride", val=str(start)))
    num.append(override)
    cleanup = numbering.find(w("numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)


def heading_label(appendix: bool, number: int, count: list[int], level: int) -> str:
    """The number a heading shows: "Capítulo 4." / "Anexo A." for a chapter, "4.2." / "A.2." below."""
    first = chr(ord("A") + number - 1) if appendix else str(number)
    if level == 1:
        return f"{'Anexo' if appendix else 'Capítulo'} {first}."
    return ".".join([first] + [str(n) for n in count[1:level]]) + "."


def number_headings(doc, headings: dict[str, HeadingInfo],
                    numbers: dict[str, tuple[bool, int]]) -> list[tuple[int, str, str, str]]:
    """Each chapter's numbered headings on a list of their own, starting at the chapter's number (as the
    PDF numbers it); unnumbered headings with numbering off. Returns the contents' entries: level,
    anchor, text with its number, the heading's hidden bookmark."""
    from guidebuilder.render.docx.ooxml import heading_styles, paragraph_level

    levels = heading_styles(doc.styles.element)
    by_mark = bookmark_names(headings)
    numbering = doc.part.numbering_part.element
    lists: dict[str, int] = {}
    counters: dict[str, list[int]] = {}
    entries: list[tuple[int, str, str, str]] = []
    for p in doc.element.body.iter(w("p")):
        level = paragraph_level(p, levels)
        info = next((by_mark[n] for n in heading_bookmarks(p) if n in by_mark), None) if level else None
        if info is None:
            continue
        label = ""
        if level <= 4:
            appendix, number = numbers.get(info.chapter, (info.appendix, 1))
            if info.numbered and info.chapter not in lists:
                lists[info.chapter] = CHAPTER_NUM + len(lists)
                _chapter_list(numbering, lists[info.chapter], appendix, number)
            ppr = p.find(w("pPr"))
            old = ppr.find(w("numPr"))
            if old is not None:
                ppr.remove(old)
            numpr = _el("w:numPr")
            numpr.append(_el("w:ilvl", val=str(level - 1 if info.numbered else 0)))
            numpr.append(_el("w:numId", val=str(lists[info.chapter] if info.numbered else 0)))
            insert_in_order(ppr, numpr, PPR_AFTER_NUMPR)
            if info.numbered:
                count = counters.setdefault(info.chapter, [0] * 9)
                count[level - 1] += 1
                count[level:] = [0] * (9 - level)
                label = heading_label(appendix, number, count, level)
        if level <= TOC_DEPTH:
            entries.append((level, pandoc_bookmark(info.id), f"{label} {paragraph_text(p)}".strip(),
                            hidden_bookmark(info.id)))
    return entries


def _runs(doc, p) -> list:
    from docx.text.run import Run

    return [Run(r, doc._body) for r in p.iter(w("r")) if r.find(w("t")) is not None]


def _marked_runs(doc, p) -> list:
    """The runs of p's [texto]{.revisar} spans (between their gb-revisar- bookmarks), in order."""
    from docx.text.run import Run

    runs, inside = [], set()
    for node in p.iter(w("bookmarkStart"), w("bookmarkEnd"), w("r")):
        if node.tag == w("bookmarkStart") and node.get(w("name"), "").startswith(REVIEW_MARK):
            inside.add(node.get(w("id")))
        elif node.tag == w("bookmarkEnd"):
            inside.discard(node.get(w("id")))
        elif inside and node.find(w("t")) is not None:
            runs.append(Run(node, doc._body))
    return runs


def add_comment(doc, p, text: str, when: dt.datetime, runs: list | None = None) -> bool:
    runs = runs or _runs(doc, p)
    if not runs:
        return False
    comment = doc.add_comment(runs, text=text, author=REVIEW_AUTHOR, initials=REVIEW_INITIALS)
    comment._comment_elm.date = when
    return True


def practice_comment(p) -> str:
    if p.verification == "no-verificada":
        return (f"Práctica sin fuente verificable ({p.id}): no se publicará mientras no tenga una fuente. "
                "¿Conoce una fuente oficial (dirección web) que confirme lo que aquí se dice? "
                "Indíquela en una respuesta a este comentario.")
    return (f"Práctica con fuente secundaria ({p.id}): ¿puede confirmar institución, lugar, año y "
            "resultados con una fuente oficial? Indíquela en una respuesta a este comentario.")


def mark_for_review(doc, guide: Guide, skip: list, headings: dict[str, HeadingInfo] | None = None) -> int:
    """A Word comment on every item that needs the reviewers' attention; returns how many. Headings are
    found by their ids (`headings` turns pandoc's hashed bookmark names back into ids)."""
    ids = {pandoc_bookmark(i): i for i in headings or {}}
    when = dt.datetime.combine(guide.config.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    skipped = {id(p) for node in skip for p in node.iter(w("p"))}
    paragraphs = [p for p in doc.element.body.iter(w("p")) if id(p) not in skipped]
    by_bookmark: dict[str, object] = {}
    for p in paragraphs:
        for name in heading_bookmarks(p):
            by_bookmark.setdefault(ids.get(name, name), p)
    count = 0
    marked: set[int] = set()
    for practice in guide.data.practices:
        if practice.verification not in ("no-verificada", "parcial"):
            continue
        targets = [p for name, p in by_bookmark.items()
                   if name == f"practica-{practice.id}" or name.endswith(f"-practica-{practice.id}")]
        # and the table layout: the cell holding the practice's title
        targets += [p for p in paragraphs if paragraph_text(p).strip() == practice.title.strip()
                       and p.getparent().tag == w("tc")]
        for p in targets:
            if id(p) not in marked and add_comment(doc, p, practice_comment(practice), when):
                marked.add(id(p))
                count += 1
    for p in paragraphs:
        if id(p) in marked:
            continue
        spans = _marked_runs(doc, p)
        if ATTENTION.search(paragraph_text(p)):
            count += add_comment(doc, p, TODO_NOTE, when)
        elif spans:  # the comment spans just the marked text
            count += add_comment(doc, p, SPAN_NOTE, when, spans)
    return count


def _review_page(body) -> list:
    """The body's elements of the 'how to review' box, from its bookmark's start to its end ([] if none)."""
    start = next((b for b in body.iter(w("bookmarkStart")) if b.get(w("name")) == REVIEW_BOX_ID), None)
    if start is None:
        return []
    mark_id = start.get(w("id"))
    nodes = []
    node = start
    while node is not None:
        nodes.append(node)
        if node.tag == w("bookmarkEnd") and node.get(w("id")) == mark_id:
            break
        node = node.getnext()
    return nodes


def move_review_page_to_front(doc) -> list:
    """The 'how to review' box (made by pandoc from blocks) becomes the document's first page."""
    body = doc.element.body
    moving = _review_page(body)
    if not moving:
        return []
    first = body[0]
    for node in moving:
        first.addprevious(node)
    for node in (moving[0], moving[-1]):  # the box's own bookmark is no use to anyone
        if node.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            body.remove(node)
    return [n for n in moving if n.getparent() is not None]


def remove_review_page(doc) -> None:
    """Take the 'how to review' box out: what is left is the public document."""
    body = doc.element.body
    for node in _review_page(body):
        body.remove(node)


def review_blocks(guide: Guide) -> list:
    """The first page of the review edition, as pandoc blocks (plain text only)."""
    review = guide.config.review
    contact = [review.contact_name, review.contact_email] + ([review.contact_phone] if review.contact_phone else [])
    items = [
        "Comente, no reescriba: seleccione el texto y agregue un comentario (en Word: Revisar → Nuevo "
        "comentario; en LibreOffice: Insertar → Comentario). Si propone otra redacción, escríbala dentro "
        "del comentario en lugar de cambiar el texto.",
        "Una idea por comentario: si tiene dos observaciones sobre el mismo párrafo, deje dos comentarios.",
        "Los comentarios del equipo editorial (autor «guidebuilder») señalan lo que necesita su atención: "
        "prácticas cuya fuente no está verificada y notas pendientes. Respóndalos en el mismo comentario.",
        "Antes de comentar, escriba su nombre y su institución en las opciones de su programa (Word: Archivo → "
        "Opciones → General; LibreOffice: Herramientas → Opciones → Datos de usuario), para que sepamos de "
        "quién es cada comentario.",
        "Guarde el documento en formato Word (.docx), sin cambiarle el formato, y envíelo por correo.",
    ]
    blocks = [
        A.div([A.para("Cómo revisar este documento")], kv=[("custom-style", "Review Title")]),
        A.para(f"Este es el borrador de la {guide.config.title} ({guide.config.edition}, "
               f"{spanish_date(guide.config.date)}). Es la edición de revisión: incluye, marcadas, prácticas "
               "cuya fuente todavía no está verificada, que no se publicarán así."),
        A.bullet_list([[A.plain(text)] for text in items]),
        A.para(A.strong("Fecha límite para enviar sus comentarios:"), {"t": "Space"},
               *A.inlines(spanish_date(review.deadline))),
        A.para(A.strong("Contacto:"), {"t": "Space"}, *A.inlines(", ".join(contact))),
    ]
    if review.instructions:
        blocks.append(A.para(review.instructions))
    blocks.append(A.raw_block("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'))
    return [A.div(blocks, ident=REVIEW_BOX_ID)]


def finish(data: bytes, guide: Guide, headings: dict[str, HeadingInfo], review: bool,
           edition: str | None = None, numbered_toc: bool = False) -> bytes:
    """pandoc's DOCX finished: heading bookmarks and numbers, the page, the contents (with "00" for
    every page number when `numbered_toc`: contents.with_page_numbers sets them), tables sized from
    their content, boxes and quotes; the review edition's page moved to the front and its comments
    added, or (not review) that page taken out; every style used defined; with the edition property
    set to `edition` if given."""
    from docx import Document

    from guidebuilder.render.docx.fonts import table_metrics
    from guidebuilder.render.docx.ooxml import heading_styles

    doc = Document(io.BytesIO(data))
    body = doc.element.body
    inline_heading_bookmarks(doc, headings)
    entries = number_headings(doc, headings, chapter_numbers(guide))
    size = guide.config.formats.pdf.page_size
    width = page_setup(body, size)
    fill_toc(doc, entries, TOC_DEPTH, width, numbered_toc)
    keep_together(body, frozenset(heading_styles(doc.styles.element)))
    fit_tables(body, width, page_height(size), table_metrics(doc, TABLE_PT).measure)
    fill_in_fields(body)  # after fit_tables: the fields' rows keep the widths it set
    boxes_and_quotes(body, doc.part.numbering_part.element)
    if review:
        mark_for_review(doc, guide, move_review_page_to_front(doc), headings)
    else:
        remove_review_page(doc)
    define_missing_styles(doc.styles.element, styles_used(*_xml_parts(doc)))
    out = io.BytesIO()
    doc.save(out)
    saved = out.getvalue()
    return normalise_zip(saved, {CUSTOM_PROPERTIES: edition_properties(saved, edition)} if edition else None)


def _xml_parts(doc) -> list:
    """The root elements of the document's parts that may name styles: body, comments, notes, footers."""
    from lxml import etree

    roots = []
    for part in doc.part.package.iter_parts():
        if not str(part.partname).endswith(".xml") or "/styles" in str(part.partname):
            continue
        element = getattr(part, "element", None)
        if element is None:
            try:
                element = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError:
                continue
        roots.append(element)
    return roots


def _finished(raw: bytes, guide: Guide, headings: dict[str, HeadingInfo], ctx: RenderContext, review: bool,
              name: str, edition: str | None = None) -> bytes:
    """finish, then the contents' page numbers when GUIDEBUILDER_DOCX_PAGES asks for them."""
    numbered = wants_pages()
    data = finish(raw, guide, headings, review, edition, numbered_toc=numbered)
    return with_page_numbers(data, name, ctx.cache) if numbered else data


def build_docx(guide: Guide, ctx: RenderContext, review: bool = False) -> bytes:
    blocks, headings = docx_blocks(guide)
    if review:
        blocks = review_blocks(guide) + blocks
    raw = _pandoc_with_toc(guide, blocks, ctx, edition="review" if review else guide.edition)
    return _finished(raw, guide, headings, ctx, review, f"{guide.slug}{'-revision' if review else ''}.docx")


def build_both(guide: Guide, ctx: RenderContext) -> tuple[bytes, bytes]:
    """The document and its review edition from one pandoc run, when the review edition adds nothing
    to the chapters (no unverified practice or indicator; `Guide.review_adds`): the review edition's
    text without its 'how to review' page is the document. The two are finished side by side when
    there are cores, each scanned for personal data where it was finished (recorded in ctx)."""
    blocks, headings = docx_blocks(guide)
    raw = _pandoc_with_toc(guide, review_blocks(guide) + blocks, ctx, edition="review")
    marker = f'w:name="{REVIEW_BOX_ID}"'.encode()
    if marker not in zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml"):
        # without it, finish could not take the page out, and the public document would carry it
        raise ToolError("pandoc", "writing the DOCX", f"the review page has no bookmark '{REVIEW_BOX_ID}'",
                        "report this: the installed pandoc writes a Div's id differently")
    names = (f"{guide.slug}.docx", f"{guide.slug}-revision.docx")
    public: list = []

    def finish_public() -> None:  # here, while the review edition is finished beside it
        data = _finished(raw, guide, headings, ctx, False, names[0], edition=guide.edition)
        public.append((data, _findings(data, names[0])))

    if ctx.parallel.cores > 1:
        import docx  # noqa: F401  (imported once here, before the fork, not in both processes)
    [(review, review_findings)] = ctx.parallel.run(
        [lambda: _scanned(_finished(raw, guide, headings, ctx, True, names[1]), names[1])],
        meanwhile=finish_public)
    ctx.laid_out(ctx.out / names[0], None, public[0][1])
    ctx.laid_out(ctx.out / names[1], None, review_findings)
    return public[0][0], review


def _scanned(data: bytes, name: str) -> tuple[bytes, list]:
    """A finished DOCX and its personal-data scan (made where it was finished)."""
    return data, _findings(data, name)


def _findings(data: bytes, name: str) -> list[list[str]]:
    """The personal-data scan of docx/<name>, made of these bytes."""
    from pathlib import Path

    from guidebuilder.checks.privacy import data_findings

    return data_findings(Path(name), f"docx/{name}", data)


def _pandoc_with_toc(guide: Guide, blocks: list, ctx: RenderContext, edition: str) -> bytes:
    if shutil.which("rsvg-convert") is None and has_svg(guide, blocks):
        ctx.progress("docx: warning: rsvg-convert is missing, so SVG images get no PNG fallback and "
                     "LibreOffice shows none (install librsvg2-bin: scripts/system-deps.sh build)")
    return pandoc_docx(guide, blocks, ctx, ("--toc", f"--toc-depth={TOC_DEPTH}"), edition=edition)


def wants_review(guide: Guide) -> bool:
    return guide.config.review is not None and guide.config.formats.docx.review


class DocxRenderer:
    name = "docx"

    def editions(self, guide: Guide) -> set[str]:
        """The review edition, prepared apart, when its chapters differ from the guide's (unverified items)."""
        return {"review"} if wants_review(guide) and guide.edition != "review" and guide.review_adds() else set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        """The document, and the review edition: from the same pandoc run when it adds nothing to the
        chapters, else beside it (in a second process when there are cores)."""
        document = ctx.out / f"{guide.slug}.docx"
        revision = ctx.out / f"{guide.slug}-revision.docx"
        if wants_review(guide) and guide.edition != "review" and not guide.review_adds():
            ctx.progress("docx: document and review edition")
            public, review = build_both(guide, ctx)
            write_bytes(document, public)
            write_bytes(revision, review)
            return ctx.result()
        if not wants_review(guide):
            ctx.progress("docx: document")
            write_bytes(document, build_docx(guide, ctx))
            return ctx.result()
        review_guide = guide if guide.edition == "review" else ctx.review
        if review_guide is None:
            raise ValueError("the review edition was not prepared: the build asks DocxRenderer.editions()")
        ctx.progress("docx: document")
        ctx.progress("docx: review edition")
        if ctx.parallel.cores > 1:
            import docx  # noqa: F401  (imported once here, before the fork, not in both processes)
        [(data, findings)] = ctx.parallel.run(
            [lambda: _scanned(build_docx(review_guide, ctx, review=True), revision.name)],
            meanwhile=lambda: write_bytes(document, build_docx(guide, ctx)))
        write_bytes(revision, data)
        ctx.laid_out(revision, None, findings)
        return ctx.result()
