"""Review comments from a commented DOCX back into the guide: guide/feedback/<round>.yml.

reader reads the DOCX (comments with their anchors, replies, tracked changes); place traces each
item to its chapter file and heading; store reads and merges the round files; importer glues them;
report counts the items and writes the internal HTML report. Everything read from the DOCX is
untrusted text and carries reviewers' names: never rendered into the guide's public outputs.
"""
