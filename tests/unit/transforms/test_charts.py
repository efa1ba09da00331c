"""Charts drawn for each reader: real SVG text in the guide's font, sizes per variant, legends clear of the
bars, the large-print variant cut to fit a page, short alt texts, and how the book and the site use them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from chart_pdf import chart_boxes, overlaps
from conftest import ROOT
from guidebuilder.model.schema import Indicator
from guidebuilder.render.html.pages import chart_pictures, svg_size
from guidebuilder.render.pdf.book import print_blocks
from guidebuilder.transforms import charts as C
from guidebuilder.transforms import consultation as CB
from guidebuilder.transforms.directives import chart_blocks

FONTS = ROOT / "assets" / "fonts" / "atkinson-hyperlegible"
FONT = FONTS / "atkinson-hyperlegible-latin-400-normal.woff2"
TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")


def indicator(ident: str, label: str, value: float, ref: float | None = None, scale: str = "0-100") -> Indicator:
    data = {"id": ident, "group": "g", "name": label, "label": label, "value": value, "territory": "México",
            "scale": scale, "year": 2024, "source": {"title": "Fuente de prueba"}, "verification": "parcial"}
    if ref is not None:
        data |= {"reference_value": ref, "reference_label": "nacional"}
    return Indicator.model_validate(data)


INDICATORS = [indicator("a", "Usan internet (México)", 83.1),
              indicator("b", "Hogares con internet (Nuevo León)", 83.7, 73.6),
              indicator("c", "Usan internet (18 a 24 años)", 97.0)]
LONG = [indicator(f"i{n}", f"Indicador de prueba número {n} con una etiqueta bastante larga para envolver",
                  20 + 4 * n, 15 + 3 * n) for n in range(16)]


def texts(svg: bytes) -> list[tuple[str, str]]:
    """(style, text) of every <text> of an SVG."""
    return [(m.group(1), m.group(2)) for m in TEXT.finditer(svg.decode())]


def sizes(svg: bytes) -> set[float]:
    return {float(re.search(r"font-size: ([\d.]+)px", style).group(1)) for style, _ in texts(svg)}


@pytest.fixture(scope="module")
def drawn() -> dict[str, bytes]:
    return C.bar_charts(INDICATORS, "Uso de internet", "Gráfica de barras. Los datos están en la tabla que sigue.",
                        FONT)


def print_svg(svg: bytes, tmp_path: Path, name: str = "c") -> Path:
    """The SVG as an <img> of a WeasyPrint document whose @font-face rules give the guide's font."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    faces = "".join(f'@font-face {{ font-family: "Atkinson Hyperlegible"; src: url("{path.as_uri()}"); '
                    f"font-weight: {w}; font-style: {style}; }}\n"
                    for w in (400, 700) for style in ("normal", "italic")
                    for path in [FONTS / f"atkinson-hyperlegible-latin-{w}-{style}.ttf"])
    (tmp_path / f"{name}.svg").write_bytes(svg)
    config = FontConfiguration()
    css = CSS(string=faces + "@page { size: 8.5in 14in; margin: 0.5in; } body { margin: 0; }", font_config=config)
    HTML(string=f'<html lang="es"><body><img src="{name}.svg" alt="x"></body></html>',
         base_url=str(tmp_path) + "/").write_pdf(tmp_path / f"{name}.pdf", stylesheets=[css], font_config=config)
    return tmp_path / f"{name}.pdf"


# ---------------------------------------------------------------- the SVG

def _parts(files: dict, suffix: str) -> list:
    """A variant's SVGs: the whole chart, or its parts in order."""
    return [files[name[1:-4]] for name in C.part_names("x.svg", suffix, max(C.parts(files, suffix), 1))]


def test_every_variant_is_real_text_in_the_guides_font(drawn):
    assert {k for k in drawn if not re.search(r"-\d+$", k)} == {"", "-grande", "-movil", "-libro"}
    for variant in (*C.VARIANTS, C.BOOK_PARTS):
        found = []
        for svg in _parts(drawn, variant.suffix):
            assert not re.search(rb'(id="|href="#)(DejaVu|Atkinson)', svg)  # no glyph outlines
            found += texts(svg)
            assert sizes(svg) == {variant.size}, variant
            assert svg_size(svg)[0] == round(variant.width * 4 / 3)
            assert b'<title id="t">Uso de internet' in svg and b'role="img"' in svg
        assert len(found) > 10
        assert all("font-family: 'Atkinson Hyperlegible', sans-serif" in style for style, _ in found)
        shown = " ".join(t for _, t in found)
        assert "Valor" in shown and "Referencia" in shown and "73.6 %" in shown and "97 %" in shown


def test_same_input_same_bytes_and_no_date(drawn):
    again = C.bar_charts(INDICATORS, "Uso de internet", "Gráfica de barras. Los datos están en la tabla que sigue.",
                         FONT)
    assert again == drawn
    for svg in drawn.values():
        assert b"<dc:date" not in svg and b"<metadata" not in svg and b"<?xml" not in svg


def test_a_cached_chart_is_what_a_fresh_one_is(tmp_path, drawn):
    from guidebuilder.core.cache import Cache

    cache = Cache(tmp_path / "cache")
    args = (INDICATORS, "Uso de internet", "Gráfica de barras. Los datos están en la tabla que sigue.", FONT)
    assert C.bar_charts(*args, cache=cache) == drawn
    assert C.bar_charts(*args, cache=cache) == drawn  # now from the cache


def test_long_labels_wrap_in_the_narrow_variants():
    files = C.bar_charts(LONG[:2], "T", "D", FONT)
    for variant in (C.LARGE, C.PHONE):
        lines = [t for svg in _parts(files, variant.suffix) for _, t in texts(svg) if t.startswith(("Indicador", "con ", "bastante", "para"))
                 or "etiqueta" in t or "envolver" in t]
        assert len(lines) > 2, variant  # each label over two lines or more
        assert all(len(line) < len(LONG[0].label) for line in lines)


def test_a_tall_chart_is_cut_into_parts_for_print():
    files = C.bar_charts(LONG, "Muchos indicadores", "D", FONT)
    for variant in (C.LARGE, C.BOOK_PARTS):
        count = C.parts(files, variant.suffix)
        assert count > 1 and f"{variant.suffix}-2" in files
        shown = ""
        for k, name in enumerate(C.part_names("x.svg", variant.suffix, count), start=1):
            svg = files[name[1:-4]]
            assert svg_size(svg)[1] * 3 / 4 <= variant.max_height + 0.5
            assert f"(parte {k} de {count})".encode() in svg
            assert sizes(svg) == {variant.size}
            shown += " ".join(t for _, t in texts(svg)) + " "
        for n in range(len(LONG)):  # every row in one part, once
            assert len(re.findall(rf"número {n} con", shown)) == 1, variant
    assert svg_size(files[""])[1] * 3 / 4 > C.BOOK_PARTS.max_height  # whole for the site and the DOCX
    assert C.parts(files, "-movil") == 1 and "-movil-2" not in files
    assert C.part_names("graficas/x-1.svg", "-grande", 2) == ["graficas/x-1-grande.svg", "graficas/x-1-grande-2.svg"]
    short = C.bar_charts(INDICATORS, "T", "D", FONT)
    assert C.parts(short, "-libro") >= 1 and C.parts(short, "-grande") >= 1  # the book's own, at its measure
    assert svg_size(short["-libro"])[0] == round(C.BOOK_PARTS.width * 4 / 3)


def test_grouped_chart_counts_percent_and_note():
    files = C.grouped_bar_charts(["Salud", "Agua"], [("Menciones", [12, 7])], "Temas", "D", FONT)
    shown = " ".join(t for _, t in texts(files[""]))
    assert "12" in shown and "Menciones" not in shown  # one series: no legend
    files = C.grouped_bar_charts(["Portal web", "Radio"], [("Jóvenes", [40.0, 10.0]), ("Mayores", [5.0, 60.0])],
                                 "Canales", "D", FONT, percent=True, note="Datos ilustrativos, no son resultados reales.")
    for variant in (*C.VARIANTS, C.BOOK_PARTS):
        found = [t for svg in _parts(files, variant.suffix) for t in texts(svg)]
        assert {"Jóvenes", "Mayores", "60 %", "100 %"} <= {t for _, t in found}
        assert any("font-style: italic" in style and "Datos ilustrativos" in t for style, t in found)
    assert C.grouped_bar_chart(["Salud"], [("", [3])], "Temas", "D", FONT).startswith(b"<svg ")


def test_not_drawn_gives_every_variant_an_empty_svg():
    with C.not_drawn():
        files = C.bar_charts(INDICATORS, "T", "D", FONT)
    assert files == {v.suffix: C.NOT_DRAWN for v in C.VARIANTS}


# ---------------------------------------------------------------- as WeasyPrint prints them

def test_printed_text_is_the_guides_font_at_the_variants_size(tmp_path, drawn):
    for variant in C.VARIANTS:
        [chart] = chart_boxes(print_svg(drawn[variant.suffix], tmp_path, f"v{variant.suffix}"), (variant.width,))
        assert chart.texts, "no text in the chart: drawn as outlines?"
        assert {round(t.size, 2) for t in chart.texts} == {variant.size}
        assert all(t.font.endswith("Atkinson-Hyperlegible") for t in chart.texts), {t.font for t in chart.texts}
        assert not [t.text for t in chart.texts for bar in chart.bars if overlaps(t.box, bar)]


def test_legend_over_a_bar_is_found(tmp_path):
    """The old chart's legend (lower right, inside the plot) sat on the last bar: the check sees it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "test"})
    fig, ax = plt.subplots(figsize=(6.5, 2), dpi=72)
    ax.barh([0, 1], [1.1, 0.5], height=0.6, color="#1f5f8b", label="Valor")
    ax.barh([1.3], [0.4], height=0.3, color="#b5651d", label="Referencia")
    ax.set_xlim(0, 1.12)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    [chart] = chart_boxes(print_svg(buf.getvalue().encode(), tmp_path))
    assert [t.text for t in chart.texts for bar in chart.bars if overlaps(t.box, bar)]


# ---------------------------------------------------------------- alt text and the blocks

def test_alt_text_is_one_sentence_and_points_to_the_table():
    assert C.alt_text("Gráfica de barras: Uso de internet") == \
        "Gráfica de barras: Uso de internet. Los datos están en la tabla que sigue."
    assert C.alt_text(C.alt_text("Gráfica.")) == "Gráfica. Los datos están en la tabla que sigue."


def fake_guide():
    return SimpleNamespace(asset=lambda *parts: FONT if parts[-1].endswith(".woff2") else None)


def test_chart_blocks_give_a_short_alt_and_every_variant():
    d = SimpleNamespace(attrs={}, index=1)
    generated: dict = {}
    with C.not_drawn():
        figure, table = chart_blocks(fake_guide(), SimpleNamespace(id="cap"), d, INDICATORS, "Uso de internet",
                                     generated)
    image = figure["c"][2][0]["c"][0]
    alt = "".join(i.get("c", " ") if i["t"] == "Str" else " " for i in image["c"][1])
    assert alt == "Gráfica de barras: Uso de internet. Los datos están en la tabla que sigue."
    assert image["c"][2][0] == "graficas/cap-2.svg"
    assert sorted(generated) == ["graficas/cap-2-grande.svg", "graficas/cap-2-movil.svg", "graficas/cap-2.svg"]
    assert "gb-chart-data" in table["c"][0][1]


def test_consultation_chart_alt_names_no_data():
    d = SimpleNamespace(attrs={}, index=0)
    generated: dict = {}
    long_alt = "Gráfica de barras: " + "; ".join(f"Canal {n} 10 %" for n in range(200))
    with C.not_drawn():
        figure = CB._chart(fake_guide(), SimpleNamespace(id="consulta"), d, generated, None,
                           "Canales preferidos (datos ilustrativos, no son resultados reales)", ["Radio"],
                           [("Jóvenes", [10.0])], True, long_alt, "Datos ilustrativos, no son resultados reales.")
    image = figure["c"][2][0]["c"][0]
    alt = "".join(i.get("c", " ") if i["t"] == "Str" else " " for i in image["c"][1])
    assert alt == ("Gráfica de barras: Canales preferidos, en porcentaje de las respuestas de cada grupo. "
                   "Datos ilustrativos, no son resultados reales. Los datos están en la tabla que sigue.")
    assert len(generated) == 3


def chart_figure(large: int, book: int = 0) -> dict:
    files = {"": b"", "-movil": b"", **{("-grande" + (f"-{k}" if k > 1 else "")): b"" for k in range(1, large + 1)},
             **{("-libro" + (f"-{k}" if k > 1 else "")): b"" for k in range(1, book + 1)}}
    return C.chart_figure("grafica-x-1", "Pie", "Gráfica. Los datos están en la tabla que sigue.",
                          "graficas/x-1.svg", files, {})


def srcs(figure: dict) -> list[str]:
    return [b["c"][0]["c"][2][0] for b in figure["c"][2]]


def test_print_shows_the_variant_drawn_for_it_and_every_part():
    assert chart_figure(3, 2)["c"][0][2] == [["grande-partes", "3"], ["libro-partes", "2"]]
    assert chart_figure(1)["c"][0][2] == []
    book = print_blocks([chart_figure(3)])[0]
    assert book["c"][0] == ["grafica-x-1", ["gb-chart"], []] and srcs(book) == ["graficas/x-1-libro.svg"]
    large = print_blocks([chart_figure(3)], large=True)[0]
    assert large["c"][0] == ["grafica-x-1", ["gb-chart", "gb-chart-parts"], []]
    assert srcs(large) == ["graficas/x-1-grande.svg", "graficas/x-1-grande-2.svg", "graficas/x-1-grande-3.svg"]
    alts = ["".join(i.get("c", " ") for i in b["c"][0]["c"][1]) for b in large["c"][2]]
    assert alts[0].startswith("Gráfica.") and alts[2].startswith("Continuación de la gráfica (parte 3 de 3).")
    single = print_blocks([chart_figure(1)], large=True)[0]
    assert single["c"][0][1] == ["gb-chart"] and srcs(single) == ["graficas/x-1-grande.svg"]
    tall = print_blocks([chart_figure(3, 2)])[0]
    assert tall["c"][0][1] == ["gb-chart", "gb-chart-parts"]
    assert srcs(tall) == ["graficas/x-1-libro.svg", "graficas/x-1-libro-2.svg"]


def test_site_offers_the_phone_variant_to_narrow_screens():
    html = '<figure class="gb-chart"><img src="graficas/x-1.svg" alt="A" width="624" height="200" /></figure>'
    sizes = {"graficas/x-1.svg": (624, 200), "graficas/x-1-movil.svg": (328, 400)}
    out = chart_pictures(html, sizes)
    assert out == ('<figure class="gb-chart"><picture><source media="(max-width: 62em)" '
                   'srcset="graficas/x-1-movil.svg" width="328" height="400" />'
                   '<img src="graficas/x-1.svg" alt="A" width="624" height="200" /></picture></figure>')
    assert chart_pictures(html, {"graficas/x-1.svg": (624, 200)}) == html  # no phone variant: left alone
