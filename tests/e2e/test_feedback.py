"""`guidebuilder feedback import|report`: comments from a reviewed DOCX back into guide/feedback/."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).parents[1]))
from conftest import run_cli  # noqa: E402
from docx_helpers import (add_reply, built_review, cell_with, heading_with, paragraph_with, roundtrip,  # noqa: E402
                          track_deletion, track_insertion, write_comments_extended)

from guidebuilder.model.errors import GuideError  # noqa: E402
from guidebuilder.commands.feedback import import_reviewed as import_docx  # noqa: E402  (guide folder in, as the CLI)
from guidebuilder.review.store import load_all  # noqa: E402


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


SLUG = "guia-transparencia-proactiva"
WHEN = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.timezone.utc)
HOSTILE = "Falta la fuente. <script>alert('x')</script> \u202eexe.txt\u2066"
ROUND = "revision-2026-11-22"
ANSWER = "El costo aproximado es de 500 pesos al mes."
ITEMS = 5 + 1 + 1 + 2 + 1 + 2  # EXPECTED's comments, a reply, an insertion, "también" twice, a deletion, a Q and A

# (where, how to find it, author, text) -> expected chapter file and heading id
EXPECTED = {
    "Este título podría ser más claro.": ("canales.md", "canales-digitales", "Revisora Ficticia Uno"),
    "¿Incluir el costo del hosting?": ("canales.md", "canales-digitales", "Revisor Ficticio Dos"),
    HOSTILE: ("que-es.md", "la-brecha-digital", "Revisora Ficticia Uno"),
    "Mencionar a los municipios.": ("presentacion.md", "presentacion", "Revisor Ficticio Dos"),
    "Revisar el resumen de esta práctica.": ("buenas-practicas.md", "practica-perifoneo-ficticio",
                                             "Revisor Ficticio Dos"),
}


def yaml_load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def comment(doc, runs, text, author):
    c = doc.add_comment(runs, text=text, author=author, initials="".join(w[0] for w in author.split()))
    c._comment_elm.date = WHEN
    return c


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The review edition commented as reviewers would, with python-docx: comments on a heading, a table
    cell and paragraphs in several chapters, a reply, a tracked insertion and a tracked deletion."""
    guide, out = built_review(tmp_path_factory)
    work = tmp_path_factory.mktemp("feedback")
    guide_copy = work / "guide"
    shutil.copytree(guide, guide_copy)
    doc = Document(str(out / "docx" / f"{SLUG}-revision.docx"))
    c1 = comment(doc, heading_with(doc, "Canales digitales").runs, "Este título podría ser más claro.",
                 "Revisora Ficticia Uno")
    comment(doc, cell_with(doc, "Portal web institucional").runs, "¿Incluir el costo del hosting?",
            "Revisor Ficticio Dos")
    comment(doc, paragraph_with(doc, "No todas las personas usan internet").runs[:3], HOSTILE,
            "Revisora Ficticia Uno")
    comment(doc, paragraph_with(doc, "Esta guía ayuda a las instituciones").runs, "Mencionar a los municipios.",
            "Revisor Ficticio Dos")
    comment(doc, paragraph_with(doc, "Ejemplo inventado para las pruebas").runs,
            "Revisar el resumen de esta práctica.", "Revisor Ficticio Dos")
    _, ids = add_reply(doc, c1, "De acuerdo con el comentario.", "Revisor Ficticio Dos", WHEN)
    # an answer to one of the review edition's own comments (its note on the TODO)
    todo = next(c for c in doc.comments if c.author == "guidebuilder" and "TODO" in c.text)
    _, todo_ids = add_reply(doc, todo, ANSWER, "Revisora Ficticia Uno", WHEN)
    track_insertion(paragraph_with(doc, "Estas prácticas muestran"), " (texto nuevo)", "Revisora Ficticia Uno",
                    "2026-12-02T09:00:00Z")
    # the same word, the same reviewer, two chapters, within a minute (Word's dates have minutes only)
    for n, text in enumerate(("Esta guía ayuda a las instituciones", "No todas las personas usan internet")):
        track_insertion(paragraph_with(doc, text), " también", "Revisora Ficticia Uno", "2026-12-02T09:10:00Z",
                        str(903 + n))
    deleted = track_deletion(paragraph_with(doc, "Un canal es el medio"), "Revisora Ficticia Uno",
                             "2026-12-02T09:05:00Z")
    commented = work / "comentado.docx"
    doc.save(str(commented))
    write_comments_extended(commented, ids, todo_ids)
    result = run_cli("feedback", "import", str(commented), "--guide", str(guide_copy))
    assert result.returncode == 0, result.stderr
    return {"guide": guide_copy, "docx": commented, "file": guide_copy / "feedback" / f"{ROUND}.yml",
            "deleted": deleted, "work": work, "stderr": result.stderr, "review": out / "docx" / f"{SLUG}-revision.docx"}


def table_cell(docx: Path, text: str) -> tuple[int, int, int]:
    """(table, row, column), 1-based, of the first cell holding text: tables counted in document order."""
    doc = Document(str(docx))
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for number, table in enumerate(doc.element.body.iter(f"{W}tbl"), start=1):
        for r, row in enumerate(table.findall(f"{W}tr"), start=1):
            for c, cell in enumerate(row.findall(f"{W}tc"), start=1):
                if text in "".join(t.text or "" for t in cell.iter(f"{W}t")):
                    return number, r, c
    raise AssertionError(text)


def items_by_text(path: Path) -> dict:
    return {i["text"]: i for i in yaml_load(path)["items"]}


def test_every_comment_is_placed_on_its_chapter_and_heading(setup):
    items = items_by_text(setup["file"])
    for text, (chapter, heading, author) in EXPECTED.items():
        key = text if text != HOSTILE else next(t for t in items if t.startswith("Falta la fuente."))
        item = items[key]
        assert item["chapter"] == f"guide/chapters/{chapter}", text
        assert item["heading"] == heading, text
        assert item["author"] == author
        assert item["kind"] == "comment" and item["status"] == "open" and item["response"] == ""
        assert item["round"] == ROUND
        assert item["date"] == "2026-12-01T10:30:00"
    cell = items["¿Incluir el costo del hosting?"]
    assert cell["in_table"] is True and cell["anchor"] == "Portal web institucional"
    assert (cell["table"], cell["row"], cell["column"]) == table_cell(setup["docx"], "Portal web institucional")
    assert cell["cell"] == "Portal web institucional"
    assert items["Este título podría ser más claro."]["heading_title"] == "Canales digitales"
    assert items["Mencionar a los municipios."]["paragraph"].startswith("Esta guía ayuda")


def test_the_review_editions_own_comments_are_imported_only_as_the_questions_reviewers_answered(setup):
    items = yaml_load(setup["file"])["items"]
    (question,) = [i for i in items if i["author"] == "guidebuilder"]
    assert question["automatic"] is True and question["kind"] == "comment" and "TODO" in question["text"]
    assert question["paragraph"].startswith("TODO: agregar el costo") and question["chapter"].endswith("canales.md")
    answer = next(i for i in items if i["text"] == ANSWER)
    assert (answer["kind"], answer["reply_to"]) == ("reply", question["id"])
    assert answer["in_reply_to"] == question["text"] and "automatic" not in answer


def test_the_same_insertion_in_two_chapters_within_a_minute_is_kept_twice(setup):
    tambien = [i for i in yaml_load(setup["file"])["items"] if i["text"] == "también"]
    assert [(i["chapter"], i["author"], i["date"]) for i in tambien] == [
        ("guide/chapters/presentacion.md", "Revisora Ficticia Uno", "2026-12-02T09:10:00"),
        ("guide/chapters/que-es.md", "Revisora Ficticia Uno", "2026-12-02T09:10:00")]
    assert tambien[0]["id"] != tambien[1]["id"]


def test_items_are_in_document_order(setup):
    from guidebuilder.review.reader import place_key

    items = yaml_load(setup["file"])["items"]
    order = ["presentacion.md", "que-es.md", "canales.md", "buenas-practicas.md"]
    chapters = [order.index(i["chapter"].rsplit("/", 1)[1]) for i in items]
    assert chapters == sorted(chapters)
    keys = [place_key(i["place"]) for i in items]
    assert keys == sorted(keys)


def test_reply_and_tracked_changes(setup):
    items = items_by_text(setup["file"])
    reply = items["De acuerdo con el comentario."]
    assert reply["kind"] == "reply"
    assert reply["reply_to"] == items["Este título podría ser más claro."]["id"]
    assert reply["in_reply_to"] == "Este título podría ser más claro."
    assert reply["heading"] == "canales-digitales"
    ins = items["(texto nuevo)"]
    assert (ins["kind"], ins["author"], ins["date"]) == ("insertion", "Revisora Ficticia Uno", "2026-12-02T09:00:00")
    assert ins["chapter"] == "guide/chapters/buenas-practicas.md"
    dele = items[setup["deleted"]]
    assert dele["kind"] == "deletion" and dele["heading"] == "canales"
    assert len(yaml_load(setup["file"])["items"]) == ITEMS


def test_hostile_text_is_stored_as_text(setup):
    item = next(i for i in yaml_load(setup["file"])["items"] if i["text"].startswith("Falta la fuente."))
    assert "<script>" in item["text"]  # kept as text, escaped where shown
    assert "\u202e" not in item["text"] and "\u2066" not in item["text"]


def test_reimport_adds_nothing(setup):
    before = setup["file"].read_bytes()
    result = run_cli("feedback", "import", str(setup["docx"]), "--guide", str(setup["guide"]))
    assert result.returncode == 0, result.stderr
    assert f"nothing new: its {ITEMS} items are already in" in result.stderr
    assert setup["file"].read_bytes() == before
    # nor under another round's name
    again = import_docx(setup["guide"], setup["docx"], "otra-ronda")
    assert not again.added and not again.written
    assert not (setup["guide"] / "feedback" / "otra-ronda.yml").exists()


def test_editors_edits_survive_a_new_import(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    path = guide / "feedback" / f"{ROUND}.yml"
    text = path.read_text(encoding="utf-8")
    first_id = yaml_load(path)["items"][0]["id"]
    text = text.replace("    status: open\n    response: ''\n",
                        "    status: accepted\n    response: Corregido en la versión 2.  # nota del editor\n", 1)
    path.write_text(text, encoding="utf-8")
    doc = Document(str(setup["docx"]))
    comment(doc, paragraph_with(doc, "La transparencia proactiva es publicar").runs, "Un comentario más.",
            "Revisora Ficticia Tres")
    second = tmp_path / "segundo.docx"
    doc.save(str(second))
    result = import_docx(guide, second)
    assert [i["text"] for i in result.added] == ["Un comentario más."]
    assert result.added[0]["heading"] == "que-es"
    data = yaml_load(path)
    first = next(i for i in data["items"] if i["id"] == first_id)
    assert (first["status"], first["response"]) == ("accepted", "Corregido en la versión 2.")
    assert "# nota del editor" in path.read_text(encoding="utf-8")
    assert len(data["items"]) == ITEMS + 1


def test_unplaced_comments_are_kept(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    doc = Document(str(setup["review"]))
    comment(doc, paragraph_with(doc, "Una idea por comentario").runs, "Comentario en la página de instrucciones.",
            "Revisora Ficticia Uno")
    path = tmp_path / "instrucciones.docx"
    doc.save(str(path))
    result = import_docx(guide, path, "ronda-2")
    assert len(result.added) == 1 and result.unplaced == result.added
    item = yaml_load(guide / "feedback" / "ronda-2.yml")["items"][0]
    assert item["chapter"] is None and item["heading"] is None and "before the first chapter" in item["unplaced"]


def _broken_inputs(setup, tmp: Path) -> dict[str, tuple[Path, str]]:
    text = tmp / "notas.docx"
    text.write_text("esto no es un documento de Word\n", encoding="utf-8")
    truncated = tmp / "cortado.docx"
    truncated.write_bytes(setup["docx"].read_bytes()[:20000])
    corrupt = tmp / "danado.docx"
    data = bytearray(setup["docx"].read_bytes())
    with zipfile.ZipFile(setup["docx"]) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 50
    data[start:start + 40] = b"\x00" * 40  # the compressed document, damaged: CRC or inflate error
    corrupt.write_bytes(bytes(data))
    other = tmp / "otro.docx"
    doc = Document()
    p = doc.add_paragraph("Un documento cualquiera, sin relación con la guía.")
    doc.add_comment(p.runs, text="Un comentario", author="Alguien", initials="A")
    doc.save(str(other))
    empty = setup["review"]  # the review edition as built: only guidebuilder's own comments
    not_zip_named = tmp / "comentarios.docx.pdf"
    not_zip_named.write_bytes(b"%PDF-1.7\n")
    other_guide = tmp / "otra-guia.docx"
    with zipfile.ZipFile(setup["docx"]) as src, zipfile.ZipFile(other_guide, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/custom.xml":
                content = content.replace(SLUG.encode(), b"otra-guia")
            dst.writestr(info, content)
    return {"text": (text, "not a DOCX"), "truncated": (truncated, "damaged"), "corrupt": (corrupt, "damaged"),
            "other document": (other, "not made by guidebuilder"), "no comments": (empty, "no comments"),
            "pdf": (not_zip_named, "not a DOCX"), "other guide": (other_guide, "another guide")}


def test_bad_input_is_refused_and_nothing_is_written(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    cases = _broken_inputs(setup, tmp_path)
    for name, (path, message) in cases.items():
        with pytest.raises(GuideError) as err:
            import_docx(guide, path)
        assert message in str(err.value), (name, str(err.value))
        assert "fix:" in str(err.value)
        assert not (guide / "feedback").exists(), name
    # and through the command line: an error message, no traceback
    result = run_cli("feedback", "import", str(cases["corrupt"][0]), "--guide", str(guide))
    assert result.returncode == 1 and "Traceback" not in result.stderr and "damaged" in result.stderr


def test_report(setup, tmp_path):
    out = tmp_path / "build"
    result = run_cli("feedback", "report", "--guide", str(setup["guide"]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "canales.md" in result.stdout and "Revisor Ficticio Dos" in result.stdout
    html = (out / "feedback" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html and "<script>" not in html and "\u202e" not in html
    assert "Revisora Ficticia Uno" in html and "guide/chapters/canales.md" in html
    assert 'name="robots" content="noindex' in html
    assert not (out / "html").exists()
    from lxml import html as lhtml

    tree = lhtml.fromstring(html)
    rows = {(r[0].text_content(), r[1].text_content()): [c.text_content() for c in r[2:]]
            for r in tree.xpath("//table[1]/tbody/tr")}
    assert rows[("guide/chapters/canales.md", "Revisor Ficticio Dos")] == ["2", "0", "0", "0", "2"]
    # an answer is shown with its question, which links to the question's own row
    items = yaml_load(setup["file"])["items"]
    question = next(i for i in items if i.get("automatic"))
    answer = next(r for r in tree.xpath("//tr[@id]") if ANSWER in r.text_content())
    assert "En respuesta a" in answer.text_content() and question["text"][:40] in answer.text_content()
    assert answer.xpath(".//a/@href") == [f"#{question['id']}"] and tree.xpath(f"//tr[@id='{question['id']}']")
    assert "Pregunta automática de la edición de revisión" in tree.xpath(f"//tr[@id='{question['id']}']")[0].text_content()
    cell = next(i for i in items if i["text"] == "¿Incluir el costo del hosting?")
    assert f"tabla {cell['table']}, fila {cell['row']}, columna {cell['column']}" in html


def test_report_names_file_and_line_of_a_broken_feedback_file(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    path = guide / "feedback" / f"{ROUND}.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == "status: open")
    lines[index] = lines[index].replace("open", "abierto")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("feedback", "report", "--guide", str(guide), "--out", str(tmp_path / "build"))
    assert result.returncode == 1
    assert f"feedback/{ROUND}.yml:{index + 1}:" in result.stderr and "abierto" in result.stderr
    with pytest.raises(GuideError):
        load_all(guide)


def _placements(path: Path) -> set:
    return {(i["kind"], i["chapter"], i["heading"], i["author"], i["text"]) for i in yaml_load(path)["items"]}


@pytest.mark.libreoffice
def test_libreoffice_save_keeps_every_placement(setup, tmp_path):
    saved = roundtrip(setup["docx"], tmp_path / "lo")
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")  # else nothing is new: the same comments are in the first round
    result = import_docx(guide, saved, "libreoffice")
    got = _placements(guide / "feedback" / "libreoffice.yml")
    # LibreOffice 7.4 keeps comments, anchors and tracked changes, but not Word's reply links: a reply
    # comes back as a comment, and the automatic question it answered is not imported without it
    first = yaml_load(setup["file"])["items"]
    want = {("comment" if i["kind"] == "reply" else i["kind"], i["chapter"], i["heading"], i["author"], i["text"])
            for i in first if not i.get("automatic")}
    with zipfile.ZipFile(saved) as z:
        assert z.read("word/document.xml").count(b'w:name="_GB_') >= 10  # the hidden heading bookmarks too
    assert want == got, (want - got, got - want)
    assert not result.unplaced
    # and each item has the id it had: same place, offset and text after the re-save
    assert {i["id"] for i in result.added} == {i["id"] for i in first if not i.get("automatic")}


@pytest.mark.libreoffice
def test_a_libreoffice_resave_imported_after_the_original_adds_nothing(setup, tmp_path):
    saved = roundtrip(setup["docx"], tmp_path / "lo")
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    before = (guide / "feedback" / f"{ROUND}.yml").read_bytes()
    result = import_docx(guide, saved)  # the same round, named by the edition's date (LibreOffice keeps it)
    assert result.added == [] and not result.written, [i["text"] for i in result.added]
    assert result.already == ITEMS - 1  # all but the automatic question (its reply lost its link)
    assert (guide / "feedback" / f"{ROUND}.yml").read_bytes() == before
    # nor the other way round: the re-save first, then the original adds only what the re-save lost
    shutil.rmtree(guide / "feedback")
    import_docx(guide, saved)
    result = import_docx(guide, setup["docx"])
    assert [(i["author"], i.get("automatic")) for i in result.added] == [("guidebuilder", True)]


@pytest.mark.libreoffice
def test_comments_made_in_libreoffice(setup, tmp_path):
    """A reviewer comments in LibreOffice itself (through its UNO bridge) on a heading, a cell and paragraphs,
    and adds text with change tracking on."""
    out = tmp_path / "lo-comentado.docx"
    script = Path(__file__).parents[1] / "lo_annotate.py"
    result = subprocess.run(
        ["/usr/bin/python3", str(script), str(setup["review"]), str(out), "Revisora LibreOffice Ficticia",
         "Canales no digitales", "Comentario en un título.", "Portal web institucional", "Comentario en una celda.",
         "Esta guía ayuda a las instituciones", "Comentario en un párrafo.",
         "Tres cápsulas de radio", "Comentario en una práctica.",
         "Estas prácticas muestran", "+ Texto agregado en LibreOffice."],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and out.is_file(), result.stderr[-2000:]
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    import_docx(guide, out, "libreoffice")
    items = items_by_text(guide / "feedback" / "libreoffice.yml")
    expect = {"Comentario en un título.": ("canales.md", "canales-no-digitales", False),
              "Comentario en una celda.": ("canales.md", "canales-digitales", True),
              "Comentario en un párrafo.": ("presentacion.md", "presentacion", False),
              "Comentario en una práctica.": ("buenas-practicas.md", "practica-radio-lenguas-oaxaca", False)}
    tracked = items.pop("Texto agregado en LibreOffice.")  # a tracked change made in LibreOffice
    assert (tracked["kind"], tracked["author"], tracked["heading"]) == (
        "insertion", "Revisora LibreOffice Ficticia", "buenas-practicas")
    assert set(items) == set(expect)
    for text, (chapter, heading, in_table) in expect.items():
        item = items[text]
        assert (item["chapter"], item["heading"], item["in_table"]) == (f"guide/chapters/{chapter}", heading,
                                                                         in_table), text
        assert item["author"] == "Revisora LibreOffice Ficticia"
        assert item["date"] == "2026-12-03T11:00:00"


def test_a_docx_that_lost_its_properties_is_still_recognised(setup, tmp_path):
    """An editor that drops custom properties (not Word, not LibreOffice) keeps bookmarks or titles."""
    import re

    stripped = tmp_path / "sin-propiedades.docx"
    with zipfile.ZipFile(setup["docx"]) as src, zipfile.ZipFile(stripped, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/custom.xml":
                content = content.replace(b"guidebuilder-slug", b"otra-propiedad")
            if info.filename == "word/document.xml":  # the heading-id bookmarks renamed; the hidden ones kept
                content = re.sub(rb'w:name="(?!_GB_)[^"]*"', b'w:name="renombrado"', content)
                assert b'w:name="_GB_' in content
            dst.writestr(info, content)
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    result = import_docx(guide, stripped, "ronda-x")
    assert {i["heading"] for i in result.added} >= {"canales-digitales", "presentacion", "la-brecha-digital"}


def test_a_comment_on_a_footnote_is_placed_where_the_footnote_is(setup, tmp_path):
    import re

    doc = Document(str(setup["review"]))
    c = comment(doc, paragraph_with(doc, "Esta guía ayuda").runs, "Verificar el enlace de esta nota.",
                "Revisora Ficticia Uno")
    first = tmp_path / "nota.docx"
    doc.save(str(first))
    cid = str(c.comment_id)
    moved = tmp_path / "nota-al-pie.docx"
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(moved, "w") as dst:
        for info in src.infolist():
            if info.filename not in ("word/document.xml", "word/footnotes.xml"):
                dst.writestr(info, src.read(info.filename))
                continue
            content = src.read(info.filename).decode("utf-8")
            if info.filename == "word/document.xml":  # take the comment's marks out of the body…
                content = re.sub(rf'<w:commentRange(Start|End) w:id="{cid}"/>', "", content)
                content = re.sub(rf'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                                 rf'<w:commentReference w:id="{cid}"/></w:r>', "", content)
                assert f'w:id="{cid}"' not in content
            if info.filename == "word/footnotes.xml":  # …and put them around the footnote's text
                content, n = re.subn(r'(<w:r><w:t xml:space="preserve">Open Government Partnership[^<]*</w:t></w:r>)',
                                     rf'<w:commentRangeStart w:id="{cid}"/>\1<w:commentRangeEnd w:id="{cid}"/>'
                                     rf'<w:r><w:commentReference w:id="{cid}"/></w:r>', content)
                assert n == 1
            dst.writestr(info, content.encode("utf-8"))
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    result = import_docx(guide, moved, "notas")
    (item,) = result.added
    assert (item["chapter"], item["heading"]) == ("guide/chapters/presentacion.md", "cómo-se-hizo")
    assert item["paragraph"].startswith("Open Government Partnership")
    with zipfile.ZipFile(moved) as z:  # its number: the footnotes counted in the order they are referenced
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        body = etree.fromstring(z.read("word/document.xml"))
    note_id = next(n.get(qn("w:id")) for n in notes.iter(qn("w:footnote"))
                   if "Open Government Partnership" in "".join(n.itertext()))
    references = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    assert item["footnote"] == references.index(note_id) + 1
    assert item["place"].split("/")[1].startswith(f"n{item['footnote']}.p0@")


# ---------------------------------------------------------------- what the command says

def test_messages_count_in_singular_and_plural(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    doc = Document(str(setup["review"]))
    comment(doc, paragraph_with(doc, "Esta guía ayuda a las instituciones").runs, "Uno.", "Revisora Ficticia Uno")
    one = tmp_path / "uno.docx"
    doc.save(str(one))
    comment(doc, paragraph_with(doc, "Un canal es el medio").runs, "Dos.", "Revisora Ficticia Uno")
    two = tmp_path / "dos.docx"
    doc.save(str(two))
    said = [run_cli("feedback", "import", str(path), "--guide", str(guide)).stderr for path in (one, one, two, two)]
    assert f"1 new item written to {guide / 'feedback' / ROUND}.yml" in said[0] and "already" not in said[0]
    assert "nothing new: its item is already in" in said[1]
    assert "1 new item written" in said[2] and "; 1 was already imported" in said[2]
    assert "nothing new: its 2 items are already in" in said[3]


def test_personal_data_typed_in_a_comment_is_warned_about_in_spanish(setup, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    doc = Document(str(setup["review"]))
    comment(doc, paragraph_with(doc, "Esta guía ayuda a las instituciones").runs,
            "Pregunten a la señora Pérez: maria.perez.lopez@gmail.com, tel. 81 1234 5678; o a guia@example.org.",
            "Revisora Ficticia Uno")
    path = tmp_path / "datos.docx"
    doc.save(str(path))
    result = run_cli("feedback", "import", str(path), "--guide", str(guide), "--round", "datos", "-q", "--lang", "es")
    assert result.returncode == 0, result.stderr
    item = yaml_load(guide / "feedback" / "datos.yml")["items"][0]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("aviso:")]
    assert len(warnings) == 2, result.stderr  # the review contact in guide.yml is allowed, as in the build
    assert all(item["id"] in w and "persona particular" in w and "Revisora Ficticia Uno" in w for w in warnings)
    assert "un correo electrónico de una persona particular («mar…om»)" in warnings[0]
    assert "un teléfono de una persona particular («81 …78»)" in warnings[1]
    assert "maria.perez" not in result.stderr and "1234 5678" not in result.stderr


# ---------------------------------------------------------------- round files that stay usable

def _many_comments(review: Path, out: Path, texts: list[str]) -> Path:
    """The review edition with one new paragraph per text at the end of the last chapter, each commented."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    doc = Document(str(review))
    after = doc.paragraphs[-1]._p
    for n, text in enumerate(texts):
        p = OxmlElement("w:p")
        after.addnext(p)
        after = p
        run = Paragraph(p, doc._body).add_run(f"Párrafo añadido número {n}, con lo que una revisora comentaría.")
        comment(doc, [run], text, "Revisora Ficticia Uno")
    doc.save(str(out))
    return out


def test_three_thousand_comments_and_a_five_megabyte_one_keep_the_round_usable(setup, tmp_path):
    from guidebuilder.load.sources import MAX_TEXT_BYTES

    guide = tmp_path / "guide"
    shutil.copytree(setup["guide"], guide)
    shutil.rmtree(guide / "feedback")
    texts = [f"Comentario ordinario {n}: propongo decir esto de otra manera, más clara para la gente." for n in
             range(3000)] + ["Texto larguísimo. " * 300_000]  # 5.4 MB
    path = _many_comments(setup["review"], tmp_path / "muchos.docx", texts)
    first = run_cli("feedback", "import", str(path), "--guide", str(guide))
    assert first.returncode == 0, first.stderr
    assert "3001 new items written to" in first.stderr
    files = sorted((guide / "feedback").iterdir())
    assert len(files) >= 2 and all(f.stat().st_size < MAX_TEXT_BYTES for f in files), [
        (f.name, f.stat().st_size) for f in files]
    report = run_cli("feedback", "report", "--guide", str(guide), "--out", str(tmp_path / "build"))
    assert report.returncode == 0, report.stderr
    assert "feedback: 3001 items" in report.stdout
    html = (tmp_path / "build" / "feedback" / "report.html").read_text(encoding="utf-8")
    assert "Comentario ordinario 2999:" in html and "[texto recortado: " in html
    again = run_cli("feedback", "import", str(path), "--guide", str(guide))
    assert again.returncode == 0 and "nothing new: its 3001 items are already in" in again.stderr, again.stderr


# ---------------------------------------------------------------- review markers

def test_only_explicit_markers_get_an_automatic_comment(tmp_path_factory):
    from docx_helpers import review_guide

    base = tmp_path_factory.mktemp("marcas")
    guide = review_guide(base)
    chapter = guide / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + (
        "\n\n## Revisar\n\nEl equipo previó revisar la guía cada año; revisar es parte del método.\n\n"
        "La cifra de [municipios atendidos]{.revisar} debe confirmarse con el INEGI.\n\n"
        "Todo el equipo participó; todo se discutió.\n"), encoding="utf-8")
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "docx", "-q")
    assert result.returncode == 0, result.stderr
    doc = Document(str(out / "docx" / f"{SLUG}-revision.docx"))
    body = doc.element.body
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchored = {}
    for start in body.iter(f"{W}commentRangeStart"):
        cid, texts, on = start.get(qn("w:id")), [], False
        for el in next(start.iterancestors(f"{W}p")).iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
            if el.tag != f"{W}t" and el.get(qn("w:id")) == cid:
                on = el.tag == f"{W}commentRangeStart"
            elif el.tag == f"{W}t" and on:
                texts.append(el.text or "")
        anchored[cid] = " ".join("".join(texts).split())
    notes = {str(c.comment_id): c.text for c in doc.comments if "Nota pendiente" in c.text}
    assert sorted(anchored[c] for c in notes) == ["TODO: agregar el costo aproximado de cada canal.",
                                                  "municipios atendidos"]
    assert not any("revisar" in anchored[c].lower() or "Todo el equipo" in anchored[c] for c in notes)
