"""Layout findings of the HTML site, measured in headless Chromium on a tiny site written here: one page
made to break each check, and a clean page that has every trap the checks must step over."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.checks.layout_html import shot_name

STYLE = "<style>body { margin: 0; padding: 8px; font: 16px sans-serif; } img { max-width: 100%; height: auto; }</style>"


def page(body: str) -> str:
    return f'<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Prueba</title>' \
           f'<meta name="viewport" content="width=device-width, initial-scale=1">{STYLE}</head><body>{body}</body></html>'


def svg(font_size: float, width: int = 200) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{width // 2}" ' \
           f'viewBox="0 0 {width} {width // 2}"><rect width="{width}" height="{width // 2}" fill="#eee"/>' \
           f'<g><text x="10" y="40" font-size="{font_size}">Etiqueta {font_size}</text></g></svg>'


WIDE_TABLE = "<table style='white-space: nowrap'><caption>Tabla ancha de prueba</caption><tr>" + "".join(
    f"<td>Columna-número-{i}</td>" for i in range(14)) + "</tr></table>"

PAGES = {
    "ancho.html": page('<p>Texto normal.</p><div id="caja" style="width: 500px; background: #ddd"><p>Caja de 500 px</p></div>'),
    "invisible.html": page('<p>Texto normal.</p><div style="width: 900px; visibility: hidden">oculto</div>'),
    "letra/chica.html": page('<p>Texto normal.</p><p style="font-size: 9px">Nota de nueve píxeles</p>'),
    "marcado.html": page("<p>Texto normal.</p><ul><li>Comentario: &lt;b&gt;x&lt;/b&gt; en la lista</li></ul>"),
    "tabla.html": page(f'<div class="tabla" style="overflow-x: auto">{WIDE_TABLE}</div>'),
    "grafica.html": page('<p>Texto normal.</p><img src="chica.svg" width="200" height="100" alt="Gráfica chica">'
                         '<img src="reducida.svg" width="200" height="100" alt="Gráfica reducida">'),
    "limpia.html": page(
        '<form><label for="q" style="position: absolute; width: 1px; height: 1px; overflow: hidden; '
        'font-size: 9px">Buscar</label><input id="q"></form>'
        '<span style="position: absolute; clip: rect(0 0 0 0); font-size: 9px">solo para <b>lectores</b> de pantalla</span>'
        '<p>El código <code>&lt;b&gt;</code> se muestra a propósito; <small style="font-size: 12px">nota</small>.</p>'
        '<div class="tabla" style="overflow-x: auto"><table><tr><td>a</td><td>b</td></tr></table></div>'
        '<p style="display: none; font-size: 8px">oculto &lt;!-- --&gt;</p>'
        '<img src="grande.svg" width="200" height="100" alt="Gráfica grande">'
        '<div style="overflow: hidden; width: 100px"><div style="width: 900px">recortado a propósito</div></div>'),
}
SVGS = {
    "chica.svg": svg(6),  # drawn at its natural size: 6 px text
    "reducida.svg": svg(20, width=400),  # 20 units drawn at half size: 10 px
    "grande.svg": svg(24),  # 24 px text
}


def test_shot_names_are_flat_and_deterministic():
    assert shot_name("index.html", 360) == "index-360.png"
    assert shot_name("catalogo/practicas-digital.html", 1280) == "catalogo-practicas-digital-1280.png"


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """The tiny site measured once at 360 and 1280 px, with screenshots."""
    pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    from guidebuilder.checks.layout_html import site_findings

    site = tmp_path_factory.mktemp("sitio")
    for rel, text in {**PAGES, **SVGS}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    shots = tmp_path_factory.mktemp("capturas")
    findings, taken = site_findings(site, list(PAGES), shots)
    return findings, taken, shots


def of(findings, page: str, kind: str | None = None) -> list:
    return [f for f in findings if f.output == f"html/{page}" and (kind is None or f.kind == kind)]


@pytest.mark.browser
def test_wide_element_is_named_on_the_phone_only(measured):
    findings = of(measured[0], "ancho.html")
    assert [(f.kind, f.view) for f in findings] == [("overflow", "360")]
    detail = findings[0].detail
    assert detail["name"] == "div#caja" and detail["text"].startswith("Caja de 500 px")
    assert detail["width"] == 500 and detail["scroll_width"] > detail["viewport"] == 360
    assert "div#caja" in findings[0].message and "360 px" in findings[0].message


@pytest.mark.browser
def test_page_that_scrolls_sideways_with_nothing_to_name(measured):
    findings = of(measured[0], "invisible.html")
    assert [(f.kind, f.view) for f in findings] == [("overflow", "360")]
    assert findings[0].detail == {"viewport": 360, "scroll_width": 908}
    assert "se desplaza de lado" in findings[0].message


@pytest.mark.browser
def test_small_text_reports_the_smallest_with_its_text(measured):
    findings = of(measured[0], "letra/chica.html")
    assert [(f.kind, f.view) for f in findings] == [("small-text", "360"), ("small-text", "1280")]
    assert findings[0].detail["size"] == 9 and findings[0].detail["text"] == "Nota de nueve píxeles"
    assert "9.0 px" in findings[0].message


@pytest.mark.browser
def test_markup_shown_as_text_is_reported_once(measured):
    findings = of(measured[0], "marcado.html")
    assert [(f.kind, f.view) for f in findings] == [("raw-markup", "360")]
    assert "<b>x</b>" in findings[0].detail["text"] and findings[0].detail["name"] == "li"


@pytest.mark.browser
def test_table_that_scrolls_sideways_is_reported_on_the_phone(measured):
    findings = of(measured[0], "tabla.html")
    assert [(f.kind, f.view) for f in findings] == [("overflow", "360")]
    detail = findings[0].detail
    assert detail["what"] == "tabla que se desplaza de lado" and detail["table"]
    assert detail["text"] == "Tabla ancha de prueba" and detail["scrollWidth"] > detail["width"]


@pytest.mark.browser
def test_chart_text_is_measured_at_its_drawn_size(measured):
    findings = of(measured[0], "grafica.html")
    assert [(f.kind, f.view) for f in findings] == [("small-text", "360")] * 2 + [("small-text", "1280")] * 2
    sizes = {f.detail["src"].rsplit("/", 1)[-1]: round(f.detail["size"], 1) for f in findings}
    assert sizes == {"chica.svg": 6.0, "reducida.svg": 10.0}
    assert findings[0].detail["text"] == "Etiqueta 6"


@pytest.mark.browser
def test_clean_page_has_no_finding(measured):
    assert of(measured[0], "limpia.html") == []
    assert {f.kind for f in measured[0]} == {"overflow", "small-text", "raw-markup"}


@pytest.mark.browser
def test_screenshots_one_per_page_and_width(measured):
    from PIL import Image

    _, taken, shots = measured
    assert list(taken) == list(PAGES)
    assert taken["letra/chica.html"] == {360: "letra-chica-360.png", 1280: "letra-chica-1280.png"}
    wide = Image.open(shots / taken["limpia.html"][1280])
    assert wide.format == "PNG" and wide.width == 360
    assert Image.open(shots / taken["limpia.html"][360]).width == 360
    assert sorted(p.name for p in shots.iterdir()) == sorted(n for w in taken.values() for n in w.values())


def test_a_missing_page_is_refused_before_chromium_starts(tmp_path: Path):
    from guidebuilder.checks.layout_html import site_findings

    with pytest.raises(FileNotFoundError, match="no-existe.html"):
        site_findings(tmp_path, ["no-existe.html"], None)
