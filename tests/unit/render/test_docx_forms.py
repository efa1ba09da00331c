"""Worksheets fillable in Word: the empty cells of a form table become content controls, rows ≥ 1 cm."""

from __future__ import annotations


import pypandoc

from guidebuilder.render.docx.forms import FIELD_TAG, fill_in_fields
from guidebuilder.render.docx.layout import WRITING_ROW
from guidebuilder.render.docx.ooxml import w

FORM = """
| Pregunta | Respuesta |
|----------|-----------|
| ¿Qué información le gustaría tener? | |
| | |

| Tema | Total |
|------|-------|
| Agua | 3 |
"""


def test_empty_cells_of_a_form_become_fields(tmp_path):
    from docx import Document

    path = tmp_path / "form.docx"
    pypandoc.convert_text(FORM, "docx", format="markdown", outputfile=str(path))
    doc = Document(str(path))
    body = doc.element.body
    assert fill_in_fields(body) == 3  # one in the first row, two in the empty row; the second table is no form
    fields = list(body.iter(w("sdt")))
    assert [f.find(f"{w('sdtPr')}/{w('alias')}").get(w("val")) for f in fields] == \
        ["Respuesta", "Pregunta", "Respuesta"]
    assert all(f.find(f"{w('sdtPr')}/{w('tag')}").get(w("val")) == FIELD_TAG for f in fields)
    assert all(f.find(f"{w('sdtPr')}/{w('text')}") is not None for f in fields)
    ids = [f.find(f"{w('sdtPr')}/{w('id')}").get(w("val")) for f in fields]
    assert len(set(ids)) == 3
    form = next(body.iter(w("tbl")))
    heights = [int(h.get(w("val"))) for h in form.iter(w("trHeight"))]
    assert heights == [WRITING_ROW, WRITING_ROW]
    second = list(body.iter(w("tbl")))[1]
    assert not list(second.iter(w("sdt")))
    doc.save(str(tmp_path / "again.docx"))  # still a valid package for python-docx


def test_form_columns_want_an_equal_share_and_words_stay_whole():
    from guidebuilder.render.docx.layout import column_widths

    def measure(text, bold):
        return 120.0 * len(text)

    rows = [[["Pregunta"], ["Respuesta"]], [["¿Qué información de esta institución le gustaría tener?"], []], [[], []]]
    plain = column_widths(rows, 1, 9000, measure)
    form = column_widths(rows, 1, 9000, measure, wants=4500)
    assert plain[1] < 2500 and form[1] >= 2 * plain[1] and sum(form) == 9000
    seven = [[["Mensaje clave"], ["Población"], ["Canal"], ["Material"], ["Fechas"], ["Responsable"], ["¿Cómo?"]],
             [[] for _ in range(7)]]
    widths = column_widths(seven, 1, 9000, measure, wants=9000 / 7)
    assert widths[5] >= 120 * len("Responsable")  # the longest word still fits its column
