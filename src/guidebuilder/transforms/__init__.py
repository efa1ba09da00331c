"""Guide -> Guide steps between load and render, in order (pipeline.STEPS): directives expanded through a
registry (directives.py) into blocks, tables and charts; ids made unique (ids.py); links and images
checked (links.py); figures and tables numbered (numbering.py)."""
