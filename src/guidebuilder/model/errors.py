"""Errors a person can act on: each names file:line:column, what is wrong and how to fix it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the guide's sources."""

    file: str
    line: int = 0
    column: int = 0
    message: str = ""
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class GuideError(Exception):
    """A problem with the guide, the set-up or the command line; never shown as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(file="guidebuilder", message=diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = sorted(set(diagnostics))
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):
        # keep the diagnostics when the error crosses a process boundary (parallel renderers)
        return (_rebuild, (type(self), self.diagnostics))


def _rebuild(cls: type, diagnostics: list[Diagnostic]) -> GuideError:
    error = Exception.__new__(cls)
    GuideError.__init__(error, diagnostics)
    return error


class ToolError(GuideError):
    """An external tool (pandoc, WeasyPrint, pagefind, LibreOffice) failed."""

    def __init__(self, tool: str, doing: str, detail: str, fix: str):
        super().__init__(
            Diagnostic(file=tool, message=f"{tool} failed while {doing}: {detail}", hint=fix)
        )


@dataclass
class Collector:
    """Gathers every diagnostic of a run so that all are reported at once."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def rel(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                # the folder resolved, not the file: a link is named where it is, not where it points
                return str((path.parent.resolve() / path.name).relative_to(self.root.resolve().parent))
            except ValueError:
                pass
        return str(path)

    def add(self, file: Path | str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self.rel(file), line, column, message, hint))

    def warn(self, file: Path | str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self.rel(file), line, column, message, hint, "warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise GuideError(self.errors)


def suggest(word: str, options: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for a likely typo, or ''."""
    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
