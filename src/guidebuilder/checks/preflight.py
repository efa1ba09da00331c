"""Preflight: what a print shop checks in a PDF, measured with pikepdf.

Per page: MediaBox, TrimBox, BleedBox (mm) and the bleed on each side; fonts (embedded? subset?);
images (pixels, placed size, effective dpi, colour space), found by following the content streams
with their transformation matrices (form XObjects included); the colour operators and colour spaces
used; the output intent and the PDF/X version key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

MM = 25.4 / 72  # mm per PDF point

RGB_SPACES = {"DeviceRGB", "CalRGB"}
OPS_FILL_STROKE = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK",
                   "g": "DeviceGray", "G": "DeviceGray"}


@dataclass
class ImageUse:
    page: int
    name: str
    width_px: int
    height_px: int
    width_mm: float
    height_mm: float
    dpi: float
    colour_space: str
    mask: bool = False


@dataclass
class FontInfo:
    name: str
    subtype: str
    embedded: bool
    subset: bool


@dataclass
class PageInfo:
    number: int
    media: tuple
    trim: tuple | None
    bleed: tuple | None

    @property
    def size_mm(self) -> tuple[float, float]:
        box = self.trim or self.media
        return (round(box[2] - box[0], 2), round(box[3] - box[1], 2))

    def bleed_sides(self) -> tuple[float, float, float, float] | None:
        """Bleed on the left, bottom, right and top (mm): the BleedBox beyond the TrimBox, within the media."""
        if self.trim is None or self.bleed is None:
            return None
        b = _intersect(self.bleed, self.media)
        t = self.trim
        return (round(t[0] - b[0], 2), round(t[1] - b[1], 2), round(b[2] - t[2], 2), round(b[3] - t[3], 2))


@dataclass
class Report:
    path: Path
    pages: list[PageInfo] = field(default_factory=list)
    fonts: list[FontInfo] = field(default_factory=list)
    images: list[ImageUse] = field(default_factory=list)
    operators: dict = field(default_factory=dict)  # colour space -> number of uses
    output_intents: list = field(default_factory=list)  # (S, identifier, info, profile components)
    pdfx_version: str | None = None
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _box(page, key: str):
    value = page.obj.get(key)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) * MM for v in value)
    return (round(min(x0, x1), 3), round(min(y0, y1), 3), round(max(x0, x1), 3), round(max(y0, y1), 3))


def _intersect(a, b):
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def colour_space_name(cs, resources=None) -> str:
    """A readable name of a colour space object (name, array or a name in /ColorSpace resources)."""
    import pikepdf

    if isinstance(cs, pikepdf.Name):
        name = str(cs)[1:]
        if name in ("DeviceRGB", "DeviceCMYK", "DeviceGray", "Pattern"):
            return name
        if resources is not None and "/ColorSpace" in resources and cs in resources.ColorSpace:
            return colour_space_name(resources.ColorSpace[cs])
        return name
    if isinstance(cs, pikepdf.Array) and len(cs):
        family = str(cs[0])[1:]
        if family == "ICCBased":
            n = int(cs[1].get("/N", 0))
            return {1: "ICCBased(Gray)", 3: "ICCBased(RGB)", 4: "ICCBased(CMYK)"}.get(n, f"ICCBased(N={n})")
        if family == "Indexed":
            return f"Indexed({colour_space_name(cs[1], resources)})"
        if family in ("Separation", "DeviceN"):
            return f"{family}({colour_space_name(cs[2] if family == 'Separation' else cs[2], resources)})"
        return family
    return str(cs)


def _is_rgb(space: str) -> bool:
    return space in RGB_SPACES or "RGB" in space


def analyse(path: Path) -> Report:
    import pikepdf

    report = Report(Path(path))
    pdf = pikepdf.open(path)
    info = pdf.docinfo
    if "/GTS_PDFXVersion" in info:
        report.pdfx_version = str(info["/GTS_PDFXVersion"])
    else:
        try:
            with pdf.open_metadata() as meta:
                version = meta.get("pdfxid:GTS_PDFXVersion") or meta.get("pdfx:GTS_PDFXVersion")
                if version:
                    report.pdfx_version = str(version)
        except Exception:  # noqa: BLE001 — unreadable XMP is reported as "no version"
            pass
    for intent in pdf.Root.get("/OutputIntents", []) or []:
        profile = intent.get("/DestOutputProfile")
        n = int(profile.get("/N", 0)) if profile is not None else 0
        report.output_intents.append((str(intent.get("/S", "")), str(intent.get("/OutputConditionIdentifier", "")),
                                      str(intent.get("/Info", "")), n))

    fonts: dict[tuple, FontInfo] = {}
    for number, page in enumerate(pdf.pages, start=1):
        report.pages.append(PageInfo(number, _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")))
        group = page.obj.get("/Group")
        if group is not None and "/CS" in group:
            space = colour_space_name(group.CS)
            report.operators[f"{space} (transparency group)"] = report.operators.get(
                f"{space} (transparency group)", 0) + 1
        _walk(page.obj, page.obj.get("/Resources"), (1, 0, 0, 1, 0, 0), number, report, fonts, set())
    report.fonts = sorted(fonts.values(), key=lambda f: f.name)
    return report


def _fonts_of(resources, fonts: dict) -> None:
    if resources is None or "/Font" not in resources:
        return
    for _, font in resources.Font.items():
        key = font.objgen if font.is_indirect else (str(font.get("/BaseFont")),)
        if key in fonts:
            continue
        base = str(font.get("/BaseFont", "/?"))[1:]
        subtype = str(font.get("/Subtype", "/?"))[1:]
        descriptor = font.get("/FontDescriptor")
        if subtype == "Type0" and "/DescendantFonts" in font:
            descendant = font.DescendantFonts[0]
            descriptor = descendant.get("/FontDescriptor")
            subtype = f"Type0/{str(descendant.get('/Subtype', '/?'))[1:]}"
        if subtype == "Type3":
            embedded = True  # glyphs are drawn in the file
        else:
            embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        subset = len(base) > 7 and base[6] == "+" and base[:6].isupper() and base[:6].isalpha()
        fonts[key] = FontInfo(base, subtype, embedded, subset)


@dataclass
class _Graphics:
    """The graphics state _walk follows: the transformation matrix and the fill and stroke colour spaces."""

    ctm: tuple
    fill: str = "DeviceGray"
    stroke: str = "DeviceGray"


def _count(report: Report, space: str) -> None:
    report.operators[space] = report.operators.get(space, 0) + 1


def _walk(obj, resources, ctm, number: int, report: Report, fonts: dict, seen: set) -> None:
    """Follow one content stream (a page's or a form's): the colour it uses, the images it places."""
    import pikepdf

    _fonts_of(resources, fonts)
    try:
        instructions = pikepdf.parse_content_stream(obj)
    except pikepdf.PdfError as exc:
        report.failures.append(f"page {number}: unreadable content stream ({exc})")
        return
    stack: list[_Graphics] = []
    state = _Graphics(ctm)
    for operands, operator in instructions:
        op = str(operator)
        if op == "q":
            stack.append(replace(state))
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cm" and len(operands) == 6:
            state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)
        elif op == "BI":
            report.notes.append(f"page {number}: inline image (not measured)")
        elif op == "Do" and operands and resources is not None and "/XObject" in resources:
            _draw(resources, operands[0], state.ctm, number, report, fonts, seen)
        else:
            _colour(op, operands, resources, state, report)


def _colour(op: str, operands, resources, state: _Graphics, report: Report) -> None:
    """Count a colour operator (or shading) in its colour space; note a change of colour space."""
    if op in OPS_FILL_STROKE:
        space = OPS_FILL_STROKE[op]
        _count(report, space)
        if op.islower():
            state.fill = space
        else:
            state.stroke = space
    elif op in ("cs", "CS") and operands:
        space = colour_space_name(operands[0], resources)
        if op == "cs":
            state.fill = space
        else:
            state.stroke = space
    elif op in ("sc", "scn", "SC", "SCN"):
        _count(report, state.fill if op.islower() else state.stroke)
    elif op == "sh" and operands and resources is not None and "/Shading" in resources:
        shading = resources.Shading.get(operands[0])
        if shading is not None:
            _count(report, f"{colour_space_name(shading.get('/ColorSpace'), resources)} (shading)")


def _draw(resources, name, ctm, number: int, report: Report, fonts: dict, seen: set) -> None:
    """An XObject drawn with Do: an image is measured, a form is followed (once per matrix)."""
    xobj = resources.XObject.get(name)
    if xobj is None:
        return
    subtype = str(xobj.get("/Subtype", ""))
    if subtype == "/Image":
        _image(xobj, name, ctm, number, resources, report)
    elif subtype == "/Form":
        key = (xobj.objgen, ctm)
        if key in seen:
            return
        seen.add(key)
        matrix = tuple(float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
        group = xobj.get("/Group")
        if group is not None and "/CS" in group:
            _count(report, f"{colour_space_name(group.CS, resources)} (transparency group)")
        _walk(xobj, xobj.get("/Resources", resources), _mul(matrix, ctm), number, report, fonts, seen)


def _image(xobj, name, ctm, number: int, resources, report: Report) -> None:
    """Record an image placed with the matrix ctm: its pixels, placed size, effective dpi and colour."""
    import pikepdf

    w_px, h_px = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
    a, b, c, d = ctm[:4]
    w_mm, h_mm = math.hypot(a, b) * MM, math.hypot(c, d) * MM
    dpi = min(w_px / (w_mm / 25.4) if w_mm else math.inf, h_px / (h_mm / 25.4) if h_mm else math.inf)
    mask = bool(xobj.get("/ImageMask", False))
    space = "mask" if mask else colour_space_name(xobj.get("/ColorSpace", pikepdf.Name.DeviceGray), resources)
    report.images.append(ImageUse(number, str(name)[1:], w_px, h_px, round(w_mm, 2), round(h_mm, 2),
                                  round(dpi, 1), space, mask))
    smask = xobj.get("/SMask")
    if smask is not None and "/ColorSpace" in smask:
        _count(report, f"{colour_space_name(smask.ColorSpace)} (soft mask)")


def check(report: Report, min_dpi: float = 300, min_bleed: float = 3.0, cmyk: bool | None = None) -> Report:
    """Fill report.failures with what a print shop would reject. `cmyk=None`: required when the file
    claims PDF/X or carries an output intent."""
    for p in report.pages:
        if p.trim is None:
            report.failures.append(f"page {p.number}: no TrimBox (the finished size is unknown)")
        sides = p.bleed_sides()
        if sides is None:
            report.failures.append(f"page {p.number}: no BleedBox")
        elif min(sides) < min_bleed - 0.01:
            report.failures.append(f"page {p.number}: bleed {min(sides):.2f} mm, less than {min_bleed:g} mm "
                                   f"(left {sides[0]}, bottom {sides[1]}, right {sides[2]}, top {sides[3]})")
    for f in report.fonts:
        if not f.embedded:
            report.failures.append(f"font {f.name} ({f.subtype}) is not embedded")
    for im in report.images:
        if not im.mask and im.dpi < min_dpi:
            report.failures.append(f"page {im.page}: image {im.name} is {im.width_px}×{im.height_px} px at "
                                   f"{im.width_mm:.1f}×{im.height_mm:.1f} mm: {im.dpi:.0f} dpi, below {min_dpi:g}")
    need_cmyk = cmyk if cmyk is not None else bool(report.pdfx_version or report.output_intents)
    if need_cmyk:
        rgb = sorted(s for s, n in report.operators.items() if _is_rgb(s.split(" ")[0]))
        if rgb:
            report.failures.append("RGB colour in a CMYK print file: " + ", ".join(
                f"{s} ×{report.operators[s]}" for s in rgb))
        rgb_images = sorted({f"{im.name} ({im.colour_space})" for im in report.images if _is_rgb(im.colour_space)})
        if rgb_images:
            report.failures.append("RGB images in a CMYK print file: " + ", ".join(rgb_images))
        if not report.output_intents:
            report.failures.append("no output intent (a PDF/X file needs one, with its ICC profile)")
        elif not any(n == 4 for *_, n in report.output_intents):
            report.failures.append("the output intent's profile is not CMYK")
        if not report.pdfx_version:
            report.failures.append("no PDF/X version key (GTS_PDFXVersion)")
    return report


def format_report(report: Report) -> str:
    lines = [f"preflight: {report.path}"]
    lines.append(f"  PDF/X version: {report.pdfx_version or 'none'}")
    if report.output_intents:
        for s, ident, info, n in report.output_intents:
            lines.append(f"  output intent: {s[1:]} {ident!r} ({info}); profile with {n} components")
    else:
        lines.append("  output intent: none")
    for p in report.pages:
        fmt = lambda b: "none" if b is None else f"[{b[0]:.2f} {b[1]:.2f} {b[2]:.2f} {b[3]:.2f}]"  # noqa: E731
        w, h = p.size_mm
        lines.append(f"  page {p.number}: finished {w:.2f} × {h:.2f} mm")
        lines.append(f"    MediaBox {fmt(p.media)} mm; TrimBox {fmt(p.trim)} mm; BleedBox {fmt(p.bleed)} mm")
        sides = p.bleed_sides()
        lines.append("    bleed: none" if sides is None else
                     f"    bleed: left {sides[0]:.2f}, bottom {sides[1]:.2f}, right {sides[2]:.2f}, "
                     f"top {sides[3]:.2f} mm")
    lines.append(f"  fonts ({len(report.fonts)}):")
    for f in report.fonts:
        lines.append(f"    {f.name} [{f.subtype}] {'embedded' if f.embedded else 'NOT EMBEDDED'}"
                     f"{', subset' if f.subset else ''}")
    lines.append(f"  images ({len(report.images)}):")
    for im in report.images:
        lines.append(f"    page {im.page} {im.name}: {im.width_px}×{im.height_px} px at {im.width_mm:.1f}×"
                     f"{im.height_mm:.1f} mm = {im.dpi:.0f} dpi, {im.colour_space}")
    lines.append("  colour: " + (", ".join(f"{k} ×{v}" for k, v in sorted(report.operators.items())) or "none"))
    for note in report.notes:
        lines.append(f"  note: {note}")
    if report.failures:
        lines.append(f"FAILED ({len(report.failures)}):")
        lines += [f"  - {f}" for f in report.failures]
    else:
        lines.append("OK: boxes, bleed, fonts, image resolution and colour pass")
    return "\n".join(lines)
