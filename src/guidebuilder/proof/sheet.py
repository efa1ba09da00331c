"""The proof sheet: one page (build/proof/index.html) where an editor sees the whole publication as its
readers will — every page of the book, the large print, the report, the leaflets and the DOCX editions
(laid out by LibreOffice) as thumbnails, the site's pages in a browser at phone and desktop widths — with
the layout findings of each output beside it (build/proof/findings.json holds them as data).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from guidebuilder.checks.findings import KINDS, Finding
from guidebuilder.model.errors import GuideError, ToolError

THUMB_WIDTH = 180  # px: a page thumbnail on the sheet
MIN_PT = {"book": 8.0, "large": 16.0}
SITE_KINDS = ("index.html", "buscar.html")  # with one chapter, one practice, one channel, one catalogue page


@dataclass
class Sheet:
    """One output on the proof sheet: its pages (thumbnails) and its findings."""

    output: str  # relative to build/
    title: str  # for whom it is, in Spanish
    anchor: str = ""  # the section's id on the sheet
    pages: list[str] = field(default_factory=list)  # thumbnail paths relative to build/proof/
    findings: list[Finding] = field(default_factory=list)
    shots: dict = field(default_factory=dict)  # site only: page -> {width: screenshot path}


def make_proof(out: Path, guide: Path | None = None, progress: Callable[[str], None] = lambda m: None) -> list[Sheet]:
    """Build build/proof/ from the outputs in `out` (a finished build of `guide`); return the sheets."""
    if not (out / "html").is_dir() and not (out / "pdf").is_dir():
        raise GuideError(f"{out}: no outputs to proof here; run 'make guide' first, then 'make proof'")
    proof = out / "proof"
    staging = Path(tempfile.mkdtemp(prefix=".proof-", dir=out))
    try:
        sheets = [*pdf_sheets(out, staging, progress), *docx_sheets(out, staging, progress),
                  *site_sheets(out, staging, progress)]
        if guide is not None and guide.is_dir():
            from guidebuilder.proof.locate import locate

            for sheet in sheets:
                sheet.findings = locate(sheet.findings, guide)
        write_sheet(staging, sheets)
        if proof.exists():
            shutil.rmtree(proof)
        staging.rename(proof)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sheets


def pdf_sheets(out: Path, proof: Path, progress) -> list[Sheet]:
    """The book, its large print, the report and every leaflet: pages and findings."""
    from guidebuilder.checks.layout_pdf import pdf_findings

    wanted = [(p, _title(p)) for p in _pdfs(out)]
    sheets = []
    for path, title in wanted:
        output = str(path.relative_to(out))
        progress(f"proof: {output}")
        min_pt = MIN_PT["large"] if path.stem.endswith("-letra-grande") else MIN_PT["book"]
        sheet = Sheet(output, title, pages=thumbnails(path, proof / "img" / _slug(output)))
        sheet.pages = [str(Path(p).relative_to(proof)) for p in sheet.pages]
        sheet.findings = pdf_findings(path, output, min_pt)
        sheets.append(sheet)
    return sheets


def _pdfs(out: Path) -> list[Path]:
    found = sorted((out / "pdf").glob("*.pdf")) + sorted((out / "report").glob("*.pdf"))
    found += sorted((out / "leaflet").glob("*.pdf"))  # the screen editions; print/ holds the same pages
    found += sorted((out / "consulta").glob("*.pdf"))
    return found + sorted((out / "didactico").glob("*.pdf"))  # slides, posters (screen), adoption letter


def _title(path: Path) -> str:
    if path.parent.name == "pdf":
        return "Libro en letra grande (lectores con baja visión)" if path.stem.endswith("-letra-grande") \
            else "Libro en PDF (lectores e imprenta)"
    if path.parent.name == "report":
        return "Informe de seguimiento (equipo editorial)"
    if path.parent.name == "consulta":
        if path.stem.endswith("-conteo"):
            return "Hoja de conteo de la consulta (ventanillas y asambleas)"
        return "Cuestionario de la consulta en papel" + (" en letra grande" if path.stem.endswith("-letra-grande")
                                                          else f", tamaño {path.stem.rsplit('-', 1)[-1]}")
    if path.parent.name == "didactico":
        return _didactico_title(path.stem)
    return f"Folleto tríptico, tamaño {path.stem.rsplit('-', 1)[-1]} (población; imprenta)"


def _didactico_title(stem: str) -> str:
    if stem.endswith("-taller"):
        return "Diapositivas del taller en PDF (capacitación de funcionarios)"
    if "-cartel-" in stem:
        return f"Cartel, tamaño {stem.rsplit('-', 1)[-1]} (tableros de avisos; imprenta)"
    if stem.endswith("-carta-adopcion"):
        return "Carta modelo de adopción voluntaria (instituciones)"
    return "Material de difusión"


def docx_sheets(out: Path, proof: Path, progress) -> list[Sheet]:
    """The DOCX editions as LibreOffice lays them out (what an official sees in Word is close to it)."""
    from guidebuilder.checks.layout_pdf import pdf_findings

    sheets = []
    for docx in sorted((out / "docx").glob("*.docx")):
        output = str(docx.relative_to(out))
        progress(f"proof: {output} (LibreOffice)")
        pdf = to_pdf(docx, proof / "docx")
        sheet = Sheet(output, "Documento para revisión en Word (funcionarios)" if docx.stem.endswith("-revision")
                      else "Documento en Word (funcionarios, reutilización)")
        sheet.pages = [str(Path(p).relative_to(proof)) for p in thumbnails(pdf, proof / "img" / _slug(output))]
        sheet.findings = [_renamed(f, output) for f in pdf_findings(pdf, output, MIN_PT["book"])]
        sheets.append(sheet)
    return sheets


def _renamed(finding: Finding, output: str) -> Finding:
    from dataclasses import replace

    return replace(finding, output=output, message=finding.message + " (según LibreOffice)")


def to_pdf(docx: Path, folder: Path) -> Path:
    """The DOCX laid out by LibreOffice headless, as PDF (its own profile folder: no clash with a user's)."""
    folder.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolError("LibreOffice", "laying out the DOCX for the proof sheet", "soffice is not installed",
                        "run 'make proof' (it installs LibreOffice: scripts/system-deps.sh proof)")
    with tempfile.TemporaryDirectory(prefix="gb-lo-") as profile:
        done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                               "pdf", "--outdir", str(folder), str(docx)], capture_output=True, text=True,
                              timeout=300)
    pdf = folder / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise ToolError("LibreOffice", f"converting {docx.name} to PDF", (done.stderr or done.stdout).strip()[:300],
                        "check that LibreOffice Writer is installed (scripts/system-deps.sh proof)")
    return pdf


def thumbnails(pdf: Path, folder: Path) -> list[str]:
    """One PNG per page, THUMB_WIDTH px wide, rendered by PDFium."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document, start=1):
            width = page.get_width()
            image = page.render(scale=THUMB_WIDTH / width).to_pil()
            target = folder / f"p{number:03d}.png"
            image.save(target, optimize=True)
            out.append(str(target))
            page.close()
    finally:
        document.close()
    return out


def site_sheets(out: Path, proof: Path, progress) -> list[Sheet]:
    """One page of every kind of the site, at 360 and 1280 px, with its findings."""
    from guidebuilder.checks.layout_html import site_findings

    site = out / "html"
    if not site.is_dir():
        return []
    pages = site_pages(site)
    progress(f"proof: html ({len(pages)} pages × 2 widths, Chromium)")
    findings, shots = site_findings(site, pages, proof / "web")
    sheet = Sheet("html", "Sitio web (población, en teléfono y en computadora)", findings=findings)
    sheet.shots = {page: {w: str(Path(p).relative_to(proof)) if Path(p).is_absolute() else p
                          for w, p in widths.items()} for page, widths in shots.items()}
    return [sheet]


def site_pages(site: Path) -> list[str]:
    """One page of every kind: home, search, the first chapter, practice, channel and catalogue pages,
    the guided finder (its first question and a plan), and the single-file edition."""
    pages = [p for p in SITE_KINDS if (site / p).is_file()]
    chapters = sorted(p.name for p in site.glob("*.html") if p.name not in SITE_KINDS
                      and not p.name.endswith("-completa.html"))
    pages += chapters[:1]
    for folder in ("practicas", "canales", "catalogo"):
        found = sorted((site / folder).glob("*.html"))
        pages += [f"{folder}/{found[0].name}"] if found else []
    finder = sorted((site / "asistente").glob("*.html"), key=lambda p: (p.name != "index.html", p.name.count("-"), p.name))
    pages += [f"asistente/{p.name}" for p in finder[:1] + finder[-1:]]  # its first question and a plan
    pages += [p.name for p in sorted(site.glob("*-completa.html"))]
    return pages


def _slug(output: str) -> str:
    return output.replace("/", "-").replace(".", "-")


def write_sheet(proof: Path, sheets: list[Sheet]) -> None:
    """index.html (the sheet) and findings.json (the same findings, as data)."""
    for number, sheet in enumerate(sheets, start=1):
        sheet.anchor = f"s{number}"
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    findings = [f.as_dict() for s in sheets for f in s.findings]
    (proof / "findings.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    templates = Path(__file__).resolve().parents[3] / "assets" / "templates"
    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(default=True))
    page = env.get_template("proof/index.html").render(sheets=sheets, kinds=KINDS, total=len(findings),
                                                      by_page=_by_page)
    (proof / "index.html").write_text(page, encoding="utf-8")


def _by_page(sheet: Sheet) -> dict[int, list[Finding]]:
    out: dict[int, list[Finding]] = {}
    for finding in sheet.findings:
        out.setdefault(finding.page or 0, []).append(finding)
    return out
