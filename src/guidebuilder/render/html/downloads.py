"""The site's downloads: the editions other renderers make, offered under html/descargas/.

Renderers run side by side and never read each other's outputs, so the site cannot copy them itself.
`candidates(guide)` names every edition the guide's configuration makes (format folder, path in it,
file name, what it is); the builder (builder/orchestrator.place_downloads) decides which of them will
exist after this build (built now, or already in build/<format>/), tells the HTML renderer through
`RenderContext.options["downloads"]` (a sorted list of file names), and after every renderer has
finished hard-links (or copies) them into the staged html/descargas/. Pages list only those, so a
build of the site alone links no file that is not there. The review DOCX is not offered: it carries
unverified material meant for reviewers only.
"""

from __future__ import annotations

from dataclasses import dataclass

OPTION = "downloads"
FOLDER = "descargas"
PAPER = {"letter": "tamaño carta", "a4": "tamaño A4"}


@dataclass(frozen=True)
class Download:
    """One file offered for download."""

    fmt: str  # the build folder that makes it (build/<fmt>/)
    rel: str  # its path there
    title: str
    kind: str  # file format, as readers know it
    paper: str | None
    purpose: str
    listed: bool = True  # False: placed under descargas/ for the links in the text, not in the download lists

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]

    @property
    def href(self) -> str:
        return f"{FOLDER}/{self.name}"


def candidates(guide) -> list[Download]:
    """Every edition this guide's configuration makes, in the order the pages list them."""
    slug, formats = guide.slug, guide.config.formats
    paper = PAPER[formats.pdf.page_size]
    out = [Download("pdf", f"{slug}.pdf", "El libro completo", "PDF", paper,
                    "Para leer en pantalla o imprimir; con índice y números de página.")]
    if formats.pdf.large_print:
        out.append(Download("pdf", f"{slug}-letra-grande.pdf", "Edición en letra grande", "PDF", paper,
                            "Para leer con baja visión o imprimir en letra más grande."))
    out.append(Download("docx", f"{slug}.docx", "Documento editable", "Word, DOCX", paper,
                        "Para adaptar la guía a su institución con un procesador de textos."))
    for size in formats.leaflet.sizes:
        out.append(Download("leaflet", f"{slug}-{size}.pdf", f"Folleto tríptico, {PAPER[size]}", "PDF", None,
                            "Para ver en pantalla o imprimir en una impresora de oficina, por ambas caras."))
    for size in formats.leaflet.sizes:
        out.append(Download("leaflet", f"print/{slug}-{size}-pdfx.pdf",
                            f"Folleto tríptico para imprenta, {PAPER[size]}", "PDF/X-4, CMYK", None,
                            "Para una imprenta: colores CMYK, 3 mm de sangrado y marcas de corte y de doblez."))
    out.append(Download("html", f"{slug}-completa.html", "Toda la guía en un solo archivo", "HTML", None,
                        "Para guardar en el teléfono o en una memoria USB y leer sin internet."))
    return out + consultation_files(guide)


def consultation_files(guide) -> list[Download]:
    """The consultation questionnaire's files, which its section in the guide links (not in the lists)."""
    from guidebuilder.participation.questionnaire import downloads

    c = getattr(getattr(guide, "data", None), "consultation", None)
    if c is None or getattr(c, "schema", None) is None:
        return []
    return [Download("consulta", d.name, d.what, d.name.rsplit(".", 1)[-1].upper(), None, d.what, listed=False)
            for d in downloads(guide.slug)]


def offered(guide, options: dict) -> list[Download]:
    """The downloads the pages list: those the builder said are there (all the HTML ones when the site
    is rendered on its own, outside a build: the single file is always made with it)."""
    names = set(options.get(OPTION, ()))
    return [d for d in candidates(guide) if d.listed and (d.fmt == "html" or d.name in names)]
