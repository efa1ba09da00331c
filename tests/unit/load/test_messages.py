"""The message catalogue: every message in Spanish and English, with the same fields; the language is
chosen by --lang or the guide's own `language:`; causes come before what follows from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidebuilder.model import messages as M
from guidebuilder.model.errors import Collector, Diagnostic, GuideError

SRC = Path(__file__).resolve().parents[3] / "src" / "guidebuilder"


@pytest.fixture(autouse=True)
def spanish():
    M.set_language("es")
    yield
    M.set_language("es")


@pytest.mark.parametrize("msg_id", sorted(M.CATALOGUE))
def test_every_message_has_both_languages(msg_id):
    es, es_fix, en, en_fix = M.CATALOGUE[msg_id]
    assert es and en, msg_id
    assert M.fields(es) == M.fields(en), msg_id
    assert M.fields(es_fix) == M.fields(en_fix), msg_id
    assert bool(es_fix) == bool(en_fix), msg_id


def test_every_id_used_exists():
    used = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\b(?:say|say_warning|t|m)\(\s*(?:[^,()]+,\s*){0,3}"([a-z_]+\.[a-z0-9_.]+)\"""", text))
    missing = {u for u in used if u not in M.CATALOGUE}
    assert not missing, missing


def test_language_follows_the_guide_and_lang(tmp_path):
    (tmp_path / "guide.yml").write_text("title: T\nlanguage: en-GB\n", encoding="utf-8")
    assert M.guide_language(tmp_path) == "en-GB"
    assert M.set_language(M.guide_language(tmp_path)) == "en"
    assert M.t("yaml.tab") == "tab character in YAML"
    assert M.set_language("es-ES") == "es"
    assert M.t("yaml.tab") == "tabulador en YAML"


def test_labels_are_translated():
    d = Diagnostic("guide/guide.yml", 3, 1, "mensaje", "arreglo")
    assert d.format() == "guide/guide.yml:3:1: error: mensaje\n    solución: arreglo"
    M.set_language("en")
    assert d.format() == "guide/guide.yml:3:1: error: mensaje\n    fix: arreglo"


def test_causes_come_first_and_what_follows_is_a_consequence(tmp_path):
    errors = Collector(root=tmp_path)
    errors.add(tmp_path / "chapters" / "a.md", 3, 1, "enlace roto")  # found before the cause, sorts first
    errors.items.clear()
    errors.rank = 0
    errors.say(tmp_path / "data" / "practices.yml", 4, 2, "yaml.tab")
    errors.rank = 1
    errors.add(tmp_path / "chapters" / "a.md", 3, 1, "enlace a '#x', un ancla que no existe")
    error = GuideError(errors.errors)
    assert error.diagnostics[0].message == "tabulador en YAML"
    assert [d.severity for d in error.diagnostics] == ["error", "consequence"]
    assert ": consecuencia: " in error.diagnostics[1].format()
    # without a cause, an error found later is an error
    alone = GuideError([Diagnostic("a.md", 3, 1, "enlace roto", rank=1)])
    assert alone.diagnostics[0].severity == "error"
