"""guidebuilder: builds a guide written as Markdown chapters and YAML data into every format."""

__version__ = "0.1.0"
