"""Reading the guide safely: files (sources.py), YAML with positions (yamlio.py), schema validation with
file:line:col messages (validate.py), the directive parser (directives.py), the consultation and adoption
data (consultation.py); loader.load_guide puts it all in one Guide."""
