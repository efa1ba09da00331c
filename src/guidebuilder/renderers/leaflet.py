"""The tri-fold leaflet through WeasyPrint (issue 7 takes it further)."""

from __future__ import annotations

import base64
import io

from markupsafe import Markup

from .. import ast as A
from .. import blocks as B
from ..convert import to_html
from ..model import Guide
from ..output import write_bytes
from ..templating import environment
from . import RenderContext
from .pdf import font_faces, write_pdf

SIZES = {"letter": ("279.4mm", "215.9mm"), "a4": ("297mm", "210mm")}


def qr_data_uri(url: str) -> str:
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", xmldecl=False, svgns=True, nl=False, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def panel_blocks(guide: Guide, role: str, entity=None) -> list:
    """The panel's blocks with its directives (contact, qr, channels) filled in."""
    by_id = {d.placeholder: d for d in guide.leaflet.directives.get(role, ())}

    def fill(node: dict):
        if node["t"] == "Div" and node["c"][0][0] in by_id:
            d = by_id[node["c"][0][0]]
            if d.name == "contact":
                return contact_blocks(guide, entity)
            if d.name == "qr":
                url = guide.config.url or ""
                if not url:
                    return []
                return [A.para(A.image(f"Código QR que lleva a {url}", qr_data_uri(url))),
                        A.para(A.inlines(d.attrs.get("caption", url)))]
            if d.name == "channels":
                kind = d.attrs.get("kind")
                items = [c for c in guide.data.channels if not kind or c.kind == kind]
                return [A.bullet_list([[A.plain(A.strong(c.name))] for c in items])]
        return None

    return A.walk(list(guide.leaflet.panels.get(role, ())), fill)


def contact_blocks(guide: Guide, entity) -> list:
    if entity is None or entity.contact is None:
        return [A.para("Acude a la Unidad de Transparencia de la institución que tiene la información.")]
    c = entity.contact
    return [A.para(A.strong(entity.name)),
            A.para(*B._field("Oficina", c.address)), A.para(*B._field("Horario", c.hours)),
            A.para(*B._field("Teléfono", c.phone)), A.para(*B._field("Tablero de avisos", c.bulletin_board))]


class LeafletRenderer:
    name = "leaflet"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        if guide.leaflet is None:
            return
        env = environment(guide)
        css = font_faces(guide)
        for size in guide.config.formats.leaflet.sizes:
            ctx.progress(f"leaflet: {size}")
            panels = {role: Markup(to_html(panel_blocks(guide, role), ctx.cache))
                      for role in guide.leaflet.panels}
            html = env.get_template("leaflet/leaflet.html").render(
                guide=guide, config=guide.config, panels=panels, size=SIZES[size], css=Markup(css))
            write_bytes(ctx.out / f"{guide.slug}-{size}.pdf", write_pdf(guide, html, variant=None))
