"""SlideSpec: everything about one slide's scene that is not animation.

Each scene file `scenes/<name>.py` has a spec module `scenes/specs/<name>.py` that defines
`SPEC = SlideSpec(...)`: the params the scene takes, the steps it marks, the rules its params
obey, the facts its narration may say and the claims it makes about the shared example. The
scene imports the same module (`from specs.<name> import …`) for the numbers it draws, so what
is drawn and what is said come from one function. Spec modules import neither numpy nor Manim at
the top (numbers functions import numpy inside), so `check` and a no-op render stay light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explainer.script.params import Finding, Record, Rule, Spec
from explainer.script.yamlpos import MarkedDict, Pos

# A scene's step names (its self.step(...) calls, in order) from its params and bullets, so the
# narration can be checked against them without importing Manim.
StepNames = Callable[[Any, tuple[str, ...]], list[str]]
# The numbers a slide's narration may say ({name} placeholders), from its params (with the shared
# example as params.example when the scene draws it).
Facts = Callable[[Any], dict[str, Any]]
# What a slide says about the shared example that its numbers no longer show (example, params).
Claims = Callable[[Any, Any], list[str]]


@dataclass(frozen=True)
class SlideSpec:
    """One slide's scene as `check`, the narration and the planner know it (no Manim)."""

    params: dict[str, Spec] = field(default_factory=dict)
    # The scene's steps: a fixed tuple, or a function of the params and bullets.
    steps: tuple[str, ...] | StepNames = ()
    optional: frozenset[str] = frozenset()
    rules: tuple[Rule, ...] = ()
    facts: Facts | None = None
    # The scene also draws script.yaml's shared `example:` (chapters 3–5's running example): the
    # slide gets it as `slide.example`, and it enters that slide's frame key (and no other's).
    uses_example: bool = False
    # Parts of the example only some scenes draw (example_fields.PARTS, e.g. the heads): the slide
    # gets them, and they enter its frame key, only when its scene names them here.
    example_parts: tuple[str, ...] = ()
    claims: Claims | None = None
    # The scene draws script.yaml's shared `next_word:` (chapter 2's prompt and its logits): the
    # slide's params get it as `next_word`, so it enters that slide's frame key.
    uses_next_word: bool = False

    def step_names(self, params: Any, bullets: tuple[str, ...]) -> list[str]:
        """The steps the scene marks for these params (SlideScene adds "chapter" before them on a
        chapter's first slide)."""
        return list(self.steps) if isinstance(self.steps, tuple) else list(self.steps(params, bullets))

    def check(self, params: Any, pos: Pos | None, shared: dict[str, Any] | None = None) -> list[Finding]:
        """Problems with the params; `shared` (e.g. {"next_word": …} for a spec with
        uses_next_word) is what the rules see beside them, reported at the slide's own params."""
        record = Record(self.params, self.optional)
        findings = list(record.check(params, pos, "params"))
        if findings or not isinstance(params, dict):
            return findings
        value_pos = params.value_pos if isinstance(params, MarkedDict) else {}
        seen = {**params, **shared} if shared else params
        for rule in self.rules:
            for name, message in rule(seen):
                findings.append((value_pos.get(name.split(".")[0], pos), message))
        return findings


def numbered(prefix: str, count: int) -> list[str]:
    """Steps `prefix-1` … `prefix-count`, one per item the scene walks through."""
    return [f"{prefix}-{index + 1}" for index in range(count)]


def bullet_steps(params: Any, bullets: tuple[str, ...]) -> list[str]:
    """The steps of a title-and-bullets slide (scenekit's BulletSlide): the title, one step per
    bullet, and a summary when there are bullets."""
    return ["title", *numbered("bullet", len(bullets)), *(["summary"] if bullets else [])]
