"""Apple-in-context slide: 蘋果's weights by hand, its output moving toward each sentence's meaning."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from scenes_support import lecture, render_last_frame, scene_class

PARAMS = lecture().slide("apple-in-context").params
context_vector = __import__(scene_class("apple-in-context").__module__).context_vector


def test_sentence_one_by_hand():
    # q = 蘋果 = (0.9, 0.9); q·k: 我 0.18, 喜歡 0.45, 吃 1.53, 蘋果 1.62.
    # e^s = 1.197, 1.568, 4.618, 5.053 (sum 12.437) → weights 0.096, 0.126, 0.371, 0.406.
    sentence = PARAMS.sentences[0]
    result = context_vector(sentence.tokens, sentence.vectors, PARAMS.word)
    np.testing.assert_allclose(result["scores"], [0.18, 0.45, 1.53, 1.62])
    np.testing.assert_allclose(result["weights"], [0.096, 0.126, 0.371, 0.406], atol=1e-3)
    # output = Σ w·v = (1.007, 0.438)
    np.testing.assert_allclose(result["output"], [1.007, 0.438], atol=1e-3)


def test_sentence_two_by_hand():
    # q·k: 他 0.18, 買了 0.63, 一台 0.63, 蘋果 1.62, 手機 1.62 → 0.080, 0.125, 0.125, 0.336, 0.336.
    sentence = PARAMS.sentences[1]
    result = context_vector(sentence.tokens, sentence.vectors, PARAMS.word)
    np.testing.assert_allclose(result["weights"], [0.080, 0.125, 0.125, 0.336, 0.336], atol=1e-3)
    assert result["weights"].sum() == pytest.approx(1.0)


def _angle(v) -> float:
    return float(np.degrees(np.arctan2(v[1], v[0])))


def test_output_moves_toward_each_sentences_meaning():
    first, second = (context_vector(s.tokens, s.vectors, PARAMS.word) for s in PARAMS.sentences)
    # Sentence 1 pulls toward axis 1 (水果): more x, and the direction turns toward x.
    assert first["output"][0] > first["query"][0]
    assert _angle(first["output"]) < _angle(first["query"]) - 15
    # Sentence 2 pulls toward axis 2 (科技品牌).
    assert second["output"][1] > second["query"][1]
    assert _angle(second["output"]) > _angle(second["query"]) + 15


def _weights_shown(scene) -> list[float]:
    return [round(m.get_value(), 6) for top in scene.mobjects for m in top.get_family()
            if isinstance(m, DecimalNumber)]


def test_rendered_scene_ends_on_sentence_two(tmp_path):
    scene = render_last_frame("apple-in-context", tmp_path)
    assert [n for n, *_ in scene.step_marks][-2:] == ["sentence-1", "sentence-2"]
    assert scene.layout_findings == []
    sentence = PARAMS.sentences[1]
    expected = context_vector(sentence.tokens, sentence.vectors, PARAMS.word)["weights"]
    assert sorted(_weights_shown(scene)) == pytest.approx(sorted(expected), abs=1e-6)
    # Another vector for 手機 changes the weights shown.
    params = {**dict(PARAMS), "sentences": [dict(PARAMS.sentences[0]), dict(PARAMS.sentences[1])]}
    params["sentences"][1]["vectors"] = [list(v) for v in sentence.vectors[:-1]] + [[0.1, 0.6]]
    other = render_last_frame("apple-in-context", tmp_path / "other", params=params)
    changed = context_vector(sentence.tokens, params["sentences"][1]["vectors"], PARAMS.word)["weights"]
    assert sorted(_weights_shown(other)) == pytest.approx(sorted(changed), abs=1e-6)
    assert not np.allclose(sorted(changed), sorted(expected))
