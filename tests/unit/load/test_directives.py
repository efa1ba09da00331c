"""The directive parser (load/directives.py): attributes, placeholders, nesting and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebuilder.load import directives as D
from guidebuilder.model.errors import Collector


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


FILE = Path("guide/chapters/x.md")


def parse(markdown: str, first_line: int = 1) -> tuple[D.Parsed, list[str]]:
    errors = Collector()
    parsed = D.parse(markdown, FILE, errors, first_line=first_line)
    return parsed, [d.format() for d in errors.items]


# ---------------------------------------------------------------- attributes

def test_attributes_read_classes_id_and_every_quoting():
    assert D.parse_attributes('{.practices #mine step="a, b" kind=\'digital\' layout=table}') == \
        (["practices"], "mine", {"step": "a, b", "kind": "digital", "layout": "table"})


def test_a_bare_word_is_a_class():
    assert D.parse_attributes("nota") == (["nota"], "", {})


def test_attribute_errors_are_messages():
    assert D.parse_attributes('{.chart caption="a" caption="b"}') == "attribute 'caption' is given twice"
    assert D.parse_attributes(".practices step=x").startswith("attributes must be written in braces")
    assert D.parse_attributes('{.chart caption="open}').startswith("cannot read the attributes from")


def test_values_split_on_commas():
    d = D.Directive("practices", {"step": " a, ,b "}, 1, 1, 0)
    assert d.values("step") == ["a", "b"]
    assert d.values("kind") == []


# ---------------------------------------------------------------- directives and placeholders

def test_a_directive_becomes_a_placeholder_with_its_line():
    text = 'Antes.\n\n::: {.practices step="difundir"}\n:::\n\nDespués.'
    parsed, errors = parse(text, first_line=5)
    assert errors == []
    [d] = parsed.directives
    assert (d.name, d.attrs, d.line, d.index) == ("practices", {"step": "difundir"}, 7, 0)
    assert parsed.markdown.split("\n") == ["Antes.", "", "::: {#gb-directive-0 .gb-directive}", ":::", "",
                                           "Después."]


def test_blank_lines_inside_a_directive_keep_the_line_count():
    parsed, errors = parse("::: {.glossary}\n\n\n:::\ntext")
    assert errors == []
    assert parsed.markdown.split("\n") == ["::: {#gb-directive-0 .gb-directive}", "", "", ":::", "text"]


def test_directives_inside_a_callout_are_found_and_numbered_in_order():
    text = "::: {.nota}\n::: {.glossary}\n:::\n::: {.steps caption=\"Pasos\"}\n:::\n:::\n"
    parsed, errors = parse(text)
    assert errors == []
    assert [(d.name, d.index, d.line) for d in parsed.directives] == [("glossary", 0, 2), ("steps", 1, 4)]
    assert parsed.markdown.split("\n")[0] == "::: {.nota}"


def test_a_directive_in_a_code_block_is_left_alone():
    text = "```\n::: {.glossary}\n:::\n```\n"
    parsed, errors = parse(text)
    assert (parsed.directives, errors) == ([], [])
    assert parsed.markdown == text


# ---------------------------------------------------------------- errors

def test_an_unclosed_callout_is_reported_at_its_opening_line():
    _, errors = parse("text\n::: {.nota}\nmore\n", first_line=10)
    assert errors == ["guide/chapters/x.md:11:1: error: this block is never closed\n"
                      "    fix: add a line with ':::' where the block ends"]


def test_a_closing_fence_without_an_opening_one():
    _, errors = parse("text\n:::\n")
    assert errors == ["guide/chapters/x.md:2:1: error: ':::' closes a block that was never opened\n"
                      "    fix: remove this line, or open the block with '::: {.nota}' above"]


def test_an_unknown_block_names_the_likely_one():
    parsed, errors = parse("::: {.practises}\n:::\n")
    assert parsed.directives == []
    assert len(errors) == 1
    assert errors[0].startswith("guide/chapters/x.md:1:5: error: unknown block 'practises' "
                                "(did you mean 'practices'?)")


def test_an_unknown_attribute_is_reported_and_the_directive_kept():
    parsed, errors = parse('::: {.steps captoin="x"}\n:::\n')
    assert [d.name for d in parsed.directives] == ["steps"]
    assert errors == ["guide/chapters/x.md:1:13: error: directive 'steps' has no attribute 'captoin' "
                      "(did you mean 'caption'?)\n    fix: its attributes are: caption"]


def test_a_directive_with_content_is_not_closed():
    parsed, errors = parse("::: {.glossary}\ntexto\n:::\n")
    assert parsed.directives == []
    assert errors[0] == ("guide/chapters/x.md:1:1: error: directive 'glossary' must be closed by ':::' on the "
                         "next line\n    fix: a data block has no content: write its ':::' line right after it")


def test_broken_attributes_are_one_error_not_two():
    parsed, errors = parse('::: {.chart caption="a" caption="b"}\n:::\n')
    assert parsed.directives == []
    assert errors == ["guide/chapters/x.md:1:5: error: broken directive: attribute 'caption' is given twice\n"
                      "    fix: see docs/content-model.md, 'Data blocks in chapters'"]
    assert parsed.markdown.split("\n")[0] == ""


def test_nesting_too_deep_is_reported_once_and_dropped():
    deep = "\n".join(">" * n + " x" for n in range(1, D.MAX_NESTING + 4))
    parsed, errors = parse(deep + "\n::: {.nota}\n")
    assert len(errors) == 1 and "nested more than 30 levels deep" in errors[0]
    assert errors[0].startswith(f"guide/chapters/x.md:{D.MAX_NESTING + 1}:1:")
    lines = parsed.markdown.split("\n")
    assert lines[D.MAX_NESTING - 1] == ">" * D.MAX_NESTING + " x" and lines[D.MAX_NESTING] == ""
