"""The PDF book and its large-print edition, inspected as built (WeasyPrint, pypdf, pikepdf, pdffonts)."""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from conftest import FIXTURES, run_cli

SLUG = "guia-transparencia-proactiva"
CHAPTERS = ["Presentación y cómo usar esta guía", "¿Qué es la transparencia proactiva?",
            "Canales para llegar a la gente", "Buenas prácticas"]
OUR_FONTS = ("Atkinson-Hyperlegible", "Source-Serif-4", "Noto-Sans-Symbols-2", "Noto-Sans-Math", "Atkinson-Cifras", "DejaVu-Sans")
LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80">
<rect x="0" y="0" width="80" height="80" fill="#1f4e79"/><circle cx="160" cy="40" r="36" fill="#b5651d"/></svg>
"""


def _build(base: Path, edit=None, out_name: str = "build") -> Path:
    guide = base / "guide"
    if not guide.exists():
        shutil.copytree(FIXTURES / "mini", guide)
        if edit:
            edit(guide)
    out = base / out_name
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "pdf", "-q")
    assert result.returncode == 0, result.stderr
    return out / "pdf"


def _with_logo(guide: Path) -> None:
    """A fixture logo, and a longer first chapter (so that it has right-hand pages with running heads)."""
    chapter = guide / "chapters" / "presentacion.md"
    filler = "\n\n".join(f"Párrafo de relleno número {n} de la guía de prueba: sirve para que el capítulo "
                          "ocupe varias páginas y se vean las cabeceras con el título corto del capítulo."
                          for n in range(1, 31))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Relleno de prueba\n\n" + filler + "\n",
                       encoding="utf-8")
    logos = guide / "assets" / "images" / "logos"
    logos.mkdir(parents=True)
    (logos / "01-coalicion-de-prueba.svg").write_text(LOGO_SVG, encoding="utf-8")
    (logos / "01-coalicion-de-prueba.txt").write_text("Coalición de prueba\n", encoding="utf-8")


def _a4_without_large_print(guide: Path) -> None:
    yml = guide / "guide.yml"
    text = yml.read_text(encoding="utf-8")
    assert "page_size: letter" in text
    yml.write_text(text.replace("page_size: letter", "page_size: a4\n    large_print: false"), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The mini guide (with a fixture logo) built once as PDF: Letter, with the large-print edition."""
    return _build(tmp_path_factory.mktemp("pdf-book"), _with_logo)


@pytest.fixture(scope="module")
def a4_twice(tmp_path_factory) -> tuple[Path, Path]:
    """The mini guide as A4 without large print, built twice into two folders (no shared cache)."""
    base = tmp_path_factory.mktemp("pdf-a4")
    return _build(base, _a4_without_large_print, "one"), _build(base, None, "two")


def _texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def _flat(text: str) -> str:
    return " ".join(text.replace("-\n", "").split())


def _chapter_pages(texts: list[str]) -> list[int]:
    """1-based page where each chapter opens: the page with its 'CAPÍTULO n' label (after the contents)."""
    toc = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Índice"))
    pages = []
    for n in range(1, len(CHAPTERS) + 1):
        pages.append(next(i + 1 for i, t in enumerate(texts) if i > toc and f"CAPÍTULO {n}" in t))
    return pages


def test_book_and_large_print_exist_with_sensible_page_counts(built):
    book, large = built / f"{SLUG}.pdf", built / f"{SLUG}-letra-grande.pdf"
    assert sorted(p.name for p in built.iterdir()) == sorted([book.name, large.name])
    n_book, n_large = len(pypdf.PdfReader(book).pages), len(pypdf.PdfReader(large).pages)
    assert 9 <= n_book <= 16, n_book
    assert n_book <= n_large <= 30, (n_book, n_large)


def test_chapters_open_on_right_hand_pages_and_bookmarks_follow_them(built):
    book = built / f"{SLUG}.pdf"
    reader = pypdf.PdfReader(book)
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in top] == ["Índice", *CHAPTERS]
    starts = _chapter_pages(_texts(book))
    assert [reader.get_destination_page_number(o) + 1 for o in top[1:]] == starts
    assert all(page % 2 == 1 for page in starts), starts  # odd pages are right-hand pages
    children = reader.outline[2]  # headings under chapter 1
    assert isinstance(children, list) and children[0].title == "Cómo se hizo"


def test_table_of_contents_page_numbers_are_the_pages_where_chapters_start(built):
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        texts = _texts(built / name)
        toc = next(t for t in texts if t.lstrip().startswith("Índice"))
        listed = {}
        for line in toc.splitlines():
            # the chapter's label ("CAPÍTULO 1", "ANEXO A") runs in on the title's line
            line = re.sub(r"^(?:CAPÍTULO|ANEXO)\s+\w+\s+", "", line.strip(), flags=re.I)
            m = re.match(r"^(.*?)[\s.…]*?(\d+)\s*$", line)
            if m and m.group(1).strip(" .") in CHAPTERS:
                listed[m.group(1).strip(" .")] = int(m.group(2))
        assert list(listed) == CHAPTERS, toc
        assert list(listed.values()) == _chapter_pages(texts), (name, listed)


def test_every_font_is_ours_embedded_and_subset(built):
    for pdf in sorted(built.glob("*.pdf")):
        out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, out
        for row in rows:
            name, cols = row.split()[0], row.split()
            emb, sub = cols[-5], cols[-4]
            assert (emb, sub) == ("yes", "yes"), row
            assert re.match(r"^[A-Z]{6}\+", name), row
            assert name.split("+", 1)[1].startswith(OUR_FONTS), f"{pdf.name}: a font not from assets/fonts: {row}"
        with pikepdf.open(pdf) as doc:
            faces: dict = {}
            for page in doc.pages:
                for font in page.Resources.get("/Font", {}).values():
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
                    faces.setdefault(str(font.BaseFont), set()).add(font.objgen)
            # the book is laid out in parts and joined: still one font (and one embedded subset) per face
            assert all(len(fonts) == 1 for fonts in faces.values()), f"{pdf.name}: {faces}"
            assert len(rows) == len(faces), f"{pdf.name}: a face embedded more than once\n{out}"


def test_tagged_pdf_ua_with_language_metadata_and_alt_texts(built):
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        with pikepdf.open(built / name) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.Root.Lang) == "es-MX"
            assert bool(pdf.Root.MarkInfo.Marked)
            meta = pdf.open_metadata()
            assert meta.get("pdfuaid:part") == "1"
            assert str(pdf.docinfo["/Title"]).startswith("Guía de Transparencia Proactiva")
            assert str(pdf.docinfo["/Author"]) == "Coalición Nuevo León Abierto"
            figures = []

            def walk(node, depth=0):
                if depth > 60:
                    return
                if isinstance(node, pikepdf.Dictionary):
                    if node.get("/S") == "/Figure":
                        figures.append(str(node.get("/Alt", "")))
                    kids = node.get("/K")
                    if isinstance(kids, pikepdf.Array):
                        for kid in kids:
                            walk(kid, depth + 1)
                    elif isinstance(kids, pikepdf.Dictionary):
                        walk(kids, depth + 1)

            walk(pdf.Root.StructTreeRoot)
            assert figures, "no Figure in the structure tree"
            assert all(alt.strip() for alt in figures), figures
            # alt text a reader can use: a sentence, not a file name or a placeholder
            assert all(len(alt) >= 12 and not re.search(r"\.(svg|png|jpe?g)\b|^(imagen|image|figura)$", alt, re.I)
                       for alt in figures), figures
            assert "Logotipo: Coalición de prueba" in figures
            assert any(alt.startswith("Gráfica de barras") for alt in figures)


def _elements(root) -> list:
    """The structure elements in reading order (depth first, as a screen reader walks them)."""
    out, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        seen.add(node.objgen)
        if "/S" in node:
            out.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return out


def test_structure_tree_reads_in_page_order_with_nested_headings_notes_scopes_and_no_orphan_content(built):
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        with pikepdf.open(built / name) as pdf:
            pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
            elements = _elements(pdf.Root.StructTreeRoot)
            kinds = [str(e.S) for e in elements]
            # Reading order: what the tree reads first is on an earlier page (or the same one).
            shown = [pages[e.Pg.objgen] for e in elements if "/Pg" in e and str(e.S) in ("/P", "/H1", "/H2", "/H3")]
            assert shown == sorted(shown), f"{name}: the structure tree does not follow the pages"
            levels = [int(k[2]) for k in kinds if re.fullmatch(r"/H[1-6]", k)]
            assert levels and all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{name}: a heading skips a level"
            notes = [e for e in elements if e.S == "/Note"]
            assert notes and all("/ID" in e for e in notes), f"{name}: footnotes are not Notes with an ID"
            assert "Esta nota al pie es parte de la guía de prueba" not in "".join(kinds)
            headers = [e for e in elements if e.S == "/TH"]
            assert headers and all(e.A.Scope in ("/Column", "/Row") for e in headers), f"{name}: a TH has no Scope"
            reached = {e.objgen for e in elements}
            for mapping in list(pdf.Root.StructTreeRoot.ParentTree.Nums)[1::2]:
                if isinstance(mapping, pikepdf.Array):
                    assert all(m is None or m.objgen in reached for m in mapping), \
                        f"{name}: marked content outside the structure tree (a running head not an artifact?)"
            streams = b"".join(part.read_bytes() for page in pdf.pages[4:8]  # one stream, or several (joined parts)
                              for part in (page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]))
            assert b"/Artifact\n<</Type /Pagination>>" in streams, f"{name}: running heads are not artifacts"
            links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
            assert any("/Dest" in a and "nota-" in str(a.Dest) for a in links) or any(
                "/A" in a and "nota-" in str(a.A.get("/D", "")) for a in links), f"{name}: calls do not link to notes"
            # every note is printed on the page of its call (WeasyPrint would move one to the next page)
            dests, calls = pikepdf.NameTree(pdf.Root.Names.Dests), 0
            for n, page in enumerate(pdf.pages):
                for a in page.get("/Annots", []):
                    target = str(a.A.get("/D", "")) if "/A" in a else str(a.get("/Dest", ""))
                    if target.startswith("nota-") and target in dests:
                        calls += 1
                        assert pages[dests[target][0].objgen] == n, f"{name}: note {target} not on its call's page"
            assert calls, f"{name}: no note call found"


def test_the_independent_pdf_ua_checker_finds_nothing(built):
    from pdfua import Severity, validate

    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        report = validate(str(built / name))
        serious = [f"{f.rule_id}: {f.message}" for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
        assert not serious, f"{name}: {serious[:5]}"


def test_book_lines_hold_60_to_75_characters(built):
    import statistics

    import pypdfium2

    from guidebuilder.checks.layout_pdf import read_pages

    # the book: 11 pt on a 13 cm measure; the large print: 18 pt on 17.6 cm (its lines that fill the
    # measure hold about 61 characters; 60 to 75 at 18 pt would want side margins under 1.4 cm)
    for name, size, low, high in ((f"{SLUG}.pdf", 11, 60, 78), (f"{SLUG}-letra-grande.pdf", 18, 58, 70)):
        pages = read_pages(pypdfium2.PdfDocument(built / name))
        body = [line for page in pages for line in page.lines if abs(line.size - size) < 0.2 and "..." not in line.text]
        widest = max(line.x1 - line.x0 for line in body)
        full = [len(line.text.strip()) for line in body if line.x1 - line.x0 > 0.95 * widest]
        assert len(full) > 20
        assert low <= statistics.median(full) <= 75 and max(full) <= high, (name, statistics.median(full), max(full))


def test_cover_colophon_and_known_sentence_on_its_page(built):
    texts = _texts(built / f"{SLUG}.pdf")
    cover, colophon = _flat(texts[0]), _flat(texts[1])
    assert "Guía de Transparencia Proactiva" in cover and "22 de noviembre de 2026" in cover
    assert "Municipio de Monterrey" in cover and "Borrador para revisión" in cover
    assert "CC BY 4.0" in colophon and "Cómo citar esta guía" in colophon
    assert "Coalición Nuevo León Abierto (2026). Guía de Transparencia Proactiva" in colophon
    start = _chapter_pages(texts)[1]
    sentence = "La transparencia proactiva es publicar información útil además de la que la ley obliga"
    assert sentence in _flat(texts[start - 1])
    assert all(sentence not in _flat(t) for i, t in enumerate(texts) if i != start - 1)


def test_footnote_sits_at_the_foot_of_its_page_and_no_endnotes(built):
    note = "Esta nota al pie es parte de la guía de prueba."
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        reader = pypdf.PdfReader(built / name)
        found = []
        for number, page in enumerate(reader.pages, 1):
            height = float(page.mediabox.height)

            def visit(text, cm, tm, font, size, number=number, height=height):
                if "nota al pie es parte" in text:
                    found.append((number, tm[5] * cm[3] + cm[5], height))

            page.extract_text(visitor_text=visit)
        assert len(found) == 1, (name, found)
        number, y, height = found[0]
        assert y < height * 0.25, f"{name}: the footnote is not in the lower quarter of its page"
        page_text = _flat(reader.pages[number - 1].extract_text())
        assert "Canales digitales (p." in page_text and note in page_text, f"{name}: call and note on different pages"
        assert "↩" not in "".join(_texts(built / name))


def test_cross_reference_prints_the_target_page(built):
    book = built / f"{SLUG}.pdf"
    texts = _texts(book)
    refs = [int(m) for t in texts for m in re.findall(r"Canales digitales \(p\.\s*(\d+)\)", _flat(t))]
    assert refs, "no printed page reference"
    with pikepdf.open(book) as pdf:
        dests = pikepdf.NameTree(pdf.Root.Names.Dests)
        target = dests["canales-digitales"]
        page_index = [p.objgen for p in pdf.pages].index(target[0].objgen)
    assert refs == [page_index + 1]


def test_task_list_keeps_its_symbols_and_makes_no_form_fields(built):
    text = "".join(_texts(built / f"{SLUG}.pdf"))
    assert "☐" in text and "☒" in text and "→" in text and "≥" in text
    with pikepdf.open(built / f"{SLUG}.pdf") as pdf:
        assert "/AcroForm" not in pdf.Root


def test_figures_and_tables_are_numbered_and_chart_is_vector(built):
    book = built / f"{SLUG}.pdf"
    text = _flat(" ".join(_texts(book)))
    # Figura 3.1: an image kept beside its chapter (guide/chapters/figuras/), not in guide/images/
    for label in ("Tabla 1.1.", "Figura 2.1. Uso de internet en 2024", "Tabla 3.1. Canales digitales",
                  "Figura 3.1. Esquema:"):
        assert label in text
    with pikepdf.open(book) as pdf:
        images = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()
                  if x.get("/Subtype") == "/Image"]
        assert not images, "the chart (and the SVG logo) should be vector drawings, not raster images"


def test_no_word_is_cut_at_a_line_end(built):
    """Ragged right without hyphenation (book.css): no word of the text is split over two lines."""
    source = " ".join(p.read_text(encoding="utf-8") for p in (FIXTURES / "mini" / "chapters").glob("*.md"))
    words = set(re.findall(r"\w+", source))
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        texts = _texts(built / name)
        broken = [a + b for t in texts for a, b in re.findall(r"(\w+)-\n(\w+)", t) if a + b in words]
        assert not broken, f"{name}: {broken[:5]}"


def test_large_print_body_is_at_least_16_pt_and_book_body_smaller(built):
    def body_size(path: Path) -> float:
        sizes: collections.Counter = collections.Counter()
        reader = pypdf.PdfReader(path)
        starts = _chapter_pages(_texts(path))
        for page in reader.pages[starts[0] - 1:]:
            def visit(text, cm, tm, font, size):
                if text.strip():
                    scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                    sizes[round(size * scale, 1)] += len(text.strip())

            page.extract_text(visitor_text=visit)
        return sizes.most_common(1)[0][0]

    assert body_size(built / f"{SLUG}-letra-grande.pdf") >= 16
    assert body_size(built / f"{SLUG}.pdf") < 12


def test_page_size_from_guide_yml_and_large_print_toggle(built, a4_twice):
    letter = pypdf.PdfReader(built / f"{SLUG}.pdf").pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    one, _ = a4_twice
    assert sorted(p.name for p in one.iterdir()) == [f"{SLUG}.pdf"]
    a4 = pypdf.PdfReader(one / f"{SLUG}.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_two_builds_are_byte_identical(a4_twice):
    one, two = a4_twice
    assert (one / f"{SLUG}.pdf").read_bytes() == (two / f"{SLUG}.pdf").read_bytes()


def test_a_broken_logo_is_a_clear_error_and_nothing_is_written(tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    logos = guide / "assets" / "images" / "logos"
    logos.mkdir(parents=True)
    (logos / "escudo.png").write_bytes(b"not a picture")
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "pdf", "-q")
    assert result.returncode != 0
    assert "escudo.png" in result.stderr and "logo" in result.stderr and "Traceback" not in result.stderr
    assert not (out / "pdf").exists()


def test_running_heads_and_blank_pages(built):
    short = ["Presentación", *CHAPTERS[1:]]  # presentacion.md has short_title: Presentación
    right_heads = 0
    for name in (f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf"):
        texts = _texts(built / name)
        starts = _chapter_pages(texts)
        for number, text in enumerate(texts, 1):
            if number < starts[0]:
                continue
            chapter = max(i for i, start in enumerate(starts) if start <= number)
            lines = _lines(text)
            if not text.strip():
                assert number % 2 == 0 and number + 1 in starts, f"{name}: blank page {number} is not before a chapter"
            elif number in starts:
                assert "Guía de Transparencia Proactiva" not in lines
                assert _flat(text).count(CHAPTERS[chapter]) == 1, (name, number)
            elif number % 2 == 0:
                assert "Guía de Transparencia Proactiva" in lines, (name, number, text[:80])
            else:
                assert short[chapter] in lines, (name, number, text[:80])
                right_heads += 1
    assert right_heads, "no right-hand page with a running head was checked"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def test_runs_of_catalogue_cards_are_grouped_for_two_columns():
    """print_blocks puts each run of practice/channel cards (not other blocks) in one div.gb-cards."""
    from guidebuilder.pandoc import ast as A
    from guidebuilder.render.pdf.book import print_blocks

    card = lambda kind, n: A.div([A.para(f"{kind} {n}")], [kind])  # noqa: E731
    blocks = [A.para("intro"), card("gb-practice", 1), card("gb-practice", 2), A.para("between"),
              A.div([card("gb-channel", 1)], ["section"])]
    out = print_blocks(blocks)
    assert [b["t"] for b in out] == ["Para", "Div", "Para", "Div"]
    assert out[1]["c"][0][1] == ["gb-cards"] and len(out[1]["c"][1]) == 2
    inner = out[3]["c"][1]
    assert len(inner) == 1 and inner[0]["c"][0][1] == ["gb-cards"]
