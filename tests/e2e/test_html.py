"""The HTML edition: page structure (lxml) and, in headless Chromium, axe-core, search, filters, offline file.

The mini guide is built once for the module, with a few plainly fictional practices added so that
filters have something to tell apart (one digital practice, one unverified that must stay out).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html as LH

from conftest import FIXTURES

EXTRA_PRACTICES = """
- id: portal-obras-ficticio
  title: Tablero de obras públicas con costo y avance (ejemplo ficticio)
  institution: Municipio de Ejemplo (ficticio)
  place: Municipio de Ejemplo
  country: México
  year: 2024
  channels: [portal-web]
  steps: [identificar]
  topics: [obras]
  summary: Ejemplo ficticio para pruebas. Tablas de obras con su costo, su avance y un mapa.
  sources:
    - title: Fuente ficticia de prueba
      url: https://example.org/ficticio
  verification: parcial
- id: perifoneo-sin-fuente-ficticio
  title: Perifoneo sin fuente (ejemplo ficticio, no verificado)
  institution: Municipio de Ejemplo (ficticio)
  place: Municipio de Ejemplo
  country: México
  year: 2023
  channels: [radio-comunitaria]
  steps: [difundir]
  topics: [obras]
  summary: Ejemplo ficticio sin fuente; no debe publicarse.
  sources: []
  verification: no-verificada
"""

EXTRA_SECTIONS = """

## Qué información se publica {#que-se-publica}

Información útil para la vida diaria.[^nota-que-es]

## Quién la publica

Las instituciones públicas.

## Cómo se mide

Con los indicadores del diagnóstico.

[^nota-que-es]: Una nota al pie de prueba.
"""

CROSS_REF = "\nMás detalles en [qué se publica](que-es.md#que-se-publica).\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture guide built once into HTML; returns build/html."""
    from guidebuilder.builder.orchestrator import build

    base = tmp_path_factory.mktemp("html")
    guide = base / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    with (guide / "data" / "practices.yml").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_PRACTICES)
    with (guide / "data" / "topics.yml").open("a", encoding="utf-8") as fh:
        fh.write("- id: obras\n  name: Obras públicas\n")
    with (guide / "chapters" / "que-es.md").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_SECTIONS)
    with (guide / "chapters" / "canales.md").open("a", encoding="utf-8") as fh:
        fh.write(CROSS_REF)
    build(guide, base / "build", ["html"])
    return base / "build" / "html"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts and "descargas" not in p.parts)


def parse(path: Path):
    return LH.fromstring(path.read_bytes())


def listed_practices(path: Path) -> list[str]:
    return [li.get("data-practice") for li in parse(path).xpath("//main//li[@data-practice]")]


# ---------------------------------------------------------------- structure

def test_site_has_every_page(site: Path):
    names = {str(p.relative_to(site)) for p in pages(site)}
    for chapter in ("presentacion", "que-es", "canales", "buenas-practicas"):
        assert f"{chapter}.html" in names
    assert {"index.html", "buscar.html", "guia-transparencia-proactiva-completa.html",
            "practicas/radio-lenguas-oaxaca.html", "practicas/portal-obras-ficticio.html",
            "canales/radio-comunitaria.html", "canales/portal-web.html", "catalogo/practicas.html",
            "catalogo/practicas-digital.html", "catalogo/practicas-no-digital.html",
            "catalogo/practicas-canal-portal-web.html", "catalogo/practicas-paso-identificar.html",
            "catalogo/practicas-tema-obras.html", "catalogo/canales-no-digital.html"} <= names
    # the unverified practice is not published anywhere
    assert "practicas/perifoneo-sin-fuente-ficticio.html" not in names
    for page in pages(site):
        assert "Perifoneo sin fuente" not in page.read_text(encoding="utf-8"), page
    assert (site / "pagefind" / "pagefind.js").is_file()


def test_every_page_has_lang_landmarks_and_ordered_headings(site: Path):
    for page in pages(site):
        doc = parse(page)
        assert doc.get("lang") == "es-MX", page
        assert len(doc.xpath("//main")) == 1, page
        if page.name.endswith("-completa.html"):
            continue
        assert doc.xpath("//header[@class='site-header']") and doc.xpath("//footer"), page
        assert doc.xpath("//nav[@id='indice']"), page
        skip = doc.xpath("//body/a[1]")[0]
        assert skip.get("href") == "#contenido" and doc.xpath("//main/@id") == ["contenido"], page
        levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3 or "
                                                    "self::h4 or self::h5 or self::h6]")]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (page, levels)
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (page, levels)


def test_breadcrumbs_and_prev_next(site: Path):
    doc = parse(site / "que-es.html")
    crumbs = doc.xpath("//nav[@class='breadcrumbs']//li")
    assert [c.text_content().strip() for c in crumbs] == ["Inicio", "¿Qué es la transparencia proactiva?"]
    assert crumbs[-1].xpath(".//*[@aria-current='page']")
    assert doc.xpath("//a[@rel='prev']/@href") == ["presentacion.html"]
    assert doc.xpath("//a[@rel='next']/@href") == ["canales.html"]
    assert doc.xpath("//nav[@id='indice']//a[@aria-current='page']/@href") == ["que-es.html"]
    practice = parse(site / "practicas" / "portal-obras-ficticio.html")
    assert [a.get("href") for a in practice.xpath("//nav[@class='breadcrumbs']//a")] == \
        ["../index.html", "../catalogo/practicas.html"]
    assert practice.xpath("//link[@rel='stylesheet']/@href") == ["../estilos/site.css"]
    first = parse(site / "presentacion.html")
    assert not first.xpath("//a[@rel='prev']") and first.xpath("//a[@rel='next']")


def test_cross_references_footnotes_and_page_contents(site: Path):
    canales = parse(site / "canales.html")
    assert "que-es.html#que-se-publica" in canales.xpath("//main//a/@href")
    que_es = parse(site / "que-es.html")
    assert que_es.xpath("//*[@id='que-se-publica']")
    contents = que_es.xpath("//nav[@aria-label='En esta página']//a/@href")
    assert contents[:1] == ["#la-brecha-digital"] and "#que-se-publica" in contents and len(contents) == 4
    assert not parse(site / "presentacion.html").xpath("//nav[@aria-label='En esta página']")
    ref = que_es.xpath("//a[@role='doc-noteref']")[0]
    target = ref.get("href")[1:]
    assert que_es.xpath(f"//*[@id='{target}']//a[@role='doc-backlink']")
    # every internal link of every page points at a file that exists (and an anchor that exists)
    for page in pages(site):
        doc = parse(page)
        for href in doc.xpath("//a/@href"):
            if href.startswith(("http", "mailto:", "tel:")) or href.startswith("?"):
                continue
            path, _, anchor = href.partition("#")
            path = path.partition("?")[0]  # "Sugerir un cambio" names the page it comes from
            target_file = (page.parent / path).resolve() if path else page
            assert target_file.is_file(), (page, href)
            if anchor and target_file.suffix == ".html":
                assert parse(target_file).xpath(f"//*[@id='{anchor}']"), (page, href)


def test_practice_pages_from_public_data(site: Path):
    doc = parse(site / "practicas" / "radio-lenguas-oaxaca.html")
    assert doc.xpath("//h1")[0].text_content().startswith("Campaña de radio")
    assert "../canales/radio-comunitaria.html" in doc.xpath("//dl//a/@href")
    assert "https://primeralinea.mx/2019/12/10/lanzan-en-oaxaca-campana-derecho-de-acceso-a-la-informacion-en-" \
           "lenguas-indigenas" in doc.xpath("//a/@href")
    assert "../buenas-practicas.html#practica-radio-lenguas-oaxaca" in doc.xpath("//a/@href")
    chapter = parse(site / "buenas-practicas.html")
    assert "practicas/radio-lenguas-oaxaca.html" in chapter.xpath("//section[contains(@class,'gb-practice')]//h2/a/@href")


def test_filter_pages_list_exactly_the_right_practices(site: Path):
    cat = site / "catalogo"
    assert listed_practices(cat / "practicas.html") == ["radio-lenguas-oaxaca", "portal-obras-ficticio"]
    assert listed_practices(cat / "practicas-digital.html") == ["portal-obras-ficticio"]
    assert listed_practices(cat / "practicas-no-digital.html") == ["radio-lenguas-oaxaca"]
    assert listed_practices(cat / "practicas-canal-radio-comunitaria.html") == ["radio-lenguas-oaxaca"]
    assert listed_practices(cat / "practicas-canal-portal-web.html") == ["portal-obras-ficticio"]
    assert listed_practices(cat / "practicas-paso-difundir.html") == ["radio-lenguas-oaxaca"]
    assert listed_practices(cat / "practicas-tema-obras.html") == ["portal-obras-ficticio"]
    assert listed_practices(site / "canales" / "portal-web.html") == ["portal-obras-ficticio"]
    doc = parse(cat / "practicas-canal-portal-web.html")
    assert doc.xpath("//nav[@class='filters']//a[@aria-current='page']/@href") == ["practicas-canal-portal-web.html#lista"]
    channels = [li.get("data-channel") for li in parse(cat / "canales-digital.html").xpath("//main//li[@data-channel]")]
    assert channels == ["portal-web"]


def test_text_from_data_is_escaped(tmp_path: Path):
    from guidebuilder.builder.orchestrator import build

    guide = tmp_path / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    path = guide / "data" / "practices.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "summary: Tres cápsulas", "summary: <script>alert(1)</script> Tres cápsulas"), encoding="utf-8")
    build(guide, tmp_path / "build", ["html"])
    for page in ("practicas/radio-lenguas-oaxaca.html", "buenas-practicas.html", "catalogo/practicas.html",
                 "guia-transparencia-proactiva-completa.html"):
        text = (tmp_path / "build" / "html" / page).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page


def test_images_sized_and_lazy(site: Path):
    img = parse(site / "que-es.html").xpath("//figure//img")[0]
    assert img.get("loading") == "lazy" and int(img.get("width")) > 300 and int(img.get("height")) > 50
    assert img.get("alt").startswith("Gráfica de barras")
    assert (site / img.get("src")).read_bytes().lstrip().startswith(b"<svg")
    # an image kept beside its chapter (guide/chapters/figuras/) is published at its path in the guide
    img = parse(site / "canales.html").xpath("//figure//img")[0]
    assert img.get("src") == "chapters/figuras/canal.svg" and img.get("width") == "240"
    assert (site / img.get("src")).read_bytes() == (FIXTURES / "mini" / "chapters" / "figuras" / "canal.svg").read_bytes()


def test_single_file_is_self_contained(site: Path):
    doc = parse(site / "guia-transparencia-proactiva-completa.html")
    assert not doc.xpath("//link[@rel='stylesheet'] | //script[@src]")
    srcs = doc.xpath("//@src")
    assert srcs and all(s.startswith("data:") for s in srcs)
    assert "url(\"data:font/woff2;base64," in doc.xpath("//style")[0].text
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), "duplicate ids in the single file"
    for href in doc.xpath("//a/@href"):
        assert href.startswith(("#", "http", "mailto:", "tel:")), href
        if href.startswith("#"):
            assert doc.xpath(f"//*[@id='{href[1:]}']"), href
    assert len(doc.xpath("//h1")) == 5


def test_page_weight_helper(site: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("htmlweight", Path(__file__).parents[2] / "dev" / "htmlweight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page_weights = module.page_weights

    report = page_weights(site)
    assert report["pages"] == len(pages(site)) - 1  # the single file is reported apart
    assert 0 < report["median"] < 150 * 1024
    assert report["single_file"] > 0


def test_pagefind_failure_is_a_tool_error(tmp_path: Path, monkeypatch):
    from guidebuilder.render.html import search
    from guidebuilder.model.errors import ToolError

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing-pagefind"))
    search.pagefind_path.cache_clear()
    try:
        with pytest.raises(ToolError, match="pagefind falló al indexar el sitio web"):
            search.index_site(tmp_path)
    finally:
        search.pagefind_path.cache_clear()


def test_pagefind_index_is_deterministic(site: Path, tmp_path: Path):
    from guidebuilder.render.html.search import index_site

    copy = tmp_path / "again"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    index_site(copy)
    first = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    second = {p.relative_to(copy): p.read_bytes() for p in (copy / "pagefind").rglob("*") if p.is_file()}
    assert first == second


# ---------------------------------------------------------------- in headless Chromium

@pytest.mark.browser
def test_axe_finds_no_violation_on_any_page(site: Path, served: str, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
    page = browser.new_page()
    problems = {}
    # the finder's pages share two templates: its first page, one question and one plan stand for them
    finder = sorted(p for p in pages(site) if p.parent.name == "asistente" and p.name != "index.html")
    sample = {site / "asistente" / "index.html", finder[0], finder[-1]} if finder else set()
    for path in (p for p in pages(site) if p.parent.name != "asistente" or p in sample):
        rel = str(path.relative_to(site))
        page.goto(served + rel)
        result = axe.run(page, options=options)
        if result.violations_count:
            problems[rel] = result.generate_report()
    page.close()
    assert not problems, "\n".join(f"{k}:\n{v}" for k, v in problems.items())


@pytest.mark.browser
def test_search_finds_a_practice_by_another_word_form(served: str, browser):
    page = browser.new_page()
    page.goto(served + "buscar.html?q=campañas")  # the text says "Campaña"
    # the titles may come first and the full-text results after them: wait for the practice's link
    page.wait_for_selector("#resultados a[href='practicas/radio-lenguas-oaxaca.html']", timeout=15000)
    page.wait_for_function("document.querySelector('#estado').textContent.includes('resultado')", timeout=15000)
    page.click("#resultados a[href='practicas/radio-lenguas-oaxaca.html']")
    assert page.inner_text("h1").startswith("Campaña de radio")
    page.close()


@pytest.mark.browser
def test_channel_filter_page_and_keyboard(served: str, browser):
    page = browser.new_page()
    page.goto(served + "catalogo/practicas.html")
    page.click("nav.filters a[href='practicas-canal-portal-web.html#lista']")
    shown = page.eval_on_selector_all("main li[data-practice]", "els => els.map(e => e.dataset.practice)")
    assert shown == ["portal-obras-ficticio"]
    assert page.is_visible("text=Tablero de obras públicas")
    assert not page.is_visible("text=Campaña de radio sobre")
    # the optional quick filter (JavaScript) narrows the full list as one types
    page.goto(served + "catalogo/practicas.html")
    page.fill("#filtro-rapido", "obras")
    assert page.is_visible("text=Tablero de obras públicas") and not page.is_visible("text=Campaña de radio sobre")
    assert page.inner_text(".quick-status") == "1 de 2 en la lista"
    # keyboard: the first Tab reaches the skip link, Enter moves to the main content
    page.goto(served + "que-es.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenido"
    page.close()


@pytest.mark.browser
def test_offline_single_file_opens_without_network(site: Path, browser):
    context = browser.new_context()
    asked: list[str] = []

    def block(route):
        asked.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(("file:", "data:")), block)
    page = context.new_page()
    page.goto((site / "guia-transparencia-proactiva-completa.html").as_uri())
    assert page.is_visible("h1:has-text('Canales para llegar a la gente')")
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    assert asked == []
    context.close()


def test_chapter_id_taken_by_a_site_page_is_an_error(mini: Path, tmp_path: Path):
    from guidebuilder.builder.orchestrator import build
    from guidebuilder.model.errors import GuideError

    chapter = mini / "chapters" / "que-es.md"
    chapter.write_text("---\nid: buscar\n---\n" + chapter.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        build(mini, tmp_path / "build", ["html"])
    message = str(info.value)
    assert "que-es.md:1" in message and "'buscar'" in message and "bloque inicial" in message
    assert not (tmp_path / "build" / "html").exists()


def test_site_built_alone_offers_only_what_is_there(site: Path):
    """A build of the site alone lists no download another format would make (nothing links to a
    missing file); the offline file is offered from descargas/."""
    links = parse(site / "index.html").xpath("//section[@class='downloads']//a/@href")
    assert links == ["descargas/guia-transparencia-proactiva-completa.html"]
    assert (site / "descargas" / "guia-transparencia-proactiva-completa.html").is_file()
