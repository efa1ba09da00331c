"""`guidebuilder preflight FILE.pdf…`: the checks a print shop makes, before it makes them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guidebuilder.model.errors import GuideError


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("preflight", help=t("help.preflight"), description=t("help.preflight.description"))
    p.add_argument("files", nargs="+", type=Path, metavar=t("meta.pdf"))
    p.add_argument("--min-dpi", type=float, default=300, metavar=t("meta.min_dpi"), help=t("help.preflight.min_dpi"))
    p.add_argument("--min-bleed", type=float, default=3.0, metavar=t("meta.min_bleed"), help=t("help.preflight.min_bleed"))
    colour = p.add_mutually_exclusive_group()
    colour.add_argument("--cmyk", dest="cmyk", action="store_true", default=None, help=t("help.preflight.cmyk"))
    colour.add_argument("--any-colour", dest="cmyk", action="store_false", help=t("help.preflight.any_colour"))
    p.add_argument("--json", action="store_true", help=t("help.preflight.json"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("help.preflight.quiet"))
    p.set_defaults(func=cmd_preflight)


def cmd_preflight(args, console) -> int:
    from dataclasses import asdict

    import pikepdf

    from guidebuilder.checks.preflight import analyse, check, format_report

    reports = []
    for path in args.files:
        if not path.is_file():
            raise GuideError.of(path, "preflight.missing")
        try:
            report = check(analyse(path), args.min_dpi, args.min_bleed, args.cmyk)
        except pikepdf.PdfError as exc:
            raise GuideError.of(path, "preflight.unreadable", detail=exc) from None
        reports.append(report)
    if args.json:
        data = [{**asdict(r), "path": str(r.path), "ok": r.ok} for r in reports]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in reports:
            if args.quiet:
                for f in r.failures:
                    print(f"{r.path}: {f}")
            else:
                print(format_report(r))
    return 0 if all(r.ok for r in reports) else 1
