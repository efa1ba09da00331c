"""The HTML edition: a light, accessible multi-page site, searchable with pagefind.

Pages (all paths relative to build/html/):

- index.html, <chapter-id>.html: the home page and one page per chapter;
- practicas/<id>.html, canales/<id>.html: one page per public good practice and per channel;
- catalogo/practicas*.html, catalogo/canales*.html: pre-built filtered lists (plain links, no JS);
- buscar.html (+ buscar.js, pagefind/): the search page;
- <slug>-completa.html: the whole guide in one self-contained file (see html_single.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from guidebuilder.pandoc import ast as A
from guidebuilder.transforms.blocks import KIND_LABEL
from guidebuilder.pandoc.convert import to_html
from guidebuilder.model.errors import Diagnostic, GuideError
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.build.output import write_bytes, write_text
from guidebuilder.render.templating import environment
from guidebuilder.render.base import RenderContext

KIND_SLUG = {"digital": "digital", "non-digital": "no-digital"}
RESERVED_PAGES = {"index", "buscar", "404"}
FONTS = ("atkinson-hyperlegible-latin-400-normal.woff2", "atkinson-hyperlegible-latin-700-normal.woff2",
         "atkinson-hyperlegible-latin-400-italic.woff2")
LONG_CHAPTER_SECTIONS = 3  # chapters with at least this many sections get "En esta página"


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
        elif t in ("RawBlock", "RawInline") and not chapter.raw_html:
            # load.py never lets raw HTML through without raw_html: true; this is defence in depth
            return {"t": "Str", "c": node["c"][1]} if t == "RawInline" else A.para(node["c"][1])
        return None

    return A.walk(list(chapter.blocks), fix)


def chapter_body(guide: Guide, chapter: Chapter, sizes: dict, page_of: dict[str, str] | None, cache) -> str:
    """A chapter's HTML for the site (links between pages rewritten by page_of; None: for the
    single-file edition, where every anchor is in the one file), cached by everything web_blocks and
    rewrite_links read, so that an edit elsewhere converts nothing here."""
    from guidebuilder.build.cache import digest, source_digest

    key = digest("html-body", source_digest("render/html/site.py"), chapter.id, chapter.raw_html, chapter.blocks, sizes, page_of,
                 guide.anchors if page_of is not None else None,
                 [p.id for p in guide.public_practices()], [c.id for c in guide.data.channels])

    def make() -> bytes:
        blocks = web_blocks(guide, chapter, sizes)
        if page_of is not None:
            blocks = rewrite_links(guide, blocks, page_of)
        return to_html(blocks, cache).encode()

    return cache.bytes("html-body", key, make).decode()


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


def page_contents(chapter: Chapter) -> list[dict]:
    """The chapter's level-2 sections, for the in-page contents of long chapters."""
    items = []
    for block in chapter.blocks:
        if block.get("t") == "Header" and block["c"][0] == 2 and block["c"][1][0] \
                and "unlisted" not in block["c"][1][1]:
            items.append({"href": f"#{block['c'][1][0]}", "title": A.stringify(block["c"][2])})
    return items if len(items) >= LONG_CHAPTER_SECTIONS else []


def wrap_tables(html: str) -> str:
    """Put each table in a keyboard-focusable box that scrolls sideways when the screen is narrow."""
    count = [0]

    def wrap(m: re.Match) -> str:
        count[0] += 1
        cap = re.search(r"<caption>(.*?)</caption>", m.group(0), flags=re.S)
        label = re.sub(r"<[^>]+>", "", cap.group(1)).strip() if cap else f"Tabla {count[0]}"
        label = label.replace('"', "&quot;")
        return f'<div class="tabla" tabindex="0" role="group" aria-label="{label}">{m.group(0)}</div>'

    html = re.sub(r"<table.*?</table>", wrap, html, flags=re.S)
    # an empty corner cell of a header row names nothing: a plain cell, so screen readers skip it
    return html.replace("<th></th>", "<td></td>")


def split_after_h1(body: str) -> tuple[str, str]:
    end = body.find("</h1>")
    if end < 0:
        return "", body
    end += len("</h1>")
    return body[:end], body[end:]


# ---------------------------------------------------------------- the renderer

class HtmlRenderer:
    name = "html"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        from guidebuilder.render.html import catalogue as html_catalogue, single as html_single
        from guidebuilder.render.html import search

        check_page_names(guide)
        env = environment(guide)
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
        ctx.progress("html: single-file edition")
        html_single.write(guide, env, ctx, sizes)
        ctx.progress("html: search index (pagefind)")
        search.index_site(ctx.out)

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
            from guidebuilder.transforms.pipeline import image_problem

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


def check_page_names(guide: Guide) -> None:
    """A chapter id must not take the name of a page or folder the site makes itself."""
    for chapter in guide.chapters:
        if chapter.id in RESERVED_PAGES or chapter.id == f"{guide.slug}-completa":
            raise GuideError(Diagnostic(chapter.file, 1, 0, f"the chapter id '{chapter.id}' is also the name of a "
                                        "page or folder of the HTML site",
                                        "give the chapter another id in its front matter (id: …)"))
