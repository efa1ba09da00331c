"""External tools failing: pandoc missing, crashing, killed, hanging or talking nonsense, WeasyPrint
missing or failing. Each gives one message naming the tool, what it was doing and how to fix the
set-up; never a traceback; build/ unchanged."""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli, tree_hashes


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


PANDOC_FIX = ("    fix: run 'make guide' again to reinstall pypandoc-binary (it ships pandoc); "
              "set GUIDEBUILDER_PANDOC only to point at a working pandoc 3")


@pytest.fixture(scope="module")
def setup(built_mini, tmp_path_factory):
    from guidebuilder.pandoc.tools import pandoc_path

    base = tmp_path_factory.mktemp("tools")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    out = base / "build"
    shutil.copytree(built_mini, out)
    return {"guide": guide, "out": out, "base": base, "pandoc": pandoc_path()}


def fake_pandoc(setup, name: str, body: str, executable: bool = True) -> Path:
    """A pandoc that answers --version like the real one, then does `body` for any real work."""
    path = setup["base"] / name
    path.write_text(f'#!/bin/sh\nif [ "$1" = "--version" ]; then exec "{setup["pandoc"]}" "$@"; fi\n{body}\n')
    path.chmod(0o755 if executable else 0o644)
    return path


def build_with(setup, pandoc: str, **env) -> tuple[int, str]:
    before = tree_hashes(setup["out"])
    result = run_cli("build", "--guide", str(setup["guide"]), "--out", str(setup["out"]), "-q", "--no-cache",
                     "--format", "html", env={"GUIDEBUILDER_PANDOC": pandoc, **env}, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert tree_hashes(setup["out"]) == before, "a failed build changed build/"
    return result.returncode, result.stderr.replace(str(setup["base"]), "<tmp>")


def test_pandoc_missing(setup):
    code, err = build_with(setup, "/nonexistent/pandoc")
    assert code == 1
    assert err == ("pandoc: error: pandoc failed while checking its version: program not found at "
                   f"/nonexistent/pandoc\n{PANDOC_FIX}\nguidebuilder: 1 error; nothing was written\n")


def test_pandoc_not_executable(setup):
    code, err = build_with(setup, str(fake_pandoc(setup, "noexec", "exit 0", executable=False)))
    assert code == 1
    assert err.startswith("pandoc: error: pandoc failed while checking its version: program at "
                          "<tmp>/noexec cannot be run")


def test_pandoc_crashes(setup):
    code, err = build_with(setup, str(fake_pandoc(setup, "crash", 'echo "pandoc: simulated crash" >&2; exit 1')))
    assert code == 1
    assert err == ("pandoc: error: pandoc failed while reading a chapter's Markdown: pandoc: simulated crash\n"
                   f"{PANDOC_FIX}\nguidebuilder: 1 error; nothing was written\n")


def test_pandoc_killed_by_a_signal(setup):
    code, err = build_with(setup, str(fake_pandoc(setup, "killed", "kill -9 $$")))
    assert code == 1
    assert err.startswith("pandoc: error: pandoc failed while reading a chapter's Markdown: killed by signal 9\n")


def test_pandoc_answers_nonsense(setup):
    code, err = build_with(setup, str(fake_pandoc(setup, "nonsense", "cat >/dev/null; echo hola")))
    assert code == 1
    assert err.startswith("pandoc: error: pandoc failed while reading a chapter's Markdown: it answered with "
                          "something that is not pandoc's JSON ('hola\\n')")


def test_pandoc_times_out_and_is_stopped(setup):
    pidfile = setup["base"] / "sleeper.pid"
    hang = fake_pandoc(setup, "hang", f'sleep 60 &\necho $! > "{pidfile}"\nwait')
    start = time.monotonic()
    code, err = build_with(setup, str(hang), GUIDEBUILDER_TOOL_TIMEOUT="2")
    assert code == 1 and time.monotonic() - start < 45
    assert err.startswith("pandoc: error: pandoc failed while reading a chapter's Markdown: no answer after "
                          "2 s (stopped)\n")
    assert "set GUIDEBUILDER_TOOL_TIMEOUT to more seconds" in err
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    assert not _running(pid), "the tool's own children must be stopped too"


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed process whose parent is gone may wait a while to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _in_process(*argv: str) -> tuple[int, str]:
    from guidebuilder.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return code, err.getvalue()


def test_weasyprint_fails(setup, monkeypatch):
    import weasyprint

    def broken(self, *args, **kwargs):
        raise RuntimeError("simulated failure inside WeasyPrint")

    monkeypatch.setattr(weasyprint.HTML, "render", broken)  # write_pdf calls it too
    before = tree_hashes(setup["out"])
    code, err = _in_process("build", "--guide", str(setup["guide"]), "--out", str(setup["out"]), "-q",
                            "--no-cache", "--format", "pdf")
    assert code == 1
    assert err == ("WeasyPrint: error: WeasyPrint failed while laying out the PDF: RuntimeError: simulated "
                   "failure inside WeasyPrint\n    fix: check the CSS in assets/css/ and the images the guide "
                   "uses\nguidebuilder: 1 error; nothing was written\n")
    assert tree_hashes(setup["out"]) == before


def test_weasyprint_missing(setup, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    before = tree_hashes(setup["out"])
    code, err = _in_process("build", "--guide", str(setup["guide"]), "--out", str(setup["out"]), "-q",
                            "--no-cache", "--format", "pdf,leaflet")
    assert code == 1
    assert err.startswith("WeasyPrint: error: WeasyPrint failed while starting up: ")
    assert "fix: run 'make guide' again; WeasyPrint needs Pango (scripts/system-deps.sh installs it)" in err
    assert tree_hashes(setup["out"]) == before


def test_weasyprint_hangs(setup, monkeypatch):
    """WeasyPrint runs in-process: a layout that never ends is stopped by the tool timeout."""
    import weasyprint

    def hang(self, *args, **kwargs):
        time.sleep(60)

    monkeypatch.setattr(weasyprint.HTML, "render", hang)  # the whole book and its parts alike
    monkeypatch.setenv("GUIDEBUILDER_TOOL_TIMEOUT", "1")
    before = tree_hashes(setup["out"])
    start = time.monotonic()
    code, err = _in_process("build", "--guide", str(setup["guide"]), "--out", str(setup["out"]), "-q",
                            "--no-cache", "--format", "pdf")
    assert code == 1 and time.monotonic() - start < 30
    assert err.startswith("WeasyPrint: error: WeasyPrint failed while laying out the PDF: no answer after 1 s "
                          "(stopped)\n    fix: check the CSS in assets/css/ and the images the guide uses; on a "
                          "very slow machine set GUIDEBUILDER_TOOL_TIMEOUT to more seconds\n"), err
    assert tree_hashes(setup["out"]) == before


def test_unreadable_folder_is_a_message(setup, monkeypatch):
    """A folder the builder may not enter (as non-root: chmod 000) is a message, not a traceback."""
    real = Path.is_dir

    def denied(self):
        if self.name == "chapters" or self.parent.name == "chapters":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_dir", denied)
    code, err = _in_process("check", "--guide", str(setup["guide"]), "-q")
    assert code == 1
    assert ": error: Permission denied\n    fix: check the permissions: the guide must be readable" in err
    assert "chapters" in err.splitlines()[0]


def test_disk_full_is_a_message(setup, monkeypatch):
    """No space left while writing the staged outputs: a message; build/ keeps the previous outputs."""
    from guidebuilder.core import files as output

    real = output.write_bytes

    def full(path, data):
        if path.suffix == ".docx":
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(output, "write_bytes", full)
    monkeypatch.setattr("guidebuilder.render.docx.document.write_bytes", full)
    monkeypatch.setattr("guidebuilder.builder.output.write_bytes", full)
    before = tree_hashes(setup["out"])
    code, err = _in_process("build", "--guide", str(setup["guide"]), "--out", str(setup["out"]), "-q",
                            "--format", "html,docx")
    assert code == 1
    assert ": error: No space left on device\n    fix: free some disk space" in err
    assert tree_hashes(setup["out"]) == before
    assert not list(setup["out"].glob(".staging-*"))
