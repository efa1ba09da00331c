"""Pandoc conversions of AST blocks, shared by the renderers, cached by content."""

from __future__ import annotations

import json
from functools import lru_cache

from guidebuilder.core.cache import Cache
from guidebuilder.core.digest import digest
from guidebuilder.pandoc.tools import pandoc_path, pandoc_version, run_json, run_tool
from guidebuilder.model.messages import t


@lru_cache(maxsize=1)
def api_version() -> list:
    return run_json([pandoc_path(), "-f", "markdown", "-t", "json"], "pandoc", t("tool.doing.ast_version"),
                    "pandoc-api-version", input=b"")


def document(blocks: list | tuple, meta: dict | None = None) -> bytes:
    return json.dumps({"pandoc-api-version": api_version(), "meta": meta or {}, "blocks": list(blocks)},
                      ensure_ascii=False, sort_keys=True).encode()


def to_html(blocks: list | tuple, cache: Cache, extra: tuple = ()) -> str:
    """An HTML5 fragment of the blocks (sections, footnotes at the end)."""
    doc = document(blocks)
    args = ["-f", "json", "-t", "html5", "--wrap=none", "--section-divs", *extra]
    key = digest("json->html", pandoc_version(), args, doc)
    return cache.bytes("html", key, lambda: run_tool([pandoc_path(), *args], "pandoc",
                                                      t("tool.doing.to_html"), input=doc)).decode()


def meta_string(text: str) -> dict:
    return {"t": "MetaString", "c": text}
