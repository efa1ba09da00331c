"""The declarative schema of every YAML file in a guide (pydantic models: unknown keys are errors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


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


class Phrases(Model):
    """Phrases of the guide's own that guidebuilder puts into the text it makes (never written in the tool)."""

    keywords: list[Text] = []  # the PDF's keywords, besides the edition
    exercises: Text = "ejercicios"  # what the entities that adopt the guide publish
    population: Text = "la población"  # whom a consultation's answers could describe
    contact: Text = "Acude a la institución que tiene la información que buscas."  # leaflet, no entity


class GuideConfig(Model):
    """guide/guide.yml: who publishes the guide and what it is made of."""

    title: Text
    subtitle: Text | None = None
    slug: Id
    edition: Text
    # a Spanish locale (es, es-MX, es-ES, es-419…): the guide's text, hyphenation and messages follow it
    language: Annotated[str, Field(pattern=r"^es(-[A-Z]{2}|-419)?$")] = "es-MX"
    date: dt.date
    publisher: Text
    institutions: list[Text] = []
    authors: list[Text] = []
    licence: Text
    licence_url: Url | None = None
    url: Url | None = None
    cite_as: Text | None = None
    sample: bool = False  # a sample build of example data: says so on every page; never released
    chapters: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1)
    review: ReviewConfig | None = None
    privacy: PrivacyConfig = PrivacyConfig()
    formats: FormatsConfig = FormatsConfig()
    phrases: Phrases = Phrases()


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
    kind: Literal["digital", "non-digital", "format"]  # format: a way to present information on any channel
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
    audience: Text | None = None  # the population served
    result: Text | None = None    # what it achieved, as its sources say
    cost: Text | None = None      # only when a source gives it
    lesson: Text | None = None    # what another institution can learn from it
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


# ---------------------------------------------------------------- guide/didactico/didactico.yml

class DidacticoConfig(Model):
    """guide/didactico/didactico.yml: what the training slides, poster, social cards and posts take
    from the guide (docs/didactico.md). Every text shown comes from the guide's chapters and data."""

    workshop_title: Text = "Taller de transparencia proactiva"
    workshop_audience: Text | None = None  # e.g. "Para personas servidoras públicas · 2 a 3 horas"
    examples: dict[Id, Id] = {}  # step id -> the practice shown as its example (else the first that fits)
    highlighted: list[Id] = []  # practices that get a social card and a suggested post
    poster: Literal["pasos", "donde-preguntar"] = "pasos"
    post_invitation: Text = "Consulta la guía completa:"
    hashtags: list[Annotated[str, Field(pattern=r"^#\w+$", max_length=60)]] = []
