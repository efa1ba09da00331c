"""The one data object every stage passes along: a validated, immutable Guide."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from guidebuilder.core.placeholders import placeholder_url
from guidebuilder.model.errors import Diagnostic
from guidebuilder.model.schema import (Adoption, Channel, Entity, GuideConfig, Indicator, Practice, Reference, Step,
                                       Term, Topic)

Block = dict  # a pandoc JSON block ({"t": …, "c": …}); frozen by convention
Directive = Any  # a data block found in the Markdown: load.directives.Directive (the loader sits above the model)
Consultation = Any  # the consultation's questions and answers: participation.consultation.Consultation


@dataclass(frozen=True)
class Where:
    """A place in a source file, for messages and for tracing output back to its source."""

    file: str
    line: int = 0


@dataclass(frozen=True)
class Chapter:
    """One chapter: its metadata, its Markdown and the pandoc AST blocks made from it."""

    id: str
    file: str  # path relative to the guide folder's parent, e.g. guide/chapters/intro.md
    path: Path
    index: int
    title: str
    short_title: str
    summary: str | None
    appendix: bool
    public: bool
    raw_html: bool
    markdown: str  # the body, front matter removed
    body_line: int  # line in the file where the body starts (1-based)
    blocks: tuple[Block, ...] = ()  # pandoc JSON blocks, frozen by convention: transforms replace, never mutate
    directives: tuple[Directive, ...] = ()  # the data blocks found in the Markdown

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class DataSets:
    """The validated data sets, each a tuple of schema models, with where each item came from."""

    channels: tuple[Channel, ...] = ()
    steps: tuple[Step, ...] = ()
    topics: tuple[Topic, ...] = ()
    practices: tuple[Practice, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    entities: tuple[Entity, ...] = ()
    glossary: tuple[Term, ...] = ()
    references: tuple[Reference, ...] = ()
    consultation: Consultation | None = None
    adoption: tuple[Adoption, ...] = ()
    where: dict[tuple[str, str], Where] = field(default_factory=dict)  # (dataset, id) -> Where
    failed: frozenset[str] = frozenset()  # data sets that had errors (their ids are not checked again)

    def by_id(self, dataset: str) -> dict[str, Any]:
        return {item.id: item for item in getattr(self, dataset) if hasattr(item, "id")}


@dataclass(frozen=True)
class Leaflet:
    """The leaflet's text: one Markdown panel per role, converted to pandoc blocks."""

    title: str
    panels: dict[str, tuple[Block, ...]]  # role -> its pandoc blocks
    files: dict[str, str]  # role -> source file (relative)
    directives: dict[str, tuple[Directive, ...]] = field(default_factory=dict)  # role -> its data blocks


@dataclass(frozen=True)
class Didactico:
    """guide/didactico/: options, the workshop's slides and the adoption letter (load/didactico.py)."""

    config: Any  # schema.DidacticoConfig
    workshop: tuple[Block, ...] = ()  # taller.md as pandoc blocks; its blocks point at chapters and data
    workshop_file: str = ""
    letter: tuple[Block, ...] = ()  # carta.md as pandoc blocks
    letter_file: str = ""


@dataclass(frozen=True)
class Guide:
    """Everything a renderer needs, and nothing it has to look up on disk except assets."""

    root: Path
    config: GuideConfig
    chapters: tuple[Chapter, ...]
    data: DataSets
    leaflet: Leaflet | None
    asset_dirs: tuple[Path, ...]
    edition: str = "public"  # "public" or "review"
    anchors: dict[str, str] = field(default_factory=dict)  # anchor id -> chapter id, filled by transforms
    local_ids: dict[str, dict[str, str]] = field(default_factory=dict)  # chapter id -> {id as written: id out}
    generated: dict[str, bytes] = field(default_factory=dict)  # path -> bytes made by transforms (charts)
    warnings: tuple[Diagnostic, ...] = ()
    failed_chapters: frozenset[str] = frozenset()  # chapter files that could not be loaded
    feedback: tuple[tuple[str, Any], ...] = ()  # guide/feedback/*.yml: (file name, its plain YAML or None)
    didactico: Didactico | None = None  # guide/didactico/, when the guide has it

    @property
    def slug(self) -> str:
        return self.config.slug

    def asset(self, *parts: str) -> Path | None:
        """Find an asset, the guide's own assets first, then the project's defaults."""
        for folder in self.asset_dirs:
            candidate = folder.joinpath(*parts)
            if candidate.exists():
                return candidate
        return None

    def review_adds(self) -> bool:
        """Whether the review edition holds more than the public one: the unverified practices and
        indicators, which only it shows (the only things the edition changes when preparing)."""
        return any(p.verification == "no-verificada" for p in self.data.practices) or \
            any(i.verification == "no-verificada" for i in self.data.indicators)

    def public_practices(self) -> tuple:
        if self.edition == "review":
            return self.data.practices
        return tuple(p for p in self.data.practices if p.verification != "no-verificada")

    def public_entities(self) -> tuple:
        """The entities the guide's editions may name: fictional ones (example and test data) only in a
        sample build (guide.yml `sample: true`), never in a guide that may be published."""
        if self.config.sample:
            return self.data.entities
        return tuple(e for e in self.data.entities if not e.fictional)

    @property
    def site_url(self) -> str | None:
        """Where the HTML edition is published (guide.yml `url:`), or None while that is missing or a
        placeholder: then no QR code or printed address may point at it (a draft build)."""
        return None if placeholder_url(self.config.url) else self.config.url


def to_jsonable(value: Any) -> Any:
    """Turn the Guide (dataclasses, models, paths, dates) into JSON-ready values for `dump`."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k if not isinstance(k, tuple) else "/".join(k)): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def dump_json(guide: Guide) -> str:
    return json.dumps(to_jsonable(guide), ensure_ascii=False, indent=2, sort_keys=False)
