"""English words inside the Chinese narration, read for the neural voice (Kokoro v1.0).

misaki's Chinese G2P passes Latin letters through raw, so every Latin word is turned into Kokoro's
English phonemes here. A word is read from, in order: the voice's pronunciation table, letter names
(single letters and acronyms), misaki's US lexicons, its parts (camelCase, hyphens, two joined
words), and last espeak-ng, whose IPA is mapped to misaki's symbols. Only espeak spawns a process;
`unknown_words` tells which words would need it, so `check` can ask for a table entry instead.

The acronym rule: a single letter is always its letter name (in a Chinese lecture a lone x, d, k or
a is a symbol, not an English word). An all-caps word is read as a word when the lexicon has it as
one, exactly (NASA) or, up to five letters, in lower case (BERT → bert, as misaki itself lower-cases
all-caps words it lacks); an all-caps entry that merely spells the letters (AI) and an acronym of up
to five letters the lexicon lacks (GPT, QKV) are read as letter names, one word each, so every
spelled acronym sounds alike. Longer all-caps words are looked up like any other word.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

NO_TABLE: Mapping[str, str] = MappingProxyType({})
MAX_ACRONYM = 5       # longer all-caps words are rarely spelled out
MIN_JOINED_PART = 3   # "softmax" = soft + max, but no splitting off "a" or "lo"
VOWEL_LETTERS = frozenset("aeiouy")

WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
RUN = re.compile(rf"{WORD.pattern}(?:[ \t-]+{WORD.pattern})*")
CASE_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")   # ChatGPT → Chat, GPT; GPTModel → GPT, Model
RESPELLING = re.compile(rf"{WORD.pattern}(?: +{WORD.pattern})*")
STRESS = str.maketrans("", "", "ˈˌ ")

# espeak-ng's IPA → misaki's US symbols, following misaki's EspeakFallback (misaki/espeak.py,
# Apache-2.0). '^' is espeak's tie: a tied diphthong or affricate is one Kokoro symbol. Longest first.
ESPEAK_TO_MISAKI = (
    ("ʔˌn\u0329", "ʔn"), ("ʔn\u0329", "ʔn"),
    ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("ə^l", "ᵊl"),
    ("ʲo", "jo"), ("ʲə", "jə"),
    ("e", "A"), ("ʲ", ""), ("ɚ", "əɹ"), ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u0303", ""),
)
SYLLABIC = re.compile("(\\S)\u0329")
# American vowels, espeak < 1.52's 'o', and Kokoro v1.0's flap 'T' and glottal stop as 't'.
MISAKI_US = (("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪə", "iə"), ("ː", ""), ("o", "ɔ"), ("ɾ", "T"), ("ʔ", "t"), ("^", ""))


@dataclass(frozen=True)
class Reading:
    """A word's phonemes in Kokoro's symbols, and where they came from."""

    phonemes: str
    source: str   # "table", "lexicon", "letters", "compound" or "espeak"


Fallback = Callable[[str], Reading]


def english_phonemes(word: str, table: Mapping[str, str] = NO_TABLE) -> Reading:
    """One Latin word's reading; `table` is the voice's pronunciation table (word as written → /phonemes/ or a respelling)."""
    if not WORD.fullmatch(word):
        raise ValueError(f"{word!r} is not a Latin word (ASCII letters, with hyphens or apostrophes inside)")
    return _read(word, table, _espeak)


def unknown_words(text: str, table: Mapping[str, str]) -> list[str]:
    """The Latin words of `text` only espeak-ng would read, each once: they need a pronunciation table entry.
    Runs nothing; a table entry with symbols Kokoro lacks raises ValueError here too."""
    words = dict.fromkeys(WORD.findall(text))
    return [word for word in words if _read(word, table, _unheard).source == "espeak"]


def latin_runs(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (chunk, is_latin) pieces; a Latin piece is Latin words joined by spaces or hyphens."""
    pieces: list[tuple[str, bool]] = []
    end = 0
    for match in RUN.finditer(text):
        if match.start() > end:
            pieces.append((text[end:match.start()], False))
        pieces.append((match.group(), True))
        end = match.end()
    if end < len(text):
        pieces.append((text[end:], False))
    return pieces


def phonemize_latin(run: str, table: Mapping[str, str]) -> str:
    """A Latin run read word by word, the words' phonemes joined by spaces."""
    return " ".join(english_phonemes(word, table).phonemes for word in WORD.findall(run))


def _read(word: str, table: Mapping[str, str], fallback: Fallback) -> Reading:
    if word in table:
        return Reading(_table_phonemes(word, table[word], fallback), "table")
    word = word.replace("’", "'")   # the lexicon and espeak know the ASCII apostrophe
    return _spelled(word) or _lexicon_reading(word) or _compound(word, table, fallback) or fallback(word)


def _table_phonemes(word: str, entry: str, fallback: Fallback) -> str:
    """A table entry's phonemes: /phonemes/ as written, or a respelling read again without the table."""
    if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
        return _validated(word, entry[1:-1])
    if not RESPELLING.fullmatch(entry):
        raise ValueError(f"pronunciation of {word!r}: {entry!r} is neither /phonemes/ nor a Latin respelling")
    return " ".join(_read(part, NO_TABLE, fallback).phonemes for part in entry.split())


def _validated(word: str, phonemes: str) -> str:
    if not phonemes.strip():
        raise ValueError(f"pronunciation of {word!r}: /{phonemes}/ is empty")
    unknown = sorted({symbol for symbol in phonemes if symbol not in kokoro_vocab()})
    if unknown:
        named = ", ".join(f"{symbol!r} (U+{ord(symbol):04X})" for symbol in unknown)
        raise ValueError(f"pronunciation of {word!r}: /{phonemes}/ has symbols Kokoro does not know: {named}")
    return phonemes


def _spelled(word: str) -> Reading | None:
    """Letter names for a single letter or an all-caps acronym (the rule in the module's docstring)."""
    if len(word) > 1 and not (word.isalpha() and word.isupper()):
        return None
    letters = " ".join(lexicon()[letter.upper()] for letter in word)
    entry = lexicon().get(word)
    if len(word) == 1 or (entry is not None and entry.translate(STRESS) == letters.translate(STRESS)):
        return Reading(letters, "letters")
    if len(word) <= MAX_ACRONYM and _lexicon_reading(word) is None:
        return Reading(letters, "letters")
    return None


def _lexicon_reading(word: str) -> Reading | None:
    for key in (word, word.lower(), word.capitalize()):
        if key in lexicon():
            return Reading(lexicon()[key], "lexicon")
    return None


def _compound(word: str, table: Mapping[str, str], fallback: Fallback) -> Reading | None:
    """The parts' readings joined by spaces, when every part is known without espeak."""
    parts = [part for piece in word.split("-") for part in (CASE_PART.findall(piece) if piece.isalpha() else [piece])]
    if len(parts) == 1:
        return _joined(word)
    if any(_read(part, table, _unheard).source == "espeak" for part in parts):   # asked first, so no part runs espeak
        return None
    return Reading(" ".join(_read(part, table, fallback).phonemes for part in parts), "compound")


def _joined(word: str) -> Reading | None:
    """Two lexicon words written as one (softmax). The second must start with a consonant, as the
    syllable would otherwise take the first word's last consonant (logits is not log + its)."""
    if not (word.isalpha() and word[1:].islower()):
        return None
    lower = word.lower()
    for cut in range(len(lower) - MIN_JOINED_PART, MIN_JOINED_PART - 1, -1):
        head, tail = lower[:cut], lower[cut:]
        if tail[0] not in VOWEL_LETTERS and head in lexicon() and tail in lexicon():
            return Reading(f"{lexicon()[head]} {lexicon()[tail]}", "compound")
    return None


def _unheard(word: str) -> Reading:
    """Stands in for espeak when only asking which words it would read."""
    return Reading("", "espeak")


@lru_cache(maxsize=4096)
def _espeak(word: str) -> Reading:
    program = shutil.which("espeak-ng")
    if program is None:
        raise RuntimeError(f"espeak-ng is not installed, and the neural voice needs it for {word!r}: install it with "
                           "`apt-get install -y espeak-ng`, or add the word to the voice's pronunciation table")
    result = subprocess.run([program, "-q", "-v", "en-us", "--ipa", "--tie=^", word],
                            capture_output=True, text=True, encoding="utf-8", timeout=30, check=True)
    phonemes = "".join(symbol for symbol in misaki_symbols(" ".join(result.stdout.split())) if symbol in kokoro_vocab())
    if not phonemes.strip():
        raise ValueError(f"espeak-ng gives no reading Kokoro can say for {word!r}: add it to the voice's pronunciation table")
    return Reading(phonemes, "espeak")


def misaki_symbols(ipa: str) -> str:
    """espeak-ng's US IPA (with '^' ties) in misaki's symbols."""
    for old, new in ESPEAK_TO_MISAKI:
        ipa = ipa.replace(old, new)
    ipa = SYLLABIC.sub(r"ᵊ\1", ipa)
    for old, new in MISAKI_US:
        ipa = ipa.replace(old, new)
    return ipa


@lru_cache(maxsize=1)
def kokoro_vocab() -> frozenset[str]:
    """The symbols Kokoro v1.0 has token ids for."""
    path = Path(__file__).with_name("kokoro_vocab.json")
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["vocab"])


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """misaki's US gold and silver lexicons, one reading a word (a part-of-speech entry's DEFAULT); gold wins."""
    data = importlib.resources.files("misaki") / "data"
    words: dict[str, str] = {}
    for name in ("us_silver.json", "us_gold.json"):   # gold second, so it overwrites
        for word, entry in json.loads((data / name).read_text(encoding="utf-8")).items():
            phonemes = entry if isinstance(entry, str) else entry.get("DEFAULT") or next(filter(None, entry.values()), None)
            if phonemes:
                words[word] = phonemes
    return words
