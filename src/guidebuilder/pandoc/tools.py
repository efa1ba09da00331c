"""Running external tools (pandoc, pagefind, soffice) with their failures explained."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from guidebuilder.model.errors import GuideError, ToolError
from guidebuilder.model.messages import t

PANDOC_TIMEOUT = 300


def tool_timeout(default: int = PANDOC_TIMEOUT) -> float:
    """Seconds a tool may run; GUIDEBUILDER_TOOL_TIMEOUT overrides it (slow machines, tests)."""
    try:
        value = float(os.environ.get("GUIDEBUILDER_TOOL_TIMEOUT", ""))
    except ValueError:
        return default
    return value if value > 0 else default


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    override = os.environ.get("GUIDEBUILDER_PANDOC")
    if override:
        return override
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:  # pypandoc raises OSError when it finds no pandoc
        found = shutil.which("pandoc")
        if found:
            return found
        raise ToolError("pandoc", t("tool.doing.find", tool="pandoc"), str(exc), t("tool.fix.pandoc"))


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    return run_tool([pandoc_path(), "--version"], "pandoc", t("tool.doing.version")).decode().split("\n")[0]


def source_date_epoch_env(epoch: int | None) -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def run_tool(args: list[str], tool: str, doing: str, input: bytes | None = None,
             timeout: float | None = None, env: dict[str, str] | None = None) -> bytes:
    """Run a tool; on failure raise a ToolError that says which tool, doing what, and the fix."""
    fix = t("tool.fix.pandoc") if tool == "pandoc" else t("tool.fix.pagefind") if tool == "pagefind" \
        else t("tool.fix.installed", tool=tool)
    timeout = timeout if timeout is not None else tool_timeout()
    try:
        proc = _run(args, input, timeout, env)
    except FileNotFoundError:
        raise ToolError(tool, doing, t("tool.detail.not_found", path=args[0]), fix) from None
    except PermissionError:
        raise ToolError(tool, doing, t("tool.detail.cannot_run", path=args[0], detail=""), fix) from None
    except OSError as exc:  # e.g. not an executable file (ENOEXEC)
        raise ToolError(tool, doing, t("tool.detail.cannot_run", path=args[0], detail=f": {exc.strerror or exc}"),
                        fix) from None
    except subprocess.TimeoutExpired:
        raise ToolError(tool, doing, t("tool.detail.timeout", seconds=f"{timeout:g}"),
                        fix + t("tool.fix.slow")) from None
    if proc.returncode == -signal.SIGINT:
        raise KeyboardInterrupt  # Ctrl-C reached the tool too: the build was interrupted, the tool did not fail
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        message = detail[-1] if detail else t("tool.detail.status", status=proc.returncode)
        if proc.returncode < 0:
            message = t("tool.detail.signal", signal=-proc.returncode)
        raise ToolError(tool, doing, message[:500], fix)
    return proc.stdout


def _run(args: list[str], input: bytes | None, timeout: float, env: dict[str, str] | None) \
        -> subprocess.CompletedProcess:
    """subprocess.run in its own process group, so that on a timeout or an interruption the tool
    and everything it started are stopped, not left running."""
    with subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait()
            raise
        return subprocess.CompletedProcess(args, proc.returncode, out, err)


def run_json(args: list[str], tool: str, doing: str, key: str, input: bytes | None = None):
    """Run a tool that answers in JSON (pandoc -t json) and return value[key]; anything else is a ToolError."""
    import json

    out = run_tool(args, tool, doing, input=input)
    try:
        value = json.loads(out)
    except ValueError:
        value = None
    except RecursionError:  # a document nested deeper than Python reads back; directives.parse stops most
        raise GuideError(t("tool.nested", tool=tool, doing=doing)) from None
    if not isinstance(value, dict) or key not in value:
        raise ToolError(tool, doing, t("tool.detail.not_json", start=repr(out[:60].decode("utf-8", "replace"))),
                        t("tool.fix.pandoc"))
    return value[key]


class _TimeUp(BaseException):
    """Raised by the alarm inside an in-process tool; a BaseException so that no `except Exception`
    inside the tool can swallow it."""


@contextmanager
def time_limit(tool: str, doing: str, fix: str, seconds: float | None = None) -> Iterator[None]:
    """Stop an in-process tool (WeasyPrint) that runs longer than the tool timeout: a ToolError.

    Uses SIGALRM, so it only acts in the main thread of a POSIX process; elsewhere it does nothing.
    """
    seconds = seconds if seconds is not None else tool_timeout()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TimeUp:
        raise ToolError(tool, doing, t("tool.detail.timeout", seconds=f"{seconds:g}"), fix + t("tool.fix.slow")) \
            from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
