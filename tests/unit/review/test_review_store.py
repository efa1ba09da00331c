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
from guidebuilder.review.store import (HEADER, chapter_order, dump_round, load_all, load_round, merge, new_round, yaml_item)


def item(n: int, **kw) -> dict:
    base = {"id": f"fb-{n:012x}", "round": "ronda-1", "kind": "comment", "status": "open", "response": "",
            "chapter": "guide/chapters/canales.md", "heading": "canales", "heading_title": "Canales",
            "anchor": "", "paragraph": "", "in_table": False, "author": "Revisora", "date": "2026-12-01T10:30:00",
            "text": f"Comentario {n}", "source": "revisado.docx"}
    return {**base, **kw}


def write_round(guide_dir: Path, name: str, items: list[dict]) -> Path:
    tree = new_round(name)
    merge(tree, [{**i, "round": name} for i in items], set())
    path = guide_dir / "feedback" / f"{name}.yml"
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


def test_an_item_already_imported_is_not_added_twice():
    tree = new_round("ronda-1")
    assert [i["id"] for i in merge(tree, [item(1), item(2), item(1)], set())] == [item(1)["id"], item(2)["id"]]
    assert merge(tree, [item(1), item(2)], set()) == []  # already in this round
    assert [i["id"] for i in merge(tree, [item(3), item(4)], {item(3)["id"]})] == [item(4)["id"]]  # another round
    assert [str(e["id"]) for e in tree["items"]] == [item(n)["id"] for n in (1, 2, 4)]


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
        chapter("canales", "Canales", [(1, "canales", "Canales"), (2, "canales-digitales", "Canales digitales")])])


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
