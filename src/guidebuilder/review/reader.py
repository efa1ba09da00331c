"""Read a reviewed DOCX: every comment, reply and tracked change, with where it is and what it is on.

`open_docx` checks the file is a sound DOCX of a reasonable size before anything is parsed: each
part is inflated in chunks and refused as soon as it passes its limit, whatever the zip directory
says. `read_docx` walks the document body (then the commented footnotes) once, in linear time
(`Scanner`), and returns a `DocxContent` whose items are in document order.

Where an item is (`Found.place`) is a path a re-save keeps: the section (headings counted from the
start, so the title page and contents, which LibreOffice rewrites, do not count), the paragraph in
it, or the table (numbered through the document, after the number of the paragraph it comes
before), row, column and paragraph of a cell, and the character offset in the paragraph; an item in
a footnote adds the footnote's number and its own path to the place of the reference:
"h12.p3@45", "h4.p2.t2.r3.c1.p0@0", "h2.p5@10/n3.p0@4". `place_key` sorts places in document order.

Everything read here is untrusted text: `clean` is applied before it is stored anywhere.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.load.sources import BIDI_CONTROLS, clean_untrusted
from guidebuilder.model.errors import Diagnostic, GuideError
from guidebuilder.model.messages import m, t
from guidebuilder.render.docx.ooxml import (W14_NS, W15_NS, custom_properties, heading_bookmarks, heading_styles,
                                            normalise_heading, paragraph_level, paragraph_text, w)

# Sized from real files: the guide's review edition is 0.3 MB, its document.xml 0.6 MB, every other
# part read here far less. Each limit is a generous multiple of that, so that no input, however
# made, needs more than a few hundred MB to be read or refused.
MAX_DOCX_BYTES = 50 * 1024 * 1024  # the file itself (images make it big, and are never inflated)
MAX_PART_BYTES = 8 * 1024 * 1024  # one part, inflated
MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # the parts read, together, inflated
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip directory (a DOCX has a few dozen entries; 1 MB is ~10,000)
MAX_ITEMS = 5000  # comments and tracked changes in one DOCX: a thorough review of the guide has a few hundred
CHUNK = 64 * 1024
EXCERPT = 300
ANCHOR_CAP = 4 * EXCERPT  # an anchor is kept to this many characters before it is cleaned and cut
PARTS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "word/styles.xml",
         "docProps/custom.xml", "word/footnotes.xml")
UNLOCATED = (float("inf"),)
_RANK = {"h": 0, "n": 1, "p": 2, "t": 3, "r": 4, "c": 5, "@": 6, "x": 7}  # a table before the paragraph after it


@dataclass
class Found:
    """One comment, reply or tracked change as found in the DOCX, before placing it in the guide."""

    kind: str
    author: str
    date: str
    text: str
    anchor: str = ""
    paragraph: str = ""
    in_table: bool = False
    headings: list = field(default_factory=list)  # [(level, [bookmark names], heading text)] in force here
    comment_id: str | None = None
    parent_id: str | None = None
    parent_text: str | None = None
    generated: bool = False  # made by guidebuilder itself (the review edition's own comments)
    located: bool = True  # False: a comment whose mark was not found in the document body
    place: str = ""  # paragraph (or cell) path and character offset: see the module's docstring
    order: tuple = UNLOCATED  # document order
    table: tuple | None = None  # (table number, row, column), 1-based, of the cell it is in
    cell: str = ""  # that cell's text, cut short
    footnote: int | None = None  # the number of the footnote it is in (footnotes counted in reading order)


@dataclass
class DocxContent:
    properties: dict
    items: list[Found]
    bookmarks: set
    heading_texts: set = field(default_factory=set)


# ---------------------------------------------------------------- untrusted text

def bad_file(path: Path, msg_id: str, /, **values) -> GuideError:
    """The error for a file that cannot be used, named by its path (a message of the catalogue)."""
    message, hint = m(msg_id, **values)
    return GuideError(Diagnostic(file=str(path), message=message, hint=hint))


def _suspect_pattern() -> re.Pattern:
    """Every character `clean_untrusted` may remove or change (controls, format characters, surrogates,
    non-characters, line separators) and every one beyond the first plane: a text without any is
    only NFC-normalised, which is what makes `untrusted` fast for ordinary text."""
    import unicodedata

    chars = [ch for ch in map(chr, range(0x10000)) if unicodedata.category(ch) in ("Cc", "Cf", "Cs")
             or 0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE or ch in BIDI_CONTROLS]
    chars += ["\u2028", "\u2029"]
    return re.compile("[" + "".join(re.escape(ch) for ch in chars if ch not in "\n\t") + "\U00010000-\U0010FFFF]")


_SUSPECT = _suspect_pattern()


def untrusted(text: str | None) -> str:
    """`load.sources.clean_untrusted`, the same result, fast for ordinary text: reading 60,000 comments
    cleaned character by character took seconds."""
    import unicodedata

    if not text:
        return ""
    return unicodedata.normalize("NFC", text) if _SUSPECT.search(text) is None else clean_untrusted(text)


def clean(text: str | None, limit: int | None = None) -> str:
    """Text from the DOCX made safe to store: invisible controls removed, cut at limit characters."""
    text = untrusted(text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def place_key(place: str | None) -> tuple:
    """A place as a sort key: document order (items without a place last)."""
    if not place:
        return ((99, 0),)
    return tuple((_RANK[letter], int(number)) for letter, number in re.findall(r"([a-z@])(\d+)", place))


def iso_date(value: str | None) -> str:
    """ISO date-time without fractions or zone letters, as Word and LibreOffice write it."""
    value = (value or "").strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2})?)?", value)
    if not match:
        return ""
    day, clock = match.group(1), match.group(2) or ""
    if clock and len(clock) == 6:
        clock += ":00"
    return day + clock


# ---------------------------------------------------------------- the zip archive

def open_docx(path: Path) -> dict[str, bytes]:
    """The parts of a DOCX that matter here, after checking it is a sound DOCX; GuideError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise bad_file(path, "rev.not_found")
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise bad_file(path, "rev.too_large", size=f"{size / 1048576:.0f}", limit=MAX_DOCX_BYTES // 1048576)
    with path.open("rb") as fh:
        raw = fh.read(size + 1)
    if len(raw) > MAX_DOCX_BYTES:  # it grew since it was measured
        raise bad_file(path, "rev.changing")
    if not raw.startswith(b"PK"):
        raise bad_file(path, "rev.not_docx")
    try:
        _check_directory(path, raw)
        return _unzip(path, raw)
    except GuideError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError,
            NotImplementedError) as exc:
        raise bad_file(path, "rev.damaged_zip", detail=exc) from None
    except Exception as exc:  # zlib.error, an encrypted entry and friends: still a damaged archive
        raise bad_file(path, "rev.damaged", detail=f"{type(exc).__name__}: {exc}") from None


def _check_directory(path: Path, raw: bytes) -> None:
    """Refuse a zip directory far larger than a DOCX's before zipfile reads it (it holds every entry
    in memory), found as zipfile finds it: the end record last in the file, or the last one in its tail."""
    end = len(raw) - 22 if raw[-22:-18] == b"PK\x05\x06" and raw[-2:] == b"\0\0" else -1
    if end < 0:
        end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65557))
    if end < 0 or len(raw) - end < 22:
        return  # no end record: zipfile says the archive is damaged
    if raw[max(0, end - 20):end].startswith(b"PK\x06\x07"):
        raise bad_file(path, "rev.zip64")
    directory = int.from_bytes(raw[end + 12:end + 16], "little")
    if directory > MAX_DIRECTORY_BYTES:
        raise bad_file(path, "rev.directory", size=f"{directory / 1048576:.1f}")


def _unzip(path: Path, raw: bytes) -> dict[str, bytes]:
    """The parts read here, inflated; zipfile only lists the entries (its directory was checked)."""
    infos = {i.filename: i for i in zipfile.ZipFile(io.BytesIO(raw)).infolist()}
    if "word/document.xml" not in infos:
        raise bad_file(path, "rev.not_word")
    parts: dict[str, bytes] = {}
    left = MAX_UNPACKED_BYTES
    for name in PARTS:
        if name in infos:
            parts[name] = _inflate(path, raw, infos[name], left)
            left -= len(parts[name])
    return parts


def _too_big(path: Path, name: str, limit: int, said: int | None = None) -> GuideError:
    """The error for a part past its limit (or past what is left of the limit for all the parts)."""
    if limit < MAX_PART_BYTES:
        what = t("rev.parts_big", limit=MAX_UNPACKED_BYTES // 1048576)
    else:
        what = t("rev.part_big", name=name, limit=MAX_PART_BYTES // 1048576)
    lie = t("rev.lie", said=said) if said is not None and said <= limit else ""
    return bad_file(path, "rev.refused_big", what=what, lie=lie)


def _inflate(path: Path, raw: bytes, info: zipfile.ZipInfo, left: int) -> bytes:
    """One part, inflated from its local header a chunk at a time and refused as soon as it passes its
    limit: the sizes in the zip directory are not trusted (a part can say 1 KB and unpack to gigabytes)."""
    limit = min(MAX_PART_BYTES, left)
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise bad_file(path, "rev.encrypted", name=info.filename)
    if info.file_size > limit:  # the directory's word, when it says too much, is enough to refuse at once
        raise _too_big(path, info.filename, limit)
    at = info.header_offset
    if raw[at:at + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    at += 30 + int.from_bytes(raw[at + 26:at + 28], "little") + int.from_bytes(raw[at + 28:at + 30], "little")
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw[at:at + info.file_size]
    else:
        out = _deflated(path, memoryview(raw)[at:], info, limit)
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise zipfile.BadZipFile(f"{info.filename} does not match its size or checksum in the zip directory")
    return bytes(out)


def _deflated(path: Path, data: memoryview, info: zipfile.ZipInfo, limit: int) -> bytearray:
    inflater = zlib.decompressobj(-15)
    out = bytearray()
    fed = 0
    while not inflater.eof:
        chunk = inflater.unconsumed_tail
        if not chunk:
            if fed >= len(data):
                raise zipfile.BadZipFile(f"{info.filename} is cut short")
            chunk, fed = data[fed:fed + CHUNK], fed + CHUNK
        out += inflater.decompress(chunk, limit + 1 - len(out))
        if len(out) > limit:
            raise _too_big(path, info.filename, limit, info.file_size)
    return out


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False)
    return etree.fromstring(data, parser)


def _parse(path: Path, parts: dict[str, bytes]) -> dict:
    """Each part as an lxml tree (no entities, no network); GuideError for one that is not XML."""
    from lxml import etree

    trees = {}
    for name, data in parts.items():
        try:
            trees[name] = _xml(data)
        except etree.XMLSyntaxError as exc:
            raise bad_file(path, "rev.bad_xml", name=name, detail=exc) from None
    return trees


# ---------------------------------------------------------------- comments.xml and commentsExtended.xml

def _comments(trees: dict) -> tuple[dict[str, dict], dict[str, str]]:
    """Comment id → {author, date, text}, and reply's comment id → its parent's comment id."""
    comments: dict[str, dict] = {}
    para_of: dict[str, str] = {}  # w14:paraId of a comment's last paragraph -> comment id
    for c in (trees["word/comments.xml"].iter(w("comment")) if "word/comments.xml" in trees else []):
        cid = c.get(w("id"))
        paras = list(c.iter(w("p")))
        text = "\n".join(paragraph_text(p) for p in paras)
        comments[cid] = {"author": c.get(w("author"), ""), "date": c.get(w("date"), ""), "text": text}
        for p in paras[-1:]:
            para_id = p.get(f"{{{W14_NS}}}paraId")
            if para_id:
                para_of[para_id.upper()] = cid
    parents: dict[str, str] = {}
    if "word/commentsExtended.xml" in trees:
        for ex in trees["word/commentsExtended.xml"].iter(f"{{{W15_NS}}}commentEx"):
            child = para_of.get((ex.get(f"{{{W15_NS}}}paraId") or "").upper())
            parent = para_of.get((ex.get(f"{{{W15_NS}}}paraIdParent") or "").upper())
            if child and parent and child != parent:
                parents[child] = parent
    return comments, parents


def _comment_items(comments: dict[str, dict], parents: dict[str, str], placed: dict[str, Found],
                   generated_author: str) -> list[Found]:
    """One Found per comment, placed where its mark was seen in the body or a footnote."""
    found = []
    for cid, data in comments.items():
        item = placed.get(cid) or Found("comment", "", "", "", located=False)
        item.comment_id = cid
        item.author, item.date, item.text = data["author"], data["date"], data["text"]
        item.generated = data["author"] == generated_author
        if cid in parents:
            item.kind = "reply"
            item.parent_id = parents[cid]
            item.parent_text = comments.get(parents[cid], {}).get("text")
            parent_item = placed.get(parents[cid])
            if not item.located and parent_item is not None:  # a reply without marks sits where its comment sits
                for name in ("headings", "paragraph", "in_table", "anchor", "place", "table", "cell", "footnote"):
                    setattr(item, name, getattr(parent_item, name))
                item.order = parent_item.order + (0.5,)
                item.located = True
        found.append(item)
    return found


# ---------------------------------------------------------------- document.xml and footnotes.xml

class TooMany(Exception):
    """More comments and tracked changes than MAX_ITEMS: the walk stops at once."""


class Frame:
    """Something that holds paragraphs (the body, a cell, a footnote, a paragraph holding a text box),
    or, with kind 'p', a paragraph: its path, text so far (cut short) and offset."""

    def __init__(self, kind: str, prefix: str, cell: Frame | None = None, table: tuple | None = None):
        self.kind, self.prefix, self.count = kind, prefix, 0
        self.cell, self.table = cell, table
        self.parts: list[str] = []
        self.length = 0  # characters kept in parts
        self.offset = 0  # visible characters so far (a tab or a line break counts one)

    def child_path(self) -> str:
        path = f"{self.prefix}.p{self.count}" if self.kind != "p" else f"{self.prefix}.x{self.count}"
        self.count += 1
        return path

    def add(self, text: str) -> None:
        self.offset += len(text)
        for frame in (self, self.cell) if self.cell is not None else (self,):
            if frame.length <= ANCHOR_CAP:
                frame.parts.append(text)
                frame.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def excerpt(self) -> str:
        """The text cleaned and cut, once for all the items in it."""
        if not hasattr(self, "_excerpt"):
            self._excerpt = clean(self.text(), EXCERPT)
        return self._excerpt


class Scanner:
    """One walk over the body (then the commented footnotes), in time linear in the document: headings
    in force, bookmarks, comment marks and where they are, tracked changes (one item per change, even
    over several runs). Nothing is done per open comment or per mark waiting for a paragraph more
    than once: anchors are cut from one text of the whole document, marks between paragraphs wait in
    one list for the next paragraph."""

    def __init__(self, levels: dict[str, int], comments: set | frozenset = frozenset()):
        self.levels = levels
        self.comments = comments  # the ids comments.xml has: marks of any other id are not kept
        self.found: list[Found] = []  # tracked changes, in document order
        self.placed: dict[str, Found] = {}  # comment id -> where its mark is
        self.anchors: dict[str, list] = {}  # comment id -> [start, end] in the document's text
        self.bookmarks: set[str] = set()
        self.heading_texts: set[str] = set()
        self.footnote_at: dict[str, tuple] = {}  # footnote id -> (headings, place, order, number) of its reference
        self.chunks: list[str] = []  # the document's text (not deleted text), for anchors
        self.length = 0
        self.seq = 0
        self.sections = 0
        self.tables = 0
        self.footnotes = 0
        self.frames: list[Frame] = []
        self.waiting: list[Found] = []  # marks between paragraphs: they belong to the next paragraph
        self.changes: list[list] = []  # open w:ins / w:del: [kind, author, date, text parts]
        self.last_change: tuple | None = None  # (Found, paragraph, plain text count) of the last change
        self.plain = 0  # visible characters outside changes so far: two changes with none between are one
        self.deleted = 0  # depth of w:del
        self.order_base: tuple = ()
        self.note: int | None = None
        self.starts = {w("p"): self.paragraph, w("tbl"): self.table, w("tr"): self.row, w("tc"): self.cell,
                       w("t"): self.text, w("tab"): self.space, w("br"): self.space, w("cr"): self.space,
                       w("delText"): self.deleted_text, w("ins"): self.change, w("del"): self.change,
                       w("bookmarkStart"): self.bookmark, w("commentRangeStart"): self.range_start,
                       w("commentRangeEnd"): self.range_end, w("commentReference"): self.reference,
                       w("footnoteReference"): self.footnote_reference}
        self.ends = {w("p"): self.end_paragraph, w("tbl"): self.end_frame, w("tc"): self.end_frame,
                     w("ins"): self.end_change, w("del"): self.end_change}

    # -- walking

    def scan(self, root, stack: list, frame: Frame, order: tuple = (), note: int | None = None) -> None:
        """Visit root and everything in it; stack holds the headings in force and is updated. In a
        footnote: order is its reference's, note its number."""
        from lxml import etree

        self.stack, self.frames, self.order_base, self.note = stack, [frame], order, note
        starts, ends = self.starts, self.ends
        for event, el in etree.iterwalk(root, events=("start", "end")):
            handler = (starts if event == "start" else ends).get(el.tag)
            if handler is not None:
                self.seq += 1
                handler(el)
        for item in self.waiting:  # marks after the last paragraph
            self._put(item, None, self.frames[0])
        self.waiting = []

    def body_frame(self) -> Frame:
        return Frame("body", f"h{self.sections}")

    def _here(self) -> Frame | None:
        """The paragraph being read, or None between paragraphs."""
        top = self.frames[-1]
        return top if top.kind == "p" else None

    def _mark(self, kind: str = "comment", **kw) -> Found:
        """A Found where the walk is: in the paragraph being read, or waiting for the next one."""
        item = Found(kind, kw.pop("author", ""), kw.pop("date", ""), "", headings=list(self.stack),
                     footnote=self.note, **kw)
        item.order = self.order_base + (self.seq,)
        para = self._here()
        if para is None:
            self.waiting.append(item)
        else:
            self._put(item, para, para)
        return item

    def _put(self, item: Found, para: Frame | None, frame: Frame) -> None:
        if para is None:  # nothing after it: the place the next paragraph would have
            item.place = f"{frame.prefix}.p{frame.count}@0"
            return
        item.place = f"{para.prefix}@{para.offset}"
        item._para = para  # its text, and its cell's, are read when the walk is over
        item.in_table = para.cell is not None
        item.table = para.table

    # -- blocks

    def paragraph(self, el) -> None:
        level = paragraph_level(el, self.levels)
        if level:
            while self.stack and self.stack[-1][0] >= level:
                self.stack.pop()
            text = paragraph_text(el)
            self.stack.append((level, heading_bookmarks(el), clean(text)))
            self.heading_texts.add(normalise_heading(text))
            if self.frames[0].kind == "body" and len(self.frames) == 1:  # a section of the guide starts
                self.sections += 1
                self.frames[0] = self.body_frame()
        parent = self.frames[-1]
        para = Frame("p", parent.child_path(), parent if parent.kind == "cell" else parent.cell, parent.table)
        self.frames.append(para)
        for item in self.waiting:
            self._put(item, para, para)
        self.waiting = []

    def end_paragraph(self, el) -> None:
        para = self.frames.pop()
        if para.cell is not None and para.cell.length <= ANCHOR_CAP:
            para.cell.parts.append("\n")

    def table(self, el) -> None:
        self.tables += 1  # numbered through the document; in the path, with the paragraph it comes before
        parent = self.frames[-1]
        frame = Frame("table", f"{parent.prefix}.{'x' if parent.kind == 'p' else 'p'}{parent.count}.t{self.tables}")
        frame.number, frame.rows, frame.columns = self.tables, 0, 0
        self.frames.append(frame)

    def row(self, el) -> None:
        table = next((f for f in reversed(self.frames) if f.kind == "table"), None)
        if table is not None:
            table.rows, table.columns = table.rows + 1, 0

    def cell(self, el) -> None:
        table = next((f for f in reversed(self.frames) if f.kind == "table"), None)
        if table is None:
            self.frames.append(Frame("cell", f"{self.frames[-1].prefix}.c"))
            return
        span = el.find(f"{w('tcPr')}/{w('gridSpan')}")
        column = table.columns + 1
        table.columns += int(span.get(w("val"), "1")) if span is not None and span.get(w("val"), "").isdigit() else 1
        where = (table.number, max(table.rows, 1), column)
        frame = Frame("cell", f"{table.prefix}.r{where[1]}.c{where[2]}", table=where)
        frame.cell = frame
        self.frames.append(frame)

    def end_frame(self, el) -> None:
        if len(self.frames) > 1:
            self.frames.pop()

    # -- text

    def text(self, el) -> None:
        if self.deleted:
            return
        value = el.text or ""
        self.chunks.append(value)
        self.length += len(value)
        self._visible(value)

    def space(self, el) -> None:
        if self.deleted or el.getparent() is None or el.getparent().tag != w("r"):
            return  # a tab stop in the paragraph's properties, or deleted
        self._visible(" ")

    def _visible(self, value: str) -> None:
        para = self._here()
        if para is not None:
            para.add(value)
        if self.changes and self.changes[-1][0] == "insertion":  # the innermost change only: O(1) a run
            self.changes[-1][3].append(value)
        if not self.changes:
            self.plain += len(value)

    def deleted_text(self, el) -> None:
        if self.changes and self.changes[-1][0] == "deletion":
            self.changes[-1][3].append(el.text or "")

    # -- tracked changes

    def change(self, el) -> None:
        kind = "deletion" if el.tag == w("del") else "insertion"
        self.deleted += kind == "deletion"
        self.changes.append([kind, el.get(w("author"), ""), el.get(w("date"), ""), []])

    def end_change(self, el) -> None:
        kind, author, date, parts = self.changes.pop()
        self.deleted -= kind == "deletion"
        text = "".join(parts)
        if not text.strip():
            return
        para = self._here()
        last = self.last_change
        if (last is not None and last[1] is para and last[2] == self.plain and last[0].kind == kind
                and last[0].author == author and iso_date(last[0].date) == iso_date(date)):
            last[0].text += text  # one change over several runs, or split where a program split it
            return
        item = Found(kind, author, date, text, headings=list(self.stack), footnote=self.note)
        item.order = self.order_base + (self.seq,)
        self._put(item, para, self.frames[0])
        if para is not None:  # where the change starts: an insertion's own text is already counted
            item.place = f"{para.prefix}@{max(para.offset - (len(text) if kind == 'insertion' else 0), 0)}"
        self.found.append(item)
        self.last_change = (item, para, self.plain)
        if len(self.found) + len(self.comments) > MAX_ITEMS:
            raise TooMany(len(self.found) + len(self.comments))

    # -- marks

    def bookmark(self, el) -> None:
        self.bookmarks.add(el.get(w("name"), ""))

    def range_start(self, el) -> None:
        cid = el.get(w("id"))
        if cid in self.placed or cid not in self.comments:
            return  # a second start for the same comment (the first one counts), or a start of no comment
        self.placed[cid] = self._mark(comment_id=cid)
        self.anchors[cid] = [self.length, None]

    def range_end(self, el) -> None:
        span = self.anchors.get(el.get(w("id")))
        if span is not None and span[1] is None:
            span[1] = self.length

    def reference(self, el) -> None:
        cid = el.get(w("id"))
        if cid not in self.placed and cid in self.comments:  # a comment without a range: where its reference is
            self.placed[cid] = self._mark(comment_id=cid)

    def footnote_reference(self, el) -> None:
        fid = el.get(w("id"))
        if fid in self.footnote_at or self.order_base:  # a second reference, or one inside a footnote
            return
        self.footnotes += 1
        para = self._here()
        place = f"{para.prefix}@{para.offset}" if para is not None else f"{self.frames[-1].prefix}@0"
        self.footnote_at[fid] = (list(self.stack), place, (self.seq,), self.footnotes)

    # -- when the walk is over

    def finish(self) -> None:
        """Anchors cut from the document's text, paragraph and cell texts read: one pass over the items."""
        text = "".join(self.chunks)
        for cid, (start, end) in self.anchors.items():
            stop = start + ANCHOR_CAP if end is None else min(end, start + ANCHOR_CAP)
            self.placed[cid].anchor = text[start:stop]
        for item in list(self.placed.values()) + self.found:
            para = item.__dict__.pop("_para", None)
            if para is not None:
                item.paragraph = para.excerpt()
                if para.cell is not None:
                    item.cell = " ".join(para.cell.excerpt().split())


def _scan_footnotes(scanner: Scanner, trees: dict) -> None:
    """Comments and changes inside footnotes: each belongs where its footnote is referenced."""
    if "word/footnotes.xml" not in trees:
        return
    notes = [n for n in trees["word/footnotes.xml"].iter(w("footnote")) if n.get(w("id")) in scanner.footnote_at]
    for note in sorted(notes, key=lambda n: scanner.footnote_at[n.get(w("id"))][3]):
        headings, place, order, number = scanner.footnote_at[note.get(w("id"))]
        scanner.scan(note, list(headings), Frame("note", f"{place}/n{number}"), order, number)


def read_docx(path: Path, generated_author: str = "guidebuilder") -> DocxContent:
    """Every comment, reply and tracked change of a DOCX, with what it is anchored to, in document order."""
    trees = _parse(path, open_docx(path))
    props = custom_properties(trees.get("docProps/custom.xml"))
    comments, parents = _comments(trees)
    trees.pop("word/comments.xml", None)  # read: its memory is given back before the body is walked
    scanner = Scanner(heading_styles(trees.get("word/styles.xml")), frozenset(comments))
    body = trees["word/document.xml"].find(w("body"))
    if body is None:
        raise bad_file(path, "rev.no_body")
    try:
        if len(comments) > MAX_ITEMS:
            raise TooMany(len(comments))
        scanner.scan(body, [], scanner.body_frame())
        _scan_footnotes(scanner, trees)
    except TooMany as many:
        raise bad_file(path, "rev.too_many_more" if many.args[0] > len(comments) else "rev.too_many",
                       count=many.args[0], limit=MAX_ITEMS) from None
    scanner.finish()
    items = scanner.found + _comment_items(comments, parents, scanner.placed, generated_author)
    items.sort(key=lambda f: f.order)
    return DocxContent(props, items, scanner.bookmarks, scanner.heading_texts)
