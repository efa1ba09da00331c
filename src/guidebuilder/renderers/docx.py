"""The DOCX edition through pandoc with assets/reference.docx (issue 6 takes it further)."""

from __future__ import annotations

import io
import zipfile

from ..convert import document, meta_string
from ..model import Guide
from ..output import write_bytes
from ..tools import pandoc_path, run_tool, source_date_epoch_env
from . import RenderContext

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def epoch(guide: Guide) -> int:
    import calendar

    return calendar.timegm(guide.config.date.timetuple())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with sorted-as-written entries and fixed timestamps, so builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def pandoc_docx(guide: Guide, blocks: list, ctx: RenderContext, extra_args: tuple = ()) -> bytes:
    meta = {"title": meta_string(guide.config.title), "lang": meta_string(guide.config.language),
            "author": {"t": "MetaList", "c": [meta_string(guide.config.publisher)]},
            "date": meta_string(guide.config.date.isoformat())}
    if guide.config.subtitle:
        meta["subtitle"] = meta_string(guide.config.subtitle)
    args = [pandoc_path(), "-f", "json", "-t", "docx", "-o", "-", f"--resource-path={guide.root}"]
    reference = guide.asset("reference.docx")
    if reference:
        args.append(f"--reference-doc={reference}")
    generated_dir = ctx.out.parent / ".generated"
    for name, data in guide.generated.items():
        write_bytes(generated_dir / name, data)
    args.append(f"--resource-path={guide.root}:{generated_dir}")
    args.extend(extra_args)
    data = run_tool(args, "pandoc", "writing the DOCX", input=document(blocks, meta),
                    env=source_date_epoch_env(epoch(guide)))
    return normalise_zip(data)


class DocxRenderer:
    name = "docx"

    def render(self, guide: Guide, ctx: RenderContext) -> None:
        ctx.progress("docx: document")
        blocks = [b for c in guide.chapters for b in c.blocks]
        write_bytes(ctx.out / f"{guide.slug}.docx", pandoc_docx(guide, blocks, ctx, ("--toc",)))
