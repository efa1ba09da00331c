"""The no-change fast path: a fingerprint of every input of a build, checked before anything is loaded.

The fingerprint covers the guide folder, the asset folders, guidebuilder's own code, the tool
versions and the build options. When it equals the last successful build's, and every output that
build recorded is still there unchanged (size and mtime), there is nothing to do.
Kept free of heavy imports so that the check itself is fast.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from guidebuilder.load.sources import asset_dirs  # noqa: F401  (the fingerprint covers them)

STATE_FILE = "state.json"


def _hash_tree(h, folder: Path, skip: tuple[str, ...] = ()) -> None:
    if not folder.is_dir():
        h.update(b"<none>")
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in skip and not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            try:
                h.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                h.update(b"<unreadable>")


def fingerprint(guide_dir: Path, folders: list[Path], options: dict) -> str:
    """A hash of everything a build reads: sources, assets, code, tool versions, options."""
    h = hashlib.sha256()
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    _hash_tree(h, guide_dir)  # feedback/ included: the follow-up report counts its comments
    for folder in folders:
        h.update(str(folder).encode())
        _hash_tree(h, folder)
    _hash_tree(h, Path(__file__).resolve().parents[1], skip=("__pycache__",))  # guidebuilder's code
    for module in ("weasyprint", "pypandoc", "matplotlib", "docx", "pagefind"):
        h.update(module.encode() + _dist_version(module).encode())
    for var in ("GUIDEBUILDER_PANDOC", "SOURCE_DATE_EPOCH", "GUIDEBUILDER_DOCX_PAGES"):
        h.update(f"{var}={os.environ.get(var, '')}".encode())
    return h.hexdigest()


def _dist_version(module: str) -> str:
    from importlib import metadata

    names = {"docx": "python-docx", "pypandoc": "pypandoc-binary"}
    try:
        return metadata.version(names.get(module, module))
    except metadata.PackageNotFoundError:
        return "absent"


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def unchanged(out: Path, key: str) -> list[Path] | None:
    """The outputs of the last build if it had this fingerprint and they are untouched, else None."""
    try:
        state = json.loads((out / ".cache" / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") != key:
        return None
    outputs = state.get("outputs", {})
    for rel, recorded in outputs.items():
        if _stat(out / rel) != recorded:
            return None
    return [out / rel for rel in outputs]


def record(out: Path, key: str, outputs: list[Path], warnings: list[str]) -> None:
    """Remember this successful build's fingerprint and outputs (written last, atomically)."""
    from guidebuilder.core.files import write_text

    stats = {str(p.relative_to(out)): _stat(p) for p in sorted(set(outputs)) if _stat(p) is not None}
    write_text(out / ".cache" / STATE_FILE,
               json.dumps({"fingerprint": key, "outputs": stats, "warnings": warnings}, indent=1))


def warnings(out: Path) -> list[str]:
    try:
        return list(json.loads((out / ".cache" / STATE_FILE).read_text()).get("warnings", []))
    except (OSError, ValueError):
        return []


def forget(out: Path) -> None:
    (out / ".cache" / STATE_FILE).unlink(missing_ok=True)
