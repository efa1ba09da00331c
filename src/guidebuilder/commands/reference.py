"""`guidebuilder reference`: writes the reference of every file and field (model/reference.py)."""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("reference", help=t("help.reference"))
    p.add_argument("--write", type=Path, metavar=t("meta.write"), help=t("help.reference.write"))
    p.set_defaults(func=cmd_reference)


def cmd_reference(args, console) -> int:
    from guidebuilder.model.reference import build_reference

    text = build_reference()
    if args.write:
        from guidebuilder.core.files import write_text as write

        write(args.write, text)
    else:
        sys.stdout.write(text)
    return 0
