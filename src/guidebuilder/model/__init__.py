"""The data that flows between stages: the typed, immutable Guide (guide.py), the pydantic models of every
file (schema.py), diagnostics and errors (errors.py), Spanish dates (dates.py)."""
