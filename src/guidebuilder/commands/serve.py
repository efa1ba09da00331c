"""`guidebuilder serve`: a live preview of the HTML edition for editors.

Serves build/html on 127.0.0.1, watches guide/ and the assets folders (polling modification
times: no extra dependency), rebuilds the HTML after each save and reloads the browser. The PDF book
is shown in a page (PDF_VIEW) that reloads too, building the book again: only the edited chapters
are laid out again (render/pdf/incremental.py). A build
error is printed in the terminal and shown on the page; the last good build stays served.
The reload script is added to pages only as they are served, never to the built files.
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
import time
import traceback
from html import escape
from pathlib import Path

from guidebuilder.model.messages import language, m, t

VERSION_PATH = "/__guidebuilder/version"
PDF_PATH = "/__guidebuilder/pdf"  # builds the PDF book when the guide changed, then shows it
PDF_VIEW = "/__guidebuilder/libro"  # the PDF in a page that reloads it (built again) after each save
# the link added to every page as it is served (beside the single-file edition, else at the page's foot)
PDF_LINK = '<li><a href="%s">{link}</a></li>' % PDF_VIEW
PDF_CORNER = ('<p style="position:fixed;right:.5rem;bottom:.5rem;margin:0;background:#fff;padding:.3rem .6rem;'
              'border:1px solid #555;z-index:98"><a href="%s">{corner}</a></p>' % PDF_VIEW)
POLL_SECONDS = 0.5

# Polls the version endpoint; reloads when a new build is in, shows the build error when there is one.
RELOAD_SCRIPT = """<script>(function(){var v=null;var box=null;
function show(msg){if(!box){box=document.createElement('div');box.setAttribute('role','alert');
box.style.cssText='position:fixed;left:0;right:0;top:0;z-index:99;background:#7a1010;color:#fff;padding:1rem;'+
'font:15px/1.4 monospace;white-space:pre-wrap;max-height:60vh;overflow:auto';document.body.prepend(box);}
box.textContent=%s+'\\n\\n'+msg;}
function tick(){fetch('%s',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
if(v!==null&&s.version!==v){location.reload();return;}v=s.version;if(s.error){show(s.error);}
else if(box){box.remove();box=null;}}).catch(function(){}).finally(function(){setTimeout(tick,1000);});}
tick();})();</script>"""


def reload_script() -> str:
    """The reload script with the banner's heading in the editors' language."""
    return RELOAD_SCRIPT % (json.dumps(t("serve.banner")), VERSION_PATH)


class State:
    """The preview's state, shared by the watcher and the server threads."""

    def __init__(self, guide: Path | None = None, out: Path | None = None) -> None:
        self.lock = threading.Lock()
        self.pdf_lock = threading.Lock()  # one PDF build at a time
        self.version = 0
        self.error = ""
        self.guide, self.out = guide or Path("guide"), out or Path("build")

    def set(self, error: str) -> None:
        with self.lock:
            if not error:
                self.version += 1
            self.error = error

    def json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode()


def register(subparsers, common) -> None:
    from guidebuilder.model.messages import t

    p = subparsers.add_parser("serve", help=t("help.serve"))
    common(p)
    p.add_argument("--port", type=int, default=8000, metavar=t("meta.port"), help=t("help.serve.port"))
    p.add_argument("--out", type=Path, default=Path("build"), metavar=t("meta.out"), help=t("help.serve.out"))
    p.set_defaults(func=cmd_serve)


def watched_folders(guide_dir: Path) -> list[Path]:
    from guidebuilder.builder.state import asset_dirs

    root = guide_dir.resolve()
    return list(dict.fromkeys([root, *asset_dirs(root)]))


def snapshot(folders: list[Path]) -> dict:
    """Modification time and size of every file under the folders (editor swap files included)."""
    seen: dict = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    st = path.stat()
                    seen[str(path)] = (st.st_mtime_ns, st.st_size)
            except OSError:  # deleted while we looked
                continue
    return seen


def _print(message: str, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)


def rebuild(guide_dir: Path, out: Path, state: State, say=_print) -> bool:
    """Build the HTML; on error tell the terminal and the page, and keep the previous build."""
    from guidebuilder.builder.orchestrator import build
    from guidebuilder.model.errors import GuideError

    start = time.perf_counter()
    try:
        build(guide_dir, out, ["html"])
    except GuideError as exc:
        message = "\n".join(d.format() for d in exc.diagnostics)
        say(f"{message}\n{t('serve.failed')}", err=True)
        state.set(message)
        return False
    except Exception:  # a bug: keep the preview alive, show the traceback
        message = traceback.format_exc()
        say(f"{message}\n{t('serve.crashed')}", err=True)
        state.set(message)
        return False
    say(t("serve.updated", seconds=f"{time.perf_counter() - start:.1f}"))
    state.set("")
    return True


def with_preview_parts(page: bytes) -> bytes:
    """A served page with the reload script and a link to the PDF (never added to the built files)."""
    script = reload_script().encode()
    marker = b"-completa.html"
    at = page.find(marker)
    end = page.find(b"</li>", at) if at >= 0 else -1
    if end >= 0:
        page = page[:end + 5] + PDF_LINK.format(link=escape(t("serve.pdf_link"))).encode() + page[end + 5:]
    else:
        script = PDF_CORNER.format(corner=escape(t("serve.pdf_corner"))).encode() + script
    return page.replace(b"</body>", script + b"</body>", 1) if b"</body>" in page else page + script


def book_file(folder: Path) -> Path | None:
    """The PDF book in build/pdf (not its large-print edition)."""
    books = sorted(p for p in folder.glob("*.pdf") if not p.stem.endswith("-letra-grande")) if folder.is_dir() else []
    return books[0] if books else None


def rebuild_pdf(state: State) -> str:
    """Build the PDF book; '' when it is done, else the messages (the cause first)."""
    from guidebuilder.builder.orchestrator import build
    from guidebuilder.model.errors import GuideError

    with state.pdf_lock:
        try:
            build(state.guide, state.out, ["pdf"])
        except GuideError as exc:
            return "\n".join(d.format() for d in exc.diagnostics)
    return ""


def pdf_view(state: State) -> str:
    """The page that shows the PDF book: it asks for the book (built again, through the cache, when
    the guide changed) and reloads after each save, like the site's pages."""
    version = json.loads(state.json())["version"]
    title = escape(t("serve.pdf_view"))
    return (f"<!DOCTYPE html><html lang={language()}><meta charset=utf-8><title>{title}</title>"
            f"<body style=\"margin:0\"><iframe title=\"{title}\" src=\"{PDF_PATH}?v={version}\" "
            f"style=\"border:0;width:100%;height:100vh\"></iframe>{reload_script()}</body></html>")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of build/html, with the reload script added to HTML pages on the way out."""

    state: State

    def __init__(self, *args, state: State, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the parent's signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        route = self.path.split("?")[0]
        if route == VERSION_PATH:
            return self._send(200, "application/json", self.state.json())
        if route == PDF_PATH:
            return self._pdf()
        if route == PDF_VIEW:
            return self._send(200, "text/html; charset=utf-8", pdf_view(self.state).encode())
        if route.startswith("/pdf/"):
            return self._pdf_file(route[len("/pdf/"):])
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(200, "text/html; charset=utf-8", with_preview_parts(path.read_bytes()))
        if not path.exists() and not (Path(self.directory) / "index.html").exists():
            page = f"<!DOCTYPE html><html lang={language()}><title>{escape(t('serve.none_title'))}</title><body>" \
                   f"<p>{escape(t('serve.none'))}</p>{reload_script()}</body></html>".encode()
            return self._send(200, "text/html; charset=utf-8", page)
        return super().do_GET()

    def _pdf(self):
        """Build the PDF (at once when nothing changed since the last one) and send the browser to it."""
        error = rebuild_pdf(self.state)
        if error:
            title = escape(t("serve.pdf_failed"))
            page = (f"<!DOCTYPE html><html lang={language()}><meta charset=utf-8><title>{title}</title>"
                    f"<body><h1>{title}</h1><pre>{escape(error)}</pre>"
                    f"<p><a href='/'>{escape(t('serve.back'))}</a></p></body></html>").encode()
            return self._send(500, "text/html; charset=utf-8", page)
        book = book_file(self.state.out / "pdf")
        if book is None:
            return self._send(404, "text/plain; charset=utf-8", t("serve.no_pdf").encode())
        self.send_response(303)
        self.send_header("Location", f"/pdf/{book.name}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _pdf_file(self, name: str):
        folder = (self.state.out / "pdf").resolve()
        path = (folder / name).resolve()
        if path.parent != folder or path.suffix != ".pdf" or not path.is_file():
            return self._send(404, "text/plain; charset=utf-8", t("serve.no_such_pdf").encode())
        return self._send(200, "application/pdf", path.read_bytes())

    def _send(self, code: int, ctype: str, body: bytes):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def watch(guide_dir: Path, out: Path, state: State, stop: threading.Event, say=_print) -> None:
    folders = watched_folders(guide_dir)
    before = snapshot(folders)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(folders)
        if now != before:
            changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
            time.sleep(0.2)  # let the editor finish writing
            before = snapshot(folders)
            say(t("serve.changed", name=Path(changed[0]).name) if changed else t("serve.changed_guide"))
            rebuild(guide_dir, out, state, say)


def cmd_serve(args, console) -> int:
    def say(message: str, err: bool = False) -> None:
        if err or not console.quiet:
            print(message, file=sys.stderr if err else sys.stdout, flush=True)

    state = State(args.guide, args.out)
    out = args.out
    site = out / "html"
    say(t("serve.building"))
    rebuild(args.guide, out, state, say)
    site.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(Handler, directory=str(site), state=state)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        from guidebuilder.model.errors import Diagnostic, GuideError

        raise GuideError(Diagnostic("guidebuilder", 0, 0, *m("serve.port", port=args.port, detail=exc.strerror))) \
            from None
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(args.guide, out, state, stop, say), daemon=True)
    watcher.start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    say(t("serve.ready", address=address, pdf=f"{address}{PDF_PATH[1:]}"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say(t("serve.stopped"))
    finally:
        stop.set()
        server.server_close()
    return 0
