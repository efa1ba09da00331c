"""YAML in, with line numbers kept (ruamel.yaml), and safe against alias bombs and deep nesting."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent, MappingEndEvent, SequenceEndEvent

from guidebuilder.model.errors import Collector
from guidebuilder.model.messages import t
from guidebuilder.load.sources import read_text

MAX_DEPTH = 20


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _mark_error(exc: MarkedYAMLError, file: Path, line_offset: int, errors: Collector, text: str = "") -> None:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + line_offset) if mark else 0
    col = (mark.column + 1) if mark else 0
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "\\t" in problem or "'\\t'" in problem or "tab" in problem.lower():
        errors.say(file, line, col, "yaml.tab")
    elif "duplicate key" in problem or "duplicate key" in context:
        key = problem.split('"')[1] if '"' in problem else ""
        errors.say(file, line, col, "yaml.duplicate_key", key=key)
    else:
        friendly = _friendly(problem, context, text, mark)
        if friendly is not None:
            key, at_context = friendly
            start = exc.context_mark if at_context and exc.context_mark else mark
            column = start.column + 1 if start else col
            if key == "yaml.indent":  # point at the key that is indented too far, not at its colon
                here = text.split("\n")[mark.line]
                column = len(here) - len(here.lstrip()) + 1
            errors.say(file, start.line + 1 + line_offset if start else line, column, key)
            return
        detail = problem or context or "invalid YAML"
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            detail += t("yaml.started_at", line=start.line + 1 + line_offset, col=start.column + 1)
        errors.say(file, line, col, "yaml.syntax", detail=detail)


def _over_indented(text: str, mark) -> bool:
    """Is the line of `mark` a 'key:' indented further than the 'key: value' line above it?"""
    if mark is None or not text:
        return False
    lines = text.split("\n")
    if mark.line >= len(lines) or mark.line == 0:
        return False
    here = lines[mark.line]
    above = next((x for x in reversed(lines[:mark.line]) if x.strip() and not x.lstrip().startswith("#")), "")

    def indent(x: str) -> int:
        return len(x) - len(x.lstrip(" -"))

    key_line = re.compile(r"^\s*(- )?[\w.-]+\s*:")
    return bool(key_line.match(here) and key_line.match(above) and indent(here) > indent(above)
                and above.split(":", 1)[1].strip())


def _friendly(problem: str, context: str, text: str = "", mark=None) -> tuple[str, bool] | None:
    """ruamel's wording for the usual mistakes, said plainly: (message id, point at where it began)."""
    if "quoted scalar" in context:
        return "yaml.quote", True
    if "flow sequence" in context:
        return "yaml.bracket", True
    if "flow mapping" in context:
        return "yaml.brace", True
    if "another document" in problem or "single document" in context:
        return "yaml.two_documents", False
    if "mapping values are not allowed" in problem:
        return ("yaml.indent" if _over_indented(text, mark) else "yaml.colon"), False
    if "expected <block end>" in problem:
        return "yaml.dedent", False
    return None


def _precheck(text: str, file: Path, line_offset: int, errors: Collector) -> bool:
    """Reject aliases (billion laughs) and deep nesting before building any objects."""
    depth = 0
    try:
        for event in _yaml().parse(StringIO(text)):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                errors.say(file, mark.line + 1 + line_offset, mark.column + 1, "yaml.alias")
                return False
            tag = getattr(event, "tag", None)
            if tag:  # !!python/…, !!binary, !custom: a guide file is plain data
                shown = str(getattr(tag, "value", tag)).replace("tag:yaml.org,2002:", "!!")[:40]
                mark = event.start_mark
                errors.say(file, mark.line + 1 + line_offset, mark.column + 1, "yaml.tag", tag=shown)
                return False
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    errors.say(file, mark.line + 1 + line_offset, mark.column + 1, "yaml.deep", depth=MAX_DEPTH)
                    return False
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
    except MarkedYAMLError as exc:
        _mark_error(exc, file, line_offset, errors, text)
        return False
    except (YAMLError, RecursionError, ValueError) as exc:
        errors.say(file, 0, 0, "yaml.unreadable", detail=exc)
        return False
    return True


def parse_yaml(text: str, file: Path, errors: Collector, line_offset: int = 0, cache=None) -> Any:
    """Parse YAML text into ruamel's commented tree, or report and return None.

    ruamel's round-trip parser is slow, so a tree that parsed cleanly is kept in the build cache
    (values with their line and column numbers) and rebuilt from there when the text is the same.
    """
    from guidebuilder.core.digest import digest

    if cache is None:
        return _parse_yaml(text, file, errors, line_offset)
    key = digest("yaml-tree", text)
    cached = cache.get_bytes("yaml", key)
    if cached is not None:
        try:
            return _thaw(json.loads(cached))
        except (ValueError, KeyError, TypeError, IndexError):
            pass
    tree = _parse_yaml(text, file, errors, line_offset)
    if tree is not None:
        try:
            cache.put_bytes("yaml", key, json.dumps(_freeze(tree), ensure_ascii=False).encode())
        except (TypeError, ValueError):
            pass  # keys that JSON cannot hold (lists as keys…): not cached; the schema reports them
    return tree


def _freeze(node: Any) -> Any:
    """A ruamel tree as JSON: mappings and sequences with their positions, dates tagged."""
    if isinstance(node, CommentedMap):
        if not all(isinstance(k, (str, int, float, bool)) or k is None for k in node):
            raise TypeError("a key that JSON cannot hold")
        data = node.lc.data or {}
        return {"m": [[k, list(data.get(k, [0, 0, 0, 0])), _freeze(v)] for k, v in node.items()],
                "at": [node.lc.line or 0, node.lc.col or 0]}
    if isinstance(node, CommentedSeq):
        data = node.lc.data or {}
        return {"s": [[list(data.get(i, [0, 0])), _freeze(v)] for i, v in enumerate(node)],
                "at": [node.lc.line or 0, node.lc.col or 0]}
    value = plain(node)
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, (dict, list)):
        raise TypeError("unexpected container")
    return value


def _thaw(obj: Any) -> Any:
    if isinstance(obj, dict) and "m" in obj:
        node = CommentedMap()
        node.lc.data = {}
        for key, pos, value in obj["m"]:
            node[key] = _thaw(value)
            node.lc.data[key] = pos
        node.lc.line, node.lc.col = obj["at"]
        return node
    if isinstance(obj, dict) and "s" in obj:
        node = CommentedSeq()
        node.lc.data = {}
        for i, (pos, value) in enumerate(obj["s"]):
            node.append(_thaw(value))
            node.lc.data[i] = pos
        node.lc.line, node.lc.col = obj["at"]
        return node
    if isinstance(obj, dict) and "dt" in obj:
        return dt.datetime.fromisoformat(obj["dt"])
    if isinstance(obj, dict) and "d" in obj:
        return dt.date.fromisoformat(obj["d"])
    return obj


def _parse_yaml(text: str, file: Path, errors: Collector, line_offset: int = 0) -> Any:
    if not _precheck(text, file, line_offset, errors):
        return None
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        _mark_error(exc, file, line_offset, errors, text)
    except (YAMLError, RecursionError, ValueError, OverflowError) as exc:
        bad = _unconstructible_scalar(text)
        if bad is not None:
            value, line, col = bad
            errors.say(file, line + 1 + line_offset, col + 1, "yaml.bad_date", value=value[:40])
        else:
            errors.say(file, 1, 0, "yaml.unreadable", detail=exc)
    return None


def _unconstructible_scalar(text: str) -> tuple[str, int, int] | None:
    """Find the scalar that ruamel resolves (e.g. as a date) but cannot build, such as 2026-13-45."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        stack = [_yaml().compose(StringIO(text))]
    except (YAMLError, RecursionError, ValueError):
        return None
    while stack:
        node = stack.pop()
        tag = str(getattr(node.tag, "value", node.tag) or "")
        if isinstance(node, ScalarNode) and tag and not tag.endswith((":str", ":null")):
            try:
                _yaml().load(node.value)
            except (YAMLError, ValueError, OverflowError):
                return node.value, node.start_mark.line, node.start_mark.column
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.extend([value, key])
    return None


def load_yaml(path: Path, errors: Collector, what: str = "file", cache=None) -> Any:
    """Read and parse a YAML file; None (after reporting) if it cannot be used."""
    text = read_text(path, errors, what)
    if text is None:
        return None
    return parse_yaml(text, path, errors, cache=cache)


def position(node: Any, path: tuple, line_offset: int = 0) -> tuple[int, int]:
    """Return the 1-based (line, column) of the item at path inside a ruamel tree."""
    line, col = 0, 0
    current = node
    for step in path:
        try:
            if isinstance(current, CommentedMap):
                if step in current:
                    line, col = current.lc.value(step) if not isinstance(current[step], (CommentedMap, CommentedSeq)) \
                        else current.lc.key(step)
                    current = current[step]
                    continue
                break
            if isinstance(current, CommentedSeq) and isinstance(step, int) and step < len(current):
                line, col = current.lc.item(step)
                current = current[step]
                continue
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        break
    if (line, col) == (0, 0) and hasattr(node, "lc") and node.lc.line is not None:
        line, col = node.lc.line, node.lc.col
    return line + 1 + line_offset, col + 1


def key_position(node: Any, path: tuple, key: str, line_offset: int = 0) -> tuple[int, int]:
    """Return the position of a key (rather than its value) inside the mapping at path."""
    current = node
    for step in path:
        try:
            current = current[step]
        except (KeyError, IndexError, TypeError):
            return position(node, path, line_offset)
    if isinstance(current, CommentedMap) and key in current:
        line, col = current.lc.key(key)
        return line + 1 + line_offset, col + 1
    return position(node, path, line_offset)


def plain(node: Any) -> Any:
    """Turn ruamel's commented types into plain Python values for validation."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, (int, float, bool)) else k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second)
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


def dump_yaml(data: Any) -> str:
    """Serialise data as readable YAML (block style, UTF-8 text kept as is)."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()
