"""What WeasyPrint's PDF/UA-1 tagging leaves undone, finished on the whole PDF in one pass (pikepdf).

- Running heads and folios: WeasyPrint marks their text with an MCID but keeps the elements out of the
  structure tree (it could only call them artifacts in PDF 2.0). Every marked sequence whose element the
  tree does not reach becomes a pagination artifact (`/Artifact <</Type /Pagination>> BDC`), and its
  entry in the parent tree is emptied. Backgrounds, borders and rules are artifacts already.
- Footnotes: WeasyPrint tags them `Note` (wpfix maps the book's `gb-note` element); PDF/UA wants each
  Note to have an ID: `nota-1`, `nota-2`, … in reading order.
- Table headers: every `TH` gets a `Scope`: `Column` in a table's head, `Row` elsewhere.
- The tree's `IDTree` names every element that has an ID (WeasyPrint gives header cells IDs).
- A space glyph that WeasyPrint mapped to a no-break space reads as a space again.

`finish` takes and returns PDF bytes, so it runs on a PDF however it was made (one layout, or chapters
laid out apart and put together). The output is deterministic.
"""

from __future__ import annotations

import io
import re

MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")
ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC"


def finish(pdf: bytes) -> bytes:
    """The PDF with its running heads and folios as artifacts, its Notes and header cells completed."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if not complete(doc):
            return pdf
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def complete(doc) -> bool:
    """`finish` on an open pikepdf document, changed in place (for a PDF put together with pikepdf,
    saved once after); False if it has no structure tree (nothing to do)."""
    import pikepdf

    root = doc.Root.get("/StructTreeRoot")
    if root is None:
        return False
    _spaces(doc)
    reached, ids = _complete(root)
    _artifacts(doc, root, reached)
    if ids:
        names = pikepdf.Array()
        for key in sorted(ids):
            names.append(pikepdf.String(key))
            names.append(ids[key])
        root.IDTree = doc.make_indirect(pikepdf.Dictionary(Names=names))
    return True


NBSP_TEXT = re.compile(rb"(<[0-9a-fA-F]{4}> )<00[aA]0>")


def _spaces(doc) -> None:
    """A font's space glyph reads as a space: WeasyPrint maps each glyph to the first character drawn
    with it, and a no-break space drawn first (the renderer joins numbers and units with them) made
    every space of that font read as one, for search, copy and screen readers."""
    import pikepdf

    seen: set = set()
    fonts = [font for page in doc.pages for font in page.obj.get("/Resources", {}).get("/Font", {}).values()]
    for font in fonts:
        if not isinstance(font, pikepdf.Dictionary):
            continue
        cmap = font.get("/ToUnicode")
        if cmap is None or cmap.objgen in seen:
            continue
        seen.add(cmap.objgen)
        data = cmap.read_bytes()
        fixed = NBSP_TEXT.sub(rb"\1<0020>", data)
        if fixed != data:
            cmap.write(fixed)


def _complete(root) -> tuple[set, dict]:
    """Walk the structure tree in reading order: the elements it reaches (by object id), IDs given to
    Notes, Scope given to header cells; returns the reached set and every element's ID."""
    import pikepdf

    reached: set = set()
    ids: dict = {}
    notes = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in reached:
            continue
        reached.add(node.objgen)
        kind = node.get("/S")
        if kind == "/Note" and "/ID" not in node:
            notes += 1
            node.ID = pikepdf.String(f"nota-{notes}")
        elif kind == "/TH":
            _scope(node)
        if "/ID" in node and node.is_indirect:
            ids[str(node.ID)] = node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return reached, ids


def _scope(cell) -> None:
    import pikepdf

    row = cell.get("/P")
    group = row.get("/P") if isinstance(row, pikepdf.Dictionary) else None
    head = isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/THead"
    attributes = cell.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
    if attributes.get("/O") == "/Table" and "/Scope" not in attributes:
        attributes.Scope = pikepdf.Name.Column if head else pikepdf.Name.Row


def _artifacts(doc, root, reached: set) -> None:
    """Marked content whose element is not in the tree (margin boxes) becomes a pagination artifact."""
    import pikepdf

    parents = root.get("/ParentTree")
    nums = parents.get("/Nums") if parents is not None else None
    if nums is None:
        return
    pages = len(doc.pages)
    for i in range(0, len(nums) - 1, 2):
        key, mapping = int(nums[i]), nums[i + 1]
        if key >= pages or not isinstance(mapping, pikepdf.Array):
            continue
        orphans = {mcid for mcid, element in enumerate(mapping)
                   if isinstance(element, pikepdf.Dictionary) and element.objgen not in reached}
        if not orphans:
            continue
        for mcid in _rewrite(doc.pages[key], orphans):
            mapping[mcid] = None


def _rewrite(page, orphans: set) -> set:
    """Mark the orphaned sequences of a page's content stream as artifacts; the MCIDs found."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    done: set = set()
    for stream in streams:
        data = stream.read_bytes()

        def swap(m: re.Match) -> bytes:
            if int(m.group(2)) in orphans:
                done.add(int(m.group(2)))
                return ARTIFACT
            return m.group(0)

        new = MARKED.sub(swap, data)
        if new != data:
            stream.write(new)
    return done
