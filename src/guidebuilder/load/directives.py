"""Data-driven blocks in chapters: a fenced div whose class names a directive.

    ::: {.practices channel="radio-comunitaria" step="difundir"}
    :::

The parser finds each directive with its line, checks its syntax, and replaces it with a
placeholder div that survives pandoc, so a transform can put the generated blocks there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.messages import t

# Directive name -> the attributes it accepts.
DIRECTIVES: dict[str, set[str]] = {
    "practices": {"channel", "kind", "step", "topic", "ids", "layout", "caption"},
    "channels": {"kind", "ids", "layout", "caption"},
    "indicators": {"group", "ids", "caption"},
    "chart": {"group", "ids", "caption", "alt"},
    "steps": {"caption"},
    "glossary": set(),
    "references": set(),
    "checklists": set(),
    "consultation": {"view", "caption", "municipality"},
    "adoption": {"view", "caption"},
    "contact": set(),
    "qr": {"caption"},
}
# Classes of ordinary fenced divs (callouts) that editors may use; anything else is a typo.
CALLOUTS = {"nota", "importante", "ejemplo", "lista-verificacion", "ficha", "resumen", "aviso-ilustrativo"}

OPEN = re.compile(r"^(?P<fence>:{3,})\s*(?P<rest>\S.*?)?\s*$")
FENCE = re.compile(r"^(```+|~~~+)")
TOKEN = re.compile(r"""\s*(?:(?P<cls>\.[A-Za-z][\w-]*)|(?P<id>\#[A-Za-z][\w:.-]*)|"""
                   r"""(?P<key>[A-Za-z][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+)))""")


@dataclass(frozen=True)
class Directive:
    name: str
    attrs: dict[str, str]
    line: int
    column: int
    index: int

    @property
    def placeholder(self) -> str:
        return f"gb-directive-{self.index}"

    def values(self, key: str) -> list[str]:
        raw = self.attrs.get(key, "")
        return [v.strip() for v in raw.split(",") if v.strip()]


@dataclass
class Parsed:
    markdown: str
    directives: list[Directive] = field(default_factory=list)


def parse_attributes(text: str) -> tuple[list[str], str, dict[str, str]] | str:
    """Parse '{.cls #id key="v"}' into (classes, id, attrs), or return an error message."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        if re.fullmatch(r"[A-Za-z][\w-]*", text):
            return [text], "", {}
        return t("block.braces")
    body, pos = text[1:-1], 0
    classes: list[str] = []
    ident = ""
    attrs: dict[str, str] = {}
    while pos < len(body):
        if body[pos:].strip() == "":
            break
        match = TOKEN.match(body, pos)
        if not match or match.end() == pos:
            return t("block.attrs", text=body[pos:].strip()[:30])
        if match["cls"]:
            classes.append(match["cls"][1:])
        elif match["id"]:
            ident = match["id"][1:]
        else:
            key = match["key"]
            if key in attrs:
                return t("block.attr_twice", key=key)
            value = match["dq"] if match["dq"] is not None else match["sq"] if match["sq"] is not None else match["bare"]
            attrs[key] = value
        pos = match.end()
    return classes, ident, attrs


MAX_NESTING = 30
_LEAD = re.compile(r"^[ \t>]*")


def _depth(line: str) -> int:
    """How deep a line nests: its '>' quote markers, or its indentation in steps of four columns."""
    lead = _LEAD.match(line).group(0)
    return max(lead.count(">"), len(lead.expandtabs(4).replace(">", " ")) // 4)


@dataclass
class _Scan:
    """The parser's state while it walks the lines of one Markdown text."""

    lines: list[str]
    file: Any
    errors: Collector
    first_line: int
    out: list[str] = field(default_factory=list)  # the lines handed on to pandoc
    directives: list[Directive] = field(default_factory=list)
    fence: str | None = None  # the code fence the walk is inside, if any
    open_divs: list[int] = field(default_factory=list)  # line numbers of the fenced divs still open
    too_deep: bool = False  # nesting over MAX_NESTING was reported (once)


def parse(markdown: str, file, errors: Collector, first_line: int = 1) -> Parsed:
    """Find directives, check them and put placeholders in their place."""
    scan = _Scan(markdown.split("\n"), file, errors, first_line)
    i = 0
    while i < len(scan.lines):
        i = _step(scan, i)
    for number in scan.open_divs if not scan.too_deep else ():  # too deep: already said, and its closers were dropped
        errors.say(file, number, 1, "block.unclosed")
    return Parsed("\n".join(scan.out), scan.directives)


def _step(scan: _Scan, i: int) -> int:
    """Read line i, putting it (or what replaces it) in scan.out; return the index of the next line to read."""
    line = scan.lines[i]
    number = scan.first_line + i
    if _depth(line) > MAX_NESTING or len(scan.open_divs) > MAX_NESTING:
        if not scan.too_deep:
            scan.errors.say(scan.file, number, 1, "block.too_deep", depth=MAX_NESTING)
            scan.too_deep = True
        scan.out.append("")  # never handed to pandoc: so deep a tree would not be read back
        return i + 1
    code = FENCE.match(line)
    fence = scan.fence
    if code and (fence is None or code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence)):
        scan.fence = None if fence else code.group(1)
        scan.out.append(line)
        return i + 1
    match = OPEN.match(line) if fence is None else None
    if not match:
        scan.out.append(line)
        return i + 1
    return _fenced_div(scan, i, match)


def _fenced_div(scan: _Scan, i: int, match: re.Match) -> int:
    """A ':::' line: a closing fence, a directive, a callout, or an error; return the next line's index."""
    line = scan.lines[i]
    number = scan.first_line + i
    rest = match["rest"] or ""
    if not rest or set(rest) == {":"}:
        if scan.open_divs:
            scan.open_divs.pop()
        else:
            scan.errors.say(scan.file, number, 1, "block.stray_close")
        scan.out.append(line)
        return i + 1
    parsed = parse_attributes(rest)
    if isinstance(parsed, str):
        scan.errors.say(scan.file, number, len(match["fence"]) + 2, "block.broken", detail=parsed)
        scan.open_divs.append(number)  # its closing ':::' is not a second error
        scan.out.append("")
        return i + 1
    classes, ident, attrs = parsed
    name = classes[0] if classes else ""
    if name in DIRECTIVES:
        return _take_directive(scan.lines, i, name, attrs, scan.file, scan.errors, scan.first_line, scan.out,
                               scan.directives)
    if name not in CALLOUTS:
        known = sorted(DIRECTIVES) + sorted(CALLOUTS)
        hint = suggest(name, known)
        values = dict(name=name or rest, hint=hint, directives=", ".join(sorted(DIRECTIVES)),
                      boxes=", ".join(sorted(CALLOUTS)))
        if hint or not name:  # a misspelt data block or box: its text would not be what the editor meant
            scan.errors.say(scan.file, number, len(match["fence"]) + 2, "block.misspelt", **values)
        else:  # a box of the editor's own: shown as a plain box ('nota'), keeping its class
            scan.errors.say_warning(scan.file, number, len(match["fence"]) + 2, "block.unknown", **values)
            line = f"{match['fence']} {{.nota .{name}" + (f" #{ident}" if ident else "") + "}"
    scan.open_divs.append(number)
    scan.out.append(line)
    return i + 1



def _take_directive(lines, i, name, attrs, file, errors: Collector, first_line, out, directives) -> int:
    number = first_line + i
    allowed = DIRECTIVES[name]
    for key in attrs:
        if key not in allowed:
            errors.say(file, number, lines[i].find(key) + 1, "block.unknown_attr", name=name, key=key,
                       hint=suggest(key, allowed), allowed=", ".join(sorted(allowed)) or t("none"))
    j = i + 1
    while j < len(lines) and lines[j].strip() == "":
        j += 1
    if j >= len(lines) or not re.fullmatch(r":{3,}\s*", lines[j]):
        errors.say(file, number, 1, "block.not_closed_next", name=name)
        out.append("")
        return i + 1
    directive = Directive(name, attrs, number, 1, len(directives))
    directives.append(directive)
    out.append(f"::: {{#{directive.placeholder} .gb-directive}}")
    out.extend([""] * (j - i - 1))
    out.append(":::")
    return j + 1
