"""The DOCX editions for review in Word (document.py) and the OOXML helpers they and review/ use (ooxml.py)."""
