"""Schema validation of YAML trees: every problem with its line and column, and a suggestion for typos."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.load.validate import validate
from guidebuilder.load.yamlio import parse_yaml, plain
from guidebuilder.model.errors import Collector
from guidebuilder.model.schema import Channel


def _validate(text: str):
    errors = Collector(root=Path("/g"))
    tree = parse_yaml(text, Path("/g/data/channels.yml"), errors)
    model = validate(list[Channel], plain(tree), tree, Path("/g/data/channels.yml"), errors)
    return model, errors.errors


GOOD = """- id: radio
  name: Radio
  kind: non-digital
  summary: Programas de radio.
  reach: Amplio.
  cost: bajo
  when_to_use: Siempre.
  accessibility: Audio.
  populations: [Personas sin internet]
"""


def test_a_valid_channel_passes():
    model, problems = _validate(GOOD)
    assert problems == [] and model[0].id == "radio"


def test_a_misspelt_key_is_named_with_its_line_and_a_suggestion():
    _, problems = _validate(GOOD.replace("  summary:", "  sumary:"))
    assert problems, "an unknown key must be refused"
    assert any(d.line == 4 and "sumary" in d.message and "summary" in d.message + (d.hint or "") for d in problems)


def test_a_wrong_choice_is_refused_with_its_line():
    _, problems = _validate(GOOD.replace("kind: non-digital", "kind: analogico"))
    assert any(d.line == 3 for d in problems), [d.format() for d in problems]
