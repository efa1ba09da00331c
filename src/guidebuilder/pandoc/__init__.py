"""pandoc."""
