"""Point a layout finding at its source: the guide file and line that hold the text it quotes.

A finding made from a PDF or a page knows the text it saw, not where that text came from; the
guide's sources (chapters, data, leaflet panels) are searched for a run of its words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from guidebuilder.checks.findings import Finding

WORD = re.compile(r"[^\W\d_][\w'’-]{2,}", re.UNICODE)
SOURCES = ("*.md", "*.yml", "*.yaml")


def locate(findings: list[Finding], guide: Path) -> list[Finding]:
    """The findings, each with `where` set to the source file:line of the text it quotes, when found."""
    index = _index(guide)
    return [f if f.where else replace(f, where=_where(f, index)) for f in findings]


def _index(guide: Path) -> list[tuple[str, int, str]]:
    """(file shown, line number, the line's words in lower case joined by single spaces)."""
    out = []
    root = guide.resolve()
    for pattern in SOURCES:
        for path in sorted(root.rglob(pattern)):
            if "feedback" in path.relative_to(root).parts:
                continue
            shown = f"{root.name}/{path.relative_to(root)}"
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                words = " ".join(w.lower() for w in WORD.findall(line))
                if words:
                    out.append((shown, number, words))
    return out


def quoted(finding: Finding) -> list[str]:
    """The texts a finding quotes, most telling first."""
    d = finding.detail or {}
    texts = [" ".join(pair) for pair in d.get("pairs", [])]
    texts += [str(d[k]) for k in ("line", "text", "table") if d.get(k)]
    return texts


def _where(finding: Finding, index: list[tuple[str, int, str]]) -> str:
    for text in quoted(finding):
        words = [w.lower() for w in WORD.findall(text)]
        for size in (5, 4, 3):
            for start in range(0, max(1, len(words) - size + 1)):
                run = " ".join(words[start:start + size])
                if len(words) >= size and len(run) >= 12:
                    hit = next((f"{shown}:{number}" for shown, number, line in index if run in line), None)
                    if hit:
                        return hit
    return ""
