"""What every paged output shares: WeasyPrint set-up and layout (weasy.py), fonts (fonts.py), the
column-balancing correction (wpfix.py), print geometry, CMYK and PDF/X finishing (printing.py)."""
