"""The whole guide as one self-contained HTML file (<slug>-completa.html) that opens offline.

CSS, fonts, images and charts are inlined as data URIs; nothing is fetched from anywhere.
Cross-references stay '#anchor' links (element ids are unique across the guide); footnote ids,
which pandoc numbers per chapter, get the chapter id as prefix.
"""

from __future__ import annotations

import base64
import mimetypes
import re

from markupsafe import Markup

from guidebuilder.core.files import write_text
from guidebuilder.model.guide import Guide
from guidebuilder.render.base import RenderContext
from guidebuilder.render.html.pages import chapter_body, checklists, mark_english, wrap_tables

MIME = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".webp": "image/webp", ".woff2": "font/woff2"}
FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn\d+|fnref\d+|footnotes)"')


def data_uri(name: str, data: bytes) -> str:
    mime = MIME.get("." + name.rsplit(".", 1)[-1].lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def inline_css(guide: Guide) -> str:
    """site.css with its fonts as data URIs (only the fonts it names, so the file stays small)."""
    css_path = guide.asset("css", "site.css")
    css = css_path.read_text(encoding="utf-8") if css_path else ""
    fonts = guide.asset("fonts", "atkinson-hyperlegible")

    def font(m: re.Match) -> str:
        name = m.group(1).rsplit("/", 1)[-1]
        if fonts and (fonts / name).is_file():
            return f'url("{data_uri(name, (fonts / name).read_bytes())}")'
        return "local(sans-serif)"

    # the fonts are in the file: wait for them (block) rather than lay the page out in a fallback (optional)
    css = re.sub(r'url\("\.\./fuentes/([^"]+)"\)', font, css)
    return css.replace("font-display: optional", "font-display: block")


def write(guide: Guide, env, ctx: RenderContext, sizes: dict) -> None:
    files = dict(guide.generated)
    images = guide.root / "images"
    if images.is_dir():
        for p in sorted(q for q in images.rglob("*") if q.is_file()):
            files[str(p.relative_to(guide.root))] = p.read_bytes()

    def inline_images(html: str) -> str:
        def repl(m: re.Match) -> str:
            src = m.group(2)
            return f'{m.group(1)}="{data_uri(src, files[src])}"' if src in files else m.group(0)
        return re.sub(r'\b(src|srcset)="([^"]+)"', repl, html)  # srcset: a chart's phone variant

    chapters = []
    for chapter in guide.chapters:
        html = chapter_body(guide, chapter, sizes, None, ctx.cache)
        html = html.replace(' loading="lazy"', "")  # one file: every image is already there
        # card titles point at the site's own pages, which are not in this file: keep the card's anchor
        html = re.sub(r'<a href="(?:practicas|canales)/[^"]+\.html">(.*?)</a>', r"\1", html)
        html = FOOTNOTE_ID.sub(lambda m: f'{m.group(1)}{chapter.id}-{m.group(2)}"', html)
        html = wrap_tables(checklists(mark_english(html)))
        chapters.append({"chapter": chapter, "body": Markup(inline_images(html))})
    script = guide.asset("js", "sitio.js")  # ticks kept, copy-link buttons: as on the site
    script = Markup(script.read_text(encoding="utf-8")) if script else ""
    page = env.get_template("html/single.html").render(guide=guide, config=guide.config, chapters=chapters,
                                                       css=Markup(inline_css(guide)), script=script)
    write_text(ctx.out / f"{guide.slug}-completa.html", page)
