"""The personal-data detector: e-mail addresses, Mexican telephone numbers, CURP and RFC in a text.

Used wherever text may carry a private person's data: the scan of every public output
(checks/privacy.py), the consultation answers and the review comments as they come in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w@-])")
# Ten digits (Mexico's numbering plan) with an optional +52 (and the old mobile 1), written as
# 81 1234 5678, (81) 1234-5678, 818 123 4567, 81.1234.5678, 8112345678 or 81 12 34 56 78.
# Not preceded or followed by a digit, letter or number punctuation, so years (2024), ranges
# (2020-2023), dates (2026-11-22), amounts (200,000 MXN; 1 000 000), ids (MXSPG0003) and
# decimals (83.7) are not telephones.
# An address written out to dodge filters: "ana arroba correo punto mx", "ana [at] correo [dot] mx".
# (It starts only where a word starts: tried inside every word it took a second on a 300 KB text.)
EMAIL_SPOKEN = re.compile(r"(?<![\w.+-])[\w.+-]++\s*(?:\[at\]|\(at\)|\s+arroba\s+)\s*[\w-]+"
                          r"(?:\s*(?:\[dot\]|\(dot\)|\s+punto\s+)\s*[\w-]+)+", re.I)
PHONE = re.compile(r"""
    (?<![\w$€.,/#=-])
    (?:(?:\+|00)?52[\s.-]?(?:1[\s.-]?)?)?
    (?:
        \(\d{2,3}\)[\s.-]?\d{3,4}[\s.-]?\d{4}
      | \d{10}
      | \d{2,3}(?:\.\d{3,4}\.|-\d{3,4}-|\s\d{3,4}[\s-])\d{4}
      | \d{2}(?:[\s.-]\d{2}){4}
    )
    (?![\w-]|[.,]\d)
""", re.X)
STATES = "AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE"
DATE = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
CURP = re.compile(rf"(?<![A-Z0-9Ñ&])[A-Z][AEIOUX][A-Z]{{2}}{DATE}[HMX](?:{STATES})[B-DF-HJ-NP-TV-Z]{{3}}[A-Z\d]\d"
                  r"(?![A-Z0-9Ñ&])", re.I)  # its structure is strict enough to find it in lower case too
RFC = re.compile(rf"(?<![A-Z0-9Ñ&])[A-ZÑ&]{{3,4}}{DATE}[A-Z\d]{{2}}[A\d](?![A-Z0-9Ñ&])")

# Every pattern above needs a digit, an @ or a spoken "at": text without any is skipped at once.
ANY_CANDIDATE = re.compile(r"[\d@]|\[at\]|\(at\)|arroba", re.I)



def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Every e-mail, Mexican telephone number, CURP and RFC in text, as (kind, match), in order."""
    text = unicodedata.normalize("NFKC", str(text))  # full-width digits and letters count too
    if not ANY_CANDIDATE.search(text):
        return []
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)

    lower = text.lower()
    spoken = "arroba" in lower or "[at]" in lower or "(at)" in lower  # else EMAIL_SPOKEN cannot match
    for kind, pattern in (("email", EMAIL), ("email", EMAIL_SPOKEN), ("curp", CURP), ("rfc", RFC), ("phone", PHONE)):
        if pattern is EMAIL_SPOKEN and not spoken:
            continue
        for m in pattern.finditer(text):
            value = m.group(0)
            if kind == "phone" and len(_digits(value)) not in (10, 12, 13):
                continue
            if free(m):
                taken.append((m.start(), m.end()))
                found.append((m.start(), kind, value))
    return [(kind, value) for _, kind, value in sorted(found)]


def may_hold(text: str) -> bool:
    """False when no flattening of text (_flatten) can hold personal data: it has no digit, no @ and
    no spoken "at", even with every line-end hyphen joined. Much cheaper than flattening it."""
    text = unicodedata.normalize("NFKC", text)
    return bool(ANY_CANDIDATE.search(text) or ("-\n" in text and ANY_CANDIDATE.search(text.replace("-\n", ""))))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def normalise(kind: str, value: str) -> str:
    """The form values are compared in: e-mails in lower case, telephones as their last ten digits."""
    value = value.strip()
    if kind == "email":
        return value.lower()
    if kind == "phone":
        return _digits(value)[-10:]
    return value.upper()


def _kind_of(value: str) -> str | None:
    found = find_personal_data(value)
    return found[0][0] if found else None


def contains_any(text: str, values: Iterable[str], min_length: int = 4) -> list[str]:
    """Return the values (e.g. names given in personal columns) that occur in text, ignoring case and accents."""
    haystack = _fold(text)
    return sorted({v for v in values if len(v.strip()) >= min_length and _fold(v.strip()) in haystack})


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", text)


def is_clean(text: str) -> bool:
    """True when text shows none of the personal data patterns."""
    return not find_personal_data(text)
