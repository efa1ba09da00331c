"""One correction to WeasyPrint's column balancing, applied before any layout.

WeasyPrint balances a multi-column box by laying its content out again and again, each time a little
taller: by the height needed to pull the next box up into the column before. It measures that next
box by laying it out with ``bottom_space=inf``, that is with no room at all, so it gets only the box's
first line; the step then falls to one pixel and a run of cards is laid out hundreds of times. In the
real guide that was 74 s of the book's 100 s of layout.

The correction lays the next box out with unlimited room (``-inf``), which gives its real height. The
balanced height is still the first at which everything fits, so pages come out the same (checked
pixel for pixel on the guide's 73 pages; tests/test_wpfix.py compares a small case with the stock
function). It edits one line of the pinned version's source; with any other version, or if that line
is not found, WeasyPrint is left as it is: slower, never wrong.
"""

from __future__ import annotations

import inspect

PINNED = "70.0"
STOCK = "context, column_box, inf, column_skip_stack,"
FIXED = "context, column_box, -inf, column_skip_stack,"

_applied: bool | None = None


def apply() -> bool:
    """Install the corrected columns_layout (once per process); True if it is in place."""
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
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
    namespace = dict(vars(column))
    exec(compile(source.replace(STOCK, FIXED), column.__file__, "exec"), namespace)
    column.columns_layout = block.columns_layout = namespace["columns_layout"]
    _applied = True
    return True


def stock():
    """WeasyPrint's own columns_layout (for the test that compares the two)."""
    import weasyprint.layout.column as column

    namespace = dict(vars(column))
    exec(compile(inspect.getsource(column), column.__file__, "exec"), namespace)
    return namespace["columns_layout"]
