"""Checks that can refuse a guide or an output: input checks before anything is written (gate.py, inputs.py),
the personal-data scan of every staged output (privacy.py), readability (readability.py), the print
shop's preflight of a PDF (preflight.py), layout findings (findings.py), the release gate (release.py)."""
