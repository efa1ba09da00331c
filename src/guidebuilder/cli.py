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
    p.add_argument("--guide", type=Path, default=Path("guide"), help="the guide folder (default: guide)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print every step")
    p.add_argument("--lang", choices=["es", "en"], default=None,
                   help="language of the messages (default: the guide's language, Spanish)")


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
                   help="the build folder: its cache is read (never written) to check faster; with --release, "
                        "its proof findings are read too (default: build)")
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
        with console.out.status("compilando…") as status:
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
    ("docx/*-revision.docx", "Revisores", "la edición de revisión, para comentar en Word"),
    ("leaflet/print/*", "Imprenta", "los archivos para imprimir el folleto (PDF/X, maqueta, especificaciones)"),
    ("html/*", "Público: sitio web", "el sitio; súbalo completo a su servidor"),
    ("pdf/*", "Funcionarios y público: PDF", "el libro para leer e imprimir, y la edición en letra grande"),
    ("docx/*", "Funcionarios: DOCX", "el documento para editar en Word"),
    ("leaflet/*", "Público: folleto", "el folleto para ver en pantalla o imprimir en casa"),
    ("report/*", "Seguimiento", "el informe de adopción y de los comentarios"),
    ("consulta/*", "Consulta ciudadana", "los cuestionarios de campo y sus plantillas"),
)


def audience(rel: str) -> tuple[str, str]:
    from fnmatch import fnmatch

    for pattern, who, what in AUDIENCES:
        if fnmatch(rel, pattern):
            return who, what
    return "Otros", ""


def summary(console: Console, result, elapsed: float, out: Path = Path("build")) -> None:
    """The outputs grouped by who receives them, with whole names (only the main files of the site)."""
    state = "al día, no se rehízo nada" if result.up_to_date else \
        f"{sum(w.changed for w in result.written)} escritos, {sum(not w.changed for w in result.written)} sin cambios"
    lines = [f"guidebuilder: {len(result.written)} archivos ({state}) en {elapsed:.1f} s"]
    groups: dict[str, list] = {}
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
            lines.append(f"  {rel}  ({_size(w.size)}{'' if w.changed else ', sin cambios'})")
        rest = len(items) - min(len(main), 12 if not console.verbose else len(main))
        if rest:
            lines.append(f"  … y {rest} archivos más (-v los lista)")
    times = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    if times:
        lines.append(f"\ntiempos: {times}; caché: {result.cache_hits} aciertos, {result.cache_misses} fallos")
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
