"""Print production for the leaflet: fold geometry, the colour palette, PDF/X post-processing.

Geometry of the letter fold (C-fold, "tríptico"): the sheet is landscape, three panels a side.
The panel that folds in (the flap on the outside, inside-3 behind it) is narrower than the other
two so that it closes flat inside them. With D = 2 mm (the issue's "about 2 mm"):

    full panel  P = round((W + D) / 3, 1 mm)
    fold-in     F = W - 2 P

    letter  W = 279.4 mm  →  P = 93.8 mm, F = 91.8 mm
                outside  [flap 91.8 | back 93.8 | cover 93.8]   folds at 91.8 and 185.6 mm
                inside   [in-1 93.8 | in-2 93.8 | in-3  91.8]   folds at 93.8 and 187.6 mm
    a4      W = 297.0 mm  →  P = 99.7 mm, F = 97.6 mm (2.1 mm narrower after rounding)
                outside  [flap 97.6 | back 99.7 | cover 99.7]   folds at 97.6 and 197.3 mm
                inside   [in-1 99.7 | in-2 99.7 | in-3  97.6]   folds at 99.7 and 199.4 mm

The outside and inside folds are the same two creases seen from the two faces (97.6 mm from the
left outside is 297 − 199.4 = 97.6 mm from the right inside).

Print file (PDF/X-4): trim = finished size; 3 mm bleed; beyond the bleed a 7 mm slug holds the crop
and fold marks (drawn by us in registration colour, 4.5 mm off the trim, so they sit outside the
bleed). WeasyPrint's own `marks: crop` is not used: it draws sRGB black marks that end at half the
CSS bleed, which would put an RGB operator into the PDF/X file.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MM_PER_PT = 25.4 / 72

TRIM = {"letter": (279.4, 215.9), "a4": (297.0, 210.0)}
SIZE_NAMES = {"letter": "Carta (Letter)", "a4": "A4"}
BLEED = 3.0  # mm, what a print shop expects
SLUG = 7.0  # mm beyond the bleed, for crop and fold marks
FOLD_IN = 2.0  # mm narrower: the panel that folds in
MARK_OFFSET = 4.5  # mm from the trim where a crop mark starts (outside the 3 mm bleed)
MARK_LENGTH = 5.0  # mm


@dataclass(frozen=True)
class Geometry:
    size: str
    width: float
    height: float

    @property
    def full(self) -> float:
        return round((self.width + FOLD_IN) / 3, 1)

    @property
    def narrow(self) -> float:
        return round(self.width - 2 * self.full, 2)

    @property
    def outside(self) -> tuple[float, float, float]:
        """Panel widths, left to right: flap, back, cover."""
        return (self.narrow, self.full, self.full)

    @property
    def inside(self) -> tuple[float, float, float]:
        """Panel widths, left to right: inside-1, inside-2, inside-3 (behind the flap)."""
        return (self.full, self.full, self.narrow)

    @property
    def folds_outside(self) -> tuple[float, float]:
        return (self.narrow, round(self.narrow + self.full, 2))

    @property
    def folds_inside(self) -> tuple[float, float]:
        return (self.full, round(2 * self.full, 2))

    @property
    def flat(self) -> tuple[float, float]:
        return (self.width, self.height)

    @property
    def folded(self) -> tuple[float, float]:
        return (self.full, self.height)

    @property
    def media(self) -> tuple[float, float]:
        return (self.width + 2 * (BLEED + SLUG), self.height + 2 * (BLEED + SLUG))

    def lefts(self, widths: tuple[float, ...]) -> list[float]:
        out, x = [], 0.0
        for w in widths:
            out.append(round(x, 2))
            x += w
        return out


def geometry(size: str) -> Geometry:
    w, h = TRIM[size]
    return Geometry(size, w, h)


# ---------------------------------------------------------------- colours

@dataclass(frozen=True)
class Colour:
    name: str
    use: str
    cmyk: tuple[float, float, float, float]  # 0-100 each

    @property
    def rgb(self) -> str:
        """The naive conversion browsers use for device-cmyk() without a profile."""
        c, m, y, k = (v / 100 for v in self.cmyk)
        r, g, b = (round(255 * (1 - v) * (1 - k)) for v in (c, m, y))
        return f"#{r:02x}{g:02x}{b:02x}"

    @property
    def device_cmyk(self) -> str:
        return "device-cmyk(" + " ".join(_num(v / 100) for v in self.cmyk) + ")"

    def css(self, cmyk: bool) -> str:
        return self.device_cmyk if cmyk else self.rgb


def _num(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return text or "0"


PALETTE = (
    Colour("tinta", "texto", (0, 0, 0, 100)),
    Colour("azul", "fondo de portada, títulos", (90, 45, 15, 25)),
    Colour("ambar", "franjas y acentos", (0, 35, 90, 0)),
    Colour("cielo", "fondo claro de paneles", (8, 2, 0, 0)),
    Colour("papel", "texto sobre azul (sin tinta)", (0, 0, 0, 0)),
)
REGISTRATION = Colour("registro", "marcas de corte y pliegue", (100, 100, 100, 100))


def colours(cmyk: bool) -> dict[str, str]:
    out = {c.name: c.css(cmyk) for c in PALETTE}
    out["registro"] = REGISTRATION.css(cmyk) if cmyk else "#000000"
    return out


# ---------------------------------------------------------------- ICC profile for the output intent

SYSTEM_CMYK_PROFILES = (
    # Debian package libgs-common (Ghostscript, AGPL-3+): "Artifex CMYK SWOP Profile". Used from the
    # system, never committed; scripts/system-deps.sh installs it.
    Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),
)


def cmyk_profile(guide) -> Path | None:
    """The CMYK ICC profile for the PDF/X output intent: the guide's own assets/icc/cmyk.icc (the
    print shop's profile, if it gives one), else the system's."""
    own = guide.asset("icc", "cmyk.icc")
    if own is not None:
        return own
    for candidate in SYSTEM_CMYK_PROFILES:
        if candidate.is_file():
            return candidate
    return None


def profile_description(data: bytes) -> str:
    """The 'desc' tag of an ICC profile (v2 textDescriptionType or v4 mluc), or ''."""
    try:
        count = int.from_bytes(data[128:132], "big")
        for i in range(count):
            base = 132 + 12 * i
            sig = data[base:base + 4]
            off = int.from_bytes(data[base + 4:base + 8], "big")
            size = int.from_bytes(data[base + 8:base + 12], "big")
            if sig != b"desc":
                continue
            tag = data[off:off + size]
            if tag[:4] == b"desc":
                n = int.from_bytes(tag[8:12], "big")
                return tag[12:12 + n].rstrip(b"\0").decode("latin-1")
            if tag[:4] == b"mluc":
                rec_len = int.from_bytes(tag[20:24], "big")
                s_off = int.from_bytes(tag[24:28], "big")
                return tag[s_off:s_off + rec_len].decode("utf-16-be").rstrip("\0")
    except (ValueError, UnicodeDecodeError):
        return ""
    return ""


# ---------------------------------------------------------------- PDF post-processing

def finish_pdf(data: bytes, *, bleed_mm: float | None, seed: str, output_condition: str = "") -> bytes:
    """Make the PDF exact and reproducible with pikepdf.

    - BleedBox = TrimBox grown by exactly `bleed_mm` (WeasyPrint puts it at min(CSS bleed, 10 pt));
    - the output intent named after its profile instead of WeasyPrint's CSS name 'device-cmyk';
    - the random XMP DocumentID replaced by one derived from `seed`; the /ID derived from content.
    """
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.get("/TrimBox", page.obj["/MediaBox"])]
        if bleed_mm:
            b = bleed_mm / MM_PER_PT
            page.obj["/TrimBox"] = pikepdf.Array([round(v, 4) for v in trim])
            page.obj["/BleedBox"] = pikepdf.Array([round(trim[0] - b, 4), round(trim[1] - b, 4),
                                                   round(trim[2] + b, 4), round(trim[3] + b, 4)])
        else:
            page.obj["/TrimBox"] = page.obj["/MediaBox"]
            page.obj["/BleedBox"] = page.obj["/MediaBox"]
    intents = pdf.Root.get("/OutputIntents")
    if intents is not None and output_condition:
        for intent in intents:
            intent["/OutputConditionIdentifier"] = pikepdf.String("Custom")
            intent["/OutputCondition"] = pikepdf.String(output_condition)
            intent["/Info"] = pikepdf.String(output_condition)
    meta = pdf.Root.get("/Metadata")
    if meta is not None:
        xmp = meta.read_bytes()
        did = "xmp.did:" + hashlib.sha256(seed.encode()).hexdigest()[:32]
        new = re.sub(rb"xmp\.did:[0-9a-fA-F-]{36}", did.encode(), xmp)
        if new != xmp:
            meta.write(new)
    if "/ID" in pdf.trailer:  # WeasyPrint's PDF/X identifier is random; pikepdf derives one from the content
        del pdf.trailer["/ID"]
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


# ---------------------------------------------------------------- image resolution after layout

def iter_boxes(box):
    """Every layout box under `box`, looking inside absolutely positioned boxes too (WeasyPrint's
    descendants() stops at their placeholders)."""
    stack = [box]
    while stack:
        b = stack.pop()
        inner = getattr(b, "_box", None)
        if inner is not None and type(b).__name__ == "AbsolutePlaceholder":
            b = inner
        yield b
        stack.extend(reversed(list(getattr(b, "children", ()) or ())))


def low_resolution_images(document, min_dpi: float) -> list[tuple[str, int, int, float, float, float]]:
    """Raster images placed below `min_dpi`: (src, px wide, px high, mm wide, mm high, dpi)."""
    from weasyprint.images import RasterImage

    found = []
    for page in document.pages:
        for box in iter_boxes(page._page_box):
            image = getattr(box, "replacement", None)
            if not isinstance(image, RasterImage):
                continue
            width_in, height_in = box.width / 96, box.height / 96  # CSS px
            if width_in <= 0 or height_in <= 0:
                continue
            dpi = min(image.width / width_in, image.height / height_in)
            if dpi < min_dpi:
                src = box.element.get("src", "?") if box.element is not None else "?"
                found.append((src, image.width, image.height, width_in * 25.4, height_in * 25.4, dpi))
    return found


# ---------------------------------------------------------------- deterministic zip

def write_zip(entries: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip whose bytes depend only on its entries: fixed timestamps and permissions, sorted names."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return buf.getvalue()
