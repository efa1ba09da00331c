"""Small helpers to build and walk pandoc's JSON AST (text always goes in Str nodes, never markup)."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

_WORDS = re.compile(r"(\s+)")


def inlines(text: str) -> list[dict]:
    """Plain text as pandoc inlines: words and spaces, never parsed as Markdown or HTML."""
    out: list[dict] = []
    for part in _WORDS.split(str(text)):
        if not part:
            continue
        if part.isspace():
            out.append({"t": "SoftBreak"} if "\n" in part and False else {"t": "Space"})
        else:
            out.append({"t": "Str", "c": part})
    return out


def attr(ident: str = "", classes: Iterable[str] = (), kv: Iterable[tuple[str, str]] = ()) -> list:
    return [ident, list(classes), [list(p) for p in kv]]


def para(*parts: Any) -> dict:
    return {"t": "Para", "c": _flat(parts)}


def plain(*parts: Any) -> dict:
    return {"t": "Plain", "c": _flat(parts)}


def header(level: int, text: str, ident: str = "", classes: Iterable[str] = ()) -> dict:
    return {"t": "Header", "c": [level, attr(ident, classes), inlines(text)]}


def strong(text: str) -> dict:
    return {"t": "Strong", "c": inlines(text)}


def emph(text: str) -> dict:
    return {"t": "Emph", "c": inlines(text)}


def link(text: str | list, url: str, title: str = "") -> dict:
    content = inlines(text) if isinstance(text, str) else text
    return {"t": "Link", "c": [attr(), content, [url, title]]}


def span(content: list, classes: Iterable[str] = (), ident: str = "") -> dict:
    return {"t": "Span", "c": [attr(ident, classes), content]}


def div(blocks: list, classes: Iterable[str] = (), ident: str = "", kv: Iterable[tuple[str, str]] = ()) -> dict:
    return {"t": "Div", "c": [attr(ident, classes, kv), list(blocks)]}


def bullet_list(items: list[list[dict]]) -> dict:
    return {"t": "BulletList", "c": items}


def raw_block(fmt: str, text: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def image(alt: str, src: str, title: str = "", ident: str = "") -> dict:
    return {"t": "Image", "c": [attr(ident), inlines(alt), [src, title]]}


def _flat(parts: Iterable[Any]) -> list:
    out: list = []
    for part in parts:
        if isinstance(part, str):
            out.extend(inlines(part))
        elif isinstance(part, list):
            out.extend(part)
        else:
            out.append(part)
    return out


def _cell(blocks: list[dict], align: str = "AlignDefault") -> list:
    return [attr(), {"t": align}, 1, 1, blocks]


def table(headers: list[str], rows: list[list[Any]], caption: str = "", ident: str = "",
          aligns: list[str] | None = None) -> dict:
    """A real table (header row, body rows, caption) that every pandoc writer renders natively."""
    aligns = aligns or ["AlignDefault"] * len(headers)

    def cell(value: Any, align: str) -> list:
        if isinstance(value, dict):
            blocks = [value] if value.get("t") in ("Para", "Plain", "BulletList", "Div") else [plain(value)]
        elif isinstance(value, list):
            blocks = [plain(value)]
        else:
            blocks = [plain(str(value))] if str(value) != "" else []
        return _cell(blocks, align)

    head = [attr(), [[attr(), [cell(h, a) for h, a in zip(headers, aligns)]]]]
    body = [[attr(), 0, [], [[attr(), [cell(v, a) for v, a in zip(row, aligns)]] for row in rows]]]
    cap = [None, [plain(caption)]] if caption else [None, []]
    colspecs = [[{"t": a}, {"t": "ColWidthDefault"}] for a in aligns]
    return {"t": "Table", "c": [attr(ident), cap, colspecs, head, body, [attr(), []]]}


def stringify(node: Any) -> str:
    """The plain text of a node or list of nodes."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t = node.get("t")
    if t == "Str":
        return node["c"]
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t in ("Code", "Math"):
        return node["c"][1]
    if t in ("RawInline", "RawBlock"):
        return ""
    c = node.get("c")
    if t in ("Link", "Image", "Span"):
        return stringify(c[1])
    if t == "Header":
        return stringify(c[2])
    if t in ("Quoted",):
        return "“" + stringify(c[1]) + "”"
    if t == "Cite":
        return stringify(c[1])
    if t == "Note":
        return ""
    if isinstance(c, list):
        return "".join(stringify(x) for x in c if isinstance(x, (list, dict)))
    return ""


# Elements without children that no transform changes: walk shares them instead of copying them and
# calling its function on each (they are nine in ten of a chapter's elements).
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})


def walk(node: Any, fn: Callable[[dict], Any]) -> Any:
    """Return a copy of node with fn applied bottom-up to every element but the LEAVES (fn returns a
    node, a list or None). Every list and every other element is new, so fn may change them in place;
    the leaves are shared with node, and nothing may change them in place.

    Written for speed (every renderer walks every chapter): exact type checks, and no call for a
    string content, a leaf or a non-element value.
    """
    kind = type(node)
    if kind is list:
        return _walk_list(node, fn)
    if kind is dict and "t" in node:
        if node["t"] in LEAVES:
            return node
        copy = dict(node)
        if "c" in copy:
            copy["c"] = walk(copy["c"], fn)
        result = fn(copy)
        return copy if result is None else result
    return node


def _walk_list(items: list, fn: Callable[[dict], Any]) -> list:
    out: list = []
    append, extend = out.append, out.extend
    leaves = LEAVES
    for item in items:
        kind = type(item)
        if kind is dict:
            t = item.get("t")
            if t is None or t in leaves:
                append(item)
                continue
            copy = dict(item)
            content = copy.get("c")
            if type(content) is list:
                copy["c"] = _walk_list(content, fn)
            elif type(content) is dict:
                copy["c"] = walk(content, fn)
            result = fn(copy)
            if result is None:
                append(copy)
            elif type(result) is list:
                extend(result)
            else:
                append(result)
        elif kind is list:
            append(_walk_list(item, fn))
        else:
            append(item)
    return out


def headers(blocks: list) -> Iterator[dict]:
    """Every Header among blocks, in document order, looking only where a block can be (not into
    paragraphs and other inlines: far fewer nodes than walk or visit)."""
    for block in blocks:
        t = block.get("t") if type(block) is dict else None
        if t == "Header":
            yield block
        elif t == "Div":
            yield from headers(block["c"][1])
        elif t == "BlockQuote":
            yield from headers(block["c"])
        elif t == "BulletList":
            for item in block["c"]:
                yield from headers(item)
        elif t == "OrderedList":
            for item in block["c"][1]:
                yield from headers(item)
        elif t == "DefinitionList":
            for _term, definitions in block["c"]:
                for definition in definitions:
                    yield from headers(definition)
        elif t == "Figure":
            yield from headers(block["c"][2])
        elif t == "Table":
            found: list = []
            visit(block, lambda n: found.append(n) if n.get("t") == "Header" else None)
            yield from found


def visit(node: Any, fn: Callable[[dict], None]) -> None:
    """Call fn on every element, top-down, without copying."""
    if isinstance(node, list):
        for item in node:
            visit(item, fn)
    elif isinstance(node, dict) and "t" in node:
        fn(node)
        if "c" in node:
            visit(node["c"], fn)
