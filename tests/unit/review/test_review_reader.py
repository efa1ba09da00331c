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


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


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


# ---------------------------------------------------------------- where each item is, and in what order

def test_places_tables_and_document_order(content):
    where = {(f.kind, f.comment_id, f.text): (f.place, f.table, f.cell) for f in content.items}
    assert where[("comment", "0", "Falta la fuente.")] == ("h2.p1@6", None, "")  # "Antes " comes before it
    assert where[("reply", "1", "De acuerdo.")] == ("h2.p1@6", None, "")  # no marks of its own: its comment's
    assert where[("deletion", None, "borrado ")] == ("h2.p1@12", None, "")
    assert where[("comment", "3", "¿Incluir el costo?")] == ("h2.p2.t1.r1.c1.p0@0", (1, 1, 1), "Portal web")
    assert where[("insertion", None, " (texto nuevo)")] == ("h2.p2@15", None, "")
    assert [f.text for f in content.items] == [  # document order; the comment without marks last
        "Falta la fuente.", "De acuerdo.", "borrado ", "¿Incluir el costo?", " (texto nuevo)",
        "Nota de la edición de revisión.", "¿Dónde estaba esto?"]


def _comments(n: int, start: int = 0, author: str = "R") -> str:
    return "".join(f'<w:comment w:id="{i}" w:author="{author}" w:date="2026-12-01T10:30:00Z">'
                   f"<w:p><w:r><w:t>Comentario {i}</w:t></w:r></w:p></w:comment>" for i in range(start, start + n))


def read_body(tmp_path, body: str, comments: str = "", footnotes: str | None = None):
    parts = docx_parts(body=body, comments=f'<w:comments xmlns:w="{W}">{comments}</w:comments>', footnotes=footnotes)
    return read_docx(write_docx(tmp_path / "cuerpo.docx", parts))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
H1 = '<w:p><w:pPr><w:pStyle w:val="Titulo1"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>'


def ins(text: str, when: str, author: str = "Revisora", cid: int = 1) -> str:
    return (f'<w:ins w:id="{cid}" w:author="{author}" w:date="{when}"><w:r><w:t xml:space="preserve">{text}</w:t>'
            "</w:r></w:ins>")


def test_the_same_insertion_in_two_places_within_a_minute_is_two_items(tmp_path):
    body = (H1.format("Uno") + f'<w:p><w:r><w:t xml:space="preserve">Uno </w:t></w:r>{ins("también", "2026-12-02T09:00:00Z")}'
            f'<w:r><w:t xml:space="preserve"> dos </w:t></w:r>{ins("también", "2026-12-02T09:00:30Z")}</w:p>'
            + H1.format("Dos") + f'<w:p><w:r><w:t>Otro</w:t></w:r>{ins("también", "2026-12-02T09:00:40Z")}</w:p>')
    content = read_body(tmp_path, body)
    assert [(f.text, f.place) for f in content.items] == [
        ("también", "h1.p1@4"), ("también", "h1.p1@16"), ("también", "h2.p1@4")]


def test_one_insertion_split_over_elements_is_one_item_and_a_change_between_others_is_its_own(tmp_path):
    body = ('<w:p><w:r><w:t>a</w:t></w:r>' + ins("uno ", "2026-12-02T09:00:00.5Z") + ins("dos", "2026-12-02T09:00:00Z")
            + '<w:del w:id="3" w:author="Revisora" w:date="2026-12-02T09:00:00Z"><w:r><w:delText>x</w:delText></w:r>'
            '</w:del>' + ins("tres", "2026-12-02T09:00:00Z") + "</w:p>")
    content = read_body(tmp_path, body)
    assert [(f.kind, f.text, f.place) for f in content.items] == [
        ("insertion", "uno dos", "h0.p0@1"), ("deletion", "x", "h0.p0@8"), ("insertion", "tres", "h0.p0@8")]


def test_a_merged_cell_counts_its_columns(tmp_path):
    cell = '<w:tc>{}<w:p>{}<w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    mark = '<w:commentRangeStart w:id="{0}"/><w:commentRangeEnd w:id="{0}"/>'
    body = ("<w:tbl><w:tr>" + cell.format("", "", "A") + cell.format("", "", "B") + "</w:tr><w:tr>"
            + cell.format('<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>', "", "AB")
            + cell.format("", mark.format(0), "Nuevo León") + "</w:tr></w:tbl><w:tbl><w:tr>"
            + cell.format("", mark.format(1), "otra") + "</w:tr></w:tbl>")
    content = read_body(tmp_path, body, _comments(2))
    assert [(f.table, f.cell, f.in_table) for f in content.items] == [
        ((1, 2, 3), "Nuevo León", True), ((2, 1, 1), "otra", True)]


def test_a_comment_in_a_footnote_says_which_footnote(tmp_path):
    body = ('<w:p><w:r><w:t>Texto</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r>'
            '<w:r><w:t>más</w:t></w:r><w:r><w:footnoteReference w:id="5"/></w:r></w:p>')
    notes = ('<w:footnote w:id="5"><w:p><w:r><w:t xml:space="preserve">Una </w:t></w:r>'
             '<w:commentRangeStart w:id="0"/><w:r><w:t>fuente</w:t></w:r><w:commentRangeEnd w:id="0"/></w:p>'
             '</w:footnote><w:footnote w:id="7"><w:p><w:r><w:t>Primera</w:t></w:r></w:p></w:footnote>')
    (item,) = read_body(tmp_path, body, _comments(1), notes).items
    assert (item.footnote, item.place, item.anchor) == (2, "h0.p0@8/n2.p0@4", "fuente")


# ---------------------------------------------------------------- bounded cost

def test_sixty_thousand_unclosed_comment_starts_are_read_in_linear_time(tmp_path):
    """Comment starts left open (no commentRangeEnd): half inside one paragraph between runs, half
    between paragraphs; every twelfth has its comment (5,000, as many as one import takes). Reading
    used to add every run to every open comment: 2,000 starts took 2 min 43 s."""
    import time

    inside = "".join(f'<w:commentRangeStart w:id="{i}"/><w:r><w:t>x</w:t></w:r>' for i in range(30000))
    between = "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in range(30000, 60000))
    body = f"<w:p>{inside}</w:p>{between}<w:p><w:r><w:t>fin</w:t></w:r></w:p>"
    comments = "".join(_comments(1, i) for i in range(0, 60000, 12))
    path = write_docx(tmp_path / "abiertos.docx", docx_parts(body=body, comments=f'<w:comments xmlns:w="{W}">'
                                                                              f"{comments}</w:comments>"))
    started = time.perf_counter()
    content = read_docx(path)
    elapsed = time.perf_counter() - started
    assert len(content.items) == 5000
    first, last = content.items[0], content.items[-1]
    assert (first.comment_id, first.place, len(first.anchor)) == ("0", "h0.p0@0", 1200)  # open: its anchor is cut
    assert (last.comment_id, last.place, last.paragraph, last.anchor) == ("59988", "h0.p1@0", "fin", "fin")
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_more_comments_and_changes_than_one_import_takes_are_refused_at_once(tmp_path):
    import time

    body = "<w:p>" + "".join(f'<w:commentRangeStart w:id="{i}"/><w:r><w:t>x</w:t></w:r>' for i in range(60000)) + "</w:p>"
    path = write_docx(tmp_path / "muchos.docx", docx_parts(body=body, comments=f'<w:comments xmlns:w="{W}">'
                                                                             f"{_comments(60000)}</w:comments>"))
    started = time.perf_counter()
    with pytest.raises(GuideError) as err:
        read_docx(path)
    assert "the DOCX has 60000 comments and tracked changes; one import takes at most 5000" in str(err.value)
    changes = "".join(ins("x", "2026-12-02T09:00:00Z", f"R{i}", i) for i in range(6000))  # authors differ: 6,000
    path = write_docx(tmp_path / "cambios.docx", docx_parts(body=f"<w:p>{changes}</w:p>", comments=None))
    with pytest.raises(GuideError) as err:
        read_docx(path)
    assert "the DOCX has at least 5001 comments and tracked changes" in str(err.value)
    assert time.perf_counter() - started < 5
