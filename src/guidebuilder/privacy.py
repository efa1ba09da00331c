"""Personal data patterns: the guard on free text (consultation comments) and the base of the output scan.

`find_personal_data(text)` is the one entry point other modules build on; it returns what it
found as (kind, matched text) pairs, in the order they appear. The patterns are deliberately
broad (a false alarm only keeps a comment out of the guide) but anchored, so that ordinary
numbers in prose (years, percentages, article numbers) do not match.

Scan text (HTML text nodes, PDF and DOCX text, SVG <title>/<desc>), not SVG path data: a chart's
coordinates are runs of numbers, and some of them look like phone numbers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# Kinds, as returned by find_personal_data.
EMAIL = "email"
PHONE = "phone"
CURP = "curp"
RFC = "rfc"

_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    # An e-mail address; also the "juan [at] dominio [dot] mx" spelling people use to dodge filters.
    (EMAIL, re.compile(r"[\w.+-]+\s*(?:@|\[at\]|\(at\)|\s+arroba\s+)\s*[\w-]+(?:\s*(?:\.|\[dot\]|\(dot\)|\s+punto\s+)\s*[\w-]+)+",
                       re.I)),
    # CURP: 4 letters, birth date (YYMMDD), sex, state, 3 consonants, a check pair.
    (CURP, re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[HMX]"
                      r"(?:AS|B[CS]|C[CLMSH]|D[FG]|G[TR]|HG|JC|M[CNS]|N[ETL]|OC|PL|Q[TR]|S[PLR]|T[CSL]|VZ|YN|ZS|NE)"
                      r"[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d\b", re.I)),
    # RFC: 3 (company) or 4 (person) letters, date YYMMDD, a 3-character homoclave.
    (RFC, re.compile(r"\b[A-ZÑ&]{3,4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[A-Z\d]{2}[A\d]\b", re.I)),
    # A Mexican phone number: 10 digits (optionally +52 / 044 / 045 first), written together or
    # in the usual groups (2-4-4 or 3-3-4, one separator throughout; area code maybe in
    # parentheses). Runs of numbers with mixed separators (coordinates, decimals) do not match.
    (PHONE, re.compile(r"(?<![\w.,])(?:(?:\+?52|0?4[45])[\s.-]?(?:1[\s.-]?)?)?"
                       r"(?:\d{10}|\(\d{2}\)[\s.-]?\d{4}[\s.-]?\d{4}|\(\d{3}\)[\s.-]?\d{3}[\s.-]?\d{4}"
                       r"|\d{2}([\s.-])\d{4}\1\d{4}|\d{3}([\s.-])\d{3}\2\d{4})(?!\w|[.,]\d)")),
)


def _normalise(text: str) -> str:
    # Full-width digits and letters, and other compatibility forms, become plain ASCII ones.
    return unicodedata.normalize("NFKC", str(text))


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Return (kind, match) for every e-mail, phone number, CURP or RFC found in text."""
    text = _normalise(text)
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue  # already reported as another kind (a CURP also looks like an RFC)
            taken.append((start, end))
            found.append((start, kind, match.group().strip()))
    return [(kind, value) for _, kind, value in sorted(found)]


def contains_any(text: str, values: Iterable[str], min_length: int = 4) -> list[str]:
    """Return the values (e.g. names given in personal columns) that occur in text, ignoring case and accents."""
    haystack = _fold(text)
    return sorted({v for v in values if len(v.strip()) >= min_length and _fold(v.strip()) in haystack})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", _normalise(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", text)


def is_clean(text: str) -> bool:
    """True when text shows none of the personal data patterns."""
    return not find_personal_data(text)
