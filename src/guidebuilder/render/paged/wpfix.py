"""Corrections applied before any layout: WeasyPrint's column balancing, pydyf's page references, and
the tag of the book's footnotes (the element gb-note is tagged Note).

WeasyPrint balances a multi-column box by laying its content out again and again, each time a little
taller: by the height needed to pull the next box up into the column before. It measures that next
box by laying it out with ``bottom_space=inf``, that is with no room at all, so it gets only the box's
first line; the step then falls to one pixel and a run of cards is laid out hundreds of times. In the
real guide that was 74 s of the book's 100 s of layout.

The correction measures the next box alone (a copy of the column holding only that box, up to the
first box in normal flow) with unlimited room (``-inf``), which gives its real height without laying
out the rest of the run each time. The balanced height is still the first at which everything fits,
so pages come out the same (checked pixel for pixel on the guide's 73 pages and the synthetic
guide's 112; tests/test_wpfix.py compares a small case with the stock function). It edits one line
of the pinned version's source of columns_layout; with any other version, or if that line is not found, WeasyPrint is
left as it is: slower, never wrong.

A third one keeps a footnote on the page of its call. When a paragraph's first line (held by
``orphans``) does not fit at the foot of a page, WeasyPrint 70 first moves the page's footnotes to the
next page to make room for that line, even footnotes called higher up the page: in the large print,
note 5 was printed a page after its call, under a page left half empty. With ``footnote-policy: line``
(the book's) it now breaks before the paragraph instead, as it would with no footnotes on the page.

A fourth one draws a leader (the dots between a contents entry and its page number) as one run of
text. WeasyPrint 70 lays it out as one text box per ". ", each drawn on its own: the 125 entries of a
contents page made 14,600 text boxes, and the contents took longer to lay out and write than a
twelve-page chapter. The run holds the same dots at the same places (it is used only when it is as
wide as the boxes it replaces, which sit side by side).

A second one, for pydyf (which WeasyPrint writes PDF with): ``PDF.page_references`` builds a tuple of
every page's reference each time it is read, and the PDF/UA structure tree reads it once per tagged
element: 11,500 times over 300 pages in the large-print edition. It is kept until a page is added.
"""

from __future__ import annotations

import inspect

PINNED = "70.0"
STOCK = "context, column_box, inf, column_skip_stack,"
FIXED = "context, *_next_box_alone(column_box, column_skip_stack),"

_applied: bool | None = None


def apply() -> bool:
    """Install the corrected columns_layout (once per process); True if it is in place."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    _remember_page_references()
    _tag_notes()
    _keep_notes_with_calls()
    _one_run_of_leader_dots()
    try:
        import weasyprint
        import weasyprint.layout.block as block
        import weasyprint.layout.column as column

        if weasyprint.__version__ != PINNED:
            return False
        source = inspect.getsource(column)
    except (ImportError, OSError, TypeError):
        return False
    if source.count(STOCK) != 1:
        return False
    namespace = {**vars(column), "_next_box_alone": _next_box_alone}
    exec(compile(source.replace(STOCK, FIXED), column.__file__, "exec"), namespace)
    column.columns_layout = block.columns_layout = namespace["columns_layout"]
    _applied = True
    return True


def _tag_notes() -> None:
    """The book's footnotes (element gb-note) are tagged Note, not NonStruct (PDF/UA's footnote type)."""
    try:
        import weasyprint
        import weasyprint.pdf.tags as tags
    except (ImportError, OSError):
        return
    stock = tags._get_pdf_tag
    if weasyprint.__version__ != PINNED or getattr(stock, "notes", False):
        return

    def get_pdf_tag(tag):
        return "Note" if tag == "gb-note" else stock(tag)

    get_pdf_tag.notes = True
    tags._get_pdf_tag = get_pdf_tag


NOTES_STOCK = "report = not context.in_column and can_break_now and not could_break_before"
NOTES_FIXED = NOTES_STOCK + " and not _notes_stay(context)"


def _keep_notes_with_calls() -> bool:
    """Patch the line layout so that it never moves 'line'-policy footnotes off their call's page."""
    try:
        import weasyprint
        import weasyprint.layout.block as block
    except (ImportError, OSError):
        return False
    if weasyprint.__version__ != PINNED or "_notes_stay" in vars(block):
        return "_notes_stay" in vars(block)
    try:
        source = inspect.getsource(block._linebox_layout)
    except (OSError, TypeError):
        return False
    if source.count(NOTES_STOCK) != 1:
        return False
    block._notes_stay = _notes_stay
    exec(compile(source.replace(NOTES_STOCK, NOTES_FIXED), block.__file__, "exec"), vars(block))
    return True


def _notes_stay(context) -> bool:
    return any(note.style["footnote_policy"] == "line" for note in context.current_page_footnotes)


def _one_run_of_leader_dots() -> bool:
    """Patch the line layout so that a leader's copies of its text become one text box."""
    try:
        import weasyprint
        import weasyprint.layout.inline as inline
        import weasyprint.layout.leader as leader
    except (ImportError, OSError):
        return False
    if weasyprint.__version__ != PINNED or inline.handle_leader is not leader.handle_leader:
        return getattr(inline.handle_leader, "one_run", False)

    def handle_leader(context, line, containing_block):
        leader.handle_leader(context, line, containing_block)
        _, box = leader.leader_index(line)
        if box is not None and len(box.children) > 1:
            box.children = _one_run(context, box.children)

    handle_leader.one_run = True
    inline.handle_leader = handle_leader
    return True


def _one_run(context, copies: tuple) -> tuple:
    """The copies of a leader's text box (side by side, the same text) as one box, if it is as wide."""
    from math import inf

    from weasyprint.text.line_break import split_first_line

    first = min(copies, key=lambda box: box.position_x)
    if any(box.text != first.text for box in copies):
        return copies
    text = first.text * len(copies)
    layout, _, resume, width, _, _ = split_first_line(text, first.style, context, inf, first.justification_spacing,
                                                      is_line_start=False)
    if resume is not None or layout.text != text or abs(width - first.width * len(copies)) > 1e-3:
        return copies
    run = first.copy_with_text(text)
    run.width, run.pango_layout = width, layout
    return (run,)


PYDYF = "0.13.0"


def _remember_page_references() -> None:
    try:
        import pydyf
    except ImportError:
        return
    if pydyf.__version__ != PYDYF or not isinstance(vars(pydyf.PDF).get("page_references"), property):
        return

    def page_references(self):
        kids = self.pages["Kids"]
        kept = self.__dict__.get("_page_references")
        if kept is None or kept[0] != len(kids):  # pages are only ever added
            kept = self.__dict__["_page_references"] = (len(kids), STOCK_PAGE_REFERENCES(self))
        return kept[1]

    global STOCK_PAGE_REFERENCES
    STOCK_PAGE_REFERENCES = pydyf.PDF.page_references.fget
    pydyf.PDF.page_references = property(page_references)


STOCK_PAGE_REFERENCES = None


def _next_box_alone(column_box, skip_stack):
    """The arguments box, bottom_space, skip_stack that lay out only the box a column resumes at.

    The copy holds the children from that box up to the first one in normal flow (the one whose
    height is wanted), laid out with unlimited room (-inf), so it gets its whole height.
    """
    from math import inf

    (index, child_skip), = skip_stack.items()
    children = column_box.children
    end = index + 1
    while end < len(children) and not children[end - 1].is_in_normal_flow():
        end += 1
    return column_box.copy_with_children(children[index:end]), -inf, {0: child_skip}


def stock():
    """WeasyPrint's own columns_layout (for the test that compares the two)."""
    import weasyprint.layout.column as column

    namespace = dict(vars(column))
    exec(compile(inspect.getsource(column), column.__file__, "exec"), namespace)
    return namespace["columns_layout"]
