"""The booth's renders, one at a time in the background: `python -m explainer render SLIDES
--voice recorded`, the very command a lecturer runs, so it takes the media folder's lock (it waits
for a running `render` or `watch`), re-renders only a slide whose step lengths changed and
otherwise re-muxes the new audio. A render starts once requests have settled for a few seconds
(a lecturer accepting take after take gets one render, not one per take), and slides asked for
while one runs are rendered together next. A
render of only slides asked for again is restarted (stopped with SIGTERM, which publishes nothing
half-made): it would finish on words or takes already replaced. A larger one goes on (its other
slides are worth finishing); the slide asked for again renders next, and the running render's
complaint that its entry changed meanwhile is not shown as a failure."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

WAITING = "waiting for another explainer run"   # what media_lock prints while another run holds it
CHANGED_MEANWHILE = re.compile(r"✗ ([a-z0-9-]+): its script entry or code changed while it rendered")
KEPT_LINES = 60
SETTLE_SECONDS = 4.0    # no new request for this long: start rendering what was asked for
MAX_SETTLE_SECONDS = 30.0   # however often takes come, render at least this often


class BackgroundRender:
    """A queue of slides to render and the one render process working through it."""

    def __init__(self, script: Path, media: Path, quality: str, jobs: int, echo: bool = True) -> None:
        self.command = [sys.executable, "-m", "explainer", "render", "--script", str(script), "--media", str(media),
                        "--quality", quality, "--voice", "recorded", "--jobs", str(jobs)]
        self.cwd = script.parent
        self.echo = echo          # copy the render's messages to this terminal's stderr
        self._wanted: list[str] = []
        self._changed = threading.Condition()
        self._process: subprocess.Popen[str] | None = None
        self._closing = False
        self._restart = False     # the running render was stopped to start again with newer input
        self._first_request = 0.0  # when the oldest and the newest waiting request came
        self._last_request = 0.0
        self._settle = 0.0         # none for the first render: the pictures are wanted at once
        self.running: list[str] = []
        self.waiting = False      # for another run's lock
        self.runs = 0             # finished renders: the page refetches pictures when this grows
        self.last_ok: bool | None = None
        self.last_errors: list[str] = []
        self.lines: deque[str] = deque(maxlen=KEPT_LINES)
        self._thread = threading.Thread(target=self._work, name="booth-render", daemon=True)
        self._thread.start()

    def request(self, targets: list[str]) -> None:
        """Render these targets (slide or chapter ids, or 'lecture') after whatever runs now."""
        with self._changed:
            now = time.monotonic()
            if not self._wanted:
                self._first_request = now
            self._last_request = now
            self._wanted.extend(t for t in targets if t not in self._wanted)
            if self._process is not None and not self._restart and set(self.running) <= set(targets):
                self._restart = True
                self._wanted = [*self.running, *(t for t in self._wanted if t not in self.running)]
                self._process.terminate()
            self._changed.notify()

    def status(self) -> dict[str, object]:
        with self._changed:
            return {"running": list(self.running), "queued": list(self._wanted), "waiting": self.waiting,
                    "runs": self.runs, "ok": self.last_ok, "errors": list(self.last_errors),
                    "last": self.lines[-1] if self.lines else ""}

    def idle(self) -> bool:
        with self._changed:
            return not self.running and not self._wanted

    def wait_idle(self, timeout: float) -> bool:
        """Until nothing runs or waits (for tests and a clean exit); False on timeout."""
        deadline = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def close(self) -> None:
        """Stop: a running render is sent SIGTERM, which it handles like Ctrl-C (nothing
        half-made is published), and waited for."""
        with self._changed:
            self._closing = True
            self._wanted.clear()
            process = self._process
            self._changed.notify()
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        self._thread.join(timeout=5)

    def _work(self) -> None:
        while True:
            with self._changed:
                while not self._closing:
                    if not self._wanted:
                        self._changed.wait()
                        continue
                    now = time.monotonic()
                    ready = min(self._last_request + self._settle, self._first_request + MAX_SETTLE_SECONDS)
                    if now >= ready:
                        break
                    self._changed.wait(ready - now)
                if self._closing:
                    return
                self._settle = SETTLE_SECONDS
                targets, self._wanted = self._wanted, []
                self.running, self.waiting = targets, False
                try:
                    process = subprocess.Popen([*self.command, *targets], cwd=self.cwd, stdin=subprocess.DEVNULL,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                               encoding="utf-8", errors="replace", bufsize=1)
                except OSError as error:
                    self.running, self.last_ok, self.last_errors = [], False, [f"cannot start a render: {error}"]
                    continue
                self._process = process
            errors = []
            assert process.stderr is not None
            for line in process.stderr:
                line = line.rstrip()
                if self.echo:
                    print(f"  render: {line}", file=sys.stderr, flush=True)
                with self._changed:
                    self.lines.append(line)
                    self.waiting = line.startswith(WAITING)
                if line.startswith(("✗", "missing:", "explainer:")) or ": error" in line:
                    errors.append(line)
            with self._changed:    # a slide whose entry changed meanwhile is queued again: not a failure
                errors = [e for e in errors if not ((m := CHANGED_MEANWHILE.match(e)) and m[1] in self._wanted)]
            code = process.wait()
            with self._changed:
                self._process = None
                self.running, self.waiting = [], False
                if self._restart:        # stopped on purpose: what it did not finish runs again now
                    self._restart = False
                    continue
                self.runs += 1
                if code not in (0, 1) and not errors:    # 1 is a slide's failure, named in `errors`
                    errors = [f"render exited {code}: " + (self.lines[-1] if self.lines else "no message")]
                self.last_errors = errors if code != 0 else []
                self.last_ok = not self.last_errors
