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

from guidebuilder.build import state
from guidebuilder.model.errors import Collector, GuideError, suggest
from guidebuilder.build.output import build_lock, commit, deferred_signals, fsync_tree, new_staging

FORMATS = ("html", "pdf", "docx", "leaflet", "report")
DEFAULT_FORMATS = ("html", "pdf", "docx", "leaflet")
# Longest first, so that on two cores the PDF book starts at once and the rest share the other core.
RENDER_ORDER = ("pdf", "leaflet", "report", "docx", "html")


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
        raise GuideError(f"no format given — formats are: {', '.join(allowed)}")
    if bad:
        raise GuideError("; ".join(f"unknown format '{n}'{suggest(n, allowed)}" for n in bad) +
                         f" — formats are: {', '.join(allowed)}")
    return list(dict.fromkeys(names))


def prepare(guide_dir: Path, cache, edition: str = "public"):
    """Load and transform: everything that can fail on bad input, before anything is written."""
    from guidebuilder.transforms import pipeline as transforms
    from guidebuilder.load.loader import load_guide

    from guidebuilder.build.cache import using

    errors = Collector(root=Path(guide_dir).resolve())
    with using(cache):
        guide = load_guide(guide_dir, cache=cache, edition=edition, errors=errors)
        return transforms.run_all(guide, errors)


def build(guide_dir: Path, out: Path, formats: list[str], options: dict | None = None,
          edition: str = "public", use_cache: bool = True, wait: bool = True,
          progress: Callable[[str], None] = lambda m: None, jobs: int | None = None) -> BuildResult:
    """Build the formats into out/<format>/; on any error nothing in out/ changes."""
    from guidebuilder.build.cache import Cache

    options = dict(options or {})
    out, guide_dir = Path(out), Path(guide_dir)
    if not (guide_dir / "guide.yml").is_file():
        raise GuideError(f"{guide_dir}: no guide.yml here; point --guide at the guide folder (the one with guide.yml)")
    key = state.fingerprint(guide_dir.resolve(), state.asset_dirs(guide_dir.resolve()),
                            {"formats": formats, "options": options, "edition": edition})
    with build_lock(out, wait=wait, say=progress):
        previous = state.unchanged(out, key) if use_cache else None
        if previous is not None:
            progress("nothing changed since the last build")
            written = [Written(p, p.stat().st_size, False) for p in previous]
            return BuildResult(None, written, {}, warnings=state.warnings(out), up_to_date=True)
        from guidebuilder.checks.privacy import forget_texts

        forget_texts()
        cache = Cache(out / ".cache", enabled=use_cache)
        started = time.time()  # the cache entries this build uses are newer: trim() keeps them
        start = time.perf_counter()
        progress("loading and checking the guide")
        from contextlib import nullcontext

        from guidebuilder.transforms.charts import not_drawn

        with not_drawn() if set(formats) == {"leaflet"} else nullcontext():  # leaflets show no chart
            guide = prepare(guide_dir, cache, edition)
        timings = {"load": time.perf_counter() - start}
        staging = None
        try:
            with deferred_signals():  # a Ctrl-C cannot fall between making the folder and knowing it
                staging = new_staging(out)
            findings: dict = {}
            timings.update(render_all(guide, staging, formats, cache, options, progress, jobs, findings))
            check_outputs(guide, staging, formats, cache, findings)
            fsync_tree(staging)
            progress("committing the outputs")
            prune = {f for f in formats if not options.get("entity")}
            written = [Written(p, s, c) for p, s, c in commit(staging, out, formats, prune)]
        finally:
            if staging is not None:
                with deferred_signals():  # nor cut the clean-up short
                    shutil.rmtree(staging, ignore_errors=True)
        with deferred_signals():
            grew = cache.flush()
            warnings = [w.format() for w in guide.warnings]
            state.record(out, key, [w.path for w in written], warnings)
        if grew:  # trimmed when it grows (a lower GUIDEBUILDER_CACHE_MB applies at the next build that adds)
            from guidebuilder.build.cache import size_limit

            cache.trim(size_limit(), since=started - 1)
    return BuildResult(guide, written, timings, cache.hits, cache.misses, warnings)


def render_all(guide, staging: Path, formats: list[str], cache, options: dict,
               progress: Callable[[str], None], jobs: int | None = None,
               findings: dict | None = None) -> dict[str, float]:
    """Run the renderers, side by side in worker processes when there are cores for it.

    Each renderer's worker also scans its own outputs for personal data; `findings` collects that.
    """
    from guidebuilder.build.cache import cores

    findings = {} if findings is None else findings
    jobs = jobs or cores()
    ordered = sorted(formats, key=lambda f: RENDER_ORDER.index(f) if f in RENDER_ORDER else len(RENDER_ORDER))
    if jobs < 2 or len(formats) < 2:
        timings = {}
        for fmt in ordered:
            elapsed, pending, hits, misses, messages, _texts, found = _render_one(fmt, guide, staging, cache,
                                                                                   options, progress)
            timings[fmt] = elapsed
            findings.update(found)
        return {f: timings[f] for f in formats}
    from guidebuilder.build.cache import fork_pool

    progress(f"rendering {', '.join(ordered)} in {min(jobs, len(formats))} processes")
    results: dict[str, Any] = {}
    # The workers are forked with what they need (pickling the guide and the cache for each took longer).
    with fork_pool(min(jobs, len(formats)), guide=guide, staging=staging, cache=cache, options=options) as pool:
        # The book's layout is the longest path of a build: the other formats' workers yield to it.
        niceness = {fmt: OTHERS_NICENESS if "pdf" in formats and fmt != "pdf" else 0 for fmt in ordered}
        futures = {fmt: pool.submit(_render_in_worker, niceness[fmt], fmt) for fmt in ordered}
        failures: list[GuideError] = []
        for fmt in formats:  # report in the order the user asked for
            try:
                results[fmt] = futures[fmt].result()
            except GuideError as exc:
                failures.append(exc)
        if failures:
            raise GuideError([d for exc in failures for d in exc.diagnostics])
    from guidebuilder.checks.privacy import learn_texts

    timings = {}
    for fmt in formats:
        elapsed, pending, hits, misses, messages, texts, found = results[fmt]
        cache.pending.update(pending)
        learn_texts(texts)
        findings.update(found)
        cache.hits += hits
        cache.misses += misses
        for message in messages:
            progress(message)
        timings[fmt] = elapsed
    return timings


OTHERS_NICENESS = 15


def _render_in_worker(niceness: int, fmt: str):
    """_render_one in a pool worker of render_all (made for this build only), at a lower priority if asked."""
    from guidebuilder.build.cache import inherited

    global _LOWERED
    guide, staging, cache, options = (inherited()[k] for k in ("guide", "staging", "cache", "options"))
    if niceness and not _LOWERED:  # a worker may render two formats: lower it once
        _LOWERED = True
        try:
            os.nice(niceness)
        except OSError:
            pass
    return _render_one(fmt, guide, staging, cache, options, None)


_LOWERED = False


def _render_one(fmt: str, guide, staging: Path, cache, options: dict, progress):
    """Render one format (in this process or a worker); return its time, what it cached, and the
    text of the PDFs it laid out (for the personal-data scan)."""
    from guidebuilder.build.cache import using
    from guidebuilder.checks.privacy import laid_out_texts, scan_folder
    from guidebuilder.render.base import RenderContext
    from guidebuilder.render.registry import registry

    messages: list[str] = []
    say = progress or messages.append
    start = time.perf_counter()
    hits, misses = cache.hits, cache.misses
    ctx = RenderContext(out=staging / fmt, cache=cache, options=options, progress=say)
    ctx.out.mkdir(parents=True, exist_ok=True)
    say(f"{fmt}: rendering")
    with using(cache):
        registry()[fmt].render(guide, ctx)
        found = scan_folder(ctx.out, fmt, cache)  # the personal-data scan of this format, here in its worker
    pending = dict(cache.pending) if progress is None else {}
    texts = laid_out_texts() if progress is None else {}
    return time.perf_counter() - start, pending, cache.hits - hits, cache.misses - misses, messages, texts, found


def check_outputs(guide, staging: Path, formats: list[str], cache=None, findings: dict | None = None) -> None:
    """Checks on the finished outputs before they replace the previous ones (privacy scan, …)."""
    from guidebuilder.checks.privacy import scan_outputs

    scan_outputs(guide, staging, formats, cache, findings)
