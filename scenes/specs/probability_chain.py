"""Slide 'probability-chain': next-word probabilities, one pick appended at a time (autoregression).

Its first step is the shared prompt's (script.yaml's top-level `next_word:`): the same candidates
and logits as logits-softmax, temperature and recap, so 想 is the same 0.66 everywhere. The later
steps bring their own candidates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import LOGITS, WORDS, ListOf, Record, Text
from explainer.script.slidespec import SlideSpec, numbered


def chain_steps(p: Any) -> list[dict[str, Any]]:
    """Every step the chain draws, as {words, logits, pick}: the shared prompt's candidates first
    (next_word's words and logits, picking params.first_pick), then the slide's own steps."""
    first = {"words": list(p.next_word.words), "logits": [float(z) for z in p.next_word.logits],
             "pick": str(p.first_pick)}
    later = [{"words": list(step["words"]), "logits": [float(z) for z in step["logits"]], "pick": str(step["pick"])}
             for step in p.steps]
    return [first, *later]


def chain_text(prompt: str, steps: list) -> tuple[str, list[str]]:
    """The whole sentence after every step, and the pieces it is built from (prompt, then picks)."""
    pieces = [prompt] + [str(step["pick"]) for step in steps]
    return "".join(pieces), pieces


def step_probabilities(step: Any) -> Any:
    """The candidates' probabilities at one step: softmax of its logits."""
    from explainer.maths import softmax

    return softmax(step["logits"], 1.0)


def facts(p: Any) -> dict[str, Any]:
    # probs_i: the candidates' probabilities at step-(i + 1), in the order of its words, as the
    # bars print them (two decimals adding to 1.00); probs_0 is the shared prompt's (next_word)
    from explainer.maths import rounded_shares

    return {f"probs_{i}": [float(v) for v in rounded_shares(step_probabilities(step), 2)]
            for i, step in enumerate(chain_steps(p))}


def chain_steps_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for index, step in enumerate(params["steps"]):
        if len(step["words"]) != len(step["logits"]):
            yield "steps", f"params.steps[{index}]: words and logits must have the same length"
        if step["pick"] not in step["words"]:
            yield "steps", f"params.steps[{index}].pick '{step['pick']}' must be one of its words"


def continues_the_shared_prompt(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The chain's first step predicts after the shared prompt, so the chain's prompt ends with it,
    and its first pick is one of the shared candidates."""
    shared = params.get("next_word")
    if not shared:
        return
    if not str(params["prompt"]).endswith(str(shared["prompt"])):
        yield "prompt", (f"params.prompt 「{params['prompt']}」 must end with the top-level next_word.prompt "
                         f"「{shared['prompt']}」: the chain's first step shows that prompt's candidates; "
                         "edit one of the two so they agree")
    if params["first_pick"] not in shared["words"]:
        yield "first_pick", (f"params.first_pick '{params['first_pick']}' must be one of next_word.words "
                             f"({', '.join(shared['words'])})")


def steps(p: Any, bullets: tuple[str, ...]) -> list[str]:
    return ["prompt", *numbered("step", 1 + len(p.steps)), "chain"]


SPEC = SlideSpec(
    params={
        # The text typed at the start: it must end with next_word.prompt (the first step's prompt).
        "prompt": Text(),
        # The word picked from next_word's candidates in the first step.
        "first_pick": Text(),
        # What the screen says about the later steps' candidates (next_word.vocabulary_note is shown
        # during the first).
        "note": Text(),
        # The steps after the first, each with its own candidates.
        "steps": ListOf(Record({"words": WORDS, "logits": LOGITS, "pick": Text()}), min_len=1, max_len=5),
    },
    rules=(chain_steps_consistent, continues_the_shared_prompt),
    steps=steps,
    facts=facts,
    uses_next_word=True,
)
