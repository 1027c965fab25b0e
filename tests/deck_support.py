"""Headless Debian Chromium driven over the DevTools protocol: load a page, click, press keys, read state."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import websocket

CHROMIUM = Path("/usr/bin/chromium")

# key name → (code, Windows virtual key code): reveal.js reads event.keyCode.
KEYS = {"ArrowRight": ("ArrowRight", 39), "ArrowLeft": ("ArrowLeft", 37), " ": ("Space", 32),
        "PageDown": ("PageDown", 34), "PageUp": ("PageUp", 33), "s": ("KeyS", 83), "f": ("KeyF", 70),
        "r": ("KeyR", 82), "Enter": ("Enter", 13), "v": ("KeyV", 86), "l": ("KeyL", 76), "e": ("KeyE", 69),
        "k": ("KeyK", 75)}


class Page:
    """One tab: DevTools calls, with the events received on the way kept in `events`."""

    def __init__(self, socket: websocket.WebSocket, port: int) -> None:
        self.socket, self.port, self.events, self._id = socket, port, [], 0

    def call(self, method: str, timeout: float = 30, **params) -> dict:
        self._id += 1
        self.socket.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30):
        """Poll `expression` until it is truthy; returns its value (or raises with the last one).
        Generous by default: CI runs these beside another test process rendering scenes."""
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression!r}; last value {value!r}")

    def press(self, key: str) -> None:
        code, virtual = KEYS[key]
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=virtual,
                      nativeVirtualKeyCode=virtual, text=key if kind == "keyDown" and len(key) == 1 else "")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def requests(self) -> list[str]:
        """URLs of every request the page made so far (drains pending events first)."""
        self.evaluate("1")
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def opened(self, known: set[str], timeout: float = 10) -> Page:
        """The window a key press opened (a page not in `known`), over its own DevTools connection."""
        deadline = time.monotonic() + timeout
        while True:
            new = [t for t in self.targets() if t["type"] == "page" and t["id"] not in known]
            if new:
                return Page(websocket.create_connection(new[0]["webSocketDebuggerUrl"], timeout=30,
                                                        suppress_origin=True), self.port)
            if time.monotonic() > deadline:
                raise AssertionError(f"no window opened: {self.targets()}")
            time.sleep(0.1)

    def targets(self) -> list[dict]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=5) as response:
            return json.loads(response.read())


@contextlib.contextmanager
def browser(width: int = 1280, height: int = 720, flags: tuple[str, ...] = ()) -> Iterator[Page]:
    """Headless Chromium with a throwaway profile and its first tab, network logging on; `flags`
    are added to its command line (the booth's tests give it a fake microphone)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: `apt-get install -y --no-install-recommends chromium`")
    with tempfile.TemporaryDirectory(prefix="deck-chromium-") as profile:
        command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--no-first-run", "--disable-sync", "--mute-audio",
                   f"--user-data-dir={profile}", "--remote-debugging-port=0", f"--window-size={width},{height}",
                   *flags, "about:blank"]
        log = Path(profile) / "stderr.log"   # a file, not a pipe: an undrained pipe would stall Chromium
        with log.open("w") as stderr:
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        try:
            port = None
            deadline = time.monotonic() + 30
            while port is None and time.monotonic() < deadline:
                match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", log.read_text(errors="replace"))
                if match:
                    port = int(match.group(1))
                elif process.poll() is not None:
                    raise RuntimeError(f"chromium exited {process.returncode}: {log.read_text()[-2000:]}")
                else:
                    time.sleep(0.05)
            if port is None:
                raise RuntimeError("chromium did not print its DevTools address")
            pages = []
            while not pages and time.monotonic() < deadline:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                    pages = [t for t in json.loads(response.read()) if t["type"] == "page"]
                time.sleep(0.05)
            socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30,
                                                 suppress_origin=True)
            page = Page(socket, port)
            for domain in ("Page", "Runtime", "Network"):
                page.call(f"{domain}.enable")
            try:
                yield page
            finally:
                socket.close()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
