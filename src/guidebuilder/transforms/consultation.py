"""Pandoc blocks for the consultation results and the adoption register (tables, charts, comments).

Every value goes in as plain text (Str nodes): a comment written by a citizen can never become
markup, a link or an image.
"""

from __future__ import annotations

from guidebuilder.model.dates import fecha
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.pandoc import ast as A
from guidebuilder.participation.consultation import ILLUSTRATIVE_NOTICE, Consultation
from guidebuilder.transforms.charts import alt_text, chart_figure, grouped_bar_charts

RIGHT = "AlignRight"
LEFT = "AlignLeft"
VIEWS = ("summary", "topics", "topics-by-municipality", "channels-by-age", "channels-by-answer-channel", "comments",
         "method")
ADOPTION_VIEWS = ("summary", "entities", "exercises")
# The roles (columns of the consultation's schema.yml) each view needs.
VIEW_NEEDS = {"topics": ("topics",), "topics-by-municipality": ("municipality", "topics"),
              "channels-by-age": ("age_group", "preferred_channels"),
              "channels-by-answer-channel": ("answer_channel", "preferred_channels"),
              "summary": ("answer_channel",), "comments": (), "method": ()}
PENDING = "Los resultados se publicarán aquí cuando termine la consulta."
MANY = 12  # a question with more choices says how many there are instead of listing them


# ---------------------------------------------------------------- the directives

def consultation_blocks(guide, chapter, d, errors: Collector, generated: dict, cache=None) -> list:
    """Expand the `consultation` directive into pandoc blocks."""
    c = guide.data.consultation
    view = d.attrs.get("view", "")
    if view not in VIEWS:
        errors.add(chapter.path, d.line, 1, f"consultation view '{view}' is not known{suggest(view, VIEWS)}"
                   if view else "directive 'consultation' needs view=\"…\"", f"use one of: {', '.join(VIEWS)}")
        return []
    if c is None:
        errors.add(chapter.path, d.line, 1, "the guide has no consultation data",
                   "add guide/data/consultation/ with schema.yml and answers.csv, or remove this block")
        return []
    missing = [r for r in VIEW_NEEDS[view] if r not in c.labels]
    if missing:
        errors.add(chapter.path, d.line, 1, f"view '{view}' needs a column with role '{missing[0]}' "
                   "in the consultation's schema.yml", "give that role to a column, or choose another view")
        return []
    municipality = d.attrs.get("municipality")
    if municipality and municipality not in c.labels.get("municipality", {}):
        errors.add(chapter.path, d.line, 1, f"municipality '{municipality}' is not a value of the consultation"
                   f"{suggest(municipality, c.labels.get('municipality', {}))}",
                   "use an id from the municipality column's values in schema.yml")
        return []
    if municipality and view != "topics":
        errors.add(chapter.path, d.line, 1, "municipality=\"…\" only works with view=\"topics\"",
                   "remove it, or use view=\"topics\"")
        return []
    caption = d.attrs.get("caption", "")
    if view == "method" and shows_results(guide, c):
        return [*with_notice(c, _summary_blocks(c, "")), *method_blocks(c, caption, guide)]
    if view == "method" or not shows_results(guide, c):
        return pending_blocks(chapter, d, c, view, caption, guide)
    body = view_blocks(guide, chapter, d, c, view, caption, municipality, generated, cache)
    return with_notice(c, body)


def shows_results(guide, c: Consultation) -> bool:
    """Whether the guide shows the consultation's results: real answers, or illustrative ones in a sample
    build (guide.yml `sample: true`). Otherwise it shows how the consultation will be made."""
    return c.answered and (not c.illustrative or guide.config.sample)


def pending_blocks(chapter, d, c: Consultation, view: str, caption: str, guide=None) -> list:
    """What a view shows without results: `method`, or the chapter's first consultation block (when the
    chapter has no `method` block), shows the questionnaire; any other view, one line saying when the
    results come."""
    blocks = [x for x in chapter.directives if x.name == "consultation"]
    has_method = any(x.attrs.get("view") == "method" for x in blocks)
    if view == "method":
        return method_blocks(c, caption, guide)
    if not has_method and blocks and blocks[0].index == d.index:
        return [*method_blocks(c, "", guide), A.para(A.emph(PENDING))]
    return [A.para(A.emph(PENDING))]


def _choices(q) -> str:
    """The answers a question allows, said in a table cell."""
    if q.type == "text":
        return "Respuesta libre."
    if q.type == "bool":
        return "Sí o no."
    several = q.type == "list"
    if len(q.choices) > MANY:
        return f"{'Se eligen una o varias' if several else 'Se elige una'} de una lista de {len(q.choices)} opciones."
    return f"{'Una o varias de estas' if several else 'Una de estas'}: {', '.join(q.choices)}."


def method_blocks(c: Consultation, caption: str = "", guide=None) -> list:
    """The consultation's method: what it asks, the answers it allows, how it is answered, and the
    questionnaire's files to apply it, all from its questionnaire (schema.yml)."""
    out = [A.para(c.description)] if c.description else []
    if c.answer_channels:
        out.append(A.para("Se podrá responder de estas formas:"))
        out.append(A.bullet_list([[A.plain(label)] for label in c.answer_channels]))
    rows = [[q.text + ("" if q.required else " (opcional)"), _choices(q)] for q in c.questions]
    if rows:
        out.append(A.table(["Pregunta", "Respuestas posibles"], rows, caption or "Preguntas de la consulta",
                           aligns=[LEFT, LEFT]))
    if c.personal:
        names = [label.lower() for label, _ in c.personal]
        listed = ", ".join(names[:-1]) + f" y {names[-1]}" if len(names) > 1 else names[0]
        optional = "" if any(required for _, required in c.personal) else "opcionales y "
        out.append(A.para(f"Los datos de contacto que se piden ({listed}) son {optional}nunca se publican."))
    if any(q.role == "comment" for q in c.questions):
        out.append(A.para("Solo se publicarán los comentarios que la persona marque como publicables y que no "
                          "contengan datos personales."))
    return out + (download_blocks(guide) if guide is not None and c.schema is not None else [])


def download_blocks(guide) -> list:
    """The questionnaire in every format (build/consulta/, placed in the site's descargas/ by the builder): links
    when the site's address is known, else the file names and where they are."""
    from guidebuilder.participation.questionnaire import downloads

    base = f"{guide.site_url.rstrip('/')}/descargas/" if guide.site_url else None
    items = []
    for d in downloads(guide.slug):
        name = A.link(d.name, base + d.name) if base else {"t": "Code", "c": [A.attr(), d.name]}
        items.append([A.plain(name, *A.inlines(f": {d.what}."))])
    where = f"Están en {base}." if base else "Se publican junto con el sitio de la guía, en su carpeta descargas/."
    return [A.para(A.strong("Cuestionario para aplicar la consulta."), {"t": "Space"},
                   *A.inlines(f"Para aplicarla en papel, en teléfonos celulares sin señal o en línea. {where}")),
            A.div([A.bullet_list(items)], classes=["gb-descargas"])]


def adoption_blocks(guide, chapter, d, errors: Collector) -> list:
    """Expand the `adoption` directive into pandoc blocks."""
    view = d.attrs.get("view", "entities")
    if view not in ADOPTION_VIEWS:
        errors.add(chapter.path, d.line, 1, f"adoption view '{view}' is not known{suggest(view, ADOPTION_VIEWS)}",
                   f"use one of: {', '.join(ADOPTION_VIEWS)}")
        return []
    return adoption_view(guide, view, d.attrs.get("caption", ""))


# ---------------------------------------------------------------- consultation views

def pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def count_pct(part: int, whole: int) -> str:
    return f"{part} ({pct(part, whole)})"


def notice() -> dict:
    return A.div([A.para(A.strong("Datos ilustrativos, no son resultados reales."), {"t": "Space"},
                         *A.inlines("Este ejemplo muestra cómo se presentarán los resultados de la consulta."))],
                 classes=["aviso-ilustrativo"])


def with_notice(c: Consultation, body: list) -> list:
    """Put the illustrative notice before every table and chart made from sample data."""
    if not c.illustrative or not body:
        return body
    return [notice(), *body]


def _caption(c: Consultation, caption: str) -> str:
    if c.illustrative and caption:
        return f"{caption} ({ILLUSTRATIVE_NOTICE[:-1].lower()})"
    return caption


def _note(c: Consultation) -> str | None:
    return ILLUSTRATIVE_NOTICE if c.illustrative else None


def _chart(guide, chapter, d, generated: dict, cache, caption: str, categories: list[str],
           series: list[tuple[str, list[float]]], percent: bool, alt: str, note: str | None) -> dict:
    """The chart's figure (every variant: book, large print, phone). Its alt text is one sentence made
    from the caption, plus the note and where the data are: `alt`, which lists the data, is not used
    (the table that follows gives them)."""
    name = f"graficas/{chapter.id}-{d.index + 1}.svg"
    font = guide.asset("fonts", "atkinson-hyperlegible", "atkinson-hyperlegible-latin-400-normal.woff2")
    what = "en porcentaje de las respuestas de cada grupo" if percent else "en número de menciones"
    told = caption.replace(f" ({ILLUSTRATIVE_NOTICE[:-1].lower()})", "") if note else caption  # note said below
    short = alt_text(f"Gráfica de barras: {told or 'Gráfica'}, {what}." + (f" {note}" if note else ""))
    files = grouped_bar_charts(categories, series, caption or "Gráfica", short, font, percent, note, cache)
    return chart_figure(f"grafica-{chapter.id}-{d.index + 1}", caption, short, name, files, generated)


def view_blocks(guide, chapter, d, c: Consultation, view: str, caption: str, municipality: str | None,
                generated: dict, cache=None) -> list:
    """The blocks of one view of the consultation (one of VIEWS)."""
    if view == "comments":
        return comments_blocks(c, caption)
    if view == "summary":
        return _summary_blocks(c, caption, guide.config.phrases.population)
    crossed = [A.para(A.emph(f"Sin las {c.tallied} personas de las hojas de conteo: de ellas solo se conocen los "
                             "totales de cada opción."))] if c.tallied else []
    if view == "topics":
        return _topics_blocks(guide, chapter, d, c, caption, municipality, generated, cache) + (
            crossed if municipality else [])
    if view == "topics-by-municipality":
        return _topics_by_municipality_blocks(c, caption) + crossed
    # channels-by-age, channels-by-answer-channel: preferred channels per group, as % of the group's answers
    return _channels_by_group_blocks(guide, chapter, d, c, view, caption, generated, cache) + crossed


def people(c: Consultation) -> int:
    """Everyone who answered: the individual answers and the people counted on tally sheets."""
    return c.answers + c.tallied


def _summary_blocks(c: Consultation, caption: str, population: str = "la población") -> list:
    """Who answered: how many, when, where from and by which channel, and what that allows to say."""
    labels = c.labels
    total = people(c)
    by_channel = c.by_channel or c.counts["answer_channel"]
    rows = [[labels["answer_channel"][k], str(n), pct(n, total)] for k, n in by_channel]
    rows.append([A.strong("Total"), A.plain(A.strong(str(total))), "100 %"])
    period = ""
    if c.first_date and c.last_date:
        period = f" entre el {fecha(c.first_date)} y el {fecha(c.last_date)}"
    places = [labels.get("municipality", {}).get(k, k) for k in c.places]
    where = ""
    if places:
        listed = ", ".join(places[:-1]) + f" y {places[-1]}" if len(places) > 1 else places[0]
        where = f", de {len(places)} municipio{'s' if len(places) != 1 else ''} ({listed})"
    intro = A.para(f"{c.title}: {total} personas respondieron{period}{where}.")
    table = A.table([c.headings["answer_channel"], "Personas", "%"], rows,
                    _caption(c, caption or "Respuestas por canal de respuesta"), aligns=[LEFT, RIGHT, RIGHT])
    return [intro, table, *limits_blocks(c, population)]


def limits_blocks(c: Consultation, population: str = "la población") -> list:
    """The method's limits, said with the results: who answered is not a sample of the population."""
    text = ("Límites: no es una muestra representativa. Respondieron las personas que quisieron y pudieron "
            f"hacerlo por los canales abiertos, así que los resultados describen a quienes respondieron y no a toda "
            f"{population}. Los porcentajes se calculan sobre quienes respondieron.")
    if c.tallied:
        text += (f" {c.tallied} de esas personas se contaron en {c.tally_sheets} hoja"
                 f"{'s' if c.tally_sheets != 1 else ''} de conteo (asambleas y módulos de atención): de ellas solo se "
                 "conocen los totales de cada opción, así que no entran en los cruces por municipio, edad o canal ni "
                 "dejaron comentarios.")
    return [A.para(A.emph(text))]


def _topics_blocks(guide, chapter, d, c: Consultation, caption: str, municipality: str | None,
                   generated: dict, cache=None) -> list:
    note = _note(c)
    labels = c.labels
    if municipality:
        group = next(g for g in c.crossed["topics-by-municipality"] if g[0] == municipality)
        total, counts = group[1], group[2]
        caption = caption or f"Temas prioritarios en {labels['municipality'][municipality]}"
    else:
        total, counts = people(c), c.counts["topics"]
        caption = caption or "Temas prioritarios"
    ordered = sorted(counts, key=lambda kv: -kv[1])  # stable: ties keep the schema's order
    names = [labels["topics"][k] for k, _ in ordered]
    values = [n for _, n in ordered]
    alt = "Gráfica de barras de los temas prioritarios (menciones): " + "; ".join(
        f"{name}: {n}" for name, n in zip(names, values)) + (f". {note}" if note else "")
    figure = _chart(guide, chapter, d, generated, cache, _caption(c, caption), names, [("Menciones", values)],
                    False, alt, note)
    rows = [[name, str(n), pct(n, total)] for name, n in zip(names, values)]
    table = A.table(["Tema", "Menciones", "% de las respuestas"], rows,
                    _caption(c, f"Datos de la gráfica: {caption} ({total} respuestas)"),
                    aligns=[LEFT, RIGHT, RIGHT])
    return [figure, A.div([table], classes=["gb-chart-data"])]


def _topics_by_municipality_blocks(c: Consultation, caption: str) -> list:
    labels = c.labels
    groups = [g for g in c.crossed["topics-by-municipality"] if g[1]]
    topics = list(labels["topics"])
    caption = _caption(c, caption or "Temas prioritarios por municipio (menciones)")
    if len(groups) <= len(topics):  # the shorter list across, so the table fits the page
        headers = ["Tema", *[f"{labels['municipality'][g]} (n = {n})" for g, n, _ in groups]]
        rows = [[labels["topics"][t], *[str(dict(counts)[t]) for _, _, counts in groups]] for t in topics]
        return [A.table(headers, rows, caption, aligns=[LEFT, *[RIGHT] * len(groups)])]
    headers = [c.headings["municipality"], "Respuestas", *[labels["topics"][t] for t in topics]]
    rows = [[labels["municipality"][g], str(n), *[str(dict(counts)[t]) for t in topics]] for g, n, counts in groups]
    return [A.table(headers, rows, caption, aligns=[LEFT, RIGHT, *[RIGHT] * len(topics)])]


def _channels_by_group_blocks(guide, chapter, d, c: Consultation, view: str, caption: str, generated: dict,
                              cache=None) -> list:
    note = _note(c)
    labels = c.labels
    group_role = "age_group" if view == "channels-by-age" else "answer_channel"
    groups = [g for g in c.crossed[view] if g[1]]
    channels = list(labels["preferred_channels"])
    default = ("Canales preferidos para recibir información, por grupo de edad" if view == "channels-by-age"
               else "Canales preferidos para recibir información, según el canal por el que se respondió")
    caption = caption or default
    names = [labels["preferred_channels"][ch] for ch in channels]
    series = [(labels[group_role][g], [100 * dict(counts)[ch] / n for ch in channels]) for g, n, counts in groups]
    alt = f"Gráfica de barras: {caption}, en porcentaje de las respuestas de cada grupo. " + " ".join(
        f"{labels[group_role][g]} ({n} respuestas): " + "; ".join(
            f"{labels['preferred_channels'][ch]} {pct(dict(counts)[ch], n)}" for ch in channels) + "."
        for g, n, counts in groups) + (f" {note}" if note else "")
    figure = _chart(guide, chapter, d, generated, cache, _caption(c, caption), names, series, True, alt, note)
    headers = ["Canal preferido", *[f"{labels[group_role][g]} (n = {n})" for g, n, _ in groups]]
    rows = [[labels["preferred_channels"][ch], *[count_pct(dict(counts)[ch], n) for _, n, counts in groups]]
            for ch in channels]
    if group_role in c.non_digital_by:
        nd = {g: m for g, _, m in c.non_digital_by[group_role]}
        rows.append([A.strong("Prefieren al menos un canal no digital"),
                     *[A.plain(A.strong(count_pct(nd[g], n))) for g, n, _ in groups]])
    table = A.table(headers, rows, _caption(c, f"Datos de la gráfica: {caption} (respuestas y % del grupo)"),
                    aligns=[LEFT, *[RIGHT] * len(groups)])
    return [figure, A.div([table], classes=["gb-chart-data"])]


def comments_blocks(c: Consultation, caption: str) -> list:
    intro = A.para(f"Se recibieron {c.comments_received} comentarios; {c.comments_publishable} se marcaron como "
                   f"publicables y se muestran {len(c.comments)}"
                   + (f" ({c.comments_withheld} se retiraron porque contenían datos personales)"
                      if c.comments_withheld else "") + ".")
    out = [A.para(A.strong(caption))] if caption else []
    out.append(intro)
    if c.comments:
        items = [[A.plain(*A.inlines(f"«{com.text}»"),
                          *(A.inlines(f" ({com.municipality})") if com.municipality else []))]
                 for com in c.comments]
        out.append(A.div([A.bullet_list(items)], classes=["gb-comments"]))
    return out


# ---------------------------------------------------------------- the adoption register

def adoption_view(guide, view: str, caption: str) -> list:
    entities = guide.data.by_id("entities")
    # entries of fictional entities (example data) are shown only in a sample build
    register = tuple(a for a in guide.data.adoption
                     if guide.config.sample or not getattr(entities.get(a.entity), "fictional", False))
    channels = guide.data.by_id("channels")
    steps = guide.data.by_id("steps")
    exercises = guide.config.phrases.exercises  # the guide's own name for them
    if not register:
        return [A.para(A.emph("Todavía no hay instituciones registradas. El registro se actualiza con cada "
                              "declaración recibida."))]

    def name(entry) -> str:
        e = entities.get(entry.entity)
        return e.name if e else entry.entity

    fictional = any(getattr(entities.get(a.entity), "fictional", False) for a in register)
    lead = [A.div([A.para(A.strong("Ejemplo con entidades ficticias."), {"t": "Space"},
                          *A.inlines("No corresponde a instituciones reales."))],
                  classes=["aviso-ilustrativo"])] if fictional else []
    ordered = sorted(register, key=lambda a: (a.declaration.date, name(a)))
    if view == "summary":
        total = sum(len(a.exercises) for a in register)
        return lead + [A.para(f"{len(register)} entidades han declarado que implementarán la guía y han "
                              f"registrado {total} {exercises}.")]
    if view == "entities":
        rows = []
        for a in ordered:
            doc = A.plain(A.link(a.declaration.document, a.declaration.url)) if a.declaration.url else \
                f"{a.declaration.document} ({a.declaration.place})"
            rows.append([name(a), fecha(a.declaration.date), doc, str(len(a.exercises))])
        return lead + [A.table(["Entidad", "Declaración", "Documento", "Ejercicios"], rows,
                               caption or "Entidades que implementan la guía", aligns=[LEFT, LEFT, LEFT, RIGHT])]
    rows = []
    for a in ordered:
        for ex in sorted(a.exercises, key=lambda e: (e.date, e.title)):
            where = A.plain(A.link(ex.title, ex.url)) if ex.url else f"{ex.title} ({ex.place})"
            rows.append([name(a), where, fecha(ex.date),
                         ", ".join(channels[ch].name if ch in channels else ch for ch in ex.channels),
                         ex.need, ", ".join(str(steps[s].number) for s in ex.steps if s in steps)])
    return lead + [A.table(["Entidad", "Ejercicio", "Fecha", "Canales", "Necesidad de información", "Pasos"], rows,
                           caption or f"{exercises[:1].upper()}{exercises[1:]} registrados")]
