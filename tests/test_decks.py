"""`explainer deck` on the rendered mini lecture, checked with real clients: python-pptx, PyAV,
LibreOffice Impress and poppler, and headless Chromium pressing a clicker's keys."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from pipeline_support import explainer, manifest

pytestmark = pytest.mark.slow


def xpath(element, query: str):
    """Plain lxml XPath with the PresentationML prefix (python-pptx's own xpath takes no namespaces)."""
    from lxml import etree

    return etree.XPath(query, namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})(element)


@pytest.fixture(scope="module")
def decked(rendered, tmp_path_factory) -> Path:
    """A copy of the rendered mini project with the lecture's and chapter beta's decks."""
    project = tmp_path_factory.mktemp("decked") / "mini"
    shutil.copytree(rendered, project)
    run = explainer(project, "deck", "lecture", "beta")
    assert run.returncode == 0, run.stderr
    assert "0 rendered" in run.stderr, "the copied render is current: deck must not render again"
    return project


def expected_steps(project: Path, chapter: str | None = None) -> list[dict]:
    """Every step in deck order, from manifest.json (independently of the deck code)."""
    data = manifest(project)
    slides = {s["id"]: s for s in data["slides"]}
    steps = []
    for entry in data["chapters"]:
        if chapter in (None, entry["id"]):
            for slide_id in entry["slides"]:
                steps += [{**step, "title": slides[slide_id]["title"], "slide": slide_id}
                          for step in slides[slide_id]["steps"]]
    return steps


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_deck_refuses_a_slide_target_before_rendering(rendered, tmp_path):
    run = explainer(rendered, "deck", "a-one", "--media", str(tmp_path / "media"))
    assert run.returncode == 2
    assert "'lecture' or a chapter" in run.stderr and "a-one" in run.stderr
    assert not (tmp_path / "media").exists()


def test_without_reveal_js_the_other_decks_are_written_and_the_exit_says_what_to_install(decked, tmp_path):
    import os

    out = decked / "media/draft"
    written = {path: path.stat().st_mtime_ns for path in (out / "decks/beta.pptx", out / "slides/beta.json")}
    index = (out / "decks/beta/index.html").stat().st_mtime_ns
    run = explainer(decked, "deck", "beta", env={**os.environ, "EXPLAINER_REVEAL_JS": str(tmp_path / "nowhere")})
    assert run.returncode == 3, run.stderr
    assert "reveal.js is not installed" in run.stderr and "./run.sh deck" in run.stderr
    assert all(path.stat().st_mtime_ns > before for path, before in written.items())
    assert (out / "decks/beta/index.html").stat().st_mtime_ns == index


def test_every_step_has_a_still_of_its_last_frame_in_the_manifest(decked):
    out = decked / "media/draft"
    for slide in manifest(decked)["slides"]:
        with av.open(str(out / slide["clip"])) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        end = 0
        for step in slide["steps"]:
            end += step["frames"]
            assert step["still"] == step["clip"].replace(".mp4", ".png")
            still = np.asarray(Image.open(out / step["still"]).convert("RGB"), dtype=float)
            assert np.abs(still - frames[end - 1]).mean() < 0.5, step["still"]


def test_pptx_holds_a_title_slide_then_each_step_playing_its_clip_with_its_notes(decked):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    out = decked / "media/draft"
    steps = expected_steps(decked)
    deck = Presentation(str(out / "deck.pptx"))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    slides = list(deck.slides)
    assert len(slides) == 1 + len(steps)
    for slide in slides:   # no placeholder left empty (a "Click to add text" box in the show)
        for placeholder in slide.placeholders:
            assert placeholder.has_text_frame and placeholder.text_frame.text.strip(), placeholder.name
    assert slides[0].shapes.title.text == steps[0]["title"]
    assert "第一章" in slides[0].placeholders[1].text_frame.text
    for slide, step in zip(slides[1:], steps):
        assert slide.shapes.title.text == step["title"]
        movies = [s for s in slide.shapes if s.shape_type is not None and s.shape_type.name == "MEDIA"]
        assert len(movies) == 1
        movie = movies[0]
        media = movie.part.related_part(movie._element.xpath(".//a:videoFile/@r:link")[0])
        assert sha(media.blob) == sha((out / step["clip"]).read_bytes()), step["clip"]
        poster = movie.part.related_part(movie._element.xpath(".//a:blip/@r:embed")[0])
        assert sha(poster.blob) == sha((out / step["still"]).read_bytes()), step["still"]
        notes = slide.notes_slide.notes_text_frame.text
        said = [segment["text"] for segment in step["segments"]]
        assert notes == "\n".join(said) if said else step["name"] in notes
        # Played when shown: an after-effect media call starting with the slide, aimed at this video.
        timing = slide._element.find(qn("p:timing"))
        calls = xpath(timing, ".//p:cmd[@cmd='playFrom(0.0)']")
        assert len(calls) == 1
        assert xpath(calls[0], "string(.//p:spTgt/@spid)") == str(movie.shape_id)
        effect = calls[0].getparent().getparent()
        assert effect.get("nodeType") == "afterEffect" and effect.get("presetClass") == "mediacall"
        assert xpath(timing, ".//p:cond[@evt='onBegin']")


def test_every_video_in_the_pptx_carries_its_narration_audio(decked):
    out = decked / "media/draft"
    steps = expected_steps(decked)
    with zipfile.ZipFile(out / "deck.pptx") as package:
        videos = {sha(package.read(n)): n for n in package.namelist() if n.startswith("ppt/media/") and n.endswith(".mp4")}
        for step in steps:
            name = videos[sha((out / step["clip"]).read_bytes())]
            with av.open(io.BytesIO(package.read(name))) as container:
                assert len(container.streams.audio) == 1, name
                samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
            assert abs(samples.size / 48_000 - step["frames"] / 15) <= 1 / 15, name
            if step["segments"]:   # a narrated step is heard, not silent
                assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 0.01, name


def test_libreoffice_converts_a_chapter_deck_to_pages_showing_each_still(decked, tmp_path):
    out = decked / "media/draft"
    steps = expected_steps(decked, "beta")
    run = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / "decks/beta.pptx")],
                         capture_output=True, text=True, timeout=120)
    assert (tmp_path / "beta.pdf").is_file(), run.stdout + run.stderr
    subprocess.run(["pdftoppm", "-r", "48", "-png", str(tmp_path / "beta.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 1 + len(steps)
    title = np.asarray(Image.open(pages[0]).convert("L"), dtype=float)
    assert title.std() > 5, "the title page is blank"
    for page, step in zip(pages[1:], steps):
        shown = Image.open(page).convert("L")
        still = Image.open(out / step["still"]).convert("L").resize(shown.size)
        shown, still = np.asarray(shown, dtype=float), np.asarray(still, dtype=float)
        assert shown.std() > 0.5 * still.std() > 0, (page, "blank")
        assert np.abs(shown - still).mean() < 6, (page, "does not show", step["still"])


def test_manim_slides_files_name_each_step_clip_with_its_notes(decked):
    out = decked / "media/draft"
    steps = expected_steps(decked)
    config = json.loads((out / "slides/lecture.json").read_text(encoding="ascii"))
    assert config["resolution"] == [854, 480] and config["background_color"] == "black"
    assert len(config["slides"]) == len(steps)
    for slide, step in zip(config["slides"], steps):
        # manim-slides resolves file and rev_file against the folder holding slides/.
        for key in ("file", "rev_file"):
            assert sha((out / slide[key]).read_bytes()) == sha((out / step["clip"]).read_bytes())
        assert slide["notes"] == "\n".join(s["text"] for s in step["segments"]) or not step["segments"]
        assert slide["type"] == "video" and slide["loop"] is False and slide["auto_next"] is False
    assert len(json.loads((out / "slides/beta.json").read_text())["slides"]) == len(expected_steps(decked, "beta"))


STATE = """(() => { const s = Reveal.getCurrentSlide(), v = s.querySelector('video');
  return {step: s.dataset.step || null, src: v && v.currentSrc, time: v && v.currentTime, paused: v && v.paused,
          audio: v && v.webkitAudioDecodedByteCount, notes: Reveal.getSlideNotes(),
          chapter: s.parentElement.dataset.chapterTitle || null}; })()"""


def playing(page, step: dict, timeout: float = 30) -> dict:
    """Wait until the current slide is `step`, playing its clip with sound decoded; returns its state."""
    label = f"{step['slide']}-{step['clip'].rsplit('/', 1)[1][:2]}"
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(STATE)
        if (state["step"] == label and state["time"] and state["time"] > 0.2 and not state["paused"]
                and state["audio"]):
            assert state["src"].endswith(f"clips/{label}.mp4")
            return state
        assert time.monotonic() < deadline, (label, state)
        time.sleep(0.1)


def test_reveal_deck_presents_offline_with_a_clickers_keys(decked, tmp_path):
    from deck_support import browser

    folder = tmp_path / "copied deck"   # the folder stands alone: copied away from media/
    shutil.copytree(decked / "media/draft/deck", folder)
    steps = expected_steps(decked)
    chapter_of = {s: c["title"] for c in manifest(decked)["chapters"] for s in c["slides"]}
    with browser() as page:
        page.call("Page.navigate", url=folder.resolve().as_uri() + "/index.html")
        page.wait_for("window.Reveal && Reveal.isReady()")
        assert "按一下" in page.evaluate("document.querySelector('section.start').innerText")
        pages = {t["id"] for t in page.targets() if t["type"] == "page"}
        page.click(640, 360)   # the start slide asks for a click: sound is allowed from then on
        keys = ["ArrowRight", " ", "PageDown"]
        for index, step in enumerate(steps):
            if index:
                page.press(keys[index % len(keys)])
            state = playing(page, step)
            said = [s["text"] for s in step["segments"]]
            assert state["notes"] == "\n".join(said) if said else step["name"] in state["notes"]
            assert state["chapter"] == chapter_of[step["slide"]]
        for key, step in (("ArrowLeft", steps[-2]), ("PageUp", steps[-3])):
            page.press(key)
            playing(page, step)
        page.press("s")   # the speaker view opens in its own window with this step's narration
        speaker = page.opened(pages)
        assert speaker.evaluate("document.title") == "reveal.js - Speaker View"
        notes = "\n".join(s["text"] for s in steps[-3]["segments"])
        speaker.wait_for(f"document.querySelector('.speaker-controls-notes .value').innerText.trim() == {json.dumps(notes)}")
        page.press("f")
        page.wait_for("document.fullscreenElement !== null")
        assert page.evaluate("document.querySelectorAll('.label.chapter').length") == 1 + len(manifest(decked)["chapters"])
        base = folder.resolve().as_uri() + "/"
        outside = [url for url in page.requests() if not url.startswith(base)]
        assert outside == [], outside


def test_reveal_chapter_deck_served_over_http_requests_only_its_folder(decked):
    from deck_support import browser
    from gallery_support import serve

    steps = expected_steps(decked, "beta")
    with serve(decked / "media/draft/decks/beta") as base, browser() as page:
        page.call("Page.navigate", url=base + "index.html")
        page.wait_for("window.Reveal && Reveal.isReady()")
        page.press("ArrowRight")   # a key press allows sound as a click does
        playing(page, steps[0])
        page.press("PageDown")
        playing(page, steps[1])
        outside = [url for url in page.requests() if not url.startswith(base)]
        assert outside == [], outside
