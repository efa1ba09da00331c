"""Place what was read from a DOCX in the guide: each item under its chapter file and heading.

A heading is found by the bookmark of the nearest heading before the item (named by the heading's id,
or its hidden `_GB_` twin), or failing that by the heading's text when only one heading has it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from guidebuilder.load.sources import clean_untrusted
from guidebuilder.render.docx.document import HeadingInfo, guide_headings
from guidebuilder.render.docx.ooxml import PROP_SLUG, hidden_bookmark, normalise_heading
from guidebuilder.review.reader import EXCERPT, DocxContent, Found, bad_file, clean, iso_date


def item_id(kind: str, author: str, date: str, text: str, anchor: str) -> str:
    """A stable id from what an item says: importing the same comment again gives the same id."""
    key = "\x1f".join((kind, author, date, " ".join(text.split()), " ".join(anchor.split())))
    return "fb-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def check_document(path: Path, content: DocxContent, guide) -> None:
    """Refuse a DOCX that is not an edition of this guide."""
    slug = content.properties.get(PROP_SLUG)
    if slug and slug != guide.slug:
        raise bad_file(path, f"this DOCX is an edition of another guide ('{slug}'), not of '{guide.slug}'",
                       "import it with --guide pointing at that guide, or check that you picked the right file")
    if not slug:
        known = set(guide_headings(guide))
        known |= {hidden_bookmark(k) for k in known}
        chapters = {c.id for c in guide.chapters} | {hidden_bookmark(c.id) for c in guide.chapters}
        by_bookmark = bool(content.bookmarks & chapters) and bool(content.bookmarks & known)
        # a program that drops properties and bookmarks (an online editor) still keeps the chapter titles
        titles = {normalise_heading(c.title) for c in guide.chapters}
        by_titles = len(titles & content.heading_texts) >= max(1, (len(titles) + 1) // 2)
        if not (by_bookmark or by_titles):
            raise bad_file(path, "this DOCX was not made by guidebuilder from this guide (it has neither the "
                                 "guide's document properties nor its section bookmarks)",
                           f"import the commented copy of build/docx/{guide.slug}-revision.docx")


class Headings:
    """The guide's headings by bookmark name (the id and its hidden twin) and by normalised text."""

    def __init__(self, guide):
        self.by_name: dict[str, HeadingInfo] = dict(guide_headings(guide))
        self.by_name.update({hidden_bookmark(h.id): h for h in list(self.by_name.values())})
        self.by_text: dict[str, list] = {}
        for info in self.by_name.values():
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
        "anchor": clean(found.anchor, EXCERPT), "paragraph": found.paragraph, "in_table": found.in_table,
        "author": clean(found.author, 200), "date": iso_date(found.date), "text": clean_untrusted(found.text).strip(),
    }
    if found.kind == "reply":
        item["reply_to"] = found.parent_id  # replaced by the parent's item id in place()
        item["in_reply_to"] = clean(found.parent_text, EXCERPT) or None
    if info is None:
        item["unplaced"] = unplaced_reason(found)
    item["source"] = clean(source, 200)
    return item


def place(content: DocxContent, guide, round_name: str, source: str) -> list[dict]:
    """Turn what was found into feedback items, each traced to chapter file and heading where possible."""
    headings = Headings(guide)
    ids: dict[str, str] = {}  # comment id in the docx -> item id
    items: list[dict] = []
    for f in content.items:
        author, text, anchor = clean(f.author, 200), clean_untrusted(f.text).strip(), clean(f.anchor, EXCERPT)
        iid = item_id(f.kind, author, iso_date(f.date), text, anchor)
        if f.comment_id is not None:
            ids[f.comment_id] = iid
        if f.generated:  # not imported, but a reply to one of them still finds its parent's id
            continue
        items.append(_item(f, iid, headings.find(f.headings), round_name, source))
    for item in items:
        if item.get("reply_to") is not None:
            item["reply_to"] = ids.get(item["reply_to"])
    return items
