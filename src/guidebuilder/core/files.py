"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically (temporary name in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes, replace: dict[str, bytes] | None = None, edit=None) -> bytes:
    """Rewrite a zip (DOCX, PPTX…) with its entries in the order written and fixed timestamps and modes, so
    builds are byte-identical. `replace` gives some entries new contents (those the zip lacks are added at
    its end, in the order given); `edit(name, body)` may change any entry's contents on the way."""
    import io
    import zipfile

    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in names + [n for n in replace if n not in set(names)]:
            body = replace[name] if name in replace else src.read(name)
            fixed = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, edit(name, body) if edit else body)
    return out.getvalue()
