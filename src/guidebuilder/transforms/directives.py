"""Expand each directive (a data block in a chapter) into the pandoc blocks it stands for.

Each directive is one function registered under its name with @expands; expand_one looks the
name up. A directive the parser knows but no function expands belongs in the leaflet.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

from guidebuilder.load.directives import Directive
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.messages import m
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.transforms import blocks as B
from guidebuilder.transforms import consultation as CB
from guidebuilder.transforms.charts import alt_text, bar_charts, chart_figure


@dataclass(frozen=True)
class Expansion:
    """One directive being expanded, with what its function may use."""

    guide: Guide
    chapter: Chapter
    directive: Directive
    level: int  # the level of the headings it makes (one below the heading it sits under)
    errors: Collector
    generated: dict  # file name -> bytes: the files it makes (charts) go here
    cache: Any = None  # the build's cache (charts are kept there)

    @property
    def caption(self) -> str:
        return self.directive.attrs.get("caption", "")

    @property
    def layout(self) -> str:
        return self.directive.attrs.get("layout", "cards")

    def error(self, message: str, fix: str) -> None:
        """Report a problem at the directive's line."""
        self.errors.add(self.chapter.path, self.directive.line, 1, message, fix)


Expander = Callable[[Expansion], list]
EXPANDERS: dict[str, Expander] = {}  # directive name -> the function that expands it


def register(name: str, expand: Expander) -> Expander:
    """Make `expand` the expansion of the directive `name`."""
    EXPANDERS[name] = expand
    return expand


def expands(name: str) -> Callable[[Expander], Expander]:
    """Decorator: register the function as the expansion of the directive `name`."""
    return lambda expand: register(name, expand)


def _replace_chapter(guide: Guide, index: int, blocks: list) -> Guide:
    chapters = [dataclasses.replace(c, blocks=tuple(blocks)) if c.index == index else c for c in guide.chapters]
    return dataclasses.replace(guide, chapters=tuple(chapters))


def expand_directives(guide: Guide, errors: Collector, cache=None) -> Guide:
    """Replace each directive's placeholder with the blocks it stands for."""
    generated = dict(guide.generated)
    for chapter in guide.chapters:
        if not chapter.directives:
            continue
        by_id = {d.placeholder: d for d in chapter.directives}
        level = [2]

        def expand(node: dict) -> dict | list | None:
            if node["t"] == "Header":
                level[0] = node["c"][0]
            if node["t"] == "Div" and node["c"][0][0] in by_id:
                d = by_id[node["c"][0][0]]
                return expand_one(guide, chapter, d, min(level[0] + 1, 4), errors, generated, cache)
            return None

        new_blocks = []
        for block in chapter.blocks:  # top level only: directives sit between paragraphs
            result = expand(block) if isinstance(block, dict) else None
            if block.get("t") == "Header":
                level[0] = block["c"][0]
            new_blocks.extend(result if isinstance(result, list) else [block])
        guide = _replace_chapter(guide, chapter.index, new_blocks)
    return dataclasses.replace(guide, generated=generated)


def expand_one(guide: Guide, chapter: Chapter, d, level: int, errors: Collector, generated: dict, cache=None) -> list:
    """The blocks for one directive, from the function registered under its name."""
    x = Expansion(guide, chapter, d, level, errors, generated, cache)
    if x.layout not in ("cards", "table"):
        x.error(*m("expand.layout", layout=x.layout))
    expand = EXPANDERS.get(d.name)
    if expand is None:
        x.error(*m("expand.leaflet_only", name=d.name))
        return []
    return expand(x)


def _filter(items: list, x: Expansion, field: str, attr: str, known: dict, many: bool = True,
            dataset: str = "") -> list:
    """Keep the items whose `field` is among the directive's `attr` values; report values not in `known`."""
    d = x.directive
    wanted = d.values(attr)
    if not wanted:
        return items
    for value in wanted:
        if value not in known and dataset not in x.guide.data.failed:
            x.error(*m("expand.unknown_id", attr=attr, value=value, name=d.name, hint=suggest(value, known),
                       known=", ".join(list(known)[:8])))
    if many:
        return [i for i in items if set(getattr(i, field)) & set(wanted)]
    return [i for i in items if getattr(i, field) in wanted]


# ---------------------------------------------------------------- the directives

@expands("practices")
def expand_practices(x: Expansion) -> list:
    data = x.guide.data
    channels, steps, topics = data.by_id("channels"), data.by_id("steps"), data.by_id("topics")
    items = list(x.guide.public_practices())
    items = _filter(items, x, "channels", "channel", channels, dataset="channels")
    items = _filter(items, x, "steps", "step", steps, dataset="steps")
    items = _filter(items, x, "topics", "topic", topics, dataset="topics")
    items = _filter(items, x, "id", "ids", data.by_id("practices"), many=False, dataset="practices")
    for kind in x.directive.values("kind"):
        if kind not in B.KIND_LABEL:
            x.error(*m("expand.kind", kind=kind))
        items = [p for p in items if any(channels[c].kind == kind for c in p.channels if c in channels)]
    if x.layout == "table":
        return [B.practices_table(items, channels, steps, x.caption)]
    return [B.practice_card(p, channels, steps, x.level) for p in items]


@expands("channels")
def expand_channels(x: Expansion) -> list:
    data = x.guide.data
    items = list(data.channels)
    items = _filter(items, x, "id", "ids", data.by_id("channels"), many=False, dataset="channels")
    items = _filter(items, x, "kind", "kind", B.KIND_LABEL, many=False)
    if x.layout == "table":
        return [B.channels_table(items, x.caption)]
    return [B.channel_card(c, x.level) for c in items]


def _indicators_selected(x: Expansion) -> list:
    """The indicators the directive selects; an empty list (reported unless already) when none."""
    data = x.guide.data
    items = [i for i in data.indicators if x.guide.edition == "review" or i.verification != "no-verificada"]
    groups = {i.group: i for i in data.indicators}
    items = _filter(items, x, "group", "group", groups, many=False, dataset="indicators")
    items = _filter(items, x, "id", "ids", data.by_id("indicators"), many=False, dataset="indicators")
    if not items and "indicators" not in data.failed:  # else indicators.yml has errors of its own, reported
        x.error(*m("expand.no_indicator", name=x.directive.name))
    return items


@expands("indicators")
def expand_indicators(x: Expansion) -> list:
    items = _indicators_selected(x)
    return [B.indicators_table(items, x.caption)] if items else []


@expands("chart")
def expand_chart(x: Expansion) -> list:
    items = _indicators_selected(x)
    return chart_blocks(x.guide, x.chapter, x.directive, items, x.caption, x.generated, x.cache) if items else []


@expands("steps")
def expand_steps(x: Expansion) -> list:
    anchors = {c.file.split("/")[-1]: c.id for c in x.guide.chapters}
    for s in x.guide.data.steps:
        if s.chapter not in anchors:
            x.error(*m("expand.step_chapter", id=s.id, chapter=s.chapter))
    return [B.steps_table(list(x.guide.data.steps), anchors, x.caption)]


@expands("glossary")
def expand_glossary(x: Expansion) -> list:
    return [B.glossary(list(x.guide.data.glossary))]


@expands("references")
def expand_references(x: Expansion) -> list:
    return [B.references(x.guide.data, x.guide.public_practices())]


@expands("checklists")
def expand_checklists(x: Expansion) -> list:
    return gather_checklists(x.guide, x.chapter, x.level)


@expands("consultation")
def expand_consultation(x: Expansion) -> list:
    return CB.consultation_blocks(x.guide, x.chapter, x.directive, x.errors, x.generated, x.cache)


@expands("adoption")
def expand_adoption(x: Expansion) -> list:
    return CB.adoption_blocks(x.guide, x.chapter, x.directive, x.errors)


# ---------------------------------------------------------------- helpers of the directives

def chart_blocks(guide: Guide, chapter: Chapter, d, items: list, caption: str, generated: dict, cache=None) -> list:
    """A chart of indicators (every variant: book, large print, phone) and the table of its data.

    Its alt text is one sentence (the directive's `alt`, or one made from the caption) and says that
    the data are in the table that follows: it never repeats the table."""
    alt = alt_text(d.attrs.get("alt") or (f"Gráfica de barras: {caption}" if caption else "Gráfica de barras"))
    name = f"graficas/{chapter.id}-{d.index + 1}.svg"
    font = guide.asset("fonts", "atkinson-hyperlegible", "atkinson-hyperlegible-latin-400-normal.woff2")
    files = bar_charts(items, caption or "Gráfica", alt, font, cache)
    figure = chart_figure(f"grafica-{chapter.id}-{d.index + 1}", caption, alt, name, files, generated)
    table = B.indicators_table(items, f"Datos de la gráfica: {caption}" if caption else "Datos de la gráfica")
    return [figure, A.div([table], classes=["gb-chart-data"])]


def gather_checklists(guide: Guide, here: Chapter, level: int) -> list:
    out: list = []
    for chapter in guide.chapters:
        if chapter.index == here.index:
            continue
        lists = [b for b in chapter.blocks if b.get("t") == "Div" and "lista-verificacion" in b["c"][0][1]]
        if lists:
            out.append(A.header(level, chapter.short_title, classes=["unnumbered"]))
            out.extend(A.walk(lists, _strip_ids))
    return out


def _strip_ids(node: dict) -> None:
    if node["t"] in ("Header", "Div", "Span") and node["c"][0][0]:
        node["c"][0] = ["", node["c"][0][1], node["c"][0][2]]
    return None
