"""`guidebuilder preflight FILE.pdf…`: the checks a print shop makes, before it makes them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guidebuilder.model.errors import GuideError


def register(subparsers, common) -> None:
    p = subparsers.add_parser("preflight", help="check a print PDF: boxes, bleed, fonts, image resolution, colour",
                              description="Report the boxes, bleed, fonts, images (effective dpi, colour space), "
                                          "colour operators, output intent and PDF/X version of each PDF, and "
                                          "exit 1 listing what a print shop would reject.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf")
    p.add_argument("--min-dpi", type=float, default=300, help="lowest effective image resolution (default 300)")
    p.add_argument("--min-bleed", type=float, default=3.0, help="least bleed in mm on every side (default 3)")
    colour = p.add_mutually_exclusive_group()
    colour.add_argument("--cmyk", dest="cmyk", action="store_true", default=None,
                        help="require CMYK only and an output intent (default: when the file claims PDF/X)")
    colour.add_argument("--any-colour", dest="cmyk", action="store_false", help="do not check colour")
    p.add_argument("--json", action="store_true", help="print the reports as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the failures")
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
