"""The build: load → transforms → renderers into a staging folder → checks → commit.

Heavy modules (pydantic, pandoc, WeasyPrint, matplotlib) are imported only once the no-change
fast path (state.py) has said there is work to do.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from guidebuilder.builder import state
from guidebuilder.builder.output import build_lock, commit, deferred_signals, fsync_tree, new_staging
from guidebuilder.model.errors import Collector, GuideError, suggest
from guidebuilder.model.messages import CATALOGUE, t

FORMATS = ("html", "pdf", "docx", "leaflet", "report", "consulta", "didactico")
DEFAULT_FORMATS = ("html", "pdf", "docx", "leaflet", "consulta", "didactico")
# Longest first, so that the PDF book (which forks layout workers of its own) starts at once.
RENDER_ORDER = ("pdf", "leaflet", "didactico", "report", "consulta", "docx", "html")


@dataclass
class Written:
    path: Path
    size: int
    changed: bool


@dataclass
class BuildResult:
    guide: Any  # the Guide, or None when nothing had changed
    written: list[Written] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    cache_misses: int = 0
    warnings: list[str] = field(default_factory=list)
    up_to_date: bool = False


def parse_formats(text: str | None, allowed: tuple[str, ...] = FORMATS) -> list[str]:
    """Turn 'html,pdf' into a list, refusing unknown names with a suggestion."""
    if not text:
        return list(DEFAULT_FORMATS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    bad = [n for n in names if n not in allowed]
    if not names:
        raise GuideError(t("format.none", formats=", ".join(allowed)))
    if bad:
        raise GuideError("; ".join(t("format.unknown", name=n, hint=suggest(n, allowed), formats=", ".join(allowed))
                                   for n in bad))
    return list(dict.fromkeys(names))


def prepare(guide_dir: Path, cache, edition: str = "public"):
    """Load and transform one edition: everything that can fail on bad input, before anything is written."""
    from guidebuilder.load.loader import load_guide
    from guidebuilder.transforms import pipeline as transforms

    errors = Collector(root=Path(guide_dir).resolve())
    guide = load_guide(guide_dir, cache=cache, edition=edition, errors=errors)
    return transforms.run_all(guide, errors, cache)


def prepare_editions(guide_dir: Path, cache, formats: list[str], edition: str = "public") -> Editions:
    """The guide as asked for, and every other edition the renderers of `formats` need (each once)."""
    from contextlib import nullcontext

    from guidebuilder.render.registry import registry
    from guidebuilder.transforms.charts import not_drawn

    with not_drawn() if set(formats) == {"leaflet"} else nullcontext():  # leaflets show no chart
        guide = prepare(guide_dir, cache, edition)
        renderers = registry()
        wanted = set().union(*(renderers[f].editions(guide) for f in formats)) - {guide.edition}
        others = {name: prepare(guide_dir, cache, name) for name in sorted(wanted)}
    return Editions(guide, others)


@dataclass
class Editions:
    """The prepared guide, and the other editions (by name) some renderer asked for."""

    guide: Any
    others: dict = field(default_factory=dict)


def build(guide_dir: Path, out: Path, formats: list[str], options: dict | None = None,
          edition: str = "public", use_cache: bool = True, wait: bool = True,
          progress: Callable[[str], None] = lambda m: None, jobs: int | None = None) -> BuildResult:
    """Build the formats into out/<format>/; on any error nothing in out/ changes."""
    options = dict(options or {})
    out, guide_dir = Path(out), Path(guide_dir)
    if not (guide_dir / "guide.yml").is_file():
        raise GuideError(t("no.guide", root=guide_dir))
    key = state.fingerprint(guide_dir.resolve(), state.asset_dirs(guide_dir.resolve()),
                            {"formats": formats, "options": options, "edition": edition})
    with build_lock(out, wait=wait, say=progress):
        previous = state.unchanged(out, key) if use_cache else None
        if previous is not None:
            progress(t("progress.unchanged"))
            written = [Written(p, p.stat().st_size, False) for p in previous]
            return BuildResult(None, written, {}, warnings=state.warnings(out), up_to_date=True)
        return _build(guide_dir, out, formats, options, edition, use_cache, progress, jobs, key)


def _build(guide_dir: Path, out: Path, formats: list[str], options: dict, edition: str, use_cache: bool,
           progress: Callable[[str], None], jobs: int | None, key: str) -> BuildResult:
    """prepare → render → check → commit, under the build lock; the cache is written last."""
    from guidebuilder.builder.cache import Cache, size_limit

    cache = Cache(out / ".cache", enabled=use_cache)
    started = time.time()  # the cache entries this build uses are newer: trim() keeps them
    start = time.perf_counter()
    progress(t("progress.load"))
    editions = prepare_editions(guide_dir, cache, formats, edition)
    guide = editions.guide
    from guidebuilder.checks.gate import input_problems

    problems = input_problems(guide, formats, options)
    if any(p.severity == "error" for p in problems):
        raise GuideError([p for p in problems if p.severity == "error"])
    timings = {"load": time.perf_counter() - start}
    staging = None
    try:
        with deferred_signals():  # a Ctrl-C cannot fall between making the folder and knowing it
            staging = new_staging(out)
        downloads = SiteDownloads(guide, out, formats)
        rendered = render_all(editions, staging, formats, cache, {**options, **downloads.option}, progress, jobs)
        timings.update({fmt: r.elapsed for fmt, r in rendered.items()})
        check_outputs(guide, staging, formats, cache, {k: v for r in rendered.values() for k, v in r.findings.items()})
        downloads.place(staging)  # after the checks: each file was scanned in its own format
        fsync_tree(staging)
        progress(t("progress.commit"))
        prune = {f for f in formats if not options.get("entity")}
        written = [Written(p, s, c) for p, s, c in commit(staging, out, formats, prune)]
        downloads.refresh()
    finally:
        if staging is not None:
            with deferred_signals():  # nor cut the clean-up short
                shutil.rmtree(staging, ignore_errors=True)
    with deferred_signals():
        grew = cache.flush()
        warnings = [w.format() for w in guide.warnings] + [w.format() for w in problems] + \
            [w.format() for fmt in formats for w in rendered[fmt].warnings]
        state.record(out, key, [w.path for w in written], warnings)
    if grew:  # trimmed when it grows (a lower GUIDEBUILDER_CACHE_MB applies at the next build that adds)
        cache.trim(size_limit(), since=started - 1)
    return BuildResult(guide, written, timings, cache.hits, cache.misses, warnings)


@dataclass
class Rendered:
    """One format's renderer run, as the build keeps it: time, warnings, messages, scan findings."""

    elapsed: float
    warnings: list
    messages: list[str]
    findings: dict  # staged file path -> personal-data findings


def render_all(editions: Editions, staging: Path, formats: list[str], cache, options: dict,
               progress: Callable[[str], None], jobs: int | None = None) -> dict[str, Rendered]:
    """Run the renderers, side by side in worker processes when there are cores for it; each also
    scans its own outputs for personal data. Failures are reported together, in the order asked for."""
    from guidebuilder.builder.parallel import Parallel

    parallel = Parallel(cache, jobs)
    ordered = sorted(formats, key=lambda f: RENDER_ORDER.index(f) if f in RENDER_ORDER else len(RENDER_ORDER))
    alone = parallel.cores < 2 or len(formats) < 2
    if not alone:
        progress(t("progress.render", formats=", ".join(ordered), processes=min(parallel.cores, len(formats))))

    def task(fmt: str):
        return lambda: _render_one(fmt, editions, staging, cache, options, progress if alone else None, parallel)

    # no format yields to the book any more: its layout workers and the others share the cores alike
    # (measured: a cold build of the synthetic guide 14.7 → 13.9 s, edits no slower)
    runner = [task(fmt) for fmt in ordered]
    outcomes = dict(zip(ordered, [t() for t in runner] if alone else parallel.run(runner)))
    failures = [outcomes[fmt] for fmt in formats if isinstance(outcomes[fmt], GuideError)]
    if failures:
        raise GuideError([d for exc in failures for d in exc.diagnostics])
    for fmt in formats:
        for message in outcomes[fmt].messages:
            progress(message)
    return {fmt: outcomes[fmt] for fmt in formats}


def _render_one(fmt: str, editions: Editions, staging: Path, cache, options: dict, progress, parallel):
    """Render one format (here or in a worker) and scan what it made; a GuideError is returned, not
    raised, so that every format's problems are reported together."""
    from guidebuilder.checks.privacy import scan_folder
    from guidebuilder.render.base import RenderContext
    from guidebuilder.render.registry import registry

    messages: list[str] = []
    say = progress or messages.append
    start = time.perf_counter()
    ctx = RenderContext(out=staging / fmt, cache=cache, options=options, progress=say, parallel=parallel,
                        review=editions.others.get("review"))
    ctx.out.mkdir(parents=True, exist_ok=True)
    say(t("progress.format", format=t(f"fmt.{fmt}") if f"fmt.{fmt}" in CATALOGUE else fmt))
    try:
        result = registry()[fmt].render(editions.guide, ctx)
        found = scan_folder(ctx.out, fmt, cache, result)  # the personal-data scan of this format
    except GuideError as exc:
        return exc
    return Rendered(time.perf_counter() - start, result.warnings, messages, found)


class SiteDownloads:
    """The editions the site offers under html/descargas/ (render/html/downloads.py): which will be there
    after this build (made now, or already committed), told to the HTML renderer, and hard-linked (or
    copied) into the staged site once every renderer has finished. A build without the site refreshes the
    links its formats replaced in the committed site, so no download is left behind."""

    def __init__(self, guide, out: Path, formats: list[str]):
        from guidebuilder.render.html import downloads

        self.out, self.formats, self.folder = out, formats, downloads.FOLDER
        self.items = [d for d in downloads.candidates(guide)
                      if d.fmt != "html" and (d.fmt in formats or (out / d.fmt / d.rel).is_file())]
        self.option = {downloads.OPTION: sorted(d.name for d in self.items)} if "html" in formats else {}
        self.html = [d for d in downloads.candidates(guide) if d.fmt == "html"]

    def place(self, staging: Path) -> None:
        if "html" not in self.formats:
            return
        for d in self.items + self.html:
            src = staging / d.fmt / d.rel if d.fmt in self.formats else self.out / d.fmt / d.rel
            if src.is_file():
                _link(src, staging / "html" / self.folder / d.name)

    def refresh(self) -> None:
        folder = self.out / "html" / self.folder
        if "html" in self.formats or not folder.is_dir():
            return
        for d in self.items:
            src, dst = self.out / d.fmt / d.rel, folder / d.name
            if d.fmt in self.formats and src.is_file() and dst.is_file() and not os.path.samefile(src, dst):
                tmp = folder / f".{d.name}.tmp"
                tmp.unlink(missing_ok=True)
                _link(src, tmp)
                os.replace(tmp, dst)


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copyfile(src, dst)


def check_outputs(guide, staging: Path, formats: list[str], cache=None, findings: dict | None = None) -> None:
    """Checks on the finished outputs before they replace the previous ones (privacy scan, …)."""
    from guidebuilder.checks.privacy import scan_outputs

    scan_outputs(guide, staging, formats, cache, findings)
