"""The booth's HTTP side: 127.0.0.1 only, a secret token on every request, media served by ids.

The token is made for each run and printed in the URL's query; the first request carrying it gets
it back as an HttpOnly, SameSite=Strict cookie (named for the port, so two booths do not clash) and
is redirected to a URL without it, so the page's own <video> and <audio> requests carry it too. A
request without the token gets 403, as does one naming another host (a DNS-rebinding page) or
posting from another origin. No part of a URL becomes a file path: media are looked up by slide
id and step or segment number in the manifest and the script (session.py)."""

from __future__ import annotations

import hmac
import json
import os
import re
import tempfile
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from explainer.app.booth.session import Booth, Refused, ScriptChanged
from explainer.app.booth.takes import MAX_UPLOAD_BYTES, TakeRefused
from explainer.voice.errors import VoiceError

PAGE_FILES = {"/": ("index.html", "text/html; charset=utf-8"), "/booth.js": ("booth.js", "text/javascript; charset=utf-8"),
              "/booth.css": ("booth.css", "text/css; charset=utf-8")}
MEDIA = re.compile(r"/media/(still|clip|take|reference)/([a-z0-9][a-z0-9-]*)/([0-9]{1,4})\Z")
AUDIO_TYPES = {".webm": "audio/webm", ".ogg": "audio/ogg", ".opus": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac",
               ".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac"}
MAX_JSON_BYTES = 64 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; media-src 'self' blob:; img-src 'self' blob: data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
}
FORBIDDEN = ("This recording booth opens only from the link `explainer record` printed (it carries this "
             "run's token). Open that link.\n")


class BoothServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, booth: Booth, port: int, token: str) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.booth, self.token = booth, token
        self.cookie = f"explainer_booth_{self.server_port}"
        self.hosts = {f"127.0.0.1:{self.server_port}", f"localhost:{self.server_port}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/?token={self.token}"


class _Handler(BaseHTTPRequestHandler):
    server: BoothServer
    server_version = "explainer-booth"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:   # the terminal shows the render, not requests
        pass

    # -- the token ------------------------------------------------------------------------

    def _token_in_query(self) -> bool:
        given = parse_qs(urlsplit(self.path).query).get("token", [""])[0]
        return hmac.compare_digest(given.encode(), self.server.token.encode())

    def _allowed(self) -> bool:
        if self.headers.get("Host", "") not in self.server.hosts:
            return False
        cookie = SimpleCookie()
        try:
            cookie.load(self.headers.get("Cookie", ""))
        except Exception:    # a malformed Cookie header is just no cookie
            cookie = SimpleCookie()
        morsel = cookie.get(self.server.cookie)
        given = morsel.value if morsel is not None else ""
        return hmac.compare_digest(given.encode(), self.server.token.encode()) or self._token_in_query()

    # -- responses ------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: object) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _media(self, body: bytes | Path, content_type: str) -> None:
        """A file or bytes, with single byte ranges: <video> and <audio> seek with them."""
        size = body.stat().st_size if isinstance(body, Path) else len(body)
        start, end, status = 0, size - 1, HTTPStatus.OK
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if match and (match[1] or match[2]):
            if match[1]:
                start, end = int(match[1]), min(int(match[2]) if match[2] else size - 1, size - 1)
            else:
                start = max(0, size - int(match[2]))
            if start > end or start >= size:
                self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", "text/plain",
                           {"Content-Range": f"bytes */{size}"})
                return
            status = HTTPStatus.PARTIAL_CONTENT
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, "Cache-Control": "no-cache"}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        if isinstance(body, bytes):
            self.wfile.write(body[start:end + 1])
            return
        with body.open("rb") as source:
            source.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = source.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)

    # -- GET ------------------------------------------------------------------------------

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._allowed():
            self._send(HTTPStatus.FORBIDDEN, FORBIDDEN.encode(), "text/plain; charset=utf-8")
            return
        path = urlsplit(self.path).path
        if path == "/" and self._token_in_query():
            # Keep the token in a cookie and out of the address bar, the history and any referrer.
            self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {
                "Location": "/", "Set-Cookie": f"{self.server.cookie}={self.server.token}; HttpOnly; "
                                               "SameSite=Strict; Path=/"})
            return
        if path in PAGE_FILES:
            name, content_type = PAGE_FILES[path]
            self._send(HTTPStatus.OK, resources.files("explainer.app.booth").joinpath("page", name).read_bytes(),
                       content_type)
        elif path == "/api/state":
            self._json(HTTPStatus.OK, self.server.booth.state())
        elif match := MEDIA.fullmatch(path):
            self._serve_media(match[1], match[2], int(match[3]))
        else:
            self._error(HTTPStatus.NOT_FOUND, "no such page in the booth")

    def _serve_media(self, kind: str, slide_id: str, number: int) -> None:
        booth = self.server.booth
        if kind in ("still", "clip"):
            found = booth.step_file(kind, slide_id, number)
            if found is not None:
                self._media(found, "image/png" if kind == "still" else "video/mp4")
                return
        elif kind == "take":
            found = booth.take_file(slide_id, number)
            if found is not None:
                self._media(found, AUDIO_TYPES.get(found.suffix.lower(), "application/octet-stream"))
                return
        else:
            try:
                self._media(booth.reference(slide_id, number), "audio/wav")
            except (Refused, ScriptChanged) as refused:
                self._error(HTTPStatus.NOT_FOUND, str(refused))
            except VoiceError as error:
                self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"the reference voice could not say it: {error}")
            return
        self._error(HTTPStatus.NOT_FOUND, f"no {kind} {number} for '{slide_id}' yet")

    # -- POST -----------------------------------------------------------------------------

    def do_POST(self) -> None:
        origin = self.headers.get("Origin")
        if not self._allowed() or (origin is not None and origin.removeprefix("http://") not in self.server.hosts):
            self.close_connection = True
            self._send(HTTPStatus.FORBIDDEN, FORBIDDEN.encode(), "text/plain; charset=utf-8")
            return
        split = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self._error(HTTPStatus.LENGTH_REQUIRED, "send the take with a Content-Length")
            return
        if split.path == "/api/take":
            self._accept(query, length)
            return
        if length > MAX_JSON_BYTES or split.path not in ("/api/say", "/api/keep"):
            self.close_connection = True
            self._error(HTTPStatus.NOT_FOUND, "no such action in the booth")
            return
        try:
            data = json.loads(self.rfile.read(length))
            slide, index, version = str(data["slide"]), int(data["index"]), str(data["version"])
        except (ValueError, KeyError, TypeError):
            self._error(HTTPStatus.BAD_REQUEST, "expected JSON with slide, index and version")
            return
        booth = self.server.booth
        try:
            if split.path == "/api/say":
                booth.reword(slide, index, version, str(data.get("say", "")))
            else:
                booth.keep(slide, index, version)
        except ScriptChanged as changed:
            self._error(HTTPStatus.CONFLICT, str(changed))
            return
        except Refused as refused:
            self._error(HTTPStatus.UNPROCESSABLE_ENTITY, str(refused))
            return
        except OSError as error:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"not saved ({error}); script.yaml is as it was")
            return
        self._json(HTTPStatus.OK, {"ok": True})

    def _accept(self, query: dict[str, str], length: int) -> None:
        """Receive a take into a temporary file under the media folder's cache, then hand it to
        the booth; whatever happens, the temporary file goes (a refused upload writes nothing)."""
        if length > MAX_UPLOAD_BYTES:
            self.close_connection = True   # its body is not read
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                        f"the take is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: nothing was saved; record a shorter one")
            return
        try:
            slide, index, version = query["slide"], int(query["index"]), query["version"]
        except (KeyError, ValueError):
            self.close_connection = True
            self._error(HTTPStatus.BAD_REQUEST, "expected ?slide=ID&index=N&version=V")
            return
        folder = self.server.booth.uploads
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix="take-", suffix=".partial", dir=folder)
        upload = Path(name)
        try:
            status, answer = self._receive(upload, handle, length, slide, index, version)
        finally:
            upload.unlink(missing_ok=True)   # before answering: once answered, nothing of it is left
        self._json(status, answer)

    def _receive(self, upload: Path, handle: int, length: int, slide: str, index: int,
                 version: str) -> tuple[int, dict[str, object]]:
        left = length
        try:
            with os.fdopen(handle, "wb") as out:
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    out.write(chunk)
                    left -= len(chunk)
        except OSError as error:
            self.close_connection = True
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"the take could not be received ({error}): nothing was saved"}
        if left:
            self.close_connection = True
            return HTTPStatus.BAD_REQUEST, {"error": "the upload stopped half-way: nothing was saved; accept again (Enter)"}
        try:
            saved = self.server.booth.accept(slide, index, version, upload)
        except ScriptChanged as changed:
            return HTTPStatus.CONFLICT, {"error": str(changed)}
        except (TakeRefused, Refused) as refused:
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(refused)}
        except OSError as error:    # a full disk, a read-only folder: what was there stays whole
            return HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"the take could not be saved ({error}); script.yaml "
                                                               "is as it was; fix that and accept again"}
        return HTTPStatus.OK, {"ok": True, "take": saved}
