"""Write a TrueType copy beside each WOFF2 font in assets/fonts/ (run again after changing a WOFF2).

The web site serves the small WOFF2 files. WeasyPrint would unpack each WOFF2 in pure Python for
every PDF and leaflet it lays out (about half a second per process, and per leaflet in a cold
build), so the print editions read these copies instead. The copy holds the same tables as the
WOFF2 file, with its 'head' timestamp kept, so it is the same on every machine; tests/test_pdf_units.py
checks that each copy still matches its WOFF2.

    .venv/bin/python scripts/fonts_to_ttf.py            # write the copies
    .venv/bin/python scripts/fonts_to_ttf.py --check    # exit 1 if one is missing or stale
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from guidebuilder.render.paged.fonts import woff2_to_ttf  # noqa: E402  (the conversion print falls back on)


def main(argv: list[str]) -> int:
    stale = []
    for woff2 in sorted((ROOT / "assets" / "fonts").rglob("*.woff2")):
        ttf = woff2.with_suffix(".ttf")
        data = woff2_to_ttf(woff2.read_bytes())
        if ttf.is_file() and ttf.read_bytes() == data:
            continue
        if "--check" in argv:
            stale.append(ttf.relative_to(ROOT))
        else:
            ttf.write_bytes(data)
            print(f"wrote {ttf.relative_to(ROOT)}")
    for path in stale:
        print(f"{path}: missing or stale; run scripts/fonts_to_ttf.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
