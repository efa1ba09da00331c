"""Review comments from a commented DOCX back into the guide: guide/feedback/<round>.yml.

`read_docx` reads a reviewed review edition (comments with their anchors, replies, tracked
insertions and deletions); `place` traces each one to the chapter file and heading it belongs to
(the bookmark of the nearest heading before it, named by the heading's id, or the heading's text);
`import_docx` merges them into the round's YAML file, keeping what editors wrote there.

Everything read from the DOCX is untrusted text: it is cleaned (sources.clean_untrusted) and only ever
written as YAML strings or escaped HTML. Feedback carries reviewers' names: it is never rendered into
the guide's public outputs; the report goes to build/feedback/, not build/html/.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from guidebuilder.render.docx.ooxml import (PROP_DATE, PROP_SLUG, W14_NS, W15_NS, custom_properties, heading_bookmarks, heading_styles, hidden_bookmark, normalise_heading, paragraph_level, paragraph_text, w)
from guidebuilder.model.errors import Collector, Diagnostic, GuideError
from guidebuilder.model.schema import Model
from guidebuilder.load.sources import clean_untrusted

KINDS = ("comment", "reply", "insertion", "deletion")
STATUSES = ("open", "accepted", "rejected", "done")
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
EXCERPT = 300
ROUND_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADER = """Comentarios de revisión importados con `guidebuilder feedback import`.
Para cada uno, el equipo editorial cambia `status` (open, accepted, rejected o done) y escribe su
respuesta en `response`. No cambie `id`: gracias a él, volver a importar un archivo no duplica nada.
Este archivo contiene nombres de revisores: no lo publique."""


# ---------------------------------------------------------------- the feedback file's schema

class FeedbackItem(Model):
    id: str = Field(pattern=r"^fb-[0-9a-f]{12}$")
    round: str
    kind: Literal["comment", "reply", "insertion", "deletion"]
    status: Literal["open", "accepted", "rejected", "done"]
    response: str = ""
    chapter: str | None = None
    heading: str | None = None
    heading_title: str | None = None
    anchor: str = ""
    paragraph: str = ""
    in_table: bool = False
    author: str = ""
    date: str = ""
    text: str = ""
    reply_to: str | None = None
    in_reply_to: str | None = None
    unplaced: str | None = None
    source: str | None = None


class FeedbackFile(Model):
    round: str = Field(pattern=ROUND_RE.pattern)
    items: list[FeedbackItem] = []


# ---------------------------------------------------------------- reading the DOCX

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


def _bad(path: Path, message: str, hint: str) -> GuideError:
    return GuideError(Diagnostic(file=str(path), message=message, hint=hint))


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_blank_text=False)
    return etree.fromstring(data, parser)


def _clean(text: str | None, limit: int | None = None) -> str:
    text = " ".join(clean_untrusted(text or "").replace("\r", "\n").split(" ")).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _date(value: str | None) -> str:
    """ISO date-time without fractions or zone letters, as Word and LibreOffice write it."""
    value = (value or "").strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2})?)?", value)
    if not match:
        return ""
    day, clock = match.group(1), match.group(2) or ""
    if clock and len(clock) == 6:
        clock += ":00"
    return day + clock


def open_docx(path: Path) -> dict[str, bytes]:
    """The parts of a DOCX that matter here, after checking it is a sound DOCX; GuideError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise _bad(path, "file not found", "give the path of the reviewed .docx file")
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        raise _bad(path, f"the file is {size / 1048576:.0f} MB, too large for a reviewed guide",
                   "check that this is the reviewed guide; save it without embedded videos or large images")
    raw = path.read_bytes()
    if not raw.startswith(b"PK"):
        raise _bad(path, "not a DOCX file (a .docx is a zip archive; this file is not one)",
                   "open it in Word or LibreOffice and save it as 'Word document (.docx)'")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise _bad(path, "the DOCX unpacks to more than 300 MB", "this is not a reviewed guide; check the file")
        names = {i.filename for i in infos}
        wanted = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "word/styles.xml",
                  "docProps/custom.xml", "word/footnotes.xml")
        if "word/document.xml" not in names:
            raise _bad(path, "a zip file, but not a Word document (it has no word/document.xml)",
                       "give the .docx file you received back from the reviewer")
        parts = {name: archive.read(name) for name in wanted if name in names}
    except GuideError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError,
            NotImplementedError) as exc:
        raise _bad(path, f"the DOCX is damaged (its zip archive cannot be read: {exc})",
                   "ask the reviewer to send it again, or open it in Word/LibreOffice and save it again") from None
    except Exception as exc:  # zlib.error and friends: still a damaged archive
        raise _bad(path, f"the DOCX is damaged ({type(exc).__name__}: {exc})",
                   "ask the reviewer to send it again, or open it in Word/LibreOffice and save it again") from None
    return parts


def read_docx(path: Path, generated_author: str = "guidebuilder") -> DocxContent:
    """Every comment, reply and tracked change of a DOCX, with what it is anchored to."""
    from lxml import etree

    parts = open_docx(path)
    trees = {}
    for name, data in parts.items():
        try:
            trees[name] = _xml(data)
        except etree.XMLSyntaxError as exc:
            raise _bad(path, f"the DOCX is damaged: {name} is not well-formed XML ({exc})",
                       "open it in Word or LibreOffice and save it again") from None
    props = custom_properties(trees.get("docProps/custom.xml"))
    levels = heading_styles(trees.get("word/styles.xml"))

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

    body = trees["word/document.xml"].find(w("body"))
    if body is None:
        raise _bad(path, "the DOCX has no document body", "open it in Word or LibreOffice and save it again")
    found: list[Found] = []
    placed: dict[str, Found] = {}
    open_ranges: dict[str, Found] = {}
    stack: list[tuple[int, list, str]] = []
    bookmarks: set[str] = set()
    heading_texts: set[str] = set()
    changes: dict[tuple, Found] = {}
    footnote_at: dict[str, list] = {}

    def context(node) -> tuple[str, bool]:
        p = next((a for a in node.iterancestors(w("p"))), None)
        if p is None:  # a range mark between paragraphs: the paragraph after it
            p = node.getnext()
            while p is not None and p.tag != w("p") and p.find(f".//{w('p')}") is None:
                p = p.getnext()
            if p is not None and p.tag != w("p"):
                p = p.find(f".//{w('p')}")
        text = paragraph_text(p) if p is not None else ""
        in_table = any(True for _ in node.iterancestors(w("tc")))
        return _clean(text, EXCERPT), in_table

    def scan(root, stack: list) -> None:
        for el in root.iter():
            tag = el.tag
            if tag == w("p"):
                level = paragraph_level(el, levels)
                if level:
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    stack.append((level, heading_bookmarks(el), _clean(paragraph_text(el))))
                    heading_texts.add(normalise_heading(paragraph_text(el)))
            elif tag == w("bookmarkStart"):
                bookmarks.add(el.get(w("name"), ""))
            elif tag == w("commentRangeStart"):
                cid = el.get(w("id"))
                paragraph, in_table = context(el)
                item = Found("comment", "", "", "", paragraph=paragraph, in_table=in_table, headings=list(stack),
                             comment_id=cid)
                open_ranges[cid] = item
                placed[cid] = item
            elif tag == w("commentRangeEnd"):
                open_ranges.pop(el.get(w("id")), None)
            elif tag == w("commentReference"):
                cid = el.get(w("id"))
                if cid not in placed:
                    paragraph, in_table = context(el)
                    placed[cid] = Found("comment", "", "", "", paragraph=paragraph, in_table=in_table,
                                        headings=list(stack), comment_id=cid)
            elif tag == w("t"):
                if any(True for _ in el.iterancestors(w("del"))):
                    continue
                for item in open_ranges.values():
                    item.anchor += el.text or ""
            elif tag in (w("ins"), w("del")):
                text = "".join(t.text or "" for t in el.iter(w("delText") if tag == w("del") else w("t")))
                if not text.strip():
                    continue
                p = next(el.iterancestors(w("p")), None)
                kind = "insertion" if tag == w("ins") else "deletion"
                key = (kind, el.get(w("author"), ""), _date(el.get(w("date"))), id(p))
                if key in changes:  # one change split over several runs: one item
                    changes[key].text += text
                    continue
                paragraph, in_table = context(el)
                item = Found(kind, el.get(w("author"), ""), el.get(w("date"), ""), text, anchor="",
                             paragraph=paragraph, in_table=in_table, headings=list(stack))
                changes[key] = item
                found.append(item)
            elif tag == w("footnoteReference"):
                footnote_at[el.get(w("id"))] = list(stack)

    scan(body, stack)
    # comments inside footnotes (on a source, say) belong where the footnote is referenced
    if "word/footnotes.xml" in trees:
        for note in trees["word/footnotes.xml"].iter(w("footnote")):
            if note.get(w("id")) in footnote_at:
                scan(note, footnote_at[note.get(w("id"))])

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
    return DocxContent(props, found, bookmarks, heading_texts)


# ---------------------------------------------------------------- placing items in the guide

def item_id(kind: str, author: str, date: str, text: str, anchor: str) -> str:
    key = "\x1f".join((kind, author, date, " ".join(text.split()), " ".join(anchor.split())))
    return "fb-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def check_document(path: Path, content: DocxContent, guide) -> None:
    """Refuse a DOCX that is not an edition of this guide."""
    slug = content.properties.get(PROP_SLUG)
    if slug and slug != guide.slug:
        raise _bad(path, f"this DOCX is an edition of another guide ('{slug}'), not of '{guide.slug}'",
                   "import it with --guide pointing at that guide, or check that you picked the right file")
    if not slug:
        from guidebuilder.render.docx.document import guide_headings

        known = set(guide_headings(guide))
        known |= {hidden_bookmark(k) for k in known}
        chapters = {c.id for c in guide.chapters} | {hidden_bookmark(c.id) for c in guide.chapters}
        by_bookmark = bool(content.bookmarks & chapters) and bool(content.bookmarks & known)
        # a program that drops properties and bookmarks (an online editor) still keeps the chapter titles
        titles = {normalise_heading(c.title) for c in guide.chapters}
        by_titles = len(titles & content.heading_texts) >= max(1, (len(titles) + 1) // 2)
        if not (by_bookmark or by_titles):
            raise _bad(path, "this DOCX was not made by guidebuilder from this guide (it has neither the "
                             "guide's document properties nor its section bookmarks)",
                       f"import the commented copy of build/docx/{guide.slug}-revision.docx")


def place(content: DocxContent, guide, round_name: str, source: str) -> list[dict]:
    """Turn what was found into feedback items, each traced to chapter file and heading where possible."""
    from guidebuilder.render.docx.document import guide_headings

    headings = dict(guide_headings(guide))
    headings.update({hidden_bookmark(h.id): h for h in list(headings.values())})
    by_text: dict[str, list] = {}
    for info in headings.values():
        by_text.setdefault(normalise_heading(info.title), []).append(info)
    ids: dict[str, str] = {}  # comment id in the docx -> item id
    items: list[dict] = []
    for f in content.items:
        author, text, anchor = _clean(f.author, 200), clean_untrusted(f.text).strip(), _clean(f.anchor, EXCERPT)
        date = _date(f.date)
        iid = item_id(f.kind, author, date, text, anchor)
        if f.comment_id is not None:
            ids[f.comment_id] = iid
        if f.generated:
            continue
        info = None
        for level, names, title in reversed(f.headings):
            info = next((headings[n] for n in names if n in headings), None)
            if info is None:
                matches = by_text.get(normalise_heading(title), [])
                info = matches[0] if len(matches) == 1 else None
            if info is not None:
                break
        item = {
            "id": iid, "round": round_name, "kind": f.kind, "status": "open", "response": "",
            "chapter": info.file if info else None,
            "heading": info.id if info else None,
            "heading_title": info.title if info else None,
            "anchor": anchor, "paragraph": f.paragraph, "in_table": f.in_table,
            "author": author, "date": date, "text": text,
        }
        if f.kind == "reply":
            item["reply_to"] = f.parent_id  # replaced by the parent's item id below
            item["in_reply_to"] = _clean(f.parent_text, EXCERPT) or None
        if info is None:
            if f.headings:
                item["unplaced"] = "under a heading that is no longer in the guide"
            elif f.located:
                item["unplaced"] = "before the first chapter (title page, instructions or contents)"
            else:
                item["unplaced"] = ("its place in the document was not found (a comment in a footnote, "
                                    "header or text box?)")
        item["source"] = _clean(source, 200)
        items.append(item)
    for item in items:
        if item.get("reply_to") is not None:
            item["reply_to"] = ids.get(item["reply_to"])
    return items


# ---------------------------------------------------------------- the round's YAML file

def feedback_dir(guide_root: Path) -> Path:
    return Path(guide_root) / "feedback"


def load_round(path: Path, errors: Collector):
    """The ruamel tree of a feedback file and its validated model, or (None, None) after reporting."""
    from guidebuilder.model.schema import validate
    from guidebuilder.load.yamlio import load_yaml, plain

    tree = load_yaml(path, errors, "feedback file")
    if tree is None:
        return None, None
    if not isinstance(tree, dict):
        errors.add(path, 1, 1, "a feedback file must be a mapping with 'round:' and 'items:'",
                   "restore it from version control or delete it and import the DOCX again")
        return None, None
    model = validate(FeedbackFile, plain(tree), tree, path, errors)
    if model is not None:
        seen: dict[str, int] = {}
        for i, item in enumerate(model.items):
            if item.id in seen:
                from guidebuilder.load.yamlio import position

                line, col = position(tree, ("items", i))
                errors.add(path, line, col, f"feedback item '{item.id}' appears twice",
                           "delete one of the two entries")
            seen[item.id] = i
    return tree, model


def _yaml_item(item: dict):
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    order = ("id", "round", "kind", "status", "response", "chapter", "heading", "heading_title", "anchor",
             "paragraph", "in_table", "author", "date", "text", "reply_to", "in_reply_to", "unplaced", "source")
    out = CommentedMap()
    for key in order:
        if key not in item:
            continue
        value = item[key]
        if isinstance(value, str) and "\n" in value:
            value = LiteralScalarString(value)
        out[key] = value
    return out


@dataclass
class ImportResult:
    path: Path
    added: list
    already: int
    unplaced: list
    written: bool


class _ReadOnlyCache:
    """Pandoc results for loading the guide: kept in memory for this process, read from a build cache
    if one is given, never written to disk (an import writes only guide/feedback/)."""

    def __new__(cls, folder: Path | None = None):
        from guidebuilder.build.cache import Cache

        class ReadOnly(Cache):
            def flush(self) -> None:
                self.pending.clear()

        global _MEMORY
        if folder is not None and Path(folder).is_dir():
            return ReadOnly(Path(folder))
        if _MEMORY is None:
            _MEMORY = ReadOnly(Path("/nonexistent/guidebuilder-memory-cache"))
        return _MEMORY


_MEMORY = None


def import_docx(guide_dir: Path, docx: Path, round_name: str | None = None,
                cache_dir: Path | None = None) -> ImportResult:
    """Read a reviewed DOCX and merge its comments into guide/feedback/<round>.yml."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from guidebuilder.build.orchestrator import prepare
    from guidebuilder.build.output import write_text
    from guidebuilder.load.yamlio import dump_yaml

    docx = Path(docx)
    content = read_docx(docx)  # first: a bad file fails fast, before the guide is loaded
    if round_name is not None and not ROUND_RE.match(round_name):
        raise GuideError(Diagnostic(file="guidebuilder", message=f"round name '{round_name}' is not usable as a "
                                    "file name", hint="use lowercase letters, digits and hyphens, e.g. 'ronda-1'"))
    guide = prepare(Path(guide_dir), _ReadOnlyCache(cache_dir), "review")
    check_document(docx, content, guide)
    if round_name is None:
        date = content.properties.get(PROP_DATE, "")
        round_name = f"revision-{date}" if re.match(r"^\d{4}-\d{2}-\d{2}$", date) else "revision"
    items = place(content, guide, round_name, docx.name)
    if not items:
        raise _bad(docx, "this DOCX has no comments or tracked changes by reviewers; nothing to import",
                   "check that you picked the commented copy the reviewer sent back (the review edition's own "
                   "notes, by 'guidebuilder', are not imported)")
    path = feedback_dir(guide.root) / f"{round_name}.yml"
    errors = Collector(root=guide.root)
    if path.exists():
        tree, model = load_round(path, errors)
        errors.raise_if_errors()
        if model.round != round_name:
            raise _bad(path, f"this file belongs to round '{model.round}', not '{round_name}'",
                       "correct 'round:' in the file, or import with --round " + model.round)
    else:
        tree = CommentedMap()
        tree["round"] = round_name
        tree["items"] = CommentedSeq()
        tree.yaml_set_start_comment(HEADER)
    if tree.get("items") is None:
        tree["items"] = CommentedSeq()
    # ids already imported, in this round or another: importing a file again adds nothing twice
    known = {str(entry.get("id")) for entry in tree["items"]} | {i.id for i in load_all(guide.root)}
    added = [item for item in items if item["id"] not in known]
    seen: set[str] = set()
    added = [i for i in added if not (i["id"] in seen or seen.add(i["id"]))]
    for item in added:
        tree["items"].append(_yaml_item(item))
    if added:
        text = dump_yaml(tree)
        check = Collector(root=guide.root)  # what we write must load again
        from guidebuilder.load.yamlio import parse_yaml, plain
        from guidebuilder.model.schema import validate

        validate(FeedbackFile, plain(parse_yaml(text, path, check)), None, path, check)
        check.raise_if_errors()
        write_text(path, text)
    return ImportResult(path, added, len(items) - len(added), [i for i in added if i["chapter"] is None],
                        bool(added))


# ---------------------------------------------------------------- reading every round

def load_all(guide_dir: Path) -> list:
    """Every item of every guide/feedback/*.yml, validated (GuideError with file:line otherwise)."""
    from guidebuilder.load.sources import list_files

    folder = feedback_dir(Path(guide_dir))
    errors = Collector(root=Path(guide_dir).resolve())
    items = []
    for path in list_files(folder, "*.yml"):
        _, model = load_round(path, errors)
        if model is not None:
            items.extend(model.items)
    errors.raise_if_errors()
    return items


def chapter_order(guide_dir: Path) -> list[str]:
    """Chapter files in reading order, from guide.yml (no full load: the report works on a broken guide)."""
    from guidebuilder.load.yamlio import load_yaml, plain

    errors = Collector(root=Path(guide_dir).resolve())
    tree = load_yaml(Path(guide_dir) / "guide.yml", errors, "guide.yml")
    chapters = plain(tree).get("chapters", []) if isinstance(tree, dict) else []
    name = Path(guide_dir).resolve().name
    return [f"{name}/chapters/{c}" for c in chapters if isinstance(c, str)]


def summary(items: list, order: list[str]) -> list[tuple[str, str, dict]]:
    """(chapter, reviewer, {status: count}) rows in reading order; unplaced last."""
    rows: dict[tuple[str, str], dict] = {}
    for item in items:
        key = (item.chapter or "", item.author or "(sin autor)")
        counts = rows.setdefault(key, {s: 0 for s in STATUSES})
        counts[item.status] += 1
    rank = {c: i for i, c in enumerate(order)}

    def sort_key(key: tuple[str, str]):
        chapter, author = key
        return (not chapter, rank.get(chapter, len(rank)), chapter, author.casefold())

    return [(c or "", a, rows[(c, a)]) for c, a in sorted(rows, key=sort_key)]


def report_html(items: list, order: list[str], guide_title: str) -> str:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(REPORT_TEMPLATE)
    by_author: dict[str, list] = {}
    rank = {c: i for i, c in enumerate(order)}
    for item in sorted(items, key=lambda i: (rank.get(i.chapter or "", len(rank)), i.chapter or "~", i.date, i.id)):
        by_author.setdefault(item.author or "(sin autor)", []).append(item)
    totals = {s: sum(1 for i in items if i.status == s) for s in STATUSES}
    return template.render(title=guide_title, rows=summary(items, order), statuses=STATUSES, totals=totals,
                           total=len(items), by_author=sorted(by_author.items(), key=lambda kv: kv[0].casefold()),
                           unplaced=[i for i in items if not i.chapter])


REPORT_TEMPLATE = """<!DOCTYPE html>
<html lang="es-MX">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comentarios de revisión — {{ title }}</title>
<style>
body { font-family: "Atkinson Hyperlegible", system-ui, sans-serif; margin: 2rem auto; max-width: 70rem;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
.aviso { background: #fff4d6; border: 1px solid #c9a227; padding: .6rem 1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #dce6f0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.status-open { color: #8a1c1c; font-weight: bold; }
blockquote { margin: .2rem 0; color: #444; border-left: 3px solid #ccc; padding-left: .5rem; }
.texto { white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Comentarios de revisión</h1>
<p>{{ title }}. {{ total }} comentarios y cambios:
{% for s in statuses %}{{ totals[s] }} {{ s }}{% if not loop.last %}, {% endif %}{% endfor %}.</p>
<p class="aviso">Documento interno: contiene los nombres de quienes revisaron. No lo publique.</p>
<h2>Por capítulo y revisor</h2>
<table>
<thead><tr><th scope="col">Capítulo</th><th scope="col">Revisor</th>
{% for s in statuses %}<th scope="col">{{ s }}</th>{% endfor %}<th scope="col">total</th></tr></thead>
<tbody>
{% for chapter, author, counts in rows %}<tr><td>{{ chapter or "sin ubicar" }}</td><td>{{ author }}</td>
{% for s in statuses %}<td class="n">{{ counts[s] }}</td>{% endfor %}<td class="n">{{ counts.values()|sum }}</td></tr>
{% endfor %}</tbody>
</table>
{% if unplaced %}<h2>Sin ubicar ({{ unplaced|length }})</h2>
<p>Comentarios que no se pudieron asociar a un capítulo; se listan también abajo, con su revisor.</p>{% endif %}
<h2>Por revisor</h2>
{% for author, list in by_author %}
<h3>{{ author }} ({{ list|length }})</h3>
<table>
<thead><tr><th scope="col">Dónde</th><th scope="col">Comentario</th><th scope="col">Estado</th>
<th scope="col">Respuesta</th></tr></thead>
<tbody>
{% for i in list %}<tr id="{{ i.id }}">
<td>{% if i.chapter %}{{ i.chapter }}<br>{{ i.heading_title or "" }}{% else %}<em>sin ubicar</em>{% endif %}
{% if i.in_table %}<br><em>(en una tabla)</em>{% endif %}</td>
<td>{% if i.anchor %}<blockquote>{{ i.anchor }}</blockquote>{% endif %}
<div class="texto">{% if i.kind == "insertion" %}Insertó: {% elif i.kind == "deletion" %}Borró: {% elif i.kind == "reply" %}Respuesta: {% endif %}{{ i.text }}</div>
<small>{{ i.date }} · {{ i.round }} · {{ i.id }}</small></td>
<td class="status-{{ i.status }}">{{ i.status }}</td>
<td class="texto">{{ i.response }}</td></tr>
{% endfor %}</tbody>
</table>
{% endfor %}
</body>
</html>
"""
