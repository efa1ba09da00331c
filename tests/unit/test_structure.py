"""The house: no import circle between guidebuilder's modules (imports inside functions count), no
function over 60 lines, and each room importing only rooms below it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
# bottom to top: a module may import its own room and the rooms before it
ROOMS = ["core", "model", "participation", "pandoc", "load", "transforms", "checks", "render", "review", "proof", "builder",
         "commands", "cli"]


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "guidebuilder").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    edges = {}
    for name, path in mods.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("guidebuilder"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in mods else node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("guidebuilder."))
        edges[name] = {m for m in found if m in mods and m not in (name, "guidebuilder")}
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_circles_are_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    assert circles(imports(modules())) == []


def test_rooms_import_only_rooms_below():
    upward = []
    for module, targets in imports(modules()).items():
        for target in targets:
            a, b = room(module), room(target)
            if a and b and ROOMS.index(b) > ROOMS.index(a):
                upward.append(f"{module} -> {target}")
    assert upward == [], upward


def test_no_function_over_60_lines():
    long = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert long == [], long


def test_domain_code_does_not_fork_or_renice():
    allowed = {"guidebuilder.builder.parallel"}
    found = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if name not in allowed and any(word in text for word in ("os.fork(", "os.nice(", "ProcessPoolExecutor", "gc.freeze")):
            found.append(name)
    assert found == [], found
