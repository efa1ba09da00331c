"""What the printed pieces share (the tri-fold leaflet and the poster): the QR code to the site, the
contact block of an entity's edition, fonts unpacked once for WeasyPrint, and the URL fetchers that
keep the PDFs' bytes independent of where the guide lives and convert raster images to CMYK."""

from __future__ import annotations

import base64
import io
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from guidebuilder.core.placeholders import PENDING_URL
from guidebuilder.model.guide import Guide
from guidebuilder.render.paged.fonts import font_faces, unpacked_font


# ---------------------------------------------------------------- QR code

@lru_cache(maxsize=256)
def qr_svg(url: str, fill: str) -> str:
    """The QR code as SVG: dark modules as one path in `fill`, with a white 4-module quiet zone.

    Memoised: every edition and size of a leaflet carries the same codes."""
    import segno

    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix]
    n, border = len(matrix), 4
    size = n + 2 * border
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
            f'height="{size}" shape-rendering="crispEdges">'
            f'<path d="{"".join(parts)}" fill="{fill}"/></svg>')


def qr_data_uri(url: str, fill: str = "#000000") -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, fill).encode()).decode()


def qr_modules(url: str) -> int:
    import segno

    return len(segno.make(url, error="m").matrix)


def contact_html(entity, phrase: str = "") -> str:
    if entity is None or entity.contact is None:  # the guide's own phrase (guide.yml, phrases: contact:)
        return f'<div class="contacto"><p>{escape(phrase)}</p></div>'
    c = entity.contact
    rows = [("Oficina", c.address), ("Horario", c.hours), ("Teléfono", c.phone),
            ("Tablero de avisos", c.bulletin_board)]
    if c.email:
        rows.append(("Correo", c.email))
    if c.web:
        rows.append(("Web", c.web))
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f'<div class="contacto"><p class="entidad">{escape(entity.name)}</p><dl>{items}</dl></div>'


def qr_html(guide: Guide, directive, fill: str) -> str:
    """The QR code to the site with its caption and address; while the address is missing or a placeholder
    (a draft build), the caption and a note saying so instead: no code may lead to a placeholder."""
    caption = directive.attrs.get("caption", "Lee la guía completa")
    url = guide.site_url
    if not url:
        return (f'<div class="qr qr-pendiente"><p>{escape(caption)}</p>'
                f'<p class="pendiente">{escape(PENDING_URL)}</p></div>')
    return (f'<figure class="qr"><img src="{qr_data_uri(url, fill)}" alt="Código QR que lleva a {escape(url)}">'
            f'<figcaption><p>{escape(caption)}</p><p class="url">{escape(url)}</p></figcaption></figure>')


def ttf_font_faces(guide: Guide, cache, folder: Path) -> str:
    """font_faces() with any WOFF2 file that has no TrueType copy in assets/fonts/ unpacked once to
    `folder`: WeasyPrint would otherwise unpack it again in every render (half a leaflet's time)."""
    css = font_faces(guide)

    def unpack(match):
        src = Path(urlsplit(match.group(1)).path)
        dest = folder / (src.stem + ".ttf")
        dest.write_bytes(unpacked_font(src, cache))
        return f'url("{dest.resolve().as_uri()}")'

    return re.sub(r'url\("([^"]+\.woff2)"\)', unpack, css)


VIRTUAL_ROOT = "https://guide.invalid/"  # the guide folder as WeasyPrint sees it (never fetched from a network)


def stable_fetcher(inner, root: Path):
    """Serve VIRTUAL_ROOT/<path> from the guide folder through the offline fetcher `inner`.

    WeasyPrint names each image after the URL it was asked for; with the guide's real folder in the
    URL the PDF's bytes would change when the guide moves. Everything else goes to `inner`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StableFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(VIRTUAL_ROOT):
                return inner.fetch(url, headers)
            rel = unquote(urlsplit(url).path).lstrip("/")
            response = inner.fetch((root / rel).as_uri(), headers)
            return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers.get_content_type()})

    return StableFetcher(allowed_protocols=("file", "data", "https"))


def cmyk_fetcher(inner, icc_path: str):
    """Wrap a URL fetcher so that raster images arrive converted to CMYK through the output profile
    (sRGB → profile, relative colorimetric, alpha flattened on white), as JPEG at quality 95.
    Greyscale images stay grey (DeviceGray is allowed in PDF/X); SVG passes through."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CmykFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            response = inner.fetch(url, headers)
            if url.startswith("data:image/svg") or url.lower().endswith((".svg", ".ttf", ".woff2", ".woff")):
                return response
            data = response.read()
            converted = to_cmyk_jpeg(data, icc_path)
            if converted is None:
                return URLFetcherResponse(url, data, {"Content-Type": response.headers.get_content_type()})
            # not a file: URL, or WeasyPrint would embed the original file's bytes as the JPEG
            return URLFetcherResponse("cmyk:" + url, converted, {"Content-Type": "image/jpeg"})

    return CmykFetcher(allowed_protocols=("file", "data"))


def to_cmyk_jpeg(data: bytes, icc_path: str) -> bytes | None:
    """CMYK JPEG bytes of a raster image, or None when it is not a raster image or needs no change."""
    from PIL import Image, ImageCms, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return None
    if image.mode in ("CMYK", "L", "1"):
        return None
    dpi = image.info.get("dpi")
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(icc_path),
                                        "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    cmyk = ImageCms.applyTransform(image, transform)
    buf = io.BytesIO()
    cmyk.save(buf, format="JPEG", quality=95, subsampling=0, **({"dpi": dpi} if dpi else {}))
    return buf.getvalue()


