"""Every message an editor reads, in one place: an id -> (Spanish message, Spanish fix, English message,
English fix). Messages are in the guide's language (Spanish unless `--lang en`); developers' logs stay in
English. `tests/unit/load/test_messages.py` checks that every id has both languages with the same fields.
"""

from __future__ import annotations

import re
import string

LANGUAGES = ("es", "en")
_state = {"lang": "es"}


def set_language(code: str | None) -> str:
    """Use English for a code starting with 'en', Spanish otherwise (es, es-MX, es-ES…)."""
    _state["lang"] = "en" if str(code or "es").lower().startswith("en") else "es"
    return _state["lang"]


def language() -> str:
    return _state["lang"]


def guide_language(guide_dir) -> str:
    """The `language:` of a guide's guide.yml, read without loading the guide (Spanish when absent)."""
    from pathlib import Path

    try:
        text = (Path(guide_dir) / "guide.yml").read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return "es"
    match = re.search(r"^language:\s*['\"]?([A-Za-z-]+)", text, re.M)
    return match.group(1) if match else "es"


def t(msg_id: str, /, **values) -> str:
    """The message `msg_id` in the current language, its fields filled in."""
    entry = CATALOGUE[msg_id]
    text = entry[0] if _state["lang"] == "es" else entry[2]
    return text.format(**values)


def m(msg_id: str, /, **values) -> tuple[str, str]:
    """(message, fix) of `msg_id` in the current language."""
    entry = CATALOGUE[msg_id]
    msg, fix = (entry[0], entry[1]) if _state["lang"] == "es" else (entry[2], entry[3])
    return msg.format(**values), fix.format(**values)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# id: (es message, es fix, en message, en fix). Fields in braces are filled by the caller.
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    # labels
    "label.error": ("error", "", "error", ""),
    "label.warning": ("aviso", "", "warning", ""),
    "label.fix": ("solución", "", "fix", ""),
    "label.consequence": ("consecuencia", "", "consequence", ""),
    "summary.error": ("guidebuilder: {count} error; no se escribió nada",
                      "", "guidebuilder: {count} error; nothing was written", ""),
    "summary.errors": ("guidebuilder: {count} errores; no se escribió nada",
                       "", "guidebuilder: {count} errors; nothing was written", ""),
    "summary.consequences": (
        "guidebuilder: además, {count} problema(s) que probablemente vienen de los errores de arriba "
        "(enlaces o datos que dependen de lo que no se pudo leer); corrija primero la causa", "",
        "guidebuilder: also {count} problem(s) that probably follow from the errors above (links or data "
        "that depend on what could not be read); fix the cause first", ""),
    "suggest": (" (¿quiso decir '{word}'?)", "", " (did you mean '{word}'?)", ""),
    "interrupted": ("guidebuilder: interrumpido; build/ conserva sus archivos anteriores (cada archivo es la "
                    "versión anterior o la nueva, completa)", "",
                    "guidebuilder: interrupted; build/ keeps its previous outputs (each file is the old or the "
                    "new complete version)", ""),
    # nouns for read_text's `what`
    "what.file": ("el archivo", "", "file", ""),
    "what.chapter": ("el capítulo", "", "chapter", ""),
    "what.guide": ("guide.yml", "", "guide.yml", ""),
    "what.data": ("el archivo de datos {name}", "", "data file {name}", ""),
    "what.panel": ("el panel del folleto", "", "leaflet panel", ""),
    "what.leaflet": ("leaflet.yml", "", "leaflet.yml", ""),
    "what.feedback": ("el archivo de comentarios", "", "feedback file", ""),
    "what.image": ("la imagen", "", "image", ""),
    # system
    "os.error": ("{detail}", "revise el archivo y la carpeta donde está", "{detail}",
                 "check the file and the folder it is in"),
    "os.13": ("{detail}", "revise los permisos: la guía debe poder leerse y build/ escribirse", "{detail}",
              "check the permissions: the guide must be readable and build/ writable"),
    "os.28": ("{detail}", "libere espacio en el disco y compile de nuevo (build/ conserva lo anterior)", "{detail}",
              "free some disk space, then build again (build/ still holds the previous outputs)"),
    "os.30": ("{detail}", "build/ está en un disco de solo lectura: elija otra carpeta con --out", "{detail}",
              "build/ is on a read-only disk: choose another folder with --out"),
    "no.guide": ("{root}: aquí no hay guide.yml; indique con --guide la carpeta de la guía (la que tiene guide.yml)",
                 "", "{root}: no guide.yml here; point --guide at the guide folder (the one with guide.yml)", ""),
    "format.none": ("no se indicó ningún formato; los formatos son: {formats}", "",
                    "no format given — formats are: {formats}", ""),
    "format.unknown": ("formato desconocido '{name}'{hint}; los formatos son: {formats}", "",
                       "unknown format '{name}'{hint} — formats are: {formats}", ""),
    # reading files (load/sources.py)
    "read.absolute": ("la ruta '{ref}' ({what}) debe ser relativa a la carpeta de la guía",
                      "escriba una ruta como 'images/mapa.png', relativa al archivo que la nombra",
                      "{what} path '{ref}' must be relative to the guide folder",
                      "write a path such as 'images/mapa.png', relative to the file that names it"),
    "read.outside": ("la ruta '{ref}' ({what}) sale de la carpeta de la guía",
                     "guarde cada archivo que use la guía dentro de su carpeta (sin '..' ni enlaces hacia fuera)",
                     "{what} path '{ref}' leads outside the guide folder",
                     "keep every file the guide uses inside the guide folder (no '..' or links out of it)"),
    "read.link_out": ("{what} es un enlace a un archivo fuera de la carpeta de la guía",
                      "copie el archivo dentro de la carpeta de la guía en lugar de enlazarlo",
                      "{what} is a link to a file outside the guide folder",
                      "copy the file into the guide folder instead of linking to it"),
    "read.via_link": ("{what} se alcanza por un enlace a una carpeta fuera de la guía",
                      "copie el archivo dentro de la carpeta de la guía en lugar de enlazarlo",
                      "{what} is reached through a link to a folder outside the guide folder",
                      "copy the file into the guide folder instead of linking to it"),
    "read.not_file": ("{what} no es un archivo normal", "indique un archivo, no una carpeta",
                      "{what} is not a regular file", "point to a file, not a folder"),
    "read.missing": ("{what} no existe", "créelo o corrija el nombre", "{what} does not exist",
                     "create it or correct the name"),
    "read.too_big": ("{what} ocupa {size} MB, más que el límite de {limit} MB para un archivo de texto",
                     "divídalo en archivos más pequeños; un capítulo o un archivo de datos es mucho menor",
                     "{what} is {size} MB, over the {limit} MB limit for a text file",
                     "split it into smaller files; a chapter or data file is far smaller than this"),
    "read.too_big_now": ("{what} pasa del límite de {limit} MB para un archivo de texto",
                         "divídalo en archivos más pequeños; un capítulo o un archivo de datos es mucho menor",
                         "{what} is over the {limit} MB limit for a text file",
                         "split it into smaller files; a chapter or data file is far smaller than this"),
    "read.unreadable": ("{what} no se puede leer: {detail}", "revise los permisos del archivo (debe poder leerse)",
                        "{what} cannot be read: {detail}", "check the file's permissions (it must be readable)"),
    "read.utf8": ("el archivo no está en UTF-8 (byte 0x{byte})",
                  "guárdelo como UTF-8 (en casi todos los editores: 'Guardar con codificación' → UTF-8)",
                  "not valid UTF-8 (byte 0x{byte})",
                  "save the file as UTF-8 (in most editors: 'Save with encoding' → UTF-8)"),
    "read.bidi": ("carácter invisible de dirección U+{code} ({name}) en el texto: hace que el texto se vea en otro "
                  "orden del que se lee",
                  "bórrelo (suele venir de copiar texto desde otro programa)",
                  "invisible direction control U+{code} ({name}) in the text: it makes text display in another "
                  "order than it reads",
                  "delete it (it usually comes from copying text out of another program)"),
    "read.control": ("carácter de control invisible U+{code} en el texto",
                     "bórrelo (suele venir de copiar texto desde otro programa)",
                     "invisible control character U+{code} in the text",
                     "delete it (it usually comes from copying text out of another program)"),
    # YAML (load/yamlio.py)
    "yaml.tab": ("tabulador en YAML", "sangre el YAML con espacios, nunca con tabuladores",
                 "tab character in YAML", "indent YAML with spaces, never tabs"),
    "yaml.duplicate_key": ("clave repetida '{key}'",
                           "cada clave puede aparecer una vez en cada entrada; borre o renombre la repetida",
                           "duplicate key '{key}'",
                           "each key may appear once in a mapping; delete or rename the repeated one"),
    "yaml.quote": ("error de sintaxis YAML: una comilla abierta aquí nunca se cierra",
                   "cierre la comilla al final del valor, o quítela",
                   "YAML syntax error: a quote opened here is never closed",
                   "close the quote at the end of the value, or remove it"),
    "yaml.bracket": ("error de sintaxis YAML: una lista abierta aquí con '[' no se cierra",
                     "ciérrela con ']', o ponga todo el valor entre comillas si el '[' es parte del texto",
                     "YAML syntax error: a list opened here with '[' is not closed",
                     "close it with ']', or put the whole value in quotes if the '[' is part of the text"),
    "yaml.brace": ("error de sintaxis YAML: un grupo abierto aquí con '{{' no se cierra",
                   "ciérrelo con '}}', o ponga todo el valor entre comillas si la '{{' es parte del texto",
                   "YAML syntax error: a mapping opened here with '{{' is not closed",
                   "close it with '}}', or put the whole value in quotes if the '{{' is part of the text"),
    "yaml.two_documents": ("error de sintaxis YAML: un segundo documento YAML ('---') en este archivo",
                           "un archivo YAML de la guía tiene una sola lista o un solo grupo de claves: "
                           "quite la línea '---'",
                           "YAML syntax error: a second YAML document ('---') in this file",
                           "a guide YAML file holds one list or mapping: remove the '---' line"),
    "yaml.indent": ("error de sangría YAML: esta línea tiene más espacios al inicio que la clave de arriba, "
                    "y YAML la lee como parte de su valor",
                    "alinee esta clave con las demás claves de la misma entrada (el mismo número de espacios)",
                    "YAML indentation error: this line is indented further than the key above it, so YAML "
                    "reads it as part of that value",
                    "align this key with the other keys of the same entry (the same number of spaces)"),
    "yaml.colon": ("error de sintaxis YAML: un ':' dentro de un valor, donde YAML no lo espera",
                   "ponga todo el valor entre comillas: clave: \"texto: con dos puntos\"",
                   "YAML syntax error: a ':' inside a value, where YAML expects none",
                   "put the whole value in quotes: key: \"text: with a colon\""),
    "yaml.dedent": ("error de sangría YAML: esta línea tiene otra sangría que las líneas de la misma entrada",
                    "sangre cada clave de una entrada con el mismo número de espacios",
                    "YAML indentation error: this line is indented differently from the lines of the same entry",
                    "indent every key of an entry by the same number of spaces"),
    "yaml.syntax": ("error de sintaxis YAML: {detail}",
                    "revise la sangría, los dos puntos y las comillas de esta línea y de la anterior",
                    "YAML syntax error: {detail}",
                    "check indentation, colons and quotes on this line and the one before"),
    "yaml.started_at": (" (en lo que empieza en la línea {line}:{col})", "", " (in what starts at line {line}:{col})", ""),
    "yaml.alias": ("los alias de YAML (*nombre) no se admiten en los archivos de la guía",
                   "escriba el valor completo en lugar de referirse a un ancla (&nombre)",
                   "YAML aliases (*name) are not allowed in guide files",
                   "write the value out in full instead of referring to an anchor (&name)"),
    "yaml.tag": ("las etiquetas YAML ({tag}) no se admiten en los archivos de la guía",
                 "quite la etiqueta; ponga el valor entre comillas si es texto",
                 "YAML tags ({tag}) are not allowed in guide files",
                 "remove the tag; put the value in quotes if it is text"),
    "yaml.deep": ("YAML anidado a más de {depth} niveles", "aplane la estructura; la guía necesita pocos niveles",
                  "YAML nested more than {depth} levels deep",
                  "flatten the structure; guide files need only a few levels"),
    "yaml.unreadable": ("el YAML no se puede leer: {detail}", "revise la sintaxis del archivo",
                        "YAML cannot be read: {detail}", "check the file's syntax"),
    "yaml.bad_date": ("'{value}' no es una fecha real",
                      "escriba la fecha como AAAA-MM-DD (p. ej. 2026-11-22), o ponga el valor entre comillas "
                      "si es texto",
                      "'{value}' is not a real date",
                      "write a date as YYYY-MM-DD (e.g. 2026-11-22), or put the value in quotes if it is text"),
    # schema (load/validate.py): pydantic's errors by type
    "kind.string_type": ("texto", "", "text", ""),
    "kind.int_type": ("un número entero", "", "a whole number", ""),
    "kind.float_type": ("un número", "", "a number", ""),
    "kind.bool_type": ("true o false", "", "true or false", ""),
    "kind.date_type": ("una fecha (AAAA-MM-DD)", "", "a date (YYYY-MM-DD)", ""),
    "kind.list_type": ("una lista", "", "a list", ""),
    "kind.model_type": ("un grupo de claves", "", "a mapping of keys", ""),
    "kind.dict_type": ("un grupo de claves", "", "a mapping of keys", ""),
    "kind.int_from_float": ("un número entero", "", "a whole number", ""),
    "kind.date_from_datetime_inexact": ("una fecha", "", "a date", ""),
    "value.bool": ("'{value}' (true/false)", "", "'{value}' (true/false)", ""),
    "value.number": ("el número {value}", "", "the number {value}", ""),
    "value.text": ("el texto '{value}'", "", "the text '{value}'", ""),
    "value.list": ("una lista", "", "a list", ""),
    "value.mapping": ("un grupo de claves", "", "a mapping", ""),
    "value.nothing": ("nada", "", "nothing", ""),
    "schema.unknown_key": ("clave desconocida '{key}'{hint}", "claves permitidas aquí: {allowed}",
                           "unknown key '{key}'{hint}", "allowed keys here: {allowed}"),
    "schema.unknown_key_bare": ("clave desconocida '{key}'", "quítela", "unknown key '{key}'", "remove it"),
    "schema.missing": ("falta la clave obligatoria '{key}'", "añada '{key}: …' a esta entrada",
                       "missing required key '{key}'", "add '{key}: …' to this entry"),
    "schema.choice": ("'{value}' no se admite aquí{hint}", "use uno de: {options}",
                      "'{value}' is not allowed here{hint}", "use one of: {options}"),
    "schema.url": ("'{value}' no es una dirección web", "escriba la dirección completa, empezando por https://",
                   "'{value}' is not a web address", "write the full address, starting with https://"),
    "schema.id": ("'{value}' no es un id válido",
                  "los ids usan minúsculas sin acentos, dígitos y guiones, p. ej. 'radio-comunitaria'",
                  "'{value}' is not a valid id",
                  "ids use lowercase letters without accents, digits and hyphens, e.g. 'radio-comunitaria'"),
    "schema.language": ("'{value}' no es un idioma que guidebuilder sepa escribir",
                        "use un código de español: es, es-MX, es-ES, es-419…",
                        "'{value}' is not a language guidebuilder can write",
                        "use a Spanish language code: es, es-MX, es-ES, es-419…"),
    "schema.pattern": ("'{value}' no tiene la forma esperada", "revise el valor (vea docs/referencia.md)",
                       "'{value}' does not have the expected form", "check the value (see docs/referencia.md)"),
    "schema.empty": ("este valor está vacío", "escriba al menos un elemento o algo de texto",
                     "this value is empty", "give it at least one item or some text"),
    "schema.too_long": ("este valor es demasiado largo", "acórtelo", "this value is too long", "shorten it"),
    "schema.nothing": ("se esperaba {kind} y no hay nada",
                       "escriba el valor después de los dos puntos, o borre la línea si la clave es opcional",
                       "expected {kind}, found nothing",
                       "write the value after the colon, or delete the line if the key is optional"),
    "schema.wrong_text": ("se esperaba {kind} y hay {found}", "ponga el valor entre comillas para que sea texto",
                          "expected {kind}, found {found}", "put the value in quotes to make it text"),
    "schema.wrong": ("se esperaba {kind} y hay {found}", "escriba {kind}",
                     "expected {kind}, found {found}", "write {kind}"),
    "schema.date": ("'{value}' no es una fecha válida", "escriba la fecha como AAAA-MM-DD (p. ej. 2026-11-22)",
                    "'{value}' is not a valid date", "write a date as YYYY-MM-DD (e.g. 2026-11-22)"),
    "schema.number_range": ("{value} está fuera del intervalo permitido ({limit})", "corrija el número",
                            "{value} is outside the allowed range ({limit})", "correct the number"),
    "schema.rule": ("{detail}", "corrija el valor (vea docs/referencia.md)", "{detail}",
                    "correct the value (see docs/referencia.md)"),
    "schema.other": ("valor no válido ({kind})", "corrija el valor (vea docs/referencia.md)",
                     "invalid value ({kind})", "correct the value (see docs/referencia.md)"),
    # guide.yml, data, chapters (load/loader.py)
    "guide.empty": ("guide.yml está vacío", "vea un ejemplo en docs/referencia.md o cree una guía con "
                    "'guidebuilder new CARPETA'", "guide.yml is empty",
                    "see docs/referencia.md for an example, or make one with 'guidebuilder new FOLDER'"),
    "guide.not_mapping": ("guide.yml debe ser un grupo de claves (title:, chapters:, …)",
                          "vea un ejemplo en docs/referencia.md",
                          "guide.yml must be a mapping of keys (title:, chapters:, …)",
                          "see docs/referencia.md for an example"),
    "guide.chapter_twice": ("el capítulo '{name}' aparece dos veces", "liste cada capítulo una sola vez",
                            "chapter '{name}' is listed twice", "list each chapter once"),
    "data.unknown_file": ("archivo de datos desconocido '{name}'{hint}", "los archivos de datos son: {known}",
                          "unknown data file '{name}'{hint}", "data files are: {known}"),
    "data.not_list": ("{name}.yml debe ser una lista de entradas, cada una empezando con '- '",
                      "vea un ejemplo en docs/referencia.md",
                      "{name}.yml must be a list of entries, each starting with '- '",
                      "see docs/referencia.md for an example"),
    "data.duplicate_id": ("id repetido '{key}' (ya está en la línea {line})", "dé a cada entrada su propio id",
                          "duplicate id '{key}' (first at line {line})", "give every entry its own id"),
    "data.unknown_ref": ("{field} '{ref}' no está definido en guide/data/{dataset}.yml{hint}",
                         "use un id de {dataset}.yml o añada '{ref}' allí",
                         "{field} '{ref}' is not defined in guide/data/{dataset}.yml{hint}",
                         "use an id from {dataset}.yml or add '{ref}' there"),
    "data.no_source": ("la práctica '{id}' está marcada '{verification}' pero no tiene una fuente con url",
                       "añada una fuente con su url, o márquela 'no-verificada' (queda fuera de la edición pública)",
                       "practice '{id}' is marked '{verification}' but has no source with a url",
                       "add a source with its url, or mark it 'no-verificada' (kept out of the public edition)"),
    "front.unclosed": ("el bloque inicial abierto con '---' en la línea 1 nunca se cierra",
                       "ciérrelo con una línea '---' después de su última clave",
                       "the front matter opened by '---' on line 1 is never closed",
                       "close it with a line '---' after its last key"),
    "front.not_mapping": ("el bloque inicial debe tener claves y valores (title: …)", "vea docs/referencia.md",
                          "front matter must be keys and values (title: …)", "see docs/referencia.md"),
    "chapter.link_out": ("el capítulo '{name}' es un enlace a un archivo fuera de la carpeta de la guía",
                         "copie el archivo en guide/chapters/ en lugar de enlazarlo",
                         "chapter '{name}' is a link to a file outside the guide folder",
                         "copy the file into guide/chapters/ instead of linking to it"),
    "chapter.outside": ("el capítulo '{name}' sale de la carpeta de la guía",
                        "liste los capítulos por su nombre dentro de guide/chapters/",
                        "chapter '{name}' leads outside the guide folder",
                        "list chapter files by their name inside guide/chapters/"),
    "chapter.folder": ("el capítulo '{name}' es una carpeta, no un archivo", "liste el archivo .md, no una carpeta",
                       "chapter '{name}' is a folder, not a file", "list the chapter's .md file, not a folder"),
    "chapter.missing": ("el archivo de capítulo '{name}' no existe en guide/chapters/{hint}",
                        "corrija el nombre o cree el archivo",
                        "chapter file '{name}' does not exist in guide/chapters/{hint}",
                        "correct the name, or create the file"),
    "chapter.id_taken": ("el id de capítulo '{id}' ya lo usa {other}",
                         "dé a uno de los dos otro 'id:' en su bloque inicial",
                         "chapter id '{id}' is already used by {other}",
                         "give one of them another 'id:' in its front matter"),
    "chapter.unlisted": ("el capítulo no está en guide.yml y no se publica",
                         "añádalo a 'chapters:' en guide.yml, o bórrelo",
                         "chapter file is not listed in guide.yml and is not built",
                         "add it to 'chapters:' in guide.yml, or delete it"),
    "chapter.empty": ("el capítulo está vacío", "escriba su texto, o quítelo de guide.yml",
                      "chapter is empty", "write its text, or remove it from guide.yml"),
    "chapter.no_title": ("el capítulo no tiene título",
                         "empiécelo con un encabezado de nivel 1 ('# Título') o ponga 'title:' en su bloque inicial",
                         "chapter has no title",
                         "start it with a level-1 heading ('# Título') or give 'title:' in its front matter"),
    "chapter.two_titles": ("el capítulo tiene 'title: {front}' en su bloque inicial y empieza con el encabezado "
                           "'# {heading}': se usa el del bloque inicial",
                           "deje solo uno de los dos títulos",
                           "the chapter has 'title: {front}' in its front matter and starts with the heading "
                           "'# {heading}': the front matter's is used",
                           "keep only one of the two titles"),
    "chapter.text_before_title": ("hay texto antes del título del capítulo (el primer '# …')",
                                  "mueva este texto debajo del título, o quítelo",
                                  "there is text before the chapter's title (its first '# …')",
                                  "move this text below the title, or remove it"),
    "chapter.skipped_level": ("el encabezado '{title}' es de nivel {level} tras uno de nivel {before}: se salta "
                              "un nivel", "use '{marks} …' (nivel {want}), o añada el nivel que falta",
                              "the heading '{title}' is level {level} after a level {before}: a level is skipped",
                              "use '{marks} …' (level {want}), or add the missing level"),
    "chapter.title_block": ("un bloque de título con '%' no se admite en un capítulo",
                            "ponga el título como '# Título' (o 'title:' en el bloque inicial) y quite las líneas "
                            "que empiezan con '%'",
                            "a '%' title block is not supported in a chapter",
                            "write the title as '# Title' (or 'title:' in the front matter) and remove the lines "
                            "starting with '%'"),
    "chapter.heading_caption": ("el encabezado '{title}' va seguido de una línea ': …', y se leería como "
                                "término de una definición", "deje una línea en blanco entre el encabezado y "
                                "la leyenda, o quite los dos puntos del inicio",
                                "the heading '{title}' is followed by a ': …' line, and would be read as a "
                                "definition term", "leave a blank line between the heading and the caption, "
                                "or remove the leading colon"),
    "chapter.table_cells": ("la fila {row} de la tabla tiene {found} celdas y el encabezado {want}",
                            "dé a cada fila tantas celdas como columnas tiene el encabezado (una celda vacía es "
                            "'| |')", "row {row} of the table has {found} cells and its header {want}",
                            "give every row as many cells as the header has columns (an empty cell is '| |')"),
    "chapter.raw_html": ("HTML en el texto ('{html}'): no se publica",
                         "escriba el texto en Markdown; el HTML solo se admite con 'raw_html: true' en el bloque "
                         "inicial", "raw HTML in the text ('{html}'): it is not published",
                         "write it in Markdown; raw HTML is only accepted with 'raw_html: true' in the front matter"),
    "chapter.script": ("'{html}' en el texto: los scripts nunca se admiten", "quítelo",
                       "'{html}' in the text: scripts are never allowed", "remove it"),
    # leaflet
    "leaflet.title": ("leaflet.yml necesita 'title: …'", "escriba el título del folleto",
                      "leaflet.yml needs 'title: …'", "give the leaflet's title"),
    "leaflet.panel_missing": ("falta el panel '{role}.md' en {folder}/", "un folleto tiene seis paneles: {roles}",
                              "leaflet panel '{role}.md' is missing from {folder}/",
                              "a leaflet has six panels: {roles}"),
    "leaflet.directive": ("el folleto no puede mostrar '{name}'", "un panel del folleto puede usar: contact, qr, "
                          "channels", "the leaflet cannot show '{name}'",
                          "a leaflet panel can use: contact, qr, channels"),
    # blocks (load/directives.py)
    "block.unclosed": ("este bloque nunca se cierra", "añada una línea ':::' donde termina el bloque",
                       "this block is never closed", "add a line with ':::' where the block ends"),
    "block.too_deep": ("texto anidado a más de {depth} niveles (citas, listas o recuadros uno dentro de otro)",
                       "aplánelo: una guía necesita pocos niveles",
                       "text nested more than {depth} levels deep (quotes, lists or boxes inside each other)",
                       "flatten it: a guide needs only a few levels"),
    "block.stray_close": ("':::' cierra un bloque que nunca se abrió",
                          "quite esta línea, o abra el bloque con '::: {{.nota}}' más arriba",
                          "':::' closes a block that was never opened",
                          "remove this line, or open the block with '::: {{.nota}}' above"),
    "block.broken": ("bloque mal escrito: {detail}", "vea docs/content-model.md, 'Bloques de datos'",
                     "broken directive: {detail}", "see docs/content-model.md, 'Data blocks in chapters'"),
    "block.braces": ("los atributos van entre llaves, p. ej. {{.practices step=\"identificar\"}}", "",
                     "attributes must be written in braces, e.g. {{.practices step=\"identificar\"}}", ""),
    "block.attrs": ("no se pueden leer los atributos desde '{text}'; escriba pares clave=\"valor\"", "",
                    "cannot read the attributes from '{text}'; write key=\"value\" pairs", ""),
    "block.attr_twice": ("el atributo '{key}' aparece dos veces", "", "attribute '{key}' is given twice", ""),
    "block.unknown": ("recuadro desconocido '{name}'{hint}: se muestra como un recuadro simple",
                      "bloques de datos: {directives}; recuadros: {boxes}",
                      "unknown box '{name}'{hint}: shown as a plain box",
                      "data blocks: {directives}; boxes: {boxes}"),
    "block.misspelt": ("bloque desconocido '{name}'{hint}", "bloques de datos: {directives}; recuadros: {boxes}",
                       "unknown block '{name}'{hint}", "data blocks: {directives}; boxes: {boxes}"),
    "block.unknown_attr": ("el bloque '{name}' no tiene el atributo '{key}'{hint}", "sus atributos son: {allowed}",
                           "directive '{name}' has no attribute '{key}'{hint}", "its attributes are: {allowed}"),
    "block.not_closed_next": ("el bloque '{name}' debe cerrarse con ':::' en la línea siguiente",
                              "un bloque de datos no tiene contenido: escriba su ':::' justo después",
                              "directive '{name}' must be closed by ':::' on the next line",
                              "a data block has no content: write its ':::' line right after it"),
    "none": ("ninguno", "", "none", ""),
    # data blocks expanded (transforms/directives.py)
    "expand.layout": ("la disposición '{layout}' no existe", "use layout=\"cards\" o \"table\"",
                      "layout '{layout}' is not known", "use layout=\"cards\" or \"table\""),
    "expand.leaflet_only": ("el bloque '{name}' no se puede usar en un capítulo", "va en el folleto (guide/leaflet/)",
                            "directive '{name}' cannot be used in a chapter", "it belongs in the leaflet (guide/leaflet/)"),
    "expand.unknown_id": ("{attr} '{value}' del bloque '{name}' no existe{hint}",
                          "use un id de guide/data/ ({known}…)",
                          "{attr} '{value}' in directive '{name}' does not exist{hint}",
                          "use an id from guide/data/ ({known}…)"),
    "expand.kind": ("el tipo '{kind}' no existe", "use kind=\"digital\" o \"non-digital\"",
                    "kind '{kind}' is not known", "use kind=\"digital\" or \"non-digital\""),
    "expand.no_indicator": ("el bloque '{name}' no selecciona ningún indicador",
                            "revise su group= o ids= contra guide/data/indicators.yml",
                            "directive '{name}' selects no indicator",
                            "check its group= or ids= against guide/data/indicators.yml"),
    "expand.step_chapter": ("el paso '{id}' nombra el capítulo '{chapter}', que no está en guide.yml",
                            "corrija 'chapter:' en guide/data/steps.yml",
                            "step '{id}' names chapter '{chapter}', which is not in guide.yml",
                            "correct 'chapter:' in guide/data/steps.yml"),
    # checks (checks/gate.py, checks/inputs.py)
    "gate.page_name": ("el id de capítulo '{id}' es también el nombre de una página o carpeta del sitio",
                       "dé al capítulo otro id en su bloque inicial (id: …)",
                       "the chapter id '{id}' is also the name of a page or folder of the HTML site",
                       "give the chapter another id in its front matter (id: …)"),
    "gate.logo": ("el logotipo {problem}", "cámbielo por una imagen PNG, JPEG o SVG, o quítelo de la carpeta de "
                  "logotipos", "logo {problem}",
                  "replace it with a PNG, JPEG or SVG image, or remove it from the logos folder"),
    "gate.image_folder": ("la imagen '{src}' no está en guide/images/: el sitio web no la publica",
                          "mueva la imagen a guide/images/ y cambie su ruta en el capítulo",
                          "image '{src}' is not in guide/images/: the website does not publish it",
                          "move the image to guide/images/ and change its path in the chapter"),
    "gate.unknown_entity": ("entidad desconocida '{id}'{hint}",
                            "use un id de data/entities.yml, una lista separada por comas, o 'all'",
                            "unknown entity '{id}'{hint}",
                            "use an id from data/entities.yml, a comma-separated list, or 'all'"),
    "gate.no_contact": ("la entidad '{id}' ({name}) no tiene datos de contacto, así que no puede tener edición del "
                        "folleto", "añada los datos de contacto que da la propia entidad (address, hours, phone, "
                        "bulletin_board), o déjela fuera de la lista",
                        "entity '{id}' ({name}) has no contact data, so it can have no leaflet edition",
                        "add the contact data the entity itself provides (address, hours, phone, bulletin_board), "
                        "or leave it out of the list"),
    "gate.personal": ("datos personales en el texto público: {kind} '{value}' se publicaría",
                      "quítelo; si es el contacto público de una institución, añádalo a 'privacy: allow:' en "
                      "guide.yml (vea docs/content-model.md, 'Datos personales')",
                      "personal data in the public text: {kind} '{value}' would be published",
                      "remove it; if it is an institution's public contact, add it to 'privacy: allow:' in "
                      "guide.yml (see docs/content-model.md, 'Personal data')"),
    "personal.email": ("la dirección de correo", "", "e-mail address", ""),
    "personal.phone": ("el teléfono", "", "telephone number", ""),
    "personal.curp": ("la CURP", "", "CURP", ""),
    "personal.rfc": ("el RFC", "", "RFC", ""),
    "gate.no_source_file": ("(sin archivo de origen: lo hacen las plantillas o los datos)", "",
                            "(no source file: made by the templates or the data)", ""),
    # links and images (transforms/links.py)
    "link.scheme": ("el enlace '{url}' usa '{scheme}:', que no se admite",
                    "los enlaces pueden ser https://, mailto:, tel:, o apuntar a un capítulo o #ancla de la guía",
                    "link '{url}' uses '{scheme}:', which is not allowed",
                    "links may be https://, mailto:, tel:, or point to a chapter or #anchor of this guide"),
    "link.chapter": ("enlace a '{path}', que no es un capítulo de esta guía{hint}",
                     "enlace a un archivo de capítulo de guide.yml",
                     "link to '{path}', which is not a chapter of this guide{hint}",
                     "link to a chapter file listed in guide.yml"),
    "link.anchor": ("enlace a '#{fragment}', un ancla que no existe{hint}",
                    "enlace al id de un encabezado ('guidebuilder anchors' los lista todos), o dé al encabezado "
                    "{{#id}}", "link to '#{fragment}', an anchor that does not exist{hint}",
                    "link to a heading's id ('guidebuilder anchors' lists them all), or give the heading {{#id}}"),
    "image.chart_alt": ("el gráfico '{src}' no tiene texto alternativo", "dé al gráfico un alt=",
                        "chart '{src}' has no alt text", "give the chart an alt="),
    "image.alt": ("la imagen '{src}' no tiene texto alternativo",
                  "describa la imagen entre los corchetes: ![Mapa de los 51 municipios](imagenes/mapa.png)",
                  "image '{src}' has no alt text",
                  "describe the image in the brackets: ![Mapa de los 51 municipios](imagenes/mapa.png)"),
    "image.remote": ("la imagen '{src}' no es un archivo de la guía",
                     "descargue la imagen en guide/images/ y apunte a ella allí, para que cada edición funcione "
                     "sin conexión", "image '{src}' is not a file of the guide",
                     "download the image into guide/images/ and point to it there, so every edition works offline"),
    "image.outside": ("la ruta de imagen '{src}' sale de la carpeta de la guía",
                      "guarde las imágenes dentro de la carpeta de la guía, p. ej. guide/images/",
                      "image path '{src}' leads outside the guide folder",
                      "keep images inside the guide folder, e.g. guide/images/"),
    "image.problem": ("la imagen '{src}' {problem}", "revise el nombre del archivo, y que sea una imagen PNG, JPEG "
                      "o SVG", "image '{src}' {problem}",
                      "check the file name, and that the file is a PNG, JPEG or SVG image"),
    "image.too_big": ("la imagen '{src}' {problem}", "reduzca la imagen (2000 píxeles de ancho bastan) y guárdela "
                      "de nuevo", "image '{src}' {problem}",
                      "scale the image down (2000 pixels wide is plenty) and save it again"),
    "image.missing": ("no existe", "", "does not exist", ""),
    "image.type": ("tiene la extensión '{ext}', que no es de imagen", "",
                   "has the extension '{ext}', which is not an image type", ""),
    "image.large": ("pesa más de 20 MB", "", "is larger than 20 MB", ""),
    "image.unreadable": ("no es una imagen legible", "", "is not a readable image", ""),
    "image.pixels": ("mide {width}×{height} píxeles, más que el límite de {limit} megapíxeles (una página necesita "
                     "muchos menos)", "", "is {width}×{height} pixels, over the limit of {limit} megapixels (a page "
                     "needs far fewer)", ""),
    "svg.unreadable": ("no es una imagen SVG legible", "", "is not a readable SVG image", ""),
    "svg.not_svg": ("no es una imagen SVG", "", "is not an SVG image", ""),
    "svg.dtd": ("declara un DOCTYPE o entidades, que no se admiten en una imagen", "",
                "declares a DOCTYPE or entities, which are not allowed in an image", ""),
    "svg.element": ("contiene un elemento <{tag}>, que no se admite en una imagen", "",
                    "contains a <{tag}> element, which is not allowed in an image", ""),
    "svg.handler": ("tiene un manejador de eventos ({name}), que no se admite en una imagen", "",
                    "has an event handler ({name}), which is not allowed in an image", ""),
    "svg.href": ("enlaza a contenido de fuera, que no se admite en una imagen", "",
                 "links to outside content, which is not allowed in an image", ""),
    # check command
    "check.ok": ("{root}: correcta — {chapters} capítulos, {practices} prácticas, {channels} canales, "
                 "{indicators} indicadores, {entities} entidades", "",
                 "{root}: OK — {chapters} chapters, {practices} practices, {channels} channels, "
                 "{indicators} indicators, {entities} entities", ""),
    "check.release_ok": ("; lista para publicar", "", "; ready to publish", ""),
}
