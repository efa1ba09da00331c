"""Consultation answers and the adoption register: load, validate and aggregate.

The consultation lives in guide/data/consultation/: `schema.yml` declares each column of the
answers file (type, allowed values, whether it is required or personal, and its role in the
aggregates); `answers.csv` holds one row per answer. Personal columns are validated and then
dropped inside this module: the Guide only ever holds aggregates and the comments that are
marked publishable and pass the personal-data guard (privacy.find_personal_data).
The pandoc blocks that show them are made in transforms.consultation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from guidebuilder.core.personal_data import contains_any, find_personal_data
from guidebuilder.model.schema import Id, Model, Text

FOLDER = "consultation"
ILLUSTRATIVE_NOTICE = "Datos ilustrativos, no son resultados reales."
ROLES = ("date", "municipality", "age_group", "answer_channel", "topics", "preferred_channels", "comment",
         "publishable", "folio")
ROLE_TYPES = {"date": {"date"}, "municipality": {"enum"}, "age_group": {"enum"}, "answer_channel": {"enum"},
              "topics": {"list", "enum"}, "preferred_channels": {"list", "enum"}, "comment": {"text"},
              "publishable": {"bool"}, "folio": {"text"}}
ROLE_HEADINGS = {"date": "Fecha", "municipality": "Municipio", "age_group": "Grupo de edad",
                 "answer_channel": "Canal de respuesta", "topics": "Temas prioritarios",
                 "preferred_channels": "Canales preferidos", "comment": "Comentario", "publishable": "Publicable",
                 "folio": "Folio"}
TRUE = {"si", "sí", "yes", "true", "1", "x"}
FALSE = {"no", "false", "0", ""}


# ---------------------------------------------------------------- the schema file

class ColumnSpec(Model):
    """One column of answers.csv."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    type: Literal["date", "enum", "list", "text", "bool"]
    label: Text | None = None  # the column's heading in the guide
    question: Text | None = None  # the question as it is asked (shown while there are no results)
    required: bool = False
    personal: bool = False  # validated, then dropped: never reaches the Guide
    role: Literal["date", "municipality", "age_group", "answer_channel", "topics", "preferred_channels",
                  "comment", "publishable", "folio"] | None = None
    values: dict[Id, Text] | None = None  # enum and list: allowed ids, each with the label shown
    non_digital: list[Id] = []  # values that are non-digital channels (for the preferred channels)
    max_length: int = Field(default=2000, ge=1, le=20000)
    hint: Text | None = None  # a help line under the question (questionnaire, XLSForm `hint`)
    group: Id | None = None  # the questionnaire's section (a key of `groups:`): an XLSForm group
    ask: bool = True  # False: not asked on the questionnaire (the answer channel, set when answers are imported)


class ConsultationSchema(Model):
    """guide/data/consultation/schema.yml."""

    title: Text
    description: Text | None = None
    illustrative: bool = False  # sample data: every table and chart says so
    file: Annotated[str, Field(pattern=r"^[\w.-]+\.csv$")] = "answers.csv"
    delimiter: Literal[",", ";", "\t"] = ","
    list_separator: Literal[";", "|", ","] = ";"
    columns: list[ColumnSpec] = Field(min_length=1)
    # The questionnaire (build/consulta/: XLSForm, paper forms, tally sheet, data-entry templates)
    form_id: Id | None = None  # the XLSForm's form_id (default: <guide slug>-consulta)
    version: dt.date | None = None  # the questionnaire's version, printed on every sheet (default: the guide's date)
    consent: Text | None = None  # read or shown before the first question
    privacy_notice: Text | None = None  # what happens with the personal data
    groups: dict[Id, Text] = {}  # section id -> its title (columns name theirs with `group:`)
    tallies: Annotated[str, Field(pattern=r"^[\w.-]+\.csv$")] = "conteos.csv"  # tally sheet totals, if any


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire, as the guide shows it while there are no results."""

    role: str
    text: str  # the question as asked (schema.yml `question:`), else the column's label
    type: str  # enum, list, text or bool
    choices: tuple = ()  # the labels of the allowed answers (enum and list)
    required: bool = False


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
    file: str | None  # the answers file (None: no answers yet)
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
    answered: bool = True  # False: only the questionnaire (schema.yml), no answers file yet
    questions: tuple = ()  # Question: what is asked, in the schema's order (answer channel and date left out)
    answer_channels: tuple = ()  # the labels of the ways to answer (the answer_channel column's values)
    personal: tuple = ()  # (label, required) of each personal column: asked, never published
    schema: ConsultationSchema | None = None  # the questionnaire itself (no answer in it): build/consulta/
    places: tuple = ()  # municipality ids the answers come from (and where tally sheets were kept), schema order
    by_channel: tuple = ()  # (answer channel id, people) over answers and tally sheets, schema order
    tallied: int = 0  # people counted on tally sheets (not individual answers: no crossing, no comment)
    tally_sheets: int = 0


# ---------------------------------------------------------------- loading the consultation

def questionnaire(spec: ConsultationSchema) -> tuple[tuple, tuple, tuple]:
    """(questions, ways to answer, personal columns) as the schema declares them: what the guide shows
    of a consultation whose results do not exist yet."""
    questions = tuple(
        Question(c.role, c.question or c.label or ROLE_HEADINGS[c.role], c.type, tuple((c.values or {}).values()),
                 c.required)
        for c in spec.columns if c.role and c.role not in ("date", "answer_channel", "folio") and not c.personal)
    ways = next((tuple((c.values or {}).values()) for c in spec.columns if c.role == "answer_channel"), ())
    personal = tuple((c.question or c.label or c.name, c.required) for c in spec.columns if c.personal)
    return questions, ways, personal


def aggregate(spec: ConsultationSchema, rows: list[dict], file: str | None, answered: bool = True) -> Consultation:
    by_role = {c.role: c for c in spec.columns if c.role}
    personal = [c.name for c in spec.columns if c.personal]  # `answered` False: the questionnaire alone
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
        comments_publishable=publishable, comments_withheld=withheld, answered=answered, schema=spec,
        **dict(zip(("questions", "answer_channels", "personal"), questionnaire(spec))))


def add_tallies(c: Consultation, spec: ConsultationSchema, tallies: list[dict]) -> Consultation:
    """The consultation with the tally sheets' totals added: the people counted, by channel and place, and
    the mentions of each option added to the counts of its question (not to the crossed views, which need
    each person's answers). `tallies` are rows of conteos.csv (fecha, municipio, canal, folio, pregunta,
    opcion, total); without them only the places and channels of the answers are said."""
    by_role = {col.name: col.role for col in spec.columns if col.role}
    people = [t for t in tallies if t["pregunta"] == "personas"]
    sheets = {(t["fecha"], t["municipio"], t["folio"]) for t in people}
    counts = {role: dict(pairs) for role, pairs in c.counts.items()}
    for t in tallies:
        role = by_role.get(t["pregunta"])
        if role in counts and t["opcion"] in counts[role]:
            counts[role][t["opcion"]] += t["total"]
    channels = dict(counts.get("answer_channel", {}))
    for t in people:
        if t["canal"] in channels:
            channels[t["canal"]] += t["total"]
    answered_in = {k for k, n in c.counts.get("municipality", ()) if n} | {t["municipio"] for t in people}
    dates = [d for d in (c.first_date, c.last_date) if d] + [t["fecha"] for t in people]
    return dataclasses.replace(
        c, counts={role: tuple(pairs.items()) for role, pairs in counts.items()},
        answered=c.answered or bool(people), tallied=sum(t["total"] for t in people), tally_sheets=len(sheets),
        places=tuple(k for k in c.labels.get("municipality", {}) if k in answered_in),
        by_channel=tuple(channels.items()), first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None)


# ---------------------------------------------------------------- loading the adoption register
