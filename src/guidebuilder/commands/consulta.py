"""`guidebuilder consulta import FILE.csv [--channel papel|telefono|web|asamblea]`: answers from the field
(a KoboToolbox or ODK export, the data-entry template, the tally totals) into guide/data/consultation/.

Everything is checked before anything is written: one problem anywhere and nothing is imported.
Personal columns are dropped as the file is read. A row already imported is not added again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from guidebuilder.model.errors import Collector, GuideError


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("consulta", help=t("help.consulta"))
    sub = p.add_subparsers(dest="consulta_command", required=True, metavar=t("meta.action"))
    i = sub.add_parser("import", help=t("help.consulta.import"))
    common(i)
    i.add_argument("file", type=Path, metavar=t("meta.csv"), help=t("help.consulta.file"))
    i.add_argument("--channel", metavar=t("meta.channel"), help=t("help.consulta.channel"))
    i.set_defaults(func=cmd_import)


def import_file(guide_dir: Path, file: Path, channel: str | None = None) -> list:
    """Import one file; return the Merged result. Raises GuideError (nothing written) on any problem."""
    from guidebuilder.core.files import write_text
    from guidebuilder.load.consultation import load_consultation
    from guidebuilder.load.consultation_import import merge, read_import
    from guidebuilder.participation.consultation import FOLDER

    root = Path(guide_dir)
    errors = Collector(root=root.resolve())
    consultation = load_consultation(root, errors)  # the questionnaire, and the answers already stored, checked
    if consultation is None or consultation.schema is None:
        errors.add(root / "data" / FOLDER / "schema.yml", 0, 0, "la guía no tiene cuestionario de consulta",
                   "cree guide/data/consultation/schema.yml (docs/content-model.md)")
    errors.raise_if_errors()
    spec = consultation.schema
    _check_channel(spec, channel)
    reading = Collector()
    imported = read_import(Path(file), spec, channel, reading)
    reading.raise_if_errors()
    merged = merge(root / "data" / FOLDER, spec, imported, Path(file), reading)
    reading.raise_if_errors()
    if merged.text is not None:
        _check_merged(root, merged)
        write_text(merged.path, merged.text)
    return [merged, imported, spec]


def _check_channel(spec, channel: str | None) -> None:
    channels = next((c.values or {} for c in spec.columns if c.role == "answer_channel"), {})
    if channel is not None and channel not in channels:
        raise GuideError.of(f"--channel {channel}", "cons.channel", options=", ".join(channels))


def _check_merged(root: Path, merged) -> None:
    """Load the consultation as it will be once written (a copy of its folder): a file the build would
    refuse is never written."""
    import shutil
    import tempfile

    from guidebuilder.load.consultation import load_consultation

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "guide"
        shutil.copytree(merged.path.parent, copy / "data" / merged.path.parent.name)
        (copy / "data" / merged.path.parent.name / merged.path.name).write_text(merged.text, encoding="utf-8")
        errors = Collector(root=copy)
        load_consultation(copy, errors)
        if errors.errors:
            raise GuideError([*errors.errors])


def cmd_import(args, console) -> int:
    merged, imported, spec = import_file(args.guide, args.file, args.channel)
    if console.quiet:
        return 0
    what, new = ("totales de conteo", "nuevos") if imported.kind == "tallies" else ("respuestas", "nuevas")
    target = merged.path
    lines = [f"{args.file}: {merged.added} {what} {new} en {target}" if merged.added
             else f"{args.file}: nada nuevo; {merged.already} {what} ya estaban en {target}"]
    if merged.added and merged.already:
        lines.append(f"  {merged.already} ya estaban en el archivo y no se agregaron otra vez")
    personal = [c.name for c in spec.columns if c.personal]
    if personal and imported.kind == "answers":
        lines.append(f"  columnas personales descartadas (nunca se guardan): {', '.join(personal)}")
    if imported.ignored:
        lines.append(f"  columnas de la exportación que no son preguntas (no se guardan): {', '.join(imported.ignored)}")
    print("\n".join(lines), file=sys.stderr)
    return 0
