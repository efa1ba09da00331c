"""`guidebuilder package`: the guide packed for official portals and for social media (docs/didactico.md).

After a build (made first, unless --no-build; the no-change path makes that cheap), writes:

    build/publicar/<slug>-<date>.zip        <slug>-<date>/LEEME.html       the webmaster's page (Spanish)
                                            <slug>-<date>/SHA256SUMS       every other file's SHA-256
                                            <slug>-<date>/sitio/           the site, relative links only (it
                                                                           works from any sub-path), with
                                            <slug>-<date>/sitio/descargas/ every download
    build/publicar/<slug>-<date>-redes.zip  the social cards, their alt texts and the suggested posts

<date> is the guide's date (guide.yml `date:`), never the clock, and the zips' entries are sorted with
fixed timestamps: the same build packs into the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from guidebuilder.model.errors import Diagnostic, GuideError
from guidebuilder.model.messages import m

# (build folder, file pattern, what it is): every download, in the order the webmaster's page lists them.
DOWNLOADS = (
    ("pdf", "*-letra-grande.pdf", "Guía en PDF, edición en letra grande"),
    ("pdf", "*.pdf", "Guía en PDF"),
    ("docx", "*.docx", "Guía en Word (DOCX), editable"),
    ("leaflet", "*-letter.pdf", "Folleto tríptico, tamaño carta, para imprimir en casa u oficina"),
    ("leaflet", "*-a4.pdf", "Folleto tríptico, tamaño A4, para imprimir en casa u oficina"),
    ("leaflet", "*.pdf", "Folleto tríptico"),
    ("leaflet/print", "*-imprenta.zip", "Folleto: paquete para la imprenta (PDF/X, especificaciones, maqueta)"),
    ("didactico", "*-cartel-a3.pdf", "Cartel A3 para tableros de avisos"),
    ("didactico", "*-cartel-tabloid.pdf", "Cartel tabloide (11 × 17 in) para tableros de avisos"),
    ("didactico/print", "*-cartel-*-pdfx.pdf", "Cartel: archivo para imprenta (PDF/X, con sangrado)"),
    ("didactico", "*-taller.pptx", "Diapositivas del taller (PowerPoint)"),
    ("didactico", "*-taller.pdf", "Diapositivas del taller (PDF)"),
    ("didactico", "*-carta-adopcion.docx", "Carta modelo de adopción voluntaria (Word, para llenar)"),
    ("didactico", "*-carta-adopcion.pdf", "Carta modelo de adopción voluntaria (PDF, para imprimir y llenar a mano)"),
    ("consulta", "*-consulta-letra-grande.pdf", "Consulta ciudadana: cuestionario en papel, letra grande"),
    ("consulta", "*-consulta-conteo.pdf", "Consulta ciudadana: hoja de conteo"),
    ("consulta", "*-consulta-*.pdf", "Consulta ciudadana: cuestionario en papel"),
    ("consulta", "*.xlsx", "Consulta ciudadana: formulario para KoboToolbox u ODK (XLSForm)"),
    ("consulta", "*.csv", "Consulta ciudadana: plantilla para capturar respuestas o conteos (CSV)"),
    ("consulta", "*", "Consulta ciudadana"),
)
NOT_PUBLIC = ("-revision.docx",)  # the review edition is for reviewers, never for the portal
ROOT_LINK = re.compile(r"""(?:href|src)\s*=\s*["']/(?!/)""", re.I)


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("package", help=t("help.package"))
    common(p)
    p.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.build_folder"))
    p.add_argument("--no-build", action="store_true", help=t("help.package.no_build"))
    p.set_defaults(func=cmd_package)


def cmd_package(args, console) -> int:
    if not args.no_build:
        from guidebuilder.builder.orchestrator import DEFAULT_FORMATS, build

        build(args.guide, args.out, list(DEFAULT_FORMATS), {}, "public", True, True, console.progress)
    config = guide_config(args.guide)
    made = write_packages(config, args.out)
    if not console.quiet:
        for path in made:
            console.out.print(f"  {path} ({path.stat().st_size / 1024 / 1024:.1f} MB)", markup=False)
    return 0


def guide_config(guide_dir: Path):
    from guidebuilder.load.validate import validate
    from guidebuilder.load.yamlio import load_yaml, plain
    from guidebuilder.model.errors import Collector
    from guidebuilder.model.schema import GuideConfig

    errors = Collector(root=guide_dir.resolve())
    path = guide_dir / "guide.yml"
    tree = load_yaml(path, errors, "guide.yml")
    config = validate(GuideConfig, plain(tree), tree, path, errors) if tree is not None else None
    errors.raise_if_errors()
    if config is None:
        raise GuideError(Diagnostic(str(path), 0, 0, *m("pkg.no_config")))
    return config


def downloads(out: Path) -> list[tuple[str, Path, str]]:
    """(file name, path, what it is) of every download in the build, in the page's order."""
    found: dict[str, tuple[str, Path, str]] = {}
    for folder, pattern, what in DOWNLOADS:
        for path in sorted((out / folder).glob(pattern)):
            if path.is_file() and not path.name.endswith(NOT_PUBLIC) and path.name not in found:
                found[path.name] = (path.name, path, what)
    return list(found.values())


def site_files(out: Path) -> dict[str, bytes]:
    """The site's files (relative path -> bytes); a root-relative link would break under a sub-path."""
    site = out / "html"
    if not (site / "index.html").is_file():
        raise GuideError(Diagnostic(str(site), 0, 0, *m("pkg.no_site")))
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    bad = [name for name, data in files.items() if name.endswith(".html")
           and ROOT_LINK.search(data.decode("utf-8", "replace"))]
    if bad:
        raise GuideError(Diagnostic(str(site / bad[0]), 0, 0, *m("pkg.root_links", count=len(bad))))
    return files


def write_packages(config, out: Path) -> list[Path]:
    from guidebuilder.core.files import write_bytes
    from guidebuilder.render.paged.printing import write_zip

    stem = f"{config.slug}-{config.date.isoformat()}"
    stamp = (config.date.year, config.date.month, config.date.day, 0, 0, 0)
    site = {f"sitio/{name}": data for name, data in site_files(out).items()}
    items = downloads(out)
    if not items:
        raise GuideError(Diagnostic(str(out), 0, 0, *m("pkg.no_downloads")))
    for name, path, _ in items:
        site.setdefault(f"sitio/descargas/{name}", path.read_bytes())
    site["LEEME.html"] = webmaster_page(config, items, site).encode()
    site["SHA256SUMS"] = sums(site).encode()
    portal = out / "publicar" / f"{stem}.zip"
    write_bytes(portal, write_zip([(f"{stem}/{k}", v) for k, v in site.items()], stamp))
    social = out / "publicar" / f"{stem}-redes.zip"
    write_bytes(social, write_zip([(f"{stem}-redes/{k}", v) for k, v in social_files(config, out).items()], stamp))
    return [portal, social]


def sums(files: dict[str, bytes]) -> str:
    """SHA256SUMS in the format `sha256sum -c` reads."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
                   if name != "SHA256SUMS")


def social_files(config, out: Path) -> dict[str, bytes]:
    cards = out / "didactico" / "tarjetas"
    if not cards.is_dir():
        raise GuideError(Diagnostic(str(cards), 0, 0, *m("pkg.no_cards")))
    files = {f"tarjetas/{p.name}": p.read_bytes() for p in sorted(cards.glob("*.png"))}
    for name in ("textos-alternativos.json", "publicaciones-sugeridas.txt"):
        if (cards / name).is_file():
            files[name] = (cards / name).read_bytes()
    files["LEEME.txt"] = (
        f"{config.title}: materiales para redes sociales\n\n"
        "tarjetas/                    imágenes: <nombre>-1080.png (cuadradas, 1080 x 1080) y\n"
        "                             <nombre>-1200x630.png (vista previa de enlaces)\n"
        "textos-alternativos.json     el texto alternativo de cada imagen: péguelo en el campo de\n"
        "                             «texto alternativo» o «descripción» de la red social\n"
        "publicaciones-sugeridas.txt  un texto sugerido para cada imagen, tomado de la guía\n\n"
        "Todo sale de la guía: si la guía cambia, vuelva a generar este paquete (guidebuilder package).\n").encode()
    return files


def size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def webmaster_page(config, items: list, site: dict[str, bytes]) -> str:
    from html import escape

    from guidebuilder.core.placeholders import placeholder_url

    rows = "".join(f'<li><a href="sitio/descargas/{escape(name)}">{escape(name)}</a> — {escape(what)} '
                   f"({size(len(site[f'sitio/descargas/{name}']))})</li>\n" for name, _, what in items)
    url = escape(config.url) if config.url and placeholder_url(config.url) is None else ""
    return f"""<!DOCTYPE html>
<html lang="{escape(config.language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cómo publicar la {escape(config.title)} en el portal</title>
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
code {{ background: #eef; padding: 0 .2em; }}</style></head>
<body>
<h1>Cómo publicar la {escape(config.title)} en el portal</h1>
<p>{escape(config.edition)}, {config.date.isoformat()}. {escape(config.publisher)}.</p>
<h2>1. Qué subir y dónde</h2>
<p>Suba la carpeta <code>sitio/</code> completa, tal como está, a una carpeta del servidor web, por ejemplo
<code>/transparencia/guia/</code>. Todos los enlaces del sitio son relativos: funciona en cualquier carpeta y no
necesita base de datos ni programas en el servidor. La página de inicio es <code>sitio/index.html</code>.</p>
<p>Abra <a href="sitio/index.html">el sitio desde este paquete</a> para verlo antes de subirlo.</p>
<h2>2. Qué enlazar desde el portal de transparencia</h2>
<p>Enlace la página de inicio del sitio{f' (dirección prevista: <code>{url}</code>)' if url else ''} y, si el
portal tiene una sección de documentos, estas descargas (están en <code>sitio/descargas/</code>):</p>
<ul>
{rows}</ul>
<h2>3. Cómo comprobar la subida</h2>
<ol>
<li>Antes de subir, compruebe que el paquete está completo: en la carpeta de este archivo, ejecute
<code>sha256sum -c SHA256SUMS</code>; cada línea debe decir «La suma coincide» u «OK».</li>
<li>Después de subir, abra la página de inicio en el portal, entre a dos o tres capítulos, use el buscador y
descargue uno de los archivos de la lista: todo debe abrir sin errores.</li>
<li>Si el portal cambia los nombres de los archivos o los pone en otra carpeta, los enlaces del sitio dejan de
funcionar: mantenga la estructura de <code>sitio/</code> tal como está.</li>
</ol>
</body>
</html>
"""
