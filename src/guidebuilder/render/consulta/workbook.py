"""The XLSForm as an .xlsx file (openpyxl), with the same bytes for the same questionnaire: fixed
document properties and zip timestamps."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WIDTHS = {"type": 26, "name": 22, "label": 60, "hint": 40, "list_name": 22}


def xlsx_bytes(sheets: dict[str, list[list]], date: dt.date, title: str) -> bytes:
    """A workbook with one sheet per entry (rows as given, the first one bold), deterministic bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            key = str(cell.value).split("::")[0]
            ws.column_dimensions[cell.column_letter].width = WIDTHS.get(key, 16)
        ws.freeze_panes = "A2"
    stamp = dt.datetime(date.year, date.month, date.day)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "guidebuilder"
    wb.properties.title = title
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue(), f"{date.isoformat()}T00:00:00Z")


def fixed_zip(data: bytes, stamp: str) -> bytes:
    """The same zip with every entry dated ZIP_TIME and the document's modification date set to `stamp`
    (openpyxl stamps both with the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            dst.writestr(entry, content)
    return out.getvalue()
