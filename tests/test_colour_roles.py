"""One colour per meaning: the theme declares roles with distinct colours, and scenes name roles,
never colours (an ast scan of scenes/*.py, reported per scene)."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import numpy as np
import pytest

from explainer.script.theme import DEFAULT_PALETTE, MEANING_ROLES, NEUTRAL_ROLES, ROLE_MEANINGS, Theme

ROOT = Path(__file__).resolve().parents[1]
SCENES = sorted((ROOT / "scenes").glob("*.py"))

# Colours a scene may name without a role: none. (Theme names that are not roles are errors too.)
MANIM_COLOUR_NAMES = frozenset({
    "BLACK", "WHITE", "GRAY", "GREY", "BLUE", "TEAL", "GREEN", "YELLOW", "GOLD", "RED", "MAROON",
    "PURPLE", "PINK", "ORANGE", "LIGHT_PINK", "LIGHT_BROWN", "DARK_BROWN", "GRAY_BROWN", "GREY_BROWN",
    "DARK_BLUE", "DARK_GRAY", "DARK_GREY", "DARKER_GRAY", "DARKER_GREY", "LIGHT_GRAY", "LIGHT_GREY",
    "LIGHTER_GRAY", "LIGHTER_GREY", "LOGO_WHITE", "LOGO_GREEN", "LOGO_BLUE", "LOGO_RED", "LOGO_BLACK",
    "PURE_RED", "PURE_GREEN", "PURE_BLUE",
}) | {f"{hue}_{shade}" for hue in ("BLUE", "TEAL", "GREEN", "YELLOW", "GOLD", "RED", "MAROON", "PURPLE",
                                   "GRAY", "GREY") for shade in "ABCDE"}
# Animations that flash Manim's default yellow unless given a colour (a role).
DEFAULT_COLOUR_ANIMATIONS = frozenset({"Indicate", "Flash", "Circumscribe", "FocusOn"})
# Calls that make a colour no role has (a mix of two roles means neither).
COLOUR_MAKERS = frozenset({"ManimColor", "interpolate_color", "rgb_to_color", "hex_to_color", "average_color",
                           "color_gradient", "random_color", "random_bright_color"})


def _lab(hex_colour: str) -> np.ndarray:
    """CIE L*a*b* (D65) of an sRGB colour, to compare colours as the eye does."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_theme_declares_every_role_once_with_a_meaning():
    assert set(MEANING_ROLES) | set(NEUTRAL_ROLES) == set(DEFAULT_PALETTE)
    assert not set(MEANING_ROLES) & set(NEUTRAL_ROLES)
    assert set(ROLE_MEANINGS) == set(DEFAULT_PALETTE)
    for role in ("query", "key", "value", "input", "attention", "probability", "output", "highlight"):
        assert role in MEANING_ROLES
    theme = Theme()
    assert theme.query == DEFAULT_PALETTE["query"] and theme.probability == DEFAULT_PALETTE["probability"]


def test_no_two_roles_share_a_colour():
    # ΔE*76 ≥ 28 keeps every pair apart side by side: at 18 attention pink and Value red, Query
    # yellow and highlight orange, and Value and bad were told apart only by looking twice. The
    # closest pair now is Value and bad (≈ 29.8). The two surfaces are meant to be close.
    labs = {role: _lab(colour) for role, colour in DEFAULT_PALETTE.items()}
    close = [(round(float(np.linalg.norm(labs[a] - labs[b])), 1), a, b)
             for a, b in itertools.combinations(labs, 2)
             if np.linalg.norm(labs[a] - labs[b]) < 28 and {a, b} != {"background", "panel"}]
    assert close == [], f"roles too alike (ΔE, role, role): {close}"


def _luminance(hex_colour: str) -> float:
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def test_every_role_reads_on_the_background():
    # WCAG's 4.5:1 for text: every role is drawn as text somewhere (a label, a number) on the
    # background, except the surfaces themselves.
    background = _luminance(DEFAULT_PALETTE["background"]) + 0.05
    faint = {role: round((_luminance(colour) + 0.05) / background, 1)
             for role, colour in DEFAULT_PALETTE.items()
             if role not in ("background", "panel") and (_luminance(colour) + 0.05) / background < 4.5}
    assert faint == {}, f"roles too faint on the background (contrast): {faint}"


def colour_offences(source: str, roles: frozenset[str] = frozenset(DEFAULT_PALETTE)) -> list[str]:
    """Where a scene names a colour instead of a role, as 'LINE: what'."""
    tree = ast.parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if text.startswith("#") and len(text) in (4, 7, 9) and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
                found.append(f"{node.lineno}: hex colour {text!r}")
        elif isinstance(node, ast.Name) and node.id in MANIM_COLOUR_NAMES:
            found.append(f"{node.lineno}: Manim colour {node.id}")
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in COLOUR_MAKERS:
                found.append(f"{node.lineno}: {name}(...) makes a colour no role has")
            elif name in DEFAULT_COLOUR_ANIMATIONS and not any(k.arg in ("color", "colour") for k in node.keywords):
                found.append(f"{node.lineno}: {name}(...) without color= flashes Manim's default yellow")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in ("th", "theme") and node.attr not in roles \
                and node.attr not in ("palette", "sizes", "font", "as_key_data"):
            found.append(f"{node.lineno}: theme.{node.attr} is not a colour role")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "palette" and isinstance(node.slice, ast.Constant) \
                and node.slice.value not in roles:
            found.append(f"{node.lineno}: palette[{node.slice.value!r}] is not a colour role")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_the_scan_finds_colours_and_accepts_roles():
    offending = 'from manim import *\nx = Dot(color=YELLOW)\ny = Line(color="#FF0000")\n' \
                'z = interpolate_color(a, b, 0.5)\nw = th.blue\nv = self.theme.palette["teal"]\n' \
                'self.play(Indicate(card))\n'
    assert [line.split(":")[0] for line in colour_offences(offending)] == ["2", "3", "4", "5", "6", "7"]
    clean = 'a = cjk("字", role="probability")\nb = Dot(color=th.query)\nc = th.palette["attention"]\n' \
            'd = "#1 in the list"\ne = Indicate(card, color=th.highlight)\n'
    assert colour_offences(clean) == []


@pytest.mark.parametrize("scene_file", SCENES, ids=[path.stem for path in SCENES])
def test_scenes_name_colour_roles_not_colours(scene_file):
    offences = colour_offences(scene_file.read_text(encoding="utf-8"))
    assert offences == [], f"{scene_file.name} names colours, not roles:\n" + "\n".join(offences)



def test_the_scripts_palette_names_every_role():
    from explainer.script.yamlpos import load_yaml

    palette = load_yaml(ROOT / "script.yaml", "script.yaml")["theme"]["palette"]
    assert set(palette) == set(DEFAULT_PALETTE), "script.yaml's palette should list every role the scenes use"
