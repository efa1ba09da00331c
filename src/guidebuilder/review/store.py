"""The round files, guide/feedback/<round>.yml: their schema, reading them, merging new items in.

Merging keeps what editors wrote (status, response, their YAML comments): new items are appended
to the ruamel tree of the round's last file (`fill`), and an item already in any round is not added
again (`Known`).

What is written here is always readable again: every text is cut to `MAX_TEXT_CHARS` with a note
saying so, and a round whose file would pass `PART_BUDGET` (three quarters of the reading limit
for any text file of the guide, `load.sources.MAX_TEXT_BYTES`) goes on in `<round>.2.yml`,
`<round>.3.yml`, …; each file is parsed back and checked against that limit before it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from guidebuilder.load.sources import MAX_TEXT_BYTES, list_files
from guidebuilder.load.yamlio import dump_yaml, load_yaml, plain, position
from guidebuilder.model.errors import Collector, Diagnostic, GuideError
from guidebuilder.model.messages import m
from guidebuilder.load.validate import validate
from guidebuilder.model.schema import Model

KINDS = ("comment", "reply", "insertion", "deletion")
STATUSES = ("open", "accepted", "rejected", "done")
ROUND_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PART_RE = re.compile(r"^(?P<round>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<part>[1-9][0-9]*))?\.yml$")
MAX_TEXT_CHARS = 20_000  # a comment's text (some eight pages); the rest is cut, and the text says so
PART_BUDGET = MAX_TEXT_BYTES * 3 // 4  # a round file is filled up to this, then the round goes on in the next
ORDER = ("id", "round", "kind", "automatic", "status", "response", "chapter", "heading", "heading_title", "place",
         "footnote", "table", "row", "column", "cell", "anchor", "paragraph", "in_table", "author", "date", "text",
         "reply_to", "in_reply_to", "unplaced", "source")
HEADER = """Comentarios de revisión importados con `guidebuilder feedback import`.
Para cada uno, el equipo editorial cambia `status` (open, accepted, rejected o done) y escribe su
respuesta en `response`. No cambie `id`: gracias a él, volver a importar un archivo no duplica nada.
Este archivo contiene nombres de revisores y lo que escribieron: no lo publique ni lo suba a git."""


class FeedbackItem(Model):
    id: str = Field(pattern=r"^fb-[0-9a-f]{12}$")
    round: str
    kind: Literal["comment", "reply", "insertion", "deletion"]
    automatic: bool = False  # a question the review edition asked itself (author guidebuilder), imported for its replies
    status: Literal["open", "accepted", "rejected", "done"]
    response: str = ""
    chapter: str | None = None
    heading: str | None = None
    heading_title: str | None = None
    place: str | None = None  # None in items imported before places were recorded
    footnote: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    cell: str | None = None
    anchor: str = ""
    paragraph: str = ""
    in_table: bool = False
    author: str = ""
    date: str = ""
    text: str = ""
    reply_to: str | None = None
    in_reply_to: str | None = None
    unplaced: str | None = None
    source: str | None = None


class FeedbackFile(Model):
    round: str = Field(pattern=ROUND_RE.pattern)
    items: list[FeedbackItem] = []


def feedback_dir(guide_root: Path) -> Path:
    return Path(guide_root) / "feedback"


def cut_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """text, or its first limit characters and a note saying how many more there were."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n[texto recortado: {len(text) - limit} caracteres más]"


def load_round(path: Path, errors: Collector, cache=None):
    """The ruamel tree of a feedback file and its validated model, or (None, None) after reporting.
    With a cache (the build's), a file parsed already is rebuilt from it, without its YAML comments:
    fine for reading, not for a file to be written back."""
    tree = load_yaml(path, errors, "feedback file", cache)
    if tree is None:
        return None, None
    if not isinstance(tree, dict):
        errors.say(path, 1, 1, "rev.file_shape")
        return None, None
    model = validate(FeedbackFile, plain(tree), tree, path, errors)
    if model is not None:
        seen: dict[str, int] = {}
        for i, item in enumerate(model.items):
            if item.id in seen:
                line, col = position(tree, ("items", i))
                errors.say(path, line, col, "rev.item_twice", id=item.id)
            seen[item.id] = i
    return tree, model


def yaml_item(item: dict) -> CommentedMap:
    """An item as YAML, its keys in a fixed order; text with line breaks as a literal block."""
    out = CommentedMap()
    for key in ORDER:
        if key not in item:
            continue
        value = item[key]
        if isinstance(value, str) and "\n" in value:
            value = LiteralScalarString(value)
        out[key] = value
    return out


def new_round(round_name: str) -> CommentedMap:
    """The tree of a round file not written yet: its name, no items, the header for editors."""
    tree = CommentedMap()
    tree["round"] = round_name
    tree["items"] = CommentedSeq()
    tree.yaml_set_start_comment(HEADER)
    return tree


def dump_round(tree: CommentedMap, path: Path, root: Path) -> str:
    """The round's YAML text, checked to be read back as it is and to be under the reading limit for
    the guide's text files (GuideError otherwise: the tool never writes what it would refuse to read)."""
    from ruamel.yaml import YAML

    text = dump_yaml(tree)
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        message, hint = m("rev.round_big", size=f"{size / 1048576:.1f}", limit=MAX_TEXT_BYTES // 1048576)
        raise GuideError(Diagnostic(file=str(path), message=message, hint=hint))
    check = Collector(root=root)
    data = YAML(typ="safe").load(text)  # the safe loader: no line numbers needed, twice as fast
    validate(FeedbackFile, data, None, path, check)
    if data != plain(tree):
        check.say(path, 1, 1, "rev.read_back")
    check.raise_if_errors()
    return text


def estimate(item: dict) -> int:
    """An upper bound of the bytes an item takes in a round file: its values can at most double
    (quotes doubled, a literal block's lines indented) and each key takes a line of its own."""
    size = 8
    for key in ORDER:
        if key in item:
            value = str(item[key]).encode("utf-8")
            size += len(key) + 10 + 2 * len(value) + 6 * value.count(b"\n")
    return size


# ---------------------------------------------------------------- the files of a round

def part_path(folder: Path, round_name: str, number: int) -> Path:
    return folder / (f"{round_name}.yml" if number == 1 else f"{round_name}.{number}.yml")


def round_parts(folder: Path, round_name: str) -> list[tuple[int, Path]]:
    """The round's files that exist, as (number, path), first to last: <round>.yml, <round>.2.yml, …"""
    parts = []
    for path in list_files(folder, f"{round_name}*.yml"):
        match = PART_RE.match(path.name)
        if match and match.group("round") == round_name:
            parts.append((int(match.group("part") or 1), path))
    return sorted(parts)


@dataclass
class Known:
    """What every round holds already: item ids, and for items written before places were recorded,
    (old id, heading, paragraph), against which `place.legacy_id` of a new item is matched."""

    ids: set = field(default_factory=set)
    legacy: set = field(default_factory=set)

    def has(self, item: dict) -> bool:
        if item["id"] in self.ids:
            return True
        return (item.get("legacy_id"), item.get("heading"), item.get("paragraph")) in self.legacy

    def add(self, item) -> None:
        self.ids.add(item.id)
        if item.place is None:
            self.legacy.add((item.id, item.heading, item.paragraph))


def fill(folder: Path, round_name: str, last: tuple[int, CommentedMap, int] | None,
         items: list[dict]) -> list[tuple[Path, CommentedMap]]:
    """Append items to the round: to its last file while it stays under PART_BUDGET, then to new
    files. last: (number, tree, size in bytes) of the last file, or None. Returns the files changed."""
    number, tree, size = last if last is not None else (1, new_round(round_name), 1024)
    changed: list[tuple[Path, CommentedMap]] = []
    for item in items:
        need = estimate(item)
        if size + need > PART_BUDGET and tree["items"]:
            number, tree, size = number + 1, new_round(round_name), 1024
        if not changed or changed[-1][1] is not tree:
            changed.append((part_path(folder, round_name, number), tree))
        tree["items"].append(yaml_item(item))
        size += need
    return changed


# ---------------------------------------------------------------- reading every round

def load_all(guide_dir: Path) -> list:
    """Every item of every guide/feedback/*.yml, validated (GuideError with file:line otherwise)."""
    return [item for _, _, model in load_rounds(guide_dir) for item in model.items]


def load_rounds(guide_dir: Path, cache=None) -> list[tuple[Path, CommentedMap, FeedbackFile]]:
    """Every guide/feedback/*.yml as (path, ruamel tree, model), validated (GuideError otherwise)."""
    folder = feedback_dir(Path(guide_dir))
    errors = Collector(root=Path(guide_dir).resolve())
    out = []
    for path in sorted(list_files(folder, "*.yml"), key=_file_order):
        tree, model = load_round(path, errors, cache)
        if model is not None:
            out.append((path, tree, model))
    errors.raise_if_errors()
    return out


def _file_order(path: Path) -> tuple:
    """Round files by name, a round's files in their order (<round>.yml, <round>.2.yml, …, <round>.10.yml)."""
    match = PART_RE.match(path.name)
    return (match.group("round"), int(match.group("part") or 1)) if match else (path.name, 0)


def chapter_order(guide_dir: Path) -> list[str]:
    """Chapter files in reading order, from guide.yml (no full load: the report works on a broken guide)."""
    errors = Collector(root=Path(guide_dir).resolve())
    tree = load_yaml(Path(guide_dir) / "guide.yml", errors, "guide.yml")
    chapters = plain(tree).get("chapters", []) if isinstance(tree, dict) else []
    name = Path(guide_dir).resolve().name
    return [f"{name}/chapters/{c}" for c in chapters if isinstance(c, str)]
