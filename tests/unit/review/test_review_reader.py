"""review.reader: a tiny DOCX made part by part: comments and their anchors, a reply, tracked changes."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from review_docx_parts import SLUG, docx_parts, write_docx  # noqa: E402

from guidebuilder.model.errors import GuideError  # noqa: E402
from guidebuilder.review.reader import clean, iso_date, open_docx, read_docx  # noqa: E402

CANALES = (1, ["canales", "_GB_0123456789abcdef"], "1. Canales")
DIGITALES = (2, ["canales-digitales"], "Canales digitales")


@pytest.fixture
def content(tmp_path):
    return read_docx(write_docx(tmp_path / "revisado.docx", docx_parts()))


def by_comment(content) -> dict:
    return {f.comment_id: f for f in content.items if f.comment_id is not None}


def test_a_comment_keeps_its_anchor_paragraph_and_headings(content):
    first = by_comment(content)["0"]
    assert (first.kind, first.author, first.text) == ("comment", "Revisora", "Falta la fuente.")
    assert first.date == "2026-12-01T10:30:00Z"
    assert first.anchor == "texto comentado"  # the deleted word inside the range is not part of it
    assert first.paragraph == "Antes texto comentado después."
    assert first.headings == [CANALES, DIGITALES]
    assert not first.in_table and first.located and not first.generated


def test_a_comment_in_a_table_cell(content):
    cell = by_comment(content)["3"]
    assert (cell.anchor, cell.paragraph, cell.in_table) == ("Portal web", "Portal web", True)


def test_a_reply_sits_where_its_comment_sits(content):
    reply = by_comment(content)["1"]
    assert (reply.kind, reply.parent_id, reply.parent_text) == ("reply", "0", "Falta la fuente.")
    assert reply.headings == [CANALES, DIGITALES]
    assert (reply.anchor, reply.paragraph) == ("texto comentado", "Antes texto comentado después.")


def test_comments_without_marks_and_the_editions_own(content):
    comments = by_comment(content)
    assert not comments["2"].located and comments["2"].headings == []
    own = comments["4"]  # a reference without a range: placed where the reference is
    assert own.generated and own.located and own.paragraph.startswith("Estas prácticas")


def test_tracked_changes_one_item_per_change(content):
    changes = [f for f in content.items if f.kind in ("insertion", "deletion")]
    assert [(f.kind, f.text) for f in changes] == [("deletion", "borrado "), ("insertion", " (texto nuevo)")]
    insertion = changes[1]  # two runs whose dates differ only in fractions of a second: one change
    assert (insertion.author, insertion.date) == ("Revisora", "2026-12-02T09:00:00.123Z")
    assert insertion.headings == [CANALES, DIGITALES] and insertion.comment_id is None


def test_properties_bookmarks_and_heading_texts(content):
    assert content.properties["guidebuilder-slug"] == SLUG
    assert content.bookmarks == {"canales", "_GB_0123456789abcdef", "canales-digitales"}
    assert content.heading_texts == {"canales", "canales digitales"}
    assert len(content.items) == 7


def test_a_comment_in_a_footnote_goes_where_the_footnote_is_referenced(tmp_path):
    body = ('<w:p><w:pPr><w:pStyle w:val="Titulo1"/></w:pPr><w:bookmarkStart w:id="1" w:name="presentacion"/>'
            '<w:r><w:t>Presentación</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Texto</w:t></w:r><w:r><w:footnoteReference w:id="5"/></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Titulo1"/></w:pPr><w:r><w:t>Otro capítulo</w:t></w:r></w:p>')
    note = ('<w:footnote w:id="5"><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Una fuente</w:t></w:r>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p></w:footnote>'
            '<w:footnote w:id="6"><w:p><w:commentRangeStart w:id="3"/><w:r><w:t>Sin referencia</w:t></w:r>'
            '</w:p></w:footnote>')
    content = read_docx(write_docx(tmp_path / "nota.docx", docx_parts(body=body, footnotes=note)))
    comments = by_comment(content)
    assert comments["0"].headings == [(1, ["presentacion"], "Presentación")]
    assert (comments["0"].anchor, comments["0"].paragraph) == ("Una fuente", "Una fuente")
    assert not comments["3"].located  # its footnote is never referenced: not read


def test_text_inside_a_deletion_is_not_part_of_an_anchor(tmp_path):
    body = ('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">queda </w:t></w:r>'
            '<w:del w:id="7" w:author="R"><w:r><w:t>sobra</w:t></w:r></w:del><w:commentRangeEnd w:id="0"/></w:p>')
    content = read_docx(write_docx(tmp_path / "d.docx", docx_parts(body=body)))
    assert by_comment(content)["0"].anchor == "queda "


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("no es un documento\n", encoding="utf-8"), "not a DOCX file"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("otro.txt", "x"), "has no word/document.xml"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "the DOCX is damaged"),
])
def test_open_docx_refuses_what_is_not_a_docx(tmp_path, make, message):
    path = tmp_path / "malo.docx"
    make(path)
    with pytest.raises(GuideError) as err:
        open_docx(path)
    assert message in str(err.value)


def test_xml_that_is_not_well_formed(tmp_path):
    parts = docx_parts()
    parts["word/comments.xml"] = "<w:comments"
    with pytest.raises(GuideError) as err:
        read_docx(write_docx(tmp_path / "roto.docx", parts))
    assert "word/comments.xml is not well-formed XML" in str(err.value)


def test_open_docx_reads_only_the_parts_it_needs(tmp_path):
    parts = open_docx(write_docx(tmp_path / "revisado.docx", docx_parts()))
    assert "[Content_Types].xml" not in parts and "word/document.xml" in parts


def test_clean_and_iso_date():
    assert clean("a\u202eb\r\nc") == "ab\nc"
    assert clean("x" * 10, 5) == "xxxx…"
    assert iso_date("2026-12-01T10:30Z") == "2026-12-01T10:30:00"
    assert iso_date("2026-12-01T10:30:15.5+02:00") == "2026-12-01T10:30:15"
    assert iso_date("ayer") == ""
