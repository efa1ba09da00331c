"""Pandoc blocks for the data-driven directives: practices, channels, indicators, charts, lists.

Every value from a data file goes in as plain text (Str nodes), so it can never become markup.
"""

from __future__ import annotations

from typing import Any

from guidebuilder.pandoc import ast as A

KIND_LABEL = {"digital": "Digital", "non-digital": "No digital", "format": "Formato"}
NOT_AVAILABLE = "no disponible"
VERIFICATION_NOTE = {
    "parcial": "Fuente de segunda mano: una nota de prensa, una copia o lo que dice la propia institución.",
    "no-verificada": "Sin fuente verificable: solo en la edición de revisión, no se publica.",
}


def fmt_number(value: float, scale: str, unit: str | None = None) -> str:
    if scale == "0-1":
        text = f"{value:.2f}"
    else:
        text = f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
        text += " %" if not unit else f" {unit}"
    return text


def source_inlines(sources: list) -> list:
    out: list = []
    for i, src in enumerate(sources):
        if i:
            out.extend(A.inlines("; "))
        label = src.title + (f" ({src.publisher})" if src.publisher else "")
        out.append(A.link(label, src.url) if src.url else A.span(A.inlines(label)))
    return out


def _field(label: str, value: Any) -> list:
    return [A.strong(f"{label}:"), {"t": "Space"}, *(value if isinstance(value, list) else A.inlines(str(value)))]


def practice_card(p, channels: dict, steps: dict, level: int) -> dict:
    chan = ", ".join(channels[c].name for c in p.channels if c in channels)
    step = ", ".join(f"{steps[s].number}. {steps[s].title}" for s in p.steps if s in steps)
    blocks = [
        A.header(level, p.title, ident=f"practica-{p.id}", classes=["unnumbered", "unlisted"]),
        A.para(*_field("Quién lo hizo", p.institution)),
        A.para(*_field("Lugar y año", f"{p.place}, {p.country}; {p.year}")),
        A.para(*_field("Canales", chan)),
        A.para(*_field("Paso", step)),
        A.para(p.summary),
        A.para(*_field("Para quién", p.audience or NOT_AVAILABLE)),
        A.para(*_field("Qué logró", p.result or NOT_AVAILABLE)),
        A.para(*_field("Cuánto costó", p.cost or NOT_AVAILABLE)),
    ]
    if p.lesson:
        blocks.append(A.para(*_field("Qué enseña", p.lesson)))
    if p.sources:
        blocks.append(A.para(*_field("Fuente", source_inlines(p.sources))))
    if p.verification in VERIFICATION_NOTE:
        blocks.append(A.para(A.emph(VERIFICATION_NOTE[p.verification])))
    kinds = sorted({channels[c].kind for c in p.channels if c in channels})
    return A.div(blocks, classes=["gb-practice", f"verificacion-{p.verification}"],
                 kv=[("data-channels", " ".join(p.channels)), ("data-steps", " ".join(p.steps)),
                     ("data-kinds", " ".join(kinds)), ("data-topics", " ".join(p.topics))])


def practices_table(items: list, channels: dict, steps: dict, caption: str) -> dict:
    rows = [[p.title, p.institution,
             f"{p.place}, {p.year}", ", ".join(channels[c].name for c in p.channels if c in channels),
             ", ".join(str(steps[s].number) for s in p.steps if s in steps)] for p in items]
    return A.table(["Práctica", "Quién lo hizo", "Lugar y año", "Canales", "Paso"], rows, caption)


def channel_card(c, level: int) -> dict:
    blocks = [
        A.header(level, c.name, ident=f"canal-{c.id}", classes=["unnumbered", "unlisted"]),
        A.para(*_field("Tipo", KIND_LABEL[c.kind])),
        A.para(c.summary),
        A.para(*_field("Cuándo usarlo", c.when_to_use)),
        A.para(*_field("Llega a", c.reach)),
        A.para(*_field("Costo", c.cost)),
        A.para(*_field("Qué cuidar", c.accessibility)),
        A.para(*_field("Para quién", ", ".join(c.populations))),
    ]
    if c.sources:
        blocks.append(A.para(*_field("Fuente", source_inlines(c.sources))))
    return A.div(blocks, classes=["gb-channel", f"canal-{c.kind}"], kv=[("data-kind", c.kind)])


def channels_table(items: list, caption: str) -> dict:
    rows = [[c.name, KIND_LABEL[c.kind], c.when_to_use, c.cost, ", ".join(c.populations)] for c in items]
    return A.table(["Canal", "Tipo", "Cuándo usarlo", "Costo", "Para quién"], rows, caption)


def indicators_table(items: list, caption: str) -> dict:
    rows = []
    for ind in items:
        ref = ""
        if ind.reference_value is not None:
            ref = fmt_number(ind.reference_value, ind.scale, ind.unit)
            if ind.reference_label:
                ref += f" ({ind.reference_label})"
        source = source_inlines([ind.source])
        if ind.verification == "parcial":
            source = source + A.inlines(" (fuente secundaria)")
        rows.append([ind.name, ind.territory, str(ind.year), fmt_number(ind.value, ind.scale, ind.unit), ref,
                     A.plain(source)])
    return A.table(["Indicador", "Territorio", "Año", "Valor", "Referencia", "Fuente"], rows, caption,
                   aligns=["AlignLeft", "AlignLeft", "AlignRight", "AlignRight", "AlignRight", "AlignLeft"])


def steps_table(steps: list, chapter_anchor: dict, caption: str) -> dict:
    rows = []
    for s in sorted(steps, key=lambda s: s.number):
        target = chapter_anchor.get(s.chapter)
        title = A.plain(A.link(s.title, f"#{target}")) if target else s.title
        rows.append([str(s.number), title, s.summary])
    return A.table(["Paso", "Nombre", "Qué se hace"], rows, caption)


def glossary(terms: list) -> dict:
    items = []
    for term in sorted(terms, key=lambda t: t.term.lower()):
        body = [A.para(term.definition)]
        if term.source:
            body.append(A.para(A.emph("Fuente: "), *source_inlines([term.source])))
        items.append([A.inlines(term.term), [body]])
    return {"t": "DefinitionList", "c": items}


def references(data, public_practices: tuple) -> dict:
    seen: dict[tuple, Any] = {}
    pools = [p.sources for p in public_practices] + [c.sources for c in data.channels] + \
        [[i.source] for i in data.indicators if i.verification != "no-verificada"] + \
        [[t.source] for t in data.glossary if t.source]
    for pool in pools:
        for src in pool:
            seen.setdefault((src.title.strip().lower(), src.url or ""), src)
    items = [[A.plain(*source_inlines([src]))] for src in seen.values()]
    for ref in data.references:
        label = ref.title + (f". {ref.publisher}" if ref.publisher else "") + (f", {ref.year}" if ref.year else "")
        items.append([A.plain(A.link(label, ref.url) if ref.url else A.span(A.inlines(label)))])
    items.sort(key=lambda item: A.stringify(item).lower())
    return A.bullet_list(items)
