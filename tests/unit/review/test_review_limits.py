"""review.reader against hostile files: sizes are enforced while inflating, whatever the zip says."""

from __future__ import annotations

import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from review_docx_parts import docx_parts, write_docx  # noqa: E402

from guidebuilder.model.errors import GuideError  # noqa: E402
from guidebuilder.review.reader import MAX_PART_BYTES, open_docx, read_docx  # noqa: E402


pytestmark = pytest.mark.usefixtures("english_messages")  # messages read in English (--lang en)


FILLER = b"<w:p><w:r><w:t>relleno</w:t></w:r></w:p>" * 1000  # 41 KB of paragraphs, compressed a thousand to one


def big_docx(path: Path, document_bytes: int, other_parts: dict[str, int] | None = None) -> Path:
    """A DOCX whose document.xml (and other_parts) unpack to the given sizes, written in a stream."""
    parts = docx_parts()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            if name != "word/document.xml" and name not in (other_parts or {}):
                z.writestr(name, text)
        for name, size in {"word/document.xml": document_bytes, **(other_parts or {})}.items():
            with z.open(name, "w") as out:
                head = parts["word/document.xml"].split("<w:body>")[0].encode() + b"<w:body>"
                out.write(head)
                written = len(head)
                while written < size:
                    out.write(FILLER)
                    written += len(FILLER)
    return path


def lie_about_size(path: Path, name: str, size: int) -> None:
    """Make the zip directory say that `name` unpacks to `size` bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02" + b"\x00" * 0)
    while at >= 0:
        name_len = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_len] == name.encode():
            data[at + 24:at + 28] = size.to_bytes(4, "little")
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def refused(path: Path) -> tuple[str, float, int]:
    """The error message, the seconds and the peak bytes Python allocated to refuse path."""
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(GuideError) as err:
        read_docx(path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return str(err.value), elapsed, peak


def test_a_part_whose_zip_directory_lies_about_its_size_is_refused_while_inflating(tmp_path):
    path = big_docx(tmp_path / "miente.docx", 120 * 1024 * 1024)
    lie_about_size(path, "word/document.xml", 1000)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("word/document.xml").file_size == 1000
    message, elapsed, peak = refused(path)
    assert "its part word/document.xml unpacks to more than 8 MB, although its zip directory says 1000 bytes" in message
    assert elapsed < 3 and peak < 4 * MAX_PART_BYTES, (elapsed, peak)


def test_a_part_too_big_is_refused_at_once(tmp_path):
    path = big_docx(tmp_path / "enorme.docx", 40 * 1024 * 1024)
    message, elapsed, peak = refused(path)
    assert "its part word/document.xml unpacks to more than 8 MB" in message and "although" not in message
    assert elapsed < 1 and peak < 2 * 1024 * 1024, (elapsed, peak)


def test_parts_too_big_together_are_refused(tmp_path):
    size = MAX_PART_BYTES - 1024 * 1024  # 7 MB each: every one allowed, not all together
    path = big_docx(tmp_path / "partes.docx", size, {"word/comments.xml": size, "word/footnotes.xml": size,
                                                     "word/styles.xml": size, "word/commentsExtended.xml": size})
    message, _, _ = refused(path)
    assert "the parts it needs together unpack to more than 32 MB" in message


def test_a_huge_zip_directory_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "entradas.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in docx_parts().items():
            z.writestr(name, text)
        for i in range(30000):
            z.writestr(f"x/{i}", b"")
    message, elapsed, _ = refused(path)
    assert "zip directory is 1.5 MB" in message and elapsed < 1


def test_a_compression_word_never_uses_is_refused(tmp_path):
    path = tmp_path / "bzip2.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as z:
        for name, text in docx_parts().items():
            z.writestr(name, text)
    message, _, _ = refused(path)
    assert "uses a compression Word and LibreOffice never use" in message


def test_a_damaged_part_is_refused(tmp_path):
    path = write_docx(tmp_path / "bien.docx", docx_parts())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/comments.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10:start + 30] = b"\xff" * 20
    path.write_bytes(bytes(data))
    with pytest.raises(GuideError) as err:
        open_docx(path)
    assert "the DOCX is damaged" in str(err.value)


def test_a_sound_docx_reads_the_same_through_the_checks(tmp_path):
    parts = open_docx(write_docx(tmp_path / "bien.docx", docx_parts()))
    assert parts["word/document.xml"].decode("utf-8").endswith(docx_parts()["word/document.xml"])
