"""What pandoc would drop or change in silence in a chapter's Markdown, said with file:line.

- HTML comments are removed (their lines kept blank, so line numbers stay right);
- raw HTML is refused (pandoc would print it as text), unless the chapter says `raw_html: true`;
  `<script>` is refused always;
- a `%` title block (pandoc drops it) is refused;
- table rows with fewer or more cells than their header (pandoc pads or drops cells) are refused;
- a heading followed by a `: …` line (read as a caption or a definition) is reported;
- a skipped heading level and text before the chapter's title are reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidebuilder.model.errors import Collector

FENCE = re.compile(r"^\s*(```+|~~~+)")
COMMENT = re.compile(r"<!--.*?-->", re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$")


def _code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks (fences included)."""
    inside, fence, out = False, "", set()
    for i, line in enumerate(lines):
        match = FENCE.match(line)
        if match and (not inside or match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)):
            out.add(i)
            inside, fence = (not inside), match.group(1)
            continue
        if inside:
            out.add(i)
    return out


def strip_comments(markdown: str) -> str:
    """Remove HTML comments outside code, keeping their line breaks."""
    if "<!--" not in markdown:
        return markdown
    lines = markdown.split("\n")
    code = _code_lines(lines)
    text = "\n".join("\0" * len(x) if i in code else x for i, x in enumerate(lines))  # code masked
    spans = [(m.start(), m.end()) for m in COMMENT.finditer(text)]
    out, pos = [], 0
    for start, end in spans:
        out.append(markdown[pos:start])
        out.append("\n" * markdown.count("\n", start, end))
        pos = end
    out.append(markdown[pos:])
    return "".join(out)


def check_source(markdown: str, path: Path, first_line: int, errors: Collector, raw_html: bool) -> None:
    """Report what pandoc would drop or change in silence (markdown: the chapter's body, comments removed)."""
    lines = markdown.split("\n")
    code = _code_lines(lines)
    first_text = next((i for i, x in enumerate(lines) if x.strip()), None)
    if first_text is not None and lines[first_text].startswith("%"):
        errors.say(path, first_line + first_text, 1, "chapter.title_block")
    for i, line in enumerate(lines):
        if i in code or line.startswith("    "):
            continue
        _raw_html(line, path, first_line + i, errors, raw_html)
        heading = HEADING.match(line)
        if heading and i + 1 < len(lines) and re.match(r"^:\s", lines[i + 1]):
            errors.say_warning(path, first_line + i + 1, 1, "chapter.heading_caption", title=heading.group(2))
    _tables(lines, code, path, first_line, errors)


def _raw_html(line: str, path: Path, number: int, errors: Collector, raw_html: bool) -> None:
    bare = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    for match in TAG.finditer(bare):
        if match.group(1).lower() in ("script", "iframe", "object", "embed") or re.search(r"\son\w+\s*=", match.group(0)):
            errors.say(path, number, match.start() + 1, "chapter.script", html=match.group(0)[:40])
        elif not raw_html:
            errors.say(path, number, match.start() + 1, "chapter.raw_html", html=match.group(0)[:40])
        else:
            continue
        return  # one message a line


def _cells(line: str) -> int:
    bare = CODE_SPAN.sub("x", line.replace("\\|", "x")).strip()
    if bare.startswith("|"):
        bare = bare[1:]
    if bare.endswith("|"):
        bare = bare[:-1]
    return bare.count("|") + 1


SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _tables(lines: list[str], code: set[int], path: Path, first_line: int, errors: Collector) -> None:
    """Pipe tables: every row must have as many cells as the header."""
    i = 1
    while i < len(lines):
        if i not in code and SEPARATOR.match(lines[i]) and "|" in lines[i] and "|" in lines[i - 1]:
            want = _cells(lines[i - 1])
            j, row = i + 1, 1
            while j < len(lines) and "|" in lines[j] and lines[j].strip() and j not in code:
                found = _cells(lines[j])
                if found != want:
                    errors.say(path, first_line + j, 1, "chapter.table_cells", row=row, found=found, want=want)
                j, row = j + 1, row + 1
            i = j
        else:
            i += 1


def check_headings(blocks: tuple, markdown: str, path: Path, first_line: int, errors: Collector) -> None:
    """A skipped heading level (## then ####), and text before the chapter's title, as warnings."""
    from guidebuilder.pandoc.ast import stringify

    lines = markdown.split("\n")

    def where(title: str) -> int:
        for i, line in enumerate(lines):
            if line.lstrip().startswith("#") and title and title in line:
                return first_line + i
        return first_line

    seen_title = False
    before = 0
    for block in blocks:
        if block.get("t") != "Header":
            if not seen_title and block.get("t") not in ("Null",):
                start = next((i for i, x in enumerate(lines) if x.strip()), 0)
                errors.say_warning(path, first_line + start, 1, "chapter.text_before_title")
                seen_title = True  # said once
            continue
        level, title = block["c"][0], stringify(block["c"][2])
        if level == 1:
            seen_title = True
        if before and level > before + 1:
            errors.say_warning(path, where(title), 1, "chapter.skipped_level", title=title, level=level,
                               before=before, want=before + 1, marks="#" * (before + 1))
        before = level
