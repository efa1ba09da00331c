"""Placeholders that must never reach a published edition: addresses and e-mails on reserved example
domains (example.org, .com, .net; localhost; the .test, .invalid, .example and .localhost names), and
addresses with an ellipsis standing for the part not yet known (https://…). Also the notes a draft or
sample build prints instead of what it does not have yet."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

PENDING_URL = "Dirección del sitio: pendiente de publicar"
SAMPLE_NOTE = "MUESTRA — datos de ejemplo, no publicar"

_RESERVED = r"(?:example\.(?:org|com|net)|localhost|[a-z0-9-]+\.(?:test|invalid|example|localhost))"
# an address or e-mail on a reserved name, or one written with "…" in it
PLACEHOLDER = re.compile(
    rf"(?i)(?:https?://|www\.|[\w.+-]+@)?(?:[a-z0-9-]+\.)*{_RESERVED}(?![\w-])[^\s<>\"'()\[\]]*"
    r"|(?:https?://|www\.)[^\s<>\"'()\[\]]*…[^\s<>\"'()\[\]]*"
    r"|[\w.+-]*…[\w.+-]*@[\w.-]+|[\w.+-]+@[\w-]*…[\w.…-]*")


def placeholder_url(url: str | None) -> tuple[str, dict] | None:
    """Why `url` (guide.yml's `url:`) is not a real address yet, as (message id of model/messages.py, its
    fields); None when it is one."""
    if not url:
        return "draft.no_url", {}
    if "…" in url or "..." in url:
        return "draft.ellipsis", {"url": url}
    host = (urlsplit(url).hostname or "").lower()
    if re.fullmatch(rf"(?:[a-z0-9-]+\.)*{_RESERVED}", host):
        return "draft.example", {"url": url, "host": host}
    return None


def find_placeholders(text: str) -> list[str]:
    """Every placeholder address or e-mail in `text`, as written (trailing punctuation left out)."""
    return [m.group(0).rstrip(".,;:") for m in PLACEHOLDER.finditer(text)]
