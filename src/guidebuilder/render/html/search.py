"""The site's search index, made by pagefind (PyPI `pagefind[bin]`) over the staged HTML folder.

Pagefind reads lang="es-MX" on <html> and stems Spanish words, so "radios" finds "radio".
Only elements marked data-pagefind-body (chapters, practice and channel pages, the home page) are
indexed; catalogue lists, the finder, the search page and the single-file edition are left out, and so are
the practice and channel cards inside chapters (pages.index_once): each practice is found once, on its
own page. Each page says its kind (data-pagefind-meta "tipo": chapter, practice, channel), shown with
its result.
The index runs in the browser (WebAssembly) from static files: no server code.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from guidebuilder.model.errors import ToolError
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.tools import run_tool

PAGEFIND_TIMEOUT = 300
BUNDLE = "pagefind"
# Files of the default UI and the playground: the site has its own small search page (buscar.js).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js", "pagefind-component-ui.js", "pagefind-component-ui.css")


@lru_cache(maxsize=1)
def pagefind_path() -> str:
    """The pagefind program, found the way `python -m pagefind` finds it."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return override
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except (ImportError, FileNotFoundError) as exc:
        raise ToolError("pagefind", "looking for the pagefind program", str(exc),
                        "run 'make guide' again: it reinstalls pagefind[bin], which ships the program") from None
    if found is None:
        raise ToolError("pagefind", "looking for the pagefind program", "not installed",
                        "run 'make guide' again: it reinstalls pagefind[bin], which ships the program")
    return str(found)


def index_site(site: Path) -> None:
    """Write the search bundle into site/pagefind/ (replacing any previous one)."""
    env = dict(os.environ)
    env.pop("PAGEFIND_SITE", None)
    env["LC_ALL"] = "C.UTF-8"
    # one indexing thread: a precaution for byte-identical bundles (outputs were identical with and
    # without it in our runs; see docs/architecture.md)
    env["RAYON_NUM_THREADS"] = "1"
    run_tool([pagefind_path(), "--site", str(site), "--output-subdir", BUNDLE, "--keep-index-url", "--silent"],
             "pagefind", f"indexing the HTML site in {site}", timeout=PAGEFIND_TIMEOUT, env=env)
    bundle = site / BUNDLE
    if not (bundle / "pagefind.js").is_file():
        raise ToolError("pagefind", f"indexing the HTML site in {site}", "no pagefind.js was written",
                        "check that the pages have data-pagefind-body (assets/templates/html/base.html)")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


WORDS = "buscar-palabras.json"
WORD = re.compile(r"[a-záéíóúüñ]{4,}")


def word_list(guide) -> str:
    """The guide's words (four letters or more, found at least twice, or in a title), sorted, as JSON: what
    buscar.js offers in place of a word that finds nothing ("trasparencia" → "transparencia")."""
    counts: Counter = Counter()
    titles: set[str] = set()
    for chapter in guide.chapters:
        counts.update(WORD.findall(A.stringify(list(chapter.blocks)).lower()))
        titles.update(WORD.findall(chapter.title.lower()))
    for item in [*guide.public_practices(), *guide.data.channels, *guide.data.topics]:
        titles.update(WORD.findall(getattr(item, "title", None) or getattr(item, "name", "").lower()))
    words = sorted({w for w, n in counts.items() if n >= 2} | {w.lower() for w in titles})
    return json.dumps(words, ensure_ascii=False, separators=(",", ":"))


TITLES = "buscar-titulos.json"


def title_list(guide) -> str:
    """Every page title and chapter section (level 2 and 3, with its anchor), as {"k": kinds, "r": [title,
    url, kind index] rows}: a few kilobytes that buscar.js searches at once while pagefind's bundle is still
    on its way, so a slow line shows first results early. Practice and channel cards are left out (they
    have pages of their own)."""
    kinds: list[str] = []
    rows: list[list] = []

    def add(title: str, url: str, kind: str) -> None:
        if kind not in kinds:
            kinds.append(kind)
        rows.append([title, url, kinds.index(kind)])

    for chapter in guide.chapters:
        add(chapter.title, f"{chapter.id}.html", "Capítulo")
        for h in A.headers(list(chapter.blocks)):
            level, (ident, classes, _), inlines = h["c"]
            if level in (2, 3) and ident and "unlisted" not in classes:
                add(A.stringify(inlines), f"{chapter.id}.html#{ident}", f"Sección de «{chapter.short_title}»")
    for p in guide.public_practices():
        add(p.title, f"practicas/{p.id}.html", "Buena práctica")
    for c in guide.data.channels:
        add(c.name, f"canales/{c.id}.html", "Canal")
    return json.dumps({"k": kinds, "r": rows}, ensure_ascii=False, separators=(",", ":"))
