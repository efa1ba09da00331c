"""docs/referencia.md is made from the schemas (guidebuilder reference): it must match them."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.model.reference import build_reference
from guidebuilder.model import schema as S

DOC = Path(__file__).resolve().parents[3] / "docs" / "referencia.md"


def test_the_reference_matches_the_schemas():
    assert DOC.read_text(encoding="utf-8") == build_reference(), \
        "run: guidebuilder reference --write docs/referencia.md"


def test_every_field_of_every_model_is_listed():
    text = build_reference()
    for model in [S.GuideConfig, S.ChapterFrontMatter, S.Adoption, *S.DATASETS.values()]:
        for name in model.model_fields:
            assert f"| `{name}` |" in text, (model.__name__, name)
    assert "| `reach` | sí | texto |" in text  # a required field of channels.yml, with its type
