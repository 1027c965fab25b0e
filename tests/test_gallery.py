"""The offline gallery: escaping and content (pure), and real playback metadata in headless Chromium."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from explainer.codec import decode
from explainer.deliver.contract import Manifest
from explainer.deliver.gallery import render_gallery, write_gallery
from explainer.media.webm import encode_webm
from gallery_support import (
    CHECK_HTML,
    CHROMIUM,
    CHROMIUM_PACKAGE,
    FPS,
    make_poster,
    make_video,
    make_vtt,
    probe,
    serve,
)

HOSTILE = "<script>alert(1)</script>"
QUOTED = "\"quoted\" & 'single'"


def slide(slide_id: str, chapter: str = "qkv", **fields: object) -> dict:
    """A manifest slide entry: current, with no clip, unless `fields` say otherwise."""
    return {"id": slide_id, "chapter": chapter, "scene": "Scene", "title": slide_id, "key": None, "rendered": False,
            "clip": None, "frames": None, "duration": None, "stale": False} | fields


def manifest_of(slides: list[dict], chapters: list[dict] | None = None, lecture: dict | None = None,
                quality: str = "draft") -> Manifest:
    """A manifest (as a render would write it) of `slides`, by default in one chapter, no lecture video."""
    chapters = chapters if chapters is not None else \
        [{"id": "qkv", "title": "一章", "video": None, "frames": None, "duration": None,
          "slides": [s["id"] for s in slides], "stale": False}]
    lecture = lecture or {"video": None, "frames": None, "duration": None, "stale": True}
    return decode(Manifest, {"quality": quality, "slides": slides, "chapters": chapters, "lecture": lecture})


def sample_manifest() -> Manifest:
    return manifest_of(
        [slide("qkv-flow", title=HOSTILE, clip="clips/qkv-flow.mp4", webm="clips/qkv-flow.webm",
               poster="clips/qkv-flow.png", duration=34.7, frames=521,
               subtitles={"vtt": "subtitles/qkv-flow.vtt", "srt": "subtitles/qkv-flow.srt"},
               steps=[{"name": "dot-products", "start": 3.2, "clip": "steps/qkv-flow/02.mp4"},
                      {"name": QUOTED, "start": 9.0, "clip": "steps/qkv-flow/03.mp4"}]),
         slide("qkv-analogy", title=QUOTED, clip="clips/注意力 & #2.mp4", duration=12.0, frames=180),
         slide("broken", title="還沒算好", stale=True)],
        [{"id": "qkv", "title": "核心機制：Query、Key、Value", "video": "chapters/qkv.mp4", "frames": 1800,
          "duration": 120.0, "slides": ["qkv-analogy", "qkv-flow", "broken"], "stale": False,
          "subtitles": {"vtt": "subtitles/qkv.vtt", "srt": "subtitles/qkv.srt"}}],
        {"video": "lecture.mp4", "frames": 9909, "duration": 660.6, "stale": False,
         "subtitles": {"vtt": "subtitles/lecture.vtt", "srt": "subtitles/lecture.srt"}})


def test_hostile_text_is_escaped_everywhere():
    page = render_gallery(sample_manifest())
    assert "<script>alert" not in page
    assert page.count("<script>") == 1, "only the gallery's own inline script"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;quoted&quot; &amp; &#x27;single&#x27;" in page
    assert "\"quoted\" & 'single'" not in page
    # inside the snippet the <video> HTML is escaped once more, so the title is escaped twice
    assert "aria-label=&quot;&amp;lt;script&amp;gt;alert(1)" in page
    # attribute values never break out
    for attr in re.findall(r'aria-label="([^"]*)"', page):
        assert "<" not in attr and "'" not in attr


def test_every_slide_media_appears_and_is_url_quoted():
    page = render_gallery(sample_manifest())
    for needle in ('poster="clips/qkv-flow.png"', '<source src="clips/qkv-flow.webm" type="video/webm">',
                   '<source src="clips/qkv-flow.mp4" type="video/mp4">',
                   '<track kind="subtitles" srclang="zh-Hant" label="中文" src="subtitles/qkv-flow.vtt" default>',
                   'src="clips/%E6%B3%A8%E6%84%8F%E5%8A%9B%20%26%20%232.mp4"', 'href="steps/qkv-flow/02.mp4"',
                   'data-slide="qkv-flow"', 'data-duration="34.7"', 'src="chapters/qkv.mp4"',
                   'id="lecture-video"', 'src="lecture.mp4"', 'href="subtitles/qkv-flow.srt"'):
        assert needle in page, needle
    assert page.index('type="video/webm"') < page.index('src="clips/qkv-flow.mp4"'), "webm first"
    assert "步驟 1 · dot-products" in page and "步驟 2 · &quot;quoted&quot;" in page
    # the embed snippet is the exact <video> (without data-*), escaped for display
    card = page[page.index('id="slide-qkv-flow"'):]
    snippet = html.unescape(re.search(r"<code>(.*?)</code>", card, re.S).group(1))
    assert snippet.startswith('<video controls preload="metadata" playsinline poster="clips/qkv-flow.png"')
    assert "data-" not in snippet and snippet.endswith("</video>")
    assert 'lang="zh-Hant"' in page and '<meta charset="utf-8">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "no external resources"
    # chapter order follows the chapter's list of slides
    assert page.index("slide-qkv-analogy") < page.index("slide-qkv-flow")


def test_stale_and_missing_fields_render():
    page = render_gallery(sample_manifest())
    broken = page[page.index('id="slide-broken"'):]
    broken = broken[:broken.index("</article>")]
    assert "過期" in broken and "尚未產生影片" in broken and "<video" not in broken
    assert render_gallery(manifest_of([]))  # nothing at all still renders
    assert "過期" in render_gallery(manifest_of([slide("x", clip="x.mp4", stale=True)]))


def test_write_is_atomic_and_replaces(tmp_path):
    out = tmp_path / "out"
    first = write_gallery(manifest_of([], quality="draft"), out)
    assert first == out / "index.html" and "draft" in first.read_text(encoding="utf-8")
    write_gallery(manifest_of([], quality="final"), out)
    assert "final" in first.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"], "temporary file left behind"


def subtitle_files(root: Path, name: str, seconds: float) -> dict[str, str]:
    """A real VTT and SRT for `name`, listed as the manifest lists them (the page links both)."""
    make_vtt(root / f"subtitles/{name}.vtt", seconds)
    end = f"00:00:{seconds:06.3f}".replace(".", ",")
    (root / f"subtitles/{name}.srt").write_text(f"1\n00:00:00,000 --> {end}\n注意力\n", encoding="utf-8")
    return {"vtt": f"subtitles/{name}.vtt", "srt": f"subtitles/{name}.srt"}


def build_media_folder(root: Path) -> Manifest:
    """Real tiny clips, posters and subtitles for 2 slides, a chapter and the lecture, plus the manifest."""
    slides = []
    for slide_id, clip, frames in (("alpha", "clips/alpha.mp4", 15), ("beta", "clips/注意力 & #2.mp4", 24)):
        stem = slide_id
        make_video(root / clip, frames, hold=4)
        # The export's own webm: each held picture encoded once and shown until the next.
        assert encode_webm(root / clip, root / f"clips/{stem}.webm", FPS).pictures < frames
        make_poster(root / f"clips/{stem}.png")
        make_video(root / f"steps/{stem}/01.mp4", 8)
        slides.append(slide(slide_id, "ch", title=f"{slide_id} {HOSTILE}", clip=clip, webm=f"clips/{stem}.webm",
                            poster=f"clips/{stem}.png", duration=frames / FPS, frames=frames,
                            subtitles=subtitle_files(root, stem, frames / FPS),
                            steps=[{"name": "開場", "start": 0.0, "clip": f"steps/{stem}/01.mp4"}]))
    make_video(root / "chapters/ch.mp4", 39)
    make_video(root / "lecture.mp4", 39)
    return manifest_of(
        slides,
        [{"id": "ch", "title": f"章節 {QUOTED}", "video": "chapters/ch.mp4", "frames": 39, "duration": 39 / FPS,
          "slides": ["alpha", "beta"], "stale": False, "subtitles": subtitle_files(root, "ch", 2.0)}],
        {"video": "lecture.mp4", "frames": 39, "duration": 39 / FPS, "stale": False,
         "subtitles": subtitle_files(root, "lecture", 2.0)})


def test_gallery_videos_load_in_headless_chromium(tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install the Debian package "
                    f"`apt-get install -y --no-install-recommends {CHROMIUM_PACKAGE}`")
    site = tmp_path / "site"
    manifest = build_media_folder(site)
    write_gallery(manifest, site)
    (site / "check.html").write_text(CHECK_HTML, encoding="utf-8")
    with serve(site) as base:
        results = probe(base)
    assert "fatal" not in results, results
    expected = {s.id: s.duration for s in manifest.slides} | {"ch": 39 / FPS, "lecture": 39 / FPS}
    videos = {v["id"]: v for v in results["videos"]}
    assert set(videos) == set(expected), results
    for video_id, video in videos.items():
        assert video["error"] is None, video
        assert video["expected"] == pytest.approx(expected[video_id]), video
        assert abs(video["duration"] - expected[video_id]) <= 0.1, video
        for source in video["sources"]:   # webm and mp4 each playable on their own
            assert source["error"] is None, source
            assert abs(source["duration"] - expected[video_id]) <= 0.1, source
        track = video["track"]
        assert track["readyState"] == 2 and track["cues"] == 1 and track["srclang"] == "zh-Hant", track
        assert track["text"] == "注意力：Query 與 Key", track
    assert [s["type"] for s in videos["alpha"]["sources"]] == ["video/webm", "video/mp4"]
    assert videos["alpha"]["src"].endswith(".webm"), "webm is listed first and preferred"
    assert results["links"] and all(status == 200 for status in results["links"].values()), results["links"]
    assert any("%E6%B3%A8" in url for url in results["links"]), "the CJK file name was linked"
    assert results["copyButtons"] == 2
    assert results["copyLabel"] in ("已複製", "請手動複製"), results["copyLabel"]
