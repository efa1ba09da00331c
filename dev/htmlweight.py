"""Page weights of the built HTML site, for `make bench` (not a test).

A page's weight is what a browser fetches to show it, uncompressed: the HTML, its stylesheets,
the fonts they name, its scripts and its images. The search index (pagefind/) is left out: it is
fetched only when someone searches, in small pieces. The single-file edition is reported apart.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as LH


def _local(page: Path, ref: str, site: Path) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or not parts.path or ref.startswith("#"):
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if not target.is_file() or site.resolve() not in target.parents:
        return None
    if "pagefind" in target.relative_to(site.resolve()).parts:
        return None
    return target


def page_resources(page: Path, site: Path) -> set[Path]:
    """The files a browser loads to show the page (not the pages it links to)."""
    doc = LH.fromstring(page.read_bytes())
    refs = doc.xpath("//link[@rel='stylesheet']/@href | //script/@src | //img/@src")
    found: set[Path] = set()
    for ref in refs:
        target = _local(page, ref, site)
        if target is None:
            continue
        found.add(target)
        if target.suffix == ".css":
            css = target.read_text(encoding="utf-8", errors="replace")
            for url in re.findall(r"url\(\"?([^\")]+)\"?\)", css):
                font = _local(target, url, site)
                if font is not None:
                    found.add(font)
    return found


def page_weights(site: Path) -> dict:
    """Bytes per page (with its resources), the median and the largest, and the single file's size."""
    site = Path(site)
    weights: dict[str, int] = {}
    single = 0
    for page in sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts):
        rel = str(page.relative_to(site))
        if rel.endswith("-completa.html"):
            single = page.stat().st_size
            continue
        weights[rel] = page.stat().st_size + sum(r.stat().st_size for r in page_resources(page, site))
    index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) \
        if (site / "pagefind").is_dir() else 0
    return {
        "pages": len(weights),
        "median": int(statistics.median(weights.values())) if weights else 0,
        "largest": max(weights.items(), key=lambda kv: kv[1]) if weights else ("", 0),
        "per_page": weights,
        "single_file": single,
        "search_index": index,
    }


def main(argv: list[str] | None = None) -> int:
    import sys

    site = Path((argv or sys.argv[1:] or ["build/html"])[0])
    report = page_weights(site)
    print(f"{site}: {report['pages']} pages; median {report['median'] / 1024:.1f} KB, largest "
          f"{report['largest'][0]} {report['largest'][1] / 1024:.1f} KB (HTML + CSS + JS + fonts + images); "
          f"single file {report['single_file'] / 1024:.1f} KB; search index {report['search_index'] / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
