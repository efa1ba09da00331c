"""Social cards: PNG images for social networks made from the guide's own texts, with the guide's fonts
and colours (HTML + CSS laid out by WeasyPrint as one PDF, a page per card, then rasterised by pypdfium2).

Cards (names shared with the site's Open Graph tags, render/html):

    guia                    the guide: title, subtitle, publisher, the site's address
    paso-1 … paso-5         each step (data/steps.yml): number, title, summary
    practica-<id>           each highlighted practice (guide/didactico/didactico.yml `highlighted:`)

each as `tarjetas/<name>-1080.png` (1080 × 1080) and `tarjetas/<name>-1200x630.png` (link preview), plus
`tarjetas/textos-alternativos.json`: {"<file name>": "<alt text>"} for every image. Text is at least
48 px on the square cards and 40 px on the link previews; colours are the leaflet's screen palette (white
on blue, black on amber: both above the AA contrast of 4.5:1). The whole set is cached by its HTML and
every file it loads, so a rebuild with no change costs a cache read.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from guidebuilder.core.digest import source_digest
from guidebuilder.core.files import write_bytes
from guidebuilder.core.placeholders import PENDING_URL
from guidebuilder.model.errors import GuideError
from guidebuilder.model.messages import t
from guidebuilder.model.guide import Guide
from guidebuilder.render.paged import printing as P
from guidebuilder.render.paged.fonts import font_faces
from guidebuilder.render.paged.weasy import Scope, layout_key

SIZES = (("1080", 1080, 1080), ("1200x630", 1200, 630))
MIN_PX = {"1080": 48, "1200x630": 40}
FOLDER = "tarjetas"
ALT_FILE = "textos-alternativos.json"
POSTS_FILE = "publicaciones-sugeridas.txt"


@dataclass(frozen=True)
class Card:
    name: str  # guia, paso-1, practica-<id>
    kicker: str
    title: str
    lines: tuple[str, ...]
    alt: str
    post: str  # a suggested text to post with it


def site_address(guide: Guide) -> str:
    url = guide.site_url
    return url.split("://", 1)[-1].rstrip("/") if url else PENDING_URL


def cards(guide: Guide) -> list[Card]:
    """Every card the guide has, from guide.yml, steps.yml and the highlighted practices."""
    c, address, url = guide.config, site_address(guide), guide.site_url or PENDING_URL
    d = guide.didactico.config if guide.didactico else None
    invite = d.post_invitation if d else "Consulta la guía completa:"
    tags = (" " + " ".join(d.hashtags)) if d and d.hashtags else ""
    out = [Card("guia", c.publisher, c.title, tuple(x for x in (c.subtitle,) if x),
                _alt(c.title, [c.publisher, c.subtitle or ""], address),
                f"{c.title}. {c.subtitle or ''} {invite} {url}{tags}".replace("  ", " "))]
    total = len(guide.data.steps)
    for step in guide.data.steps:
        kicker = f"Paso {step.number} de {total}"
        out.append(Card(f"paso-{step.number}", kicker, step.title, (step.summary,),
                        _alt(step.title, [kicker, step.summary], address),
                        f"{c.title}, {kicker.lower()}: {step.title}. {step.summary} {invite} {url}{tags}"))
    by_id = {p.id: p for p in guide.public_practices()}
    for pid in (d.highlighted if d else ()):
        p = by_id.get(pid)
        if p is None:  # unverified: kept out of the public edition, so no card either
            continue
        meta = f"{p.institution} · {p.place} · {p.year}"
        source = p.sources[0].title if p.sources else ""
        out.append(Card(f"practica-{p.id}", "Buena práctica", p.title, (meta,),
                        _alt(p.title, ["Buena práctica", meta], address),
                        f"Buena práctica: {p.title} ({p.institution}, {p.year}). {' '.join(p.summary.split())}"
                        + (f" Fuente: {source}." if source else "") + f" {invite} {url}{tags}"))
    return out


def _alt(title: str, lines: list[str], address: str) -> str:
    parts = [p for p in lines if p]
    return f"Tarjeta con el texto «{title}». " + ". ".join(p.rstrip(".") for p in parts) + f". {address}."


def card_files(card: Card) -> list[str]:
    return [f"{card.name}-{size}.png" for size, _, _ in SIZES]


def html(guide: Guide, items: list[Card], env) -> str:
    css_path = guide.asset("css", "tarjetas.css")
    css = env.from_string(css_path.read_text(encoding="utf-8")).render(c=P.colours(False), sizes=SIZES) \
        if css_path else ""
    return env.get_template("didactico/tarjetas.html").render(
        cards=items, sizes=SIZES, css=Markup(font_faces(guide) + css), address=site_address(guide),
        language=guide.config.language, title=guide.config.title)


def render_pngs(guide: Guide, cache, env) -> dict[str, bytes]:
    """Every card's PNG by file name (cached as one set)."""
    items = cards(guide)
    page = html(guide, items, env)
    scope = Scope(guide.root.resolve(), tuple(d.resolve() for d in guide.asset_dirs), {})
    key = layout_key("cards", page, scope.root, scope.asset_dirs, {}, _pdfium_version(),
                     source_digest("render/paged/cards.py"))
    stored = cache.get_bytes("cards", key)
    if stored is None:
        pngs = rasterise(lay_out_cards(scope, page, items, cache), [(w, h) for it in items for _, w, h in SIZES])
        names = [n for it in items for n in card_files(it)]
        stored = _pack(dict(zip(names, pngs)))
        cache.put_bytes("cards", key, stored)
    return _unpack(stored)


def lay_out_cards(scope: Scope, page: str, items: list[Card], cache) -> bytes:
    """The cards' PDF, a page per card; a card whose text does not fit stops the build."""
    from guidebuilder.render.paged.weasy import fetcher, laying_out, weasyprint_classes

    HTML, FontConfiguration = weasyprint_classes()
    with laying_out():
        document = HTML(string=page, url_fetcher=fetcher(scope, cache)).render(font_config=FontConfiguration())
    expected = [f"{it.name}-{size}" for it in items for size, _, _ in SIZES]
    found = [card_on(p) for p in document.pages]
    long = [name for name, box in (card_box(p) for p in document.pages) if box is not None and overflows(box)]
    long += [name for name in expected if found.count(name) != 1 and name not in long]
    if found != expected or long:
        raise GuideError.of(t("cards.what"), "cards.too_long", names=", ".join(long) or t("cards.one"))
    return document.write_pdf()


def card_box(page):
    """(card name, its layout box) on a page."""
    for box in P.iter_boxes(page._page_box):
        element = getattr(box, "element", None)
        if element is not None and "tarjeta" in (element.get("class") or "").split() \
                and getattr(box, "element_tag", "") == "section":
            return element.get("id", ""), box
    return "", None


def card_on(page) -> str:
    return card_box(page)[0]


def overflows(card) -> bool:
    """Whether the card's text runs past its content box (into the room kept for the address, or off it)."""
    limit = card.content_box_y() + card.height + 0.5
    for box in P.iter_boxes(card):
        element = getattr(box, "element", None)
        if element is not None and "sitio" in (element.get("class") or "").split():
            continue
        if type(box).__name__ == "LineBox" and not _inside_sitio(box) and box.position_y + box.height > limit:
            return True
    return False


def _inside_sitio(line) -> bool:
    return any("sitio" in ((getattr(b, "element", None) is not None and b.element.get("class")) or "").split()
               for b in P.iter_boxes(line))


def rasterise(pdf: bytes, sizes: list[tuple[int, int]], scale: float = 96 / 72) -> list[bytes]:
    """Each PDF page as a PNG of exactly the given pixel size (CSS px: 96 per inch)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    out = []
    try:
        for index, (width, height) in enumerate(sizes):
            page = document[index]
            image = page.render(scale=scale).to_pil().convert("RGB")
            if image.size != (width, height):
                image = image.resize((width, height))
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=True)
            out.append(buf.getvalue())
            page.close()
    finally:
        document.close()
    return out


def _pdfium_version() -> str:
    from importlib.metadata import version

    return version("pypdfium2")


def _pack(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in sorted(files.items()):
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def _unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def alt_texts(guide: Guide) -> dict[str, str]:
    return {name: card.alt for card in cards(guide) for name in card_files(card)}


def write_cards(guide: Guide, out: Path, cache) -> list[Path]:
    """Write every card and the alt-text sidecar under out/tarjetas/ (the site calls this with build/html)."""
    from guidebuilder.render.templating import environment

    written = []
    for name, data in sorted(render_pngs(guide, cache, environment(guide, cache)).items()):
        write_bytes(out / FOLDER / name, data)
        written.append(out / FOLDER / name)
    sidecar = json.dumps(alt_texts(guide), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_bytes(out / FOLDER / ALT_FILE, sidecar.encode())
    return [*written, out / FOLDER / ALT_FILE]



def posts_text(guide: Guide) -> str:
    """The suggested post for each card, with the image to attach and its alt text (plain text, UTF-8)."""
    lines = [f"Publicaciones sugeridas — {guide.config.title}", "",
             "Cada publicación lleva su imagen (cuadrada para redes, 1200x630 para vista previa de enlaces) y el "
             "texto alternativo que la describe (textos-alternativos.json).", ""]
    for card in cards(guide):
        files = card_files(card)
        lines += [f"== {card.name} ==", f"Imagen: {files[0]} (o {files[1]})", f"Texto alternativo: {card.alt}",
                  "Texto sugerido:", card.post, ""]
    return "\n".join(lines)


def svg_to_png(guide: Guide, svg: bytes, cache, env, scale: float = 2.0) -> bytes:
    """A chart's SVG as a PNG at `scale` × its CSS size, drawn with the guide's fonts (cached)."""
    import base64
    import re

    match = re.search(rb'<svg[^>]*\swidth="([\d.]+)(pt|px)?"[^>]*\sheight="([\d.]+)(pt|px)?"', svg)
    width, height = (float(match.group(1)), float(match.group(3))) if match else (720.0, 432.0)
    if match and match.group(2) == b"pt":
        width, height = width * 4 / 3, height * 4 / 3
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    faces = font_faces(guide) + font_faces(guide, "Atkinson Cifras", "atkinson-cifras")  # charts name both
    page = (f"<!DOCTYPE html><html><head><style>{faces}@page {{ size: {width:.2f}px {height:.2f}px; "
            f"margin: 0 }} html, body {{ margin: 0 }} img {{ display: block; width: {width:.2f}px; "
            f"height: {height:.2f}px }}</style></head><body><img src=\"{uri}\" alt=\"\"></body></html>")
    scope = Scope(guide.root.resolve(), tuple(d.resolve() for d in guide.asset_dirs), {})
    key = layout_key("chart-png", page, scope.root, scope.asset_dirs, {}, scale, _pdfium_version(),
                     source_digest("render/paged/cards.py"))

    def make() -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        from guidebuilder.render.paged.weasy import fetcher

        pdf = HTML(string=page, url_fetcher=fetcher(scope, cache)).write_pdf(font_config=FontConfiguration())
        return rasterise(pdf, [(round(width * scale), round(height * scale))], scale * 96 / 72)[0]

    return cache.bytes("cards", key, make)
