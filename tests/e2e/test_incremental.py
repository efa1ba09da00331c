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
    assert ">84 %</text>" in (tmp_path / "build" / "html" / "graficas" / "que-es-1.svg").read_text()


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
    # the site offers the leaflets under html/descargas/ (the same files, linked there by the build)
    assert diff and all(k.startswith(("leaflet/", "html/descargas/")) for k in diff), diff
    leaflets = {k.split("/")[-1] for k in diff if k.startswith("leaflet/")}
    assert {k.split("/")[-1] for k in diff if k.startswith("html/")} <= leaflets


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


def test_cache_trim_drops_the_least_recently_used_and_keeps_this_builds(tmp_path):
    import os
    import time

    from guidebuilder.core.cache import Cache

    cache = Cache(tmp_path / ".cache")
    for name, age in (("aa", 3000), ("bb", 2000), ("cc", 0)):
        cache.put_bytes("layout", name * 32, b"x" * 100)
    cache.flush()
    (tmp_path / ".cache" / "state.json").write_text("{}")
    stale_tmp = tmp_path / ".cache" / "layout" / "aa" / ".tmp-cut-short"
    stale_tmp.write_bytes(b"y")
    now = time.time()
    for name, age in (("aa", 3000), ("bb", 2000), ("cc", 0)):
        os.utime(tmp_path / ".cache" / "layout" / name / (name * 32), (now - age, now - age))
    os.utime(stale_tmp, (now - 7200, now - 7200))
    assert cache.trim(1000, since=now - 10) == 0  # under the limit: nothing goes
    assert cache.trim(200, since=now - 10) == 200  # 300 bytes > 200: the two oldest go, to 80 %
    left = sorted(p.name for p in (tmp_path / ".cache").rglob("*") if p.is_file())
    assert left == ["cc" * 32, "state.json"]
    assert cache.trim(0, since=now - 10) == 0  # what this build used stays, whatever the limit
    assert cache.get_bytes("layout", "cc" * 32) == b"x" * 100


def test_a_trimmed_cache_still_gives_the_same_outputs(warm, tmp_path):
    import os
    import time

    guide, out = tmp_path / "guide", tmp_path / "build"
    shutil.copytree(warm / "guide", guide)
    shutil.copytree(warm / "build", out)
    original = {k: v for k, v in tree_hashes(out).items() if not k.startswith(".cache")}
    cached_before = {k for k in tree_hashes(out) if k.startswith(".cache/") and k != ".cache/state.json"}
    an_hour_ago = time.time() - 3600  # the warm build was an earlier editing session
    for name in cached_before:
        os.utime(out / name, (an_hour_ago, an_hour_ago))
    chapter = sorted((guide / "chapters").glob("*.md"))[0]
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nUna frase añadida.\n", encoding="utf-8")
    tiny = {"GUIDEBUILDER_CACHE_MB": "0"}
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", FORMATS, "-q", env=tiny)
    assert result.returncode == 0, result.stderr
    cached_after = {k for k in tree_hashes(out) if k.startswith(".cache/") and k != ".cache/state.json"}
    assert cached_before - cached_after, "nothing the edit made stale was trimmed"
    assert cached_after, "the entries this build used were trimmed too"
    chapter.write_text(text, encoding="utf-8")  # back as it was: rebuilt from what the trim left
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", FORMATS, "-q", env=tiny)
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in tree_hashes(out).items() if not k.startswith(".cache")} == original
