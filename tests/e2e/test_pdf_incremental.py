"""The book laid out chapter by chapter and joined (render/pdf/incremental.py, split.py, assemble.py).

A small book made like the real one (cover, contents, chapters from right-hand pages, running heads,
folios, footnote-free cross-references printing the target's page), laid out by WeasyPrint for real:
- joined, it prints what WeasyPrint prints for the whole document at once (every page's words, the
  outline, the named destinations), with one structure tree;
- a build that reuses the cache lays out only what changed (an edited chapter; after a length change,
  only the chapters printing a moved number: running heads and folios are the same pages) and gives
  the same bytes as a cold build of the same sources: an edit, a length change, a moved target, a style.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pypdf
import pytest

from guidebuilder.core.cache import Cache
from guidebuilder.render.base import InOrder
from guidebuilder.render.paged.weasy import Scope
from guidebuilder.render.pdf.incremental import lay_out_book

CSS = """
@page { size: A5; margin: 1.5cm; font-size: 8pt;
  @footnote { border-top: 0.5pt solid black; } }
@page :left { @top-left { content: string(book-title); } @bottom-left { content: counter(page); } }
@page :right { @top-right { content: string(chapter, first-except); } @bottom-right { content: counter(page); } }
@page :blank { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; }
  @bottom-right { content: none; } }
@page cover { @top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; }
  @bottom-right { content: none; } }
html { font-family: sans-serif; font-size: 10pt; }
.cover { page: cover; break-after: page; }
.cover-title { string-set: book-title content(); bookmark-level: none; }
.toc { page: cover; }
.toc a::after { content: " " target-counter(attr(href url), page); }
.chapter { break-before: right; }
.chapter-label { string-set: chapter attr(data-short-title); }
h1 { bookmark-level: 1; } h2 { bookmark-level: 2; }
a.xref::after { content: " (p. " target-counter(attr(href url), page) ")"; }
"""

PARA = ("Texto de relleno para ocupar la página con varias líneas de prueba, de modo que cada capítulo tenga "
        "el largo que pide la prueba y los números de página se muevan cuando crece. ")


def chapter(n: int, paragraphs: int, xrefs: tuple = ()) -> str:
    links = "".join(f'<p>Véase <a class="xref" href="#{target}">la sección</a>.</p>' for target in xrefs)
    if n == 2:  # a link that prints no page number: the chapter does not depend on where c3 is
        links += '<p>Como dice <a href="#c3">el capítulo 3</a>.</p>'
    body = "".join(f"<p>{PARA * 3}</p>" for _ in range(paragraphs))
    return (f'\n<article class="chapter" id="capitulo-c{n}">\n'
            f'<p class="chapter-label" data-short-title="Corto {n}">Capítulo {n}</p>\n'
            f'<h1 id="c{n}">Capítulo número {n}</h1>\n{links}<p>{PARA}</p>\n'
            f'<h2 id="c{n}-s">Sección del capítulo {n}</h2>\n{body}\n</article>\n')


def book(lengths=(3, 6, 2, 4), xrefs=None, css: str = CSS) -> str:
    xrefs = xrefs or {0: ("c4-s",), 2: ("c3-s", "c2")}
    toc = "".join(f'<li><a href="#c{n}">Capítulo {n}</a></li><li><a href="#c{n}-s">Sección {n}</a></li>'
                  for n in range(1, len(lengths) + 1))
    chapters = "".join(chapter(i + 1, length, xrefs.get(i, ())) for i, length in enumerate(lengths))
    return (f'<!DOCTYPE html>\n<html lang="es-MX">\n<head>\n<meta charset="utf-8">\n<title>Libro de prueba</title>\n'
            f'<style>{css}</style>\n</head>\n<body>\n<section class="cover"><h1 class="cover-title">Libro de prueba</h1>'
            f'</section>\n<nav class="toc"><h1 id="indice">Índice</h1><ol>{toc}</ol></nav>'
            f"{chapters}</body>\n</html>\n")


def build(tmp: Path, html: str, cache: Cache | None = None, parallel=None) -> tuple[bytes, dict]:
    stats: dict = {}
    cache = cache or Cache(tmp / f"cold-{abs(hash(html))}")
    laid = lay_out_book(Scope(tmp, ()), [html], cache, parallel or InOrder(), stats=stats)
    cache.flush()
    return laid[0].pdf, stats


def whole(html: str) -> bytes:
    """The same document laid out by WeasyPrint at once, as the book was before."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def words(pdf: bytes) -> list[list[str]]:
    return [sorted((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def outline(pdf: bytes) -> list:
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item)))
        return out

    return walk(reader.outline)


def dests(pdf: bytes) -> dict:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}


def links(pdf: bytes) -> list:
    """Each page's links: where they point (a named destination or an address)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [sorted(str(a.get("/Dest", a.get("/A", {}).get("/URI", ""))) for a in p.obj.get("/Annots", ()))
                for p in doc.pages]


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf-parts")
    html = book()
    pdf, stats = build(tmp, html)
    return tmp, html, pdf, stats


def test_joined_book_prints_what_the_whole_layout_prints(cold):
    _, html, pdf, stats = cold
    reference = whole(html)
    assert words(pdf) == words(reference)  # folios, running heads, contents and cross-reference numbers
    assert outline(pdf) == outline(reference)
    assert dests(pdf) == dests(reference)
    assert links(pdf) == links(reference)
    assert stats["body"] >= 4 and stats["rounds"] >= 2  # a cold build learns the page map in a second round
    assert stats["probe"] == 3  # only the parts that print page numbers: the contents, chapters 1 and 3


def test_one_structure_tree(cold):
    _, _, pdf, _ = cold
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.StructTreeRoot
        assert len(root.K) == 1 and root.K[0].S == "/Document"
        document = root.K[0]
        assert all(element.P.objgen == document.objgen for element in document.K)
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys))
        marked = [p for p in doc.pages if "/StructParents" in p.obj]
        assert sorted(int(p.obj.StructParents) for p in marked) == list(range(len(marked)))
        pages = {p.obj.objgen for p in doc.pages}
        for i in range(1, len(nums), 2):  # every page's elements and every link's element point into the book
            value = nums[i]
            for element in (value if isinstance(value, pikepdf.Array) else [value]):
                assert element.Pg.objgen in pages
        links = [a for p in doc.pages for a in p.obj.get("/Annots", ())]
        assert links and all("/StructParent" in a for a in links)
        assert str(doc.Root.Lang) == "es-MX" and doc.Root.MarkInfo.Marked


def test_pdfua_checker_finds_no_error(cold, tmp_path):
    pdfua = pytest.importorskip("pdfua")
    path = tmp_path / "book.pdf"
    path.write_bytes(cold[2])
    errors = [f for f in pdfua.validate(str(path)).findings if f.severity.name == "ERROR"]
    assert not errors, [(f.rule_id, f.message) for f in errors]


@pytest.mark.parametrize("change", ["length", "target", "style"])  # an edit: the guide test below
def test_reusing_build_equals_cold_build(cold, tmp_path, change):
    tmp, html, _, _ = cold
    warm = Cache(tmp_path / "warm")
    build(tmp_path, html, warm)  # the build before the change
    if change == "length":  # the first chapter grows by pages: every later chapter starts further on
        edited = book(lengths=(9, 6, 2, 4))
    elif change == "target":  # the section the first chapter points at moves to another page
        edited = book(lengths=(3, 6, 2, 8))
    else:
        edited = html.replace("font-size: 10pt;", "font-size: 10.5pt;")
    pdf, stats = build(tmp_path, edited, warm)
    assert pdf == build(tmp_path / "cold", edited)[0]
    if change == "length":
        # chapters 2 and 4 print no number and only moved: not laid out again, nor their running heads and
        # folios (the same pages as before, elsewhere in the book); the first twice (its length, then the
        # number it prints), the third once (the numbers it prints moved)
        assert stats["body"] <= 3 and stats["furniture"] == 0
    elif change == "target":
        assert stats["body"] <= 3


def test_parallel_build_equals_one_process_build(cold, tmp_path):
    from guidebuilder.builder.parallel import Parallel

    cache = Cache(tmp_path / "par")
    assert build(tmp_path, cold[1], cache, Parallel(cache, jobs=2))[0] == cold[2]


def test_guide_edit_rebuilds_the_same_pdf_as_a_cold_build(tmp_path, capfd, monkeypatch):
    """The mini guide through the build: after a chapter edit, the PDFs a build makes from its cache
    (laying out the edited chapter alone) are those a build without a cache makes."""
    import shutil

    from conftest import FIXTURES

    from guidebuilder.builder.orchestrator import build as build_guide

    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    yml = guide / "guide.yml"  # the book alone (the large print is joined by the same code)
    yml.write_text(yml.read_text(encoding="utf-8").replace("page_size: letter", "page_size: letter\n    large_print: false"),
                   encoding="utf-8")
    monkeypatch.setenv("GUIDEBUILDER_PDF_DEBUG", "1")
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    build_guide(guide, warm, ["pdf"])
    chapter = guide / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\nUn párrafo nuevo al final del capítulo.\n",
                       encoding="utf-8")
    capfd.readouterr()
    for out, use_cache in ((warm, True), (cold, False)):
        build_guide(guide, out, ["pdf"], use_cache=use_cache)
        stats = json.loads(capfd.readouterr().err.split("pdf parts: ", 1)[1].splitlines()[0])
        assert stats["whole"] == 0  # the book took the per-part path
        if out == warm:  # the edited chapter alone laid out again, once (the numbers it prints did not move)
            assert stats["body"] == 1 and stats["rounds"] == 1, stats
    names = sorted(p.name for p in (cold / "pdf").glob("*.pdf"))
    assert names == ["guia-transparencia-proactiva.pdf"]
    for name in names:
        assert (warm / "pdf" / name).read_bytes() == (cold / "pdf" / name).read_bytes(), name
