"""The build: load → transforms → renderers into a staging folder → checks → commit."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import transforms
from .cache import Cache
from .errors import GuideError
from .load import load_guide
from .model import Guide
from .output import build_lock, commit, deferred_signals, fsync_tree, new_staging
from .renderers import DEFAULT_FORMATS, RenderContext, registry


@dataclass
class Written:
    path: Path
    size: int
    changed: bool


@dataclass
class BuildResult:
    guide: Guide
    written: list[Written] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    cache_misses: int = 0


def parse_formats(text: str | None, allowed: list[str] | None = None) -> list[str]:
    """Turn 'html,pdf' into a list, refusing unknown names with a suggestion."""
    from .errors import suggest

    allowed = allowed or list(registry())
    if not text:
        return list(DEFAULT_FORMATS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    bad = [n for n in names if n not in allowed]
    if bad or not names:
        raise GuideError("; ".join(f"unknown format '{n}'{suggest(n, allowed)}" for n in bad) +
                         f" — formats are: {', '.join(allowed)}" if bad else "no format given")
    return list(dict.fromkeys(names))


def prepare(guide_dir: Path, cache: Cache, edition: str = "public") -> Guide:
    """Load and transform: everything that can fail on bad input, before anything is written."""
    guide = load_guide(guide_dir, cache=cache, edition=edition)
    return transforms.run_all(guide)


def build(guide_dir: Path, out: Path, formats: list[str], options: dict | None = None,
          edition: str = "public", use_cache: bool = True, wait: bool = True,
          progress: Callable[[str], None] = lambda m: None) -> BuildResult:
    """Build the formats into out/<format>/; on any error nothing in out/ changes."""
    options = options or {}
    renderers = registry()
    out = Path(out)
    timings: dict[str, float] = {}
    with build_lock(out, wait=wait, say=progress):
        cache = Cache(out / ".cache", enabled=use_cache)
        start = time.perf_counter()
        progress("loading and checking the guide")
        guide = prepare(guide_dir, cache, edition)
        timings["load"] = time.perf_counter() - start
        staging = None
        try:
            with deferred_signals():  # a Ctrl-C cannot fall between making the folder and knowing it
                staging = new_staging(out)
            for fmt in formats:
                start = time.perf_counter()
                progress(f"{fmt}: rendering")
                ctx = RenderContext(out=staging / fmt, cache=cache, options=options, progress=progress)
                ctx.out.mkdir(parents=True, exist_ok=True)
                renderers[fmt].render(guide, ctx)
                timings[fmt] = time.perf_counter() - start
            check_outputs(guide, staging, formats)
            fsync_tree(staging)
            progress("committing the outputs")
            prune = {f for f in formats if not options.get("entity")}
            written = [Written(p, s, c) for p, s, c in commit(staging, out, formats, prune)]
        finally:
            if staging is not None:
                with deferred_signals():  # nor cut the clean-up short
                    shutil.rmtree(staging, ignore_errors=True)
        with deferred_signals():
            cache.flush()
    return BuildResult(guide, written, timings, cache.hits, cache.misses)


def check_outputs(guide: Guide, staging: Path, formats: list[str]) -> None:
    """Checks on the finished outputs before they replace the previous ones (privacy scan, …)."""
    try:
        from .privacy import scan_outputs
    except ImportError:
        return
    scan_outputs(guide, staging, formats)
