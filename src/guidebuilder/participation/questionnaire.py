"""The consultation's questionnaire as the field tools need it, from schema.yml alone: the XLSForm's
sheets (KoboToolbox, ODK), the questions of the paper form and the tally sheet, the data-entry
templates' columns, and what an export of the form carries besides the answers (so that importing
it knows what to leave out). Pure data: render/consulta writes the files, load/consultation reads
the answers back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from guidebuilder.participation.consultation import ROLE_HEADINGS, ColumnSpec, ConsultationSchema

LANGUAGE = "Español (es)"
LABEL, HINT = f"label::{LANGUAGE}", f"hint::{LANGUAGE}"
SURVEY_HEADER = ["type", "name", LABEL, HINT, "required", "relevant", "appearance", "default", "constraint",
                 f"constraint_message::{LANGUAGE}"]
CHOICES_HEADER = ["list_name", "name", LABEL]
SETTINGS_HEADER = ["form_title", "form_id", "version", "default_language", "style"]
YES_NO = "si_no"
YES, NO = "si", "no"
CONSENT_NOTE, PRIVACY_NOTE = "aviso_consentimiento", "aviso_privacidad"
# What KoboToolbox and ODK (Collect, Central, Aggregate) add to an export besides the form's questions
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "audit",
            "instanceid", "instanceID", "SubmissionDate", "KEY", "SubmitterID", "SubmitterName",
            "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
            "FormVersion", "__version__", "formhub/uuid"}
ID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "KEY", "instanceID")  # a submission's own id
TALLY_HEADER = ["fecha", "municipio", "folio", "pregunta", "opcion", "total"]


@dataclass(frozen=True)
class Item:
    """One question as a form shows it: its column, text, help line, and choices as (id, label)."""

    column: ColumnSpec
    text: str
    hint: str
    choices: tuple
    several: bool  # several choices may be ticked
    group: str  # the section's title ('' outside any section)


def label(col: ColumnSpec) -> str:
    return col.question or col.label or (ROLE_HEADINGS.get(col.role, col.name) if col.role else col.name)


def choices(col: ColumnSpec) -> tuple:
    """The (id, label) pairs a question offers: its values, or yes and no."""
    if col.type == "bool":
        return ((YES, "Sí"), (NO, "No"))
    return tuple((col.values or {}).items())


def asked(spec: ConsultationSchema) -> list[ColumnSpec]:
    """The columns the questionnaire asks, in the schema's order (the date too: the form's first line)."""
    return [c for c in spec.columns if c.ask]


def items(spec: ConsultationSchema) -> list[Item]:
    """The questions of the paper form (the date and the folio are in its header)."""
    return [Item(c, label(c), c.hint or "", choices(c), c.type == "list", spec.groups.get(c.group or "", ""))
            for c in asked(spec) if c.role not in ("date", "folio")]


def counted(spec: ConsultationSchema) -> list[ColumnSpec]:
    """The questions a tally sheet counts by option: those with choices (whether a comment may be published
    is no count: a tally sheet takes no comments), no personal data."""
    return [c for c in asked(spec) if c.type in ("enum", "list", "bool") and not c.personal and c.role != "publishable"]


def form_id(spec: ConsultationSchema, slug: str) -> str:
    return spec.form_id or f"{slug}-consulta"


def version(spec: ConsultationSchema, date: dt.date) -> str:
    return (spec.version or date).isoformat()


def xml_name(col: ColumnSpec) -> str:
    """The column's name in the XLSForm (a valid XML name: letters, digits, '_', '-', '.')."""
    return col.name


def _question_row(col: ColumnSpec, comment: str | None) -> list:
    kind = {"date": "date", "text": "text", "enum": f"select_one {col.name}", "list": f"select_multiple {col.name}",
            "bool": f"select_one {YES_NO}"}[col.type]
    required = "yes" if col.required else ""
    relevant = f"${{{comment}}} != ''" if col.role == "publishable" and comment else ""
    appearance = "multiline" if col.type == "text" and col.max_length > 200 else (
        "minimal" if col.type == "enum" and len(col.values or {}) > 12 else "")
    default = "today()" if col.type == "date" else ""
    constraint, message = "", ""
    if col.type == "text":
        constraint = f"string-length(.) <= {col.max_length}"
        message = f"Escriba {col.max_length} caracteres como máximo."
    return [kind, xml_name(col), label(col), col.hint or "", required, relevant, appearance, default, constraint,
            message]


def survey_rows(spec: ConsultationSchema) -> list[list]:
    """The XLSForm's survey sheet: the consent and privacy notes, then each asked column, sections as groups."""
    rows = [SURVEY_HEADER]
    blank = [""] * (len(SURVEY_HEADER) - 3)
    if spec.consent:
        rows.append(["note", CONSENT_NOTE, spec.consent, *blank])
    if spec.privacy_notice:
        rows.append(["note", PRIVACY_NOTE, spec.privacy_notice, *blank])
    comment = next((c.name for c in spec.columns if c.role == "comment" and c.ask), None)
    group = None
    for col in asked(spec):
        if col.group != group:
            if group:
                rows.append(["end_group", "", "", *blank])
            if col.group:
                rows.append(["begin_group", col.group, spec.groups.get(col.group, col.group), *blank])
            group = col.group
        rows.append(_question_row(col, comment))
    if group:
        rows.append(["end_group", "", "", *blank])
    return rows


def choice_rows(spec: ConsultationSchema) -> list[list]:
    rows = [CHOICES_HEADER]
    if any(c.type == "bool" for c in asked(spec)):
        rows += [[YES_NO, key, text] for key, text in ((YES, "Sí"), (NO, "No"))]
    for col in asked(spec):
        if col.type in ("enum", "list"):
            rows += [[col.name, key, text] for key, text in choices(col)]
    return rows


def settings_rows(spec: ConsultationSchema, slug: str, date: dt.date) -> list[list]:
    return [SETTINGS_HEADER, [spec.title, form_id(spec, slug), version(spec, date), LANGUAGE, "pages"]]


def xlsform(spec: ConsultationSchema, slug: str, date: dt.date) -> dict[str, list[list]]:
    """The XLSForm as sheets of rows (survey, choices, settings)."""
    return {"survey": survey_rows(spec), "choices": choice_rows(spec), "settings": settings_rows(spec, slug, date)}


def form_only_names(spec: ConsultationSchema) -> set[str]:
    """Names an export of the XLSForm may carry that are no column of the answers: its notes and sections."""
    return {CONSENT_NOTE, PRIVACY_NOTE, *spec.groups}


def template_header(spec: ConsultationSchema) -> list[str]:
    """The data-entry template's columns: exactly schema.yml's, in its order."""
    return [c.name for c in spec.columns]


def tally_rows(spec: ConsultationSchema) -> list[list[str]]:
    """The tally totals template: a row for the people counted, then one per question and option."""
    rows = [TALLY_HEADER, ["", "", "", PEOPLE, "", ""]]
    for col in counted(spec):
        rows += [["", "", "", col.name, key, ""] for key, _ in choices(col)]
    return rows


PEOPLE = "personas"  # the tally row of the people who answered that day


@dataclass(frozen=True)
class Download:
    """One file of the questionnaire (build/consulta/), and what it is for."""

    name: str
    what: str


def downloads(slug: str) -> list[Download]:
    """The questionnaire's files, in the order the guide lists them."""
    base = f"{slug}-consulta"
    return [Download(f"{base}.xlsx", "formulario XLSForm para KoboToolbox u ODK (teléfonos y en línea)"),
            Download(f"{base}-carta.pdf", "cuestionario en papel, tamaño carta"),
            Download(f"{base}-a4.pdf", "cuestionario en papel, tamaño A4"),
            Download(f"{base}-letra-grande.pdf", "cuestionario en papel en letra grande"),
            Download(f"{base}-conteo.pdf", "hoja de conteo de un día, para módulos de atención y asambleas"),
            Download(f"{base}-captura.csv", "plantilla para capturar las respuestas en papel"),
            Download(f"{base}-conteo.csv", "plantilla para capturar los totales de las hojas de conteo")]
