"""Reads the script's `voice:` section: the default voice, the neural voice's settings, how every
voice reads what the screen writes (`read`), and each engine's pronunciation table."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from explainer.script.model import ENGINES, VOICES, NeuralSettings, Table, VoiceSettings
from explainer.script.yamlpos import MarkedDict, Pos
from explainer.text.speech import bad_pinyin

VOICE_KEYS = ("default", "neural", "read", "pronounce")
NEURAL_KEYS = ("speaker", "speed")
SPEED_RANGE = (0.5, 1.5)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*\Z")
PHONEMES = re.compile(r"/[^/]+/\Z")       # Kokoro's symbols between slashes, for a Latin word
RESPELLING = re.compile(r"[A-Za-z][A-Za-z' -]*\Z")
SPEAKER_NAME = re.compile(r"[a-z]{2}_[a-z]+\Z")

Report = Callable[[Pos | None, str], None]

SHAPE = """voice:
  default: neural
  neural: {speaker: {zf_xiaoxiao: 0.4, af_bella: 0.6}, speed: 0.85}
  read: {Δx: 德爾塔 x}
  pronounce:
    draft: {重新: chong2 xin1}
    neural: {表徵: biao3 zheng1, Cowan: /kˈaʊən/}"""


def read_voice_settings(raw: Any, pos: Pos | None, shown_as: str, report: Report) -> VoiceSettings:
    """The settings; every problem goes to `report` with where it is and how to fix it."""
    if raw is None:
        return VoiceSettings()
    if not isinstance(raw, MarkedDict):
        report(pos, f"voice must be a mapping, like\n{SHAPE}")
        return VoiceSettings()
    for key in raw:
        if key not in VOICE_KEYS:
            report(raw.key_pos[key], f"voice: unknown key '{key}'; allowed: {', '.join(VOICE_KEYS)}")
    default = raw.get("default", VoiceSettings.default)
    if default not in VOICES:
        report(raw.value_pos.get("default", pos), f"voice.default must be one of {', '.join(VOICES)}, got {default!r}")
        default = VoiceSettings.default
    neural = _neural(raw.get("neural"), raw.value_pos.get("neural", pos), shown_as, report)
    read = _read_table(raw.get("read"), raw.value_pos.get("read", pos), report)
    tables = _pronounce(raw.get("pronounce"), raw.value_pos.get("pronounce", pos), report)
    return VoiceSettings(default, neural, read, tables.get("draft", ()), tables.get("neural", ()))


def _neural(raw: Any, pos: Pos | None, shown_as: str, report: Report) -> NeuralSettings:
    if raw is None:
        return NeuralSettings()
    if not isinstance(raw, MarkedDict):
        report(pos, "voice.neural must be a mapping like `{speaker: {zf_xiaoxiao: 0.4, af_bella: 0.6}, speed: 0.85}`")
        return NeuralSettings()
    for key in raw:
        if key not in NEURAL_KEYS:
            report(raw.key_pos[key], f"voice.neural: unknown key '{key}'; allowed: {', '.join(NEURAL_KEYS)}")
    speaker = _speaker(raw.get("speaker"), raw.value_pos.get("speaker", pos), report)
    speed = raw.get("speed", NeuralSettings.speed)
    low, high = SPEED_RANGE
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not low <= speed <= high:
        report(raw.value_pos.get("speed", pos), f"voice.neural.speed must be a number from {low} to {high} "
                                                f"(1.0 is the model's own pace), got {speed!r}")
        speed = NeuralSettings.speed
    where = raw.value_pos.get("speaker", pos)
    shown = f"{shown_as}:{where.line}:{where.col}" if where else shown_as
    return NeuralSettings(speaker, float(speed), shown)


def _speaker(raw: Any, pos: Pos | None, report: Report) -> tuple[tuple[str, float], ...]:
    """A speaker name, or a mix of speakers whose weights add up to 1."""
    if raw is None:
        return NeuralSettings.speaker
    mix = {raw: 1.0} if isinstance(raw, str) else raw
    names_ok = isinstance(mix, dict) and mix and all(isinstance(n, str) and SPEAKER_NAME.match(n) for n in mix)
    weights = list(mix.values()) if isinstance(mix, dict) else []
    weights_ok = all(not isinstance(w, bool) and isinstance(w, (int, float)) and 0 < w <= 1 for w in weights)
    if not names_ok or not weights_ok or abs(sum(weights) - 1.0) > 1e-6:
        report(pos, "voice.neural.speaker must be a speaker name (zf_xiaoxiao) or a mix of speakers whose weights "
                    f"add up to 1 ({{zf_xiaoxiao: 0.4, af_bella: 0.6}}), got {raw!r}")
        return NeuralSettings.speaker
    return tuple((str(name), float(weight)) for name, weight in mix.items())


def _read_table(raw: Any, pos: Pos | None, report: Report) -> Table:
    if raw is None:
        return ()
    if not isinstance(raw, MarkedDict):
        report(pos, "voice.read must map what the screen writes to the words said, like `Δx: 德爾塔 x`")
        return ()
    table = []
    for written, words in raw.items():
        if not isinstance(words, str) or not words.strip() or not str(written).strip():
            report(raw.value_pos[written], f"voice.read.{written}: give the words every voice says for "
                                           f"'{written}', like `√dₖ: 根號 d k`")
        else:
            table.append((str(written), " ".join(words.split())))
    return tuple(table)


def _pronounce(raw: Any, pos: Pos | None, report: Report) -> dict[str, Table]:
    if raw is None:
        return {}
    if not isinstance(raw, MarkedDict):
        report(pos, "voice.pronounce must map a voice (draft, neural) to its table, like\n"
                    "  pronounce:\n    draft: {重新: chong2 xin1}\n    neural: {表徵: biao3 zheng1}")
        return {}
    tables: dict[str, Table] = {}
    for engine, table in raw.items():
        where = raw.key_pos[engine]
        if engine not in ENGINES:
            if isinstance(table, str):
                report(where, f"voice.pronounce.{engine}: say which voice this reading is for: put it under "
                              f"`pronounce: draft:` (espeak-ng) or `pronounce: neural:`")
            else:
                report(where, f"voice.pronounce: unknown voice '{engine}'; the tables are {', '.join(ENGINES)}")
            continue
        if not isinstance(table, MarkedDict):
            report(raw.value_pos[engine], f"voice.pronounce.{engine} must map words to readings, like `重新: chong2 xin1`")
            continue
        entries = []
        for word, reading in table.items():
            problem = _bad_reading(str(word), reading, engine)
            if problem:
                report(table.value_pos[word], f"voice.pronounce.{engine}.{word}: {problem}")
            else:
                entries.append((str(word), reading.strip()))
        tables[engine] = tuple(entries)
    return tables


def _bad_reading(word: str, reading: Any, engine: str) -> str | None:
    """Why a pronunciation entry cannot be used, or None."""
    if not isinstance(reading, str) or not reading.strip():
        return "the reading must be text"
    if LATIN_WORD.match(word):
        if engine == "neural" and PHONEMES.match(reading.strip()):
            return None
        if RESPELLING.match(reading.strip()):
            return None
        hint = "phonemes between slashes (/kˈaʊən/) or " if engine == "neural" else ""
        return f"a Latin word's reading must be {hint}a respelling in Latin letters (cow in)"
    problem = bad_pinyin(reading)
    return f"the pinyin {problem}" if problem else None
