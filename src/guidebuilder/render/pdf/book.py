"""The PDF book through WeasyPrint: a print edition and a large-print edition, both PDF/UA-1.

The book is one HTML document (assets/templates/pdf/book.html) laid out by WeasyPrint with
assets/css/book.css (plus book-large.css for the large-print edition), part by part and joined
(incremental.py). Before the chapters are turned
into HTML, their pandoc AST is adapted to print: footnotes become gb-note elements (tagged Note) that
CSS floats to the foot of the page, each after a call that links to it; links to anchors of the book
get a class so that CSS prints the target's page, web addresses print decoded; task lists keep their
check boxes; numbers keep their units and calls the word before them; a paragraph that introduces a
figure or table stays with it; and (large print only) wide tables become stacked rows.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

from markupsafe import Markup

from guidebuilder.checks.gate import logo_files
from guidebuilder.core.cache import Cache
from guidebuilder.core.digest import digest
from guidebuilder.core.placeholders import PENDING_URL, PLACEHOLDER, placeholder_url
from guidebuilder.core.files import write_bytes
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import to_html
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.paged import glyphs
from guidebuilder.render.paged.fonts import book_font_faces
from guidebuilder.render.paged.weasy import lay_out_all
from guidebuilder.render.pdf.incremental import lay_out_book
from guidebuilder.render.templating import environment
from guidebuilder.transforms.charts import BOOK_PARTS, DATA_NOTE, LARGE, PARTS_KEY, part_names
from guidebuilder.model.messages import t

PAGE_SIZES = {"letter": "letter", "a4": "A4"}


# ---------------------------------------------------------------- the chapters' AST for print

def _note_inlines(blocks: list) -> list:
    """A footnote's blocks as one run of inlines (paragraphs separated by a space)."""
    out: list = []
    for block in blocks:
        if out:
            out.append({"t": "Space"})
        if block.get("t") in ("Para", "Plain"):
            out.extend(block["c"])
        elif block.get("t") == "LineBlock":
            for line in block["c"]:
                out.extend(line + [{"t": "Space"}])
        elif block.get("t") == "CodeBlock":  # kept, as inline code (stringify gives no code text)
            out.append({"t": "Code", "c": block["c"]})
        else:
            out.extend(A.inlines(A.stringify(block)))
    return out


CHECK_BOXES = ("☐", "☒", "☑")


def _task_list(node: dict) -> dict | None:
    """A task list keeps its check boxes as characters (pandoc's HTML would make form fields of them)."""
    def boxed(item: list) -> bool:
        first = item[0] if item else {}
        return first.get("t") in ("Plain", "Para") and bool(first["c"]) and first["c"][0].get("t") == "Str" \
            and first["c"][0]["c"] in CHECK_BOXES

    items = node["c"]
    if not items or not all(boxed(item) for item in items):
        return None
    new_items = []
    for item in items:
        first = item[0]
        box = A.span([first["c"][0]], ["gb-check"])
        new_items.append([{"t": first["t"], "c": [box, *first["c"][1:]]}, *item[1:]])
    return A.div([{"t": "BulletList", "c": new_items}], ["task-list"])


UNITS = re.compile(r"(?:%|pt|km|m|kg|MXN|mm|cm|años|meses|días|horas|personas|hogares|municipios)(?!\w)")
LABELS = re.compile(r"(?:^|\W)(?:paso|capítulo|tabla|figura|anexo|p\.|pp\.|núm\.)$", re.IGNORECASE)
LABEL_TARGET = re.compile(r"\d|[A-ZÁÉÍÓÚÑ](?!\w)")
NBSP = {"t": "Str", "c": "\u00a0"}
GAPS = ("Space", "SoftBreak")
INLINE_RUNS = ("Para", "Plain", "Strong", "Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript")
WRAPPED = ("Link", "Span", "Quoted", "Cite")  # their inlines are c[1]


def _edge_text(node: dict, last: bool) -> str:
    """The text an inline element starts (or ends) with: a Str, or the first (last) Str of a span,
    emphasis, link... ('' for anything else)."""
    while node.get("t") != "Str":
        content = node.get("c")
        if node.get("t") in WRAPPED and isinstance(content, list):
            content = content[1]
        if not isinstance(content, list) or not content or not isinstance(content[-1 if last else 0], dict):
            return ""
        node = content[-1 if last else 0]
    return node["c"]


def _binds(before: str, after: str, after_next: str) -> bool:
    """Whether the space between two words must not break: a number and its unit, 'n =' and its
    number, 'paso', 'tabla'... and their number, and the two ends of a range ('18 a 24')."""
    if before[-1:].isdigit() and (UNITS.match(after) or (after == "a" and after_next[:1].isdigit())):
        return True
    if before == "a" and after[:1].isdigit():
        return True
    if (before in ("n", "(n") and after[:1] == "=") or (before.endswith("=") and after[:1].isdigit()):
        return True
    return bool(LABELS.search(before) and LABEL_TARGET.match(after))


def _keep_units(inlines: list) -> list:
    """Words that belong together stay on one line ('83.1 %', '24 años', '(n = 30)', 'paso 1',
    'tabla 3.2', '18 a 24'): the space between them becomes a no-break space."""
    out = list(inlines)
    for i in range(1, len(out) - 1):
        if out[i].get("t") not in GAPS:
            continue
        before, after = _edge_text(out[i - 1], True), _edge_text(out[i + 1], False)
        after_next = _edge_text(out[i + 3], False) if i + 3 < len(out) and out[i + 2].get("t") in GAPS else ""
        if before and after and _binds(before, after, after_next):
            out[i] = NBSP
    return out


def _rows(node: dict) -> list:
    return [row for body in node["c"][4] for row in body[3]]


def _is_form(node: dict) -> bool:
    """A table to fill in by hand: one with a row whose every cell is empty."""
    return any(row[1] and all(not A.stringify(cell[4]).strip() for cell in row[1]) for row in _rows(node))


def _fill() -> dict:
    """Room to write in an empty cell of a form (its height comes from CSS: .gb-fill)."""
    return A.plain(A.span([], ["gb-fill"]))


def _blank_rows(node: dict) -> None:
    """The empty cells of a form get room to write; without it they print as thin strips."""
    if not _is_form(node):
        return
    for row in _rows(node):
        for cell in row[1]:
            if not A.stringify(cell[4]).strip():
                cell[4] = [_fill()]


def _ends_in_colon(blocks: list) -> bool:
    """Blocks ending in a field's label: a colon, or a question."""
    return bool(blocks) and blocks[-1].get("t") in ("Para", "Plain") and \
        A.stringify(blocks[-1]).rstrip().endswith((":", "?"))


def _ficha_fields(node: dict) -> None:
    """A fill-in sheet (div.ficha) printed to be filled by hand: each field (a list item ending in a colon
    or a question mark, or such a paragraph followed by another field or ending the sheet: not a
    salutation before the text) gets room to write under it."""
    blocks = node["c"][1]
    for block in blocks:
        if block.get("t") in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            for item in items:
                if _ends_in_colon(item):
                    item.append(_fill())
    for i, block in enumerate(blocks):  # a section label ("**3. Información**") stays with its fields
        if block.get("t") == "Para" and [b["t"] for b in block["c"]] == ["Strong"] and i + 1 < len(blocks):
            blocks[i] = A.div([block], ["gb-label"])
    for i in reversed(range(len(blocks))):
        following = blocks[i + 1:i + 2]
        if blocks[i].get("t") == "Para" and _ends_in_colon([blocks[i]]) and (
                not following or _ends_in_colon(following)):
            blocks.insert(i + 1, _fill())


def _auto_widths(node: dict) -> None:
    """Columns sized by their content, not by the share of dashes pandoc read in a pipe table's source
    (equal shares broke words and squeezed a long column)."""
    node["c"][2] = [[spec[0], {"t": "ColWidthDefault"}] for spec in node["c"][2]]


def _cell_inlines(blocks: list) -> list:
    out: list = []
    for block in blocks:
        if out:
            out.append({"t": "Space"})
        out.extend(block["c"] if block.get("t") in ("Plain", "Para") else A.inlines(A.stringify(block)))
    return out


def _table_as_cards(node: dict) -> dict | None:
    """For large print: a table of four or more columns as one block per row ('Column: value' lines).

    At 16 pt and more, wide tables leave a word or two per line; rows stacked as blocks read better.
    Tables with merged cells or several header rows stay tables.
    """
    ident, caption, colspecs, head, bodies, _foot = node["c"]
    head_rows = head[1]
    if len(colspecs) < 4 or len(head_rows) != 1:
        return None
    rows = [row for body in bodies for row in body[3]]
    if any(cell[2] != 1 or cell[3] != 1 for row in [*head_rows, *rows] for cell in row[1]):
        return None
    labels = [A.stringify(cell[4]).strip() for cell in head_rows[0][1]]
    form = _is_form(node)
    out: list = []
    if caption[1]:
        out.append(A.div([A.para(*_cell_inlines(caption[1]))], ["gb-table-caption"]))
    for row in rows:
        lines = []
        for label, cell in zip(labels, row[1]):
            inlines = _cell_inlines(cell[4])
            lead = [A.strong(f"{label}:"), {"t": "Space"}] if label else []
            if inlines:
                lines.append(A.para(*lead, *inlines))
            elif form:
                lines.append(A.div([A.para(*lead[:1])], ["gb-fill"]))
        out.append(A.div(lines, ["gb-table-row"]))
    return A.div(out, ["gb-table-cards"], ident=ident[0])


def _chart_figure(node: dict, large: bool) -> None:
    """A chart drawn for print: the large-print edition shows the variant drawn for it (16 pt text), the
    book the one drawn at its measure (9 pt, "-libro"); each in every part it was cut into to fit a page."""
    ident, classes, kv = node["c"][0]
    if "gb-chart" not in classes:
        return
    counts = {key: int(value) for key, value in kv if key in PARTS_KEY.values()}
    suffix = LARGE.suffix if large else BOOK_PARTS.suffix
    count = counts.get(PARTS_KEY[suffix], 1)
    node["c"][0] = [ident, [*classes, "gb-chart-parts"] if count > 1 else classes,
                    [p for p in kv if p[0] not in PARTS_KEY.values()]]
    images = [i for b in node["c"][2] if b.get("t") in ("Plain", "Para") for i in b["c"] if i.get("t") == "Image"]
    if not count or len(images) != 1 or not images[0]["c"][2][0].endswith(".svg"):
        return
    attr, alt, (src, title) = images[0]["c"]
    node["c"][2] = [A.plain({"t": "Image", "c": [attr, alt if k == 1 else A.inlines(
        f"Continuación de la gráfica (parte {k} de {count}). {DATA_NOTE}"), [name, title]]})
        for k, name in enumerate(part_names(src, suffix, count), start=1)]


def _space_before_links(inlines: list) -> list:
    """A zero-width space after the space before a link. WeasyPrint 70, when a link does not fit at the
    end of a line, breaks the text before it at its last break by narrowing it a pixel at a time, and a
    trailing space there made it break after the line's first word ("reclamos" alone on a line). The
    break stays where it was (before the link); the mark is not copied with the text."""
    out: list = []
    for i, n in enumerate(inlines):
        out.append(n)
        if n.get("t") in GAPS and i + 1 < len(inlines) and inlines[i + 1].get("t") == "Link":
            out.append({"t": "Str", "c": "\u200b"})
    return out


def _raw(html: str) -> dict:
    return {"t": "RawInline", "c": ["html", html]}


class _Notes:
    """A chapter's footnotes for print: each one a gb-note element (tagged Note in the PDF, floated to the
    foot of its page by CSS) after a call that links to it; a note identical to the one just before it
    is not printed twice: its call repeats that note's number and links to it."""

    def __init__(self, prefix: str):
        self.prefix, self.count, self.last = prefix, 0, None

    def __call__(self, node: dict) -> list:
        inlines = _note_inlines(node["c"])
        text = " ".join(A.stringify(node["c"]).split())
        if self.last is not None and self.last[0] == text:
            return [self._call(*self.last[1:])]
        self.count += 1
        ident = f"nota-{self.prefix}{self.count}"
        self.last = (text, self.count, ident)
        return [self._call(self.count, ident), _raw(f'<gb-note class="footnote" id="{ident}">'),
                _raw(f'<span class="gb-note-number">{self.count}.</span>'), {"t": "Space"}, *inlines,
                _raw("</gb-note>")]

    @staticmethod
    def _call(number: int, ident: str) -> dict:
        return _raw(f'<a class="gb-note-call" href="#{ident}">{number}</a>')


def _raw_html(node: dict, start: str) -> bool:
    return node.get("t") == "RawInline" and node["c"][1].startswith(start)


def _bind_calls(inlines: list) -> list:
    """A footnote call never starts a line: it goes in one span.gb-nowrap with the word it follows."""
    out: list = []
    for node in inlines:
        if _raw_html(node, '<a class="gb-note-call"') and out and out[-1].get("t") == "Str":
            out[-1] = A.span([out[-1], node], ["gb-nowrap"])
        else:
            out.append(node)
    return out


def _url_link(node: dict) -> None:
    """A web link prints its address decoded after its text (in a span.gb-url-print); a bare address is
    shown decoded too. Both as printable_url() sets them: broken only where a reader expects it."""
    ident, classes, kv = node["c"][0]
    url = node["c"][2][0]
    shown = A.stringify(node["c"][1]).strip()
    decoded = unquote(url)
    if shown in (url, decoded) or shown.rstrip("/") == decoded.rstrip("/"):
        node["c"][0] = [ident, [*classes, "bare-url"], kv]
        node["c"][1] = [_raw(printable_url(decoded))]
    else:
        node["c"][0] = [ident, [*classes, "url"], [*kv, ("url", decoded)]]
        node["c"][1] = [*node["c"][1], _raw(f'<span class="gb-url-print"> ({printable_url(decoded)})</span>')]


URL_PIECE = re.compile(r"(?<=/)(?!/)|(?=[?#&])")  # after a slash (not inside "//"), before ? # &
URL_LONG = (30, 45, 60, 80)  # characters: a piece longer gets the class gb-url-l<n> (CSS lets it break)


def printable_url(url: str) -> str:
    """An address as HTML that breaks only after a slash or before "?", "#" or "&" (<wbr>), each piece
    between those kept whole (span.gb-url-seg, nowrap in CSS), never after one of its own hyphens (a
    word joiner follows each): a line never ends in a hyphen a reader would drop when typing it.

    A piece too long for the line it may sit in (classes by length, chosen per context in CSS) may
    break before one of its hyphens or underscores, the next line then starting with it. Break characters are not
    copied: a copied or extracted address reads as it is."""
    out = []
    for piece in (p for p in URL_PIECE.split(url) if p):
        long = [f" gb-url-l{n}" for n in URL_LONG if len(piece) > n]
        text = str(Markup.escape(piece)).replace("-", "<wbr>-\u2060").replace("_", "<wbr>_")
        out.append(f'<span class="gb-url-seg{"".join(long)}">{text}</span>')
    return '<span class="gb-url">' + "<wbr>".join(out) + "</span>"


def print_blocks(blocks: list | tuple, large: bool = False, prefix: str = "") -> list:
    """Adapt a chapter's blocks to the printed page: footnotes, cross-references, task lists, charts
    (and, for large print, wide tables as stacked rows and the charts drawn for large print)."""
    notes = _Notes(prefix)

    def fix(node: dict):
        if large and node["t"] == "Table":
            cards = _table_as_cards(node)
            if cards is not None:
                return cards  # a narrower table stays a table: its empty cells get room to write below
        if node["t"] == "Figure":
            _chart_figure(node, large)
            return None
        if node["t"] in INLINE_RUNS:
            node["c"] = _space_before_links(_bind_calls(_keep_units(node["c"])))
        elif node["t"] in WRAPPED:
            node["c"][1] = _keep_units(node["c"][1])
        elif node["t"] == "Header":
            node["c"][2] = _keep_units(node["c"][2])
        if node["t"] == "Table":
            _blank_rows(node)
            _auto_widths(node)
        if node["t"] == "Div" and "ficha" in node["c"][0][1]:
            _ficha_fields(node)
        if node["t"] == "BulletList":
            return _task_list(node)
        if node["t"] == "Note":
            return notes(node)
        if node["t"] == "Link":
            ident, classes, kv = node["c"][0]
            url = node["c"][2][0]
            if url.startswith("#") and len(url) > 1:
                node["c"][0] = [ident, [*classes, "xref"], kv]
            elif url.startswith(("http://", "https://")):
                _url_link(node)
        return None

    return _group_cards(A.walk(_keep_intros(list(blocks)), fix))


INTRODUCED = ("Figure", "Table")


NAMES_A_FIGURE = re.compile(r"\b(gráfica|figura|tabla|cuadro|mapa)s?\b", re.I)


def _introduces(block: dict) -> bool:
    """A paragraph ending in a colon (a footnote call after it aside), or one that names a chart, figure,
    table or map ("La gráfica reúne estos datos."): it introduces what follows it."""
    if block.get("t") != "Para":
        return False
    words = [i for i in block["c"] if i.get("t") not in ("Note", "Space", "SoftBreak")]
    return bool(words) and (_edge_text(words[-1], True).endswith(":")
                            or bool(NAMES_A_FIGURE.search(A.stringify(block["c"]))))


def _keep_intros(blocks: list) -> list:
    """The paragraph that introduces a figure or a table goes in a div.gb-intro, which CSS keeps on the
    page of what it introduces (p. 18 of an earlier book ended with such a sentence, its chart overleaf)."""
    out: list = []
    for i, block in enumerate(blocks):
        if block.get("t") == "Div":
            block = {"t": "Div", "c": [block["c"][0], _keep_intros(block["c"][1])]}
        following = blocks[i + 1] if i + 1 < len(blocks) else {}
        if _introduces(block) and (following.get("t") in INTRODUCED or "gb-chart" in _classes(following)):
            block = A.div([block], ["gb-intro"])
        out.append(block)
    return out


def _classes(block: dict) -> list:
    return block["c"][0][1] if block.get("t") in ("Div", "Figure", "Table") else []


CARD_CLASSES = ("gb-practice", "gb-channel")


def _group_cards(blocks: list) -> list:
    """Runs of practice or channel cards go in one div.gb-cards, which the book sets in two columns."""
    out: list = []
    run: list = []
    for block in blocks:
        if block.get("t") == "Div":
            block["c"][1] = _group_cards(block["c"][1])
            if any(c in CARD_CLASSES for c in block["c"][0][1]):
                run.append(block)
                continue
        if run:
            out.append(A.div(run, ["gb-cards"]))
            run = []
        out.append(block)
    if run:
        out.append(A.div(run, ["gb-cards"]))
    return out


DEFINITION_LIST = re.compile(r"<dl\b[^>]*>(.*?)</dl>", re.S)
DEFINITION = re.compile(r"<dt\b.*?</dt>\s*(?:<dd\b.*?</dd>\s*)+", re.S)


def group_definitions(html: str) -> str:
    """Each term of a definition list and its definitions in one div.gb-entry (valid HTML in a dl).

    The book keeps an entry whole (CSS), and sets the glossary in two columns: with the entries as the
    columns' children, WeasyPrint balances them in a few tries, not one per pixel. Lists that hold
    another list are left alone.
    """
    def wrap(m: re.Match) -> str:
        body = m.group(1)
        if "<dl" in body:
            return m.group(0)
        grouped = DEFINITION.sub(lambda d: f'<div class="gb-entry">{d.group(0).rstrip()}</div>\n', body)
        return m.group(0)[: m.start(1) - m.start(0)] + grouped + "</dl>"

    return DEFINITION_LIST.sub(wrap, html)


def chapter_label(guide: Guide, chapter) -> str:
    if chapter.appendix:
        letter = chr(ord("A") + sum(1 for c in guide.chapters[: chapter.index] if c.appendix))
        return f"Anexo {letter}"
    return f"Capítulo {chapter.number}"


def toc_entries(guide: Guide) -> list[dict]:
    """Chapters and their second-level headings (not the catalogue cards) for the table of contents."""
    entries = []
    for chapter in guide.chapters:
        entries.append({"level": 1, "id": chapter.id, "title": chapter.title, "label": chapter_label(guide, chapter)})
        for block in chapter.blocks:
            if block.get("t") == "Header" and block["c"][0] == 2 and block["c"][1][0] \
                    and "unlisted" not in block["c"][1][1]:
                entries.append({"level": 2, "id": block["c"][1][0], "title": A.stringify(block["c"][2]), "label": ""})
    return entries


# ---------------------------------------------------------------- front and back matter

def logos(guide: Guide) -> list[dict]:
    """Logos the editors placed in assets/images/logos/ (checked before the build writes anything).

    The alt text is the text of a sibling <name>.txt file, or else the file name made readable
    (a leading number, used to order the logos, is dropped).
    """
    out = []
    for path in logo_files(guide)[0]:
        alt_file = path.with_suffix(".txt")
        if alt_file.is_file():
            alt = " ".join(alt_file.read_text(encoding="utf-8").split())
        else:
            alt = re.sub(r"^\d+[-_ ]*", "", path.stem).replace("-", " ").replace("_", " ").strip()
        out.append({"src": path.resolve().as_uri(), "alt": f"Logotipo: {alt}" if alt else "Logotipo"})
    return out


def citation(config) -> str:
    """How to cite the guide: guide.yml cite_as, or one made from the guide's data. A placeholder address
    (a draft build) is never printed: the pending note stands in its place."""
    if config.cite_as:
        return PLACEHOLDER.sub(PENDING_URL, config.cite_as)
    who = "; ".join(config.authors) if config.authors else config.publisher
    parts = [f"{who} ({config.date.year}).", f"{config.title}" + (f": {config.subtitle}." if config.subtitle else "."),
             f"{config.edition}."]
    if config.authors:
        parts.append(f"{config.publisher}.")
    if config.url:
        parts.append(f"{PENDING_URL}." if placeholder_url(config.url) else config.url)
    return " ".join(parts)


# ---------------------------------------------------------------- HTML and PDF

def print_body(chapter, large: bool, cache: Cache) -> str:
    """A chapter's HTML for print, cached by its AST (and the code that makes it)."""
    import json

    from guidebuilder.core.digest import source_digest
    from guidebuilder.pandoc.tools import pandoc_version

    key = digest("print-body", source_digest("render/pdf/book.py", "pandoc/convert.py", "transforms/charts.py"), pandoc_version(), large,
                 chapter.id, json.dumps(chapter.blocks, ensure_ascii=False, separators=(",", ":")))
    return cache.bytes("print-body", key, lambda: group_definitions(
        to_html(print_blocks(chapter.blocks, large, f"{chapter.id}-"), cache)).encode()).decode()


def print_html(guide: Guide, ctx: RenderContext, template: str = "pdf/book.html", **extra) -> str:
    """The whole book as one HTML document for WeasyPrint."""
    env = environment(guide, ctx.cache)
    extra.setdefault("large", False)
    chapters = [{"chapter": c, "label": chapter_label(guide, c), "body": Markup(print_body(c, extra["large"], ctx.cache))}
                for c in guide.chapters]
    return glyphs.replace_missing(env.get_template(template).render(
        guide=guide, config=guide.config, chapters=chapters, toc=toc_entries(guide), logos=logos(guide),
        citation=citation(guide.config), **extra), glyphs.covered(guide, ctx.cache))


class PdfRenderer:
    name = "pdf"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        def book() -> str:
            return print_html(guide, ctx, css=self.css(guide))

        def large_print() -> str:
            return print_html(guide, ctx, css=self.css(guide, large=True), large=True)

        for warning in glyphs.warnings(guide, ctx.cache):
            ctx.warn(warning)
        documents = {f"{guide.slug}.pdf": book}
        ctx.progress(t("progress.pdf"))
        if guide.config.formats.pdf.large_print:
            documents[f"{guide.slug}-letra-grande.pdf"] = large_print
            ctx.progress(t("progress.pdf_large"))
        # the book laid out part by part and joined (GUIDEBUILDER_PDF_WHOLE=1: whole, as before; for comparisons)
        lay_out = lay_out_all if os.environ.get("GUIDEBUILDER_PDF_WHOLE") == "1" else lay_out_book
        for name, laid in zip(documents, lay_out(guide, list(documents.values()), ctx.cache, ctx.parallel)):
            write_bytes(ctx.out / name, laid.pdf)
            ctx.laid_out(ctx.out / name, laid.pages, laid.findings)
        return ctx.result()

    @staticmethod
    def css(guide: Guide, name: str = "book.css", large: bool = False) -> str:
        """Font faces, the book's style sheet (and the large-print one), and the page size from guide.yml."""
        parts = [book_font_faces(guide)]
        for sheet in (name, "book-large.css") if large else (name,):
            path = guide.asset("css", sheet)
            if path:
                parts.append(path.read_text(encoding="utf-8"))
        size = PAGE_SIZES[guide.config.formats.pdf.page_size]
        parts.append(f"@page {{ size: {size}; }}\n")
        return "\n".join(parts)
