"""Cutting the book's print HTML into parts (render/pdf/split.py): what is cut, what is refused."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.render.pdf.split import Part, split, supported, with_numbers

ROOT = Path(__file__).resolve().parents[4]
CSS = (ROOT / "assets" / "css" / "book.css").read_text(encoding="utf-8")


def html(css: str = CSS, chapters: int = 2) -> str:
    body = "".join(f'\n<article class="chapter" id="capitulo-c{n}">\n<p class="chapter-label" data-short-title="C{n}">'
                   f'Capítulo {n}</p>\n<h1 id="c{n}">Uno</h1><p><a class="xref" href="#c{3 - n}">otro</a> y '
                   f'<a href="#c{n}">este</a></p>\n</article>\n' for n in range(1, chapters + 1))
    return (f'<!DOCTYPE html>\n<html lang="es-MX">\n<head>\n<style>{css}</style>\n</head>\n<body>\n'
            f'<section class="cover"><h1 class="cover-title">Libro</h1></section>\n'
            f'<nav class="toc"><a href="#c1">1</a></nav>{body}</body>\n</html>\n')


def test_the_book_is_cut_into_front_matter_and_chapters():
    book = split(html())
    assert book is not None and len(book.chapters) == 2
    assert "target-counter" not in book.head and "attr(data-gb-page)" in book.head
    first = book.chapters[0]
    assert first.ids == {"capitulo-c1", "c1"} and first.targets == ("c1", "c2")
    assert first.printed == ("c2",)  # the plain link to "c1" prints no page number
    assert book.front.targets == ("c1",) and book.front.printed == ("c1",)
    body = book.body_html(0, {"c1": "5", "c2": "9"})
    assert 'data-gb-page="9" class="xref"' in body and "content: none !important" in body
    assert '<a href="#c1">este</a>' in body
    assert body.count("<article") == 1
    assert book.layers == ({"top-left", "top-right"}, {"bottom-left", "bottom-right"})
    heads = book.heads_html()  # each chapter: its first page, a left-hand and a right-hand page
    assert 'data-short-title="C2"' in heads and heads.count('class="cover-title"') == 1
    assert heads.count("break-before:page") == 4 and heads.count("break-before:right") == 2 and 'id="gb-head-1"' in heads
    assert "@bottom-left { content: none !important; }" in heads and "@top-left { content: none !important" not in heads
    folios = book.folios_html(1, 16)  # pages 129 to 144
    assert "counter-reset: page 129" in folios and folios.count("break-before:page") == 15
    assert "@top-left { content: none !important; }" in folios and "@bottom-left { content: none !important" not in folios
    assert "data-short-title=" not in folios


def test_the_style_sheet_of_the_book_is_supported():
    assert supported(CSS + (ROOT / "assets" / "css" / "book-large.css").read_text(encoding="utf-8"))


def test_what_runs_across_chapters_keeps_the_book_whole():
    """What a part alone cannot know makes the book be laid out whole, as before; so do running heads
    and folios that cannot be drawn in two layers (a box printing both a string and the page number, a
    box printing one on left-hand pages and the other on right-hand ones), and chapters that do not
    start on a right-hand page."""
    for extra in ("h2 { string-set: section content(); }", "figure { counter-increment: figura; }",
                  ".x { position: running(cabeza); }", "@page { @bottom-left { content: counter(pages); } }",
                  "a::after { content: target-text(attr(href url)); }", "@page :first { margin-top: 5cm; }",
                  "@page :left { @top-left { content: string(book-title) ' · ' counter(page); } }",
                  "@page :right { @top-left { content: counter(page); } }", ".chapter { break-before: page; }"):
        assert split(html(CSS + extra)) is None, extra
    assert split(html(chapters=0)) is None


def test_page_numbers_go_on_the_links_that_print_them_only():
    text = '<a href="#x">x</a> <a href="https://example.org/#x">y</a> <a class="xref" href="#y">z</a>'
    part = Part(text, frozenset(), ("x", "y"), ("x", "y"), frozenset({0, 1}))
    assert with_numbers(part, {"x": "3"}) == ('<a data-gb-page="3" href="#x">x</a> <a href="https://example.org/#x">y</a> '
                                              '<a data-gb-page="" class="xref" href="#y">z</a>')
    assert with_numbers(Part(text, frozenset(), ("x", "y"), ("y",), frozenset({1})), {"x": "3", "y": "4"}) == (
        '<a href="#x">x</a> <a href="https://example.org/#x">y</a> <a data-gb-page="4" class="xref" href="#y">z</a>')


def test_the_links_that_print_a_page_number_are_those_the_rules_match():
    """Found with the selectors of the rules that print target-counter(…, page), in @media too; a
    chapter whose links print none (footnotes, a plain link) does not depend on the page map."""
    css = (".chapter { break-before: right; }"
           "@media print { .resumen a.ver::after { content: target-counter(attr(href url), page); } }"
           ".toc a::after { content: target-counter(attr(href), page); } a[href^='#fn']::after { content: '*'; }")
    book = split(html(css).replace('<a href="#c1">este', '<span class="resumen"><a class="ver" href="#c1">este</a></span><a href="#fn1">1'))
    assert book.chapters[0].printed == ("c1",) and book.chapters[1].printed == ()  # a.xref prints nothing here
    assert book.chapters[0].numbered == frozenset({1}) and book.chapters[0].targets == ("c1", "c2", "fn1")
    none = split(html(".chapter { break-before: right; } h1 { font-size: 2em; }"))
    assert none is not None and none.chapters[0].printed == () and none.front.printed == ()


def test_a_style_sheet_it_cannot_read_through_numbers_every_link():
    """A linked or imported sheet, or such a rule in another at-rule: every link counts (as before)."""
    for head_extra in ('<link rel="stylesheet" href="otro.css">', "<style>@import 'otro.css';</style>",
                       "<style>@page { @bottom-center { content: target-counter(attr(href url), page); } }</style>"):
        book = split(html().replace("</head>", head_extra + "</head>"))
        if book is not None:
            assert book.chapters[0].printed == ("c1", "c2"), head_extra


def test_a_style_sheet_that_prints_on_blank_pages_keeps_the_book_whole():
    """The joined book's blank pages print nothing: a note at the foot of every page (a sample's) could
    not be printed on them, so such a book is laid out whole; the book's own sheet blanks them."""
    from pathlib import Path

    from guidebuilder.render.pdf.split import supported

    css = (Path(__file__).parents[4] / "assets" / "css" / "book.css").read_text(encoding="utf-8")
    assert supported(f"<style>{css}</style>")
    assert not supported(f'<style>{css}\n@page {{ @bottom-center {{ content: "MUESTRA"; }} }}</style>')
    assert supported(f'<style>{css}\n@page {{ @bottom-center {{ content: "x"; }} }}\n'
                     '@page :blank { @bottom-center { content: none; } }</style>')
