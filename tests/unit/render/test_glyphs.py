"""Every character of the printed book from a bundled font: what no face has is reported with file:line
and printed as U+FFFD (render/paged/glyphs.py), read against the fonts' character maps."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from guidebuilder.render.paged import glyphs

ASSETS = Path(__file__).resolve().parents[3] / "assets"


def _guide(tmp_path: Path, text: str):
    root = tmp_path / "guide"
    (root / "chapters").mkdir(parents=True)
    chapter = root / "chapters" / "uno.md"
    chapter.write_text(text, encoding="utf-8")
    (root / "guide.yml").write_text("title: Guía\n", encoding="utf-8")
    asset = lambda *parts: (ASSETS.joinpath(*parts) if ASSETS.joinpath(*parts).exists() else None)  # noqa: E731
    return SimpleNamespace(root=root, chapters=[SimpleNamespace(path=chapter)], asset=asset)


def test_spanish_symbols_other_scripts_and_mono_text_are_covered(tmp_path):
    codes = glyphs.covered(_guide(tmp_path, ""))
    text = "Año, niño, ¿qué?, «citas», 83.1 %, ≥ 16 pt, ☐ ☒ → — Ελλάδα Россия العربية עברית 😀 ✓"
    assert glyphs.missing(text, codes) == []


def test_a_character_no_face_has_is_reported_with_its_line_and_printed_as_a_replacement(tmp_path):
    guide = _guide(tmp_path, "# Uno\n\nBien.\n\nUn ideograma 漢 y un emoji de color 🦜.\n")
    found = glyphs.warnings(guide)
    assert len(found) == 1
    warning = found[0]
    assert warning.file == "guide/chapters/uno.md" and warning.line == 5 and warning.severity == "warning"
    assert "«漢» (U+6F22)" in warning.message and "U+1F99C" in warning.message
    html = glyphs.replace_missing("<p>Un ideograma 漢 aquí.</p>", glyphs.covered(guide))
    assert html == "<p>Un ideograma \ufffd aquí.</p>"
