"""Ordered steps between loading and rendering: each takes a Guide and returns a new one."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from guidebuilder.pandoc import ast as A
from guidebuilder.transforms import blocks as B
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.load.sources import inside

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: a full page at 600 dpi is about 35


def run_all(guide: Guide, errors: Collector | None = None) -> Guide:
    """Apply every transform; raise GuideError with everything that is wrong (including earlier errors)."""
    errors = errors if errors is not None else Collector(root=guide.root)
    for step in (expand_directives, assign_ids, check_links_and_images, number_figures_and_tables):
        guide = step(guide, errors)
    errors.raise_if_errors()
    return guide


def _replace_chapter(guide: Guide, index: int, blocks: list) -> Guide:
    chapters = [dataclasses.replace(c, blocks=tuple(blocks)) if c.index == index else c for c in guide.chapters]
    return dataclasses.replace(guide, chapters=tuple(chapters))


# ---------------------------------------------------------------- directives

def expand_directives(guide: Guide, errors: Collector) -> Guide:
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
                return expand_one(guide, chapter, d, min(level[0] + 1, 4), errors, generated)
            return None

        new_blocks = []
        for block in chapter.blocks:  # top level only: directives sit between paragraphs
            result = expand(block) if isinstance(block, dict) else None
            if block.get("t") == "Header":
                level[0] = block["c"][0]
            new_blocks.extend(result if isinstance(result, list) else [block])
        guide = _replace_chapter(guide, chapter.index, new_blocks)
    return dataclasses.replace(guide, generated=generated)


def _filter(items: list, d, errors: Collector, chapter: Chapter, field: str, attr: str, known: dict,
            many: bool = True, dataset: str = "", failed: frozenset = frozenset()) -> list:
    wanted = d.values(attr)
    if not wanted:
        return items
    for value in wanted:
        if value not in known and dataset not in failed:
            errors.add(chapter.path, d.line, 1, f"{attr} '{value}' in directive '{d.name}' does not exist"
                       f"{suggest(value, known)}", f"use an id from guide/data/ ({', '.join(list(known)[:8])}…)")
    if many:
        return [i for i in items if set(getattr(i, field)) & set(wanted)]
    return [i for i in items if getattr(i, field) in wanted]


def expand_one(guide: Guide, chapter: Chapter, d, level: int, errors: Collector, generated: dict) -> list:
    data = guide.data
    channels, steps, topics = data.by_id("channels"), data.by_id("steps"), data.by_id("topics")
    caption = d.attrs.get("caption", "")
    layout = d.attrs.get("layout", "cards")
    if layout not in ("cards", "table"):
        errors.add(chapter.path, d.line, 1, f"layout '{layout}' is not known", "use layout=\"cards\" or \"table\"")
    if d.name == "practices":
        items = list(guide.public_practices())
        items = _filter(items, d, errors, chapter, "channels", "channel", channels, dataset="channels", failed=guide.data.failed)
        items = _filter(items, d, errors, chapter, "steps", "step", steps, dataset="steps", failed=guide.data.failed)
        items = _filter(items, d, errors, chapter, "topics", "topic", topics, dataset="topics", failed=guide.data.failed)
        items = _filter(items, d, errors, chapter, "id", "ids", data.by_id("practices"), many=False, dataset="practices", failed=guide.data.failed)
        for kind in d.values("kind"):
            if kind not in B.KIND_LABEL:
                errors.add(chapter.path, d.line, 1, f"kind '{kind}' is not known", "use kind=\"digital\" or \"non-digital\"")
            items = [p for p in items if any(channels[c].kind == kind for c in p.channels if c in channels)]
        if layout == "table":
            return [B.practices_table(items, channels, steps, caption)]
        return [B.practice_card(p, channels, steps, level) for p in items]
    if d.name == "channels":
        items = list(data.channels)
        items = _filter(items, d, errors, chapter, "id", "ids", channels, many=False, dataset="channels", failed=guide.data.failed)
        items = _filter(items, d, errors, chapter, "kind", "kind", B.KIND_LABEL, many=False)
        if layout == "table":
            return [B.channels_table(items, caption)]
        return [B.channel_card(c, level) for c in items]
    if d.name in ("indicators", "chart"):
        items = [i for i in data.indicators if guide.edition == "review" or i.verification != "no-verificada"]
        groups = {i.group: i for i in data.indicators}
        items = _filter(items, d, errors, chapter, "group", "group", groups, many=False, dataset="indicators", failed=guide.data.failed)
        items = _filter(items, d, errors, chapter, "id", "ids", data.by_id("indicators"), many=False, dataset="indicators", failed=guide.data.failed)
        if not items:
            if "indicators" in guide.data.failed:
                return []  # indicators.yml has errors of its own, already reported
            errors.add(chapter.path, d.line, 1, f"directive '{d.name}' selects no indicator",
                       "check its group= or ids= against guide/data/indicators.yml")
            return []
        if d.name == "indicators":
            return [B.indicators_table(items, caption)]
        return chart_blocks(guide, chapter, d, items, caption, generated)
    if d.name == "steps":
        anchors = {c.file.split("/")[-1]: c.id for c in guide.chapters}
        for s in data.steps:
            if s.chapter not in anchors:
                errors.add(chapter.path, d.line, 1, f"step '{s.id}' names chapter '{s.chapter}', which is not in guide.yml",
                           "correct 'chapter:' in guide/data/steps.yml")
        return [B.steps_table(list(data.steps), anchors, caption)]
    if d.name == "glossary":
        return [B.glossary(list(data.glossary))]
    if d.name == "references":
        return [B.references(data, guide.public_practices())]
    if d.name == "checklists":
        return gather_checklists(guide, chapter, level)
    if d.name in ("consultation", "adoption"):
        from guidebuilder.participation import consultation as consult

        return consult.directive_blocks(guide, chapter, d, errors, generated) \
            if hasattr(consult, "directive_blocks") else []
    errors.add(chapter.path, d.line, 1, f"directive '{d.name}' cannot be used in a chapter",
               "it belongs in the leaflet (guide/leaflet/)")
    return []


def chart_blocks(guide: Guide, chapter: Chapter, d, items: list, caption: str, generated: dict) -> list:
    from guidebuilder.transforms.charts import bar_chart

    alt = d.attrs.get("alt") or "Gráfica de barras: " + "; ".join(
        f"{i.label}: {B.fmt_number(i.value, i.scale, i.unit)}" +
        (f" (referencia {B.fmt_number(i.reference_value, i.scale, i.unit)})" if i.reference_value is not None else "")
        for i in items)
    name = f"graficas/{chapter.id}-{d.index + 1}.svg"
    font = guide.asset("fonts", "atkinson-hyperlegible", "atkinson-hyperlegible-latin-400-normal.woff2")
    generated[name] = bar_chart(items, caption or "Gráfica", alt, font)
    figure = {"t": "Figure", "c": [A.attr(f"grafica-{chapter.id}-{d.index + 1}", ["gb-chart"]),
                                   [None, [A.plain(caption)]] if caption else [None, []],
                                   [A.plain(A.image(alt, name))]]}
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


# ---------------------------------------------------------------- ids and anchors

def assign_ids(guide: Guide, errors: Collector) -> Guide:
    """Give every chapter's title the chapter id; make element ids unique across the whole guide."""
    owners: dict[str, str] = {c.id: c.id for c in guide.chapters}
    local_ids: dict[str, dict[str, str]] = {}
    chapters = []
    for chapter in guide.chapters:
        local: dict[str, str] = {}
        first = [True]

        def unique(ident: str) -> str:
            new, n = ident, 2
            if new in owners:
                new = f"{chapter.id}-{ident}"
            while new in owners:
                new, n = f"{chapter.id}-{ident}-{n}", n + 1
            owners[new] = chapter.id
            return new

        def fix(node: dict) -> None:
            if node["t"] not in ("Header", "Div", "Span", "Figure", "Table", "CodeBlock"):
                return None
            at = 1 if node["t"] == "Header" else 0
            ident, classes, kv = node["c"][at]
            if node["t"] == "Header" and node["c"][0] == 1 and first[0]:
                first[0] = False
                new = chapter.id
            elif not ident:
                return None
            else:
                new = unique(ident)
            if ident:
                local.setdefault(ident, new)
            node["c"][at] = [new, classes, kv]
            return None

        blocks = A.walk(list(chapter.blocks), fix)
        local_ids[chapter.id] = local
        chapters.append(dataclasses.replace(chapter, blocks=tuple(blocks)))
    return dataclasses.replace(guide, chapters=tuple(chapters), anchors=owners, local_ids=local_ids)


# ---------------------------------------------------------------- links and images

def _line_col(chapter: Chapter, needle: str) -> tuple[int, int]:
    for offset, text in enumerate(chapter.markdown.split("\n")):
        col = text.find(needle)
        if col >= 0:
            return chapter.body_line + offset, col + 1
    return chapter.body_line, 1


def check_links_and_images(guide: Guide, errors: Collector) -> Guide:
    """Resolve internal links to global anchors; check images exist, are images and have alt text."""
    local_ids = guide.local_ids
    by_file = {c.file.split("/")[-1]: c for c in guide.chapters}
    chapters = []
    for chapter in guide.chapters:
        locals_ = local_ids.get(chapter.id, {})

        def fix(node: dict) -> None:
            if node["t"] == "Link":
                node["c"][2] = [_resolve_link(guide, chapter, node["c"][2][0], locals_, by_file, errors),
                                node["c"][2][1]]
            elif node["t"] == "Image":
                src = node["c"][2][0]
                if src not in guide.generated:
                    node["c"][2] = [_check_image(guide, chapter, src, A.stringify(node["c"][1]), errors),
                                    node["c"][2][1]]
                elif not A.stringify(node["c"][1]).strip():
                    errors.add(chapter.path, 0, 0, f"chart '{src}' has no alt text", "give the chart an alt=")
            return None

        chapters.append(dataclasses.replace(chapter, blocks=tuple(A.walk(list(chapter.blocks), fix))))
    return dataclasses.replace(guide, chapters=tuple(chapters))


def _resolve_link(guide: Guide, chapter: Chapter, url: str, locals_: dict, by_file: dict,
                  errors: Collector) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "mailto", "tel"):
        return url
    if parts.scheme:
        line, col = _line_col(chapter, url)
        errors.add(chapter.path, line, col, f"link '{url[:60]}' uses '{parts.scheme}:', which is not allowed",
                   "links may be https://, mailto:, tel:, or point to a chapter or #anchor of this guide")
        return "#"
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    target_chapter = chapter
    if path:
        target_chapter = by_file.get(Path(path).name)
        if Path(path).name in guide.failed_chapters:
            return "#"
        if target_chapter is None or ".." in Path(path).parts:
            line, col = _line_col(chapter, url)
            errors.add(chapter.path, line, col, f"link to '{path}', which is not a chapter of this guide"
                       f"{suggest(Path(path).name, by_file)}", "link to a chapter file listed in guide.yml")
            return "#"
        if not fragment:
            return f"#{target_chapter.id}"
    if not fragment:
        return url
    # the chapter named by the link (or this one) first, then any chapter of the guide
    target_local = guide.local_ids.get(target_chapter.id, {})
    if fragment in target_local:
        return f"#{target_local[fragment]}"
    if fragment in guide.anchors:
        return f"#{fragment}"
    line, col = _line_col(chapter, f"#{fragment}")
    errors.add(chapter.path, line, col, f"link to '#{fragment}', an anchor that does not exist"
               f"{suggest(fragment, list(guide.anchors) + list(locals_))}",
               "link to a heading's id (shown in `guidebuilder dump`), or give the heading {#id}")
    return "#"


def _check_image(guide: Guide, chapter: Chapter, src: str, alt: str, errors: Collector) -> str:
    line, col = _line_col(chapter, src)
    if not alt.strip():
        errors.add(chapter.path, line, col, f"image '{src}' has no alt text",
                   "describe the image in the brackets: ![Mapa de los 51 municipios](imagenes/mapa.png)")
    parts = urlsplit(src)
    if parts.scheme:
        errors.add(chapter.path, line, col, f"image '{src[:60]}' is not a file of the guide",
                   "download the image into guide/images/ and point to it there, so every edition works offline")
        return src
    target = (chapter.path.parent / unquote(parts.path))
    if not inside(guide.root, target):
        errors.add(chapter.path, line, col, f"image path '{src}' leads outside the guide folder",
                   "keep images inside the guide folder, e.g. guide/images/")
        return src
    problem = image_problem(target)
    if problem:
        errors.add(chapter.path, line, col, f"image '{src}' {problem}",
                   "scale the image down (2000 pixels wide is plenty) and save it again" if "pixels" in problem
                   else "check the file name, and that the file is a PNG, JPEG or SVG image")
        return src
    return str(target.resolve().relative_to(guide.root.resolve()))


def image_problem(path: Path) -> str | None:
    """Why a file cannot be used as an image, or None."""
    if not path.is_file():
        return "does not exist"
    if path.suffix.lower() not in IMAGE_TYPES:
        return f"has the extension '{path.suffix}', which is not an image type"
    if path.stat().st_size > 20 * 1024 * 1024:
        return "is larger than 20 MB"
    if path.suffix.lower() == ".svg":
        return svg_problem(path.read_bytes())
    try:
        import warnings

        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a decompression bomb is refused below, by its size
            with Image.open(path) as img:
                width, height = img.size
                img.verify()
    except Exception:  # Pillow raises many kinds for a bad file; all mean "not an image"
        return "is not a readable image"
    if width * height > MAX_IMAGE_PIXELS:
        return (f"is {width}×{height} pixels, over the limit of {MAX_IMAGE_PIXELS // 1_000_000} megapixels "
                "(a page needs far fewer)")
    return None


def svg_problem(data: bytes) -> str | None:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return "is not a readable SVG image"
    if not str(root.tag).endswith("svg"):
        return "is not an SVG image"
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        return "declares a DOCTYPE or entities, which are not allowed in an image"
    for el in root.iter():
        tag = str(el.tag).split("}")[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "embed", "object"):
            return f"contains a <{tag}> element, which is not allowed in an image"
        for name, value in el.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on"):
                return f"has an event handler ({name}), which is not allowed in an image"
            if name == "href" and re.match(r"\s*(javascript|data:text|https?:)", value, re.I):
                return "links to outside content, which is not allowed in an image"
    return None


# ---------------------------------------------------------------- numbering

def number_figures_and_tables(guide: Guide, errors: Collector) -> Guide:
    """Prefix each captioned table and figure with 'Tabla 3.1.' / 'Figura 3.1.'."""
    chapters = []
    for chapter in guide.chapters:
        counts = {"Table": 0, "Figure": 0}
        label = chapter.number if not chapter.appendix else chr(ord("A") + sum(
            1 for c in guide.chapters[: chapter.index] if c.appendix))

        def number(node: dict) -> None:
            if node["t"] in counts:
                caption = node["c"][1]
                if caption[1]:
                    counts[node["t"]] += 1
                    word = "Tabla" if node["t"] == "Table" else "Figura"
                    prefix = [A.span([A.strong(f"{word} {label}.{counts[node['t']]}.")], ["gb-caption-label"]),
                              {"t": "Space"}]
                    first = caption[1][0]
                    caption[1][0] = {**first, "c": prefix + list(first["c"])}
            return None

        chapters.append(dataclasses.replace(chapter, blocks=tuple(A.walk(list(chapter.blocks), number))))
    return dataclasses.replace(guide, chapters=tuple(chapters))
