"""Hostile text comes out as text in every format; personal data is caught; builds are reproducible.

One build of a guide whose data files (and a chapter) carry HTML, JavaScript, Markdown, LaTeX and
template injections, plus institutional contacts that the privacy guard must let through.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from guidebuilder.checks.privacy import find_personal_data, normalise
from guidebuilder.load.sources import clean_untrusted
from guidebuilder.load.yamlio import dump_yaml, load_yaml, plain
from guidebuilder.model.errors import Collector

from conftest import FIXTURES, run_cli, tree_hashes


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


SLUG = "guia-transparencia-proactiva"
IMG = """<img src=x onerror="document.title='pwned'">"""
SCRIPT = "<script>document.title='pwned';alert(1)</script>"
IFRAME = '</td></tr></table><iframe src="javascript:alert(1)"></iframe>'
MARKDOWN = "**negrita** [enlace](javascript:alert(1)) ![img](x.png) # título"
LATEX = r"\textbf{latex} \input{/etc/passwd} $x^2$"
TEMPLATE = "{{ 7*7 }} {% if true %}jinja{% endif %} ${PATH}"
ATTRIBUTE = '" onmouseover="alert(1)'
# Literal pieces that must survive as visible text in every format.
LITERALS = ["<script>document.title='pwned';alert(1)</script>", "**negrita**", r"\textbf{latex}",
            r"\input{/etc/passwd}", "{{ 7*7 }}", "[enlace](javascript:alert(1))"]


def _edit_yaml(path: Path, change) -> None:
    data = plain(load_yaml(path, Collector()))
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)

    def channels(data):
        data[0]["name"] = f"Radio {IMG}"
        data[0]["summary"] = f"{SCRIPT} {MARKDOWN}"
        data[0]["when_to_use"] = f"{IFRAME} {LATEX}"
        data[0]["accessibility"] = f"{ATTRIBUTE} {TEMPLATE}"
        data[0]["populations"] = ["<b>negrita</b>", "`código`", "# encabezado"]
        data[1]["summary"] = f"{SCRIPT} {LATEX} {TEMPLATE}"  # shown as a table (layout=table)

    def practices(data):
        data[0]["title"] = f"Campaña {IMG}"
        data[0]["summary"] = f"{SCRIPT} {MARKDOWN} {LATEX} {TEMPLATE}"

    def config(data):
        data["publisher"] = f"Coalición {SCRIPT}"

    _edit_yaml(guide / "data" / "channels.yml", channels)
    _edit_yaml(guide / "data" / "practices.yml", practices)
    _edit_yaml(guide / "guide.yml", config)
    chapter = guide / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + (
        # raw HTML typed in a chapter is refused (tests/bad_input/raw-html-chapter); as code it is text
        f"\nUn editor pegó esto: `{IMG}` y `{SCRIPT}`.\n\n"
        # institutional contacts, written differently from guide.yml and entities.yml: allowed
        "Escribe a GUIA@example.org o llama al (81) 0000-0000 o al +52 81 0000 0000.\n"), encoding="utf-8")
    (guide / "leaflet" / "inside-1.md").write_text("## Canales\n\n::: {.channels}\n:::\n", encoding="utf-8")
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr  # also: the privacy guard lets institutional contacts through
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(path: Path) -> str:
    return _flat(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def _docx_text(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    import html

    return _flat(" ".join(html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paragraphs))


def test_html_escapes_hostile_text(hostile):
    pages = {p.name: p.read_text(encoding="utf-8") for p in (hostile / "html").glob("*.html")}
    for name, page in pages.items():
        # the only scripts are the site's own files (search, filters, finder, checklists); data never adds one
        tags = re.findall(r"<script[^>]*>", page.lower())
        assert all(re.fullmatch(r'<script src="(\.\./)*(buscar|filtro|sitio|asistente)\.js" defer>', t)
                   or (t == "<script>" and name.endswith("-completa.html")) for t in tags), name
        assert "<iframe" not in page and "<img src=x" not in page and "<b>" not in page, name
        tree = lxml_html.fromstring(page)
        own = (Path(__file__).parents[2] / "assets" / "js" / "sitio.js").read_text(encoding="utf-8")
        # the offline file carries the site's own sitio.js inline, byte for byte
        assert all(not (s.text or "").strip() or s.text.strip() == own.strip() for s in tree.xpath("//script")), name
        assert not tree.xpath("//iframe | //object | //embed | //img[@src='x']"), name
        for element in tree.iter():
            for attribute, value in element.attrib.items():
                assert not attribute.lower().startswith("on"), (name, attribute)
                assert not value.strip().lower().startswith("javascript:"), (name, attribute, value)
    canales = pages["canales.html"]
    assert "&lt;script&gt;document.title=" in canales
    assert "&lt;img src=x onerror=" in canales
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;iframe" in canales
    assert "{{ 7*7 }}" in canales and "**negrita**" in canales and r"\textbf{latex}" in canales
    assert ATTRIBUTE in lxml_html.fromstring(canales).text_content()  # text in a paragraph, not an attribute
    assert "&lt;b&gt;negrita&lt;/b&gt;" in canales
    assert "Coalición &lt;script&gt;" in pages["index.html"]


@pytest.mark.browser
def test_no_script_runs_in_chromium(hostile):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            # The check can fail: the same payload in raw HTML does run.
            page.set_content(f"<title>t</title>{IMG}")
            page.wait_for_timeout(200)
            assert page.title() == "pwned"
            for path in sorted((hostile / "html").glob("*.html")):
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                page.wait_for_timeout(200)
                title = page.title()
                assert "pwned" not in title, path.name
                assert page.evaluate("document.querySelectorAll('script[src]:not([src$=\"buscar.js\"])"
                                     ":not([src$=\"filtro.js\"]):not([src$=\"sitio.js\"])"
                                     ":not([src$=\"asistente.js\"]), iframe, img[src=x]').length") == 0
                text = page.inner_text("body")
                if path.name == "canales.html":
                    assert IMG in text and "<script>document.title='pwned';alert(1)</script>" in text
                    assert "{{ 7*7 }}" in text and "49" not in text
            assert dialogs == []
        finally:
            browser.close()


def test_pdf_shows_hostile_text_as_text(hostile):
    text = _pdf_text(hostile / "pdf" / f"{SLUG}.pdf")
    joined = text.replace(" ", "")  # the book's measure may break a literal at "](" or "</": compare unbroken
    for literal in LITERALS:
        assert literal.replace(" ", "") in joined, literal
    assert "Coalición <script>" in text


def test_docx_shows_hostile_text_as_text(hostile):
    path = hostile / "docx" / f"{SLUG}.docx"
    text = _docx_text(path)
    for literal in LITERALS + [IMG, "<b>negrita</b>"]:
        assert _flat(literal) in text, literal
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    rels = zipfile.ZipFile(path).read("word/_rels/document.xml.rels").decode()
    assert "javascript:" not in rels and "<w:b/>negrita" not in xml.replace(" ", "")


def test_leaflet_shows_hostile_text_as_text(hostile):
    text = _pdf_text(hostile / "leaflet" / f"{SLUG}-letter.pdf")
    assert _flat(f"Radio {IMG}") in text


def test_untrusted_text_stays_text():
    """Consultation answers and review comments: cleaned, then shown as text in HTML and DOCX."""
    from guidebuilder.pandoc import ast as A
    from guidebuilder.core.cache import Cache
    from guidebuilder.pandoc.convert import document, to_html
    from guidebuilder.pandoc.tools import pandoc_path, run_tool

    raw = f"Hola\u202e {SCRIPT}\x00 {MARKDOWN}\r\n{LATEX}\u200f\ud800 \x1b[31m{TEMPLATE}"
    clean = clean_untrusted(raw)
    assert "\u202e" not in clean and "\x00" not in clean and "\x1b" not in clean and "\ud800" not in clean
    assert "\u200f" not in clean and "\r" not in clean
    assert SCRIPT in clean and MARKDOWN in clean and LATEX in clean
    blocks = [A.para(line) for line in clean.split("\n")]
    html = to_html(blocks, Cache(None, enabled=False))
    assert "&lt;script&gt;" in html and "<script" not in html and "<strong>" not in html
    assert "{{ 7*7 }}" in html
    docx = run_tool([pandoc_path(), "-f", "json", "-t", "docx", "-o", "-"], "pandoc", "test", input=document(blocks))
    text = _docx_text_bytes(docx)
    assert SCRIPT in text and "**negrita**" in text and r"\textbf{latex}" in text


def _docx_text_bytes(data: bytes) -> str:
    tmp = io.BytesIO(data)
    xml = zipfile.ZipFile(tmp).read("word/document.xml").decode()
    import html

    return html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))


# ---------------------------------------------------------------- personal data

@pytest.mark.parametrize("text, expected", [
    ("Llama al 81 1234 5678.", [("phone", "81 1234 5678")]),
    ("Tel. (81) 1234-5678", [("phone", "(81) 1234-5678")]),
    ("+52 81 1234 5678", [("phone", "+52 81 1234 5678")]),
    ("+52 1 81 1234 5678", [("phone", "+52 1 81 1234 5678")]),
    ("818 123 4567 y 8112345678", [("phone", "818 123 4567"), ("phone", "8112345678")]),
    ("81 12 34 56 78", [("phone", "81 12 34 56 78")]),
    ("55.1234.5678", [("phone", "55.1234.5678")]),
    ("juan.perez+x@gmail.com", [("email", "juan.perez+x@gmail.com")]),
    ("CURP GODE561231HNLRRR09", [("curp", "GODE561231HNLRRR09")]),
    ("curp gode561231hnlrrr09", [("curp", "gode561231hnlrrr09")]),
    ("RFC GODE561231AB1", [("rfc", "GODE561231AB1")]),
    ("RFC moral ABC0103155X3", [("rfc", "ABC0103155X3")]),
])
def test_finds_personal_data(text, expected):
    assert find_personal_data(text) == expected


@pytest.mark.parametrize("text", [
    "En 2024 y de 2020-2023; el 2026-11-22.", "Un monto de 200,000 MXN o $1,500,000.00 o 1 000 000 000.",
    "El compromiso MXSPG0003.", "83.7 % frente a 73.6 %.", "ISBN 978-607-1234-567", "folio 12345678901234",
    "tel 1234567", "https://primeralinea.mx/2019/12/10/lanzan", "RFC falso ABCD991399XX1", "ENDUTIH2024",
    "Tabla 3.1. Figura 2.4.", "página 12 de 120",
])
def test_no_false_alarms(text):
    assert find_personal_data(text) == []


def test_a_web_address_broken_across_lines_is_not_a_telephone():
    from guidebuilder.checks.privacy import _flatten

    broken = "(https://www.elhorizonte.mx/\nnuevoleon/instruyen-en-nl/\n8407300229) y Tel.\n81 1234 5678"
    found = [m for flat in _flatten(broken) for _, m in find_personal_data(flat)]
    assert found and set(found) == {"81 1234 5678"}, found


def test_normalised_comparison():
    assert normalise("phone", "(81) 0000-0000") == normalise("phone", "+52 81 0000 0000") == "8100000000"
    assert normalise("email", "GUIA@Example.org") == "guia@example.org"


def test_seeded_personal_data_fails_the_build(hostile, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    chapter = guide / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") +
                       "\nDudas: maria.lopez.ficticia@gmail.com\n", encoding="utf-8")
    _edit_yaml(guide / "data" / "practices.yml",
               lambda d: d[0].update(summary=d[0]["summary"] + " Vecina: 81 2345 6789, CURP GOMA800101MNLRRR05."))
    (guide / "leaflet" / "inside-2.md").write_text("## Pregunta\n\nRFC de la vecina: GOMA800101AB1.\n",
                                                    encoding="utf-8")
    before = tree_hashes(hostile)
    result = run_cli("build", "--guide", str(guide), "--out", str(hostile), "-q")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    assert tree_hashes(hostile) == before, "a build stopped by the privacy guard changed build/"
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 4, err
    email, = [line for line in lines if "e-mail address 'mar…om'" in line]
    assert email.startswith("guide/chapters/que-es.md:23: error: personal data in a public output")
    for output in ("html/que-es.html", f"pdf/{SLUG}.pdf (page ", f"docx/{SLUG}.docx (word/document.xml paragraph "):
        assert output in email, output
    phone, = [line for line in lines if "telephone number '81 …89'" in line]
    curp, = [line for line in lines if "CURP 'GOM…05'" in line]
    source_line = next(n for n, text in enumerate((guide / "data" / "practices.yml").read_text().splitlines(), 1)
                       if "Vecina" in text)
    for line in (phone, curp):
        assert line.startswith(f"guide/data/practices.yml:{source_line}: error:")
        assert "html/buenas-practicas.html" in line
    rfc, = [line for line in lines if "RFC 'GOM…B1'" in line]
    assert rfc.startswith("guide/leaflet/inside-2.md:3: error:") and f"leaflet/{SLUG}-letter.pdf (page 2)" in rfc  # the inside sheet
    assert "maria.lopez" not in err and "2345 6789" not in err, "the message must not copy the data into logs"
    assert "fix: remove it; if it is an institution's public contact, add it to 'privacy: allow:'" in err


# ---------------------------------------------------------------- reproducibility

def test_two_builds_are_byte_identical(built_mini, tmp_path):
    """The same input built in another folder, later, in another time zone, without cache: same bytes."""
    time.sleep(1.1)  # at least one second apart, whatever ran before
    guide = tmp_path / "otra" / "carpeta" / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    out = tmp_path / "salida"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "-q", "--no-cache",
                     env={"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1"})
    assert result.returncode == 0, result.stderr
    first = {k: v for k, v in tree_hashes(built_mini).items() if not k.startswith(".")}
    second = {k: v for k, v in tree_hashes(out).items() if not k.startswith(".")}
    assert {k.split("/")[0] for k in first} == {"html", "pdf", "docx", "leaflet"}
    different = sorted(k for k in first if first[k] != second.get(k))
    assert set(first) == set(second) and not different, different
