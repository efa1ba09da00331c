"""One PDF from the book's parts laid out apart (render/pdf/split.py), with pikepdf.

The front matter's PDF is the base: its catalog (language, viewer preferences, mark info), its
document information and XMP metadata stay as WeasyPrint wrote them. After it come the chapters, each
from a right-hand page (a blank page before when needed, as WeasyPrint leaves one), each page of a
chapter's body with the pages of its furniture (its running head, its folio: pages of other layouts,
the layers) drawn after it in the same content stream, as pagination artifacts.

What WeasyPrint wrote per part is joined as it would have written it for one document:
- the structure tree: one Document element holding every part's elements in page order; the parent
  tree numbered again (pages by their place in the book, then the link annotations in order);
- the outline: every part's bookmarks in order, each destination on its page in the book;
- the named destinations: every anchor a part holds (not the stand-ins a chapter was given for the
  anchors of other chapters it links to), sorted, in one flat name tree as WeasyPrint writes it;
- the fonts: one embedded program per face, subset to the glyphs of every part (fontshare.py).

A whole-document step (`finishing`: the PDF/UA completion, tagging.complete) runs on the joined
document before its one save.
"""

from __future__ import annotations

import io
import warnings
import zlib
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

from guidebuilder.render.pdf.fontshare import share_fonts

FURNITURE_PREFIX = "/gb"  # a layer's resource names in a body page's resources: /gb<layer>-<its name>


@dataclass
class Chapter:
    body: bytes  # the chapter's pages without margins
    anchors: frozenset  # the anchors it owns (its named destinations to keep)
    furniture: tuple  # for each page, the (layer, page of the layer) drawn over it, in order
    key: str = ""  # what its pages' contents depend on: their compressed streams are kept under it


@dataclass
class _Joined:
    """What is gathered while parts are added, written once at the end."""

    pages: list = field(default_factory=list)  # (page object, parent-tree value)
    annots: list = field(default_factory=list)  # (annotation object, parent-tree value)
    outline: list = field(default_factory=list)  # (title, page index, x, y, closed, children)
    dests: dict = field(default_factory=dict)  # name -> (page index, rest of the destination)


def assemble(front: bytes, front_anchors: frozenset, chapters: list[Chapter], layers: list[bytes],
             font_dirs: tuple = (), finishing=None, kept=None) -> bytes:
    """The book: the front matter (holding `front_anchors`), then each chapter from a right-hand page,
    each page with its pages of the `layers` drawn over it. `kept(key, make)`: the bytes a chapter's
    pages' compressed contents were kept under (made by `make` when there are none)."""
    out = pikepdf.open(io.BytesIO(front))
    joined = _Joined()
    document = out.Root.StructTreeRoot.K[0]
    _gather(out, out, 0, joined, front_anchors)
    drawn = [_Furniture(out, pikepdf.open(io.BytesIO(layer)), f"{FURNITURE_PREFIX}{n}-") for n, layer in enumerate(layers)]
    for chapter in chapters:
        if len(out.pages) % 2:
            _blank(out)
        src = pikepdf.open(io.BytesIO(chapter.body))
        start = len(out.pages)
        elements = src.Root.StructTreeRoot.K[0].K
        for element in elements:
            del element.P  # not copied with them: their parent is the book's Document element
        with warnings.catch_warnings():  # its named destinations are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(src.pages)
        for element in out.copy_foreign(src.make_indirect(Array(list(elements)))):
            element.P = document
            document.K.append(element)
        _gather(out, src, start, joined, chapter.anchors)
        _draw_chapter(out, out.pages[start:], [[(drawn[layer], at) for layer, at in over] for over in chapter.furniture],
                      chapter.key, kept)
    _write_parent_tree(out, joined)
    share_fonts(out, font_dirs)
    _write_outline(out, joined.outline)
    _write_dests(out, joined.dests)
    if finishing is not None:  # a whole-document step (tagging.complete), before the one save
        finishing(out)
    buf = io.BytesIO()
    # streams as WeasyPrint compressed them (not decoded and compressed again); metadata as it wrote it
    # what this save compresses (the pages' contents, the object streams) at zlib's best, then the default back
    pikepdf.settings.set_flate_compression_level(9)
    try:
        out.save(buf, deterministic_id=True, compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate, fix_metadata_version=False)
    finally:
        pikepdf.settings.set_flate_compression_level(-1)
    return buf.getvalue()


def _gather(out, src, start: int, joined: _Joined, anchors) -> None:
    """Note the parent-tree values, bookmarks and destinations (of `anchors`) of a part whose pages
    are now out.pages[start:]."""
    index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
    tree = src.Root.StructTreeRoot.ParentTree
    nums = out.copy_foreign(tree).Nums if src is not out else tree.Nums
    values = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for i in range(len(src.pages)):
        page = out.pages[start + i].obj
        if Name.StructParents in page:
            joined.pages.append((page, values[int(page.StructParents)]))
        for annot in page.get(Name.Annots, ()):
            if Name.StructParent in annot:
                joined.annots.append((annot, values[int(annot.StructParent)]))
    if Name.Outlines in src.Root and Name.First in src.Root.Outlines:
        joined.outline.extend(_read_outline(src.Root.Outlines.First, index, start))
    names = src.Root.get(Name.Names, Dictionary()).get(Name.Dests, Dictionary()).get(Name.Names, Array())
    for i in range(0, len(names), 2):
        name, dest = str(names[i]), names[i + 1]
        if name in anchors:
            joined.dests.setdefault(name, (start + index[dest[0].objgen], [dest[j] for j in range(1, len(dest))]))


def _read_outline(item, index: dict, start: int) -> list:
    out = []
    while item is not None:
        dest = item.Dest
        children = _read_outline(item.First, index, start) if Name.First in item else []
        out.append((str(item.Title), start + index[dest[0].objgen], float(dest[2]), float(dest[3]),
                    int(item.get(Name.Count, 0)) < 0, children))
        item = item.get(Name.Next)
    return out


def _blank(out) -> None:
    """A blank page as the one before it is sized (WeasyPrint's :blank pages print nothing here)."""
    last = out.pages[-1].obj
    page = Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=out.make_stream(b""))
    for key in (Name.MediaBox, Name.TrimBox, Name.BleedBox):
        if key in last:
            page[key] = Array([float(v) for v in last[key]])
    out.pages.append(pikepdf.Page(out.make_indirect(page)))


def _draw_chapter(out, pages, layers: list, key: str, kept) -> None:
    """Draw, after each page's own content, its pages of the layers (a _Furniture and a page index each),
    as one stream compressed at zlib's best (kept under `key`: the same bytes whenever they are the same
    pages over the same body)."""
    drawn = []
    for page, over in zip(pages, layers):
        names = []
        for furniture, index in over:
            page.obj.Resources, renamed = furniture.resources(page.obj.Resources, index)
            names.append(renamed)
        drawn.append(names)

    def make() -> bytes:
        streams = []
        for page, over, names in zip(pages, layers, drawn):
            contents = page.obj.Contents
            body = b"\n".join(part.read_bytes() for part in (list(contents) if isinstance(contents, Array) else [contents]))
            blocks = b"".join(furniture.content(index, renamed) for (furniture, index), renamed in zip(over, names))
            streams.append(zlib.compress(b"q\n" + body + b"\nQ" + blocks, 9))
        return b"".join(len(s).to_bytes(4, "big") + s for s in streams)

    data = kept(key, make) if kept is not None and key else make()
    for page, over in zip(pages, layers):
        size = int.from_bytes(data[:4], "big")
        stream, data = data[4: 4 + size], data[4 + size:]
        if over:
            contents = out.make_stream(b"")
            contents.write(stream, filter=Name.FlateDecode)
            page.obj.Contents = contents


class _Furniture:
    """A layer of furniture, its pages drawn at the end of the body pages' content, marked as pagination
    artifacts. Their resources join the body page's under names of their own (prefixed): one joined
    dictionary per pair of resource dictionaries (WeasyPrint gives each part one for all its pages)."""

    def __init__(self, out, pdf, prefix: str) -> None:
        self.out, self.pdf, self.prefix = out, pdf, prefix
        self.joined: dict = {}
        self.contents: dict = {}  # (page, names) -> its content as drawn

    def resources(self, resources, index: int) -> tuple:
        """The page's resources joined with those of this layer's page `index`, and the names renamed."""
        theirs = self.out.copy_foreign(self.pdf.pages[index].obj.Resources)
        key = (resources.objgen, theirs.objgen)
        if key not in self.joined or key[0] == (0, 0) or key[1] == (0, 0):
            joined = Dictionary({k: v for k, v in resources.items()})
            for category, entries in theirs.items():
                if not isinstance(entries, Dictionary):
                    continue
                mine = joined.get(category)
                merged = Dictionary({k: v for k, v in mine.items()}) if isinstance(mine, Dictionary) else Dictionary()
                for name, value in entries.items():
                    merged[self.prefix + name[1:]] = value
                joined[category] = merged
            self.joined[key] = self.out.make_indirect(joined)
        names = frozenset(name for entries in theirs.values() if isinstance(entries, Dictionary) for name in entries.keys())
        return self.joined[key], names

    def content(self, index: int, names: frozenset) -> bytes:
        """The layer's page `index`, its resource names renamed, as a pagination artifact."""
        if (index, names) not in self.contents:
            ops = []
            for item in pikepdf.parse_content_stream(self.pdf.pages[index].obj):
                if isinstance(item, pikepdf.ContentStreamInstruction):
                    item = pikepdf.ContentStreamInstruction(
                        [Name(self.prefix + str(o)[1:]) if isinstance(o, Name) and str(o) in names else o
                         for o in item.operands], item.operator)
                ops.append(item)
            self.contents[(index, names)] = (b"\n/Artifact\n<</Type /Pagination>>\nBDC\nq\n"
                                             + pikepdf.unparse_content_stream(ops) + b"\nQ\nEMC\n")
        return self.contents[(index, names)]


def _write_parent_tree(out, joined: _Joined) -> None:
    nums = Array()
    for key, (page, value) in enumerate(joined.pages):
        page.StructParents = key
        nums.extend([key, value])
    first = len(out.pages)
    for key, (annot, value) in enumerate(joined.annots, start=first):
        annot.StructParent = key
        nums.extend([key, value])
    out.Root.StructTreeRoot.ParentTree = out.make_indirect(Dictionary(Nums=nums))


def _write_outline(out, items: list) -> None:
    if Name.Outlines in out.Root:
        del out.Root.Outlines
    if not items:
        return
    root = out.make_indirect(Dictionary())
    first, last, count = _outline_level(out, items, root)
    root.Count, root.First, root.Last = count, first, last
    out.Root.Outlines = root


def _outline_level(out, items: list, parent) -> tuple:
    """Outline items as WeasyPrint writes them (add_outlines): first, last and the visible count."""
    made = []
    count = len(items)
    for title, page, x, y, closed, children in items:
        item = out.make_indirect(Dictionary(Title=pikepdf.String(title), Parent=parent, Dest=Array(
            [out.pages[page].obj, Name.XYZ, x, y, 0])))
        first = last = None
        inner = 0
        if children:
            first, last, inner = _outline_level(out, children, item)
            item.First, item.Last = first, last
        item.Count = -inner if closed else inner
        if not closed:
            count += inner
        if made:
            item.Prev = made[-1]
            made[-1].Next = item
        made.append(item)
    return made[0], made[-1], count


def _write_dests(out, dests: dict) -> None:
    names = Array()
    for name in sorted(dests):
        page, rest = dests[name]
        names.extend([pikepdf.String(name), Array([out.pages[page].obj, *rest])])
    if Name.Names not in out.Root:
        out.Root.Names = Dictionary()
    if names:
        out.Root.Names.Dests = Dictionary(Names=names)
