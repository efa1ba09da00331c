"""An editor's way in: `guidebuilder new` makes a guide that builds with no error, `anchors` lists the link
targets, the preview shows the PDF on demand and links to it, messages point at the cause first."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
import urllib.request
from pathlib import Path

from conftest import FIXTURES
from guidebuilder.cli import main
from guidebuilder.commands import serve


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_new_guide_checks_and_builds_with_no_error_or_warning(tmp_path: Path):
    guide = tmp_path / "nueva"
    code, _, err = cli("new", str(guide), "--title", "Guía de prueba: datos abiertos")
    assert code == 0 and "guidebuilder serve --guide" in err
    assert (guide / "guide.yml").is_file() and (guide / "chapters" / "introduccion.md").is_file()
    code, _, err = cli("check", "--guide", str(guide))
    assert code == 0 and "aviso" not in err and "correcta" in err, err
    code, _, err = cli("build", "--guide", str(guide), "--out", str(tmp_path / "build"), "--format", "html")
    assert code == 0 and "aviso" not in err, err
    assert (tmp_path / "build" / "html" / "introduccion.html").is_file()
    # it never overwrites
    code, _, err = cli("new", str(guide))
    assert code == 1 and "no está vacía" in err


def test_anchors_lists_every_heading_with_its_chapter(tmp_path: Path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    code, out, _ = cli("anchors", "--guide", str(guide))
    assert code == 0
    assert "canales.md" in out and "#canales-no-digitales" in out and "Canales no digitales" in out
    code, out, _ = cli("anchors", "--guide", str(guide), "--json", "brecha")
    assert '"id": "la-brecha-digital"' in out and "canales-no-digitales" not in out


def test_a_data_file_that_fails_comes_first_and_its_links_follow_as_consequences(tmp_path: Path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    chapter = guide / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[Oaxaca](#practica-radio-lenguas-oaxaca)\n",
                       encoding="utf-8")
    data = guide / "data" / "practices.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("\n  place: Oaxaca", "\n    place: Oaxaca"),
                    encoding="utf-8")
    code, _, err = cli("check", "--guide", str(guide))
    lines = err.splitlines()
    assert code == 1
    assert lines[0].startswith("guide/data/practices.yml:4:") and "error de sangría YAML" in lines[0], err
    assert ": consecuencia: enlace a '#practica-radio-lenguas-oaxaca'" in err
    assert lines[-1] == "guidebuilder: 1 error; no se escribió nada"
    code, _, err = cli("check", "--guide", str(guide), "--lang", "en")
    assert "YAML indentation error" in err.splitlines()[0] and "nothing was written" in err


def test_preview_links_to_the_pdf_and_builds_it_on_demand(built_mini: Path, tmp_path: Path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    out = tmp_path / "build"
    shutil.copytree(built_mini, out, symlinks=True)
    shutil.rmtree(out / "pdf")
    state = serve.State(guide, out)
    handler = functools.partial(serve.Handler, directory=str(out / "html"), state=state)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = urllib.request.urlopen(f"{base}/index.html").read()
        assert f'href="{serve.PDF_VIEW}"'.encode() in page
        assert serve.PDF_VIEW.encode() not in (out / "html" / "index.html").read_bytes()  # only as served
        view = urllib.request.urlopen(base + serve.PDF_VIEW).read()  # the PDF in a page that reloads it
        assert f'src="{serve.PDF_PATH}?v='.encode() in view and serve.VERSION_PATH.encode() in view
        with urllib.request.urlopen(base + serve.PDF_PATH, timeout=300) as answer:
            assert answer.url.startswith(f"{base}/pdf/") and answer.url.endswith(".pdf")
            assert answer.read(5) == b"%PDF-"
    finally:
        server.shutdown()
        server.server_close()


def test_make_check_fails_with_guidebuilders_status_and_words_only(tmp_path: Path):
    """`make check` on a broken guide: guidebuilder's messages, no "make: ***" line, and its exit status 1."""
    import os
    import subprocess

    import pytest

    from conftest import ROOT

    stamp = ROOT / ".venv" / ".installed"
    if not shutil.which("make") or not stamp.is_file() or any(
            (ROOT / f).stat().st_mtime > stamp.stat().st_mtime for f in ("pyproject.toml", "constraints.txt")):
        pytest.skip("needs make and an installed .venv (make would install it first)")
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    (guide / "guide.yml").write_text((guide / "guide.yml").read_text(encoding="utf-8").replace("title:", "titulo:", 1),
                                     encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    run = subprocess.run(["make", "check", f"ARGS=--guide {guide}"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 1, run.stderr
    assert "clave desconocida 'titulo'" in run.stderr and "make" not in run.stderr.replace("make guide", "")
    shutil.rmtree(guide / "chapters")
    shutil.copytree(FIXTURES / "mini", guide, dirs_exist_ok=True)
    run = subprocess.run(["make", "check", f"ARGS=--guide {guide}"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr


def test_the_cause_comes_alone_or_first(tmp_path: Path):
    """guide.yml failing: its error alone (taller.md's references to chapters never loaded are not repeated);
    an id repeated by mistake: the references to the id it replaced follow it as consequences."""
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    shutil.copytree(FIXTURES / "didactico", guide / "didactico")
    config = guide / "guide.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("publisher:", "publsher:"), encoding="utf-8")
    code, _, err = cli("check", "--guide", str(guide))
    assert code == 1 and err.count(": error: ") == 1 and "taller.md" not in err, err
    config.write_text(config.read_text(encoding="utf-8").replace("publsher:", "publisher:"), encoding="utf-8")
    channels = guide / "data" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8").replace("- id: radio-comunitaria", "- id: portal-web"),
                        encoding="utf-8")
    code, _, err = cli("check", "--guide", str(guide))
    lines = [line for line in err.splitlines() if ": error: " in line or ": consecuencia: " in line]
    assert code == 1 and "id repetido 'portal-web'" in lines[0], err
    assert lines[1:] and all(": consecuencia: " in line and "radio-comunitaria" in line for line in lines[1:]), err
