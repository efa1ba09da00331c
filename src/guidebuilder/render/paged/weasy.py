"""WeasyPrint, set up once for every paged output (book, large print, leaflets, report).

- `lay_out_all`: several documents laid out side by side through the build's `Parallel`, each cached
  by its HTML and every file it can load, with the text of its pages (for the personal-data scan).
- `lay_out`: one document: its PDF bytes and the text of each page, from WeasyPrint's boxes.
- `fetcher`: files only from the guide and asset folders (and generated charts); never the network.
- `wpfix.apply()` corrects the pinned WeasyPrint's column balancing before every layout.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator
from urllib.parse import unquote, urlsplit

from guidebuilder.checks.privacy import pdf_findings, pdf_key
from guidebuilder.core.digest import digest, tree_digest
from guidebuilder.model.errors import ToolError
from guidebuilder.pandoc.tools import time_limit
from guidebuilder.render.paged.fonts import unpacked_font
from guidebuilder.render.paged.tagging import finish
from guidebuilder.model.messages import t

# The second and later documents of lay_out_all (the large print) yield the cores to the first (the book).
LATER_LAYOUTS_NICENESS = 19


@dataclass(frozen=True)
class Scope:
    """What a layout may load: the guide folder, the asset folders and the files transforms made."""

    root: Path
    asset_dirs: tuple
    generated: dict = field(default_factory=dict)


@dataclass
class Laid:
    """One laid-out document: its PDF, the text of each page, and the personal-data findings made
    beside the layout (None when the layout came from the cache)."""

    pdf: bytes
    pages: list[str] | None
    findings: list | None = None


def layout_key(kind: str, html: str, root: Path, asset_dirs, generated: dict, *extra: Any) -> str:
    """The key of a WeasyPrint layout: its HTML and every file it can load (images, fonts, CSS)."""
    from importlib.metadata import version

    from guidebuilder.core.digest import source_digest

    return digest(kind, html, version("weasyprint"), source_digest("render/paged/tagging.py", "render/paged/wpfix.py", "render/paged/weasy.py"),
                  tree_digest(root / "images"), _linked_images(html, root),
                  [tree_digest(Path(d)) for d in asset_dirs],
                  sorted((name, hashlib.sha256(data).hexdigest()) for name, data in generated.items()), *extra)


def _linked_images(html: str, root: Path) -> list:
    """The guide files the HTML shows from outside guide/images/ (an image kept beside its chapter), with
    their hashes: a layout is made again when one of them changes."""
    out = []
    for src in sorted(set(re.findall(r'\bsrc="([^":?#]+)"', html))):
        path = root / unquote(src)
        if not src.startswith("images/") and path.is_file():
            out.append((src, hashlib.sha256(path.read_bytes()).hexdigest()))
    return out


def lay_out_all(scope, documents: list, cache, parallel, variant: str | None = "pdf/ua-1") -> list[Laid]:
    """Lay out several documents (the book and its large print), side by side when there are cores.

    A document is its HTML, or a function that makes it (then made in the worker that lays it out).
    The first document keeps its worker's priority; the others run at a lower one, so they take the
    cores it leaves. Results come in document order.
    """
    tasks = [lambda document=document: _lay_out_cached(scope, document, cache, variant, parallel)
             for document in documents]
    lower = [LATER_LAYOUTS_NICENESS if i else 0 for i in range(len(documents))]
    if len(documents) > 1 and parallel.cores > 1:
        load_weasyprint()  # once, before the fork, not in each worker
        return parallel.run(tasks, lower)
    return [task() for task in tasks]


def _lay_out_cached(scope, document, cache, variant: str | None, parallel) -> Laid:
    html = document() if callable(document) else document
    key = layout_key("pdf", html, scope.root, scope.asset_dirs, scope.generated, variant)
    pdf = cache.get_bytes("layout", key)
    if pdf is not None:
        return Laid(pdf, recall_text(cache, pdf))
    scans: list = []
    try:
        pdf, pages = lay_out(scope, html, variant, cache,
                             lambda pages: scans.append(parallel.beside(lambda: pdf_findings(pages))))
    except BaseException:
        if scans:
            scans[0]()  # the scanning child is waited for, not left behind
        raise
    cache.put_bytes("layout", key, pdf)
    keep_text(cache, pdf, pages)
    return Laid(pdf, pages, scans[0]())


def write_pdf(scope, html: str, cache, variant: str | None = "pdf/ua-1") -> Laid:
    """One document laid out (cached by its HTML and every file it can load)."""
    from guidebuilder.render.base import InOrder

    return _lay_out_cached(scope, html, cache, variant, InOrder())


def keep_text(cache, pdf: bytes, pages: list[str]) -> None:
    """Keep the text of a layout's pages beside it in the cache."""
    cache.put_bytes("pdf-text", pdf_key(pdf), json.dumps(pages, ensure_ascii=False).encode())


def recall_text(cache, pdf: bytes) -> list[str] | None:
    """The text of a cached layout's pages (None if it is not kept: the scan then reads the PDF)."""
    data = cache.get_bytes("pdf-text", pdf_key(pdf))
    if data is not None:
        try:
            return json.loads(data)
        except ValueError:
            pass
    return None


def page_texts(document) -> list[str]:
    """The text WeasyPrint set on each page (body, footnotes, running heads), a line per line box."""
    from weasyprint.formatting_structure import boxes

    out = []
    for page in document.pages:
        lines: list[str] = []

        def walk(box) -> None:
            if isinstance(box, boxes.LineBox):
                lines.append("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)))
                return
            for child in getattr(box, "children", ()):
                walk(child)

        walk(page._page_box)
        out.append("\n".join(lines))
    return out


def load_weasyprint() -> None:
    """Import WeasyPrint (with wpfix's corrections) in this process, before it forks layout workers:
    they inherit it instead of each spending half a second importing it. Failures are left to the
    layout, which reports them."""
    try:
        from guidebuilder.render.paged.wpfix import apply

        apply()
        import pikepdf  # noqa: F401  (tagging.finish, in each worker)
        import weasyprint  # noqa: F401
        from weasyprint.text.fonts import FontConfiguration  # noqa: F401
    except (ImportError, OSError):
        pass


def weasyprint_classes() -> tuple:
    """WeasyPrint's HTML and FontConfiguration, with wpfix's corrections applied (a ToolError, said
    plainly, when WeasyPrint cannot start: no Pango, say)."""
    from guidebuilder.render.paged.wpfix import apply

    apply()
    try:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise ToolError("WeasyPrint", t("tool.doing.start"), str(exc), t("tool.fix.pango"))
    return HTML, FontConfiguration


@contextmanager
def laying_out() -> Iterator[None]:
    """A layout under the tool time limit; whatever WeasyPrint raises (many kinds) becomes a ToolError
    that says what we were doing."""
    try:
        with time_limit("WeasyPrint", t("tool.doing.layout"), t("tool.fix.layout")):
            yield
    except ToolError:
        raise
    except Exception as exc:
        raise ToolError("WeasyPrint", t("tool.doing.layout"), f"{type(exc).__name__}: {exc}",
                        t("tool.fix.layout")) from exc


def lay_out(scope, html: str, variant: str | None, cache,
            laid_out: Callable[[list[str]], None] | None = None) -> tuple[bytes, list[str]]:
    """Lay out one document: its PDF bytes and the text of each page (given to `laid_out`, if
    set, as soon as the pages are made, before the PDF is written)."""
    HTML, FontConfiguration = weasyprint_classes()
    kwargs = {"pdf_variant": variant} if variant else {}
    with laying_out():
        document = HTML(string=html, base_url=str(scope.root) + "/", url_fetcher=fetcher(scope, cache)) \
            .render(font_config=FontConfiguration(), **kwargs)
        pages = page_texts(document)
        if laid_out is not None:
            laid_out(pages)
        pdf = document.write_pdf(uncompressed_pdf=False, **kwargs)
        return (finish(pdf) if variant and variant.startswith("pdf/ua") else pdf), pages


def fetcher(scope, cache=None):
    """Serve generated files and files inside the guide or assets folders; refuse the network.

    WOFF2 fonts are served already unpacked to TrueType (kept in memory and in build/.cache), since
    WeasyPrint would unpack each one in pure Python for every document.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = scope.root.resolve()
    roots = [str(root), *[str(d.resolve()) for d in scope.asset_dirs]]

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = unquote(urlsplit(url).path)
                rel = path[len(str(root)) + 1:] if path.startswith(str(root) + "/") else None
                if rel is not None and rel in scope.generated:
                    return URLFetcherResponse(url, scope.generated[rel], {"Content-Type": "image/svg+xml"})
                if not any(path == r or path.startswith(r + "/") for r in roots):
                    raise ValueError(f"refusing to read {path}: outside the guide and assets folders")
                if path.endswith(".woff2"):
                    return URLFetcherResponse(url, unpacked_font(Path(path), cache), {"Content-Type": "font/ttf"})
                return super().fetch(url, headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"refusing to fetch {url}: outputs are built offline")

    return OfflineFetcher(allowed_protocols=("file", "data"))
