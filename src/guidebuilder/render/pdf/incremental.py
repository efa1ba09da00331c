"""The book laid out part by part, the parts side by side, each cached; then joined (assemble.py).

A book (and its large print) is cut by split.py into the front matter and the chapters. Each chapter's
body is laid out alone, without its page margins, so its layout depends only on its own HTML (and the
page numbers it prints in cross-references): a chapter whose text did not change is taken from
build/.cache/ even when it now starts on another page. The running heads and folios (the furniture)
are drawn from two layers of empty pages that do not depend on where a chapter starts: the running
heads of every chapter (its first, a left-hand and a right-hand page) and runs of 128 folios (the last
ending on a multiple of 8); a chapter that moves takes its folios from other pages of the same runs, so
a page move lays out nothing again but, when the book outgrows it, the last run.
Only a part that prints a page number carries the map (split.py): the others do not depend on it.

Page numbers printed in the text (the contents, cross-references) come from the page map of the whole
book: where each anchor is. The map is known only once the parts are laid out, and the parts print
it, so the parts are laid out in rounds, starting from the previous build's map: a part is laid out
again only when a number it prints changed; the rounds end when the map no longer changes (a cold
build: two rounds for the parts that print numbers, the first only a probe that counts pages and
finds anchors, never written as a PDF; an edit that moves no printed number: one). The result
depends only on the sources, never on the previous build: a build that reuses parts gives the same
bytes as a cold one.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field

from guidebuilder.core.digest import digest, source_digest
from guidebuilder.render.paged.tagging import complete
from guidebuilder.render.paged.weasy import Laid, layout_key, load_weasyprint, write_pdf
from guidebuilder.render.pdf.assemble import Chapter, assemble
from guidebuilder.render.pdf.fontshare import font_dirs_of, read_faces
from guidebuilder.render.pdf.parts import Layout, fonts_ready, lay_out_part
from guidebuilder.render.pdf.split import FOLIO_RUN, FOLIO_STEP, Book, split

MAX_ROUNDS = 4


@dataclass
class Plan:
    """One document (the book or its large print) on its way through the rounds."""

    book: Book
    numbers: dict  # anchor -> the page number printed for it, as the parts are laid out now
    done: bool = False
    probing: bool = False  # no page map to start from: the parts that print numbers are only probed first
    front: str = ""  # the layout key of each part
    bodies: list = field(default_factory=list)
    heads: str = ""  # the chapters' running heads
    folios: dict = field(default_factory=dict)  # run of folios -> its layout key


def lay_out_book(scope, documents: list, cache, parallel, variant: str = "pdf/ua-1", stats: dict | None = None) -> list:
    """Like weasy.lay_out_all for the book's documents: each cut into parts, laid out part by part
    (only what changed), joined into one PDF. A document that cannot be cut is laid out whole."""
    makers = [lambda document=document: document() if callable(document) else document for document in documents]
    # the editions' HTML made side by side (the cache entries they add come back with them), WeasyPrint
    # loaded here meanwhile (the layout workers inherit it)
    if len(makers) > 1 and parallel.cores > 1:
        htmls = parallel.run(makers, meanwhile=load_weasyprint)
    else:
        htmls = [make() for make in makers]
    base = layout_key("book-part", "", scope.root, scope.asset_dirs, scope.generated, variant,
                      source_digest("render/pdf/parts.py", "render/pdf/split.py"))
    plans = {}
    for i, html in enumerate(htmls):
        book = split(html)
        if book is not None:
            known = _previous_map(cache, i)
            plans[i] = Plan(book, known, probing=not known)
    laid: dict[str, Layout] = {}
    counts = stats if stats is not None else {}
    for kind in ("front", "body", "furniture", "probe", "reused", "rounds", "whole"):
        counts.setdefault(kind, 0)
    for _ in range(MAX_ROUNDS):
        counts["rounds"] += 1
        wanted: dict = {}
        for plan in (p for p in plans.values() if not p.done):
            if plan.bodies:  # the furniture of the last round's pages, laid out beside this round's parts:
                _request_furniture(plan, base, laid, wanted)  # usually the final one (no round of its own)
            _request(plan, base, variant, wanted)
        _lay_out_missing(scope, wanted, laid, cache, parallel, counts, lambda: read_faces(font_dirs_of(scope)))
        for plan in plans.values():
            if not plan.done:
                plan.done = _settle(plan, laid) and not plan.probing
                plan.probing = False
        if all(plan.done for plan in plans.values()):
            break
    wanted = {}
    for plan in plans.values():
        if plan.done:
            _request_furniture(plan, base, laid, wanted)
    _lay_out_missing(scope, wanted, laid, cache, parallel, counts)
    joins = []
    for i in range(len(htmls)):
        plan = plans.get(i)
        if plan is not None and plan.done:
            cache.put_bytes("book-page-map", _map_key(i), json.dumps(plan.numbers, sort_keys=True).encode())
            joins.append(lambda plan=plan: _join(plan, laid, variant, font_dirs_of(scope), cache))
    joined = iter(parallel.run(joins) if len(joins) > 1 else [join() for join in joins])
    out = [next(joined) if i in plans and plans[i].done else None for i in range(len(htmls))]
    counts["whole"] = sum(1 for laid_out in out if laid_out is None)
    if os.environ.get("GUIDEBUILDER_PDF_DEBUG") == "1":  # which path each document took, what was laid out
        print(f"pdf parts: {json.dumps(counts, sort_keys=True)}", file=sys.stderr)
    return [laid_out or write_pdf(scope, html, cache, variant) for laid_out, html in zip(out, htmls)]


def _map_key(index: int) -> str:
    return digest("book-page-map", index)


def _previous_map(cache, index: int) -> dict:
    """The page map the last build ended with: the first guess (only a guess: it decides how many
    rounds are needed, never what is printed)."""
    data = cache.get_bytes("book-page-map", _map_key(index))
    try:
        return json.loads(data) if data else {}
    except ValueError:
        return {}


def _external(part) -> tuple:
    """The anchors a part links to that another part holds (stand-ins keep those links)."""
    return tuple(t for t in part.targets if t not in part.ids)


def _request(plan: Plan, base: str, variant, wanted: dict) -> None:
    """This round's layouts of the front matter, the chapters' bodies and their running heads: a part
    that prints page numbers while the plan has no map yet is only probed (its pages counted, its
    anchors found)."""
    book = plan.book

    def want(kind: str, part, html: str) -> str:
        kind = "probe" if plan.probing and part.printed else kind
        key = digest(base, kind, html, _external(part))
        wanted[key] = (kind, html, _external(part), variant)
        return key

    plan.front = want("front", book.front, book.front_html(plan.numbers))
    plan.bodies = [want("body", part, book.body_html(i, plan.numbers)) for i, part in enumerate(book.chapters)]
    plan.heads = _want_furniture(base, book.heads_html(), wanted)


def _want_furniture(base: str, html: str, wanted: dict) -> str:
    key = digest(base, "furniture", html)
    wanted[key] = ("furniture", html, (), None)
    return key


def _offsets(plan: Plan, laid: dict) -> list[int]:
    """The number of pages before each chapter (a blank page keeps each on a right-hand page: split.py
    cuts only such a book)."""
    pos = len(laid[plan.front].texts)
    out = []
    for key in plan.bodies:
        if pos % 2:
            pos += 1
        out.append(pos)
        pos += len(laid[key].texts)
    return out


def _settle(plan: Plan, laid: dict) -> bool:
    """The page map these layouts make; True if it is the one they were laid out with."""
    numbers = {name: str(page + 1) for name, page in laid[plan.front].anchors.items()}
    for offset, key in zip(_offsets(plan, laid), plan.bodies):
        for name, page in laid[key].anchors.items():
            numbers.setdefault(name, str(offset + page + 1))
    targets = set(plan.book.front.printed).union(*(p.printed for p in plan.book.chapters))
    same = all(numbers.get(t, "") == plan.numbers.get(t, "") for t in targets)
    plan.numbers = {t: numbers[t] for t in sorted(targets) if t in numbers}
    return same


def _request_furniture(plan: Plan, base: str, laid: dict, wanted: dict) -> None:
    """The runs of folios the chapters' pages need (each run the same in every build)."""
    runs, end = set(), 0
    for offset, key in zip(_offsets(plan, laid), plan.bodies):
        end = offset + len(laid[key].texts)
        runs.update(range(offset // FOLIO_RUN, (end - 1) // FOLIO_RUN + 1))
    last = -(-end // FOLIO_STEP) * FOLIO_STEP  # the last run's pages, rounded up
    plan.folios = {run: _want_furniture(base, plan.book.folios_html(run, min(FOLIO_RUN, last - run * FOLIO_RUN)), wanted)
                   for run in sorted(runs)}


def _join(plan: Plan, laid: dict, variant, font_dirs: tuple = (), cache=None) -> Laid | None:
    """The parts joined: over each page of a chapter, its running head (the chapter's first page, or
    its left- or right-hand page) and its folio. None if a layer lacks a page (then laid out whole)."""
    front = laid[plan.front]
    layers = [plan.heads, *plan.folios.values()]
    index = {key: n for n, key in enumerate(layers)}
    heads = laid[plan.heads]
    chapters, texts = [], list(front.texts)
    for i, (offset, key) in enumerate(zip(_offsets(plan, laid), plan.bodies)):
        body = laid[key]
        texts.extend([""] * (offset - len(texts)))
        first = heads.anchors.get(f"gb-head-{i}")
        over = []
        for page, text in enumerate(body.texts):
            number = offset + page  # from 0: odd on a left-hand page
            drawn = ((plan.heads, None if first is None else first + (0 if page == 0 else 1 if number % 2 else 2)),
                     (plan.folios.get(number // FOLIO_RUN), number % FOLIO_RUN))
            if any(layer is None or at is None or at >= len(laid[layer].texts) for layer, at in drawn):
                return None
            over.append(tuple((index[layer], at) for layer, at in drawn))
            texts.append("\n".join(t for t in (text, *(laid[layer].texts[at] for layer, at in drawn)) if t))
        layers_drawn = [tuple((layers[n], at, n) for n, at in page) for page in over]
        chapters.append(Chapter(body.pdf, frozenset(body.anchors), tuple(over),
                                digest("book-page-streams", key, layers_drawn, source_digest("render/pdf/assemble.py"))))
    kept = None if cache is None else lambda key, make: cache.bytes("book-page-streams", key, make)
    return Laid(assemble(front.pdf, frozenset(front.anchors), chapters, [laid[key].pdf for key in layers],
                         font_dirs, complete if variant and variant.startswith("pdf/ua") else None, kept), texts)


def _lay_out_missing(scope, wanted: dict, laid: dict, cache, parallel, counts: dict, meanwhile=None) -> None:
    """Lay out, side by side, the parts not laid out yet in this build nor kept in the cache (and run
    `meanwhile` here while the workers do)."""
    todo = []
    for key, (kind, html, external, variant) in sorted(wanted.items()):
        if key in laid:
            continue
        found = _recall(cache, key) if kind != "probe" else None
        if found is not None:
            laid[key] = found
            counts["reused"] += 1
        else:
            todo.append((key, kind, html, external, variant))
    # the longest first, so that the last to finish is a short one
    todo.sort(key=lambda item: -len(item[2]))
    tasks = [lambda html=html, external=external, variant=variant, kind=kind:
             lay_out_part(scope, html, variant, cache, external, kind == "probe")
             for _, kind, html, external, variant in todo]
    fonts_ready([html for _, _, html, _, _ in todo])  # made once, here: the workers inherit them
    if len(tasks) > 1 or (tasks and meanwhile is not None):
        results = parallel.run(tasks, meanwhile=meanwhile)
    else:
        results = [task() for task in tasks]
    for (key, kind, *_), layout in zip(todo, results):
        laid[key] = layout
        counts[kind] += 1
        if kind != "probe":
            cache.put_bytes("book-part", key, layout.pdf)
            cache.put_bytes("book-part-meta", key, json.dumps([layout.texts, layout.anchors], ensure_ascii=False).encode())


def _recall(cache, key: str) -> Layout | None:
    pdf = cache.get_bytes("book-part", key)
    meta = cache.get_bytes("book-part-meta", key)
    if pdf is None or meta is None:
        return None
    try:
        texts, anchors = json.loads(meta)
    except ValueError:
        return None
    return Layout(pdf, texts, anchors)


