"""The site as its readers use it (issue 19): downloads, the guided finder with and without JavaScript,
catalogue filters, head tags, checklists, the search's fallback and file:// message, no broken link.

Uses the session build of the mini guide (every default format), so the downloads are really there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as LH

SLUG = "guia-transparencia-proactiva"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "descargas" not in p.parts and "pagefind" not in p.parts)


def parse(path: Path):
    return LH.fromstring(path.read_bytes())


@pytest.fixture(scope="module")
def site(built_mini: Path) -> Path:
    return built_mini / "html"


def test_downloads_are_placed_listed_and_stated(site: Path, built_mini: Path):
    folder = site / "descargas"
    expected = {f"{SLUG}.pdf", f"{SLUG}-letra-grande.pdf", f"{SLUG}.docx", f"{SLUG}-letter.pdf", f"{SLUG}-a4.pdf",
                f"{SLUG}-letter-pdfx.pdf", f"{SLUG}-a4-pdfx.pdf", f"{SLUG}-completa.html"}
    assert {p.name for p in folder.iterdir()} == expected  # never the review DOCX
    assert (folder / f"{SLUG}.pdf").read_bytes() == (built_mini / "pdf" / f"{SLUG}.pdf").read_bytes()
    for page in ("index.html", "que-es.html"):
        links = parse(site / page).xpath("//section[@class='downloads']//a")
        assert sorted(a.get("href").split("/")[-1] for a in links) == sorted(expected), page
        assert all(a.get("download") is not None for a in links)
        items = parse(site / page).xpath("//section[@class='downloads']//li")
        text = " ".join(li.text_content() for li in items)
        assert "tamaño carta" in text and "tamaño A4" in text and "Word, DOCX" in text and "PDF/X-4" in text


def test_no_broken_local_link_on_any_page(site: Path):
    broken = []
    for page in pages(site):
        doc = parse(page)
        ids = set(doc.xpath("//@id"))
        for ref in doc.xpath("//a/@href | //link[@rel='stylesheet' or @rel='icon']/@href | //script/@src"):
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {ref}")
            elif parts.fragment and target == page and parts.fragment not in ids:
                broken.append(f"{page.relative_to(site)} -> {ref}")
    assert not broken, broken


def test_head_tags_on_every_page(site: Path):
    titles: dict[str, str] = {}
    for page in pages(site):
        if page.name.endswith("-completa.html"):
            continue
        doc = parse(page)
        rel = str(page.relative_to(site))
        assert doc.xpath("//meta[@name='description']/@content")[0].strip(), rel
        assert doc.xpath("//meta[@property='og:title']/@content") and doc.xpath("//meta[@name='twitter:card']"), rel
        assert doc.xpath("//link[@rel='icon']/@href"), rel
        assert doc.xpath("//p[@class='page-meta']/time/@datetime") == ["2026-11-22"], rel
        assert not doc.xpath("//a[contains(@href, 'example.org')]"), rel  # a placeholder contact is withheld
        title = doc.findtext(".//title")
        assert title not in titles, f"{rel} and {titles.get(title)} share the title {title!r}"
        titles[title] = rel
    # a placeholder site address (example.org) gives no absolute og:image: nothing points at it
    assert not parse(site / "index.html").xpath("//meta[@property='og:image']")
    assert (site / "favicon.svg").is_file()


def test_catalogue_filters_only_with_results_and_jump_to_the_list(site: Path):
    doc = parse(site / "catalogo" / "practicas.html")
    links = doc.xpath("//nav[@class='filters']//ul//a")
    assert links and all(a.get("href").endswith("#lista") for a in links)
    assert all(int(re.search(r"\((\d+)\)", a.text_content()).group(1)) > 0 for a in links)
    assert not (site / "catalogo" / "practicas-canal-portal-web.html").exists()  # no practice uses it
    assert doc.xpath("//h2[@id='lista']")


def test_each_practice_is_indexed_once_and_says_its_kind(site: Path):
    chapter = parse(site / "buenas-practicas.html")
    cards = chapter.xpath("//section[contains(@class, 'gb-practice')]")
    assert cards and all(c.get("data-pagefind-ignore") == "all" for c in cards)
    page = parse(site / "practicas" / "radio-lenguas-oaxaca.html")
    assert page.xpath("//main/@data-pagefind-meta") == ["tipo:Buena práctica"]


def test_finder_without_javascript_is_a_path_of_pages(site: Path):
    page = site / "asistente" / "index.html"
    for _ in range(3):  # three questions: follow the last answer ("both") each time
        href = parse(page).xpath("//ul[@class='choice-list']//a/@href")[-1]
        page = page.parent / href
    assert page.name == "ambos-bajo-difundir.html"
    doc = parse(page)
    hrefs = doc.xpath("//main//a/@href")
    assert "../canales/radio-comunitaria.html" in hrefs and "../canales/portal-web.html" in hrefs
    assert "../practicas/radio-lenguas-oaxaca.html" in hrefs
    assert "Costo bajo." in doc.text_content() and "Local o regional." in doc.text_content()  # from channels.yml


@pytest.mark.browser
def test_finder_with_javascript_on_one_screen(served: str, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(served + "asistente/index.html")
    assert page.locator("fieldset").count() == 3
    page.check("input[name=q0][value=no-digital]")
    page.check("input[name=q1][value=bajo]")
    page.check("input[name=q2][value=difundir]")
    page.click("form.finder-form button")
    page.wait_for_url("**/asistente/no-digital-bajo-difundir.html")
    assert page.is_visible("a[href='../canales/radio-comunitaria.html']")
    assert not page.locator("a[href='../canales/portal-web.html']").count()
    page.close()


@pytest.mark.browser
def test_checklist_box_is_24px_and_its_tick_is_kept(served: str, browser, site: Path):
    chapter = next(p.name for p in sorted(site.glob("*.html")) if b'class="tick"' in p.read_bytes()
                   and not p.name.endswith("-completa.html"))
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(served + chapter)
    box = page.locator("input.tick").first
    size = box.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24
    assert page.evaluate("getComputedStyle(document.querySelector('.task-list li')).listStyleType") == "none"
    box.check()
    page.reload()
    assert page.locator("input.tick").first.is_checked()
    page.close()


@pytest.mark.browser
def test_search_offers_the_closest_word_and_explains_itself_from_a_file(served: str, browser, site: Path):
    page = browser.new_page()
    page.goto(served + "buscar.html?q=trasparencia")  # "transparencia" mistyped
    page.wait_for_function("document.querySelector('#estado').textContent.includes('la palabra más parecida')",
                           timeout=15000)
    page.wait_for_selector("#resultados li", timeout=15000)
    assert page.inner_text("#resultados .result-kind").strip()
    page.goto((site / "buscar.html").as_uri())
    assert "publicado en la web" in page.inner_text("#estado")
    page.close()


@pytest.mark.browser
def test_combined_filters_narrow_the_full_list(served: str, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(served + "catalogo/practicas.html?paso=difundir&tema=lenguas-indigenas")
    shown = page.eval_on_selector_all("li[data-practice]:not([hidden])", "els => els.map(e => e.dataset.practice)")
    assert shown == ["radio-lenguas-oaxaca"]
    options = page.eval_on_selector_all(".combined select >> nth=1 >> option", "els => els.map(e => e.value)")
    assert options == ["", "difundir"]  # only steps with practices
    page.close()


@pytest.mark.browser
def test_titles_answer_first_while_the_search_bundle_is_on_its_way(served: str, browser):
    context = browser.new_context()
    context.route("**/pagefind/**", lambda route: None)  # the bundle never arrives (a very slow line)
    page = context.new_page()
    page.goto(served + "buscar.html?q=radios", wait_until="domcontentloaded")
    page.wait_for_selector("#resultados li", timeout=15000)
    assert page.inner_text("#estado").startswith("Primeros resultados")
    hrefs = page.eval_on_selector_all("#resultados a", "els => els.map(e => e.getAttribute('href'))")
    assert "canales/radio-comunitaria.html" in hrefs
    context.close()


@pytest.mark.browser
def test_full_text_results_show_their_titles_before_their_fragments(served: str, browser, site: Path):
    table = json.loads((site / "buscar-titulos.json").read_text(encoding="utf-8"))
    fragments = {p.name.removesuffix(".pf_fragment") for p in (site / "pagefind" / "fragment").iterdir()}
    assert set(table["p"]) == fragments
    assert table["x"] and all((site / chunk).is_file() for _, _, chunk in table["x"])
    context = browser.new_context()
    context.route("**/*.pf_fragment", lambda route: None)  # excerpts never arrive (a very slow line)
    asked = []
    context.on("request", lambda r: asked.append(r.url))
    page = context.new_page()
    page.goto(served + "buscar.html?q=campañas")
    page.wait_for_selector("#resultados[data-fuente=texto] li", timeout=15000)
    hrefs = page.eval_on_selector_all("#resultados a", "els => els.map(e => e.getAttribute('href'))")
    assert "practicas/radio-lenguas-oaxaca.html" in hrefs and "resultado" in page.inner_text("#estado")
    assert not any("pagefind-worker" in u for u in asked)  # the bundle runs in the page: one file less
    # on any other page, the search field's focus starts bringing the search page's files
    page.goto(served + "que-es.html")
    page.focus("#q-top")
    page.wait_for_selector("link[rel=prefetch][href$='.pagefind']", state="attached")
    context.close()


@pytest.mark.browser
def test_every_page_offers_to_suggest_a_change_without_an_invented_address(served: str, browser, site: Path):
    for page in pages(site):
        rel = page.relative_to(site).as_posix()
        if rel == "sugerir.html" or rel.endswith("-completa.html"):
            continue
        links = parse(page).xpath("//p[@class='page-meta']/a/@href")
        assert any(h.endswith(f"sugerir.html?pagina={rel}") for h in links), rel
    assert "mailto:" not in (site / "sugerir.html").read_text(encoding="utf-8")  # the mini guide's is example.org
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(served + "sugerir.html?pagina=que-es.html")
    assert page.input_value("#sugerencia").startswith(f"Página: {served}que-es.html")
    assert "todavía no publica un correo" in page.inner_text("#enviar + p")
    page.close()
