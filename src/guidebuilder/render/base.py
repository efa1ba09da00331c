"""Renderers: one per format, behind one small interface; each writes only under its own folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from guidebuilder.build.cache import Cache
from guidebuilder.model.guide import Guide


@dataclass
class RenderContext:
    """Where a renderer writes (a staging folder, committed only when the whole build succeeds)."""

    out: Path
    cache: Cache
    options: dict = field(default_factory=dict)
    progress: Callable[[str], None] = lambda message: None


class Renderer(Protocol):
    name: str

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        """Write this format's files under ctx.out."""

