"""The consultation in the field (issue 23): the questionnaire of schema.yml as an XLSForm that pyxform
converts without a warning, paper forms and a tally sheet measured on the PDF, a data-entry template,
and answers brought back from a KoboToolbox-shaped export, the template and tally totals — checked,
stripped of personal data, merged once — then shown with their number, dates, places and channels."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html
from ruamel.yaml import YAML

from conftest import FIXTURES, ROOT, run_cli, tree_hashes

SLUG = "guia-transparencia-proactiva"
BASE = f"{SLUG}-consulta"
MM = 72 / 25.4
SCHEMA = ROOT / "guide" / "data" / "consultation" / "schema.yml"
# Personal values typed in the exports: they must never reach guide/ or an output
SECRETS = ["Rosaura Villarreal", "rosaura.v@correo.mx", "8187654321", "Tomasa Garza", "tomasa@correo.mx"]


def field_guide(base: Path) -> Path:
    """The consult fixture with the real guide's questionnaire and no answers yet."""
    guide = base / "guide"
    shutil.copytree(FIXTURES / "consult", guide)
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    folder = guide / "data" / "consultation"
    (folder / "answers.csv").unlink()
    shutil.copy(SCHEMA, folder / "schema.yml")
    (guide / "chapters" / "consulta.md").write_text(
        "# La voz de la gente\n\n::: {.consultation view=\"method\"}\n:::\n\n"
        "::: {.consultation view=\"topics\"}\n:::\n", encoding="utf-8")
    return guide


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("consulta")
    guide = field_guide(base)
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "consulta", "-q")
    assert result.returncode == 0, result.stderr
    return out / "consulta"


def schema_columns() -> list[dict]:
    return YAML(typ="safe").load(SCHEMA.read_text(encoding="utf-8"))["columns"]


# ---------------------------------------------------------------- the XLSForm

def sheet(path: Path, name: str) -> list[dict]:
    from openpyxl import load_workbook

    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_xlsform_converts_with_pyxform_without_error_or_warning(built):
    from pyxform.xls2xform import convert

    data = (built / f"{BASE}.xlsx").read_bytes()
    warnings: list[str] = []
    xform = convert(data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    survey = sheet(built / f"{BASE}.xlsx", "survey")
    types = {r["name"]: r["type"] for r in survey}
    assert types["temas"] == "select_multiple temas" and types["canales_preferidos"] == "select_multiple canales_preferidos"
    assert types["municipio"] == "select_one municipio" and types["contacto"] == "begin_group"
    assert types["aviso_consentimiento"] == types["aviso_privacidad"] == "note"
    assert "canal_respuesta" not in types and "folio" not in types  # said when importing, not asked
    consent = YAML(typ="safe").load(SCHEMA.read_text(encoding="utf-8"))["consent"]
    assert consent in xform and "Aviso de privacidad" in xform
    assert '<group ref="/data/contacto">' in xform and 'ref="/data/contacto/correo"' in xform
    assert '<select ref="/data/temas"' in xform
    settings = sheet(built / f"{BASE}.xlsx", "settings")[0]
    assert settings["form_id"] == BASE and settings["version"] == "2026-11-22"
    assert settings["default_language"] == "Español (es)"
    assert {k for k in survey[0] if k and k.startswith("label")} == {"label::Español (es)"}


def test_the_outputs_have_the_same_bytes_when_built_again(built, tmp_path):
    guide = field_guide(tmp_path)
    out = tmp_path / "again"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "consulta", "-q", "--no-cache",
                     env={"TZ": "America/Monterrey"})
    assert result.returncode == 0, result.stderr
    assert tree_hashes(out / "consulta") == tree_hashes(built)


def test_the_data_entry_template_has_exactly_the_schema_columns(built):
    raw = (built / f"{BASE}-captura.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [[c["name"] for c in schema_columns()]]
    tally = list(csv.reader(io.StringIO((built / f"{BASE}-conteo.csv").read_bytes().decode("utf-8-sig"))))
    assert tally[0] == ["fecha", "municipio", "folio", "pregunta", "opcion", "total"]
    assert ["", "", "", "temas", "agua", ""] in tally and ["", "", "", "personas", "", ""] in tally


# ---------------------------------------------------------------- paper, measured

def pdf_pages(path: Path) -> list[dict]:
    """Each page's size, text, image boxes and thin horizontal lines (pt, y from the top)."""
    import pypdfium2 as pdfium

    from guidebuilder.checks.layout_pdf import read_pages

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = read_pages(pdf)
        texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    return [{"size": (round(p.width), round(p.height)), "text": " ".join(t.split()),
             "images": [b for b in p.boxes if b.kind == 3], "rules": p.pieces} for p, t in zip(pages, texts)]


@pytest.mark.parametrize("name, size, min_pt, room_mm", [
    ("carta", (612, 792), 12, 8), ("a4", (595, 842), 12, 8), ("letra-grande", (612, 792), 16, 12)])
def test_paper_questionnaire_is_measured(built, name, size, min_pt, room_mm):
    from guidebuilder.checks.layout_pdf import pdf_findings

    path = built / f"{BASE}-{name}.pdf"
    findings = pdf_findings(path, path.name, min_pt, [])
    assert [f.message for f in findings if f.kind in ("small-text", "writing-room", "overflow")] == []
    pages = pdf_pages(path)
    assert {p["size"] for p in pages} == {size}
    assert "Instrucciones para quien aplica el cuestionario" in pages[0]["text"]
    for page in pages[1:]:  # every sheet handed out carries the folio box and the questionnaire's id and date
        assert "Folio:" in page["text"] and f"{BASE} · versión 2026-11-22" in page["text"]
    form = " ".join(p["text"] for p in pages)
    assert "Aviso de privacidad" in form and "Marque todas las que correspondan" in form
    boxes = [b for p in pages for b in p["images"]]
    assert len(boxes) >= 51 + 4 + 8 + 8 + 2  # one per option
    assert min(min(b.width, b.height) for b in boxes) >= 5 * MM
    gaps = []
    for page in pages:
        lines = sorted((r for r in page["rules"] if r.x1 - r.x0 > 100 and not r.frame), key=lambda r: r.top)
        gaps += [b.top - a.bottom for a, b in zip(lines, lines[1:]) if abs(a.x0 - b.x0) < 1 and b.top - a.bottom < 40 * MM]
    assert gaps and min(gaps) >= room_mm * MM


def test_tally_sheet_counts_every_option_with_room_for_marks(built):
    from guidebuilder.checks.layout_pdf import pdf_findings

    path = built / f"{BASE}-conteo.pdf"
    assert [f.message for f in pdf_findings(path, path.name, 12, []) if f.kind in ("small-text", "writing-room")] == []
    text = " ".join(p["text"] for p in pdf_pages(path))
    assert "Personas atendidas este día" in text and "Fecha (día, mes y año):" in text
    for col in schema_columns():
        if col.get("type") in ("enum", "list") and col.get("ask", True):
            for label in col["values"].values():
                assert label in text, label


# ---------------------------------------------------------------- answers back in

def kobo_export(xlsx: Path, rows: list[dict]) -> str:
    """A CSV as KoboToolbox exports it ("XML values and headers", group separator "/", ';' between
    columns): made from the XLSForm's own sheets, not from guidebuilder's code."""
    survey = sheet(xlsx, "survey")
    choices: dict[str, list[str]] = {}
    for r in sheet(xlsx, "choices"):
        choices.setdefault(r["list_name"], []).append(r["name"])
    header, path = ["start", "end"], []
    for r in survey:
        kind = (r["type"] or "").split()
        if kind[0] == "begin_group":
            path.append(r["name"])
        elif kind[0] == "end_group":
            path.pop()
        elif kind[0] != "note":
            header.append("/".join([*path, r["name"]]))
            if kind[0] == "select_multiple":
                header += ["/".join([*path, r["name"], c]) for c in choices[kind[1]]]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
               "__version__", "_tags", "_index"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for i, row in enumerate(rows, 1):
        values = {"start": "2026-12-01T09:00:00.000-06:00", "end": "2026-12-01T09:06:00.000-06:00",
                  "_id": str(100 + i), "_uuid": f"5b1c{i:04d}-aaaa-bbbb-cccc-{i:012d}",
                  "_submission_time": "2026-12-01T15:10:00", "_status": "submitted_via_web", "_index": str(i), **row}
        for name in header:  # split select_multiple columns: 1 or 0
            parent, _, choice = name.rpartition("/")
            if parent in row and choice and parent not in ("contacto",):
                values[name] = "1" if choice in row[parent].split() else "0"
        writer.writerow([values.get(h, "") for h in header])
    return out.getvalue()


ANSWERS = [
    {"fecha": "2026-12-01", "municipio": "galeana", "grupo_edad": "60-o-mas", "temas": "agua salud",
     "canales_preferidos": "radio perifoneo", "comentario": "Que avisen por radio cuando cortan el agua.",
     "publicable": "si", "contacto/nombre": "Rosaura Villarreal", "contacto/correo": "rosaura.v@correo.mx",
     "contacto/telefono": "8187654321"},
    {"fecha": "2026-12-03", "municipio": "monterrey", "grupo_edad": "30-44", "temas": "presupuesto",
     "canales_preferidos": "whatsapp portal-web", "comentario": "", "publicable": "",
     "contacto/nombre": "Tomasa Garza", "contacto/correo": "tomasa@correo.mx", "contacto/telefono": ""},
]


@pytest.fixture
def imported(built, tmp_path) -> Path:
    guide = field_guide(tmp_path)
    export = tmp_path / "kobo.csv"
    export.write_text(kobo_export(built / f"{BASE}.xlsx", ANSWERS), encoding="utf-8")
    result = run_cli("consulta", "import", str(export), "--guide", str(guide), "--channel", "telefono")
    assert result.returncode == 0, result.stderr
    assert "2 respuestas nuevas" in result.stderr
    return guide


def test_a_kobotoolbox_export_is_imported_once_without_personal_data(imported, tmp_path):
    stored = imported / "data" / "consultation" / "answers.csv"
    text = stored.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["canal_respuesta"] for r in rows] == ["telefono", "telefono"]
    assert rows[0]["temas"] == "agua;salud" and rows[0]["folio"].startswith("5b1c0001")
    assert (rows[0]["nombre"], rows[0]["correo"], rows[0]["telefono"]) == ("", "", "")
    before = stored.read_bytes()
    again = run_cli("consulta", "import", str(tmp_path / "kobo.csv"), "--guide", str(imported), "--channel", "telefono")
    assert again.returncode == 0 and "nada nuevo" in again.stderr
    assert stored.read_bytes() == before


def test_the_answers_are_shown_with_their_number_dates_places_channels_and_limits(imported, tmp_path):
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(imported), "--out", str(out), "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((out / "html" / "consulta.html").read_bytes())
    text = " ".join(page.text_content().split())
    assert ("2 personas respondieron entre el 1 de diciembre de 2026 y el 3 de diciembre de 2026, de 2 municipios "
            "(Galeana y Monterrey)") in text
    assert "Por teléfono o celular, con una persona encuestadora 2 100 %" in text
    assert "no es una muestra representativa" in text
    assert "Los resultados se publicarán aquí" not in text
    for secret in SECRETS:
        assert secret not in text


def test_a_malformed_export_is_refused_with_row_and_column_and_nothing_written(built, tmp_path):
    guide = field_guide(tmp_path)
    rows = [dict(ANSWERS[0]), dict(ANSWERS[1], municipio="monterey", grupo_edad="")]
    text = kobo_export(built / f"{BASE}.xlsx", rows)
    export = tmp_path / "kobo.csv"
    export.write_text(text, encoding="utf-8")
    header = text.split("\n")[0].split(";")
    result = run_cli("consulta", "import", str(export), "--guide", str(guide), "--channel", "web")
    assert result.returncode == 1
    col = header.index("municipio") + 1
    assert f"kobo.csv:3:{col}: error: fila 3, columna " in result.stderr
    assert "«monterey» no es una opción de esta pregunta (¿quiso decir «monterrey»?)" in result.stderr
    assert f"kobo.csv:3:{header.index('grupo_edad') + 1}: error:" in result.stderr and "obligatoria" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (guide / "data" / "consultation" / "answers.csv").exists()  # the good row is not imported alone


def test_paper_answers_typed_in_the_template_and_tally_totals(built, tmp_path):
    guide = field_guide(tmp_path)
    template = (built / f"{BASE}-captura.csv").read_text(encoding="utf-8-sig").strip()
    names = template.split(",")
    typed = dict.fromkeys(names, "") | {"fecha": "02/12/2026", "municipio": "Linares", "grupo_edad": "15-29",
                                        "temas": "Agua;Transporte", "canales_preferidos": "radio",
                                        "nombre": "Rosaura Villarreal"}
    paper = tmp_path / "captura.csv"
    paper.write_text(template + "\n" + ",".join(typed[n] for n in names) + "\n", encoding="utf-8")
    no_folio = run_cli("consulta", "import", str(paper), "--guide", str(guide), "--channel", "papel")
    assert no_folio.returncode == 1 and "captura.csv:2:1: error: fila 2: no tiene folio" in no_folio.stderr
    typed["folio"] = "LIN-0001"
    paper.write_text(template + "\n" + ",".join(typed[n] for n in names) + "\n", encoding="utf-8")
    assert run_cli("consulta", "import", str(paper), "--guide", str(guide), "--channel", "papel").returncode == 0
    stored = (guide / "data" / "consultation" / "answers.csv").read_text(encoding="utf-8")
    assert "LIN-0001,2026-12-02,linares,15-29,papel,agua;transporte,radio" in stored and "Rosaura" not in stored
    tally = tmp_path / "conteo.csv"
    tally.write_text("fecha,municipio,folio,pregunta,opcion,total\n2026-12-04,galeana,GAL-1,personas,,12\n"
                     ",,,temas,agua,9\n,,,grupo_edad,60-o-mas,7\n", encoding="utf-8")
    result = run_cli("consulta", "import", str(tally), "--guide", str(guide), "--channel", "asamblea")
    assert result.returncode == 0, result.stderr
    from guidebuilder.load.loader import load_guide

    c = load_guide(guide).data.consultation
    assert (c.answers, c.tallied, c.tally_sheets) == (1, 12, 1)
    assert dict(c.counts["topics"])["agua"] == 1 + 9 and dict(c.by_channel) == {"papel": 1, "telefono": 0, "web": 0,
                                                                                 "asamblea": 12}
    assert c.places == ("galeana", "linares")
    assert re.search(r"totales de conteo nuevos", result.stderr)


def test_before_any_answer_the_section_offers_the_questionnaire_in_every_format(tmp_path):
    guide = field_guide(tmp_path)
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "https://example.org/guia-transparencia-proactiva/", "https://guia-transparencia.mx/"), encoding="utf-8")
    out = tmp_path / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "html,pdf", "-q")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((out / "html" / "consulta.html").read_bytes())
    links = page.xpath("//div[contains(@class, 'gb-descargas')]//a/@href")
    assert links == [f"https://guia-transparencia.mx/descargas/{BASE}{end}" for end in (
        ".xlsx", "-carta.pdf", "-a4.pdf", "-letra-grande.pdf", "-conteo.pdf", "-captura.csv", "-conteo.csv")]
    from pypdf import PdfReader

    book = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(out / "pdf" / f"{SLUG}.pdf").pages).split())
    book = re.sub(r"(?<=[-/]) ", "", book)  # an address broken after a slash or one of its hyphens, joined
    assert f"{BASE}-letra-grande.pdf" in book and "guia-transparencia.mx/descargas/" in book
    assert "personas respondieron" not in book and "Los resultados se publicarán aquí" in book
