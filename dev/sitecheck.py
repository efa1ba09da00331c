"""The site as the issue checks it, on a build of the real guide: axe-core on every page at 360 and 1280 px,
the guided finder walked with and without JavaScript, and screenshots of the main pages to look at.

(Overflow, table widths and chart text are measured on every page by `guidebuilder proof`.)

Build first: `.venv/bin/guidebuilder build -q --format html`. Then `.venv/bin/python dev/sitecheck.py
[--site build/html] [--shots build/sitecheck]`. Exits non-zero when anything fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from searchspeed import serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SHOTS = ["index.html", "que-es.html", "diagnostico.html", "catalogo/practicas.html", "buscar.html?q=datos+abiertos",
         "asistente/index.html", "sugerir.html?pagina=paso-3.html"]


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "descargas" not in p.parts and "pagefind" not in p.parts)


def axe_all(browser, base: str, site: Path) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    axe, problems = Axe(), []
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        for rel in pages(site):
            page.goto(base + rel)
            result = axe.run(page, options=options)
            if result.violations_count:
                problems.append(f"{rel} @{width}: {result.generate_report()}")
        page.close()
    return problems


def walk_finder(browser, base: str, js: bool) -> list[str]:
    """Answer the finder's questions with the last choice each time, to the plan: with JavaScript on its one
    screen (a form of radio groups), without it through its pages of links."""
    context = browser.new_context(java_script_enabled=js, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(base + "asistente/index.html")
    if js:
        for name in sorted(set(page.eval_on_selector_all("form.finder-form input[type=radio]",
                                                         "els => els.map(e => e.name)"))):
            page.locator(f"form.finder-form input[name={name}]").last.check()
        with page.expect_navigation():
            page.click("form.finder-form button")
    else:
        for _ in range(6):
            if not page.locator("ul.choice-list a").count():
                break
            with page.expect_navigation():
                page.locator("ul.choice-list a").last.click()
    problems = []
    if page.locator("ul.choice-list, form.finder-form").count():
        problems.append(f"finder (js={js}): no plan reached, at {page.url}")
    elif not page.locator("main a[href*='canales/'], main a[href*='practicas/']").count():
        problems.append(f"finder (js={js}): the plan at {page.url} links no channel or practice")
    else:
        print(f"finder with{'' if js else 'out'} JavaScript ends at {page.url.replace(base, '')}")
    context.close()
    return problems


def shoot(browser, base: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for rel in SHOTS:
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(base + rel)
            page.wait_for_timeout(1500)
            name = rel.replace("/", "_").replace("?", "_").replace("=", "_").replace("+", "_")
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--shots", type=Path, default=ROOT / "build" / "sitecheck")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with serve(args.site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        problems = walk_finder(browser, base, True) + walk_finder(browser, base, False)
        problems += axe_all(browser, base, args.site)
        print(f"axe: {len(pages(args.site))} pages at 360 and 1280 px")
        shoot(browser, base, args.shots)
        browser.close()
    print("\n".join(problems) or "no problem found")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
