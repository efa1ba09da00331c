"""The HTML edition: a light, accessible multi-page site, searchable with pagefind.

Pages (all paths relative to build/html/):

- index.html, <chapter-id>.html: the home page and one page per chapter;
- practicas/<id>.html, canales/<id>.html: one page per public good practice and per channel;
- catalogo/practicas*.html, catalogo/canales*.html: pre-built filtered lists (plain links, no JS);
- buscar.html (+ buscar.js, pagefind/): the search page;
- asistente/*.html: the guided finder, a static path of question pages ending in a plan (finder.py);
- <slug>-completa.html: the whole guide in one self-contained file (see single.py);
- descargas/: the other editions, placed there by the builder (downloads.py).

Every page carries a meta description, Open Graph and Twitter cards (the image is the page's social card,
drawn into tarjetas/ by render/paged/cards.py, as an absolute URL, only when guide.yml has a real `url:`), and
"Última actualización": the edition date in guide.yml (`date:`), the one dated source every output
shares (git is not there at build time, and file times would make builds differ).

What the pages share (chapter bodies, link rewriting, table boxes) is in pages.py.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from guidebuilder.core.files import write_bytes, write_text
from guidebuilder.core.placeholders import find_placeholders
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.html import catalogue as html_catalogue
from guidebuilder.render.html import downloads as html_downloads
from guidebuilder.render.html import finder as html_finder
from guidebuilder.render.html import search
from guidebuilder.render.html import single as html_single
from guidebuilder.render.html.pages import (KIND_SLUG, chapter_body, checklists, english, image_sizes, index_once,
                                            mark_english, wrap_tables)
from guidebuilder.render.paged.cards import alt_texts, write_cards
from guidebuilder.render.templating import environment
from guidebuilder.transforms.blocks import KIND_LABEL

SCRIPTS = ("buscar.js", "filtro.js", "sitio.js", "asistente.js")
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
        write_cards(guide, ctx.out, ctx.cache)  # tarjetas/: the social cards the Open Graph tags point at
        site = Site(guide, env, ctx.out, html_downloads.offered(guide, ctx.options))
        sizes = image_sizes(guide)
        self.write_chapters(site, ctx, sizes)
        site.write("index.html", "html/index.html", title=guide.config.title, description=guide.config.subtitle,
                   breadcrumbs=[], kind="Inicio", downloads_here=False)
        ctx.progress("html: catalogue pages")
        html_catalogue.write_pages(site, ctx.out)
        html_finder.write_pages(site)
        site.write("buscar.html", "html/search.html", title="Buscar en la guía", kind="Buscador",
                   description="Buscar palabras en toda la guía: capítulos, buenas prácticas y canales.",
                   breadcrumbs=[("Inicio", "index.html")], header_search=False, indexed=False, current="buscar",
                   preload_font=False)  # the search bundle first on a slow line
        self.copy_assets(guide, ctx.out)
        write_text(ctx.out / search.WORDS, search.word_list(guide))
        write_text(ctx.out / search.TITLES, search.title_list(guide))
        ctx.progress("html: single-file edition")
        html_single.write(guide, env, ctx, sizes)
        ctx.progress("html: search index (pagefind)")
        search.index_site(ctx.out)
        return ctx.result()

    @staticmethod
    def write_chapters(site: Site, ctx: RenderContext, sizes: dict) -> None:
        guide = site.guide
        page_of = {c.id: f"{c.id}.html" for c in guide.chapters}
        toc = site.toc
        for i, chapter in enumerate(guide.chapters):
            ctx.progress(f"html: {chapter.id}")
            body = checklists(index_once(mark_english(chapter_body(guide, chapter, sizes, page_of, ctx.cache))))
            head, rest = split_after_h1(wrap_tables(body))
            site.write(page_of[chapter.id], "html/chapter.html", current=chapter.id, chapter=chapter,
                       title=chapter.title, description=chapter.summary, kind="Capítulo",
                       card=site.card(site.step_cards.get(chapter.id)),
                       body_head=Markup(head), body=Markup(rest), contents=page_contents(chapter),
                       breadcrumbs=[("Inicio", "index.html")], crumb=chapter.short_title,
                       prev=toc[i - 1] if i else None, next=toc[i + 1] if i + 1 < len(toc) else None)

    @staticmethod
    def copy_assets(guide: Guide, out: Path) -> None:
        for name, data in sorted(guide.generated.items()):
            write_bytes(out / name, data)
        css = guide.asset("css", "site.css")
        if css:
            write_bytes(out / "estilos" / "site.css", css.read_bytes())
        for name in SCRIPTS:
            js = guide.asset("js", name)
            if js:
                write_bytes(out / name, js.read_bytes())
        icon = guide.asset("images", "favicon.svg")
        if icon:
            write_bytes(out / "favicon.svg", icon.read_bytes())
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


CARDS = "tarjetas"


class Site:
    """What every page shares: the table of contents, the templates, the guide, the downloads offered."""

    def __init__(self, guide: Guide, env, out: Path, downloads: list):
        self.guide, self.env, self.out, self.downloads = guide, env, out, downloads
        self.cards = alt_texts(guide)
        review = guide.config.review  # "Sugerir un cambio": the review contact, never a placeholder address
        self.suggest = {"email": review.contact_email, "name": review.contact_name} \
            if review and not find_placeholders(review.contact_email) else None
        self.toc = [{"href": f"{c.id}.html", "title": c.title, "short": c.short_title, "id": c.id,
                     "summary": c.summary, "number": c.number, "appendix": c.appendix} for c in guide.chapters]
        by_file = {c.file.split("/")[-1]: c.id for c in guide.chapters}
        self.step_cards = {by_file[s.chapter]: f"paso-{s.number}" for s in guide.data.steps if s.chapter in by_file}
        self.has = {"has_practices": bool(guide.public_practices()), "has_channels": bool(guide.data.channels),
                    "has_finder": html_finder.available(guide)}

    def card(self, name: str | None) -> dict:
        """The social card of a page (render/paged/cards.py draws them into tarjetas/ with their alt texts):
        its own when there is one (a step's, a highlighted practice's), else the guide's."""
        file = f"{name}-1200x630.png"
        if file not in self.cards:
            file = "guia-1200x630.png"
        return {"path": f"{CARDS}/{file}", "alt": self.cards.get(file, self.guide.config.title)}

    def render(self, template: str, path: str, **values) -> str:
        values.setdefault("root", "../" * path.count("/"))
        values.setdefault("current", None)
        values.setdefault("header_search", True)
        values.setdefault("preload_font", True)
        values.setdefault("indexed", True)
        values.setdefault("description", None)
        values.setdefault("kind", "Página")
        values.setdefault("card", self.card(None))
        values.setdefault("downloads_here", values.get("kind") == "Capítulo")
        values.setdefault("kind_label", KIND_LABEL)
        values.setdefault("kind_slug", KIND_SLUG)
        values.setdefault("english", english)
        return self.env.get_template(template).render(
            guide=self.guide, config=self.guide.config, toc=self.toc, slug=self.guide.slug, page_path=path,
            updated=self.guide.config.date, downloads=self.downloads, suggest=self.suggest, **self.has, **values)

    def write(self, path: str, template: str, **values) -> None:
        write_text(self.out / path, self.render(template, path, **values))
