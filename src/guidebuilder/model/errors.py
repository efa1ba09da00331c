"""Errors a person can act on: each names file:line:column, what is wrong and how to fix it."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from guidebuilder.model.messages import m, t


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the guide's sources."""

    file: str
    line: int = 0
    column: int = 0
    message: str = ""
    hint: str = ""
    severity: str = "error"
    # 0: a cause (a file that cannot be read or loaded); 1: found later, maybe because of a cause
    rank: int = field(default=0, compare=False)

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        label = {"error": t("label.error"), "warning": t("label.warning"),
                 "consequence": t("label.consequence")}.get(self.severity, self.severity)
        text = f"{where}: {label}: {self.message}"
        if self.hint:
            text += f"\n    {t('label.fix')}: {self.hint}"
        return text


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Causes first: what could not be read or loaded, then what was found later. When there are causes,
    an error found later (a link to an item of a data set that failed, to a chapter that could not be
    loaded…) is shown after them as a consequence, so the first message on screen is the cause."""
    items = sorted(set(diagnostics), key=lambda d: (d.rank, d))
    causes = any(d.rank == 0 and d.severity == "error" for d in items)
    if not causes:
        return items
    return [dataclasses.replace(d, severity="consequence") if d.rank and d.severity == "error" else d
            for d in items]


class GuideError(Exception):
    """A problem with the guide, the set-up or the command line; never shown as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(file="guidebuilder", message=diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = ordered(diagnostics)
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
    rank: int = 0  # set to 1 once the guide is loaded: later problems may follow from a load error

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
        self.items.append(Diagnostic(self.rel(file), line, column, message, hint, rank=self.rank))

    def warn(self, file: Path | str, line: int, column: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self.rel(file), line, column, message, hint, "warning", rank=self.rank))

    def say(self, file: Path | str, line: int, column: int, msg_id: str, /, **values) -> None:
        """An error from the message catalogue (model/messages.py), in the guide's language."""
        self.add(file, line, column, *m(msg_id, **values))

    def say_warning(self, file: Path | str, line: int, column: int, msg_id: str, /, **values) -> None:
        self.warn(file, line, column, *m(msg_id, **values))

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
    """Return ' (¿quiso decir 'x'?)' for a likely typo, or ''."""
    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return t("suggest", word=match[0]) if match else ""
