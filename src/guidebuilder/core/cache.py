"""A content-addressed store under build/.cache/: results keyed by the hash of what made them.

Results are kept in memory during a build (`pending`) and reach the disk only when the build has
succeeded (`flush`), so a failed build leaves build/ as it was. The build owns the one Cache of a
build and hands it to each stage; nothing reads it from module state.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


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
