"""The follow-up report's body: its sections in order, and what each says with and without records."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from conftest import FIXTURES
from guidebuilder.builder.orchestrator import prepare
from guidebuilder.core.cache import Cache
from guidebuilder.participation.followup import EntityRow, Feedback, compute
from guidebuilder.pandoc import ast as A
from guidebuilder.render.report.report import report_blocks

SECTIONS = ["resumen", "adopcion", "ejercicios-por-entidad", "ejercicios-por-canal", "pasos", "comentarios",
            "brechas", "anexo-ejercicios", "metodo"]


@pytest.fixture(scope="module")
def mini():
    return prepare(Path(FIXTURES / "mini"), Cache(None, enabled=False))


def section_ids(blocks: list) -> list[str]:
    return [b["c"][1][0] for b in blocks if b["t"] == "Header"]


def tables(blocks: list) -> dict[str, list[list[str]]]:
    """Each table's caption -> its body rows as plain text."""
    out = {}
    for b in blocks:
        if b["t"] == "Table":
            rows = b["c"][4][0][3]
            out[A.stringify(b["c"][1][1])] = [[A.stringify(cell[4]) for cell in row[1]] for row in rows]
    return out


def text_after(blocks: list, ident: str) -> list[str]:
    """The text of the paragraphs of one section."""
    start = next(i for i, b in enumerate(blocks) if b["t"] == "Header" and b["c"][1][0] == ident)
    out = []
    for b in blocks[start + 1:]:
        if b["t"] == "Header":
            break
        if b["t"] == "Para":
            out.append(A.stringify(b))
    return out


def test_report_of_the_mini_guide_says_there_is_nothing_yet(mini):
    blocks = report_blocks(mini, compute(mini))
    assert section_ids(blocks) == SECTIONS
    assert blocks[0]["t"] == "Header"  # no notice about fictional entities
    summary = tables(blocks)["Resumen del seguimiento"]
    assert summary[0] == ["Entidades con declaración voluntaria", "0"]
    assert summary[4] == ["Entidades sin ejercicios 6 meses o más después de su declaración", "0"]
    assert len(summary) == 7
    assert text_after(blocks, "adopcion") == ["Todavía no hay declaraciones voluntarias registradas."]
    assert text_after(blocks, "ejercicios-por-entidad") == ["Sin ejercicios registrados."]
    assert text_after(blocks, "comentarios") == ["No hay comentarios de revisión importados."]
    assert text_after(blocks, "brechas")[1] == "Ninguna."
    assert tables(blocks)["Ejercicios y entidades por canal de difusión"] == [
        ["Radio comunitaria", "No digital", "0", "0"], ["Portal web institucional", "Digital", "0", "0"]]
    assert not [b for b in blocks if b["t"] == "Figure"]  # no channel was used: no chart


def test_report_with_records_shows_notice_charts_rows_and_gaps(mini):
    declared = dt.date(2026, 1, 10)
    active = EntityRow("norte", "Municipio Norte", True, declared, "Oficio", 2, 1, 1, ("identificar", "difundir"),
                       dt.date(2026, 3, 1), 10)
    idle = EntityRow("sur", "Ficticio Sur", True, declared, "Oficio", 0, 0, 0, (), None, 10)
    f = dataclasses.replace(
        compute(mini), entities=(active, idle), gaps=(idle,), fictional=True, later=3, exercises=2,
        timeline=(("enero de 2026", 2, 2),),
        channels=(("radio-comunitaria", "Radio comunitaria", "non-digital", 2, 1),
                  ("portal-web", "Portal web institucional", "digital", 0, 0)),
        feedback=Feedback(files=1, unreadable=1, by_status=(("open", 2), ("done", 1)), by_chapter=(("Uno", 3, 1),)))
    blocks = report_blocks(mini, f)
    assert blocks[0]["t"] == "Div" and blocks[0]["c"][0][1] == ["aviso-ilustrativo"]
    assert section_ids(blocks) == SECTIONS
    assert "3 registros con fecha posterior a la fecha de corte no se cuentan." in text_after(blocks, "resumen")
    assert [b["c"][0][0] for b in blocks if b["t"] == "Figure"] == ["grafica-adopcion", "grafica-canales"]
    found = tables(blocks)
    # "(ficticia)" is added only when the name does not say so already
    assert [row[0] for row in found["Ejercicios registrados por entidad"]] == ["Municipio Norte (ficticia)",
                                                                               "Ficticio Sur"]
    assert found["Ejercicios registrados por entidad"][0][5] == "1, 4"  # step numbers, not ids
    assert found["Ejercicios registrados por entidad"][1][5] == "–"
    assert found["Entidades sin ejercicios 6 meses o más después de su declaración"] == [
        ["Ficticio Sur", "10 de enero de 2026", "10"]]
    assert found["Comentarios por estado"] == [["Abiertos", "2"], ["Incorporados", "1"]]
    assert found["Comentarios por capítulo"] == [["Uno", "3", "1", "2"]]
    assert text_after(blocks, "comentarios") == [
        "Se recibieron 3 comentarios y se atendieron 1 (aceptados, no aceptados con respuesta, o incorporados). "
        "1 archivos de comentarios no se pudieron leer."]
