"""The neural voice: what the screen writes and what is said, the voice settings' checks, the
model's checksum stamp, real synthesis through the voice stage, and slide-by-slide voicing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.script.model import NeuralSettings, Segment, VoiceSettings
from explainer.text.speech import read_aloud
from explainer.voice.errors import VoiceError
from explainer.voice.voices import spoken_text
from pipeline_support import MINI, edit, explainer

ROOT = Path(__file__).resolve().parents[1]
READINGS = (("Δx", "德爾塔 x"), ("√dₖ", "根號 d k"), ("dₖ", "d k"), ("√", "根號"), ("W_Q", "W Q"))


def _segment(text: str) -> Segment:
    return Segment("title", text, None, 1, 1)


# ---------------------------------------------------------------- shown vs said


def test_readings_apply_in_one_pass_longest_form_first():
    assert read_aloud("除以 √dₖ，dₖ 是 2，√2", READINGS) == "除以  根號 d k ， d k  是 2， 根號 2"
    # "Δx" is read as a whole, and the x its words contain is not read again
    assert read_aloud("x + Δx", (("Δx", "德爾塔 x"), ("x", "叉"))) == " 叉  +  德爾塔 x "


def test_each_voice_is_given_the_screens_text_read_aloud():
    settings = VoiceSettings(read=READINGS, pronounce_draft=(("重新", "chong2 xin1"),))
    segment = _segment("重新算 x + Δx，除以 √dₖ 等於 0.5。")
    assert spoken_text(segment, "neural", settings) == "重新算 x 加 德爾塔 x ，除以 根號 d k 等於 零點五 。"
    assert spoken_text(segment, "draft", settings) == "chong2 xin1 算 x 加 德爾塔 x ，除以 根號 d k 等於 零點五 。"


def _letters(text: str) -> str:
    """Text without whitespace and the punctuation a subtitle line end drops."""
    return re.sub(r"[\s。，、]", "", text)


def test_every_segments_subtitles_show_its_display_text():
    """Subtitles show what the screen writes (Δx, W_Q, √dₖ), never a voice's spelling of it."""
    from explainer.pipeline.records import SpokenSegment
    from explainer.script.load import load_lecture
    from explainer.text.cue_tracks import segment_cues

    lecture = load_lecture(ROOT / "script.yaml")
    checked = 0
    for slide in lecture.slides:
        for segment in slide.narration:
            cues = segment_cues([SpokenSegment(segment.step, segment.text, 0.0, 5.0, "neural")])
            assert _letters("".join(cue.text for cue in cues)) == _letters(segment.text), (slide.id, segment.step)
            checked += 1
    assert checked > 200
    spelled = [seg.text for slide in lecture.slides for seg in slide.narration if re.search("德爾塔|根號 d", seg.text)]
    assert spelled == [], "narration writes a voice's spelling instead of what the screen shows"


# ---------------------------------------------------------------- check




def test_check_refuses_a_symbol_no_voice_can_read_until_the_table_says_how(mini):
    edit(mini / "script.yaml", "say: 這是第一張投影片。", "say: 輸出是 Δx。")
    run = explainer(mini, "check")
    assert run.returncode == 2
    assert "no voice can say 'Δ' (U+0394)" in run.stderr and "voice: read:" in run.stderr
    edit(mini / "script.yaml", "  default: draft", "  default: draft\n  read:\n    Δx: 德爾塔 x")
    assert explainer(mini, "check").returncode == 0


def test_check_warns_of_a_latin_word_the_neural_voice_cannot_read(mini):
    edit(mini / "script.yaml", "say: 這是第一張投影片。", "say: Vaswani 提出 Transformer。")
    run = explainer(mini, "check")
    assert run.returncode == 0, run.stderr
    assert "warning: slide 'a-one', step 'title': the neural voice knows no reading of 'Vaswani'" in run.stderr
    assert "Transformer" not in run.stderr.split("reading of")[1].split("'")[1]
    edit(mini / "script.yaml", "    draft:\n", "    neural:\n      Vaswani: /vəswˈɑni/\n    draft:\n")
    run = explainer(mini, "check")
    assert run.returncode == 0 and "Vaswani" not in run.stderr


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  default: draft", "  default: robot", "voice.default must be one of neural, draft, recorded, none"),
    ("  default: draft", "  default: draft\n  neural: {speaker: zf_xiaoxiao, speed: 3}", "voice.neural.speed must be"),
    ("  default: draft", "  default: draft\n  neural: {speakr: zf_xiaoxiao}", "voice.neural: unknown key 'speakr'"),
    ("  default: draft", "  default: draft\n  neural: {speaker: {zf_xiaoxiao: 0.5, af_bella: 0.4}}",
     "weights add up to 1"),
    ("    draft:\n      重新: chong2 xin1", "    重新: chong2 xin1", "say which voice this reading is for"),
    ("    draft:\n", "    neural:\n      Cowan: k@wan\n    draft:\n", "voice.pronounce.neural.Cowan: a Latin word's reading"),
    ("  default: draft", "  default: draft\n  read: {Δx: ''}", "voice.read.Δx: give the words"),
])
def test_check_rejects_bad_voice_settings_with_their_line(mini, old, new, expected):
    edit(mini / "script.yaml", old, new)
    run = explainer(mini, "check")
    assert run.returncode == 2, run.stderr
    assert re.search(r"script\.yaml:\d+:\d+: ", run.stderr) and expected in run.stderr


# ---------------------------------------------------------------- the model, checked once


def _fake_parts(tmp_path: Path, monkeypatch, contents: list[bytes]) -> None:
    """Four small packages standing in for the model's parts, and a stamp folder of our own."""
    import hashlib

    from explainer.voice import neural

    names = []
    unique = re.sub(r"\W", "_", tmp_path.name)   # a package imported by an earlier test stays in sys.modules
    for number, data in enumerate(contents, 1):
        package = tmp_path / "parts" / f"fake_{unique}_{number}"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "part.bin").write_bytes(data)
        names.append(package.name)
    monkeypatch.syspath_prepend(str(tmp_path / "parts"))
    monkeypatch.setattr(neural, "MODEL_PARTS", tuple(names))
    monkeypatch.setattr(neural, "MODEL_SHA256", hashlib.sha256(b"".join(contents)).hexdigest())
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    neural.model_checksum.cache_clear()


def test_the_models_checksum_is_checked_once_then_stamped(tmp_path, monkeypatch):
    from explainer.voice import neural

    _fake_parts(tmp_path, monkeypatch, [b"one", b"two", b"three", b"four"])
    assert neural.model_checksum() == neural.MODEL_SHA256
    assert (tmp_path / "cache" / "kokoro-model.json").is_file()
    neural.model_checksum.cache_clear()
    # Stamped: a second run does not read the parts again.
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} again"))
    assert neural.model_checksum() == neural.MODEL_SHA256
    neural.model_checksum.cache_clear()


def test_a_damaged_or_missing_model_part_is_a_missing_dependency(tmp_path, monkeypatch):
    from explainer.voice import neural

    _fake_parts(tmp_path, monkeypatch, [b"one", b"two", b"three", b"four"])
    (tmp_path / "parts" / neural.MODEL_PARTS[2] / "part.bin").write_bytes(b"thr3e")
    with pytest.raises(VoiceError, match="do not join into kokoro") as damaged:
        neural.model_checksum()
    assert damaged.value.missing_program
    neural.model_checksum.cache_clear()
    monkeypatch.setattr(neural, "MODEL_PARTS", (*neural.MODEL_PARTS[:3], "no_such_model_part"))
    with pytest.raises(VoiceError, match="no-such-model-part is missing") as missing:
        neural.model_checksum()
    assert missing.value.missing_program
    neural.model_checksum.cache_clear()


def test_an_unknown_speaker_names_the_scripts_line():
    from explainer.voice.voices import check_engine

    settings = VoiceSettings(neural=NeuralSettings((("zf_xiaoxiao", 0.5), ("zf_nobody", 0.5)), 0.9, "script.yaml:31:14"))
    with pytest.raises(VoiceError, match=r"script\.yaml:31:14: voice\.neural\.speaker 'zf_nobody' is not installed"):
        check_engine("neural", settings)


# ---------------------------------------------------------------- real synthesis


def test_the_neural_voice_speaks_normalized_and_cached_with_what_it_was_given(tmp_path):
    import numpy as np

    from explainer.voice.loudness import integrated_loudness, true_peak
    from explainer.voice.voices import VoiceCache, voice_segment

    cache = VoiceCache(tmp_path / "voice")
    settings = VoiceSettings(read=READINGS)
    segment = _segment("Query 和 Key 的點積除以 √dₖ。")
    first = voice_segment(cache, segment, "neural", settings)
    samples = np.load(first.samples)
    # 17 characters at the chosen pace: about 2.5 to 6 seconds of speech
    assert 2.0 < first.seconds < 6.0
    assert abs(integrated_loudness(samples) - (-16.0)) < 0.5 and true_peak(samples) <= -1.0
    assert first.voice == "neural" and first.spoken == "Query 和 Key 的點積除以 根號 d k 。"
    assert sorted(p.suffix for p in (tmp_path / "voice").iterdir()) == [".json", ".npy"]
    assert voice_segment(cache, segment, "neural", settings) == first
    slower = voice_segment(cache, segment, "neural", VoiceSettings(read=READINGS, neural=NeuralSettings(speed=0.65)))
    assert slower.key != first.key and slower.seconds > first.seconds * 1.15


def test_slides_are_voiced_one_by_one_and_then_come_from_the_cache(tmp_path):
    """The mini lecture with the neural voice: each slide is yielded once all its segments are
    voiced, in two synthesis processes; a second voicing finds everything in the cache."""
    from explainer.script.load import load_lecture
    from explainer.voice.slide_voice import LectureVoicing

    lecture = load_lecture(MINI / "script.yaml")
    voicing = LectureVoicing(lecture, "neural", tmp_path / "voice", jobs=2)
    assert voicing.ready == {} and sorted(voicing.pending) == sorted(s.id for s in lecture.slides)
    yielded = [(slide_id, voice) for slide_id, voice in voicing.as_completed()]
    assert sorted(slide_id for slide_id, _ in yielded) == sorted(voicing.pending)
    for slide_id, voice in yielded:
        assert len(voice.voiced) == len(lecture.slide(slide_id).narration)
        assert {v.voice for v in voice.voiced} == {"neural"}
    again = LectureVoicing(lecture, "neural", tmp_path / "voice", jobs=2)
    assert again.pending == [] and again.ready == voicing.ready
    # Selected slides only: the others are only looked up.
    fresh = LectureVoicing(lecture, "neural", tmp_path / "other", jobs=2, only={"a-one"})
    assert fresh.pending == ["a-one"] and sorted(fresh.unvoiced) == ["a-two", "b-one"]


@pytest.mark.slow
def test_a_slide_renders_with_the_neural_voice_and_publishes_what_was_shown_and_said(mini):
    """`render --voice neural` of one slide: voiced in synthesis processes, rendered once voiced,
    and published with each segment's display text, spoken text and voice in the manifest."""
    import json

    edit(mini / "script.yaml", "  default: draft", "  default: draft\n  read:\n    e^z: e 的 z 次方")
    edit(mini / "script.yaml", "機率等於 e 的 z 次方", "機率等於 e^z")
    run = subprocess.run([sys.executable, "-m", "explainer", "render", "a-two", "--voice", "neural", "--jobs", "2"],
                         cwd=mini, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "by neural (0.4 zf_xiaoxiao + 0.6 af_bella, speed 0.85)" in run.stderr
    assert "with the neural voice in" in run.stderr and "1 rendered" in run.stderr
    manifest = json.loads((mini / "media" / "draft" / "manifest.json").read_text(encoding="utf-8"))
    slide = next(s for s in manifest["slides"] if s["id"] == "a-two")
    segments = [seg for step in slide["steps"] for seg in step["segments"]]
    assert segments and {seg["voice"] for seg in segments} == {"neural"}
    formula = next(seg for seg in segments if "e^z" in seg["text"])
    assert formula["text"].startswith("機率等於 e^z") and "e 的 z 次方" in formula["spoken"]
    vtt = (mini / "media" / "draft" / "subtitles" / "a-two.vtt").read_text(encoding="utf-8")
    assert "e^z" in vtt and "次方" not in vtt
    # Nothing left to voice or render: a second run is a no-op.
    again = subprocess.run([sys.executable, "-m", "explainer", "render", "a-two", "--voice", "neural"],
                           cwd=mini, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "voicing" not in again.stderr and "0 rendered" in again.stderr


def test_status_synthesizes_nothing_and_says_an_unvoiced_slide_may_change(mini):
    run = subprocess.run([sys.executable, "-m", "explainer", "status", "--voice", "neural"], cwd=mini,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("render?") == 3 and "narration not voiced yet" in run.stdout
    assert "3 of 3 slides would change" in run.stdout
    assert not list((mini / "media").rglob("*.npy")), "status synthesized narration"


def test_an_interrupted_neural_voicing_leaves_only_whole_cache_entries(mini):
    import os
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-m", "explainer", "render", "--voice", "neural", "--jobs", "2"],
                               cwd=mini, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    cache = mini / "media" / ".cache" / "voice"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(cache.glob("*.json")):
        time.sleep(0.2)   # interrupted once the first segments are stored, while others are being made
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)
    assert process.returncode == 130, process.stderr.read()
    entries = {path.stem for path in cache.glob("*.json")}
    assert entries and entries <= {path.stem for path in cache.glob("*.npy")}   # a .json marks a whole entry
    assert not [path.name for path in cache.iterdir() if path.name.startswith(".")], "a half-written entry stayed"
    assert not (mini / "media" / "draft" / "clips").exists() or not list((mini / "media" / "draft" / "clips").iterdir())
