"""`guidebuilder feedback import|report`: reviewers' comments from Word back to the editors."""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers, common) -> None:
    p = subparsers.add_parser("feedback", help="import reviewers' comments from a DOCX; report on them")
    sub = p.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")

    i = sub.add_parser("import", help="read a commented review DOCX into guide/feedback/<round>.yml")
    common(i)
    i.add_argument("docx", type=Path, metavar="REVIEWED.docx", help="the review edition, commented by a reviewer")
    i.add_argument("--round", dest="round_name", help="round name (default: revision-<date of the edition>)")
    i.set_defaults(func=cmd_import)

    r = sub.add_parser("report", help="comments per chapter and reviewer, with their status "
                                      "(terminal, and build/feedback/report.html)")
    common(r)
    r.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    r.set_defaults(func=cmd_report)


def cmd_import(args, console) -> int:
    from guidebuilder.review.feedback import import_docx

    result = import_docx(args.guide, args.docx, args.round_name, Path("build") / ".cache")
    if console.quiet:
        return 0
    def say(text: str) -> None:
        console.out.print(text, markup=False, soft_wrap=True)

    if not result.written:
        say(f"{args.docx}: nothing new: its {result.already} item(s) are already in {result.path.parent}")
        return 0
    say(f"{args.docx}: {len(result.added)} new item(s) written to {result.path}"
        + (f"; {result.already} were already imported" if result.already else ""))
    for item in result.unplaced:
        say(f"  unplaced: {item['id']} ({item['kind']} by {item['author'] or '?'}): {item['unplaced']}")
    return 0


def cmd_report(args, console) -> int:
    from rich.table import Table

    from guidebuilder.review.feedback import STATUSES, chapter_order, load_all, report_html, summary
    from guidebuilder.build.output import write_text

    items = load_all(args.guide)
    order = chapter_order(args.guide)
    title = _title(args.guide)
    path = Path(args.out) / "feedback" / "report.html"
    write_text(path, report_html(items, order, title))
    if console.quiet:
        return 0
    table = Table(title=f"feedback: {len(items)} items", title_justify="left")
    table.add_column("chapter")
    table.add_column("reviewer")
    for s in STATUSES:
        table.add_column(s, justify="right")
    table.add_column("total", justify="right")
    from rich.text import Text

    for chapter, author, counts in summary(items, order):  # Text: names are shown as typed, never as markup
        table.add_row(Text(chapter or "(unplaced)"), Text(author), *(str(counts[s]) for s in STATUSES),
                      str(sum(counts.values())))
    from rich.console import Console

    width = None if sys.stdout.isatty() else 160
    Console(file=sys.stdout, highlight=False, markup=False, width=width).print(table)
    console.out.print(f"report: {path} (internal: it names the reviewers; do not publish it)", markup=False,
                      soft_wrap=True)
    return 0


def _title(guide_dir: Path) -> str:
    from guidebuilder.model.errors import Collector
    from guidebuilder.load.yamlio import load_yaml, plain

    tree = load_yaml(Path(guide_dir) / "guide.yml", Collector(), "guide.yml")
    title = plain(tree).get("title") if isinstance(tree, dict) else None
    return str(title) if title else "la guía"
