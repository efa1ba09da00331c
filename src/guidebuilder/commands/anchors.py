"""`guidebuilder anchors`: every link target of the guide, by chapter, with the Markdown that links to it."""

from __future__ import annotations

import json
import sys


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("anchors", help=t("help.anchors"))
    common(p)
    p.add_argument("--json", action="store_true", help=t("help.anchors.json"))
    p.add_argument("filter", nargs="?", default="", metavar=t("meta.filter"), help=t("help.anchors.filter"))
    p.set_defaults(func=cmd_anchors)


def anchors(guide) -> list[dict]:
    """Each element id of the prepared guide: its chapter, the kind of element and its text."""
    from guidebuilder.pandoc import ast as A

    out: list[dict] = []
    for chapter in guide.chapters:
        name = chapter.file.split("/")[-1]

        def seen(node: dict) -> None:
            kind = node.get("t")
            if kind not in ("Header", "Div", "Span", "Figure", "Table"):
                return
            ident = node["c"][1][0] if kind == "Header" else node["c"][0][0]
            if not ident or ident.startswith("gb-"):
                return
            text = A.stringify(node["c"][2]) if kind == "Header" else A.stringify(node["c"][-1])[:80]
            level = node["c"][0] if kind == "Header" else 0
            out.append({"chapter": name, "id": ident, "kind": kind.lower(), "level": level, "text": text.strip()})

        A.visit(list(chapter.blocks), seen)
    return out


def cmd_anchors(args, console) -> int:
    from guidebuilder.builder.orchestrator import prepare
    from guidebuilder.core.cache import Cache

    guide = prepare(args.guide, Cache(None, enabled=False))
    rows = [r for r in anchors(guide)
            if args.filter.lower() in r["id"].lower() or args.filter.lower() in r["text"].lower()]
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    kinds = {"header": "", "div": "bloque", "span": "texto", "figure": "figura", "table": "tabla"}
    chapter = None
    for r in rows:
        if r["chapter"] != chapter:
            chapter = r["chapter"]
            print(f"\n{chapter}   (enlace al capítulo: [texto]({chapter}))")
        indent = "  " * max(r["level"] - 1, 0) if r["level"] else "  "
        label = r["text"] if r["kind"] == "header" else f"{kinds[r['kind']]}: {r['text']}"
        print(f"  {indent}#{r['id']:<40} {label}")
    if not console.quiet:
        print("\nEnlace desde cualquier capítulo: [texto](#id)", file=sys.stderr)
    return 0
