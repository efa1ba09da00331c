"""The content-addressed store: results kept in memory until the build succeeds, then written; trimmed by age."""

from __future__ import annotations

import os
import time

from guidebuilder.core.cache import Cache
from guidebuilder.core.digest import digest


def test_a_result_reaches_the_disk_only_when_flushed(tmp_path):
    cache = Cache(tmp_path / ".cache")
    cache.put_bytes("layout", "ab12", b"pdf")
    assert not any((tmp_path / ".cache").rglob("ab12"))  # a failed build leaves nothing behind
    assert cache.get_bytes("layout", "ab12") == b"pdf"
    assert cache.flush() == 1
    again = Cache(tmp_path / ".cache")
    assert again.get_bytes("layout", "ab12") == b"pdf" and again.hits == 1


def test_a_disabled_cache_keeps_nothing(tmp_path):
    cache = Cache(tmp_path / ".cache", enabled=False)
    cache.put_bytes("layout", "ab12", b"pdf")
    assert cache.get_bytes("layout", "ab12") is None
    assert cache.json("ast", "cd34", lambda: [1, 2]) == [1, 2] and cache.flush() == 0


def test_json_is_made_once(tmp_path):
    cache = Cache(tmp_path / ".cache")
    calls = []
    make = lambda: calls.append(1) or {"a": 1}  # noqa: E731
    assert cache.json("ast", "k1", make) == {"a": 1}
    assert cache.json("ast", "k1", make) == {"a": 1}
    assert calls == [1]


def test_trim_drops_the_least_recently_used_but_never_this_builds(tmp_path):
    cache = Cache(tmp_path / ".cache")
    for i in range(4):
        cache.put_bytes("layout", f"k{i}", b"x" * 1000)
    cache.flush()
    old = time.time() - 3600
    for i in range(3):
        os.utime(cache._path("layout", f"k{i}"), (old + i, old + i))
    since = time.time() - 60
    freed = cache.trim(limit=2500, since=since)
    left = sorted(p.name for p in (tmp_path / ".cache").rglob("k*") if p.is_file())
    assert freed == 2000 and left == ["k2", "k3"]  # k3 is this build's: kept whatever the size


def test_digest_tells_apart_what_concatenation_would_not():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
