"""The bad-input corpus (tests/bad_input/): one defect per case, one exact message, build/ untouched.

Each case folder holds `case.yml` (what to change in a copy of tests/fixtures/mini), optionally
`files/` (files laid over the copy, byte for byte) and `expected.txt` (the exact stderr of
`guidebuilder build -q`, with the temporary folder written as <tmp>). Cases with `expect: ok`
must build (a BOM or Windows line ends are accepted) and show the text named in `check`.

Set GB_REGEN_BAD_INPUT=1 to rewrite expected.txt from the current messages (then review the diff).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES, ROOT, run_cli, tree_hashes

CORPUS = ROOT / "tests" / "bad_input"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yml").is_file())
REGEN = os.environ.get("GB_REGEN_BAD_INPUT") == "1"
# A diagnostic line: file:line[:col]: error: …  (a command-line error names no file)
LOCATED = re.compile(r"^\S+:\d+(?::\d+)?: error: \S")


def load_case(name: str) -> dict:
    return YAML(typ="safe").load((CORPUS / name / "case.yml").read_text(encoding="utf-8")) or {}


def make_guide(name: str, dest: Path) -> tuple[Path, dict]:
    """A copy of the mini guide with the case's one defect applied."""
    spec = load_case(name)
    guide = dest / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    for change in spec.get("replace", []):
        path = guide / change["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(change["old"]) == 1, f"{name}: '{change['old']}' must occur once in {change['file']}"
        path.write_bytes(text.replace(change["old"], change["new"]).encode("utf-8"))
    for rel in spec.get("delete", []):
        (guide / rel).unlink()
    for rel in spec.get("mkdir", []):
        (guide / rel).mkdir(parents=True)
    overlay = CORPUS / name / "files"
    if overlay.is_dir():
        for src in sorted(p for p in overlay.rglob("*") if p.is_file()):
            target = guide / src.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(src.read_bytes())
    for rel, target in (spec.get("symlink") or {}).items():
        link = guide / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    for rel, size in (spec.get("big") or {}).items():
        line = b"- id: relleno\n  name: Texto de relleno para un archivo enorme.\n" if rel.endswith(".yml") \
            else b"Texto de relleno para un archivo enorme, una y otra vez.\n"
        (guide / rel).write_bytes(b"# Enorme\n\n" * (not rel.endswith(".yml")) + line * (size // len(line) + 1))
    for rel, mode in (spec.get("chmod") or {}).items():
        os.chmod(guide / rel, int(str(mode), 8))
    return guide, spec


def run_in_process(*argv: str) -> tuple[int, str]:
    """Run the CLI in this process (fast: no interpreter start-up); any non-GuideError escapes."""
    from guidebuilder.cli import main

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, err.getvalue()


@pytest.fixture(scope="module")
def good_build(built_mini, tmp_path_factory) -> Path:
    """A previous complete build of the mini guide, in a folder of this module's own."""
    out = tmp_path_factory.mktemp("bad-input") / "build"
    shutil.copytree(built_mini, out, symlinks=True)
    assert (out / "pdf").is_dir() and (out / "html" / "index.html").is_file()
    return out


def test_corpus_is_big_enough():
    bad = [c for c in CASES if load_case(c).get("expect", "error") == "error"]
    assert len(bad) >= 40, bad
    for name in CASES:
        assert load_case(name).get("description"), f"{name}: say what the defect is"
        if load_case(name).get("expect", "error") == "error":
            assert (CORPUS / name / "expected.txt").is_file() or REGEN, f"{name}: no expected.txt"


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, good_build: Path, tmp_path: Path):
    guide, spec = make_guide(name, tmp_path)
    if spec.get("chmod") and os.geteuid() == 0:
        pytest.skip("runs as root, and root reads a file whatever its permissions (chmod 000 stops "
                    "nobody); the unreadable-file path is exercised by test_unreadable_file_message")
    if spec.get("expect") == "ok":
        out = tmp_path / "build"
        code, err = run_in_process("build", "--guide", str(guide), "--out", str(out), "-q", "--format", "html")
        assert code == 0, err
        assert "Traceback" not in err
        for rel, needle in (spec.get("check") or {}).items():
            text = (out / rel).read_text(encoding="utf-8")
            assert needle in text
            assert "\ufeff" not in text and "\r" not in text
        return
    before = tree_hashes(good_build)
    assert before, "the previous good build must be in place"
    code, err = run_in_process("build", "--guide", str(guide), "--out", str(good_build), "-q",
                               *[str(a) for a in spec.get("args", [])])
    err = err.replace(str(tmp_path), "<tmp>")
    assert code not in (0, None), err
    assert "Traceback" not in err
    expected_file = CORPUS / name / "expected.txt"
    if REGEN:
        expected_file.write_text(err, encoding="utf-8")
    assert err == expected_file.read_text(encoding="utf-8")
    # One message per defect, each naming file:line (command-line errors name no file).
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == spec.get("errors", 1), errors
    if not spec.get("no_line"):
        assert all(LOCATED.match(line) for line in errors), errors
    assert all(line.startswith("    solución: ") or ": error: " in line or line.startswith("guidebuilder: ")
               or ": consecuencia: " in line or ": aviso: " in line
               for line in err.splitlines()), err
    assert tree_hashes(good_build) == before, "a failed build changed build/"


def test_unreadable_file_message(tmp_path: Path, monkeypatch):
    """A chapter the builder may not read: a file:line error (simulated, since tests run as root)."""
    guide, _ = make_guide("unreadable-chapter", tmp_path)
    real = Path.read_bytes

    def deny(self):
        if self.name == "que-es.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, err = run_in_process("check", "--guide", str(guide), "-q")
    assert code == 1
    err = err.replace(str(tmp_path), "<tmp>")
    if REGEN:
        (CORPUS / "unreadable-chapter" / "expected.txt").write_text(err, encoding="utf-8")
    assert err == (CORPUS / "unreadable-chapter" / "expected.txt").read_text(encoding="utf-8")


# A few cases through the real command, as an editor runs it (a new interpreter each time).
SUBPROCESS_CASES = ["yaml-syntax-guide", "billion-laughs", "symlink-chapter-out", "svg-with-script",
                    "unknown-format"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_command(name: str, good_build: Path, tmp_path: Path):
    guide, spec = make_guide(name, tmp_path)
    before = tree_hashes(good_build)
    result = run_cli("build", "--guide", str(guide), "--out", str(good_build), "-q",
                     *[str(a) for a in spec.get("args", [])])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.replace(str(tmp_path), "<tmp>") == (CORPUS / name / "expected.txt").read_text()
    assert tree_hashes(good_build) == before
