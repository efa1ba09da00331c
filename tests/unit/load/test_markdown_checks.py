"""What pandoc would drop in silence is removed on purpose (comments) or said with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.load import markdown_checks as C
from guidebuilder.load.loader import _title
from guidebuilder.model import messages
from guidebuilder.model.errors import Collector

FILE = Path("guide/chapters/x.md")


@pytest.fixture(autouse=True)
def spanish():
    messages.set_language("es")


def said(markdown: str, raw_html: bool = False) -> list[str]:
    errors = Collector()
    C.check_source(C.strip_comments(markdown), FILE, 1, errors, raw_html)
    return [f"{d.line}:{d.severity}:{d.message}" for d in errors.items]


def test_comments_are_removed_and_lines_kept():
    text = "# T\n\nUno <!-- nota\ninterna --> dos.\n\n```\n<!-- en código se queda -->\n```\n"
    out = C.strip_comments(text)
    assert "nota" not in out and out.count("\n") == text.count("\n")
    assert "<!-- en código se queda -->" in out


def test_raw_html_is_refused_unless_allowed_and_scripts_always():
    assert said("# T\n\nUn <b>texto</b>.\n") == ["3:error:HTML en el texto ('<b>'): no se publica"]
    assert said("# T\n\nUn <b>texto</b>.\n", raw_html=True) == []
    assert said("# T\n\n<script>x</script>\n", raw_html=True)[0].startswith("3:error:'<script>'")
    assert said("# T\n\nEn código: `<b>` y <https://ejemplo.org>.\n") == []


def test_title_block_tables_and_heading_captions():
    assert said("% Título\n\n# T\n")[0].startswith("1:error:un bloque de título")
    table = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 1 |\n| 1 | 2 | 3 |\n"
    assert [x.split(":")[0] for x in said(table)] == ["6", "7"]
    assert said("# T\n\n## Sección\n: Leyenda\n")[0].startswith("4:warning:el encabezado 'Sección'")


def test_skipped_levels_and_text_before_the_title():
    errors = Collector()
    blocks = ({"t": "Para", "c": [{"t": "Str", "c": "antes"}]},
              {"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "T"}]]},
              {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Dos"}]]},
              {"t": "Header", "c": [4, ["", [], []], [{"t": "Str", "c": "Cuatro"}]]})
    C.check_headings(blocks, "antes\n\n# T\n\n## Dos\n\n#### Cuatro\n", FILE, 1, errors)
    assert [(d.line, d.message.split(" ")[0]) for d in errors.items] == [(1, "hay"), (7, "el")]


def test_a_front_matter_title_is_the_chapters_heading():
    errors = Collector()
    body = ({"t": "Para", "c": [{"t": "Str", "c": "texto"}]},)
    blocks, title = _title(body, "Mi capítulo", FILE, 3, errors)
    assert title == "Mi capítulo" and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1
    assert not errors.items
    heading = ({"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "Otro"}]]},)
    blocks, title = _title(heading, "Mi capítulo", FILE, 3, errors)
    assert title == "Mi capítulo" and errors.items[0].severity == "warning"
