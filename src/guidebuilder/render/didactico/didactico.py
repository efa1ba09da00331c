"""The `didactico` format: what teaches, posts and publishes the guide, all from its own sources
(build/didactico/; docs/didactico.md):

    <slug>-taller.pptx, <slug>-taller.pdf        the workshop's slides (pandoc + assets/reference.pptx;
                                                 the PDF laid out by LibreOffice, cached by the deck's bytes)
    <slug>-cartel-<size>.pdf                     the poster (A3, tabloid), screen PDF
    print/<slug>-cartel-<size>-pdfx.pdf          the poster's PDF/X-4 print file, 3 mm bleed, crop marks
    <slug>-carta-adopcion.docx / .pdf            the model letter of voluntary adoption (blank lines to fill in)
    entidades/<id>/…                             the poster with the entity's contact (entities with contact
                                                 data) and the letter with its name (entities named by --entity)
    tarjetas/<name>-1080.png, -1200x630.png      the social cards (render/paged/cards.py), their alt texts
    tarjetas/textos-alternativos.json            and tarjetas/publicaciones-sugeridas.txt (post texts)

Each piece is made in its own task through the build's Parallel, each cached by its inputs.
"""

from __future__ import annotations

from pathlib import Path

from guidebuilder.core.files import write_bytes
from guidebuilder.model.guide import Guide
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.didactico import letter, poster, slides
from guidebuilder.render.paged import cards


class DidacticoRenderer:
    name = "didactico"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        if guide.didactico is None:
            ctx.progress("didactico: the guide has no guide/didactico/ folder")
            return ctx.result()
        named = [e for e in guide.public_entities() if e.id in entity_ids(guide, ctx.options.get("entity"))]
        tasks = [lambda: make_slides(guide, ctx.cache), lambda: poster.make(guide, ctx.cache, ctx.options),
                 lambda: letter.make(guide, ctx.cache, named), lambda: make_cards(guide, ctx.cache)]
        ctx.progress("didactico: slides, poster, letter, social cards")
        for made in ctx.parallel.run(tasks, workers=2):
            for rel, data, pages in made:
                write_bytes(ctx.out / rel, data)
                if pages is not None:
                    ctx.laid_out(ctx.out / rel, pages)
        return ctx.result()


def entity_ids(guide: Guide, option: str | None) -> set[str]:
    """The entities named with --entity (an id, a comma-separated list, or 'all')."""
    if not option:
        return set()
    if option.strip() == "all":
        return {e.id for e in guide.public_entities()}
    return {x.strip() for x in option.split(",") if x.strip()}


def make_slides(guide: Guide, cache) -> list:
    """The deck and its PDF: [(file, bytes, page texts or None)]."""
    from guidebuilder.render.templating import environment

    charts: dict = {}
    blocks = slides.deck_blocks(guide, charts)
    env = environment(guide, cache)
    images, alts = {}, {}
    for group, (source, caption, alt, name) in sorted(charts.items()):
        images[name] = cards.svg_to_png(guide, guide.generated[source], cache, env)
        alts[name] = alt
    deck = slides.write_pptx(guide, blocks, images, alts, guide.asset("reference.pptx"), cache)
    fonts = sorted((guide.asset("fonts", "atkinson-hyperlegible") or Path("/nonexistent")).glob("*.ttf"))
    pdf = slides.pdf_of(deck, f"{guide.slug}-taller.pptx", fonts, cache)
    return [(f"{guide.slug}-taller.pptx", deck, None), (f"{guide.slug}-taller.pdf", pdf, None)]


def make_cards(guide: Guide, cache) -> list:
    """The social cards, their alt texts and the suggested posts, for build/didactico/tarjetas/."""
    import json

    from guidebuilder.render.templating import environment

    out = [(f"{cards.FOLDER}/{name}", data, None)
           for name, data in sorted(cards.render_pngs(guide, cache, environment(guide, cache)).items())]
    alts = json.dumps(cards.alt_texts(guide), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    out.append((f"{cards.FOLDER}/{cards.ALT_FILE}", alts.encode(), None))
    out.append((f"{cards.FOLDER}/{cards.POSTS_FILE}", cards.posts_text(guide).encode(), None))
    return out
