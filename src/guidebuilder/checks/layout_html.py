"""Layout findings for the HTML site, measured in headless Chromium at a phone width and a desktop width.

Each page is opened from a plain static server on 127.0.0.1 (what any web host does) and measured by
one script (`MEASURE_JS`): content wider than the screen (overflow), text under 12 CSS px, chart text
drawn under 12 px once the SVG is scaled to its place (small-text), and markup that reached the reader
as text (raw-markup). A full-page screenshot of each view can be kept as a thumbnail for the proof sheet.

Playwright comes with the test extras; this module imports it only when it runs.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

from guidebuilder.checks.findings import Finding

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars"]
MIN_PX = 12.0  # smallest text size allowed on screen, CSS px
THUMB_WIDTH = 360  # px wide of a kept screenshot
MAX_SHOT_HEIGHT = 16000  # CSS px: a longer page is shot from the top down to here (Chromium's texture limit)
VIEW_HEIGHT = 800
MAX_WIDE = 10  # wide elements named per page and view; the rest are counted

MARKUP = {
    "tag": r"<\/?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?\/?>",
    "comment": r"<!--|-->",
    "link": r"\]\(\s*(https?:|mailto:|[\w./-]+\.md\b)",
    "fence": r":::",
    "attributes": r"\{\s*[.#][A-Za-z][\w-]*[^{}]*\}",
}
MARKUP_ES = {
    "tag": "una etiqueta HTML", "comment": "un comentario HTML", "link": "un enlace de Markdown sin convertir",
    "fence": "una marca de bloque «:::»", "attributes": "atributos de Markdown «{.clase}»",
}

MEASURE_JS = r"""
async ({narrow, minPx, maxWide, patterns}) => {
  const vw = document.documentElement.clientWidth;
  const body = document.body;
  const memo = new Map(), clipMemo = new Map();
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) return s + '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const start = el => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  // not drawn, or drawn inside a one-pixel clip (the usual "visually hidden" text for screen readers)
  const hidden = el => {
    if (!el || el === body || el === document.documentElement) return false;
    if (memo.has(el)) return memo.get(el);
    let h = !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
    if (!h) {
      const cs = getComputedStyle(el), r = el.getBoundingClientRect();
      h = (cs.clip !== 'auto' && cs.position === 'absolute') || ((r.width <= 1 || r.height <= 1) && cs.overflow !== 'visible')
        || hidden(el.parentElement);
    }
    memo.set(el, h);
    return h;
  };
  // the nearest ancestor that does not let its content spill sideways (it scrolls or clips it)
  const clipper = el => {
    const p = el.parentElement;
    if (!p || p === body) return null;
    if (clipMemo.has(p)) return clipMemo.get(p);
    const c = getComputedStyle(p).overflowX !== 'visible' ? p : clipper(p);
    clipMemo.set(p, c);
    return c;
  };
  for (const img of document.images) img.loading = 'eager';
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(ok => { i.onload = i.onerror = ok; })));
  await document.fonts.ready;
  const all = [...body.querySelectorAll('*')];
  const out = {vw, scrollWidth: document.documentElement.scrollWidth, wide: [], wideCount: 0, scrollers: [],
               small: null, smallCount: 0, markup: [], charts: []};
  const reported = [];
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 || r.width === 0 || r.height === 0 || clipper(el) || hidden(el)) continue;
    if (reported.some(p => p.contains(el))) continue;
    reported.push(el);
    out.wideCount++;
    if (out.wide.length < maxWide) out.wide.push({name: name(el), text: start(el), right: r.right, width: r.width});
  }
  if (narrow) for (const el of all) {
    const x = getComputedStyle(el).overflowX;
    if ((x !== 'auto' && x !== 'scroll') || el.scrollWidth <= el.clientWidth + 1 || clipper(el) || hidden(el)) continue;
    const cap = el.querySelector('caption');
    out.scrollers.push({name: name(el), text: cap ? start(cap) : start(el), table: !!el.querySelector('table'),
                        scrollWidth: el.scrollWidth, width: el.clientWidth});
  }
  const res = Object.entries(patterns).map(([k, p]) => [k, new RegExp(p)]);
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, t = n.data.replace(/\s+/g, ' ').trim();
    if (!t || !el || el.closest('script, style, noscript, template, title') || hidden(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < minPx) {
      out.smallCount++;
      if (!out.small || size < out.small.size) out.small = {size, text: t.slice(0, 60), name: name(el)};
    }
    if (el.closest('code, pre, kbd, samp')) continue;
    const hits = res.map(([k, re]) => [k, re.exec(t)]).filter(([k, m]) => m);
    if (!hits.length) continue;
    const at = Math.min(...hits.map(([k, m]) => m.index));
    out.markup.push({patterns: hits.map(([k]) => k), name: name(el), text: t.slice(Math.max(0, at - 30), at + 70)});
  }
  for (const img of document.images) {
    const src = img.currentSrc || img.src;
    if (!/^data:image\/svg\+xml|\.svg([?#]|$)/i.test(src) || hidden(img)) continue;
    out.charts.push(await chartText(img, src, name(img)));
  }
  return out;

  // the smallest text of an SVG drawn as an <img>: its font size times the scale from the SVG's
  // user units to the image's place on the page (viewBox and transforms), measured on a copy of the
  // SVG laid out at the same size in a shadow root, where the page's styles do not reach
  async function chartText(img, src, label) {
    const r = img.getBoundingClientRect();
    const info = {name: label, src: src.startsWith('data:') ? 'data:' : src, alt: (img.alt || '').slice(0, 60),
                  width: r.width, texts: 0, size: null, text: ''};
    let svg;
    try {
      const doc = new DOMParser().parseFromString(await (await fetch(src)).text(), 'image/svg+xml');
      svg = doc.documentElement;
    } catch (e) { return info; }
    if (!svg || svg.localName !== 'svg') return info;
    svg.querySelectorAll('script, foreignObject').forEach(e => e.remove());
    const texts = svg.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'text');
    info.texts = texts.length;
    if (!texts.length) return info;
    const host = document.createElement('div');
    host.style.cssText = 'all: initial; position: absolute; left: -100000px; top: 0';
    const copy = document.importNode(svg, true);
    copy.setAttribute('width', r.width);
    copy.setAttribute('height', r.height);
    host.attachShadow({mode: 'closed'}).appendChild(copy);
    body.appendChild(host);
    for (const t of copy.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'text')) {
      const m = t.getCTM(), size = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      if (info.size === null || size < info.size) { info.size = size; info.text = t.textContent.trim().slice(0, 60); }
    }
    host.remove();
    return info;
  }
}
"""


def shot_name(page: str, width: int) -> str:
    """The screenshot's file name: "catalogo/canales.html" at 360 -> "catalogo-canales-360.png"."""
    stem = page[:-5] if page.endswith(".html") else page
    return f"{stem.replace('/', '-')}-{width}.png"


@contextlib.contextmanager
def serve(site: Path, handler: type | None = None) -> Iterator[str]:
    """The folder on a static file server on 127.0.0.1 (a plain, quiet one unless `handler` is given, a
    SimpleHTTPRequestHandler); yields its base address."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler or Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """One headless Chromium (Playwright) for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("Playwright no está instalado: instale las dependencias de prueba "
                           "(pip install -e '.[test]') para revisar el sitio en un navegador.") from exc
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"No se encontró Chromium en {CHROMIUM} (scripts/system-deps.sh test lo instala).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def site_findings(site: Path, pages: list[str], shots: Path | None,
                  widths=(360, 1280)) -> tuple[list[Finding], dict]:
    """Open each page of the built site at each width; return the layout findings, in page then width
    order, and {page: {width: screenshot path relative to shots}} (empty when shots is None)."""
    order = list(dict.fromkeys(pages))
    missing = [page for page in order if not (site / page).is_file()]
    if missing:
        raise FileNotFoundError(f"No están en {site}: {', '.join(missing)}")
    findings: list[Finding] = []
    taken: dict[str, dict[int, str]] = {}
    seen_markup: set[tuple[str, str]] = set()
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, chromium() as browser:
        for width in widths:
            context = browser.new_context(viewport={"width": width, "height": VIEW_HEIGHT}, device_scale_factor=1,
                                          service_workers="block")
            context.route("**/*", _local_only(base))
            tab = context.new_page()
            for page in order:
                tab.goto(base + page, wait_until="load")
                measured = measure(tab, narrow=width <= 360)
                findings += view_findings(page, width, measured, seen_markup)
                if shots is not None:
                    taken.setdefault(page, {})[width] = shoot(tab, shots / shot_name(page, width))
            context.close()
    rank = {page: i for i, page in enumerate(order)}
    findings.sort(key=lambda f: (rank[f.output.removeprefix("html/")], widths.index(int(f.view))))
    return findings, {page: taken[page] for page in order if page in taken}


def _local_only(base: str):
    """A route handler: requests to the local server go through; anything else is refused (offline)."""
    def handle(route):
        if route.request.url.startswith(base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()
    return handle


def measure(tab, narrow: bool) -> dict:
    """Run the measuring script on the open page."""
    return tab.evaluate(MEASURE_JS, {"narrow": narrow, "minPx": MIN_PX, "maxWide": MAX_WIDE, "patterns": MARKUP})


def shoot(tab, dest: Path) -> str:
    """A full-page screenshot (down to MAX_SHOT_HEIGHT) saved as a THUMB_WIDTH px wide PNG; returns its name."""
    from PIL import Image

    size = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": size[0], "height": min(size[1], MAX_SHOT_HEIGHT)}
    image = Image.open(io.BytesIO(tab.screenshot(full_page=True, clip=clip, animations="disabled",
                                                  caret="hide")))
    image = image.convert("RGB")
    if image.width > THUMB_WIDTH:
        height = max(1, round(image.height * THUMB_WIDTH / image.width))
        image = image.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    dest.write_bytes(buf.getvalue())
    return dest.name


def view_findings(page: str, width: int, m: dict, seen_markup: set) -> list[Finding]:
    """The findings of one page at one width, from the measuring script's answer."""
    out = overflow_findings(page, width, m) + small_text_findings(page, width, m)
    for hit in m["markup"]:
        if (page, hit["text"]) not in seen_markup:
            seen_markup.add((page, hit["text"]))
            out.append(markup_finding(page, width, hit))
    return out


def _finding(page: str, width: int, kind: str, message: str, detail: dict) -> Finding:
    return Finding(output=f"html/{page}", kind=kind, message=message, view=str(width), detail=detail)


def overflow_findings(page: str, width: int, m: dict) -> list[Finding]:
    """Elements reaching past the right edge, a page that scrolls sideways, and (on a phone) tables that do."""
    out = []
    for el in m["wide"]:
        out.append(_finding(page, width, "overflow",
                            f"En {page}, a {width} px de ancho, el elemento {el['name']} («{el['text']}») mide "
                            f"{el['width']:.0f} px y llega a {el['right']:.0f} px: se sale de la pantalla. Quite el "
                            "ancho fijo o permita que el contenido se acomode en varias líneas.",
                            {**el, "viewport": m["vw"], "scroll_width": m["scrollWidth"], "count": m["wideCount"]}))
    if not m["wide"] and m["scrollWidth"] > m["vw"]:
        out.append(_finding(page, width, "overflow",
                            f"En {page}, a {width} px de ancho, la página se desplaza de lado (mide "
                            f"{m['scrollWidth']} px y caben {m['vw']} px). Busque el contenido con ancho fijo.",
                            {"viewport": m["vw"], "scroll_width": m["scrollWidth"]}))
    for box in m["scrollers"]:
        what = "La tabla" if box["table"] else "El bloque"
        out.append(_finding(page, width, "overflow",
                            f"{what} «{box['text']}» de {page} se desplaza de lado en una pantalla de {width} px "
                            f"(su contenido mide {box['scrollWidth']} px y caben {box['width']} px): en un teléfono "
                            "no se lee completa. Use menos columnas, divídala en tablas más angostas o conviértala "
                            "en una lista.",
                            {**box, "what": "tabla que se desplaza de lado"}))
    return out


def small_text_findings(page: str, width: int, m: dict) -> list[Finding]:
    """The smallest text of the page under MIN_PX, and each chart whose text is drawn under it."""
    out = []
    small = m["small"]
    if small:
        out.append(_finding(page, width, "small-text",
                            f"En {page}, a {width} px de ancho, hay texto de {small['size']:.1f} px (mínimo "
                            f"{MIN_PX:.0f} px), por ejemplo «{small['text']}» en {small['name']}; "
                            f"{m['smallCount']} fragmentos en total. Aumente el tamaño de letra en la hoja de estilos.",
                            {**small, "count": m["smallCount"]}))
    for chart in m["charts"]:
        if chart["size"] is not None and chart["size"] < MIN_PX:
            out.append(_finding(page, width, "small-text",
                                f"En {page}, a {width} px de ancho, la gráfica {chart['src']} («{chart['alt']}») se "
                                f"dibuja a {chart['width']:.0f} px de ancho y su texto queda de {chart['size']:.1f} px "
                                f"(mínimo {MIN_PX:.0f} px), por ejemplo «{chart['text']}». Aumente la letra de la "
                                "gráfica o dibújela más angosta.",
                                chart))
    return out


def markup_finding(page: str, width: int, hit: dict) -> Finding:
    """Markup the reader sees as text."""
    what = " y ".join(MARKUP_ES[k] for k in hit["patterns"])
    return _finding(page, width, "raw-markup",
                    f"En {page} se ve {what} como texto: «{hit['text']}» (en {hit['name']}). "
                    "Corrija el marcado en el capítulo o el dato de origen.",
                    hit)
