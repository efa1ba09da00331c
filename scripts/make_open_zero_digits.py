"""Write assets/fonts/atkinson-cifras/: Atkinson Hyperlegible's ten digits with a zero without its slash.

(With the spaces and the punctuation that stand beside numbers, unchanged: see WITH_DIGITS.)

Atkinson Hyperlegible draws its zero slashed (to tell it from the letter O), and has no alternate: in
tables and page numbers, where every figure is a number, "10", "2020" and "p. 40" read as "1Ø" and
"4Ø". The print editions take their figures from this small face (CSS unicode-range U+0030-0039, set
before Atkinson Hyperlegible in tables, captions and folios), and everything else from Atkinson itself.

The zero keeps Atkinson's outer contour; its two counters (split by the slash) become one, the outer
contour scaled into the counters' bounds and reversed. The other nine digits are Atkinson's, unchanged.
Atkinson Hyperlegible's licence (SIL OFL 1.1, no Reserved Font Name) allows the modified version; it is
renamed "Atkinson Cifras" all the same.

    .venv/bin/python scripts/make_open_zero_digits.py            # write the files
    .venv/bin/python scripts/make_open_zero_digits.py --check    # exit 1 if one is missing or stale
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assets" / "fonts" / "atkinson-hyperlegible"
TARGET = ROOT / "assets" / "fonts" / "atkinson-cifras"
FAMILY = "Atkinson Cifras"
DIGITS = [0x30 + i for i in range(10)]
# Kept with the digits, so that a number and what joins it ("83.1 %", "2021:") stay in one run of this
# face: a space the face lacked was set in whatever face the system matched next (a wide monospace one).
WITH_DIGITS = [0x20, 0xA0, 0x25, 0x28, 0x29, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x3B, 0x2013]


def open_zero(path: Path) -> bytes:
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.pens.reverseContourPen import ReverseContourPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)
    options = Options()
    options.layout_features = ["tnum", "pnum"]
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=DIGITS + WITH_DIGITS)
    subsetter.subset(font)
    glyf = font["glyf"]
    zero = glyf["zero"]
    coords, ends, _ = zero.getCoordinates(glyf)
    outer = coords[: ends[0] + 1]
    inner = coords[ends[0] + 1:]
    (ox0, oy0), (ox1, oy1) = _bounds(outer)
    (ix0, iy0), (ix1, iy1) = _bounds(inner)
    sx, sy = (ix1 - ix0) / (ox1 - ox0), (iy1 - iy0) / (oy1 - oy0)
    recorded = RecordingPen()
    zero.draw(recorded, glyf)
    first = _first_contour(recorded.value)
    pen = TTGlyphPen(glyf)
    _replay(first, pen)
    _replay(first, TransformPen(ReverseContourPen(pen), (sx, 0, 0, sy, ix0 - ox0 * sx, iy0 - oy0 * sy)))
    glyf["zero"] = pen.glyph()
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY if record.nameID != 4 else f"{FAMILY} {_style(path)}"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-" + _style(path).replace(" ", "")
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _bounds(points) -> tuple[tuple[float, float], tuple[float, float]]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys)), (max(xs), max(ys))


def _first_contour(ops: list) -> list:
    out = []
    for op in ops:
        out.append(op)
        if op[0] in ("closePath", "endPath"):
            break
    return out


def _replay(ops: list, pen) -> None:
    for name, args in ops:
        getattr(pen, name)(*args)


def _style(path: Path) -> str:
    weight = "Bold" if "-700-" in path.name else "Regular"
    return f"{weight} Italic" if path.name.endswith("italic.ttf") else weight


def main(argv: list[str]) -> int:
    stale = []
    for source in sorted(SOURCE.glob("atkinson-hyperlegible-latin-[0-9]*.ttf")):
        name = source.name.replace("atkinson-hyperlegible-latin", "atkinson-cifras-digits")
        data = open_zero(source)
        target = TARGET / name
        if target.is_file() and target.read_bytes() == data:
            continue
        if "--check" in argv:
            stale.append(name)
            continue
        TARGET.mkdir(exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(ROOT)}")
    if "--check" not in argv:
        shutil.copyfile(SOURCE / "OFL.txt", TARGET / "OFL.txt")
    if stale:
        print("stale or missing: " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
