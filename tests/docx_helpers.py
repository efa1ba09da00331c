"""Helpers for the DOCX and feedback tests: a review-ready copy of the mini guide, and reviewers' edits."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# fictional test practices: one unverified (review edition only), one partially verified
EXTRA_PRACTICES = """
- id: perifoneo-ficticio
  title: Perifoneo ficticio sobre trámites municipales
  institution: Municipio de Ejemplo (ficticio)
  place: Ejemplo
  country: México
  year: 2024
  channels: [radio-comunitaria]
  steps: [difundir]
  topics: [lenguas-indigenas]
  summary: Ejemplo inventado para las pruebas; no es una práctica real.
  verification: no-verificada
- id: portal-ficticio
  title: Portal ficticio de datos abiertos municipales
  institution: Municipio de Ejemplo (ficticio)
  place: Ejemplo
  country: México
  year: 2023
  channels: [portal-web]
  steps: [difundir]
  topics: [lenguas-indigenas]
  summary: Ejemplo inventado para las pruebas; no es una práctica real.
  sources:
    - title: Nota ficticia
      url: https://example.org/nota-ficticia
  verification: parcial
"""


def review_guide(dest: Path) -> Path:
    """The mini guide plus an unverified and a partial practice, a TODO and a practices table."""
    guide = dest / "guide"
    shutil.copytree(FIXTURES / "mini", guide)
    with (guide / "data" / "practices.yml").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA_PRACTICES)
    chapter = guide / "chapters" / "canales.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("Un canal es el medio por el que la información llega a la población.",
                        "Un canal es el medio por el que la información llega a la población.\n\n"
                        "TODO: agregar el costo aproximado de cada canal.")
    text += '\n## Prácticas en tabla\n\n::: {.practices layout="table" caption="Prácticas por canal"}\n:::\n'
    chapter.write_text(text, encoding="utf-8")
    return guide


def paragraph_with(doc, text: str):
    for p in doc.paragraphs:
        if text in p.text:
            return p
    return cell_with(doc, text)


def heading_with(doc, text: str):
    for p in doc.paragraphs:
        if p.style.name.lower().startswith("heading") and text in p.text:
            return p
    raise AssertionError(f"no heading with {text!r}")


def add_reply(doc, parent, text: str, author: str, when: dt.datetime):
    """A reply to a comment as Word writes it: a comment linked through commentsExtended.xml."""
    reply = doc.comments.add_comment(text=text, author=author, initials="R")
    reply._comment_elm.date = when
    # python-docx has no reply API: anchor the reply where the parent is, and link the two paragraphs
    body = doc.element.body
    cid = str(parent.comment_id)
    start = next(e for e in body.iter(qn("w:commentRangeStart")) if e.get(qn("w:id")) == cid)
    end = next(e for e in body.iter(qn("w:commentRangeEnd")) if e.get(qn("w:id")) == cid)
    start.addnext(OxmlElement("w:commentRangeStart", {qn("w:id"): str(reply.comment_id)}))
    # the reply's end and its reference right after the parent's, as Word writes them (LibreOffice drops
    # a comment without a reference)
    parent_ref = next((r for r in body.iter(qn("w:r")) if any(c.get(qn("w:id")) == cid
                                                               for c in r.iter(qn("w:commentReference")))), end)
    ref = OxmlElement("w:r")
    ref.append(OxmlElement("w:commentReference", {qn("w:id"): str(reply.comment_id)}))
    parent_ref.addnext(ref)
    ref.addprevious(OxmlElement("w:commentRangeEnd", {qn("w:id"): str(reply.comment_id)}))
    ids = {}
    for c, key, base in ((parent, "p", 0x1000), (reply, "r", 0x2000)):
        para = c._comment_elm.findall(qn("w:p"))[-1]
        ids[key] = f"{base + c.comment_id:08X}"
        para.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", ids[key])
    return reply, ids


def write_comments_extended(path: Path, *pairs: dict) -> None:
    """Add word/commentsExtended.xml (the reply links: add_reply's ids, one dict per reply) to a saved DOCX."""
    import zipfile

    links = "".join(f'<w15:commentEx w15:paraId="{ids["p"]}" w15:done="0"/>'
                    f'<w15:commentEx w15:paraId="{ids["r"]}" w15:paraIdParent="{ids["p"]}" w15:done="0"/>'
                    for ids in pairs)
    ext = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">{links}</w15:commentsEx>')
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/commentsExtended.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                    b'commentsExtended+xml"/></Types>')
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdGbExt" Type="http://schemas.'
                                    b'microsoft.com/office/2011/relationships/commentsExtended" '
                                    b'Target="commentsExtended.xml"/></Relationships>')
            dst.writestr(info, data)
        dst.writestr("word/commentsExtended.xml", ext)
    tmp.replace(path)


def track_insertion(paragraph, text: str, author: str, when: str, change_id: str = "901") -> None:
    ins = OxmlElement("w:ins", {qn("w:id"): change_id, qn("w:author"): author, qn("w:date"): when})
    run = OxmlElement("w:r")
    t = OxmlElement("w:t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    t.text = text
    run.append(t)
    ins.append(run)
    paragraph._p.append(ins)


def track_deletion(paragraph, author: str, when: str) -> str:
    """Turn the paragraph's last run with text into a tracked deletion; returns the deleted text."""
    run = [r for r in paragraph.runs if r.text.strip()][-1]
    text = run.text
    dele = OxmlElement("w:del", {qn("w:id"): "902", qn("w:author"): author, qn("w:date"): when})
    run._r.addprevious(dele)
    dele.append(run._r)
    for t in run._r.findall(qn("w:t")):
        t.tag = qn("w:delText")
    return text


def soffice(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """LibreOffice headless with a private profile, so parallel runs don't clash."""
    profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"lo-profile-gb-{uuid.uuid4().hex[:8]}"
    try:
        return subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args],
                              capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def roundtrip(src: Path, out_dir: Path) -> Path:
    """Open and save a DOCX in LibreOffice, as a reviewer using LibreOffice would."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = soffice("--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src))
    out = out_dir / src.name
    assert out.is_file(), result.stdout + result.stderr
    return out


def open_doc(path: Path):
    return Document(str(path))


_BUILT: dict = {}


def built_review(tmp_path_factory) -> tuple[Path, Path]:
    """The review-ready mini guide built once per test session into DOCX; returns (guide, build folder)."""
    if "review" not in _BUILT:
        import sys

        base = tmp_path_factory.mktemp("docx-review")
        guide = review_guide(base)
        out = base / "build"
        result = subprocess.run([sys.executable, "-m", "guidebuilder.cli", "build", "--guide", str(guide),
                                 "--out", str(out), "--format", "docx", "-q"], capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        _BUILT["review"] = (guide, out)
    return _BUILT["review"]


def cell_with(doc, text: str):
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if text in p.text:
                        return p
    raise AssertionError(f"no table cell with {text!r}")
