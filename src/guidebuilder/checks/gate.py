"""Everything that can refuse a guide before anything is written.

The build runs `input_problems` right after preparing the guide (its warnings, such as a draft
build's, are reported and do not stop it), and `guidebuilder check` runs the same, plus
`personal_data` (the build finds the same data later in its outputs, where it can also name each
output and page). So `check` refuses every guide that `build` would refuse for its input.
"""

from __future__ import annotations

from pathlib import Path

from guidebuilder.checks.inputs import page_names
from guidebuilder.checks.privacy import KIND_LABEL, mask, source_index, allowed_values
from guidebuilder.checks.release import config_position
from guidebuilder.core.placeholders import PENDING_URL, placeholder_url
from guidebuilder.core.personal_data import find_personal_data, normalise
from guidebuilder.model.errors import Collector, Diagnostic, GuideError, suggest
from guidebuilder.model.guide import Guide
from guidebuilder.model.messages import CATALOGUE, m, t
from guidebuilder.pandoc.ast import stringify
from guidebuilder.transforms.links import image_problem

LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg")


def input_problems(guide: Guide, formats: list[str], options: dict | None = None) -> list[Diagnostic]:
    """What the renderers of `formats` would refuse in the prepared guide, found before any writing."""
    options = options or {}
    problems: list[Diagnostic] = draft_warning(guide)
    if "html" in formats:
        problems += page_names(guide) + images_in_site_folders(guide)
    if "pdf" in formats:
        problems += logo_files(guide)[1]
    if "leaflet" in formats and guide.leaflet is not None:
        try:
            select_entities(guide, options.get("entity"))
        except GuideError as exc:
            problems += exc.diagnostics
    return problems


# the site's own folders: an image of the guide kept in one of them would take the place of a file the site
# makes there (render/html/site.py), or be replaced by it
SITE_FOLDERS = ("graficas", "tarjetas", "descargas", "pagefind", "estilos", "fuentes")


def images_in_site_folders(guide: Guide) -> list[Diagnostic]:
    """Every image a chapter shows is published at its path in the guide (transforms/links.chapter_images),
    wherever it is kept; only a path the site uses for its own files is refused."""
    from guidebuilder.pandoc.ast import visit
    from guidebuilder.transforms.links import chapter_images, line_col

    taken = {src for src in chapter_images(guide) if src.split("/")[0] in SITE_FOLDERS or src == "favicon.svg"}
    out: list[Diagnostic] = []
    if not taken:  # the usual case: no chapter to look through again
        return out
    for chapter in guide.chapters:
        found: list[str] = []
        visit(list(chapter.blocks), lambda n: found.append(n["c"][2][0]) if n.get("t") == "Image"
              and n["c"][2][0] in taken else None)
        for src in dict.fromkeys(found):
            line, col = line_col(chapter, src.rsplit("/", 1)[-1])
            message, hint = m("gate.image_folder", src=src, folder=src.split("/")[0])
            out.append(Diagnostic(chapter.file, line, col, message, hint))
    return out


def draft_warning(guide: Guide) -> list[Diagnostic]:
    """One warning when the build is a draft: guide.yml's `url` is a placeholder (or missing while the
    leaflet asks for a QR code), so the outputs print the pending note instead of an address."""
    url = guide.config.url
    wants_qr = guide.leaflet is not None and any(d.name == "qr" for ds in guide.leaflet.directives.values()
                                                 for d in ds)
    if guide.site_url or (url is None and not wants_qr):
        return []
    line, col = config_position(guide, "url") if url else (0, 0)
    reason_id, values = placeholder_url(url) or ("draft.no_url", {})
    message, hint = m("gate.draft", reason=t(reason_id, **values), pending=PENDING_URL)
    return [Diagnostic(Collector(root=guide.root).rel(guide.root / "guide.yml"), line, col, message, hint, "warning")]


def logo_files(guide: Guide) -> tuple[list[Path], list[Diagnostic]]:
    """The logos in assets/images/logos/ (the guide's own folder first), by file name, and a problem for
    each one that is not a valid image."""
    folder = guide.asset("images", "logos")
    if folder is None or not folder.is_dir():
        return [], []
    good, problems = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in LOGO_TYPES):
        problem = image_problem(path)
        if problem:
            message, hint = m("gate.logo", problem=problem)
            problems.append(Diagnostic(file=Collector(root=guide.root).rel(path), message=message, hint=hint))
        else:
            good.append(path)
    return good, problems


def select_entities(guide: Guide, requested: str | None) -> tuple[list, list, bool]:
    """The leaflet's editions: (entities with contact to build, entities without contact, explicitly
    requested?). Unknown ids and requested entities without contact data are refused."""
    config = guide.config.formats.leaflet.entities
    req: str | list = requested if requested else config
    sample = guide.config.sample
    # fictional entities (example and test data) get an edition only in a sample build
    entities = [e for e in guide.data.entities if sample or not e.fictional]
    if req == "none" or not req:
        return [], [], False
    if req == "all":
        return ([e for e in entities if e.contact is not None],
                [e for e in entities if e.contact is None], False)
    ids = [i.strip() for i in req.split(",") if i.strip()] if isinstance(req, str) else list(req)
    by_id = {e.id: e for e in guide.data.entities}
    problems = [_entity_problem(guide, i, by_id, requested, sample) for i in dict.fromkeys(ids)]
    problems = [p for p in problems if p is not None]
    if problems:
        raise GuideError(problems)
    return [by_id[i] for i in dict.fromkeys(ids)], [], True


def _entity_problem(guide: Guide, i: str, by_id: dict, requested: str | None,
                    sample: bool = False) -> Diagnostic | None:
    if i not in by_id:
        return Diagnostic("--entity" if requested else "guide.yml", 0, 0,
                          *m("gate.unknown_entity", id=i, hint=suggest(i, by_id)))
    e = by_id[i]
    if e.fictional and not sample:
        w = guide.data.where.get(("entities", i))
        return Diagnostic(w.file if w else "data/entities.yml", w.line if w else 0, 0,
                          f"la entidad '{i}' ({e.name}) es ficticia (fictional: true): una guía que se puede "
                          "publicar no le hace edición del folleto",
                          "quítela de la lista; los datos de ejemplo solo van en una compilación de muestra "
                          "('sample: true' en guide.yml)")
    if e.contact is None:
        w = guide.data.where.get(("entities", i))
        return Diagnostic(w.file if w else "data/entities.yml", w.line if w else 0, 0,
                          *m("gate.no_contact", id=i, name=e.name))
    return None


def personal_data(guide: Guide) -> list[Diagnostic]:
    """Personal data (not an allowed institutional contact) in the text the public edition shows:
    chapters with their data blocks expanded, the leaflet's panels and the public data sets."""
    allowed = allowed_values(guide)
    found: dict[tuple[str, str], str] = {}
    for text in _public_texts(guide):
        for kind, match in find_personal_data(text):
            key = (kind, normalise(kind, match))
            if key not in allowed:
                found.setdefault(key, match)
    if not found:
        return []
    sources = source_index(guide)
    out = []
    for key, match in sorted(found.items()):
        file, line = sources.get(key, (t("gate.no_source_file"), 0))
        kind = t(f"personal.{key[0]}") if f"personal.{key[0]}" in CATALOGUE else KIND_LABEL[key[0]]
        message, hint = m("gate.personal", kind=kind, value=mask(match))
        out.append(Diagnostic(file=file, line=line, message=message, hint=hint))
    return out


def _public_texts(guide: Guide) -> list[str]:
    texts = [stringify(list(chapter.blocks)) for chapter in guide.chapters]
    if guide.leaflet is not None:
        texts += [stringify(list(blocks)) for blocks in guide.leaflet.panels.values()]
    data = guide.data
    for items in (guide.public_practices(), data.channels, data.steps, data.topics, data.glossary, data.references):
        texts += [" ".join(str(v) for v in item.model_dump().values()) for item in items]
    return texts
