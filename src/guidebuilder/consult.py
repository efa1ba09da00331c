"""Consultation answers and the adoption register (issue 10 deepens this)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Collector


def load_consultation(root: Path, errors: Collector) -> Any:
    """Load guide/data/consultation/ (not yet supported: returns None)."""
    return None


def load_adoption(root: Path, data: Any, errors: Collector) -> tuple:
    """Load guide/data/adoption.yml (not yet supported: returns an empty register)."""
    return ()
