"""Wide tables of the HTML site on a phone: in headless Chromium, with the site's real stylesheet, a table of
five or more columns shows its rows stacked (each cell after its column's header) in a 360 px screen, with no
sideways scrolling and no axe-core violation, and stays a plain table at 1280 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.render.html.pages import wrap_tables

SITE_CSS = Path(__file__).resolve().parents[2] / "assets" / "css" / "site.css"
HEADS = ["Institución responsable", "Población destinataria", "Canal", "Material", "Calendario", "Observaciones"]
ROW = ["Ayuntamiento", "Comunidades", "Perifoneo", "Grabación", "Septiembre", "Independientemente"]
MEASURE = """() => { const box = document.querySelector('.tabla'), t = box.querySelector('table'),
  td = t.querySelector('td'), head = t.querySelector('thead');
  return {scroll: box.scrollWidth, width: box.clientWidth, table: getComputedStyle(t).display,
          cell: getComputedStyle(td).display, label: getComputedStyle(td, '::before').content,
          head: head.getBoundingClientRect().width, caption: t.caption.getBoundingClientRect().width}; }"""


def page_html(table: str) -> str:
    return (f'<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Tabla</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{SITE_CSS.read_text(encoding='utf-8')}</style></head><body><main><h1>Tabla</h1>{table}"
            "</main></body></html>")


def table(rows: int = 3) -> str:
    head = "".join(f"<th>{h}</th>" for h in HEADS)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in ROW) + "</tr>\n" for _ in range(rows))
    return (f"<table>\n<caption><strong>Tabla 1.</strong> Un plan de difusión con seis columnas de palabras "
            f"largas</caption>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n</table>")


def measure(browser, html: str, width: int) -> dict:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.set_content(html)
    out = page.evaluate(MEASURE)
    page.close()
    return out


@pytest.mark.browser
def test_wide_table_stacks_on_a_phone_and_stays_a_table_on_a_desktop(browser):
    html = page_html(wrap_tables(table()))
    phone = measure(browser, html, 360)
    assert phone["scroll"] <= phone["width"] + 1, phone  # nothing to scroll sideways
    assert (phone["table"], phone["cell"]) == ("block", "block")
    assert phone["label"] == '"Institución responsable: " / ""'  # shown, and silent to screen readers
    assert phone["head"] <= 1 and phone["caption"] > 200  # header row only for screen readers, caption whole
    desk = measure(browser, html, 1280)
    assert (desk["table"], desk["cell"]) == ("table", "table-cell") and desk["head"] > 500
    # the same table unmarked, its long words kept whole, scrolls sideways on the phone: the measurement
    # above can fail
    whole = "<style>.tabla th, .tabla td { overflow-wrap: normal; hyphens: manual; }</style>"
    plain = measure(browser, page_html(whole + wrap_tables(table()).replace(' class="gb-stack"', "")), 360)
    assert plain["scroll"] > plain["width"] + 50 and plain["table"] == "table"


@pytest.mark.browser
def test_stacked_table_keeps_its_semantics_and_passes_axe(browser):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.set_content(page_html(wrap_tables(table())))
        result = Axe().run(page, options=options)
        assert not result.violations_count, result.generate_report()
        tree = page.locator("table").aria_snapshot()
        assert '- columnheader "Población destinataria"' in tree and '- cell "Comunidades"' in tree, tree
        assert "Población destinataria:" not in tree  # the visible label is not read twice
        page.close()
