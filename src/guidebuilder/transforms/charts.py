"""Accessible SVG charts of the diagnosis data, drawn with matplotlib (deterministic output)."""

from __future__ import annotations

import io
import os
import re
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

from guidebuilder.transforms.blocks import fmt_number

PALETTE = {"value": "#1f5f8b", "reference": "#b5651d", "text": "#1a1a1a"}

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


def bar_chart(indicators: list, title: str, desc: str, font: Path | None = None, cache=None) -> bytes:
    """A horizontal bar chart: each indicator's value, and its reference value when it has one.

    Cached by its data, texts, font and matplotlib's version, so an edit elsewhere never redraws it.
    """
    if not _DRAW.get():
        return NOT_DRAWN
    from importlib.metadata import version

    from guidebuilder.core.digest import digest, file_digest

    key = digest("bar_chart", [i.model_dump(mode="json") for i in indicators], title, desc,
                 file_digest(font) if font is not None and font.exists() else "", version("matplotlib"))
    draw = lambda: _draw_bar_chart(indicators, title, desc, font)  # noqa: E731
    return cache.bytes("chart", key, draw) if cache is not None else draw()


def _pyplot(font: Path | None):
    """matplotlib's pyplot set for reproducible SVG (fixed hash salt, text as paths) in the guide's font."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot as plt

    matplotlib.rcParams.update({"svg.hashsalt": "guidebuilder", "svg.fonttype": "path",
                                "path.simplify": False})
    family = "DejaVu Sans"
    ttf = _as_ttf(font) if font is not None and font.exists() else None
    if ttf is not None:
        font_manager.fontManager.addfont(str(ttf))
        family = font_manager.FontProperties(fname=str(ttf)).get_name()
    matplotlib.rcParams["font.family"] = family
    return plt


def _draw_bar_chart(indicators: list, title: str, desc: str, font: Path | None) -> bytes:
    plt = _pyplot(font)

    labels = [i.label for i in indicators]
    values = [i.value / (1 if i.scale == "0-1" else 100) for i in indicators]
    refs = [(i.reference_value / (1 if i.scale == "0-1" else 100)) if i.reference_value is not None else None
            for i in indicators]
    height = 0.9 + 0.62 * len(indicators)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=100)
    ypos = list(range(len(indicators)))[::-1]
    bar_h = 0.36 if any(r is not None for r in refs) else 0.6
    ax.barh([y + (bar_h / 2 if r is not None else 0) for y, r in zip(ypos, refs)], values, height=bar_h,
            color=PALETTE["value"], label="Valor")
    ref_y = [y - bar_h / 2 for y, r in zip(ypos, refs) if r is not None]
    ref_v = [r for r in refs if r is not None]
    if ref_v:
        ax.barh(ref_y, ref_v, height=bar_h, color=PALETTE["reference"], label="Referencia")
    for ind, y, v, r in zip(indicators, ypos, values, refs):
        ax.text(v + 0.01, y + (bar_h / 2 if r is not None else 0), fmt_number(ind.value, ind.scale, ind.unit),
                va="center", fontsize=9, color=PALETTE["text"])
        if r is not None:
            ax.text(r + 0.01, y - bar_h / 2, fmt_number(ind.reference_value, ind.scale, ind.unit),
                    va="center", fontsize=9, color=PALETTE["text"])
    ax.set_yticks(ypos, labels, fontsize=9)
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "0.25", "0.5", "0.75", "1"] if all(i.scale == "0-1" for i in indicators)
                  else ["0 %", "25 %", "50 %", "75 %", "100 %"], fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if ref_v:
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return _accessible(buf.getvalue(), title, desc).encode()


@lru_cache(maxsize=4)
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


def _accessible(svg: str, title: str, desc: str) -> str:
    """Give the SVG a role, a title and a description that screen readers announce."""
    svg = re.sub(r"<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="t d" ', 1)
    head = f"<title id=\"t\">{escape(title)}</title><desc id=\"d\">{escape(desc)}</desc>"
    return re.sub(r"(<svg[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1)


SERIES_COLOURS = ("#1f5f8b", "#b5651d", "#4d7f3a", "#7a4a8c", "#8c6d1f", "#3a6f7f", "#8c3a4a")


def grouped_bar_chart(categories: list[str], series: list[tuple[str, list[float]]], title: str, desc: str,
                      font: Path | None = None, percent: bool = False, note: str | None = None, cache=None) -> bytes:
    """Horizontal bars: one row per category, one bar per series (counts, or percentages 0-100).

    `note` is printed under the chart (e.g. that the data are illustrative), so the image says it
    even when it travels without its caption. Cached like bar_chart.
    """
    if not _DRAW.get():
        return NOT_DRAWN
    from importlib.metadata import version

    from guidebuilder.core.digest import digest, file_digest

    key = digest("grouped_bar_chart", categories, series, title, desc, percent, note,
                 file_digest(font) if font is not None and font.exists() else "", version("matplotlib"))
    draw = lambda: _draw_grouped_bar_chart(categories, series, title, desc, font, percent, note)  # noqa: E731
    return cache.bytes("chart", key, draw) if cache is not None else draw()


def _draw_grouped_bar_chart(categories: list[str], series: list[tuple[str, list[float]]], title: str, desc: str,
                            font: Path | None, percent: bool, note: str | None) -> bytes:
    plt = _pyplot(font)

    n_series = max(1, len(series))
    bar_h = 0.8 / n_series
    height = 1.0 + (0.2 + 0.13 * n_series) * len(categories) + (0.3 if note else 0) + (0.3 if n_series > 1 else 0)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=100)
    top = max([v for _, values in series for v in values] + [1])
    limit = 100.0 if percent else float(top)
    for s, (name, values) in enumerate(series):
        ypos = [len(categories) - 1 - i + 0.4 - bar_h * (s + 0.5) for i in range(len(categories))]
        ax.barh(ypos, values, height=bar_h * 0.92, color=SERIES_COLOURS[s % len(SERIES_COLOURS)], label=name)
        for y, v in zip(ypos, values):
            text = (f"{v:.0f} %" if percent else f"{v:g}")
            ax.text(v + limit * 0.01, y, text, va="center", fontsize=8 if n_series > 1 else 9, color=PALETTE["text"])
    ax.set_yticks([len(categories) - 1 - i for i in range(len(categories))], categories, fontsize=9)
    ax.set_xlim(0, limit * 1.15)
    if percent:
        ax.set_xticks([0, 25, 50, 75, 100], ["0 %", "25 %", "50 %", "75 %", "100 %"], fontsize=8)
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if n_series > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 if not note else -0.1), ncol=min(n_series, 4),
                  fontsize=8, frameon=False)
    if note:
        fig.text(0.01, 0.005, note, fontsize=8, style="italic", color=PALETTE["reference"], va="bottom")
    fig.tight_layout(rect=(0, 0.04 if note else 0, 1, 1))
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return _accessible(buf.getvalue(), title, desc).encode()
