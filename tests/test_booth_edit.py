"""The booth's writes, without a browser: script.yaml edited at one segment with the rest of the
file byte for byte as it was, takes checked as render checks them and named from the ids, and the
take log that marks a reworded segment's take stale."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from explainer.app.booth.takes import TakeLog, TakeRefused, check_take, take_name
from explainer.app.booth.yamledit import EditRefused, say_templates, set_audio, set_say
from explainer.script.load import load_lecture
from pipeline_support import MINI

SCRIPT = """\
# A comment at the top, kept.
theme: {font: Noto Sans CJK TC}   # flow style here
chapters:
  - id: c
    title: 第一章
    slides:
      - id: s-one
        scene: X
        narration:
          - step: a          # the first step
            say: 第一句，{n:.0%}。   # placeholders stay
          - {step: b, say: 'quoted: yes'}
          - step: c
            audio: audio/old.wav    # an earlier take
            say: >
              folded
              words

          - say: 最後一句
            step: d
"""


def lines_added(before: str, after: str) -> list[str]:
    """The lines of `after` that are not in `before`, checking that every line of `before` is
    still there, in order, byte for byte."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added, at = [], 0
    for line in new:
        if at < len(old) and line == old[at]:
            at += 1
        else:
            added.append(line)
    assert at == len(old), f"line {at + 1} of the original changed or vanished: {old[at]!r}"
    return added


def test_an_audio_line_is_added_after_the_segments_last_key_and_nothing_else_moves():
    edited = set_audio(SCRIPT, "s-one", 0, "audio/s-one/a-1.webm")
    assert lines_added(SCRIPT, edited) == ["            audio: audio/s-one/a-1.webm\n"]
    assert edited.index("audio/s-one/a-1.webm") > edited.index("placeholders stay")
    edited = set_audio(SCRIPT, "s-one", 3, "audio/s-one/d-1.ogg")   # keys in another order
    assert lines_added(SCRIPT, edited) == ["            audio: audio/s-one/d-1.ogg\n"]


def test_an_existing_audio_value_is_replaced_in_place_keeping_its_comment():
    edited = set_audio(SCRIPT, "s-one", 2, "audio/s-one/c-1.webm")
    assert edited == SCRIPT.replace("audio: audio/old.wav    # an earlier take",
                                    "audio: audio/s-one/c-1.webm    # an earlier take")


def test_a_flow_mapping_gets_the_key_inside_its_braces():
    edited = set_audio(SCRIPT, "s-one", 1, "audio/s-one/b-1.webm")
    assert edited == SCRIPT.replace("say: 'quoted: yes'}", "say: 'quoted: yes', audio: audio/s-one/b-1.webm}")


def test_windows_line_endings_and_a_missing_last_newline_are_kept():
    crlf = SCRIPT.replace("\n", "\r\n").rstrip("\r\n")
    edited = set_audio(crlf, "s-one", 3, "audio/x.wav")
    assert edited == crlf + "\r\n            audio: audio/x.wav\r\n"
    edited = set_audio(crlf, "s-one", 0, "audio/y.wav")
    assert "placeholders stay\r\n            audio: audio/y.wav\r\n          - {step: b" in edited


def test_rewording_keeps_placeholders_and_quotes_only_when_yaml_needs_it():
    assert say_templates(SCRIPT)[("s-one", 0)] == "第一句，{n:.0%}。"
    edited = set_say(SCRIPT, "s-one", 0, "新的句子，{n:.1%}。")
    assert edited == SCRIPT.replace("say: 第一句，{n:.0%}。", "say: 新的句子，{n:.1%}。")
    edited = set_say(SCRIPT, "s-one", 0, "{n:.0%} first: a colon")   # plain would not read back
    assert 'say: "{n:.0%} first: a colon"   # placeholders stay' in edited
    assert say_templates(edited)[("s-one", 0)] == "{n:.0%} first: a colon"
    edited = set_say(SCRIPT, "s-one", 2, "one line now")   # a folded block becomes one line
    assert say_templates(edited)[("s-one", 2)] == "one line now"
    assert edited == SCRIPT.replace(">\n              folded\n              words\n", "one line now\n")


def test_what_cannot_be_edited_safely_is_refused():
    with pytest.raises(EditRefused, match="no narration segment 9"):
        set_audio(SCRIPT, "s-one", 8, "audio/x.wav")
    with pytest.raises(EditRefused, match=r"'nope' is not in script\.yaml"):
        set_audio(SCRIPT, "nope", 0, "audio/x.wav")
    with pytest.raises(EditRefused, match="empty"):
        set_say(SCRIPT, "s-one", 0, "   ")


def test_the_real_lecture_script_takes_an_audio_line_anywhere():
    script = (Path(__file__).resolve().parents[1] / "script.yaml").read_text(encoding="utf-8")
    templates = say_templates(script)
    for slide_id, index in list(templates)[::37]:
        edited = set_audio(script, slide_id, index, f"audio/{slide_id}/t-1.webm")
        [added] = lines_added(script, edited)
        assert added.strip() == f"audio: audio/{slide_id}/t-1.webm"


def write_wav(path: Path, samples: np.ndarray, rate: int = 48_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def tone(seconds: float, rate: int = 48_000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return 0.3 * np.sin(2 * np.pi * 330 * t)


def test_a_take_is_checked_as_render_checks_it(tmp_path):
    checked = check_take(write_wav(tmp_path / "take.wav", tone(1.5)))
    assert checked.extension == ".wav" and 1.0 < checked.seconds <= 1.5
    (tmp_path / "text.webm").write_bytes(b"this is not audio at all " * 100)
    with pytest.raises(TakeRefused, match="not audio: nothing was saved"):
        check_take(tmp_path / "text.webm")
    with pytest.raises(TakeRefused, match="empty or silent"):
        check_take(write_wav(tmp_path / "silent.wav", np.zeros(48_000)))


def test_a_take_is_named_from_the_ids_and_counted_within_its_step(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    lecture = load_lecture(project / "script.yaml")
    slide = lecture.slide("a-one")
    assert take_name(slide, 1, ".webm") == "audio/a-one/title-1.webm"
    assert take_name(slide, 2, ".opus") == "audio/a-one/bullet-1-1.opus"


def test_a_reworded_segments_take_is_stale_until_kept(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    take = write_wav(project / "audio" / "a-one" / "title-1.wav", tone(1.0))
    script = project / "script.yaml"
    script.write_text(set_audio(script.read_text(encoding="utf-8"), "a-one", 1, "audio/a-one/title-1.wav"),
                      encoding="utf-8")
    log = TakeLog(project)
    log.record(take, load_lecture(script).slide("a-one").narration[1].text)
    assert log.stale(load_lecture(script)) == set()
    script.write_text(set_say(script.read_text(encoding="utf-8"), "a-one", 1, "換一句話。"), encoding="utf-8")
    reworded = load_lecture(script)
    assert log.stale(reworded) == {("a-one", 1)}
    log.record(take, reworded.slide("a-one").narration[1].text)      # kept on purpose
    assert log.stale(reworded) == set()
    write_wav(take, tone(2.0))          # replaced outside the booth: not judged
    script.write_text(set_say(script.read_text(encoding="utf-8"), "a-one", 1, "再換一句。"), encoding="utf-8")
    assert log.stale(load_lecture(script)) == set()
