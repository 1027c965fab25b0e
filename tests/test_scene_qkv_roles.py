"""qkv-roles: Q, K, V cards in their colours, each with its meaning and analogy."""

from __future__ import annotations

from explainer.script.load import declared_steps
from scenes_support import assert_renders_cleanly, lecture, render_last_frame

SLIDE = "qkv-roles"


def text_of(paragraph) -> str:
    return "".join(line.original_text for line in paragraph)


def test_cards_hold_their_text_in_their_colours(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    cards = lecture().slide(SLIDE).params.cards
    theme = lecture().theme
    shown = scene.part("cards")
    assert len(shown) == 3
    for card, spec, role in zip(shown, cards, ("query", "key", "value")):
        frame, _badge, name, _icon, meaning, _rule, analogy = card
        assert name.original_text == spec.name
        assert text_of(meaning) == spec.meaning
        assert text_of(analogy) == spec.analogy
        assert frame.get_stroke_color().to_hex().upper() == theme.palette[role].upper()
        assert name.get_color().to_hex().upper() == theme.palette[role].upper()
    # Left to right: Q, K, V.
    assert shown[0].get_x() < shown[1].get_x() < shown[2].get_x()
    assert [name for name, *_ in scene.step_marks] == declared_steps(lecture(), lecture().slide(SLIDE))
    assert scene.part("veils") == [] or all(v not in scene.mobjects for v in scene.part("veils"))


def test_changed_card_text_changes_the_scene(tmp_path):
    params = dict(lecture().slide(SLIDE).params)
    cards = [dict(c) for c in params["cards"]]
    cards[2]["analogy"] = "圖書館書架上的那本書"
    params["cards"] = cards
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert text_of(scene.part("cards")[2][6]) == "圖書館書架上的那本書"
    assert scene.layout_findings == []


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("qkv-roles", tmp_path)
