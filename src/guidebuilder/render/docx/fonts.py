"""The DOCX's font: Atkinson Hyperlegible embedded in the file, and text measured with it.

Word has no Atkinson Hyperlegible, so without the font in the file every reader would see another
face (and other line breaks). scripts/make_reference_docx.py embeds the four faces in
assets/reference.docx the way Word does (obfuscated TrueType in word/fonts/, named in fontTable.xml
with w:embedRegular …, w:embedTrueTypeFonts in settings.xml so Word keeps them when a reviewer
saves); pandoc carries them into every DOCX it writes with that reference. The table widths are
measured with the same embedded faces (`Metrics`), so they fit the text Word and LibreOffice set.
"""

from __future__ import annotations

from guidebuilder.render.docx.ooxml import el, font_key, obfuscate_font, w

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TABLE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = ("Regular", "Bold", "Italic", "BoldItalic")
AVERAGE_ADVANCE = 0.55  # em: a sans serif's mean advance, for text measured without the font


class Metrics:
    """Advance widths of a regular and a bold face (TrueType bytes; None: an average width per character)."""

    def __init__(self, regular: bytes | None, bold: bytes | None, size_pt: float):
        self.size = size_pt
        self.faces = {False: self._load(regular), True: self._load(bold or regular)}
        self._cache: dict[tuple[str, bool], float] = {}

    @staticmethod
    def _load(data: bytes | None):
        if not data:
            return None
        import io

        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data), lazy=True)
        cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
        fallback = hmtx.get(cmap.get(ord("n"), ""), (upem * AVERAGE_ADVANCE, 0))[0]
        widths = {code: hmtx[name][0] for code, name in cmap.items() if name in hmtx}
        return widths, fallback, upem

    def measure(self, text: str, bold: bool = False) -> float:
        """The width of text on one line, in twips."""
        key = (text, bold)
        if key not in self._cache:
            face = self.faces[bold]
            if face is None:
                ems = len(text) * AVERAGE_ADVANCE
            else:
                widths, fallback, upem = face
                ems = sum(widths.get(ord(ch), fallback) for ch in text) / upem
            self._cache[key] = ems * self.size * 20
        return self._cache[key]


def embedded_faces(doc, family: str) -> dict[str, bytes]:
    """The faces of `family` embedded in a python-docx Document: face name (Regular, Bold …) → TrueType."""
    from lxml import etree

    table = next((rel.target_part for rel in doc.part.rels.values()
                  if rel.reltype == FONT_TABLE_REL and not rel.is_external), None)
    if table is None:
        return {}
    root = etree.fromstring(table.blob)
    out = {}
    for font in root.iter(w("font")):
        if font.get(w("name")) != family:
            continue
        for face in FACES:
            node = font.find(w(f"embed{face}"))
            rel = table.rels.get(node.get(f"{{{R_NS}}}id")) if node is not None else None
            if rel is not None and not rel.is_external:
                out[face] = obfuscate_font(rel.target_part.blob, node.get(w("fontKey"), ""))
    return out


def body_font(styles_root) -> str | None:
    """The font family of the document's body text (Normal's, else the document defaults')."""
    for path in (f".//{w('style')}[@{w('styleId')}='Normal']/{w('rPr')}/{w('rFonts')}",
                 f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}"):
        fonts = styles_root.find(path)
        if fonts is not None and fonts.get(w("ascii")):
            return fonts.get(w("ascii"))
    return None


def table_metrics(doc, size_pt: float) -> Metrics:
    """Metrics of the body font as embedded in the document (average widths if it is not embedded)."""
    family = body_font(doc.styles.element)
    faces = embedded_faces(doc, family) if family else {}
    return Metrics(faces.get("Regular"), faces.get("Bold"), size_pt)


# ---------------------------------------------------------------- embedding (scripts/make_reference_docx.py)

def embed_fonts(files: dict[str, bytes], family: str, faces: dict[str, bytes]) -> dict[str, bytes]:
    """A DOCX's parts (name → bytes) with the faces of `family` embedded as Word embeds them."""
    from lxml import etree

    out = dict(files)
    table = etree.fromstring(out["word/fontTable.xml"])
    for old in [f for f in table.iter(w("font")) if f.get(w("name")) == family]:
        table.remove(old)
    font = el("font", name=family)
    for tag, value in (("charset", "00"), ("family", "swiss"), ("pitch", "variable")):
        font.append(el(tag, val=value))
    rels = []
    for number, face in enumerate((f for f in FACES if f in faces), start=1):
        key = font_key(faces[face])
        out[f"word/fonts/font{number}.odttf"] = obfuscate_font(faces[face], key)
        embed = el(f"embed{face}", fontKey=key)
        embed.set(f"{{{R_NS}}}id", f"rIdFont{number}")
        font.append(embed)
        rels.append(f'<Relationship Id="rIdFont{number}" Type="{FONT_REL}" Target="fonts/font{number}.odttf"/>')
    table.append(font)
    out["word/fontTable.xml"] = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    out["word/_rels/fontTable.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>').encode()
    types = out["[Content_Types].xml"]
    if b'Extension="odttf"' not in types:
        types = types.replace(b"</Types>", f'<Default Extension="odttf" ContentType="{OBFUSCATED}"/></Types>'.encode())
    out["[Content_Types].xml"] = types
    out["word/settings.xml"] = _keep_embedded(out["word/settings.xml"])
    return out


# children of w:settings before w:embedTrueTypeFonts
_SETTINGS_BEFORE = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                    "printFractionalCharacterWidth", "printFormsData")


def _keep_embedded(settings: bytes) -> bytes:
    """settings.xml asking Word to embed the TrueType fonts when it saves (not the system fonts: a
    reviewer's Word would otherwise add Arial and Calibri to the file)."""
    from lxml import etree

    root = etree.fromstring(settings)
    for tag in ("embedSystemFonts", "saveSubsetFonts", "embedTrueTypeFonts"):
        for old in root.findall(w(tag)):
            root.remove(old)
    flag = el("embedTrueTypeFonts")
    before = [c for c in root if c.tag in {w(t) for t in _SETTINGS_BEFORE}]
    if before:
        before[-1].addnext(flag)
    else:
        root.insert(0, flag)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

