"""Readability check (`guidebuilder lint`): scores, sentence splitting and the gate on the real guide."""

from __future__ import annotations

import json

import pytest

from guidebuilder.checks import readability as R

from conftest import ROOT, run_cli

EASY = """Puedes pedir información pública. Es tu derecho. No tienes que decir para qué la quieres.

Ve a la oficina de transparencia. Lleva tu pregunta por escrito. Te deben responder."""

HARD = """La implementación de políticas institucionales de transparencia proactiva, considerando la
heterogeneidad sociodemográfica de las poblaciones destinatarias y las características organizacionales
de los sujetos obligados, requiere la sistematización interdisciplinaria de procedimientos administrativos,
metodológicos y tecnológicos que posibiliten la identificación, generación, publicación, difusión y
reutilización de información gubernamental adicional a la establecida obligatoriamente por la normatividad
aplicable, así como su evaluación periódica mediante indicadores cuantitativos y cualitativos."""


def test_easy_text_passes_and_hard_text_fails():
    easy, hard = R.measure_text(EASY), R.measure_text(HARD)
    assert easy.szigriszt >= 65 and easy.band in ("bastante fácil", "muy fácil")
    assert hard.szigriszt < 55 and hard.band in ("muy difícil", "algo difícil")
    assert len(hard.long_sentences) == 1 and not easy.long_sentences
    assert easy.sentence_count == 6


def test_matches_textstat_on_clean_text():
    import textstat

    textstat.set_lang("es")
    text = "Puedes pedir información pública. Es tu derecho y nadie te lo puede negar. Pregunta en la oficina."
    ours = R.measure_text(text)
    assert ours.szigriszt == pytest.approx(textstat.szigriszt_pazos(text), abs=0.01)
    assert ours.fernandez_huerta == pytest.approx(textstat.fernandez_huerta(text), abs=0.01)


def test_sentence_splitting_keeps_decimals_and_abbreviations():
    parts = R.split_sentences("Nuevo León obtuvo 0.35 puntos. El art. 56 lo dice. ¿Lo sabías? Sí.")
    assert parts == ["Nuevo León obtuvo 0.35 puntos.", "El art. 56 lo dice.", "¿Lo sabías?", "Sí."]


def test_inflesz_bands():
    assert [R.inflesz_band(x) for x in (90, 70, 60, 45, 10)] == \
        ["muy fácil", "bastante fácil", "normal", "algo difícil", "muy difícil"]


def test_lint_fails_a_hard_chapter_and_names_its_line(mini):
    chapter = mini / "chapters" / "que-es.md"
    hard, before = HARD.replace("\n", " "), chapter.read_text(encoding="utf-8")
    chapter.write_text(before + f"\n{hard}\n\n{hard}\n\n{hard}\n", encoding="utf-8")
    result = run_cli("lint", "--guide", str(mini), "--min-leaflet", "0", "--min-average", "0")
    assert result.returncode == 1
    assert "que-es.md" in result.stderr and "por debajo de 60" in result.stderr
    line = len(before.splitlines()) + 2  # the first of the three hard paragraphs
    assert f"que-es.md:{line}: frase de" in result.stdout


def test_score_computed_by_hand_counts_headings_table_rows_and_notes():
    """What a reader reads, each unit a sentence: a heading, a paragraph, a table row, a footnote.

    Heading «Casa roja»: 2 words, 4 syllables (ca-sa ro-ja). Paragraph «La casa es roja.»: 4 words, 6
    syllables. Table row «Mesa | Pepe»: 2 words, 4 syllables. Footnote «Pepe come pan.»: 3 words, 5
    syllables. In all 11 words, 19 syllables, 4 sentences:
    206.835 - 62.3 * 19/11 - 11/4 = 96.479...
    """
    from guidebuilder.pandoc import ast as A

    note = {"t": "Note", "c": [A.para("Pepe come pan.")]}
    blocks = [A.header(2, "Casa roja"), A.para(*A.inlines("La casa es roja."), note),
              A.table(["Mesa", "Pepe"], [])]
    units = R.prose_blocks(blocks)
    assert units == ["Casa roja", "La casa es roja.", "Mesa Pepe", "Pepe come pan."]
    score = R.measure("x", "x", units)
    assert (score.word_count, score.syllable_count, score.sentence_count) == (11, 19, 4)
    assert score.szigriszt == pytest.approx(206.835 - 62.3 * 19 / 11 - 11 / 4)


def test_real_guide_meets_the_targets():
    """Issue 22: every chapter ≥ 60, leaflet ≥ 70, the guide ≥ 68 (pooled, and as a mean of chapters), measured
    on all the text a reader reads (the lint's defaults)."""
    result = run_cli("lint", "--guide", str(ROOT / "guide"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    chapters = data["chapters"]
    assert len(chapters) >= 10
    assert all(c["szigriszt_pazos"] >= 60 for c in chapters)
    assert sum(c["szigriszt_pazos"] for c in chapters) / len(chapters) >= 68
    assert data["leaflet"]["szigriszt_pazos"] >= 70 and data["guide"]["szigriszt_pazos"] >= 68
    assert data["guide"]["words"] > 15000  # the catalogues, tables and notes are counted
