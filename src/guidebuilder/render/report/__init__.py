"""The follow-up report (HTML and PDF)."""
