"""The correction to WeasyPrint's column balancing (wpfix.py): in place, and laying out the same pages."""

from __future__ import annotations

import weasyprint
import weasyprint.layout.block as block
from weasyprint import HTML

from guidebuilder.render.paged import wpfix



def cards(count: int) -> str:
    return "".join(f'<section class="card"><h3>Tarjeta {i}</h3>'
                   + "<p>Texto de la tarjeta con varias palabras.</p>" * (1 + i % 4) + "</section>" for i in range(count))


def document(card_count: int) -> str:
    return f"""<style>@page {{ size: A5; margin: 15mm }} body {{ font-size: 9pt }}
.cards {{ columns: 2; column-gap: 10pt }} .card {{ break-inside: avoid; border-left: 3pt solid; margin: 0 0 6pt }}
dl {{ columns: 2 }} .entry {{ break-inside: avoid }} dt {{ break-after: avoid }}</style>
<p>Antes.</p><div class="cards">{cards(card_count)}</div><p>Después.</p>
<dl>{"".join(f'<div class="entry"><dt>Término {i}</dt><dd>Definición {i} ' + "larga " * (i % 9) + "</dd></div>"
             for i in range(30))}</dl>"""


DOC = document(23)  # the cards end on the second page: balancing does most of the work
LONG = document(60)  # a run of cards over six pages: the next card is measured on every page


def boxes_by_page(document) -> list[list[tuple]]:
    """Every card's and entry's page, position and size."""
    out = []
    for page in document.pages:
        found = []

        def walk(box):
            element = getattr(box, "element", None)
            if element is not None and element.get("class") in ("card", "entry") and box.element_tag != "":
                found.append((element.get("class"), element.findtext(".//h3") or element.findtext(".//dt"),
                              round(box.position_x, 2), round(box.position_y, 2), round(box.height, 2)))
            for child in getattr(box, "children", ()):
                walk(child)

        walk(page._page_box)
        out.append(found)
    return out


def test_the_correction_is_in_place_for_the_pinned_weasyprint():
    # A new WeasyPrint: check whether its column balancing still needs this, then update PINNED.
    import weasyprint.layout.column as column

    assert weasyprint.__version__ == wpfix.PINNED
    assert wpfix.apply()
    assert block.columns_layout.__globals__ is not vars(column)  # the corrected copy, not the stock function


def layout_counting(columns_layout, doc: str = DOC) -> tuple[list, int]:
    """The boxes of DOC laid out with this columns_layout, and how many block containers were laid
    out (every card, paragraph and heading, each time it is laid out: the work done)."""
    calls = 0
    original_columns, original_container = block.columns_layout, block.block_container_layout

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return original_container(*args, **kwargs)

    block.columns_layout, block.block_container_layout = columns_layout, counted
    try:
        return boxes_by_page(HTML(string=doc).render()), calls
    finally:
        block.columns_layout, block.block_container_layout = original_columns, original_container


def test_columns_come_out_as_with_weasyprints_own_balancing_in_fewer_tries():
    wpfix.apply()
    fixed, fixed_calls = layout_counting(block.columns_layout)
    stock, stock_calls = layout_counting(wpfix.stock())
    assert len(stock) > 1 and sum(len(p) for p in stock) == 23 + 30  # every card and entry, over pages
    assert fixed == stock
    assert fixed_calls < stock_calls / 2, (fixed_calls, stock_calls)


def test_a_long_run_of_cards_is_not_laid_out_again_for_each_page():
    # Measuring the next card with the whole rest of the run behind it made this quadratic.
    wpfix.apply()
    fixed, fixed_calls = layout_counting(block.columns_layout, LONG)
    stock, stock_calls = layout_counting(wpfix.stock(), LONG)
    assert len(stock) > 5 and sum(len(p) for p in stock) == 60 + 30
    assert fixed == stock
    assert fixed_calls < stock_calls, (fixed_calls, stock_calls)


def test_page_references_are_kept_until_a_page_is_added():
    import pydyf

    wpfix.apply()
    assert pydyf.__version__ == wpfix.PYDYF and wpfix.STOCK_PAGE_REFERENCES is not None
    pdf = pydyf.PDF()
    for count in (1, 2, 5):
        while pdf.pages["Count"] < count:
            pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == wpfix.STOCK_PAGE_REFERENCES(pdf)
        assert len(pdf.page_references) == count
        assert pdf.page_references is pdf.page_references  # made once, not at every read


LEADERS = """<style>@page { size: A5; margin: 15mm } body { font-size: 10pt }
li a::after { content: leader(dotted) " " attr(data-n) }</style><ol>""" + "".join(
    f'<li><a data-n="{n * 7}">Entrada número {n} {"larga " * (n % 5)}</a></li>' for n in range(1, 40)) + "</ol>"


def _dots(pdf: bytes) -> list[tuple]:
    """Every dot's page and place: left and bottom of pdfium's character box, in points."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    out = []
    for number in range(len(doc)):
        text = doc[number].get_textpage()
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1) == ".":
                left, bottom, _, _ = text.get_charbox(i)
                out.append((number, left, bottom))
    return out


def test_leader_dots_are_one_run_at_the_places_of_the_stock_copies():
    """A leader (the dots between a contents entry and its number) is laid out as one text box holding
    the dots WeasyPrint 70 lays out as one box each, at the same places."""
    import weasyprint.layout.inline as inline
    import weasyprint.layout.leader as leader

    assert wpfix.apply() and getattr(inline.handle_leader, "one_run", False)
    document = HTML(string=LEADERS).render()
    runs = []

    def walk(box):
        if getattr(box, "is_leader", False):
            runs.append(len(box.children))
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    assert len(runs) == 39 and set(runs) == {1}
    patched = document.write_pdf()
    inline.handle_leader, fixed = leader.handle_leader, inline.handle_leader
    try:
        stock = HTML(string=LEADERS).write_pdf()
    finally:
        inline.handle_leader = fixed
    dots, stocks = _dots(patched), _dots(stock)
    assert len(dots) > 39 * 20 and len(dots) == len(stocks)
    # within a tenth of a point (Pango places a run's glyphs in its own units, the copies one by one)
    assert all(a[0] == b[0] and abs(a[1] - b[1]) < 0.1 and abs(a[2] - b[2]) < 0.01 for a, b in zip(dots, stocks))
