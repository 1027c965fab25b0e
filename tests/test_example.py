"""The shared running example (script.yaml `example:`): its numbers by hand, its validation, the
claims `check` warns about, and that it enters the frame keys of exactly the slides drawing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explainer.app.cli import main
from explainer.script.example import sentence_numbers
from explainer.script.load import ScriptInvalid, load_lecture
from explainer.script.model import Params
from explainer.script.scan import find_scene_classes
from explainer.script.specfiles import load_spec
from keys_support import copy_project, keys_of
from pipeline_support import edit

ROOT = Path(__file__).resolve().parents[1]
# The scene classes whose spec says they draw the shared example.
USERS = {name for name, scene in find_scene_classes(ROOT / "scenes").items() if load_spec(scene.module).uses_example}


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)




def scripted_example() -> Params:
    lecture = load_lecture(ROOT / "script.yaml")
    example = lecture.slide("qkv-flow").example
    assert example is not None
    return example


def test_the_numbers_by_hand():
    example = scripted_example()
    n = sentence_numbers(example, 0)
    # Worked independently: each product written out for 蘋果 (row 3) and 吃 (row 2).
    x = {t: np.array(example.embeddings[t], float) for t in n["tokens"]}
    w_q, w_k, w_v = (np.array(m, float) for m in (example.w_q, example.w_k, example.w_v))
    q = [x["蘋果"][0] * w_q[0, j] + x["蘋果"][1] * w_q[1, j] for j in range(2)]
    k = {t: [x[t][0] * w_k[0, j] + x[t][1] * w_k[1, j] for j in range(2)] for t in x}
    v = {t: [x[t][0] * w_v[0, j] + x[t][1] * w_v[1, j] for j in range(2)] for t in x}
    scores = [q[0] * k[t][0] + q[1] * k[t][1] for t in n["tokens"]]
    exps = [np.exp(s / np.sqrt(2)) for s in scores]
    weights = [e / sum(exps) for e in exps]
    delta = [sum(w * v[t][d] for w, t in zip(weights, n["tokens"])) for d in range(2)]
    assert n["Q"][3] == pytest.approx(q) and n["K"][2] == pytest.approx(k["吃"])
    assert n["scores"][3] == pytest.approx(scores)
    assert n["weights"][3] == pytest.approx(weights)
    assert n["delta"][3] == pytest.approx(delta)
    assert n["updated"][3] == pytest.approx(x["蘋果"] + np.array(delta))
    # With the scripted numbers: q = (-1.2, .3); scores -.72 .045 2.22 1.71; weights .06 .11 .49 .34.
    assert n["Q"][3] == pytest.approx([-1.2, 0.3])
    assert n["scores"][3] == pytest.approx([-0.72, 0.045, 2.22, 1.71])
    assert list(n["shown_weights"][3]) == [0.06, 0.11, 0.49, 0.34]
    assert n["shown_weights"].sum(axis=1) == pytest.approx(np.ones(4))   # every row, as shown, adds to 1


def test_the_scripted_example_keeps_every_claim():
    lecture = load_lecture(ROOT / "script.yaml")
    assert lecture.warnings == ()
    classes = find_scene_classes(lecture.scenes_dir)
    claimed = 0
    for slide in lecture.slides:
        claims = load_spec(classes[slide.scene].module).claims
        if slide.example is not None and claims is not None:
            assert claims(slide.example, slide.params) == [], slide.id
            claimed += 1
    # qkv-flow, qkv-projection, scaled-dot-product, apple-in-context, causal-mask, multi-head,
    # attention-to-next-word
    assert claimed == 7


def test_a_degenerate_example_warns_but_check_still_passes(project, capsys):
    script = project / "script.yaml"
    # W_Q = 0: every score is 0, so every word attends to every word equally.
    edit(script, "w_q: [[-1.5, -0.5], [-0.5, 1.0]]", "w_q: [[0.0, 0.0], [0.0, 0.0]]")
    lecture = load_lecture(script)
    lines = [str(w) for w in lecture.warnings]
    line = next(i for i, text in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("example:"))
    assert any(text.startswith(f"{script}:{line}:") and ": warning: slide 'apple-in-context': 蘋果 no longer "
               "attends most to 吃" in text for text in lines), lines
    assert any("slide 'apple-in-context'" in text and "手機" in text for text in lines)
    assert any("slide 'scaled-dot-product'" in text and "same attention weights" in text for text in lines)
    assert main(["check", "--script", str(script)]) == 0
    err = capsys.readouterr().err
    assert "warning: slide 'apple-in-context': 蘋果 no longer attends most to 吃" in err


def test_a_broken_example_is_an_error_with_its_line(project):
    script = project / "script.yaml"
    edit(script, "w_k: [[-1.0, 1.0], [-1.5, -1.5]]", "w_k: [[-1.0, 1.0, 0.5], [-1.5, -1.5, 0.5]]")
    edit(script, "    手機: [0.2, 1.3]\n", "")
    with pytest.raises(ScriptInvalid) as raised:
        load_lecture(script)
    text = "\n".join(str(p) for p in raised.value.problems)
    assert "example.w_k must be 2 rows (one per embedding number) of 2 numbers" in text
    assert "example.embeddings has no vector for '手機'" in text
    assert all(str(p).startswith(f"{script}:") and p.pos is not None for p in raised.value.problems)


def test_editing_the_example_changes_the_keys_of_exactly_its_slides(project):
    before = keys_of(project / "script.yaml")
    lecture = load_lecture(project / "script.yaml")
    users = {s.id for s in lecture.slides if s.scene in USERS}
    assert {"qkv-flow", "qkv-projection", "scaled-dot-product", "apple-in-context"} <= users
    edit(project / "script.yaml", "吃: [1.3, 0.2]", "吃: [1.3, 0.3]")
    after = keys_of(project / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == users


def test_editing_the_heads_changes_the_keys_of_only_the_slides_drawing_them(project):
    before = keys_of(project / "script.yaml")
    edit(project / "script.yaml", "w_v: [[1, 0.5], [0.5, 1]]", "w_v: [[1, 0.4], [0.4, 1]]")
    after = keys_of(project / "script.yaml")
    assert {s for s in before if before[s] != after[s]} == {"multi-head", "recap"}
    # and the slides that draw only the core example never see the heads
    lecture = load_lecture(ROOT / "script.yaml")
    assert "heads" not in lecture.slide("qkv-flow").example and "heads" in lecture.slide("recap").example


def test_a_scene_drawing_the_heads_needs_them_in_the_example(project):
    script = project / "script.yaml"
    text = script.read_text(encoding="utf-8")
    start, end = text.index("  # Multi-head attention over the first sentence"), text.index("  # `explainer check` warns")
    script.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ScriptInvalid) as raised:
        load_lecture(script)
    messages = [str(p) for p in raised.value.problems]
    assert any("draws the example's heads and w_o; add `heads:` and `w_o:` under the top-level `example:`" in m
               for m in messages), messages


def test_slides_without_the_example_keep_their_on_screen_data():
    lecture = load_lecture(ROOT / "script.yaml")
    for slide in lecture.slides:
        assert ("example" in slide.on_screen_data()) == (slide.scene in USERS), slide.id
