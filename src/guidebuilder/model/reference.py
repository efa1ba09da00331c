"""The reference of every file and field of a guide, made from the schemas (`guidebuilder reference`).

docs/referencia.md is that command's output (`guidebuilder reference --write docs/referencia.md`);
a test checks that it matches the schemas, so it never drifts. Apart from the command, which every
run of guidebuilder registers: the schemas (pydantic) are loaded only when the reference is made.
"""

from __future__ import annotations

import datetime as dt
import types
import typing

from guidebuilder.model import schema as S

FILES = [
    ("guide.yml", S.GuideConfig, "Los datos de la guía: título, quién la publica, la lista de capítulos y "
     "las opciones de cada formato. Un grupo de claves."),
    ("chapters/*.md (bloque inicial)", S.ChapterFrontMatter, "Opcional, al principio de un capítulo, entre dos "
     "líneas `---`. Sin él, el título del capítulo es su primer encabezado `# …`."),
    *[(f"data/{name}.yml", model, "Una lista de entradas, cada una empezando con `- `. Opcional: sin el "
       "archivo, la guía no tiene estos datos.") for name, model in S.DATASETS.items()],
    ("data/adoption.yml", S.Adoption, "El registro de adopción: una entrada por entidad que declaró que "
     "aplicará la guía. Opcional."),
]

EXAMPLES = {"Id": "radio-comunitaria", "Text": "Texto libre", "Url": "https://www.ejemplo.gob.mx/pagina",
            dt.date: "2026-01-31", bool: "true", int: "2024", float: "0.75"}


# examples for the usual text fields (the others show their type's example)
FIELD_EXAMPLES = {"title": "Guía de transparencia", "subtitle": "Cómo publicar información útil",
                  "edition": "Primera edición", "publisher": "Nombre de la institución", "licence": "CC BY 4.0",
                  "chapters": "[introduccion.md, canales.md]", "authors": "[Nombre Apellido]",
                  "institutions": "[Nombre de la institución]", "name": "Radio comunitaria",
                  "contact_email": "unidad@ejemplo.gob.mx", "contact_name": "Unidad responsable",
                  "chapter": "canales.md", "term": "Datos abiertos", "country": "México",
                  "allow": "[contacto@ejemplo.gob.mx]", "document": "Oficio de adopción"}


def _name(annotation) -> str:
    """A short name for one of the schema's annotated types (Id, Text, Url), or ''."""
    for name in ("Id", "Text", "Url"):
        if annotation == getattr(S, name):
            return name
    return ""


def describe(annotation) -> tuple[str, str, list[type]]:
    """(type in Spanish, an example, models nested inside) for a field's annotation."""
    name = _name(annotation)
    if name == "Id":
        return "id (minúsculas sin acentos, dígitos y guiones)", EXAMPLES["Id"], []
    if name == "Text":
        return "texto", EXAMPLES["Text"], []
    if name == "Url":
        return "dirección web (https://…)", EXAMPLES["Url"], []
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        pattern = next((str(getattr(m, "pattern", "")) for m in args[1:] if getattr(m, "pattern", None)), "")
        if "http" in pattern:
            return describe(S.Url)
        if "a-z0-9" in pattern:
            return describe(S.Id)
        if pattern.startswith("^es"):
            return "código de idioma español (es, es-MX, es-ES, es-419…)", "es-MX", []
        return describe(args[0])
    if origin is typing.Literal:
        return "uno de: " + ", ".join(f"`{a}`" for a in args), str(args[0]), []
    if origin in (typing.Union, types.UnionType):
        parts = [describe(a) for a in args if a is not type(None)]
        return " o ".join(p[0] for p in parts), parts[0][1], [m for p in parts for m in p[2]]
    if origin is list:
        inner, example, nested = describe(args[0])
        return f"lista de {inner}", f"[{example}]" if not nested else "(ver abajo)", nested
    if isinstance(annotation, type) and issubclass(annotation, S.Model):
        return f"grupo de claves ({annotation.__name__})", "(ver abajo)", [annotation]
    simple = {str: ("texto", "Texto libre"), dt.date: ("fecha (AAAA-MM-DD)", "2026-01-31"),
              bool: ("true o false", "true"), int: ("número entero", "2024"), float: ("número", "0.75")}
    if annotation in simple:
        return (*simple[annotation], [])
    return str(annotation), "", []


def _table(model: type[S.Model]) -> tuple[list[str], list[type]]:
    lines = ["| campo | ¿obligatorio? | tipo | ejemplo o valor por omisión |", "|---|---|---|---|"]
    nested: list[type] = []
    for field_name, info in model.model_fields.items():
        annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        kind, example, inner = describe(annotation)
        if field_name in FIELD_EXAMPLES and example in (EXAMPLES["Text"], f"[{EXAMPLES['Text']}]"):
            example = FIELD_EXAMPLES[field_name]
        nested += [m for m in inner if m not in nested]
        required = info.is_required()
        if not required and info.default not in (None, [], "") and not isinstance(info.default, S.Model):
            default = info.default
            shown = "true" if default is True else "false" if default is False else default
            example = f"si falta: `{shown}`"
        elif not required:
            example = f"`{example}`" if example and example != "(ver abajo)" else example
        else:
            example = f"`{example}`" if example and example != "(ver abajo)" else example
        lines.append(f"| `{field_name}` | {'sí' if required else 'no'} | {kind} | {example} |")
    return lines, nested


def build_reference() -> str:
    """The whole reference, as Markdown."""
    out = ["# Referencia de archivos y campos", "",
           "Cada archivo que lee guidebuilder, con cada uno de sus campos: si es obligatorio, de qué tipo es "
           "y un ejemplo. Esta página se genera desde los esquemas de guidebuilder "
           "(`guidebuilder reference --write docs/referencia.md`); no la edite a mano.", "",
           "Una guía nueva, que compila sin errores: `guidebuilder new CARPETA`.", ""]
    for title, model, about in FILES:
        out += [f"## `{title}`", "", about, ""]
        queue, done = [model], set()
        while queue:
            current = queue.pop(0)
            if current in done:
                continue
            done.add(current)
            lines, nested = _table(current)
            if current is not model:
                out += [f"### {current.__name__}", "", (current.__doc__ or "").strip() or
                        f"Un grupo de claves dentro de `{title}`.", ""]
            out += [*lines, ""]
            queue += [m for m in nested if m not in done]
    return "\n".join(out).rstrip() + "\n"
