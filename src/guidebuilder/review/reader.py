"""Read a reviewed DOCX: every comment, reply and tracked change, with what it is anchored to.

`open_docx` checks the file is a sound DOCX of a reasonable size before anything is parsed;
`read_docx` walks the document body (and the footnotes) once and returns a `DocxContent`.
Everything read here is untrusted text: `clean` is applied before it is stored anywhere.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.load.sources import clean_untrusted
from guidebuilder.model.errors import Diagnostic, GuideError
from guidebuilder.render.docx.ooxml import (W14_NS, W15_NS, custom_properties, heading_bookmarks, heading_styles,
                                            normalise_heading, paragraph_level, paragraph_text, w)

MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
EXCERPT = 300
PARTS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "word/styles.xml",
         "docProps/custom.xml", "word/footnotes.xml")


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


@dataclass
class DocxContent:
    properties: dict
    items: list[Found]
    bookmarks: set
    heading_texts: set = field(default_factory=set)


# ---------------------------------------------------------------- untrusted text

def bad_file(path: Path, message: str, hint: str) -> GuideError:
    """The error for a file that cannot be used, named by its path."""
    return GuideError(Diagnostic(file=str(path), message=message, hint=hint))


def clean(text: str | None, limit: int | None = None) -> str:
    """Text from the DOCX made safe to store: invisible controls removed, cut at limit characters."""
    text = " ".join(clean_untrusted(text or "").replace("\r", "\n").split(" ")).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


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
        raise bad_file(path, "file not found", "give the path of the reviewed .docx file")
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise bad_file(path, f"the file is {size / 1048576:.0f} MB, too large for a reviewed guide",
                       "check that this is the reviewed guide; save it without embedded videos or large images")
    raw = path.read_bytes()
    if not raw.startswith(b"PK"):
        raise bad_file(path, "not a DOCX file (a .docx is a zip archive; this file is not one)",
                       "open it in Word or LibreOffice and save it as 'Word document (.docx)'")
    try:
        return _unzip(path, raw)
    except GuideError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError,
            NotImplementedError) as exc:
        raise bad_file(path, f"the DOCX is damaged (its zip archive cannot be read: {exc})",
                       "ask the reviewer to send it again, or open it in Word/LibreOffice and save it again") from None
    except Exception as exc:  # zlib.error and friends: still a damaged archive
        raise bad_file(path, f"the DOCX is damaged ({type(exc).__name__}: {exc})",
                       "ask the reviewer to send it again, or open it in Word/LibreOffice and save it again") from None


def _unzip(path: Path, raw: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(raw))
    infos = archive.infolist()
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise bad_file(path, "the DOCX unpacks to more than 300 MB", "this is not a reviewed guide; check the file")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise bad_file(path, "a zip file, but not a Word document (it has no word/document.xml)",
                       "give the .docx file you received back from the reviewer")
    return {name: archive.read(name) for name in PARTS if name in names}


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
            raise bad_file(path, f"the DOCX is damaged: {name} is not well-formed XML ({exc})",
                           "open it in Word or LibreOffice and save it again") from None
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
            if child and parent:
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
            if not item.headings and parent_item is not None:  # a reply sits where its comment sits
                item.headings, item.paragraph, item.in_table = (parent_item.headings, parent_item.paragraph,
                                                                parent_item.in_table)
                item.anchor = item.anchor or parent_item.anchor
        found.append(item)
    return found


# ---------------------------------------------------------------- document.xml and footnotes.xml

def context(node) -> tuple[str, bool]:
    """The paragraph a mark is in (or, between paragraphs, the one after it), cut short; in a table?"""
    p = next((a for a in node.iterancestors(w("p"))), None)
    if p is None:  # a range mark between paragraphs: the paragraph after it
        p = node.getnext()
        while p is not None and p.tag != w("p") and p.find(f".//{w('p')}") is None:
            p = p.getnext()
        if p is not None and p.tag != w("p"):
            p = p.find(f".//{w('p')}")
    text = paragraph_text(p) if p is not None else ""
    in_table = any(True for _ in node.iterancestors(w("tc")))
    return clean(text, EXCERPT), in_table


class Scanner:
    """One walk over the body (then the commented footnotes): headings in force, bookmarks, comment
    marks with the text they span, and tracked changes (one item per change, even over several runs)."""

    def __init__(self, levels: dict[str, int]):
        self.levels = levels
        self.found: list[Found] = []  # tracked changes, in document order
        self.placed: dict[str, Found] = {}  # comment id -> where its mark is
        self.open_ranges: dict[str, Found] = {}
        self.bookmarks: set[str] = set()
        self.heading_texts: set[str] = set()
        self.changes: dict[tuple, Found] = {}
        self.footnote_at: dict[str, list] = {}  # footnote id -> headings in force at its reference
        self.handlers = {w("p"): self.paragraph, w("bookmarkStart"): self.bookmark,
                         w("commentRangeStart"): self.range_start, w("commentRangeEnd"): self.range_end,
                         w("commentReference"): self.reference, w("t"): self.text, w("ins"): self.change,
                         w("del"): self.change, w("footnoteReference"): self.footnote_reference}

    def scan(self, root, stack: list) -> None:
        """Visit root and everything in it; stack holds the headings in force and is updated."""
        for el in root.iter():
            handler = self.handlers.get(el.tag)
            if handler is not None:
                handler(el, stack)

    def paragraph(self, el, stack: list) -> None:
        level = paragraph_level(el, self.levels)
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading_bookmarks(el), clean(paragraph_text(el))))
            self.heading_texts.add(normalise_heading(paragraph_text(el)))

    def bookmark(self, el, stack: list) -> None:
        self.bookmarks.add(el.get(w("name"), ""))

    def range_start(self, el, stack: list) -> None:
        cid = el.get(w("id"))
        paragraph, in_table = context(el)
        item = Found("comment", "", "", "", paragraph=paragraph, in_table=in_table, headings=list(stack),
                     comment_id=cid)
        self.open_ranges[cid] = item
        self.placed[cid] = item

    def range_end(self, el, stack: list) -> None:
        self.open_ranges.pop(el.get(w("id")), None)

    def reference(self, el, stack: list) -> None:
        cid = el.get(w("id"))
        if cid not in self.placed:  # a comment without a range: it is where its reference is
            paragraph, in_table = context(el)
            self.placed[cid] = Found("comment", "", "", "", paragraph=paragraph, in_table=in_table,
                                     headings=list(stack), comment_id=cid)

    def text(self, el, stack: list) -> None:
        if any(True for _ in el.iterancestors(w("del"))):
            return
        for item in self.open_ranges.values():
            item.anchor += el.text or ""

    def change(self, el, stack: list) -> None:
        deleted = el.tag == w("del")
        text = "".join(t.text or "" for t in el.iter(w("delText") if deleted else w("t")))
        if not text.strip():
            return
        p = next(el.iterancestors(w("p")), None)
        kind = "deletion" if deleted else "insertion"
        # the paragraph itself in the key (not id(p)): it stays alive, so no other paragraph can share it
        key = (kind, el.get(w("author"), ""), iso_date(el.get(w("date"))), p)
        if key in self.changes:  # one change split over several runs: one item
            self.changes[key].text += text
            return
        paragraph, in_table = context(el)
        item = Found(kind, el.get(w("author"), ""), el.get(w("date"), ""), text, anchor="",
                     paragraph=paragraph, in_table=in_table, headings=list(stack))
        self.changes[key] = item
        self.found.append(item)

    def footnote_reference(self, el, stack: list) -> None:
        self.footnote_at[el.get(w("id"))] = list(stack)


def read_docx(path: Path, generated_author: str = "guidebuilder") -> DocxContent:
    """Every comment, reply and tracked change of a DOCX, with what it is anchored to."""
    trees = _parse(path, open_docx(path))
    props = custom_properties(trees.get("docProps/custom.xml"))
    scanner = Scanner(heading_styles(trees.get("word/styles.xml")))
    comments, parents = _comments(trees)
    body = trees["word/document.xml"].find(w("body"))
    if body is None:
        raise bad_file(path, "the DOCX has no document body", "open it in Word or LibreOffice and save it again")
    scanner.scan(body, [])
    # comments inside footnotes (on a source, say) belong where the footnote is referenced
    if "word/footnotes.xml" in trees:
        for note in trees["word/footnotes.xml"].iter(w("footnote")):
            if note.get(w("id")) in scanner.footnote_at:
                scanner.scan(note, scanner.footnote_at[note.get(w("id"))])
    items = scanner.found + _comment_items(comments, parents, scanner.placed, generated_author)
    return DocxContent(props, items, scanner.bookmarks, scanner.heading_texts)
