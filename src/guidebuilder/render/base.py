"""Renderers: one per format, behind one small interface; each writes only under its own folder.

`render(guide, ctx) -> RenderResult`: the renderer gets the prepared guide (and, when it asked for it,
the review edition) and a context from the build: where to write, the build's cache, the options, a
progress callback and a `Parallel` to run work side by side. It returns what it made: the files, its
warnings, the text of each PDF page it laid out and any personal-data findings it already made (the
build's checks then need not read those files back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from guidebuilder.model.errors import Diagnostic
from guidebuilder.model.guide import Guide


class Parallel(Protocol):
    """What the build offers to run work side by side (builder/parallel.py)."""

    cores: int

    def run(self, tasks: list[Callable[[], Any]], lower: list[int] = (), meanwhile: Callable[[], Any] | None = None,
            workers: int | None = None) -> list: ...

    def beside(self, task: Callable[[], Any]) -> Callable[[], Any]: ...


class InOrder:
    """A Parallel that runs everything here, one task after the other (checks, tests, one core)."""

    cores = 1

    def run(self, tasks, lower=(), meanwhile=None, workers=None) -> list:
        results = [task() for task in tasks]
        if meanwhile is not None:
            meanwhile()
        return results

    @staticmethod
    def beside(task):
        found = task()
        return lambda: found


@dataclass
class RenderResult:
    """What a renderer made."""

    files: list[Path] = field(default_factory=list)  # every file written, under the format's folder
    warnings: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # file (relative) -> text of each PDF page
    findings: dict[str, list] = field(default_factory=dict)  # file (relative) -> personal-data findings


@dataclass
class RenderContext:
    """Where a renderer writes (a staging folder, committed only when the whole build succeeds), and
    what the build lends it."""

    out: Path
    cache: Any  # build.cache.Cache
    options: dict = field(default_factory=dict)
    progress: Callable[[str], None] = lambda message: None
    parallel: Parallel = field(default_factory=InOrder)
    review: Guide | None = None  # the review edition, when the renderer asked for it (Renderer.editions)
    made: RenderResult = field(default_factory=RenderResult)

    def warn(self, diagnostic: Diagnostic) -> None:
        self.made.warnings.append(diagnostic)

    def laid_out(self, path: Path, pages: list[str] | None, findings: list | None = None) -> None:
        """Record the text of each page of a PDF written at `path` (and what the scan found in it)."""
        rel = str(path.relative_to(self.out))
        if pages is not None:
            self.made.texts[rel] = list(pages)
        if findings is not None:
            self.made.findings[rel] = findings

    def result(self) -> RenderResult:
        """The result: every file under the format's folder, with what was recorded on the way."""
        self.made.files = sorted(p for p in self.out.rglob("*") if p.is_file())
        return self.made


class Renderer(Protocol):
    name: str

    def editions(self, guide: Guide) -> set[str]:
        """The editions besides the guide's own that this renderer needs prepared (e.g. {"review"})."""

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        """Write this format's files under ctx.out and say what was made."""
