"""Slide 'attention-to-next-word': the running example's prompt (its first sentence minus its last
word), masked attention at the prompt's last word, x + Δx through the residual, × the vocabulary
matrix → logits → softmax → the next word (closing the loop from chapters 3–5 back to chapter 2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec

# Probabilities closer than this look tied on screen (two decimals).
VISIBLE = 0.02
LABELS = ("bridge_from", "bridge_to", "next", "visible", "block", "stack", "last", "vocabulary",
          "vocabulary_note", "chapter_two", "summary")


def prompt_of(example: Any) -> tuple[list[str], str]:
    """The prompt (the example's first sentence without its last word) and the word it leaves out."""
    sentence = [str(t) for t in example.sentences[0]]
    return sentence[:-1], sentence[-1]


def causal_weights(scaled: Any) -> Any:
    """Row softmax of a score grid with the future masked: score j > i becomes −∞, weight 0."""
    import numpy as np

    from explainer.maths import softmax

    n = scaled.shape[0]
    future = np.triu(np.ones((n, n), dtype=bool), k=1)
    return softmax(np.where(future, -np.inf, scaled), axis=-1)


def next_word_numbers(example: Any, vocabulary: Any) -> dict[str, Any]:
    """Every number the slide shows: at the prompt's last position, q·k/√d_k over the words it may see,
    the (causal) weights and their three-decimal screen version adding to 1, v, Δx = Σ w·v, x and
    h = x + Δx; then the vocabulary matrix W (one row per word), logits W·h, softmax probabilities
    and their two-decimal screen version adding to 1."""
    import numpy as np

    from explainer.maths import projections, rounded_shares, softmax

    prompt, left_out = prompt_of(example)
    x = np.asarray([example.embeddings[t] for t in prompt], dtype=float)
    qkv = projections(x, example.w_q, example.w_k, example.w_v)
    d_k = int(example.d_k)
    scaled = qkv["Q"] @ qkv["K"].T / np.sqrt(d_k)
    weights = causal_weights(scaled)
    last = len(prompt) - 1
    row = weights[last]
    delta = row @ qkv["V"]
    h = x[last] + delta
    words = [str(entry.word) for entry in vocabulary]
    matrix = np.asarray([entry.vector for entry in vocabulary], dtype=float)
    if matrix.shape[1] != h.shape[0]:
        raise ValueError(f"each vocabulary vector needs {h.shape[0]} numbers (the example's vectors), "
                         f"got {matrix.shape[1]}")
    logits = matrix @ h
    probs = softmax(logits)
    return {
        "prompt": prompt, "left_out": left_out, "last": last, "last_word": prompt[last],
        "d_k": d_k, "sqrt_d_k": float(np.sqrt(d_k)),
        "query": qkv["Q"][last], "keys": qkv["K"], "values": qkv["V"],
        "scores": qkv["Q"][last] @ qkv["K"].T, "scaled": scaled[last],
        "weights": row, "shown_weights": rounded_shares(row, 3),
        "delta": delta, "x": x[last], "h": h,
        "words": words, "matrix": matrix, "logits": logits,
        "probs": probs, "shown_probs": rounded_shares(probs, 2),
        "top": int(np.argmax(probs)),
    }


def dot_product_tex(h: Any, vector: Any, logit: float) -> str:
    """'2.95 \\times 1.0 + (-0.16) \\times 0.3 = 2.90': h (as shown, two decimals) · a word's vector."""
    terms = " + ".join((f"({a:.2f})" if a < 0 else f"{a:.2f}") + r" \times " + (f"({b:.1f})" if b < 0 else f"{b:.1f}")
                       for a, b in zip(h, vector))
    return f"{terms} = {logit:.2f}"


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def _listed(words: list[str], values: Any, decimals: int) -> str:
    """'「蘋果」2.90、「飯」2.36、…': each word with its number, as the narration says them."""
    return "、".join(f"「{w}」{v:.{decimals}f}" for w, v in zip(words, values))


def _joined(words: list[str]) -> str:
    """'「蘋果」、「飯」和「麵」' (nothing: '沒有一個詞')."""
    quoted = [f"「{w}」" for w in words]
    if not quoted:
        return "沒有一個詞"
    return quoted[0] if len(quoted) == 1 else "、".join(quoted[:-1]) + "和" + quoted[-1]


def facts(p: Any) -> dict[str, Any]:
    # weights: as shown (three decimals adding to 1); probs: as the bars print them (two decimals
    # adding to 1); delta is Δx, h is x + Δx; top_word is the computed most likely word.
    n = next_word_numbers(p.example, p.vocabulary)
    words, probs = n["words"], n["shown_probs"]
    order = sorted(range(len(words)), key=lambda i: -n["probs"][i])
    return {
        "prompt": "".join(n["prompt"]), "sentence": "".join(n["prompt"]) + n["left_out"],
        "last_word": n["last_word"], "visible": "、".join(n["prompt"]), "d_k": n["d_k"],
        "weights": _floats(n["shown_weights"]), "delta": _floats(n["delta"]), "x": _floats(n["x"]),
        "h": _floats(n["h"]), "logits": _floats(n["logits"]), "probs": _floats(probs),
        "vocabulary_words": "、".join(words),
        "logit_list": _listed(words, n["logits"], 2),
        "top_word": words[order[0]], "top_prob": float(probs[order[0]]),
        "second_word": words[order[1]], "second_prob": float(probs[order[1]]),
        # the words whose vectors point along x + Δx (a positive logit) and those pointing away
        "near_words": _joined([w for w, z in zip(words, n["logits"]) if z > 0]),
        "far_words": _joined([w for w, z in zip(words, n["logits"]) if z <= 0]),
    }


def claims(example: Any, params: Any) -> list[str]:
    """The word the slide names (params.expect) is clearly the most likely next word, and it is the
    word the prompt leaves out of the example's sentence (the slide says so)."""
    import numpy as np

    try:
        n = next_word_numbers(example, params.vocabulary)
    except (ValueError, KeyError) as error:
        return [f"attention-to-next-word cannot compute its prompt's next word ({error})"]
    words, probs = n["words"], n["probs"]
    expect = str(params.expect)
    found = []
    if expect not in words:
        return [f"params.expect {expect} is not in the slide's vocabulary ({'、'.join(words)})"]
    at = words.index(expect)
    order = np.argsort(-probs, kind="stable")
    if int(order[0]) != at:
        found.append(f"{words[order[0]]} ({probs[order[0]]:.2f}) is now more likely than {expect} "
                     f"({probs[at]:.2f}) after 「{''.join(n['prompt'])}」, but the slide says {expect}; "
                     "edit the vocabulary's vectors or params.expect")
    elif probs[at] - probs[order[1]] < VISIBLE:
        found.append(f"{expect} ({probs[at]:.2f}) is hardly more likely than {words[order[1]]} "
                     f"({probs[order[1]]:.2f}): the two look tied on screen")
    if expect != n["left_out"]:
        found.append(f"the slide completes 「{''.join(n['prompt'])}」 with {expect}, but the example's "
                     f"sentence goes on with {n['left_out']}")
    return found


def distinct_words(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Each vocabulary word once, and params.expect among them."""
    vocabulary = params.get("vocabulary") or []
    words = [entry.get("word") for entry in vocabulary if isinstance(entry, dict)]
    if len(set(words)) != len(words):
        yield "vocabulary", "params.vocabulary lists a word twice; give each word once"
    expect = params.get("expect")
    if isinstance(expect, str) and words and expect not in words:
        yield "expect", f"params.expect {expect} is not in params.vocabulary ({'、'.join(map(str, words))})"


SPEC = SlideSpec(
    # Numbers: the shared `example:` (its first sentence) and this slide's toy vocabulary matrix.
    params={
        "expect": Text(),
        "vocabulary": ListOf(Record({"word": Text(), "vector": ListOf(Number(minimum=-5, maximum=5), min_len=1)}),
                             min_len=3, max_len=6),
        "labels": Record({name: Text() for name in LABELS}),
    },
    rules=(distinct_words,),
    steps=("prompt", "attention", "weights", "delta", "add-x", "residual", "stack", "last-vector", "vocabulary",
           "logits", "softmax", "next-word"),
    facts=facts,
    uses_example=True,
    claims=claims,
)
