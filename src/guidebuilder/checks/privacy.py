"""The personal data guard: no e-mail, Mexican telephone number, CURP or RFC of a private person
reaches a public output.

`find_personal_data(text)` finds the patterns; `scan_outputs(guide, staging, formats)` runs after
the renderers and before the commit (build.check_outputs): it reads the text of every staged output
(HTML pages, PDF text page by page, DOCX text, leaflets) and fails the build for anything not on
the allow-list, naming the output, the page and the source file:line.

Allowed without asking (institutional contacts): the contact e-mail and telephone of every entity
in data/entities.yml, the review contact in guide.yml, and every value in guide.yml
`privacy: allow:`. Values are compared normalised (e-mails in lower case, telephones by their ten
digits), so "81 0000 0000" allows "(81) 0000-0000" and "+52 81 0000 0000".

Two things keep it cheap: the text of a PDF the build laid out comes from WeasyPrint's boxes (the
renderer returns it in its RenderResult), not from reading the PDF back; and each file's matches
are remembered in the build cache by the file's bytes, so an edit rescans only what it changed.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from guidebuilder.core.personal_data import find_personal_data, may_hold, normalise, _digits  # noqa: F401
from guidebuilder.model.errors import Diagnostic, GuideError, ToolError
from guidebuilder.model.messages import m, t

KIND_LABEL = {"email": "e-mail address", "phone": "telephone number", "curp": "CURP", "rfc": "RFC"}
TEXT_SUFFIXES = {".html", ".htm", ".xhtml", ".svg", ".xml", ".txt", ".md", ".csv", ".json", ".tsv"}
SOURCE_SUFFIXES = {".md", ".yml", ".yaml", ".csv", ".txt", ".json", ".tsv"}


def allowed_values(guide) -> set[tuple[str, str]]:
    """The institutional contacts that may appear: entities' contacts, the review contact, privacy.allow."""
    raw: list[str] = list(guide.config.privacy.allow)
    review = guide.config.review
    if review is not None:
        raw += [review.contact_email, review.contact_phone or ""]
    for entity in guide.data.entities:
        if entity.contact is not None:
            raw += [entity.contact.phone, entity.contact.email or ""]
    allowed: set[tuple[str, str]] = set()
    for value in raw:
        for kind, match in find_personal_data(value or ""):
            allowed.add((kind, normalise(kind, match)))
    return allowed


# ---------------------------------------------------------------- text of the outputs

def _html_text(raw: str) -> str:
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    raw = re.sub(r"data:[^\"')\s]+", " ", raw)
    attrs = " ".join(m.group(2) for m in re.finditer(
        r"""(?i)\b(href|title|alt|content|aria-label|value|placeholder)\s*=\s*["']([^"']*)["']""", raw))
    text = re.sub(r"<[^>]+>", " ", raw) + " " + attrs
    return html.unescape(text)


def pdf_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdf_pages(data: bytes, name: str, pages: list[str] | None = None) -> list[tuple[str, str]]:
    """(page N, text) for a PDF: from the layout's own text when the renderer gave it (reading it back
    with pypdf took longer than the layout: 19 s for a 112-page book and its large print)."""
    if pages is not None:
        return [(f"page {i}", text) for i, text in enumerate(pages, start=1)]
    try:
        from pypdf import PdfReader
    except ImportError as exc:
        raise ToolError("pypdf", t("tool.doing.privacy_read", name="PDF"), str(exc), t("tool.fix.pypdf")) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        return [(f"page {i}", page.extract_text() or "") for i, page in enumerate(reader.pages, start=1)]
    except Exception as exc:  # pypdf raises many kinds on a PDF it cannot read
        raise ToolError("pypdf", t("tool.doing.privacy_read", name=name), f"{type(exc).__name__}: {exc}",
                        t("tool.fix.report_output", name=name)) from None


def _docx_parts(data: bytes, name: str) -> list[tuple[str, str]]:
    from lxml import etree

    out: list[tuple[str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ToolError("docx", t("tool.doing.privacy_read", name=name), str(exc),
                        t("tool.fix.report_output", name=name)) from None
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for member in sorted(archive.namelist()):
        if not member.endswith(".xml") or not member.startswith(("word/", "docProps/")):
            continue
        try:
            root = etree.fromstring(archive.read(member), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                           huge_tree=True))
        except etree.XMLSyntaxError:
            continue
        paragraphs = list(root.iter(f"{w}p"))
        if paragraphs:
            for number, p in enumerate(paragraphs, start=1):
                text = "".join(t.text or "" for t in p.iter(f"{w}t"))
                if text.strip():
                    out.append((f"{member} paragraph {number}", text))
        else:
            out.append((member, " ".join(t for t in root.itertext())))
    return out


def output_texts(path: Path, name: str, data: bytes | None = None,
                 pages: list[str] | None = None) -> list[tuple[str, str]]:
    """(where, text) for each page or part of one output file; [] for files without text. `pages`: a
    PDF's text as its layout set it, if known."""
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".docx", *TEXT_SUFFIXES):
        return []
    data = path.read_bytes() if data is None else data
    if suffix == ".pdf":
        return _pdf_pages(data, name, pages)
    if suffix == ".docx":
        return _docx_parts(data, name)
    if suffix in TEXT_SUFFIXES:
        raw = data.decode("utf-8", "replace")
        return [("", _html_text(raw) if suffix in (".html", ".htm", ".xhtml", ".svg", ".xml") else raw)]
    return []


# A web address the layout broke after a slash, before digits: "…/nuevoleon/" + newline + "8407300229)"
# is one address (an article id), not a telephone at the start of a line.
# (Tried only where a word starts: tried inside every word, it took three times as long.)
URL_BREAK = re.compile(r"(?<!\S)((?:\S*://\S*|\S*/))[ \t]*\n[ \t]*(?=\d)")


def _flatten(text: str) -> list[str]:
    """The text with whitespace runs made single spaces, and again with line-end hyphens joined
    (web addresses broken across lines are joined first)."""
    text = URL_BREAK.sub(r"\1", text)
    joined = re.sub(r"\s+", " ", text)
    unhyphenated = re.sub(r"\s+", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", text))
    return [joined] if unhyphenated == joined else [joined, unhyphenated]


# ---------------------------------------------------------------- sources

@dataclass
class _Finding:
    kind: str
    value: str
    places: list[str] = field(default_factory=list)


def source_index(guide) -> dict[tuple[str, str], tuple[str, int]]:
    """(kind, normalised value) → first (file, line) among the guide's sources and templates."""
    index: dict[tuple[str, str], tuple[str, int]] = {}
    root = guide.root
    for path in _source_files(guide):
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        rel = _rel(path, root)
        for number, line in enumerate(text.splitlines(), start=1):
            for kind, match in find_personal_data(line):
                index.setdefault((kind, normalise(kind, match)), (rel, number))
    return index


def _source_files(guide) -> list[Path]:
    files = sorted(p for p in guide.root.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
    for folder in guide.asset_dirs:
        templates = folder / "templates"
        if templates.is_dir():
            files += sorted(p for p in templates.rglob("*") if p.is_file())
    return files


def _url_digits(guide) -> set[str]:
    """The digits of every web address in the guide's sources, one string per address."""
    found: set[str] = set()
    for path in _source_files(guide):
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        for url in re.findall(r"https?://[^\s<>\"')\]]+", text):
            digits = _digits(url)
            if len(digits) >= 10:
                found.add(digits)
    return found


def _rel(path: Path, root: Path) -> str:
    for base in (root.parent, root):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def mask(value: str) -> str:
    """Enough of the value to recognise it, not enough to copy it into a log."""
    if len(value) <= 6:
        return value[:1] + "…"
    return value[:3] + "…" + value[-2:]


def file_findings(path: Path, name: str, cache=None, pages: list[str] | None = None,
                  made: list[list[str]] | None = None) -> list[list[str]]:
    """[kind, normalised value, value as found, where] for every match in one output file.

    Remembered in the build cache by the file's bytes, so an edit rescans only the files it changed
    (the allow-list is applied afterwards, so a change to it needs no rescan). `pages`: a PDF's text
    as laid out; `made`: the findings its renderer already made beside the layout.
    """
    import json

    from guidebuilder.core.digest import digest, source_digest

    if path.suffix.lower() not in (".pdf", ".docx", *TEXT_SUFFIXES):
        return []
    data = path.read_bytes()
    sha = pdf_key(data)  # the bytes' hash, whatever the kind of file
    # the key carries the code that reads a laid-out PDF's words, as well as the patterns
    key = digest("privacy-scan", source_digest("checks/privacy.py", "render/pdf/book.py"), path.suffix.lower(), sha)
    if cache is not None:
        remembered = cache.get_bytes("privacy-scan", key)
        if remembered is not None:
            try:
                return json.loads(remembered)
            except ValueError:
                pass
    out = made if made is not None else data_findings(path, name, data, pages)
    if cache is not None:
        cache.put_bytes("privacy-scan", key, json.dumps(out, ensure_ascii=False).encode())
    return out


def data_findings(path: Path, name: str, data: bytes, pages: list[str] | None = None) -> list[list[str]]:
    """file_findings for a file's bytes (path gives only its kind), without the build cache."""
    return texts_findings(output_texts(path, name, data, pages))


def texts_findings(texts: list[tuple[str, str]]) -> list[list[str]]:
    """[kind, normalised value, value as found, where] for every match in (where, text) parts.

    One pass over the whole first: the parts are joined by a blank line, which neither the patterns
    nor _flatten's joins cross, so nothing there means nothing in any part. Only text with a match is
    scanned part by part, to say where.
    """
    out = []
    whole = "\n\n".join(text for _, text in texts)
    if any(find_personal_data(flat) for flat in _flatten(whole)):
        for where, text in texts:
            if not may_hold(text):  # most parts: a file with one allowed contact has thousands
                continue
            for flat in _flatten(text):
                for kind, match in find_personal_data(flat):
                    out.append([kind, normalise(kind, match), match, where])
    return out


def pdf_findings(pages: list[str]) -> list[list[str]]:
    """texts_findings for a PDF's pages, named as the scan names them."""
    return texts_findings([(f"page {i}", text) for i, text in enumerate(pages, start=1)])


def scan_folder(folder: Path, fmt: str, cache=None, made=None) -> dict[str, list[list[str]]]:
    """file_findings for every file under one format's staging folder (run by its renderer's worker);
    `made` is the renderer's result, with the text of the PDFs it laid out and what it already scanned."""
    texts = made.texts if made is not None else {}
    known = made.findings if made is not None else {}
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = str(path.relative_to(folder))
        out[str(path)] = file_findings(path, f"{fmt}/{rel}", cache, texts.get(rel), known.get(rel))
    return out


def scan_outputs(guide, staging: Path, formats: list[str], cache=None,
                 known: dict[str, list[list[str]]] | None = None) -> None:
    """Fail the build (GuideError) if a staged output holds personal data not on the allow-list.

    `known` holds the findings the renderers' workers already made (scan_folder), by file path.
    """
    known = known or {}
    allowed = allowed_values(guide)
    findings: dict[tuple[str, str], _Finding] = {}
    for fmt in formats:
        folder = staging / fmt
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = f"{fmt}/{path.relative_to(folder)}"
            raw = known[str(path)] if str(path) in known else file_findings(path, name, cache)
            for kind, value, match, where in raw:
                key = (kind, value)
                if key in allowed:
                    continue
                finding = findings.setdefault(key, _Finding(kind, match))
                place = f"{name} ({where})" if where else name
                if place not in finding.places:
                    finding.places.append(place)
    if any(kind == "phone" for kind, _ in findings):
        # A long web address printed in a PDF breaks across lines, and a run of its digits can
        # then look like a telephone number: digits that stand in one of the guide's own
        # addresses are not someone's number.
        in_urls = _url_digits(guide)
        findings = {k: f for k, f in findings.items() if not (k[0] == "phone" and any(k[1] in d for d in in_urls))}
    if not findings:
        return
    sources = source_index(guide)
    diagnostics = []
    for key, finding in sorted(findings.items()):
        file, line = sources.get(key, (t("gate.no_source_file"), 0))
        shown = "; ".join(finding.places[:8]) + (t("privacy.more", count=len(finding.places) - 8)
                                                  if len(finding.places) > 8 else "")
        message, hint = m("privacy.output", kind=t(f"personal.{finding.kind}"), value=mask(finding.value),
                          places=shown)
        diagnostics.append(Diagnostic(file=file, line=line, message=message, hint=hint))
    raise GuideError(diagnostics)
