"""Import a reviewed DOCX into guide/feedback/<round>.yml: read it, place its items, merge them in.

The caller loads the guide (its review edition) and passes it in: the review room does not run the
build. `read_reviewed` lets the caller read the DOCX first, so that a bad file fails fast, before
the guide is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.core.files import write_text
from guidebuilder.core.personal_data import find_personal_data, normalise
from guidebuilder.model.errors import Diagnostic, GuideError
from guidebuilder.model.messages import m, t
from guidebuilder.render.docx.ooxml import PROP_DATE
from guidebuilder.review.place import check_document, place
from guidebuilder.review.reader import DocxContent, bad_file, read_docx
from guidebuilder.model.errors import Collector
from guidebuilder.review.store import (PART_RE, ROUND_RE, Known, dump_round, feedback_dir, fill, load_round,
                                       load_rounds, round_parts)

PERSONAL_KIND = {"email": "rev.kind.email", "phone": "rev.kind.phone", "curp": "rev.kind.curp", "rfc": "rev.kind.rfc"}


@dataclass
class ImportResult:
    path: Path  # the round's first file
    added: list
    already: int
    unplaced: list
    written: bool
    paths: list = field(default_factory=list)  # the round files written
    warnings: list = field(default_factory=list)  # in Spanish, for the editors: personal data found


def check_round_name(round_name: str | None) -> None:
    """Refuse a round name that cannot be a file name (None: the default name is used)."""
    if round_name is not None and not ROUND_RE.match(round_name):
        message, hint = m("rev.round_name", name=round_name)
        raise GuideError(Diagnostic(file="guidebuilder", message=message, hint=hint))


def read_reviewed(docx: Path, round_name: str | None = None) -> DocxContent:
    """Read the DOCX and check the round name: everything that can fail before the guide is loaded."""
    content = read_docx(Path(docx))  # refuses more than reader.MAX_ITEMS comments and changes
    check_round_name(round_name)
    return content


def default_round(content: DocxContent) -> str:
    """revision-<date of the edition>, or plain 'revision' when the DOCX does not say its date."""
    date = content.properties.get(PROP_DATE, "")
    return f"revision-{date}" if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else "revision"


def _rounds(root: Path, round_name: str, cache=None) -> tuple[Known, list]:
    """What every round holds, and this round's files as (number, path); GuideError for a file of
    this round that says it belongs to another. cache: the one the guide was loaded with, which read
    these files already (the follow-up report counts them)."""
    known = Known()
    mine = set()
    for path, _, model in load_rounds(root, cache):
        for item in model.items:
            known.add(item)
        match = PART_RE.match(path.name)
        if match and match.group("round") == round_name:
            if model.round != round_name:
                raise bad_file(path, "rev.other_round", round=model.round, wanted=round_name)
            mine.add(path)
    return known, [(n, p) for n, p in round_parts(feedback_dir(root), round_name) if p in mine]


def _last_part(root: Path, parts: list) -> tuple | None:
    """(number, tree, size) of the round's last file, read again without a cache: its YAML comments,
    the editors', must be kept when it is written back."""
    if not parts:
        return None
    number, path = parts[-1]
    errors = Collector(root=root)
    tree, _ = load_round(path, errors)
    errors.raise_if_errors()
    return number, tree, path.stat().st_size


def personal_data_warnings(items: list[dict], allowed: set, files: str) -> list[str]:
    """A warning (Spanish, for the editors) for each private person's e-mail, telephone, CURP or RFC
    a reviewer typed in a comment: the item is named, the value masked."""
    from guidebuilder.checks.privacy import mask

    out = []
    for item in items:
        for kind, value in find_personal_data(item["text"]):
            if (kind, normalise(kind, value)) in allowed:
                continue  # an institution's contact, allowed in the guide
            out.append(t("rev.personal", id=item["id"], author=item["author"] or t("rev.no_author"),
                         where=item["chapter"] or t("rev.unplaced_where"), kind=t(PERSONAL_KIND[kind]),
                         value=mask(value), files=files))
    return out


def import_docx(guide, docx: Path, round_name: str | None = None,
                content: DocxContent | None = None, cache=None) -> ImportResult:
    """Merge the comments of a reviewed DOCX into guide/feedback/<round>.yml of the prepared guide.

    content: the DOCX as read_reviewed read it already; read here when not given. cache: the one the
    guide was loaded with (its round files are then not parsed twice)."""
    from guidebuilder.checks.privacy import allowed_values

    docx = Path(docx)
    if content is None:
        content = read_reviewed(docx, round_name)
    check_round_name(round_name)
    check_document(docx, content, guide)
    if round_name is None:
        round_name = default_round(content)
    items = place(content, guide, round_name, docx.name)
    if not items:
        raise bad_file(docx, "rev.no_items")
    folder = feedback_dir(guide.root)
    # items already imported, in this round or another: importing a file again adds nothing twice
    known, parts = _rounds(guide.root, round_name, cache)
    added = []
    for item in items:
        if not known.has(item):
            known.ids.add(item["id"])
            added.append(item)
    last = _last_part(guide.root, parts) if added else None
    written = [(path, dump_round(tree, path, guide.root)) for path, tree in fill(folder, round_name, last, added)]
    for path, text in written:  # every file checked before the first is written
        write_text(path, text)
    first = folder / f"{round_name}.yml"
    warnings = personal_data_warnings(added, allowed_values(guide), str(folder))
    return ImportResult(first, added, len(items) - len(added), [i for i in added if i["chapter"] is None],
                        bool(written), [p for p, _ in written], warnings)
