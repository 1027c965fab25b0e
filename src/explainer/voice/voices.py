"""Voices for narration segments: the draft voice (espeak-ng), a lecturer's recorded takes, or
none (silent, timed by an estimate). Each voiced segment is cached by content, so nothing the
cache holds is synthesized or decoded again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from explainer.script.model import Lecture, Segment
from explainer.text.speech import spoken

DRAFT_VOICE = "cmn-latn-pinyin"   # not "cmn": Debian 12's build reads its tone digits as English
DRAFT_RATE = 210                  # espeak words a minute; about 4.5 Chinese characters a second
SAMPLE_RATE = 48_000              # narration is mono at 48 kHz everywhere
MAX_TAKE_SECONDS = 600
ESTIMATE_CHARS_PER_SECOND = 4.5
PAUSE_SECONDS = {"，": 0.25, "、": 0.2, "；": 0.35, "：": 0.3, "。": 0.45, "！": 0.45, "？": 0.45,
                 ",": 0.2, ";": 0.3, ":": 0.25, ".": 0.35, "!": 0.35, "?": 0.35}
# Bumped whenever what is cached changes meaning (trimming, loudness, resampling).
PROCESSING_VERSION = 2


class VoiceError(Exception):
    """A segment that cannot be voiced: names the slide, the step and the file."""

    def __init__(self, message: str, missing_program: bool = False) -> None:
        super().__init__(message)
        self.missing_program = missing_program


@dataclass(frozen=True)
class Voiced:
    """One segment's sound: how long it is, and its samples (None when the voice is 'none')."""

    key: str
    seconds: float
    samples: Path | None
    voice: str          # "draft", "recorded" or "none"


@lru_cache(maxsize=1)
def engine_version() -> str:
    """espeak-ng's version line (its voice data can change what is said)."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise VoiceError("espeak-ng is not installed (the draft voice); install it with "
                         "`apt-get install -y espeak-ng`, or render with --voice none", missing_program=True)
    result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def estimated_seconds(text: str) -> float:
    """How long a lecturer takes to say `text`: characters a second plus pauses at punctuation."""
    pauses = sum(PAUSE_SECONDS.get(char, 0.0) for char in text)
    letters = sum(1 for char in text if not char.isspace() and char not in PAUSE_SECONDS)
    return round(letters / ESTIMATE_CHARS_PER_SECOND + pauses, 3)


def voice_of(segment: Segment, mode: str) -> str:
    """Which voice speaks a segment: a recorded take where one exists (voice 'recorded')."""
    if mode == "none":
        return "none"
    if mode == "recorded" and segment.audio is not None:
        return "recorded"
    return "draft"


def segment_key(segment: Segment, voice: str, pronounce: tuple[tuple[str, str], ...]) -> str:
    """What the cached sound depends on: the spoken text and the engine, or the take's bytes."""
    if voice == "none":
        return _hash("none", segment.text, ESTIMATE_CHARS_PER_SECOND, PAUSE_SECONDS)
    if voice == "recorded":
        assert segment.audio is not None
        return _hash("recorded", _file_digest(segment.audio), PROCESSING_VERSION)
    return _hash("draft", spoken(segment.text, pronounce), DRAFT_VOICE, DRAFT_RATE, engine_version(),
                 PROCESSING_VERSION)


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _cached_digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _cached_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class VoiceCache:
    """Voiced segments under <media>/.cache/voice/: KEY.npy (samples) and KEY.json (length)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def lookup(self, key: str, voice: str) -> Voiced | None:
        meta = self.folder / f"{key}.json"
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        samples = self.folder / f"{key}.npy"
        if voice != "none" and not samples.is_file():
            return None
        return Voiced(key, float(data["seconds"]), samples if voice != "none" else None, voice)

    def store(self, key: str, voice: str, samples: object | None, seconds: float) -> Voiced:
        """Write samples, then metadata, each by atomic rename: the .json marks a complete entry."""
        import numpy as np

        self.folder.mkdir(parents=True, exist_ok=True)
        path = None
        if samples is not None:
            path = self.folder / f"{key}.npy"
            handle, name = tempfile.mkstemp(prefix=f".{key}.", suffix=".npy", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                np.save(out, np.asarray(samples, dtype=np.float32))
            os.replace(name, path)
        handle, name = tempfile.mkstemp(prefix=f".{key}.", suffix=".json", dir=self.folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"seconds": seconds, "voice": voice}, out)
        os.replace(name, self.folder / f"{key}.json")
        return Voiced(key, seconds, path, voice)


def synthesize_draft(text: str, pronounce: tuple[tuple[str, str], ...]) -> object:
    """The draft voice saying `text`: float32 mono samples at 48 kHz, trimmed and normalized."""
    from explainer.voice.loudness import prepare

    program = shutil.which("espeak-ng")
    if program is None:
        engine_version()  # raises with the install command
    with tempfile.TemporaryDirectory(prefix="explainer-voice-") as folder:
        source, target = Path(folder) / "text.txt", Path(folder) / "voice.wav"
        source.write_text(spoken(text, pronounce), encoding="utf-8")
        result = subprocess.run([program, "-v", DRAFT_VOICE, "-s", str(DRAFT_RATE), "-b", "1",
                                 "-f", str(source), "-w", str(target)],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0 or not target.is_file():
            raise VoiceError(f"espeak-ng failed ({result.returncode}): {result.stderr.strip()[:300]}")
        samples, rate = _read_wav(target)
    return prepare(samples, rate)


def _read_wav(path: Path) -> tuple[object, int]:
    import wave

    import numpy as np

    with wave.open(str(path)) as wav:
        rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
        raw = wav.readframes(wav.getnframes())
    if width != 2:
        raise VoiceError(f"{path}: espeak-ng wrote {8 * width}-bit audio, expected 16-bit")
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples, rate


def decode_take(path: Path) -> object:
    """A recorded take as mono 48 kHz float32, trimmed and normalized; VoiceError if it is not audio."""
    import av
    import numpy as np

    from explainer.voice.loudness import prepare

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise VoiceError(f"{path}: holds no audio stream")
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None \
                    and float(stream.duration * stream.time_base) > MAX_TAKE_SECONDS:
                raise VoiceError(f"{path}: longer than {MAX_TAKE_SECONDS // 60} minutes; split it "
                                 "into one take per segment")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                if sum(len(c) for c in chunks) > MAX_TAKE_SECONDS * SAMPLE_RATE:
                    raise VoiceError(f"{path}: longer than {MAX_TAKE_SECONDS // 60} minutes; split it "
                                     "into one take per segment")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as error:
        raise VoiceError(f"{path}: cannot be decoded as audio ({error})") from None
    except OSError as error:
        raise VoiceError(f"{path}: cannot be read ({error.strerror})") from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size < SAMPLE_RATE // 10 or float(np.max(np.abs(samples))) < 1e-4:
        raise VoiceError(f"{path}: is empty or silent")
    return prepare(samples, SAMPLE_RATE)


def voice_segment(cache: VoiceCache, segment: Segment, voice: str,
                  pronounce: tuple[tuple[str, str], ...]) -> Voiced:
    """The segment's sound from the cache, or made now and cached."""
    key = segment_key(segment, voice, pronounce)
    found = cache.lookup(key, voice)
    if found is not None:
        return found
    if voice == "none":
        return cache.store(key, voice, None, estimated_seconds(segment.text))
    samples = decode_take(segment.audio) if voice == "recorded" else synthesize_draft(segment.text, pronounce)  # type: ignore[arg-type]
    return cache.store(key, voice, samples, len(samples) / SAMPLE_RATE)  # type: ignore[arg-type]


def voice_lecture(lecture: Lecture, mode: str, cache: VoiceCache, slide_ids: set[str] | None = None,
                  jobs: int = 2) -> dict[str, list[Voiced]]:
    """Every segment of the chosen slides voiced (cached ones looked up, the rest made in parallel).

    Raises VoiceError naming the slide, the step and the file of the first segment that fails.
    """
    work = [(slide, index, segment) for slide in lecture.slides
            if slide_ids is None or slide.id in slide_ids
            for index, segment in enumerate(slide.narration)]
    if mode != "none" and work:
        engine_version()  # a missing espeak-ng is reported once, before anything starts

    def one(item: tuple) -> Voiced:
        slide, _, segment = item
        try:
            return voice_segment(cache, segment, voice_of(segment, mode), lecture.voice.pronounce)
        except VoiceError as error:
            if error.missing_program:
                raise
            take = f", take {segment.audio}" if segment.audio and voice_of(segment, mode) == "recorded" else ""
            raise VoiceError(f"{lecture.shown_as}:{segment.line}:{segment.column}: slide '{slide.id}', "
                             f"step '{segment.step}'{take}: {error}") from None

    # Cached segments are looked up here; only the ones to synthesize or decode go to the pool (a
    # pool of threads for 230 file reads costs more than the reads).
    def cached(segment: Segment) -> Voiced | None:
        voice = voice_of(segment, mode)
        try:
            return cache.lookup(segment_key(segment, voice, lecture.voice.pronounce), voice)
        except (OSError, VoiceError):
            return None   # `one` reports it, naming the slide and the step

    results: list[Voiced | None] = [cached(segment) for _, _, segment in work]
    missing = [index for index, found in enumerate(results) if found is None]
    if missing:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for index, made in zip(missing, pool.map(one, [work[i] for i in missing])):
                results[index] = made
    voiced: dict[str, list[Voiced]] = {}
    for (slide, _, _), result in zip(work, results):
        voiced.setdefault(slide.id, []).append(result)
    return voiced
