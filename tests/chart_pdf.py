"""Charts as WeasyPrint printed them, read back from the PDF with pdfium (for the chart tests).

A chart's SVG starts with its white background (matplotlib's figure patch): a white rectangle as wide as
the chart was drawn. Everything drawn inside one is the chart's: its characters (size as printed: the
font size times the scale of the text's matrix, the way checks/layout_pdf.py measures text) and its bars
(rectangles filled with a colour that is neither white nor grey).
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ChartText:
    """One character of a chart's text."""

    text: str
    size: float  # pt, as printed
    font: str  # the PDF font's name
    box: tuple[float, float, float, float]  # its ink: left, bottom, right, top (PDF points)


@dataclass
class ChartBox:
    page: int  # 1-based
    box: tuple[float, float, float, float]
    texts: list[ChartText] = field(default_factory=list)
    bars: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def _fill(obj) -> tuple[int, int, int]:
    import pypdfium2.raw as raw

    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
    return r.value, g.value, b.value


def _chars(textpage) -> list[ChartText]:
    """The page's characters (not those pdfium adds for spaces and line ends): each one's ink box (its
    tight glyph box), its size as printed (font size times the scale of its matrix) and its font."""
    import pypdfium2.raw as raw

    tp, out = textpage.raw, []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    matrix, flags, buf = raw.FS_MATRIX(), ctypes.c_int(), ctypes.create_string_buffer(256)
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top)
        raw.FPDFText_GetMatrix(tp, i, matrix)
        size = raw.FPDFText_GetFontSize(tp, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        n = raw.FPDFText_GetFontInfo(tp, i, buf, 256, flags)
        out.append(ChartText(chr(code) if code else "", size, buf.raw[: max(0, n - 1)].decode("latin-1"),
                             (left.value, bottom.value, right.value, top.value)))
    return out


def _inside(inner, outer, slack: float = 0.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack
            and inner[3] <= outer[3] + slack)


def chart_boxes(path: Path, widths: tuple[float, ...] = (468.0,)) -> list[ChartBox]:
    """Every chart of the PDF drawn at one of `widths` (pt), with its text and its bars."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out: list[ChartBox] = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            chars = [c for c in _chars(page.get_textpage()) if c.text.strip()]
            objects = list(page.get_objects(max_depth=4))
            frames = [ChartBox(number + 1, o.get_bounds()) for o in objects if o.type == 2
                      and _fill(o) == (255, 255, 255)
                      and any(abs(o.get_bounds()[2] - o.get_bounds()[0] - w) < 0.5 for w in widths)
                      and o.get_bounds()[3] - o.get_bounds()[1] > 40]
            for frame in frames:
                frame.texts = [c for c in chars if _inside(c.box, frame.box)]
                frame.bars = [o.get_bounds() for o in objects if o.type == 2 and _inside(o.get_bounds(), frame.box)
                              and len(set(_fill(o))) > 1]  # a colour (not white, grey or black)
            out += frames
    finally:
        pdf.close()
    return out


def overlaps(a, b, slack: float = 0.3) -> bool:
    """Whether two boxes (left, bottom, right, top) share more than a hair."""
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
