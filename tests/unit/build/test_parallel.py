"""The build's way to run work side by side: order, errors, the cache entries workers add, and beside()."""

from __future__ import annotations

import os

import pytest

from guidebuilder.builder.parallel import Parallel
from guidebuilder.core.cache import Cache
from guidebuilder.render.base import InOrder


def test_results_come_in_task_order_from_other_processes(tmp_path):
    parallel = Parallel(Cache(tmp_path), jobs=2)
    here = os.getpid()
    results = parallel.run([lambda i=i: (i, os.getpid()) for i in range(4)])
    assert [i for i, _ in results] == [0, 1, 2, 3]
    assert all(pid != here for _, pid in results)


def test_what_a_worker_adds_to_the_cache_comes_back(tmp_path):
    cache = Cache(tmp_path)
    parallel = Parallel(cache, jobs=2)
    parallel.run([lambda: cache.put_bytes("k", "one", b"1"), lambda: cache.put_bytes("k", "two", b"2")])
    assert cache.get_bytes("k", "one") == b"1" and cache.get_bytes("k", "two") == b"2"


def test_meanwhile_runs_here_while_the_workers_run(tmp_path):
    seen = []
    results = Parallel(Cache(tmp_path), jobs=2).run([lambda: 1, lambda: 2], meanwhile=lambda: seen.append(os.getpid()))
    assert results == [1, 2] and seen == [os.getpid()]


def test_the_first_failure_in_task_order_is_raised(tmp_path):
    def bad(message):
        def task():
            raise ValueError(message)
        return task

    with pytest.raises(ValueError, match="first"):
        Parallel(Cache(tmp_path), jobs=2).run([lambda: 1, bad("first"), bad("second")])


def test_one_core_runs_in_this_process(tmp_path):
    here = os.getpid()
    assert Parallel(Cache(tmp_path), jobs=1).run([lambda: os.getpid()]) == [here]
    assert InOrder().run([lambda: os.getpid()]) == [here]


def test_beside_computes_in_a_child_and_gives_json_back():
    result = Parallel.beside(lambda: {"pid": os.getpid(), "list": [1, "a"]})
    got = result()
    assert got["list"] == [1, "a"] and got["pid"] != os.getpid()


def test_one_task_with_work_meanwhile_runs_beside_it(tmp_path):
    # the DOCX finishes its review edition in a worker while this process finishes the document
    here = os.getpid()
    seen = []
    [pid] = Parallel(Cache(tmp_path), jobs=2).run([lambda: os.getpid()], meanwhile=lambda: seen.append(os.getpid()))
    assert pid != here and seen == [here]
    [alone] = Parallel(Cache(tmp_path), jobs=2).run([lambda: os.getpid()])
    assert alone == here  # nothing to do meanwhile: no process is made for one task
