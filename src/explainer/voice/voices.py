"""Which voice speaks a segment, what it is given to say, and the segment's sound from the cache or
made now: the neural voice (Kokoro, the default), the draft voice (espeak-ng), a lecturer's
recorded take, or none (silent, timed by an estimate). Each is cached by content, so nothing the
cache holds is synthesized or decoded again."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from explainer.script.model import ENGINES, Segment, VoiceSettings
from explainer.text.speech import read_aloud, spoken
from explainer.voice.cache import SAMPLE_RATE, VoiceCache, Voiced
from explainer.voice.errors import VoiceError

__all__ = ["SAMPLE_RATE", "VoiceCache", "VoiceError", "Voiced", "estimated_seconds", "segment_key",
           "spoken_text", "voice_of", "voice_segment"]

ESTIMATE_CHARS_PER_SECOND = 4.5
PAUSE_SECONDS = {"，": 0.25, "、": 0.2, "；": 0.35, "：": 0.3, "。": 0.45, "！": 0.45, "？": 0.45,
                 ",": 0.2, ";": 0.3, ":": 0.25, ".": 0.35, "!": 0.35, "?": 0.35}
# Bumped whenever what is cached changes meaning (trimming, loudness, resampling).
PROCESSING_VERSION = 2
# The code that turns neural text into phonemes: editing it makes new sound.
PHONEME_SOURCES = ("mandarin.py", "english.py", "kokoro_vocab.json")


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def estimated_seconds(text: str) -> float:
    """How long a lecturer takes to say `text`: characters a second plus pauses at punctuation."""
    pauses = sum(PAUSE_SECONDS.get(char, 0.0) for char in text)
    letters = sum(1 for char in text if not char.isspace() and char not in PAUSE_SECONDS)
    return round(letters / ESTIMATE_CHARS_PER_SECOND + pauses, 3)


def voice_of(segment: Segment, mode: str, default: str = "neural") -> str:
    """Which voice speaks a segment in `mode`: with 'recorded', its take where one exists, else the
    script's default voice when that one synthesizes (neural or draft), else the neural voice."""
    if mode == "none":
        return "none"
    if mode == "recorded":
        if segment.audio is not None:
            return "recorded"
        return default if default in ENGINES else "neural"
    return mode


def spoken_text(segment: Segment, voice: str, settings: VoiceSettings) -> str:
    """What `voice` is given for the segment: the screen's text read aloud (`voice.read`), numbers
    and symbols in words, and for the draft voice its pronunciation table as pinyin (the neural
    voice applies its own table when it makes phonemes)."""
    said = read_aloud(segment.text, settings.read)
    if voice == "draft":
        return spoken(said, settings.pronounce_draft)
    return spoken(said)


def _used_entries(text: str, table: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The table's entries that `text` contains: an edit to another entry re-voices nothing here."""
    return [entry for entry in table if entry[0] in text]


@lru_cache(maxsize=1)
def _phoneme_code() -> str:
    folder = Path(__file__).parent
    return _hash(*(hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in PHONEME_SOURCES))


def segment_key(segment: Segment, voice: str, settings: VoiceSettings) -> str:
    """What the cached sound depends on: the words given and the engine, or the take's bytes."""
    text = spoken_text(segment, voice, settings)
    if voice == "none":
        return _hash("none", text, ESTIMATE_CHARS_PER_SECOND, PAUSE_SECONDS)
    if voice == "recorded":
        assert segment.audio is not None
        return _hash("recorded", _file_digest(segment.audio), PROCESSING_VERSION)
    if voice == "draft":
        from explainer.voice.draft import DRAFT_RATE, DRAFT_VOICE, engine_version

        return _hash("draft", text, DRAFT_VOICE, DRAFT_RATE, engine_version(), PROCESSING_VERSION)
    from explainer.voice import neural

    speakers = [[name, weight, neural.speaker_checksum(neural.speaker_file(name, settings.neural.where))]
                for name, weight in settings.neural.speaker]
    return _hash("neural", text, _used_entries(text, settings.pronounce_neural), speakers, settings.neural.speed,
                 neural.model_checksum(), neural.library_versions(), _phoneme_code(), PROCESSING_VERSION)


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _cached_digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _cached_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def lookup(cache: VoiceCache, segment: Segment, voice: str, settings: VoiceSettings) -> Voiced | None:
    """The segment's sound if the cache has it (None also when its key cannot be made: voicing
    it reports why, naming the slide and the step)."""
    try:
        return cache.lookup(segment_key(segment, voice, settings), voice)
    except (OSError, VoiceError):
        return None


def voice_segment(cache: VoiceCache, segment: Segment, voice: str, settings: VoiceSettings) -> Voiced:
    """The segment's sound from the cache, or made now and cached."""
    key = segment_key(segment, voice, settings)
    found = cache.lookup(key, voice)
    if found is not None:
        return found
    text = spoken_text(segment, voice, settings)
    if voice == "none":
        return cache.store(key, voice, None, estimated_seconds(text), text)
    if voice == "recorded":
        from explainer.voice.takes import decode_take

        samples = decode_take(segment.audio)  # type: ignore[arg-type]
    elif voice == "draft":
        from explainer.voice.draft import synthesize_draft

        samples = synthesize_draft(text)
    else:
        from explainer.voice.neural import synthesize_neural

        samples = synthesize_neural(text, settings.neural.speaker, settings.neural.speed,
                                    tuple(_used_entries(text, settings.pronounce_neural)))
    return cache.store(key, voice, samples, len(samples) / SAMPLE_RATE, text)  # type: ignore[arg-type]


def check_engine(voice: str, settings: VoiceSettings) -> None:
    """Raise VoiceError (missing_program) now if `voice`'s engine, model or speaker is missing,
    before any work starts."""
    if voice == "draft":
        from explainer.voice.draft import engine_version

        engine_version()
    elif voice == "neural":
        from explainer.voice import neural

        neural.model_checksum()
        neural.library_versions()
        for name, _ in settings.neural.speaker:
            neural.speaker_file(name, settings.neural.where)
