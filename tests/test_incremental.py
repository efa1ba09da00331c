"""The cache is never wrong: each kind of input, changed, changes exactly the outputs that use it."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, ROOT, run_cli, tree_hashes

FORMATS = "html,docx,leaflet"
SLUG = "guia-transparencia-proactiva"


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A built mini guide with its cache; each test works on its own copy of both."""
    base = tmp_path_factory.mktemp("warm")
    guide, out = base / "guide", base / "build"
    shutil.copytree(FIXTURES / "mini", guide)
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", FORMATS, "-q")
    assert result.returncode == 0, result.stderr
    return base


def rebuild_after(warm, tmp_path, change) -> tuple[dict, dict, str]:
    guide, out = tmp_path / "guide", tmp_path / "build"
    shutil.copytree(warm / "guide", guide)
    shutil.copytree(warm / "build", out)
    before = {k: v for k, v in tree_hashes(out).items() if not k.startswith(".cache")}
    change(guide)
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", FORMATS, "-v")
    assert result.returncode == 0, result.stderr
    after = {k: v for k, v in tree_hashes(out).items() if not k.startswith(".cache")}
    return before, after, result.stderr


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in after if before.get(k) != after[k]}


def test_nothing_changed_does_no_work(warm, tmp_path):
    before, after, log = rebuild_after(warm, tmp_path, lambda g: None)
    assert before == after
    assert "nothing changed since the last build" in log


def test_chapter_edit_changes_its_page_and_the_documents_only(warm, tmp_path):
    def edit(guide):
        path = guide / "chapters" / "canales.md"
        path.write_text(path.read_text().replace("Un canal es", "Un canal de información es"))

    before, after, log = rebuild_after(warm, tmp_path, edit)
    diff = changed(before, after)
    assert "html/canales.html" in diff
    assert f"docx/{SLUG}.docx" in diff
    assert "html/que-es.html" not in diff
    assert not any(k.startswith("leaflet/") for k in diff), diff
    assert "Un canal de información es" in (tmp_path / "build" / "html" / "canales.html").read_text()


def test_data_set_edit_changes_what_uses_it(warm, tmp_path):
    def edit(guide):
        path = guide / "data" / "channels.yml"
        path.write_text(path.read_text().replace("name: Radio comunitaria", "name: Radio de la comunidad"))

    before, after, log = rebuild_after(warm, tmp_path, edit)
    diff = changed(before, after)
    assert "html/canales.html" in diff and f"docx/{SLUG}.docx" in diff
    assert "html/presentacion.html" not in diff
    assert "Radio de la comunidad" in (tmp_path / "build" / "html" / "canales.html").read_text()


def test_indicator_edit_redraws_the_chart(warm, tmp_path):
    def edit(guide):
        path = guide / "data" / "indicators.yml"
        path.write_text(path.read_text().replace("value: 83.1", "value: 84.0"))

    before, after, log = rebuild_after(warm, tmp_path, edit)
    assert "html/graficas/que-es-1.svg" in changed(before, after)
    assert "84.0" in (tmp_path / "build" / "html" / "graficas" / "que-es-1.svg").read_text()


def test_template_override_changes_html(warm, tmp_path):
    def edit(guide):
        target = guide / "assets" / "templates" / "html"
        target.mkdir(parents=True)
        base = (ROOT / "assets" / "templates" / "html" / "base.html").read_text()
        (target / "base.html").write_text(base.replace("<body>", "<body data-override=\"si\">"))

    before, after, log = rebuild_after(warm, tmp_path, edit)
    assert "html/index.html" in changed(before, after)
    assert 'data-override="si"' in (tmp_path / "build" / "html" / "index.html").read_text()


def test_leaflet_text_edit_changes_only_leaflets(warm, tmp_path):
    def edit(guide):
        path = guide / "leaflet" / "flap.md"
        path.write_text(path.read_text() + "\nUna línea más.\n")

    before, after, log = rebuild_after(warm, tmp_path, edit)
    diff = changed(before, after)
    assert diff and all(k.startswith("leaflet/") for k in diff), diff


def test_option_change_is_seen(warm, tmp_path):
    def edit(guide):
        path = guide / "guide.yml"
        path.write_text(path.read_text().replace("edition: Borrador para revisión", "edition: Segunda edición"))

    before, after, log = rebuild_after(warm, tmp_path, edit)
    assert "Segunda edición" in (tmp_path / "build" / "html" / "index.html").read_text()


def test_feedback_edit_is_seen_by_the_report(tmp_path):
    """The follow-up report counts review comments: a new feedback file must rebuild it."""
    guide, out = tmp_path / "guide", tmp_path / "build"
    shutil.copytree(FIXTURES / "mini", guide)
    assert run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "report", "-q").returncode == 0
    (guide / "feedback").mkdir()
    (guide / "feedback" / "ronda.yml").write_text("[]\n", encoding="utf-8")
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "report", "-v")
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last build" not in result.stderr
