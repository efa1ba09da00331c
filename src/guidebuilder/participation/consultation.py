"""Consultation answers and the adoption register: load, validate, aggregate, and show as blocks.

The consultation lives in guide/data/consultation/: `schema.yml` declares each column of the
answers file (type, allowed values, whether it is required or personal, and its role in the
aggregates); `answers.csv` holds one row per answer. Personal columns are validated and then
dropped inside this module: the Guide only ever holds aggregates and the comments that are
marked publishable and pass the personal-data guard (privacy.find_personal_data).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from guidebuilder.pandoc import ast as A
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.guide import Where
from guidebuilder.checks.privacy import contains_any, find_personal_data
from guidebuilder.model.schema import Adoption, Id, Model, Text, validate
from guidebuilder.load.sources import clean_untrusted, inside, read_text
from guidebuilder.load.yamlio import load_yaml, plain, position

FOLDER = "consultation"
ILLUSTRATIVE_NOTICE = "Datos ilustrativos, no son resultados reales."
ROLES = ("date", "municipality", "age_group", "answer_channel", "topics", "preferred_channels", "comment",
         "publishable")
ROLE_TYPES = {"date": {"date"}, "municipality": {"enum"}, "age_group": {"enum"}, "answer_channel": {"enum"},
              "topics": {"list", "enum"}, "preferred_channels": {"list", "enum"}, "comment": {"text"},
              "publishable": {"bool"}}
ROLE_HEADINGS = {"date": "Fecha", "municipality": "Municipio", "age_group": "Grupo de edad",
                 "answer_channel": "Canal de respuesta", "topics": "Temas prioritarios",
                 "preferred_channels": "Canales preferidos", "comment": "Comentario", "publishable": "Publicable"}
TRUE = {"si", "sí", "yes", "true", "1", "x"}
FALSE = {"no", "false", "0", ""}
VIEWS = ("summary", "topics", "topics-by-municipality", "channels-by-age", "channels-by-answer-channel", "comments")
ADOPTION_VIEWS = ("summary", "entities", "exercises")


# ---------------------------------------------------------------- the schema file

class ColumnSpec(Model):
    """One column of answers.csv."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    type: Literal["date", "enum", "list", "text", "bool"]
    label: Text | None = None  # the column's heading in the guide
    required: bool = False
    personal: bool = False  # validated, then dropped: never reaches the Guide
    role: Literal["date", "municipality", "age_group", "answer_channel", "topics", "preferred_channels",
                  "comment", "publishable"] | None = None
    values: dict[Id, Text] | None = None  # enum and list: allowed ids, each with the label shown
    non_digital: list[Id] = []  # values that are non-digital channels (for the preferred channels)
    max_length: int = Field(default=2000, ge=1, le=20000)


class ConsultationSchema(Model):
    """guide/data/consultation/schema.yml."""

    title: Text
    description: Text | None = None
    illustrative: bool = False  # sample data: every table and chart says so
    file: Annotated[str, Field(pattern=r"^[\w.-]+\.csv$")] = "answers.csv"
    delimiter: Literal[",", ";", "\t"] = ","
    list_separator: Literal[";", "|", ","] = ";"
    columns: list[ColumnSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Comment:
    text: str
    municipality: str = ""  # a label, not an id


@dataclass(frozen=True)
class Consultation:
    """The aggregates of a consultation: no answer, and no personal value, is kept."""

    title: str
    description: str | None
    illustrative: bool
    file: str
    answers: int
    first_date: dt.date | None
    last_date: dt.date | None
    labels: dict  # role -> {id: label}, in the schema's order
    headings: dict  # role -> column heading
    non_digital: tuple  # preferred channel ids that are non-digital
    counts: dict  # role -> ((id, count), ...) over all answers, in the schema's order
    crossed: dict  # "topics-by-municipality" etc. -> ((group id, answers in group, ((id, count), ...)), ...)
    non_digital_by: dict  # "age_group"/"answer_channel" -> ((group id, answers, answers preferring a non-digital channel), ...)
    comments: tuple  # Comment, publishable and clean only
    comments_received: int = 0
    comments_publishable: int = 0
    comments_withheld: int = 0  # publishable, but kept out by the personal-data guard


# ---------------------------------------------------------------- loading the consultation

def load_consultation(root: Path, errors: Collector) -> Consultation | None:
    """Load guide/data/consultation/ (schema.yml + the answers file); None if the guide has none."""
    folder = root / "data" / FOLDER
    if not folder.exists():
        return None
    schema_path = folder / "schema.yml"
    if not schema_path.is_file():
        errors.add(folder, 0, 0, "the consultation folder has no schema.yml",
                   "add schema.yml declaring each column of the answers file (see docs/content-model.md)")
        return None
    tree = load_yaml(schema_path, errors, "consultation schema")
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
    return _aggregate(spec, rows, errors.rel(csv_path))


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
    try:
        header = next(reader)
        if not any(h.strip() for h in header):
            raise StopIteration
    except (StopIteration, csv.Error):
        errors.add(path, 1, 1, "the answers file has no header row",
                   f"the first line names the columns: {spec.delimiter.join(declared)}")
        return None
    header = [h.strip() for h in header]
    starts = _positions(lines[0], spec.delimiter)
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
    if not ok:
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
        starts = _positions(raw, spec.delimiter)
        if len(record) != len(header):
            errors.add(path, start, 1, f"this row has {len(record)} values, the header has {len(header)}",
                       f"each row needs one value per column ({spec.delimiter!r} separated); quote values "
                       "that contain the separator")
            continue
        row, row_ok = {}, True
        for j, (name, value) in enumerate(zip(header, record)):
            offset, col = starts[j] if j < len(starts) else (0, 1)
            parsed = _cell(declared[name], value, spec, path, start + offset, col, errors)
            if parsed is _BAD:
                row_ok = False
            row[name] = parsed
        if row_ok:
            rows.append(row)
    if not rows and not errors.errors:
        errors.add(path, 2, 1, "the answers file has a header but no answers", "add the answers, one per row")
    return rows


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


def _aggregate(spec: ConsultationSchema, rows: list[dict], file: str) -> Consultation:
    by_role = {c.role: c for c in spec.columns if c.role}
    personal = [c.name for c in spec.columns if c.personal]
    # The personal values serve the comment guard below, and are dropped with `rows` on return.
    personal_values = [str(r[name]) for r in rows for name in personal if r.get(name)]
    labels = {role: dict(c.values) for role, c in by_role.items() if c.values}
    headings = {role: c.label or ROLE_HEADINGS[role] for role, c in by_role.items()}

    def values_of(row: dict, role: str) -> list:
        if role not in by_role:
            return []
        v = row[by_role[role].name]
        return v if isinstance(v, list) else ([] if v is None else [v])

    def count(selected: list[dict], role: str) -> tuple:
        counter = Counter(x for r in selected for x in values_of(r, role))
        return tuple((key, counter.get(key, 0)) for key in labels.get(role, {}))

    counts = {role: count(rows, role) for role in labels}
    crossed: dict[str, tuple] = {}
    non_digital_by: dict[str, tuple] = {}
    non_digital = tuple(by_role["preferred_channels"].non_digital) if "preferred_channels" in by_role else ()
    for name, group_role, item_role in (("topics-by-municipality", "municipality", "topics"),
                                        ("channels-by-age", "age_group", "preferred_channels"),
                                        ("channels-by-answer-channel", "answer_channel", "preferred_channels")):
        if group_role not in labels or item_role not in labels:
            continue
        groups = []
        nd = []
        for key in labels[group_role]:
            selected = [r for r in rows if key in values_of(r, group_role)]
            groups.append((key, len(selected), count(selected, item_role)))
            nd.append((key, len(selected),
                       sum(1 for r in selected if set(values_of(r, "preferred_channels")) & set(non_digital))))
        crossed[name] = tuple(groups)
        if item_role == "preferred_channels" and non_digital:
            non_digital_by[group_role] = tuple(nd)
    dates = [d for r in rows for d in values_of(r, "date")]
    comments: list[Comment] = []
    received = publishable = withheld = 0
    for r in rows:
        text = values_of(r, "comment")
        if not text:
            continue
        received += 1
        if not any(values_of(r, "publishable")):
            continue
        publishable += 1
        if find_personal_data(text[0]) or contains_any(text[0], personal_values):
            withheld += 1
            continue
        place = values_of(r, "municipality")
        comments.append(Comment(text[0], labels.get("municipality", {}).get(place[0], "") if place else ""))
    return Consultation(
        title=spec.title, description=spec.description, illustrative=spec.illustrative, file=file,
        answers=len(rows), first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
        labels=labels, headings=headings, non_digital=non_digital, counts=counts, crossed=crossed,
        non_digital_by=non_digital_by, comments=tuple(comments), comments_received=received,
        comments_publishable=publishable, comments_withheld=withheld)


# ---------------------------------------------------------------- loading the adoption register

def load_adoption(root: Path, data: Any, errors: Collector) -> tuple:
    """Load guide/data/adoption.yml: per entity, its declaration and the exercises it published."""
    path = root / "data" / "adoption.yml"
    if not path.exists():
        return ()
    tree = load_yaml(path, errors, "data file adoption.yml")
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


# ---------------------------------------------------------------- blocks for the chapters

def directive_blocks(guide, chapter, d, errors: Collector, generated: dict) -> list:
    """Expand the `consultation` and `adoption` directives into pandoc blocks."""
    if d.name == "adoption":
        return adoption_blocks(guide, chapter, d, errors)
    c = guide.data.consultation
    view = d.attrs.get("view", "")
    if view not in VIEWS:
        errors.add(chapter.path, d.line, 1, f"consultation view '{view}' is not known{suggest(view, VIEWS)}"
                   if view else "directive 'consultation' needs view=\"…\"", f"use one of: {', '.join(VIEWS)}")
        return []
    if c is None:
        errors.add(chapter.path, d.line, 1, "the guide has no consultation data",
                   "add guide/data/consultation/ with schema.yml and answers.csv, or remove this block")
        return []
    needs = {"topics": ("topics",), "topics-by-municipality": ("municipality", "topics"),
             "channels-by-age": ("age_group", "preferred_channels"),
             "channels-by-answer-channel": ("answer_channel", "preferred_channels"),
             "summary": ("answer_channel",), "comments": ()}[view]
    missing = [r for r in needs if r not in c.labels]
    if missing:
        errors.add(chapter.path, d.line, 1, f"view '{view}' needs a column with role '{missing[0]}' "
                   "in the consultation's schema.yml", "give that role to a column, or choose another view")
        return []
    municipality = d.attrs.get("municipality")
    if municipality and municipality not in c.labels.get("municipality", {}):
        errors.add(chapter.path, d.line, 1, f"municipality '{municipality}' is not a value of the consultation"
                   f"{suggest(municipality, c.labels.get('municipality', {}))}",
                   "use an id from the municipality column's values in schema.yml")
        return []
    if municipality and view != "topics":
        errors.add(chapter.path, d.line, 1, "municipality=\"…\" only works with view=\"topics\"",
                   "remove it, or use view=\"topics\"")
        return []
    caption = d.attrs.get("caption", "")
    from guidebuilder.transforms import consultation as CB

    body = CB.view_blocks(guide, chapter, d, c, view, caption, municipality, generated)
    return CB.with_notice(c, body)


def adoption_blocks(guide, chapter, d, errors: Collector) -> list:
    view = d.attrs.get("view", "entities")
    if view not in ADOPTION_VIEWS:
        errors.add(chapter.path, d.line, 1, f"adoption view '{view}' is not known{suggest(view, ADOPTION_VIEWS)}",
                   f"use one of: {', '.join(ADOPTION_VIEWS)}")
        return []
    from guidebuilder.transforms import consultation as CB

    return CB.adoption_view(guide, view, d.attrs.get("caption", ""))
