"""Transforms: directives dispatched through the registry, unique ids, caption numbering, image checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from guidebuilder.load.directives import DIRECTIVES, Directive
from guidebuilder.load.loader import load_guide
from guidebuilder.model.errors import Collector
from guidebuilder.model.guide import Chapter, DataSets, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.transforms import directives as TD
from guidebuilder.transforms import pipeline
from guidebuilder.transforms.charts import not_drawn
from guidebuilder.transforms.ids import assign_ids
from guidebuilder.transforms.links import image_problem, svg_problem
from guidebuilder.transforms.numbering import number_figures_and_tables


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


@pytest.fixture(scope="module")
def mini() -> Guide:
    return load_guide(FIXTURES / "mini")


def chapter(index: int, ident: str, blocks: list, appendix: bool = False) -> Chapter:
    return Chapter(id=ident, file=f"guide/chapters/{ident}.md", path=Path(f"/g/chapters/{ident}.md"), index=index,
                   title=ident, short_title=ident, summary=None, appendix=appendix, public=True, raw_html=False,
                   markdown="", body_line=1, blocks=tuple(blocks))


def tiny_guide(*chapters: Chapter) -> Guide:
    return Guide(root=Path("/g"), config=None, chapters=tuple(chapters), data=DataSets(), leaflet=None,
                 asset_dirs=())


def messages(errors: Collector) -> list[str]:
    return [f"{d.line}: {d.message}" for d in errors.items]


# ---------------------------------------------------------------- the registry

def test_every_chapter_directive_has_an_expander_and_only_leaflet_ones_lack_one():
    assert set(TD.EXPANDERS) <= set(DIRECTIVES)
    assert set(DIRECTIVES) - set(TD.EXPANDERS) == {"contact", "qr"}


def test_expand_one_calls_the_registered_function(mini, monkeypatch):
    seen = []

    def fake(x: TD.Expansion) -> list:
        seen.append(x)
        return [A.para(f"glosario {x.caption}")]

    monkeypatch.setitem(TD.EXPANDERS, "glossary", fake)
    d = Directive("glossary", {"caption": "Términos"}, 12, 1, 3)
    errors = Collector()
    out = TD.expand_one(mini, mini.chapters[0], d, 3, errors, {})
    assert A.stringify(out) == "glosario Términos"
    [x] = seen
    assert (x.directive, x.level, x.chapter.id, x.layout) == (d, 3, mini.chapters[0].id, "cards")
    assert errors.items == []


def test_a_new_directive_is_one_function_and_one_registration(mini, monkeypatch):
    monkeypatch.setattr(TD, "EXPANDERS", dict(TD.EXPANDERS))

    @TD.expands("qr")
    def qr(x: TD.Expansion) -> list:
        return [A.para("qr")]

    assert TD.EXPANDERS["qr"] is qr
    out = TD.expand_one(mini, mini.chapters[0], Directive("qr", {}, 1, 1, 0), 2, Collector(), {})
    assert A.stringify(out) == "qr"


def test_a_leaflet_directive_in_a_chapter_is_reported(mini):
    errors = Collector()
    out = TD.expand_one(mini, mini.chapters[0], Directive("contact", {}, 9, 1, 0), 2, errors, {})
    assert out == []
    assert messages(errors) == ["9: directive 'contact' cannot be used in a chapter"]


def test_an_unknown_layout_is_reported_and_the_cards_still_made(mini):
    errors = Collector()
    out = TD.expand_one(mini, mini.chapters[0], Directive("channels", {"layout": "grid"}, 4, 1, 0), 3, errors, {})
    assert messages(errors) == ["4: layout 'grid' is not known"]
    assert [b["t"] for b in out] == ["Div"] * len(mini.data.channels)
    assert [b["c"][1][0]["c"][0] for b in out] == [3] * len(out)  # each card's heading at the level given


def test_filters_select_and_unknown_ids_are_named(mini):
    errors = Collector()
    d = Directive("channels", {"ids": "radio-comunitaria,radio-comunitria", "layout": "table"}, 6, 1, 0)
    [table] = TD.expand_one(mini, mini.chapters[0], d, 3, errors, {})
    assert table["t"] == "Table" and "Radio" in A.stringify(table) and "Portal" not in A.stringify(table)
    assert messages(errors) == ["6: ids 'radio-comunitria' in directive 'channels' does not exist "
                                "(did you mean 'radio-comunitaria'?)"]


def test_expand_directives_replaces_every_placeholder(mini):
    with not_drawn():
        errors = Collector()
        guide = TD.expand_directives(mini, errors)
    assert errors.errors == []
    placeholders = []
    for ch in guide.chapters:
        A.visit(list(ch.blocks), lambda n: placeholders.append(n) if n.get("t") == "Div" and
                n["c"][0][0].startswith("gb-directive-") else None)
    assert placeholders == []
    que_es = next(c for c in guide.chapters if c.id == "que-es")
    # the chart in its three variants: book (and wide screens), large print, phone
    assert sorted(guide.generated) == sorted(f"graficas/{que_es.id}-1{v}.svg" for v in ("", "-grande", "-movil"))
    canales = next(c for c in guide.chapters if c.id == "canales")
    # the cards sit under a level-2 heading, so their own headings are level 3
    card_levels = [b["c"][1][0]["c"][0] for b in canales.blocks if b["t"] == "Div" and "gb-channel" in b["c"][0][1]]
    assert card_levels == [3]


# ---------------------------------------------------------------- ids

def test_ids_are_unique_across_the_guide_and_titles_take_the_chapter_id():
    one = chapter(0, "uno", [A.header(1, "Uno", ident="titulo"), A.header(2, "Contexto", ident="contexto")])
    two = chapter(1, "dos", [A.header(1, "Dos"), A.header(2, "Contexto", ident="contexto"),
                             A.div([A.para("x")], ident="contexto"), A.header(2, "Sin id")])
    guide = assign_ids(tiny_guide(one, two), Collector())
    ids = [[b["c"][1][0] if b["t"] == "Header" else b["c"][0][0] for b in c.blocks] for c in guide.chapters]
    assert ids == [["uno", "contexto"], ["dos", "dos-contexto", "dos-contexto-2", ""]]
    assert guide.local_ids == {"uno": {"titulo": "uno", "contexto": "contexto"}, "dos": {"contexto": "dos-contexto"}}
    assert guide.anchors["dos-contexto-2"] == "dos" and guide.anchors["contexto"] == "uno"


def test_ids_do_not_change_the_input_guide():
    one = chapter(0, "uno", [A.header(1, "Uno", ident="titulo")])
    before = tiny_guide(one)
    assign_ids(before, Collector())
    assert before.chapters[0].blocks[0]["c"][1][0] == "titulo"


# ---------------------------------------------------------------- numbering

def figure(caption: str) -> dict:
    return {"t": "Figure", "c": [A.attr(), [None, [A.plain(caption)]] if caption else [None, []],
                                 [A.plain(A.image("alt", "x.png"))]]}


def labels(ch: Chapter) -> list[str]:
    out = []
    A.visit(list(ch.blocks), lambda n: out.append(A.stringify(n)) if n.get("t") == "Span" and
            "gb-caption-label" in n["c"][0][1] else None)
    return out


def test_captioned_tables_and_figures_are_numbered_per_chapter():
    first = chapter(0, "uno", [A.table(["a"], [["1"]], "Primera"), figure("Gráfica"), A.table(["a"], [["1"]]),
                               A.table(["b"], [["2"]], "Segunda")])
    second = chapter(1, "dos", [figure("Otra")])
    guide = number_figures_and_tables(tiny_guide(first, second), Collector())
    assert labels(guide.chapters[0]) == ["Tabla 1.1.", "Figura 1.1.", "Tabla 1.2."]
    assert labels(guide.chapters[1]) == ["Figura 2.1."]
    assert A.stringify(guide.chapters[0].blocks[3]["c"][1]).startswith("Tabla 1.2. Segunda")


def test_appendices_are_numbered_by_letter():
    guide = tiny_guide(chapter(0, "uno", []), chapter(1, "a", [A.table(["a"], [["1"]], "T")], appendix=True),
                       chapter(2, "b", [figure("F")], appendix=True))
    guide = number_figures_and_tables(guide, Collector())
    assert labels(guide.chapters[1]) == ["Tabla A.1."] and labels(guide.chapters[2]) == ["Figura B.1."]


# ---------------------------------------------------------------- images and the order of the steps

def test_image_problems(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "bad.png").write_bytes(b"not a png")
    assert image_problem(tmp_path / "missing.png") == "does not exist"
    assert image_problem(tmp_path / "a.txt") == "has the extension '.txt', which is not an image type"
    assert image_problem(tmp_path / "bad.png") == "is not a readable image"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    assert svg_problem(svg) is None
    assert svg_problem(svg.replace(b"<rect", b"<script>x</script><rect")) == \
        "contains a <script> element, which is not allowed in an image"
    assert svg_problem(svg.replace(b"<rect", b'<rect onclick="x()"')) == \
        "has an event handler (onclick), which is not allowed in an image"


def test_run_all_applies_the_steps_in_order():
    assert [s.__name__ for s in pipeline.STEPS] == ["expand_directives", "assign_ids", "check_links_and_images",
                                                     "number_figures_and_tables"]


def test_run_all_on_the_mini_guide(mini):
    with not_drawn():
        guide = pipeline.run_all(mini)
    que_es = next(c for c in guide.chapters if c.id == "que-es")
    assert labels(que_es)[:1] == ["Figura 2.1."]
    links = []
    A.visit(list(que_es.blocks), lambda n: links.append(n["c"][2][0]) if n.get("t") == "Link" else None)
    assert "#canales" in links and "#canales-digitales" in links


# ---------------------------------------------------------------- consultation and adoption directives

def test_consultation_directive_checks_its_view_then_the_data(mini):
    errors = Collector()
    for attrs in ({}, {"view": "topic"}, {"view": "topics"}):
        assert TD.expand_one(mini, mini.chapters[0], Directive("consultation", attrs, 5, 1, 0), 2, errors, {}) == []
    assert messages(errors) == ["5: directive 'consultation' needs view=\"…\"",
                                "5: consultation view 'topic' is not known (did you mean 'topics'?)",
                                "5: the guide has no consultation data"]


def test_adoption_directive_with_an_empty_register(mini):
    errors = Collector()
    out = TD.expand_one(mini, mini.chapters[0], Directive("adoption", {"view": "summary"}, 5, 1, 0), 2, errors, {})
    assert errors.items == []
    assert A.stringify(out).startswith("Todavía no hay instituciones registradas.")
    TD.expand_one(mini, mini.chapters[0], Directive("adoption", {"view": "todo"}, 8, 1, 0), 2, errors, {})
    assert messages(errors) == ["8: adoption view 'todo' is not known"]
