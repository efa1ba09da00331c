"""The site's search index, made by pagefind (PyPI `pagefind[bin]`) over the staged HTML folder.

Pagefind reads lang="es-MX" on <html> and stems Spanish words, so "radios" finds "radio".
Only elements marked data-pagefind-body (chapters, practice and channel pages, the home page) are
indexed; catalogue lists, the finder, the search page and the single-file edition are left out, and so are
the practice and channel cards inside chapters (pages.index_once): each practice is found once, on its
own page. Each page says its kind (data-pagefind-meta "tipo": chapter, practice, channel), shown with
its result.
The index runs in the browser (WebAssembly) from static files: no server code.
For a slow line, buscar-titulos.json (written after indexing) carries what buscar.js needs before the
bundle answers: the titles to search at once, each indexed page's title by its id in the bundle (results
are shown as soon as the index answers, their excerpts as their fragments come) and the index chunks'
word ranges (the chunks a query needs are asked for as it is typed). dev/searchspeed.py times it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from guidebuilder.model.errors import ToolError
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.tools import run_tool
from guidebuilder.model.messages import t

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
        raise ToolError("pagefind", t("tool.doing.find", tool="pagefind"), str(exc), t("tool.fix.pagefind")) from None
    if found is None:
        raise ToolError("pagefind", t("tool.doing.find", tool="pagefind"), t("tool.detail.not_installed"),
                        t("tool.fix.pagefind"))
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
             "pagefind", t("tool.doing.index", site=site), timeout=PAGEFIND_TIMEOUT, env=env)
    bundle = site / BUNDLE
    if not (bundle / "pagefind.js").is_file():
        raise ToolError("pagefind", t("tool.doing.index", site=site), t("tool.detail.no_pagefind"),
                        t("tool.fix.pagefind_body"))
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
SIGNATURE = b"pagefind_dcd"  # what every pagefind file starts with, once ungzipped


def _unpack(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ToolError("pagefind", t("tool.doing.read_bundle", path=path), t("tool.detail.not_bundle"),
                        t("tool.fix.pagefind_version"))
    return data[len(SIGNATURE):]


def _cbor(data: bytes, at: int = 0):
    """(value, next offset) of the CBOR item at `at`: the few kinds pagefind's meta file uses (unsigned
    integers, strings, arrays)."""
    kind, info = data[at] >> 5, data[at] & 31
    at += 1
    if info >= 24:
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            raise ValueError(f"CBOR length {info} at byte {at - 1}")
        info, at = int.from_bytes(data[at:at + size], "big"), at + size
    if kind == 0:
        return info, at
    if kind in (2, 3):
        raw = data[at:at + info]
        return (raw.decode() if kind == 3 else raw), at + info
    if kind == 4:
        items = []
        for _ in range(info):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR kind {kind} at byte {at - 1}")


def bundle_pages(site: Path) -> dict[str, list[str]]:
    """Each indexed page's id in the bundle (its fragment's name) → [title, url, kind], read back from the
    fragments pagefind wrote, so that buscar.js shows a full-text result's title as soon as the index
    answers, and its excerpt when the fragment comes."""
    pages = {}
    for path in sorted((site / BUNDLE / "fragment").glob("*.pf_fragment")):
        page = json.loads(_unpack(path))
        meta = page.get("meta", {})
        pages[path.name.removesuffix(".pf_fragment")] = [meta.get("title", page["url"]), page["url"].lstrip("/"),
                                                         meta.get("tipo", "")]
    return pages


def index_chunks(site: Path) -> list[list[str]]:
    """The index's chunks as [first word, last word, path under the site], from pagefind's meta file: with
    them buscar.js asks for the chunks a query needs as it is typed, while the bundle is still loading
    (pagefind itself can only ask once its WebAssembly has come and read the meta file)."""
    metas = sorted((site / BUNDLE).glob("*.pf_meta"))
    try:
        meta, _ = _cbor(_unpack(metas[0]))
        return [[first, last, f"{BUNDLE}/index/{name}.pf_index"] for first, last, name in meta[2]]
    except (IndexError, ValueError, TypeError) as exc:
        raise ToolError("pagefind", t("tool.doing.read_bundle", path=site / BUNDLE),
                        t("tool.detail.bundle_format", detail=exc), t("tool.fix.pagefind_version")) from None


def title_list(guide, site: Path) -> str:
    """Every page title and chapter section (level 2 and 3, with its anchor), as {"k": kinds, "r": [title,
    url, kind index] rows}: a few kilobytes that buscar.js searches at once while pagefind's bundle is still
    on its way, so a slow line shows first results early. Practice and channel cards are left out (they
    have pages of their own). Written after pagefind has indexed `site`, it also holds "p": each indexed
    page's id → [title, url, kind index] (bundle_pages) and "x": the index chunks (index_chunks)."""
    kinds: list[str] = []
    rows: list[list] = []

    def kind_index(kind: str) -> int:
        if kind not in kinds:
            kinds.append(kind)
        return kinds.index(kind)

    def add(title: str, url: str, kind: str) -> None:
        rows.append([title, url, kind_index(kind)])

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
    pages = {page_id: [title, url, kind_index(kind)] for page_id, (title, url, kind) in bundle_pages(site).items()}
    return json.dumps({"k": kinds, "r": rows, "p": pages, "x": index_chunks(site)},
                      ensure_ascii=False, separators=(",", ":"))
