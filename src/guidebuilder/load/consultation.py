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
        errors.add(folder, 0, 0, "the consultation folder has no schema.yml",
                   "add schema.yml declaring each column of the answers file (see docs/content-model.md)")
        return None
    tree = load_yaml(schema_path, errors, "consultation schema", cache)
    if tree is None:
        return None
    if not isinstance(tree, dict):
        errors.add(schema_path, 1, 1, "schema.yml must be a mapping (title:, columns:, …)",
                   "see docs/content-model.md, 'The citizen consultation'")
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
        errors.add(schema_path, line, col, f"the answers file '{spec.file}' does not exist in {errors.rel(folder)}",
                   "put the answers CSV next to schema.yml, or correct 'file:'")
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

        def bad(message: str, fix: str) -> None:
            nonlocal ok
            ok = False
            errors.add(path, line, c, f"column '{col.name}': {message}", fix)

        if col.name in names:
            bad("is declared twice", "declare each column once")
        names.add(col.name)
        if col.type in ("enum", "list") and not col.values:
            bad(f"a {col.type} column needs its allowed values", "add 'values:' with each id and its label")
        if col.type not in ("enum", "list") and (col.values or col.non_digital):
            bad("only enum and list columns have values", "remove 'values:'/'non_digital:' or change 'type:'")
        for value in col.non_digital:
            if value not in (col.values or {}):
                bad(f"non_digital value '{value}' is not one of its values{suggest(value, col.values or {})}",
                    "list ids from 'values:'")
        if col.group and col.group not in spec.groups:
            bad(f"group '{col.group}' is not declared in 'groups:'{suggest(col.group, spec.groups)}",
                "add it to 'groups:' with its title, or correct 'group:'")
        if col.role:
            if col.role in roles:
                bad(f"role '{col.role}' is already given to column {roles[col.role] + 1}", "give each role once")
            roles[col.role] = i
            if col.type not in ROLE_TYPES[col.role]:
                bad(f"role '{col.role}' needs type {' or '.join(sorted(ROLE_TYPES[col.role]))}", "change 'type:'")
            if col.personal:
                bad("a personal column cannot feed the results", "remove 'role:' from personal columns")
    if spec.delimiter == spec.list_separator:
        line, c = position(tree, ("list_separator",))
        errors.add(path, line, c, "the list separator is the same as the column delimiter",
                   "use ',' between columns and ';' inside lists (or the other way round)")
        ok = False
    if "comment" in roles and "publishable" not in roles:
        errors.add(path, 1, 1, "the consultation has a comment column but no 'publishable' column",
                   "add a yes/no column with 'role: publishable': only comments marked publishable are shown")
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
            errors.add(path, line, 1, f"this row cannot be read as CSV: {exc}",
                       "check the quotes: a value with a comma or line break goes in double quotes")
            return rows
        start, previous_end = (previous_end + 1), reader.line_num
        if not record or all(not v.strip() for v in record) and len(record) <= 1:
            continue  # blank line
        raw = "\n".join(lines[start - 1: previous_end])
        row = _read_row(record, header, raw, start, declared, spec, path, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors.errors:
        errors.add(path, 2, 1, "the answers file has a header but no answers", "add the answers, one per row")
    return rows


def _read_header(reader, first_line: str, spec: ConsultationSchema, declared: dict, path: Path,
                 errors: Collector) -> list[str] | None:
    """The header row's column names, or None (reported) if it is missing or names the wrong columns."""
    try:
        header = next(reader)
        if not any(h.strip() for h in header):
            raise StopIteration
    except (StopIteration, csv.Error):
        errors.add(path, 1, 1, "the answers file has no header row",
                   f"the first line names the columns: {spec.delimiter.join(declared)}")
        return None
    header = [h.strip() for h in header]
    starts = _positions(first_line, spec.delimiter)
    ok = True
    for j, name in enumerate(header):
        col = starts[j][1] if j < len(starts) else 1
        if name not in declared:
            errors.add(path, 1, col, f"unknown column '{name}'{suggest(name, declared)}",
                       f"declare it in schema.yml, or rename it; the columns are: {', '.join(declared)}")
            ok = False
        elif header.index(name) != j:
            errors.add(path, 1, col, f"column '{name}' appears twice in the header", "keep one of them")
            ok = False
    for name in declared:
        if name not in header:
            errors.add(path, 1, 1, f"missing column '{name}' (declared in schema.yml)",
                       "add the column to the header row, or remove it from schema.yml")
            ok = False
    return header if ok else None


def _read_row(record: list[str], header: list[str], raw: str, start: int, declared: dict,
              spec: ConsultationSchema, path: Path, errors: Collector) -> dict | None:
    """One CSV record (`raw` as written, from line `start`) as {column name: value}; None (reported) if wrong."""
    starts = _positions(raw, spec.delimiter)
    if len(record) != len(header):
        errors.add(path, start, 1, f"this row has {len(record)} values, the header has {len(header)}",
                   f"each row needs one value per column ({spec.delimiter!r} separated); quote values "
                   "that contain the separator")
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
    where = f"column '{col.name}'"
    if not value:
        if col.required:
            errors.add(path, line, column, f"{where} is empty, and it is required", f"give this answer's {col.name}")
            return _BAD
        return [] if col.type == "list" else None
    if col.type == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            errors.add(path, line, column, f"{where}: '{value[:40]}' is not a date",
                       "write dates as YYYY-MM-DD, e.g. 2023-03-15")
            return _BAD
    if col.type == "bool":
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        errors.add(path, line, column, f"{where}: '{value[:40]}' is not yes or no", "write 'sí' or 'no'")
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
                hint = f"did you mean '{by_label[item.casefold()]}'? " if item.casefold() in by_label else ""
                errors.add(path, line, column, f"{where}: '{item[:40]}' is not an allowed value"
                           f"{suggest(item, allowed) if not hint else ''}",
                           f"{hint}use one of: {', '.join(allowed)}"
                           + (f" (several separated by '{spec.list_separator}')" if col.type == "list" else ""))
                return _BAD
            if item not in out:
                out.append(item)
        return out if col.type == "list" else out[0]
    text = clean_untrusted(value)
    if len(text) > col.max_length:
        errors.add(path, line, column, f"{where} is {len(text)} characters long, over its {col.max_length}",
                   "shorten it, or raise 'max_length:' in schema.yml")
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
        errors.add(path, 1, 1, "adoption.yml must be a list of entries, each starting with '- entity:'",
                   "see docs/content-model.md, 'adoption.yml'; an empty register is '[]'")
        return ()
    items = validate(list[Adoption], plain(tree), tree, path, errors)
    if items is None:
        return ()
    entities, channels, steps = data.by_id("entities"), data.by_id("channels"), data.by_id("steps")
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        line, col = position(tree, (i, "entity"))
        if item.entity not in entities:
            errors.add(path, line, col, f"entity '{item.entity}' is not defined in guide/data/entities.yml"
                       f"{suggest(item.entity, entities)}", f"use an id from entities.yml or add '{item.entity}' there")
        if item.entity in seen:
            errors.add(path, line, col, f"entity '{item.entity}' has a second entry (first at line {seen[item.entity]})",
                       "put all of an entity's exercises in its one entry")
        seen.setdefault(item.entity, line)
        data.where[("adoption", item.entity)] = Where(errors.rel(path), position(tree, (i,))[0])
        d = item.declaration
        if not (d.url or d.place):
            line, col = position(tree, (i, "declaration"))
            errors.add(path, line, col, "the declaration needs a 'url:' or a 'place:' where it can be consulted",
                       "give the address of the published document, or where the paper copy is kept")
        for j, ex in enumerate(item.exercises):
            for k, ref in enumerate(ex.channels):
                if ref not in channels:
                    line, col = position(tree, (i, "exercises", j, "channels", k))
                    errors.add(path, line, col, f"channel '{ref}' is not defined in guide/data/channels.yml"
                               f"{suggest(ref, channels)}", f"use an id from channels.yml or add '{ref}' there")
            for k, ref in enumerate(ex.steps):
                if ref not in steps:
                    line, col = position(tree, (i, "exercises", j, "steps", k))
                    errors.add(path, line, col, f"step '{ref}' is not defined in guide/data/steps.yml"
                               f"{suggest(ref, steps)}", f"use an id from steps.yml ({', '.join(steps)})")
            if ex.date < d.date:
                line, col = position(tree, (i, "exercises", j, "date"))
                errors.warn(path, line, col, f"exercise '{ex.title[:40]}' is dated before the entity's declaration "
                            f"({d.date.isoformat()})", "check both dates; the report counts it all the same")
            if not (ex.url or ex.place):
                line, col = position(tree, (i, "exercises", j))
                errors.add(path, line, col, f"exercise '{ex.title[:40]}' needs a 'url:' or a 'place:'",
                           "give the address where it is published, or the place where people find it "
                           "(e.g. the bulletin board of the town hall)")
    return tuple(items)
