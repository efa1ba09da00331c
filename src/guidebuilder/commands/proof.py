"""`guidebuilder proof`: the proof sheet of the last build (build/proof/index.html and findings.json)."""

from __future__ import annotations

from pathlib import Path


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("proof", help=t("help.proof"))
    common(p)
    p.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.build_folder"))
    p.set_defaults(func=cmd_proof)


def cmd_proof(args, console) -> int:
    from guidebuilder.proof.sheet import make_proof

    sheets = make_proof(args.out, args.guide, console.progress)
    total = sum(len(s.findings) for s in sheets)
    if not console.quiet:
        for sheet in sheets:
            console.out.print(f"  {sheet.output}: {len(sheet.findings)} hallazgo(s)", markup=False)
        console.out.print(f"Pruebas: {args.out / 'proof' / 'index.html'} — {total} hallazgo(s) de diseño", markup=False)
    return 0
