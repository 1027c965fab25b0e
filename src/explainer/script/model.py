"""The lecture as typed data: Lecture → Chapter → Slide with read-only Params (no I/O here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from explainer.codec import register_value
from explainer.script.theme import Theme
from explainer.script.yamlpos import Pos, Problem


class ScriptInvalid(Exception):
    """The script has problems; each is one user-facing line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Params:
    """A slide's params, read-only: `params.logits` or `params["logits"]`.

    Deliberately not a Mapping: parameters may be named `keys`, `values` or `items`, and
    `params.values` must be the parameter, not a dict method.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | Params) -> None:
        items = data._data.items() if isinstance(data, Params) else data.items()
        object.__setattr__(self, "_data", {str(k): _wrap(v) for k, v in items})

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(f"params has no '{name}' (has: {', '.join(self._data)})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("params are read-only: edit script.yaml")

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Params) and self._data == other._data

    def __hash__(self) -> int:
        return hash(repr(self))

    def names(self) -> list[str]:
        """The parameter names, in script order."""
        return list(self._data)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs in script order, so `dict(params)` is a shallow, editable copy."""
        return iter(self._data.items())

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def as_dict(self) -> dict[str, Any]:
        """Plain dicts and lists all the way down (a copy to modify, hash or print)."""
        return plain(self)

    def __repr__(self) -> str:
        return f"Params({self._data!r})"


def _wrap(value: Any) -> Any:
    if isinstance(value, (Mapping, Params)):
        return Params(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """Params and marked containers as ordinary dicts and lists (for hashing and JSON)."""
    if isinstance(value, Params):
        return {name: plain(value[name]) for name in value.names()}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# A render request carries its slide's params to the render process as plain JSON.
register_value(Params, plain, Params, dict)


@dataclass(frozen=True)
class Segment:
    """One piece of narration: spoken during one step of the slide's scene."""

    step: str
    text: str                  # as the screen writes it, placeholders filled (the subtitles show this;
                               # voices read it through `voice.read`)
    audio: Path | None         # a recorded take for this segment, if the lecturer made one
    line: int
    column: int


VOICES = ("neural", "draft", "recorded", "none")
ENGINES = ("neural", "draft")      # the voices that synthesize (and have pronunciation tables)
Table = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NeuralSettings:
    """The neural voice (Kokoro-82M): its speaker, a mix of Kokoro's speakers by weight (their
    style vectors averaged), and how fast it speaks (1.0 is the model's own pace)."""

    speaker: tuple[tuple[str, float], ...] = (("zf_xiaoxiao", 0.4), ("af_bella", 0.6))
    speed: float = 0.85
    where: str = field(default="", compare=False)   # FILE:LINE:COL of `speaker`, for errors

    def describe(self) -> str:
        return " + ".join(f"{weight:g} {name}" for name, weight in self.speaker) + f", speed {self.speed:g}"


@dataclass(frozen=True)
class VoiceSettings:
    """How narration is voiced: the default voice, each engine's settings, how every voice reads
    what the screen writes (`read`: Δx → 德爾塔 x), and each engine's pronunciation fixes."""

    default: str = "neural"
    neural: NeuralSettings = NeuralSettings()
    read: Table = ()                 # (written form, words said) for every voice
    pronounce_draft: Table = ()      # (word, pinyin with tone digits) espeak-ng misreads
    pronounce_neural: Table = ()     # (word, pinyin) or (Latin word, /phonemes/ or a respelling)

    def pronounce(self, engine: str) -> Table:
        return self.pronounce_neural if engine == "neural" else self.pronounce_draft


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, what is said over it, and which scene animates it."""

    id: str
    scene: str
    title: str
    bullets: tuple[str, ...]
    narration: tuple[Segment, ...]
    params: Params
    chapter_id: str
    chapter_title: str
    first_in_chapter: bool
    # The chapter's last slide: its clip ends on the chapter's breath (a held, silent background
    # after the fade every slide ends with; scenekit.slide_scene), so it shapes the frames.
    last_in_chapter: bool = False
    example: Params | None = None   # the shared `example:`, for slides whose scene uses it

    def on_screen_data(self) -> dict[str, Any]:
        """Everything that shapes the frames (not narration or notes), for the frame key."""
        data = {
            "id": self.id,
            "scene": self.scene,
            "title": self.title,
            "bullets": list(self.bullets),
            "params": plain(self.params),
            "chapter_title": self.chapter_title if self.first_in_chapter else None,
        }
        if self.last_in_chapter:   # its clip ends on the chapter's breath (only then: other keys keep their data)
            data["last_in_chapter"] = True
        if self.example is not None:   # only slides that draw the shared example are keyed on it
            data["example"] = plain(self.example)
        return data


@dataclass(frozen=True)
class Chapter:
    """A run of slides stitched into one chapter video."""

    id: str
    title: str
    slides: tuple[Slide, ...]


@dataclass(frozen=True)
class ClaimCheck:
    """A slide whose scene makes claims about the shared example (`what` names the slide; the
    warning points at the example's `example:` line). `claims` is its spec's (needs numpy)."""

    claims: Callable[[Params, Params], list[str]]
    example: Params
    params: Params
    what: str
    file: str
    pos: Pos | None


@dataclass(frozen=True)
class Lecture:
    """The validated script."""

    path: Path
    shown_as: str
    theme: Theme
    chapters: tuple[Chapter, ...]
    voice: VoiceSettings = VoiceSettings()
    # The claims slides make about the shared example, checked only when `warnings` is asked for.
    claim_checks: tuple[ClaimCheck, ...] = ()

    @cached_property
    def warnings(self) -> tuple[Problem, ...]:
        """Claims a slide makes about the shared example that its numbers no longer show: `check`
        prints them as FILE:LINE:COL: warning: lines (they do not stop a render). Computed on
        demand because the claims need numpy, which a no-op render never loads."""
        return tuple(Problem(check.file, f"warning: {check.what}: {claim}", check.pos)
                     for check in self.claim_checks
                     for claim in check.claims(check.example, check.params))

    @cached_property
    def root(self) -> Path:
        """The project folder: script.yaml, scenes/ and manim.cfg sit side by side in it."""
        return self.path.resolve().parent

    @property
    def scenes_dir(self) -> Path:
        return self.root / "scenes"

    @cached_property
    def slides(self) -> tuple[Slide, ...]:
        return tuple(slide for chapter in self.chapters for slide in chapter.slides)

    def slide(self, slide_id: str) -> Slide:
        for slide in self.slides:
            if slide.id == slide_id:
                return slide
        raise KeyError(slide_id)

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise KeyError(chapter_id)

    def select(self, targets: list[str]) -> list[Slide]:
        """The slides named by slide ids, chapter ids or 'lecture', in lecture order."""
        if not targets:
            return list(self.slides)
        wanted: set[str] = set()
        chapter_ids = {c.id: c for c in self.chapters}
        slide_ids = {s.id for s in self.slides}
        for target in targets:
            if target == "lecture":
                wanted.update(slide_ids)
            elif target in chapter_ids:
                wanted.update(s.id for s in chapter_ids[target].slides)
            elif target in slide_ids:
                wanted.add(target)
            else:
                raise ScriptInvalid([Problem(
                    self.shown_as,
                    f"unknown target '{target}': use a slide id, a chapter id or 'lecture' "
                    "(`explainer list` shows them)",
                )])
        return [s for s in self.slides if s.id in wanted]
