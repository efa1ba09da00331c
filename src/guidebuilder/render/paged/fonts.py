"""The fonts of the paged outputs (book, large print, leaflets, report): @font-face rules for the
files in assets/fonts/ only, each with the unicode-range it really covers, and TrueType copies of
WOFF2 files so that WeasyPrint never unpacks WOFF2 in pure Python."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from guidebuilder.core.digest import digest
from guidebuilder.model.guide import Guide

# (CSS family name, folder under assets/fonts/): every face the book may use. Files are named as in
# @fontsource: <folder>-<subset>-<weight>-<style>.woff2. Fallback families come last in font-family.
BOOK_FONTS = (
    ("Atkinson Hyperlegible", "atkinson-hyperlegible"),
    ("Atkinson Cifras", "atkinson-cifras"),  # figures with an open zero (tables, captions, folios)
    ("Source Serif 4", "source-serif-4"),
    ("DejaVu Sans Mono", "dejavu-sans-mono"),  # code
    ("Noto Sans Symbols 2", "noto-sans-symbols-2"),
    ("Noto Sans Math", "noto-sans-math"),
    ("DejaVu Sans", "dejavu-sans"),  # the last face: scripts and symbols the others lack
)


def book_font_faces(guide: Guide) -> str:
    return "".join(font_faces(guide, family, folder) for family, folder in BOOK_FONTS)


def font_faces(guide: Guide, family: str = "Atkinson Hyperlegible", folder: str = "atkinson-hyperlegible") -> str:
    """@font-face rules for the font files in an assets/fonts/ folder (absolute file URLs).

    Each file gets the unicode-range of the characters it really has, so that the subsets of one
    family (latin, latin-ext, …) complement each other instead of hiding one another.
    """
    base = guide.asset("fonts", folder)
    if base is None:
        return ""
    pattern = re.compile(re.escape(folder) + r"-(?P<subset>[a-z-]+)-(?P<weight>\d{3})-(?P<style>normal|italic)\.(?P<ext>woff2|ttf|otf)$")
    rules = []
    for path in print_font_files(base):
        m = pattern.match(path.name)
        if not m:
            continue
        ranges = _unicode_ranges(str(path.resolve()), path.stat().st_mtime_ns)
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
                     f"font-weight: {m['weight']}; font-style: {m['style']};"
                     + (f" unicode-range: {ranges};" if ranges else "") + " }")
    return "\n".join(rules) + "\n" if rules else ""


@lru_cache(maxsize=64)
def _unicode_ranges(path: str, mtime: int) -> str:
    """The characters a font file maps, as a CSS unicode-range list ('' if it cannot be read)."""
    try:
        from fontTools.ttLib import TTFont

        codes = sorted(TTFont(path, lazy=True).getBestCmap())
    except Exception:  # an unreadable font: no range, WeasyPrint then tries it for every character
        return ""
    spans: list[list[int]] = []
    for code in codes:
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def font_files(guide: Guide) -> list[Path]:
    """Every font file the book may embed (for checks and docs)."""
    out = []
    for _, folder in BOOK_FONTS:
        base = guide.asset("fonts", folder)
        if base:
            out.extend(print_font_files(base))
    return out


def print_font_files(folder: Path) -> list[Path]:
    """The font files of a folder that print uses: a WOFF2 file's TrueType copy when it has one
    (scripts/fonts_to_ttf.py), so that WeasyPrint need not unpack the WOFF2."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".woff2", ".ttf", ".otf"))
    return [p for p in files if not (p.suffix == ".woff2" and p.with_suffix(".ttf") in files)]


_UNPACKED: dict[str, bytes] = {}


def woff2_to_ttf(data: bytes) -> bytes:
    """A WOFF2 font as plain TrueType, the same bytes on every machine (its 'head' timestamp kept)."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # else 'head' gets today's date
    font.flavor = None
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def unpacked_font(path: Path, cache=None) -> bytes:
    """A WOFF2 font file as TrueType, memoised by content (and kept in the build cache)."""
    data = path.read_bytes()
    key = digest("woff2->ttf, fixed timestamp", data)
    if key not in _UNPACKED:
        _UNPACKED[key] = cache.bytes("font-ttf", key, lambda: woff2_to_ttf(data)) if cache is not None \
            else woff2_to_ttf(data)
    return _UNPACKED[key]
