"""The params each scene class takes in script.yaml: types, ranges and cross-field rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.maths import sweep_plan
from explainer.script.params import (
    Flag,
    ListOf,
    Matrix,
    Number,
    Record,
    Schema,
    StepNames,
    Text,
    member_of,
    rectangular,
    same_length,
)

WORDS = ListOf(Text(), min_len=2, max_len=8)
LOGITS = ListOf(Number(minimum=-50, maximum=50), min_len=2, max_len=8)
TEMPERATURE = Number(minimum=0, maximum=10)
VECTOR2 = ListOf(Number(minimum=-5, maximum=5), min_len=2, max_len=2)
SEED = Number(minimum=0, integer=True)



def _chain_steps_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for index, step in enumerate(params["steps"]):
        if len(step["words"]) != len(step["logits"]):
            yield "steps", f"params.steps[{index}]: words and logits must have the same length"
        if step["pick"] not in step["words"]:
            yield "steps", f"params.steps[{index}].pick '{step['pick']}' must be one of its words"


def _sentences_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for index, sentence in enumerate(params["sentences"]):
        if len(sentence["tokens"]) != len(sentence["vectors"]):
            yield "sentences", f"params.sentences[{index}]: one vector per token is needed"
        if params["word"] not in sentence["tokens"]:
            yield "sentences", f"params.sentences[{index}] must contain the word '{params['word']}'"


def _word_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["word"] not in params["sentence"]:
        yield "word", f"params.word '{params['word']}' does not occur in params.sentence"


def _cues_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["sentence"].count(params["word"]) != len(params["meanings"]):
        yield "meanings", (f"params.meanings has {len(params['meanings'])} items but '{params['word']}' "
                           f"occurs {params['sentence'].count(params['word'])} times in params.sentence")
    for cue in params["cues"]:
        if cue not in params["sentence"]:
            yield "cues", f"params.cues: '{cue}' does not occur in params.sentence"


def _nback_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["nback"]["n"]) != len(params["nback"]["accuracy"]):
        yield "nback", "params.nback: n and accuracy must have the same length"


ATTENTION_SIDE = Record(
    {
        "name": Text(),
        "focus": Text(),
        "context": ListOf(Text(), min_len=2, max_len=4),
        "scores": ListOf(Number(minimum=-10, maximum=10), min_len=2, max_len=4),
    }
)


def _sides_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for side in ("machine", "person"):
        if len(params[side]["context"]) != len(params[side]["scores"]):
            yield side, f"params.{side}: context and scores must have the same length"


def _count_fits_pool(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["count"] > len(params["pool"]):
        yield "count", f"params.count ({params['count']}) exceeds the {len(params['pool'])} items in params.pool"
    if len(set(params["pool"])) != len(params["pool"]):
        yield "pool", "params.pool has repeated items; each item must be distinct"


def _heads_fit_embeddings(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    width = len(params["features"])
    if any(len(row) != width for row in params["embeddings"]):
        yield "embeddings", f"params.embeddings: every row needs one number per feature ({width})"
    for index, head in enumerate(params["heads"]):
        for name in ("w_q", "w_k"):
            rows = head[name]
            if len(rows) != width or any(len(row) != params["d_head"] for row in rows):
                yield "heads", (f"params.heads[{index}].{name} must be {width} rows (one per feature) "
                                f"of d_head = {params['d_head']} numbers")


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
        rules=(_word_in_sentence, _cues_in_sentence),
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
        rules=(_chain_steps_consistent,),
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
            "results": ListOf(
                Record(
                    {"title": Text(), "content": Text(), "relevance": Number(minimum=0, maximum=1)}
                ),
                min_len=2,
                max_len=4,
            ),
        },
        steps=fixed("title", "query", "keys", "compare", "value", "bullet"),
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
    "QkvFlow": Schema(
        {
            "tokens": ListOf(Text(), min_len=2, max_len=6),
            "query_token": Text(),
            "query": VECTOR2,
            "keys": ListOf(VECTOR2, min_len=2, max_len=6),
            "values": ListOf(VECTOR2, min_len=2, max_len=6),
            "analogy": Record({"query": Text(), "key": Text(), "value": Text()}),
        },
        rules=(same_length("tokens", "keys", "values"), member_of("query_token", "tokens")),
        steps=fixed("query-and-keys", "dot-products", "softmax", "values", "scale-by-weight", "weighted-sum"),
    ),
    "QkvProjection": Schema(
        {
            "tokens": ListOf(Text(), min_len=1, max_len=5),
            # X (tokens × d_model) × W (d_model × d_k) = Q must fit one row of the frame.
            "d_model": Number(minimum=2, maximum=4, integer=True),
            "d_k": Number(minimum=1, maximum=3, integer=True),
            "seed": SEED,
            "views": ListOf(Text(), min_len=3, max_len=3),   # what Q, K, V each extract
        },
        steps=fixed("embeddings", "projections", "three-views"),
    ),
    "ScaledDotProduct": Schema(
        {
            "tokens": ListOf(Text(), min_len=2, max_len=4),
            "queries": Matrix(2, 1),
            "keys": Matrix(2, 1),
            "values": Matrix(2, 1),
            # Rows in formula order: QKᵀ, √d_k, softmax, ×V (symbol is LaTeX, the rest Chinese).
            "table": ListOf(Record({"symbol": Text(), "name": Text(), "plain": Text()}), min_len=4, max_len=4),
        },
        rules=(
            same_length("tokens", "queries", "keys", "values"),
            rectangular("queries"),
            rectangular("keys", cols_like="queries"),
            rectangular("values"),
        ),
        steps=fixed("formula", "scores", "scale", "softmax", "times-v", "summary"),
    ),
    "AppleInContext": Schema(
        {
            "word": Text(),
            "axes": ListOf(Text(), min_len=2, max_len=2),
            "outputs": ListOf(Text(), min_len=2, max_len=2),
            "sentences": ListOf(
                Record({"tokens": ListOf(Text(), min_len=2, max_len=7), "vectors": ListOf(VECTOR2, min_len=2, max_len=7)}),
                min_len=2,
                max_len=2,
            ),
        },
        rules=(_sentences_consistent,),
        steps=lambda p, b: numbered("sentence", len(p.sentences)),
    ),
    "MultiHead": Schema(
        {
            "tokens": ListOf(Text(), min_len=2, max_len=6),
            "features": ListOf(Text(), min_len=2, max_len=8),
            "embeddings": Matrix(2, 2),
            "d_head": Number(minimum=1, maximum=4, integer=True),
            "seed": SEED,
            "focus_token": Text(),
            "labels": Record({"embedding": Text(), "concat": Text(), "output": Text()}),
            "heads": ListOf(
                Record({"name": Text(), "focus": Text(), "w_q": Matrix(2, 1), "w_k": Matrix(2, 1)}),
                min_len=2,
                max_len=3,
            ),
        },
        rules=(same_length("tokens", "embeddings"), rectangular("embeddings"),
               member_of("focus_token", "tokens"), _heads_fit_embeddings),
        steps=lambda p, b: ["embedding", *numbered("head", len(p.heads)), "concat"],
    ),
    "Residual": Schema(
        {
            "layers": Number(minimum=2, maximum=48, integer=True),
            "width": Number(minimum=2, maximum=256, integer=True),
            "seed": SEED,
            "weight_scale": Number(minimum=0.01, maximum=4),
            "labels": Record({name: Text() for name in (
                "shortcut", "block", "plain_row", "residual_row", "signal", "gradient", "log_scale",
                "layer")}),
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
        rules=(_sides_consistent,),
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
                }
            ),
        },
        rules=(_nback_consistent,),
        steps=fixed("definition", "kinds", "capacity", "serial", "nback"),
    ),
    "MagicFourGame": Schema(
        {
            "pool": ListOf(Text(), min_len=2, max_len=24),
            "count": Number(minimum=1, maximum=12, integer=True),
            "seed": SEED,
            "countdown": Number(minimum=0, maximum=10, integer=True),
            "flash_seconds": Number(minimum=0.5, maximum=10),
            "pause_seconds": Number(minimum=0, maximum=10),
            "typical_recall": Number(minimum=1, maximum=12, integer=True),
            "prompts": Record(
                {"ready": Text(), "memorize": Text(), "recall": Text(), "reveal": Text(), "takeaway": Text()}
            ),
        },
        rules=(_count_fits_pool,),
        steps=fixed("countdown", "flash", "recall", "reveal", "takeaway"),
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
