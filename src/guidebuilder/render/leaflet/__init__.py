"""The tri-fold leaflet: screen and PDF/X print files per size and entity, and the print shop's package."""
