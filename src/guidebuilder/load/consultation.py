"""Reading the consultation: its questionnaire (guide/data/consultation/schema.yml) and its answers
(CSV), every problem with file:line:column; the answers aggregated by participation.consultation.
Also the adoption register (data/adoption.yml)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

from guidebuilder.load.sources import clean_untrusted, inside, read_text
from guidebuilder.load.validate import validate
from guidebuilder.load.yamlio import load_yaml, plain, position
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.messages import m, t
from guidebuilder.model.guide import Where
from guidebuilder.model.schema import Adoption
from guidebuilder.participation.consultation import (FALSE, FOLDER, ROLE_TYPES, TRUE, ColumnSpec,
                                                     Consultation, ConsultationSchema, add_tallies, aggregate)


def load_consultation(root: Path, errors: Collector, cache=None) -> Consultation | None:
    """Load guide/data/consultation/ (schema.yml + the answers file); None if the guide has none.

    Without an answers file (and no `file:` naming one) the consultation is its questionnaire alone
    (`answered` False): its results do not exist yet."""
    folder = root / "data" / FOLDER
    if not folder.exists():
        return None
    schema_path = folder / "schema.yml"
    if not schema_path.is_file():
        errors.say(folder, 0, 0, "cons.no_schema")
        return None
    tree = load_yaml(schema_path, errors, "consultation schema", cache)
    if tree is None:
        return None
    if not isinstance(tree, dict):
        errors.say(schema_path, 1, 1, "cons.schema_mapping")
        return None
    spec = validate(ConsultationSchema, plain(tree), tree, schema_path, errors)
    if spec is None or not _check_schema(spec, tree, schema_path, errors):
        return None
    csv_path = folder / spec.file
    tallies = _tallies(folder, spec, errors)
    if tallies is None:
        return None
    if "file" not in tree and not csv_path.exists() and not csv_path.is_symlink():
        # the questionnaire alone, before the consultation: the guide shows what will be asked
        # (or only the totals of tally sheets, imported with `guidebuilder consulta import`)
        return add_tallies(aggregate(spec, [], None, answered=False), spec, tallies)
    if not inside(root, csv_path) or not csv_path.is_file():
        line, col = position(tree, ("file",))
        errors.say(schema_path, line, col, "cons.no_answers_file", file=spec.file, folder=errors.rel(folder))
        return None
    text = read_text(csv_path, errors, "consultation answers")  # UTF-8, size and control characters
    if text is None:
        return None
    rows = _read_rows(text, spec, csv_path, errors)
    if rows is None:
        return None
    return add_tallies(aggregate(spec, rows, errors.rel(csv_path)), spec, tallies)


def _tallies(folder: Path, spec: ConsultationSchema, errors: Collector) -> list[dict] | None:
    """The tally sheets' totals (conteos.csv, written by `guidebuilder consulta import`), [] without them."""
    from guidebuilder.load.consultation_import import read_stored_tallies

    path = folder / spec.tallies
    if not path.exists():
        return []
    return read_stored_tallies(path, spec, errors)


def _check_schema(spec: ConsultationSchema, tree: Any, path: Path, errors: Collector) -> bool:
    ok = True
    names: set[str] = set()
    roles: dict[str, int] = {}
    for i, col in enumerate(spec.columns):
        line, c = position(tree, ("columns", i))

        def bad(msg_id: str, **values) -> None:
            nonlocal ok
            ok = False
            message, fix = m(msg_id, **values)
            errors.add(path, line, c, t("cons.column", name=col.name, message=message), fix)

        if col.name in names:
            bad("cons.col_twice")
        names.add(col.name)
        if col.type in ("enum", "list") and not col.values:
            bad("cons.col_values", type=col.type)
        if col.type not in ("enum", "list") and (col.values or col.non_digital):
            bad("cons.col_no_values")
        for value in col.non_digital:
            if value not in (col.values or {}):
                bad("cons.col_non_digital", value=value, hint=suggest(value, col.values or {}))
        if col.group and col.group not in spec.groups:
            bad("cons.col_group", group=col.group, hint=suggest(col.group, spec.groups))
        if col.role:
            if col.role in roles:
                bad("cons.col_role_twice", role=col.role, other=roles[col.role] + 1)
            roles[col.role] = i
            if col.type not in ROLE_TYPES[col.role]:
                bad("cons.col_role_type", role=col.role, types=" or ".join(sorted(ROLE_TYPES[col.role])))
            if col.personal:
                bad("cons.col_personal")
    if spec.delimiter == spec.list_separator:
        line, c = position(tree, ("list_separator",))
        errors.say(path, line, c, "cons.separator")
        ok = False
    if "comment" in roles and "publishable" not in roles:
        errors.say(path, 1, 1, "cons.publishable")
        ok = False
    return ok


def _positions(record: str, delimiter: str) -> list[tuple[int, int]]:
    """(line offset, column) where each field of a raw CSV record starts."""
    out = [(0, 1)]
    line, col, quoted, at_start, i = 0, 1, False, True, 0
    while i < len(record):
        ch = record[i]
        if at_start and ch == '"':
            quoted, at_start = True, False
        elif quoted and ch == '"':
            if record[i + 1: i + 2] == '"':
                i, col = i + 1, col + 1
            else:
                quoted = False
        elif not quoted and ch == delimiter:
            out.append((line, col + 1))
            at_start = True
            i, col = i + 1, col + 1
            continue
        at_start = False if ch != delimiter else at_start
        if ch == "\n":
            line, col = line + 1, 0
        i, col = i + 1, col + 1
    return out


def _read_rows(text: str, spec: ConsultationSchema, path: Path, errors: Collector) -> list[dict] | None:
    """Parse and validate every row; return the valid ones as {column name: value}, None on a broken header."""
    lines = text.split("\n")
    reader = csv.reader(iter(line + "\n" for line in lines), delimiter=spec.delimiter, strict=True)
    declared = {c.name: c for c in spec.columns}
    header = _read_header(reader, lines[0], spec, declared, path, errors)
    if header is None:
        return None
    rows: list[dict] = []
    previous_end = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = previous_end + 1
            errors.say(path, line, 1, "cons.csv_row", detail=exc)
            return rows
        start, previous_end = (previous_end + 1), reader.line_num
        if not record or all(not v.strip() for v in record) and len(record) <= 1:
            continue  # blank line
        raw = "\n".join(lines[start - 1: previous_end])
        row = _read_row(record, header, raw, start, declared, spec, path, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors.errors:
        errors.say(path, 2, 1, "cons.no_rows")
    return rows


def _read_header(reader, first_line: str, spec: ConsultationSchema, declared: dict, path: Path,
                 errors: Collector) -> list[str] | None:
    """The header row's column names, or None (reported) if it is missing or names the wrong columns."""
    try:
        header = next(reader)
        if not any(h.strip() for h in header):
            raise StopIteration
    except (StopIteration, csv.Error):
        errors.say(path, 1, 1, "cons.no_header", columns=spec.delimiter.join(declared))
        return None
    header = [h.strip() for h in header]
    starts = _positions(first_line, spec.delimiter)
    ok = True
    for j, name in enumerate(header):
        col = starts[j][1] if j < len(starts) else 1
        if name not in declared:
            errors.say(path, 1, col, "cons.unknown_column", name=name, hint=suggest(name, declared),
                       columns=", ".join(declared))
            ok = False
        elif header.index(name) != j:
            errors.say(path, 1, col, "cons.header_twice", name=name)
            ok = False
    for name in declared:
        if name not in header:
            errors.say(path, 1, 1, "cons.missing_column", name=name)
            ok = False
    return header if ok else None


def _read_row(record: list[str], header: list[str], raw: str, start: int, declared: dict,
              spec: ConsultationSchema, path: Path, errors: Collector) -> dict | None:
    """One CSV record (`raw` as written, from line `start`) as {column name: value}; None (reported) if wrong."""
    starts = _positions(raw, spec.delimiter)
    if len(record) != len(header):
        errors.say(path, start, 1, "cons.row_values", found=len(record), want=len(header), sep=repr(spec.delimiter))
        return None
    row, row_ok = {}, True
    for j, (name, value) in enumerate(zip(header, record)):
        offset, col = starts[j] if j < len(starts) else (0, 1)
        parsed = _cell(declared[name], value, spec, path, start + offset, col, errors)
        if parsed is _BAD:
            row_ok = False
        row[name] = parsed
    return row if row_ok else None


_BAD = object()


def _cell(col: ColumnSpec, value: str, spec: ConsultationSchema, path: Path, line: int, column: int,
          errors: Collector) -> Any:
    value = value.strip()
    where = t("cons.where", name=col.name)
    if not value:
        if col.required:
            errors.say(path, line, column, "cons.cell_empty", where=where, name=col.name)
            return _BAD
        return [] if col.type == "list" else None
    if col.type == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            errors.say(path, line, column, "cons.cell_date", where=where, value=value[:40])
            return _BAD
    if col.type == "bool":
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        errors.say(path, line, column, "cons.cell_bool", where=where, value=value[:40])
        return _BAD
    if col.type in ("enum", "list"):
        allowed = col.values or {}
        items = [v.strip() for v in value.split(spec.list_separator)] if col.type == "list" else [value]
        out = []
        for item in items:
            if not item:
                continue
            if item not in allowed:
                by_label = {label.casefold(): key for key, label in allowed.items()}
                hint = t("cons.by_label", value=by_label[item.casefold()]) if item.casefold() in by_label else ""
                message, fix = m("cons.cell_value", where=where, value=item[:40],
                                 hint=suggest(item, allowed) if not hint else "", options=", ".join(allowed))
                errors.add(path, line, column, message, hint + fix
                           + (t("cons.several", sep=spec.list_separator) if col.type == "list" else ""))
                return _BAD
            if item not in out:
                out.append(item)
        return out if col.type == "list" else out[0]
    text = clean_untrusted(value)
    if len(text) > col.max_length:
        errors.say(path, line, column, "cons.cell_long", where=where, length=len(text), limit=col.max_length)
        return _BAD
    return text


def load_adoption(root: Path, data: Any, errors: Collector, cache=None) -> tuple:
    """Load guide/data/adoption.yml: per entity, its declaration and the exercises it published."""
    path = root / "data" / "adoption.yml"
    if not path.exists():
        return ()
    tree = load_yaml(path, errors, "data file adoption.yml", cache)
    if tree is None:
        return ()
    if tree == []:
        return ()
    if not isinstance(tree, list):
        errors.say(path, 1, 1, "adopt.not_list")
        return ()
    items = validate(list[Adoption], plain(tree), tree, path, errors)
    if items is None:
        return ()
    entities, channels, steps = data.by_id("entities"), data.by_id("channels"), data.by_id("steps")
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        line, col = position(tree, (i, "entity"))
        if item.entity not in entities:
            errors.say(path, line, col, "data.unknown_ref", field="entity", ref=item.entity, dataset="entities",
                       hint=suggest(item.entity, entities))
        if item.entity in seen:
            errors.say(path, line, col, "adopt.twice", entity=item.entity, line=seen[item.entity])
        seen.setdefault(item.entity, line)
        data.where[("adoption", item.entity)] = Where(errors.rel(path), position(tree, (i,))[0])
        d = item.declaration
        if not (d.url or d.place):
            line, col = position(tree, (i, "declaration"))
            errors.say(path, line, col, "adopt.declaration_where")
        for j, ex in enumerate(item.exercises):
            for k, ref in enumerate(ex.channels):
                if ref not in channels:
                    line, col = position(tree, (i, "exercises", j, "channels", k))
                    errors.say(path, line, col, "data.unknown_ref", field="channel", ref=ref, dataset="channels",
                               hint=suggest(ref, channels))
            for k, ref in enumerate(ex.steps):
                if ref not in steps:
                    line, col = position(tree, (i, "exercises", j, "steps", k))
                    errors.say(path, line, col, "data.unknown_ref", field="step", ref=ref, dataset="steps",
                               hint=suggest(ref, steps))
            if ex.date < d.date:
                line, col = position(tree, (i, "exercises", j, "date"))
                errors.say_warning(path, line, col, "adopt.early", title=ex.title[:40], date=d.date.isoformat())
            if not (ex.url or ex.place):
                line, col = position(tree, (i, "exercises", j))
                errors.say(path, line, col, "adopt.exercise_where", title=ex.title[:40])
    return tuple(items)
