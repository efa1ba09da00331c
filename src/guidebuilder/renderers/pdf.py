"""The PDF book through WeasyPrint (issue 5 takes it further)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from .. import ast as A
from ..convert import to_html
from ..errors import ToolError
from ..model import Guide
from ..output import write_bytes
from ..templating import environment
from ..tools import time_limit
from . import RenderContext


def print_html(guide: Guide, ctx: RenderContext, template: str = "pdf/book.html", **extra) -> str:
    """The whole book as one HTML document for WeasyPrint."""
    env = environment(guide)
    chapters = [{"chapter": c, "body": Markup(to_html(c.blocks, ctx.cache))} for c in guide.chapters]
    return env.get_template(template).render(guide=guide, config=guide.config, chapters=chapters, **extra)


def write_pdf(guide: Guide, html: str, variant: str | None = "pdf/ua-1") -> bytes:
    """Lay out HTML with WeasyPrint into PDF bytes, resolving files against the guide's folders."""
    try:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise ToolError("WeasyPrint", "starting up", str(exc),
                        "run 'make guide' again; WeasyPrint needs Pango (scripts/system-deps.sh installs it)")
    try:
        fonts = FontConfiguration()
        document = HTML(string=html, base_url=str(guide.root) + "/", url_fetcher=_fetcher(guide))
        kwargs = {"pdf_variant": variant} if variant else {}
        with time_limit("WeasyPrint", "laying out the PDF", "check the CSS in assets/css/ and the images the guide uses"):
            return document.write_pdf(font_config=fonts, uncompressed_pdf=False, **kwargs)
    except ToolError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; wrap them with what we were doing
        raise ToolError("WeasyPrint", "laying out the PDF", f"{type(exc).__name__}: {exc}",
                        "check the CSS in assets/css/ and the images the guide uses") from exc


def _fetcher(guide: Guide):
    """Serve generated files and files inside the guide or assets folders; refuse the network."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = guide.root.resolve()
    roots = [str(root), *[str(d.resolve()) for d in guide.asset_dirs]]

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = unquote(urlsplit(url).path)
                rel = path[len(str(root)) + 1:] if path.startswith(str(root) + "/") else None
                if rel is not None and rel in guide.generated:
                    return URLFetcherResponse(url, guide.generated[rel], {"Content-Type": "image/svg+xml"})
                if not any(path == r or path.startswith(r + "/") for r in roots):
                    raise ValueError(f"refusing to read {path}: outside the guide and assets folders")
                return super().fetch(url, headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"refusing to fetch {url}: outputs are built offline")

    return OfflineFetcher(allowed_protocols=("file", "data"))


class PdfRenderer:
    name = "pdf"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        ctx.progress("pdf: book")
        html = print_html(guide, ctx, css=self.css(guide))
        write_bytes(ctx.out / f"{guide.slug}.pdf", write_pdf(guide, html))

    @staticmethod
    def css(guide: Guide, name: str = "book.css") -> str:
        path = guide.asset("css", name)
        return font_faces(guide) + (path.read_text(encoding="utf-8") if path else "")


def font_faces(guide: Guide, family: str = "Atkinson Hyperlegible", folder: str = "atkinson-hyperlegible") -> str:
    """@font-face rules pointing at the font files in the assets folder (absolute file URLs)."""
    rules = []
    base = guide.asset("fonts", folder)
    if base is None:
        return ""
    for weight in (400, 700):
        for style in ("normal", "italic"):
            for subset in ("latin", "latin-ext"):
                path = base / f"{folder}-{subset}-{weight}-{style}.woff2"
                if path.exists():
                    rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
                                 f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules) + "\n"
