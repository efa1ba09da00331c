"""The PDF book and its large-print edition (book.py)."""
