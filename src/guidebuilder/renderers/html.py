"""The HTML edition: a multi-page site (issue 4 takes it further)."""

from __future__ import annotations

import shutil
from pathlib import Path

from markupsafe import Markup

from .. import ast as A
from ..convert import to_html
from ..model import Guide
from ..output import write_bytes, write_text
from ..templating import environment
from . import RenderContext


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


class HtmlRenderer:
    name = "html"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        env = environment(guide)
        page_of = {c.id: f"{c.id}.html" for c in guide.chapters}
        toc = [{"href": page_of[c.id], "title": c.title, "id": c.id} for c in guide.chapters]
        for i, chapter in enumerate(guide.chapters):
            ctx.progress(f"html: {chapter.id}")
            body = to_html(rewrite_links(guide, chapter.blocks, page_of), ctx.cache)
            page = env.get_template("html/chapter.html").render(
                guide=guide, config=guide.config, chapter=chapter, body=Markup(body), toc=toc,
                prev=toc[i - 1] if i else None, next=toc[i + 1] if i + 1 < len(toc) else None)
            write_text(ctx.out / page_of[chapter.id], page)
        home = env.get_template("html/index.html").render(guide=guide, config=guide.config, toc=toc)
        write_text(ctx.out / "index.html", home)
        self.copy_assets(guide, ctx.out)

    @staticmethod
    def copy_assets(guide: Guide, out: Path) -> None:
        for name, data in sorted(guide.generated.items()):
            write_bytes(out / name, data)
        css = guide.asset("css", "site.css")
        if css:
            write_bytes(out / "estilos" / "site.css", css.read_bytes())
        fonts = guide.asset("fonts", "atkinson-hyperlegible")
        if fonts:
            for font in sorted(fonts.glob("*.woff2")):
                write_bytes(out / "fuentes" / font.name, font.read_bytes())
        images = guide.root / "images"
        if images.is_dir():
            from ..sources import inside
            from ..transforms import image_problem

            # only real images inside the guide: never a file linked from outside, nor an SVG with a script
            for img in sorted(p for p in images.rglob("*") if p.is_file()):
                if inside(guide.root, img) and image_problem(img) is None:
                    write_bytes(out / img.relative_to(guide.root), img.read_bytes())
