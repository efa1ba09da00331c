"""Make assets/reference.pptx: pandoc's default reference deck in the guide's look (its font, Atkinson
Hyperlegible, named in the theme; the leaflet's colours: blue titles, amber accents).

    .venv/bin/python dev/make_reference_pptx.py

The result is committed; run again only to change the look. Deterministic (fixed zip times)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from guidebuilder.pandoc.tools import pandoc_path  # noqa: E402

FONT = "Atkinson Hyperlegible"
BLUE, AMBER, INK = "1369A3", "FFA619", "000000"


def theme(xml: str) -> str:
    xml = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{FONT}"', xml)
    xml = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*"', rf'\g<1>{FONT}"', xml)
    for slot, colour in (("dk2", BLUE), ("accent1", BLUE), ("accent2", AMBER), ("dk1", INK)):
        xml = re.sub(rf"(<a:{slot}>)(.*?)(</a:{slot}>)", rf'\g<1><a:srgbClr val="{colour}"/>\g<3>', xml, flags=re.S)
    xml = re.sub(r'<a:clrScheme name="[^"]*"', '<a:clrScheme name="Guia"', xml)
    return re.sub(r'<a:fontScheme name="[^"]*"', '<a:fontScheme name="Guia"', xml)


def master(xml: str) -> str:
    """Titles in blue (the theme's second text colour)."""
    head, tail = xml.split("<p:titleStyle>", 1)
    return head + "<p:titleStyle>" + tail.replace('<a:schemeClr val="tx1"/>', '<a:schemeClr val="tx2"/>', 1)


def main() -> None:
    data = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.pptx"],
                          capture_output=True, check=True).stdout
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if re.fullmatch(r"ppt/theme/theme\d+\.xml", info.filename):
                body = theme(body.decode("utf-8")).encode("utf-8")
            elif info.filename == "ppt/slideMasters/slideMaster1.xml":
                body = master(body.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, body)
    (ROOT / "assets" / "reference.pptx").write_bytes(out.getvalue())
    print(ROOT / "assets" / "reference.pptx")


if __name__ == "__main__":
    main()
