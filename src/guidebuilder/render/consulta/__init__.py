"""The consultation's questionnaire for the field (build/consulta/): XLSForm, paper forms, tally sheet,
data-entry templates."""
