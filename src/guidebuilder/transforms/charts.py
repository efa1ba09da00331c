"""Accessible SVG charts of the guide's data, drawn with matplotlib (deterministic output).

Each chart is drawn once per reader, never scaled afterwards: its text is real SVG `<text>` (in the
guide's font, Atkinson Hyperlegible, falling back to sans-serif), so that the PDF carries text that can
be measured, searched and read, and each variant has its own text size:

- `BOOK` (`<name>.svg`): the book's text width, 9 pt text; also the site's chart on wide screens, where it
  shows at about its own size (12 px text);
- `LARGE` (`<name>-grande.svg`, `-grande-2.svg`, …): the large-print edition's width, 16 pt text, labels
  above their bars; a chart taller than a page is cut, between rows, into parts;
- `PHONE` (`<name>-movil.svg`): a phone's width (328 CSS px), 11 pt (14.7 px) text, labels above their bars;
- `BOOK_PARTS` (`<name>-libro.svg`, `-libro-2.svg`, …): the PDF book's own, at its measure (narrower
  than `BOOK`: about 68 characters a line), 9 pt text, cut into parts when too tall for a page.

The legend sits above the plot, never over the bars. Sizes are planned in points (the figure is drawn
at 72 dpi, so a point is a pixel of matplotlib's): every label's room is measured with the guide's font
and widened by `FALLBACK`, since a browser shows SVG-in-img text in a font of its own.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator
from xml.sax.saxutils import escape

from guidebuilder.pandoc import ast as A
from guidebuilder.transforms.blocks import fmt_number

PALETTE = {"value": "#1f5f8b", "reference": "#b5651d", "text": "#1a1a1a", "grid": "#c8c8c8"}
SERIES_COLOURS = ("#1f5f8b", "#b5651d", "#4d7f3a", "#7a4a8c", "#8c6d1f", "#3a6f7f", "#8c3a4a")
DATA_NOTE = "Los datos están en la tabla que sigue."


@dataclass(frozen=True)
class Variant:
    """One way of drawing a chart: for one reader, at the size it is shown."""

    suffix: str  # added to the file name: graficas/x.svg -> graficas/x<suffix>.svg
    width: float  # pt
    size: float  # pt: every text of the chart
    labels_above: bool  # category names above their bars (narrow variants), else left of them
    max_height: float | None = None  # pt: a taller chart is cut into parts between rows


BOOK = Variant("", 468.0, 9.0, False)  # 6.5 in: the text width of a letter or A4 page of the book
LARGE = Variant("-grande", 468.0, 16.0, True, 220.0)  # cut into parts that fit the holes of a large-print page
PHONE = Variant("-movil", 246.0, 11.0, True)  # 328 CSS px: a 360 px screen's text width
VARIANTS = (BOOK, LARGE, PHONE)
# The book's chart cut into parts, drawn only when BOOK is taller than a page of the book can hold with
# its caption (the site and the DOCX keep BOOK whole).
BOOK_PARTS = Variant("-libro", 356.0, 9.0, False, 120.0)  # the book's measure on A4; parts that fit a page's holes
PARTS_KEY = {LARGE.suffix: "grande-partes", BOOK_PARTS.suffix: "libro-partes"}  # figure attributes
FALLBACK = 1.22  # a browser's sans-serif (DejaVu Sans) sets text up to 22 % wider than Atkinson Hyperlegible

# Charts asked for while this is False are not drawn: a build whose outputs show no chapter (the
# leaflets alone) need not import matplotlib. The chart's data are checked all the same.
_DRAW: ContextVar[bool] = ContextVar("guidebuilder_draw_charts", default=True)
NOT_DRAWN = b'<svg xmlns="http://www.w3.org/2000/svg"/>'


@contextmanager
def not_drawn() -> Iterator[None]:
    token = _DRAW.set(False)
    try:
        yield
    finally:
        _DRAW.reset(token)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: no bar in that row
    texts: tuple[str, ...]  # the value printed beside each bar
    colour: str


@dataclass(frozen=True)
class Bars:
    """What a chart shows: horizontal bars, one row per category, one bar per series."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    limit: float  # the axis runs from 0 to here (bars may be shorter)
    ticks: tuple[tuple[float, str], ...]
    note: str | None = None  # printed under the chart (e.g. that the data are illustrative)
    legend: bool = True


# ---------------------------------------------------------------- public API

def chart_name(name: str, suffix: str) -> str:
    """graficas/x.svg with "-movil" -> graficas/x-movil.svg."""
    return f"{name[:-4]}{suffix}.svg" if name.endswith(".svg") else name + suffix


def alt_text(sentence: str) -> str:
    """A chart's alt text: one sentence saying what it shows, and where its data are."""
    sentence = " ".join(sentence.split()).rstrip()
    if DATA_NOTE in sentence:
        return sentence
    if sentence and sentence[-1] not in ".!?":
        sentence += "."
    return f"{sentence} {DATA_NOTE}".strip()


def chart_figure(ident: str, caption: str, alt: str, name: str, files: dict[str, bytes], generated: dict) -> dict:
    """A pandoc Figure showing the chart `name`; its variants (`files`, by suffix) go into `generated`.

    The figure's attributes say into how many parts the large-print variant was cut (when more than one),
    and the book's (when it was), so that the PDF (render/pdf/book.print_blocks) shows every part.
    """
    for suffix, data in files.items():
        generated[chart_name(name, suffix)] = data
    kv = [(key, str(parts(files, suffix))) for suffix, key in PARTS_KEY.items() if parts(files, suffix) > 1]
    return {"t": "Figure", "c": [A.attr(ident, ["gb-chart"], kv),
                                 [None, [A.plain(caption)]] if caption else [None, []],
                                 [A.plain(A.image(alt, name))]]}


def parts(files: dict[str, bytes], suffix: str) -> int:
    """How many files a variant of a chart has ("-grande", "-grande-2", …; files by suffix)."""
    return sum(1 for f in files if f == suffix or re.fullmatch(re.escape(suffix) + r"-\d+", f))


def part_names(name: str, suffix: str, count: int) -> list[str]:
    """The files of a variant cut into parts: graficas/x-grande.svg, graficas/x-grande-2.svg, …"""
    return [chart_name(name, suffix + (f"-{k}" if k > 1 else "")) for k in range(1, count + 1)]


def bar_charts(indicators: list, title: str, desc: str, font: Path | None = None, cache=None) -> dict[str, bytes]:
    """Every variant of a horizontal bar chart of indicators: each one's value, and its reference value
    when it has one. Keyed by the suffix of the variant's file name ("" for the book's)."""
    return _charts("bar_chart", lambda: indicator_bars(indicators),
                   [i.model_dump(mode="json") for i in indicators], title, desc, font, VARIANTS, cache)


def grouped_bar_charts(categories: list[str], series: list[tuple[str, list[float]]], title: str, desc: str,
                       font: Path | None = None, percent: bool = False, note: str | None = None,
                       cache=None, variants: tuple[Variant, ...] = VARIANTS) -> dict[str, bytes]:
    """Every variant of horizontal bars: one row per category, one bar per series (counts, or
    percentages 0-100). `note` is printed under the chart, so the image says it even when it travels
    without its caption."""
    return _charts("grouped_bar_chart", lambda: grouped_bars(categories, series, percent, note),
                   [categories, series, percent, note], title, desc, font, variants, cache)


def grouped_bar_chart(categories: list[str], series: list[tuple[str, list[float]]], title: str, desc: str,
                      font: Path | None = None, percent: bool = False, note: str | None = None, cache=None) -> bytes:
    """The book's variant of grouped_bar_charts (the follow-up report's charts)."""
    return grouped_bar_charts(categories, series, title, desc, font, percent, note, cache, (BOOK,))[""]


def _charts(kind: str, bars: Callable[[], Bars], data, title: str, desc: str, font: Path | None,
            variants: tuple[Variant, ...], cache) -> dict[str, bytes]:
    """Draw (or take from the cache) the variants of a chart. Cached by its data, texts, font, this
    module and matplotlib's version, so an edit elsewhere never redraws it."""
    if not _DRAW.get():
        return {v.suffix: NOT_DRAWN for v in variants}
    from importlib.metadata import version

    from guidebuilder.core.digest import digest, file_digest, source_digest

    key = digest(kind, data, title, desc, [v.suffix for v in variants], source_digest("transforms/charts.py"),
                 file_digest(font) if font is not None and font.exists() else "", version("matplotlib"))

    def draw() -> bytes:
        drawn = {}
        for variant in variants:
            drawn.update(draw_variant(bars(), variant, title, desc, font))
        if LARGE in variants:  # the guide's charts (not the report's): the book's own, at its measure
            drawn.update(draw_variant(bars(), BOOK_PARTS, title, desc, font))
        return json.dumps(drawn, ensure_ascii=False, sort_keys=True).encode()

    packed = cache.bytes("chart", key, draw) if cache is not None else draw()
    return {suffix: svg.encode() for suffix, svg in json.loads(packed).items()}


def _height(svg: str) -> float:
    """An SVG's height in points, as matplotlib writes it."""
    m = re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', svg)
    return float(m.group(1)) if m else 0.0


# ---------------------------------------------------------------- the data as bars

def indicator_bars(indicators: list) -> Bars:
    """Indicators on a 0-1 axis (percentages divided by 100), with their reference values."""
    def share(value: float, scale: str) -> float:
        return value / (1 if scale == "0-1" else 100)

    values = Series("Valor", tuple(share(i.value, i.scale) for i in indicators),
                    tuple(fmt_number(i.value, i.scale, i.unit) for i in indicators), PALETTE["value"])
    refs = Series("Referencia",
                  tuple(share(i.reference_value, i.scale) if i.reference_value is not None else None
                        for i in indicators),
                  tuple(fmt_number(i.reference_value, i.scale, i.unit) if i.reference_value is not None else ""
                        for i in indicators), PALETTE["reference"])
    has_refs = any(v is not None for v in refs.values)
    if all(i.scale == "0-1" for i in indicators):
        ticks = ((0, "0"), (0.25, "0.25"), (0.5, "0.5"), (0.75, "0.75"), (1.0, "1"))
    else:
        ticks = ((0, "0 %"), (0.25, "25 %"), (0.5, "50 %"), (0.75, "75 %"), (1.0, "100 %"))
    return Bars(tuple(i.label for i in indicators), (values, refs) if has_refs else (values,), 1.0, ticks,
                legend=has_refs)


def grouped_bars(categories: list[str], series: list[tuple[str, list[float]]], percent: bool,
                 note: str | None) -> Bars:
    out = tuple(Series(name, tuple(float(v) for v in values),
                       tuple(f"{v:.0f} %" if percent else f"{v:g}" for v in values),
                       SERIES_COLOURS[s % len(SERIES_COLOURS)]) for s, (name, values) in enumerate(series))
    if percent:
        limit = 100.0
        ticks = tuple((float(t), f"{t} %") for t in (0, 25, 50, 75, 100))
    else:
        from matplotlib.ticker import MaxNLocator

        top = max([v for _, values in series for v in values] + [1])
        steps = [float(t) for t in MaxNLocator(nbins=5, integer=True).tick_values(0, top) if t >= 0]
        limit = next(t for t in steps if t >= top)
        ticks = tuple((t, f"{t:g}") for t in steps if t <= limit)
    return Bars(tuple(categories), out, limit, ticks, note, legend=len(series) > 1)


# ---------------------------------------------------------------- drawing

def _pyplot(font: Path | None):
    """matplotlib's pyplot set for reproducible SVG (fixed hash salt, text as <text>) in the guide's font."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    matplotlib.rcParams.update({"svg.hashsalt": "guidebuilder", "svg.fonttype": "none", "path.simplify": False,
                                "font.family": "sans-serif"})
    family = "DejaVu Sans"
    for face in _faces(font):
        ttf = _as_ttf(face)
        if ttf is not None:
            name = _registered(str(ttf))
            if face == font:
                family = name
    matplotlib.rcParams["font.sans-serif"] = [family]
    return plt


@lru_cache(maxsize=16)
def _registered(ttf: str) -> str:
    """Add a font file to matplotlib's fonts (once); its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(ttf)
    return font_manager.FontProperties(fname=ttf).get_name()


def _faces(font: Path | None) -> list[Path]:
    """The font, and its italic (for the note under a chart) when it sits beside it."""
    if font is None or not font.exists():
        return []
    italic = font.with_name(font.name.replace("-normal", "-italic"))
    return [font, italic] if italic != font and italic.exists() else [font]


@lru_cache(maxsize=8)
def _as_ttf(font: Path) -> Path | None:
    """matplotlib reads TrueType, not WOFF2: the font's TrueType copy (scripts/fonts_to_ttf.py), or
    else the font unpacked into a temp file."""
    if font.suffix.lower() in (".ttf", ".otf"):
        return font
    if font.with_suffix(".ttf").is_file():
        return font.with_suffix(".ttf")
    try:
        from fontTools.ttLib import TTFont

        tt = TTFont(str(font))
        tt.flavor = None
        out = Path(tempfile.gettempdir()) / f"guidebuilder-{os.getpid()}-{font.stem}.ttf"
        tt.save(str(out))
        return out
    except Exception:  # a font that cannot be unpacked falls back to matplotlib's own font
        return None


@dataclass
class Plan:
    """Where everything of a chart goes, in points (y grows downwards inside the plot)."""

    variant: Variant
    labels: list[str]  # the category names, wrapped
    label_h: list[float]
    step: float  # from one line of a label to the next
    rows: list[float]  # each row's height
    left: float  # from the figure's left edge to the axis
    right: float  # from the axis' end to the figure's right edge
    xmax: float
    legend: list[list[tuple[float, str, str]]]  # lines of (x, colour, name)
    note: str | None
    note_h: float

    @property
    def s(self) -> float:
        return self.variant.size

    def bars_h(self, n: int) -> float:
        return n * 1.35 * self.s + max(0, n - 1) * 0.2 * self.s

    @property
    def legend_h(self) -> float:
        return len(self.legend) * 1.6 * self.s

    @property
    def axis_h(self) -> float:  # tick marks and their labels under the plot
        return 1.3 * self.s + 8

    def fixed_h(self) -> float:
        """Everything but the rows: margins, legend, axis, note."""
        return self.s + self.legend_h + self.axis_h + self.note_h + 0.9 * self.s


def plan(bars: Bars, variant: Variant, extent: Callable[..., tuple[float, float]]) -> Plan:
    """Lay a chart out for one variant: wrap its labels, size its rows and margins."""
    s, w = variant.size, variant.width
    width_of = lambda text: extent(text, s)[0] * FALLBACK  # noqa: E731
    ticks_w = [width_of(label) for _, label in bars.ticks] or [0.0]
    label_room = (w - 2 * s) if variant.labels_above else 0.4 * w
    labels = [_wrap(c, label_room, width_of) for c in bars.categories]
    step = extent("Ág", s)[1]  # a line of text, accents and descenders included: wrapped lines' spacing
    label_h = [step * (label.count("\n") + 1) for label in labels]
    if variant.labels_above:
        left = max(ticks_w[0] / 2, 2.0) + 1
    else:
        left = max([width_of(label) for label in labels] + [ticks_w[0] / 2]) + 0.6 * s
    right = max(ticks_w[-1] / 2, 0.5 * s) + 1
    room = w - left - right
    xmax = bars.limit
    for series in bars.series:
        for value, text in zip(series.values, series.texts):
            if value is not None and text:
                xmax = max(xmax, value * room / max(room - 0.4 * s - width_of(text), room * 0.2))
    counts = [sum(1 for sr in bars.series if sr.values[i] is not None) for i in range(len(bars.categories))]
    p = Plan(variant, labels, label_h, step, [], left, right, xmax, [], None, 0.0)
    p.rows = [(lh + 0.25 * s + p.bars_h(n)) if variant.labels_above else max(lh, p.bars_h(n))
              for lh, n in zip(label_h, counts)]
    if bars.legend:  # over the plot when it fits in one line there, else from the figure's left edge
        items = [(sr.colour, sr.name) for sr in bars.series]
        p.legend = _legend_lines(items, left, w - s, width_of, s)
        if len(p.legend) > 1:
            p.legend = _legend_lines(items, 0.5 * s, w - s, width_of, s)
    if bars.note:
        p.note = _wrap(bars.note, w - 2 * s, lambda t: extent(t, s, "italic")[0] * FALLBACK)
        p.note_h = step * (p.note.count("\n") + 1) + 0.6 * s
    return p


def _wrap(text: str, room: float, width_of: Callable[[str], float]) -> str:
    """The text in lines no wider than room (a word longer than that keeps a line of its own)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and width_of(trial) > room:
            lines.append(line)
            line = word
        else:
            line = trial
    return "\n".join([*lines, line])


def _legend_lines(items: list[tuple[str, str]], start: float, end: float, width_of, s: float) -> list:
    """The legend's entries (a swatch and a name) placed in as few lines as fit between start and end."""
    lines: list[list[tuple[float, str, str]]] = [[]]
    x = start
    for colour, name in items:
        need = 1.3 * s + width_of(name)
        if lines[-1] and x + need > end:
            lines.append([])
            x = start
        lines[-1].append((x, colour, name))
        x += need + 1.4 * s
    return lines


def split_rows(p: Plan) -> list[range]:
    """The rows of each part: all in one, unless the variant has a height the chart would pass."""
    limit = p.variant.max_height
    if limit is None:
        return [range(len(p.rows))]
    room = limit - p.fixed_h()
    parts: list[range] = []
    start, used = 0, 0.0
    for i, h in enumerate(p.rows):
        gap = 0.9 * p.s if i > start else 0.0
        if i > start and used + gap + h > room:
            parts.append(range(start, i))
            start, used, gap = i, 0.0, 0.0
        used += gap + h
    parts.append(range(start, len(p.rows)))
    return parts


def draw_variant(bars: Bars, variant: Variant, title: str, desc: str, font: Path | None) -> dict[str, str]:
    """One variant of a chart as SVG text, keyed by file-name suffix (several when cut into parts)."""
    plt = _pyplot(font)
    scratch = plt.figure(figsize=(1, 1), dpi=72)
    renderer = scratch.canvas.get_renderer()

    def extent(text: str, size: float, style: str = "normal") -> tuple[float, float]:
        t = scratch.text(0, 0, text, fontsize=size, style=style)
        box = t.get_window_extent(renderer)
        t.remove()
        return box.width, box.height

    try:
        p = plan(bars, variant, extent)
    finally:
        plt.close(scratch)
    parts = split_rows(p)
    out = {}
    for k, rows in enumerate(parts, start=1):
        suffix = variant.suffix + (f"-{k}" if k > 1 else "")
        named = title if len(parts) == 1 else f"{title} (parte {k} de {len(parts)})"
        out[suffix] = _accessible(_draw(plt, bars, p, rows), named, desc)
    return out


def _draw(plt, bars: Bars, p: Plan, rows: range) -> str:
    """The SVG of the rows `rows` of a planned chart."""
    s, w = p.s, p.variant.width
    plot_h = sum(p.rows[i] for i in rows) + 0.9 * s * len(rows)
    height = p.fixed_h() - 0.9 * s + plot_h
    fig = plt.figure(figsize=(w / 72, height / 72), dpi=72)
    bottom = 0.5 * s + p.note_h + p.axis_h
    ax = fig.add_axes((p.left / w, bottom / height, (w - p.left - p.right) / w, plot_h / height))
    ax.set_xlim(0, p.xmax)
    ax.set_ylim(plot_h, 0)
    y = 0.45 * s
    for i in rows:
        _draw_row(ax, bars, p, i, y)
        y += p.rows[i] + 0.9 * s
    _axes(ax, bars, p)
    for line, top in zip(p.legend, range(len(p.legend))):
        yc = 0.5 * s + (top + 0.5) * 1.6 * s
        for x, colour, name in line:
            fig.add_artist(plt.Rectangle((x / w, 1 - (yc + 0.45 * s) / height), 0.9 * s / w, 0.9 * s / height,
                                         transform=fig.transFigure, color=colour, linewidth=0))
            fig.text((x + 1.3 * s) / w, 1 - yc / height, name, fontsize=s, va="center", color=PALETTE["text"])
    if p.note:
        lines = p.note.split("\n")
        for n, line in enumerate(lines):
            fig.text(0.5 * s / w, (0.5 * s + (len(lines) - 1 - n) * p.step) / height, line, fontsize=s,
                     style="italic", va="bottom", color=PALETTE["text"])
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buf.getvalue()


def _draw_row(ax, bars: Bars, p: Plan, i: int, top: float) -> None:
    """One category: its name (above or left of its bars), its bars and their values."""
    s = p.s
    # on a white ground, so that no grid line or axis runs through a text
    text = {"fontsize": s, "color": PALETTE["text"], "textcoords": "offset points",
            "bbox": {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}}
    drawn = [sr for sr in bars.series if sr.values[i] is not None]
    y = top + (p.label_h[i] + 0.25 * s if p.variant.labels_above else (p.rows[i] - p.bars_h(len(drawn))) / 2)
    lines = p.labels[i].split("\n")
    for n, line in enumerate(lines):  # one text per line: each keeps its anchor in any font
        if p.variant.labels_above:
            ax.annotate(line, (0, top + n * p.step), xytext=(0, 0), ha="left", va="top", **text)
        else:
            middle = top + p.rows[i] / 2 + (n - (len(lines) - 1) / 2) * p.step
            ax.annotate(line, (0, middle), xytext=(-0.6 * s, 0), ha="right", va="center", **text)
    for sr in drawn:
        centre = y + 0.675 * s
        ax.barh(centre, sr.values[i], height=1.35 * s, color=sr.colour, linewidth=0)
        if sr.texts[i]:
            ax.annotate(sr.texts[i], (sr.values[i], centre), xytext=(0.4 * s, 0), ha="left", va="center", **text)
        y += 1.55 * s


def _axes(ax, bars: Bars, p: Plan) -> None:
    s = p.s
    ax.set_xticks([t for t, _ in bars.ticks], [label for _, label in bars.ticks], fontsize=s,
                  color=PALETTE["text"])
    ax.tick_params(axis="x", length=4, pad=3, colors=PALETTE["text"])
    ax.set_yticks([])
    ax.grid(axis="x", color=PALETTE["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_bounds(0, bars.limit)


def _accessible(svg: str, title: str, desc: str) -> str:
    """Give the SVG a role, a title and a description that screen readers announce."""
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="t d" ', 1)
    head = f"<title id=\"t\">{escape(title)}</title><desc id=\"d\">{escape(desc)}</desc>"
    return re.sub(r"(<svg[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1)
