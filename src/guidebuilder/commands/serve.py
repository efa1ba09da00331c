"""`guidebuilder serve`: a live preview of the HTML edition for editors.

Serves build/html on 127.0.0.1, watches guide/ and the assets folders (polling modification
times: no extra dependency), rebuilds the HTML after each save and reloads the browser. A build
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
from pathlib import Path

VERSION_PATH = "/__guidebuilder/version"
POLL_SECONDS = 0.5

# Polls the version endpoint; reloads when a new build is in, shows the build error when there is one.
RELOAD_SCRIPT = """<script>(function(){var v=null;var box=null;
function show(msg){if(!box){box=document.createElement('div');box.setAttribute('role','alert');
box.style.cssText='position:fixed;left:0;right:0;top:0;z-index:99;background:#7a1010;color:#fff;padding:1rem;'+
'font:15px/1.4 monospace;white-space:pre-wrap;max-height:60vh;overflow:auto';document.body.prepend(box);}
box.textContent='La vista previa no se actualizó: hay un error.\\n\\n'+msg;}
function tick(){fetch('%s',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
if(v!==null&&s.version!==v){location.reload();return;}v=s.version;if(s.error){show(s.error);}
else if(box){box.remove();box=null;}}).catch(function(){}).finally(function(){setTimeout(tick,1000);});}
tick();})();</script>""" % VERSION_PATH


class State:
    """The preview's state, shared by the watcher and the server threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.error = ""

    def set(self, error: str) -> None:
        with self.lock:
            if not error:
                self.version += 1
            self.error = error

    def json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode()


def register(subparsers, common) -> None:
    p = subparsers.add_parser("serve", help="live preview of the HTML edition on localhost")
    common(p)
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    p.add_argument("--out", type=Path, default=Path("build"), help="build folder (default: build)")
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
        say(f"{message}\nguidebuilder serve: build failed; still serving the last good build", err=True)
        state.set(message)
        return False
    except Exception:  # a bug: keep the preview alive, show the traceback
        message = traceback.format_exc()
        say(f"{message}\nguidebuilder serve: build crashed; still serving the last good build", err=True)
        state.set(message)
        return False
    say(f"guidebuilder serve: rebuilt in {time.perf_counter() - start:.1f} s")
    state.set("")
    return True


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
        if self.path.split("?")[0] == VERSION_PATH:
            return self._send(200, "application/json", self.state.json())
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            script = RELOAD_SCRIPT.encode()
            page = page.replace(b"</body>", script + b"</body>", 1) if b"</body>" in page else page + script
            return self._send(200, "text/html; charset=utf-8", page)
        if not path.exists() and not (Path(self.directory) / "index.html").exists():
            page = f"<!DOCTYPE html><html lang=es-MX><title>Sin compilar</title><body><p>Todavía no hay una " \
                   f"compilación correcta del sitio.</p>{RELOAD_SCRIPT}</body></html>".encode()
            return self._send(200, "text/html; charset=utf-8", page)
        return super().do_GET()

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
            say(f"guidebuilder serve: change in {Path(changed[0]).name if changed else 'the guide'}; rebuilding…")
            rebuild(guide_dir, out, state, say)


def cmd_serve(args, console) -> int:
    def say(message: str, err: bool = False) -> None:
        if err or not console.quiet:
            print(message, file=sys.stderr if err else sys.stdout, flush=True)

    state = State()
    out = args.out
    site = out / "html"
    say("guidebuilder serve: building the HTML edition…")
    rebuild(args.guide, out, state, say)
    site.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(Handler, directory=str(site), state=state)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        from guidebuilder.model.errors import GuideError

        raise GuideError(f"cannot serve on 127.0.0.1:{args.port} ({exc.strerror}); "
                         "choose another port with --port, e.g. make serve ARGS='--port 8010'") from None
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(args.guide, out, state, stop, say), daemon=True)
    watcher.start()
    say(f"guidebuilder serve: http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        say("guidebuilder serve: stopped")
    finally:
        stop.set()
        server.server_close()
    return 0
