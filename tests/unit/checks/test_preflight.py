"""Preflight on a small PDF made here with pikepdf: boxes, bleed, fonts, placed images, colour."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from guidebuilder.checks.preflight import analyse, check, format_report

PT = 72 / 25.4  # points per mm


def make_pdf(path: Path) -> Path:
    """Write two pages. Page 1: boxes with 3.53 mm of bleed, an RGB transparency group, a Helvetica
    that is not embedded, an RGB fill and a CMYK stroke, a 30×30 px RGB image placed 1 inch wide, and a
    form (drawn twice with the same matrix, so followed once) that places the image again half as wide
    and sets a grey stroke with CS/SCN. Page 2: a MediaBox only."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, bytes(30 * 30 * 3))
    image.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Image, "/Width": 30, "/Height": 30,
                  "/ColorSpace": pikepdf.Name.DeviceRGB, "/BitsPerComponent": 8})
    image_ref = pdf.make_indirect(image)
    form = pikepdf.Stream(pdf, b"q 36 0 0 36 0 0 cm /Im1 Do Q /DeviceGray CS 0.5 SCN")
    form.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Form, "/BBox": [0, 0, 100, 100],
                 "/Matrix": [1, 0, 0, 1, 20, 20],
                 "/Resources": pikepdf.Dictionary({"/XObject": pikepdf.Dictionary({"/Im1": image_ref})})})
    form_ref = pdf.make_indirect(form)
    font = pdf.make_indirect(pikepdf.Dictionary({"/Type": pikepdf.Name.Font, "/Subtype": pikepdf.Name.Type1,
                                                 "/BaseFont": pikepdf.Name.Helvetica}))
    content = (b"q 1 0 0 rg 0 0 0 1 K 72 0 0 72 10 10 cm /Im1 Do Q "
               b"/Fm1 Do /Fm1 Do BT /F1 12 Tf 20 20 Td (Hola) Tj ET")
    page = pikepdf.Dictionary({
        "/Type": pikepdf.Name.Page, "/MediaBox": [0, 0, 200, 200], "/BleedBox": [0, 0, 200, 200],
        "/TrimBox": [10, 10, 190, 190],
        "/Group": pikepdf.Dictionary({"/S": pikepdf.Name.Transparency, "/CS": pikepdf.Name.DeviceRGB}),
        "/Resources": pikepdf.Dictionary({"/XObject": pikepdf.Dictionary({"/Im1": image_ref, "/Fm1": form_ref}),
                                          "/Font": pikepdf.Dictionary({"/F1": font})}),
        "/Contents": pdf.make_stream(content)})
    pdf.pages.append(pikepdf.Page(page))
    pdf.add_blank_page(page_size=(100, 100))
    pdf.save(path)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return analyse(make_pdf(tmp_path_factory.mktemp("preflight") / "hoja.pdf"))


def test_boxes_and_bleed_in_millimetres(report):
    first, second = report.pages
    assert first.size_mm == (round(180 / PT, 2), round(180 / PT, 2))
    assert first.bleed_sides() == (3.53, 3.53, 3.53, 3.53)
    assert second.trim is None and second.bleed_sides() is None
    assert second.size_mm == (35.28, 35.28)


def test_images_measured_through_forms_once_per_matrix(report):
    placed = [(im.page, im.name, im.width_mm, im.dpi, im.colour_space) for im in report.images]
    assert placed == [(1, "Im1", 25.4, 30.0, "DeviceRGB"), (1, "Im1", 12.7, 60.0, "DeviceRGB")]


def test_fonts_and_colour_operators(report):
    assert [(f.name, f.subtype, f.embedded, f.subset) for f in report.fonts] == [("Helvetica", "Type1", False, False)]
    assert report.operators == {"DeviceRGB (transparency group)": 1, "DeviceRGB": 1, "DeviceCMYK": 1,
                                "DeviceGray": 1}
    assert report.pdfx_version is None and report.output_intents == []


def test_check_lists_what_a_print_shop_rejects(report):
    failures = check(_copy(report), min_dpi=50, min_bleed=3.0, cmyk=None).failures
    assert failures == ["page 2: no TrimBox (the finished size is unknown)", "page 2: no BleedBox",
                        "font Helvetica (Type1) is not embedded",
                        "page 1: image Im1 is 30×30 px at 25.4×25.4 mm: 30 dpi, below 50"]
    cmyk = check(_copy(report), min_dpi=10, min_bleed=4, cmyk=True).failures
    assert cmyk[0] == ("page 1: bleed 3.53 mm, less than 4 mm (left 3.53, bottom 3.53, right 3.53, top 3.53)")
    assert cmyk[-4:] == ["RGB colour in a CMYK print file: DeviceRGB ×1, DeviceRGB (transparency group) ×1",
                         "RGB images in a CMYK print file: Im1 (DeviceRGB)",
                         "no output intent (a PDF/X file needs one, with its ICC profile)",
                         "no PDF/X version key (GTS_PDFXVersion)"]


def test_format_report_says_failed_or_ok(report):
    failed = format_report(check(_copy(report), cmyk=False))
    assert "  page 1: finished 63.50 × 63.50 mm" in failed
    assert "    page 1 Im1: 30×30 px at 12.7×12.7 mm = 60 dpi, DeviceRGB" in failed
    assert failed.splitlines()[-1] == "  - page 1: image Im1 is 30×30 px at 12.7×12.7 mm: 60 dpi, below 300"
    passed = _copy(report)
    passed.pages, passed.fonts, passed.images = passed.pages[:1], [], []
    assert format_report(check(passed, cmyk=False)).endswith(
        "OK: boxes, bleed, fonts, image resolution and colour pass")


def _copy(report):
    """A report with no failures yet (check() appends to it)."""
    import dataclasses

    return dataclasses.replace(report, failures=[], notes=list(report.notes))
