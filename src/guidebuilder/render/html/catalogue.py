"""Catalogue pages of the HTML site: one page per practice and channel, and pre-built filtered lists.

Filtering works with plain links to static pages (no JavaScript): every filter value (channel kind,
channel, method step, topic) has its own list page under catalogo/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.pandoc import ast as A
from guidebuilder.render.html.pages import KIND_SLUG
from guidebuilder.transforms.blocks import KIND_LABEL, VERIFICATION_NOTE

FOLD_OVER = 6  # filter groups longer than this are folded on the catalogue pages


@dataclass(frozen=True)
class Filter:
    """One pre-built list: its file (under catalogo/), label and the practices it keeps."""

    group: str
    file: str
    label: str
    heading: str
    ids: tuple


def practice_info(guide, p) -> dict:
    channels, steps, topics = (guide.data.by_id(n) for n in ("channels", "steps", "topics"))
    chapter_of = {c.file.split("/")[-1]: c.id for c in guide.chapters}
    step_list = []
    for s in sorted((steps[s] for s in p.steps if s in steps), key=lambda s: s.number):
        href = f"{chapter_of[s.chapter]}.html" if s.chapter in chapter_of else None
        step_list.append({"id": s.id, "number": s.number, "title": s.title, "href": href})
    return {"channels": [channels[c] for c in p.channels if c in channels], "steps": step_list,
            "topics": [topics[t] for t in p.topics if t in topics]}


def practice_filters(guide) -> list[Filter]:
    """Every filter of the practice catalogue that keeps at least one practice, in the order the filter
    menu shows them; each page's heading says what it lists, so no two pages share a title."""
    practices = guide.public_practices()
    channels = guide.data.by_id("channels")
    out: list[Filter] = []
    for kind, label in KIND_LABEL.items():
        ids = tuple(p.id for p in practices if any(channels[c].kind == kind for c in p.channels if c in channels))
        out.append(Filter("Tipo de canal", f"practicas-{KIND_SLUG[kind]}.html", label,
                          f"Buenas prácticas con canales {label.lower()}es", ids))
    for c in guide.data.channels:
        ids = tuple(p.id for p in practices if c.id in p.channels)
        out.append(Filter("Canal", f"practicas-canal-{c.id}.html", c.name,
                          f"Buenas prácticas con el canal «{c.name}»", ids))
    for s in sorted(guide.data.steps, key=lambda s: s.number):
        ids = tuple(p.id for p in practices if s.id in p.steps)
        out.append(Filter("Paso del método", f"practicas-paso-{s.id}.html", f"{s.number}. {s.title}",
                          f"Buenas prácticas del paso {s.number}: {s.title}", ids))
    for t in guide.data.topics:
        ids = tuple(p.id for p in practices if t.id in p.topics)
        out.append(Filter("Tema", f"practicas-tema-{t.id}.html", t.name,
                          f"Buenas prácticas sobre el tema «{t.name}»", ids))
    return [f for f in out if f.ids]


def appearances(guide, prefix: str, known: set[str]) -> dict[str, list[dict]]:
    """For every practice (or channel) card: the chapters, and the anchor, where it is shown."""
    found: dict[str, list[dict]] = {}
    for chapter in guide.chapters:
        seen: dict[str, str] = {}

        def look(node: dict) -> None:
            if node["t"] == "Header":
                ident = node["c"][1][0]
                for start in (f"{prefix}-", f"{chapter.id}-{prefix}-"):
                    if ident.startswith(start):
                        rest = ident[len(start):]
                        base = re.sub(r"-\d+$", "", rest)  # a second card in one chapter: id-2
                        item = rest if rest in known else base if base in known else None
                        if item:
                            seen.setdefault(item, ident)

        A.visit(list(chapter.blocks), look)
        for item_id, ident in seen.items():
            found.setdefault(item_id, []).append({"href": f"{chapter.id}.html#{ident}", "title": chapter.title})
    return found


HOME = ("Inicio", "index.html")
PRACTICES = ("Catálogo de buenas prácticas", "catalogo/practicas.html")
CHANNELS = ("Fichas de los canales", "catalogo/canales.html")
RESULTS = "#lista"  # filter links jump past the menu to the list they chose
INTRO = ("Experiencias de otras instituciones que muestran cómo llevar la información a la población. "
         "Cada práctica tiene su ficha con sus fuentes.")


def write_pages(site, out: Path) -> None:
    """Write the practice and channel pages and their filtered lists (none when the guide has none)."""
    guide = site.guide
    practices = guide.public_practices()
    info = {p.id: practice_info(guide, p) for p in practices}
    if practices:
        write_practice_lists(site, practices, info)
        write_practice_pages(site, practices, info)
    channels = list(guide.data.channels)
    if channels:
        write_channel_lists(site, channels, practices)
        write_channel_pages(site, channels, practices, info)


def filter_menu(filters: list[Filter], current: str | None) -> list[dict]:
    """The filter menu of the practice lists, by group, marking the current filter."""
    groups: dict[str, list] = {}
    for f in filters:
        groups.setdefault(f.group, []).append({"href": f.file + RESULTS, "label": f.label, "count": len(f.ids),
                                               "current": f.file == current, "value": f.file})
    # long groups fold away (a <details>, no JavaScript) unless they hold the current filter
    return [{"label": k, "items": v, "fold": len(v) > FOLD_OVER, "open": any(i["current"] for i in v)}
            for k, v in groups.items()]


def write_practice_lists(site, practices: list, info: dict) -> None:
    """catalogo/practicas.html and one list per filter."""
    by_id = {p.id: p for p in practices}
    filters = practice_filters(site.guide)
    common = {"intro": INTRO, "total": len(practices), "kind": "Catálogo", "indexed": False}
    site.write("catalogo/practicas.html", "html/practices.html", **common, title=PRACTICES[0],
               heading=PRACTICES[0], filters=filter_menu(filters, None), filter_active=False, filter_label=None,
               items=[(p, info[p.id]) for p in practices], breadcrumbs=[HOME], crumb=PRACTICES[0],
               current="practicas", description=f"{len(practices)} experiencias de otras instituciones, "
               "por canal, paso del método y tema, cada una con sus fuentes.")
    for f in filters:
        site.write(f"catalogo/{f.file}", "html/practices.html", **common, title=f.heading, heading=f.heading,
                   crumb=f.label, filters=filter_menu(filters, f.file), filter_active=True, filter_label=f.label,
                   items=[(by_id[i], info[i]) for i in f.ids], breadcrumbs=[HOME, PRACTICES],
                   current="practicas-filtro",
                   description=f"{f.heading}: {len(f.ids)} {'práctica' if len(f.ids) == 1 else 'prácticas'} "
                   "con sus fuentes.")


def write_practice_pages(site, practices: list, info: dict) -> None:
    """practicas/<id>.html: one page per public practice."""
    shown = appearances(site.guide, "practica", {p.id for p in practices})
    for i, p in enumerate(practices):
        site.write(f"practicas/{p.id}.html", "html/practice.html", title=p.title, description=p.summary, p=p,
                   info=info[p.id], note=VERIFICATION_NOTE.get(p.verification), kind="Buena práctica",
                   appears=shown.get(p.id, []), breadcrumbs=[HOME, PRACTICES],
                   card=site.card(f"practica-{p.id}"),
                   crumb="Ficha de la práctica",
                   prev=_nav(practices, i - 1, "practicas"), next=_nav(practices, i + 1, "practicas"))


def write_channel_lists(site, channels: list, practices: list) -> None:
    """catalogo/canales.html and one list per channel kind that has channels."""
    counts = {c.id: sum(1 for p in practices if c.id in p.channels) for c in channels}
    kinds = [(k, f"canales-{KIND_SLUG[k]}.html", label) for k, label in KIND_LABEL.items()
             if any(c.kind == k for c in channels)]
    for kind, file, label in [(None, "canales.html", None), *kinds]:
        items = [(c, counts[c.id]) for c in channels if kind is None or c.kind == kind]
        heading = CHANNELS[0] if kind is None else f"Fichas de los canales {label.lower()}es"
        site.write(f"catalogo/{file}", "html/channels.html", title=heading, heading=heading,
                   crumb=label or heading, kind="Catálogo", indexed=False,
                   filters=[{"href": f2 + RESULTS, "label": l2, "current": f2 == file,
                             "count": sum(1 for c in channels if c.kind == k2)} for k2, f2, l2 in kinds],
                   filter_active=kind is not None, filter_label=label, total=len(channels), items=items,
                   breadcrumbs=[HOME] if kind is None else [HOME, CHANNELS],
                   current="canales-cat" if kind is None else "canales-filtro",
                   description=f"{len(items)} canales{' ' + label.lower() + 'es' if label else ''} para llevar la "
                   "información a la población: cuándo usarlos, alcance, costo y accesibilidad.")


def write_channel_pages(site, channels: list, practices: list, info: dict) -> None:
    """canales/<id>.html: one page per channel, with the practices that use it."""
    for i, c in enumerate(channels):
        items = [(p, info[p.id]) for p in practices if c.id in p.channels]
        site.write(f"canales/{c.id}.html", "html/channel.html", title=c.name, description=c.summary, c=c,
                   items=items, breadcrumbs=[HOME, CHANNELS], crumb=c.name, kind="Canal",
                   prev=_nav(channels, i - 1, "canales", "name"), next=_nav(channels, i + 1, "canales", "name"))


def _nav(items: list, i: int, folder: str, attr: str = "title") -> dict | None:
    if i < 0 or i >= len(items):
        return None
    return {"href": f"{folder}/{items[i].id}.html", "title": getattr(items[i], attr)}
