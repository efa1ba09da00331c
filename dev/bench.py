"""`make bench`: guidebuilder against the plain pipeline, side by side, in one run.

Builds a synthetic guide of about 30,000 words (scripts/make_synthetic_guide.py), the real guide,
and a synthetic guide five times larger; prints medians and ratios, writes build/bench/bench.json.
Every build runs in a subprocess, so memory is that process's own peak (and its workers').
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def child(argv: list[str]) -> None:
    """Run guidebuilder in this process and print its peak memory (self and workers) as JSON."""
    from guidebuilder.cli import main

    code = main(argv)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"code": code, "rss_mb": own / 1024, "child_rss_mb": kids / 1024}), file=sys.stderr)
    sys.exit(code)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(guide: Path, out: Path, *extra: str, env: dict | None = None) -> dict:
    """One build in a subprocess: wall seconds, CPU seconds (it and its workers: less sensitive than wall
    time to other work on a shared machine) and peak memory."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([PY, str(Path(__file__).resolve()), "--child", "build", "--guide", str(guide),
                           "--out", str(out), "-q", *extra], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    stats = json.loads(proc.stderr.strip().splitlines()[-1]) if proc.stderr.strip() else {}
    if proc.returncode != 0:
        raise SystemExit(f"bench: build failed:\n{proc.stderr}")
    return {"seconds": elapsed, "cpu": _children_cpu() - cpu,
            "rss_mb": max(stats.get("rss_mb", 0), stats.get("child_rss_mb", 0))}


def median(runs: list[dict], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def measure_guidebuilder(guide: Path, work: Path, runs: int, leaflets: bool = True,
                         layout_alone: bool = False) -> dict:
    full = "html,pdf,docx"
    res: dict = {}
    cold = []
    for i in range(runs):
        out = work / f"cold-{i}"
        cold.append(run_build(guide, out, "--format", full, "--no-cache"))
    res["cold_full"] = median(cold)
    res["cold_full_cpu"] = median(cold, "cpu")
    res["peak_rss_mb"] = max(r["rss_mb"] for r in cold)
    # a cold build with --no-cache leaves no cache behind, and the no-change check would skip the next
    # build: the edits are measured in a folder whose cache a first build filled (not timed)
    warm = work / "warm"
    run_build(guide, warm, "--format", full)
    res["no_change"] = median([run_build(guide, warm, "--format", full) for _ in range(runs)])
    chapter = sorted((guide / "chapters").glob("*.md"))[1]
    html_docx, full_edit, data_edit, alone = [], [], [], []
    for i in range(runs):
        edit(chapter, "\n## ", f"\nUna frase nueva número {i} para medir.\n\n## ")
        html_docx.append(run_build(guide, warm, "--format", "html,docx"))
        full_edit.append(run_build(guide, warm, "--format", full))
        if layout_alone:  # right beside the edit it is compared with, so that drift weighs on both
            alone.append({"seconds": measure_layout_alone(guide, work, 1)})
        edit(guide / "data" / "practices.yml", "  summary: ", f"  summary: Cambio {i}. ")
        data_edit.append(run_build(guide, warm, "--format", full))
    res["chapter_edit_html_docx"] = median(html_docx)
    res["chapter_edit_full"] = median(full_edit)
    res["chapter_edit_full_cpu"] = median(full_edit, "cpu")
    if alone:
        res["weasyprint_layout_alone"] = median(alone)
    res["dataset_edit_full"] = median(data_edit)
    if leaflets:
        par, seq = [], []
        for i in range(runs):  # alternated, so that a machine that slows down weighs on both alike
            par.append(run_build(guide, work / f"leaf-par-{i}", "--format", "leaflet", "--entity", "all",
                                 "--no-cache"))
            seq.append(run_build(guide, work / f"leaf-seq-{i}", "--format", "leaflet", "--entity", "all",
                                 "--no-cache", "--jobs", "1", env={"GUIDEBUILDER_JOBS": "1"}))
        res["entity_leaflets_parallel"] = median(par)
        res["entity_leaflets_one_process"] = median(seq)
        res["entity_leaflet_files"] = len(list((work / "leaf-par-0" / "leaflet").rglob("*.pdf")))
    return res


def plain_markdown(guide: Path) -> str:
    """The chapters' Markdown as the plain pipeline would take it (no directives, no data)."""
    from guidebuilder.load.loader import FRONT

    parts = []
    for name in re.findall(r"^\s+-\s+(\S+\.md)\s*$", (guide / "guide.yml").read_text(), re.M):
        text = FRONT.sub("", (guide / "chapters" / name).read_text(encoding="utf-8"))
        parts.append(re.sub(r"^:::.*$", "", text, flags=re.M))
    return "\n\n".join(parts)


def measure_plain(guide: Path, work: Path, runs: int) -> dict:
    from guidebuilder.pandoc.tools import pandoc_path

    md = work / "plain.md"
    md.write_text(plain_markdown(guide), encoding="utf-8")
    html, pdf, docx = work / "plain.html", work / "plain.pdf", work / "plain.docx"
    steps = {"pandoc_html": [], "weasyprint_pdf": [], "pandoc_docx": [], "total": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([pandoc_path(), "--quiet", str(md), "-s", "-o", str(html), "--metadata", "title=Plain"], check=True)
        t1 = time.perf_counter()
        subprocess.run([PY, "-c", f"import weasyprint; weasyprint.HTML({str(html)!r}).write_pdf({str(pdf)!r})"],
                       check=True)
        t2 = time.perf_counter()
        subprocess.run([pandoc_path(), "--quiet", str(md), "-o", str(docx)], check=True)
        t3 = time.perf_counter()
        for key, value in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            steps[key].append(value)
    return {k: statistics.median(v) for k, v in steps.items()}


def measure_typst(guide: Path, work: Path, runs: int) -> dict:
    """The reference line for the physical limit: the same Markdown through pandoc's Typst writer and
    the `typst` package (the bench extra: pip install -e '.[bench]'); empty if it is not installed."""
    from guidebuilder.pandoc.tools import pandoc_path

    md, typ, pdf = work / "plain.md", work / "plain.typ", work / "plain-typst.pdf"
    md.write_text(plain_markdown(guide), encoding="utf-8")
    steps: dict = {"pandoc_typst": [], "typst": [], "total": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([pandoc_path(), "--quiet", str(md), "-s", "-t", "typst", "-o", str(typ),
                        "--metadata", "title=Plain"], check=True)
        t1 = time.perf_counter()
        proc = subprocess.run([PY, "-c", f"import typst; typst.compile({str(typ)!r}, output={str(pdf)!r})"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return {}
        t2 = time.perf_counter()
        for key, value in zip(steps, (t1 - t0, t2 - t1, t2 - t0)):
            steps[key].append(value)
    out = {k: statistics.median(v) for k, v in steps.items()}
    from pypdf import PdfReader

    out["pages"] = len(PdfReader(str(pdf)).pages)
    return out


def measure_layout_alone(guide: Path, work: Path, runs: int) -> float:
    """WeasyPrint's layout of guidebuilder's own print HTML, nothing else."""
    code = f"""
import time, sys
from pathlib import Path
from guidebuilder.builder.orchestrator import prepare
from guidebuilder.core.cache import Cache
from guidebuilder.render.base import RenderContext
from guidebuilder.render.pdf.book import PdfRenderer, print_html
import weasyprint
from guidebuilder.render.paged.wpfix import apply
apply()  # the same WeasyPrint guidebuilder lays out with (its column-balancing correction)
guide = prepare(Path({str(guide)!r}), Cache(None, enabled=False))
ctx = RenderContext(out=Path({str(work)!r}), cache=Cache(None, enabled=False))
html = print_html(guide, ctx, css=PdfRenderer.css(guide))
Path({str(work / 'print.html')!r}).write_text(html)
times = []
for _ in range({runs}):
    t = time.perf_counter()
    weasyprint.HTML(string=html, base_url=str(guide.root) + '/').write_pdf()
    times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2])
"""
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        return float("nan")
    return float(proc.stdout.strip().splitlines()[-1])


def page_weights(out: Path) -> dict:
    from htmlweight import page_weights

    w = page_weights(out / "html")
    return {"pages": w["pages"], "median_kb": w["median"] / 1024, "largest": list(w["largest"]),
            "single_file_kb": w["single_file"] / 1024, "search_index_kb": w["search_index"] / 1024}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return
    ap = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-scale", action="store_true", help="skip the 5× guide")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_synthetic_guide as synth

    results: dict = {"cores": os.cpu_count(), "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="gb-bench-") as tmp:
        work = Path(tmp)
        guide = work / "synthetic"
        synth.write(guide, 1)
        results["synthetic_words"] = len(plain_markdown(guide).split())
        print(f"synthetic guide: {results['synthetic_words']} words", flush=True)
        results["guidebuilder"] = measure_guidebuilder(guide, work / "gb", args.runs, layout_alone=True)
        results["pdf_pages"] = _pages(work / "gb" / "cold-0" / "pdf")
        results["plain"] = measure_plain(guide, work, args.runs)
        results["typst"] = measure_typst(guide, work, args.runs)
        results["weasyprint_layout_alone"] = results["guidebuilder"].pop("weasyprint_layout_alone")
        results["html_weights"] = page_weights(work / "gb" / "cold-0")
        real = work / "real"
        shutil.copytree(ROOT / "guide", real)
        results["real_guide"] = measure_guidebuilder(real, work / "real-out", args.runs, leaflets=False)
        results["real_guide"]["pdf_pages"] = _pages(work / "real-out" / "cold-0" / "pdf")
        if not args.no_scale:
            big = work / "synthetic-5x"
            synth.write(big, 5)
            run = run_build(big, work / "big-out", "--format", "html,pdf,docx", "--no-cache")
            results["scale_5x"] = {"words": len(plain_markdown(big).split()), "cold_full": run["seconds"],
                                   "peak_rss_mb": run["rss_mb"], "pdf_pages": _pages(work / "big-out" / "pdf")}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report(results)


def _pages(folder: Path) -> int:
    from pypdf import PdfReader

    pdfs = sorted(p for p in folder.glob("*.pdf") if "letra-grande" not in p.name)
    return len(PdfReader(str(pdfs[0])).pages) if pdfs else 0


def report(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    gb, plain = r["guidebuilder"], r["plain"]
    base = plain["total"]
    table = Table(title=f"guidebuilder bench — synthetic guide, {r['synthetic_words']} words, "
                        f"{r['pdf_pages']} PDF pages, {r['cores']} cores, median of {r['runs']}")
    table.add_column("measure")
    table.add_column("seconds", justify="right")
    table.add_column("× plain pipeline", justify="right")
    table.add_column("target")
    rows = [
        ("plain pipeline (pandoc → HTML, WeasyPrint → PDF, pandoc → DOCX)", base, ""),
        ("  of which WeasyPrint", plain["weasyprint_pdf"], ""),
        ("WeasyPrint layout alone of guidebuilder's print HTML", r["weasyprint_layout_alone"], ""),
        ("guidebuilder cold full build (HTML + PDF + DOCX)", gb["cold_full"], "≤ 1.0× layout alone"),
        ("guidebuilder no-change rebuild", gb["no_change"], "< 0.5 s"),
        ("one-chapter edit: HTML + DOCX", gb["chapter_edit_html_docx"], "< 2 s"),
        ("one-chapter edit: full (with both PDFs)", gb["chapter_edit_full"], "< 4 s, ≤ 0.25× cold"),
        ("one data-set edit: full", gb["dataset_edit_full"], ""),
    ]
    if "entity_leaflets_parallel" in gb:
        rows += [(f"all entity leaflets ({gb['entity_leaflet_files']} PDFs), parallel", gb["entity_leaflets_parallel"],
                  "≤ 0.6× one process"),
                 ("all entity leaflets, one process", gb["entity_leaflets_one_process"], "")]
    if r.get("typst"):
        rows.append((f"reference: pandoc → Typst → PDF ({r['typst']['pages']} pages; the physical limit)",
                     r["typst"]["total"], ""))
    for label, seconds, target in rows:
        table.add_row(label, f"{seconds:.2f}", f"{seconds / base:.2f}", target)
    console = Console()
    console.print(table)
    alone = r["weasyprint_layout_alone"]
    console.print(f"cold full build / WeasyPrint layout alone: {gb['cold_full'] / alone:.2f} (target ≤ 1.0); "
                  f"one-chapter edit (full) / cold: {gb['chapter_edit_full'] / gb['cold_full']:.2f} (target ≤ 0.25, "
                  f"and < 4 s: {gb['chapter_edit_full']:.2f} s)")
    if "cold_full_cpu" in gb:
        console.print(f"CPU seconds (build and workers): cold {gb['cold_full_cpu']:.2f}, one-chapter edit (full) "
                      f"{gb['chapter_edit_full_cpu']:.2f}")
    if not r.get("typst"):
        console.print("reference line skipped: the typst package is not installed (pip install -e '.[bench]')")
    console.print(f"peak memory, full build: {gb['peak_rss_mb']:.0f} MB (target < 1024 MB)")
    if "entity_leaflets_parallel" in gb:
        console.print(f"leaflets parallel / one process: "
                      f"{gb['entity_leaflets_parallel'] / gb['entity_leaflets_one_process']:.2f}")
    real = r["real_guide"]
    console.print(f"real guide ({real['pdf_pages']} pages): cold {real['cold_full']:.2f} s, no change "
                  f"{real['no_change']:.2f} s, chapter edit HTML+DOCX {real['chapter_edit_html_docx']:.2f} s, "
                  f"full {real['chapter_edit_full']:.2f} s, peak {real['peak_rss_mb']:.0f} MB")
    if "scale_5x" in r:
        s = r["scale_5x"]
        console.print(f"5× guide ({s['words']} words, {s['pdf_pages']} pages): cold {s['cold_full']:.2f} s "
                      f"({s['cold_full'] / gb['cold_full']:.1f}× the 1× guide; target ≤ 5×), peak {s['peak_rss_mb']:.0f} MB "
                      f"(target < 1024 MB)")
    if r.get("html_weights"):
        w = r["html_weights"]
        console.print(f"HTML page weight: median {w['median_kb']:.0f} KB over {w['pages']} pages "
                      f"(target < 150 KB); largest {w['largest'][0]} {w['largest'][1] / 1024:.0f} KB; "
                      f"single file {w['single_file_kb']:.0f} KB; search index {w['search_index_kb']:.0f} KB")
    console.print("written: build/bench/bench.json")


if __name__ == "__main__":
    main()
