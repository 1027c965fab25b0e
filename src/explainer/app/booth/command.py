"""`explainer record [TARGET …] [--port N] [--no-browser]`: serve the booth at once, open it, and
render what is stale in the background while the lecturer records."""

from __future__ import annotations

import os
import secrets
import sys
import threading
import webbrowser
from pathlib import Path

from explainer.app.booth.background import BackgroundRender
from explainer.app.booth.server import BoothServer
from explainer.app.booth.session import Booth
from explainer.errors import EXIT_OK, UsageError
from explainer.pipeline.paths import Paths
from explainer.script.load import Lecture


def _open_browser(url: str) -> None:
    """The default browser, in the background; none where there is no display to show one (a
    text-mode browser would take over this terminal)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("record: no display here: open the link above in a browser on this machine", file=sys.stderr)
        return
    threading.Thread(target=webbrowser.open_new_tab, args=(url,), daemon=True).start()


def record(lecture: Lecture, script: Path, paths: Paths, targets: list[str], port: int, browser: bool,
           jobs: int) -> int:
    selected = lecture.select(targets)    # an unknown target stops here, with the loader's message
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be 0-65535 (0: any free port), not {port}")
    paths = Paths(paths.media.resolve(), paths.quality)
    render = BackgroundRender(script.resolve(), paths.media, paths.quality, jobs)
    booth = Booth(script, lecture.shown_as, paths, targets, render)
    try:
        server = BoothServer(booth, port, secrets.token_urlsafe(24))
    except OSError as error:
        render.close()
        raise UsageError(f"cannot listen on 127.0.0.1:{port} ({error.strerror}); pick another --port, "
                         "or leave it out for any free one") from None
    print(server.url, flush=True)     # the first line of stdout: what a script or a test reads
    segments = sum(len(s.narration) for s in selected)
    print(f"record: the booth for {segments} segment(s) of {len(selected)} slide(s) is at the link above "
          f"(127.0.0.1 only); rendering what is stale in the background; Ctrl-C to stop", file=sys.stderr, flush=True)
    render.request([s.id for s in selected])    # by slide: an accepted take restarts only its own
    if browser:
        _open_browser(server.url)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        with booth.lock:     # a take being saved right now is finished first
            render.close()
    print("record: booth closed; every accepted take is saved", file=sys.stderr)
    return EXIT_OK
