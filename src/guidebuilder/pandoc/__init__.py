"""pandoc: the JSON AST helpers (ast.py), running pandoc and other tools with time limits (tools.py), and
conversions to HTML with caching (convert.py)."""
