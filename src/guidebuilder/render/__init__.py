"""Renderers, one package per format behind one interface (base.py, registry.py): html/, pdf/, docx/,
leaflet/, report/; paged/ holds the WeasyPrint set-up they share; templating.py the Jinja templates."""
