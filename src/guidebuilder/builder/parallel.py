"""The only place that forks, pools and lowers priorities: the build's way to run work side by side.

Renderers get a `Parallel` in their context and hand it plain functions (closures); they never fork,
renice or read module state themselves. Workers are forked (not spawned), so a task's closure and
everything it reaches (the guide, the cache) are inherited, never pickled; only results travel back.
What a task adds to the build's cache comes back with its result and is merged here.
"""

from __future__ import annotations

import gc
import json
import os
from typing import Any, Callable, Sequence

# The tasks of the pool this process is a worker of (by index): set just before the workers fork.
_TASKS: list = []


def cores() -> int:
    """How many worker processes to use: GUIDEBUILDER_JOBS (set by --jobs), or the usable cores."""
    wanted = os.environ.get("GUIDEBUILDER_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def lower_priority(niceness: int) -> None:
    """Leave the cores to more urgent work (the book's layout, a build's longest path)."""
    if niceness:
        try:
            os.nice(niceness)
        except OSError:
            pass


def _run_task(index: int) -> tuple[Any, dict]:
    """In a worker: run one inherited task; return its result and what it added to the cache."""
    task, cache, niceness = _TASKS[index]
    global _LOWERED
    if niceness and not _LOWERED:  # a worker may run two tasks: lower it once
        _LOWERED = True
        lower_priority(niceness)
    before = set(cache.pending) if cache is not None else set()
    hits, misses = (cache.hits, cache.misses) if cache is not None else (0, 0)
    value = task()
    added = {k: v for k, v in cache.pending.items() if k not in before} if cache is not None else {}
    counts = (cache.hits - hits, cache.misses - misses) if cache is not None else (0, 0)
    return value, {"pending": added, "counts": counts}


_LOWERED = False


class Parallel:
    """Run functions side by side in forked worker processes (or here, in order, on one core)."""

    def __init__(self, cache=None, jobs: int | None = None):
        self.cache = cache
        self.cores = jobs or cores()

    def run(self, tasks: Sequence[Callable[[], Any]], lower: Sequence[int] = (),
            meanwhile: Callable[[], Any] | None = None, workers: int | None = None) -> list:
        """The results of `tasks`, in order; `lower[i]` is task i's niceness in its worker.

        `meanwhile` runs in this process once the workers are forked (all at the first submit, so no
        thread of ours is ever forked), or after the tasks on one core. A task's exception is raised
        here, the first in task order, after every task has finished.
        """
        workers = min(len(tasks), workers or self.cores)
        # one task and work to do meanwhile still gain from a second process (the DOCX's two editions)
        if self.cores < 2 or not tasks or (workers < 2 and meanwhile is None):
            results = [task() for task in tasks]
            if meanwhile is not None:
                meanwhile()
            return results
        return self._forked(tasks, lower, meanwhile, max(1, workers))

    def _forked(self, tasks, lower, meanwhile, workers: int) -> list:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _TASKS
        before = _TASKS
        _TASKS = [(task, self.cache, lower[i] if i < len(lower) else 0) for i, task in enumerate(tasks)]
        gc.freeze()  # the workers' collections must not walk (and copy) what they inherited
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = [pool.submit(_run_task, i) for i in range(len(tasks))]
                if meanwhile is not None:
                    meanwhile()
                outcomes = []
                for future in futures:
                    try:
                        outcomes.append((True, future.result()))
                    except BaseException as exc:  # noqa: BLE001  (raised below, in task order)
                        outcomes.append((False, exc))
        finally:
            _TASKS = before
            gc.unfreeze()
        results = []
        for ok, outcome in outcomes:
            if not ok:
                raise outcome
            value, extra = outcome
            self._merge(extra)
            results.append(value)
        return results

    def _merge(self, extra: dict) -> None:
        if self.cache is None:
            return
        self.cache.pending.update(extra["pending"])
        self.cache.hits += extra["counts"][0]
        self.cache.misses += extra["counts"][1]

    @staticmethod
    def beside(task: Callable[[], Any]) -> Callable[[], Any]:
        """Start `task` (JSON in, JSON out) in a forked child; return the function that waits for its
        result. If the child cannot be made or fails, the task runs here when its result is asked for."""
        try:
            read, write = os.pipe()
            pid = os.fork()
        except OSError:
            found = task()
            return lambda: found
        if pid == 0:  # the child: work, send, and leave without running any clean-up of the parent's
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(json.dumps(task(), ensure_ascii=False).encode())
            finally:
                os._exit(0)
        os.close(write)

        def result() -> Any:
            with os.fdopen(read, "rb") as given:
                data = given.read()
            _, status = os.waitpid(pid, 0)
            try:
                if status == 0 and data:
                    return json.loads(data)
            except ValueError:
                pass
            return task()

        return result
