"""The `consulta` format: the consultation's questionnaire for the field, all from schema.yml
(build/consulta/): the XLSForm for KoboToolbox/ODK, the paper questionnaire (Letter, A4, large
print), the tally sheet, and the data-entry templates (CSV, UTF-8 with a BOM so that Excel reads it).
"""

from __future__ import annotations

import csv
import io

from markupsafe import Markup

from guidebuilder.core.files import write_bytes
from guidebuilder.model.guide import Guide
from guidebuilder.participation import questionnaire as Q
from guidebuilder.render.base import RenderContext, RenderResult
from guidebuilder.render.paged.fonts import font_faces
from guidebuilder.render.paged.weasy import lay_out_all
from guidebuilder.render.templating import environment
from guidebuilder.model.messages import t

LARGE_PRINT_SIZE = {"letter": "letter", "a4": "A4"}


class ConsultaRenderer:
    name = "consulta"

    def editions(self, guide: Guide) -> set[str]:
        return set()

    def render(self, guide: Guide, ctx: RenderContext) -> RenderResult:
        c = guide.data.consultation
        if c is None or c.schema is None:
            ctx.progress(t("progress.consulta_none"))
            return ctx.result()
        spec, files = c.schema, {d.name: d for d in Q.downloads(guide.slug)}
        names = list(files)
        ctx.progress(t("progress.consulta_forms"))
        from guidebuilder.render.consulta.workbook import xlsx_bytes

        write_bytes(ctx.out / names[0], xlsx_bytes(Q.xlsform(spec, guide.slug, guide.config.date),
                                                   guide.config.date, spec.title))
        write_bytes(ctx.out / names[5], csv_bytes([Q.template_header(spec)], spec.delimiter))
        write_bytes(ctx.out / names[6], csv_bytes(Q.tally_rows(spec), spec.delimiter))
        ctx.progress(t("progress.consulta_paper"))
        documents = paper_documents(guide, ctx, names)
        laid = lay_out_all(guide, list(documents.values()), ctx.cache, ctx.parallel)
        for name, result in zip(documents, laid):
            write_bytes(ctx.out / name, result.pdf)
            ctx.laid_out(ctx.out / name, result.pages, result.findings)
        return ctx.result()


def csv_bytes(rows: list[list[str]], delimiter: str) -> bytes:
    """CSV text with a BOM (Excel then reads it as UTF-8) and CRLF line ends, as spreadsheets write it."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def paper_documents(guide: Guide, ctx: RenderContext, names: list[str]) -> dict[str, str]:
    """The HTML of each paper PDF by its file name: questionnaire in Letter, A4 and large print, tally sheet."""
    spec = guide.data.consultation.schema
    env = environment(guide, ctx.cache)
    css_path = guide.asset("templates", "consulta", "consulta.css")
    css = Markup(font_faces(guide) + (css_path.read_text(encoding="utf-8") if css_path else ""))
    base = dict(language=guide.config.language, title=spec.title, publisher=guide.config.publisher,
                date=guide.config.date.isoformat(), css=css, form_id=Q.form_id(spec, guide.slug),
                version=Q.version(spec, guide.config.date))
    form = env.get_template("consulta/cuestionario.html")
    items = Q.items(spec)
    own = guide.config.formats.pdf.page_size
    common = dict(base, items=items, consent=spec.consent or "", privacy=spec.privacy_notice or "",
                  template_name=names[5], columns=_columns, lines=_lines, box=tick_box())
    docs = {names[1]: form.render(common, page_size="letter", large=False),
            names[2]: form.render(common, page_size="A4", large=False),
            names[3]: form.render(common, page_size=LARGE_PRINT_SIZE.get(own, own), large=True)}
    tally = env.get_template("consulta/conteo.html")
    counted = [i for i in items if i.column in Q.counted(spec)]
    docs[names[4]] = tally.render(base, page_size=LARGE_PRINT_SIZE.get(own, own), questions=counted,
                                  tally_template=names[6])
    return docs


def tick_box() -> str:
    """The tick box as a PNG data URI (600 dpi at 6 mm, a 0.4 mm black frame). A raster image, not a drawn
    frame: the layout checks read a frame's top and bottom edges as a writing row too low to write in."""
    import base64

    from PIL import Image, ImageDraw

    side, line = 142, 9
    image = Image.new("L", (side, side), 255)
    ImageDraw.Draw(image).rectangle([0, 0, side - 1, side - 1], outline=0, width=line)
    raw = io.BytesIO()
    image.save(raw, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(raw.getvalue()).decode()


def _columns(item: Q.Item) -> str:
    """How many columns a question's options take: long lists in three, short labels in two."""
    if len(item.choices) > 12:
        return "c3"
    if len(item.choices) > 4 and max(len(text) for _, text in item.choices) <= 28:
        return "c2"
    return ""


def _lines(item: Q.Item) -> int:
    """Writing lines for a free answer: four for a comment, else one."""
    return 4 if item.column.role == "comment" else 1
