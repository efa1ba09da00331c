"""The consultation, the adoption register and the follow-up report, built for real and inspected."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, run_cli, tree_hashes

SLUG = "guia-transparencia-proactiva"
NOTICE = "Datos ilustrativos, no son resultados reales"
# Personal values of the fixture's answers (personal columns, and comments the guard must stop),
# the non-publishable comment, and the reviewers' names of the feedback file.
SECRETS = ["Zacarías", "Quintanilla", "Yolanda", "Urquidi", "zacarias.ficticio", "otra.persona", "5550 1111",
           "5550 2222", "5550 3333", "Comentario privado", "Zazueta", "Ybarra", "Comentario ficticio"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("consult")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "consult", guide)
    out = base / "build"
    result = run_cli("build", "--guide", str(guide), "--out", str(out), "--format", "html,pdf,docx,report", "-q")
    assert result.returncode == 0, result.stderr
    return out


def pdf_text(path: Path) -> str:
    """The PDF's text with line ends and hyphenation undone, so a phrase reads as one line."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", text).split())


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def texts(built) -> dict[str, str]:
    out = {f"html/{p.name}": p.read_text(encoding="utf-8") for p in sorted((built / "html").glob("*.html"))}
    out.update({f"svg/{p.name}": p.read_text(encoding="utf-8") for p in sorted((built / "html").rglob("*.svg"))})
    out["pdf"] = pdf_text(built / "pdf" / f"{SLUG}.pdf")
    out["docx"] = docx_text(built / "docx" / f"{SLUG}.docx")
    out["report.html"] = (built / "report" / f"{SLUG}-seguimiento.html").read_text(encoding="utf-8")
    out["report.pdf"] = pdf_text(built / "report" / f"{SLUG}-seguimiento.pdf")
    return out


def test_no_personal_field_in_any_output(texts):
    assert texts["pdf"] and texts["docx"] and texts["report.pdf"]
    for name, text in texts.items():
        flat = re.sub(r"\s+", " ", text)
        for secret in SECRETS:
            assert secret not in flat, f"{secret!r} leaked into {name}"


def test_publishable_clean_comments_shown_as_plain_text(built, texts):
    page = lxml_html.fromstring((built / "html" / "consulta.html").read_bytes())
    items = [li.text_content() for li in page.xpath("//div[@class='gb-comments']//li")]
    assert items == ["«Comentario publicable uno.» (Norte (ficticio))",
                     "«<script>alert('x')</script> **negritas** [enlace](https://example.org)» (Sur (ficticio))",
                     "«Comentario con coma, y dos líneas.» (Norte (ficticio))"]
    assert not page.xpath("//main//script") and not page.xpath("//div[@class='gb-comments']//*[self::a or self::strong]")
    assert "Se recibieron 7 comentarios; 6 se marcaron como publicables y se muestran 3 (3 se retiraron" \
        in page.text_content()
    for fmt in ("pdf", "docx"):
        assert "«Comentario publicable uno.»" in texts[fmt]
        assert "<script>alert('x')</script>" in texts[fmt]


def test_illustrative_notice_on_every_table_and_chart(built, texts):
    page = lxml_html.fromstring((built / "html" / "consulta.html").read_bytes())
    tables, figures = page.xpath("//main//table"), page.xpath("//main//figure")
    assert len(tables) == 6 and len(figures) == 4
    for element in tables + figures:
        caption = element.xpath(".//caption | .//figcaption")[0].text_content()
        assert "(datos ilustrativos, no son resultados reales)" in caption
    notices = page.xpath("//div[contains(@class, 'aviso-ilustrativo')]")
    assert len(notices) == 7  # one before each of the seven consultation blocks
    assert all(n.text_content().strip().startswith(NOTICE) for n in notices)
    for svg in (built / "html" / "graficas").glob("consulta-*.svg"):
        assert NOTICE in svg.read_text(encoding="utf-8")  # in the chart's description
    for fmt in ("pdf", "docx"):
        assert texts[fmt].count(NOTICE) >= 7


def table_rows(page, caption_start: str) -> list[list[str]]:
    for table in page.xpath("//main//table"):
        caption = re.sub(r"^Tabla [\dA-Z]+\.\d+\. ", "", table.xpath(".//caption")[0].text_content())
        if caption.startswith(caption_start):
            return [[c.text_content().strip() for c in tr.xpath("./th | ./td")] for tr in table.xpath(".//tr")]
    raise AssertionError(f"no table captioned {caption_start!r}")


def test_tables_match_an_independent_count(built):
    rows = list(csv.DictReader(io.StringIO((FIXTURES / "consult/data/consultation/answers.csv").read_text())))
    topics = Counter(t for r in rows for t in r["temas"].split(";"))
    page = lxml_html.fromstring((built / "html" / "consulta.html").read_bytes())
    shown = table_rows(page, "Datos de la gráfica: Temas prioritarios")
    labels = {"agua": "Agua", "salud": "Salud", "escuelas": "Escuelas"}
    assert {r[0]: int(r[1]) for r in shown[1:]} == {labels[k]: v for k, v in topics.items()}
    by_muni = table_rows(page, "Temas prioritarios por municipio")
    n = {m: sum(r["municipio"] == m for r in rows) for m in ("norte", "sur")}
    assert by_muni[0] == ["Tema", f"Norte (ficticio) (n = {n['norte']})", f"Sur (ficticio) (n = {n['sur']})"]
    counts = {m: Counter(t for r in rows if r["municipio"] == m for t in r["temas"].split(";")) for m in n}
    assert by_muni[1:] == [[labels[k], str(counts["norte"][k]), str(counts["sur"][k])]
                           for k in ("agua", "salud", "escuelas")]
    by_answer = table_rows(page, "Datos de la gráfica: Canales preferidos para recibir información, según")
    paper = [r for r in rows if r["canal"] == "papel"]
    assert by_answer[0][2] == f"Papel (n = {len(paper)})"
    radio = sum("radio" in r["canales"].split(";") for r in paper)
    assert by_answer[2][2].startswith(f"{radio} (")
    assert by_answer[-1][0] == "Prefieren al menos un canal no digital"


def test_report_figures_match_the_register(built, texts):
    page = lxml_html.fromstring((built / "report" / f"{SLUG}-seguimiento.html").read_bytes())
    summary = {r[0]: r[1] for r in table_rows(page, "Resumen del seguimiento")[1:]}
    assert summary == {"Entidades con declaración voluntaria": "4",
                       "Ejercicios de transparencia proactiva registrados": "3",
                       "Ejercicios difundidos por al menos un canal digital": "2",
                       "Ejercicios difundidos por al menos un canal no digital": "2",
                       "Entidades sin ejercicios 6 meses o más después de su declaración": "1",
                       "Comentarios de revisión recibidos": "5", "Comentarios de revisión atendidos": "3"}
    gaps = table_rows(page, "Entidades sin ejercicios")
    assert gaps[1:] == [["Municipio Muestra (ficticio)", "1 de febrero de 2026", "9"]]
    channels = table_rows(page, "Ejercicios y entidades por canal")
    assert channels[1:] == [["Radio comunitaria", "No digital", "2", "1"], ["Portal web institucional", "Digital", "2", "2"]]
    assert len(page.xpath("//figure//img[starts-with(@src, 'data:image/svg+xml;base64,')]")) == 2
    assert "Fecha de corte: 22 de noviembre de 2026" in texts["report.pdf"]
    assert "Incluye entidades ficticias" in texts["report.pdf"]
    reader = PdfReader(built / "report" / f"{SLUG}-seguimiento.pdf")
    assert len(reader.pages) >= 3


def test_report_is_byte_identical_on_a_second_build(built, tmp_path):
    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "consult", guide)
    result = run_cli("build", "--guide", str(guide), "--out", str(tmp_path / "b"), "--format", "report", "-q",
                     "--no-cache")
    assert result.returncode == 0, result.stderr
    assert tree_hashes(tmp_path / "b" / "report") == tree_hashes(built / "report")
    assert sorted(tree_hashes(built / "report")) == [f"{SLUG}-seguimiento.html", f"{SLUG}-seguimiento.pdf"]


def test_shipped_guide_shows_the_questionnaire_not_results_and_has_an_empty_register():
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.pandoc import ast as A

    guide = prepare(ROOT / "guide", Cache(None, enabled=False))
    c = guide.data.consultation
    assert not c.answered and not c.illustrative and c.answers == 0 and guide.data.adoption == ()
    chapter = next(c for c in guide.chapters if c.id == "diagnostico")
    captions = []
    A.visit(list(chapter.blocks), lambda n: captions.append(A.stringify(n["c"][1][1])) if n["t"] == "Table" else None)
    assert not [c for c in captions if "ilustrativos" in c]
    assert any(c.endswith("Preguntas de la consulta") for c in captions)
    assert "¿En qué municipio de Nuevo León vive?" in A.stringify(list(chapter.blocks))
    adoption = next(c for c in guide.chapters if c.id == "adopcion")
    assert adoption.appendix and "Todavía no hay instituciones registradas" in A.stringify(list(adoption.blocks))


def test_adoption_chapter_shows_the_register(built):
    page = lxml_html.fromstring((built / "html" / "adopcion.html").read_bytes())
    text = page.text_content()
    assert "4 entidades han declarado que implementarán la guía y han registrado 3 ejercicios" in text
    assert "Ejemplo con entidades ficticias." in text
    entities = table_rows(page, "Entidades que implementan la guía")
    assert [r[0] for r in entities[1:]] == ["Municipio de Ejemplo (ficticio)", "Municipio Muestra (ficticio)",
                                            "Instituto Ficticio de Pruebas", "Secretaría Ficticia de Ejemplo"]
    assert [r[3] for r in entities[1:]] == ["2", "0", "1", "0"]
    exercises = table_rows(page, "Ejercicios de transparencia proactiva registrados")
    assert len(exercises) == 4
    assert exercises[2][1:4] == ["Mapa ficticio de obras", "20 de mayo de 2026",
                                 "Portal web institucional, Radio comunitaria"]


def test_report_lists_the_exercises(built):
    page = lxml_html.fromstring((built / "report" / f"{SLUG}-seguimiento.html").read_bytes())
    rows = table_rows(page, "Ejercicios de transparencia proactiva registrados")
    assert [r[0] for r in rows[1:]] == ["1 de marzo de 2026", "20 de mayo de 2026", "2 de junio de 2026"]


def test_a_sample_build_says_so_on_every_page(built):
    """The fixture is a sample guide (guide.yml sample: true): every page of every output says so."""
    note = "MUESTRA — datos de ejemplo, no publicar"
    pages = sorted((built / "html").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        banner = lxml_html.fromstring(page.read_bytes()).xpath("//body/p[@class='gb-muestra']")
        assert banner and banner[0].text_content() == note, page
    for pdf in [*sorted((built / "pdf").glob("*.pdf")), built / "report" / f"{SLUG}-seguimiento.pdf"]:
        texts = [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
        assert texts and all(note in t for t in texts), (pdf.name, [i + 1 for i, t in enumerate(texts) if note not in t])
    first = [p.text for p in docx.Document(str(built / "docx" / f"{SLUG}.docx")).paragraphs[:6]]
    assert note in first, first
    assert note in (built / "report" / f"{SLUG}-seguimiento.html").read_text(encoding="utf-8")
