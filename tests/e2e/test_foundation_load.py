"""Loading and validation: each kind of bad input gives its exact file:line message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, tree_hashes
from guidebuilder.builder.orchestrator import prepare
from guidebuilder.core.cache import Cache
from guidebuilder.model.errors import GuideError


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


def errors_of(guide: Path) -> list[str]:
    with pytest.raises(GuideError) as info:
        prepare(guide, Cache(None, enabled=False))
    return [d.format().split("\n")[0] for d in info.value.diagnostics]


def test_mini_guide_loads(mini):
    guide = prepare(mini, Cache(None, enabled=False))
    assert [c.id for c in guide.chapters] == ["presentacion", "que-es", "canales", "buenas-practicas"]
    assert guide.chapters[1].title == "¿Qué es la transparencia proactiva?"
    assert {c.id for c in guide.data.channels} == {"radio-comunitaria", "portal-web"}
    assert guide.data.where[("practices", "radio-lenguas-oaxaca")].line == 1
    assert "graficas/que-es-1.svg" in guide.generated


def test_yaml_syntax_error_names_file_and_line(mini):
    path = mini / "data" / "channels.yml"
    path.write_text(path.read_text().replace("name: Radio comunitaria", "name: [Radio comunitaria"))
    assert errors_of(mini) == [
        "guide/data/channels.yml:2:9: error: YAML syntax error: a list opened here with '[' is not closed"]


def test_unknown_channel_in_practice_suggests_the_right_one(mini):
    path = mini / "data" / "practices.yml"
    path.write_text(path.read_text().replace("channels: [radio-comunitaria]", "channels: [radio-comunitari]"))
    assert errors_of(mini) == [
        "guide/data/practices.yml:7:14: error: channel 'radio-comunitari' is not defined in "
        "guide/data/channels.yml (did you mean 'radio-comunitaria'?)"]


def test_image_without_alt_text(mini):
    (mini / "images").mkdir(exist_ok=True)
    (mini / "images" / "punto.png").write_bytes(_png())
    chapter = mini / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text() + "\n![](../images/punto.png)\n")
    assert errors_of(mini) == ["guide/chapters/que-es.md:23:5: error: image '../images/punto.png' has no alt text"]


def test_every_error_is_reported_at_once(mini):
    (mini / "data" / "topics.yml").write_text("- id: Mal Id\n  name: x\n  color: rojo\n")
    chapter = mini / "chapters" / "canales.md"
    chapter.write_text(chapter.read_text() + "\n::: {.channel kind=\"digital\"}\n:::\n\n[roto](#no-existe)\n")
    messages = errors_of(mini)
    assert "guide/data/topics.yml:1:7: error: 'Mal Id' is not a valid id" in messages
    assert "guide/data/topics.yml:3:3: error: unknown key 'color'" in messages
    assert any(m.startswith("guide/chapters/canales.md:19:5: error: unknown block 'channel' (did you mean 'channels'?)")
               for m in messages)
    # found after the load errors, so shown after them as a possible consequence
    assert "guide/chapters/canales.md:22:8: consequence: link to '#no-existe', an anchor that does not exist" in messages
    # no cascade: the practice's topic is not reported again while topics.yml itself is broken
    assert not any("lenguas-indigenas" in m for m in messages)
    assert len(messages) == 4


def test_wrong_type_and_missing_key(mini):
    path = mini / "data" / "indicators.yml"
    text = path.read_text().replace("value: 83.1", "value: mucho").replace("  year: 2024\n", "", 1)
    path.write_text(text)
    messages = errors_of(mini)
    assert "guide/data/indicators.yml:5:10: error: expected a number, found the text 'mucho'" in messages
    assert "guide/data/indicators.yml:1:3: error: missing required key 'year'" in messages


def test_duplicate_id_and_missing_chapter(mini):
    path = mini / "data" / "channels.yml"
    path.write_text(path.read_text() + path.read_text().split("- id: portal-web")[0].replace(
        "radio-comunitaria", "portal-web", 1))
    guide_yml = mini / "guide.yml"
    guide_yml.write_text(guide_yml.read_text().replace("  - canales.md", "  - canales.md\n  - anexo.md"))
    messages = errors_of(mini)
    assert any(m.startswith("guide/data/channels.yml:19:3: error: duplicate id 'portal-web'") for m in messages)
    assert "guide/guide.yml:19:5: error: chapter file 'anexo.md' does not exist in guide/chapters/ " \
        "(did you mean 'canales.md'?)" in messages


def test_directive_filters_are_checked(mini):
    chapter = mini / "chapters" / "buenas-practicas.md"
    chapter.write_text(chapter.read_text().replace("{.practices}", '{.practices step="difndir" colour="x"}'))
    messages = errors_of(mini)
    assert "guide/chapters/buenas-practicas.md:5:32: error: directive 'practices' has no attribute 'colour'" \
        in messages
    assert "guide/chapters/buenas-practicas.md:5:1: consequence: step 'difndir' in directive 'practices' does not exist " \
           "(did you mean 'difundir'?)" in messages


def test_cli_error_leaves_build_untouched(mini, tmp_path):
    out = tmp_path / "build"
    ok = run_cli("build", "--guide", str(mini), "--out", str(out), "--format", "html,docx", "-q")
    assert ok.returncode == 0, ok.stderr
    before = tree_hashes(out)
    path = mini / "data" / "practices.yml"
    path.write_text(path.read_text().replace("channels: [radio-comunitaria]", "channels: [radoi]"))
    bad = run_cli("build", "--guide", str(mini), "--out", str(out), "--format", "html,docx")
    assert bad.returncode == 1
    assert "guide/data/practices.yml:7:14: error: channel 'radoi' is not defined" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert tree_hashes(out) == before


def test_check_and_dump(mini):
    check = run_cli("check", "--guide", str(mini))
    assert check.returncode == 0, check.stderr
    dump = run_cli("dump", "--guide", str(mini))
    data = json.loads(dump.stdout)
    assert data["config"]["slug"] == "guia-transparencia-proactiva"
    assert [c["id"] for c in data["chapters"]] == ["presentacion", "que-es", "canales", "buenas-practicas"]


def test_unknown_format_on_command_line(mini, tmp_path):
    result = run_cli("build", "--guide", str(mini), "--out", str(tmp_path / "b"), "--format", "html,pfd")
    assert result.returncode == 1
    assert "unknown format 'pfd' (did you mean 'pdf'?)" in result.stderr
    assert not (tmp_path / "b").exists()


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, format="PNG")
    return buf.getvalue()


def test_walk_copies_what_it_may_change_and_shares_the_leaves():
    # The transforms change the nodes walk hands them in place; the chapter they walked (which the
    # build cache and other stages hold) must stay as it was. Leaves (nine elements in ten) are shared.
    import copy

    from guidebuilder.pandoc import ast as A

    blocks = [A.header(2, "Título"), A.para("Un", {"t": "SoftBreak"}, A.link([A.strong("enlace")], "#x"), "."),
              A.div([A.para("dentro")], ["caja"], ident="d")]
    before = copy.deepcopy(blocks)
    seen: list[str] = []

    def change(node: dict) -> None:
        seen.append(node["t"])
        if node["t"] == "Link":
            node["c"][2] = ["#y", ""]
        if node["t"] == "Div":
            node["c"][0][1].append("otra")
        return None

    out = A.walk(blocks, change)
    assert blocks == before  # nothing the walk handed out was the original
    assert out[1]["c"][2]["c"][2] == ["#y", ""] and out[2]["c"][0][1] == ["caja", "otra"]
    assert not set(seen) & A.LEAVES and {"Header", "Para", "Link", "Strong", "Div"} <= set(seen)
    assert out[1]["c"][0] is blocks[1]["c"][0]  # a Str: shared, not copied
