"""Running external tools (pandoc, pagefind, soffice) with their failures explained."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

from .errors import ToolError

PANDOC_TIMEOUT = 300


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
        raise ToolError("pandoc", "looking for the pandoc program", str(exc),
                        "run 'make guide' again: it reinstalls pypandoc-binary, which ships pandoc")


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    return run_tool([pandoc_path(), "--version"], "pandoc", "checking its version").decode().split("\n")[0]


def source_date_epoch_env(epoch: int | None) -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return env


def run_tool(args: list[str], tool: str, doing: str, input: bytes | None = None,
             timeout: int = PANDOC_TIMEOUT, env: dict[str, str] | None = None) -> bytes:
    """Run a tool; on failure raise a ToolError that says which tool, doing what, and the fix."""
    fix = {
        "pandoc": "run 'make guide' again to reinstall pypandoc-binary (it ships pandoc); "
                  "set GUIDEBUILDER_PANDOC only to point at a working pandoc 3",
        "pagefind": "run 'make guide' again to reinstall pagefind[bin]",
    }.get(tool, f"check that {tool} is installed (scripts/system-deps.sh test installs it)")
    try:
        proc = subprocess.run(args, input=input, capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise ToolError(tool, doing, f"program not found at {args[0]}", fix) from None
    except PermissionError:
        raise ToolError(tool, doing, f"program at {args[0]} cannot be run", fix) from None
    except subprocess.TimeoutExpired:
        raise ToolError(tool, doing, f"no answer after {timeout} s", fix) from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        message = detail[-1] if detail else f"exit status {proc.returncode}"
        if proc.returncode < 0:
            message = f"killed by signal {-proc.returncode}"
        raise ToolError(tool, doing, message[:500], fix)
    return proc.stdout
