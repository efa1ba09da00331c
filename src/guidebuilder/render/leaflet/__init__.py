"""leaflet."""
