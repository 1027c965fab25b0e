"""SlideScene, the base of every slide's scene, and BulletSlide, a title and bullets animated."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, ClassVar

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    GrowFromEdge,
    Line,
    Rectangle,
    Scene,
    VGroup,
    Wait,
    Write,
    config,
    smooth,
)

from explainer.scenekit.components.bullets import BULLET_GAP, fit_bullets
from explainer.scenekit.components.fit import fit_line
from explainer.scenekit.components.text import use_theme
from explainer.scenekit.inputs import provided
from explainer.script.load import Lecture, Slide, load_lecture
from explainer.script.theme import Theme

SECONDS_PER_CJK_CHAR = 0.25
MAX_READING_HOLD = 3.0
MIN_READING_HOLD = 0.8
CHAPTER_CARD_FADE = 0.6  # seconds
BOTTOM_ROOM = 0.3   # kept clear under the last bullet (the layout check's frame margin and a little)
# Seconds of narration a step may speak over a screen holding only its title (a fade between two
# pictures passes through one); beyond this the layout check reports the step.
BARE_SPEECH_TOLERANCE = 1.0
# Every slide's clip ends with a tail after its last step, belonging to no step and never narrated:
# the picture fades to the background (OUTRO_FADE seconds), then the background holds one frame,
# or CHAPTER_BREATH seconds when the slide ends its chapter (a silent breath before the next
# chapter's card). Both are whole frames: see outro_frames.
OUTRO_FADE = 0.5
CHAPTER_BREATH = 1.0


def slide_source(scene_class: type) -> tuple[Path, str]:
    """Which script and slide a scene shows under plain `manim`: the project's script.yaml, found
    relative to the scene file (scenes/../script.yaml), not the working directory. (The pipeline's
    render process instead provides the slide itself: see scenekit.inputs.)"""
    scene_file = Path(inspect.getfile(scene_class)).resolve()
    slide_id = getattr(scene_class, "slide_id", "")
    if not slide_id:
        raise RuntimeError(f"{scene_class.__name__} has no slide_id; set `slide_id = \"...\"` on the class")
    return scene_file.parent.parent / "script.yaml", slide_id


def load_slide(scene_class: type) -> tuple[Lecture, Slide]:
    """The lecture and the slide a scene class shows (see slide_source)."""
    script, slide_id = slide_source(scene_class)
    lecture = load_lecture(script)
    try:
        return lecture, lecture.slide(slide_id)
    except KeyError:
        raise RuntimeError(f"{script}: no slide with id '{slide_id}'") from None


def outro_frames(fps: float, last_in_chapter: bool) -> tuple[int, int]:
    """The tail's frames at `fps`: (fading, then holding the background)."""
    return max(2, round(OUTRO_FADE * fps)), max(1, round(CHAPTER_BREATH * fps)) if last_in_chapter else 1


def reading_time(text: str) -> float:
    """How long a text stays before the next step: ~0.25 s per CJK character, capped."""
    chars = sum(1 for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    latin_words = len([w for w in text.split() if w.isascii()])
    return min(MAX_READING_HOLD, max(MIN_READING_HOLD, SECONDS_PER_CJK_CHAR * chars + 0.3 * latin_words))


class SlideScene(Scene):
    """A slide's scene: knows its slide, theme and steps; opens a chapter when it is the first slide."""

    slide_id: ClassVar[str] = ""
    # False: never render this scene in pieces (pipeline/split.py). A piece fast-forwards through
    # the animations before it, running dt-updaters once with dt = run_time, so a scene whose
    # state depends on time stepped frame by frame would differ when split.
    splittable: ClassVar[bool] = True
    # The parts of the finished scene its tests may inspect, by attribute name (read them with
    # `scene.part(name)`): a test reads what the scene promises, not whatever it happened to set.
    exposed: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, slide: Slide | None = None, theme: Theme | None = None,
                 **kwargs: Any) -> None:
        inputs = provided()
        self._given = (slide or (inputs.slide if inputs else None), theme or (inputs.theme if inputs else None))
        # (name, seconds, how many of Manim's per-animation movie files precede the step)
        self.step_marks: list[tuple[str, float, int]] = []
        # How long each step must last for its narration to be spoken (the pipeline's choice).
        self.step_seconds: dict[str, float] = dict(inputs.step_seconds) if inputs else {}
        self.stop_after_step: int | None = inputs.stop_after_step if inputs else None
        # Check the layout after every animation (tests set it too).
        self.check_layout: bool = inputs.check_layout if inputs else False
        self.layout_findings: list[str] = []
        # True while the last thing drawn is an animation's frame: Manim draws an animation at
        # t < run_time only, so its finished state first appears in the frame after it.
        self._ended_moving = False
        # The chapter card on screen, to fade out before the next animation or step.
        self._chapter_card: VGroup | None = None
        # The slide title's parts (make_title), and the stretches of time, (start, end) in
        # seconds, when nothing but them was on screen (the title's own write-on excepted).
        # (The parts themselves, not their ids: an animation may drop a part, and a later mobject
        # could then be given its id and pass for the title.)
        self._title_parts: list[Any] = []
        self._bare_spans: list[tuple[float, float]] = []
        self._writing_title = False
        # The tail after the last step (see OUTRO_FADE): where it begins, as (seconds, how many of
        # Manim's per-animation movie files precede it), once a movie's last step has ended; and
        # True while it plays (nothing in it is a step's picture: no layout checks, no card fade).
        self.outro_mark: tuple[float, int] | None = None
        self._closing = False
        self._ended_early = False
        super().__init__(*args, **kwargs)

    # -- data -------------------------------------------------------------------------------
    def setup(self) -> None:
        slide, theme = self._given
        if slide is None:
            lecture, slide = load_slide(type(self))
            theme = theme or lecture.theme
        self.slide: Slide = slide
        self.theme: Theme = theme or Theme()
        use_theme(self.theme)
        self.camera.background_color = self.theme.palette["background"]
        if self.slide.first_in_chapter:
            self.open_chapter()

    @property
    def params(self) -> Any:
        return self.slide.params

    def part(self, name: str) -> Any:
        """A part this scene declares in `exposed` (construct sets it), for tests to inspect."""
        cls = type(self).__name__
        if name not in type(self).exposed:
            raise AttributeError(f"{cls} does not expose '{name}' (it exposes: "
                                 f"{', '.join(type(self).exposed) or 'nothing'}); add it to {cls}.exposed")
        try:
            return getattr(self, name)
        except AttributeError:
            raise AttributeError(f"{cls} declares '{name}' in `exposed`, but its construct never set "
                                 f"self.{name}") from None

    # -- steps ------------------------------------------------------------------------------
    def step(self, name: str) -> None:
        """Start a step (a Manim section): per-step clips and subtitle timing follow these."""
        self.next_section(name)
        # Here, not in next_section: a piece of a split render (rendering/pieces.py) starts drawing
        # once its first step's section has begun, and the fade is that step's first animation.
        self._fade_chapter_card()

    def next_section(self, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
        self.finish_step()
        if self.stop_after_step and len(self.step_marks) >= self.stop_after_step:
            from manim.utils.exceptions import EndSceneEarlyException

            self._ended_early = True   # a preview or a piece of a split render: the clip goes on elsewhere
            raise EndSceneEarlyException()
        # renderer.time drifts from whole frames; the worker turns this file index into an exact
        # frame (each animation's file starts on a keyframe, so steps cut cleanly there).
        self.step_marks.append((name, float(self.renderer.time), len(self.renderer.file_writer.partial_movie_files)))
        super().next_section(name, *args, **kwargs)

    def finish_step(self) -> None:
        """Hold the current step's last frame until its narration has been spoken: the animations
        play while the voice speaks, and the step ends when both are done."""
        if not self.step_marks:
            return
        name, started, _ = self.step_marks[-1]
        missing = self.step_seconds.get(name, 0.0) - (float(self.renderer.time) - started)
        # Whole frames: `missing` is a whole number of frames give or take float noise, which
        # decides Manim's int() either way; rounded, a render split into pieces holds as long.
        frames = round(missing * config.frame_rate)
        if self._ended_moving:
            # At least one frame of the finished picture: a step's clip, still and preview end on
            # what the step built, not on its last animation a frame short of done.
            frames = max(frames, 1)
        if frames >= 1:
            self.wait(frames / config.frame_rate)
        if self.check_layout:
            from explainer.scenekit.layout import visible

            if not any(visible(mobject) for mobject in self.mobjects):
                self.layout_findings.append(
                    f"step '{name}' ends on an empty frame, which a deck pauses on and prints as the step's "
                    f"still: end the step on what it built, and clear the screen as the next step begins")
            self._check_speech_has_a_picture(name, started)

    def _only_title_on_screen(self) -> bool:
        from explainer.scenekit.layout import visible

        title = {id(part) for part in self._title_parts}   # all alive: their ids are theirs
        return not any(visible(mobject) for mobject in self.mobjects if id(mobject) not in title)

    def _check_speech_has_a_picture(self, name: str, started: float) -> None:
        """The step's words are spoken from its start for step_seconds (the lengths this render was
        given by the voice): a finding when they fall on a screen holding only the title."""
        spoken = self.step_seconds.get(name, 0.0)
        if spoken <= 0:
            return
        end = started + spoken
        overlaps = [(max(a, started), min(b, end)) for a, b in self._bare_spans if min(b, end) > max(a, started)]
        bare = sum(b - a for a, b in overlaps)
        if bare > BARE_SPEECH_TOLERANCE:
            first = overlaps[0][0] - started
            self.layout_findings.append(
                f"step '{name}': the narration speaks {bare:.1f} s over a screen holding only the title (from "
                f"{first:.1f} s into the step): draw what the words describe as they are said")

    def tear_down(self) -> None:
        self.finish_step()
        if not self._ended_early and self.session_spec.output.is_video:
            self.play_outro()
        super().tear_down()

    def play_outro(self) -> None:
        """The clip's tail, after its last step has ended on its finished picture: a curtain of the
        background colour over everything fades in, then the background holds (a frame, or the
        chapter's breath). It belongs to no step, so no step clip, still or deck shows it; it is
        silent, since every step lasts as long as its own words."""
        fps = config.frame_rate
        fading, holding = outro_frames(fps, self.slide.last_in_chapter)
        self.outro_mark = (float(self.renderer.time), len(self.renderer.file_writer.partial_movie_files))
        self._closing = True
        self._chapter_card = None   # a card still up leaves under the curtain with the rest
        curtain = Rectangle(width=config.frame_width + 1, height=config.frame_height + 1, stroke_width=0,
                            fill_color=self.theme.palette["background"], fill_opacity=1).set_z_index(10**6)
        # Whole frames: an animation draws one frame per 1/fps step of time below its run_time, a
        # frozen wait int(seconds * fps) frames; half a frame either way keeps float noise out.
        self.play(FadeIn(curtain), run_time=(fading - 0.5) / fps, rate_func=smooth)
        self.wait((holding + 0.5) / fps, frozen_frame=True)

    def adopt(self, group: Any) -> None:
        """Put `group` on screen in place of its parts that animations added one by one (same
        pixels), so later animations and tests see the finished block as one object."""
        self.remove(*(part for part in group.get_family()[1:] if part in self.mobjects))
        self.add(group)

    def hold(self, text: str | None = None, seconds: float | None = None) -> None:
        """Wait long enough to read `text` (or `seconds`)."""
        self.wait(seconds if seconds is not None else reading_time(text or ""))

    # -- playing: holds, the chapter card, layout checks (tests, and every pipeline render) --
    def play(self, *args: Any, **kwargs: Any) -> None:
        # Manim's wait() plays a Wait too: a hold shows what is there, it moves nothing.
        holding = bool(args) and all(isinstance(animation, Wait) for animation in args)
        if not holding and not self._closing:
            self._fade_chapter_card()
        bare_before = self.check_layout and not self._closing and not self._writing_title \
            and self._only_title_on_screen()
        started = float(self.renderer.time)
        super().play(*args, **kwargs)
        if bare_before and self._only_title_on_screen() and float(self.renderer.time) > started:
            self._bare_spans.append((started, float(self.renderer.time)))
        if not holding:
            self._ended_moving = True
        elif max(animation.run_time for animation in args) > 0:
            self._ended_moving = False
        self._check_layout_now()

    def play_internal(self, skip_rendering: bool = False) -> None:
        # Look once at each animation's midpoint: during a real render when the frames reach it
        # (update_to_time), and when Manim skips frames (stills, tests, cached plays) by stepping
        # there first; time only moves forward, so animations such as Succession stay right.
        self._midpoint_pending = self.check_layout and bool(self.animations)
        if self._midpoint_pending and self.renderer.skip_animations:
            self.update_to_time(self.get_run_time(self.animations) / 2)
        super().play_internal(skip_rendering)

    def update_to_time(self, t: float) -> None:
        super().update_to_time(t)
        if getattr(self, "_midpoint_pending", False) and t >= self.get_run_time(self.animations) / 2 - 1e-9:
            self._midpoint_pending = False
            self._check_layout_now(midpoint=True)

    def _check_layout_now(self, midpoint: bool = False) -> None:
        if not self.check_layout or self._closing:
            return
        from explainer.scenekit.layout import check, moving_ids

        moving = moving_ids(self.animations or [], self.mobjects) if midpoint else {}
        found = check(list(self.mobjects), moving=moving, midpoint=midpoint)
        if found:
            step = self.step_marks[-1][0] if self.step_marks else "(before the first step)"
            when = "at the midpoint of" if midpoint else "after"
            where = f"step '{step}', {when} animation {len(self.step_marks)}:{self.renderer.num_plays}"
            self.layout_findings.extend(f"{where}: {f}" for f in found)

    # -- shared pieces --------------------------------------------------------------------
    def open_chapter(self) -> None:
        """The chapter's title card, so a chapter video reads as a chapter."""
        self.step("chapter")
        title = fit_line(self.slide.chapter_title, config.frame_width - 1.5, "chapter", weight="BOLD")
        rule = Line(LEFT, RIGHT, color=self.theme.palette["accent"], stroke_width=6)
        rule.set(width=title.width * 0.6).next_to(title, DOWN, buff=0.35)
        self.play(FadeIn(title, shift=UP * 0.3), GrowFromCenter(rule), run_time=1.0)
        if "chapter" in self.step_seconds:
            # The title is said aloud: hold it while the voice speaks. A slide drawing more in this
            # step fades the card as the voice ends; otherwise finish_step holds it to the end.
            self.wait(max(0.5, self.step_seconds["chapter"] - 1.0 - CHAPTER_CARD_FADE))
        else:
            self.hold(self.slide.chapter_title)
        # It fades when the slide's own content begins, so the chapter step (its clip in a deck,
        # its still in print) ends on the card, not on an empty frame.
        self._chapter_card = VGroup(title, rule)

    def _fade_chapter_card(self) -> None:
        if self._chapter_card is not None:
            card, self._chapter_card = self._chapter_card, None
            self.play(FadeOut(card, shift=UP * 0.4), run_time=CHAPTER_CARD_FADE)

    def make_title(self, text: str | None = None) -> VGroup:
        """The slide title at the top-left with an accent rule under it."""
        title = fit_line(text if text is not None else self.slide.title, config.frame_width - 1.2, "title",
                         weight="BOLD")
        title.to_corner(UL, buff=0.5)
        rule = Line(LEFT, RIGHT, color=self.theme.palette["accent"], stroke_width=4)
        rule.set(width=min(title.width, 3.0)).next_to(title, DOWN, buff=0.15, aligned_edge=LEFT)
        group = VGroup(title, rule)
        self._title_parts.extend(group.get_family())
        return group

    def show_title(self, text: str | None = None) -> VGroup:
        """Animate the slide title in and return it."""
        title = self.make_title(text)
        self._writing_title = True   # the write-on itself is the title's own time, not a bare screen
        try:
            self.play(Write(title[0]), GrowFromEdge(title[1], LEFT), run_time=1.0)
        finally:
            self._writing_title = False
        return title


class BulletSlide(SlideScene):
    """Title, then each bullet in turn (the newest bright, the earlier ones dimmed)."""

    bullet_size: ClassVar[str] = "body"

    def construct(self) -> None:
        # 1. The title
        self.step("title")
        title = self.show_title()
        self.hold(self.slide.title)
        # 2. Each bullet, one at a time (all fitted first, at one size, into the space below the title)
        shown: list[VGroup] = []
        top = title.get_bottom() + DOWN * 0.6
        room = top[1] - (-config.frame_height / 2 + BOTTOM_ROOM)
        items = fit_bullets(self.slide.bullets, config.frame_width - 2.6, room, self.bullet_size)
        for index, (text, item) in enumerate(zip(self.slide.bullets, items)):
            self.step(f"bullet-{index + 1}")
            item.next_to(top, DOWN, buff=0).to_edge(LEFT, buff=0.9)
            item.align_to(title, LEFT).shift(RIGHT * 0.2)
            top = item.get_bottom() + DOWN * BULLET_GAP
            self.play(*(prev.animate.set_opacity(0.55) for prev in shown),
                      GrowFromCenter(item[0]), FadeIn(item[1], shift=RIGHT * 0.3), run_time=0.8)
            shown.append(item)
            self.hold(text)
        # 3. All bullets together, to end on the whole slide
        if shown:
            self.step("summary")
            self.play(*(prev.animate.set_opacity(1) for prev in shown), run_time=0.6)
            self.wait(1.0)

