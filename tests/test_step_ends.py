"""SlideScene ends each step on what it built: the finished picture held for at least a frame, and
a chapter's card faded only when the slide's own content begins (real Manim renders)."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import Circle, FadeIn, FadeOut, Square, tempconfig

from explainer.scenekit.layout import visible
from explainer.scenekit.slide_scene import CHAPTER_CARD_FADE, SlideScene, outro_frames, reading_time
from explainer.script.model import Params, Slide
from explainer.script.theme import Theme

FPS = 15
FRAME = 1 / FPS
CHAPTER = "第一章：注意力"


def _render(construct, tmp_path: Path, first_in_chapter: bool = False,
            narration: dict[str, float] | None = None) -> SlideScene:
    """Render `construct` as a slide's scene; `narration` is how long each step's voice speaks."""
    class Steps(SlideScene):
        slide_id = "steps-test"

        def construct(self) -> None:
            construct(self)

    slide = Slide(id="steps-test", scene="Steps", title="測試", bullets=(), narration=(), params=Params({}),
                  chapter_id="c", chapter_title=CHAPTER, first_in_chapter=first_in_chapter)
    with tempconfig({"media_dir": str(tmp_path), "format": "png", "disable_caching": True, "frame_rate": FPS,
                     "progress_bar": "none", "verbosity": "WARNING", "pixel_width": 427, "pixel_height": 240}):
        scene = Steps(slide=slide, theme=Theme())
        scene.step_seconds = dict(narration or {})
        scene.check_layout = True
        scene.render()
    return scene


def _drawn(scene: SlideScene) -> list[str]:
    """What is on screen, by type: the layout check's notion of visible (Manim also keeps an empty
    placeholder Mobject in the scene, which draws nothing)."""
    return [type(m).__name__ for m in scene.mobjects if visible(m)]


def _lengths(scene: SlideScene) -> dict[str, float]:
    """Each step's length in seconds, from its mark to the next one (the last to the scene's end)."""
    starts = [(name, started) for name, started, _ in scene.step_marks]
    ends = [started for _, started in starts[1:]] + [float(scene.renderer.time)]
    return {name: end - started for (name, started), end in zip(starts, ends)}


def test_a_step_ending_on_an_animation_holds_its_finished_picture_one_frame(tmp_path):
    # Manim draws an animation at t < run_time only: without the held frame, the step's clip (and
    # a deck's pause on it, and its still) would end a frame short of done.
    def construct(scene: SlideScene) -> None:
        scene.step("moves")
        scene.play(FadeIn(Square()), run_time=1.0)
        scene.step("waits")
        scene.play(FadeIn(Circle()), run_time=1.0)
        scene.wait(0.5)
        scene.step("last")
        scene.play(FadeIn(Square().shift([2, 0, 0])), run_time=1.0)

    lengths = _lengths(_render(construct, tmp_path))
    assert lengths == {"moves": pytest.approx(1.0 + FRAME), "waits": pytest.approx(1.5),
                       "last": pytest.approx(1.0 + FRAME)}


def test_the_chapter_card_stays_to_the_end_of_its_step_and_fades_as_the_next_begins(tmp_path):
    seen: dict[str, list[str]] = {}

    def construct(scene: SlideScene) -> None:
        seen["end of the chapter step"] = _drawn(scene)
        scene.step("content")
        seen["start of the next step"] = _drawn(scene)
        scene.play(FadeIn(Square()), run_time=1.0)

    scene = _render(construct, tmp_path, first_in_chapter=True)
    assert [name for name, _, _ in scene.step_marks] == ["chapter", "content"]
    assert seen == {"end of the chapter step": ["Text", "Line"], "start of the next step": []}
    assert _lengths(scene) == {"chapter": pytest.approx(1.0 + reading_time(CHAPTER)),
                               "content": pytest.approx(CHAPTER_CARD_FADE + 1.0 + FRAME)}


def test_content_drawn_in_the_chapter_step_waits_for_the_card_to_fade(tmp_path):
    # e.g. a slide that writes its title before its first step of its own
    def construct(scene: SlideScene) -> None:
        scene.play(FadeIn(Square()), run_time=1.0)

    scene = _render(construct, tmp_path, first_in_chapter=True)
    assert _drawn(scene) == ["Square"]
    assert _lengths(scene) == {"chapter": pytest.approx(1.0 + reading_time(CHAPTER) + CHAPTER_CARD_FADE + 1.0
                                                        + FRAME)}


def test_a_step_held_for_its_narration_keeps_the_card_and_needs_no_extra_frame(tmp_path):
    # The holds that wait for the voice are Manim waits, which Manim plays as a Wait animation:
    # they must neither fade the card nor count as motion.
    def construct(scene: SlideScene) -> None:
        scene.step("content")
        scene.play(FadeIn(Square()), run_time=1.0)

    scene = _render(construct, tmp_path, first_in_chapter=True, narration={"chapter": 3.0, "content": 2.0})
    assert _lengths(scene) == {"chapter": pytest.approx(3.0), "content": pytest.approx(2.0)}


def test_a_step_ending_on_an_empty_frame_is_a_layout_finding(tmp_path):
    def construct(scene: SlideScene) -> None:
        scene.step("gone")
        square = Square()
        scene.play(FadeIn(square), run_time=0.5)
        scene.play(FadeOut(square), run_time=0.5)
        scene.step("back")
        scene.play(FadeIn(Circle()), run_time=0.5)

    findings = _render(construct, tmp_path).layout_findings
    assert len(findings) == 1 and findings[0].startswith("step 'gone' ends on an empty frame"), findings


# -- never a title-only screen under the voice ----------------------------------------------------
def test_narration_over_a_title_only_screen_is_a_finding(tmp_path):
    # The words of "explain" are spoken for 4 s, but its picture comes only after 2.5 s of title.
    def construct(scene: SlideScene) -> None:
        scene.step("explain")
        scene.show_title()
        scene.wait(2.5)
        scene.play(FadeIn(Square()), run_time=0.5)

    scene = _render(construct, tmp_path, narration={"explain": 4.0})
    bare = [f for f in scene.layout_findings if "only the title" in f]
    assert len(bare) == 1 and bare[0].startswith("step 'explain'"), scene.layout_findings
    assert "2.5 s" in bare[0]


def test_a_picture_drawn_as_the_words_begin_is_not_a_finding(tmp_path):
    # The title's write-on is its own time; content follows at once and stays while the voice speaks.
    def construct(scene: SlideScene) -> None:
        scene.step("explain")
        scene.show_title()
        scene.play(FadeIn(Square()), run_time=0.5)
        scene.step("next")
        scene.play(FadeOut(scene.mobjects[-1]), run_time=0.4)   # a fade between two pictures
        scene.play(FadeIn(Circle()), run_time=0.5)

    scene = _render(construct, tmp_path, narration={"explain": 4.0, "next": 3.0})
    assert not [f for f in scene.layout_findings if "only the title" in f], scene.layout_findings


def test_words_spoken_after_the_picture_left_are_a_finding(tmp_path):
    # The picture leaves while its words are still being said (the step is 5 s long).
    def construct(scene: SlideScene) -> None:
        scene.step("explain")
        scene.show_title()
        square = Square()
        scene.play(FadeIn(square), run_time=0.5)
        scene.play(FadeOut(square), run_time=0.5)

    scene = _render(construct, tmp_path, narration={"explain": 5.0})
    assert [f for f in scene.layout_findings if "only the title" in f], scene.layout_findings


# -- the tail after the last step ------------------------------------------------------------------
@pytest.mark.parametrize(("last_in_chapter", "held"), [(False, 1), (True, FPS)])
def test_a_movie_ends_with_a_fade_to_the_background_after_its_last_step(tmp_path, last_in_chapter, held):
    # The tail is no step's picture and no step's time: neither the empty-frame check nor the
    # title-only check looks at it, and the last step still ends on its finished picture.
    class Tail(SlideScene):
        slide_id = "tail-test"

        def construct(self) -> None:
            self.step("explain")
            self.show_title()
            self.play(FadeIn(Square()), run_time=0.5)

    slide = Slide(id="tail-test", scene="Tail", title="測試", bullets=(), narration=(), params=Params({}),
                  chapter_id="c", chapter_title=CHAPTER, first_in_chapter=False, last_in_chapter=last_in_chapter)
    with tempconfig({"media_dir": str(tmp_path), "format": "mp4", "disable_caching": True, "frame_rate": FPS,
                     "progress_bar": "none", "verbosity": "WARNING", "pixel_width": 214, "pixel_height": 120}):
        scene = Tail(slide=slide, theme=Theme())
        scene.step_seconds = {"explain": 3.0}
        scene.check_layout = True
        scene.render()
    assert scene.layout_findings == []
    started, files = scene.outro_mark
    assert started == pytest.approx(3.0)   # the step lasted as long as its words, then the tail began
    fading, holding = outro_frames(FPS, last_in_chapter)
    assert (fading, holding) == (8, held)
    assert float(scene.renderer.time) == pytest.approx(3.0 + (fading + holding) / FPS, abs=0.5 / FPS)
    assert len(scene.renderer.file_writer.partial_movie_files) == files + 2   # the fade and the hold
    assert last_in_chapter == ("last_in_chapter" in slide.on_screen_data())   # it shapes the frames


def test_a_still_has_no_tail(tmp_path):
    def construct(scene: SlideScene) -> None:
        scene.step("only")
        scene.play(FadeIn(Square()), run_time=0.5)

    scene = _render(construct, tmp_path)
    assert scene.outro_mark is None and _drawn(scene) == ["Square"]
