"""`guidebuilder lint`: the readability report of every chapter and of the leaflet."""

from __future__ import annotations

import json
import sys

MIN_CHAPTER = 60.0  # INFLESZ "normal", with a margin
MIN_LEAFLET = 70.0  # INFLESZ "bastante fácil"
MIN_AVERAGE = 68.0


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("lint", help=t("help.lint"))
    common(p)
    p.add_argument("--min-chapter", type=float, default=MIN_CHAPTER, metavar=t("meta.min_chapter"),
                   help=t("help.lint.min_chapter", default=f"{MIN_CHAPTER:g}"))
    p.add_argument("--min-leaflet", type=float, default=MIN_LEAFLET, metavar=t("meta.min_leaflet"),
                   help=t("help.lint.min_leaflet", default=f"{MIN_LEAFLET:g}"))
    p.add_argument("--min-average", type=float, default=MIN_AVERAGE, metavar=t("meta.min_average"),
                   help=t("help.lint.min_average", default=f"{MIN_AVERAGE:g}"))
    p.add_argument("--show", type=int, default=3, metavar="N", help=t("help.lint.show"))
    p.add_argument("--json", action="store_true", help=t("help.json_report"))
    p.set_defaults(func=cmd_lint)


def _row(s) -> dict:
    return {"name": s.name, "file": s.file, "szigriszt_pazos": round(s.szigriszt, 1), "inflesz": s.band,
            "fernandez_huerta": round(s.fernandez_huerta, 1), "words": s.word_count,
            "sentences": s.sentence_count, "avg_sentence": round(s.avg_sentence, 1),
            "long_sentences": [{"file": x.file, "line": x.line, "words": x.words, "text": x.text}
                               for x in s.long_sentences]}


def _said(failure: str) -> str:
    """A readability failure in the guide's language (checks/readability words it in English)."""
    import re

    from guidebuilder.model.messages import t

    match = re.fullmatch(r"(.*): Szigriszt-Pazos ([\d.]+) is under ([\d.]+)", failure)
    if not match:
        return failure
    what = t("lint.average") if match.group(1) == "guide average" else match.group(1)
    return t("lint.under", what=what, score=match.group(2), minimum=match.group(3))


def cmd_lint(args, console) -> int:
    from guidebuilder.transforms import pipeline as transforms
    from guidebuilder.core.cache import Cache
    from guidebuilder.load.loader import load_guide
    from guidebuilder.checks.readability import guide_report

    guide = load_guide(args.guide, cache=Cache(None, enabled=False))
    # Measured as built (directives expanded): the text a reader reads, data blocks included.
    report = guide_report(transforms.run_all(guide))
    failures = report.failures(args.min_chapter, args.min_leaflet, args.min_average)
    rows = report.chapters + ([report.leaflet] if report.leaflet else [])
    if args.json:
        data = {"chapters": [_row(s) for s in report.chapters],
                "leaflet": _row(report.leaflet) if report.leaflet else None,
                "guide": _row(report.total), "failures": failures}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif not console.quiet:
        head = f"{'texto':<28} {'Sz-P':>5}  {'INFLESZ':<15} {'F-H':>5} {'palabras':>8} {'frases':>6} {'prom.':>5} {'>30':>4}"
        lines = [head, "-" * len(head)]
        for s in rows + [report.total]:
            lines.append(f"{s.name[:28]:<28} {s.szigriszt:5.1f}  {s.band:<15} {s.fernandez_huerta:5.1f} "
                         f"{s.word_count:8d} {s.sentence_count:6d} {s.avg_sentence:5.1f} {len(s.long_sentences):4d}")
        lines.append(f"(umbral: capítulo ≥ {args.min_chapter:g}, folleto ≥ {args.min_leaflet:g}, "
                     f"promedio de la guía ≥ {args.min_average:g}; Sz-P = Szigriszt-Pazos, F-H = Fernández-Huerta)")
        for s in rows:
            for x in s.long_sentences[:max(args.show, 0)]:
                where = f"{x.file}:{x.line}" if x.line else x.file
                text = x.text if len(x.text) <= 110 else x.text[:107] + "…"
                lines.append(f"{where}: frase de {x.words} palabras: {text}")
        print("\n".join(lines))
    for failure in failures:
        print(f"guidebuilder lint: {_said(failure)}", file=sys.stderr)
    return 1 if failures else 0
