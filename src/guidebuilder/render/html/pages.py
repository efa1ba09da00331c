"""What the pages of the HTML site share: chapter bodies for the web, link rewriting, table boxes,
image sizes and the slugs of channel kinds.

site.py, catalogue.py and single.py import from here; this module imports none of them.
"""

from __future__ import annotations

import itertools
import re

from guidebuilder.core.digest import digest, source_digest
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import to_html
from guidebuilder.transforms.charts import PARTS_KEY, PHONE, chart_name

KIND_SLUG = {"digital": "digital", "non-digital": "no-digital", "format": "formatos"}


def chapter_href(guide: Guide, chapter_id: str) -> str:
    return "index.html" if chapter_id == "__home__" else f"{chapter_id}.html"


def rewrite_links(guide: Guide, blocks: list, page_of: dict[str, str]) -> list:
    """Point '#anchor' links at the page that holds the anchor."""
    def fix(node: dict) -> None:
        if node["t"] == "Link" and node["c"][2][0].startswith("#"):
            anchor = node["c"][2][0][1:]
            owner = guide.anchors.get(anchor)
            if owner and owner in page_of:
                target = page_of[owner]
                node["c"][2] = [f"{target}" if anchor == owner else f"{target}#{anchor}", node["c"][2][1]]
        return None

    return A.walk(list(blocks), fix)


# ---------------------------------------------------------------- AST adjustments for the web

def card_ids(guide: Guide, chapter: Chapter, ident: str, prefix: str, known: list[str]) -> str | None:
    """The data id behind a card heading's id ('practica-x', or 'cap-practica-x-2' when made unique)."""
    for item in known:
        base = f"{prefix}-{item}"
        if ident == base or re.fullmatch(rf"(?:{re.escape(chapter.id)}-)?{re.escape(base)}(?:-\d+)?", ident):
            return item
    return None


def web_blocks(guide: Guide, chapter: Chapter, images: dict[str, tuple[int, int]]) -> list:
    """Chapter blocks for the web: card titles link to their pages, images sized and lazy-loaded."""
    practices = [p.id for p in guide.public_practices()]
    channels = [c.id for c in guide.data.channels]

    def fix(node: dict) -> dict | None:
        t = node["t"]
        if t == "Div" and node["c"][1] and node["c"][1][0].get("t") == "Header":
            classes = node["c"][0][1]
            head = node["c"][1][0]
            target = None
            if "gb-practice" in classes:
                pid = card_ids(guide, chapter, head["c"][1][0], "practica", practices)
                target = f"practicas/{pid}.html" if pid else None
            elif "gb-channel" in classes:
                cid = card_ids(guide, chapter, head["c"][1][0], "canal", channels)
                target = f"canales/{cid}.html" if cid else None
            if target:
                head["c"][2] = [A.link(head["c"][2], target)]
        elif t == "Image":
            src = node["c"][2][0]
            kv = [list(p) for p in node["c"][0][2] if p[0] not in ("width", "height", "loading")]
            size = images.get(src)
            if size:
                kv += [["width", str(size[0])], ["height", str(size[1])]]
            kv.append(["loading", "lazy"])
            node["c"][0] = [node["c"][0][0], node["c"][0][1], kv]
        elif t == "Figure" and any(k in PARTS_KEY.values() for k, _ in node["c"][0][2]):  # for the PDF only
            node["c"][0] = [*node["c"][0][:2], [p for p in node["c"][0][2] if p[0] not in PARTS_KEY.values()]]
        elif t in ("RawBlock", "RawInline") and not chapter.raw_html:
            # load.py never lets raw HTML through without raw_html: true; this is defence in depth
            return {"t": "Str", "c": node["c"][1]} if t == "RawInline" else A.para(node["c"][1])
        return None

    return A.walk(list(chapter.blocks), fix)


def chapter_body(guide: Guide, chapter: Chapter, sizes: dict, page_of: dict[str, str] | None, cache) -> str:
    """A chapter's HTML for the site (links between pages rewritten by page_of; None: for the
    single-file edition, where every anchor is in the one file), cached by everything web_blocks and
    rewrite_links read, so that an edit elsewhere converts nothing here."""
    key = digest("html-body", source_digest("render/html/pages.py"), chapter.id, chapter.raw_html, chapter.blocks,
                 sizes, page_of, guide.anchors if page_of is not None else None,
                 [p.id for p in guide.public_practices()], [c.id for c in guide.data.channels])

    def make() -> bytes:
        blocks = web_blocks(guide, chapter, sizes)
        if page_of is not None:
            blocks = rewrite_links(guide, blocks, page_of)
        return chart_pictures(to_html(blocks, cache), sizes).encode()

    return cache.bytes("html-body", key, make).decode()


# A chart shows its phone variant (transforms/charts.PHONE: 328 px wide, 14.7 px text) wherever the normal
# one (624 px, 12 px text) would be shrunk under its own width: measured in Chromium, up to a 656 px screen
# (one column) and from 800 px (two columns) to 960 px. One query up to 62em (992 px) covers both.
NARROW_CHART = "(max-width: 62em)"
CHART_IMG = re.compile(r'<img src="(graficas/[^"]+\.svg)"[^>]*>')


def chart_pictures(html: str, sizes: dict[str, tuple[int, int]]) -> str:
    """Each chart in a <picture> that offers its phone variant to narrow screens; wide ones keep the normal
    chart. The variant's own width and height go on its <source>, so the browser keeps its room."""
    def wrap(m: re.Match) -> str:
        narrow = chart_name(m.group(1), PHONE.suffix)
        if narrow not in sizes:
            return m.group(0)
        w, h = sizes[narrow]
        return (f'<picture><source media="{NARROW_CHART}" srcset="{narrow}" width="{w}" height="{h}" />'
                f"{m.group(0)}</picture>")

    return CHART_IMG.sub(wrap, html)


# ---------------------------------------------------------------- images and tables

def image_sizes(guide: Guide) -> dict[str, tuple[int, int]]:
    """Pixel width and height of every chart and guide image, for width/height attributes."""
    sizes: dict[str, tuple[int, int]] = {}
    for name, data in guide.generated.items():
        if name.endswith(".svg"):
            size = svg_size(data)
            if size:
                sizes[name] = size
    images = guide.root / "images"
    if images.is_dir():
        for path in sorted(p for p in images.rglob("*") if p.is_file()):
            rel = str(path.relative_to(guide.root))
            if path.suffix.lower() == ".svg":
                size = svg_size(path.read_bytes())
            else:
                try:
                    from PIL import Image

                    with Image.open(path) as im:
                        size = im.size
                except Exception:  # not readable: the browser sizes it
                    size = None
            if size:
                sizes[rel] = size
    return sizes


def svg_size(data: bytes) -> tuple[int, int] | None:
    head = data[:2000].decode("utf-8", "replace")
    m = re.search(r"<svg[^>]*?\swidth=\"([\d.]+)(pt|px)?\"[^>]*?\sheight=\"([\d.]+)(pt|px)?\"", head)
    if not m:
        return None
    factor = 4 / 3 if m.group(2) == "pt" else 1
    return round(float(m.group(1)) * factor), round(float(m.group(3)) * factor)


def wrap_tables(html: str) -> str:
    """Put each table in a keyboard-focusable box that scrolls sideways when the screen is narrow, and mark
    the wide ones to show as stacked rows in a narrow box (stack_table)."""
    count = [0]

    def wrap(m: re.Match) -> str:
        count[0] += 1
        cap = re.search(r"<caption>(.*?)</caption>", m.group(0), flags=re.S)
        label = re.sub(r"<[^>]+>", "", cap.group(1)).strip() if cap else f"Tabla {count[0]}"
        label = label.replace('"', "&quot;")
        return f'<div class="tabla" tabindex="0" role="group" aria-label="{label}">{stack_table(m.group(0))}</div>'

    html = re.sub(r"<table.*?</table>", wrap, html, flags=re.S)
    # an empty corner cell of a header row names nothing: a plain cell, so screen readers skip it
    return html.replace("<th></th>", "<td></td>")


# A table of this many columns or more shows as stacked rows when its box is narrow (site.css, .gb-stack).
# In a 328 px phone box five columns leave under 50 px of text each: no word over five letters fits. Measured
# on the guide there: every table of five to seven columns needed 414-562 px; the one of four (a checklist of
# short columns) and those of two or three fit, and read better as tables (stacking the four-column one
# made it 3,440 px tall instead of 2,410). A narrower table that still does not fit is an overflow finding of
# checks/layout_html.
STACK_COLUMNS = 5
ROW = re.compile(r"<tr(?=[\s>])[^>]*>.*?</tr>", re.S)
CELL = re.compile(r"<(td|th)(?=[\s>])")
HEAD_CELL = re.compile(r"<(?:td|th)(?:\s[^>]*)?>(.*?)</(?:td|th)>", re.S)


def stack_table(table: str) -> str:
    """A table of STACK_COLUMNS or more columns with one header row, marked as class "gb-stack": each body
    cell carries its column's header as data-label (site.css shows it before the cell when the rows are
    stacked), and every part its ARIA role, so the table stays a table to screen readers when CSS lays it
    out as blocks. Tables with merged cells, no or several header rows, or a table inside, stay as they are."""
    table = table.replace("<th></th>", "<td></td>")  # as in wrap_tables, before the roles are added
    head = re.search(r"<thead>(.*?)</thead>", table, flags=re.S)
    if not head or table.count("<table") != 1 or re.search(r"\s(?:colspan|rowspan)=", table):
        return table
    head_rows = ROW.findall(head.group(1))
    labels = [_plain(cell) for cell in HEAD_CELL.findall(head_rows[0])] if len(head_rows) == 1 else []
    if len(labels) < STACK_COLUMNS or len(CELL.findall(head_rows[0])) != len(labels):
        return table

    def row(m: re.Match) -> str:
        in_head = head.start() <= m.start() < head.end()
        column = itertools.count()

        def cell(c: re.Match) -> str:
            if in_head:
                return f'<{c.group(1)} role="{"columnheader" if c.group(1) == "th" else "cell"}"'
            i = next(column)
            label = f' data-label="{labels[i]}"' if i < len(labels) and labels[i] else ""
            return f'<{c.group(1)} role="{"cell" if c.group(1) == "td" else "rowheader"}"{label}'

        return CELL.sub(cell, m.group(0).replace("<tr", '<tr role="row"', 1))

    table = ROW.sub(row, table)
    table = re.sub(r"<(thead|tbody|tfoot)(?=[\s>])", r'<\1 role="rowgroup"', table)
    opening = re.match(r"<table[^>]*>", table).group(0)
    if 'class="' in opening:
        marked = opening.replace('class="', 'role="table" class="gb-stack ', 1)
    else:
        marked = opening.replace("<table", '<table role="table" class="gb-stack"', 1)
    return marked + table[len(opening):]


def _plain(html: str) -> str:
    """A header cell's text for an attribute: tags dropped, spaces joined, quotes escaped."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split()).replace('"', "&quot;")


# ---------------------------------------------------------------- search, checklists, languages

CARD = re.compile(r'<section(?=[^>]*\sclass="[^"]*\bgb-(?:practice|channel)\b)')


def index_once(html: str) -> str:
    """Practice and channel cards in a chapter left out of the search index: each has its own page, which
    is the one result for it (else a practice was found up to four times, once per page showing it)."""
    return CARD.sub('<section data-pagefind-ignore="all"', html)


TASK = '<input type="checkbox" />'


def checklists(html: str) -> str:
    """Checklist boxes the reader can tick: site.css draws one 24 px box and no bullet, sitio.js keeps the
    ticks in the browser (localStorage), by page and the box's place on it."""
    return html.replace(TASK, '<input type="checkbox" class="tick" />')


# Titles in English (references, sources) get lang="en" (WCAG 3.1.2), so screen readers say them in
# English. A link text is English when it has at least two English words (function words and words
# Spanish spells otherwise) and more than twice as many as Spanish ones: a rule on the words.
ENGLISH = frozenset("the of and for to in with on an its by from using what how your this that open government "
                    "partnership report action commitment making adopting strengthening freedom scheme guide citizen "
                    "budget standard contracting writing act council office documents".split())
SPANISH = frozenset("de la el y para los las del en con por que un una sobre su sus al se es lo".split())
LINK_TEXT = re.compile(r"(<a [^>]*>)([^<]+)(</a>)")


def english(text: str) -> bool:
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    en = sum(w in ENGLISH for w in words)
    return en >= 2 and en > 2 * sum(w in SPANISH for w in words)


def mark_english(html: str) -> str:
    """Each link whose text is English gets its text in <span lang="en">."""
    def mark(m: re.Match) -> str:
        return f'{m.group(1)}<span lang="en">{m.group(2)}</span>{m.group(3)}' if english(m.group(2)) else m.group(0)

    return LINK_TEXT.sub(mark, html)
