"""Layout findings in a laid-out PDF (book, large print, leaflets, report), measured on the PDF itself
with pdfium: text too small, pages left mostly empty, objects off the page, words broken without a
hyphen, numbers parted from their units, writing rows with no room to write, markup shown as text.

Sizes are in PDF points. A character's size is its font size times the scale of its text matrix
(WeasyPrint sets text in CSS px under a 0.75 scale: a 14 px font reads 10.5 pt). Positions are
measured from the top-left corner of the media box (y grows downwards). One finding per page and kind,
with the measurements in `detail`.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.checks.findings import Finding

MM = 72 / 25.4  # points per millimetre
BAND = 0.08  # running heads and folios: text in the top and bottom 8 % of the page
EMPTY_FROM = 0.60  # a page whose content ends above 60 % of its height is mostly empty
FOOT_FROM, FOOT_GAP = 0.70, 0.10  # footnotes: a last block below 70 % of the page after a 10 % gap
OVERFLOW_PT = 0.5
BLEED_MM = 5.0  # a background (a filled rectangle) may run this far past the edge: bleed
SAME_EDGE_PT = 2.0
RULE_PT = 2.5  # a horizontal rule is at most this thick
ROOM_MM, ROOM_LARGE_MM, DOUBLE_RULE_MM = 8.0, 12.0, 0.3
UNITS = r"(?:%|pt|km|m|kg|MXN|mm|cm|años|personas|hogares|municipios)(?!\w)"
NUMBER_END = re.compile(r"(?:^|[\s(\[$−–-])[-+−]?\d[\d.,]*$")
UNIT_START = re.compile(UNITS)
N_END = re.compile(r"(?:\(n|\bn\s?=)$")
LABEL_END = re.compile(r"(?:^|\W)(paso|capítulo|tabla|figura|anexo)$", re.IGNORECASE)
LABEL_START = re.compile(r"\d|[A-ZÁÉÍÓÚÑ](?!\w)")
NUMBER_START = re.compile(r"\d")
CAPTION = re.compile(r"Tabla\s+[\w.]+")
MARKUP = re.compile(r"</?(?:a|b|i|u|em|strong|span|div|p|br|sup|sub|small|li|ul|ol|table|tr|td|th|h[1-6]|img|code)"
                    r"(?:\s[^<>]*)?/?>|</\w+>|<!--|-->|\]\((?:https?://|#|mailto:)|:::|\{[.#][\w-]+[^{}]*\}",
                    re.IGNORECASE)
KIND_NAMES = {1: "texto", 2: "trazo o fondo", 3: "imagen", 4: "degradado", 5: "grupo"}


@dataclass(frozen=True)
class Char:
    """One character: its advance box (top < bottom), baseline and size in pt."""

    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float


@dataclass
class Line:
    """Characters set one after the other on one baseline, in the order the PDF draws them."""

    chars: list[Char] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def base(self) -> float:
        return self.chars[0].base

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)


@dataclass(frozen=True)
class Box:
    """A page object's bounds (top < bottom); kind is pdfium's object type (1 text, 2 path, 3 image...)."""

    kind: int
    x0: float
    top: float
    x1: float
    bottom: float
    rule: bool = False  # a path that draws horizontal rules (table borders)
    plain: bool = False  # a path that only fills one rectangle (a background)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Rule:
    """A horizontal rule: where it lies, where each of its pieces starts (a table draws its rules cell
    by cell) and, for the top or bottom edge of a box with side borders, that box."""

    x0: float
    top: float
    x1: float
    bottom: float
    starts: tuple = ()
    frame: tuple = ()


@dataclass
class Page:
    """What the checks measure on one page."""

    number: int
    width: float
    height: float
    chars: list[Char]
    lines: list[Line]
    boxes: list[Box]
    pieces: list[Rule] = field(default_factory=list)  # the horizontal rules the paths draw, piece by piece


def read_pages(pdf) -> list[Page]:
    """Every page of an open `pypdfium2.PdfDocument`: its characters (those inside the trim box: a print
    file's slug line is not for readers), lines, objects and rules."""
    pages = []
    for index in range(len(pdf)):
        page = pdf[index]
        left, bottom, right, top = page.get_mediabox()
        trim = page.get_trimbox()
        textpage = page.get_textpage()
        chars = [c for c in _chars(textpage, left, top)
                 if trim[0] - left <= (c.x0 + c.x1) / 2 <= trim[2] - left
                 and top - trim[3] <= (c.top + c.bottom) / 2 <= top - trim[1]]
        boxes, pieces = [], []
        for obj in page.get_objects(max_depth=0):
            x0, y0, x1, y1 = obj.get_bounds()
            rules, plain = _path_rules(obj, left, top) if obj.type == 2 else ([], False)
            boxes.append(Box(obj.type, x0 - left, top - y1, x1 - left, top - y0, bool(rules), plain))
            pieces.extend(rules)
        pages.append(Page(index + 1, right - left, top - bottom, chars, text_lines(chars), boxes, pieces))
        textpage.close()
        page.close()
    return pages


def _subpaths(obj) -> tuple[list[list[tuple[float, float]]], list[bool]]:
    """A path's subpaths as points in page space (PDF coordinates), and whether each is closed."""
    import pypdfium2.raw as raw

    m, x, y = raw.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    raw.FPDFPageObj_GetMatrix(obj.raw, m)
    subs: list[list[tuple[float, float]]] = []
    closed: list[bool] = []
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subs:
            subs.append([])
            closed.append(False)
        subs[-1].append(point)
        closed[-1] = closed[-1] or bool(raw.FPDFPathSegment_GetClose(seg))
    return subs, closed


def _rect(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """The (x0, y0, x1, y1) of a subpath that is an upright rectangle, else None."""
    xs, ys = {round(p[0], 2) for p in points}, {round(p[1], 2) for p in points}
    if len(points) in (4, 5) and len(xs) == 2 and len(ys) == 2:
        return min(xs), min(ys), max(xs), max(ys)
    return None


def _path_rules(obj, left: float, top: float) -> tuple[list[Rule], bool]:
    """The thin horizontal bands a path shows: stroked horizontal lines, a thin filled rectangle, or
    what a filled rectangle leaves above and below a rectangle inside it (how WeasyPrint draws a
    border). The top and bottom of a box drawn with side borders too are marked as that box's. Also
    whether the path only fills one rectangle."""
    import pypdfium2.raw as raw

    if raw.FPDFPath_CountSegments(obj.raw) > 20:
        return [], False
    subs, closed = _subpaths(obj)
    fill, stroke, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_float()
    raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
    bands: list[tuple] = []
    if stroke.value:
        raw.FPDFPageObj_GetStrokeWidth(obj.raw, width)
        m = raw.FS_MATRIX()
        raw.FPDFPageObj_GetMatrix(obj.raw, m)
        half = width.value * math.sqrt(abs(m.a * m.d - m.b * m.c)) / 2
        for points, shut in zip(subs, closed):
            ends, frame = points[1:] + (points[:1] if shut else []), (_rect(points) or ()) if shut else ()
            bands += [((min(a[0], b[0]), a[1] - half, max(a[0], b[0]), a[1] + half), frame)
                      for a, b in zip(points, ends) if abs(a[1] - b[1]) < 0.01 and abs(a[0] - b[0]) > 0.01]
    rects = [_rect(points) for points in subs]
    if fill.value and rects and None not in rects:
        bands += [(r, ()) for r in rects] if len(rects) == 1 else _ring_bands(rects)
    rules = [Rule(x0 - left, top - y1, x1 - left, top - y0, (x0 - left,), frame)
             for (x0, y0, x1, y1), frame in bands]
    plain = fill.value != 0 and not stroke.value and len(rects) == 1 and rects[0] is not None
    return [r for r in rules if r.bottom - r.top <= RULE_PT and r.x1 - r.x0 >= max(4.0, 4 * (r.bottom - r.top))], plain


def _ring_bands(rects: list) -> list[tuple]:
    """The bands above and below each inner rectangle of nested rectangles filled even-odd (a border,
    two rings for a double one); they belong to a box (the outer rectangle) when a ring has sides too."""
    rects = sorted(rects, key=lambda r: -(r[2] - r[0]) * (r[3] - r[1]))
    nested = all(o[0] <= i[0] and o[1] <= i[1] and i[2] <= o[2] and i[3] <= o[3] for o, i in zip(rects, rects[1:]))
    if not nested or len(rects) % 2:
        return [(r, ()) for r in rects]
    out = []
    for outer, inner in zip(rects[::2], rects[1::2]):
        frame = rects[0] if inner[0] - outer[0] > 0.01 or outer[2] - inner[2] > 0.01 else ()
        bands = [(outer[0], outer[1], outer[2], inner[1]), (outer[0], inner[3], outer[2], outer[3])]
        out += [(b, frame) for b in bands if b[3] - b[1] > 0.01]
    return out


def _chars(textpage, left: float, top: float) -> list[Char]:
    """The page's characters (those pdfium adds for spaces and line ends left out), in drawing order."""
    import pypdfium2.raw as raw

    tp, out = textpage.raw, []
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(tp, i)
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        raw.FPDFText_GetCharOrigin(tp, i, x, y)
        raw.FPDFText_GetMatrix(tp, i, matrix)
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
        size = round(raw.FPDFText_GetFontSize(tp, i) * scale, 2)
        out.append(Char(chr(code) if code else "", rect.left - left, rect.right - left, top - rect.top,
                        top - rect.bottom, top - y.value, size))
    return out


def text_lines(chars: list[Char]) -> list[Line]:
    """Group characters into lines: a new line starts where the pen goes back left, jumps to another
    baseline (a raised footnote call stays on its line), or leaves a gap no space accounts for (the
    next cell of a table row)."""
    lines: list[Line] = []
    prev = None
    for c in chars:
        if prev is None or _breaks(prev, c):
            lines.append(Line())
        lines[-1].chars.append(c)
        prev = c
    return lines


def _breaks(prev: Char, c: Char) -> bool:
    size = max(prev.size, c.size, 1.0)
    if c.x0 < prev.x0 - 0.1 or abs(c.base - prev.base) > 0.6 * size:
        return True
    return c.x0 - prev.x1 > 0.3 * size and not prev.ch.isspace() and not c.ch.isspace()


def outline_starts(pdf) -> list[int]:
    """The pages (1-based) the outline's top-level bookmarks point at: where chapters start."""
    starts = set()
    for item in pdf.get_toc():
        dest = item.get_dest() if item.level == 0 else None
        index = dest.get_index() if dest is not None else None
        if index is not None:
            starts.add(index + 1)
    return sorted(starts)


def pdf_findings(path: Path, output: str, min_pt: float, chapter_starts: list[int] | None = None) -> list[Finding]:
    """The layout findings of one PDF. `output` names it in the findings ("pdf/guia.pdf"); `min_pt` is
    the smallest text size the edition allows; `chapter_starts` are the 1-based pages where chapters
    start (read from the PDF's top-level bookmarks when None)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        starts = outline_starts(pdf) if chapter_starts is None else chapter_starts
        pages = read_pages(pdf)
    finally:
        pdf.close()
    room_mm = ROOM_LARGE_MM if min_pt >= 16 else ROOM_MM
    ends = chapter_ends(pages, starts)
    out: list[Finding] = []
    for page in pages:
        found = [small_text(page, min_pt), None if page.number in ends else empty_page(page), overflow(page),
                 broken_word(page), split_unit(page), writing_room(page, room_mm), raw_markup(page)]
        out.extend(_finding(output, page.number, kind, message, detail)
                   for kind, message, detail in filter(None, found))
    return out


def chapter_ends(pages: list[Page], starts: list[int]) -> set[int]:
    """The pages that may be left short or blank: the front matter (every page before the first chapter:
    cover, title page, a review note, contents — each a page of its own), the last, and every page whose
    next page with content (blank pages skipped: chapters start on right-hand pages) starts a chapter."""
    blank = {page.number for page in pages if not _content(page)}
    ends, start = {1, len(pages)} | set(range(1, min(starts, default=1))), set(starts)
    for page in pages:
        after = page.number + 1
        while after <= len(pages) and after in blank and after not in start:
            after += 1
        if after > len(pages) or after in start:
            ends.add(page.number)
    return ends


def _finding(output: str, number: int, kind: str, message: str, detail: dict) -> Finding:
    return Finding(output=output, kind=kind, message=f"Página {number}: {message}", page=number, detail=detail)


def small_text(page: Page, min_pt: float):
    """Characters (not spaces) set below the edition's minimum size."""
    small = [c for c in page.chars if c.size < min_pt - 0.01 and c.ch.strip()]
    if not small:
        return None
    least = min(c.size for c in small)
    line = next(ln for ln in page.lines if any(c.size == least and c.ch.strip() for c in ln.chars))
    quote, context = _run_of(line, least)
    sizes: dict[str, int] = {}
    for c in small:
        sizes[f"{c.size:g}"] = sizes.get(f"{c.size:g}", 0) + 1
    message = (f"hay texto de {least:g} pt, menor que el mínimo de {min_pt:g} pt de esta edición "
               f"(«{quote}», en «{context}»; {len(small)} caracteres en total). Súbelo a {min_pt:g} pt o más en "
               "la hoja de estilo, o en el gráfico que lo dibuja.")
    return "small-text", message, {"smallest_pt": least, "min_pt": min_pt, "chars": len(small),
                                   "sizes": sizes, "text": quote, "line": line.text}


def _run_of(line: Line, size: float) -> tuple[str, str]:
    """The first run of characters of `size` in the line, and the line up to its end (for context)."""
    start = next(i for i, c in enumerate(line.chars) if c.size == size and c.ch.strip())
    end = start
    while end < len(line.chars) and line.chars[end].size == size:
        end += 1
    run = "".join(c.ch for c in line.chars[start:end]).strip()
    before = "".join(c.ch for c in line.chars[:start])
    context = before if len(before) <= 40 else "…" + before[-39:]
    return _clip(run), context + _clip(run, 20)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _content(page: Page) -> list[tuple[float, float]]:
    """The vertical extents of what the page shows outside its running head and folio bands."""
    low, high = BAND * page.height, (1 - BAND) * page.height
    spans = [(c.top, c.bottom) for c in page.chars if c.ch.strip()]
    spans += [(b.top, b.bottom) for b in page.boxes if b.kind != 1]
    return [(t, b) for t, b in spans if b > low and t < high]


def _main_end(spans: list[tuple[float, float]], height: float) -> tuple[float, float | None]:
    """Where the page's main content ends, and where its footnotes start: a last block at the foot of
    the page (below 70 % of its height, after a gap of 10 % or more) is taken for footnotes."""
    blocks: list[list[float]] = []
    for top, bottom in sorted(spans):
        if blocks and top <= blocks[-1][1] + FOOT_GAP * height:
            blocks[-1][1] = max(blocks[-1][1], bottom)
        else:
            blocks.append([top, bottom])
    if len(blocks) > 1 and blocks[-1][0] >= FOOT_FROM * height:
        return blocks[-2][1], blocks[-1][0]
    return (blocks[-1][1] if blocks else 0.0), None


def empty_page(page: Page):
    """A page blank, or whose main content (footnotes aside) ends above 60 % of its height (the caller
    skips the pages that end a chapter)."""
    spans = _content(page)
    end, notes = _main_end(spans, page.height)
    if spans and end >= EMPTY_FROM * page.height:
        return None
    pct = round(100 * end / page.height, 1)
    notes_pct = None if notes is None else round(100 * notes / page.height, 1)
    if not spans:
        message = ("la página está en blanco y no precede al inicio de un capítulo. Busca el salto de página "
                   "que la produce (un break-before o una sección vacía) y quítalo.")
    else:
        gap = f"hasta las notas al pie (al {notes_pct:g} %)" if notes is not None else "hasta el pie"
        message = (f"el texto termina al {pct:g} % de la altura y la página no cierra un capítulo: queda un hueco "
                   f"{gap}. Lo que sigue no cupo (una tabla, figura o bloque que no se puede partir): pártelo, "
                   "achícalo o muévelo para llenar el hueco.")
    return "empty-page", message, {"content_ends_pct": pct, "blank": not spans, "footnotes_from_pct": notes_pct}


def overflow(page: Page):
    """Objects whose bounds leave the media box by more than half a point (a background by more than
    the bleed)."""
    worst, out = None, []
    for b in page.boxes:
        sides = {"por la izquierda": -b.x0, "por arriba": -b.top, "por la derecha": b.x1 - page.width,
                 "por abajo": b.bottom - page.height}
        side, by = max(sides.items(), key=lambda kv: kv[1])
        if by > (BLEED_MM * MM if b.plain else OVERFLOW_PT):
            out.append({"object": KIND_NAMES.get(b.kind, str(b.kind)), "side": side, "by_pt": round(by, 1),
                        "box": [round(v, 1) for v in (b.x0, b.top, b.x1, b.bottom)]})
            worst = out[-1] if worst is None or by > worst["by_pt"] else worst
    if not out:
        return None
    message = (f"{len(out)} objeto(s) salen de la página; el peor ({worst['object']}) sale {worst['by_pt']:g} pt "
               f"{worst['side']}. Reduce su ancho (tablas, imágenes, cajas con posición fija) o deja que "
               "el texto se parta.")
    return "overflow", message, {"objects": out[:20], "count": len(out), "worst_pt": worst["by_pt"]}


def _next_below(lines: list[Line], i: int) -> Line | None:
    """The line drawn after line i when it sits just below it (the next line of the same block)."""
    if i + 1 >= len(lines):
        return None
    a, b = lines[i], lines[i + 1]
    drop = b.base - a.base
    if 0.5 * a.size < drop < 2.5 * a.size and b.x0 < a.x1 and b.x1 > a.x0 - SAME_EDGE_PT:
        return b
    return None


def _room_right(page: Page, i: int) -> float:
    """How far right line i may run: to its table cell's right edge less a padding equal to the left
    one (the cell: the nearest rule piece, or a background around the line, that starts just left of
    the line and reaches past its end) or, in no cell, to the widest line of its block."""
    line = page.lines[i]
    fits = lambda x0, x1: x0 - 1 <= line.x0 <= x0 + 3 * line.size and x1 >= line.x1 - 0.5
    cells = [(0.0, b.x0, b.x1) for b in page.boxes
             if b.kind == 2 and not b.rule and b.top <= line.base <= b.bottom and fits(b.x0, b.x1)]
    cells += [(min(abs(r.top - line.base), abs(r.bottom - line.base)), r.x0, r.x1) for r in page.pieces
              if fits(r.x0, r.x1)]
    near = [c for c in cells if c[0] <= 15 * line.size]
    if near:
        _, x0, x1 = min(near, key=lambda c: (c[0], c[2] - c[1]))
        return x1 - (line.x0 - x0)
    right, j = line.x1, i
    while (below := _next_below(page.lines, j)) is not None and abs(below.x0 - line.x0) <= SAME_EDGE_PT:
        right, j = max(right, below.x1), j + 1
    return right


def broken_word(page: Page):
    """A line with no space ending in a letter, over a line (same left edge) starting in lowercase: a
    word the column was too narrow for. A break at a space is told apart by measure: when the next
    line's first letter would have fitted in the cell, the line did not end for want of room; when the
    line fills its cell exactly, it is the longest word, which set the column's width."""
    pairs = []
    for i, line in enumerate(page.lines):
        text = line.text.strip()
        below = _next_below(page.lines, i)
        if not text or " " in text or not text[-1].isalpha() or below is None:
            continue
        nxt = below.text.strip()
        if not nxt or not nxt[0].islower() or abs(below.x0 - line.x0) > SAME_EDGE_PT:
            continue
        first, slack = next(c for c in below.chars if c.ch.strip()), _room_right(page, i) - line.x1
        if slack <= 0.1 or first.x1 - first.x0 <= slack:
            continue
        pairs.append([text, nxt.split(" ")[0]])
    if not pairs:
        return None
    a, b = pairs[0]
    message = (f"la palabra «{a}{b}» se corta sin guion entre «{a}» y «{b}»"
               f"{f' (y {len(pairs) - 1} más)' if len(pairs) > 1 else ''}. Ensancha la columna, abrevia el "
               "texto o permite que se parta con guion (hyphens: auto).")
    return "broken-word", message, {"pairs": pairs[:20], "count": len(pairs)}


def _split(a: str, b: str) -> bool:
    if NUMBER_END.search(a) and UNIT_START.match(b):
        return True
    if N_END.search(a) and NUMBER_START.match(b):
        return True
    return bool(LABEL_END.search(a) and LABEL_START.match(b))


def _next_word_fits(page: Page, i: int, below: Line) -> bool:
    """Whether the next line's first word would have fitted at the end of line i: then the line did not
    wrap for want of room, it ended (a list or contents entry, a short paragraph), and nothing is split."""
    chars = below.chars
    word = next((k for k, c in enumerate(chars) if not c.ch.strip()), len(chars))
    if word == 0:
        return False
    space = 0.3 * page.lines[i].size
    return chars[word - 1].x1 - chars[0].x0 + space < _room_right(page, i) - page.lines[i].x1


def split_unit(page: Page):
    """A number at a line end with its unit starting the next line; "n =" parted from its number;
    "paso", "tabla"... parted from their number."""
    pairs = []
    for i, line in enumerate(page.lines):
        below = _next_below(page.lines, i)
        if below is None:
            continue
        a, b = line.text.strip(), below.text.strip()
        if a and b and _split(a, b) and not _next_word_fits(page, i, below):
            pairs.append([_clip(a[-30:]), _clip(b, 30)])
    if not pairs:
        return None
    a, b = pairs[0]
    message = (f"«{a}» termina una línea y «{b}» empieza la siguiente"
               f"{f' (y {len(pairs) - 1} casos más)' if len(pairs) > 1 else ''}. Une el número con su unidad o "
               "con «n =» con un espacio de no separación (U+00A0) en el texto o en los datos de origen.")
    return "split-unit", message, {"pairs": pairs[:20], "count": len(pairs)}


def raw_markup(page: Page):
    """Text that shows HTML tags or comments, Markdown links, fenced divs or attribute braces."""
    hits = [(m.group(0), line.text) for line in page.lines for m in MARKUP.finditer(line.text)]
    if not hits:
        return None
    mark, line = hits[0]
    message = (f"se ve marcado como texto: «{mark}» en «{_clip(line.strip())}». Revisa el Markdown o los datos "
               "de origen: una etiqueta o un enlace mal cerrado, o un texto escapado dos veces.")
    return "raw-markup", message, {"marks": [m for m, _ in hits[:20]], "count": len(hits), "line": line}


def _rules(page: Page) -> list[Rule]:
    """The page's horizontal rules, the pieces a table draws cell by cell joined into one."""
    pieces = sorted(page.pieces, key=lambda r: (round(r.top, 1), round(r.bottom, 1), r.x0))
    rules: list[Rule] = []
    for r in pieces:
        last = rules[-1] if rules else None
        if (last and abs(last.top - r.top) < 0.3 and abs(last.bottom - r.bottom) < 0.3 and r.x0 <= last.x1 + 2
                and last.frame == r.frame):
            rules[-1] = Rule(last.x0, last.top, max(last.x1, r.x1), last.bottom, last.starts + r.starts, last.frame)
        else:
            rules.append(r)
    return sorted(rules, key=lambda r: r.top)


def _same_table(a: Rule, b: Rule) -> bool:
    """Whether two rules can bound one row: drawn cell by cell over the same columns, or the top and
    bottom of one bordered box (not the bottom of one box and the top of the next)."""
    if a.frame or b.frame:
        return a.frame == b.frame
    return len(a.starts) == len(b.starts) and all(abs(p - q) <= SAME_EDGE_PT for p, q in zip(a.starts, b.starts))


def _occupied(page: Page, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether anything but rules and backgrounds shows inside the band."""
    inside = lambda a0, at, a1, ab: a0 < x1 and a1 > x0 and at < bottom - 0.2 and ab > top + 0.2
    if any(inside(c.x0, c.top, c.x1, c.bottom) for c in page.chars if c.ch.strip()):
        return True
    for b in page.boxes:
        if b.kind == 1 or not inside(b.x0, b.top, b.x1, b.bottom):
            continue
        rule = b.rule or (b.kind == 2 and (b.height <= RULE_PT or b.width <= RULE_PT))
        covers = b.x0 <= x0 + 1 and b.x1 >= x1 - 1 and b.top <= top + 0.5 and b.bottom >= bottom - 0.5
        if not rule and not covers:
            return True
    return False


def writing_room(page: Page, room_mm: float = ROOM_MM):
    """Empty bands between consecutive horizontal rules over the same columns, lower than room_mm."""
    rules, bands = _rules(page), []
    for i, a in enumerate(rules):
        below = [b for b in rules[i + 1:] if b.top >= a.bottom - 0.1
                 and min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)]
        b = min(below, key=lambda r: r.top, default=None)
        if b is None or not _same_table(a, b):
            continue
        x0, x1, height = max(a.x0, b.x0), min(a.x1, b.x1), b.top - a.bottom
        if DOUBLE_RULE_MM * MM <= height < room_mm * MM and not _occupied(page, x0, a.bottom, x1, b.top):
            bands.append({"top_pt": round(a.bottom, 1), "height_mm": round(height / MM, 2),
                          "x": [round(x0, 1), round(x1, 1)]})
    if not bands:
        return None
    least = min(band["height_mm"] for band in bands)
    caption = _caption_above(page, bands[0]["top_pt"])
    message = (f"{f'«{caption}»' if caption else 'una tabla'} tiene {len(bands)} fila(s) vacías para escribir de "
               f"apenas {least:g} mm de alto; hacen falta {room_mm:g} mm. Da altura a esas filas en la hoja de "
               "estilo (height en las celdas) o pon en ellas un espacio que las abra.")
    return "writing-room", message, {"bands": bands[:20], "count": len(bands), "least_mm": least, "room_mm": room_mm,
                                     "table": caption}


def _caption_above(page: Page, top: float) -> str:
    """The last "Tabla …" caption above a point of the page, if any."""
    captions = [line for line in page.lines if line.base < top and CAPTION.match(line.text.strip())]
    return _clip(max(captions, key=lambda line: line.base).text.strip()) if captions else ""
