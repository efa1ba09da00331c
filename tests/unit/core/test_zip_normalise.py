"""normalise_zip: the one place DOCX, PPTX and the adoption letter get fixed zip times."""

from __future__ import annotations

import io
import zipfile

from guidebuilder.core.files import FIXED_ZIP_TIME, normalise_zip


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 30, 12, 0, 0)), body)
    return out.getvalue()


def test_order_kept_times_fixed_replaced_added_and_edited():
    data = _zip({"b.xml": b"<b/>", "a.xml": b"<a/>", "c.txt": b"c"})
    out = normalise_zip(data, {"a.xml": b"<A/>", "new.xml": b"<n/>"},
                        edit=lambda name, body: body.upper() if name.endswith(".txt") else body)
    zf = zipfile.ZipFile(io.BytesIO(out))
    assert zf.namelist() == ["b.xml", "a.xml", "c.txt", "new.xml"]
    assert [zf.read(n) for n in zf.namelist()] == [b"<b/>", b"<A/>", b"C", b"<n/>"]
    assert {i.date_time for i in zf.infolist()} == {FIXED_ZIP_TIME}
    assert normalise_zip(data) == normalise_zip(_zip({"b.xml": b"<b/>", "a.xml": b"<a/>", "c.txt": b"c"}))
