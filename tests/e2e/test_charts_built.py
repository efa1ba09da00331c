"""Charts as each reader gets them, measured in the built outputs: the book (text >= 8 pt as printed),
the large print (>= 16 pt, cut into parts when taller than a page), the site on a phone (>= 12 CSS px at
360 px in Chromium) and on a desktop, the single file, and the DOCX in LibreOffice.

The mini guide is built once with a second chart of sixteen long-labelled indicators (plainly fictional)
added, whose large-print variant cannot fit one page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as LH

from chart_pdf import chart_boxes, overlaps
from conftest import FIXTURES, run_cli
from guidebuilder.transforms import charts as C

SLUG = "guia-transparencia-proactiva"
LONG_INDICATORS = "".join(f"""
- id: prueba-larga-{n}
  group: prueba-larga
  name: Indicador ficticio {n}
  label: Indicador ficticio número {n} con una etiqueta larga que hay que partir en líneas
  value: {20 + 4 * n}
  reference_value: {15 + 3 * n}
  reference_label: ficticio
  territory: Municipio de Ejemplo
  scale: 0-100
  year: 2024
  source:
    title: Fuente ficticia de prueba
  verification: parcial
""" for n in range(16))
LONG_CHART = """
::: {.chart group="prueba-larga" caption="Dieciséis indicadores ficticios de prueba"}
:::
"""
BOOK_PT, LARGE_PT, PHONE_PX = 8.0, 16.0, 12.0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("charts")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    with open(guide / "data" / "indicators.yml", "a", encoding="utf-8") as f:
        f.write(LONG_INDICATORS)
    chapter = guide / "chapters" / "que-es.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("\nAntes de elegir un canal", LONG_CHART + "\nAntes de elegir un canal"),
                       encoding="utf-8")
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "pdf,html,docx", "-q")
    assert result.returncode == 0, result.stderr
    return out


def page_size(pdf: Path, number: int) -> tuple[float, float]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[number - 1].get_size()
    finally:
        doc.close()


def check_printed(pdf: Path, min_pt: float, widths: tuple[float, ...] = (468.0,)) -> list:
    charts = chart_boxes(pdf, widths)
    for chart in charts:
        assert chart.texts, f"p. {chart.page}: chart without text (drawn as outlines?)"
        small = [t for t in chart.texts if t.size < min_pt - 0.01]
        assert not small, f"p. {chart.page}: chart text under {min_pt} pt: {small[:3]}"
        fonts = {t.font.split("+")[-1] for t in chart.texts}
        assert fonts == {"Atkinson-Hyperlegible"}, fonts
        assert not [t.text for t in chart.texts for bar in chart.bars if overlaps(t.box, bar)], \
            f"p. {chart.page}: chart text over a bar"
        width, height = page_size(pdf, chart.page)
        assert 0 <= chart.box[0] and chart.box[2] <= width and 0 <= chart.box[1] and chart.box[3] <= height
    return charts


def check_parts(pdf: Path, charts: list) -> None:
    """The short chart whole, the long one cut into two parts or more on pages that follow one another,
    its caption after the last part."""
    from pypdf import PdfReader

    assert len(charts) >= 3
    pages = [c.page for c in charts[1:]]
    assert pages == sorted(pages) and pages[-1] - pages[0] <= len(pages)
    last = PdfReader(str(pdf)).pages[charts[-1].page - 1].extract_text()
    assert "Dieciséis indicadores ficticios de prueba" in " ".join(last.split())


def test_book_charts_print_at_their_size_in_the_guides_font(built):
    pdf = built / "pdf" / f"{SLUG}.pdf"
    charts = check_printed(pdf, BOOK_PT, (C.BOOK_PARTS.width,))  # found at the width drawn: never scaled down
    assert {round(t.size, 2) for c in charts for t in c.texts} == {9.0}
    check_parts(pdf, charts)  # too tall for one page of the book
    if shutil.which("pdffonts"):
        listed = subprocess.run(["pdffonts", "-f", str(charts[0].page), "-l", str(charts[0].page), str(pdf)],
                                capture_output=True, text=True).stdout
        assert "Atkinson-Hyperlegible" in listed


def test_large_print_charts_are_drawn_for_it_and_cut_to_fit(built):
    pdf = built / "pdf" / f"{SLUG}-letra-grande.pdf"
    charts = check_printed(pdf, LARGE_PT)
    assert {round(t.size, 2) for c in charts for t in c.texts} == {16.0}
    check_parts(pdf, charts)


def test_chart_alt_text_is_short_and_points_to_the_table(built):
    page = LH.fromstring((built / "html" / "que-es.html").read_bytes())
    alts = page.xpath("//figure[contains(@class, 'gb-chart')]//img/@alt")
    assert alts == ["Gráfica de barras: Uso de internet en 2024. Los datos están en la tabla que sigue.",
                    "Gráfica de barras: Dieciséis indicadores ficticios de prueba. Los datos están en la tabla que sigue."]
    assert not page.xpath("//*[@data-grande-partes or @data-libro-partes]")  # for the PDF only


def measure_charts(url: str, width: int) -> list[dict]:
    from guidebuilder.checks import layout_html as L

    with L.chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1)
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        measured = L.measure(tab, narrow=width <= 360)
        shown = tab.evaluate("() => [...document.querySelectorAll('figure.gb-chart img')]"
                             ".map(i => [i.currentSrc.slice(0, 40), i.naturalWidth])")
        context.close()
    for chart, (src, natural) in zip(measured["charts"], shown):
        chart["current"], chart["natural"] = src, natural
    return measured["charts"]


@pytest.mark.browser
@pytest.mark.parametrize("width, phone", [(320, True), (360, True), (1280, False)])
def test_site_chart_text_at_least_12_px(built, width, phone):
    from guidebuilder.checks import layout_html as L

    if not Path(L.CHROMIUM).exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    with L.serve(built / "html") as base:
        charts = measure_charts(base + "que-es.html", width)
    assert len(charts) == 2
    for chart in charts:
        assert chart["texts"] > 10 and chart["size"] >= PHONE_PX, chart
        assert chart["src"].endswith("-movil.svg") == phone, chart
        assert chart["natural"] == (328 if phone else 624), chart


@pytest.mark.browser
def test_single_file_offers_the_phone_chart_inline(built):
    from guidebuilder.checks import layout_html as L

    if not Path(L.CHROMIUM).exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    doc = LH.fromstring((built / "html" / f"{SLUG}-completa.html").read_bytes())
    assert all(s.startswith("data:image/svg+xml") for s in doc.xpath("//figure//source/@srcset"))
    with L.serve(built / "html") as base:
        charts = measure_charts(base + f"{SLUG}-completa.html", 360)
    assert len(charts) == 2
    for chart in charts:
        assert chart["current"].startswith("data:image/svg+xml") and chart["natural"] == 328, chart
        assert chart["size"] >= PHONE_PX, chart


@pytest.mark.libreoffice
def test_docx_charts_show_in_libreoffice(built, tmp_path):
    import zipfile

    from docx_helpers import soffice

    docx = built / "docx" / f"{SLUG}.docx"
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert sum(n.endswith(".svg") for n in media) == 2
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    assert sum(n.endswith(".png") for n in media) == 2, "no PNG fallback: LibreOffice would show no chart"
    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(docx))
    pdf = tmp_path / f"{SLUG}.pdf"
    assert pdf.is_file(), result.stderr
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout
    images = [line for line in listed.splitlines()[2:] if " image " in line]
    assert len(images) >= 2, listed
