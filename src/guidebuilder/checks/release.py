"""The release gate (`guidebuilder check --release`, `make release`): everything that must never reach
a published edition, found all at once, each with the source file and line where it was written.

- placeholder addresses and e-mails (example.org/.com/.net, localhost, reserved names, "https://…");
- draft marks ("Borrador") and notes left for later (TODO, FIXME, a `[texto]{.revisar}` span);
- a sample build (guide.yml `sample: true`);
- illustrative data: consultation answers marked `illustrative: true`, boxes `aviso-ilustrativo`;
- unverified data a chapter asks for by id (it would silently be left out);
- fictional entities named for a public edition (leaflet editions, the adoption register);
- open layout findings: <out>/proof/findings.json, written by `guidebuilder proof` after the build.

Only what the public edition shows is searched: comments in YAML, the internal `notes` of practices,
fictional entities and unverified items (which the public edition leaves out) are not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from guidebuilder.checks.findings import KINDS
from guidebuilder.core.placeholders import find_placeholders
from guidebuilder.load.yamlio import load_yaml, position
from guidebuilder.model.errors import Collector, Diagnostic
from guidebuilder.model.guide import Guide
from guidebuilder.model.messages import m, t

DRAFT = re.compile(r"\b(?:BORRADOR|Borrador)\b")
TODO = re.compile(r"\b(?:TODO|FIXME)\b|\{\.revisar\}")  # notes left for later: TODO, FIXME, [texto]{.revisar}
ILLUSTRATIVE_BOX = re.compile(r"\.aviso-ilustrativo\b")
YAML_COMMENT = re.compile(r"(?:^|\s)#.*$")
INTERNAL = {"notes"}  # data fields never published
OUTPUTS = ("html", "pdf", "docx", "leaflet", "report")

class _Fix(dict):
    """The fix of each kind of mark, in the editors' language (model/messages.py, 'release.fix.*')."""

    def __missing__(self, kind: str) -> str:
        return t(f"release.fix.{kind}")


FIX = _Fix()


def release_problems(guide: Guide, out: Path) -> list[Diagnostic]:
    """Every reason the prepared public guide, and the build in `out`, may not be published yet."""
    return [*config_problems(guide), *chapter_problems(guide), *leaflet_problems(guide), *data_problems(guide),
            *consultation_problems(guide), *layout_problems(out)]


# ---------------------------------------------------------------- what a text may not carry

def marks(text: str) -> list[tuple[str, str, str]]:
    """(kind, what was found, message) for each placeholder, draft mark or pending note in `text`."""
    found = [("placeholder", m, t("release.placeholder", found=m)) for m in find_placeholders(text)]
    found += [("draft", m.group(0), t("release.draft", found=m.group(0))) for m in DRAFT.finditer(text)]
    found += [("todo", m.group(0), t("release.todo", found=m.group(0), around=_around(text, m.start())))
              for m in TODO.finditer(text)]
    return found


def _around(text: str, at: int) -> str:
    return "«" + " ".join(text[max(0, at - 20): at + 40].split()) + "…»"


def _rel(guide: Guide, path: Path) -> str:
    return Collector(root=guide.root).rel(path)


def file_problems(guide: Guide, path: Path, yaml: bool = False) -> list[Diagnostic]:
    """The marks in a source file, line by line (YAML comments left out)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # the loader has said why already
    out = []
    for number, line in enumerate(lines, start=1):
        text = YAML_COMMENT.sub("", line) if yaml else line
        out += [Diagnostic(_rel(guide, path), number, line.find(found) + 1, message, FIX[kind])
                for kind, found, message in marks(text)]
    return out


# ---------------------------------------------------------------- guide.yml

def config_tree(guide: Guide) -> Any:
    """guide.yml as a ruamel tree (for the line of each key); None if it cannot be read."""
    return load_yaml(guide.root / "guide.yml", Collector(root=guide.root), "guide.yml")


def config_position(guide: Guide, *path: Any) -> tuple[int, int]:
    """(line, column) of a key's value in guide.yml; (0, 0) if it cannot be told."""
    tree = config_tree(guide)
    return position(tree, path) if tree is not None else (0, 0)


def _strings(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*path, i))
    elif isinstance(node, str):
        yield path, str(node)


def config_problems(guide: Guide) -> list[Diagnostic]:
    """guide.yml: every value with a placeholder, a draft mark or a pending note; a sample build; a
    missing address where the leaflet asks for a QR code; fictional entities given leaflet editions."""
    tree = config_tree(guide)
    if tree is None:
        return []
    file = _rel(guide, guide.root / "guide.yml")
    out = []
    for path, value in _strings(tree):
        line, col = position(tree, path)
        key = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        out += [Diagnostic(file, line, col, f"'{key}': {message}", FIX[kind]) for kind, _, message in marks(value)]
    if guide.config.sample:
        line, col = position(tree, ("sample",))
        out.append(Diagnostic(file, line, col, *m("release.sample")))
    if guide.config.url is None and _leaflet_has_qr(guide):
        out.append(Diagnostic(file, 1, 1, *m("release.qr_no_url")))
    entities = guide.config.formats.leaflet.entities
    fictional = {e.id: e for e in guide.data.entities if e.fictional}
    for i, ident in enumerate(entities if isinstance(entities, list) else []):
        if ident in fictional:
            line, col = position(tree, ("formats", "leaflet", "entities", i))
            out.append(Diagnostic(file, line, col, *m("release.fictional_leaflet", id=ident,
                                                      name=fictional[ident].name)))
    return out


def _leaflet_has_qr(guide: Guide) -> bool:
    return guide.leaflet is not None and any(d.name == "qr" for ds in guide.leaflet.directives.values() for d in ds)


# ---------------------------------------------------------------- chapters and leaflet

def chapter_problems(guide: Guide) -> list[Diagnostic]:
    """Each chapter's lines: marks, illustrative boxes, and unverified items asked for by id."""
    out = []
    for chapter in guide.chapters:
        out += file_problems(guide, chapter.path)
        try:
            lines = chapter.path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        out += [Diagnostic(chapter.file, n, line.find("aviso-ilustrativo") + 1,
                           *m("release.illustrative_box"))
                for n, line in enumerate(lines, start=1) if ILLUSTRATIVE_BOX.search(line)]
        out += _unverified_asked(guide, chapter)
    return out


def _unverified_asked(guide: Guide, chapter) -> list[Diagnostic]:
    data = guide.data
    unverified = {"practices": {p.id for p in data.practices if p.verification == "no-verificada"},
                  "indicators": {i.id for i in data.indicators if i.verification == "no-verificada"}}
    unverified["chart"] = unverified["indicators"]
    label = {"practices": "release.unverified_practice", "indicators": "release.unverified_indicator",
             "chart": "release.unverified_indicator"}
    out = []
    for d in chapter.directives:
        for ident in d.values("ids") if d.name in unverified else []:
            if ident in unverified[d.name]:
                out.append(Diagnostic(chapter.file, d.line, 1, *m(label[d.name], id=ident)))
    return out


def leaflet_problems(guide: Guide) -> list[Diagnostic]:
    if guide.leaflet is None:
        return []
    out = []
    for rel in guide.leaflet.files.values():
        out += file_problems(guide, guide.root.parent / rel)
    spec = guide.root / "leaflet" / "leaflet.yml"
    return out + (file_problems(guide, spec, yaml=True) if spec.is_file() else [])


# ---------------------------------------------------------------- data sets

def _public_items(guide: Guide) -> Iterator[tuple[str, str, Any]]:
    """(data set, key in `where`, item) of every data item the public edition may show."""
    d = guide.data
    public_ids = {e.id for e in guide.public_entities()}
    groups = [("channels", d.channels), ("steps", d.steps), ("topics", d.topics),
              ("practices", guide.public_practices()),
              ("indicators", [i for i in d.indicators if i.verification != "no-verificada"]),
              ("glossary", d.glossary), ("references", d.references), ("entities", guide.public_entities())]
    for dataset, items in groups:
        for item in items:
            yield dataset, getattr(item, "id", None) or getattr(item, "term", ""), item
    for entry in d.adoption:
        if entry.entity in public_ids:
            yield "adoption", entry.entity, entry


def _values(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, v in value.items():
            if key not in INTERNAL:
                yield from _values(v)
    elif isinstance(value, list):
        for v in value:
            yield from _values(v)
    elif isinstance(value, str):
        yield value


def data_problems(guide: Guide) -> list[Diagnostic]:
    """Marks in the public data items (placed on the line where they are written), and the adoption
    register's entries of fictional entities."""
    out = []
    texts: dict[str, list[str]] = {}
    for dataset, key, item in _public_items(guide):
        where = guide.data.where.get((dataset, key))
        for text in _values(item.model_dump(mode="json")):
            for kind, found, message in marks(text):
                file = where.file if where else f"guide/data/{dataset}.yml"
                lines = texts.setdefault(file, _lines(guide.root.parent / file))
                line = _line_of(lines, found, where.line if where else 1)
                out.append(Diagnostic(file, line, 0, f"{dataset} '{key}': {message}", FIX[kind]))
    entities = guide.data.by_id("entities")
    for entry in guide.data.adoption:
        entity = entities.get(entry.entity)
        if entity is not None and entity.fictional:
            where = guide.data.where.get(("adoption", entry.entity))
            out.append(Diagnostic(where.file if where else "guide/data/adoption.yml", where.line if where else 0, 0,
                                  *m("release.fictional_adoption", id=entry.entity, name=entity.name)))
    return out


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], needle: str, start: int) -> int:
    """The first line from `start` (1-based) that holds `needle`, else `start`."""
    for number in range(max(start, 1), len(lines) + 1):
        if needle in lines[number - 1]:
            return number
    return start


# ---------------------------------------------------------------- the consultation

def consultation_problems(guide: Guide) -> list[Diagnostic]:
    """The questionnaire's text (published while there are no results) and illustrative answers."""
    c = guide.data.consultation
    schema = guide.root / "data" / "consultation" / "schema.yml"
    if c is None or not schema.is_file():
        return []
    out = file_problems(guide, schema, yaml=True)
    if c.illustrative and c.answered:
        tree = load_yaml(schema, Collector(root=guide.root), "consultation schema")
        line, col = position(tree, ("illustrative",)) if tree is not None else (0, 0)
        out.append(Diagnostic(_rel(guide, schema), line, col, *m("release.illustrative_answers", file=c.file)))
    return out


# ---------------------------------------------------------------- layout findings

def layout_problems(out: Path) -> list[Diagnostic]:
    """The open layout findings of the proof sheet of the build in `out`: one problem each, a problem if
    there is no proof sheet, or if it is older than the build."""
    path = out / "proof" / "findings.json"
    if not path.is_file():
        return [Diagnostic(str(path), 0, 0, *m("release.no_proof"))]
    try:
        findings = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(findings, list):
            raise ValueError("not a list")
    except (OSError, ValueError) as exc:
        return [Diagnostic(str(path), 0, 0, *m("release.proof_unreadable", detail=exc))]
    problems = [_finding(out, f) for f in findings if isinstance(f, dict)]
    newest = max((p.stat().st_mtime for name in OUTPUTS if (out / name).is_dir()
                  for p in (out / name).rglob("*") if p.is_file()), default=0.0)
    if newest > path.stat().st_mtime:
        problems.append(Diagnostic(str(path), 0, 0, *m("release.proof_old")))
    return problems


def _finding(out: Path, f: dict) -> Diagnostic:
    output = str(f.get("output", "?"))
    where = str(f.get("where") or "")
    file, _, line = where.rpartition(":") if re.search(r":\d+$", where) else (where, "", "0")
    said = str(f.get("message", "")).startswith("Página")  # the message may name its page itself
    place = "".join([t("release.page", page=f["page"]) if f.get("page") and not said else "",
                     t("release.view", view=f["view"]) if f.get("view") else ""])
    kind = KINDS.get(str(f.get("kind")), str(f.get("kind", "")))
    return Diagnostic(file or str(out / output), int(line or 0), 0,
                      *m("release.finding", output=output, place=place, kind=kind, message=f.get("message", ""),
                         sheet=out / "proof" / "index.html"))
