"""Import a reviewed DOCX into guide/feedback/<round>.yml: read it, place its items, merge them in.

The caller loads the guide (its review edition) and passes it in: the review room does not run the
build. `read_reviewed` lets the caller read the DOCX first, so that a bad file fails fast, before
the guide is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.core.files import write_text
from guidebuilder.model.errors import Collector, Diagnostic, GuideError
from guidebuilder.render.docx.ooxml import PROP_DATE
from guidebuilder.review.place import check_document, place
from guidebuilder.review.reader import DocxContent, bad_file, read_docx
from guidebuilder.review.store import ROUND_RE, dump_round, feedback_dir, load_all, load_round, merge, new_round


@dataclass
class ImportResult:
    path: Path
    added: list
    already: int
    unplaced: list
    written: bool


def check_round_name(round_name: str | None) -> None:
    """Refuse a round name that cannot be a file name (None: the default name is used)."""
    if round_name is not None and not ROUND_RE.match(round_name):
        raise GuideError(Diagnostic(file="guidebuilder", message=f"round name '{round_name}' is not usable as a "
                                    "file name", hint="use lowercase letters, digits and hyphens, e.g. 'ronda-1'"))


def read_reviewed(docx: Path, round_name: str | None = None) -> DocxContent:
    """Read the DOCX and check the round name: everything that can fail before the guide is loaded."""
    content = read_docx(Path(docx))
    check_round_name(round_name)
    return content


def default_round(content: DocxContent) -> str:
    """revision-<date of the edition>, or plain 'revision' when the DOCX does not say its date."""
    date = content.properties.get(PROP_DATE, "")
    return f"revision-{date}" if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else "revision"


def _open_round(path: Path, round_name: str, root: Path):
    """The round file's tree to merge into: the file as editors left it, or a new one."""
    if not path.exists():
        return new_round(round_name)
    errors = Collector(root=root)
    tree, model = load_round(path, errors)
    errors.raise_if_errors()
    if model.round != round_name:
        raise bad_file(path, f"this file belongs to round '{model.round}', not '{round_name}'",
                       "correct 'round:' in the file, or import with --round " + model.round)
    return tree


def import_docx(guide, docx: Path, round_name: str | None = None,
                content: DocxContent | None = None) -> ImportResult:
    """Merge the comments of a reviewed DOCX into guide/feedback/<round>.yml of the prepared guide.

    content: the DOCX as read_reviewed read it already; read here when not given."""
    docx = Path(docx)
    if content is None:
        content = read_reviewed(docx, round_name)
    check_round_name(round_name)
    check_document(docx, content, guide)
    if round_name is None:
        round_name = default_round(content)
    items = place(content, guide, round_name, docx.name)
    if not items:
        raise bad_file(docx, "this DOCX has no comments or tracked changes by reviewers; nothing to import",
                       "check that you picked the commented copy the reviewer sent back (the review edition's own "
                       "notes, by 'guidebuilder', are not imported)")
    path = feedback_dir(guide.root) / f"{round_name}.yml"
    tree = _open_round(path, round_name, guide.root)
    # ids already imported, in this round or another: importing a file again adds nothing twice
    added = merge(tree, items, {i.id for i in load_all(guide.root)})
    if added:
        write_text(path, dump_round(tree, path, guide.root))  # what we write must load again
    return ImportResult(path, added, len(items) - len(added), [i for i in added if i["chapter"] is None],
                        bool(added))
