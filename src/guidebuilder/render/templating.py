"""Jinja templates from the assets folders (the guide's own first), always autoescaped."""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from guidebuilder.core.placeholders import PENDING_URL, SAMPLE_NOTE
from guidebuilder.model.dates import MONTHS, fecha  # noqa: F401 (re-exported: renderers import fecha from here)
from guidebuilder.model.guide import Guide


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates in the build's cache (jinja/): written with the rest of the cache,
    after a successful build, and checked against the template's source when read."""

    def __init__(self, cache):
        self.cache = cache

    def _key(self, bucket) -> str:
        from guidebuilder.core.digest import digest

        return digest("jinja", bucket.key, bucket.checksum)

    def load_bytecode(self, bucket) -> None:
        data = self.cache.get_bytes("jinja", self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja drops it if its magic or checksum does not match

    def dump_bytecode(self, bucket) -> None:
        self.cache.put_bytes("jinja", self._key(bucket), bucket.bytecode_to_string())


def environment(guide: Guide, cache=None) -> Environment:
    """The templates' environment; compiled templates are kept in the build cache (if given), by their source."""
    env = Environment(
        loader=FileSystemLoader([str(d / "templates") for d in guide.asset_dirs]),
        bytecode_cache=CompiledTemplates(cache) if cache is not None else None,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fecha"] = fecha
    # the site's address only when it is a real one (else the pending note), and the sample build's mark
    env.globals.update(site_url=guide.site_url, pending_url=PENDING_URL,
                       sample_note=SAMPLE_NOTE if guide.config.sample else "")
    return env
