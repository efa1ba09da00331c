"""One embedded font program per face in the joined book (assemble.py).

Each part of the book is a PDF of its own, with its own subset of every face it uses: joined, the book
would carry a face once per part. WeasyPrint subsets with HarfBuzz keeping glyph ids (RETAIN_GIDS), so
the subsets of one face agree on every glyph id: here they are replaced by one program, the face's
file from the asset folders subset as WeasyPrint subsets it (the same HarfBuzz calls and flags) to the
glyphs every part uses. Each font dictionary keeps its own widths and Unicode map.

Fonts are grouped by their PDF name, as WeasyPrint groups them (the name holds a hash of the face's
description: one name, one file). A face whose file is not found among the asset folders' fonts (by
its PostScript name and its Unicode map), a variable or colour face, or a subset HarfBuzz refuses,
keeps one program per part: the PDF is the same, only larger.
"""

from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Name

FONT_SUFFIXES = (".ttf", ".otf")
UNSHARED_TABLES = {"fvar", "CBDT", "SVG ", "COLR", "EBDT"}
DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def share_fonts(pdf: pikepdf.Pdf, font_dirs: tuple) -> None:
    """Give the fonts of `pdf` made from one face one font dictionary and one embedded program (see the
    module's text); a face drawn with glyphs it lacks (its own encoding) keeps its dictionaries."""
    groups: dict = {}
    fonts, resources = _type0_fonts(pdf)
    for font in fonts:
        descendant = font.DescendantFonts[0]
        if Name.FontFile2 in descendant.get(Name.FontDescriptor, pikepdf.Dictionary()):
            groups.setdefault(str(font.BaseFont), []).append(font)
    shared: dict = {}
    for name, members in sorted(groups.items()):
        if len({f.objgen for f in members}) < 2:
            continue
        widths: dict = {}
        for font in members:
            for gid, width in _widths(font.DescendantFonts[0].get(Name.W, pikepdf.Array())):
                widths.setdefault(gid, width)
        identity = all(f.get(Name.Encoding) == Name("/Identity-H") for f in members)
        original = _original(members[0].DescendantFonts[0].FontDescriptor.FontFile2.read_bytes(), font_dirs)
        data = subset(original, sorted(widths), not identity) if original and widths else None
        if data is None:
            continue
        program = pdf.make_stream(data)
        program.Length1 = len(data)
        if not identity:  # each keeps its encoding, widths and map; only the program is shared
            for font in members:
                font.DescendantFonts[0].FontDescriptor.FontFile2 = program
            continue
        shared[name] = _merged_font(pdf, members, widths, program)
    for dictionary in resources:
        fonts_of = dictionary.get(Name.Font)
        for key in list(fonts_of.keys()) if isinstance(fonts_of, pikepdf.Dictionary) else ():
            merged = shared.get(str(fonts_of[key].get(Name.BaseFont, "")))
            if merged is not None:
                fonts_of[key] = merged


def _merged_font(pdf: pikepdf.Pdf, members: list, widths: dict, program) -> pikepdf.Object:
    """One Type0 font for the members (one face): their widths and Unicode maps joined (the first
    part to draw a glyph gives its text), the descriptor's box and pitch for all the glyphs."""
    first = members[0]
    descendant = first.DescendantFonts[0]
    descriptor = pikepdf.Dictionary({k: v for k, v in descendant.FontDescriptor.items()})
    bbox = [float(v) for v in descriptor.FontBBox]
    descriptor.FontBBox = pikepdf.Array([0, bbox[1], max(widths.values()), bbox[3]])
    flags = int(descriptor.Flags) & ~1
    if len(widths) > 1 and len(set(widths.values())) == 1:
        flags |= 1  # FixedPitch, as WeasyPrint sets it
    descriptor.Flags = flags
    descriptor.FontFile2 = program
    cid = pikepdf.Dictionary({k: v for k, v in descendant.items()})
    cid.FontDescriptor = pdf.make_indirect(descriptor)
    cid.W = _width_array(widths)
    texts: dict = {}
    for font in members:
        for gid, text in TO_UNICODE.findall(font.ToUnicode.read_bytes()):
            texts.setdefault(int(gid, 16), text)
    font = pikepdf.Dictionary({k: v for k, v in first.items()})
    font.DescendantFonts = pikepdf.Array([pdf.make_indirect(cid)])
    font.ToUnicode = pdf.make_stream(_to_unicode(texts))
    return pdf.make_indirect(font)


TO_UNICODE = re.compile(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>")
CMAP_HEAD = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n"
             b"/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
             b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange")
CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"


def _to_unicode(texts: dict) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes it (bfchar blocks of at most 100 glyphs)."""
    lines = [CMAP_HEAD]
    items = sorted(texts.items())
    for i in range(0, len(items), 100):
        batch = items[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (gid, text.lower()) for gid, text in batch)
        lines.append(b"endbfchar")
    lines.append(CMAP_TAIL)
    return b"\n".join(lines)


def _width_array(widths: dict) -> pikepdf.Array:
    """A W array as WeasyPrint writes it: each run of consecutive glyph ids as first [w w …]."""
    out = pikepdf.Array()
    run = None
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = pikepdf.Array()
            out.extend([gid, run])
        run.append(widths[gid])
    return out


def _type0_fonts(pdf: pikepdf.Pdf) -> tuple[list, list]:
    """Every composite font the pages (and the forms they draw) use, each once, in page order; and
    every resource dictionary met."""
    seen: set = set()
    fonts: list = []
    dictionaries: list = []
    stack = [page.obj.get(Name.Resources) for page in reversed(pdf.pages)]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary) or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        dictionaries.append(resources)
        for font in resources.get(Name.Font, pikepdf.Dictionary()).values():
            if font.objgen not in seen and font.get(Name.Subtype) == Name.Type0:
                seen.add(font.objgen)
                fonts.append(font)
        forms = [x for x in resources.get(Name.XObject, pikepdf.Dictionary()).values() if x.get(Name.Subtype) == Name.Form]
        for form in reversed(forms):
            if form.objgen not in seen:
                seen.add(form.objgen)
                stack.append(form.get(Name.Resources))
    return fonts, dictionaries


def _widths(array) -> list:
    """(glyph id, width) of a CID font's W array (first [w w …] or first last w)."""
    out: list = []
    items = list(array)
    i = 0
    while i + 1 < len(items):
        first, rest = int(items[i]), items[i + 1]
        if isinstance(rest, pikepdf.Array):
            out.extend((first + j, w) for j, w in enumerate(rest))
            i += 2
        else:
            out.extend((gid, items[i + 2]) for gid in range(first, int(rest) + 1))
            i += 3
    return out


def _original(program: bytes, font_dirs: tuple) -> bytes | None:
    """The font file a subset was made from: same PostScript name, every character it maps on the
    same glyph id; None if no file of the asset folders is that one (or it cannot be shared)."""
    try:
        name, cmap = _describe(program)
    except Exception:  # an unreadable program: left as it is
        return None
    if not cmap:
        return None
    for path in _font_files(font_dirs):
        try:
            stat = path.stat()
            their_name, their_cmap, tables = _describe_file(str(path), stat.st_mtime_ns, stat.st_size)
        except Exception:
            continue
        if their_name == name and not tables & UNSHARED_TABLES and all(their_cmap.get(c) == g for c, g in cmap.items()):
            return _file_font(str(path), stat.st_mtime_ns, stat.st_size)
    return None


def read_faces(font_dirs: tuple) -> None:
    """Read every face of the asset folders now (kept by this process, and by the processes it forks:
    the joins, which would each read them again)."""
    for path in _font_files(font_dirs):
        try:
            stat = path.stat()
            _describe_file(str(path), stat.st_mtime_ns, stat.st_size)
        except Exception:  # noqa: BLE001  (a face that cannot be read is left to _original)
            continue


def _font_files(font_dirs: tuple) -> list[Path]:
    files: list[Path] = []
    for folder in font_dirs:
        base = Path(folder) / "fonts"
        if base.is_dir():
            files.extend(sorted(p for p in base.rglob("*") if p.suffix in FONT_SUFFIXES))
    return files


def _describe(program: bytes) -> tuple:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), lazy=True)
    return font["name"].getDebugName(6), {c: font.getGlyphID(g) for c, g in font.getBestCmap().items()}


@lru_cache(maxsize=64)
def _describe_file(path: str, mtime: int, size: int) -> tuple:
    from fontTools.ttLib import TTFont

    data = _file_font(path, mtime, size)
    name, cmap = _describe(data)
    return name, cmap, frozenset(TTFont(io.BytesIO(data), lazy=True).keys())


@lru_cache(maxsize=8)
def _file_font(path: str, mtime: int, size: int) -> bytes:
    """A font file's bytes as WeasyPrint loads them (WOFF and WOFF2 unpacked as it unpacks them,
    whatever the file's name)."""
    from fontTools.ttLib import TTFont, woff2

    data = Path(path).read_bytes()
    if data[:4] == b"wOFF":
        font, out = TTFont(io.BytesIO(data)), io.BytesIO()
        font.flavor = font.flavorData = None
        font.save(out)
        return out.getvalue()
    if data[:4] == b"wOF2":
        out = io.BytesIO()
        woff2.decompress(io.BytesIO(data), out)
        return out.getvalue()
    return data


# HarfBuzz's subsetting flags and sets (hb-subset.h; stable values)
NO_HINTING, RETAIN_GIDS, DESUBROUTINIZE, PASSTHROUGH_UNRECOGNIZED, NOTDEF_OUTLINE = 1, 2, 4, 32, 64
DROP_TABLE_TAG = 3


def subset(original: bytes, gids: list[int], missing: bool) -> bytes | None:
    """`original` subset to `gids` as WeasyPrint 70 subsets (pdf/fonts.py, Font._harfbuzz_subset):
    glyph ids kept, then the empty glyphs after the last one dropped, no hinting; None if HarfBuzz
    refuses (or cannot subset)."""
    hb, hb_subset, ffi = _harfbuzz()
    if hb is None:
        return None
    blob = hb.hb_blob_create(original, len(original), 0, ffi.NULL, ffi.NULL)  # 0: HB_MEMORY_MODE_DUPLICATE
    face = hb.hb_face_create(blob, 0)
    hb.hb_blob_destroy(blob)
    common = PASSTHROUGH_UNRECOGNIZED | DESUBROUTINIZE | (NOTDEF_OUTLINE if missing else 0)
    first = _subset_face(hb, hb_subset, face, gids, common | RETAIN_GIDS,
                         [hb.hb_tag_from_string(tag, -1) for tag in DROP_TABLES])
    hb.hb_face_destroy(face)
    if first == ffi.NULL:
        return None
    second = _subset_face(hb, hb_subset, first, range(max(gids) + 1), common | NO_HINTING, [])
    hb.hb_face_destroy(first)
    if second == ffi.NULL:
        return None
    out = hb.hb_face_reference_blob(second)
    length = ffi.new("unsigned int *")
    data = hb.hb_blob_get_data(out, length)
    result = None if data == ffi.NULL else ffi.unpack(data, int(length[0]))
    hb.hb_blob_destroy(out)
    hb.hb_face_destroy(second)
    return result if result and len(result) > 12 else None  # 12 bytes: a font with no table


def _subset_face(hb, hb_subset, face, gids, flag_bits: int, drop: list):
    plan = hb_subset.hb_subset_input_create_or_fail()
    glyphs = hb_subset.hb_subset_input_glyph_set(plan)
    for gid in gids:
        hb.hb_set_add(glyphs, gid)
    hb_subset.hb_subset_input_set_flags(plan, flag_bits)
    tables = hb_subset.hb_subset_input_set(plan, DROP_TABLE_TAG)
    for tag in drop:
        hb.hb_set_add(tables, tag)
    out = hb_subset.hb_subset_or_fail(face, plan)
    hb_subset.hb_subset_input_destroy(plan)
    return out


_HB: dict = {}
CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t; typedef uint32_t hb_codepoint_t; typedef uint32_t hb_tag_t;
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
void hb_blob_destroy(hb_blob_t *blob);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
hb_tag_t hb_tag_from_string(const char *str, int len);
int hb_version_atleast(unsigned int major, unsigned int minor, unsigned int micro);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
LIBRARIES = (("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
             ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"))


def _harfbuzz():
    """HarfBuzz and HarfBuzz-subset (4.1 or later, as WeasyPrint needs), the libraries WeasyPrint
    uses; (None, None, None) if they cannot be loaded."""
    if "libs" not in _HB:
        _HB["libs"] = (None, None, None)
        from cffi import FFI

        ffi = FFI()
        ffi.cdef(CDEF)
        libs = []
        for names in LIBRARIES:
            for name in names:
                try:
                    libs.append(ffi.dlopen(name))
                    break
                except OSError:
                    continue
        if len(libs) == 2 and libs[0].hb_version_atleast(4, 1, 0):
            _HB["libs"] = (libs[0], libs[1], ffi)
    return _HB["libs"]


def font_dirs_of(scope) -> tuple:
    """The asset folders whose fonts/ the book's faces come from."""
    return tuple(str(d) for d in getattr(scope, "asset_dirs", ()) if os.path.isdir(d))
