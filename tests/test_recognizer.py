"""The measuring side of voice quality: scoring units, character error rate, Latin words heard, and
the offline recognizer that supplies the hypotheses."""

from __future__ import annotations

import importlib.util
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

import recognizer
from recognizer import Score, cer, edit_distance, latin_words_recovered, score, tokens, transcribe, whisper_model_dir

REFERENCE = "Query 和 Key 做點積，得到 0.49。"
REFERENCE_TOKENS = ["query", "和", "key", "做", "点", "积", "得", "到", "零", "点", "四", "九"]

needs_whisper = pytest.mark.skipif(importlib.util.find_spec("faster_whisper") is None,
                                   reason="faster-whisper is not installed (pip install faster-whisper==1.2.1)")


def test_tokens_are_han_characters_and_latin_words_in_one_spelling():
    assert tokens(REFERENCE) == REFERENCE_TOKENS
    # Simplified, lower case, numerals in words, no spaces or punctuation: the same units.
    assert tokens("query和key做点积得到零點四九") == REFERENCE_TOKENS


@pytest.mark.parametrize(("text", "units"), [
    ("59%", ["百", "分", "之", "五", "十", "九"]),
    ("５９％", ["百", "分", "之", "五", "十", "九"]),         # full-width, as Traditional text often writes it
    ("1,000 個", ["一", "千", "个"]),                           # a thousands separator, not a pause
    ("2017 年", ["二", "零", "一", "七", "年"]),                 # a year, digit by digit, spaced or not
    ("GPT-3", ["gpt", "三"]),                                  # a dash, not a minus sign
    ("溫度 -0.5", ["温", "度", "负", "零", "点", "五"]),         # a minus sign
    ("軟體", ["软", "体"]),                                      # t2s changes the script only (tw2sp: 软件)
    ("Softmax(x) 的 W_Q", ["softmax", "x", "的", "w", "q"]),
])
def test_numbers_and_scripts_normalized(text, units):
    assert tokens(text) == units


def test_edit_distance_counts_substitutions_deletions_and_insertions():
    assert edit_distance(list("kitten"), list("sitting")) == 3
    assert edit_distance([], ["a", "b"]) == 2
    assert edit_distance(["a", "b"], []) == 2
    assert edit_distance(["a", "b", "c"], ["a", "c"]) == 1


@pytest.mark.parametrize(("hypothesis", "errors"), [
    ("query和key做点积，得到零點四九", 0),        # spelled differently, said the same
    ("Query 和 Key 做點積，得到 0.48。", 1),      # 九 → 八
    ("Query 和 Key 做點擊，得到 0.49。", 1),      # 积 → 击
    ("Query 和做點積，得到 0.49。", 1),           # Key missing
    ("Query 和 keys 做點積，得到 0.49。", 1),     # a different word: one error, not one per letter
    ("Query 和 Key 做點積，就得到了 0.49。", 2),  # 就, 了 inserted
    ("", 12),
])
def test_cer_against_the_reference(hypothesis, errors):
    assert cer(REFERENCE, hypothesis) == (errors, 12)


def test_latin_words_recovered_as_a_multiset():
    assert latin_words_recovered(REFERENCE, "query 和 key 做点积") == (2, 2)
    assert latin_words_recovered(REFERENCE, "Query 和做點積") == (1, 2)
    assert latin_words_recovered(REFERENCE, "Query 和 keys 做點積") == (1, 2)
    assert latin_words_recovered("Key、Key 和 Value", "key value value") == (2, 3)
    assert latin_words_recovered("點積", "Key") == (0, 0)


def test_score_combines_and_adds_up():
    missing_key = score(REFERENCE, "Query 和做點積，得到 0.49。")
    assert missing_key == Score(errors=1, length=12, latin_found=1, latin_total=2)
    assert str(missing_key) == "CER 8.3% (1/12), Latin words 1/2"
    total = sum([missing_key, score("你好", "你们好")], Score())
    assert total == Score(errors=2, length=14, latin_found=1, latin_total=2)
    assert total.rate == pytest.approx(2 / 14)
    assert cer("", "") == (0, 0) and Score().rate == 0


def test_a_verified_model_folder_is_only_looked_up(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    folder = tmp_path / "whisper-base"
    folder.mkdir()
    (folder / recognizer.STAMP).touch()
    assert whisper_model_dir() == folder
    assert [p.name for p in folder.iterdir()] == [recognizer.STAMP]   # nothing joined or hashed again


@needs_whisper
def test_a_model_that_fails_its_checksum_is_not_installed(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(recognizer.MODEL_FILES, "model.bin", "0" * 64)
    with pytest.raises(RuntimeError, match=r"model\.bin .* has SHA-256 d01c3014"):
        whisper_model_dir()
    assert list(tmp_path.iterdir()) == []   # the temporary folder is gone, nothing half-made is left


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit mono wav (what espeak-ng writes) as float32 samples and its rate."""
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        frames = wav.readframes(wav.getnframes())
        return np.frombuffer(frames, "<i2").astype(np.float32) / 32768, wav.getframerate()


@needs_whisper
def test_speech_is_transcribed(tmp_path):
    wav = tmp_path / "out.wav"
    subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin", "-w", str(wav), "你好，今天天氣很好。"], check=True)
    samples, rate = read_wav(wav)
    # espeak-ng's Mandarin is too poor for Whisper to be held to any error rate: this only shows
    # that audio at the voice's own rate goes in and text comes out.
    assert isinstance(transcribe(samples, rate), str)


@needs_whisper
def test_silence_is_heard_as_nothing():
    heard = transcribe(np.zeros(3 * 24_000, np.float32), 24_000)
    assert len(tokens(heard)) <= 2, heard
