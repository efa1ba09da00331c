"""The command line's help and argparse's own words and errors follow the messages' language: Spanish by
default, English with --lang en (the English texts unchanged), known before the parser is built."""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io

import pytest

from guidebuilder.cli import main
from guidebuilder.model import messages as M


@pytest.fixture(autouse=True)
def plain(monkeypatch, tmp_path):
    monkeypatch.delenv("GUIDEBUILDER_LANG", raising=False)
    monkeypatch.chdir(tmp_path)  # no guide/ here: the guide's language is the default, Spanish
    yield
    M.set_language("es")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_build_help_is_spanish_by_default_and_english_with_lang_en():
    code, out, _ = run("build", "--help")
    assert code == 0
    assert out.startswith("uso: guidebuilder build")
    assert "opciones:" in out and "muestra esta ayuda y termina" in out
    assert "muestra solo los errores" in out and "(predeterminado: uno por núcleo)" in out
    assert "usage" not in out and "print errors only" not in out
    code, out, _ = run("build", "--help", "--lang", "en")
    assert code == 0
    assert out.startswith("usage: guidebuilder build")
    assert "options:" in out and "show this help message and exit" in out
    assert "print errors only" in out and "worker processes (default: one per core)" in out
    assert "opciones" not in out


def test_language_from_the_environment_and_the_guides_language(monkeypatch, tmp_path):
    monkeypatch.setenv("GUIDEBUILDER_LANG", "en")
    assert run("--help")[1].startswith("usage: guidebuilder [-h] [--version] COMMAND ...")
    monkeypatch.delenv("GUIDEBUILDER_LANG")
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "guide.yml").write_text("title: T\nlanguage: en\n", encoding="utf-8")
    assert run("check", "--guide=g", "--bogus")[2].endswith("error: unrecognized arguments: --bogus\n")
    assert run("check", "--guide=g", "--lang", "es", "--bogus")[2].endswith(
        "error: argumentos no reconocidos: --bogus\n")


def test_argparse_errors_are_spanish():
    code, _, err = run("feedback", "import")
    assert code == 2
    assert "error: faltan estos argumentos obligatorios: REVISADO.docx" in err
    assert "valor no válido: 'bild' (elija uno de estos: 'build'" in run("bild")[2]
    assert "argumento --jobs: valor no válido (int): 'x'" in run("build", "--jobs", "x")[2]
    assert "argument --jobs: invalid int value: 'x'" in run("build", "--lang", "en", "--jobs", "x")[2]
    assert argparse._("usage: ") == "usage: "  # the hook is gone once guidebuilder's parser is done


def test_argparse_words_are_argparses_own():
    """Each `argparse.*` English text is a msgid of this Python's argparse, word for word."""
    source = inspect.getsource(argparse)
    for msg_id, entry in M.CATALOGUE.items():
        if msg_id.startswith("argparse."):
            assert repr(entry[2])[1:-1] in source or entry[2].replace("\n", "\\n") in source, msg_id
