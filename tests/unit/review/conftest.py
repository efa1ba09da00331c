"""The review round trip's unit tests read their messages in English (`--lang en`); the Spanish ones come
from the same catalogue (tests/unit/load/test_messages.py checks both exist)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    from guidebuilder.model import messages

    monkeypatch.setenv("GUIDEBUILDER_LANG", "en")
    messages.set_language("en")
    yield
    messages.set_language("es")
