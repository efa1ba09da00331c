"""guide/didactico/: what the training slides, poster, social cards, posts and the adoption letter take
from the guide (docs/didactico.md).

- didactico.yml: options (examples per step, highlighted practices, the poster's content, hashtags);
- taller.md: the workshop's slides in Markdown; its blocks *point at* the guide (a chapter's section,
  the steps, the channels, a chart), they never copy it; `::: notes` holds what the presenter says;
- carta.md: the model letter of voluntary adoption, with `[…]{.campo nombre="…"}` fields.

Every reference is checked here against the loaded chapters and data sets, with file:line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from guidebuilder.model.errors import Collector, suggest
from guidebuilder.model.guide import Didactico
from guidebuilder.model.schema import DidacticoConfig
from guidebuilder.load.sources import read_text
from guidebuilder.load.validate import validate
from guidebuilder.load.yamlio import load_yaml, plain
from guidebuilder.pandoc import ast as A

# Block name -> the attributes it accepts (and those it requires).
BLOCKS: dict[str, tuple[set[str], set[str]]] = {
    "capitulo": ({"id", "seccion", "tomar"}, {"id"}),
    "pasos": ({"vista"}, set()),
    "canales": ({"tipo"}, set()),
    "grafica": ({"grupo"}, {"grupo"}),
    "secciones": ({"capitulo"}, {"capitulo"}),
}
TAKE = ("lista", "parrafo", "recuadro", "tabla", "resumen")
FIELDS_FILLED = {"entidad", "guia", "publica", "fecha-guia", "sitio"}
OPEN = re.compile(r"^:{3,}\s*(?:\{([^}]*)\}|([A-Za-z][\w-]*)\s*$)")
CLASS = re.compile(r"\.([A-Za-z][\w-]*)")


def load_didactico(root: Path, chapters: list, data, errors: Collector, cache,
                   parse: Callable[[str, object], tuple]) -> Didactico | None:
    """The guide's didactic sources, or None when guide/didactico/ does not exist."""
    folder = root / "didactico"
    if not folder.is_dir():
        return None
    config = DidacticoConfig()
    spec = folder / "didactico.yml"
    if spec.exists():
        tree = load_yaml(spec, errors, "didactico.yml", cache)
        if tree is not None:
            config = validate(DidacticoConfig, plain(tree), tree, spec, errors) or config
    _check_config(config, data, errors, spec)
    workshop, letter = (), ()
    path = folder / "taller.md"
    if path.exists():
        text = read_text(path, errors, "workshop slides")
        if text is not None:
            workshop = parse(text, cache)
            _check_workshop(text, workshop, path, chapters, data, errors)
    path = folder / "carta.md"
    if path.exists():
        text = read_text(path, errors, "adoption letter")
        if text is not None:
            letter = parse(text, cache)
    return Didactico(config, tuple(workshop), errors.rel(folder / "taller.md"), tuple(letter),
                     errors.rel(folder / "carta.md"))


def _check_config(config: DidacticoConfig, data, errors: Collector, spec: Path) -> None:
    practices, steps = data.by_id("practices"), data.by_id("steps")
    for step, practice in config.examples.items():
        if step not in steps:
            errors.add(spec, 0, 0, f"examples: el paso '{step}' no existe en data/steps.yml{suggest(step, steps)}",
                       "use el id de un paso de data/steps.yml")
        if practice not in practices:
            errors.add(spec, 0, 0, f"examples: la práctica '{practice}' no existe en data/practices.yml"
                       f"{suggest(practice, practices)}", "use el id de una práctica de data/practices.yml")
        elif step in steps and step not in practices[practice].steps:
            errors.add(spec, 0, 0, f"examples: la práctica '{practice}' no ilustra el paso '{step}' "
                       "(no está en sus steps)", "elija una práctica cuyo campo steps incluya ese paso")
    for practice in config.highlighted:
        if practice not in practices:
            errors.add(spec, 0, 0, f"highlighted: la práctica '{practice}' no existe en data/practices.yml"
                       f"{suggest(practice, practices)}", "use el id de una práctica de data/practices.yml")


def openings(text: str) -> list[tuple[int, list[str], str]]:
    """Each fenced div opening with attributes: (line, classes, the attribute text)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = OPEN.match(line)
        if m:
            text = m.group(1) if m.group(1) is not None else "." + m.group(2)
            out.append((number, CLASS.findall(text), text))
    return out


def find_chapter(chapters, ref: str):
    """A chapter by its id or by its file name without .md (taller.md may use either)."""
    for chapter in chapters:
        if ref in (chapter.id, Path(chapter.file).stem):
            return chapter
    return None


def div_attrs(div: dict) -> dict[str, str]:
    """A fenced div's attributes; `id="…"` is pandoc's identifier, given back as the attribute it was."""
    attrs = dict(div["c"][0][2])
    if div["c"][0][0]:
        attrs["id"] = div["c"][0][0]
    return attrs


def block_divs(blocks) -> list[dict]:
    """Every Div in document order (pandoc keeps the order of the fences)."""
    found: list = []
    A.visit(list(blocks), lambda n: found.append(n) if n.get("t") == "Div" and n["c"][0][1] else None)
    return found


def _check_workshop(text: str, blocks, path: Path, chapters: list, data, errors: Collector) -> None:
    lines = [line for line, classes, _ in openings(text) if classes]
    for i, div in enumerate(block_divs(blocks)):
        line = lines[i] if i < len(lines) else 0
        classes, attrs = div["c"][0][1], div_attrs(div)
        name = next((c for c in classes if c in BLOCKS or c == "notes"), None)
        if name is None:
            errors.add(path, line, 1, f"bloque desconocido '.{classes[0]}'{suggest(classes[0], [*BLOCKS, 'notes'])}",
                       f"los bloques del taller son: {', '.join('.' + b for b in [*BLOCKS, 'notes'])}")
            continue
        if name == "notes":
            continue
        allowed, required = BLOCKS[name]
        for key in sorted(set(attrs) - allowed):
            errors.add(path, line, 1, f"el bloque .{name} no admite '{key}'{suggest(key, allowed)}",
                       f"admite: {', '.join(sorted(allowed)) or 'ningún atributo'}")
        for key in sorted(required - set(attrs)):
            errors.add(path, line, 1, f"al bloque .{name} le falta '{key}=\"…\"'", "vea docs/didactico.md")
        problem = _reference_problem(name, attrs, data, chapters)
        if problem:
            errors.add(path, line, 1, *problem)


def _reference_problem(name: str, attrs: dict, data, chapters: list) -> tuple[str, str] | None:
    if name in ("capitulo", "secciones"):
        cid = attrs.get("id") or attrs.get("capitulo", "")
        chapter = find_chapter(chapters, cid)
        if chapter is None:
            names = sorted({c.id for c in chapters} | {Path(c.file).stem for c in chapters})
            return (f"el capítulo '{cid}' no existe{suggest(cid, names)}",
                    "use el id de un capítulo (el nombre de su archivo sin .md, o su id:)")
        take = attrs.get("tomar", "lista")
        if name == "capitulo" and take not in TAKE:
            return f"tomar=\"{take}\" no existe{suggest(take, TAKE)}", f"use uno de: {', '.join(TAKE)}"
        section = attrs.get("seccion")
        if section and section not in {h["c"][1][0] for h in A.headers(list(chapter.blocks))}:
            ids = [h["c"][1][0] for h in A.headers(list(chapter.blocks)) if h["c"][1][0]]
            return (f"la sección '{section}' no existe en el capítulo '{cid}'{suggest(section, ids)}",
                    "use el id de un título del capítulo: {#id} tras el título")
    if name == "pasos" and attrs.get("vista") not in (None, "diapositivas", "lista"):
        return f"vista=\"{attrs['vista']}\" no existe", "use vista=\"diapositivas\" (una por paso) o vista=\"lista\""
    if name == "canales" and attrs.get("tipo") not in (None, "digital", "non-digital"):
        return f"tipo=\"{attrs['tipo']}\" no existe", "use tipo=\"digital\" o tipo=\"non-digital\""
    if name == "grafica":
        group = attrs.get("grupo", "")
        known = [d.attrs.get("group") for c in chapters for d in c.directives if d.name == "chart"]
        if group not in known:
            return (f"la guía no tiene una gráfica del grupo '{group}'{suggest(group, [k for k in known if k])}",
                    "use el group=\"…\" de un bloque .chart de los capítulos")
    return None
