"""The params each scene class takes in script.yaml: types, ranges and cross-field rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.params import (
    Flag,
    ListOf,
    Matrix,
    Number,
    Record,
    Schema,
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


def _nback_consistent(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if len(params["nback"]["n"]) != len(params["nback"]["accuracy"]):
        yield "nback", "params.nback: n and accuracy must have the same length"


def _count_fits_pool(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["count"] > len(params["pool"]):
        yield "count", f"params.count ({params['count']}) exceeds the {len(params['pool'])} items in params.pool"
    if len(set(params["pool"])) != len(params["pool"]):
        yield "pool", "params.pool has repeated items; each item must be distinct"


SCHEMAS: dict[str, Schema] = {
    # Generic title-and-bullets slide: takes no params.
    "BulletSlide": Schema(),
    "TransformerIntro": Schema(
        {
            "year": Number(minimum=1900, maximum=2100, integer=True),
            "paper": Text(),
            "tokens": ListOf(Text(), min_len=2, max_len=8),
            "sequential_label": Text(),
            "attention_label": Text(),
        }
    ),
    "AiLandscape": Schema(
        {
            "ml": Text(),
            "dl": Text(),
            "transformer": Text(),
            "genai": Text(),
            "models": ListOf(Text(), min_len=1, max_len=5),
        }
    ),
    "AppleHook": Schema(
        {
            "sentence": Text(),
            "word": Text(),
            "meanings": ListOf(Text(), min_len=2, max_len=2),
            "question": Text(),
        },
        rules=(_word_in_sentence,),
    ),
    "NextWordTitle": Schema({"sentence": Text()}),
    "ProbabilityChain": Schema(
        {
            "prompt": Text(),
            "steps": ListOf(
                Record({"words": WORDS, "logits": LOGITS, "pick": Text()}), min_len=1, max_len=6
            ),
        },
        rules=(_chain_steps_consistent,),
    ),
    "LogitsSoftmax": Schema(
        {"words": WORDS, "logits": LOGITS}, rules=(same_length("words", "logits"),)
    ),
    "QkvAnalogy": Schema(
        {
            "query": Text(),
            "results": ListOf(
                Record(
                    {"title": Text(), "content": Text(), "relevance": Number(minimum=0, maximum=1)}
                ),
                min_len=2,
                max_len=4,
            ),
        }
    ),
    "QkvRoles": Schema(
        {
            "cards": ListOf(
                Record({"symbol": Text(), "name": Text(), "meaning": Text(), "analogy": Text()}),
                min_len=3,
                max_len=3,
            )
        }
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
    ),
    "QkvProjection": Schema(
        {
            "tokens": ListOf(Text(), min_len=1, max_len=5),
            "d_model": Number(minimum=2, maximum=6, integer=True),
            "d_k": Number(minimum=1, maximum=6, integer=True),
            "seed": SEED,
        }
    ),
    "ScaledDotProduct": Schema(
        {
            "tokens": ListOf(Text(), min_len=2, max_len=4),
            "queries": Matrix(2, 1),
            "keys": Matrix(2, 1),
            "values": Matrix(2, 1),
        },
        rules=(
            same_length("tokens", "queries", "keys", "values"),
            rectangular("queries"),
            rectangular("keys", cols_like="queries"),
            rectangular("values"),
        ),
    ),
    "AppleInContext": Schema(
        {
            "word": Text(),
            "axes": ListOf(Text(), min_len=2, max_len=2),
            "sentences": ListOf(
                Record({"tokens": ListOf(Text(), min_len=2, max_len=7), "vectors": ListOf(VECTOR2, min_len=2, max_len=7)}),
                min_len=2,
                max_len=2,
            ),
        },
        rules=(_sentences_consistent,),
    ),
    "MultiHead": Schema(
        {
            "tokens": ListOf(Text(), min_len=2, max_len=6),
            "d_model": Number(minimum=2, maximum=8, integer=True),
            "d_head": Number(minimum=1, maximum=4, integer=True),
            "seed": SEED,
            "heads": ListOf(Record({"name": Text(), "focus": Text()}), min_len=2, max_len=4),
        }
    ),
    "Residual": Schema(
        {
            "layers": Number(minimum=2, maximum=48, integer=True),
            "width": Number(minimum=2, maximum=256, integer=True),
            "seed": SEED,
            "weight_scale": Number(minimum=0.01, maximum=4),
        }
    ),
    "TemperatureFormula": Schema(
        {"words": WORDS, "logits": LOGITS, "temperature": TEMPERATURE},
        rules=(same_length("words", "logits"),),
    ),
    "TemperatureTable": Schema(
        {
            "words": WORDS,
            "logits": LOGITS,
            "sweep": ListOf(TEMPERATURE, min_len=2, max_len=6),
            "rows": ListOf(
                Record(
                    {"regime": Text(), "mode": Text(), "effect": Text(), "output": Text(), "use": Text()}
                ),
                min_len=2,
                max_len=2,
            ),
        },
        rules=(same_length("words", "logits"),),
    ),
    "AttentionQuestion": Schema({"question": Text()}),
    "AttentionComparison": Schema(
        {
            "human": Text(),
            "machine": Text(),
            "facets": ListOf(
                Record({"name": Text(), "human": Text(), "machine": Text()}), min_len=1, max_len=4
            ),
        }
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
        },
        rules=(_nback_consistent,),
    ),
    "MagicFourGame": Schema(
        {
            "pool": ListOf(Text(), min_len=2, max_len=24),
            "count": Number(minimum=1, maximum=12, integer=True),
            "seed": SEED,
            "countdown": Number(minimum=0, maximum=10, integer=True),
            "flash_seconds": Number(minimum=0.5, maximum=10),
            "pause_seconds": Number(minimum=0, maximum=10),
        },
        rules=(_count_fits_pool,),
    ),
    "References": Schema(
        {
            "entries": ListOf(
                Record({"title": Text(), "concept": Text(), "link": Text()}), min_len=1, max_len=30
            )
        }
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
        }
    ),
}
