"""Reading answers from the field (`guidebuilder consulta import`): column names as KoboToolbox and ODK
write them, values as people type them, tally totals, and merging each answer once."""

from __future__ import annotations

from pathlib import Path

from guidebuilder.load.consultation_import import letter, merge, read_import, sniff
from guidebuilder.load.yamlio import load_yaml, plain
from guidebuilder.model.errors import Collector
from guidebuilder.participation.consultation import ConsultationSchema

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "guide" / "data" / "consultation" / "schema.yml"


def spec() -> ConsultationSchema:
    return ConsultationSchema.model_validate(plain(load_yaml(SCHEMA, Collector(root=ROOT / "guide"), "schema")))


def read(tmp_path: Path, text: str, channel: str | None = "web", schema=None):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    errors = Collector()
    return read_import(path, schema or spec(), channel, errors), [d.format() for d in errors.errors]


def test_column_letters_and_delimiters():
    assert [letter(i) for i in (0, 25, 26, 27, 51)] == ["A", "Z", "AA", "AB", "AZ"]
    assert sniff("a;b;c") == ";" and sniff("a,b,c") == "," and sniff("a\tb") == "\t" and sniff("solo") == ","


def test_odk_central_paths_split_choices_and_metadata(tmp_path):
    header = ("SubmissionDate,fecha,municipio,grupo_edad,temas/agua,temas/salud,temas/educacion,canales_preferidos,"
              "contacto-nombre,meta-instanceID,KEY,Status")
    row = "2026-12-01T10:00:00Z,2026-12-01,apodaca,15-29,1,0,1,radio,Ana,uuid:abc-1,uuid:abc-1,\n"
    imported, diags = read(tmp_path, f"{header}\n{row}")
    assert diags == []
    (answer,) = imported.rows
    assert answer["temas"] == ["agua", "educacion"] and answer["folio"] == "abc-1"
    assert answer["canal_respuesta"] == "web" and "nombre" not in answer
    assert {"SubmissionDate", "meta-instanceID", "KEY", "Status"} <= set(imported.ignored)


def test_values_as_people_type_them(tmp_path):
    header = "folio,fecha,municipio,grupo_edad,canal_respuesta,temas,canales_preferidos,comentario,publicable"
    row = 'P-1,15/03/2026,San Nicolás de los Garza,60-o-mas,,"Agua;Obras públicas",Radio,"Sí, con coma",Sí\n'
    imported, diags = read(tmp_path, f"{header}\n{row}", channel="papel")
    assert diags == []
    (answer,) = imported.rows
    assert str(answer["fecha"]) == "2026-03-15" and answer["municipio"] == "san-nicolas-de-los-garza"
    assert answer["temas"] == ["agua", "obras-publicas"] and answer["publicable"] is True
    assert answer["canal_respuesta"] == "papel"


def test_every_problem_at_once_with_row_and_column(tmp_path):
    header = "folio,fecha,municipio,grupo_edad,temas,canales_preferidos,edad"
    rows = "F1,2026-02-30,apodaca,15-29,agua,radio,3\nF2,2026-03-01,apodaka,joven,agua,,4\n"
    imported, diags = read(tmp_path, f"{header}\n{rows}", channel=None)
    assert imported is None
    where = [d.split(": error: ")[0].rsplit("/", 1)[-1] for d in diags]
    assert where == ["export.csv:1:7", "export.csv:1:1", "export.csv:2:2", "export.csv:3:3", "export.csv:3:4",
                     "export.csv:3:6"]
    assert "columna G «edad»: no es una pregunta del cuestionario" in diags[0]
    assert "no dice por qué canal llegaron las respuestas" in diags[1] and "--channel" in diags[1]
    assert "fila 2, columna B «fecha»: «2026-02-30» no es una fecha" in diags[2]
    assert "«apodaka» no es una opción de esta pregunta (¿quiso decir «apodaca»?)" in diags[3]
    assert "columna F «canales_preferidos»: está vacía y es obligatoria" in diags[5]


def test_without_a_folio_column_a_file_imported_twice_adds_nothing(tmp_path):
    schema = spec()
    schema = schema.model_copy(update={"columns": [c for c in schema.columns if c.role != "folio"]})
    folder = tmp_path / "consultation"
    folder.mkdir()
    header = "fecha,municipio,grupo_edad,temas,canales_preferidos"
    same = "2026-03-01,apodaca,15-29,agua,radio\n"
    imported, diags = read(tmp_path, f"{header}\n{same}{same}", schema=schema)
    assert diags == []
    errors = Collector()
    first = merge(folder, schema, imported, tmp_path / "export.csv", errors)
    assert (first.added, first.already) == (2, 0)  # two people gave the same answers
    first.path.write_text(first.text, encoding="utf-8")
    again = merge(folder, schema, imported, tmp_path / "export.csv", errors)
    assert (again.text, again.added, again.already) == (None, 0, 2) and errors.errors == []


def test_tally_totals_fill_down_and_need_the_people_counted(tmp_path):
    text = ("fecha,municipio,folio,pregunta,opcion,total\n2026-03-01,galeana,G1,personas,,5\n,,,temas,agua,4\n"
            "2026-03-02,linares,L1,temas,salud,2\n,,,temas,sal,1\n")
    imported, diags = read(tmp_path, text, channel="asamblea")
    assert imported is None
    assert any("export.csv:5:5: error: fila 5, columna E «opcion»: «sal» no es una opción de «temas»" in d
               for d in diags), diags
    fixed = text.replace(",,,temas,sal,1\n", ",,,personas,,3\n")
    imported, diags = read(tmp_path, fixed, channel="asamblea")
    assert diags == []
    assert [(r["municipio"], r["pregunta"], r["opcion"], r["total"], r["canal"]) for r in imported.rows] == [
        ("galeana", "personas", "", 5, "asamblea"), ("galeana", "temas", "agua", 4, "asamblea"),
        ("linares", "temas", "salud", 2, "asamblea"), ("linares", "personas", "", 3, "asamblea")]
    no_people = fixed.replace(",,,personas,,3\n", "")
    _, diags = read(tmp_path, no_people, channel="asamblea")
    assert any("no dice cuántas personas respondieron" in d for d in diags)
