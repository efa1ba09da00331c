"""The HTML edition: a light, accessible multi-page site, searchable with pagefind.

Pages (all paths relative to build/html/):

- index.html, <chapter-id>.html: the home page and one page per chapter;
- practicas/<id>.html, canales/<id>.html: one page per public good practice and per channel;
- catalogo/practicas*.html, catalogo/canales*.html: pre-built filtered lists (plain links, no JS);
- buscar.html (+ buscar.js, pagefind/): the search page;
- <slug>-completa.html: the whole guide in one self-contained file (see single.py).

What the pages share (chapter bodies, link rewriting, table boxes) is in pages.py.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from guidebuilder.core.files import write_bytes, write_text
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.html import catalogue as html_catalogue
from guidebuilder.render.html import search
from guidebuilder.render.html import single as html_single
from guidebuilder.render.paged.cards import write_cards
from guidebuilder.render.html.pages import KIND_SLUG, chapter_body, image_sizes, wrap_tables
from guidebuilder.render.templating import environment
from guidebuilder.transforms.blocks import KIND_LABEL

FONTS = ("atkinson-hyperlegible-latin-400-normal.woff2", "atkinson-hyperlegible-latin-700-normal.woff2",
         "atkinson-hyperlegible-latin-400-italic.woff2")
LONG_CHAPTER_SECTIONS = 3  # chapters with at least this many sections get "En esta página"


def page_contents(chapter: Chapter) -> list[dict]:
    """The chapter's level-2 sections, for the in-page contents of long chapters."""
    items = []
    for block in chapter.blocks:
        if block.get("t") == "Header" and block["c"][0] == 2 and block["c"][1][0] \
                and "unlisted" not in block["c"][1][1]:
            items.append({"href": f"#{block['c'][1][0]}", "title": A.stringify(block["c"][2])})
    return items if len(items) >= LONG_CHAPTER_SECTIONS else []


def split_after_h1(body: str) -> tuple[str, str]:
    end = body.find("</h1>")
    if end < 0:
        return "", body
    end += len("</h1>")
    return body[:end], body[end:]


# ---------------------------------------------------------------- the renderer

class HtmlRenderer:
    name = "html"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        env = environment(guide, ctx.cache)
        site = Site(guide, env)
        sizes = image_sizes(guide)
        page_of = {c.id: f"{c.id}.html" for c in guide.chapters}
        for i, chapter in enumerate(guide.chapters):
            ctx.progress(f"html: {chapter.id}")
            body = chapter_body(guide, chapter, sizes, page_of, ctx.cache)
            head, rest = split_after_h1(wrap_tables(body))
            toc = site.toc
            page = site.render("html/chapter.html", root="", current=chapter.id, chapter=chapter,
                               title=chapter.title, description=chapter.summary,
                               body_head=Markup(head), body=Markup(rest), contents=page_contents(chapter),
                               breadcrumbs=[("Inicio", "index.html")], crumb=chapter.short_title,
                               prev=toc[i - 1] if i else None, next=toc[i + 1] if i + 1 < len(toc) else None)
            write_text(ctx.out / page_of[chapter.id], page)
        write_text(ctx.out / "index.html", site.render("html/index.html", root="", title=guide.config.title,
                                                       description=guide.config.subtitle, breadcrumbs=[]))
        ctx.progress("html: catalogue pages")
        html_catalogue.write_pages(site, ctx.out)
        write_text(ctx.out / "buscar.html", site.render("html/search.html", root="", title="Buscar",
                                                        breadcrumbs=[("Inicio", "index.html")],
                                                        header_search=False, indexed=False))
        self.copy_assets(guide, ctx.out)
        write_cards(guide, ctx.out, ctx.cache)  # tarjetas/: the social cards the Open Graph tags point at
        ctx.progress("html: single-file edition")
        html_single.write(guide, env, ctx, sizes)
        ctx.progress("html: search index (pagefind)")
        search.index_site(ctx.out)
        return ctx.result()

    @staticmethod
    def copy_assets(guide: Guide, out: Path) -> None:
        for name, data in sorted(guide.generated.items()):
            write_bytes(out / name, data)
        css = guide.asset("css", "site.css")
        if css:
            write_bytes(out / "estilos" / "site.css", css.read_bytes())
        for name in ("buscar.js", "filtro.js"):
            js = guide.asset("js", name)
            if js:
                write_bytes(out / name, js.read_bytes())
        fonts = guide.asset("fonts", "atkinson-hyperlegible")
        if fonts:
            for name in FONTS:
                if (fonts / name).is_file():
                    write_bytes(out / "fuentes" / name, (fonts / name).read_bytes())
        images = guide.root / "images"
        if images.is_dir():
            from guidebuilder.load.sources import inside
            from guidebuilder.transforms.links import image_problem

            # only real images inside the guide: never a file linked from outside, nor an SVG with a script
            for img in sorted(p for p in images.rglob("*") if p.is_file()):
                if inside(guide.root, img) and image_problem(img) is None:
                    write_bytes(out / img.relative_to(guide.root), img.read_bytes())


class Site:
    """What every page shares: the table of contents, the templates, the guide."""

    def __init__(self, guide: Guide, env):
        self.guide, self.env = guide, env
        self.toc = [{"href": f"{c.id}.html", "title": c.title, "short": c.short_title, "id": c.id,
                     "summary": c.summary, "number": c.number, "appendix": c.appendix} for c in guide.chapters]

    def render(self, template: str, **values) -> str:
        values.setdefault("current", None)
        values.setdefault("header_search", True)
        values.setdefault("indexed", True)
        values.setdefault("description", None)
        values.setdefault("kind_label", KIND_LABEL)
        values.setdefault("kind_slug", KIND_SLUG)
        return self.env.get_template(template).render(guide=self.guide, config=self.guide.config,
                                                      toc=self.toc, slug=self.guide.slug, **values)
