"""The model letter of voluntary adoption (guide/didactico/carta.md) as DOCX (pandoc, assets/reference.docx)
and PDF (WeasyPrint): an institution fills it in, signs it and returns it.

Fields are spans `[label]{.campo nombre="…"}`: `guia`, `publica`, `fecha-guia` and `sitio` come from
guide.yml (the site only once its address is real), `entidad` from data/entities.yml when an entity is
named (`--entity`); every other field, and these when unknown, is a blank line to fill in with its label
under it. Nothing is invented: an unnamed entity gets a blank line, never a made-up name.
"""

from __future__ import annotations


from markupsafe import Markup

from guidebuilder.core.digest import digest, source_digest
from guidebuilder.core.files import normalise_zip
from guidebuilder.model.dates import fecha
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import document, meta_string, to_html
from guidebuilder.pandoc.tools import pandoc_path, pandoc_version, run_tool, source_date_epoch_env

BLANK = "\u00a0" * 2 + "_" * 28


def values(guide: Guide, entity) -> dict[str, str]:
    known = {"guia": guide.config.title, "publica": guide.config.publisher, "fecha-guia": fecha(guide.config.date)}
    if guide.site_url:
        known["sitio"] = guide.site_url
    if entity is not None:
        known["entidad"] = entity.name
    return known


def filled(guide: Guide, entity) -> list:
    """carta.md's blocks with each field filled in or left as a labelled blank line."""
    known = values(guide, entity)

    def fill(node: dict):
        if node.get("t") != "Span" or "campo" not in node["c"][0][1]:
            return None
        name = dict(node["c"][0][2]).get("nombre", "")
        if name in known:
            return [{"t": "Strong", "c": A.inlines(known[name])}] if name == "entidad" else A.inlines(known[name])
        label = A.stringify(node["c"][1])
        return [*A.inlines(BLANK), {"t": "Space"}, A.span([A.emph(f"({label})")], ["etiqueta"])]

    return A.walk(list(guide.didactico.letter), fill)


def make(guide: Guide, cache, entities: list) -> list:
    """The letter, blank and for each named entity: [(file, bytes, page texts)]."""
    if not guide.didactico.letter:
        return []
    out = []
    for entity in [None, *entities]:
        folder = "" if entity is None else f"entidades/{entity.id}/"
        stem = f"{guide.slug}-carta-adopcion" + ("" if entity is None else f"-{entity.id}")
        blocks = filled(guide, entity)
        out.append((f"{folder}{stem}.docx", docx(guide, blocks, cache), None))
        pdf, pages = letter_pdf(guide, blocks, cache)
        out.append((f"{folder}{stem}.pdf", pdf, pages))
    return out


def docx(guide: Guide, blocks: list, cache) -> bytes:
    reference = guide.asset("reference.docx")
    meta = {"lang": meta_string(guide.config.language)}  # no title: pandoc would print it above the letter
    doc = document(blocks, meta)
    epoch = int(__import__("datetime").datetime(guide.config.date.year, guide.config.date.month,
                                                guide.config.date.day).timestamp())
    ref = reference.read_bytes() if reference else b""
    args = [pandoc_path(), "-f", "json", "-t", "docx", "-o", "-"] + ([f"--reference-doc={reference}"] if reference else [])
    key = digest("letter-docx", source_digest("render/didactico/letter.py"), pandoc_version(), doc, ref, epoch)
    return cache.bytes("didactico", key, lambda: normalise_zip(run_tool(
        args, "pandoc", "writing the adoption letter (DOCX)", input=doc, env=source_date_epoch_env(epoch))))


def letter_pdf(guide: Guide, blocks: list, cache) -> tuple[bytes, list | None]:
    from guidebuilder.render.paged.fonts import font_faces
    from guidebuilder.render.paged.weasy import Scope, write_pdf
    from guidebuilder.render.templating import environment

    env = environment(guide, cache)
    css = guide.asset("templates", "didactico", "carta.css")
    html = env.get_template("didactico/carta.html").render(
        config=guide.config, body=Markup(to_html(blocks, cache)), page_size=guide.config.formats.pdf.page_size,
        css=Markup(font_faces(guide) + (css.read_text(encoding="utf-8") if css else "")))
    scope = Scope(guide.root.resolve(), tuple(d.resolve() for d in guide.asset_dirs), {})
    laid = write_pdf(scope, html, cache)
    return laid.pdf, laid.pages
