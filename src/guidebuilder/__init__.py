"""guidebuilder: builds the Guía de Transparencia Proactiva into every format."""

__version__ = "0.1.0"
