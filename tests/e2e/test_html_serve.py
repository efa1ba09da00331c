"""`guidebuilder serve`: rebuild on change, errors shown, last good build kept, reload script only when served."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import urllib.request
from pathlib import Path

from guidebuilder.commands import serve


def test_serve_rebuilds_keeps_last_good_build_and_injects_reload(mini: Path, tmp_path: Path):
    out = tmp_path / "build"
    state = serve.State()
    said: list[str] = []
    say = lambda message, err=False: said.append(message)  # noqa: E731
    assert serve.rebuild(mini, out, state, say) and state.version == 1 and state.error == ""
    page = out / "html" / "que-es.html"
    good = page.read_bytes()
    assert b"__guidebuilder" not in good  # the reload script is never in the built files

    before = serve.snapshot(serve.watched_folders(mini))
    chapter = mini / "chapters" / "que-es.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[roto](#no-existe)\n", encoding="utf-8")
    assert serve.snapshot(serve.watched_folders(mini)) != before  # the watcher sees the edit
    assert not serve.rebuild(mini, out, state, say)
    assert "que-es.md:" in state.error and "no-existe" in state.error and state.version == 1
    assert any("se sigue mostrando la última correcta" in m for m in said)
    assert page.read_bytes() == good

    handler = functools.partial(serve.Handler, directory=str(out / "html"), state=state)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        served = urllib.request.urlopen(f"{base}/que-es.html").read()
        assert serve.VERSION_PATH.encode() in served and served.count(b"</body>") == 1
        status = json.loads(urllib.request.urlopen(base + serve.VERSION_PATH).read())
        assert status["version"] == 1 and "no-existe" in status["error"]
        css = urllib.request.urlopen(f"{base}/estilos/site.css").read()
        assert css == (out / "html" / "estilos" / "site.css").read_bytes()
    finally:
        server.shutdown()
        server.server_close()
