"""Time the site's search on a slow line: 400 kbit/s down and up, 400 ms round trip, cold cache.

Serves build/html on 127.0.0.1 with a small static server that gzips text files (HTML, JS, CSS, JSON,
SVG) as a real host does (pagefind's own .pf_* and .pagefind files are already gzip inside and go as
they are), opens buscar.html in headless Chromium with the line throttled through the DevTools protocol
(Network.emulateNetworkConditions; Network.setCacheDisabled, a new browser context for every run),
starts typing a query at 8 keys a second 2.5 s after navigation start (a person who sees the field and
types; --type-at), and reads in the page:

- keystroke→text: from the first keystroke to the first full-text result on screen
- keystroke→any: from the first keystroke to the first result of any kind (title matches included)
- last→text: from the last keystroke to the first full-text result (what is left to wait once typed)
- nav→text: from navigation start to the first full-text result
With --direct it opens buscar.html?q=QUERY instead (the search fields of the other pages send there); the
keystroke columns then count from navigation start. With --from-home it opens the home page first on the
same line with the cache on (a reader who arrives there, then searches), types the query into its search
field and sends it: the keystroke columns count from the keystrokes on the home page.
- bytes: what crossed the line (encoded sizes), and how many requests

Build first: `.venv/bin/guidebuilder build -q --format html`. Then
`.venv/bin/python dev/searchspeed.py [--site build/html] [--runs 2] [--query "paso 3" ...]`.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import statistics
from pathlib import Path

from guidebuilder.checks.layout_html import serve as serve_folder

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["paso 3", "radio", "datos abiertos", "trasparencia"]
TEXT = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml"}
CACHE = "max-age=600"
LINE = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}

# Page-side probe: times (performance.now(), ms from navigation start) of the first keystroke, the first
# result of any kind, and the first full-text result (the list marked data-fuente="texto" by buscar.js).
PROBE = """
(() => {
  const t = window.__t = {};
  addEventListener("keydown", () => { t.last = performance.now(); if (t.key === undefined) t.key = t.last; }, true);
  new MutationObserver(() => {
    const list = document.getElementById("resultados");
    if (!list) return;
    if (t.any === undefined && list.children.length) t.any = performance.now();
    if (t.text === undefined && list.dataset.fuente === "texto" && list.children.length) t.text = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
})();
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzipped when the browser accepts it, all kept ten minutes by the browser
    (as a common static host serves them)."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):  # the browser closed while a file was on its way
            pass

    def end_headers(self) -> None:
        if not self._headers_buffer or b"Cache-Control" not in b"".join(self._headers_buffer):
            self.send_header("Cache-Control", CACHE)
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in TEXT or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.send_header("Cache-Control", CACHE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path):
    return serve_folder(site, Handler)


def one_run(browser, base: str, query: str, width: int, direct: bool = False, type_at: float = 2.5,
            home: bool = False) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.add_init_script(PROBE)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if home:  # the home page first, on the same line, its files kept in the browser's cache as usual
        cdp.send("Network.emulateNetworkConditions", LINE)
        page.goto(base + "index.html", wait_until="load")
    else:
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", LINE)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    times: dict[str, list[float]] = {}

    def sent(e) -> None:
        urls[e["requestId"]] = e["request"]["url"]
        times[e["requestId"]] = [e["timestamp"]]

    def failed(e) -> None:
        if e["requestId"] in urls:
            print("    failed:", urls[e["requestId"]].replace(base, ""), e.get("errorText"), e.get("canceled"))

    cdp.on("Network.loadingFailed", failed)

    def done(e) -> None:
        if e["requestId"] in urls:  # not a late one of the home page
            sizes[e["requestId"]] = e["encodedDataLength"]
            times[e["requestId"]].append(e["timestamp"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", done)
    home_keys = None
    if home:  # typed into the home page's search field and sent: buscar.html?q=...
        page.click("#q-top")
        page.keyboard.type(query, delay=125)
        home_keys = page.evaluate("[performance.timeOrigin + window.__t.key, performance.timeOrigin + window.__t.last]")
        with page.expect_navigation(wait_until="commit"):
            page.press("#q-top", "Enter")
    elif direct:  # a search sent from another page's search field: buscar.html?q=...
        page.goto(base + "buscar.html?q=" + query.replace(" ", "+"), wait_until="commit")
    else:
        page.goto(base + "buscar.html", wait_until="domcontentloaded")
        page.wait_for_function(f"performance.now() >= {type_at * 1000}", polling=20)
        page.click("#q")
        page.keyboard.type(query, delay=125)
    page.wait_for_function("window.__t.text !== undefined", timeout=60_000)
    page.wait_for_timeout(300)  # let the last fetches finish, for the byte count
    t = page.evaluate("window.__t")
    if home_keys:  # the keystrokes were on the home page: count from them, in this page's time
        origin = page.evaluate("performance.timeOrigin")
        t["key"], t["last"] = home_keys[0] - origin, home_keys[1] - origin
    status = page.inner_text("#estado")
    context.close()
    key, last = t.get("key", 0), t.get("last", 0)
    return {"key_text": (t["text"] - key) / 1000, "key_any": (t["any"] - key) / 1000,
            "last_text": (t["text"] - last) / 1000,
            "nav_text": t["text"] / 1000, "bytes": sum(sizes.values()), "requests": len(urls), "status": status,
            "files": timeline(base, urls, sizes, times)}


def timeline(base: str, urls: dict, sizes: dict, times: dict) -> list[str]:
    """Each request: its start and end (s from the first request), its encoded size and its file."""
    t0 = min(t[0] for t in times.values())
    rows = sorted((t[0] - t0, t[-1] - t0, sizes.get(rid, 0), urls[rid].replace(base, "")) for rid, t in times.items())
    return [f"{a:6.2f} {b:6.2f} {n / 1024:6.1f} KB  {u}" for a, b, n, u in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--query", action="append")
    parser.add_argument("--files", action="store_true", help="list the files each run fetched")
    parser.add_argument("--type-at", type=float, default=2.5, help="seconds after navigation start")
    parser.add_argument("--from-home", action="store_true",
                        help="open the home page first (cache on), then send the query from its search field")
    parser.add_argument("--direct", action="store_true",
                        help="open buscar.html?q=QUERY (a search sent from another page) instead of typing")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with serve(args.site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        print(f"{'query':<16} {'key→text':>9} {'key→any':>8} {'last→text':>9} {'nav→text':>9} {'KB':>6} {'req':>4}  "
              "status")
        for q in args.query or QUERIES:
            runs = [one_run(browser, base, q, args.width, args.direct, args.type_at, args.from_home) for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("key_text", "key_any", "last_text", "nav_text", "bytes")}
            print(f"{q:<16} {med['key_text']:>8.2f}s {med['key_any']:>7.2f}s {med['last_text']:>8.2f}s "
                  f"{med['nav_text']:>8.2f}s "
                  f"{med['bytes'] / 1024:>6.1f} {runs[0]['requests']:>4}  {runs[0]['status']}")
            if args.files:
                print("\n".join("    " + row for row in runs[0]["files"]))
        browser.close()


if __name__ == "__main__":
    main()
