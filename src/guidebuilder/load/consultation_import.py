"""Reading answers from the field into the consultation (`guidebuilder consulta import`): a
KoboToolbox or ODK export as those tools write it (group paths in column names, `grupo/pregunta` or
ODK Central's `grupo-pregunta`; several choices separated by spaces; their metadata columns left
out), the data-entry template (build/consulta/<slug>-consulta-captura.csv) and the tally totals
(<slug>-consulta-conteo.csv). Every row is checked against schema.yml, every problem reported at
once with file:row:column (the row's line in the file, the column's position, as a spreadsheet
counts them); personal columns are read and dropped here, so they never reach guide/.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidebuilder.load.sources import clean_untrusted, read_text
from guidebuilder.model.errors import Collector, suggest
from guidebuilder.participation import questionnaire as Q
from guidebuilder.participation.consultation import FALSE, TRUE, ColumnSpec, ConsultationSchema

SPLIT = re.compile(r"[\s;|,]+")  # between the choices of a list: ODK's space, our ';', '|' or ','
DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # 15/03/2026, as a spreadsheet in Mexico writes it
_BAD = object()


@dataclass
class Imported:
    """A file's answers (or tally totals), checked: nothing personal in it."""

    kind: str  # "answers" or "tallies"
    rows: list[dict] = field(default_factory=list)  # column name -> parsed value (personal columns left out)
    lines: list[int] = field(default_factory=list)  # each row's line in the file
    ignored: list[str] = field(default_factory=list)  # the export's metadata columns, left out


def letter(index: int) -> str:
    """A spreadsheet's column letter for a 0-based index (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def read_import(path: Path, spec: ConsultationSchema, channel: str | None, errors: Collector) -> Imported | None:
    """Read and check a file of answers or tally totals; None (every problem reported) when anything is wrong."""
    text = read_text(path, errors, "el archivo")
    if text is None:
        return None
    lines = text.split("\n")
    delimiter = sniff(lines[0])
    records = list(_records(lines, delimiter, path, errors))
    if not records or not any(h.strip() for h in records[0][1]):
        errors.add(path, 1, 1, "el archivo no tiene fila de encabezados",
                   "la primera fila nombra las columnas, como en la plantilla de captura")
        return None
    header = [h.strip() for h in records[0][1]]
    if {"pregunta", "opcion", "total"} <= set(header):
        return _read_tallies(path, spec, header, records[1:], channel, errors)
    return _read_answers(path, spec, header, records[1:], channel, errors)


def sniff(first_line: str) -> str:
    """The column delimiter of a CSV file from its header: ',' ';' or a tab, whichever separates most."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _records(lines: list[str], delimiter: str, path: Path, errors: Collector):
    """(line where it starts, fields) of each non-blank CSV record."""
    reader = csv.reader(iter(line + "\n" for line in lines), delimiter=delimiter, strict=True)
    end = 0
    while True:
        start = end + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.add(path, end + 1, 1, f"esta fila no se puede leer como CSV: {exc}",
                       "revise las comillas: un valor con comas o saltos de línea va entre comillas dobles")
            return
        end = reader.line_num
        if any(v.strip() for v in record):
            yield start, record


def _owner(name: str, spec: ConsultationSchema, columns: dict) -> tuple[str, str | None] | None:
    """The schema column a header names, and the choice when it is one of an export's split columns
    (`temas/agua`, 1 or 0); None when it names none."""
    if name in columns:
        return name, None
    parts = name.split("/")
    for group in spec.groups:  # ODK Central writes a group path with '-'
        if name.startswith(group + "-") and name[len(group) + 1:] in columns:
            return name[len(group) + 1:], None
    if len(parts) > 1 and parts[-1] in columns:
        return parts[-1], None
    if len(parts) > 1 and parts[-2] in columns and columns[parts[-2]].type == "list":
        return parts[-2], parts[-1]
    return None


def _ignored(name: str, spec: ConsultationSchema) -> bool:
    """A metadata column of KoboToolbox or ODK, or a note or section of our own XLSForm."""
    last = name.split("/")[-1]
    return (name in Q.METADATA or last in Q.METADATA or name.startswith("_") or last.startswith("_")
            or name.startswith(("meta/", "meta-")) or last in Q.form_only_names(spec))


def _map_header(path: Path, spec: ConsultationSchema, header: list[str], errors: Collector) -> tuple:
    """Where each schema column is in the file: ({column: index}, {column: {choice: index}} for split
    choices, the submission id's index or None, the metadata columns left out), and whether the header is
    right (its problems reported; the rows are still checked, so that every problem is said at once)."""
    columns = {c.name: c for c in spec.columns}
    where: dict[str, int] = {}
    split: dict[str, dict[str, int]] = {}
    ident, ignored, ok = None, [], True
    for j, name in enumerate(header):
        owner = _owner(name, spec, columns)
        if owner is None and name in Q.ID_COLUMNS and ident is None:
            ident = j
        if owner is None:
            if _ignored(name, spec) or not name:
                ignored.append(name)
                continue
            errors.add(path, 1, j + 1, f"columna {letter(j)} «{name}»: no es una pregunta del cuestionario"
                       f"{_es(suggest(name.split('/')[-1], columns))}",
                       f"las columnas son las de schema.yml: {', '.join(columns)}; quite esta o corrija su nombre")
            ok = False
        elif owner[1] is not None:
            split.setdefault(owner[0], {})[owner[1]] = j
        elif owner[0] in where:
            errors.add(path, 1, j + 1, f"columna {letter(j)} «{name}»: la pregunta «{owner[0]}» ya está en la "
                       f"columna {letter(where[owner[0]])}", "deje una sola columna por pregunta")
            ok = False
        else:
            where[owner[0]] = j
    for col in spec.columns:
        if col.required and col.name not in where and col.name not in split and col.role != "answer_channel":
            errors.add(path, 1, 1, f"falta la columna «{col.name}», una pregunta obligatoria",
                       "exporte todas las preguntas del formulario, o use la plantilla de captura")
            ok = False
            where[col.name] = -1  # reported once here, not on every row
    return (where, split, ident, ignored), ok


def _es(hint: str) -> str:
    """suggest()'s English hint said in Spanish."""
    return hint.replace(" (¿quiso decir '", " (¿quiso decir «").replace(" (did you mean '", " (¿quiso decir «").replace("'?)", "»?)")


def _read_answers(path: Path, spec: ConsultationSchema, header: list[str], records: list, channel: str | None,
                  errors: Collector) -> Imported | None:
    (where, split, ident, ignored), _ = _map_header(path, spec, header, errors)
    told = next((c for c in spec.columns if c.role == "answer_channel"), None)
    if told is not None and channel is None and told.name not in where:
        errors.add(path, 1, 1, "el archivo no dice por qué canal llegaron las respuestas",
                   f"importe con --channel ({' | '.join(told.values or {})})")
        channel = ""  # said once here, not on every row
    out = Imported("answers", ignored=ignored)
    before = len(errors.errors)
    for line, record in records:
        if len(record) != len(header):
            errors.add(path, line, 1, f"fila {line}: tiene {len(record)} valores y el encabezado {len(header)} columnas",
                       "cada fila lleva un valor por columna; ponga entre comillas los valores con comas")
            continue
        row = _answer_row(path, spec, line, record, where, split, errors)
        if row is None:
            continue
        _complete(path, spec, line, row, record[ident] if ident is not None else "", channel, errors)
        out.rows.append(row)
        out.lines.append(line)
    if not records:
        errors.add(path, 2, 1, "el archivo tiene encabezados pero ninguna respuesta", "revise que sea la exportación")
    return out if len(errors.errors) == before and records else None


def _answer_row(path: Path, spec: ConsultationSchema, line: int, record: list[str], where: dict, split: dict,
                errors: Collector) -> dict | None:
    """One record as {column: value}: each cell checked; personal columns are not kept."""
    row: dict[str, Any] = {}
    ok = True
    for col in spec.columns:
        if col.personal:
            continue  # read past, never kept: nothing personal goes into guide/
        if where.get(col.name) == -1:
            value = _BAD  # a missing column, said once
        elif col.role == "answer_channel" and (col.name not in where or not record[where[col.name]].strip()):
            value = None  # said by --channel (_complete)
        elif col.name in where:
            j = where[col.name]
            value = _cell(col, record[j], spec, path, line, j, errors)
        elif col.name in split:
            value = [key for key, j in split[col.name].items() if record[j].strip() in ("1", "1.0", "True", "true")]
            value = value if value or not col.required else _missing(col, path, line, errors)
        else:
            value = None
        ok = ok and value is not _BAD
        row[col.name] = value
    return row if ok else None


def _missing(col: ColumnSpec, path: Path, line: int, errors: Collector) -> Any:
    errors.add(path, line, 1, f"fila {line}: la pregunta «{col.name}» no tiene respuesta y es obligatoria",
               "marque al menos una opción")
    return _BAD


def _complete(path: Path, spec: ConsultationSchema, line: int, row: dict, ident: str, channel: str | None,
              errors: Collector) -> None:
    """Fill what the file need not say: the channel (--channel) and the folio (the submission's own id)."""
    for col in spec.columns:
        if col.role == "answer_channel" and row.get(col.name) is None:
            if channel is None:  # "" when the whole file lacks it (said once)
                errors.add(path, line, 1, f"fila {line}: no dice por qué canal llegó la respuesta",
                           f"importe con --channel ({' | '.join(col.values or {})}), o llene la columna «{col.name}»")
            row[col.name] = channel
        if col.role == "folio" and not row.get(col.name):
            row[col.name] = ident.strip().removeprefix("uuid:") or None
            if row[col.name] is None:
                errors.add(path, line, 1, f"fila {line}: no tiene folio",
                           "escriba en la columna «folio» el número del recuadro «Folio» del cuestionario en papel")


def _cell(col: ColumnSpec, raw: str, spec: ConsultationSchema, path: Path, line: int, j: int,
          errors: Collector) -> Any:
    """One cell checked against its column; _BAD after reporting why."""
    value = raw.strip()
    where = f"fila {line}, columna {letter(j)} «{col.name}»"

    def bad(message: str, fix: str) -> Any:
        errors.add(path, line, j + 1, f"{where}: {message}", fix)
        return _BAD

    if not value:
        return bad("está vacía y es obligatoria", "escriba la respuesta; si falta en el papel, "
                   "deje fuera esa hoja y anótelo") if col.required else ([] if col.type == "list" else None)
    if col.type == "date":
        date = _date(value)
        return date if date else bad(f"«{value[:40]}» no es una fecha", "escriba la fecha como AAAA-MM-DD "
                                     "(2026-03-15) o DD/MM/AAAA (15/03/2026)")
    if col.type == "bool":
        if value.lower() in TRUE | {Q.YES}:
            return True
        if value.lower() in FALSE | {Q.NO}:
            return False
        return bad(f"«{value[:40]}» no es sí ni no", "escriba «sí» o «no»")
    if col.type in ("enum", "list"):
        return _choice(col, value, bad)
    text = clean_untrusted(value)
    if len(text) > col.max_length:
        return bad(f"tiene {len(text)} caracteres, más de los {col.max_length} permitidos", "acórtelo")
    return text


def _date(value: str) -> dt.date | None:
    """A date written as 2026-03-15 (also an export's 2026-03-15T10:20:00…) or 15/03/2026."""
    try:
        m = DAY_FIRST.fullmatch(value)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", value):
            return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return None


def _choice(col: ColumnSpec, value: str, bad) -> Any:
    """An enum value, or a list's values (separated by spaces as ODK writes them, or by ';'): ids, or
    their labels as the paper form prints them."""
    allowed = col.values or {}
    by_label = {text.casefold(): key for key, text in allowed.items()}
    items = [value] if col.type == "enum" else [v for v in SPLIT.split(value) if v]
    if col.type == "list" and any(v not in allowed for v in items) and ";" in value:
        items = [v.strip() for v in value.split(";") if v.strip()]  # labels with spaces: "Portal web;Radio"
    out: list[str] = []
    for item in items:
        key = item if item in allowed else by_label.get(item.casefold())
        if key is None:
            listed = ", ".join(allowed) if len(allowed) <= 12 else f"{', '.join(list(allowed)[:3])}… " \
                f"({len(allowed)} opciones, en schema.yml)"
            return bad(f"«{item[:40]}» no es una opción de esta pregunta{_es(suggest(item, allowed))}",
                       f"use una de: {listed}")
        if key not in out:
            out.append(key)
    return out if col.type == "list" else out[0]


def _read_tallies(path: Path, spec: ConsultationSchema, header: list[str], records: list, channel: str | None,
                  errors: Collector) -> Imported | None:
    """The totals of tally sheets: one row per question and option (and one for the people counted);
    an empty date, municipality or folio is the one of the row above."""
    missing = [name for name in Q.TALLY_HEADER if name not in header]
    if missing:
        errors.add(path, 1, 1, f"faltan las columnas {', '.join(missing)} de la plantilla de conteo",
                   f"use la plantilla de conteo: {','.join(Q.TALLY_HEADER)}")
        return None
    if channel is None:
        errors.add(path, 1, 1, "un archivo de conteo necesita saber por qué canal se contó",
                   "importe con --channel (por ejemplo --channel asamblea)")
        return None
    at = {name: header.index(name) for name in Q.TALLY_HEADER}
    out, above, before = Imported("tallies"), {}, len(errors.errors)
    for line, record in records:
        if len(record) != len(header):
            errors.add(path, line, 1, f"fila {line}: tiene {len(record)} valores y el encabezado {len(header)} columnas",
                       "cada fila lleva un valor por columna")
            continue
        row = _tally_row(path, spec, line, record, at, above, errors)
        if row is not None and row["total"]:
            out.rows.append(dict(row, canal=channel))
            out.lines.append(line)
    if len(errors.errors) == before:
        _check_sheets(path, out, errors)
    return out if len(errors.errors) == before and out.rows else _no_totals(path, out, errors, before)


def _no_totals(path: Path, out: Imported, errors: Collector, before: int) -> None:
    if len(errors.errors) == before and not out.rows:
        errors.add(path, 2, 1, "el archivo de conteo no tiene ningún total", "escriba los totales de la hoja de conteo")
    return None


def _tally_row(path: Path, spec: ConsultationSchema, line: int, record: list[str], at: dict, above: dict,
               errors: Collector) -> dict | None:
    values = {name: record[j].strip() for name, j in at.items()}
    for name in ("fecha", "municipio", "folio"):
        values[name] = values[name] or above.get(name, "")
        above[name] = values[name]
    municipality = next((c for c in spec.columns if c.role == "municipality"), None)
    counted = {c.name: c for c in Q.counted(spec)}

    before = len(errors.errors)

    def bad(name: str, message: str, fix: str) -> None:
        errors.add(path, line, at[name] + 1, f"fila {line}, columna {letter(at[name])} «{name}»: {message}", fix)

    date = _date(values["fecha"])
    if date is None:
        bad("fecha", f"«{values['fecha'][:40]}» no es una fecha", "escriba la fecha del día contado: 2026-03-15")
    if municipality is not None and values["municipio"] not in (municipality.values or {}):
        bad("municipio", f"«{values['municipio'][:40]}» no es un municipio del cuestionario"
            f"{_es(suggest(values['municipio'], municipality.values or {}))}", "use el id de schema.yml")
    question, option = values["pregunta"], values["opcion"]
    if question != Q.PEOPLE and question not in counted:
        bad("pregunta", f"«{question[:40]}» no es una pregunta de la hoja de conteo{_es(suggest(question, counted))}",
            f"use «{Q.PEOPLE}» o una de: {', '.join(counted)}")
    elif question != Q.PEOPLE and option not in dict(Q.choices(counted[question])):
        bad("opcion", f"«{option[:40]}» no es una opción de «{question}»", f"use una de: "
            f"{', '.join(k for k, _ in Q.choices(counted[question]))}")
    total = values["total"] or "0"
    if not total.isdigit():
        bad("total", f"«{total[:20]}» no es un número entero", "escriba el total de rayas de la fila: 0, 1, 2…")
    if len(errors.errors) > before:
        return None
    return {"fecha": date, "municipio": values["municipio"], "folio": values["folio"], "pregunta": question,
            "opcion": "" if question == Q.PEOPLE else option, "total": int(total)}


def _check_sheets(path: Path, out: Imported, errors: Collector) -> None:
    """Each tally sheet (date, municipality, folio) says how many people answered."""
    sheets = {}
    for row, line in zip(out.rows, out.lines):
        sheets.setdefault((row["fecha"], row["municipio"], row["folio"]), []).append((row, line))
    for (date, place, folio), rows in sheets.items():
        if not any(r["pregunta"] == Q.PEOPLE for r, _ in rows):
            errors.add(path, rows[0][1], 1, f"la hoja del {date} en «{place}» (folio «{folio}») no dice cuántas "
                       "personas respondieron", f"escriba el total de la fila «{Q.PEOPLE}»")


# ---------------------------------------------------------------- merging into guide/data/consultation/

STORED_TALLY = ["fecha", "municipio", "canal", "folio", "pregunta", "opcion", "total"]


@dataclass
class Merged:
    """What an import adds to a file of guide/data/consultation/: its new text (None: nothing new)."""

    path: Path
    text: str | None
    added: int
    already: int


def cell_text(col: ColumnSpec, value: Any, spec: ConsultationSchema) -> str:
    """A parsed value as answers.csv writes it."""
    if value is None or col.personal:
        return ""
    if col.type == "list":
        return spec.list_separator.join(value)
    if col.type == "bool":
        return "sí" if value else "no"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def merge(folder: Path, spec: ConsultationSchema, imported: Imported, source: Path, errors: Collector) -> Merged:
    """The answers (or tallies) file with the imported rows added: a row already there (same folio, or the
    same answers in the same place of a file without folios) is not added twice."""
    if imported.kind == "tallies":
        header, key = STORED_TALLY, lambda r: tuple(r[n] for n in STORED_TALLY[:-1])
        target = folder / spec.tallies
        rows = [[str(r[n]) if not isinstance(r[n], dt.date) else r[n].isoformat() for n in STORED_TALLY]
                for r in imported.rows]
    else:
        header, target = [c.name for c in spec.columns], folder / spec.file
        rows = [[cell_text(c, r.get(c.name), spec) for c in spec.columns] for r in imported.rows]
        folio = next((i for i, c in enumerate(spec.columns) if c.role == "folio"), None)
        key = (lambda r: r[header[folio]]) if folio is not None else None
    existing = _existing(target, spec, header, errors)
    if existing is None:
        return Merged(target, None, 0, 0)
    new, already = _new_rows(header, rows, imported.lines, existing, key, source, errors)
    if not new:
        return Merged(target, None, 0, already)
    text = target.read_text(encoding="utf-8-sig") if target.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    out = _csv_text(([] if text else [header]) + new, spec.delimiter)
    return Merged(target, text + out, len(new), already)


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _existing(target: Path, spec: ConsultationSchema, header: list[str], errors: Collector) -> list[dict] | None:
    """The rows already stored (as text), or None when the file cannot be read or has other columns."""
    if not target.exists():
        return []
    text = read_text(target, errors, "el archivo de respuestas")
    if text is None:
        return None
    reader = csv.DictReader(text.splitlines(), delimiter=spec.delimiter)
    if [h.strip() for h in (reader.fieldnames or [])] != header:
        errors.add(target, 1, 1, "sus columnas no son las de schema.yml",
                   f"la primera fila debe ser: {spec.delimiter.join(header)}; corríjala antes de importar")
        return None
    return [dict(r) for r in reader]


def _new_rows(header: list[str], rows: list[list[str]], lines: list[int], existing: list[dict], key, source: Path,
              errors: Collector) -> tuple[list[list[str]], int]:
    """The rows not stored yet, and how many were. Without a key (no folio column) a row is one already
    stored when as many identical rows are stored as this file has up to it."""
    stored: dict = {}
    for r in existing:
        ident = key(r) if key else tuple(r.get(h, "") for h in header)
        stored.setdefault(ident, []).append(r)
    seen: dict = {}
    new, already = [], 0
    for i, (values, line) in enumerate(zip(rows, lines)):
        row = dict(zip(header, values))
        ident = key(row) if key else tuple(values)
        twins = stored.get(ident, []) + ([seen[ident]] if key and ident in seen else [])
        seen.setdefault(ident, row)
        count = sum(1 for v in rows[:i + 1] if v == values) if not key else 0
        if key and any(_differs(t, row) for t in twins):
            name = ident if isinstance(ident, str) else " / ".join(str(x) for x in ident if x)
            errors.add(source, line, 1, f"fila {line}: «{name}» ya está importado (o aparece antes en este "
                       "archivo) con otros valores", "revise el folio: cada cuestionario y cada hoja de conteo "
                       "lleva uno distinto")
        elif (key and twins) or (not key and count <= len(twins)):
            already += 1
        else:
            new.append(values)
    return new, already


def _differs(stored: dict, row: dict) -> bool:
    return any((stored.get(k) or "").strip() != (v or "").strip() for k, v in row.items())


def read_stored_tallies(path: Path, spec: ConsultationSchema, errors: Collector) -> list[dict] | None:
    """guide/data/consultation/conteos.csv, as `consulta import` writes it: every row checked again."""
    text = read_text(path, errors, "tally totals")
    if text is None:
        return None
    records = list(_records(text.split("\n"), spec.delimiter, path, errors))
    header = [h.strip() for h in records[0][1]] if records else []
    if header != STORED_TALLY:
        errors.add(path, 1, 1, "the tally totals file does not have the columns 'guidebuilder consulta import' "
                   f"writes: {','.join(STORED_TALLY)}", "import the tally sheets again with 'guidebuilder consulta "
                   "import'; do not edit this file by hand")
        return None
    at = {name: header.index(name) for name in Q.TALLY_HEADER}
    channels = next((c.values or {} for c in spec.columns if c.role == "answer_channel"), {})
    rows, above, before = [], {}, len(errors.errors)
    for line, record in records[1:]:
        if len(record) != len(header):
            errors.add(path, line, 1, f"this row has {len(record)} values, the header has {len(header)}", "")
            continue
        row = _tally_row(path, spec, line, record, at, above, errors)
        channel = record[header.index("canal")].strip()
        if channels and channel not in channels:
            errors.add(path, line, header.index("canal") + 1, f"channel '{channel}' is not a value of the answer "
                       f"channel column{suggest(channel, channels)}", f"use one of: {', '.join(channels)}")
        elif row is not None:
            rows.append(dict(row, canal=channel))
    return rows if len(errors.errors) == before else None
