"""paged."""
