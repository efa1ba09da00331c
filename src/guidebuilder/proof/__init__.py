"""The proof sheet (sheet.py): every output seen as its user sees it, with its layout findings."""
