"""The `guidebuilder` command."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import threading
import time
from pathlib import Path

from guidebuilder import __version__
from guidebuilder.model.errors import GuideError


class Console:
    """Progress and results on the terminal (rich when it is a terminal, plain lines otherwise)."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        from rich.console import Console as RichConsole

        self.quiet, self.verbose = quiet, verbose
        self.out = RichConsole(stderr=True, highlight=False)
        self.status = None

    def progress(self, message: str) -> None:
        if self.quiet:
            return
        if self.verbose or not self.out.is_terminal:
            self.out.print(f"· {message}", markup=False)
        elif self.status is not None:
            self.status.update(message)

    def errors(self, exc: GuideError) -> None:
        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        count = len([d for d in exc.diagnostics if d.severity == "error"])
        print(f"guidebuilder: {count} error{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--guide", type=Path, default=Path("guide"), help="the guide folder (default: guide)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print every step")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="guidebuilder", description="Build the guide into HTML, PDF, DOCX and leaflets.")
    ap.add_argument("--version", action="version", version=f"guidebuilder {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the outputs into build/")
    _common(b)
    b.add_argument("--format", help="comma-separated: html,pdf,docx,leaflet,report,consulta,didactico (default: all but report)")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    b.add_argument("--entity", help="leaflet editions: an entity id, a comma-separated list, or 'all'")
    b.add_argument("--edition", choices=["public", "review"], default="public",
                   help="'review' keeps unverified practices, marked, for reviewers")
    b.add_argument("--no-cache", action="store_true", help="ignore build/.cache (a cold build)")
    b.add_argument("--no-wait", action="store_true", help="fail instead of waiting for another build")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="validate the guide without writing anything")
    _common(c)
    c.add_argument("--release", action="store_true",
                   help="also refuse what must never be published: placeholder addresses and e-mails, draft "
                        "marks, TODO, illustrative or fictional data, a sample build, open layout findings")
    c.add_argument("--out", type=Path, default=Path("build"),
                   help="with --release: the build folder whose proof findings are read (default: build)")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("dump", help="print the validated Guide as JSON")
    _common(d)
    d.set_defaults(func=cmd_dump)

    for module in pkgutil.iter_modules([str(Path(__file__).parent / "commands")]):
        mod = importlib.import_module(f"guidebuilder.commands.{module.name}")
        mod.register(sub, _common)
    return ap


def cmd_build(args, console: Console) -> int:
    from guidebuilder.builder.orchestrator import build, parse_formats

    formats = parse_formats(args.format)
    if args.jobs:
        os.environ["GUIDEBUILDER_JOBS"] = str(args.jobs)  # renderers with worker pools read it too
    options = {"entity": args.entity} if args.entity else {}
    start = time.perf_counter()
    if console.out.is_terminal and not console.quiet and not console.verbose:
        with console.out.status("building…") as status:
            console.status = status
            result = build(args.guide, args.out, formats, options, args.edition, not args.no_cache,
                           not args.no_wait, console.progress, args.jobs)
        console.status = None
    else:
        result = build(args.guide, args.out, formats, options, args.edition, not args.no_cache,
                       not args.no_wait, console.progress, args.jobs)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    if not console.quiet:
        summary(console, result, time.perf_counter() - start)
    return 0


def summary(console: Console, result, elapsed: float) -> None:
    from rich.table import Table

    state = "up to date, nothing rebuilt" if result.up_to_date else \
        f"{sum(w.changed for w in result.written)} written, {sum(not w.changed for w in result.written)} unchanged"
    table = Table(title=f"guidebuilder: {len(result.written)} files ({state}) in {elapsed:.2f} s",
                  title_justify="left")
    table.add_column("output")
    table.add_column("size", justify="right")
    table.add_column("", justify="left")
    shown = [w for w in result.written if console.verbose or w.path.suffix in (".pdf", ".docx", ".zip")
             or w.path.name == "index.html"]
    for w in shown:
        table.add_row(str(w.path), _size(w.size), "written" if w.changed else "unchanged")
    hidden = len(result.written) - len(shown)
    if hidden:
        table.add_row(f"… and {hidden} more files (-v lists them)", "", "")
    times = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
    console.out.print(table)
    console.out.print(f"time: {times}; cache: {result.cache_hits} hits, {result.cache_misses} misses", markup=False)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def cmd_check(args, console: Console) -> int:
    from guidebuilder.builder.orchestrator import FORMATS, prepare
    from guidebuilder.checks.gate import input_problems, personal_data
    from guidebuilder.core.cache import Cache

    guide = prepare(args.guide, Cache(None, enabled=False))
    problems = input_problems(guide, list(FORMATS)) + personal_data(guide)
    errors = [p for p in problems if p.severity == "error"]
    if args.release:
        from guidebuilder.checks.release import release_problems

        errors += release_problems(guide, args.out)
    if errors:
        raise GuideError([*errors, *guide.warnings])
    for warning in [*guide.warnings, *(p for p in problems if p.severity != "error")]:
        print(warning.format(), file=sys.stderr)
    if not console.quiet:
        d = guide.data
        console.out.print(f"{guide.root}: OK — {len(guide.chapters)} chapters, {len(d.practices)} practices, "
                          f"{len(d.channels)} channels, {len(d.indicators)} indicators, {len(d.entities)} entities"
                          + ("; lista para publicar" if args.release else ""), markup=False)
    return 0


def cmd_dump(args, console: Console) -> int:
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.model.guide import dump_json

    sys.stdout.write(dump_json(prepare(args.guide, Cache(None, enabled=False))) + "\n")
    return 0


def _terminate(signum, frame) -> None:
    """SIGTERM (a closed terminal, `kill`, a CI timeout) stops a build the way Ctrl-C does, cleanly."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    console: Console | None = None
    try:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminate)
        ap = parser()
        args = ap.parse_args(argv)
        console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
        return args.func(args, console)
    except GuideError as exc:
        (console or Console()).errors(exc)
        return 1
    except KeyboardInterrupt:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this message short
        print("guidebuilder: interrupted; build/ keeps its previous outputs (each file is the old or the "
              "new complete version)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a folder that cannot be read, a full disk…: said plainly, never a traceback
        (console or Console()).errors(GuideError(_os_error(exc)))
        return 1


def _os_error(exc: OSError):
    from guidebuilder.model.errors import Diagnostic

    name = str(exc.filename or "guidebuilder")
    try:
        name = os.path.relpath(name) if os.path.isabs(name) and not os.path.relpath(name).startswith("..") else name
    except ValueError:
        pass
    hint = {13: "check the permissions: the guide must be readable and build/ writable",
            28: "free some disk space, then build again (build/ still holds the previous outputs)",
            30: "build/ is on a read-only disk: choose another folder with --out"}.get(
        exc.errno or 0, "check the file and the folder it is in")
    return Diagnostic(file=name, message=f"{exc.strerror or exc}", hint=hint)


if __name__ == "__main__":
    sys.exit(main())
