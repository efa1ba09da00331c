"""Checks on the prepared guide that a format needs, run before anything is written.

`page_names(guide)`: for the HTML site, a chapter id must not take the name of a page or folder the
site makes itself (its page would overwrite, or be overwritten by, that page).
"""

from __future__ import annotations

from guidebuilder.model.errors import Diagnostic
from guidebuilder.model.guide import Guide
from guidebuilder.model.messages import m

# the pages the HTML site writes beside the chapters' pages (render/html/site.py); the single-file
# edition, <slug>-completa.html (render/html/single.py), is checked by name below
RESERVED_PAGES = {"index", "buscar", "404"}


def page_names(guide: Guide) -> list[Diagnostic]:
    """A chapter id must not take the name of a page or folder the site makes itself."""
    return [Diagnostic(chapter.file, 1, 0, *m("gate.page_name", id=chapter.id))
            for chapter in guide.chapters
            if chapter.id in RESERVED_PAGES or chapter.id == f"{guide.slug}-completa"]
