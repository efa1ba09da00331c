"""Place what was read from a DOCX in the guide: each item under its chapter file and heading.

A heading is found by the bookmark of the nearest heading before the item (named by the heading's id,
or its hidden `_GB_` twin), or failing that by the heading's text when only one heading has it.

An item's id is made from what it is and where: kind (a reply counts as a comment: LibreOffice
saves Word's replies as comments), author, date, text and place in the document (`Found.place`),
and, for items equal in all of that, which of them it is. So two items differ whenever they differ
in place, text or author, and the same file, or its re-save, gives the same ids again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from guidebuilder.render.docx.document import HeadingInfo, guide_headings
from guidebuilder.render.docx.ooxml import PROP_SLUG, hidden_bookmark, normalise_heading
from guidebuilder.review.reader import EXCERPT, DocxContent, Found, bad_file, clean, iso_date, untrusted
from guidebuilder.review.store import cut_text


def item_id(kind: str, author: str, date: str, text: str, place: str, occurrence: int = 0) -> str:
    """A stable id from what an item is and where it is: importing the same file again gives the same id."""
    family = "comment" if kind == "reply" else kind
    key = "\x1f".join(("v2", family, author, date, " ".join(text.split()), place, str(occurrence)))
    return "fb-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def legacy_id(kind: str, author: str, date: str, text: str, anchor: str) -> str:
    """The id an item had before places were recorded (from what it says only): round files written
    then are matched by it, together with the item's heading and paragraph (`store.Known`)."""
    key = "\x1f".join((kind, author, date, " ".join(text.split()), " ".join(anchor.split())))
    return "fb-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def check_document(path: Path, content: DocxContent, guide) -> None:
    """Refuse a DOCX that is not an edition of this guide."""
    slug = content.properties.get(PROP_SLUG)
    if slug and slug != guide.slug:
        raise bad_file(path, "rev.other_guide", slug=slug, mine=guide.slug)
    if not slug:
        known = set(guide_headings(guide))
        known |= {hidden_bookmark(k) for k in known}
        chapters = {c.id for c in guide.chapters} | {hidden_bookmark(c.id) for c in guide.chapters}
        by_bookmark = bool(content.bookmarks & chapters) and bool(content.bookmarks & known)
        # a program that drops properties and bookmarks (an online editor) still keeps the chapter titles
        titles = {normalise_heading(c.title) for c in guide.chapters}
        by_titles = len(titles & content.heading_texts) >= max(1, (len(titles) + 1) // 2)
        if not (by_bookmark or by_titles):
            raise bad_file(path, "rev.not_ours", slug=guide.slug)


class Headings:
    """The guide's headings by bookmark name (the id and its hidden twin) and by normalised text."""

    def __init__(self, guide):
        headings = guide_headings(guide)
        self.by_name: dict[str, HeadingInfo] = dict(headings)
        self.by_name.update({hidden_bookmark(h.id): h for h in headings.values()})
        self.by_text: dict[str, list] = {}
        for info in headings.values():  # each heading once (by_name has it twice)
            self.by_text.setdefault(normalise_heading(info.title), []).append(info)

    def find(self, in_force: list) -> HeadingInfo | None:
        """The nearest heading in force that the guide knows, by bookmark first, then by a unique title."""
        for level, names, title in reversed(in_force):
            info = next((self.by_name[n] for n in names if n in self.by_name), None)
            if info is None:
                matches = self.by_text.get(normalise_heading(title), [])
                info = matches[0] if len(matches) == 1 else None
            if info is not None:
                return info
        return None


def unplaced_reason(found: Found) -> str:
    """Why an item could not be traced to a heading of the guide."""
    if found.headings:
        return "under a heading that is no longer in the guide"
    if found.located:
        return "before the first chapter (title page, instructions or contents)"
    return "its place in the document was not found (a comment in a footnote, header or text box?)"


def _item(found: Found, iid: str, info: HeadingInfo | None, round_name: str, source: str) -> dict:
    """The feedback item for one Found, its texts cleaned; reply_to still the parent's comment id."""
    item = {
        "id": iid, "round": round_name, "kind": found.kind, "status": "open", "response": "",
        "chapter": info.file if info else None,
        "heading": info.id if info else None,
        "heading_title": info.title if info else None,
        "place": found.place,
        "anchor": clean(found.anchor, EXCERPT), "paragraph": found.paragraph, "in_table": found.in_table,
        "author": clean(found.author, 200), "date": iso_date(found.date),
        "text": cut_text(untrusted(found.text).strip()),
    }
    if found.generated:
        item["automatic"] = True
    if found.footnote is not None:
        item["footnote"] = found.footnote
    if found.table is not None:
        item["table"], item["row"], item["column"] = found.table
        item["cell"] = found.cell
    if found.kind == "reply":
        item["reply_to"] = found.parent_id  # replaced by the parent's item id in place()
        item["in_reply_to"] = clean(found.parent_text, EXCERPT) or None
    if info is None:
        item["unplaced"] = unplaced_reason(found)
    item["source"] = clean(source, 200)
    return item


def place(content: DocxContent, guide, round_name: str, source: str) -> list[dict]:
    """Turn what was found into feedback items, in document order, each traced to chapter file and
    heading where possible. The review edition's own comments are left out, but for those a reviewer
    answered: they are the questions the replies answer (marked automatic)."""
    headings = Headings(guide)
    ids: dict[str, str] = {}  # comment id in the docx -> item id
    seen: dict[tuple, int] = {}  # items equal in all but which one they are
    answered = {f.parent_id for f in content.items if f.kind == "reply" and not f.generated}
    items: list[dict] = []
    for f in content.items:
        author, date, text = clean(f.author, 200), iso_date(f.date), untrusted(f.text).strip()
        key = ("comment" if f.kind == "reply" else f.kind, author, date, " ".join(text.split()), f.place)
        seen[key] = seen.get(key, -1) + 1
        iid = item_id(f.kind, author, date, text, f.place, seen[key])
        if f.comment_id is not None:
            ids[f.comment_id] = iid
        if f.generated and f.comment_id not in answered:
            continue
        item = _item(f, iid, headings.find(f.headings), round_name, source)
        item["legacy_id"] = legacy_id(f.kind, author, date, text, clean(f.anchor, EXCERPT))  # not written
        items.append(item)
    for item in items:
        if item.get("reply_to") is not None:
            item["reply_to"] = ids.get(item["reply_to"])
    return items
