"""Safe outputs: a build writes into a staging folder, then each file is renamed into place.

At every moment each output file in build/ is either the previous complete version or the new
complete version. A lock makes a second build on the same folder wait for the first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from guidebuilder.core.files import write_bytes, write_text  # noqa: F401  (the commit writes through them)
from guidebuilder.model.errors import GuideError
from guidebuilder.model.messages import t

# For the interruption tests only: seconds to wait after each rename, so that a kill lands mid-commit.
try:
    _PAUSE = max(0.0, float(os.environ.get("GUIDEBUILDER_TEST_COMMIT_PAUSE", "0")))
except ValueError:
    _PAUSE = 0.0


@contextmanager
def build_lock(out: Path, wait: bool = True, say=print) -> Iterator[None]:
    """Hold an exclusive lock on the build folder itself; a second build waits (or refuses)."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise GuideError.of(out, "lock.busy") from None
            say(t("lock.waiting", out=out))
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back during a short critical step; they take effect right after it."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):  # no POSIX signal masks here: run the step as is
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def new_staging(out: Path) -> Path:
    """A fresh staging folder inside build/ (same file system, so renames are atomic)."""
    out.mkdir(parents=True, exist_ok=True)
    clear_stale_staging(out)
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=out))


def clear_stale_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed."""
    for old in out.glob(".staging-*"):
        shutil.rmtree(old, ignore_errors=True)


def commit(staging: Path, out: Path, formats: list[str], prune: set[str]) -> list[tuple[Path, int, bool]]:
    """Move each staged file into build/<format>/ by rename; prune stale files of fully built formats.

    Formats are committed one after the other, each file by an atomic rename.

    Returns (path, size, changed) for every output. Files whose bytes did not change are left
    untouched (same mtime), so tools watching build/ see only real changes.
    """
    results: list[tuple[Path, int, bool]] = []
    for fmt in formats:
        src_root, dst_root = staging / fmt, out / fmt
        if not src_root.is_dir():
            continue
        produced: set[Path] = set()
        staged = sorted(p for p in src_root.rglob("*") if p.is_file())
        # New names first, replacements after, stale files last: a file that names another
        # (a page its image, the search entry its index) never points at one not yet there.
        staged.sort(key=lambda p: (dst_root / p.relative_to(src_root)).exists())
        for src in staged:
            rel = src.relative_to(src_root)
            dst = dst_root / rel
            produced.add(rel)
            data_size = src.stat().st_size
            if dst.is_file() and dst.stat().st_size == data_size and _same(src, dst):
                results.append((dst, data_size, False))
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            results.append((dst, data_size, True))
            if _PAUSE:
                time.sleep(_PAUSE)
        if fmt in prune and dst_root.is_dir():
            for old in sorted(p for p in dst_root.rglob("*") if p.is_file()):
                if old.relative_to(dst_root) not in produced and not old.name.startswith("."):
                    old.unlink()
            for folder in sorted((p for p in dst_root.rglob("*") if p.is_dir()), reverse=True):
                if not any(folder.iterdir()):
                    folder.rmdir()
    return results


def _same(a: Path, b: Path) -> bool:
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            ca, cb = fa.read(1 << 20), fb.read(1 << 20)
            if ca != cb:
                return False
            if not ca:
                return True


def fsync_tree(path: Path) -> None:
    """Flush a staging tree to disk before it is renamed into place."""
    for p in path.rglob("*"):
        if p.is_file():
            with p.open("rb") as fh:
                os.fsync(fh.fileno())


def now() -> float:
    return time.perf_counter()
