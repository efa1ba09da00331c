"""The book's print HTML cut into parts that WeasyPrint lays out one by one (render/pdf/incremental.py).

The book is made as one HTML document (assets/templates/pdf/book.html): a head with the style sheet,
the front matter (cover, colophon, contents), then one `<article class="chapter">` per chapter. Here it
is cut into:

- the front matter, laid out with the book's own style sheet;
- each chapter's *body*: the head, with every page-margin box emptied (running heads and folios are
  drawn apart, so that a chapter whose first page number moved needs no new layout);
- the chapters' *furniture*, in two layers: the running heads (what the margin boxes print from
  strings: the book's title, the chapter's short title), three empty pages per chapter (its first page,
  a left-hand and a right-hand page) in one layout; and the folios (what they print from the page
  counter), empty pages in runs of 128 numbered from 1, 129…, the last ending on a multiple of 8
  pages: the same from build to build, so a chapter that moved needs no new layout of either (but the
  last run, when the book outgrows it).

Page numbers printed in the text (`target-counter(attr(href url), page)`: the contents and the
cross-references) become `attr(data-gb-page)`, and every link that prints one (a link the selector of
such a rule matches, found with WeasyPrint's own selector library) carries the number of the target's
page in that attribute, taken from the page map of the whole book. Other links (footnotes, a link to a
practice that prints no number) carry nothing: a part without such a link does not depend on the map.

`split` returns None when the document is not one it knows how to cut (the book is then laid out
whole, as before): no chapter, or page numbers printed in a way this module does not rewrite.
"""

from __future__ import annotations

import html as htmllib
import itertools
import re
from dataclasses import dataclass

CHAPTER = re.compile(r'\n<article class="chapter[" ]')
TARGET_COUNTER = re.compile(r"target-counter\(\s*attr\(\s*href(?:\s+url)?\s*\)\s*,\s*page\s*\)")
UNSUPPORTED = re.compile(r"target-counter|target-counters|target-text|counter\(\s*pages\s*\)")
ID = re.compile(r'(?<![\w-])id="([^"]+)"')
LINK = re.compile(r'<a\b([^>]*?)\bhref="#([^"]+)"')
COVER_TITLE = re.compile(r'<h1 class="cover-title"[^>]*>.*?</h1>', re.S)
CHAPTER_LABEL = re.compile(r'<p class="chapter-label"[^>]*>.*?</p>', re.S)
COUNTERS = re.compile(r"counter-(?:reset|increment|set)\s*:\s*([^;}]+)")
OWN_COUNTERS = {"footnote", "page", "list-item", "none"}
STRING_SET = re.compile(r"string-set\s*:")
RUNNING = re.compile(r"running\(|element\(|@page[^{]*:(?:first|nth)\b")

MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
                "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom",
                "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner")
# A chapter's body is laid out without anything in the page margins (the furniture draws it).
NO_MARGINS = "".join(
    f"@page{selector} {{ " + " ".join(f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES) + " }\n"
    for selector in ("", " :left", " :right", " :first", " :blank"))
HIDDEN = "height:0;margin:0;padding:0;border:0;overflow:hidden;visibility:hidden"


@dataclass(frozen=True)
class Part:
    """One chapter of the book: its HTML, the anchors it holds, the anchors it links to."""

    html: str
    ids: frozenset
    targets: tuple  # sorted anchors it links to (its own and the others')
    printed: tuple = ()  # sorted anchors whose page number it prints
    numbered: frozenset = frozenset()  # which of its links (by order, from 0) print a number


@dataclass(frozen=True)
class Book:
    head: str  # up to and including <body>, with the page numbers rewritten
    tail: str  # </body></html>
    front: Part
    chapters: tuple  # of Part
    layers: tuple = (frozenset(), frozenset())  # the margin boxes printing strings, and those printing the page

    def front_html(self, numbers: dict) -> str:
        return self.head + with_numbers(self.front, numbers) + self.tail

    def body_html(self, index: int, numbers: dict) -> str:
        head = self.head.replace("</head>", f"<style>{NO_MARGINS}</style>\n</head>", 1)
        return head + with_numbers(self.chapters[index], numbers) + self.tail

    def heads_html(self) -> str:
        """The running heads of every chapter: for each, its first page, a left-hand and a right-hand
        page (and a blank one, so that the next starts on the right), the strings the running heads
        print (the book's title, the chapter's short title) set on its first page, which holds the
        anchor gb-head-<its index>; the folios left out."""
        title = COVER_TITLE.search(self.front.html)
        blocks = []
        for i, chapter in enumerate(self.chapters):
            label = CHAPTER_LABEL.search(chapter.html)
            strings = (title.group(0) if title and not i else "") + (label.group(0) if label else "")
            blocks.append(f'<div id="gb-head-{i}" style="break-before:right"><div style="{HIDDEN}">{strings}</div></div>'
                          + '<div style="break-before:page"></div>' * (HEAD_PAGES - 1))
        head = self.head.replace("</head>", f"<style>{_emptied(self.layers[1])}</style>\n</head>", 1)
        return head + "".join(blocks) + self.tail

    def folios_html(self, run: int, pages: int = 0) -> str:
        """The folios of `pages` pages (a whole run unless given) from page run * FOLIO_RUN + 1, the
        running heads left out (the first is a right-hand page: an odd number)."""
        head = self.head.replace("</head>", f"<style>{_emptied(self.layers[0])}\n"
                                 f"@page :first {{ counter-reset: page {run * FOLIO_RUN + 1}; }}</style>\n</head>", 1)
        return head + "<div></div>" + '<div style="break-before:page"></div>' * ((pages or FOLIO_RUN) - 1) + self.tail


HEAD_PAGES = 3  # a chapter's first page, then a left-hand and a right-hand one: every page of it is one of these
FOLIO_RUN = 128  # folios laid out together (a run starts on an odd, right-hand, page)
FOLIO_STEP = 8  # the book's last run ends on a multiple of it: it changes only when the book outgrows it


def _emptied(boxes: frozenset) -> str:
    """The style that empties these page-margin boxes on every page."""
    return "".join(f"@page{selector} {{ " + " ".join(f"@{box} {{ content: none !important; }}" for box in sorted(boxes))
                   + " }\n" for selector in ("", " :left", " :right", " :first", " :blank"))


def _part(html: str, numbering) -> Part:
    ids = frozenset(ID.findall(html))
    links = [htmllib.unescape(t) for _, t in LINK.findall(html)]
    numbered = numbering(html, len(links))
    printed = tuple(sorted({links[i] for i in numbered}))
    return Part(html, ids, tuple(sorted(set(links))), printed, numbered)


def split(html: str) -> Book | None:
    """The book cut into front matter and chapters, or None if it cannot be cut safely."""
    start = html.find("<body>")
    end = html.rfind("</body>")
    if start < 0 or end < start:
        return None
    head, body, tail = html[: start + len("<body>")], html[start + len("<body>"): end], html[end:]
    layers = _layers(head)
    if "<body>" in body or not supported(head) or layers is None or not _recto(head):
        return None
    cuts = [m.start() for m in CHAPTER.finditer(body)]
    if not cuts or UNSUPPORTED.search(body):
        return None
    pieces = [body[a:b] for a, b in zip(cuts, [*cuts[1:], len(body)])]
    if any(not piece.rstrip().endswith("</article>") for piece in pieces):
        return None
    numbering = _numbering(head)
    return Book(TARGET_COUNTER.sub("attr(data-gb-page)", head), tail, _part(body[: cuts[0]], numbering),
                tuple(_part(piece, numbering) for piece in pieces), layers)


def supported(head: str) -> bool:
    """Whether the book's style sheet leaves nothing that runs from one chapter to the next, other than
    what the parts are given (page numbers, the book's title and the chapter's short title in the
    running heads): no counter but footnotes and pages, no string set by other elements (the furniture
    sets only the cover title's and the chapter label's), no running elements, no page total."""
    if UNSUPPORTED.search(TARGET_COUNTER.sub("", head)) or RUNNING.search(head):
        return False
    for value in COUNTERS.findall(head):
        if any(word not in OWN_COUNTERS and not re.fullmatch(r"[+-]?\d+|!important", word) for word in value.split()):
            return False
    if _printed_on_blank_pages(head):
        return False
    return all("cover-title" in selector or "chapter-label" in selector for selector in _string_setters(head))


CHAPTER_BREAK = re.compile(r"\.chapter\s*\{[^}]*break-before:\s*([\w-]+)")


def _recto(css: str) -> bool:
    """Whether chapters start on a right-hand page (the last `.chapter` rule setting it says so)."""
    found = CHAPTER_BREAK.findall(css)
    return bool(found) and found[-1] in ("right", "recto")


def _layers(css: str) -> tuple | None:
    """The page-margin boxes of a chapter's pages that print strings (or fixed text), and those that
    print the page number; None if a box prints both, or a box name is in both (then the book is laid
    out whole)."""
    heads, folios = set(), set()
    for selector, box, content in _margin_contents(css):
        if selector not in ("", ":left", ":right") or content == "none":
            continue
        if "counter(" in content:
            if "string(" in content or re.sub(r"counter\(\s*page\s*\)", "", content).count("counter("):
                return None
            folios.add(box)
        else:
            heads.add(box)
    return None if heads & folios else (frozenset(heads), frozenset(folios))


def _margin_contents(css: str) -> list[tuple[str, str, str]]:
    """(page selector, margin box, its content) for every margin box given a content."""
    out = []
    for m in PAGE_RULE.finditer(css):
        selector, depth, end = m.group(1).strip(), 1, m.end()
        while depth and end < len(css):
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        for box, body in MARGIN_RULE.findall(css[m.end(): end]):
            content = CONTENT.search(body)
            if box in MARGIN_BOXES and content:
                out.append((selector, box, content.group(1).replace("!important", "").strip()))
    return out


PAGE_RULE = re.compile(r"@page\s*([^{]*)\{")
MARGIN_RULE = re.compile(r"@([a-z-]+)\s*\{([^{}]*)\}")
CONTENT = re.compile(r"(?:^|[;\s])content\s*:\s*([^;]+)")


def _printed_on_blank_pages(css: str) -> set:
    """The page-margin boxes that print something on a blank page (one left empty so that a chapter
    starts on the right): the boxes given content for every page, or every left or right page, that
    `@page :blank` does not empty. The joined book's blank pages print nothing, so the book is then
    laid out whole (a sample's note at the foot of every page, say)."""
    printed, emptied = set(), set()
    for selector, box, content in _margin_contents(css):
        if selector == ":blank" and content == "none":
            emptied.add(box)
        elif selector in ("", ":left", ":right") and content != "none":
            printed.add(box)
    return printed - emptied


def _string_setters(css: str) -> list[str]:
    """The selectors of the rules that set a string (the text before each such rule's brace)."""
    out = []
    for m in STRING_SET.finditer(css):
        brace = css.rfind("{", 0, m.start())
        if brace >= 0 and css.rfind("}", 0, m.start()) < brace:
            out.append(css[max(css.rfind(c, 0, brace) for c in "{};") + 1: brace])
    return out


def with_numbers(part: Part, numbers: dict) -> str:
    """Each link of `part` that prints a page number with its target's number (data-gb-page)."""
    count = itertools.count()

    def add(m: re.Match) -> str:
        if next(count) not in part.numbered:
            return m.group(0)
        page = numbers.get(htmllib.unescape(m.group(2)), "")
        return f'<a data-gb-page="{page}"{m.group(1)}href="#{m.group(2)}"'

    return LINK.sub(add, part.html)


STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
GROUPS = {"media", "supports"}


def _numbering(head: str):
    """The function that tells which links of a part print a page number: those the selectors of the
    rules printing `target-counter(attr(href url), page)` match (`a.xref::after` matches the link). Every
    link, when the style sheet is one this cannot read through (a linked or imported sheet, such a
    rule in an at-rule other than @media and @supports, a selector cssselect2 does not know)."""
    def every(html: str, count: int) -> frozenset:
        return frozenset(range(count))

    if re.search(r"<link\b[^>]*stylesheet|@import", head, re.I):
        return every
    selectors = _numbering_selectors("".join(STYLE.findall(head)))
    if selectors is None:
        return every
    if not selectors:
        return lambda html, count: frozenset()

    def numbering(html: str, count: int) -> frozenset:
        found = _matching_links(html, count, selectors)
        return every(html, count) if found is None else found

    return numbering


def _numbering_selectors(css: str) -> list | None:
    import cssselect2
    import tinycss2

    found: list = []

    def walk(rules) -> bool:
        for rule in rules:
            if rule.type == "qualified-rule":
                if TARGET_COUNTER.search(tinycss2.serialize(rule.content)):
                    try:
                        found.extend(cssselect2.compile_selector_list(rule.prelude))
                    except cssselect2.SelectorError:
                        return False
            elif rule.type == "at-rule" and rule.content is not None:
                if rule.lower_at_keyword in GROUPS:
                    if not walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)):
                        return False
                elif TARGET_COUNTER.search(tinycss2.serialize(rule.content)):
                    return False
        return True

    return found if walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)) else None


def _matching_links(html: str, count: int, selectors: list) -> frozenset | None:
    """The links (by order) of a part's HTML that the selectors match; None if the HTML parser does not
    find the links the pattern finds (then every link counts)."""
    import cssselect2
    import lxml.html

    root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    links = [e for e in root.iter("a") if (e.get("href") or "").startswith("#") and len(e.get("href")) > 1]
    if len(links) != count:
        return None
    order = {id(e): i for i, e in enumerate(links)}
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    out = set()
    for element in wrapper.iter_subtree():
        if id(element.etree_element) in order and any(s.test(element) for s in selectors):
            out.add(order[id(element.etree_element)])
    return frozenset(out)
