"""Worksheets fillable in Word: each empty cell of a form table becomes a plain-text content control.

A form is a table with a body row whose every cell is empty (the same rule the PDF book uses to give
empty cells room to write). In a form, every empty body cell gets a content control (`w:sdt` with
`w:text`, several lines allowed) named after its column's header, so Word and LibreOffice offer a field
to type in, and its row is at least `WRITING_ROW` high, so the printed DOCX can be filled in by hand.
(`layout.fit_tables` gives each column of a form at least its share of the width when the text allows:
sized from its content alone, an empty column would be too narrow to write in.) Control ids are numbered in document order: the same guide gives the same file.
"""

from __future__ import annotations

from guidebuilder.render.docx.layout import TRPR_ORDER, WRITING_ROW, _cells, _texts
from guidebuilder.render.docx.ooxml import el, set_child, w

FIELD_TAG = "gb-campo"
FIRST_ID = 7001


def _empty(tc) -> bool:
    return not any(t.strip() for t in _texts(tc))


def _is_header(row) -> bool:
    return row.find(f"{w('trPr')}/{w('tblHeader')}") is not None


def _field(tc, name: str, ident: int) -> None:
    """Wrap the cell's paragraphs in a block-level plain-text content control."""
    paragraphs = list(tc.iterchildren(w("p")))
    if not paragraphs:
        paragraphs = [el("p")]
        tc.append(paragraphs[0])
    sdt, pr, content = el("sdt"), el("sdtPr"), el("sdtContent")
    if name:
        pr.append(el("alias", val=name[:60]))
    pr.append(el("tag", val=FIELD_TAG))
    pr.append(el("id", val=str(ident)))
    pr.append(el("text", multiLine="1"))
    sdt.append(pr)
    paragraphs[0].addprevious(sdt)
    sdt.append(content)
    for p in paragraphs:
        content.append(p)


def fill_in_fields(body) -> int:
    """Content controls in the empty cells of every form table; returns how many fields."""
    ident = FIRST_ID
    for tbl in list(body.iter(w("tbl"))):
        rows = list(tbl.iterchildren(w("tr")))
        body_rows = [r for r in rows if not _is_header(r)]
        if not any(all(_empty(tc) for _, _, tc in _cells(r)) for r in body_rows if _cells(r)):
            continue
        header = next((r for r in rows if _is_header(r)), None)
        names = {col: " ".join(_texts(tc)).strip() for col, _, tc in _cells(header)} if header is not None else {}
        for row in body_rows:
            empty = [(col, tc) for col, _, tc in _cells(row) if _empty(tc)]
            for col, tc in empty:
                _field(tc, names.get(col, ""), ident)
                ident += 1
            if empty:
                tr_pr = row.find(w("trPr"))
                if tr_pr is None:
                    tr_pr = el("trPr")
                    row.insert(1 if row.find(w("tblPrEx")) is not None else 0, tr_pr)
                set_child(tr_pr, el("trHeight", val=str(WRITING_ROW), hRule="atLeast"), TRPR_ORDER)
    return ident - FIRST_ID
