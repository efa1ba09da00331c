"""The HTML site: pages (site.py), catalogue pages (catalogue.py), the single-file edition (single.py), the
search index (search.py), and what they share (pages.py)."""
