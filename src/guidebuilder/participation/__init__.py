"""The citizens' side: the consultation's questionnaire and its aggregated answers (consultation.py), and
the follow-up figures of the guide's adoption (followup.py)."""
