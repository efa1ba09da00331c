"""The renderers by format name: adding a format is one module and one line here."""

from __future__ import annotations

from guidebuilder.render.base import Renderer


def registry() -> dict[str, Renderer]:
    from guidebuilder.render.consulta.consulta import ConsultaRenderer
    from guidebuilder.render.didactico.didactico import DidacticoRenderer
    from guidebuilder.render.docx.document import DocxRenderer
    from guidebuilder.render.html.site import HtmlRenderer
    from guidebuilder.render.leaflet.leaflet import LeafletRenderer
    from guidebuilder.render.pdf.book import PdfRenderer
    from guidebuilder.render.report.report import ReportRenderer

    renderers: list[Renderer] = [HtmlRenderer(), PdfRenderer(), DocxRenderer(), LeafletRenderer(), ReportRenderer(),
                                  ConsultaRenderer(), DidacticoRenderer()]
    return {r.name: r for r in renderers}
