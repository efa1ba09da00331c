"""The `guidebuilder` command."""

from __future__ import annotations

import argparse
import contextlib
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
        elif self.status is not None:  # in a terminal: each step stays on screen, the current one spins
            self.out.print(f"· {message}", markup=False, highlight=False)
            self.status.update(message)

    def errors(self, exc: GuideError) -> None:
        from guidebuilder.model.messages import t

        for diag in exc.diagnostics:
            print(diag.format(), file=sys.stderr)
        count = len([d for d in exc.diagnostics if d.severity == "error"])
        after = len([d for d in exc.diagnostics if d.severity == "consequence"])
        if after:
            print(t("summary.consequence" if after == 1 else "summary.consequences", count=after), file=sys.stderr)
        print(t("summary.error" if count == 1 else "summary.errors", count=count), file=sys.stderr)


def _common(p: argparse.ArgumentParser) -> None:
    from guidebuilder.model.messages import t

    p.add_argument("--guide", type=Path, default=Path("guide"), metavar=t("meta.guide"), help=t("help.guide"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("help.quiet"))
    p.add_argument("-v", "--verbose", action="store_true", help=t("help.verbose"))
    p.add_argument("--lang", choices=["es", "en"], default=None, help=t("help.lang"))


def parser() -> argparse.ArgumentParser:
    """The command line, its help in the messages' language (set it first: main() does)."""
    from guidebuilder.model.messages import t

    ap = argparse.ArgumentParser(prog="guidebuilder", description=t("help.description"))
    ap.add_argument("--version", action="version", version=f"guidebuilder {__version__}", help=t("help.version"))
    sub = ap.add_subparsers(dest="command", required=True, metavar=t("meta.command"))

    b = sub.add_parser("build", help=t("help.build"))
    _common(b)
    b.add_argument("--format", metavar=t("meta.format"), help=t("help.build.format"))
    b.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.out"))
    b.add_argument("--entity", metavar=t("meta.entity"), help=t("help.build.entity"))
    b.add_argument("--edition", choices=["public", "review"], default="public", help=t("help.build.edition"))
    b.add_argument("--no-cache", action="store_true", help=t("help.build.no_cache"))
    b.add_argument("--no-wait", action="store_true", help=t("help.build.no_wait"))
    b.add_argument("--jobs", type=int, default=None, metavar=t("meta.jobs"), help=t("help.build.jobs"))
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help=t("help.check"))
    _common(c)
    c.add_argument("--release", action="store_true", help=t("help.check.release"))
    c.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.check.out"))
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("dump", help=t("help.dump"))
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
        from guidebuilder.model.messages import t

        with console.out.status(t("sum.building")) as status:
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
        summary(console, result, time.perf_counter() - start, args.out)
    return 0


# Who receives each output: (audience, what it is for), by the folder it is written to; the first
# match wins, so the reviewers' DOCX and the print shop's files come before their folders' general rule.
AUDIENCES = (
    ("docx/*-revision.docx", "aud.reviewers"),
    ("leaflet/print/*", "aud.print"),
    ("html/*", "aud.site"),
    ("pdf/*", "aud.pdf"),
    ("docx/*", "aud.docx"),
    ("leaflet/*", "aud.leaflet"),
    ("report/*", "aud.report"),
    ("consulta/*", "aud.consulta"),
    ("didactico/*", "aud.didactico"),
)


def audience(rel: str) -> tuple[str, str]:
    """(who receives the output, what it is for), in the editors' language."""
    from fnmatch import fnmatch

    from guidebuilder.model.messages import m

    for pattern, msg_id in AUDIENCES:
        if fnmatch(rel, pattern):
            return m(msg_id)
    return m("aud.other")


def summary(console: Console, result, elapsed: float, out: Path = Path("build")) -> None:
    """The outputs grouped by who receives them, with whole names (only the main files of the site)."""
    from guidebuilder.model.messages import t

    state = t("sum.up_to_date") if result.up_to_date else \
        t("sum.written", changed=sum(w.changed for w in result.written),
          same=sum(not w.changed for w in result.written))
    lines = [t("sum.head", count=len(result.written), state=state, seconds=f"{elapsed:.1f}")]
    groups: dict[tuple[str, str], list] = {}
    for w in result.written:
        rel = _relative(w.path)
        try:
            inside = Path(w.path).resolve().relative_to(Path(out).resolve()).as_posix()
        except ValueError:
            inside = rel
        groups.setdefault(audience(inside), []).append((rel, w, inside))
    for (who, what), items in groups.items():
        lines.append(f"\n{who}" + (f" — {what}" if what else ""))
        main = [(r, w) for r, w, inside in items if console.verbose or _main_file(inside)]
        for rel, w in main[:12] if not console.verbose else main:
            lines.append(f"  {rel}  ({_size(w.size)}{'' if w.changed else t('sum.unchanged')})")
        rest = len(items) - min(len(main), 12 if not console.verbose else len(main))
        if rest:
            lines.append(t("sum.more", count=rest))
    times = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    if times:
        lines.append(t("sum.times", times=times, hits=result.cache_hits, misses=result.cache_misses))
    print("\n".join(lines), file=sys.stderr)


def _main_file(inside: str) -> bool:
    """A file an editor hands on: the site's home page and single-file edition, every PDF, DOCX, zip,
    spreadsheet and CSV template (the site's other pages, styles and search index go with the site)."""
    if inside.startswith("html/"):
        return inside == "html/index.html" or inside.endswith("-completa.html")
    return inside.rsplit(".", 1)[-1] in ("pdf", "docx", "zip", "xlsx", "csv", "html")


def _relative(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


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

    # the last build's cache, read only (never flushed: check writes nothing), so a check takes seconds
    guide = prepare(args.guide, Cache(args.out / ".cache"))
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
        from guidebuilder.model.messages import t

        d = guide.data
        console.out.print(t("check.ok", root=guide.root, chapters=len(guide.chapters), practices=len(d.practices),
                            channels=len(d.channels), indicators=len(d.indicators), entities=len(d.entities))
                          + (t("check.release_ok") if args.release else ""), markup=False)
    return 0


def cmd_dump(args, console: Console) -> int:
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache
    from guidebuilder.model.guide import dump_json

    sys.stdout.write(dump_json(prepare(args.guide, Cache(None, enabled=False))) + "\n")
    return 0


def _language(args) -> None:
    """Messages in --lang (or GUIDEBUILDER_LANG), else in the guide's language (guide.yml's `language:`),
    Spanish by default."""
    from guidebuilder.model.messages import guide_language, set_language

    lang = getattr(args, "lang", None) or os.environ.get("GUIDEBUILDER_LANG")
    set_language(lang or guide_language(getattr(args, "guide", None) or "guide"))


def _early_language(argv: list[str]) -> None:
    """The same choice as _language, made before the parser exists, so that its help and its errors are in
    the messages' language: a plain scan of the command line for `--lang X`/`--lang=X` and
    `--guide X`/`--guide=X` (the last one wins, as with argparse; nothing after `--`)."""
    found: dict[str, str] = {}
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        for name in ("--lang", "--guide"):
            if arg == name and i + 1 < len(argv):
                found[name] = argv[i + 1]
            elif arg.startswith(name + "="):
                found[name] = arg.split("=", 1)[1]
    _language(argparse.Namespace(lang=found.get("--lang"), guide=found.get("--guide")))


def _argparse_says(msgid: str) -> str:
    """argparse's own words (its msgids are the catalogue's English `argparse.*` texts) in the messages'
    language; a msgid the catalogue lacks stays in English."""
    from guidebuilder.model.messages import CATALOGUE, t

    for msg_id, entry in CATALOGUE.items():
        if msg_id.startswith("argparse.") and entry[2] == msgid:
            return t(msg_id)
    return msgid


def _argparse_says_n(singular: str, plural: str, n: int) -> str:
    return _argparse_says(singular if n == 1 else plural)


@contextlib.contextmanager
def _argparse_words():
    """argparse says "usage:", "options" and its errors through its module-level gettext functions `_` and
    `ngettext`, looked up when it speaks. While guidebuilder's parser is built and used they are
    _argparse_says(_n); after, argparse's own come back, so no other parser in the process is touched."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _argparse_says, _argparse_says_n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _terminate(signum, frame) -> None:
    """SIGTERM (a closed terminal, `kill`, a CI timeout) stops a build the way Ctrl-C does, cleanly."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    console: Console | None = None
    try:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminate)
        argv = sys.argv[1:] if argv is None else list(argv)
        _early_language(argv)
        with _argparse_words():
            args = parser().parse_args(argv)
        _language(args)
        console = Console(getattr(args, "quiet", False), getattr(args, "verbose", False))
        code = args.func(args, console)
        if threading.current_thread() is threading.main_thread():
            # The work is done (outputs committed or refused): a Ctrl-C now stops nothing, and landing in
            # the interpreter's exit (joining the loader's threads) it would only print a traceback.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        return code
    except GuideError as exc:
        (console or Console()).errors(exc)
        return 1
    except KeyboardInterrupt:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this message short
        from guidebuilder.model.messages import t

        print(t("interrupted"), file=sys.stderr)
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
    from guidebuilder.model.messages import m

    key = f"os.{exc.errno}" if exc.errno in (13, 28, 30) else "os.error"
    message, hint = m(key, detail=exc.strerror or exc)
    return Diagnostic(file=name, message=message, hint=hint)


if __name__ == "__main__":
    sys.exit(main())
