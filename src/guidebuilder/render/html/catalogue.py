"""Catalogue pages of the HTML site: one page per practice and channel, and pre-built filtered lists.

Filtering works with plain links to static pages (no JavaScript): every filter value (channel kind,
channel, method step, topic) has its own list page under catalogo/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.core.files import write_text
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
    """Every filter of the practice catalogue, in the order the filter menu shows them."""
    practices = guide.public_practices()
    channels = guide.data.by_id("channels")
    out: list[Filter] = []
    for kind, label in KIND_LABEL.items():
        ids = tuple(p.id for p in practices if any(channels[c].kind == kind for c in p.channels if c in channels))
        out.append(Filter("Tipo de canal", f"practicas-{KIND_SLUG[kind]}.html", label,
                          f"Buenas prácticas con canales {label.lower()}es", ids))
    for c in guide.data.channels:
        ids = tuple(p.id for p in practices if c.id in p.channels)
        out.append(Filter("Canal", f"practicas-canal-{c.id}.html", c.name, f"Buenas prácticas: {c.name}", ids))
    for s in sorted(guide.data.steps, key=lambda s: s.number):
        ids = tuple(p.id for p in practices if s.id in p.steps)
        out.append(Filter("Paso del método", f"practicas-paso-{s.id}.html", f"{s.number}. {s.title}",
                          f"Buenas prácticas del paso {s.number}: {s.title}", ids))
    for t in guide.data.topics:
        ids = tuple(p.id for p in practices if t.id in p.topics)
        out.append(Filter("Tema", f"practicas-tema-{t.id}.html", t.name, f"Buenas prácticas: {t.name}", ids))
    return out


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
PRACTICES = ("Buenas prácticas", "catalogo/practicas.html")
CHANNELS = ("Canales", "catalogo/canales.html")
COMMON = {"root": "../"}
INTRO = ("Experiencias de otras instituciones que muestran cómo llevar la información a la población. "
         "Cada práctica tiene su ficha con sus fuentes.")


def write_pages(site, out: Path) -> None:
    """Write the practice and channel pages and their filtered lists."""
    guide = site.guide
    practices = guide.public_practices()
    info = {p.id: practice_info(guide, p) for p in practices}
    write_practice_lists(site, out, practices, info)
    write_practice_pages(site, out, practices, info)
    channels = list(guide.data.channels)
    write_channel_lists(site, out, channels, practices)
    write_channel_pages(site, out, channels, practices, info)


def filter_menu(filters: list[Filter], current: str | None) -> list[dict]:
    """The filter menu of the practice lists, by group, marking the current filter."""
    groups: dict[str, list] = {}
    for f in filters:
        groups.setdefault(f.group, []).append({"href": f.file, "label": f.label, "count": len(f.ids),
                                               "current": f.file == current})
    # long groups fold away (a <details>, no JavaScript) unless they hold the current filter
    return [{"label": k, "items": v, "fold": len(v) > FOLD_OVER, "open": any(i["current"] for i in v)}
            for k, v in groups.items()]


def write_practice_lists(site, out: Path, practices: list, info: dict) -> None:
    """catalogo/practicas.html and one list per filter."""
    by_id = {p.id: p for p in practices}
    filters = practice_filters(site.guide)
    page = site.render("html/practices.html", **COMMON, title="Buenas prácticas", heading="Buenas prácticas",
                       intro=INTRO, filters=filter_menu(filters, None), filter_active=False, filter_label=None,
                       total=len(practices), items=[(p, info[p.id]) for p in practices],
                       breadcrumbs=[HOME], current="practicas", indexed=False)
    write_text(out / "catalogo" / "practicas.html", page)
    for f in filters:
        page = site.render("html/practices.html", **COMMON, title=f.heading, heading=f.heading, crumb=f.label,
                           intro=INTRO, filters=filter_menu(filters, f.file), filter_active=True,
                           filter_label=f.label, total=len(practices), items=[(by_id[i], info[i]) for i in f.ids],
                           breadcrumbs=[HOME, PRACTICES], current="practicas-filtro", indexed=False)
        write_text(out / "catalogo" / f.file, page)


def write_practice_pages(site, out: Path, practices: list, info: dict) -> None:
    """practicas/<id>.html: one page per public practice."""
    shown = appearances(site.guide, "practica", {p.id for p in practices})
    for i, p in enumerate(practices):
        page = site.render("html/practice.html", **COMMON, title=p.title, description=p.summary, p=p,
                           info=info[p.id], note=VERIFICATION_NOTE.get(p.verification),
                           appears=shown.get(p.id, []), breadcrumbs=[HOME, PRACTICES],
                           crumb="Ficha de la práctica",
                           prev=_nav(practices, i - 1, "practicas"), next=_nav(practices, i + 1, "practicas"))
        write_text(out / "practicas" / f"{p.id}.html", page)


def write_channel_lists(site, out: Path, channels: list, practices: list) -> None:
    """catalogo/canales.html and one list per channel kind."""
    counts = {c.id: sum(1 for p in practices if c.id in p.channels) for c in channels}
    kinds = [(k, f"canales-{KIND_SLUG[k]}.html", label) for k, label in KIND_LABEL.items()]
    for kind, file, label in [(None, "canales.html", None), *kinds]:
        items = [(c, counts[c.id]) for c in channels if kind is None or c.kind == kind]
        heading = "Canales" if kind is None else f"Canales {label.lower()}es"
        page = site.render("html/channels.html", **COMMON, title=heading, heading=heading, crumb=label or heading,
                           filters=[{"href": f2, "label": l2, "current": f2 == file,
                                     "count": sum(1 for c in channels if c.kind == k2)} for k2, f2, l2 in kinds],
                           filter_active=kind is not None, filter_label=label, total=len(channels), items=items,
                           breadcrumbs=[HOME] if kind is None else [HOME, CHANNELS],
                           current="canales-cat" if kind is None else "canales-filtro", indexed=False)
        write_text(out / "catalogo" / file, page)


def write_channel_pages(site, out: Path, channels: list, practices: list, info: dict) -> None:
    """canales/<id>.html: one page per channel, with the practices that use it."""
    for i, c in enumerate(channels):
        items = [(p, info[p.id]) for p in practices if c.id in p.channels]
        page = site.render("html/channel.html", **COMMON, title=c.name, description=c.summary, c=c, items=items,
                           breadcrumbs=[HOME, CHANNELS], crumb=c.name,
                           prev=_nav(channels, i - 1, "canales", "name"), next=_nav(channels, i + 1, "canales", "name"))
        write_text(out / "canales" / f"{c.id}.html", page)


def _nav(items: list, i: int, folder: str, attr: str = "title") -> dict | None:
    if i < 0 or i >= len(items):
        return None
    return {"href": f"{folder}/{items[i].id}.html", "title": getattr(items[i], attr)}
