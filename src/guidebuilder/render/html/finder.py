"""The guided finder (asistente/): three questions answered by a short plan built from the guide's own data.

1. Who to reach: people who use the internet, people who do not, or both (the channel kinds in
   channels.yml); 2. what resources there are (the channel cost levels); 3. which step of the method
   (steps.yml). The plan names the step (its chapter and checklist), the channels of the chosen kinds within
   the cost (with their cost and reach, as channels.yml says), the practices of that step that use those
   channels, and the worksheets (the sections of the chapter holding `::: {.ficha}` blocks). Nothing in it
   is written here: every sentence of advice comes from the guide's data or chapters.

Without JavaScript the finder is a path of static pages: asistente/index.html (question 1) →
asistente/<who>.html (2) → asistente/<who>-<cost>.html (3) → asistente/<who>-<cost>-<step>.html (the
plan). With JavaScript (asistente.js) the three questions show on the first page at once and lead
straight to the plan, and the plan's channels can be narrowed to a group (language, age, disability…):
the populations each channel names in channels.yml, which the plan also lists without JavaScript.
The kind of institution is not asked: nothing in the guide's data differs by it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from guidebuilder.pandoc import ast as A
from guidebuilder.render.html.pages import KIND_SLUG
from guidebuilder.transforms.blocks import KIND_LABEL

FOLDER = "asistente"
COSTS = ("bajo", "medio", "alto")
WHO = {"digital": "Personas que usan internet", "non-digital": "Personas que no usan internet o casi no lo usan"}
WHO_SHORT = {"digital": "personas con internet", "non-digital": "personas sin internet"}
BOTH = ("ambos", "Las dos: personas con y sin internet", "personas con y sin internet")
COST_SHORT = {"bajo": "costo bajo", "medio": "costo bajo o medio", "alto": "cualquier costo"}
COST_LABEL = {"bajo": "Pocos recursos: solo canales de costo bajo",
              "medio": "Algunos recursos: canales de costo bajo o medio",
              "alto": "Recursos suficientes: canales de cualquier costo"}
HOME = ("Inicio", "index.html")
START = ("Asistente", f"{FOLDER}/index.html")
PRACTICES_SHOWN = 6
FORMATS = tuple(k for k in KIND_LABEL if k not in WHO)  # channel kinds that are formats for any channel


@dataclass(frozen=True)
class Option:
    slug: str
    label: str
    values: tuple  # the channel kinds, cost levels or step id it stands for
    short: str = ""  # in page titles, which must differ


def available(guide) -> bool:
    """The finder needs steps and channels; a guide without them has none."""
    return bool(guide.data.steps) and bool(guide.data.channels)


def questions(guide) -> list[tuple[str, list[Option]]]:
    """The three questions and their options, only those the guide's data can answer."""
    kinds = [k for k in WHO if any(c.kind == k for c in guide.data.channels)]  # formats serve any channel
    who = [Option(KIND_SLUG[k], WHO[k], (k,), WHO_SHORT[k]) for k in kinds]
    if len(kinds) > 1:
        who.append(Option(BOTH[0], BOTH[1], tuple(kinds), BOTH[2]))
    levels = [c for c in COSTS if any(ch.cost == c for ch in guide.data.channels)]
    cost = [Option(c, COST_LABEL[c], tuple(COSTS[:COSTS.index(c) + 1]), COST_SHORT[c]) for c in levels]
    steps = [Option(s.id, f"Paso {s.number}. {s.title}", (s.id,))
             for s in sorted(guide.data.steps, key=lambda s: s.number)]
    return [("¿A quién quiere llegar con la información?", who), ("¿Con qué recursos cuenta?", cost),
            ("¿En qué paso del método está?", steps)]


def write_pages(site) -> None:
    guide = site.guide
    if not available(guide):
        return
    qs = questions(guide)
    data = Markup(json.dumps([{"q": q, "options": [[o.slug, o.label] for o in opts]} for q, opts in qs],
                             ensure_ascii=False).replace("<", "\\u003c"))
    _question(site, "index.html", qs, 0, (), data)
    tools = worksheets(guide)  # the same for every plan: looked for once, like each chapter's checklist
    anchors = {c.id: checklist_anchor(c) for c in guide.chapters}
    for who in qs[0][1]:
        _question(site, f"{who.slug}.html", qs, 1, (who,), None)
        for cost in qs[1][1]:
            _question(site, f"{who.slug}-{cost.slug}.html", qs, 2, (who, cost), None)
            for step in qs[2][1]:
                _plan(site, who, cost, step, tools, anchors)


def _question(site, file: str, qs: list, n: int, chosen: tuple, data) -> None:
    prefix = "-".join(o.slug for o in chosen)
    question, options = qs[n]
    links = [{"href": f"{prefix + '-' if prefix else ''}{o.slug}.html", "label": o.label} for o in options]
    title = "Asistente: arme su plan" if n == 0 else \
        f"Asistente, pregunta {n + 1} de {len(qs)} ({', '.join(o.short for o in chosen)})"
    site.write(f"{FOLDER}/{file}", "html/finder.html", title=title, kind="Asistente", indexed=False,
               current="asistente", number=n + 1, total=len(qs), question=question, links=links,
               chosen=[(qs[i][0], o.label) for i, o in enumerate(chosen)], data=data,
               breadcrumbs=[HOME] if n == 0 else [HOME, START], crumb=f"Pregunta {n + 1}",
               description="Tres preguntas y un plan corto con los pasos, canales, prácticas y herramientas "
               "de la guía que le sirven.")


def _plan(site, who: Option, cost: Option, step_option: Option, tools: list[dict], anchors: dict) -> None:
    guide = site.guide
    step = guide.data.by_id("steps")[step_option.slug]
    kinds = (*who.values, *FORMATS)  # formats (easy reading, sign language…) go with any channel chosen
    channels = [c for c in guide.data.channels if c.kind in kinds and c.cost in cost.values]
    ids = {c.id for c in channels}
    practices = [p for p in guide.public_practices() if step.id in p.steps and ids & set(p.channels)]
    chapter = next((c for c in guide.chapters if c.file.split("/")[-1] == step.chapter), None)
    groups = [(KIND_LABEL[k], [c for c in channels if c.kind == k]) for k in kinds]
    has_list = any(f.endswith(f"practicas-paso-{step.id}.html") for f in _filter_files(guide))
    site.write(f"{FOLDER}/{who.slug}-{cost.slug}-{step.id}.html", "html/plan.html",
               title=f"Su plan para el paso {step.number}, {who.short}, {cost.short}", kind="Asistente", indexed=False,
               current="asistente", step=step, chapter=chapter, checklist=anchors.get(chapter.id) if chapter else None,
               groups=[g for g in groups if g[1]], practices=practices[:PRACTICES_SHOWN], more=len(practices),
               step_list=has_list, tools=tools,
               chosen=[("A quién", who.label), ("Recursos", cost.label), ("Paso", step_option.label)],
               again=f"{who.slug}-{cost.slug}.html", breadcrumbs=[HOME, START], crumb="Su plan",
               description=f"Plan para el paso {step.number} ({step.title}): canales, prácticas y herramientas "
               "de la guía.")


def _filter_files(guide) -> list[str]:
    from guidebuilder.render.html.catalogue import practice_filters

    return [f.file for f in practice_filters(guide)]


def checklist_anchor(chapter) -> str | None:
    """The id of the heading just before the chapter's first checklist (`::: {.lista-verificacion}`)."""
    if chapter is None:
        return None
    found: list[str] = []
    last = [None]

    def look(node: dict) -> None:
        if node["t"] == "Header" and node["c"][1][0]:
            last[0] = node["c"][1][0]
        elif node["t"] == "Div" and "lista-verificacion" in node["c"][0][1] and not found and last[0]:
            found.append(last[0])

    A.visit(list(chapter.blocks), look)
    return found[0] if found else None


def worksheets(guide) -> list[dict]:
    """The level-2 sections of the chapter that holds the worksheets (`::: {.ficha}` blocks)."""
    for chapter in guide.chapters:
        fichas: list[bool] = []
        A.visit(list(chapter.blocks), lambda n: fichas.append(True)
                if n["t"] == "Div" and "ficha" in n["c"][0][1] else None)
        if fichas:
            return [{"href": f"{chapter.id}.html#{b['c'][1][0]}", "title": A.stringify(b["c"][2])}
                    for b in chapter.blocks if b.get("t") == "Header" and b["c"][0] == 2 and b["c"][1][0]]
    return []
