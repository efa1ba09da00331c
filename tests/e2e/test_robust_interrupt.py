"""Interrupted and concurrent builds: every output file in build/ is always a complete version.

Two known builds: A (the mini guide) and B (the same with a chapter edited). Builds that switch
build/ between A and B are killed (SIGINT or SIGKILL) at random moments, half of them late, while
the files are committed; after each kill every file must hash to its A or its B version.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, tree_hashes


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


FORMATS = ["html", "docx"]
KILLS = 10
SEED = 20261122


def command(guide: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "guidebuilder.cli", "build", "--guide", str(guide), "--out", str(out),
            "--format", ",".join(FORMATS), *extra]


def outputs(out: Path) -> dict[str, str]:
    """Hashes of the output files (the formats' folders), by path relative to build/."""
    found: dict[str, str] = {}
    for fmt in FORMATS:
        found.update({f"{fmt}/{k}": v for k, v in tree_hashes(out / fmt).items()})
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("interrupt")
    guide_a, guide_b = base / "a" / "guide", base / "b" / "guide"
    shutil.copytree(FIXTURES / "mini", guide_a)
    shutil.copytree(FIXTURES / "mini", guide_b)
    config = guide_b / "guide.yml"  # the edition's name is on every page: many files change
    config.write_text(config.read_text(encoding="utf-8").replace("edition: Borrador para revisión",
                                                                 "edition: Segundo borrador"), encoding="utf-8")
    chapter = guide_b / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") +
                       "\nUn párrafo nuevo de la edición B, para que cambien las salidas.\n", encoding="utf-8")
    out, out_b = base / "build", base / "build-b"
    start = time.monotonic()
    assert subprocess.run(command(guide_a, out, "-q"), capture_output=True).returncode == 0
    duration = time.monotonic() - start
    assert subprocess.run(command(guide_b, out_b, "-q"), capture_output=True).returncode == 0
    shutil.copytree(out, base / "build-a")  # kept as it is: the other tests start from a copy of A
    a, b = outputs(out), outputs(out_b)
    assert a != b  # (the search index's file names follow its content: A and B have some names of their own)
    changed = sorted(k for k in a if a[k] != b.get(k))
    assert "html/que-es.html" in changed and any(k.startswith("docx/") for k in changed)
    return {"a": guide_a, "b": guide_b, "out": out, "hash_a": a, "hash_b": b, "duration": duration, "base": base}


def check_complete(out: Path, hash_a: dict, hash_b: dict, allow_staging: bool) -> str:
    """Every output is A's or B's complete version; returns 'A', 'B' or 'mixed'."""
    now = outputs(out)
    assert set(now) <= set(hash_a) | set(hash_b), "an output file that is neither A's nor B's"
    assert set(hash_a) & set(hash_b) <= set(now), "an output file of both A and B is missing"
    assert set(now) >= set(hash_a) or set(now) >= set(hash_b), "neither A's nor B's outputs are all there"
    versions = set()
    for rel, digest in now.items():
        assert digest in (hash_a.get(rel), hash_b.get(rel)), f"{rel} is neither the old nor the new complete version"
        if hash_a.get(rel) != hash_b.get(rel):
            versions.add("A" if digest == hash_a.get(rel) else "B")
    for entry in out.iterdir():
        if entry.name.startswith(".staging-"):
            assert allow_staging, f"{entry.name} left behind"
        else:
            assert entry.name in (*FORMATS, ".cache"), f"unexpected {entry.name} in build/"
    return versions.pop() if len(versions) == 1 else "mixed"


def test_killed_builds_leave_complete_files(builds):
    """KILLS builds, each switching build/ between A and B, killed at a random moment: a third of
    them anywhere in the build, the rest while the outputs are committed (slowed down by
    GUIDEBUILDER_TEST_COMMIT_PAUSE so that the signal lands between two renames)."""
    rng = random.Random(SEED)
    out, hash_a, hash_b = builds["out"], builds["hash_a"], builds["hash_b"]
    changed = [k for k in hash_a if hash_a[k] != hash_b.get(k)]
    seen = {"A": 0, "B": 0, "mixed": 0, "finished": 0, "in_commit": 0}
    timings: list[float] = []
    pause = 0.1
    env = {**os.environ, "GUIDEBUILDER_TEST_COMMIT_PAUSE": str(pause)}
    for i in range(KILLS):
        guide = builds["b"] if i % 2 == 0 else builds["a"]
        sig = signal.SIGINT if i % 4 in (0, 1) else signal.SIGKILL
        in_commit = i % 3 != 0
        stale = set(out.glob(".staging-*"))  # left by an earlier SIGKILL, cleared by the next build that stages
        started = time.monotonic()
        proc = subprocess.Popen(command(guide, out, "-v"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=env)
        lines: list[str] = []
        if in_commit:
            seen["in_commit"] += 1
            for line in proc.stderr:
                lines.append(line)
                if "committing the outputs" in line:
                    break
            time.sleep(rng.uniform(0.05, pause * (len(changed) - 1)))
        else:
            time.sleep(rng.uniform(0.2, builds["duration"]))
        if proc.poll() is None:
            proc.send_signal(sig)
        else:
            seen["finished"] += 1
        stderr = "".join(lines) + proc.communicate(timeout=120)[1]
        assert "Traceback" not in stderr, stderr
        if sig == signal.SIGINT:
            # 130: interrupted; 0: it had finished; -2: the signal came as the interpreter was exiting
            assert proc.returncode in (0, 130, -signal.SIGINT), (proc.returncode, stderr)
            if proc.returncode == 130:
                assert "guidebuilder: interrupted" in stderr
            assert set(out.glob(".staging-*")) <= stale, "an interrupted build left its staging folder"
        seen[check_complete(out, hash_a, hash_b, allow_staging=True)] += 1
        timings.append(round(time.monotonic() - started, 1))
    print(f"kills: {KILLS}, files that change: {len(changed)}, outcomes: {seen}, seconds each: {timings}, a build: {builds['duration']:.1f} s")
    assert seen["mixed"] >= 1, "no kill landed mid-commit: the test did not test the commit"
    # The next build succeeds, clears what a killed build left, and gives exactly B.
    final = subprocess.run(command(builds["b"], out, "-q"), capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert check_complete(out, hash_a, hash_b, allow_staging=False) == "B"
    assert outputs(out) == hash_b


def test_sigterm_is_a_clean_interruption(builds, tmp_path):
    out = tmp_path / "build"
    shutil.copytree(builds["base"] / "build-a", out)
    proc = subprocess.Popen(command(builds["b"], out, "-v"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    for line in proc.stderr:
        if "html: rendering" in line:
            break
    proc.send_signal(signal.SIGTERM)
    stderr = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, stderr
    assert "guidebuilder: interrupted" in stderr and "Traceback" not in stderr
    assert not list(out.glob(".staging-*"))
    for rel, digest in outputs(out).items():  # stopped while rendering (or, on a slow machine, committing)
        assert digest in (builds["hash_a"].get(rel), builds["hash_b"].get(rel))


def _hold_lock(out: Path) -> int:
    import fcntl

    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def test_second_build_refuses_or_waits(builds, tmp_path):
    """While a build holds build/ (here the test holds its lock), --no-wait refuses, and a plain build queues."""
    import fcntl

    out = tmp_path / "build"
    shutil.copytree(builds["base"] / "build-a", out)
    fd = _hold_lock(out)
    try:
        refused = subprocess.run(command(builds["b"], out, "--no-wait", "-q"), capture_output=True, text=True)
        assert refused.returncode == 1
        assert refused.stderr.startswith(f"{out}: error: another guidebuilder build is writing here")
        assert "Traceback" not in refused.stderr
        queued = subprocess.Popen(command(builds["b"], out, "-v"), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        said = ""
        while "finish" not in said:  # the message may be wrapped over lines
            line = queued.stderr.readline()
            assert line, "the queued build ended without saying it waits"
            said += line
        said = " ".join(said.replace("·", "").split())
        assert said.startswith("another guidebuilder build is writing to") and "waiting for it to finish" in said
        time.sleep(0.5)
        assert queued.poll() is None, "the queued build must wait for the lock"
        assert outputs(out) == builds["hash_a"]
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    err = queued.communicate(timeout=120)[1]
    assert queued.returncode == 0, err
    assert outputs(out) == builds["hash_b"]


def test_two_builds_at_once(builds, tmp_path):
    """Two real builds started together on the same guide and build/: both succeed, nothing corrupted."""
    out = tmp_path / "build"
    shutil.copytree(builds["base"] / "build-a", out)  # build/ holds A; both builds make B
    procs = [subprocess.Popen(command(builds["b"], out, "-v"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    errs = [p.communicate(timeout=180)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert all("Traceback" not in e for e in errs)
    assert outputs(out) == builds["hash_b"]
    assert not list(out.glob(".staging-*"))
