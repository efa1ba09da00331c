"""`guidebuilder feedback import|report`: reviewers' comments from Word back to the editors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidebuilder.review.importer import ImportResult


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("feedback", help=t("help.feedback"))
    sub = p.add_subparsers(dest="feedback_command", required=True, metavar=t("meta.action"))

    i = sub.add_parser("import", help=t("help.feedback.import"))
    common(i)
    i.add_argument("docx", type=Path, metavar=t("meta.reviewed"), help=t("help.feedback.docx"))
    i.add_argument("--round", dest="round_name", metavar=t("meta.round"), help=t("help.feedback.round"))
    i.set_defaults(func=cmd_import)

    r = sub.add_parser("report", help=t("help.feedback.report"))
    common(r)
    r.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.out"))
    r.set_defaults(func=cmd_report)


class _ReadOnlyCache:
    """Pandoc results for loading the guide: kept in memory for this process, read from a build cache
    if one is given, never written to disk (an import writes only guide/feedback/)."""

    def __new__(cls, folder: Path | None = None):
        from guidebuilder.builder.cache import Cache

        class ReadOnly(Cache):
            def flush(self) -> None:
                self.pending.clear()

        global _MEMORY
        if folder is not None and Path(folder).is_dir():
            return ReadOnly(Path(folder))
        if _MEMORY is None:
            _MEMORY = ReadOnly(Path("/nonexistent/guidebuilder-memory-cache"))
        return _MEMORY


_MEMORY = None


def import_reviewed(guide_dir: Path, docx: Path, round_name: str | None = None,
                    cache_dir: Path | None = None) -> ImportResult:
    """Read a reviewed DOCX, load the guide's review edition, and merge the comments into its feedback/."""
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.review.importer import import_docx, read_reviewed

    content = read_reviewed(docx, round_name)  # first: a bad file fails fast, before the guide is loaded
    cache = _ReadOnlyCache(cache_dir)
    guide = prepare(Path(guide_dir), cache, "review")
    return import_docx(guide, docx, round_name, content, cache)


def cmd_import(args, console) -> int:
    from guidebuilder.model.messages import t

    result = import_reviewed(args.guide, args.docx, args.round_name, Path("build") / ".cache")
    for warning in result.warnings:  # personal data: said even with --quiet
        console.out.print(warning, markup=False, soft_wrap=True)
    if console.quiet:
        return 0

    def say(text: str) -> None:
        console.out.print(text, markup=False, soft_wrap=True)

    if not result.written:
        say(t("fb.nothing_new_one" if result.already == 1 else "fb.nothing_new", docx=args.docx,
              count=result.already, folder=result.path.parent))
        return 0
    files = ", ".join(str(p) for p in result.paths)
    added = len(result.added)
    say(t("fb.written_one" if added == 1 else "fb.written", docx=args.docx, count=added, files=files)
        + (t("fb.already_one" if result.already == 1 else "fb.already", count=result.already)
           if result.already else ""))
    for item in result.unplaced:
        say(t("fb.unplaced", id=item["id"], kind=item["kind"], author=item["author"] or "?", reason=item["unplaced"]))
    return 0


def cmd_report(args, console) -> int:
    from rich.table import Table

    from guidebuilder.review.report import report_html, summary
    from guidebuilder.review.store import STATUSES, chapter_order, load_all
    from guidebuilder.core.files import write_text
    from guidebuilder.model.messages import t

    items = load_all(args.guide)
    order = chapter_order(args.guide)
    title = _title(args.guide)
    path = Path(args.out) / "feedback" / "report.html"
    write_text(path, report_html(items, order, title))
    if console.quiet:
        return 0
    table = Table(title=t("fb.table", count=len(items)), title_justify="left")
    table.add_column(t("fb.chapter"))
    table.add_column(t("fb.reviewer"))
    for s in STATUSES:
        table.add_column(s, justify="right")
    table.add_column(t("fb.total"), justify="right")
    from rich.text import Text

    for chapter, author, counts in summary(items, order):  # Text: names are shown as typed, never as markup
        table.add_row(Text(chapter or t("fb.no_chapter")), Text(author), *(str(counts[s]) for s in STATUSES),
                      str(sum(counts.values())))
    from rich.console import Console

    width = None if sys.stdout.isatty() else 160
    Console(file=sys.stdout, highlight=False, markup=False, width=width).print(table)
    console.out.print(t("fb.report", path=path), markup=False, soft_wrap=True)
    return 0


def _title(guide_dir: Path) -> str:
    from guidebuilder.model.errors import Collector
    from guidebuilder.load.yamlio import load_yaml, plain

    tree = load_yaml(Path(guide_dir) / "guide.yml", Collector(), "guide.yml")
    title = plain(tree).get("title") if isinstance(tree, dict) else None
    return str(title) if title else "la guía"
