"""Stable hashes: of values, files, folders and guidebuilder's own code (for cache keys)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    package = Path(__file__).resolve().parents[1]  # src/guidebuilder
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
