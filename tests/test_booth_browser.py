"""The recording booth in a real browser: `explainer record` on a copy of the rendered mini lecture,
headless Chromium with a fake microphone (a WAV file it plays in a loop) driven over the DevTools
protocol with the lecturer's keys. A take that is not audio is refused on the page; then every
segment is recorded (R, R), heard over its step (Space) and accepted (Enter), until `status
--voice recorded` reports none missing, and the re-rendered clip speaks the take at its step's start.

The tests of this file run in order on one booth and one browser (module fixtures)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import wave
from pathlib import Path

import av
import numpy as np
import pytest
from scipy.signal import correlate

from deck_support import browser
from explainer.voice.takes import decode_take
from pipeline_support import explainer, manifest

pytestmark = pytest.mark.slow
RATE = 48_000


def fake_microphone(path: Path) -> Path:
    """Two seconds Chromium loops as the microphone: two tones, their loudness beating twice a
    second, so a take has a shape to find again in the clip."""
    t = np.arange(2 * RATE) / RATE
    beat = np.where(np.sin(2 * np.pi * 2 * t) > 0, 1.0, 0.15)
    samples = 0.25 * beat * (np.sin(2 * np.pi * 300 * t) + 0.5 * np.sin(2 * np.pi * 770 * t))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


class Run:
    """The booth's process, its project and link, and the browser's page."""

    def __init__(self, project: Path, url: str, process: subprocess.Popen, page) -> None:
        self.project, self.url, self.process, self.page = project, url, process, page
        self.original_script = (project / "script.yaml").read_text(encoding="utf-8")

    def text(self, element: str) -> str:
        return self.page.evaluate(f"document.getElementById({element!r}).textContent")

    def render_idle(self, after_runs: int, timeout: float = 300) -> dict:
        """The booth's state once its background render has finished at least `after_runs` runs
        and nothing is running or queued."""
        return self.page.wait_for(
            f"booth.state && booth.state.render.runs >= {after_runs} && !booth.state.render.running.length "
            "&& !booth.state.render.queued.length && booth.state", timeout)


@pytest.fixture(scope="module")
def run(rendered, tmp_path_factory):
    folder = tmp_path_factory.mktemp("booth")
    project = folder / "mini"
    shutil.copytree(rendered, project)
    microphone = fake_microphone(folder / "microphone.wav")
    log = (folder / "booth.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "explainer", "record", "--no-browser", "--jobs", "2"],
                               cwd=project, stdout=subprocess.PIPE, stderr=log, text=True, stdin=subprocess.DEVNULL)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "?token=" in url, (folder / "booth.log").read_text()
        flags = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 f"--use-file-for-fake-audio-capture={microphone}", "--autoplay-policy=no-user-gesture-required")
        with browser(1280, 720, flags) as page:
            yield Run(project, url, process, page)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=120)
        log.close()
        assert code == 0, (folder / "booth.log").read_text()[-3000:]


def test_without_the_token_the_booth_answers_403(run):
    base = run.url.split("?")[0]
    for path in ("", "api/state", "media/still/a-one/1"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=10)
        assert refused.value.code == 403


def test_the_link_opens_the_first_segment_with_its_picture(run):
    page = run.page
    page.call("Page.navigate", url=run.url)
    page.wait_for("window.booth && booth.state && booth.state.segments.length === 8")
    assert page.evaluate("location.search") == "", "the token leaves the address bar"
    assert run.text("position") == "segment 1 of 8"
    assert run.text("sentence") == "第一章。"
    assert run.text("progress") == "8 of 8 segments still need a take"
    page.wait_for("document.getElementById('still').complete && document.getElementById('still').naturalWidth > 0")
    run.render_idle(1)     # the start's render found everything current


def test_an_upload_that_is_not_audio_is_refused_on_the_page_and_nothing_is_written(run):
    page = run.page
    page.evaluate("booth.takeRecorded(new Blob(['<html>not a take</html>'], {type: 'audio/webm'}), 1.0)")
    page.press("Enter")
    message = page.wait_for("document.getElementById('message').className.includes('error') "
                            "&& document.getElementById('message').textContent")
    assert "not audio" in message and "nothing was saved" in message
    assert (run.project / "script.yaml").read_text(encoding="utf-8") == run.original_script
    assert not (run.project / "audio").exists()
    page.evaluate("booth.pending.clear(), 0")


def record_and_accept(run, seconds: float = 1.2, before_accept=None) -> str:
    """R (count-in, then recording), R after `seconds`, Space to hear it over the step, Enter."""
    page = run.page
    page.press("r")
    page.wait_for("booth.recording !== null", 10)
    time.sleep(seconds)
    page.press("r")
    page.wait_for("booth.pending.has(booth.key)", 10)
    page.press(" ")
    page.wait_for("!document.getElementById('player').paused || document.getElementById('player').ended", 10)
    if before_accept is not None:
        before_accept()
    page.press("Enter")
    return page.wait_for("document.getElementById('message').textContent.startsWith('saved as') "
                         "&& document.getElementById('message').textContent", 60)


def test_a_take_recorded_with_the_keys_is_saved_and_named_in_one_new_line(run):
    page = run.page
    page.press("ArrowRight")                    # segment 2: a-one, step 'title'
    assert run.text("sentence") == "這是第一張投影片。"
    message = record_and_accept(run)
    assert "audio/a-one/title-1.webm" in message
    take = run.project / "audio" / "a-one" / "title-1.webm"
    with av.open(str(take)) as container:
        assert container.format.name == "matroska,webm" and container.streams.audio[0].codec_context.name == "opus"
    assert 0.5 < len(decode_take(take)) / RATE < 3.0
    script = (run.project / "script.yaml").read_text(encoding="utf-8")
    # Exactly one line more, under the segment's `say:`; every other byte as it was.
    assert script == run.original_script.replace(
        "            say: 這是第一張投影片。\n",
        "            say: 這是第一張投影片。\n            audio: audio/a-one/title-1.webm\n")
    assert run.text("take").startswith("take saved: audio/a-one/title-1.webm")
    page.wait_for("document.getElementById('progress').textContent === '7 of 8 segments still need a take'")


def test_walking_every_segment_leaves_none_missing(run):
    page = run.page
    page.press("ArrowLeft")
    page.press("ArrowLeft")                     # the first segment, then past the recorded one
    assert run.text("position") == "segment 1 of 8"
    record_and_accept(run, 0.8)
    page.press("ArrowRight")
    for position in range(3, 8):
        page.press("ArrowRight")
        assert run.text("position") == f"segment {position} of 8"
        record_and_accept(run, 0.8)
    page.press("ArrowRight")
    script = run.project / "script.yaml"
    edited = script.read_text(encoding="utf-8") + "# saved in an editor while the booth was open\n"

    def edit_on_disk() -> None:    # after the take was recorded: accepting it must not overwrite this
        script.write_text(edited, encoding="utf-8")
        page.press("Enter")
        warning = page.wait_for("document.getElementById('message').className.includes('warn') "
                                "&& document.getElementById('message').textContent", 30)
        assert "changed on disk since the page loaded it" in warning and "Enter accepts it" in warning
        assert script.read_text(encoding="utf-8") == edited
        assert run.page.evaluate("booth.pending.has(booth.key)")

    record_and_accept(run, 0.8, edit_on_disk)     # the second Enter accepts it into the edited file
    assert script.read_text(encoding="utf-8").endswith("# saved in an editor while the booth was open\n")
    page.wait_for("document.getElementById('progress').textContent === 'every one of 8 segments has a take'")
    state = run.render_idle(2)
    assert state["render"]["ok"], state["render"]
    status = explainer(run.project, "status", "--voice", "recorded")
    assert status.returncode == 0, status.stderr
    assert "0 narration segment(s) have no recorded take yet" in status.stdout
    assert "current  a-one" in status.stdout and "current  b-one" in status.stdout


def clip_audio(path: Path) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.audio[0]):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
    return np.concatenate(chunks)


def where_it_speaks(audio: np.ndarray, take: np.ndarray, around: float) -> tuple[float, float]:
    """Where in `audio` (seconds), within 0.3 s of `around`, `take` matches best, and how well
    (the normalised correlation, 1.0 for the same samples)."""
    lo = max(0, int((around - 0.3) * RATE))
    window = audio[lo: lo + len(take) + int(0.6 * RATE)]
    scores = correlate(window, take, mode="valid", method="fft")
    energy = np.sqrt(correlate(window**2, np.ones(len(take)), mode="valid", method="fft").clip(1e-12) * np.sum(take**2))
    best = int(np.argmax(scores / energy))
    return (lo + best) / RATE, float(scores[best] / energy[best])


def test_the_rerendered_clip_speaks_the_take_from_its_steps_start(run):
    slide = next(s for s in manifest(run.project)["slides"] if s["id"] == "a-one")
    step = next(s for s in slide["steps"] if s["name"] == "title")
    [segment] = step["segments"]
    assert segment["voice"] == "recorded"
    take = decode_take(run.project / "audio" / "a-one" / "title-1.webm")   # as render decodes it
    assert abs(segment["seconds"] - len(take) / RATE) < 0.01
    at, match = where_it_speaks(clip_audio(run.project / "media" / "draft" / slide["clip"]), take, step["start"])
    assert match > 0.9 and abs(at - step["start"]) < 0.03, (at, step["start"], match)
    at, match = where_it_speaks(clip_audio(run.project / "media" / "draft" / step["clip"]), take, 0.0)
    assert match > 0.9 and at < 0.03, (at, match)
    # The page plays that step clip as the lecture has it now.
    run.page.evaluate("booth.key = 'a-one/1', 0")
    run.page.wait_for("document.getElementById('voice').textContent.startsWith('your take says it')")
    run.page.press("l")
    run.page.wait_for("!document.getElementById('clip').paused && !document.getElementById('clip').muted", 10)


def test_the_reference_voice_plays_on_v(run):
    run.page.press("v")
    message = run.page.wait_for("document.getElementById('message').textContent.startsWith('the reference voice') "
                                "&& document.getElementById('message').textContent", 30)
    assert "synthesized" in message
    assert json.loads((run.project / "audio" / "takes.json").read_text(encoding="utf-8"))["version"] == 1


def test_rewording_on_the_page_writes_the_say_line_and_marks_the_take_stale_until_kept(run):
    page = run.page
    page.evaluate("booth.key = 'a-two/1', 0")
    page.wait_for("document.getElementById('sentence').textContent === '分母把每一項加起來，讓機率總和是 1。'")
    before = (run.project / "script.yaml").read_text(encoding="utf-8")
    page.press("e")
    assert page.evaluate("document.activeElement.id") == "template"
    assert page.evaluate("document.getElementById('template').value") == "分母把每一項加起來，讓機率總和是 1。"
    page.evaluate("document.getElementById('template').value = '分母把每一項加起來，總和就是 1。', 0")
    page.evaluate("document.getElementById('save-say').click(), 0")
    page.wait_for("document.getElementById('take').className === 'take stale'", 30)
    assert (run.project / "script.yaml").read_text(encoding="utf-8") == before.replace(
        "say: 分母把每一項加起來，讓機率總和是 1。", "say: 分母把每一項加起來，總和就是 1。")
    assert run.text("sentence") == "分母把每一項加起來，總和就是 1。"
    assert "1 stale" in run.text("progress")
    page.press("k")
    page.wait_for("document.getElementById('take').className === 'take saved'", 30)
