"""Participation: a small consultation read, checked and aggregated; month labels of the follow-up."""

from __future__ import annotations

import pytest

import datetime as dt
import textwrap
from pathlib import Path

from guidebuilder.model.errors import Collector
from guidebuilder.load.consultation import load_consultation
from guidebuilder.participation.followup import month_label, months_between


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


SCHEMA = """\
title: Consulta de prueba
columns:
  - {name: fecha, type: date, required: true, role: date}
  - name: municipio
    type: enum
    required: true
    role: municipality
    values: {norte: Norte, sur: Sur}
  - name: edad
    type: enum
    role: age_group
    values: {joven: Jóvenes, mayor: Mayores}
  - name: canal
    type: enum
    role: answer_channel
    values: {papel: Papel, web: Web}
  - name: temas
    type: list
    role: topics
    values: {agua: Agua, salud: Salud}
  - name: canales
    type: list
    role: preferred_channels
    values: {portal: Portal, radio: Radio}
    non_digital: [radio]
  - {name: comentario, type: text, role: comment}
  - {name: publicable, type: bool, role: publishable}
  - {name: correo, type: text, personal: true}
"""

HEADER = "fecha,municipio,edad,canal,temas,canales,comentario,publicable,correo"


def consult(tmp_path: Path, rows: str, header: str = HEADER) -> tuple:
    """Load a consultation of these rows; return it (None if unreadable) and its messages' first lines."""
    folder = tmp_path / "guide" / "data" / "consultation"
    folder.mkdir(parents=True)
    (folder / "schema.yml").write_text(SCHEMA)
    (folder / "answers.csv").write_text(header + "\n" + textwrap.dedent(rows))
    errors = Collector(root=tmp_path / "guide")
    return load_consultation(tmp_path / "guide", errors), [d.format().split("\n")[0] for d in errors.items]


ROWS = """\
2026-03-02,norte,joven,web,agua;salud,portal,Muy útil.,sí,ana@example.org
2026-03-01,norte,mayor,papel,agua,radio;portal,No publicar.,no,
2026-03-05,sur,mayor,papel,salud,radio,Escriban a ana@example.org,sí,
2026-03-04,sur,joven,web,agua;agua,portal,,,
"""


def test_counts_crossings_and_dates(tmp_path):
    c, errors = consult(tmp_path, ROWS)
    assert errors == []
    assert c.answers == 4 and (c.first_date, c.last_date) == (dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    assert c.counts["topics"] == (("agua", 3), ("salud", 2))  # a value repeated in a list counts once
    assert c.counts["answer_channel"] == (("papel", 2), ("web", 2))
    assert c.crossed["topics-by-municipality"] == (("norte", 2, (("agua", 2), ("salud", 1))),
                                                   ("sur", 2, (("agua", 1), ("salud", 1))))
    assert c.crossed["channels-by-age"] == (("joven", 2, (("portal", 2), ("radio", 0))),
                                            ("mayor", 2, (("portal", 1), ("radio", 2))))
    assert c.non_digital_by["age_group"] == (("joven", 2, 0), ("mayor", 2, 2))
    assert c.labels["municipality"] == {"norte": "Norte", "sur": "Sur"}


def test_only_clean_publishable_comments_are_kept(tmp_path):
    c, _ = consult(tmp_path, ROWS)
    assert [(k.text, k.municipality) for k in c.comments] == [("Muy útil.", "Norte")]
    assert (c.comments_received, c.comments_publishable, c.comments_withheld) == (3, 2, 1)
    assert "ana@example.org" not in repr(c)  # the personal column never reaches the aggregates


def test_a_bad_value_is_reported_at_its_cell_and_the_row_left_out(tmp_path):
    rows = ROWS + "2026-03-06,este,joven,web,agua,portal,,no,\n2026-13-01,sur,joven,web,agua,portal,,no,\n"
    c, errors = consult(tmp_path, rows)
    assert errors == ["guide/data/consultation/answers.csv:6:12: error: column 'municipio': 'este' is not an "
                      "allowed value",
                      "guide/data/consultation/answers.csv:7:1: error: column 'fecha': '2026-13-01' is not a date"]
    assert c.answers == 4


def test_a_header_naming_an_unknown_column_stops_the_reading(tmp_path):
    c, errors = consult(tmp_path, ROWS, header=HEADER.replace("canales", "canals"))
    assert c is None
    assert errors == ["guide/data/consultation/answers.csv:1:34: error: unknown column 'canals' "
                      "(did you mean 'canales'?)",
                      "guide/data/consultation/answers.csv:1:1: error: missing column 'canales' "
                      "(declared in schema.yml)"]


def test_a_row_with_too_few_values(tmp_path):
    c, errors = consult(tmp_path, ROWS + "2026-03-07,sur\n")
    assert errors == ["guide/data/consultation/answers.csv:6:1: error: this row has 2 values, the header has 9"]
    assert c.answers == 4


def test_month_labels_and_whole_months():
    assert month_label("2026-03") == "mar. 2026" and month_label("2025-12") == "dic. 2025"
    assert months_between(dt.date(2026, 1, 31), dt.date(2026, 3, 30)) == 1
    assert months_between(dt.date(2026, 3, 1), dt.date(2026, 1, 1)) == 0
