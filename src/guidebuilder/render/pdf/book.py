"""The PDF book through WeasyPrint: a print edition and a large-print edition, both PDF/UA-1.

The book is one HTML document (assets/templates/pdf/book.html) laid out by WeasyPrint with
assets/css/book.css (plus book-large.css for the large-print edition). Before the chapters are turned
into HTML, their pandoc AST is adapted to print: footnotes become inline spans that CSS floats to the
foot of the page, links to anchors of the book get a class so that CSS prints the target's page, task
lists keep their check boxes, and (large print only) wide tables become stacked rows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import to_html
from guidebuilder.build.cache import Cache, digest
from guidebuilder.model.errors import Collector, Diagnostic, GuideError, ToolError
from guidebuilder.model.guide import Guide
from guidebuilder.build.output import write_bytes
from guidebuilder.render.templating import environment
from guidebuilder.pandoc.tools import time_limit
from guidebuilder.render.base import RenderContext

# (CSS family name, folder under assets/fonts/): every face the book may use. Files are named as in
# @fontsource: <folder>-<subset>-<weight>-<style>.woff2. Fallback families come last in font-family.
BOOK_FONTS = (
    ("Atkinson Hyperlegible", "atkinson-hyperlegible"),
    ("Source Serif 4", "source-serif-4"),
    ("Noto Sans Symbols 2", "noto-sans-symbols-2"),
    ("Noto Sans Math", "noto-sans-math"),
)
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")


# ---------------------------------------------------------------- the chapters' AST for print

def _note_inlines(blocks: list) -> list:
    """A footnote's blocks as one run of inlines (paragraphs separated by a space)."""
    out: list = []
    for block in blocks:
        if out:
            out.append({"t": "Space"})
        if block.get("t") in ("Para", "Plain"):
            out.extend(block["c"])
        elif block.get("t") == "LineBlock":
            for line in block["c"]:
                out.extend(line + [{"t": "Space"}])
        else:
            out.extend(A.inlines(A.stringify(block)))
    return out


CHECK_BOXES = ("☐", "☒", "☑")


def _task_list(node: dict) -> dict | None:
    """A task list keeps its check boxes as characters (pandoc's HTML would make form fields of them)."""
    def boxed(item: list) -> bool:
        first = item[0] if item else {}
        return first.get("t") in ("Plain", "Para") and bool(first["c"]) and first["c"][0].get("t") == "Str" \
            and first["c"][0]["c"] in CHECK_BOXES

    items = node["c"]
    if not items or not all(boxed(item) for item in items):
        return None
    new_items = []
    for item in items:
        first = item[0]
        box = A.span([first["c"][0]], ["gb-check"])
        new_items.append([{"t": first["t"], "c": [box, *first["c"][1:]]}, *item[1:]])
    return A.div([{"t": "BulletList", "c": new_items}], ["task-list"])


UNITS = ("%", "pt", "km", "m", "kg", "MXN")


def _keep_units(inlines: list) -> list:
    """A number and its unit stay on one line: '83.1 %' gets a no-break space."""
    out = list(inlines)
    for i in range(1, len(out) - 1):
        if out[i] == {"t": "Space"} and out[i - 1].get("t") == "Str" and out[i + 1].get("t") == "Str" \
                and out[i + 1]["c"].rstrip(".,;:)") in UNITS and out[i - 1]["c"][-1:].isdigit():
            out[i] = {"t": "Str", "c": "\u00a0"}
    return out


def _cell_inlines(blocks: list) -> list:
    out: list = []
    for block in blocks:
        if out:
            out.append({"t": "Space"})
        out.extend(block["c"] if block.get("t") in ("Plain", "Para") else A.inlines(A.stringify(block)))
    return out


def _table_as_cards(node: dict) -> dict | None:
    """For large print: a table of four or more columns as one block per row ('Column: value' lines).

    At 16 pt and more, wide tables leave a word or two per line; rows stacked as blocks read better.
    Tables with merged cells or several header rows stay tables.
    """
    ident, caption, colspecs, head, bodies, _foot = node["c"]
    head_rows = head[1]
    if len(colspecs) < 4 or len(head_rows) != 1:
        return None
    rows = [row for body in bodies for row in body[3]]
    if any(cell[2] != 1 or cell[3] != 1 for row in [*head_rows, *rows] for cell in row[1]):
        return None
    labels = [A.stringify(cell[4]).strip() for cell in head_rows[0][1]]
    out: list = []
    if caption[1]:
        out.append(A.div([A.para(*_cell_inlines(caption[1]))], ["gb-table-caption"]))
    for row in rows:
        lines = []
        for label, cell in zip(labels, row[1]):
            inlines = _cell_inlines(cell[4])
            if inlines:
                lines.append(A.para(*([A.strong(f"{label}:"), {"t": "Space"}] if label else []), *inlines))
        out.append(A.div(lines, ["gb-table-row"]))
    return A.div(out, ["gb-table-cards"], ident=ident[0])


def print_blocks(blocks: list | tuple, large: bool = False) -> list:
    """Adapt a chapter's blocks to the printed page: footnotes, cross-references, task lists
    (and, for large print, wide tables as stacked rows)."""
    def fix(node: dict):
        if large and node["t"] == "Table":
            return _table_as_cards(node)
        if node["t"] in ("Para", "Plain"):
            node["c"] = _keep_units(node["c"])
            return None
        if node["t"] == "BulletList":
            return _task_list(node)
        if node["t"] == "Note":
            return A.span(_note_inlines(node["c"]), ["footnote"])
        if node["t"] == "Link":
            ident, classes, kv = node["c"][0]
            url = node["c"][2][0]
            if url.startswith("#") and len(url) > 1:
                node["c"][0] = [ident, [*classes, "xref"], kv]
            elif url.startswith(("http://", "https://")) and A.stringify(node["c"][1]).strip() != url:
                node["c"][0] = [ident, [*classes, "url"], kv]
        return None

    return _group_cards(A.walk(list(blocks), fix))


CARD_CLASSES = ("gb-practice", "gb-channel")


def _group_cards(blocks: list) -> list:
    """Runs of practice or channel cards go in one div.gb-cards, which the book sets in two columns."""
    out: list = []
    run: list = []
    for block in blocks:
        if block.get("t") == "Div":
            block["c"][1] = _group_cards(block["c"][1])
            if any(c in CARD_CLASSES for c in block["c"][0][1]):
                run.append(block)
                continue
        if run:
            out.append(A.div(run, ["gb-cards"]))
            run = []
        out.append(block)
    if run:
        out.append(A.div(run, ["gb-cards"]))
    return out


DEFINITION_LIST = re.compile(r"<dl\b[^>]*>(.*?)</dl>", re.S)
DEFINITION = re.compile(r"<dt\b.*?</dt>\s*(?:<dd\b.*?</dd>\s*)+", re.S)


def group_definitions(html: str) -> str:
    """Each term of a definition list and its definitions in one div.gb-entry (valid HTML in a dl).

    The book keeps an entry whole (CSS), and sets the glossary in two columns: with the entries as the
    columns' children, WeasyPrint balances them in a few tries, not one per pixel. Lists that hold
    another list are left alone.
    """
    def wrap(m: re.Match) -> str:
        body = m.group(1)
        if "<dl" in body:
            return m.group(0)
        grouped = DEFINITION.sub(lambda d: f'<div class="gb-entry">{d.group(0).rstrip()}</div>\n', body)
        return m.group(0)[: m.start(1) - m.start(0)] + grouped + "</dl>"

    return DEFINITION_LIST.sub(wrap, html)


def chapter_label(guide: Guide, chapter) -> str:
    if chapter.appendix:
        letter = chr(ord("A") + sum(1 for c in guide.chapters[: chapter.index] if c.appendix))
        return f"Anexo {letter}"
    return f"Capítulo {chapter.number}"


def toc_entries(guide: Guide) -> list[dict]:
    """Chapters and their second-level headings (not the catalogue cards) for the table of contents."""
    entries = []
    for chapter in guide.chapters:
        entries.append({"level": 1, "id": chapter.id, "title": chapter.title, "label": chapter_label(guide, chapter)})
        for block in chapter.blocks:
            if block.get("t") == "Header" and block["c"][0] == 2 and block["c"][1][0] \
                    and "unlisted" not in block["c"][1][1]:
                entries.append({"level": 2, "id": block["c"][1][0], "title": A.stringify(block["c"][2]), "label": ""})
    return entries


# ---------------------------------------------------------------- front and back matter

def logos(guide: Guide) -> list[dict]:
    """Logos the editors placed in assets/images/logos/ (the guide's own folder first), by file name.

    The alt text is the text of a sibling <name>.txt file, or else the file name made readable
    (a leading number, used to order the logos, is dropped).
    """
    from guidebuilder.transforms.pipeline import image_problem

    folder = guide.asset("images", "logos")
    if folder is None or not folder.is_dir():
        return []
    out, problems = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in LOGO_TYPES):
        problem = image_problem(path)
        if problem:
            problems.append(Diagnostic(file=Collector(root=guide.root).rel(path), message=f"logo {problem}",
                                       hint="replace it with a PNG, JPEG or SVG image, or remove it from the logos folder"))
            continue
        alt_file = path.with_suffix(".txt")
        if alt_file.is_file():
            alt = " ".join(alt_file.read_text(encoding="utf-8").split())
        else:
            alt = re.sub(r"^\d+[-_ ]*", "", path.stem).replace("-", " ").replace("_", " ").strip()
        out.append({"src": path.resolve().as_uri(), "alt": f"Logotipo: {alt}" if alt else "Logotipo"})
    if problems:
        raise GuideError(problems)
    return out


def citation(config) -> str:
    """How to cite the guide: guide.yml cite_as, or one made from the guide's data."""
    if config.cite_as:
        return config.cite_as
    who = "; ".join(config.authors) if config.authors else config.publisher
    parts = [f"{who} ({config.date.year}).", f"{config.title}" + (f": {config.subtitle}." if config.subtitle else "."),
             f"{config.edition}."]
    if config.authors:
        parts.append(f"{config.publisher}.")
    if config.url:
        parts.append(config.url)
    return " ".join(parts)


# ---------------------------------------------------------------- HTML and PDF

def print_body(chapter, large: bool, cache: Cache) -> str:
    """A chapter's HTML for print, cached by its AST (and the code that makes it)."""
    import json

    from guidebuilder.build.cache import source_digest
    from guidebuilder.pandoc.tools import pandoc_version

    key = digest("print-body", source_digest("render/pdf/book.py", "pandoc/convert.py"), pandoc_version(), large,
                 json.dumps(chapter.blocks, ensure_ascii=False, separators=(",", ":")))
    return cache.bytes("print-body", key, lambda: group_definitions(
        to_html(print_blocks(chapter.blocks, large), cache)).encode()).decode()


def print_html(guide: Guide, ctx: RenderContext, template: str = "pdf/book.html", **extra) -> str:
    """The whole book as one HTML document for WeasyPrint."""
    env = environment(guide)
    extra.setdefault("large", False)
    chapters = [{"chapter": c, "label": chapter_label(guide, c), "body": Markup(print_body(c, extra["large"], ctx.cache))}
                for c in guide.chapters]
    return env.get_template(template).render(
        guide=guide, config=guide.config, chapters=chapters, toc=toc_entries(guide), logos=logos(guide),
        citation=citation(guide.config), **extra)


def write_pdf(guide: Guide, html: str, variant: str | None = "pdf/ua-1", cache: Cache | None = None) -> bytes:
    """Lay out HTML with WeasyPrint into PDF bytes, resolving files against the guide's folders.

    The layout is cached by its HTML and every file it can load, so an edit that does not
    change a document never lays it out again.
    """
    from guidebuilder.build.cache import active

    return lay_out_all(guide, [html], cache if cache is not None else active(), variant)[0]


def lay_out_all(guide: Guide, documents: list, cache: Cache, variant: str | None = "pdf/ua-1") -> list[bytes]:
    """Lay out several documents (the book and its large print), side by side when there are cores.

    A document is its HTML, or a function that makes it: a layout starts in a worker process as soon
    as its HTML is made, while the next document's HTML is made. The first document (the book, the
    longest layout of a build) keeps its worker's priority; the others run at a lower one, so they
    take the cores the book leaves. Each layout is cached by its HTML and every file it can load,
    with the text of its pages (for the personal-data scan). Results and errors come in document order.
    """
    from guidebuilder.build.cache import cores, fork_pool, layout_key
    from guidebuilder.checks.privacy import remember_findings

    results: list = [None] * len(documents)
    keys: list = [None] * len(documents)
    futures: dict = {}
    pool = None
    try:
        for i, document in enumerate(documents):
            html = document() if callable(document) else document
            keys[i] = layout_key("pdf", html, guide.root, guide.asset_dirs, guide.generated, variant)
            pdf = cache.get_bytes("layout", keys[i])
            if pdf is not None:
                recall_text(cache, pdf)
                results[i] = pdf
            elif len(documents) > 1 and cores() > 1:
                if pool is None:
                    load_weasyprint()
                    pool = fork_pool(min(len(documents), cores()), guide=guide, cache=cache)
                futures[i] = pool.submit(_layout_in_worker, LATER_LAYOUTS_NICENESS if i else 0, html, variant)
            else:
                futures[i] = _layout(guide, html, variant, cache)
        for i in sorted(futures):
            done = futures[i]
            if isinstance(done, tuple):
                pdf, pages = done
            else:
                pdf, pages, findings = done.result()
                remember_findings(pdf, findings)
            cache.put_bytes("layout", keys[i], pdf)
            keep_text(cache, pdf, pages)
            results[i] = pdf
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return results


def keep_text(cache: Cache, pdf: bytes, pages: list[str]) -> None:
    import json

    from guidebuilder.checks.privacy import pdf_key, remember_pdf_text

    remember_pdf_text(pdf, pages)
    cache.put_bytes("pdf-text", pdf_key(pdf), json.dumps(pages, ensure_ascii=False).encode())


def recall_text(cache: Cache, pdf: bytes) -> None:
    import json

    from guidebuilder.checks.privacy import pdf_key, remember_pdf_text

    data = cache.get_bytes("pdf-text", pdf_key(pdf))
    if data is not None:
        try:
            remember_pdf_text(pdf, json.loads(data))
        except ValueError:
            pass  # the scan reads the PDF itself


def page_texts(document) -> list[str]:
    """The text WeasyPrint set on each page (body, footnotes, running heads), a line per line box."""
    from weasyprint.formatting_structure import boxes

    out = []
    for page in document.pages:
        lines: list[str] = []

        def walk(box) -> None:
            if isinstance(box, boxes.LineBox):
                lines.append("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)))
                return
            for child in getattr(box, "children", ()):
                walk(child)

        walk(page._page_box)
        out.append("\n".join(lines))
    return out


LATER_LAYOUTS_NICENESS = 19


def load_weasyprint() -> None:
    """Import WeasyPrint (with wpfix's corrections) in this process, before it forks layout workers:
    they inherit it instead of each spending half a second importing it. Failures are left to the
    layout, which reports them."""
    try:
        from guidebuilder.render.paged.wpfix import apply

        apply()
        import weasyprint  # noqa: F401
        from weasyprint.text.fonts import FontConfiguration  # noqa: F401
    except (ImportError, OSError):
        pass


def _layout_in_worker(niceness: int, html: str, variant: str | None) -> tuple[bytes, list[str], list]:
    """_layout in a pool worker of lay_out_all (made for this build only), at a lower priority if
    asked; the worker also scans the pages' text for personal data, beside the other layouts."""
    import os

    if niceness:
        try:
            os.nice(niceness)
        except OSError:
            pass
    from guidebuilder.build.cache import inherited

    findings: list = []
    try:
        pdf, pages = _layout(inherited()["guide"], html, variant, inherited()["cache"],
                             lambda pages: findings.append(_scan_beside(pages)))
    except BaseException:
        if findings:
            findings[0]()  # the scanning child is waited for, not left behind
        raise
    return pdf, pages, findings[0]()


def _scan_beside(pages: list[str]):
    """Scan the pages' text for personal data in a forked child while this process writes the PDF
    (the book's layout is a build's longest path); returns the function that gives the findings.
    If the child cannot be made or fails, the scan runs here."""
    import json
    import os

    from guidebuilder.checks.privacy import pdf_findings

    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        found = pdf_findings(pages)
        return lambda: found
    if pid == 0:  # the child: scan, send, and leave without running any clean-up of the parent's
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                out.write(json.dumps(pdf_findings(pages), ensure_ascii=False).encode())
        finally:
            os._exit(0)
    os.close(write)

    def findings() -> list:
        with os.fdopen(read, "rb") as given:
            data = given.read()
        _, status = os.waitpid(pid, 0)
        try:
            if status == 0 and data:
                return json.loads(data)
        except ValueError:
            pass
        return pdf_findings(pages)

    return findings


def _layout(guide: Guide, html: str, variant: str | None, cache: Cache | None,
            laid_out: Callable[[list[str]], None] | None = None) -> tuple[bytes, list[str]]:
    """Lay out one document: its PDF bytes and the text of each page (given to `laid_out`, if
    set, as soon as the pages are made, before the PDF is written)."""
    from guidebuilder.render.paged.wpfix import apply

    apply()
    try:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:
        raise ToolError("WeasyPrint", "starting up", str(exc),
                        "run 'make guide' again; WeasyPrint needs Pango (scripts/system-deps.sh installs it)")
    try:
        fonts = FontConfiguration()
        kwargs = {"pdf_variant": variant} if variant else {}
        with time_limit("WeasyPrint", "laying out the PDF", "check the CSS in assets/css/ and the images the guide uses"):
            document = HTML(string=html, base_url=str(guide.root) + "/", url_fetcher=_fetcher(guide, cache)) \
                .render(font_config=fonts, **kwargs)
            pages = page_texts(document)
            if laid_out is not None:
                laid_out(pages)
            return document.write_pdf(uncompressed_pdf=False, **kwargs), pages
    except ToolError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; wrap them with what we were doing
        raise ToolError("WeasyPrint", "laying out the PDF", f"{type(exc).__name__}: {exc}",
                        "check the CSS in assets/css/ and the images the guide uses") from exc


def _fetcher(guide: Guide, cache: Cache | None = None):
    """Serve generated files and files inside the guide or assets folders; refuse the network.

    WOFF2 fonts are served already unpacked to TrueType (kept in memory and in build/.cache), since
    WeasyPrint would unpack each one in pure Python for every document.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = guide.root.resolve()
    roots = [str(root), *[str(d.resolve()) for d in guide.asset_dirs]]

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = unquote(urlsplit(url).path)
                rel = path[len(str(root)) + 1:] if path.startswith(str(root) + "/") else None
                if rel is not None and rel in guide.generated:
                    return URLFetcherResponse(url, guide.generated[rel], {"Content-Type": "image/svg+xml"})
                if not any(path == r or path.startswith(r + "/") for r in roots):
                    raise ValueError(f"refusing to read {path}: outside the guide and assets folders")
                if path.endswith(".woff2"):
                    return URLFetcherResponse(url, _unpacked_font(Path(path), cache), {"Content-Type": "font/ttf"})
                return super().fetch(url, headers)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"refusing to fetch {url}: outputs are built offline")

    return OfflineFetcher(allowed_protocols=("file", "data"))


_UNPACKED: dict[str, bytes] = {}


def woff2_to_ttf(data: bytes) -> bytes:
    """A WOFF2 font as plain TrueType, the same bytes on every machine (its 'head' timestamp kept)."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # else 'head' gets today's date
    font.flavor = None
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _unpacked_font(path: Path, cache: Cache | None) -> bytes:
    """A WOFF2 font file as TrueType, memoised by content (and kept in the build cache)."""
    data = path.read_bytes()
    key = digest("woff2->ttf, fixed timestamp", data)
    if key not in _UNPACKED:
        _UNPACKED[key] = cache.bytes("font-ttf", key, lambda: woff2_to_ttf(data)) if cache is not None \
            else woff2_to_ttf(data)
    return _UNPACKED[key]


class PdfRenderer:
    name = "pdf"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        def book() -> str:
            ctx.progress("pdf: book")
            return print_html(guide, ctx, css=self.css(guide))

        def large_print() -> str:
            ctx.progress("pdf: large-print edition")
            return print_html(guide, ctx, css=self.css(guide, large=True), large=True)

        documents = {f"{guide.slug}.pdf": book}
        if guide.config.formats.pdf.large_print:
            documents[f"{guide.slug}-letra-grande.pdf"] = large_print
        for name, pdf in zip(documents, lay_out_all(guide, list(documents.values()), ctx.cache)):
            write_bytes(ctx.out / name, pdf)

    @staticmethod
    def css(guide: Guide, name: str = "book.css", large: bool = False) -> str:
        """Font faces, the book's style sheet (and the large-print one), and the page size from guide.yml."""
        parts = [book_font_faces(guide)]
        for sheet in (name, "book-large.css") if large else (name,):
            path = guide.asset("css", sheet)
            if path:
                parts.append(path.read_text(encoding="utf-8"))
        size = PAGE_SIZES[guide.config.formats.pdf.page_size]
        parts.append(f"@page {{ size: {size}; }}\n")
        return "\n".join(parts)


def book_font_faces(guide: Guide) -> str:
    return "".join(font_faces(guide, family, folder) for family, folder in BOOK_FONTS)


def font_faces(guide: Guide, family: str = "Atkinson Hyperlegible", folder: str = "atkinson-hyperlegible") -> str:
    """@font-face rules for the font files in an assets/fonts/ folder (absolute file URLs).

    Each file gets the unicode-range of the characters it really has, so that the subsets of one
    family (latin, latin-ext, …) complement each other instead of hiding one another.
    """
    base = guide.asset("fonts", folder)
    if base is None:
        return ""
    pattern = re.compile(re.escape(folder) + r"-(?P<subset>[a-z-]+)-(?P<weight>\d{3})-(?P<style>normal|italic)\.(?P<ext>woff2|ttf|otf)$")
    rules = []
    for path in _print_font_files(base):
        m = pattern.match(path.name)
        if not m:
            continue
        ranges = _unicode_ranges(str(path.resolve()), path.stat().st_mtime_ns)
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); '
                     f"font-weight: {m['weight']}; font-style: {m['style']};"
                     + (f" unicode-range: {ranges};" if ranges else "") + " }")
    return "\n".join(rules) + "\n" if rules else ""


@lru_cache(maxsize=64)
def _unicode_ranges(path: str, mtime: int) -> str:
    """The characters a font file maps, as a CSS unicode-range list ('' if it cannot be read)."""
    try:
        from fontTools.ttLib import TTFont

        codes = sorted(TTFont(path, lazy=True).getBestCmap())
    except Exception:  # an unreadable font: no range, WeasyPrint then tries it for every character
        return ""
    spans: list[list[int]] = []
    for code in codes:
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def font_files(guide: Guide) -> list[Path]:
    """Every font file the book may embed (for checks and docs)."""
    out = []
    for _, folder in BOOK_FONTS:
        base = guide.asset("fonts", folder)
        if base:
            out.extend(_print_font_files(base))
    return out


def _print_font_files(folder: Path) -> list[Path]:
    """The font files of a folder that print uses: a WOFF2 file's TrueType copy when it has one
    (scripts/fonts_to_ttf.py), so that WeasyPrint need not unpack the WOFF2."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".woff2", ".ttf", ".otf"))
    return [p for p in files if not (p.suffix == ".woff2" and p.with_suffix(".ttf") in files)]
