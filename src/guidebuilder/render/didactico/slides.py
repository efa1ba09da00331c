"""The workshop's slides: guide/didactico/taller.md expanded from the guide's chapters and data, written
by pandoc's PowerPoint writer with assets/reference.pptx, and a PDF of them laid out by LibreOffice.

taller.md's blocks point at the guide (docs/didactico.md):

    ::: {.capitulo id="que-es" seccion="tres-formas" tomar="lista"}   a section's list (each item's lead),
    :::                                                                 its first paragraph, box (recuadro),
                                                                        table, or the chapter's summary
    ::: {.pasos}        one slide per step (data/steps.yml) with one example practice and notes from it
    ::: {.canales tipo="non-digital"}   the channels' names (their summaries go to the notes)
    ::: {.grafica grupo="mga-2021"}     a chart of the chapters as an image, with the chapter's alt text
    ::: {.secciones capitulo="herramientas"}   the titles of a chapter's sections (the worksheets)
    ::: notes           what the presenter says (pandoc's speaker notes)
"""

from __future__ import annotations

import io
import re

from guidebuilder.core.digest import digest, source_digest
from guidebuilder.core.files import normalise_zip
from guidebuilder.load.didactico import div_attrs, find_chapter
from guidebuilder.model.dates import fecha
from guidebuilder.model.errors import GuideError
from guidebuilder.model.guide import Guide
from guidebuilder.pandoc import ast as A
from guidebuilder.pandoc.convert import document, meta_string
from guidebuilder.pandoc.tools import pandoc_path, pandoc_version, run_tool, source_date_epoch_env

ITEMS_PER_COLUMN = 8  # a slide's list: up to 8 items in one column, up to 16 in two
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


# ---------------------------------------------------------------- the deck's blocks

def deck_blocks(guide: Guide, charts: dict[str, tuple[str, str, str]]) -> list:
    """taller.md with every block that points at the guide replaced by what it points at.
    `charts`: chart group -> (image file, caption, alt text), filled with the charts the deck shows."""
    out: list = []
    for block in guide.didactico.workshop:
        if block.get("t") == "Div":
            classes, attrs = block["c"][0][1], div_attrs(block)
            name = next((c for c in classes if c in EXPAND), None)
            if name is not None:
                out.extend(EXPAND[name](guide, attrs, charts))
                continue
        out.append(block)
    return out


def section_blocks(guide: Guide, chapter, section: str | None) -> list:
    """A chapter's blocks under the header `section` (as written), down to the next header of its level."""
    blocks = list(chapter.blocks)
    if not section:
        return blocks
    wanted = {section, guide.local_ids.get(chapter.id, {}).get(section, section)}
    for i, block in enumerate(blocks):
        if block.get("t") == "Header" and block["c"][1][0] in wanted:
            level, end = block["c"][0], i + 1
            while end < len(blocks) and not (blocks[end].get("t") == "Header" and blocks[end]["c"][0] <= level):
                end += 1
            return blocks[i + 1:end]
    return []


def lead(item: list) -> str:
    """What a list item says first: its bold lead when it opens with one, else its first sentence."""
    first = item[0] if item else {}
    inls = first.get("c", []) if first.get("t") in ("Plain", "Para") else []
    if inls and inls[0].get("t") == "Strong":
        return A.stringify(inls[0]).strip()
    text = " ".join(A.stringify(first).split())
    m = re.match(r"(.+?[.;:])(\s|$)", text)
    return (m.group(1) if m else text).rstrip(";:")


def _no_notes(node):
    """Without footnotes and without the book's numbering labels ("Tabla 2.1."): a slide is not the book."""
    return A.walk(node, lambda n: [] if n.get("t") == "Note" or (n.get("t") == "Span" and "gb-caption-label" in
                                                                   n["c"][0][1]) else None)


def expand_chapter(guide: Guide, attrs: dict, charts: dict) -> list:
    chapter = find_chapter(guide.chapters, attrs["id"])
    take = attrs.get("tomar", "lista")
    if take == "resumen":
        return [A.para(chapter.summary or chapter.title)]
    kinds = {"lista": ("BulletList", "OrderedList"), "parrafo": ("Para",), "tabla": ("Table",),
             "recuadro": ("Div",)}[take]
    hits: list = []  # the first one in the section, looking inside boxes too (e.g. the steps' list)
    A.visit(section_blocks(guide, chapter, attrs.get("seccion")),
            lambda n: hits.append(n) if n.get("t") in kinds else None)
    found = hits[0] if hits else None
    if found is None:
        raise GuideError(f"{guide.didactico.workshop_file}: la sección '{attrs.get('seccion', '')}' del capítulo "
                         f"'{chapter.id}' no tiene {take}; elija otro tomar= (lista, parrafo, recuadro, tabla, resumen)")
    if take == "lista":
        items = found["c"] if found["t"] == "BulletList" else found["c"][1]
        return [slide_list(guide, [lead(item) for item in items], f"la sección '{attrs.get('seccion', '')}'")]
    if take == "parrafo":
        return [A.para(" ".join(A.stringify(found).split()))]
    if take == "recuadro":  # a box's paragraphs, as plain text
        return [A.para(" ".join(A.stringify(b).split())) for b in found["c"][1] if b.get("t") in ("Para", "Plain")]
    return _no_notes([found])


def example_practice(guide: Guide, step):
    """The practice shown with a step: didactico.yml's choice, else the first verified public one."""
    chosen = guide.didactico.config.examples.get(step.id)
    public = guide.public_practices()
    if chosen:
        return next((p for p in public if p.id == chosen), None)
    fits = [p for p in public if step.id in p.steps]
    return next((p for p in fits if p.verification == "verificada"), fits[0] if fits else None)


def expand_steps(guide: Guide, attrs: dict, charts: dict) -> list:
    if attrs.get("vista") == "lista":
        return [{"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}],
                                           [[A.plain(s.title)] for s in guide.data.steps]]}]
    out = []
    total = len(guide.data.steps)
    for step in guide.data.steps:
        out += [A.header(2, f"Paso {step.number} de {total}. {step.title}"), A.para(step.summary)]
        practice = example_practice(guide, step)
        if practice is None:
            continue
        out.append(A.para(A.strong("Ejemplo: "), A.inlines(f"{practice.title} — {practice.institution}, "
                                                            f"{practice.place} ({practice.year}).")))
        notes = [A.para(" ".join(practice.summary.split()))]
        if practice.sources:
            s = practice.sources[0]
            notes.append(A.para("Fuente: " + s.title + (f" ({s.publisher})" if s.publisher else "") + "."))
        out.append(A.div(notes, ["notes"]))
    return out


def expand_channels(guide: Guide, attrs: dict, charts: dict) -> list:
    kind = attrs.get("tipo")
    items = [c for c in guide.data.channels if not kind or c.kind == kind]
    return [slide_list(guide, [c.name for c in items], f"los canales {kind or ''}".strip()),
            A.div([A.para(f"{c.name}: {c.summary}") for c in items], ["notes"])]


def chart_figure(guide: Guide, group: str) -> tuple[str, str, str]:
    """(file in guide.generated, caption, alt text) of the chapters' chart of `group`."""
    for chapter in guide.chapters:
        for d in chapter.directives:
            if d.name != "chart" or d.attrs.get("group") != group:
                continue
            ident = f"grafica-{chapter.id}-{d.index + 1}"
            wanted = {ident, guide.local_ids.get(chapter.id, {}).get(ident, ident)}
            found: list = []
            A.visit(list(chapter.blocks), lambda n: found.append(n) if n.get("t") == "Figure"
                    and n["c"][0][0] in wanted else None)
            if found:
                image: list = []
                A.visit(found[0]["c"][2], lambda n: image.append(n) if n.get("t") == "Image" else None)
                caption = _no_notes(found[0]["c"][1][1])
                return image[0]["c"][2][0], " ".join(A.stringify(caption).split()), A.stringify(image[0]["c"][1])
    raise GuideError(f"{guide.didactico.workshop_file}: la guía no dibujó la gráfica del grupo '{group}'")


def expand_chart(guide: Guide, attrs: dict, charts: dict) -> list:
    group = attrs["grupo"]
    source, caption, alt = chart_figure(guide, group)
    name = f"grafica-{group}.png"
    charts[group] = (source, caption, alt, name)
    return [{"t": "Figure", "c": [A.attr(), [None, [A.plain(caption)]], [A.plain(A.image(caption, name))]]}]


def expand_sections(guide: Guide, attrs: dict, charts: dict) -> list:
    chapter = find_chapter(guide.chapters, attrs["capitulo"])
    titles = [A.stringify(b["c"][2]) for b in chapter.blocks if b.get("t") == "Header" and b["c"][0] == 2
              and "unlisted" not in b["c"][1][1]]
    return [slide_list(guide, titles, f"las secciones de '{chapter.id}'")]


def slide_list(guide: Guide, texts: list[str], what: str) -> dict:
    """A list that fits its slide: one column up to ITEMS_PER_COLUMN items, else two columns (pandoc's
    "Two Content" layout); a list too long for two columns stops the build, as nothing may run off a slide."""
    items = [[A.plain(t)] for t in texts]
    if len(items) <= ITEMS_PER_COLUMN:
        return A.bullet_list(items)
    if len(items) > 2 * ITEMS_PER_COLUMN:
        raise GuideError(f"{guide.didactico.workshop_file}: {what} dan {len(items)} puntos y una diapositiva "
                         f"admite {2 * ITEMS_PER_COLUMN}; repártalos en dos bloques (por ejemplo con tipo= o "
                         "seccion=) o elija otra parte de la guía")
    half = (len(items) + 1) // 2
    return A.div([A.div([A.bullet_list(items[:half])], ["column"]), A.div([A.bullet_list(items[half:])], ["column"])],
                 ["columns"])


EXPAND = {"capitulo": expand_chapter, "pasos": expand_steps, "canales": expand_channels,
          "grafica": expand_chart, "secciones": expand_sections}


# ---------------------------------------------------------------- pandoc and the PowerPoint file

def deck_meta(guide: Guide) -> dict:
    c = guide.didactico.config
    meta = {"title": meta_string(c.workshop_title), "author": meta_string(guide.config.publisher),
            "date": meta_string(fecha(guide.config.date)), "lang": meta_string(guide.config.language)}
    if c.workshop_audience:
        meta["subtitle"] = meta_string(c.workshop_audience)
    return meta


def write_pptx(guide: Guide, blocks: list, images: dict[str, bytes], alts: dict[str, str], reference,
               cache) -> bytes:
    """The deck through pandoc (cached by its input), with each image's alt text set and ids made unique."""
    import tempfile
    from pathlib import Path

    doc = document(blocks, deck_meta(guide))
    ref = reference.read_bytes() if reference else b""
    epoch = int(__import__("datetime").datetime(guide.config.date.year, guide.config.date.month,
                                                guide.config.date.day).timestamp())
    key = digest("pptx", source_digest("render/didactico/slides.py"), pandoc_version(), doc, ref, sorted((k, digest(v)) for k, v in images.items()), alts,
                 epoch)

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="gb-pptx-") as tmp:
            for name, data in images.items():
                (Path(tmp) / name).write_bytes(data)
            args = [pandoc_path(), "-f", "json", "-t", "pptx", "--slide-level=2", "-o", "-",
                    f"--resource-path={tmp}"] + ([f"--reference-doc={reference}"] if reference else [])
            data = run_tool(args, "pandoc", "writing the workshop's slides (PowerPoint)", input=doc,
                            env=source_date_epoch_env(epoch))
        return finish_pptx(data, alts)

    return cache.bytes("didactico", key, make)


def finish_pptx(data: bytes, alts: dict[str, str]) -> bytes:
    """Alt text on every picture (pandoc writes the file name), unique shape ids, fixed zip times."""
    from lxml import etree

    def edit(name: str, body: bytes) -> bytes:  # unique shape ids on each slide; each picture's alt text
        if not re.fullmatch(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml", name):
            return body
        root = etree.fromstring(body)
        for number, el in enumerate(root.iter(f"{{{P_NS}}}cNvPr"), start=1):
            el.set("id", str(number))
            descr = el.get("descr")
            if descr is not None:
                el.set("descr", alts.get(descr.rsplit("/", 1)[-1], descr))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return normalise_zip(data, edit=edit)


# ---------------------------------------------------------------- the slides as PDF (LibreOffice)

def pdf_of(data: bytes, name: str, fonts: list, cache) -> bytes:
    """The file laid out by LibreOffice as PDF (cached by its bytes and the fonts), made reproducible."""
    key = digest("soffice-pdf", source_digest("render/didactico/slides.py"), data, sorted(digest(f.read_bytes()) for f in fonts), name)
    return cache.bytes("didactico", key, lambda: normalise_pdf(soffice_pdf(data, name, fonts)))


def soffice_pdf(data: bytes, name: str, fonts: list) -> bytes:
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from guidebuilder.model.errors import ToolError
    from guidebuilder.pandoc.tools import tool_timeout

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ToolError("LibreOffice", f"making the PDF of {name}", "soffice is not installed",
                        "install LibreOffice (scripts/system-deps.sh build)")
    with tempfile.TemporaryDirectory(prefix="gb-soffice-") as tmp:
        folder = Path(tmp) / "profile" / "user" / "fonts"  # the guide's fonts, for LibreOffice only
        folder.mkdir(parents=True)
        for font in fonts:
            shutil.copyfile(font, folder / font.name)
        source = Path(tmp) / name
        source.write_bytes(data)
        done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                               "pdf", "--outdir", tmp, str(source)], capture_output=True, text=True,
                              timeout=tool_timeout())
        pdf = source.with_suffix(".pdf")
        if done.returncode != 0 or not pdf.is_file():
            raise ToolError("LibreOffice", f"making the PDF of {name}", (done.stderr or done.stdout).strip()[:300],
                            "check that LibreOffice works: soffice --headless --convert-to pdf FILE")
        return pdf.read_bytes()


def normalise_pdf(data: bytes) -> bytes:
    """LibreOffice's PDF without its dates, producer, metadata, checksum and random id. qpdf's deterministic id
    still reflects the input's random one, so the file's id is replaced by one made from its own bytes
    (the same length: the offsets stay right)."""
    import hashlib

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    for key in ("/CreationDate", "/ModDate", "/Producer", "/Creator"):
        if key in pdf.docinfo:
            del pdf.docinfo[key]
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]
    if "/DocChecksum" in pdf.trailer:  # LibreOffice's, different at every run
        del pdf.trailer["/DocChecksum"]
    out = io.BytesIO()
    pdf.save(out, static_id=True, compress_streams=True)
    raw = out.getvalue()
    found = re.search(rb"/ID \[ *<([0-9a-fA-F]{32})> *<([0-9a-fA-F]{32})> *\]", raw)
    if found is None:
        return raw
    def with_id(value: bytes) -> bytes:
        return raw[:found.start(1)] + value + raw[found.end(1):found.start(2)] + value + raw[found.end(2):]

    # qpdf keeps the input's first id; the hash is of the file without either
    return with_id(hashlib.sha256(with_id(b"0" * 32)).hexdigest()[:32].encode())
