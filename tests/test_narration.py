"""Narration per step: speech normalization, the check's errors, timing and the frame key."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.script.model import Segment
from explainer.text.speech import integer_words, spoken, unsayable
from explainer.voice.timing import BREATH_SECONDS, GAP_SECONDS, step_frames, step_seconds
from explainer.voice.voices import Voiced, estimated_seconds
from pipeline_support import edit, explainer


@pytest.mark.parametrize(("text", "said"), [
    ("T = 0.2", "T 等於 零點二"),
    ("權重是 0.447", "權重是 零點四四七"),
    ("效率 59.0%", "效率 百分之五十九"),
    ("總和 101%，不可能", "總和 百分之一百零一 ，不可能"),
    ("2 × 3 ÷ 6", "二 乘以 三 除以 六"),
    ("x + F(x)", "x 加 F(x)"),
    ("2017 年", "二零一七 年"),
    ("溫度 -0.5", "溫度 負零點五"),
    ("N-back 作業", "N back 作業"),
])
def test_numbers_and_symbols_are_said_in_chinese(text, said):
    assert spoken(text) == said


@pytest.mark.parametrize(("number", "words"), [
    (0, "零"), (10, "十"), (12, "十二"), (20, "二十"), (101, "一百零一"), (110, "一百一十"),
    (200, "兩百"), (1001, "一千零一"), (2017, "兩千零一十七"), (10005, "一萬零五"), (20000, "兩萬")])
def test_integers_read_aloud(number, words):
    assert integer_words(number) == words


def test_pronunciation_table_replaces_words_with_pinyin_before_numbers():
    assert spoken("重新處理每一行", (("重新", "chóng xīn"), ("一行", "yi4 hang2"))) \
        == "chong2 xin1 處理每 yi4 hang2"


def test_emoji_and_arrows_are_unsayable_but_chinese_latin_and_numbers_are_fine():
    assert unsayable("注意力 → 輸出 😀") == ["→", "😀"]
    assert unsayable("Softmax 把 0.5 變成 59%，「權重」（機率）！") == []


def _voiced(seconds: float) -> Voiced:
    return Voiced("k", seconds, None, "none")


def test_a_step_lasts_its_segments_gaps_and_a_breath():
    segments = (Segment("a", "一", None, 1, 1), Segment("a", "二", None, 2, 1), Segment("b", "三", None, 3, 1))
    seconds = step_seconds(segments, [_voiced(1.0), _voiced(2.0), _voiced(0.5)])
    assert seconds == {"a": pytest.approx(3.0 + GAP_SECONDS + BREATH_SECONDS),
                       "b": pytest.approx(0.5 + BREATH_SECONDS)}
    assert step_frames(segments, [_voiced(1.0), _voiced(2.0), _voiced(0.5)], 15) == \
        [["a", 56], ["b", 14]]


def test_estimate_counts_characters_and_pauses():
    assert estimated_seconds("一二三四五六七八九") == pytest.approx(2.0)
    assert estimated_seconds("一二三，四五六。") > estimated_seconds("一二三四五六")




@pytest.mark.parametrize(("old", "new", "expected"), [
    ("- step: bullet-1\n            say: 注意力", "- step: bullets\n            say: 注意力",
     "step 'bullets' is not a step of this scene; its steps are, in order: chapter, title, bullet-1, summary"),
    ("- step: chapter\n            say: 第一章。", "- step: summary\n            say: 第一章。",
     "comes before"),
    ("say: 這是第一張投影片。", "say: ''", "'say' must be the words spoken"),
    ("say: 這是第一張投影片。", "say: 這是 {nothing} 投影片。", "placeholder problem"),
    ("say: 這是第一張投影片。", "say: 這是第一張投影片 😀", "no voice can say '😀'"),
    ("say: 這是第一張投影片。", "say: 這是第一張投影片。\n            audio: takes/none.wav",
     "audio file 'takes/none.wav' not found"),
    ("重新: chong2 xin1", "重新: chong9 xin1", "voice.pronounce.draft.重新"),
])
def test_check_rejects_bad_narration_with_its_line(mini, old, new, expected):
    edit(mini / "script.yaml", old, new)
    run = explainer(mini, "check")
    assert run.returncode == 2, run.stdout
    assert expected in run.stderr
    assert run.stderr.startswith("script.yaml:") and run.stderr.split(":")[1].isdigit()


def test_narration_numbers_come_from_params(tmp_path):
    """A placeholder is filled from the slide's params, so editing the number edits the words."""
    from explainer.script.load import load_lecture

    project = tmp_path / "p"
    shutil.copytree(Path(__file__).resolve().parents[1] / "scenes", project / "scenes")
    shutil.copy(Path(__file__).resolve().parents[1] / "script.yaml", project / "script.yaml")
    lecture = load_lecture(project / "script.yaml")
    slide = lecture.slide("homework-qkv")
    said = " ".join(s.text for s in slide.narration)
    assert "101%" in said and "59.0%" in said and "84.7%" in said
    edit(project / "script.yaml", "value: 0.95", "value: 0.85")
    changed = " ".join(s.text for s in load_lecture(project / "script.yaml").slide("homework-qkv").narration)
    assert "101%" not in changed and "93%" in changed


def test_status_lists_the_segments_still_spoken_by_the_draft_voice(mini):
    import wave

    with wave.open(str(mini / "take.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16_000)
        handle.writeframes(bytes(range(256)) * 200)
    edit(mini / "script.yaml", "say: 第二章。", "say: 第二章。\n            audio: take.wav")
    run = subprocess.run([sys.executable, "-m", "explainer", "status", "--voice", "recorded"], cwd=mini,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "7 narration segment(s) have no recorded take yet" in run.stdout
    assert "b-one: step 'chapter'" not in run.stdout and "b-one: step 'title'" in run.stdout


def test_a_take_longer_than_the_limit_is_refused(tmp_path, monkeypatch):
    import wave

    from explainer.voice import takes

    take = tmp_path / "long.wav"
    with wave.open(str(take), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x10\x20" * 8000 * 3)
    monkeypatch.setattr(takes, "MAX_TAKE_SECONDS", 2)
    with pytest.raises(takes.VoiceError, match="longer than"):
        takes.decode_take(take)


def test_draft_voice_is_loudness_normalized_and_cached_atomically(tmp_path):
    import numpy as np

    from explainer.script.model import VoiceSettings
    from explainer.voice.loudness import integrated_loudness, true_peak
    from explainer.voice.voices import VoiceCache, voice_segment

    cache = VoiceCache(tmp_path / "voice")
    segment = Segment("title", "注意力讓每個詞看見整句話，權重等於 0.65。", None, 1, 1)
    first = voice_segment(cache, segment, "draft", VoiceSettings())
    samples = np.load(first.samples)
    assert abs(integrated_loudness(samples) - (-16.0)) < 0.5
    assert true_peak(samples) <= -1.0
    assert first.seconds == pytest.approx(samples.size / 48_000)
    assert sorted(p.suffix for p in (tmp_path / "voice").iterdir()) == [".json", ".npy"]  # no partials
    again = voice_segment(cache, segment, "draft", VoiceSettings())
    assert again == first
