"""One part of the book (render/pdf/split.py) laid out by WeasyPrint: its PDF, the text of each page
and the page of each anchor it holds. A part's layout depends only on its HTML (and what it loads),
this module and split.py: the cache keys of parts name these two (incremental.py)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from guidebuilder.core.digest import digest
from guidebuilder.render.paged.weasy import fetcher, laying_out, page_texts, weasyprint_classes

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
# The font configurations of this process, by the @font-face rules they hold: registering a book's 18
# faces costs more than laying out a short chapter, so they are made once, in the process that forks the
# layout workers (which inherit them), and reused by every part with the same faces. A configuration
# holds exactly the faces of the documents that use it, in their order, whatever was laid out before:
# the same layout either way. Its folder of font files belongs to the process that made it.
_FONTS: dict = {}


@dataclass
class Layout:
    """A part laid out: its PDF, the text of each page, and the page (from 0) of each anchor it holds."""

    pdf: bytes
    texts: list
    anchors: dict


def _font_config(html: str, make):
    """The font configuration for the @font-face rules of `html` (made on first use, here or in the
    process this one was forked from)."""
    key = digest("font-faces", FONT_FACE.findall(html))
    if key not in _FONTS:
        from multiprocessing import util

        _FONTS[key] = make()
        # its folder of font files goes when this process ends (workers end without collecting it)
        util.Finalize(None, _drop_fonts, args=(_FONTS[key], os.getpid()), exitpriority=1)
    return _FONTS[key]


def fonts_ready(htmls) -> None:
    """Make, here, the font configurations the parts of `htmls` use (before the workers fork)."""
    _, FontConfiguration = weasyprint_classes()
    for html in htmls:
        _font_config(html, FontConfiguration)


def _drop_fonts(config, pid: int) -> None:
    import shutil

    if os.getpid() != pid:  # a worker: the folder is its parent's
        return
    folder, config._folder = config._folder, None
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def lay_out_part(scope, html: str, variant, cache, external: tuple = (), probe: bool = False) -> Layout:
    """One part laid out by WeasyPrint; `external`: anchors of other parts it links to, given a
    stand-in on its first page so that WeasyPrint keeps the links (the book's name tree points
    them at their real place). A `probe` only counts its pages and finds its anchors (no PDF, no
    text): a layout whose printed page numbers are known to be wrong is not written."""
    HTML, FontConfiguration = weasyprint_classes()
    kwargs = {"pdf_variant": variant} if variant else {}
    with laying_out():
        document = HTML(string=html, base_url=str(scope.root) + "/", url_fetcher=fetcher(scope, cache)) \
            .render(font_config=_font_config(html, FontConfiguration), **kwargs)
        anchors: dict = {}
        for i, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        if probe:
            return Layout(b"", [""] * len(document.pages), anchors)
        for name in external:
            if name not in anchors:
                document.pages[0].anchors[name] = (0, 0, 0, 0)
        return Layout(document.write_pdf(uncompressed_pdf=False, **kwargs), page_texts(document), anchors)
