"""`guidebuilder new DIR`: a minimal guide that builds with no error and explains itself.

It holds guide.yml (every required key, each explained in a comment), one chapter that says how to
write the others, and an empty data folder; every phrase is the new guide's own, to be rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

GUIDE_YML = """\
# guide.yml: los datos de la guía. Cada clave se explica en docs/referencia.md.
# Las claves sin '#' son obligatorias; las comentadas son opcionales (quite el '#' para usarlas).

# el título, en la portada y en cada página
title: {title}
# el nombre de los archivos (build/pdf/{slug}.pdf): minúsculas sin acentos, dígitos y guiones
slug: {slug}
# la edición: «Primera edición», «Versión 1.1»…
edition: Borrador
# la fecha de esta edición (AAAA-MM-DD)
date: {date}
# quién publica la guía
publisher: Nombre de la institución que publica
# la licencia de uso
licence: CC BY 4.0

# opcionales:
# language: es-MX      # el idioma (es-MX, es-ES, es…); los mensajes de guidebuilder lo siguen
# url: https://…       # la dirección del sitio publicado (el folleto la lleva en su código QR)
# subtitle: …
# authors: [Nombre Apellido]

# los capítulos, en orden: archivos de la carpeta chapters/
chapters:
  - introduccion.md
"""

CHAPTER = """\
# {title}

Este es el primer capítulo de la guía. Cambie este texto por el suyo.

## Cómo se escribe un capítulo

Cada capítulo es un archivo de texto en la carpeta `chapters/`, escrito en Markdown:

- un `#` al inicio de la línea hace el título del capítulo; `##` y `###`, sus secciones;
- una línea en blanco separa los párrafos;
- `**negrita**` y `*cursiva*` marcan el texto;
- un enlace a otra sección se escribe `[texto](#id-de-la-seccion)`: la orden
  `guidebuilder anchors` lista todos los destinos posibles.

Para añadir un capítulo, cree el archivo en `chapters/` y escriba su nombre en la lista
`chapters:` de `guide.yml`.

::: {{.nota}}
Un recuadro como este se escribe entre dos líneas `:::`. Los recuadros disponibles son
`nota`, `importante`, `ejemplo`, `resumen` y `ficha`.
:::

## Cómo se ve el resultado

- `guidebuilder serve --guide {folder}` abre la vista previa en http://127.0.0.1:8000/ y la
  actualiza cada vez que guarda un archivo;
- `guidebuilder check --guide {folder}` revisa la guía en unos segundos, sin escribir nada;
- `guidebuilder build --guide {folder}` hace el sitio, el PDF y el DOCX en `build/` (el folleto, cuando
  la guía tenga la carpeta `leaflet/`).

Si algo está mal, el mensaje dice el archivo, la línea, qué pasa y cómo corregirlo.

## Los datos

Las prácticas, los canales, los pasos, el glosario y las referencias van en archivos YAML en la
carpeta `data/` (uno por tipo: `channels.yml`, `practices.yml`, `glossary.yml`…). Cada archivo
y cada campo se describen en `docs/referencia.md`.
"""

README = """\
# {title}

Esta carpeta es una guía de guidebuilder.

- `guide.yml`: el título, quién la publica, la lista de capítulos.
- `chapters/`: los capítulos, en Markdown.
- `data/`: los datos (canales, prácticas, glosario…), en YAML; vacía al empezar.
- `images/`: las imágenes que usan los capítulos.

Vea el resultado con `guidebuilder serve --guide {folder}` (http://127.0.0.1:8000/).
"""


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("new", help=t("help.new"))
    p.add_argument("folder", type=Path, metavar=t("meta.folder"), help=t("help.new.folder"))
    p.add_argument("--title", default="Mi guía", metavar=t("meta.title"), help=t("help.new.title"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("help.quiet"))
    p.add_argument("--lang", choices=["es", "en"], default=None, help=t("help.new.lang"))
    p.set_defaults(func=cmd_new)


def slug_of(title: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or "guia"


def make_guide(folder: Path, title: str, today: dt.date | None = None) -> list[Path]:
    """Write the new guide's files; return them."""
    from guidebuilder.model.errors import GuideError

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GuideError.of(folder, "new.exists")
    values = {"title": _yaml_text(title), "slug": slug_of(title), "date": (today or dt.date.today()).isoformat(),
              "folder": str(folder)}
    files = {
        "guide.yml": GUIDE_YML.format(**values),
        "chapters/introduccion.md": CHAPTER.format(**{**values, "title": "Introducción"}),
        "README.md": README.format(**{**values, "title": title}),
        "data/.gitkeep": "",
        "images/.gitkeep": "",
    }
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _yaml_text(text: str) -> str:
    """A title as a YAML value: quoted when YAML would read it otherwise."""
    import json

    plain = re.fullmatch(r"[A-Za-zÀ-ÿ0-9][\wÀ-ÿ .,¿?¡!()-]*", text) and ": " not in text
    return text if plain else json.dumps(text, ensure_ascii=False)


def cmd_new(args, console) -> int:
    files = make_guide(args.folder, args.title)
    if not console.quiet:
        print(f"guidebuilder new: guía creada en {args.folder}/ ({len(files)} archivos)\n"
              f"  vista previa:  guidebuilder serve --guide {args.folder}   (http://127.0.0.1:8000/)\n"
              f"  compilar:      guidebuilder build --guide {args.folder}\n"
              f"  empiece por {args.folder}/chapters/introduccion.md; cada archivo y campo: docs/referencia.md",
              file=sys.stderr)
    return 0
