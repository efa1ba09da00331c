"""Layout findings on small PDFs laid out here by WeasyPrint, each made to break one rule, and one
that breaks none. Sizes are set in CSS pt, so what pdfium reads can be checked against them."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import weasyprint

from guidebuilder.checks.findings import KINDS
from guidebuilder.checks.layout_pdf import outline_starts, pdf_findings, read_pages

FONTS = Path(__file__).resolve().parents[3] / "assets" / "fonts" / "atkinson-hyperlegible"
CSS = f"""
@font-face {{ font-family: T; src: url("{(FONTS / 'atkinson-hyperlegible-latin-400-normal.ttf').as_uri()}"); }}
@page {{ size: 120mm 160mm; margin: 18mm 12mm;
        @top-center {{ content: "Encabezado"; font: 8pt T; }} @bottom-center {{ content: counter(page); font: 8pt T; }} }}
body {{ font: 10pt/1.3 T; margin: 0; }}
h1, h2 {{ font-size: 14pt; margin: 0 0 4pt; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 0.5pt solid black; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
"""
FILL = "<p>" + "Texto corrido de relleno para llenar la página entera sin sobresaltos. " * 50 + "</p>"


def lay_out(tmp_path: Path, name: str, body: str, css: str = "") -> Path:
    path = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=f"<html lang=es><style>{CSS}{css}</style><body>{body}</body></html>").write_pdf(path)
    return path


def found(path: Path, kind: str, min_pt: float = 8, starts=None) -> list:
    return [f for f in pdf_findings(path, f"pdf/{path.name}", min_pt, starts) if f.kind == kind]


def test_sizes_read_as_set_in_css(tmp_path):
    """WeasyPrint sets text in px under a 0.75 scale; the size read is the CSS size in pt."""
    path = lay_out(tmp_path, "sizes", '<p style="font-size:10.5pt">Cuerpo</p><p style="font-size:18pt">Grande</p>'
                   '<p style="font-size:6pt">diminuto</p>')
    pdf = pdfium.PdfDocument(str(path))
    sizes = {c.size for c in read_pages(pdf)[0].chars if c.ch.strip()}
    pdf.close()
    assert sizes == {10.5, 18.0, 6.0, 8.0}  # 8 pt: the running head and folio


def test_small_text(tmp_path):
    path = lay_out(tmp_path, "small", '<p>Texto normal con una nota <span style="font-size:6pt">muy diminuta</span>.</p>'
                   '<p style="font-size:7pt">pequeño</p>')
    (finding,) = found(path, "small-text")
    assert finding.page == 1 and finding.detail["smallest_pt"] == 6.0 and finding.detail["text"] == "muy diminuta"
    assert finding.detail["sizes"] == {"6": 11, "7": 7}  # spaces not counted
    assert "6 pt" in finding.message and "8 pt" in finding.message
    large = found(path, "small-text", min_pt=16)  # the large print: 10 pt body text is too small there
    assert large[0].detail["chars"] > 30 and large[0].detail["min_pt"] == 16


def test_empty_page_unless_it_ends_a_chapter(tmp_path):
    """Pages: 1 cover; 2 short, then a section (not a chapter); 3 short, then a blank left-hand page
    and a chapter on 5. Running head and folio do not count as content."""
    body = ('<h1>Portada</h1><h2 style="break-before:page">Sección uno</h2><p>Poco texto.</p>'
            '<h2 style="break-before:page">Sección dos</h2><p>Poco texto.</p>'
            '<h1 style="break-before:right">Capítulo dos</h1><p>Poco texto.</p>')
    path = lay_out(tmp_path, "empty", body)
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) == 5 and outline_starts(pdf) == [1, 5]
    pdf.close()
    (finding,) = found(path, "empty-page")
    assert finding.page == 2 and finding.detail["content_ends_pct"] < 25 and not finding.detail["blank"]
    assert found(path, "empty-page", starts=[1, 3, 5]) == []
    assert found(path, "empty-page", starts=[5]) == []  # pages 1-4 before the first chapter: front matter


def test_empty_page_with_footnotes_at_its_foot(tmp_path):
    """Footnotes sit at the foot of the page whatever the text above them: the gap above them counts."""
    css = ".nota { float: footnote; font-size: 8pt; } @page { @footnote { border-top: 0.5pt solid; } }"
    body = ('<p>Portada.</p><p style="break-before:page">Poco texto con nota.<span class="nota">La nota al pie.</span></p>'
            '<p style="break-before:page">Fin.</p>')
    path = lay_out(tmp_path, "notes", body, css)
    (finding,) = found(path, "empty-page", starts=[1])
    assert finding.page == 2 and finding.detail["footnotes_from_pct"] > 70 and finding.detail["content_ends_pct"] < 25


def test_overflow(tmp_path):
    path = lay_out(tmp_path, "overflow", '<p>Dentro.</p><div style="position:absolute; left:90mm; top:20mm; '
                   'width:60mm; border:1pt solid">Caja fuera de la página</div>')
    (finding,) = found(path, "overflow")
    assert finding.detail["worst_pt"] > 100 and finding.detail["objects"][0]["side"] == "por la derecha"


def test_broken_word(tmp_path):
    table = ('<table><tr><td style="width:14mm; hyphens:none; overflow-wrap:anywhere">Supercalifragilístico</td>'
             '<td style="width:22mm">Solicitudes de información pública</td>'
             '<td style="width:10mm">Transparencia proactiva</td></tr></table>')
    (finding,) = found(lay_out(tmp_path, "broken", table), "broken-word")
    pairs = finding.detail["pairs"]
    assert pairs and all(a[-1].isalpha() and b[0].islower() for a, b in pairs)
    assert "Supercalifragilístico".startswith("".join([pairs[0][0]] + [b for _, b in pairs]))
    assert f"«{pairs[0][0]}»" in finding.message


def test_split_unit(tmp_path):
    cell = '<td style="width:{}; border:0.5pt solid; padding:0">{}</td>'
    cases = [("6mm", "83 %"), ("9mm", "(n = 30)"), ("7mm", "paso 1"), ("6mm", "83&#160;%")]
    body = '<table style="border-collapse:collapse"><tr>' + "".join(cell.format(*c) for c in cases) + "</tr></table>"
    # a contents list: an entry that ends in "paso" over the next entry's number ended, it did not wrap
    body += "<div>4.7. Prácticas que ilustran este paso</div><div>4.8. Lista</div>"
    body += "<div>Capítulo 5. Paso 2. Preparar la información, una entrada más larga</div>"
    (finding,) = found(lay_out(tmp_path, "split", body), "split-unit")
    assert finding.detail["pairs"] == [["83", "%"], ["(n =", "30)"], ["paso", "1"]]


def test_writing_room(tmp_path):
    row = "<tr>" + '<td style="height:{h}; padding:0"></td>' * 2 + "</tr>"
    table = '<p>Tabla 1. Registro</p><table style="width:100%"><tr><th>Fecha</th><th>Firma</th></tr>{rows}</table>'
    path = lay_out(tmp_path, "rows", table.format(rows=row.format(h="3pt") * 3))
    (finding,) = found(path, "writing-room")
    assert finding.detail["count"] == 3 and 0.9 < finding.detail["least_mm"] < 1.3
    assert finding.detail["table"] == "Tabla 1. Registro" and "«Tabla 1. Registro»" in finding.message
    tall = lay_out(tmp_path, "tall", table.format(rows=row.format(h="10mm") * 3))
    assert found(tall, "writing-room") == []
    (large,) = found(tall, "writing-room", min_pt=16)  # the large print asks for 12 mm
    assert large.detail["room_mm"] == 12 and large.detail["count"] == 3


def test_raw_markup(tmp_path):
    body = "<p>Se ve &lt;b&gt;x&lt;/b&gt; aquí.</p><p>Y [un enlace](https://example.org) sin convertir.</p>"
    findings = found(lay_out(tmp_path, "markup", body), "raw-markup")
    assert [f.detail["marks"] for f in findings] == [["<b>", "</b>", "](https://"]]


def test_clean_pdf_has_no_findings(tmp_path):
    """Full pages of text, a table whose cells wrap at spaces, writing rows 10 mm tall, units joined,
    bordered boxes 5 mm apart (the gap between two boxes is no writing row), a double rule."""
    table = ('<table style="width:100%"><tr><th style="width:22mm">Solicitudes de información pública</th>'
             '<th style="width:10mm">Transparencia proactiva</th><th>Notas</th></tr>'
             + '<tr><td style="height:10mm"></td><td></td><td></td></tr>' * 2 + "</table>")
    cards = '<div style="border:1pt solid; padding:2pt; margin-bottom:5mm">Tarjeta</div>' * 2
    cards += '<p style="border-bottom:2.4pt double">Bajo una doble raya.</p>'  # 0.8 pt between its lines
    body = f"<h1>Capítulo</h1>{FILL}<p>El 83&#160;% de los hogares (n&#160;=&#160;30).</p>{table}{cards}"
    path = lay_out(tmp_path, "clean", body)
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) >= 2
    pdf.close()
    assert pdf_findings(path, "pdf/clean.pdf", 8) == []


def test_every_kind_is_known():
    assert {"small-text", "empty-page", "overflow", "broken-word", "split-unit", "writing-room",
            "raw-markup"} <= set(KINDS)


@pytest.mark.parametrize("starts", [None, [1]])
def test_findings_name_the_output(tmp_path, starts):
    path = lay_out(tmp_path, "name", '<p style="font-size:6pt">x</p>')
    (finding,) = pdf_findings(path, "pdf/name.pdf", 8, starts)
    assert finding.output == "pdf/name.pdf" and finding.message.startswith("Página 1:")
