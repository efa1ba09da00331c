"""Layout findings: what a reader of an output would trip over, found by measuring the output itself
(PDF pages, the site in a browser), each pointing at the output and page, and at the source where
known. The proof sheet shows them; the release gate refuses a guide that still has any."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = {
    "small-text": "texto más pequeño que el mínimo de la edición",
    "empty-page": "página vacía en más de 40 % que no cierra un capítulo",
    "overflow": "contenido más ancho que la página o la pantalla",
    "broken-word": "palabra cortada sin guion",
    "split-unit": "número separado de su unidad o de «n =»",
    "writing-room": "casilla para escribir de menos de 8 mm de alto",
    "raw-markup": "marcado visible como texto",
}


@dataclass(frozen=True)
class Finding:
    """One layout problem in one output."""

    output: str  # the output, relative to build/: "pdf/guia.pdf", "html/que-es.html"
    kind: str  # a key of KINDS
    message: str  # for the editor, in Spanish: what is wrong and where to look
    page: int | None = None  # 1-based page of a PDF
    view: str = ""  # for the site: "360" or "1280" (CSS px wide)
    where: str = ""  # the source file:line, when it can be told
    detail: dict = field(default_factory=dict)  # the measurements (sizes in pt or px, text found)

    def as_dict(self) -> dict:
        return asdict(self)
