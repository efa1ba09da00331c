"""The build's cache plumbing: how large build/.cache may grow. The store itself is
guidebuilder.core.cache.Cache, made by the build and handed to every stage that uses it."""

from __future__ import annotations

import os

from guidebuilder.core.cache import Cache  # noqa: F401  (the build's store)


def size_limit() -> int:
    """Bytes build/.cache may hold before its least recently used entries go: GUIDEBUILDER_CACHE_MB
    megabytes, 512 unless set."""
    wanted = os.environ.get("GUIDEBUILDER_CACHE_MB", "").strip()
    return (int(wanted) if wanted.isdigit() else 512) * 1024 * 1024
