"""Test helpers for the gallery: tiny real media files, a local HTTP server and headless Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from fractions import Fraction
from html import unescape
from pathlib import Path

import av
import numpy as np
from PIL import Image

from deck_support import browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PACKAGE = "chromium"  # Debian package providing /usr/bin/chromium
FPS = 15
SIZE = (64, 48)


def make_video(path: Path, frames: int, codec: str = "libx264", options: dict | None = None,
               size: tuple[int, int] = SIZE, hold: int = 1) -> Path:
    """A tiny real clip (64x48 by default, 15 fps, yuv420p, x264 unless `codec` says otherwise);
    its picture changes every `hold` frames."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=Fraction(FPS), options=options or {})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            image = np.full((size[1], size[0], 3), (index // hold * 9) % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def make_poster(path: Path, colour: tuple[int, int, int] = (14, 17, 23)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 180), colour).save(path)
    return path


def make_vtt(path: Path, seconds: float, text: str = "注意力：Query 與 Key") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    end = f"00:00:{seconds:06.3f}"
    path.write_text(f"WEBVTT\n\n1\n00:00:00.000 --> {end}\n{text}\n", encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(folder: Path, timeout: float = 10.0) -> Iterator[str]:
    """`python -m http.server` on a free loopback port; yields the base URL, kills the server after."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base, timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not start on port {port}") from None
                time.sleep(0.05)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def probe(base_url: str, timeout: float = 120.0) -> dict:
    """Open the probe page (CHECK_HTML, served at `base_url`) in headless Chromium and return its report.

    Real time throughout: Chromium's --virtual-time-budget let the page's timers run ahead of media
    that was still being parsed on a busy machine, so a clip that loaded fine was reported "timeout"."""
    with browser() as page:
        page.call("Page.navigate", url=base_url + "check.html")
        page.wait_for('document.getElementById("results") && '
                      'document.getElementById("results").textContent !== "pending"', timeout=timeout)
        return read_results(page.evaluate("document.documentElement.outerHTML"))


# The probe page: loads the gallery in a same-origin iframe, waits for each <video>'s metadata and
# subtitle track, loads every <source> on its own too, HEADs every link and poster, then writes JSON.
CHECK_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>gallery check</title></head><body>
<pre id="results">pending</pre>
<iframe id="frame" src="index.html" style="width:1280px;height:900px"></iframe>
<script>
const TIMEOUT = 30000;  // real milliseconds: a loaded machine is slow, not broken
function once(target, names, timeout) {
  return new Promise(resolve => {
    const done = (name) => { names.forEach(n => target.removeEventListener(n, handlers[n])); resolve(name); };
    const handlers = {};
    names.forEach(n => { handlers[n] = () => done(n); target.addEventListener(n, handlers[n]); });
    setTimeout(() => done("timeout"), timeout);
  });
}
async function metadata(video, fresh) {
  // a just-created element reports NETWORK_NO_SOURCE until its load starts, so only trust it otherwise
  if (video.readyState < 1 && !video.error && (fresh || video.networkState !== 3)) {
    const sources = video.querySelectorAll("source");
    const last = sources[sources.length - 1];
    const waits = [once(video, ["loadedmetadata", "error"], TIMEOUT)];
    if (last) waits.push(once(last, ["error"], TIMEOUT).then(n => n === "error" ? "source-error" : n));
    await Promise.race(waits);
  }
  const error = video.readyState >= 1 ? null
    : (video.error ? "media error " + video.error.code : video.networkState === 3 ? "no playable source" : "timeout");
  return {duration: video.duration, error: error, src: video.currentSrc};
}
async function alone(url, doc) {
  const video = doc.createElement("video");
  video.preload = "metadata"; video.muted = true; video.src = url;
  doc.body.appendChild(video);
  const result = await metadata(video, true);
  video.remove();
  return {url: url, duration: result.duration, error: result.error};
}
async function track(video) {
  const element = video.querySelector("track");
  if (!element) return null;
  if (element.readyState < 2) await once(element, ["load", "error"], TIMEOUT);
  const cues = element.track && element.track.cues;
  return {readyState: element.readyState, mode: element.track.mode, cues: cues ? cues.length : null,
          text: cues && cues.length ? cues[0].text : null, srclang: element.srclang, src: element.src};
}
async function status(url) {
  try { return (await fetch(url, {method: "HEAD"})).status; } catch (e) { return String(e); }
}
async function run() {
  const doc = document.getElementById("frame").contentDocument;
  const videos = Array.from(doc.querySelectorAll("video"));
  const results = await Promise.all(videos.map(async (video) => {
    const sources = Array.from(video.querySelectorAll("source"));
    return {
      kind: video.dataset.kind || null, id: video.dataset.slide || video.dataset.id || null,
      expected: video.dataset.duration ? Number(video.dataset.duration) : null,
      ...(await metadata(video)),
      sources: await Promise.all(sources.map(s => alone(s.src, document)).map(async (p, i) =>
        ({type: sources[i].type, ...(await p)}))),
      track: await track(video),
      poster: video.poster || null,
    };
  }));
  const urls = new Set();
  doc.querySelectorAll("a[href]").forEach(a => {
    const u = new URL(a.href);
    if (u.origin === location.origin) { u.hash = ""; urls.add(u.href); }
  });
  videos.forEach(v => { if (v.poster) urls.add(v.poster); });
  const links = {};
  await Promise.all(Array.from(urls).map(async u => { links[u] = await status(u); }));
  const copy = doc.querySelector("button.copy");  // the page script answers a click (clipboard or fallback)
  if (copy) { copy.click(); await new Promise(r => setTimeout(r, 300)); }
  const report = {videos: results, links: links, copyButtons: doc.querySelectorAll("button.copy").length,
                  copyLabel: copy ? copy.textContent : null};
  document.getElementById("results").textContent = JSON.stringify(report);
}
window.addEventListener("load", () => run().catch(e => {
  document.getElementById("results").textContent = JSON.stringify({fatal: String(e && e.stack || e)});
}));
</script></body></html>
"""


def read_results(dom: str) -> dict:
    """The JSON the probe page wrote into <pre id="results">."""
    match = re.search(r'<pre id="results">(.*?)</pre>', dom, re.S)
    if not match:
        raise AssertionError(f"no results element in the dumped DOM:\n{dom[:2000]}")
    text = unescape(match.group(1))
    if text == "pending":
        raise AssertionError("the probe page has not finished")
    return json.loads(text)
