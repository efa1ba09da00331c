"""YAML in, with line numbers kept (ruamel.yaml), and safe against alias bombs and deep nesting."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent, MappingEndEvent, SequenceEndEvent

from guidebuilder.model.errors import Collector
from guidebuilder.load.sources import read_text

MAX_DEPTH = 20


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _mark_error(exc: MarkedYAMLError, file: Path, line_offset: int, errors: Collector) -> None:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 + line_offset) if mark else 0
    col = (mark.column + 1) if mark else 0
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "\\t" in problem or "'\\t'" in problem or "tab" in problem.lower():
        errors.add(file, line, col, "tab character in YAML", "indent YAML with spaces, never tabs")
    elif "duplicate key" in problem or "duplicate key" in context:
        key = problem.split('"')[1] if '"' in problem else ""
        errors.add(file, line, col, f"duplicate key '{key}'" if key else "duplicate key",
                   "each key may appear once in a mapping; delete or rename the repeated one")
    else:
        friendly = _friendly(problem, context)
        if friendly is not None:
            message, hint, at_context = friendly
            start = exc.context_mark if at_context and exc.context_mark else mark
            errors.add(file, start.line + 1 + line_offset if start else line, start.column + 1 if start else col,
                       f"YAML syntax error: {message}", hint)
            return
        text = problem or context or "invalid YAML"
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            text += f" (in what starts at line {start.line + 1 + line_offset}:{start.column + 1})"
        errors.add(file, line, col, f"YAML syntax error: {text}",
                   "check indentation, colons and quotes on this line and the one before")


def _friendly(problem: str, context: str) -> tuple[str, str, bool] | None:
    """ruamel's wording for the usual mistakes, said plainly: (message, hint, point at where it began)."""
    if "quoted scalar" in context:
        return ("a quote opened here is never closed",
                "close the quote at the end of the value, or remove it", True)
    if "flow sequence" in context:
        return ("a list opened here with '[' is not closed",
                "close it with ']', or put the whole value in quotes if the '[' is part of the text", True)
    if "flow mapping" in context:
        return ("a mapping opened here with '{' is not closed",
                "close it with '}', or put the whole value in quotes if the '{' is part of the text", True)
    if "another document" in problem or "single document" in context:
        return ("a second YAML document ('---') in this file",
                "a guide YAML file holds one list or mapping: remove the '---' line", False)
    if "mapping values are not allowed" in problem:
        return ("a ':' inside a value, where YAML expects none",
                "put the whole value in quotes: key: \"text: with a colon\"", False)
    if "expected <block end>" in problem:
        return ("this line is indented differently from the lines of the same entry",
                "indent every key of an entry by the same number of spaces", False)
    return None


def _precheck(text: str, file: Path, line_offset: int, errors: Collector) -> bool:
    """Reject aliases (billion laughs) and deep nesting before building any objects."""
    depth = 0
    try:
        for event in _yaml().parse(StringIO(text)):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                errors.add(file, mark.line + 1 + line_offset, mark.column + 1,
                           "YAML aliases (*name) are not allowed in guide files",
                           "write the value out in full instead of referring to an anchor (&name)")
                return False
            tag = getattr(event, "tag", None)
            if tag:  # !!python/…, !!binary, !custom: a guide file is plain data
                shown = str(getattr(tag, "value", tag)).replace("tag:yaml.org,2002:", "!!")[:40]
                mark = event.start_mark
                errors.add(file, mark.line + 1 + line_offset, mark.column + 1,
                           f"YAML tags ({shown}) are not allowed in guide files",
                           "remove the tag; put the value in quotes if it is text")
                return False
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    errors.add(file, mark.line + 1 + line_offset, mark.column + 1,
                               f"YAML nested more than {MAX_DEPTH} levels deep",
                               "flatten the structure; guide files need only a few levels")
                    return False
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                depth -= 1
    except MarkedYAMLError as exc:
        _mark_error(exc, file, line_offset, errors)
        return False
    except (YAMLError, RecursionError, ValueError) as exc:
        errors.add(file, 0, 0, f"YAML cannot be read: {exc}", "check the file's syntax")
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
        _mark_error(exc, file, line_offset, errors)
    except (YAMLError, RecursionError, ValueError, OverflowError) as exc:
        bad = _unconstructible_scalar(text)
        if bad is not None:
            value, line, col = bad
            errors.add(file, line + 1 + line_offset, col + 1, f"'{value[:40]}' is not a real date",
                       "write a date as YYYY-MM-DD (e.g. 2026-11-22), or put the value in quotes if it is text")
        else:
            errors.add(file, 1, 0, f"YAML cannot be read: {exc}", "check the file's syntax")
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
