"""The booth's one job on the server side, without HTTP: the lecture as script.yaml says now, its
segments for the page (with what the published manifest says about their pictures and voices),
and the three writes the page may ask for: accept a take, reword a sentence, keep a stale take.

Every write checks that script.yaml is the file the page was shown (its SHA-256, `version`); a
file changed on disk since is never overwritten: the page reloads and says so. script.yaml is
replaced atomically (a temporary file beside it, then a rename), so a killed server or a failed
request never leaves it half-written; a take is saved before the line naming it is written."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from explainer.app.booth.background import BackgroundRender
from explainer.app.booth.takes import TakeLog, check_take, save_take, take_name
from explainer.app.booth.yamledit import EditRefused, say_templates, set_audio, set_say
from explainer.codec import read_record
from explainer.deliver.contract import Manifest, ManifestSlide, read_manifest
from explainer.deliver.exports import ExportRecord
from explainer.errors import MediaError
from explainer.pipeline.paths import Paths
from explainer.script.load import Lecture, ScriptInvalid, load_lecture
from explainer.script.model import ENGINES, Segment, Slide


class ScriptChanged(Exception):
    """script.yaml is not the file the page was shown: nothing was written."""


class Refused(Exception):
    """A request the booth will not carry out; the message says why and what to do."""


@dataclass
class _Loaded:
    version: str
    text: str
    lecture: Lecture | None
    problems: list[str]
    templates: dict[tuple[str, int], str]


def _version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:20]


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class Booth:
    """The lecture's segments (of the targets) and the writes the page makes to them."""

    def __init__(self, script: Path, shown_as: str, paths: Paths, targets: list[str],
                 render: BackgroundRender | None) -> None:
        self.script, self.shown_as, self.paths, self.targets = script.resolve(), shown_as, paths, targets
        self.render = render
        self.lock = threading.RLock()   # one write at a time; state never sees half an edit
        self._loaded: _Loaded | None = None
        self._manifest: tuple[int | None, Manifest | None] = (None, None)
        self.uploads = paths.cache / "booth" / "uploads"
        self.voices = paths.cache / "booth" / "voice"

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> _Loaded:
        """script.yaml as it is on disk now (validated again only when its bytes changed)."""
        with self.lock:
            try:
                raw = self.script.read_bytes()
            except OSError as error:
                return _Loaded("", "", None, [f"{self.shown_as}: cannot be read ({error.strerror}); put it back"], {})
            version = _version(raw)
            while self._loaded is None or self._loaded.version != version:
                text = raw.decode("utf-8", errors="replace")
                try:
                    loaded = _Loaded(version, text, load_lecture(self.script, self.shown_as), [], say_templates(text))
                except ScriptInvalid as invalid:
                    loaded = _Loaded(version, text, None, [str(p) for p in invalid.problems], {})
                except EditRefused as refused:   # not YAML the parser composes (the loader said so too)
                    loaded = _Loaded(version, text, None, [str(refused)], {})
                try:                              # an editor saved meanwhile: load that one instead
                    raw = self.script.read_bytes()
                except OSError:
                    raw = b""
                version = _version(raw)
                if version == loaded.version:
                    self._loaded = loaded
            return self._loaded

    def manifest(self) -> Manifest | None:
        mtime = _mtime(self.paths.manifest)
        if mtime != self._manifest[0]:
            try:
                self._manifest = (mtime, read_manifest(self.paths.manifest))
            except MediaError:
                self._manifest = (mtime, None)
        return self._manifest[1]

    def selected(self, lecture: Lecture) -> list[Slide]:
        try:
            return lecture.select(self.targets)
        except ScriptInvalid:        # a target removed from the script since: show the lecture
            return list(lecture.slides)

    def state(self) -> dict[str, object]:
        """Everything the page shows, for every segment of the targets, in lecture order."""
        loaded = self.load()
        render = self.render.status() if self.render is not None else None
        if loaded.lecture is None:
            return {"version": loaded.version, "problems": loaded.problems, "segments": [], "missing": 0,
                    "stale": 0, "render": render}
        lecture = loaded.lecture
        manifest = self.manifest()
        published = {s.id: s for s in manifest.slides} if manifest is not None else {}
        stale = TakeLog(lecture.root).stale(lecture)
        segments = []
        for slide in self.selected(lecture):
            names = self.published_steps(slide.id)
            for index, segment in enumerate(slide.narration):
                segments.append(self._segment(loaded.templates, slide, index, segment, published.get(slide.id),
                                              names, (slide.id, index) in stale))
        return {"version": loaded.version, "problems": [], "segments": segments, "script": self.shown_as,
                "missing": sum(1 for s in segments if s["take"] is None),
                "stale": sum(1 for s in segments if s["take"] and s["take"]["stale"]), "render": render}

    def _segment(self, templates: dict[tuple[str, int], str], slide: Slide, index: int, segment: Segment,
                 published: ManifestSlide | None, names: list[str], stale: bool) -> dict[str, object]:
        """One segment for the page: its words, its take, its step's picture (`names`: the slide's
        published steps) and what the manifest says its voice is now."""
        n = sum(1 for other in slide.narration[: index + 1] if other.step == segment.step)
        found: dict[str, object] = {
            "slide": slide.id, "index": index, "title": slide.title, "chapter": slide.chapter_title,
            "step": segment.step, "line": segment.line, "text": segment.text,
            "template": templates.get((slide.id, index), segment.text), "take": None, "voice": None,
            "still": None, "clip": None, "offset": 0.0, "stepNumber": None}
        if segment.audio is not None:
            found["take"] = {"name": self._relative(segment.audio), "stale": stale,
                             "url": f"/media/take/{slide.id}/{index}?v={_mtime(segment.audio)}"}
        if segment.step in names:
            number = names.index(segment.step) + 1
            found["stepNumber"] = number
            for kind in ("still", "clip"):
                path = self._step_path(kind, slide.id, number)
                if path.is_file():
                    found[kind] = f"/media/{kind}/{slide.id}/{number}?v={_mtime(path)}"
        step = next((s for s in published.steps if s.name == segment.step), None) if published is not None else None
        if step is None:
            return found
        same_step = step.segments
        if n <= len(same_step):
            spoken = same_step[n - 1]
            found["voice"] = {"name": spoken.voice, "seconds": spoken.seconds, "current": spoken.text == segment.text}
            found["offset"] = round(max(0.0, spoken.start - step.start), 3)
        return found

    def _relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.script.parent).as_posix()
        except ValueError:
            return str(path)

    def lecture_at(self, version: str | None = None) -> tuple[_Loaded, Lecture]:
        """The valid lecture, and (given `version`) only if it is still the one the page saw."""
        loaded = self.load()
        if version is not None and version != loaded.version:
            raise ScriptChanged(f"{self.shown_as} changed on disk since the page loaded it: reloaded, nothing was "
                                "overwritten; check the sentence and do it again")
        if loaded.lecture is None:
            raise Refused(f"{self.shown_as} has problems; fix them in your editor first: " + "; ".join(loaded.problems[:3]))
        return loaded, loaded.lecture

    def segment(self, lecture: Lecture, slide_id: str, index: int) -> tuple[Slide, Segment]:
        try:
            slide = lecture.slide(slide_id)
            return slide, slide.narration[index]
        except (KeyError, IndexError):
            raise Refused(f"no segment {index + 1} on slide '{slide_id}' in {self.shown_as}") from None

    # -- writing ---------------------------------------------------------------------------

    def accept(self, slide_id: str, index: int, version: str, upload: Path) -> str:
        """Check the upload, save it as the segment's take and name it in script.yaml; the slide
        then renders in the background. Returns the take's path, relative to the script."""
        with self.lock:
            self.lecture_at(version)     # refuse early, before the CPU work of decoding
        checked = check_take(upload)
        with self.lock:
            loaded, lecture = self.lecture_at(version)
            slide, segment = self.segment(lecture, slide_id, index)
            relative = take_name(slide, index, checked.extension)
            try:
                edited = set_audio(loaded.text, slide_id, index, relative)
            except EditRefused as refused:
                raise Refused(str(refused)) from None
            target = save_take(upload, lecture, relative)
            self._write_script(edited, loaded.version)
            TakeLog(lecture.root).record(target, segment.text)
        if self.render is not None:
            self.render.request([slide_id])
        return relative

    def reword(self, slide_id: str, index: int, version: str, template: str) -> None:
        """Write a new `say:` for the segment, after checking the whole script with it (a bad
        placeholder is refused with the loader's message); its take, if any, turns stale."""
        with self.lock:
            loaded, lecture = self.lecture_at(version)
            _, segment = self.segment(lecture, slide_id, index)
            try:
                edited = set_say(loaded.text, slide_id, index, template)
            except EditRefused as refused:
                raise Refused(str(refused)) from None
            log = TakeLog(lecture.root)
            if segment.audio is not None and not log.knows(segment.audio):
                log.record(segment.audio, segment.text)   # a take made elsewhere says the old words
            self._write_script(edited, loaded.version, check=True)
        if self.render is not None:
            self.render.request([slide_id])

    def keep(self, slide_id: str, index: int, version: str) -> None:
        """Keep the segment's take for its new words on purpose: it is no longer stale."""
        with self.lock:
            _, lecture = self.lecture_at(version)
            _, segment = self.segment(lecture, slide_id, index)
            if segment.audio is None:
                raise Refused("this segment has no take to keep; record one (R)")
            TakeLog(lecture.root).record(segment.audio, segment.text)

    def _write_script(self, text: str, version: str, check: bool = False) -> None:
        """Replace script.yaml by `text` atomically, keeping its permissions; with `check`, only if
        the whole lecture loads with it. Refused if the file changed meanwhile."""
        mode = self.script.stat().st_mode & 0o7777
        handle, name = tempfile.mkstemp(prefix=f".{self.script.name}.", suffix=".partial", dir=self.script.parent)
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            if check:
                try:
                    load_lecture(temporary, self.shown_as)
                except ScriptInvalid as invalid:
                    raise Refused("not saved: " + "; ".join(str(p) for p in invalid.problems[:3])) from None
            if _version(self.script.read_bytes()) != version:
                raise ScriptChanged(f"{self.shown_as} changed on disk meanwhile: reloaded, nothing was overwritten")
            os.replace(temporary, self.script)
        finally:
            temporary.unlink(missing_ok=True)

    # -- media, looked up by ids -----------------------------------------------------------

    def published_steps(self, slide_id: str) -> list[str]:
        """The slide's steps as its published step clips and stills are numbered. The export
        record is written as each slide is published, while the rest of a render runs; the
        manifest only once the whole run ends, so it is the fallback."""
        record = read_record(ExportRecord, self.paths.export_state(slide_id))
        if record is not None:
            return [step.name for step in record.steps]
        manifest = self.manifest()
        slide = next((s for s in manifest.slides if s.id == slide_id), None) if manifest is not None else None
        return [step.name for step in slide.steps] if slide is not None else []

    def _step_path(self, kind: str, slide_id: str, number: int) -> Path:
        """Where the render publishes a step's clip or still (steps/<slide>/NN.mp4|png)."""
        return self.paths.steps_dir(slide_id) / f"{number:02d}.{'png' if kind == 'still' else 'mp4'}"

    def step_file(self, kind: str, slide_id: str, number: int) -> Path | None:
        """A published step's still or clip, for a slide of the lecture and a step it has."""
        try:
            _, lecture = self.lecture_at()
            lecture.slide(slide_id)
        except (Refused, KeyError):
            return None
        if not 1 <= number <= len(self.published_steps(slide_id)):
            return None
        path = self._step_path(kind, slide_id, number)
        return path if path.is_file() else None

    def take_file(self, slide_id: str, index: int) -> Path | None:
        """The take script.yaml names for the segment now."""
        try:
            _, lecture = self.lecture_at()
            _, segment = self.segment(lecture, slide_id, index)
        except Refused:
            return None
        return segment.audio if segment.audio is not None and segment.audio.is_file() else None

    def reference(self, slide_id: str, index: int) -> bytes:
        """The segment's words as the synthesized voice says them (the script's default voice when
        it synthesizes, else the neural one), as a WAV: what the lecturer can listen to first."""
        from dataclasses import replace

        from explainer.app.booth.wav import wav_bytes
        from explainer.voice.voices import VoiceCache, lookup, voice_segment

        _, lecture = self.lecture_at()
        _, segment = self.segment(lecture, slide_id, index)
        segment = replace(segment, audio=None)
        voice = lecture.voice.default if lecture.voice.default in ENGINES else "neural"
        # The render's cache is only read: a render sweeps its unfinished files while it holds the
        # media lock, so what the booth makes goes to a cache of its own.
        voiced = lookup(VoiceCache(self.paths.voice_cache), segment, voice, lecture.voice) \
            or voice_segment(VoiceCache(self.voices), segment, voice, lecture.voice)
        assert voiced.samples is not None
        return wav_bytes(voiced.samples)
