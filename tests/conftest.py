"""Shared fixtures: small guides copied into a temporary folder, and a runner for the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _messages_in_spanish_unless_pinned():
    """Each test starts with the guide's language (Spanish): a CLI run in this process with `--lang en`
    must not leave English to the tests after it. Modules that read English use `english_messages`."""
    from guidebuilder.model import messages

    messages.set_language("es")
    yield
    messages.set_language("es")


@pytest.fixture
def english_messages(monkeypatch):
    """Messages read in English (`--lang en`), for the modules that pin them so (`pytestmark =
    pytest.mark.usefixtures("english_messages")`); tests/bad_input pins the Spanish ones."""
    from guidebuilder.model import messages

    monkeypatch.setenv("GUIDEBUILDER_LANG", "en")
    messages.set_language("en")
    yield
    messages.set_language("es")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small fixture guide, safe to edit; returns the guide folder."""
    dest = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def copy_fixture(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(FIXTURES / name, dest)
    return dest


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 600) \
        -> subprocess.CompletedProcess:
    """Run `guidebuilder` in a subprocess, as an editor would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "guidebuilder.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file under folder (hidden ones included) with its SHA-256."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory) -> Path:
    """The mini guide built once into every default format; returns the build folder. Read only."""
    base = tmp_path_factory.mktemp("built-mini")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    return out


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a module's tests (closed at its end: another module may start Playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is not installed (scripts/system-deps.sh test installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def served(site: Path):
    """The module's built site (its `site` fixture) on a plain static file server: what any web host does."""
    from guidebuilder.checks.layout_html import serve

    with serve(site) as base:
        yield base
