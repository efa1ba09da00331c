"""A layout finding points at the source line that holds the text it quotes."""

from __future__ import annotations

from guidebuilder.checks.findings import Finding
from guidebuilder.proof.locate import locate


def test_a_quoted_pair_is_found_in_its_chapter(tmp_path):
    guide = tmp_path / "guide"
    (guide / "chapters").mkdir(parents=True)
    (guide / "chapters" / "uno.md").write_text("# Uno\n\nTexto previo.\n\nEl avance llegó al 83 % de las\n"
                                               "personas encuestadas en la región norte.\n", encoding="utf-8")
    (guide / "data").mkdir()
    (guide / "data" / "x.yml").write_text("- id: a\n  summary: Otra cosa distinta por completo.\n", encoding="utf-8")
    split = Finding("pdf/g.pdf", "split-unit", "m", page=3,
                    detail={"pairs": [["las personas encuestadas en la", "región norte."]]})
    small = Finding("pdf/g.pdf", "small-text", "m", page=4, detail={"line": "Otra cosa distinta por completo"})
    nothing = Finding("pdf/g.pdf", "empty-page", "m", page=5, detail={})
    unknown = Finding("pdf/g.pdf", "small-text", "m", page=6, detail={"line": "palabras que no están escritas"})
    found = locate([split, small, nothing, unknown], guide)
    assert [f.where for f in found] == ["guide/chapters/uno.md:6", "guide/data/x.yml:2", "", ""]


def test_a_finding_that_knows_its_source_keeps_it(tmp_path):
    (tmp_path / "guide").mkdir()
    known = Finding("html/a.html", "overflow", "m", where="guide/chapters/a.md:9", detail={"text": "x"})
    assert locate([known], tmp_path / "guide")[0].where == "guide/chapters/a.md:9"
