"""A tiny reviewed DOCX written part by part with zipfile: only the parts the feedback reader reads."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
NS = f'xmlns:w="{W}" xmlns:w14="{W14}" xmlns:w15="{W15}"'
SLUG = "guia-de-prueba"

STYLES = f"""<w:styles {NS}>
<w:style w:type="paragraph" w:styleId="Titulo1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Titulo2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""

# Chapter "Canales" (bookmarks canales and its hidden twin), section "Canales digitales": a comment on
# a paragraph, spanning a deleted word; a comment in a table cell; an insertion split over two runs; a deletion.
BODY = """<w:p><w:r><w:t>Portada sin título de sección</w:t></w:r></w:p>
<w:bookmarkStart w:id="10" w:name="canales"/><w:bookmarkStart w:id="11" w:name="_GB_0123456789abcdef"/>
<w:p><w:pPr><w:pStyle w:val="Titulo1"/></w:pPr><w:r><w:t>1. Canales</w:t></w:r></w:p>
<w:bookmarkEnd w:id="10"/><w:bookmarkEnd w:id="11"/>
<w:p><w:pPr><w:pStyle w:val="Titulo2"/></w:pPr><w:bookmarkStart w:id="12" w:name="canales-digitales"/>
<w:r><w:t>Canales digitales</w:t></w:r><w:bookmarkEnd w:id="12"/></w:p>
<w:p><w:r><w:t xml:space="preserve">Antes </w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">texto </w:t></w:r>
<w:del w:id="90" w:author="Revisora" w:date="2026-12-02T09:05:00Z"><w:r><w:delText>borrado </w:delText></w:r></w:del>
<w:r><w:t>comentado</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>
<w:r><w:t xml:space="preserve"> después.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:commentRangeStart w:id="3"/><w:r><w:t>Portal web</w:t></w:r><w:commentRangeEnd w:id="3"/>
<w:r><w:commentReference w:id="3"/></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t xml:space="preserve">Estas prácticas</w:t></w:r>
<w:ins w:id="91" w:author="Revisora" w:date="2026-12-02T09:00:00.123Z"><w:r><w:t xml:space="preserve"> (texto</w:t></w:r></w:ins>
<w:ins w:id="92" w:author="Revisora" w:date="2026-12-02T09:00:00Z"><w:r><w:t xml:space="preserve"> nuevo)</w:t></w:r></w:ins>
<w:r><w:commentReference w:id="4"/></w:r></w:p>"""


def comment(cid: str, author: str, text: str, para_id: str) -> str:
    return (f'<w:comment w:id="{cid}" w:author="{author}" w:date="2026-12-01T10:30:00Z" w:initials="R">'
            f'<w:p w14:paraId="{para_id}"><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>')


COMMENTS = (f"<w:comments {NS}>"
            + comment("0", "Revisora", "Falta la fuente.", "0000000A")
            + comment("1", "Revisor", "De acuerdo.", "0000000B")  # a reply to 0: no marks of its own
            + comment("2", "Revisora", "¿Dónde estaba esto?", "0000000C")  # no marks anywhere
            + comment("3", "Revisor", "¿Incluir el costo?", "0000000D")
            + comment("4", "guidebuilder", "Nota de la edición de revisión.", "0000000E")
            + "</w:comments>")

EXTENDED = (f'<w15:commentsEx {NS}><w15:commentEx w15:paraId="0000000A" w15:done="0"/>'
            f'<w15:commentEx w15:paraId="0000000b" w15:paraIdParent="0000000a" w15:done="0"/></w15:commentsEx>')
# (lowercase ids here, uppercase in comments.xml: programs differ, the reader must not)

CUSTOM = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
          'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
          '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="guidebuilder-slug">'
          f'<vt:lpwstr>{SLUG}</vt:lpwstr></property>'
          '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="guidebuilder-date">'
          '<vt:lpwstr>2026-11-22</vt:lpwstr></property></Properties>')


def docx_parts(body: str = BODY, comments: str | None = COMMENTS, custom: str | None = CUSTOM,
               footnotes: str | None = None) -> dict[str, str]:
    parts = {"word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
             "word/styles.xml": STYLES, "word/commentsExtended.xml": EXTENDED}
    if comments is not None:
        parts["word/comments.xml"] = comments
    if custom is not None:
        parts["docProps/custom.xml"] = custom
    if footnotes is not None:
        parts["word/footnotes.xml"] = f"<w:footnotes {NS}>{footnotes}</w:footnotes>"
    return parts


def write_docx(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for name, text in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return path
