"""The poster for bulletin boards, in the leaflet's family (render/paged/printkit.py, printing.py):
A3 and tabloid, portrait; a screen PDF (sRGB) and a PDF/X-4 print file (CMYK, 3 mm bleed, crop marks in
the slug) per size; one edition per entity with contact data, as the leaflets have. Body text is at
least 24 pt at A3 (checked after layout, with the page count: the poster must fit on its sheet).

Content (guide/didactico/didactico.yml `poster:`): "pasos", the five steps from data/steps.yml, or
"donde-preguntar", the leaflet's panel inside-1; both with the QR code to the site and the contact block.
"""

from __future__ import annotations

import base64
from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup

from guidebuilder.core.digest import digest, source_digest
from guidebuilder.model.errors import GuideError, ToolError
from guidebuilder.model.guide import Guide
from guidebuilder.render.paged import printing as P
from guidebuilder.render.paged.fonts import font_faces
from guidebuilder.render.paged.printkit import VIRTUAL_ROOT, cmyk_fetcher, contact_html, qr_html, stable_fetcher
from guidebuilder.render.paged.weasy import Scope, fetcher, laying_out, layout_key, weasyprint_classes
from guidebuilder.model.messages import t

SIZES = {"a3": (297.0, 420.0), "tabloid": (279.4, 431.8)}
SIZE_NAMES = {"a3": "A3", "tabloid": "Tabloide (11 × 17 in)"}
MIN_PT = 24.0


def make(guide: Guide, cache, options: dict) -> list:
    """Every poster file: [(file, bytes, page texts)]."""
    from guidebuilder.checks.gate import select_entities
    from guidebuilder.render.templating import environment

    icc = P.cmyk_profile(guide)
    if icc is None:
        raise ToolError("poster", t("tool.doing.pdfx"), t("tool.detail.no_icc"), t("tool.fix.icc"))
    entities, _, _ = select_entities(guide, options.get("entity"))
    env = environment(guide, cache)
    out = []
    for entity in [None, *entities]:
        folder = "" if entity is None else f"entidades/{entity.id}/"
        stem = guide.slug if entity is None else f"{guide.slug}-{entity.id}"
        for size in SIZES:
            rgb, pages = lay_out(guide, env, entity, size, None, cache)
            pdfx, pages_x = lay_out(guide, env, entity, size, icc, cache)
            out += [(f"{folder}{stem}-cartel-{size}.pdf", rgb, pages),
                    (f"{folder}print/{stem}-cartel-{size}-pdfx.pdf", pdfx, pages_x)]
    return out


def page_html(guide: Guide, env, entity, size: str, icc: Path | None, cache) -> str:
    width, height = SIZES[size]
    colours = P.colours(icc is not None)
    kind = guide.didactico.config.poster
    panel = ""
    if kind == "donde-preguntar" and guide.leaflet is not None:
        from guidebuilder.pandoc.convert import to_html

        panel = Markup(to_html(list(guide.leaflet.panels.get("inside-1", ())), cache))
    icc_url = ("data:application/vnd.iccprofile;base64," + base64.b64encode(icc.read_bytes()).decode()) if icc else ""
    return env.get_template("didactico/cartel.html").render(
        guide=guide, config=guide.config, title=f"{guide.config.title} — cartel" + (f" — {entity.name}" if entity else ""),
        css=Markup(font_faces(guide)), print=icc is not None, width=width, height=height, c=colours,
        bleed=P.BLEED, slug=P.SLUG, mark_offset=P.MARK_OFFSET, mark_length=P.MARK_LENGTH, icc_url=icc_url,
        entity=entity, size_name=SIZE_NAMES[size], kind=kind, steps=guide.data.steps, panel=panel,
        contact=Markup(contact_html(entity, guide.config.phrases.contact)),
        qr=Markup(qr_html(guide, SimpleNamespace(attrs={"caption": "Lee la guía completa"}), colours["tinta"])))


def lay_out(guide: Guide, env, entity, size: str, icc: Path | None, cache) -> tuple[bytes, list[str]]:
    """One poster laid out (cached by its HTML and every file it loads), checked, finished."""
    from guidebuilder.render.paged import weasy

    html = page_html(guide, env, entity, size, icc, cache)
    scope = Scope(guide.root.resolve(), tuple(d.resolve() for d in guide.asset_dirs), {})
    output_condition = P.profile_description(icc.read_bytes()) or icc.stem if icc else ""
    key = layout_key("poster", html, scope.root, scope.asset_dirs, {}, output_condition,
                     source_digest("render/didactico/poster.py", "render/paged/printing.py"),
                     digest(icc.read_bytes()) if icc else "")
    seed = f"{guide.slug}/cartel/{entity.id if entity else 'general'}/{size}/{'pdfx' if icc else 'rgb'}"
    pdf = cache.get_bytes("poster", key)
    if pdf is not None:
        return pdf, weasy.recall_text(cache, pdf)
    document, raw = _render(scope, html, icc)
    problems = check(document, size, entity)
    if problems:
        raise GuideError(problems)
    pages = weasy.page_texts(document)
    pdf = P.finish_pdf(raw, bleed_mm=P.BLEED if icc else None, seed=seed, output_condition=output_condition)
    cache.put_bytes("poster", key, pdf)
    weasy.keep_text(cache, pdf, pages)
    return pdf, pages


def _render(scope: Scope, html: str, icc: Path | None):
    HTML, FontConfiguration = weasyprint_classes()
    opts = {"pdf_variant": "pdf/x-4"} if icc else {}
    url_fetcher = stable_fetcher(fetcher(scope), scope.root)
    if icc:
        url_fetcher = cmyk_fetcher(url_fetcher, str(icc))
    with laying_out():
        document = HTML(string=html, base_url=VIRTUAL_ROOT + "didactico/", url_fetcher=url_fetcher).render(
            font_config=FontConfiguration(), **opts)
        return document, document.write_pdf(uncompressed_pdf=False, **opts)


def check(document, size: str, entity) -> list[str]:
    """The poster fits on one sheet and its body text is at least MIN_PT (the colophon and slug aside)."""
    where = f"guide/didactico/didactico.yml: el cartel {SIZE_NAMES[size]}" + (f" de {entity.id}" if entity else "")
    problems = []
    if len(document.pages) != 1:
        problems.append(f"{where} no cabe en una hoja ({len(document.pages)} páginas); acorte los textos de "
                        "data/steps.yml o los datos de contacto")
    small = small_text(document)
    if small:
        problems.append(f"{where} tiene texto de {small[0]:.1f} pt («{small[1][:40]}»); el cuerpo debe medir "
                        f"{MIN_PT:g} pt o más (assets/templates/didactico/cartel.css)")
    return problems


def small_text(document) -> tuple[float, str] | None:
    """The first text in the poster's body under MIN_PT (size in pt, text), or None."""
    def walk(box, skip: bool):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        skip = skip or "colofon" in classes or "slug" in classes
        if type(box).__name__ == "TextBox" and box.text.strip() and not skip:
            size = box.style["font_size"] * 0.75
            if size < MIN_PT - 0.01:
                return size, box.text.strip()
        for child in getattr(box, "children", ()) or ():
            found = walk(getattr(child, "_box", child), skip)
            if found:
                return found
        return None

    return walk(document.pages[0]._page_box, False)
