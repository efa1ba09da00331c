"""Read the guide's source files safely: size limit, UTF-8, no path escaping the guide."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from guidebuilder.model.errors import Collector
from guidebuilder.model.messages import t

MAX_TEXT_BYTES = 2 * 1024 * 1024  # no chapter or data file of a guide comes near this
MAX_ASSET_BYTES = 20 * 1024 * 1024

# Bidirectional overrides and isolates can make text display in another order than it reads.
BIDI_CONTROLS = {chr(c) for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)}


def inside(root: Path, candidate: Path) -> bool:
    """Tell whether candidate, with symlinks resolved, stays under root."""
    try:
        candidate.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _lexically_inside(root: Path, candidate: Path) -> bool:
    """Tell whether candidate is named under root (before links are followed)."""
    try:
        Path(os.path.abspath(candidate)).relative_to(os.path.abspath(root))
        return True
    except ValueError:
        return False


def resolve_inside(root: Path, base: Path, ref: str, errors: Collector, where: tuple[Path, int, int],
                   what: str) -> Path | None:
    """Resolve ref (relative to base) to a path that must stay inside root; report otherwise."""
    file, line, col = where
    if not ref or ref.startswith(("/", "\\")) or "\x00" in ref or ":" in ref.split("/")[0][1:2]:
        errors.say(file, line, col, "read.absolute", what=noun(what), ref=ref)
        return None
    target = (base / ref)
    if not inside(root, target):
        errors.say(file, line, col, "read.outside", what=noun(what), ref=ref)
        return None
    return target


_NOUNS = {"file": "what.file", "chapter": "what.chapter", "guide.yml": "what.guide",
          "leaflet panel": "what.panel", "leaflet.yml": "what.leaflet", "feedback file": "what.feedback",
          "image": "what.image"}


def noun(what: str) -> str:
    """The name of a kind of file (as callers give it, in English) in the guide's language."""
    if what in _NOUNS:
        return t(_NOUNS[what])
    if what.startswith("data file "):
        return t("what.data", name=what[len("data file "):])
    return what


def read_text(path: Path, errors: Collector, what: str = "file") -> str | None:
    """Return the file's text as UTF-8 with LF line ends, or None after reporting why not."""
    # Problems with the whole file are reported at its line 1, so every message names file:line.
    try:
        if errors.root is not None and _lexically_inside(errors.root, path) and not inside(errors.root, path):
            errors.say(path, 1, 0, "read.link_out" if path.is_symlink() else "read.via_link", what=noun(what))
            return None
        if not path.is_file():
            if path.exists():
                errors.say(path, 1, 0, "read.not_file", what=noun(what))
            else:
                errors.say(path, 0, 0, "read.missing", what=noun(what))
            return None
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            errors.say(path, 1, 0, "read.too_big", what=noun(what), size=f"{size / 1048576:.1f}",
                       limit=MAX_TEXT_BYTES // 1048576)
            return None
        raw = path.read_bytes()
        if len(raw) > MAX_TEXT_BYTES:  # grew since stat, or a special file that reports no size
            errors.say(path, 1, 0, "read.too_big_now", what=noun(what), limit=MAX_TEXT_BYTES // 1048576)
            return None
    except FileNotFoundError:
        errors.say(path, 0, 0, "read.missing", what=noun(what))
        return None
    except OSError as exc:
        errors.say(path, 1, 0, "read.unreadable", what=noun(what), detail=exc.strerror or exc)
        return None
    return decode(raw, path, errors)


def decode(raw: bytes, path: Path, errors: Collector) -> str | None:
    """Decode UTF-8 (a BOM is accepted and dropped), normalise line ends, reject control chars."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        errors.say(path, line, col, "read.utf8", byte=f"{raw[exc.start]:02x}")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    for number, line_text in enumerate(text.split("\n"), start=1):
        for col, ch in enumerate(line_text, start=1):
            if ch in BIDI_CONTROLS:
                errors.say(path, number, col, "read.bidi", code=f"{ord(ch):04X}", name=unicodedata.name(ch))
                return None
            if unicodedata.category(ch) == "Cc" and ch != "\t":
                errors.say(path, number, col, "read.control", code=f"{ord(ch):04X}")
                return None
    return text


# Invisible format characters kept in untrusted text: joiners that emoji and some scripts need.
KEEP_FORMAT = {"\u200c", "\u200d"}


def clean_untrusted(text, max_chars: int | None = None) -> str:
    """Make text from outside (consultation answers, review comments) safe to show as text.

    Accepts anything (bytes are read as UTF-8, None is empty). Removes control characters (except
    line break and tab), bidirectional controls and marks, other invisible format characters,
    unpaired surrogates and non-characters; line ends become LF; NFC normalised. The result is
    plain text: callers put it in the document as text (ast Str nodes), never as markup.
    Idempotent: cleaning twice gives the same text.
    """
    if text is None:
        return ""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\n\t":
            out.append(ch)
        elif ch in BIDI_CONTROLS or category in ("Cc", "Cs") or (category == "Cf" and ch not in KEEP_FORMAT):
            continue
        elif category == "Cn" and (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE):
            continue  # non-characters
        else:
            out.append(ch)
    cleaned = unicodedata.normalize("NFC", "".join(out))
    if max_chars is not None and len(cleaned) > max_chars:
        cleaned = cleaned[: max(0, max_chars - 1)].rstrip() + "…"
    return cleaned


def list_files(folder: Path, pattern: str) -> list[Path]:
    """List files matching pattern in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(pattern), key=lambda p: os.fsencode(p.name))


def asset_dirs(root: Path, assets: Path | None = None) -> list[Path]:
    """Where assets are looked up, in order: --assets, the guide's own, beside the guide, the project's."""
    project = Path(__file__).resolve().parents[3] / "assets"
    found = [p for p in (assets, root / "assets", root.parent / "assets", project) if p is not None and p.is_dir()]
    return list(dict.fromkeys(p.resolve() for p in found))
