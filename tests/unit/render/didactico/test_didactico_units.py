"""The didactic materials' parts: guide/didactico/ checked with file:line, the deck's blocks taken from the
guide (never copied), the PowerPoint file finished and reproducible, the social cards' text sizes, contrast,
and overflow."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from guidebuilder.core.cache import Cache
from guidebuilder.core.files import FIXED_ZIP_TIME
from guidebuilder.model.errors import GuideError
from guidebuilder.pandoc import ast as A
from guidebuilder.render.paged import cards
from guidebuilder.render.paged import printing as P

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
NO_CACHE = Cache(None, enabled=False)


def make_guide(tmp_path: Path, taller: str | None = None) -> Path:
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    shutil.copytree(FIXTURES / "didactico", guide / "didactico")
    if taller is not None:
        (guide / "didactico" / "taller.md").write_text(taller, encoding="utf-8")
    return guide


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    from guidebuilder.builder.orchestrator import prepare

    return prepare(make_guide(tmp_path_factory.mktemp("didactico-units")), NO_CACHE)


def test_references_checked_with_file_and_line(tmp_path):
    from guidebuilder.load.loader import load_guide

    taller = ("## Uno\n\n::: {.capitulo id=\"no-existe\"}\n:::\n\n## Dos\n\n::: {.capitulo id=\"canales\" "
              "seccion=\"nada\"}\n:::\n\n::: notes\nNotas.\n:::\n\n::: {.grafico grupo=\"x\"}\n:::\n\n"
              "::: {.grafica grupo=\"no-hay\"}\n:::\n")
    with pytest.raises(GuideError) as caught:
        load_guide(make_guide(tmp_path, taller), NO_CACHE)
    found = [(d.file, d.line, d.message) for d in caught.value.diagnostics]
    assert ("guide/didactico/taller.md", 3, "el capítulo 'no-existe' no existe") in \
        [(f, ln, m.split(";")[0]) for f, ln, m in found]
    assert any(ln == 8 and "la sección 'nada'" in m for _, ln, m in found)
    assert any(ln == 15 and "bloque desconocido '.grafico'" in m and "grafica" in m for _, ln, m in found)
    assert any(ln == 18 and "'no-hay'" in m for _, ln, m in found)


def test_deck_blocks_come_from_the_guide(guide):
    from guidebuilder.render.didactico.slides import deck_blocks

    charts: dict = {}
    blocks = deck_blocks(guide, charts)
    titles = [A.stringify(b) for b in blocks if b["t"] == "Header"]
    assert titles == ["¿Qué es?", "La idea", "Una gráfica", "El método", "Los pasos",
                      "Paso 1 de 2. Identificar las necesidades de información", "Paso 4 de 2. Difundir la información",
                      "Canales sin internet", "Las secciones de canales"]
    text = A.stringify(blocks)
    assert "La transparencia proactiva es publicar información útil" in text  # que-es's first paragraph
    assert "Campaña de radio sobre el derecho de acceso" in text  # the example chosen in didactico.yml
    notes = [A.stringify(b) for b in blocks if b["t"] == "Div" and "notes" in b["c"][0][1]]
    assert any("Tres cápsulas de radio" in n for n in notes)  # the practice's summary, from practices.yml
    assert list(charts) == ["brecha-digital"]
    source, caption, alt, name = charts["brecha-digital"]
    assert source in guide.generated and caption == "Uso de internet en 2024" and alt


def test_pptx_alt_text_theme_and_fixed_times(guide):
    from guidebuilder.render.didactico import slides

    png = cards.rasterise(_one_page_pdf(), [(40, 20)])[0]
    blocks = [A.header(2, "Gráfica"), {"t": "Figure", "c": [A.attr(), [None, [A.plain("Pie")]],
                                                            [A.plain(A.image("Pie", "g.png"))]]}]
    args = (guide, blocks, {"g.png": png}, {"g.png": "Texto alternativo de la gráfica"},
            guide.asset("reference.pptx"), NO_CACHE)
    first = slides.write_pptx(*args)  # the same bytes again: tests/e2e/test_didactico.py (a cold rebuild)
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {i.date_time for i in zf.infolist()} == {FIXED_ZIP_TIME}
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("ppt/slides/slide"))
        theme = zf.read("ppt/theme/theme1.xml")
    assert b'descr="Texto alternativo de la gr' in xml and b'descr="g.png"' not in xml
    assert b'typeface="Atkinson Hyperlegible"' in theme


def _one_page_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<style>@page { size: 40px 20px; margin: 0 }</style><p>x</p>").write_pdf()


def contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_card_colours_pass_aa():
    c = P.colours(False)
    assert contrast(c["papel"], c["azul"]) >= 4.5  # text on the card
    assert contrast(c["tinta"], c["ambar"]) >= 4.5  # the kicker


def test_card_text_sizes_and_names(guide):
    from weasyprint import HTML

    from guidebuilder.render.templating import environment

    items = cards.cards(guide)
    assert [c.name for c in items] == ["guia", "paso-1", "paso-4", "practica-radio-lenguas-oaxaca"]
    document = HTML(string=cards.html(guide, items, environment(guide))).render()
    assert len(document.pages) == 2 * len(items)
    for page in document.pages:
        name, box = cards.card_box(page)
        size = name.rsplit("-", 1)[1]
        sizes = [b.style["font_size"] for b in P.iter_boxes(box) if type(b).__name__ == "TextBox" and b.text.strip()]
        assert sizes and min(sizes) >= cards.MIN_PX[size], name
        assert not cards.overflows(box), name


def test_card_too_long_stops_the_build(guide):
    from guidebuilder.render.templating import environment
    from guidebuilder.render.paged.weasy import Scope

    long = cards.Card("paso-9", "Paso 9", "Un título muy largo " * 12, ("Un resumen largo " * 20,), "alt", "post")
    scope = Scope(guide.root, tuple(guide.asset_dirs), {})
    with pytest.raises(GuideError, match="paso-9-1080"):
        cards.lay_out_cards(scope, cards.html(guide, [long], environment(guide)), [long], NO_CACHE)



def test_long_lists_go_to_two_columns_and_too_long_ones_stop_the_build(guide):
    from guidebuilder.render.didactico.slides import ITEMS_PER_COLUMN, slide_list

    one = slide_list(guide, [f"punto {n}" for n in range(ITEMS_PER_COLUMN)], "x")
    assert one["t"] == "BulletList"
    two = slide_list(guide, [f"punto {n}" for n in range(ITEMS_PER_COLUMN + 3)], "x")
    assert two["t"] == "Div" and two["c"][0][1] == ["columns"]
    columns = [c["c"][1][0]["c"] for c in two["c"][1]]
    assert [len(c) for c in columns] == [6, 5] and all(c["c"][0][1] == ["column"] for c in two["c"][1])
    with pytest.raises(GuideError, match="una diapositiva admite 16"):
        slide_list(guide, [f"punto {n}" for n in range(2 * ITEMS_PER_COLUMN + 1)], "los canales")
