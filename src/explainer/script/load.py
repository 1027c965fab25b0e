"""Loads and validates script.yaml into a typed Lecture; every defect is reported as FILE:LINE:COL."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from explainer.script.example_fields import PARTS as EXAMPLE_PARTS
from explainer.script.example_fields import check_example
from explainer.script.model import (
    Chapter,
    ClaimCheck,
    Lecture,
    Params,
    ScriptInvalid,
    Segment,
    Slide,
)
from explainer.script.next_word import check_next_word
from explainer.script.params import ListOf, Text
from explainer.script.scan import SceneClass, find_scene_classes, syntax_error
from explainer.script.segments import placeholder_values, read_segments
from explainer.script.slidespec import SlideSpec
from explainer.script.specfiles import SpecProblem, load_spec
from explainer.script.theme import DEFAULT_PALETTE, PALETTE_ROLES, Theme
from explainer.script.voicecfg import read_voice_settings
from explainer.script.yamlpos import MarkedDict, MarkedList, Pos, Problem, load_yaml
from explainer.text.glyphs import font_charset, missing_glyphs

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
COLOUR_PATTERN = re.compile(r"#[0-9A-Fa-f]{6}\Z")
RESERVED_IDS = {"lecture"}

TOP_KEYS = {"theme": True, "voice": False, "example": False, "next_word": False, "chapters": True}
THEME_KEYS = {"font": False, "palette": False}
CHAPTER_KEYS = {"id": True, "title": True, "slides": True}
SLIDE_KEYS = {
    "id": True, "scene": True, "title": True, "bullets": True, "narration": True,
    "params": False, "notes": False,
}  # fmt: skip


def load_lecture(path: Path | str, shown_as: str | None = None) -> Lecture:
    """Load and fully validate a lecture script; raise ScriptInvalid listing every problem."""
    path = Path(path)
    shown = shown_as if shown_as is not None else str(path)
    try:
        data = load_yaml(path, shown)
    except Problem as problem:
        raise ScriptInvalid([problem]) from None
    checker = _Checker(shown, path.resolve().parent / "scenes")
    lecture = checker.lecture(data, path)
    if lecture is not None and not checker.problems:
        checker.glyphs(lecture.theme.font)
    if checker.problems:
        raise ScriptInvalid(checker.problems)
    assert lecture is not None
    return lecture


def declared_steps(lecture: Lecture, slide: Slide) -> list[str]:
    """The step names the slide's scene marks, in order, as its spec declares them (no Manim)."""
    scene = find_scene_classes(lecture.scenes_dir)[slide.scene]
    opening = ["chapter"] if slide.first_in_chapter else []
    seen = slide.params if slide.example is None else Params({**slide.params.as_dict(), "example": slide.example})
    return opening + load_spec(scene.module).step_names(seen, slide.bullets)


class _Checker:
    """Walks the loaded YAML, collecting problems and building the Lecture."""

    def __init__(self, shown_as: str, scenes_dir: Path) -> None:
        self.file = shown_as
        self.scenes_dir = scenes_dir
        self.problems: list[Problem] = []
        self.scene_classes: dict[str, SceneClass] = find_scene_classes(scenes_dir)
        self.ids: dict[str, Pos | None] = {}
        self.on_screen: list[tuple[Pos | None, str, str]] = []  # (where, whose, text) drawn in the font
        self.example: Params | None = None          # the shared `example:` once it is valid
        self.example_pos: Pos | None = None
        self.example_given = False
        self.claim_checks: list[ClaimCheck] = []
        self.readings: tuple[tuple[str, str], ...] = ()   # voice.read, once read
        self.next_word: Params | None = None        # the shared `next_word:` once it is valid
        self.next_word_given = False

    def shown(self, value: Any, pos: Pos | None, what: str) -> None:
        """Remember every string inside `value` (drawn on screen) with its position."""
        if isinstance(value, str):
            self.on_screen.append((pos, what, value))
        elif isinstance(value, MarkedDict):
            for key, item in value.items():
                self.shown(item, value.value_pos.get(key, pos), what)
        elif isinstance(value, MarkedList):
            for item, item_pos in zip(value, value.item_pos):
                self.shown(item, item_pos, what)

    def glyphs(self, font: str) -> None:
        """Every on-screen character must exist in the font: Pango would draw a box and exit 0."""
        charset = font_charset(font)
        if charset is None:
            return
        for pos, what, text in self.on_screen:
            for char in missing_glyphs(text, charset):
                self.add(pos, f"{what}: the font '{font}' has no glyph for '{char}' (U+{ord(char):04X}); "
                              "replace or remove that character")

    def add(self, pos: Pos | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, pos))

    def keys(self, mapping: Any, allowed: dict[str, bool], what: str, pos: Pos | None) -> bool:
        if not isinstance(mapping, dict):
            self.add(pos, f"{what} must be a mapping with keys {', '.join(allowed)}")
            return False
        assert isinstance(mapping, MarkedDict)
        for key in mapping:
            if key not in allowed:
                import difflib

                close = difflib.get_close_matches(str(key), list(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
                self.add(mapping.key_pos[key], f"{what}: unknown key '{key}'; {hint}")
        for key, required in allowed.items():
            if required and key not in mapping:
                self.add(mapping.pos, f"{what} is missing '{key}'")
        return True

    def text(self, mapping: MarkedDict, key: str, what: str, allow_empty: bool = False) -> str:
        value = mapping.get(key)
        if key in mapping:
            for pos, message in Text(allow_empty).check(value, mapping.value_pos[key], key):
                self.add(pos, f"{what}: {message}")
        return value if isinstance(value, str) else ""

    def ident(self, mapping: MarkedDict, what: str) -> str:
        value = mapping.get("id")
        if "id" not in mapping:
            return ""
        pos = mapping.value_pos["id"]
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(pos, f"{what}: id {value!r} must be lowercase letters, digits and '-' "
                          "(like 'qkv-flow'), starting with a letter or digit")
            return str(value)
        if value in RESERVED_IDS:
            self.add(pos, f"{what}: id '{value}' is reserved for the whole lecture; pick another")
        elif value in self.ids:
            first = self.ids[value]
            where = f" (first used at line {first.line})" if first else ""
            self.add(pos, f"{what}: id '{value}' is used twice{where}; slide and chapter ids must be unique")
        self.ids[value] = pos
        return value

    def lecture(self, data: Any, path: Path) -> Lecture | None:
        if not isinstance(data, MarkedDict):
            self.add(None, "the top level must be a mapping with 'theme' and 'chapters'")
            return None
        self.keys(data, TOP_KEYS, "top level", data.pos)
        theme = self.theme(data.get("theme"), data.value_pos.get("theme"))
        voice = read_voice_settings(data.get("voice"), data.value_pos.get("voice"), self.file, self.add)
        self.readings = voice.read
        if "example" in data:
            self.shared_example(data["example"], data.value_pos["example"], data.key_pos["example"])
        if "next_word" in data:
            self.shared_next_word(data["next_word"], data.value_pos["next_word"])
        chapters: list[Chapter] = []
        raw_chapters = data.get("chapters")
        if "chapters" in data:
            if not isinstance(raw_chapters, MarkedList) or not raw_chapters:
                self.add(data.value_pos["chapters"], "'chapters' must be a non-empty list of chapters")
            else:
                index = 0
                for raw, pos in zip(raw_chapters, raw_chapters.item_pos):
                    chapter = self.chapter(raw, pos, index)
                    if chapter is not None:
                        chapters.append(chapter)
                        index += len(chapter.slides)
        return Lecture(path, self.file, theme, tuple(chapters), voice, tuple(self.claim_checks))

    def shared_example(self, raw: Any, pos: Pos, key_pos: Pos) -> None:
        """The top-level `example:` that chapters 3–5 share; kept only when it is valid. Broken
        claims about it are reported at its `example:` line."""
        self.example_given, self.example_pos = True, key_pos
        self.shown(raw, pos, "example")
        findings = check_example(raw, pos)
        for where, message in findings:
            self.add(where, message)
        if not findings:
            self.example = Params(raw)

    def shared_next_word(self, raw: Any, pos: Pos) -> None:
        """The top-level `next_word:` that every slide on chapter 2's prompt reads; kept if valid."""
        self.next_word_given = True
        self.shown(raw, pos, "next_word")
        findings = check_next_word(raw, pos)
        for where, message in findings:
            self.add(where, message)
        if not findings:
            self.next_word = Params(raw)

    def with_next_word(self, scene: str, spec: SlideSpec | None, params: Any, what: str, pos: Pos) -> Params:
        """The slide's params, with the shared `next_word:` as `next_word` when its scene draws it."""
        wrapped = Params(params) if isinstance(params, dict) else Params({})
        if spec is None or not spec.uses_next_word:
            return wrapped
        if "next_word" in wrapped:
            where = params.key_pos.get("next_word", pos) if isinstance(params, MarkedDict) else pos
            self.add(where, f"{what}: scene '{scene}' reads the top-level `next_word:`; remove params.next_word "
                            "(edit the shared entry instead, so every slide on the prompt agrees)")
        elif not self.next_word_given:
            self.add(pos, f"{what}: scene '{scene}' draws the shared next-word prompt; add a top-level "
                          "`next_word:` entry (prompt, words, logits, vocabulary_note, temperatures)")
        elif self.next_word is not None:
            return Params({**wrapped.as_dict(), "next_word": self.next_word})
        return wrapped

    def example_for(self, scene: str, spec: SlideSpec | None, params: Params, what: str,
                    pos: Pos) -> Params | None:
        """The shared example if the slide's scene draws it; its claims checked as warnings."""
        if spec is None or not spec.uses_example:
            return None
        if not self.example_given:
            self.add(pos, f"{what}: scene '{scene}' draws the shared example; add a top-level `example:` "
                          "entry (sentences, embeddings, w_q, w_k, w_v, d_k) to the script")
            return None
        if self.example is None:
            return None
        missing = [part for part in spec.example_parts if part not in self.example]
        if missing:
            self.add(pos, f"{what}: scene '{scene}' draws the example's {' and '.join(missing)}; add "
                          + " and ".join(f"`{part}:`" for part in missing) + " under the top-level `example:`")
            return None
        # Only the parts this scene draws: an edit to the heads re-renders the slides showing them.
        drawn = Params({name: value for name, value in self.example
                        if name not in EXAMPLE_PARTS or name in spec.example_parts})
        if spec.claims is not None:
            self.claim_checks.append(ClaimCheck(spec.claims, drawn, params, what, self.file, self.example_pos))
        return drawn

    def theme(self, raw: Any, pos: Pos | None) -> Theme:
        if raw is None or not self.keys(raw, THEME_KEYS, "theme", pos):
            return Theme()
        font = self.text(raw, "font", "theme") or Theme().font
        palette = dict(DEFAULT_PALETTE)
        raw_palette = raw.get("palette")
        if raw_palette is not None and self.keys(raw_palette, dict.fromkeys(PALETTE_ROLES, False),
                                                 "theme.palette", raw.value_pos["palette"]):
            for role, colour in raw_palette.items():
                if role not in palette:
                    continue
                if not isinstance(colour, str) or not COLOUR_PATTERN.match(colour):
                    self.add(raw_palette.value_pos[role],
                             f"theme.palette.{role}: colour must be like \"#4EA8FF\" (quoted), got {colour!r}")
                else:
                    palette[role] = colour.upper()
        return Theme(font=font, palette=palette)

    def chapter(self, raw: Any, pos: Pos, first_index: int) -> Chapter | None:
        if not isinstance(raw, MarkedDict):
            self.add(pos, "a chapter must be a mapping with keys id, title, slides")
            return None
        chapter_id = self.ident(raw, "chapter")
        what = f"chapter '{chapter_id}'" if chapter_id else "chapter"
        self.keys(raw, CHAPTER_KEYS, what, pos)
        title = self.text(raw, "title", what)
        self.shown(title, raw.value_pos.get("title"), what)
        raw_slides = raw.get("slides")
        slides: list[Slide] = []
        if "slides" in raw:
            if not isinstance(raw_slides, MarkedList) or not raw_slides:
                self.add(raw.value_pos["slides"], f"{what}: 'slides' must be a non-empty list")
            else:
                for raw_slide, slide_pos in zip(raw_slides, raw_slides.item_pos):
                    slide = self.slide(raw_slide, slide_pos, chapter_id, title,
                                       first=not slides, index=first_index + len(slides))
                    if slide is not None:
                        slides.append(slide)
        if slides:   # the chapter's last slide ends on its breath (see Slide.last_in_chapter)
            slides[-1] = replace(slides[-1], last_in_chapter=True)
        return Chapter(chapter_id, title, tuple(slides))

    def slide(self, raw: Any, pos: Pos, chapter_id: str, chapter_title: str,
              first: bool, index: int) -> Slide | None:
        if not isinstance(raw, MarkedDict):
            self.add(pos, "a slide must be a mapping with keys " + ", ".join(SLIDE_KEYS))
            return None
        slide_id = self.ident(raw, "slide")
        what = f"slide '{slide_id}'" if slide_id else "slide"
        self.keys(raw, SLIDE_KEYS, what, pos)
        title = self.text(raw, "title", what)
        for key in ("title", "bullets", "params"):
            if key in raw:
                self.shown(raw[key], raw.value_pos[key], what)
        if "notes" in raw:
            self.text(raw, "notes", what, allow_empty=True)
        bullets: list[str] = []
        if "bullets" in raw:
            for p, message in ListOf(Text(), min_len=0).check(raw["bullets"], raw.value_pos["bullets"], "bullets"):
                self.add(p, f"{what}: {message}")
            if isinstance(raw["bullets"], list):
                bullets = [b for b in raw["bullets"] if isinstance(b, str)]
        scene = self.text(raw, "scene", what)
        params = raw.get("params")
        if params is None:
            params = MarkedDict()
            params.pos, params.key_pos, params.value_pos = pos, {}, {}
        spec = None
        if scene:
            spec = self.scene_and_params(scene, raw.value_pos["scene"], params,
                                         raw.value_pos.get("params", raw.pos), what)
        wrapped = self.with_next_word(scene, spec, params, what, raw.value_pos.get("scene", pos))
        example = self.example_for(scene, spec, wrapped, what, raw.value_pos.get("scene", pos))
        # Narration placeholders (and facts) see the example as `example`, as the scene does.
        spoken = wrapped if example is None else Params({**wrapped.as_dict(), "example": example})
        narration: tuple[Segment, ...] = ()
        # A slide drawing a broken example (or next-word prompt) cannot fill its numbers (their errors
        # are reported).
        drawable = spec is not None and (not spec.uses_example or example is not None) \
            and (not spec.uses_next_word or "next_word" in wrapped)
        if drawable and "narration" in raw:
            steps = (["chapter"] if first else []) + spec.step_names(spoken, tuple(bullets))
            module = self.scene_classes[scene].module
            narration = read_segments(raw["narration"], raw.value_pos["narration"], what, steps,
                                      lambda: placeholder_values(module, spec, spoken, tuple(bullets)),
                                      self.scenes_dir.parent, self.add, self.readings)
        return Slide(
            id=slide_id, scene=scene, title=title, bullets=tuple(bullets), narration=narration,
            params=wrapped, chapter_id=chapter_id, chapter_title=chapter_title, first_in_chapter=first,
            example=example,
        )

    def scene_and_params(self, scene: str, scene_pos: Pos, params: Any, params_pos: Pos,
                         what: str) -> SlideSpec | None:
        """Check the params against the scene's spec; the spec when they are valid."""
        found = self.scene_classes.get(scene)
        if found is None:
            broken = [e for m in sorted(self.scenes_dir.glob("*.py")) if (e := syntax_error(m))]
            hint = f"; note: {broken[0]}" if broken else ""
            import difflib

            close = difflib.get_close_matches(scene, list(self.scene_classes), n=1)
            suggestion = f"did you mean '{close[0]}'?" if close else \
                f"define `class {scene}(SlideScene)` in a module under {self.scenes_dir.name}/"
            self.add(scene_pos, f"{what}: scene class '{scene}' not found in {self.scenes_dir.name}/; "
                                f"{suggestion}{hint}")
            return None
        try:
            spec = load_spec(found.module)
        except SpecProblem as problem:
            self.add(scene_pos, f"{what}: scene '{scene}': {problem}")
            return None
        # Rules of a slide drawing the shared prompt see it too (e.g. a prompt that must end with it).
        shared = {"next_word": self.next_word.as_dict()} if spec.uses_next_word and self.next_word is not None else None
        findings = spec.check(params, params_pos, shared)
        for p, message in findings:
            self.add(p, f"{what}: {message}")
        return None if findings else spec
