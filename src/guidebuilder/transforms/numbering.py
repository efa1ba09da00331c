"""Numbering: captioned tables and figures get 'Tabla 3.1.' / 'Figura 3.1.' before their caption."""

from __future__ import annotations

import dataclasses

from guidebuilder.model.errors import Collector
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A


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
