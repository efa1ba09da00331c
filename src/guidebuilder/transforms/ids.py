"""Element ids: the chapter's title carries the chapter id; every other id is made unique across the guide."""

from __future__ import annotations

import dataclasses

from guidebuilder.model.errors import Collector
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A


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
