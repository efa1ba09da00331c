"""review.place: each item traced to its chapter file and heading, or told why it could not be."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from guidebuilder.model.errors import GuideError
from guidebuilder.render.docx.ooxml import hidden_bookmark
from guidebuilder.review.place import check_document, item_id, legacy_id, place
from guidebuilder.review.reader import DocxContent, Found
from guidebuilder.review.store import MAX_TEXT_CHARS


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


SLUG = "guia-de-prueba"


def chapter(cid: str, title: str, headers: list[tuple[int, str, str]]):
    blocks = [{"t": "Header", "c": [level, [ident, [], []], [{"t": "Str", "c": text}]]}
              for level, ident, text in headers]
    blocks.append({"t": "Para", "c": [{"t": "Str", "c": "Texto."}]})
    return SimpleNamespace(id=cid, file=f"guide/chapters/{cid}.md", title=title, appendix=False, blocks=tuple(blocks))


def guide(root: Path = Path("/nonexistent/guide")):
    """A guide with just what placing needs: its slug, root and chapters with their heading blocks."""
    return SimpleNamespace(slug=SLUG, root=root, chapters=[
        chapter("presentacion", "Presentación", [(1, "presentacion", "Presentación"), (2, "notas", "Notas")]),
        chapter("canales", "Canales", [(1, "canales", "Canales"), (2, "canales-digitales", "Canales digitales"),
                                       (3, "", "Notas")]),
    ])


def content(*found: Found, **props) -> DocxContent:
    return DocxContent(props, list(found), set())


def found(text: str, headings: list, **kw) -> Found:
    return Found(kw.pop("kind", "comment"), kw.pop("author", "Revisora"), "2026-12-01T10:30:00Z", text,
                 headings=headings, **kw)


def test_placed_by_the_bookmark_of_the_nearest_known_heading():
    items = place(content(found("a", [(1, ["canales"], "Canales"), (2, ["canales-digitales"], "x")]),
                          found("b", [(1, ["canales"], "Canales"), (2, ["borrado"], "Ya no existe")])),
                  guide(), "ronda-1", "revisado.docx")
    assert [(i["chapter"], i["heading"], i["heading_title"]) for i in items] == [
        ("guide/chapters/canales.md", "canales-digitales", "Canales digitales"),
        ("guide/chapters/canales.md", "canales", "Canales")]  # an unknown heading: the one above it
    assert items[0]["round"] == "ronda-1" and items[0]["status"] == "open" and items[0]["source"] == "revisado.docx"
    assert "unplaced" not in items[0]


def test_placed_by_the_hidden_bookmark_and_not_by_an_ambiguous_title():
    items = place(content(found("a", [(2, [hidden_bookmark("canales-digitales")], "2.1 Otro texto")]),
                          found("c", [(2, ["renombrado"], "Notas")])),  # two headings say "Notas"
                  guide(), "r", "x.docx")
    assert items[0]["heading"] == "canales-digitales"
    assert items[1]["chapter"] is None and items[1]["unplaced"] == "under a heading that is no longer in the guide"


def test_placed_by_a_unique_title_when_the_bookmarks_are_gone():
    (item,) = place(content(found("b", [(2, ["renombrado"], "2.1 CANALES   digitales")])), guide(), "r", "x.docx")
    assert item["heading"] == "canales-digitales"


def test_why_an_item_was_not_placed():
    items = place(content(found("a", []), found("b", [], located=False)), guide(), "r", "x.docx")
    assert [i["unplaced"] for i in items] == [
        "before the first chapter (title page, instructions or contents)",
        "its place in the document was not found (a comment in a footnote, header or text box?)"]
    assert all(i["heading"] is None and i["heading_title"] is None for i in items)


def test_a_reply_points_at_its_comments_item_and_answered_automatic_comments_are_imported():
    here = [(1, ["canales"], "Canales")]
    own = found("Nota de la edición", here, author="guidebuilder", generated=True, comment_id="9", place="h1.p1@0")
    unanswered = found("Otra nota", here, author="guidebuilder", generated=True, comment_id="8", place="h1.p2@0")
    first = found("Falta la fuente.", here, comment_id="0", place="h1.p3@0")
    reply = found("De acuerdo.", here, kind="reply", comment_id="1", parent_id="0", parent_text="Falta la fuente.",
                  place="h1.p3@0")
    to_own = found("¿Y esto?", here, kind="reply", comment_id="2", parent_id="9", parent_text="Nota de la edición",
                   place="h1.p1@0")
    items = place(content(own, unanswered, first, reply, to_own), guide(), "r", "x.docx")
    assert [i["text"] for i in items] == ["Nota de la edición", "Falta la fuente.", "De acuerdo.", "¿Y esto?"]
    assert items[0]["automatic"] is True and items[0]["kind"] == "comment" and items[0]["author"] == "guidebuilder"
    assert items[2]["reply_to"] == items[1]["id"] and items[2]["in_reply_to"] == "Falta la fuente."
    assert items[3]["reply_to"] == items[0]["id"]  # the question it answers is in the round
    assert "reply_to" not in items[1] and "automatic" not in items[1]


def test_texts_are_cleaned_and_ids_are_stable():
    hostile = found("Hola\u202e <b>x</b>", [], author="Ana\u2066 " + "n" * 300, anchor="  un   ancla ",
                    place="h3.p2@7")
    (item,) = place(content(hostile), guide(), "r", "x.docx")
    assert item["text"] == "Hola <b>x</b>" and len(item["author"]) == 200 and item["author"].endswith("…")
    assert item["anchor"] == "un   ancla" and item["date"] == "2026-12-01T10:30:00" and item["place"] == "h3.p2@7"
    assert item["id"] == item_id("comment", item["author"], item["date"], item["text"], "h3.p2@7")
    assert item["legacy_id"] == legacy_id("comment", item["author"], item["date"], item["text"], "un   ancla")
    assert item_id("comment", "a", "d", "uno  dos", "p") == item_id("comment", "a", "d", "uno dos", "p")


@pytest.mark.parametrize("other", [
    ("comment", "a", "d", "uno", "h1.p1@4"),  # another place
    ("comment", "a", "d", "uno", "h2.p0@0"),
    ("comment", "b", "d", "uno", "h1.p0@0"),  # another author
    ("comment", "a", "d", "dos", "h1.p0@0"),  # another text
    ("insertion", "a", "d", "uno", "h1.p0@0"),  # another kind
])
def test_items_differ_whenever_place_text_author_or_kind_differ(other):
    assert item_id("comment", "a", "d", "uno", "h1.p0@0") != item_id(*other)


def test_a_reply_has_the_id_of_the_comment_libreoffice_turns_it_into():
    assert item_id("reply", "a", "d", "uno", "h1.p0@0") == item_id("comment", "a", "d", "uno", "h1.p0@0")


def test_identical_items_at_one_place_are_kept_apart_and_keep_their_ids():
    here = [(1, ["canales"], "Canales")]
    twins = [found("Igual.", here, place="h1.p1@0"), found("Igual.", here, place="h1.p1@0"),
             found("Igual.", here, place="h1.p2@0")]
    items = place(content(*twins), guide(), "r", "x.docx")
    assert len({i["id"] for i in items}) == 3
    assert [i["id"] for i in place(content(*twins), guide(), "r", "x.docx")] == [i["id"] for i in items]


def test_a_long_text_is_cut_with_a_note():
    (item,) = place(content(found("x" * (MAX_TEXT_CHARS + 1234), [])), guide(), "r", "x.docx")
    assert item["text"] == "x" * MAX_TEXT_CHARS + "\n[texto recortado: 1234 caracteres más]"


def test_a_table_cell_and_a_footnote_are_recorded():
    cell = found("c", [], place="h1.p0.t3.r2.c4.p0@0", table=(3, 2, 4), cell="Nuevo León", in_table=True)
    note = found("n", [], place="h1.p1@5/n2.p0@0", footnote=2)
    items = place(content(cell, note), guide(), "r", "x.docx")
    assert [(i["table"], i["row"], i["column"], i["cell"], i["in_table"]) for i in items[:1]] == [
        (3, 2, 4, "Nuevo León", True)]
    assert items[1]["footnote"] == 2 and "table" not in items[1] and "footnote" not in items[0]


def test_check_document_accepts_this_guide_and_refuses_another():
    check_document(Path("r.docx"), content(**{"guidebuilder-slug": SLUG}), guide())
    with pytest.raises(GuideError) as err:
        check_document(Path("r.docx"), content(**{"guidebuilder-slug": "otra-guia"}), guide())
    assert "an edition of another guide ('otra-guia')" in str(err.value)


def test_check_document_without_properties_looks_at_bookmarks_or_titles():
    bare = content()
    with pytest.raises(GuideError) as err:
        check_document(Path("r.docx"), bare, guide())
    assert "not made by guidebuilder from this guide" in str(err.value)
    bare.bookmarks = {hidden_bookmark("canales"), "canales-digitales"}
    check_document(Path("r.docx"), bare, guide())
    titles = DocxContent({}, [], {"otro"}, {"presentación"})  # one chapter title of two is enough
    check_document(Path("r.docx"), titles, guide())
