"""WordprocessingML helpers shared by the DOCX renderer and the feedback import (lxml, no python-docx).

A section of a guidebuilder DOCX is traced back to the guide by the bookmark of its heading, named
by the heading's id (pandoc writes them; Word and LibreOffice keep them when they save), or, if a
program dropped the bookmark, by the heading's text.
"""

from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

# custom document properties that mark a DOCX made by guidebuilder (pandoc writes metadata there)
PROP_SLUG = "guidebuilder-slug"
PROP_EDITION = "guidebuilder-edition"
PROP_DATE = "guidebuilder-date"

# a second, hidden bookmark in each heading: Word's own rules for bookmark names (letters, digits and
# underscores, at most 40 characters) hold for it whatever the heading id looks like
HIDDEN_PREFIX = "_GB_"


def hidden_bookmark(heading_id: str) -> str:
    import hashlib

    return HIDDEN_PREFIX + hashlib.sha256(heading_id.encode("utf-8")).hexdigest()[:16]


_CONTENTS = re.compile(r"toc|contents", re.I)
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def heading_styles(styles_root) -> dict[str, int]:
    """Map paragraph style id → heading level (1-based) from styles.xml: 'heading N' names or outline levels."""
    if styles_root is None:
        return {}
    found: dict[str, int] = {}
    based: dict[str, str] = {}
    contents: set[str] = set()
    for style in styles_root.iter(w("style")):
        if style.get(w("type")) != "paragraph":
            continue
        sid = style.get(w("styleId")) or ""
        name = style.find(w("name"))
        match = _HEADING_NAME.match(name.get(w("val"), "") if name is not None else "")
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        if match:
            found[sid] = int(match.group(1))
        elif outline is not None and (outline.get(w("val")) or "9").isdigit() and int(outline.get(w("val"))) < 9:
            found[sid] = int(outline.get(w("val"))) + 1
        if _CONTENTS.search(sid) or _CONTENTS.search(name.get(w("val"), "") if name is not None else ""):
            contents.add(sid)  # the table of contents' own title: not a section of the guide
            continue
        parent = style.find(w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(w("val"), "")
    for sid, parent in based.items():  # a style based on a heading style is a heading too (one step)
        if sid not in found and parent in found and sid not in contents:
            found[sid] = found[parent]
    for sid in ("Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6"):
        found.setdefault(sid, int(sid[-1]))
    return found


def paragraph_level(p, levels: dict[str, int]) -> int:
    """The heading level of a w:p, or 0 for body text."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        return 0
    outline = ppr.find(w("outlineLvl"))
    style = ppr.find(w("pStyle"))
    if style is not None and style.get(w("val")) in levels:
        return levels[style.get(w("val"))]
    if outline is not None and (outline.get(w("val")) or "").isdigit() and int(outline.get(w("val"))) < 9:
        return int(outline.get(w("val"))) + 1
    return 0


def paragraph_text(node) -> str:
    """Visible text of an element (w:t, tabs and breaks as spaces; deleted text left out)."""
    parts = []
    for el in node.iter(w("t"), w("tab"), w("br")):
        if el.tag == w("t"):
            parts.append(el.text or "")
        elif el.getparent().tag != w("tabs"):  # a tab character, not a tab stop of the paragraph's properties
            parts.append(" ")
    return "".join(parts)


def heading_bookmarks(p) -> list[str]:
    """Bookmark names that belong to a heading paragraph: those just before it and those inside it."""
    names: list[str] = []
    prev = p.getprevious()
    while prev is not None and prev.tag in (w("bookmarkStart"), w("bookmarkEnd")):
        if prev.tag == w("bookmarkStart"):
            names.append(prev.get(w("name"), ""))
        prev = prev.getprevious()
    names.reverse()
    names.extend(b.get(w("name"), "") for b in p.iter(w("bookmarkStart")))
    return [n for n in names if n and (not n.startswith("_") or n.startswith(HIDDEN_PREFIX))]


def normalise_heading(text: str) -> str:
    """Heading text compared loosely: no leading number ('2.1', 'Anexo A.', 'Capítulo 4.'), spaces collapsed,
    casefolded."""
    text = re.sub(r"^\s*(anexo\s+[a-z]\.?|cap[ií]tulo\s+[0-9]+\.?|[0-9]+(\.[0-9]+)*\.?)\s+", "", text.strip(),
                  flags=re.I)
    return " ".join(text.split()).casefold()


def custom_properties(root) -> dict[str, str]:
    """docProps/custom.xml as name → text."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        value = "".join(prop.itertext()).strip()
        out[prop.get("name", "")] = value
    return out


def el(tag: str, **attrs: str):
    """A new w: element with w: attributes (lxml; the w prefix declared, as python-docx does)."""
    from lxml import etree

    return etree.Element(w(tag), {w(k): v for k, v in attrs.items()}, nsmap={"w": W_NS})


def set_child(parent, child, order: tuple[str, ...]) -> None:
    """Put child into parent in schema order (order: local names), replacing one with the same tag."""
    old = parent.find(child.tag)
    if old is not None:
        parent.replace(old, child)
        return
    name = child.tag.split("}")[1]
    later = {w(t) for t in order[order.index(name) + 1:]} if name in order else set()
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def font_key(data: bytes) -> str:
    """A font's obfuscation key for embedding in a DOCX: a GUID, here made from the font's own bytes so
    the same font gives the same file on every build."""
    import hashlib

    h = hashlib.sha256(data).hexdigest().upper()
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}}}"


def obfuscate_font(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation (and its inverse: the same XOR): the first 32 bytes of the font XORed
    with the key's 16 bytes, read from the GUID's last hex pair to its first."""
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ secret[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def pandoc_bookmark(ident: str) -> str:
    """The bookmark name pandoc writes for an element id (and the anchor of links to it): the id, or,
    when Word could not take it (over 40 characters, or not starting with a letter), 'X' and the last
    39 hex digits of its SHA-1."""
    import hashlib

    if ident[:1].isalpha() and len(ident) <= 40:
        return ident
    return "X" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[1:]
