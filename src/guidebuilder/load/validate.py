"""Validation of YAML trees against the schema models: every problem reported with its file:line:col,
the key it is about and a suggestion for misspelt keys or values (pydantic's errors made readable)."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import TypeAdapter, ValidationError

from guidebuilder.load.yamlio import key_position, position
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.messages import t
from guidebuilder.model.schema import Model

_KINDS = {"string_type", "int_type", "float_type", "bool_type", "date_type", "list_type", "model_type",
          "dict_type", "int_from_float", "date_from_datetime_inexact"}


def _kind(kind: str) -> str:
    return t(f"kind.{kind}")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return t("value.bool", value=str(value).lower())
    if isinstance(value, (int, float)):
        return t("value.number", value=value)
    if isinstance(value, str):
        return t("value.text", value=value[:40])
    if isinstance(value, list):
        return t("value.list")
    if isinstance(value, dict):
        return t("value.mapping")
    if value is None:
        return t("value.nothing")
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
        for err in _one_per_typo(exc.errors(), model, data):
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


def _one_per_typo(errs: list, model, data) -> list:
    """A misspelt key ('titulo:' for 'title:') is one mistake: the unknown key is reported, with its
    suggestion, and the required key it was meant to be is not reported missing as well."""
    meant: set[tuple] = set()
    for err in errs:
        if err["type"] == "extra_forbidden":
            path = _data_path(data, err["loc"])
            allowed = _fields_of(_model_at(model, path[:-1]))
            match = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1, cutoff=0.6)
            if match:
                meant.add((path[:-1], match[0]))
    return [e for e in errs if not (e["type"] == "missing"
                                    and (_data_path(data, e["loc"]), str(e["loc"][-1])) in meant)]


def _report(model, err, kind, key, path, parent, tree, file, errors: Collector, line_offset: int) -> None:
    if kind == "extra_forbidden":
        line, col = key_position(tree, parent, key, line_offset)
        allowed = _fields_of(_model_at(model, parent))
        if allowed:
            errors.say(file, line, col, "schema.unknown_key", key=key, hint=suggest(key, allowed),
                       allowed=", ".join(allowed))
        else:
            errors.say(file, line, col, "schema.unknown_key_bare", key=key)
        return
    line, col = position(tree, path, line_offset)
    value = err.get("input")
    if kind == "missing":
        errors.say(file, line, col, "schema.missing", key=key)
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        errors.say(file, line, col, "schema.choice", value=value, hint=suggest(value, options),
                   options=", ".join(options))
    elif kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        key_id = "schema.url" if "http" in pattern else "schema.id" if "a-z0-9" in pattern else \
            "schema.language" if pattern.startswith("^es") else "schema.pattern"
        errors.say(file, line, col, key_id, value=value)
    elif kind in ("too_short", "string_too_short"):
        errors.say(file, line, col, "schema.empty")
    elif kind in ("too_long", "string_too_long"):
        errors.say(file, line, col, "schema.too_long")
    elif kind in _KINDS and value is None:
        errors.say(file, line, col, "schema.nothing", kind=_kind(kind))
    elif kind == "string_type":
        errors.say(file, line, col, "schema.wrong_text", kind=_kind(kind), found=_describe(value))
    elif kind in _KINDS:
        errors.say(file, line, col, "schema.wrong", kind=_kind(kind), found=_describe(value))
    elif kind.startswith(("date_", "datetime_")):
        errors.say(file, line, col, "schema.date", value=value)
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = " ".join(f"{k} {v}" for k, v in (err.get("ctx") or {}).items())
        errors.say(file, line, col, "schema.number_range", value=value, limit=limit)
    elif kind == "value_error":
        # our own model validators: their message is written for editors (ctx.error holds it)
        detail = str((err.get("ctx") or {}).get("error", "")) or err.get("msg", "")
        errors.say(file, line, col, "schema.rule", detail=detail)
    else:
        errors.say(file, line, col, "schema.other", kind=kind)
