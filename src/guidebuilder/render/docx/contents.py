"""The DOCX's contents: the TOC field filled in at build time, with page numbers when asked for.

pandoc writes a TOC field with no result: Word shows nothing until the reader updates it (and
`w:updateFields` would make Word ask first). `fill_toc` writes the field's result itself: one entry
per chapter and section, linked to its heading, and (when page numbers are wanted) a dotted tab and
a PAGEREF field to the heading's hidden bookmark whose shown result is the page number.

Page numbers need a layout. Laying the document out with LibreOffice headless takes 2 to 5 s per
DOCX (both editions: about 10 s more for a cold build on two cores), too slow for every build, so it
runs only when GUIDEBUILDER_DOCX_PAGES=1 asks (set it for the build that is sent out): the document is
finished with "00" as every number, laid out once, and the numbers read from the PDF's named
destinations (LibreOffice writes one per bookmark) are written into the field results. The field stays clean (no w:dirty), so Word shows them as they are; Word's own
pagination may differ by a page, and "Actualizar tabla" recomputes them. The numbers are kept in the
build cache under the finished document's hash, so an unchanged document is not laid out again.
Without the flag the entries have no numbers; the footer numbers every page either way.
"""

from __future__ import annotations

import os

from guidebuilder.core.files import normalise_zip
from guidebuilder.render.docx.ooxml import el, paragraph_text, w

PAGES_ENV = "GUIDEBUILDER_DOCX_PAGES"
PLACEHOLDER = "00"  # as wide as the numbers of a document under 100 pages, so the layout does not move
PAGEREF = "PAGEREF"


def wants_pages() -> bool:
    return os.environ.get(PAGES_ENV, "").strip() not in ("", "0")


def _toc_sdt(body):
    for sdt in body.iter(w("sdt")):
        gallery = sdt.find(f".//{w('docPartGallery')}")
        if gallery is not None and gallery.get(w("val")) == "Table of Contents":
            return sdt
    return None


def _field_runs(instruction: str, result: str) -> list:
    """The runs of a complex field: begin, instruction, separate, shown result, end."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = el("r")
        if kind == "instr":
            t = el("instrText")
            t.text = f" {instruction} "
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
        elif kind == "result":
            t = el("t")
            t.text = result
            r.append(t)
        else:
            r.append(el("fldChar", fldCharType=kind))
        runs.append(r)
    return runs


def _entry(level: int, anchor: str, text: str, mark: str, width: int, page: str | None):
    p = el("p")
    ppr = el("pPr")
    ppr.append(el("pStyle", val=f"TOC{level}"))
    if page is not None:
        tabs = el("tabs")
        tabs.append(el("tab", val="right", leader="dot", pos=str(width)))
        ppr.append(tabs)
    p.append(ppr)
    link = el("hyperlink", anchor=anchor, history="1")
    r = el("r")
    t = el("t")
    t.text = text
    r.append(t)
    link.append(r)
    if page is not None:
        tab = el("r")
        tab.append(el("tab"))
        link.append(tab)
        for run in _field_runs(f"{PAGEREF} {mark} \\h", page):
            link.append(run)
    p.append(link)
    return p


def fill_toc(doc, entries: list[tuple[int, str, str, str]], depth: int, width: int, numbered: bool) -> int:
    """Put the headings into the TOC field's result (entries: level, anchor, text, page bookmark; levels
    1 to depth), with a placeholder page number on each when `numbered`. Returns how many entries."""
    sdt = _toc_sdt(doc.element.body)
    if sdt is None:
        return 0
    field_p = next((p for p in sdt.iter(w("p")) if p.find(f".//{w('instrText')}") is not None), None)
    if field_p is None:
        return 0
    run = field_p.find(w("r"))
    chars = list(run) if run is not None else []

    def part(tag: str, kind: str = ""):
        return next((c for c in chars if c.tag == w(tag) and (not kind or c.get(w("fldCharType")) == kind)), None)

    begin, instr, separate, end = (part("fldChar", "begin"), part("instrText"), part("fldChar", "separate"),
                                   part("fldChar", "end"))
    if None in (begin, instr, separate, end):  # not the field pandoc writes: leave it for Word to fill
        return 0
    instr.text = f'TOC \\o "1-{depth}" \\h \\z \\u'
    begin.attrib.pop(w("dirty"), None)  # pandoc marks it for updating, and Word would ask the reader first
    for child in (begin, instr, separate, end):
        run.remove(child)
    field_p.remove(run)
    for child in (begin, instr, separate):
        r = el("r")
        r.append(child)
        field_p.append(r)
    after = field_p
    for level, anchor, text, mark in entries:
        p = _entry(level, anchor, text, mark, width, PLACEHOLDER if numbered else None)
        after.addnext(p)
        after = p
    end_p = el("p")
    r = el("r")
    r.append(end)
    end_p.append(r)
    after.addnext(end_p)
    return len(entries)


# ---------------------------------------------------------------- page numbers from a LibreOffice layout

def _pagerefs(root):
    """(bookmark name, w:t of the shown result) of each PAGEREF field in the contents."""
    sdt = _toc_sdt(root.find(w("body")))
    if sdt is None:
        return []
    out, name, showing = [], None, False
    for node in sdt.iter(w("instrText"), w("fldChar"), w("t")):
        if node.tag == w("instrText"):
            parts = (node.text or "").split()
            name = parts[1] if len(parts) > 1 and parts[0] == PAGEREF else None
        elif node.tag == w("fldChar"):
            showing = node.get(w("fldCharType")) == "separate" and name is not None
            if node.get(w("fldCharType")) == "end":
                name = None
        elif showing:
            out.append((name, node))
            showing = False
    return out


def pdf_destinations(pdf: bytes) -> dict[str, int]:
    """Named destination → page number (from 1) of a PDF; LibreOffice writes one per bookmark, with
    '_' written as '5F'."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    out = {}
    try:
        for i in range(raw.FPDF_CountNamedDests(document.raw)):
            size = ctypes.c_long(0)
            raw.FPDF_GetNamedDest(document.raw, i, None, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(size.value)
            dest = raw.FPDF_GetNamedDest(document.raw, i, buffer, ctypes.byref(size))
            name = buffer.raw[:size.value].decode("utf-16-le").rstrip("\x00")
            if dest:
                out[name] = raw.FPDFDest_GetDestPageIndex(document.raw, dest) + 1
    finally:
        document.close()
    return out


def laid_out_pages(data: bytes, name: str) -> dict[str, int]:
    """The page of each contents entry's bookmark, as LibreOffice lays the DOCX out."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    import io
    import zipfile

    from lxml import etree

    from guidebuilder.model.errors import ToolError
    from guidebuilder.pandoc.tools import tool_timeout

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolError("LibreOffice", f"numbering the contents of {name}", "soffice is not installed",
                        f"install LibreOffice Writer (scripts/system-deps.sh proof), or build without {PAGES_ENV}")
    marks = [m for m, _ in _pagerefs(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")))]
    export = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
    with tempfile.TemporaryDirectory(prefix="gb-docx-pages-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                               export, "--outdir", tmp, str(source)], capture_output=True, text=True,
                              timeout=tool_timeout())
        pdf = Path(tmp) / "document.pdf"
        if done.returncode != 0 or not pdf.is_file():
            raise ToolError("LibreOffice", f"laying out {name} to number its contents",
                            (done.stderr or done.stdout).strip()[:300], "check that LibreOffice Writer works "
                            f"(soffice --headless --convert-to pdf), or build without {PAGES_ENV}")
        found = pdf_destinations(pdf.read_bytes())
    return {m: found[key] for m in marks for key in (m, m.replace("_", "5F")) if key in found}


def set_toc_pages(data: bytes, pages: dict[str, int]) -> bytes:
    """The DOCX with each contents entry's shown page number set from pages (bookmark → page); an
    entry whose heading was not found shows no number."""
    import io
    import zipfile

    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for mark, text in _pagerefs(root):
        text.text = str(pages[mark]) if mark in pages else ""
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return normalise_zip(data, {"word/document.xml": xml})


def with_page_numbers(data: bytes, name: str, cache) -> bytes:
    """A DOCX finished with placeholder page numbers in its contents, with the real ones (laid out by
    LibreOffice once per distinct document: the build cache keeps them)."""
    import hashlib

    key = hashlib.sha256(data).hexdigest()
    pages = cache.json("docx-toc-pages", key, lambda: laid_out_pages(data, name)) if cache is not None \
        else laid_out_pages(data, name)
    return set_toc_pages(data, pages)


def toc_texts(root) -> list[str]:
    """The text of each contents entry (a test's and a reader's view)."""
    sdt = _toc_sdt(root.find(w("body")) if root.tag == w("document") else root)
    return [paragraph_text(p) for p in sdt.iter(w("p"))] if sdt is not None else []
