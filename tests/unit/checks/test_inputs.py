"""Input checks run before anything is written: chapter ids that the HTML site needs for its own pages."""

from __future__ import annotations

import pytest

from pathlib import Path
from types import SimpleNamespace

from guidebuilder.checks.inputs import page_names
from guidebuilder.model.errors import GuideError
from guidebuilder.model.guide import Chapter, DataSets, Guide


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


def chapter(ident: str) -> Chapter:
    return Chapter(id=ident, file=f"guide/chapters/{ident}.md", path=Path(f"/g/chapters/{ident}.md"), index=0,
                   title=ident, short_title=ident, summary=None, appendix=False, public=True, raw_html=False,
                   markdown="", body_line=1, blocks=())


def guide(*ids: str) -> Guide:
    return Guide(root=Path("/g"), config=SimpleNamespace(slug="guia"), chapters=tuple(chapter(i) for i in ids),
                 data=DataSets(), leaflet=None, asset_dirs=())


def test_chapter_ids_of_their_own_pass():
    assert page_names(guide("que-es", "indice", "buscar-mas", "guia-completa-2", "otra-completa")) == []


def test_every_id_taken_by_a_site_page_is_named_where_it_is_set():
    found = page_names(guide("que-es", "buscar", "index", "404", "guia-completa"))
    assert [(d.file, d.line, d.column) for d in found] == [
        ("guide/chapters/buscar.md", 1, 0), ("guide/chapters/index.md", 1, 0), ("guide/chapters/404.md", 1, 0),
        ("guide/chapters/guia-completa.md", 1, 0)]
    assert str(GuideError(found[:1])) == (
        "guide/chapters/buscar.md:1: error: the chapter id 'buscar' is also the name of a page or folder of "
        "the HTML site\n    fix: give the chapter another id in its front matter (id: …)")
