"""The round files, guide/feedback/<round>.yml: their schema, reading them, merging new items in.

Merging keeps what editors wrote (status, response, their YAML comments): new items are appended
to the ruamel tree, and an item whose id is already in any round is not added again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from guidebuilder.load.sources import list_files
from guidebuilder.load.yamlio import dump_yaml, load_yaml, parse_yaml, plain, position
from guidebuilder.model.errors import Collector
from guidebuilder.load.validate import validate
from guidebuilder.model.schema import Model

KINDS = ("comment", "reply", "insertion", "deletion")
STATUSES = ("open", "accepted", "rejected", "done")
ROUND_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ORDER = ("id", "round", "kind", "status", "response", "chapter", "heading", "heading_title", "anchor",
         "paragraph", "in_table", "author", "date", "text", "reply_to", "in_reply_to", "unplaced", "source")
HEADER = """Comentarios de revisión importados con `guidebuilder feedback import`.
Para cada uno, el equipo editorial cambia `status` (open, accepted, rejected o done) y escribe su
respuesta en `response`. No cambie `id`: gracias a él, volver a importar un archivo no duplica nada.
Este archivo contiene nombres de revisores: no lo publique."""


class FeedbackItem(Model):
    id: str = Field(pattern=r"^fb-[0-9a-f]{12}$")
    round: str
    kind: Literal["comment", "reply", "insertion", "deletion"]
    status: Literal["open", "accepted", "rejected", "done"]
    response: str = ""
    chapter: str | None = None
    heading: str | None = None
    heading_title: str | None = None
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


def load_round(path: Path, errors: Collector):
    """The ruamel tree of a feedback file and its validated model, or (None, None) after reporting."""
    tree = load_yaml(path, errors, "feedback file")
    if tree is None:
        return None, None
    if not isinstance(tree, dict):
        errors.add(path, 1, 1, "a feedback file must be a mapping with 'round:' and 'items:'",
                   "restore it from version control or delete it and import the DOCX again")
        return None, None
    model = validate(FeedbackFile, plain(tree), tree, path, errors)
    if model is not None:
        seen: dict[str, int] = {}
        for i, item in enumerate(model.items):
            if item.id in seen:
                line, col = position(tree, ("items", i))
                errors.add(path, line, col, f"feedback item '{item.id}' appears twice",
                           "delete one of the two entries")
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


def merge(tree: CommentedMap, items: list[dict], known: set[str]) -> list[dict]:
    """Append to the round's tree the items whose id is not known (nor repeated); return them."""
    if tree.get("items") is None:
        tree["items"] = CommentedSeq()
    known = known | {str(entry.get("id")) for entry in tree["items"]}
    added = [item for item in items if item["id"] not in known]
    seen: set[str] = set()
    added = [i for i in added if not (i["id"] in seen or seen.add(i["id"]))]
    for item in added:
        tree["items"].append(yaml_item(item))
    return added


def dump_round(tree: CommentedMap, path: Path, root: Path) -> str:
    """The round's YAML text, checked to load and validate again (GuideError otherwise)."""
    text = dump_yaml(tree)
    check = Collector(root=root)
    validate(FeedbackFile, plain(parse_yaml(text, path, check)), None, path, check)
    check.raise_if_errors()
    return text


# ---------------------------------------------------------------- reading every round

def load_all(guide_dir: Path) -> list:
    """Every item of every guide/feedback/*.yml, validated (GuideError with file:line otherwise)."""
    folder = feedback_dir(Path(guide_dir))
    errors = Collector(root=Path(guide_dir).resolve())
    items = []
    for path in list_files(folder, "*.yml"):
        _, model = load_round(path, errors)
        if model is not None:
            items.extend(model.items)
    errors.raise_if_errors()
    return items


def chapter_order(guide_dir: Path) -> list[str]:
    """Chapter files in reading order, from guide.yml (no full load: the report works on a broken guide)."""
    errors = Collector(root=Path(guide_dir).resolve())
    tree = load_yaml(Path(guide_dir) / "guide.yml", errors, "guide.yml")
    chapters = plain(tree).get("chapters", []) if isinstance(tree, dict) else []
    name = Path(guide_dir).resolve().name
    return [f"{name}/chapters/{c}" for c in chapters if isinstance(c, str)]
