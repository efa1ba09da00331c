"""The declarative schema of every YAML file in a guide (pydantic models: unknown keys are errors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from guidebuilder.model.errors import Collector, suggest
from guidebuilder.load.yamlio import key_position, position

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=20000)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"']+$", max_length=2000)]
Verification = Literal["verificada", "parcial", "no-verificada"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Source(Model):
    """Where a fact comes from."""

    title: Text
    url: Url | None = None
    publisher: Text | None = None
    date: Text | None = None


# ---------------------------------------------------------------- guide.yml

class ReviewConfig(Model):
    deadline: dt.date
    contact_name: Text
    contact_email: Text
    contact_phone: Text | None = None
    instructions: Text | None = None


class PrivacyConfig(Model):
    allow: list[Text] = []


class HtmlConfig(Model):
    base_url: Url | None = None


class PdfConfig(Model):
    page_size: Literal["letter", "a4"] = "letter"
    large_print: bool = True


class DocxConfig(Model):
    review: bool = True


class LeafletConfig(Model):
    sizes: list[Literal["letter", "a4"]] = ["letter"]
    entities: Literal["all", "none"] | list[Id] = "none"


class ReportConfig(Model):
    gap_months: int = 6


class FormatsConfig(Model):
    html: HtmlConfig = HtmlConfig()
    pdf: PdfConfig = PdfConfig()
    docx: DocxConfig = DocxConfig()
    leaflet: LeafletConfig = LeafletConfig()
    report: ReportConfig = ReportConfig()


class GuideConfig(Model):
    """guide/guide.yml: who publishes the guide and what it is made of."""

    title: Text
    subtitle: Text | None = None
    slug: Id
    edition: Text
    language: Literal["es-MX"] = "es-MX"
    date: dt.date
    publisher: Text
    institutions: list[Text] = []
    authors: list[Text] = []
    licence: Text
    licence_url: Url | None = None
    url: Url | None = None
    cite_as: Text | None = None
    chapters: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1)
    review: ReviewConfig | None = None
    privacy: PrivacyConfig = PrivacyConfig()
    formats: FormatsConfig = FormatsConfig()


class ChapterFrontMatter(Model):
    """Optional front matter at the top of a chapter."""

    id: Id | None = None
    title: Text | None = None
    short_title: Text | None = None
    summary: Text | None = None
    appendix: bool = False
    raw_html: bool = False
    public: bool = True


# ---------------------------------------------------------------- data sets

class Channel(Model):
    id: Id
    name: Text
    kind: Literal["digital", "non-digital"]
    summary: Text
    when_to_use: Text
    reach: Text
    cost: Literal["bajo", "medio", "alto"]
    accessibility: Text
    populations: list[Text] = Field(min_length=1)
    sources: list[Source] = []


class Step(Model):
    id: Id
    number: int
    title: Text
    summary: Text
    chapter: Annotated[str, Field(min_length=1)]


class Topic(Model):
    id: Id
    name: Text


class Practice(Model):
    id: Id
    title: Text
    institution: Text
    place: Text
    country: Text
    year: int | Text
    channels: list[Id] = Field(min_length=1)
    steps: list[Id] = Field(min_length=1)
    topics: list[Id] = []
    summary: Text
    sources: list[Source] = []
    verification: Verification
    notes: Text | None = None


class Indicator(Model):
    id: Id
    group: Id
    name: Text
    label: Text
    value: float
    reference_value: float | None = None
    reference_label: Text | None = None
    territory: Text
    scale: Literal["0-1", "0-100"]
    unit: Text | None = None
    year: int
    source: Source
    verification: Verification
    note: Text | None = None


class Contact(Model):
    address: Text
    hours: Text
    phone: Text
    bulletin_board: Text
    email: Text | None = None
    web: Url | None = None


class Entity(Model):
    id: Id
    name: Text
    kind: Literal["institution", "municipality"]
    fictional: bool = False
    contact: Contact | None = None


class Term(Model):
    term: Text
    definition: Text
    source: Source | None = None


class Reference(Model):
    id: Id
    title: Text
    publisher: Text | None = None
    year: int | Text | None = None
    url: Url | None = None


class Declaration(Model):
    """An entity's voluntary declaration that it will implement the guide."""

    date: dt.date
    document: Text  # the document's title (oficio, acuerdo, acta…)
    url: Url | None = None  # where it is published
    place: Text | None = None  # or where it can be consulted on paper


class Exercise(Model):
    """A proactive transparency exercise an entity published after its declaration."""

    title: Text
    date: dt.date
    channels: list[Id] = Field(min_length=1)  # ids from channels.yml
    url: Url | None = None
    place: Text | None = None
    need: Text  # the information need it answers
    steps: list[Id] = []  # ids from steps.yml: the method steps it covered


class Adoption(Model):
    """guide/data/adoption.yml: one entry per entity that declared it will implement the guide."""

    entity: Id  # an id from entities.yml
    declaration: Declaration
    exercises: list[Exercise] = []


DATASETS: dict[str, type[Model]] = {
    "channels": Channel,
    "steps": Step,
    "topics": Topic,
    "practices": Practice,
    "indicators": Indicator,
    "entities": Entity,
    "glossary": Term,
    "references": Reference,
}

# ---------------------------------------------------------------- turning pydantic errors into ours

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
