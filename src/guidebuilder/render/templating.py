"""Jinja templates from the assets folders (the guide's own first), always autoescaped."""

from __future__ import annotations

import datetime as dt

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from guidebuilder.model.guide import Guide

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


def fecha(value: dt.date) -> str:
    """A date in Spanish: 22 de noviembre de 2026."""
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates in the build's cache (jinja/): written with the rest of the cache,
    after a successful build, and checked against the template's source when read."""

    def _key(self, bucket) -> str:
        from guidebuilder.build.cache import digest

        return digest("jinja", bucket.key, bucket.checksum)

    def load_bytecode(self, bucket) -> None:
        from guidebuilder.build.cache import active

        data = active().get_bytes("jinja", self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it if its magic or checksum does not match

    def dump_bytecode(self, bucket) -> None:
        from guidebuilder.build.cache import active

        active().put_bytes("jinja", self._key(bucket), bucket.bytecode_to_string())


def environment(guide: Guide) -> Environment:
    """The templates' environment; compiled templates are kept in the build cache, by their source."""
    env = Environment(
        loader=FileSystemLoader([str(d / "templates") for d in guide.asset_dirs]),
        bytecode_cache=CompiledTemplates(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fecha"] = fecha
    return env
