"""A content-addressed cache under build/.cache/: results keyed by the hash of what made them."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from guidebuilder import __version__


def digest(*parts: Any) -> str:
    """A stable hash of strings, bytes and JSON-able values."""
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, str):
            data = part.encode()
        else:
            data = json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode()
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=16)
def source_digest(*modules: str) -> str:
    """The text of some of guidebuilder's own modules (paths relative to the package), for cache keys
    whose results depend on that code: a change to it makes them stale."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for module in modules:
        h.update((package / module).read_bytes())
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """Hash every file under a folder, names and contents, in a stable order."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class Cache:
    """Bytes or JSON by key; safe to delete at any time; writes are atomic."""

    def __init__(self, folder: Path | None, enabled: bool = True):
        self.folder = folder
        self.enabled = enabled and folder is not None
        self.hits = 0
        self.misses = 0
        self.pending: dict[Path, bytes] = {}

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key[:2] / key

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        if not self.enabled:
            return None
        pending = self.pending.get(self._path(kind, key))
        if pending is not None:
            self.hits += 1
            return pending
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        try:
            os.utime(path)  # recently used: trim() keeps it
        except OSError:
            pass
        return data

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        """Keep a result in memory; it reaches the disk only when the build succeeds (flush)."""
        if self.enabled:
            self.pending[self._path(kind, key)] = data

    def flush(self) -> int:
        """Write what the build kept; returns how many entries."""
        count = len(self.pending)
        for path, data in sorted(self.pending.items()):
            self._write(path, data)
        self.pending.clear()
        return count

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def trim(self, limit: int, since: float) -> int:
        """Delete the least recently used entries until the cache holds at most `limit` bytes (down
        to 80 % of it, so that a trim is not needed at every build); entries used or written since
        `since` (this build's) are kept whatever the size. Returns the bytes freed."""
        if not self.enabled or not self.folder.is_dir():
            return 0
        entries, total = [], 0
        for kind in self.folder.iterdir():
            if not kind.is_dir():
                continue  # state.json
            for path in kind.glob("*/*"):
                try:
                    st = path.stat()
                except OSError:
                    continue
                if path.name.startswith(".tmp-"):  # left by a write that was cut short
                    if st.st_mtime < since - 3600:
                        path.unlink(missing_ok=True)
                    continue
                entries.append((st.st_mtime, st.st_size, path))
                total += st.st_size
        if total <= limit:
            return 0
        freed = 0
        for mtime, size, path in sorted(entries):
            if total - freed <= limit * 0.8 or mtime >= since:
                break
            try:
                path.unlink()
                freed += size
            except OSError:
                pass
        return freed

    def json(self, kind: str, key: str, make: Callable[[], Any]) -> Any:
        cached = self.get_bytes(kind, key)
        if cached is not None:
            try:
                return json.loads(cached)
            except ValueError:
                pass
        value = make()
        self.put_bytes(kind, key, json.dumps(value, ensure_ascii=False).encode())
        return value

    def bytes(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        cached = self.get_bytes(kind, key)
        if cached is not None:
            return cached
        value = make()
        self.put_bytes(kind, key, value)
        return value


_ACTIVE: ContextVar[Cache] = ContextVar("guidebuilder_cache")


def active() -> Cache:
    """The cache of the build in progress (a disabled one outside a build).

    Deep helpers (charts, layout) use it without every signature carrying the cache.
    """
    return _ACTIVE.get(None) or Cache(None, enabled=False)


@contextmanager
def using(cache: Cache) -> Iterator[Cache]:
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)


_INHERITED: dict = {}  # what the pool this process was forked from handed down (fork_pool's keywords)


def inherited() -> dict:
    """In a worker of fork_pool: the keyword arguments the pool was made with."""
    return _INHERITED


def fork_pool(workers: int, **inherit):
    """A process pool whose workers are forked from this process: they get `inherit` (read with
    inherited()) and the rest of its memory without pickling. The objects alive at that moment are
    frozen out of the garbage collector's reach until the pool shuts down, so the workers'
    collections do not walk (and copy, page by page) the memory they inherited."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    before = dict(_INHERITED)  # what this process itself inherited: it may still need it

    class ForkPool(ProcessPoolExecutor):
        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            try:
                super().shutdown(wait=wait, cancel_futures=cancel_futures)
            finally:
                _INHERITED.clear()
                _INHERITED.update(before)
                gc.unfreeze()

    _INHERITED.clear()
    _INHERITED.update(inherit)  # the workers are all forked at the first submit, and keep it
    gc.freeze()
    return ForkPool(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def size_limit() -> int:
    """Bytes build/.cache may hold before its least recently used entries go: GUIDEBUILDER_CACHE_MB
    megabytes, 512 unless set."""
    wanted = os.environ.get("GUIDEBUILDER_CACHE_MB", "").strip()
    return (int(wanted) if wanted.isdigit() else 512) * 1024 * 1024


def cores() -> int:
    """How many worker processes to use: GUIDEBUILDER_JOBS (set by --jobs), or the usable cores."""
    wanted = os.environ.get("GUIDEBUILDER_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def layout_key(kind: str, html: str, root: Path, asset_dirs, generated: dict, *extra: Any) -> str:
    """The key of a WeasyPrint layout: its HTML and every file it can load (images, fonts, CSS)."""
    from importlib.metadata import version

    return digest(kind, html, version("weasyprint"), tree_digest(root / "images"),
                  [tree_digest(Path(d)) for d in asset_dirs],
                  sorted((name, hashlib.sha256(data).hexdigest()) for name, data in generated.items()), *extra)
