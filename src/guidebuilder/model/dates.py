"""Dates as the guide writes them, in Spanish (used by transforms, the follow-up and the templates)."""

from __future__ import annotations

import datetime as dt

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


def fecha(value: dt.date) -> str:
    """A date in Spanish: 22 de noviembre de 2026."""
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"
