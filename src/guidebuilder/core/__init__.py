"""The ground floor: atomic file writes and stable hashes, used by every room."""
