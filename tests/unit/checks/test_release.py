"""The release gate (`guidebuilder check --release`): what must never be published, each with file:line.

The real guide as it is must be refused (it is a draft: placeholder address, "Borrador"); a copy with
those replaced and no layout findings must pass. Each gate item is then broken on its own in a copy of
tests/fixtures/mini made clean first, and must come out as exactly one problem, at its source line.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from guidebuilder.builder.orchestrator import prepare
from guidebuilder.checks.findings import Finding
from guidebuilder.checks.gate import input_problems
from guidebuilder.checks.release import release_problems
from guidebuilder.core.cache import Cache
from guidebuilder.core.placeholders import find_placeholders, placeholder_url

PLACEHOLDER = "https://example.org/guia-transparencia-proactiva/"
SITE = "https://guia-transparencia-proactiva.mx/"  # a real-looking address, for copies only
CONTACT = "guia@transparencia-proactiva.mx"


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def key_line(path: Path, key: str) -> int:
    """The line where a YAML key is written (not a comment or another key that ends the same)."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.lstrip().startswith(f"{key}:"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def no_findings(out: Path) -> Path:
    (out / "proof").mkdir(parents=True, exist_ok=True)
    (out / "proof" / "findings.json").write_text("[]\n", encoding="utf-8")
    return out


def released(guide_dir: Path) -> Path:
    """The guide's placeholders and draft marks replaced, as an editor does before a release."""
    config = guide_dir / "guide.yml"
    edit(config, PLACEHOLDER, SITE)
    edit(config, "guia@example.org", CONTACT)
    config.write_text(config.read_text(encoding="utf-8").replace("Borrador para revisión", "Primera edición"),
                      encoding="utf-8")
    return guide_dir


def problems(guide_dir: Path, out: Path) -> list[str]:
    return [d.format().split("\n")[0] for d in release_problems(prepare(guide_dir, Cache(None, enabled=False)), out)]


# ---------------------------------------------------------------- the real guide

def test_the_real_guide_is_refused_naming_guide_yml_and_the_placeholder(tmp_path):
    out = no_findings(tmp_path / "build")
    found = problems(ROOT / "guide", out)
    line = line_of(ROOT / "guide" / "guide.yml", f"url: {PLACEHOLDER}")
    assert f"guide/guide.yml:{line}:6: error: 'url': dirección o correo de ejemplo «{PLACEHOLDER}»: una edición " \
           "publicada no puede llevarlo" in found
    assert any(p.startswith(f"guide/guide.yml:{key_line(ROOT / 'guide' / 'guide.yml', 'edition')}:10: error: "
                            "'edition': marca de borrador «Borrador»") for p in found)
    # the gate sees only what is published: the fictional entities' made-up web address is not
    assert not any("entities.yml" in p for p in found), found
    result = run_cli("check", "--release", "--guide", str(ROOT / "guide"), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"guide/guide.yml:{line}:6: error: 'url':" in result.stderr and PLACEHOLDER in result.stderr


def test_a_copy_with_the_placeholders_replaced_and_no_findings_passes(tmp_path):
    guide = released(shutil.copytree(ROOT / "guide", tmp_path / "guide"))
    out = no_findings(tmp_path / "build")
    assert problems(guide, out) == []
    result = run_cli("check", "--release", "--guide", str(guide), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "lista para publicar" in " ".join(result.stderr.split()) and "warning" not in result.stderr


# ---------------------------------------------------------------- each gate item, on a clean mini

@pytest.fixture
def clean(tmp_path) -> tuple[Path, Path]:
    guide = released(shutil.copytree(FIXTURES / "mini", tmp_path / "guide"))
    out = no_findings(tmp_path / "build")
    assert problems(guide, out) == []
    return guide, out


def only(guide: Path, out: Path) -> str:
    found = problems(guide, out)
    assert len(found) == 1, found
    return found[0]


def test_placeholder_address_in_guide_yml(clean):
    guide, out = clean
    edit(guide / "guide.yml", SITE, "https://www.example.com/guia/")
    assert only(guide, out).startswith(f"guide/guide.yml:{key_line(guide / 'guide.yml', 'url')}:6: error: 'url': "
                                       "dirección o correo de ejemplo «https://www.example.com/guia/»")


def test_placeholder_e_mail_in_a_chapter(clean):
    guide, out = clean
    chapter = guide / "chapters" / "que-es.md"
    edit(chapter, "y pueda tomar decisiones.", "y pueda tomar decisiones. Escriba a dudas@example.net.")
    assert only(guide, out).startswith(f"guide/chapters/que-es.md:{line_of(chapter, 'dudas@')}:")
    assert "«dudas@example.net»" in only(guide, out)


def test_address_with_an_ellipsis_in_a_data_item(clean):
    guide, out = clean
    data = guide / "data" / "channels.yml"
    text = data.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  summary: "))
    edit(data, first, first + " Más en https://…")
    found = only(guide, out)
    assert found.startswith(f"guide/data/channels.yml:{line_of(data, 'Más en https://…')}: error: channels '")
    assert "«https://…»" in found


def test_draft_mark_in_a_chapter(clean):
    guide, out = clean
    chapter = guide / "chapters" / "canales.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nBORRADOR: falta revisar esta sección.\n",
                       encoding="utf-8")
    assert only(guide, out).startswith(f"guide/chapters/canales.md:{line_of(chapter, 'BORRADOR')}:1: error: "
                                       "marca de borrador «BORRADOR»")


def test_draft_mark_in_a_leaflet_panel(clean):
    guide, out = clean
    panel = guide / "leaflet" / "back.md"
    panel.write_text(panel.read_text(encoding="utf-8") + "\nBorrador del folleto.\n", encoding="utf-8")
    assert only(guide, out).startswith(f"guide/leaflet/back.md:{line_of(panel, 'Borrador del')}:1: error: "
                                       "marca de borrador")


def test_todo_in_a_chapter_and_in_a_data_item(clean):
    guide, out = clean
    chapter = guide / "chapters" / "presentacion.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nTODO poner la fecha de la consulta.\n",
                       encoding="utf-8")
    assert only(guide, out).startswith(f"guide/chapters/presentacion.md:{line_of(chapter, 'TODO')}:1: error: "
                                       "nota pendiente «TODO»: «TODO poner la fecha")
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("TODO poner", "Poner"), encoding="utf-8")
    data = guide / "data" / "practices.yml"
    edit(data, "transmitidas en radios públicas y comunitarias.", "transmitidas en radios (TODO cuántas).")
    assert only(guide, out).startswith(f"guide/data/practices.yml:{line_of(data, 'TODO cuántas')}: error: "
                                       "practices 'radio-lenguas-oaxaca': nota pendiente «TODO»")


def test_internal_notes_of_a_practice_are_not_published_so_not_refused(clean):
    guide, out = clean
    edit(guide / "data" / "practices.yml", "  verification: verificada\n",
         "  verification: verificada\n  notes: TODO confirmar con guia@example.org\n")
    assert problems(guide, out) == []


def test_a_sample_build(clean):
    guide, out = clean
    edit(guide / "guide.yml", f"url: {SITE}\n", f"url: {SITE}\nsample: true\n")
    assert only(guide, out).startswith(f"guide/guide.yml:{key_line(guide / 'guide.yml', 'sample')}:9: error: es una "
                                       "compilación de muestra ('sample: true')")


def test_illustrative_consultation_answers(clean):
    guide, out = clean
    shutil.copytree(FIXTURES / "sample-consultation", guide / "data" / "consultation")
    schema = guide / "data" / "consultation" / "schema.yml"
    assert only(guide, out).startswith(f"guide/data/consultation/schema.yml:{key_line(schema, 'illustrative')}:15: "
                                       "error: las respuestas de la consulta (guide/data/consultation/answers.csv) "
                                       "son ilustrativas")
    (schema.parent / "answers.csv").unlink()  # the questionnaire alone: nothing invented is shown
    edit(schema, "file: answers.csv\n", "")
    assert problems(guide, out) == []


def test_an_illustrative_box_in_a_chapter(clean):
    guide, out = clean
    chapter = guide / "chapters" / "canales.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n::: {.aviso-ilustrativo}\nCifras de ejemplo.\n:::\n",
                       encoding="utf-8")
    assert only(guide, out).startswith(f"guide/chapters/canales.md:{line_of(chapter, 'aviso-ilustrativo')}:7: error: "
                                       "recuadro «aviso-ilustrativo»")


def test_an_unverified_practice_asked_for_by_id(clean):
    guide, out = clean
    edit(guide / "data" / "practices.yml", "  verification: verificada\n", "  verification: no-verificada\n")
    chapter = guide / "chapters" / "canales.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + '\n::: {.practices ids="radio-lenguas-oaxaca" layout="table"}\n:::\n', encoding="utf-8")
    assert only(guide, out).startswith(f"guide/chapters/canales.md:{line_of(chapter, 'radio-lenguas-oaxaca')}:1: "
                                       "error: la práctica 'radio-lenguas-oaxaca' está marcada 'no-verificada'")


def test_a_fictional_entity_named_for_the_public(clean):
    guide, out = clean
    edit(guide / "guide.yml", "    sizes: [letter, a4]\n", "    sizes: [letter, a4]\n    entities: [municipio-ejemplo]\n")
    assert only(guide, out).startswith(f"guide/guide.yml:{key_line(guide / 'guide.yml', 'entities')}:16: error: la "
                                       "entidad 'municipio-ejemplo' (Municipio de Ejemplo (ficticio)) es ficticia")
    edit(guide / "guide.yml", "    entities: [municipio-ejemplo]\n", "")
    register = guide / "data" / "adoption.yml"
    register.write_text("- entity: municipio-ejemplo\n  declaration:\n    date: 2026-01-15\n    document: Oficio\n"
                        "    place: Oficialía de partes\n", encoding="utf-8")
    assert only(guide, out).startswith("guide/data/adoption.yml:1: error: el registro de adopción nombra a la "
                                       "entidad ficticia 'municipio-ejemplo'")


def test_a_qr_code_without_an_address(clean):
    guide, out = clean
    edit(guide / "guide.yml", f"url: {SITE}\n", "")
    assert only(guide, out) == ("guide/guide.yml:1:1: error: el folleto pide un código QR ('qr') pero guide.yml no "
                                "tiene 'url:'")


# ---------------------------------------------------------------- layout findings (from `guidebuilder proof`)

def test_no_proof_sheet_is_a_problem(clean):
    guide, out = clean
    (out / "proof" / "findings.json").unlink()
    assert only(guide, out) == (f"{out}/proof/findings.json: error: no hay hoja de pruebas de la compilación: no "
                                "se sabe si quedan problemas de diseño")
    assert "make proof" in release_problems(prepare(guide, Cache(None, enabled=False)), out)[0].hint


def test_each_open_finding_is_a_problem_naming_its_output_and_page(clean):
    guide, out = clean
    findings = [Finding("pdf/guia-transparencia-proactiva.pdf", "broken-word", "«informa» cortada sin guion", 7,
                        where="guide/chapters/que-es.md:12").as_dict(),
                Finding("html/que-es.html", "overflow", "una tabla más ancha que la pantalla", view="360").as_dict()]
    (out / "proof" / "findings.json").write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
    found = problems(guide, out)
    assert found == [
        "guide/chapters/que-es.md:12: error: hallazgo de diseño abierto en pdf/guia-transparencia-proactiva.pdf, "
        "página 7 (palabra cortada sin guion): «informa» cortada sin guion",
        f"{out}/html/que-es.html: error: hallazgo de diseño abierto en html/que-es.html, vista de 360 px "
        "(contenido más ancho que la página o la pantalla): una tabla más ancha que la pantalla"]


def test_a_proof_sheet_older_than_the_build_is_a_problem(clean):
    guide, out = clean
    page = out / "html" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>hola</p>", encoding="utf-8")
    sheet = out / "proof" / "findings.json"
    os.utime(sheet, (page.stat().st_mtime - 60, page.stat().st_mtime - 60))
    assert "la hoja de pruebas es anterior a la última compilación" in only(guide, out)


# ---------------------------------------------------------------- a draft build says so once

def test_a_draft_build_warns_once_and_a_real_address_does_not(clean):
    guide, _ = clean
    ready = prepare(guide, Cache(None, enabled=False))
    assert input_problems(ready, ["html", "pdf", "leaflet"]) == []
    edit(guide / "guide.yml", SITE, PLACEHOLDER)
    draft = prepare(guide, Cache(None, enabled=False))
    assert draft.site_url is None and ready.site_url == SITE
    [warning] = input_problems(draft, ["html", "pdf", "leaflet"])
    assert warning.severity == "warning" and (warning.file, warning.line) == ("guide/guide.yml", 14)
    assert warning.message.startswith("compilación de borrador: 'https://example.org/guia-transparencia-proactiva/' "
                                      "es una dirección de ejemplo (example.org)")
    assert "«Dirección del sitio: pendiente de publicar»" in warning.message


@pytest.mark.parametrize("url, reason", [
    (PLACEHOLDER, "dirección de ejemplo (example.org)"), ("http://localhost:8000/", "(localhost)"),
    ("https://guia.test/", "(guia.test)"), ("https://…", "«…»"), (None, "no tiene 'url:'"), (SITE, None)])
def test_placeholder_url(url, reason):
    from guidebuilder.model.messages import t

    said = placeholder_url(url)
    assert said is None if reason is None else reason in t(said[0], **said[1])


@pytest.mark.parametrize("text, found", [
    ("Escriba a guia@example.org.", ["guia@example.org"]), ("ver https://www.example.com/a?b=1).", ["https://www.example.com/a?b=1"]),
    ("correo: a…@correo.mx", ["a…@correo.mx"]), ("url: https://…", ["https://…"]),
    ("Ejemplo de tablas… y más.", []), ("https://transparencia.nl.gob.mx/", []), ("el ejemplo.org de", [])])
def test_find_placeholders(text, found):
    assert find_placeholders(text) == found


def test_a_review_span_is_a_pending_note():
    from guidebuilder.checks.release import marks

    found = marks("Un dato [por confirmar]{.revisar} con su fuente.")
    assert [kind for kind, _, _ in found] == ["todo"]
    assert marks("Conviene revisar la guía cada año.") == []
