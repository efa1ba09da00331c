"""Jinja templates from the assets folders (the guide's own first), always autoescaped."""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .model import Guide

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


def fecha(value: dt.date) -> str:
    """A date in Spanish: 22 de noviembre de 2026."""
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"


def environment(guide: Guide) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d / "templates") for d in guide.asset_dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fecha"] = fecha
    return env
