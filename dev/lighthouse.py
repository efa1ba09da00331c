"""Lighthouse scores of a sample of the site's pages, on a phone and on a desk.

Serves build/html on 127.0.0.1 (gzipped text, as a real host; dev/searchspeed.py's server) and runs the
Lighthouse command-line program from npm, pinned (`npx --yes lighthouse@VERSION`), in headless Chromium
(CHROME_PATH=/usr/bin/chromium), once with its mobile defaults and once with `--preset=desktop`. Prints
each page's four category scores and every audit that did not pass in a category under 100; writes the
JSON reports into build/lighthouse/. Not a test: a developer's check (`make`-free, needs node and npm).

Build first: `.venv/bin/guidebuilder build -q --format html`. Then `.venv/bin/python dev/lighthouse.py
[--page index.html ...] [--only mobile|desktop]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from searchspeed import serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VERSION = "12.8.2"  # the 13 series needs a newer node than Debian's
PAGES = ["index.html", "que-es.html", "catalogo/practicas.html", "buscar.html", "asistente/index.html"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def run(url: str, preset: str, out: Path) -> dict:
    cmd = ["npx", "--yes", f"lighthouse@{VERSION}", url, "--quiet", "--output=json", f"--output-path={out}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu", "--only-categories=" + ",".join(CATEGORIES)]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def failures(report: dict) -> list[str]:
    lines = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"      {cat}: {ref['id']} ({audit['score']:.2f}) {value}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--page", action="append")
    parser.add_argument("--only", choices=["mobile", "desktop"])
    args = parser.parse_args()
    folder = ROOT / "build" / "lighthouse"
    folder.mkdir(parents=True, exist_ok=True)
    presets = [args.only] if args.only else ["mobile", "desktop"]
    worst = 100
    with serve(args.site) as base:
        print(f"{'page':<28} {'preset':<8} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES))
        for page in args.page or PAGES:
            for preset in presets:
                out = folder / f"{page.replace('/', '_')}.{preset}.json"
                report = run(base + page, preset, out)
                scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
                worst = min(worst, *scores)
                print(f"{page:<28} {preset:<8} " + " ".join(f"{s:>13}" for s in scores))
                for line in failures(report):
                    print(line)
    print(f"lowest score: {worst}")


if __name__ == "__main__":
    main()
