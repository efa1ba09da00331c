"""The tri-fold leaflet: a screen PDF (RGB, finished size) and a print PDF/X-4 (CMYK, bleed, marks)
per size, one edition per distributing entity, and the print shop's package.

Outputs (under build/leaflet/):
    <slug>-<size>.pdf                         RGB, finished size, for screens and office printers
    print/<slug>-<size>-pdfx.pdf              PDF/X-4, CMYK, 3 mm bleed, crop and fold marks
    print/<slug>-especificaciones.pdf         one-page specification sheet for the print shop
    print/<slug>-<size>-maqueta.pdf           folding dummy: panel order and numbered fold lines
    print/<slug>-imprenta.zip                 all of print/ in one deterministic zip
    entidades/<id>/…                          the same per entity with contact data
    entidades/informe.txt                     which entities got an edition and which did not

Geometry and colours: guidebuilder.printing (panel widths for each size are documented there).
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markupsafe import Markup

from guidebuilder.pandoc import ast as A
from guidebuilder.render.paged import printing as P
from guidebuilder.pandoc.convert import to_html
from guidebuilder.model.errors import Diagnostic, GuideError, ToolError
from guidebuilder.model.guide import Guide
from guidebuilder.core.files import write_bytes
from guidebuilder.checks.gate import select_entities
from guidebuilder.checks.privacy import pdf_findings
from guidebuilder.core.digest import file_digest
from guidebuilder.render.templating import environment, fecha
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.paged import weasy
from guidebuilder.render.paged.weasy import Scope, fetcher, layout_key
from guidebuilder.render.paged.printkit import (  # noqa: F401 (shared with the poster; re-exported)
    VIRTUAL_ROOT, cmyk_fetcher, contact_html, qr_data_uri, qr_html, qr_modules, qr_svg, stable_fetcher,
    to_cmyk_jpeg, ttf_font_faces)

MIN_DPI = 300
MIN_PT = 9.0  # smallest type size on a panel
QR_BOX = 30.0  # mm: the QR symbol with its 4-module quiet zone
ROLES_OUTSIDE = ("flap", "back", "cover")
ROLES_INSIDE = ("inside-1", "inside-2", "inside-3")
LABELS = {"flap": "Solapa (panel que se dobla hacia dentro)", "back": "Contraportada", "cover": "Portada",
          "inside-1": "Interior, panel 1", "inside-2": "Interior, panel 2", "inside-3": "Interior, panel 3"}
SLOT = re.compile(r'<div id="gb-slot-(\d+)">\s*</div>')


# ---------------------------------------------------------------- panels

def panel_blocks(guide: Guide, role: str, slots: list) -> list:
    """The panel's blocks; contact and qr become slots filled per edition, channels are expanded."""
    by_id = {d.placeholder: d for d in guide.leaflet.directives.get(role, ())}

    def fill(node: dict):
        if node["t"] == "Div" and node["c"][0][0] in by_id:
            d = by_id[node["c"][0][0]]
            if d.name in ("contact", "qr"):
                slots.append(d)
                return [A.div([], ident=f"gb-slot-{len(slots) - 1}")]
            if d.name == "channels":
                kind = d.attrs.get("kind")
                items = [c for c in guide.data.channels if not kind or c.kind == kind]
                return [A.bullet_list([[A.plain(A.strong(c.name), A.inlines(f": {c.summary}"))] for c in items])]
        return None

    return A.walk(list(guide.leaflet.panels.get(role, ())), fill)


# ---------------------------------------------------------------- editions

@dataclass(frozen=True)
class Job:
    key: str  # "general" or the entity id
    size: str
    html_rgb: str
    html_cmyk: str
    base_url: str
    scope: Scope
    seed: str
    output_condition: str
    panel_files: dict
    icc_path: str = ""


@dataclass
class JobResult:
    rgb: bytes = b""
    pdfx: bytes = b""
    problems: list = field(default_factory=list)  # (file, message, hint)
    # the text of each page and what the personal-data scan finds in it (made in the worker), for
    # the RGB edition and the print shop's one (whose marks and slug add text of their own)
    texts: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    texts_pdfx: list = field(default_factory=list)
    findings_pdfx: list = field(default_factory=list)


def _render(job: Job, html: str, variant: str | None):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    opts = {"pdf_variant": variant} if variant else {}
    fetcher = stable_fetcher(weasy.fetcher(job.scope), job.scope.root)
    if variant and job.icc_path:
        fetcher = cmyk_fetcher(fetcher, job.icc_path)
    document = HTML(string=html, base_url=job.base_url, url_fetcher=fetcher).render(
        font_config=FontConfiguration(), **opts)
    return document, document.write_pdf(uncompressed_pdf=False, **opts)


def run_job(job: Job) -> JobResult:
    """Lay out one edition in one size: RGB and PDF/X, checked for image resolution and overflow."""
    result = JobResult()
    try:
        document, rgb = _render(job, job.html_rgb, None)
        result.texts = weasy.page_texts(document)
        for src, pw, ph, mw, mh, dpi in P.low_resolution_images(document, MIN_DPI):
            url = urljoin(job.base_url, src)
            shown = (f"{job.scope.root.name}/{unquote(urlsplit(url).path).lstrip('/')}"
                     if url.startswith(VIRTUAL_ROOT) else src)
            result.problems.append((
                shown, f"image '{src}' is {pw}×{ph} px printed at {mw:.1f}×{mh:.1f} mm in the {job.size} "
                       f"leaflet: {dpi:.0f} dpi, below the {MIN_DPI} dpi a print shop needs",
                f"use a file with at least {round(mw / 25.4 * MIN_DPI)}×{round(mh / 25.4 * MIN_DPI)} px, "
                "or print it smaller"))
        for role, excess in overflowing_panels(document):
            result.problems.append((
                job.panel_files.get(role, role), f"the text of panel '{role}' does not fit in the "
                f"{job.size} leaflet{'' if job.key == 'general' else f' for {job.key}'}: "
                f"at least {excess:.1f} mm too long", "shorten the panel's text"))
        for role, size_pt, text in small_text(document, MIN_PT):
            result.problems.append((
                job.panel_files.get(role, role), f"text in panel '{role}' is set at {size_pt:.1f} pt "
                f"(\"{text[:40]}\"); a leaflet needs {MIN_PT:g} pt or more to be readable",
                "check the leaflet's CSS in the guide's assets/templates/leaflet/"))
        if result.problems:
            return result
        result.rgb = P.finish_pdf(rgb, bleed_mm=None, seed=job.seed + "/rgb")
        printed, pdfx = _render(job, job.html_cmyk, "pdf/x-4")
        result.pdfx = P.finish_pdf(pdfx, bleed_mm=P.BLEED, seed=job.seed + "/pdfx",
                                   output_condition=job.output_condition)
        result.texts_pdfx = weasy.page_texts(printed)
        result.findings = pdf_findings(result.texts)  # in the worker: the scan is then shared by the cores
        result.findings_pdfx = pdf_findings(result.texts_pdfx)
    except ImportError as exc:  # the same words as the book's renderer for a broken install
        result.problems.append(("WeasyPrint", f"WeasyPrint failed while starting up: {exc}",
                                "run 'make guide' again; WeasyPrint needs Pango (scripts/system-deps.sh installs it)"))
    except Exception as exc:  # WeasyPrint raises many kinds; report them as a tool failure
        result.problems.append(("WeasyPrint", f"WeasyPrint failed while laying out the leaflet: "
                                f"{type(exc).__name__}: {exc}", "check the leaflet's text and images"))
    return result


def _panels(document):
    """(role, box) for every panel section laid out in the document."""
    for page in document.pages:
        for box in P.iter_boxes(page._page_box):
            element = getattr(box, "element", None)
            if (element is None or element.tag != "section" or "panel" not in (element.get("class") or "").split()
                    or getattr(box, "element_tag", "") != "section"):
                continue
            yield element.get("class").split()[-1], box


def overflowing_panels(document) -> list[tuple[str, float]]:
    """Panels whose flowing text runs past their bottom (it would be cut off) or into the colophon."""
    out = []
    for role, box in _panels(document):
        limit = box.content_box_y() + box.height
        footer_ids: set = set()
        for b in P.iter_boxes(box):
            if getattr(b, "element_tag", "") == "footer" and b is not box:
                limit = min(limit, b.position_y)
                footer_ids.update(id(x) for x in P.iter_boxes(b))
        bottom = 0.0
        for b in P.iter_boxes(box):
            if id(b) in footer_ids or type(b).__name__ != "LineBox":
                continue
            bottom = max(bottom, b.position_y + b.height)
        if bottom > limit + 0.5:
            out.append((role, (bottom - limit) * 25.4 / 96))
    return out


def small_text(document, min_pt: float) -> list[tuple[str, float, str]]:
    """Text on the panels set below `min_pt` (the slug outside the trim is not a panel)."""
    found = []
    for role, box in _panels(document):
        for b in P.iter_boxes(box):
            if type(b).__name__ == "TextBox" and b.text.strip():
                size_pt = b.style["font_size"] * 0.75
                if size_pt < min_pt - 0.01:
                    found.append((role, size_pt, b.text.strip()))
                    break
    return found


class LeafletRenderer:
    name = "leaflet"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        if guide.leaflet is None:
            return ctx.result()
        entities, missing, _ = select_entities(guide, ctx.options.get("entity"))
        icc = P.cmyk_profile(guide)
        if icc is None:
            raise ToolError("leaflet", "making the PDF/X print file", "no CMYK ICC profile found for the "
                            "output intent", "run scripts/system-deps.sh build (installs libgs-common), or put "
                            "the print shop's profile at guide/assets/icc/cmyk.icc")
        fonts_dir = Path(tempfile.mkdtemp(prefix="gb-leaflet-fonts-"))
        try:
            plan = self.plan(guide, ctx, fonts_dir, entities, icc)
            results, sheets = self.lay_out_editions(guide, ctx, plan)
            self.write(guide, ctx, plan, results, sheets)
        finally:
            shutil.rmtree(fonts_dir, ignore_errors=True)
        self.report_entities(guide, ctx, entities, missing)
        return ctx.result()

    def plan(self, guide: Guide, ctx: RenderContext, fonts_dir: Path, entities: list, icc: Path) -> "Plan":
        """Every edition × size as a layout job, with the HTML of its screen and print files."""
        icc_bytes = icc.read_bytes()
        output_condition = P.profile_description(icc_bytes) or icc.stem
        icc_url = "data:application/vnd.iccprofile;base64," + base64.b64encode(icc_bytes).decode()
        slots: list = []
        panels = {role: to_html(panel_blocks(guide, role, slots), ctx.cache) for role in guide.leaflet.panels}
        env = environment(guide, ctx.cache)
        sizes = list(dict.fromkeys(guide.config.formats.leaflet.sizes))
        css = ttf_font_faces(guide, ctx.cache, fonts_dir)
        # no generated files: those are the chapters' charts, which a leaflet never shows (a build of
        # the leaflets alone does not even draw them)
        scope = Scope(guide.root.resolve(), (*(d.resolve() for d in guide.asset_dirs), fonts_dir.resolve()), {})
        page = EditionPage(guide, env, css, slots, panels, icc_url)
        jobs = []
        for entity in [None, *entities]:
            key = entity.id if entity else "general"
            for size in sizes:
                jobs.append(Job(key, size, page.html(entity, size, False), page.html(entity, size, True),
                                VIRTUAL_ROOT + "leaflet/", scope,
                                f"{guide.slug}/{key}/{size}/{guide.config.date.isoformat()}",
                                output_condition, dict(guide.leaflet.files), str(icc)))
        ctx.progress(f"leaflet: {len(entities) + 1} edition(s) × {len(sizes)} size(s)")
        return Plan(jobs, sizes, env, css, scope, output_condition)

    def lay_out_editions(self, guide: Guide, ctx: RenderContext, plan: "Plan") -> tuple[list, list]:
        """The editions laid out, and the print shop's sheets laid out here meanwhile; problems raised."""
        sheets_made: list = []

        def make_sheets() -> None:
            try:
                sheets_made.append(self.sheets(guide, plan, ctx.cache))
            except Exception as exc:  # reported after the editions' problems, which say more
                sheets_made.append(exc)

        results = self.lay_out(plan.jobs, ctx.cache, ctx.parallel, meanwhile=make_sheets)
        problems = [Diagnostic(f, 0, 0, m, h) for r in results for (f, m, h) in r.problems]
        if problems:
            raise GuideError(problems)
        if isinstance(sheets_made[0], Exception):
            raise sheets_made[0]
        return results, sheets_made[0]

    @staticmethod
    def lay_out(jobs: list, cache, parallel, meanwhile=None) -> list:
        """Run the layout jobs not already in the cache, side by side on the machine's cores.

        `meanwhile` (if given) runs in this process once the workers are started, or after the jobs
        on one core.
        """
        keys = [layout_key("leaflet", job.html_rgb + "\0" + job.html_cmyk, job.scope.root, job.scope.asset_dirs,
                           job.scope.generated, job.seed, job.output_condition, job.icc_path,
                           file_digest(Path(job.icc_path)) if job.icc_path and Path(job.icc_path).is_file() else "")
                for job in jobs]
        results: list = [None] * len(jobs)
        for i, key in enumerate(keys):
            rgb, pdfx = cache.get_bytes("leaflet", key + "-rgb"), cache.get_bytes("leaflet", key + "-pdfx")
            if rgb is not None and pdfx is not None:
                results[i] = JobResult(rgb, pdfx, texts=weasy.recall_text(cache, rgb),
                                       texts_pdfx=weasy.recall_text(cache, pdfx), findings=None, findings_pdfx=None)
        todo = [i for i, r in enumerate(results) if r is None]
        if len(todo) > 1 and parallel.cores > 1:
            weasy.load_weasyprint()
        done = parallel.run([lambda job=jobs[i]: run_job(job) for i in todo], meanwhile=meanwhile)
        for i, result in zip(todo, done):
            results[i] = result
            if not result.problems:
                cache.put_bytes("leaflet", keys[i] + "-rgb", result.rgb)
                cache.put_bytes("leaflet", keys[i] + "-pdfx", result.pdfx)
                weasy.keep_text(cache, result.rgb, result.texts)
                weasy.keep_text(cache, result.pdfx, result.texts_pdfx)
        return results

    def write(self, guide: Guide, ctx: RenderContext, plan: "Plan", results: list, sheets: list) -> None:
        """Each edition's screen and print files, the print shop's sheets and one zip per edition."""
        stamp = (guide.config.date.year, guide.config.date.month, guide.config.date.day, 0, 0, 0)
        by_key: dict[str, list] = {}
        for job, result in zip(plan.jobs, results):
            by_key.setdefault(job.key, []).append((job, result))
        for key, items in by_key.items():
            folder = ctx.out if key == "general" else ctx.out / "entidades" / key
            stem = guide.slug if key == "general" else f"{guide.slug}-{key}"
            package = []
            for job, result in items:
                write_bytes(folder / f"{stem}-{job.size}.pdf", result.rgb)
                ctx.laid_out(folder / f"{stem}-{job.size}.pdf", result.texts, result.findings)
                name = f"{stem}-{job.size}-pdfx.pdf"
                write_bytes(folder / "print" / name, result.pdfx)
                ctx.laid_out(folder / "print" / name, result.texts_pdfx, result.findings_pdfx)
                package.append((f"{stem}-imprenta/{name}", result.pdfx))
            for name, data, pages in sheets:
                if key == "general":
                    write_bytes(folder / "print" / name, data)
                    ctx.laid_out(folder / "print" / name, pages)
                package.append((f"{stem}-imprenta/{name}", data))
            package.append((f"{stem}-imprenta/LEEME.txt", readme(guide, plan.sizes, key, stem).encode()))
            write_bytes(folder / "print" / f"{stem}-imprenta.zip", P.write_zip(package, stamp))

    @staticmethod
    def report_entities(guide: Guide, ctx: RenderContext, entities: list, missing: list) -> None:
        """Which entities got an edition; a warning for those without contact data."""
        if entities or missing:
            write_bytes(ctx.out / "entidades" / "informe.txt", report(guide, entities, missing).encode())
        if missing:
            w = guide.data.where.get(("entities", missing[0].id))
            ctx.warn(Diagnostic(w.file if w else "data/entities.yml", 0, 0,
                                f"{len(missing)} of {len(guide.public_entities())} entities have no contact data and get "
                                f"no leaflet edition: {', '.join(e.id for e in missing)}",
                                "contact data is each entity's to give; add it to data/entities.yml when it "
                                "arrives", "warning"))

    @staticmethod
    def sheets(guide: Guide, plan: "Plan", cache) -> list[tuple[str, bytes, list | None]]:
        """The specification sheet and one folding dummy per size (plain PDFs for the print shop), each
        with the text of its pages."""
        geos = [P.geometry(s) for s in plan.sizes]
        html = plan.env.get_template("leaflet/spec.html").render(
            guide=guide, config=guide.config, css=Markup(plan.css), geos=geos, names=P.SIZE_NAMES,
            palette=P.PALETTE, registration=P.REGISTRATION, bleed=P.BLEED, output_condition=plan.output_condition,
            qr_box=QR_BOX, qr_modules=qr_modules(guide.site_url) if guide.site_url else 0)
        out = [(f"{guide.slug}-especificaciones.pdf", *_sheet(plan.scope, html, f"{guide.slug}/spec", cache))]
        for geo in geos:
            sides = [("Exterior (cara 1)", list(zip(ROLES_OUTSIDE, geo.outside, (2, 6, 1))),
                      list(zip(geo.folds_outside, (1, 2)))),
                     ("Interior (cara 2)", list(zip(ROLES_INSIDE, geo.inside, (3, 4, 5))),
                      list(zip(geo.folds_inside, (2, 1))))]
            html = plan.env.get_template("leaflet/dummy.html").render(
                guide=guide, config=guide.config, css=Markup(plan.css), geo=geo, name=P.SIZE_NAMES[geo.size],
                sides=sides, labels=LABELS)
            out.append((f"{guide.slug}-{geo.size}-maqueta.pdf",
                        *_sheet(plan.scope, html, f"{guide.slug}/dummy/{geo.size}", cache)))
        return out


@dataclass
class Plan:
    """The leaflet's layout jobs and what the print shop's sheets are made with."""

    jobs: list
    sizes: list
    env: Any
    css: str
    scope: Scope
    output_condition: str


def _sheet(scope: Scope, html: str, seed: str, cache) -> tuple[bytes, list | None]:
    """A print-shop sheet laid out (cached) and finished, with the text of its pages."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    key = layout_key("leaflet-sheet", html, scope.root, scope.asset_dirs, scope.generated)
    pdf = cache.get_bytes("layout", key)
    if pdf is None:
        document = HTML(string=html, url_fetcher=fetcher(scope)).render(font_config=FontConfiguration())
        pdf = document.write_pdf()
        pages = weasy.page_texts(document)
        cache.put_bytes("layout", key, pdf)
        weasy.keep_text(cache, pdf, pages)
    else:
        pages = weasy.recall_text(cache, pdf)
    return P.finish_pdf(pdf, bleed_mm=None, seed=seed), pages


@dataclass
class EditionPage:
    """Makes the HTML of one leaflet edition in one size, screen (RGB) or print (CMYK)."""

    guide: Guide
    env: Any
    css: str
    slots: list
    panels: dict
    icc_url: str

    def html(self, entity, size: str, cmyk: bool) -> str:
        geo = P.geometry(size)
        colours = P.colours(cmyk)
        guide = self.guide

        def slot(m):
            d = self.slots[int(m.group(1))]
            return contact_html(entity, guide.config.phrases.contact) if d.name == "contact" \
                else qr_html(guide, d, colours["tinta"])

        filled = {role: Markup(SLOT.sub(slot, text)) for role, text in self.panels.items()}
        title = guide.leaflet.title + (f" — {entity.name}" if entity else "")
        return self.env.get_template("leaflet/leaflet.html").render(
            guide=guide, config=guide.config, title=title, css=Markup(self.css), print=cmyk, geo=geo,
            sides=self.sides(geo, filled), c=colours, bleed=P.BLEED, slug=P.SLUG, mark_offset=P.MARK_OFFSET,
            mark_length=P.MARK_LENGTH, icc_url=self.icc_url, entity=entity, size_name=P.SIZE_NAMES[size],
            qr_box=QR_BOX)

    @staticmethod
    def sides(geo, filled: dict) -> list[dict]:
        sides = []
        for number, (name, label, roles, widths, folds) in enumerate(
                (("outside", "exterior", ROLES_OUTSIDE, geo.outside, geo.folds_outside),
                 ("inside", "interior", ROLES_INSIDE, geo.inside, geo.folds_inside)), start=1):
            lefts = geo.lefts(widths)
            items = []
            for i, (role, left, width) in enumerate(zip(roles, lefts, widths)):
                bg_left = left - (P.BLEED if i == 0 else 0)
                bg_width = width + (P.BLEED if i in (0, 2) else 0)
                items.append({"role": role, "left": left, "width": width, "bg_left": round(bg_left, 2),
                              "bg_width": round(bg_width, 2), "html": filled.get(role, ""),
                              "label": LABELS[role]})
            sides.append({"name": name, "label": label, "panels": items, "folds": folds, "number": number})
        return sides


def readme(guide: Guide, sizes: list[str], key: str, stem: str) -> str:
    lines = [f"{guide.config.title} — folleto tríptico para imprenta",
             f"Edición: {guide.config.edition}, {fecha(guide.config.date)}"
             + ("" if key == "general" else f"; entidad: {key}"), "",
             "Contenido:"]
    for size in sizes:
        lines.append(f"  {stem}-{size}-pdfx.pdf   archivo de impresión PDF/X-4, CMYK, {P.SIZE_NAMES[size]}, "
                     f"sangrado {P.BLEED:g} mm, marcas de corte y de pliegue")
        lines.append(f"  {guide.slug}-{size}-maqueta.pdf   maqueta de plegado (orden de paneles y pliegues)")
    lines += [f"  {guide.slug}-especificaciones.pdf   hoja de especificaciones (medidas, pliegues, colores, "
              "papel, cantidad)", "",
              "Revise cada archivo con: guidebuilder preflight ARCHIVO.pdf", ""]
    return "\n".join(lines)


def report(guide: Guide, built: list, missing: list) -> str:
    lines = [f"Ediciones del folleto por entidad — {guide.config.title}", "",
             f"Con edición ({len(built)}):"]
    lines += [f"  {e.id}: {e.name}" for e in built] or ["  (ninguna)"]
    lines += ["", f"Sin edición por falta de datos de contacto ({len(missing)}):"]
    lines += [f"  {e.id}: {e.name}" for e in missing] or ["  (ninguna)"]
    lines += ["", "Los datos de contacto los da cada entidad; nunca se inventan. Agréguelos en "
              "data/entities.yml (contact: address, hours, phone, bulletin_board).", ""]
    return "\n".join(lines)
