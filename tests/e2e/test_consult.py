"""Consultation answers, the privacy guard and the adoption register: validation and aggregates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture, run_cli
from guidebuilder.load.consultation import load_consultation
from guidebuilder.model.errors import Collector, GuideError
from guidebuilder.participation.followup import compute, months_between
from guidebuilder.load.loader import load_guide
from guidebuilder.checks.privacy import find_personal_data


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


ANSWERS = FIXTURES / "consult" / "data" / "consultation" / "answers.csv"
HEADER = "fecha,municipio,edad,canal,temas,canales,comentario,publicable,nombre,correo,telefono"


def consultation_of(tmp_path: Path, csv_text: str | bytes, schema_edit=None):
    """Load the consult fixture's consultation with answers.csv replaced; return (result, diagnostics)."""
    root = tmp_path / "guide"
    shutil.copytree(FIXTURES / "consult", root)
    target = root / "data" / "consultation" / "answers.csv"
    target.write_bytes(csv_text if isinstance(csv_text, bytes) else csv_text.encode())
    if schema_edit:
        path = root / "data" / "consultation" / "schema.yml"
        path.write_text(schema_edit(path.read_text()))
    errors = Collector(root=root)
    result = load_consultation(root, errors)
    return result, [d.format() for d in errors.errors]


GOOD = "2026-03-01,norte,joven,papel,agua,radio,,no,,,\n"


# ---------------------------------------------------------------- CSV validation, row and column pinned

def test_bad_date_is_pinned_to_row_and_column(tmp_path):
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{GOOD}2026-13-01,norte,joven,papel,agua,radio,,no,,,\n")
    assert diags == ["guide/data/consultation/answers.csv:3:1: error: column 'fecha': '2026-13-01' is not a date"
                     "\n    fix: write dates as YYYY-MM-DD, e.g. 2023-03-15"]


def test_unknown_enum_value_suggests_the_closest(tmp_path):
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{GOOD}{GOOD}2026-03-01,nrte,joven,papel,agua,radio,,no,,,\n")
    assert len(diags) == 1
    assert diags[0].startswith("guide/data/consultation/answers.csv:4:12: error: column 'municipio': 'nrte' is "
                               "not an allowed value (did you mean 'norte'?)")
    assert "use one of: norte, sur" in diags[0]


def test_unknown_value_inside_a_list_and_quoted_field_column(tmp_path):
    row = '2026-03-01,sur,mayor,papel,"agua;salu",radio,,no,,,\n'
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{row}")
    assert len(diags) == 1
    assert diags[0].startswith("guide/data/consultation/answers.csv:2:28: error: column 'temas': 'salu' is not "
                               "an allowed value (did you mean 'salud'?)")


def test_every_bad_row_is_reported_none_dropped_silently(tmp_path):
    rows = ("2026-03-01,norte,joven,papel,agua,radio,,quizas,,,\n"
            "2026-03-01,norte,,papel,agua,radio,,no,,,\n"
            "2026-03-01,norte,joven,papel,agua,radio,no\n")
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{GOOD}{rows}")
    assert [d.split(": error: ")[0] for d in diags] == [
        "guide/data/consultation/answers.csv:3:42", "guide/data/consultation/answers.csv:4:18",
        "guide/data/consultation/answers.csv:5:1"]
    assert "'quizas' is not yes or no" in diags[0]
    assert "column 'edad' is empty, and it is required" in diags[1]
    assert "this row has 7 values, the header has 11" in diags[2]


def test_line_numbers_survive_multi_line_quoted_values(tmp_path):
    multi = '2026-03-01,norte,joven,papel,agua,radio,"una\ndos\ntres",sí,,,\n'
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{multi}2026-03-01,norte,joven,fax,agua,radio,,no,,,\n")
    assert len(diags) == 1 and diags[0].startswith("guide/data/consultation/answers.csv:5:24: error: column "
                                                   "'canal': 'fax' is not an allowed value")


def test_missing_and_unknown_columns(tmp_path):
    header = HEADER.replace(",telefono", "").replace("temas", "temass")
    _, diags = consultation_of(tmp_path, f"{header}\n2026-03-01,norte,joven,papel,agua,radio,,no,,\n")
    assert any(d.startswith("guide/data/consultation/answers.csv:1:28: error: unknown column 'temass' (did you "
                            "mean 'temas'?)") for d in diags), diags
    assert any("answers.csv:1:1: error: missing column 'temas'" in d for d in diags)
    assert any("answers.csv:1:1: error: missing column 'telefono'" in d for d in diags)


def test_wrong_encoding_is_an_error_with_its_position(tmp_path):
    text = f"{HEADER}\n{GOOD}2026-03-02,sur,mayor,papel,agua,radio,Ańo,no,,,\n".replace("Ańo", "Año")
    _, diags = consultation_of(tmp_path, text.encode("latin-1"))
    assert diags == ["guide/data/consultation/answers.csv:3:40: error: not valid UTF-8 (byte 0xf1)"
                     "\n    fix: save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)"]


def test_schema_errors_name_the_schema_line(tmp_path):
    _, diags = consultation_of(tmp_path, f"{HEADER}\n{GOOD}",
                               lambda s: s.replace("type: bool, required: true, role: publishable",
                                                   "type: boolean, required: true, role: publishable"))
    assert len(diags) == 1 and diags[0].startswith("guide/data/consultation/schema.yml:33:30: error: ")
    assert "'boolean' is not allowed here" in diags[0]


def test_cli_check_reports_the_row_and_writes_nothing(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    answers = guide / "data" / "consultation" / "answers.csv"
    answers.write_text(answers.read_text().replace("2026-03-04,norte,mayor", "2026-03-04,norte,anciano"))
    result = run_cli("build", "--guide", str(guide), "--out", str(tmp_path / "build"), "--format", "html")
    assert result.returncode == 1
    assert "consult/data/consultation/answers.csv:6:18: error: column 'edad': 'anciano' is not an allowed value" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build" / "html").exists()


# ---------------------------------------------------------------- aggregates

def independent_counts():
    """The fixture's answers counted with the csv module alone."""
    rows = list(csv.DictReader(io.StringIO(ANSWERS.read_text(encoding="utf-8"))))
    split = lambda v: [x for x in v.split(";") if x]  # noqa: E731
    return rows, split


def test_aggregates_match_an_independent_count(tmp_path):
    c, diags = consultation_of(tmp_path, ANSWERS.read_bytes())
    assert diags == []
    rows, split = independent_counts()
    assert c.answers == len(rows) == 8
    assert dict(c.counts["topics"]) == dict(Counter(t for r in rows for t in split(r["temas"])))
    assert dict(c.counts["topics"]) == {"agua": 5, "salud": 3, "escuelas": 3}
    assert dict(c.counts["answer_channel"]) == {"formulario-en-linea": 3, "papel": 2, "telefono": 2, "presencial": 1}
    by_muni = {g: (n, dict(counts)) for g, n, counts in c.crossed["topics-by-municipality"]}
    for muni in ("norte", "sur"):
        selected = [r for r in rows if r["municipio"] == muni]
        expected = Counter(t for r in selected for t in split(r["temas"]))
        assert by_muni[muni][0] == len(selected)
        assert {k: v for k, v in by_muni[muni][1].items() if v} == dict(expected)
    for view, column in (("channels-by-age", "edad"), ("channels-by-answer-channel", "canal")):
        for g, n, counts in c.crossed[view]:
            selected = [r for r in rows if r[column] == g]
            assert n == len(selected)
            assert {k: v for k, v in counts if v} == dict(Counter(x for r in selected for x in split(r["canales"])))
    # the non-digital population: answers preferring radio or the bulletin board
    nd = {g: m for g, _, m in c.non_digital_by["answer_channel"]}
    assert nd == {"formulario-en-linea": 1, "papel": 2, "telefono": 1, "presencial": 1}
    assert (c.first_date, c.last_date) == (dt.date(2026, 3, 1), dt.date(2026, 3, 7))


def test_only_publishable_clean_comments_are_kept_and_no_personal_value(tmp_path):
    c, _ = consultation_of(tmp_path, ANSWERS.read_bytes())
    texts = [com.text for com in c.comments]
    assert texts == ["Comentario publicable uno.",
                     "<script>alert('x')</script> **negritas** [enlace](https://example.org)",
                     "Comentario con coma, y\ndos líneas."]
    assert (c.comments_received, c.comments_publishable, c.comments_withheld) == (7, 6, 3)
    dumped = repr(c)
    for secret in ("Zacarías", "Quintanilla", "Yolanda", "zacarias.ficticio", "5550 1111", "5550 2222",
                   "otra.persona", "5550 3333", "privado"):
        assert secret not in dumped


# ---------------------------------------------------------------- privacy guard

@pytest.mark.parametrize("text, kinds", [
    ("escribe a juan.perez@example.com ya", ["email"]),
    ("correo: ana arroba correo punto mx", ["email"]),
    ("tel. 81 1234 5678", ["phone"]),
    ("(81) 8123-4567 o +52 55 1234 5678", ["phone", "phone"]),
    ("CURP GODE561231HNLRRN09", ["curp"]),
    ("RFC GODE561231AB1", ["rfc"]),
    ("８１ １２３４ ５６７８", ["phone"]),
])
def test_privacy_finds_personal_data(text, kinds):
    assert [k for k, _ in find_personal_data(text)] == kinds


@pytest.mark.parametrize("text", ["En 2023 y 2024 el 45 % de los hogares", "art. 95 fr. LIV de la ley",
                                  "Consulta del 06/02/2023 al 18/03/2023", "folio 2026-0012",
                                  "M 450 244.6128 L 966 1306 1238", "12,345,678,901 personas"])
def test_privacy_leaves_ordinary_text_alone(text):
    assert find_personal_data(text) == []


# ---------------------------------------------------------------- adoption register

def test_adoption_register_is_validated_with_suggestions(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    path = guide / "data" / "adoption.yml"
    path.write_text(path.read_text().replace("entity: instituto-ficticio", "entity: instituto-fictico")
                    .replace("channels: [portal-web]", "channels: [portal-wb]")
                    .replace("steps: [identificar]\n", "steps: [identifcar]\n")
                    .replace("    place: Oficialía de partes (ficticia)\n", ""))
    with pytest.raises(GuideError) as info:
        load_guide(guide)
    text = str(info.value)
    assert "consult/data/adoption.yml:20:11: error: entity 'instituto-fictico' is not defined in " \
           "guide/data/entities.yml (did you mean 'instituto-ficticio'?)" in text
    assert "consult/data/adoption.yml:28:18: error: channel 'portal-wb' is not defined" in text
    assert "(did you mean 'portal-web'?)" in text
    assert "consult/data/adoption.yml:31:15: error: step 'identifcar' is not defined" in text
    assert "error: the declaration needs a 'url:' or a 'place:'" in text


def test_adoption_schema_errors(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    path = guide / "data" / "adoption.yml"
    path.write_text(path.read_text().replace("    date: 2026-08-01\n", "    date: 2026-08-01\n    firmante: X\n")
                    .replace("      need: Conocer las obras en curso\n", ""))
    with pytest.raises(GuideError) as info:
        load_guide(guide)
    text = str(info.value)
    assert "unknown key 'firmante'" in text
    assert "missing required key 'need'" in text


def test_follow_up_figures_and_gaps(tmp_path):
    guide = load_guide(copy_fixture("consult", tmp_path))
    f = compute(guide)
    assert [r.id for r in f.entities] == ["municipio-ejemplo", "municipio-muestra", "instituto-ficticio",
                                          "secretaria-ficticia"]
    assert (f.exercises, f.digital, f.non_digital) == (3, 2, 2)
    assert {c[0]: c[3:] for c in f.channels} == {"radio-comunitaria": (2, 1), "portal-web": (2, 2)}
    assert {s[0]: s[3:] for s in f.steps} == {"identificar": (2, 2), "difundir": (2, 1)}
    # 2026-02-01 → 2026-11-22 is 9 months (gap); 2026-08-01 is 3 months (not yet a gap)
    assert [(r.id, r.months_since_declaration) for r in f.gaps] == [("municipio-muestra", 9)]
    assert f.timeline[0] == ("ene. 2026", 1, 1) and f.timeline[-1] == ("nov. 2026", 0, 4)
    fb = f.feedback
    assert (fb.received, fb.resolved) == (5, 3)
    assert dict(fb.by_status) == {"open": 1, "accepted": 1, "rejected": 1, "done": 1, "other": 1}


def test_gap_months_comes_from_guide_yml_not_the_clock(tmp_path):
    root = copy_fixture("consult", tmp_path)
    (root / "guide.yml").write_text((root / "guide.yml").read_text().replace("gap_months: 6", "gap_months: 2"))
    f = compute(load_guide(root))
    assert [r.id for r in f.gaps] == ["municipio-muestra", "secretaria-ficticia"]
    assert months_between(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 0
    assert months_between(dt.date(2026, 1, 15), dt.date(2026, 7, 15)) == 6


def test_exercise_before_its_declaration_is_a_warning(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    path = guide / "data" / "adoption.yml"
    path.write_text(path.read_text().replace("date: 2026-06-02", "date: 2026-01-02"))
    loaded = load_guide(guide)
    assert [w.format().split("\n")[0] for w in loaded.warnings] == [
        "consult/data/adoption.yml:27:13: warning: exercise 'Tablero ficticio de trámites' is dated before the "
        "entity's declaration (2026-03-10)"]


@pytest.mark.parametrize("directive, message", [
    ('{.consultation view="topic"}', "consultation view 'topic' is not known (did you mean 'topics'?)"),
    ('{.consultation view="topics" municipality="nort"}',
     "municipality 'nort' is not a value of the consultation (did you mean 'norte'?)"),
    ('{.consultation view="comments" municipality="norte"}', "municipality=\"…\" only works with view=\"topics\""),
    ('{.adoption view="entity"}', "adoption view 'entity' is not known (did you mean 'entities'?)"),
])
def test_directive_errors(tmp_path, directive, message):
    from guidebuilder.transforms import pipeline as transforms

    guide = copy_fixture("consult", tmp_path)
    (guide / "chapters" / "consulta.md").write_text(f"# Consulta\n\nTexto.\n\n::: {directive}\n:::\n")
    with pytest.raises(GuideError) as info:
        transforms.run_all(load_guide(guide))
    assert f"consult/chapters/consulta.md:5:1: error: {message}" in str(info.value)


def test_consultation_directive_without_data(tmp_path):
    from guidebuilder.transforms import pipeline as transforms

    guide = copy_fixture("consult", tmp_path)
    shutil.rmtree(guide / "data" / "consultation")
    with pytest.raises(GuideError) as info:
        transforms.run_all(load_guide(guide))
    assert "consult/chapters/consulta.md:3:1: error: the guide has no consultation data" in str(info.value)


def test_empty_register_gives_a_report_of_zeros(mini):
    f = compute(load_guide(mini))
    assert (len(f.entities), f.exercises, f.gaps, f.timeline, f.feedback.received) == (0, 0, (), (), 0)


def test_sample_script_is_deterministic_and_matches_the_kept_sample(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "answers.csv"
    subprocess.run([sys.executable, str(FIXTURES.parents[1] / "scripts" / "make_sample_consultation.py"),
                    str(target)], check=True, capture_output=True)
    kept = FIXTURES / "sample-consultation" / "answers.csv"  # test data now: the guide ships no answers
    assert target.read_bytes() == kept.read_bytes()
    assert "illustrative: true" in (kept.parent / "schema.yml").read_text()
    assert not (FIXTURES.parents[1] / "guide" / "data" / "consultation" / "answers.csv").exists()


# ---------------------------------------------------------------- before the results: the questionnaire

def _diagnosis_text(guide_root: Path) -> tuple[str, list]:
    """The consult fixture's consultation chapter, prepared: its text and its tables' captions."""
    from guidebuilder.pandoc import ast as A
    from guidebuilder.transforms import pipeline as transforms

    guide = transforms.run_all(load_guide(guide_root))
    chapter = next(c for c in guide.chapters if c.id == "consulta")
    captions = []
    A.visit(list(chapter.blocks), lambda n: captions.append(A.stringify(n["c"][1][1])) if n["t"] == "Table" else None)
    return A.stringify(list(chapter.blocks)), captions


def test_illustrative_answers_outside_a_sample_build_show_the_questionnaire(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    text, captions = _diagnosis_text(guide)
    assert [c.split(". ", 1)[-1] for c in captions] == ["Preguntas de la consulta"]  # the first block only
    for shown in ("Se podrá responder de estas formas:", "Formulario en línea", "Grupo de edad",
                  "Una de estas: Jóvenes, Personas mayores.", "Una o varias de estas: Agua, Salud, Escuelas.",
                  "nunca se publican", "Los resultados se publicarán aquí cuando termine la consulta."):
        assert shown in text, shown
    assert text.count("Los resultados se publicarán aquí cuando termine la consulta.") == 7  # one per block
    # the questionnaire's own choices are shown (here the fixture's fictional ones); no answer, count or comment
    assert "Una de estas: Norte (ficticio), Sur (ficticio)." in text
    for hidden in ("Comentario publicable uno", "ilustrativos", "respuestas entre", "Menciones"):
        assert hidden not in text, hidden


def test_a_sample_build_shows_the_illustrative_results(tmp_path):
    text, captions = _diagnosis_text(copy_fixture("consult", tmp_path))
    assert "Comentario publicable uno" in text and "Preguntas de la consulta" not in " ".join(captions)
    assert all("(datos ilustrativos, no son resultados reales)" in c for c in captions)


def test_without_an_answers_file_the_guide_has_its_questionnaire_alone(tmp_path):
    guide = copy_fixture("consult", tmp_path)
    (guide / "data" / "consultation" / "answers.csv").unlink()
    chapter = guide / "chapters" / "consulta.md"
    chapter.write_text("# Consulta\n\n::: {.consultation view=\"method\" caption=\"Lo que se preguntará\"}\n:::\n\n"
                       "::: {.consultation view=\"topics\"}\n:::\n", encoding="utf-8")
    c = load_guide(guide).data.consultation
    assert (c.answered, c.answers, c.file) == (False, 0, None)
    # the answer channel and the date are how and when, not questions; personal columns are said apart
    assert [q.role for q in c.questions] == ["municipality", "age_group", "topics", "preferred_channels", "comment",
                                             "publishable"]
    assert c.answer_channels == ("Formulario en línea", "Papel", "Teléfono", "En persona")
    assert c.personal == (("nombre", False), ("correo", False), ("telefono", False))
    text, captions = _diagnosis_text(guide)
    assert [cap.split(". ", 1)[-1] for cap in captions] == ["Lo que se preguntará"]
    assert text.count("Los resultados se publicarán aquí cuando termine la consulta.") == 1  # the topics block


def test_an_answers_file_named_in_the_schema_must_exist(tmp_path):
    _, diags = consultation_of(tmp_path, ANSWERS.read_bytes(),
                               lambda s: s.replace("illustrative: true\n", "illustrative: true\nfile: respuestas.csv\n"))
    assert len(diags) == 1 and "the answers file 'respuestas.csv' does not exist" in diags[0]
