"""Validation of YAML trees against the schema models: every problem reported with its file:line:col,
the key it is about and a suggestion for misspelt keys or values (pydantic's errors made readable)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from guidebuilder.load.yamlio import key_position, position
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.schema import Model

_KINDS = {
    "string_type": "text", "int_type": "a whole number", "float_type": "a number", "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)", "list_type": "a list", "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys", "int_from_float": "a whole number", "date_from_datetime_inexact": "a date",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def _data_path(data: Any, loc: tuple) -> tuple:
    """Keep only the parts of a pydantic location that index into the data."""
    out: list = []
    current = data
    for step in loc:
        if isinstance(current, dict) and step in current:
            out.append(step)
            current = current[step]
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            out.append(step)
            current = current[step]
    return tuple(out)


def _fields_of(model: type[Model] | None) -> list[str]:
    return list(model.model_fields) if model else []


def _model_at(root_model: Any, path: tuple) -> type[Model] | None:
    """Find the model class that describes the mapping at a data path (for key suggestions)."""
    import typing

    current: Any = root_model
    for step in path:
        if isinstance(step, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        if not (isinstance(current, type) and issubclass(current, Model)) or step not in current.model_fields:
            return None
        current = current.model_fields[step].annotation
        while typing.get_origin(current) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            options = [a for a in typing.get_args(current) if a is not type(None)]
            current = options[0] if options else None
    if typing.get_origin(current) is list:
        current = typing.get_args(current)[0]
    return current if isinstance(current, type) and issubclass(current, Model) else None


def validate(model: Any, data: Any, tree: Any, file, errors: Collector, line_offset: int = 0) -> Any:
    """Validate plain data against a model (or list[Model]); report errors with positions."""
    try:
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for err in exc.errors():
            path = _data_path(data, err["loc"])
            kind = err["type"]
            if kind == "missing" or kind == "extra_forbidden":
                key = str(err["loc"][-1])
                parent = path if kind == "missing" else path[:-1]
            else:
                key, parent = "", path
            marker = (parent, key, kind if kind in ("missing", "extra_forbidden") else "")
            if marker in seen:
                continue
            seen.add(marker)
            _report(model, err, kind, key, path, parent, tree, file, errors, line_offset)
        return None


def _report(model, err, kind, key, path, parent, tree, file, errors: Collector, line_offset: int) -> None:
    if kind == "extra_forbidden":
        line, col = key_position(tree, parent, key, line_offset)
        allowed = _fields_of(_model_at(model, parent))
        errors.add(file, line, col, f"unknown key '{key}'{suggest(key, allowed)}",
                   f"allowed keys here: {', '.join(allowed)}" if allowed else "remove it")
        return
    line, col = position(tree, path, line_offset)
    if kind == "missing":
        errors.add(file, line, col, f"missing required key '{key}'", f"add '{key}: …' to this entry")
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        errors.add(file, line, col, f"'{err['input']}' is not allowed here{suggest(err['input'], options)}",
                   f"use one of: {', '.join(options)}")
    elif kind == "string_pattern_mismatch" and "http" in str(err.get("ctx", {}).get("pattern", "")):
        errors.add(file, line, col, f"'{err['input']}' is not a web address",
                   "write the full address, starting with https://")
    elif kind == "string_pattern_mismatch":
        errors.add(file, line, col, f"'{err['input']}' is not a valid id",
                   "ids use lowercase letters without accents, digits and hyphens, e.g. 'radio-comunitaria'")
    elif kind in ("too_short", "string_too_short"):
        errors.add(file, line, col, "this value is empty", "give it at least one item or some text")
    elif kind in ("too_long", "string_too_long"):
        errors.add(file, line, col, "this value is too long", "shorten it")
    elif kind in _KINDS and err.get("input") is None:
        errors.add(file, line, col, f"expected {_KINDS[kind]}, found nothing",
                   "write the value after the colon, or delete the line if the key is optional")
    elif kind in _KINDS:
        hint = "put the value in quotes to make it text" if kind == "string_type" else f"write {_KINDS[kind]}"
        errors.add(file, line, col, f"expected {_KINDS[kind]}, found {_describe(err.get('input'))}", hint)
    else:
        errors.add(file, line, col, err.get("msg", "invalid value"), "correct the value")
