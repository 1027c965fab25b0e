"""The params each scene class takes in script.yaml: types, ranges, rules and step names."""

from __future__ import annotations

from typing import Any

from explainer.script import rules
from explainer.script.params import (
    Flag,
    ListOf,
    Number,
    Record,
    Schema,
    StepNames,
    Text,
    same_length,
)
from explainer.script.sweep import sweep_plan

WORDS = ListOf(Text(), min_len=2, max_len=8)
LOGITS = ListOf(Number(minimum=-50, maximum=50), min_len=2, max_len=8)
TEMPERATURE = Number(minimum=0, maximum=10)
VECTOR2 = ListOf(Number(minimum=-5, maximum=5), min_len=2, max_len=2)
SEED = Number(minimum=0, integer=True)


ATTENTION_SIDE = Record(
    {
        "name": Text(),
        "focus": Text(),
        "context": ListOf(Text(), min_len=2, max_len=4),
        "scores": ListOf(Number(minimum=-10, maximum=10), min_len=2, max_len=4),
    }
)


def fixed(*names: str) -> StepNames:
    """A scene whose steps do not depend on its params."""
    return lambda params, bullets: list(names)


def numbered(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{index + 1}" for index in range(count)]


def _bullet_steps(params: Any, bullets: tuple[str, ...]) -> list[str]:
    return ["title", *numbered("bullet", len(bullets)), *(["summary"] if bullets else [])]


# Each scene's params, and its step names (the self.step(...) calls its construct makes, in
# order; SlideScene adds "chapter" before them on a chapter's first slide). tests/test_scene_steps.py
# checks each declaration against the steps the scene really marks.
SCHEMAS: dict[str, Schema] = {
    # Generic title-and-bullets slide: takes no params.
    "BulletSlide": Schema(steps=_bullet_steps),
    # The lecture's opening card; on a chapter's first slide its `chapter` step is that card.
    "CourseTitle": Schema(
        {
            "subtitle": Text(),
            "motif": Record({
                "tokens": ListOf(Text(), min_len=2, max_len=6),
                "query": Text(),
                "scores": ListOf(Number(minimum=-10, maximum=10), min_len=2, max_len=6),
            }),
        },
        rules=(rules.motif_consistent,),
        steps=fixed("roadmap", "begin"),
    ),
    "TransformerIntro": Schema(
        {
            "year": Number(minimum=1900, maximum=2100, integer=True),
            "paper": Text(),
            "tokens": ListOf(Text(), min_len=2, max_len=8),
            "sequential_label": Text(),
            "attention_label": Text(),
        },
        steps=fixed("title", "sequential", "attention", "bullets"),
    ),
    "AiLandscape": Schema(
        {
            "ml": Text(),
            "dl": Text(),
            "transformer": Text(),
            "genai": Text(),
            "models": ListOf(Text(), min_len=1, max_len=5),
        },
        steps=fixed("title", "ml", "dl", "transformer", "genai", "models"),
    ),
    "AppleHook": Schema(
        {
            "sentence": Text(),
            "word": Text(),
            "meanings": ListOf(Text(), min_len=2, max_len=2),
            "cues": ListOf(Text(), min_len=2, max_len=2),
            "question": Text(),
        },
        rules=(rules.word_in_sentence, rules.cues_in_sentence),
        steps=fixed("sentence", "same-word", "meanings", "question"),
    ),
    "NextWordTitle": Schema({"sentence": Text()},
        steps=fixed("title", "typing", "gap", "candidates"),
    ),
    "ProbabilityChain": Schema(
        {
            "prompt": Text(),
            "steps": ListOf(
                Record({"words": WORDS, "logits": LOGITS, "pick": Text()}), min_len=1, max_len=6
            ),
        },
        rules=(rules.chain_steps_consistent,),
        steps=lambda p, b: ["prompt", *numbered("step", len(p.steps)), "chain"],
    ),
    "LogitsSoftmax": Schema(
        {"words": WORDS, "logits": LOGITS}, rules=(same_length("words", "logits"),),
        steps=fixed("logits", "formula", "exponentiate", "sum", "divide", "sum-to-one"),
    ),
    "QkvAnalogy": Schema(
        {
            "query": Text(),
            "roles": Record({"query": Text(), "key": Text(), "value": Text()}),
            # score: how well the query matches the title; the weights shown are softmax(scores)
            "results": ListOf(
                Record({"title": Text(), "content": Text(), "score": Number(minimum=-10, maximum=10)}),
                min_len=2,
                max_len=3,
            ),
            "labels": Record({"score": Text(), "weight": Text(), "total": Text(), "mix": Text()}),
        },
        steps=fixed("title", "query", "keys", "compare", "weights", "values", "mix", "bullet"),
    ),
    "QkvRoles": Schema(
        {
            "cards": ListOf(
                Record({"symbol": Text(), "name": Text(), "meaning": Text(), "analogy": Text()}),
                min_len=3,
                max_len=3,
            )
        },
        steps=lambda p, b: ["title", *(f"card-{c.symbol}" for c in p.cards), "together"],
    ),
    # Numbers: the shared `example:` (its word in its first sentence); params: the analogy's labels.
    "QkvFlow": Schema(
        {"analogy": Record({"query": Text(), "key": Text(), "value": Text()})},
        steps=fixed("query-and-keys", "dot-products", "scale", "softmax", "values", "weighted-sum", "add-to-x"),
        uses_example=True,
    ),
    # Numbers: the shared `example:` (X of its first sentence, W_Q, W_K, W_V).
    "QkvProjection": Schema(
        {"views": ListOf(Text(), min_len=3, max_len=3)},   # what Q, K, V each extract
        steps=fixed("embeddings", "projections", "three-views"),
        uses_example=True,
    ),
    # Numbers: the shared `example:` (Q, K, V of its first sentence, as qkv-projection made them).
    "ScaledDotProduct": Schema(
        {
            # Rows in formula order: QKᵀ, √d_k, softmax, ×V (symbol is LaTeX, the rest Chinese).
            "table": ListOf(Record({"symbol": Text(), "name": Text(), "plain": Text()}), min_len=4, max_len=4),
        },
        steps=fixed("formula", "scores", "scale", "softmax", "times-v", "summary"),
        uses_example=True,
    ),
    # Numbers: the shared `example:` (its word in both sentences, Q = XW_Q, K = XW_K, V = XW_V).
    "AppleInContext": Schema(
        {
            "axes": ListOf(Text(), min_len=2, max_len=2),      # the plane's two meanings
            "outputs": ListOf(Text(), min_len=2, max_len=2),   # labels of x + Δx in each sentence
            # The word each sentence's context hinges on (check warns if the word stops attending
            # most to it, or x + Δx stops turning toward that sentence's meaning).
            "cues": ListOf(Text(), min_len=2, max_len=2),
        },
        steps=lambda p, b: numbered("sentence", len(p.cues)),
        uses_example=True,
    ),
    "MultiHead": Schema(
        {
            # The heads and W_O are the example's (`example.heads`, `example.w_o`), shared with recap.
            "labels": Record({"concat": Text(), "output": Text(), "illustrative": Text()}),
        },
        steps=lambda p, b: ["embedding", *numbered("head", len(p.example.heads)), "concat"],
        uses_example=True,
        example_parts=("heads", "w_o"),
    ),
    "Residual": Schema(
        {
            "layers": Number(minimum=2, maximum=48, integer=True),
            "width": Number(minimum=2, maximum=256, integer=True),
            "seed": SEED,
            "weight_scale": Number(minimum=0.01, maximum=4),
            "labels": Record({name: Text() for name in (
                "shortcut", "block", "plain_row", "residual_row", "signal", "gradient", "log_scale",
                "layer", "illustrative", "attention", "mlp", "transformer_block")}),
        },
        steps=fixed("block", "stack", "plot", "gradient"),
    ),
    "TemperatureFormula": Schema(
        # The slide divides by T on screen, so T = 0 (greedy, shown on temperature-table) is out.
        {"words": WORDS, "logits": LOGITS, "temperature": Number(minimum=0.05, maximum=10)},
        rules=(same_length("words", "logits"),),
        steps=fixed("title", "formula", "logits", "divide", "softmax", "position"),
    ),
    "TemperatureTable": Schema(
        {
            "words": WORDS,
            "logits": LOGITS,
            "sweep": ListOf(TEMPERATURE, min_len=2, max_len=6),
            # Draws of the next word at each temperature visited (numpy default_rng(seed)).
            "seed": SEED,
            "draws": Number(minimum=1, maximum=12, integer=True),
            "labels": Record({"draws": Text(), "ghost": Text(), "example": Text()}),
            "headers": Record({"mode": Text(), "effect": Text(), "output": Text(), "use": Text()}),
            "rows": ListOf(
                Record(
                    {"regime": Text(), "mode": Text(), "effect": Text(), "output": Text(), "use": Text()}
                ),
                min_len=2,
                max_len=2,
            ),
        },
        rules=(same_length("words", "logits"),),
        steps=lambda p, b: ["title", *("greedy" if t == 0 else f"sweep-to-{t:g}" for t in sweep_plan(p.sweep)), "bullets"],
    ),
    "AttentionQuestion": Schema(
        {"question": Text(), "machine": ATTENTION_SIDE, "person": ATTENTION_SIDE},
        rules=(rules.sides_consistent,),
        steps=fixed("machine", "person", "question"),
    ),
    "AttentionComparison": Schema(
        {
            "human": Text(),
            "machine": Text(),
            "facets": ListOf(
                Record({"name": Text(), "human": Text(), "machine": Text()}), min_len=1, max_len=4
            ),
        },
        steps=lambda p, b: ["columns", *numbered("facet", len(p.facets)), "summary"],
    ),
    "BrainResources": Schema(
        {
            "kinds": ListOf(Record({"name": Text(), "detail": Text()}), min_len=1, max_len=6),
            "capacity": Number(minimum=1, maximum=9, integer=True),
            "nback": Record(
                {
                    "n": ListOf(Number(minimum=1, maximum=9, integer=True), min_len=2, max_len=6),
                    "accuracy": ListOf(Number(minimum=0, maximum=1), min_len=2, max_len=6),
                    "illustrative": Flag(),
                }
            ),
            "labels": Record(
                {
                    "kinds": Text(),
                    "capacity": Text(),
                    "overflow": Text(),
                    "serial": Text(),
                    "nback": Text(),
                    "accuracy": Text(),
                    "illustrative": Text(),
                    "hypothesis": Text(),
                    "brain": Text(),       # {n}: the capacity
                    "machine": Text(),
                    "conclusion": Text(),
                }
            ),
        },
        rules=(rules.nback_consistent,),
        steps=fixed("definition", "kinds", "capacity", "serial", "nback", "conclusion"),
    ),
    "MagicFourGame": Schema(
        {
            "pool": ListOf(Text(), min_len=2, max_len=24),   # unrelated words (nothing to chunk)
            "count": Number(minimum=1, maximum=12, integer=True),
            "seed": SEED,
            "countdown": Number(minimum=0, maximum=10, integer=True),
            "flash_seconds": Number(minimum=0.5, maximum=10),
            # Counting backwards aloud blocks rehearsal (Cowan's ~4 holds only then).
            "distractor": Record(
                {
                    "start": Number(minimum=10, maximum=999, integer=True),
                    "step": Number(minimum=1, maximum=9, integer=True),
                    "seconds": Number(minimum=2, maximum=20),
                }
            ),
            "pause_seconds": Number(minimum=0, maximum=10),
            "typical_recall": Number(minimum=1, maximum=12, integer=True),
            "recall_range": Record(
                {"low": Number(minimum=1, maximum=12, integer=True),
                 "high": Number(minimum=1, maximum=12, integer=True)}
            ),
            "prompts": Record(
                {"ready": Text(), "memorize": Text(), "distract": Text(), "recall": Text(), "reveal": Text(),
                 "takeaway": Text(), "chunks": Text()}
            ),
        },
        rules=(rules.count_fits_pool, rules.recall_in_range),
        steps=fixed("countdown", "flash", "distract", "recall", "reveal", "takeaway"),
    ),
    "References": Schema(
        {
            "entries": ListOf(
                Record({"title": Text(), "concept": Text(), "link": Text()}), min_len=1, max_len=30
            ),
            "per_page": Number(minimum=1, maximum=4, integer=True),
        },
        steps=lambda p, b: ["title", *numbered("page", -(-len(p.entries) // p.per_page))],
    ),
    "Recap": Schema(
        {
            "next_word": Record({"prompt": Text(), "words": ListOf(Text(), min_len=2, max_len=4),
                                 "logits": ListOf(Number(minimum=-50, maximum=50), min_len=2, max_len=4)}),
            # The next-word logits' softmax at a low and a high temperature.
            "temperatures": ListOf(Number(minimum=0.05, maximum=10), min_len=2, max_len=2),
            "residual": Record({"shortcut": Text(), "block": Text()}),
            "memory": Record({"capacity": Number(minimum=1, maximum=6, integer=True),
                              "items": ListOf(Text(), min_len=1, max_len=8)}),
            "captions": Record({name: Text() for name in (
                "next_word", "softmax", "attention", "multi_head", "residual", "human")}),
        },
        rules=(rules.recap_consistent,),
        steps=fixed("title", "next-word", "softmax", "attention", "multi-head", "residual", "human",
                    "together"),
        uses_example=True,       # the attention and heads pictures are the running example's
        example_parts=("heads", "w_o"),
    ),
    "HomeworkQkv": Schema(
        {
            "query": Text(),
            "options": ListOf(
                Record(
                    {
                        "key": Text(),
                        "score": Number(minimum=-10, maximum=10),
                        "value": Number(minimum=0, maximum=1),
                    }
                ),
                min_len=2,
                max_len=5,
            ),
            "temperatures": ListOf(TEMPERATURE, min_len=1, max_len=4),
            "labels": Record(
                {"naive": Text(), "impossible": Text(), "softmax": Text(), "distraction": Text(), "focus": Text()}
            ),
        },
        steps=lambda p, b: ["table", "naive-sum", "softmax", *numbered("focus", len(p.temperatures) - 1), "takeaway"],
    ),
}
