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
