"""The default voice is understood: a fixed set of the lecture's segments (tests/speech_set.py),
voiced by the same voice stage `render` uses, written down by an offline recognizer (Whisper
base), at most 15 % character error rate. Whisper base is a weak listener, so this ranks voices
rather than measuring people; a voice it cannot follow is not ready."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explainer.script.load import load_lecture
from explainer.voice.voices import VoiceCache, voice_of, voice_segment
from recognizer import Score, score, transcribe
from speech_set import SEGMENTS

ROOT = Path(__file__).resolve().parents[1]
MAX_CER = 0.15


def test_the_default_voice_reads_the_lecture_intelligibly(tmp_path):
    lecture = load_lecture(ROOT / "script.yaml")
    assert lecture.voice.default == "neural"
    cache = VoiceCache(tmp_path / "voice")
    total, rows = Score(), []
    for slide_id, index in SEGMENTS:
        segment = lecture.slide(slide_id).narration[index]
        voiced = voice_segment(cache, segment, voice_of(segment, lecture.voice.default), lecture.voice)
        assert voiced.voice == "neural" and voiced.samples is not None
        heard = transcribe(np.load(voiced.samples), 48_000)
        result = score(voiced.spoken, heard)
        total = total + result
        rows.append(f"{result}  {slide_id}[{index}]  said: {voiced.spoken}  heard: {heard}")
    report = "\n".join(rows) + f"\nall: {total}"
    print(report)
    assert len(SEGMENTS) >= 20
    assert total.rate <= MAX_CER, report


@pytest.mark.parametrize("slide_id, index", SEGMENTS)
def test_every_named_segment_exists(slide_id, index):
    lecture = load_lecture(ROOT / "script.yaml")
    assert index < len(lecture.slide(slide_id).narration)
