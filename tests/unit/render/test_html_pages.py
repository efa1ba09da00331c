"""HTML pages: '#anchor' links pointed at their pages, tables boxed, card headings and SVG sizes read."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import SimpleNamespace

from guidebuilder.core.cache import Cache
from guidebuilder.model.guide import Chapter, DataSets, Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.render.html.pages import card_ids, chapter_body, rewrite_links, svg_size, wrap_tables


def targets(blocks: list) -> list[str]:
    found: list[str] = []
    A.visit(blocks, lambda node: found.append(node["c"][2][0]) if node["t"] == "Link" else None)
    return found


def test_rewrite_links_points_anchors_at_the_page_that_holds_them():
    guide = SimpleNamespace(anchors={"cap-b": "cap-b", "tabla-1": "cap-b", "nota": "fuera"})
    blocks = [A.para(A.link("tabla", "#tabla-1", "la tabla"), A.link("capítulo", "#cap-b"),
                     A.link("fuera", "#nota"), A.link("nada", "#sin-dueno"), A.link("web", "https://x.org/#a"))]
    before = copy.deepcopy(blocks)
    out = rewrite_links(guide, blocks, {"cap-a": "cap-a.html", "cap-b": "cap-b.html"})
    # a chapter's own id is its page; an anchor whose chapter has no page, or no chapter, stays as it was
    assert targets(out) == ["cap-b.html#tabla-1", "cap-b.html", "#nota", "#sin-dueno", "https://x.org/#a"]
    assert out[0]["c"][0]["c"][2] == ["cap-b.html#tabla-1", "la tabla"]  # the link's title is kept
    assert blocks == before  # the input is not changed


def test_wrap_tables_boxes_each_table_named_by_its_caption_or_number():
    html = ('<p>antes</p>\n<table>\n<caption><strong>Canales</strong> "de" radio</caption>\n'
            '<tr><th></th><th>A</th></tr>\n</table>\n<table><tr><td>1</td></tr></table>')
    out = wrap_tables(html)
    assert out == ('<p>antes</p>\n<div class="tabla" tabindex="0" role="group" aria-label="Canales &quot;de&quot; '
                   'radio"><table>\n<caption><strong>Canales</strong> "de" radio</caption>\n'
                   '<tr><td></td><th>A</th></tr>\n</table></div>\n'
                   '<div class="tabla" tabindex="0" role="group" aria-label="Tabla 2">'
                   '<table><tr><td>1</td></tr></table></div>')


def test_wrap_tables_leaves_html_without_tables_alone():
    assert wrap_tables("<p>sin tablas</p>") == "<p>sin tablas</p>"


def test_card_ids_finds_the_item_behind_a_card_heading():
    chapter = SimpleNamespace(id="cap")
    known = ["radio", "radio-comunitaria"]
    assert card_ids(None, chapter, "practica-radio", "practica", known) == "radio"
    assert card_ids(None, chapter, "cap-practica-radio-comunitaria-2", "practica", known) == "radio-comunitaria"
    assert card_ids(None, chapter, "otro-practica-radio", "practica", known) is None
    assert card_ids(None, chapter, "canal-radio", "practica", known) is None


def test_svg_size_reads_points_as_css_pixels():
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="150pt">') == (400, 200)
    assert svg_size(b'<svg width="120" height="80.4px" viewBox="0 0 1 1">') == (120, 80)
    assert svg_size(b'<svg viewBox="0 0 10 10">') is None


def test_chapter_body_links_cards_sizes_images_and_rewrites_anchors():
    blocks = (A.header(1, "Uno", "uno"),
              A.div([A.header(3, "Radio", "uno-practica-radio")], classes=["gb-practice"]),
              A.para(A.image("Mapa", "images/mapa.png"), A.link("ver", "#dos-tabla")))
    chapter = Chapter(id="uno", file="chapters/uno.md", path=Path("/g/chapters/uno.md"), index=0, title="Uno",
                      short_title="Uno", summary=None, appendix=False, public=True, raw_html=False, markdown="",
                      body_line=1, blocks=blocks)
    practice = SimpleNamespace(id="radio", verification="verificada")
    guide = Guide(root=Path("/g"), config=None, chapters=(chapter,), data=DataSets(practices=(practice,)),
                  leaflet=None, asset_dirs=(), anchors={"uno": "uno", "dos-tabla": "dos"})
    cache = Cache(None, enabled=False)
    site = chapter_body(guide, chapter, {"images/mapa.png": (640, 480)}, {"uno": "uno.html", "dos": "dos.html"},
                        cache)
    assert '<a href="practicas/radio.html">Radio</a>' in site
    assert '<img src="images/mapa.png" loading="lazy" width="640" height="480" alt="Mapa" />' in site
    assert 'href="dos.html#dos-tabla"' in site
    single = chapter_body(guide, chapter, {}, None, cache)  # the single-file edition: anchors stay
    assert 'href="#dos-tabla"' in single
    assert '<img src="images/mapa.png" loading="lazy" alt="Mapa" />' in single  # no size known: none given


def wide_table(columns: int, head: str = "") -> str:
    names = [f"Col {i}" for i in range(1, columns + 1)]
    return ("<table>\n<caption>Ancha</caption>\n<thead>\n" + (head or "<tr>" + "".join(
        f"<th>{n}</th>" for n in names) + "</tr>") + "\n</thead>\n<tbody>\n<tr>"
        + "".join(f'<td style="text-align: right;">{i}</td>' for i in range(columns)) + "</tr>\n</tbody>\n</table>")


def test_wrap_tables_marks_wide_tables_to_stack_with_labels_and_roles():
    out = wrap_tables(wide_table(5, '<tr><th></th><th>Año "de"</th><th><em>Valor</em></th><th>C</th><th>D</th></tr>'))
    assert '<table role="table" class="gb-stack">' in out
    assert out.count('role="rowgroup"') == 2 and out.count('<tr role="row">') == 2
    # the empty corner names nothing: a plain cell, and its column's cells get no label
    assert '<td role="cell"></td><th role="columnheader">Año "de"</th><th role="columnheader"><em>Valor</em></th>' in out
    assert '<td role="cell" style="text-align: right;">0</td>' in out
    assert '<td role="cell" data-label="Año &quot;de&quot;" style="text-align: right;">1</td>' in out
    assert '<td role="cell" data-label="Valor" style="text-align: right;">2</td>' in out


def test_wrap_tables_leaves_narrow_merged_and_headless_tables_as_tables():
    four = wrap_tables(wide_table(4))
    assert "gb-stack" not in four and "data-label" not in four and 'role="row"' not in four
    merged = wide_table(5).replace("<td", '<td colspan="2"', 1)
    two_heads = wide_table(5, "<tr><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th></tr><tr><th>x</th></tr>")
    headless = re.sub(r"<thead>.*?</thead>", "", wide_table(5), flags=re.S)
    for html in (merged, two_heads, headless):
        assert "gb-stack" not in wrap_tables(html)
    assert "gb-stack" in wrap_tables(wide_table(7))
