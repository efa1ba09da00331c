"""Links and images: internal links resolved to the guide's anchors; image files checked (and safe)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from guidebuilder.load.sources import inside
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.guide import Chapter, Guide
from guidebuilder.model.messages import t
from guidebuilder.pandoc import ast as A

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: a full page at 600 dpi is about 35


def line_col(chapter: Chapter, needle: str) -> tuple[int, int]:
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
                    errors.say(chapter.path, 0, 0, "image.chart_alt", src=src)
            return None

        chapters.append(dataclasses.replace(chapter, blocks=tuple(A.walk(list(chapter.blocks), fix))))
    return dataclasses.replace(guide, chapters=tuple(chapters))


def _resolve_link(guide: Guide, chapter: Chapter, url: str, locals_: dict, by_file: dict,
                  errors: Collector) -> str:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "mailto", "tel"):
        return url
    if parts.scheme:
        line, col = line_col(chapter, url)
        errors.say(chapter.path, line, col, "link.scheme", url=url[:60], scheme=parts.scheme)
        return "#"
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    target_chapter = chapter
    if path:
        target_chapter = by_file.get(Path(path).name)
        if Path(path).name in guide.failed_chapters:
            return "#"
        if target_chapter is None or ".." in Path(path).parts:
            line, col = line_col(chapter, url)
            errors.say(chapter.path, line, col, "link.chapter", path=path, hint=suggest(Path(path).name, by_file))
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
    line, col = line_col(chapter, f"#{fragment}")
    errors.say(chapter.path, line, col, "link.anchor", fragment=fragment,
               hint=suggest(fragment, list(guide.anchors) + list(locals_)))
    return "#"


def _check_image(guide: Guide, chapter: Chapter, src: str, alt: str, errors: Collector) -> str:
    line, col = line_col(chapter, src)
    if not alt.strip():
        errors.say(chapter.path, line, col, "image.alt", src=src)
    parts = urlsplit(src)
    if parts.scheme:
        errors.say(chapter.path, line, col, "image.remote", src=src[:60])
        return src
    target = (chapter.path.parent / unquote(parts.path))
    if not inside(guide.root, target):
        errors.say(chapter.path, line, col, "image.outside", src=src)
        return src
    problem = image_problem(target)
    if problem:
        errors.say(chapter.path, line, col, "image.too_big" if "×" in problem else "image.problem",
                   src=src, problem=problem)
        return src
    return str(target.resolve().relative_to(guide.root.resolve()))


def chapter_images(guide: Guide) -> list[str]:
    """The guide's own image files the chapters show, as paths from the guide folder, sorted. Every
    output publishes each one at that same path, wherever it is kept (guide/images/, beside a chapter…);
    `check_links_and_images` has already refused a missing, unsafe or alt-less one. Looked for once per
    guide (the input checks, the site's pages and its single file ask for them; a Guide never changes)."""
    if _IMAGES and _IMAGES[0] is guide:
        return list(_IMAGES[1])
    found: set[str] = set()

    def image(node: dict) -> None:
        if node.get("t") == "Image":
            src = node["c"][2][0]
            if src not in guide.generated and not urlsplit(src).scheme:
                found.add(src)

    for chapter in guide.chapters:
        A.visit(list(chapter.blocks), image)
    images = sorted(src for src in found if inside(guide.root, guide.root / src) and (guide.root / src).is_file())
    _IMAGES[:] = [guide, images]
    return list(images)


_IMAGES: list = []  # the last guide asked about, and its images


def image_problem(path: Path) -> str | None:
    """Why a file cannot be used as an image, or None."""
    if not path.is_file():
        return t("image.missing")
    if path.suffix.lower() not in IMAGE_TYPES:
        return t("image.type", ext=path.suffix)
    if path.stat().st_size > 20 * 1024 * 1024:
        return t("image.large")
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
        return t("image.unreadable")
    if width * height > MAX_IMAGE_PIXELS:
        return t("image.pixels", width=width, height=height, limit=MAX_IMAGE_PIXELS // 1_000_000)
    return None


def svg_problem(data: bytes) -> str | None:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return t("svg.unreadable")
    if not str(root.tag).endswith("svg"):
        return t("svg.not_svg")
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        return t("svg.dtd")
    for el in root.iter():
        tag = str(el.tag).split("}")[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "embed", "object"):
            return t("svg.element", tag=tag)
        for name, value in el.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on"):
                return t("svg.handler", name=name)
            if name == "href" and re.match(r"\s*(javascript|data:text|https?:)", value, re.I):
                return t("svg.href")
    return None
