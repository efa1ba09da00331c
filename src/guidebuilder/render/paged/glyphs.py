"""Every character of the printed book from a bundled font: the characters no face in assets/fonts/
has are reported (file:line) and printed as U+FFFD from the last face, DejaVu Sans, never taken from
a font of the machine that builds (which would differ from one machine to another).

The faces' character maps are read with fontTools; the sources scanned are the chapters and the data
sets (guide.yml and guide/data/), whose text reaches the book.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from guidebuilder.model.errors import Diagnostic
from guidebuilder.model.guide import Guide
from guidebuilder.render.paged.fonts import font_files

REPLACEMENT = "\ufffd"
# Characters shaped without a glyph of their own: spaces, joiners, direction marks, soft hyphen, BOM,
# variation selectors.
IGNORED = re.compile("[\x00-\x7f\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\ufeff]")
SOURCE_SUFFIXES = (".md", ".yml", ".yaml")


def covered(guide: Guide, cache=None) -> frozenset[int]:
    """The code points some bundled face of the book maps (kept in the build cache by the fonts' bytes)."""
    files = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in font_files(guide))
    if cache is None:
        return _cmaps(files)
    import json

    from guidebuilder.core.digest import digest, file_digest

    key = digest("font cmaps", [file_digest(Path(path)) for path, _ in files])
    return frozenset(json.loads(cache.bytes("font-cmaps", key, lambda: json.dumps(sorted(_cmaps(files))).encode())))


@lru_cache(maxsize=8)
def _cmaps(files: tuple) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    for path, _ in files:
        try:
            codes.update(TTFont(path, lazy=True).getBestCmap())
        except Exception:  # an unreadable font covers nothing; the layout reports it
            continue
    return frozenset(codes)


def missing(text: str, codes: frozenset[int]) -> list[str]:
    """The characters of text that no face has, each once, in order."""
    return [ch for ch in dict.fromkeys(text) if ord(ch) not in codes and not IGNORED.match(ch)]


def sources(guide: Guide) -> list[Path]:
    """The files whose text reaches the book: its chapters, guide.yml and the data sets."""
    files = [c.path for c in guide.chapters]
    files.append(guide.root / "guide.yml")
    data = guide.root / "data"
    if data.is_dir():
        files.extend(sorted(p for p in data.rglob("*") if p.suffix in SOURCE_SUFFIXES))
    return [p for p in dict.fromkeys(files) if p.is_file()]


def warnings(guide: Guide, cache=None) -> list[Diagnostic]:
    """A warning, with file and line, for each line holding characters that no bundled face has."""
    codes = covered(guide, cache)
    if not codes:
        return []
    out = []
    for path in sources(guide):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if not missing(text, codes):  # the usual case: one pass over the file
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            chars = missing(line, codes)
            if chars:
                shown = ", ".join(f"«{c}» (U+{ord(c):04X})" for c in chars)
                out.append(Diagnostic(
                    _shown(guide, path), number, 0,
                    f"ninguna tipografía de assets/fonts/ tiene {shown}: el PDF imprime «{REPLACEMENT}» en su lugar",
                    "escriba el carácter de otro modo, o añada a assets/fonts/ una tipografía de licencia abierta "
                    "que lo tenga (y su licencia)", "warning"))
    return out


def _shown(guide: Guide, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(guide.root.resolve().parent))
    except ValueError:
        return path.name


def replace_missing(html: str, codes: frozenset[int]) -> str:
    """The print HTML with every character no face has replaced by U+FFFD."""
    if not codes:
        return html
    chars = missing(html, codes)
    if not chars:
        return html
    return html.translate({ord(c): REPLACEMENT for c in chars})
