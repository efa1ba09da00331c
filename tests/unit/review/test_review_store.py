"""review.store and review.importer: round files written and read back, nothing imported twice."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).parent))
from review_docx_parts import SLUG, docx_parts, write_docx  # noqa: E402

from guidebuilder.model.errors import Collector, GuideError  # noqa: E402
from guidebuilder.review.importer import import_docx, read_reviewed  # noqa: E402
from guidebuilder.review.store import (HEADER, Known, chapter_order, dump_round, fill, load_all, load_round,  # noqa: E402
                                       yaml_item)


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


def item(n: int, **kw) -> dict:
    base = {"id": f"fb-{n:012x}", "round": "ronda-1", "kind": "comment", "status": "open", "response": "",
            "chapter": "guide/chapters/canales.md", "heading": "canales", "heading_title": "Canales",
            "anchor": "", "paragraph": "", "in_table": False, "author": "Revisora", "date": "2026-12-01T10:30:00",
            "text": f"Comentario {n}", "source": "revisado.docx"}
    return {**base, **kw}


def write_round(guide_dir: Path, name: str, items: list[dict]) -> Path:
    [(path, tree)] = fill(guide_dir / "feedback", name, None, [{**i, "round": name} for i in items])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_round(tree, path, guide_dir), encoding="utf-8")
    return path


def test_a_round_is_written_and_read_back(tmp_path):
    two_lines = item(2, text="Primera línea.\nSegunda línea.")
    path = write_round(tmp_path, "ronda-1", [item(1), two_lines])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# " + HEADER.split("\n")[0])
    assert "text: |-\n" in text  # a text of several lines stays readable: a literal block
    errors = Collector(root=tmp_path)
    tree, model = load_round(path, errors)
    assert not errors.items and model.round == "ronda-1"
    assert [(i.id, i.text) for i in model.items] == [(item(1)["id"], "Comentario 1"),
                                                     (two_lines["id"], "Primera línea.\nSegunda línea.")]
    assert [i.id for i in load_all(tmp_path)] == [item(1)["id"], two_lines["id"]]


def test_known_items_by_id_and_old_items_by_old_id_heading_and_paragraph(tmp_path):
    write_round(tmp_path, "ronda-1", [item(1, place="h1.p0@0"), item(2, paragraph="Un párrafo.")])  # 2: an old item
    known = Known()
    for entry in load_all(tmp_path):
        known.add(entry)
    assert known.has({"id": item(1)["id"]}) and known.has({"id": item(2)["id"]})
    old = {"id": "fb-0000000000ff", "legacy_id": item(2)["id"], "heading": "canales", "paragraph": "Un párrafo."}
    assert known.has(old)
    assert not known.has({**old, "paragraph": "Otro párrafo."}) and not known.has({**old, "heading": "otra"})
    assert not known.has({**old, "legacy_id": item(1)["id"], "paragraph": ""})  # item 1 has a place: by id only


def test_yaml_item_keeps_a_fixed_key_order_and_leaves_out_missing_keys():
    out = yaml_item({"text": "t", "unknown": 1, "id": "fb-000000000001", "reply_to": None})
    assert list(out) == ["id", "text", "reply_to"]


def test_a_broken_round_is_reported_with_its_line(tmp_path):
    path = write_round(tmp_path, "ronda-1", [item(1), item(2)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(item(2)["id"], item(1)["id"]), encoding="utf-8")
    errors = Collector(root=tmp_path)
    load_round(path, errors)
    (error,) = errors.errors
    assert error.message == f"feedback item '{item(1)['id']}' appears twice"
    assert error.line == text.split("\n").index(f"  - id: {item(2)['id']}") + 1
    with pytest.raises(GuideError):
        load_all(tmp_path)
    path.write_text("- una lista\n", encoding="utf-8")
    errors = Collector(root=tmp_path)
    assert load_round(path, errors) == (None, None)
    assert "must be a mapping" in errors.errors[0].message


def test_chapter_order_reads_guide_yml_only(tmp_path):
    guide_dir = tmp_path / "guia"
    guide_dir.mkdir()
    (guide_dir / "guide.yml").write_text("title: T\nchapters: [b.md, a.md, 3]\n", encoding="utf-8")
    assert chapter_order(guide_dir) == ["guia/chapters/b.md", "guia/chapters/a.md"]


# ---------------------------------------------------------------- the importer, with a guide made by hand

def guide(root: Path):
    def chapter(cid, title, headers):
        blocks = tuple({"t": "Header", "c": [lvl, [ident, [], []], [{"t": "Str", "c": text}]]}
                       for lvl, ident, text in headers)
        return SimpleNamespace(id=cid, file=f"guide/chapters/{cid}.md", title=title, appendix=False, blocks=blocks)

    return SimpleNamespace(slug=SLUG, root=root, chapters=[
        chapter("canales", "Canales", [(1, "canales", "Canales"), (2, "canales-digitales", "Canales digitales")])],
        config=SimpleNamespace(privacy=SimpleNamespace(allow=["(81) 2020 3030"]),
                               review=SimpleNamespace(contact_email="guia@example.org", contact_phone=None)),
        data=SimpleNamespace(entities=[]))


def test_import_writes_the_round_and_a_second_import_adds_nothing(tmp_path):
    root = tmp_path / "guide"
    root.mkdir()
    docx = write_docx(tmp_path / "revisado.docx", docx_parts())
    result = import_docx(guide(root), docx)
    path = root / "feedback" / "revision-2026-11-22.yml"  # the round named by the edition's date
    assert result.written and result.path == path and result.already == 0
    items = {i["text"]: i for i in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["items"]}
    assert set(items) == {"Falta la fuente.", "De acuerdo.", "¿Dónde estaba esto?", "¿Incluir el costo?",
                          "borrado", "(texto nuevo)"}  # not the edition's own note
    assert items["Falta la fuente."]["heading"] == "canales-digitales"
    assert items["De acuerdo."]["reply_to"] == items["Falta la fuente."]["id"]
    assert [i["text"] for i in result.unplaced] == ["¿Dónde estaba esto?"]
    before = path.read_bytes()
    again = import_docx(guide(root), docx)
    assert (again.added, again.written, again.already) == ([], False, 6)
    assert path.read_bytes() == before
    other = import_docx(guide(root), docx, "otra-ronda", read_reviewed(docx, "otra-ronda"))
    assert not other.written and not (root / "feedback" / "otra-ronda.yml").exists()


def test_import_keeps_editors_edits_and_refuses_a_round_of_another_name(tmp_path):
    root = tmp_path / "guide"
    root.mkdir()
    first = write_docx(tmp_path / "uno.docx", docx_parts(comments=None))  # the tracked changes only
    path = import_docx(guide(root), first, "ronda-1").path
    text = path.read_text(encoding="utf-8").replace("status: open", "status: done  # hecho", 1)
    path.write_text(text, encoding="utf-8")
    result = import_docx(guide(root), write_docx(tmp_path / "dos.docx", docx_parts()), "ronda-1")
    assert len(result.added) == 4 and result.already == 2
    assert "status: done  # hecho" in path.read_text(encoding="utf-8")
    path.rename(path.with_name("ronda-2.yml"))
    with pytest.raises(GuideError) as err:
        import_docx(guide(root), first, "ronda-2")
    assert "this file belongs to round 'ronda-1', not 'ronda-2'" in str(err.value)


def test_import_refuses_a_bad_round_name_before_anything_else(tmp_path):
    docx = write_docx(tmp_path / "revisado.docx", docx_parts())
    with pytest.raises(GuideError) as err:
        read_reviewed(docx, "Ronda 1")
    assert "round name 'Ronda 1' is not usable as a file name" in str(err.value)
    with pytest.raises(GuideError) as err:
        import_docx(guide(tmp_path), write_docx(tmp_path / "vacio.docx", docx_parts(body="<w:p/>", comments=None)))
    assert "has no comments or tracked changes by reviewers" in str(err.value)
    assert not (tmp_path / "feedback").exists()


# ---------------------------------------------------------------- round files that always stay usable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADINGS = ('<w:p><w:pPr><w:pStyle w:val="Titulo1"/></w:pPr><w:bookmarkStart w:id="1" w:name="canales"/>'
            '<w:r><w:t>Canales</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p>')


def commented(path: Path, texts: list[str], paragraph: str = "Un párrafo de la guía.", author: str = "Revisora",
              extra: str = "") -> Path:
    """A DOCX with one paragraph per text, each carrying a comment with that text."""
    body = HEADINGS + "".join(f'<w:p><w:commentRangeStart w:id="{i}"/><w:r><w:t>{paragraph}</w:t></w:r>'
                              f'<w:commentRangeEnd w:id="{i}"/><w:r><w:commentReference w:id="{i}"/></w:r></w:p>'
                              for i in range(len(texts))) + extra
    comments = "".join(f'<w:comment w:id="{i}" w:author="{author}" w:date="2026-12-01T10:30:00Z"><w:p><w:r>'
                       f'<w:t xml:space="preserve">{t}</w:t></w:r></w:p></w:comment>' for i, t in enumerate(texts))
    return write_docx(path, docx_parts(body=body, comments=f'<w:comments xmlns:w="{W}">{comments}</w:comments>'))


def test_a_round_too_big_for_one_file_goes_on_in_the_next_and_every_file_is_readable(tmp_path, monkeypatch):
    from guidebuilder.review import store

    monkeypatch.setattr(store, "PART_BUDGET", 6000)
    root = tmp_path / "guide"
    root.mkdir()
    docx = commented(tmp_path / "muchos.docx", [f"Comentario número {i}." for i in range(40)])
    result = import_docx(guide(root), docx, "ronda-1")
    names = sorted(p.name for p in (root / "feedback").iterdir())
    assert len(names) > 2 and names[:2] == ["ronda-1.2.yml", "ronda-1.3.yml"] and "ronda-1.yml" in names
    assert [p.name for p in result.paths] == ["ronda-1.yml"] + [f"ronda-1.{n}.yml" for n in range(2, len(names) + 1)]
    assert all(p.stat().st_size <= 6000 for p in result.paths)
    assert [i.text for i in load_all(root)] == sorted((f"Comentario número {i}." for i in range(40)),
                                                      key=lambda t: int(t.split()[-1][:-1]))
    again = import_docx(guide(root), docx, "ronda-1")
    assert (again.added, again.written, again.already) == ([], False, 40)
    # more comments on the same round fill its last file, then a new one
    more = commented(tmp_path / "mas.docx", [f"Comentario número {i}." for i in range(45)])
    third = import_docx(guide(root), more, "ronda-1")
    last = f"ronda-1.{len(names)}.yml"
    assert len(third.added) == 5 and third.paths[0].name == last  # the last file first, while it has room
    assert all(p.stat().st_size <= 6000 for p in third.paths)
    assert len(load_all(root)) == 45


def test_a_file_over_the_reading_limit_is_never_written(tmp_path, monkeypatch):
    from guidebuilder.review import store

    monkeypatch.setattr(store, "MAX_TEXT_BYTES", 3000)
    root = tmp_path / "guide"
    root.mkdir()
    with pytest.raises(GuideError) as err:
        import_docx(guide(root), commented(tmp_path / "c.docx", ["x" * 4000]), "ronda-1")
    assert "over the 0 MB limit" in str(err.value) or "nothing was written" in str(err.value)
    assert not (root / "feedback").exists()


def test_a_five_megabyte_comment_is_cut_and_the_round_stays_usable(tmp_path):
    from guidebuilder.load.sources import MAX_TEXT_BYTES
    from guidebuilder.review.store import MAX_TEXT_CHARS

    root = tmp_path / "guide"
    root.mkdir()
    docx = commented(tmp_path / "largo.docx", ["Una palabra " * 440_000, "Corto."])  # 5.3 MB of text
    result = import_docx(guide(root), docx, "ronda-1")
    assert result.path.stat().st_size < MAX_TEXT_BYTES
    long, short = load_all(root)
    assert len(long.text) < MAX_TEXT_CHARS + 60 and long.text.endswith("caracteres más]")
    assert f"[texto recortado: {len(('Una palabra ' * 440_000).strip()) - MAX_TEXT_CHARS} caracteres más]" in long.text
    assert short.text == "Corto."
    again = import_docx(guide(root), docx, "ronda-1")
    assert (again.added, again.already) == ([], 2)


# ---------------------------------------------------------------- nothing lost, nothing twice

def _old_round(root: Path, items: list[dict]) -> Path:
    """A round file as the importer wrote it before places were recorded: ids from what items say."""
    old = []
    for item in items:
        item = {k: v for k, v in item.items() if k not in ("place", "table", "row", "column", "cell", "footnote")}
        item["id"] = item.pop("legacy_id")
        old.append(item)
    return write_round(root, "ronda-0", old)


def test_rounds_written_with_the_old_ids_are_read_and_not_imported_again(tmp_path):
    from guidebuilder.review.place import place

    root = tmp_path / "guide"
    root.mkdir()
    tambien = ('<w:p><w:r><w:t xml:space="preserve">Otro párrafo </w:t></w:r><w:ins w:id="5" w:author="Revisora" '
               'w:date="2026-12-02T09:00:10Z"><w:r><w:t>también</w:t></w:r></w:ins></w:p>')
    first = commented(tmp_path / "uno.docx", ["Falta la fuente."], extra=tambien)
    old_items = [i for i in place(read_reviewed(first), guide(root), "ronda-0", "uno.docx")]
    path = _old_round(root, old_items)
    assert "place:" not in path.read_text(encoding="utf-8")
    again = import_docx(guide(root), first, "ronda-1")
    assert (again.added, again.already) == ([], 2)  # matched by old id, heading and paragraph
    # the same insertion, same reviewer, same minute, in another paragraph: the old ids collapsed them
    second = commented(tmp_path / "dos.docx", ["Falta la fuente."], extra=tambien + tambien.replace("Otro", "Un tercer"))
    result = import_docx(guide(root), second, "ronda-1")
    assert [(i["text"], i["paragraph"]) for i in result.added] == [("también", "Un tercer párrafo también")]
    assert result.already == 2


def test_an_insertion_equal_to_an_earlier_rounds_but_elsewhere_is_kept(tmp_path):
    root = tmp_path / "guide"
    root.mkdir()
    one = ('<w:p><w:r><w:t xml:space="preserve">Uno </w:t></w:r><w:ins w:id="5" w:author="Revisora" '
           'w:date="2026-12-02T09:00:00Z"><w:r><w:t>también</w:t></w:r></w:ins></w:p>')
    import_docx(guide(root), write_docx(tmp_path / "a.docx", docx_parts(body=HEADINGS + one, comments=None)), "ronda-1")
    two = one + one.replace("Uno", "Dos")
    result = import_docx(guide(root), write_docx(tmp_path / "b.docx", docx_parts(body=HEADINGS + two, comments=None)),
                         "ronda-2")
    assert [i["paragraph"] for i in result.added] == ["Dos también"] and result.already == 1


def test_identical_comments_on_repeated_text_are_kept_apart(tmp_path):
    root = tmp_path / "guide"
    root.mkdir()
    result = import_docx(guide(root), commented(tmp_path / "r.docx", ["Igual."] * 3, paragraph="Fuente: INEGI."))
    assert len(result.added) == 3 and len({i["id"] for i in result.added}) == 3
    assert [i["place"] for i in result.added] == ["h1.p1@0", "h1.p2@0", "h1.p3@0"]


# ---------------------------------------------------------------- personal data

def test_personal_data_in_a_comment_is_warned_about_masked(tmp_path):
    from guidebuilder.model.messages import set_language

    set_language("es")  # the guide's language (this module's other tests read English)
    root = tmp_path / "guide"
    root.mkdir()
    texts = ["Escriban a ana.perez.garcia@gmail.com o al 81 1234 5678.", "Mi CURP es PEGA850101MNLRRN09.",
             "Contacto oficial: guia@example.org y (81) 2020-3030.", "Nada personal aquí, solo 2024 y 3.5."]
    result = import_docx(guide(root), commented(tmp_path / "p.docx", texts), "ronda-1")
    warnings = result.warnings
    assert len(warnings) == 3, warnings  # the institutional contacts are allowed, as in the build
    ids = [i["id"] for i in result.added]
    assert ids[0] in warnings[0] and "un correo electrónico" in warnings[0] and "«ana…om»" in warnings[0]
    assert ids[0] in warnings[1] and "un teléfono" in warnings[1]
    assert ids[1] in warnings[2] and "una CURP" in warnings[2]
    assert not any("ana.perez" in w or "1234 5678" in w or "PEGA850101" in w for w in warnings)
    assert all(w.startswith("aviso:") and "persona particular" in w and "Revisora" in w for w in warnings)


def test_guide_feedback_is_ignored_by_git():
    import shutil
    import subprocess

    repo = Path(__file__).resolve().parents[3]
    if shutil.which("git") is None or not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", "guide/feedback/revision-2026-11-22.yml"],
                            cwd=repo)
    assert result.returncode == 0, "guide/feedback/ must be in .gitignore: it holds reviewers' names and texts"
