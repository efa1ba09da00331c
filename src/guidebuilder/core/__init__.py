"""The ground floor, used by every room: atomic file writes (files.py), stable hashes (digest.py), the
content-addressed cache store (cache.py), the personal-data detector (personal_data.py), placeholder
addresses and the draft and sample notes (placeholders.py)."""
