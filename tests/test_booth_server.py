"""The booth's HTTP side, served in-process on a copy of the mini lecture (no render, no browser):
the token on every request, no path from a URL reaching the file system, uploads refused unless
they are audio, script.yaml never overwritten when it changed on disk, and the writes themselves."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from explainer.app.booth.server import BoothServer
from explainer.app.booth.session import Booth
from explainer.pipeline.paths import Paths
from pipeline_support import MINI

TOKEN = "test-token-0123456789"


class Client:
    """Raw HTTP to the booth: paths are sent exactly as written (nothing normalises '..')."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = f"explainer_booth_{port}={TOKEN}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                token: bool = True) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", **({"Cookie": self.cookie} if token else {}), **(headers or {})}
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        if body is not None and "Content-Length" not in sent:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data

    def state(self) -> dict:
        status, _, data = self.request("GET", "/api/state")
        assert status == 200
        return json.loads(data)

    def post_json(self, path: str, data: dict) -> tuple[int, dict]:
        status, _, body = self.request("POST", path, json.dumps(data).encode(), {"Content-Type": "application/json"})
        return status, json.loads(body)


@pytest.fixture
def served(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    booth = Booth(project / "script.yaml", "script.yaml", Paths(project / "media", "draft"), [], None)
    server = BoothServer(booth, 0, TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield project, Client(server.server_port)
    finally:
        server.shutdown()
        server.server_close()


def wav_bytes(seconds: float = 1.2) -> bytes:
    path_rate = 48_000
    t = np.arange(int(seconds * path_rate)) / path_rate
    samples = (0.3 * np.sin(2 * np.pi * 330 * t) * 32767).astype("<i2")
    import io

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(path_rate)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_every_request_needs_the_token(served):
    _, client = served
    for method, path in (("GET", "/"), ("GET", "/booth.js"), ("GET", "/api/state"), ("GET", "/media/take/a-one/0"),
                         ("GET", "/media/reference/a-one/0"), ("POST", "/api/take?slide=a-one&index=0&version=x")):
        status, _, body = client.request(method, path, b"" if method == "POST" else None, token=False)
        assert status == 403, (method, path)
        assert b"Open that link" in body
    status, _, _ = client.request("GET", "/?token=wrong", token=False)
    assert status == 403
    # Another host name (a DNS-rebinding page) and another origin are refused even with the cookie.
    assert client.request("GET", "/api/state", headers={"Host": f"evil.example:{client.port}"})[0] == 403
    assert client.request("POST", "/api/keep", b"{}", headers={"Origin": "http://evil.example"})[0] == 403


def test_the_token_in_the_link_becomes_an_http_only_strict_cookie(served):
    _, client = served
    status, headers, _ = client.request("GET", f"/?token={TOKEN}", token=False)
    assert status == 303 and headers["Location"] == "/"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"explainer_booth_{client.port}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, body = client.request("GET", "/")
    assert status == 200 and b"Recording booth" in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", [
    "/../script.yaml", "/media/take/a-one/../../script.yaml", "/media/still/..%2F..%2Fscript.yaml/1",
    "/media/still/a-one/..%2F..%2F..%2Fscript.yaml", "//etc/passwd", "/media/clip/a-one/1/../../../../etc/passwd",
    "/booth.js/../script.yaml", "/media/take/%2e%2e/0", "/page/index.html", "/scenes/fixture_bullets.py",
])
def test_no_path_from_a_request_reaches_a_file(served, path):
    _, client = served
    status, _, body = client.request("GET", path)
    assert status == 404
    assert b"chapters" not in body and b"root:" not in body and b"import" not in body


def test_an_upload_that_is_not_audio_is_refused_and_writes_nothing(served):
    project, client = served
    before, script = files_under(project), (project / "script.yaml").read_bytes()
    version = client.state()["version"]
    for junk in (b"<html>not audio</html>" * 50, b"", bytes(range(256)) * 40):
        status, _, body = client.request("POST", f"/api/take?slide=a-one&index=0&version={version}", junk,
                                         {"Content-Type": "audio/webm"})
        assert status == 422, body
        assert "nothing was saved" in json.loads(body)["error"]
    status, _, body = client.request("POST", f"/api/take?slide=a-one&index=0&version={version}", b"",
                                     {"Content-Length": str(200 * 1024 * 1024)})
    assert status == 413 and "over 100 MB" in json.loads(body)["error"]
    assert (project / "script.yaml").read_bytes() == script
    assert files_under(project) == before, "no file is left behind (at most an empty folder for uploads)"
    assert not (project / "audio").exists()


def test_an_accepted_take_is_saved_and_named_in_one_new_line(served):
    project, client = served
    script = (project / "script.yaml").read_text(encoding="utf-8")
    version = client.state()["version"]
    take = wav_bytes()
    status, _, body = client.request("POST", f"/api/take?slide=a-one&index=1&version={version}", take,
                                     {"Content-Type": "audio/wav"})
    assert status == 200, body
    assert json.loads(body)["take"] == "audio/a-one/title-1.wav"
    assert (project / "audio" / "a-one" / "title-1.wav").read_bytes() == take   # the original sound
    edited = (project / "script.yaml").read_text(encoding="utf-8")
    said = "say: 這是第一張投影片。\n"
    assert edited == script.replace(said, said + "            audio: audio/a-one/title-1.wav\n")
    state = client.state()
    segment = state["segments"][1]
    assert segment["take"]["name"] == "audio/a-one/title-1.wav" and not segment["take"]["stale"]
    assert state["missing"] == 7
    status, headers, data = client.request("GET", segment["take"]["url"], headers={"Range": "bytes=0-99"})
    assert status == 206 and headers["Content-Range"] == f"bytes 0-99/{len(take)}" and data == take[:100]
    assert not list((project / "media" / ".cache" / "booth" / "uploads").iterdir())


def test_script_yaml_changed_on_disk_is_never_overwritten(served):
    project, client = served
    version = client.state()["version"]
    script = project / "script.yaml"
    changed = script.read_text(encoding="utf-8").replace("# A tiny lecture", "# Edited in an editor: a tiny lecture")
    script.write_text(changed, encoding="utf-8")
    status, _, body = client.request("POST", f"/api/take?slide=a-one&index=0&version={version}", wav_bytes())
    assert status == 409 and "changed on disk" in json.loads(body)["error"]
    assert client.post_json("/api/say", {"slide": "a-one", "index": 0, "version": version, "say": "新的話。"})[0] == 409
    assert script.read_text(encoding="utf-8") == changed
    assert not (project / "audio").exists()
    assert client.state()["version"] != version      # the page reloads what is on disk


def test_rewording_checks_the_script_marks_the_take_stale_and_keep_clears_it(served):
    project, client = served
    version = client.state()["version"]
    assert client.request("POST", f"/api/take?slide=b-one&index=1&version={version}", wav_bytes())[0] == 200
    script = (project / "script.yaml").read_bytes()
    version = client.state()["version"]
    status, answer = client.post_json("/api/say", {"slide": "b-one", "index": 1, "version": version,
                                                   "say": "溫度是 {nope}。"})
    assert status == 422 and "not saved" in answer["error"] and "nope" in answer["error"]
    assert (project / "script.yaml").read_bytes() == script
    status, answer = client.post_json("/api/say", {"slide": "b-one", "index": 1, "version": version,
                                                   "say": "接著，我們談溫度。"})
    assert status == 200, answer
    state = client.state()
    segment = state["segments"][6]
    assert segment["text"] == segment["template"] == "接著，我們談溫度。"
    assert segment["take"]["stale"] and state["stale"] == 1
    status, answer = client.post_json("/api/keep", {"slide": "b-one", "index": 1, "version": state["version"]})
    assert status == 200
    assert client.state()["stale"] == 0


def test_the_reference_voice_says_the_sentence(served):
    _, client = served
    status, headers, data = client.request("GET", "/media/reference/a-one/1")
    assert status == 200 and headers["Content-Type"] == "audio/wav" and data[:4] == b"RIFF"
    with wave.open(__import__("io").BytesIO(data)) as reader:
        assert reader.getnframes() / reader.getframerate() > 0.5
    assert client.request("GET", "/media/reference/a-one/9")[0] == 404


def test_the_background_render_waits_for_the_media_folders_lock_and_says_so(tmp_path):
    from explainer.app.booth.background import BackgroundRender
    from explainer.app.commands import media_lock

    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    paths = Paths(project / "media", "draft")
    with media_lock(paths):            # as a running `render` or `watch` holds it
        render = BackgroundRender(project / "script.yaml", paths.media, "draft", 1, echo=False)
        try:
            render.request(["a-one"])
            deadline = time.monotonic() + 60
            while not render.status()["waiting"]:
                assert time.monotonic() < deadline, render.status()
                time.sleep(0.1)
            assert render.status()["running"] == ["a-one"]
        finally:
            render.close()             # SIGTERM: the waiting render stops, having published nothing
    assert not render.status()["running"]
    assert not (project / "media" / "draft").exists()
