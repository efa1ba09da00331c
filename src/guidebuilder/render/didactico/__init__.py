"""The didactic materials: workshop slides, poster, adoption letter (and the social cards from render/paged)."""
