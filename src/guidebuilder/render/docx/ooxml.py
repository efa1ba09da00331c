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
        parts.append(el.text or "" if el.tag == w("t") else " ")
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
    """Heading text compared loosely: no leading number ('2.1', 'Anexo A.'), spaces collapsed, casefolded."""
    text = re.sub(r"^\s*(anexo\s+[a-z]\.?|[0-9]+(\.[0-9]+)*\.?)\s+", "", text.strip(), flags=re.I)
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
