"""Load a guide folder into a validated Guide, reporting every problem at once."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
import unicodedata
from pathlib import Path
from typing import Any

from guidebuilder.load import directives as dirs
from guidebuilder.load import markdown_checks as checks
from guidebuilder.load.didactico import load_didactico
from guidebuilder.load import sources
from guidebuilder.core.cache import Cache
from guidebuilder.core.digest import digest
from guidebuilder.model.errors import Collector, GuideError, suggest
from guidebuilder.model.messages import t
from guidebuilder.model.guide import Chapter, DataSets, Guide, Leaflet, Where
from guidebuilder.load.validate import validate
from guidebuilder.model.schema import DATASETS, ChapterFrontMatter, GuideConfig
from guidebuilder.load.sources import inside, list_files, read_text
from guidebuilder.pandoc.tools import pandoc_path, pandoc_version, run_json
from guidebuilder.load.yamlio import load_yaml, parse_yaml, plain, position

READER = "markdown-raw_html-raw_tex-raw_attribute-yaml_metadata_block-citations-native_divs-native_spans"
READER_RAW_HTML = "markdown-raw_tex-raw_attribute-yaml_metadata_block-citations"
FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
LEAFLET_ROLES = ("cover", "back", "flap", "inside-1", "inside-2", "inside-3")


def load_guide(root: Path, cache: Cache | None = None, edition: str = "public",
               assets: Path | None = None, errors: Collector | None = None) -> Guide:
    """Read guide.yml, the chapters, the data sets and the leaflet.

    Problems go to `errors`; without one, GuideError lists them all. With one, the caller raises
    after later stages have added theirs (the Guide then holds what could be loaded, and says
    in `failed` which parts could not, so later stages do not repeat the same problem).
    """
    root = Path(root).resolve()
    own = errors is None
    errors = errors if errors is not None else Collector(root=root)
    cache = cache or Cache(None, enabled=False)
    if not (root / "guide.yml").is_file():
        raise GuideError(t("no.guide", root=root))
    config = _load_config(root, errors, cache)
    data = load_data(root, errors, cache)
    chapters: list[Chapter] = []
    if config is not None:
        chapters = _load_chapters(root, config, errors, cache)
    leaflet = _load_leaflet(root, errors, cache)
    didactico = load_didactico(root, chapters, data, errors, cache, markdown_to_blocks)
    if own or config is None:
        errors.raise_if_errors()
    errors.rank = 1  # what later stages find may follow from a load error: shown after it
    loaded = {c.path.name for c in chapters}
    failed = frozenset(name for name in (config.chapters if config else ()) if name not in loaded)
    asset_dirs = tuple(sources.asset_dirs(root, assets))
    return Guide(root=root, config=config, chapters=tuple(chapters), data=data, leaflet=leaflet,
                 asset_dirs=asset_dirs, edition=edition,
                 warnings=tuple(errors.warnings), failed_chapters=failed, feedback=_load_feedback(root, cache),
                 didactico=didactico)


def _load_feedback(root: Path, cache: Cache) -> tuple:
    """The review rounds in guide/feedback/ (written by `guidebuilder feedback import`), read defensively:
    a file that cannot be parsed is kept as None (the follow-up report counts it as unreadable)."""
    folder = root / "feedback"
    out = []
    for path in list_files(folder, "*.yml") + list_files(folder, "*.yaml"):
        tree = load_yaml(path, Collector(root=root), "feedback file", cache)
        out.append((path.name, plain(tree) if tree is not None else None))
    return tuple(out)


def _load_config(root: Path, errors: Collector, cache: Cache | None = None) -> GuideConfig | None:
    path = root / "guide.yml"
    before = len(errors.errors)
    tree = load_yaml(path, errors, "guide.yml", cache)
    if tree is None:
        if len(errors.errors) == before:
            errors.say(path, 1, 1, "guide.empty")
        return None
    if not isinstance(tree, dict):
        errors.say(path, 1, 1, "guide.not_mapping")
        return None
    config = validate(GuideConfig, plain(tree), tree, path, errors)
    if config is not None:
        seen: dict[str, int] = {}
        for i, name in enumerate(config.chapters):
            if name in seen:
                line, col = position(tree, ("chapters", i))
                errors.say(path, line, col, "guide.chapter_twice", name=name)
            seen[name] = i
    return config


# ---------------------------------------------------------------- data

def load_data(root: Path, errors: Collector, cache: Cache | None = None) -> DataSets:
    """Load every data set in guide/data/ and check the ids that link them."""
    folder = root / "data"
    values: dict[str, tuple] = {}
    where: dict[tuple[str, str], Where] = {}
    trees: dict[str, Any] = {}
    failed: set[str] = set()  # data sets with errors of their own: ids pointing into them are not checked
    known = set(DATASETS) | {"adoption"}
    for path in list_files(folder, "*.yml") + list_files(folder, "*.yaml"):
        if path.stem not in known:
            errors.say(path, 1, 0, "data.unknown_file", name=path.name, hint=suggest(path.stem, known),
                       known=", ".join(sorted(f + ".yml" for f in known)))
    for name, model in DATASETS.items():
        path = folder / f"{name}.yml"
        if not path.exists() and not path.is_symlink():
            values[name] = ()
            continue
        before = len(errors.errors)
        tree = load_yaml(path, errors, f"data file {name}.yml", cache)
        if tree is None:
            values[name] = ()
            failed.add(name)
            continue
        if not isinstance(tree, list):
            errors.say(path, 1, 1, "data.not_list", name=name)
            values[name] = ()
            failed.add(name)
            continue
        trees[name] = tree
        items = validate(list[model], plain(tree), tree, path, errors)  # type: ignore[valid-type]
        values[name] = tuple(items or ())
        if len(errors.errors) > before:
            failed.add(name)
        rel = errors.rel(path)
        for i, item in enumerate(values[name]):
            key = getattr(item, "id", None) or getattr(item, "term", None)
            line, _ = position(tree, (i,))
            if key is not None:
                if (name, key) in where:
                    errors.say(path, line, 3, "data.duplicate_id", key=key, line=where[(name, key)].line)
                where[(name, key)] = Where(rel, line)
    data = DataSets(**values, where=where)
    _check_references(data, trees, folder, errors, failed)
    from guidebuilder.load.consultation import load_adoption, load_consultation

    data = DataSets(**{**{k: getattr(data, k) for k in values}, "where": where, "failed": frozenset(failed),
                       "consultation": load_consultation(root, errors, cache),
                       "adoption": load_adoption(root, data, errors, cache)})
    return data


def _check_references(data: DataSets, trees: dict, folder: Path, errors: Collector,
                      failed: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every id a data set names must exist in the data set it points to (unless that one failed)."""
    channels, steps, topics = data.by_id("channels"), data.by_id("steps"), data.by_id("topics")
    for i, practice in enumerate(data.practices):
        for field_name, known, dataset in (("channels", channels, "channels"), ("steps", steps, "steps"),
                                           ("topics", topics, "topics")):
            if dataset in failed:
                continue
            for j, ref in enumerate(getattr(practice, field_name)):
                if ref not in known:
                    line, col = position(trees["practices"], (i, field_name, j))
                    errors.say(folder / "practices.yml", line, col, "data.unknown_ref", field=field_name[:-1],
                               ref=ref, dataset=dataset, hint=suggest(ref, known))
        if practice.verification != "no-verificada" and not any(s.url for s in practice.sources):
            line, col = position(trees["practices"], (i, "verification"))
            errors.say(folder / "practices.yml", line, col, "data.no_source", id=practice.id,
                       verification=practice.verification)


# ---------------------------------------------------------------- chapters

def split_front_matter(text: str, path: Path, errors: Collector, cache: Cache | None = None) -> tuple[dict, Any, str, int]:
    """Return (front matter values, its YAML tree, body, first body line)."""
    match = FRONT.match(text)
    if not match:
        if re.match(r"---[ \t]*(\n|\Z)", text):
            errors.say(path, 1, 1, "front.unclosed")
        return {}, None, text, 1
    front_text = match.group(1) or ""
    tree = parse_yaml(front_text, path, errors, line_offset=1, cache=cache)
    body_line = text[: match.end()].count("\n") + 1
    body = text[match.end():]
    if tree is None:
        return {}, None, body, body_line
    if not isinstance(tree, dict):
        errors.say(path, 2, 1, "front.not_mapping")
        return {}, None, body, body_line
    return plain(tree), tree, body, body_line


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "capitulo"


def _load_chapters(root: Path, config: GuideConfig, errors: Collector, cache: Cache) -> list[Chapter]:
    folder = root / "chapters"
    chapters: list[Chapter] = []
    ids: dict[str, str] = {}
    guide_yml = root / "guide.yml"
    listed = set(config.chapters)
    wanted: list[tuple[int, Path]] = []
    for index, name in enumerate(dict.fromkeys(config.chapters)):  # a repeat is reported by _load_config
        path = folder / name
        line = _line_of(guide_yml, name)
        if not inside(root, path):
            link = path.is_symlink()
            errors.say(guide_yml, line, 5, "chapter.link_out" if link else "chapter.outside", name=name)
            continue
        if path.is_dir():
            errors.say(guide_yml, line, 5, "chapter.folder", name=name)
            continue
        if not path.exists() and not path.is_symlink():
            present = [p.name for p in list_files(folder, "*.md")]
            errors.say(guide_yml, line, 5, "chapter.missing", name=name, hint=suggest(name, present))
            continue
        wanted.append((index, path))
    # pandoc runs in subprocesses, so threads convert chapters side by side
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        loaded = list(pool.map(lambda item: _load_chapter(root, item[1], item[0], errors, cache), wanted))
    for chapter in loaded:
        if chapter is None:
            continue
        if chapter.id in ids:
            errors.say(chapter.path, 1, 1, "chapter.id_taken", id=chapter.id, other=ids[chapter.id])
        ids[chapter.id] = chapter.file
        chapters.append(chapter)
    for path in list_files(folder, "*.md"):
        if path.name not in listed:
            errors.say_warning(path, 0, 0, "chapter.unlisted")
    return chapters


def _line_of(path: Path, needle: str) -> int:
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if needle in line:
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0


def _load_chapter(root: Path, path: Path, index: int, errors: Collector, cache: Cache) -> Chapter | None:
    text = read_text(path, errors, "chapter")
    if text is None:
        return None
    values, tree, body, body_line = split_front_matter(text, path, errors, cache)
    front = validate(ChapterFrontMatter, values, tree, path, errors, line_offset=1) if tree is not None \
        else ChapterFrontMatter()
    if front is None:
        return None
    if not body.strip():
        errors.say(path, body_line, 1, "chapter.empty")
        return None
    body = checks.strip_comments(body)
    checks.check_source(body, path, body_line, errors, front.raw_html)
    parsed = dirs.parse(body, path, errors, first_line=body_line)
    blocks = markdown_to_blocks(parsed.markdown, cache, raw_html=front.raw_html)
    blocks, title = _title(blocks, front.title, path, body_line, errors)
    if title is None:
        return None
    checks.check_headings(blocks, body, path, body_line, errors)
    rel = errors.rel(path)
    chapter = Chapter(id=front.id or slugify(path.stem), file=rel, path=path, index=index, title=title,
                      short_title=front.short_title or title, summary=front.summary, appendix=front.appendix,
                      public=front.public, raw_html=front.raw_html, markdown=body, body_line=body_line,
                      blocks=blocks, directives=tuple(parsed.directives))
    return chapter


def _title(blocks: tuple, front_title: str | None, path: Path, body_line: int,
           errors: Collector) -> tuple[tuple, str | None]:
    """The chapter's title: its front matter's `title:` (made its level-1 heading, so that it is printed
    and listed in the contents), else its first level-1 heading; None (after an error) when it has none."""
    from guidebuilder.pandoc.ast import stringify

    first = next((i for i, b in enumerate(blocks) if b.get("t") == "Header" and b["c"][0] == 1), None)
    if front_title:
        inlines = [x for word in front_title.split() for x in ({"t": "Space"}, {"t": "Str", "c": word})][1:]
        if first is None:
            return ({"t": "Header", "c": [1, ["", [], []], inlines]}, *blocks), front_title
        heading = stringify(blocks[first]["c"][2])
        if heading.strip() != front_title.strip():
            errors.say_warning(path, body_line, 1, "chapter.two_titles", front=front_title, heading=heading)
            header = blocks[first]
            blocks = (*blocks[:first], {"t": "Header", "c": [1, header["c"][1], inlines]}, *blocks[first + 1:])
        return blocks, front_title
    if first is None:
        errors.say(path, body_line, 1, "chapter.no_title")
        return blocks, None
    return blocks, stringify(blocks[first]["c"][2])


def markdown_to_blocks(markdown: str, cache: Cache, raw_html: bool = False) -> tuple:
    """Parse Markdown with pandoc into JSON blocks; cached by text, reader and pandoc version."""
    reader = READER_RAW_HTML if raw_html else READER
    key = digest("md->json", reader, pandoc_version(), markdown)

    def convert() -> list:
        return run_json([pandoc_path(), "-f", reader, "-t", "json"], "pandoc", "reading a chapter's Markdown",
                        "blocks", input=markdown.encode())

    return tuple(cache.json("ast", key, convert))


# ---------------------------------------------------------------- leaflet

def _load_leaflet(root: Path, errors: Collector, cache: Cache) -> Leaflet | None:
    folder = root / "leaflet"
    if not folder.is_dir():
        return None
    spec = folder / "leaflet.yml"
    title = "Folleto"
    if spec.exists():
        tree = load_yaml(spec, errors, "leaflet.yml", cache)
        if isinstance(tree, dict) and isinstance(tree.get("title"), str):
            title = str(tree["title"])
        elif tree is not None:
            errors.say(spec, 1, 1, "leaflet.title")
    panels: dict[str, tuple] = {}
    files: dict[str, str] = {}
    found: dict[str, tuple] = {}
    for role in LEAFLET_ROLES:
        path = folder / f"{role}.md"
        if not path.exists() and not path.is_symlink():
            errors.say(spec if spec.is_file() else path, 1 if spec.is_file() else 0, 0, "leaflet.panel_missing",
                       role=role, folder=errors.rel(folder), roles=", ".join(r + ".md" for r in LEAFLET_ROLES))
            continue
        text = read_text(path, errors, "leaflet panel")
        if text is None:
            continue
        parsed = dirs.parse(text, path, errors)
        for d in parsed.directives:
            if d.name not in ("contact", "qr", "channels"):
                errors.say(path, d.line, 1, "leaflet.directive", name=d.name)
        blocks = markdown_to_blocks(parsed.markdown, cache)
        panels[role] = tuple(blocks)
        files[role] = errors.rel(path)
        found[role] = tuple(parsed.directives)
    return Leaflet(title=title, panels=panels, files=files, directives=found)
