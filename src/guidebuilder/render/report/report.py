"""The follow-up report: the adoption register and the review feedback as HTML and PDF (build/report/)."""

from __future__ import annotations

import base64

from markupsafe import Markup

from guidebuilder.core.files import write_bytes, write_text
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import to_html
from guidebuilder.participation.followup import FollowUp, compute
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.paged.fonts import book_font_faces
from guidebuilder.render.paged.weasy import write_pdf
from guidebuilder.render.templating import environment, fecha

TITLE = "Informe de seguimiento de la implementación de la guía"
KIND = {"digital": "Digital", "non-digital": "No digital", "format": "Formato"}
STATUS = {"open": "Abiertos", "accepted": "Aceptados", "rejected": "No aceptados", "done": "Incorporados",
          "other": "Sin estado reconocido"}
R, L = "AlignRight", "AlignLeft"


class ReportRenderer:
    name = "report"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        ctx.progress("report: figures")
        data = compute(guide)
        body = Markup(to_html(report_blocks(guide, data), ctx.cache))
        env = environment(guide, ctx.cache)
        css_path = guide.asset("css", "report.css")
        css = css_path.read_text(encoding="utf-8") if css_path else ""
        page = env.get_template("report/report.html")
        name = f"{guide.slug}-seguimiento"
        write_text(ctx.out / f"{name}.html", page.render(guide=guide, config=guide.config, title=TITLE,
                                                        body=body, css=Markup(css)))
        ctx.progress("report: PDF")
        printed = guide.asset("css", "report-print.css")
        html = page.render(guide=guide, config=guide.config, title=TITLE, body=body,
                           css=Markup(book_font_faces(guide) + css + (printed.read_text(encoding="utf-8") if printed else "")))
        laid = write_pdf(guide, html, ctx.cache)
        write_bytes(ctx.out / f"{name}.pdf", laid.pdf)
        ctx.laid_out(ctx.out / f"{name}.pdf", laid.pages, laid.findings)
        return ctx.result()


def _chart(guide: Guide, ident: str, caption: str, categories: list[str], values: list[float], alt: str) -> dict:
    from guidebuilder.transforms.charts import grouped_bar_chart

    font = guide.asset("fonts", "atkinson-hyperlegible", "atkinson-hyperlegible-latin-400-normal.woff2")
    svg = grouped_bar_chart(categories, [("", values)], caption, alt, font)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return {"t": "Figure", "c": [A.attr(ident, ["gb-chart"]), [None, [A.plain(caption)]],
                                 [A.plain(A.image(alt, uri))]]}


def _date(value) -> str:
    return fecha(value) if value else "–"


def report_blocks(guide: Guide, f: FollowUp) -> list:
    """The report's body as pandoc blocks: every figure also given as a table."""
    return [*_notice(f), *_summary(f, guide.config.phrases.exercises), *_adoption(guide, f), *_by_entity(guide, f), *_by_channel(guide, f),
            *_by_step(f), *_feedback(f), *_gaps(f), *_annex(guide, f), *_method(f)]


def _gap_label(f: FollowUp) -> str:
    return f"Entidades sin ejercicios {f.gap_months} meses o más después de su declaración"


def _notice(f: FollowUp) -> list:
    """A warning first when some entities are fictional."""
    if not f.fictional:
        return []
    return [A.div([A.para(A.strong("Incluye entidades ficticias."), {"t": "Space"},
                          *A.inlines("Las cifras de las entidades marcadas como ficticias son datos de "
                                     "ejemplo, no resultados reales."))], classes=["aviso-ilustrativo"])]


def _summary(f: FollowUp, exercises: str = "ejercicios") -> list:
    named = f"{exercises[:1].upper()}{exercises[1:]}"  # the guide's own name for them (guide.yml, phrases:)
    fb = f.feedback
    out = [A.header(2, "Resumen", "resumen"),
           A.para(f"Cifras al {fecha(f.cutoff)}, calculadas a partir del registro de adopción de la guía "
                  f"(declaraciones voluntarias y {exercises}) y de los comentarios "
                  "de la revisión."),
           A.table(["Indicador", "Valor"], [
               ["Entidades con declaración voluntaria", str(len(f.entities))],
               [f"{named} registrados", str(f.exercises)],
               ["Ejercicios difundidos por al menos un canal digital", str(f.digital)],
               ["Ejercicios difundidos por al menos un canal no digital", str(f.non_digital)],
               [_gap_label(f), str(len(f.gaps))],
               ["Comentarios de revisión recibidos", str(fb.received)],
               ["Comentarios de revisión atendidos", str(fb.resolved)],
           ], "Resumen del seguimiento", aligns=[L, R])]
    if f.later:
        out.append(A.para(A.emph(f"{f.later} registros con fecha posterior a la fecha de corte no se cuentan.")))
    return out


def _adoption(guide: Guide, f: FollowUp) -> list:
    out = [A.header(2, "Entidades que se suman a la guía", "adopcion")]
    if not f.entities:
        out.append(A.para("Todavía no hay declaraciones voluntarias registradas."))
        return out
    months = [m for m, _, _ in f.timeline]
    cumulative = [c for _, _, c in f.timeline]
    alt = "Gráfica de barras: entidades con declaración, acumulado por mes. " + "; ".join(
        f"{m}: {c}" for m, c in zip(months, cumulative))
    out.append(_chart(guide, "grafica-adopcion", "Entidades con declaración (acumulado por mes)", months,
                      cumulative, alt))
    out.append(A.table(["Mes", "Nuevas declaraciones", "Acumulado"],
                       [[m, str(n), str(c)] for m, n, c in f.timeline],
                       "Declaraciones por mes", aligns=[L, R, R]))
    return out


def _by_entity(guide: Guide, f: FollowUp) -> list:
    out = [A.header(2, "Ejercicios por entidad", "ejercicios-por-entidad")]
    if not f.entities:
        out.append(A.para("Sin ejercicios registrados."))
        return out
    steps = {s.id: s.number for s in guide.data.steps}
    rows = [[r.name + (" (ficticia)" if r.fictional and "ficti" not in r.name.lower() else ""),
             _date(r.declared), str(r.exercises), str(r.digital), str(r.non_digital),
             ", ".join(str(steps[s]) for s in r.steps) or "–", _date(r.last_exercise)] for r in f.entities]
    out.append(A.table(["Entidad", "Declaración", "Ejercicios", "Con canal digital", "Con canal no digital",
                        "Pasos cubiertos", "Último ejercicio"], rows, "Ejercicios registrados por entidad",
                       aligns=[L, L, R, R, R, L, L]))
    return out


def _by_channel(guide: Guide, f: FollowUp) -> list:
    out = [A.header(2, "Ejercicios por canal", "ejercicios-por-canal")]
    used = [c for c in f.channels if c[3]]
    if used:
        alt = "Gráfica de barras: ejercicios por canal. " + "; ".join(
            f"{name} ({KIND[kind].lower()}): {n}" for _, name, kind, n, _ in used)
        out.append(_chart(guide, "grafica-canales", "Ejercicios por canal",
                          [f"{name} ({KIND[kind].lower()})" for _, name, kind, _, _ in used],
                          [n for _, _, _, n, _ in used], alt))
    out.append(A.table(["Canal", "Tipo", "Ejercicios", "Entidades"],
                       [[name, KIND[kind], str(n), str(e)] for _, name, kind, n, e in f.channels],
                       "Ejercicios y entidades por canal de difusión", aligns=[L, L, R, R]))
    return out


def _by_step(f: FollowUp) -> list:
    return [A.header(2, "Pasos del método que cubren los ejercicios", "pasos"),
            A.table(["Paso", "Nombre", "Ejercicios", "Entidades"],
                    [[str(num), title, str(n), str(e)] for _, num, title, n, e in f.steps],
                    "Ejercicios y entidades por paso del método", aligns=[R, L, R, R])]


def _feedback(f: FollowUp) -> list:
    fb = f.feedback
    out = [A.header(2, "Comentarios de la revisión", "comentarios")]
    if not fb.files:
        out.append(A.para("No hay comentarios de revisión importados."))
        return out
    out.append(A.para(f"Se recibieron {fb.received} comentarios y se atendieron {fb.resolved} "
                      "(aceptados, no aceptados con respuesta, o incorporados)."
                      + (f" {fb.unreadable} archivos de comentarios no se pudieron leer." if fb.unreadable else "")))
    out.append(A.table(["Estado", "Comentarios"], [[STATUS[s], str(n)] for s, n in fb.by_status],
                       "Comentarios por estado", aligns=[L, R]))
    if fb.by_chapter:
        out.append(A.table(["Capítulo", "Recibidos", "Atendidos", "Abiertos"],
                           [[t, str(n), str(r), str(n - r)] for t, n, r in fb.by_chapter],
                           "Comentarios por capítulo", aligns=[L, R, R, R]))
    return out


def _gaps(f: FollowUp) -> list:
    out = [A.header(2, "Brechas", "brechas"),
           A.para(f"Entidades que declararon que implementarían la guía hace {f.gap_months} meses o más y "
                  "todavía no registran ningún ejercicio.")]
    if f.gaps:
        out.append(A.table(["Entidad", "Declaración", "Meses transcurridos"],
                           [[r.name, _date(r.declared), str(r.months_since_declaration)] for r in f.gaps],
                           _gap_label(f), aligns=[L, L, R]))
    else:
        out.append(A.para(A.emph("Ninguna.")))
    return out


def _annex(guide: Guide, f: FollowUp) -> list:
    """Every exercise registered up to the cut-off date, oldest first."""
    out = [A.header(2, "Anexo: ejercicios registrados", "anexo-ejercicios")]
    listed = [(entry, ex) for entry in guide.data.adoption for ex in entry.exercises
              if entry.declaration.date <= f.cutoff and ex.date <= f.cutoff]
    if not listed:
        out.append(A.para("Sin ejercicios registrados."))
        return out
    names = {r.id: r.name for r in f.entities}
    channels = guide.data.by_id("channels")
    rows = []
    for entry, ex in sorted(listed, key=lambda p: (p[1].date, names.get(p[0].entity, ""), p[1].title)):
        title = A.plain(A.link(ex.title, ex.url)) if ex.url else f"{ex.title} ({ex.place})"
        rows.append([_date(ex.date), names.get(entry.entity, entry.entity), title,
                     ", ".join(channels[c].name if c in channels else c for c in ex.channels), ex.need])
    out.append(A.table(["Fecha", "Entidad", "Ejercicio", "Canales", "Necesidad de información"], rows,
                       f"{guide.config.phrases.exercises[:1].upper()}{guide.config.phrases.exercises[1:]} registrados"))
    return out


def _method(f: FollowUp) -> list:
    return [A.header(2, "Cómo se elaboró este informe", "metodo"),
            A.para(f"Fecha de corte: {fecha(f.cutoff)} (la fecha de la edición de la guía). Fuentes: el "
                   "registro de adopción de la guía y los comentarios de revisión importados de las rondas "
                   "de revisión. Un ejercicio cuenta como digital o no digital según los canales por "
                   "los que se difundió; uno que usó ambos tipos cuenta en los dos. Los comentarios solo se "
                   "cuentan: el informe no incluye sus textos ni los nombres de quienes los hicieron.")]
