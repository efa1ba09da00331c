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
from guidebuilder.render.docx.ooxml import (CUSTOM_NS, PROP_DATE, PROP_EDITION, PROP_SLUG, heading_bookmarks, hidden_bookmark, paragraph_text, w)
from guidebuilder.model.errors import ToolError
from guidebuilder.model.guide import Guide
from guidebuilder.core.files import write_bytes
from guidebuilder.pandoc.tools import pandoc_path, run_tool, source_date_epoch_env
from guidebuilder.render.base import RenderContext, RenderResult

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# numbering definitions of assets/reference.docx bound to Heading 1–4 (pandoc's own lists use 990+)
HEADING_ABSTRACT_NUM = HEADING_NUM = 41
APPENDIX_ABSTRACT_NUM = APPENDIX_NUM = 42
TOC_DEPTH = 2
REVIEW_AUTHOR = "guidebuilder"
REVIEW_INITIALS = "GB"
REVIEW_BOX_ID = "gb-como-revisar"
# what an editor leaves for later: TODO in capitals (the Spanish word "todo" is not a marker), or "revisar"
ATTENTION = re.compile(r"\bTODO\b|\b[Rr][Ee][Vv][Ii][Ss][Aa][Rr]\b")
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")


def epoch(guide: Guide) -> int:
    return calendar.timegm(guide.config.date.timetuple())


def spanish_date(day: dt.date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def normalise_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with sorted-as-written entries and fixed timestamps, so builds are byte-identical
    (with the entries named in `replace` given new contents)."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, replace[info.filename] if info.filename in replace else src.read(info.filename))
    return out.getvalue()


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
    for chapter in guide.chapters:
        count = 0
        copied = [json.loads(json.dumps(b)) if next(A.headers([b]), None) is not None else b for b in chapter.blocks]
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


def inline_heading_bookmarks(doc, headings: dict[str, HeadingInfo]) -> None:
    """Move each heading's bookmark inside its paragraph, around its text.

    pandoc's bookmark spans the whole section, from before the heading to the section's end;
    LibreOffice loses or moves such bookmarks when it saves. A bookmark inside the heading paragraph
    (where Word puts its own) survives both programs, and links to the heading still work.
    """
    from guidebuilder.render.docx.ooxml import heading_styles, paragraph_level

    levels = heading_styles(doc.styles.element)
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
            if prev.tag == w("bookmarkStart") and prev.get(w("name")) in headings:
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
            name = hidden_bookmark(starts[0].get(w("name")))
            starts[0].addprevious(_el("w:bookmarkStart", id=str(next_id), name=name))
            p.append(_el("w:bookmarkEnd", id=str(next_id)))
            next_id += 1


def number_headings(doc, headings: dict[str, HeadingInfo]) -> list[tuple[int, str, str]]:
    """Unnumbered headings get numbering off, appendices their own list; returns TOC entries."""
    from guidebuilder.render.docx.ooxml import heading_styles, paragraph_level

    levels = heading_styles(doc.styles.element)
    counters = {False: [0] * 9, True: [0] * 9}
    entries: list[tuple[int, str, str]] = []
    for p in doc.element.body.iter(w("p")):
        level = paragraph_level(p, levels)
        if not level:
            continue
        info = next((headings[n] for n in heading_bookmarks(p) if n in headings), None)
        if info is None:
            continue
        label = ""
        if level <= 4:
            ppr = p.find(w("pPr"))
            old = ppr.find(w("numPr"))
            if old is not None:
                ppr.remove(old)
            numpr = _el("w:numPr")
            if not info.numbered:
                numpr.append(_el("w:ilvl", val="0"))
                numpr.append(_el("w:numId", val="0"))
            elif info.appendix:
                numpr.append(_el("w:ilvl", val=str(level - 1)))
                numpr.append(_el("w:numId", val=str(APPENDIX_NUM)))
            if len(numpr):
                insert_in_order(ppr, numpr, PPR_AFTER_NUMPR)
            if info.numbered:
                count = counters[info.appendix]
                count[level - 1] += 1
                for deeper in range(level, 9):
                    count[deeper] = 0
                parts = [str(n) for n in count[:level]]
                if info.appendix:
                    parts[0] = chr(ord("A") + count[0] - 1)
                label = ("Anexo " if info.appendix and level == 1 else "") + ".".join(parts) + "."
        if level <= TOC_DEPTH:
            entries.append((level, info.id, f"{label} {paragraph_text(p)}".strip()))
    return entries


def fill_toc(doc, entries: list[tuple[int, str, str]]) -> None:
    """Put the headings into the TOC field's result, so the contents show before Word updates it."""
    for sdt in doc.element.body.iter(w("sdt")):
        gallery = sdt.find(f".//{w('docPartGallery')}")
        if gallery is None or gallery.get(w("val")) != "Table of Contents":
            continue
        field_p = next((p for p in sdt.iter(w("p")) if p.find(f".//{w('instrText')}") is not None), None)
        if field_p is None:
            return
        run = field_p.find(w("r"))
        chars = list(run) if run is not None else []

        def part(tag: str, kind: str = ""):
            return next((c for c in chars if c.tag == w(tag) and
                         (not kind or c.get(w("fldCharType")) == kind)), None)

        begin, instr, separate, end = (part("fldChar", "begin"), part("instrText"), part("fldChar", "separate"),
                                       part("fldChar", "end"))
        if None in (begin, instr, separate, end):  # not the field pandoc writes: leave it for Word to fill
            return
        instr.text = f'TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u'
        for child in (begin, instr, separate, end):
            run.remove(child)
        field_p.remove(run)
        for child in (begin, instr, separate):
            r = _el("w:r")
            r.append(child)
            field_p.append(r)
        after = field_p
        for level, anchor, text in entries:
            p = _el("w:p")
            ppr = _el("w:pPr")
            ppr.append(_el("w:pStyle", val=f"TOC{level}"))
            p.append(ppr)
            link = _el("w:hyperlink", anchor=anchor, history="1")
            r = _el("w:r")
            t = _el("w:t")
            t.text = text
            r.append(t)
            link.append(r)
            p.append(link)
            after.addnext(p)
            after = p
        end_p = _el("w:p")
        r = _el("w:r")
        r.append(end)
        end_p.append(r)
        after.addnext(end_p)
        return


def _runs(doc, p) -> list:
    from docx.text.run import Run

    return [Run(r, doc._body) for r in p.iter(w("r")) if r.find(w("t")) is not None]


def add_comment(doc, p, text: str, when: dt.datetime) -> bool:
    runs = _runs(doc, p)
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


def mark_for_review(doc, guide: Guide, skip: list) -> int:
    """A Word comment on every item that needs the reviewers' attention; returns how many."""
    when = dt.datetime.combine(guide.config.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    skipped = {id(p) for node in skip for p in node.iter(w("p"))}
    paragraphs = [p for p in doc.element.body.iter(w("p")) if id(p) not in skipped]
    by_bookmark: dict[str, object] = {}
    for p in paragraphs:
        for name in heading_bookmarks(p):
            by_bookmark.setdefault(name, p)
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
        text = paragraph_text(p)
        if id(p) not in marked and ATTENTION.search(text):
            if add_comment(doc, p, "Nota pendiente del equipo editorial (TODO o «revisar»): "
                                   "revise este punto y deje su comentario.", when):
                marked.add(id(p))
                count += 1
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


def full_width_tables(doc) -> None:
    """Tables span the text width (pandoc leaves them 'auto', which LibreOffice draws narrow)."""
    for tbl_pr in doc.element.body.iter(w("tblPr")):
        width = tbl_pr.find(w("tblW"))
        if width is not None and width.get(w("type")) == "auto":
            width.set(w("type"), "pct")
            width.set(w("w"), "5000")


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
           edition: str | None = None) -> bytes:
    """pandoc's DOCX finished: heading bookmarks and numbers, the contents, full-width tables; the
    review edition's page moved to the front and its comments added, or (not review) that page taken
    out; with the edition property set to `edition` if given."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    inline_heading_bookmarks(doc, headings)
    fill_toc(doc, number_headings(doc, headings))
    full_width_tables(doc)
    if review:
        mark_for_review(doc, guide, move_review_page_to_front(doc))
    else:
        remove_review_page(doc)
    out = io.BytesIO()
    doc.save(out)
    saved = out.getvalue()
    return normalise_zip(saved, {CUSTOM_PROPERTIES: edition_properties(saved, edition)} if edition else None)


def build_docx(guide: Guide, ctx: RenderContext, review: bool = False) -> bytes:
    blocks, headings = docx_blocks(guide)
    if review:
        blocks = review_blocks(guide) + blocks
    raw = _pandoc_with_toc(guide, blocks, ctx, edition="review" if review else guide.edition)
    return finish(raw, guide, headings, review)


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
        data = finish(raw, guide, headings, review=False, edition=guide.edition)
        public.append((data, _findings(data, names[0])))

    if ctx.parallel.cores > 1:
        import docx  # noqa: F401  (imported once here, before the fork, not in both processes)
    [(review, review_findings)] = ctx.parallel.run(
        [lambda: _scanned(finish(raw, guide, headings, review=True), names[1])], meanwhile=finish_public)
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
