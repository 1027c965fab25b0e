"""Layout check on a live scene: text inside the frame, readable, not overlapping other text, and
not crossed by a shape (box, arrow, bar, line) that does not enclose it; at animation ends and,
for what collides while it moves, at each animation's midpoint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from manim import DecimalNumber, MarkupText, MathTex, Mobject, SingleStringMathTex, Text, VMobject, config

FRAME_MARGIN = 0.15          # Manim units kept clear at every frame edge
MIN_GLYPH_FRACTION = 0.028   # "about 3%" of the frame height, for a text's ordinary glyphs
OVERLAP_TOLERANCE = 0.03     # boxes may touch by this much (anti-aliasing, tight layouts)
CROSSING_TOLERANCE = 0.01    # a line may graze a glyph's ink box by this much
STROKE_UNIT = 0.01           # Cairo draws stroke_width 1 as 0.01 Manim units wide
TEXT_TYPES = (Text, MarkupText, SingleStringMathTex, DecimalNumber)
SAMPLES_PER_CURVE = 4        # a cubic Bézier is tested as this many straight pieces
COVER_OPACITY = 0.8          # a fill this opaque drawn over a text hides it (a dimming veil does not)


@dataclass(frozen=True)
class Finding:
    """One defect: what kind, which text (as the viewer reads it), and the details."""

    kind: str      # "margin" | "small" | "overlap" | "crossing" | "overflow"
    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.text} {self.detail}"


def visible(mobject: Mobject) -> bool:
    """Whether any part of the mobject is drawn with noticeable opacity."""
    for part in mobject.get_family():
        if not part.has_points():   # a group, or Manim's empty placeholder: draws nothing itself
            continue
        if not isinstance(part, VMobject):   # an image or a point cloud: no fill or stroke to fade
            return True
        if max(float(part.get_fill_opacity()), float(part.get_stroke_opacity())) > 0.05:
            return True
    return False


def text_objects(mobjects: list[Mobject]) -> list[Mobject]:
    """The outermost text and math objects on screen (not descending into them)."""
    return [t for t, _ in _walk(mobjects)[0]]


def _drawn_in_order(mobjects: Iterable[Mobject]) -> list[Mobject]:
    """What the camera draws, in its order: every family flattened (a text counts as one), a
    mobject listed twice drawn at its last place, then stably sorted by z_index, as Manim's
    Camera does (extract_mobject_family_members with use_z_index)."""
    flat: list[Mobject] = []

    def walk(mobject: Mobject) -> None:
        flat.append(mobject)
        if not isinstance(mobject, TEXT_TYPES):
            for child in mobject.submobjects:
                walk(child)

    for mobject in mobjects:
        walk(mobject)
    seen: set[int] = set()
    last_places: list[Mobject] = []
    for mobject in reversed(flat):
        if id(mobject) not in seen:
            seen.add(id(mobject))
            last_places.append(mobject)
    last_places.reverse()
    return sorted(last_places, key=lambda m: getattr(m, "z_index", 0))


def _walk(mobjects: Iterable[Mobject]) -> tuple[list[tuple[Mobject, int]], list[tuple[VMobject, int]]]:
    """Visible texts and visible shapes (leaves, and groups with an outline of their own), each
    with its drawing order (later is on top)."""
    texts: list[tuple[Mobject, int]] = []
    shapes: list[tuple[VMobject, int]] = []
    for order, mobject in enumerate(_drawn_in_order(mobjects)):
        if isinstance(mobject, TEXT_TYPES):
            if visible(mobject):
                texts.append((mobject, order))
        elif isinstance(mobject, VMobject) and mobject.has_points() and _shape_visible(mobject):
            shapes.append((mobject, order))
    return texts, shapes


def _shape_visible(shape: VMobject) -> bool:
    stroke = float(shape.get_stroke_opacity()) if shape.get_stroke_width() > 0 else 0.0
    return max(stroke, _fill(shape)) > 0.05


def _fill(shape: VMobject) -> float:
    return float(shape.get_fill_opacity())


def _box(mobject: Mobject) -> tuple[float, float, float, float]:
    points = np.concatenate([m.points for m in mobject.get_family() if m.has_points()])
    return points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()


def describe(mobject: Mobject) -> str:
    """A text as the viewer reads it: Text('一次看見全部'), MathTex('P_i'), DecimalNumber(0.25)."""
    if hasattr(mobject, "paragraph_source"):
        lines = len(mobject.paragraph_lines)
        line = f" (line {mobject.line_index + 1} of {lines})" if lines > 1 else ""
        return f"text {mobject.paragraph_source[:40]!r}{line}"
    if isinstance(mobject, (Text, MarkupText)):
        return f"{type(mobject).__name__}({mobject.original_text[:30]!r})"
    if isinstance(mobject, SingleStringMathTex):
        return f"{type(mobject).__name__}({mobject.get_tex_string()[:30]!r})"
    if isinstance(mobject, DecimalNumber):
        return f"DecimalNumber({mobject.get_value():g})"
    return type(mobject).__name__


_name = describe  # older name


# -- glyph size as a reader sees it --------------------------------------------------------
@lru_cache(maxsize=8)
def _ordinary_glyph_per_point(kind: str, font: str) -> float:
    """Height per font point of an ordinary glyph: a CJK character for Chinese text, a digit for
    Latin text and math (not `=`, a flat leaf, nor `∑`, the tallest one)."""
    if kind == "math":
        sample: Mobject = MathTex("0", font_size=100)
    elif kind == "cjk":
        sample = Text("字", font=font, font_size=100)
    else:
        sample = Text("0", font=font, font_size=100)
    return sample.height / 100


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def reading_height(text: Mobject) -> float:
    """The height of the text's ordinary glyphs at its current size (0 if it cannot be told)."""
    try:
        size = float(text.font_size)
    except (AttributeError, ZeroDivisionError, TypeError):
        return _tallest_glyph(text)
    if not np.isfinite(size) or size <= 0:
        return _tallest_glyph(text)
    if isinstance(text, (Text, MarkupText)):
        kind = "cjk" if _has_cjk(text.original_text) else "latin"
        font = getattr(text, "font", "") or ""
    else:
        kind, font = "math", ""
    return size * _ordinary_glyph_per_point(kind, font)


def smallest_readable_size(text: str, font: str) -> float:
    """The smallest font size at which `text` (in `font`) passes the check's glyph-size rule:
    components shrink text no further than this."""
    kind = "cjk" if _has_cjk(text) else "latin"
    return MIN_GLYPH_FRACTION * config.frame_height / _ordinary_glyph_per_point(kind, font)


def _tallest_glyph(mobject: Mobject) -> float:
    leaves = [m for m in mobject.get_family() if m.has_points() and not m.submobjects]
    return max((m.height for m in leaves), default=0.0)


# -- shapes against glyphs ------------------------------------------------------------------
def _outline(shape: VMobject) -> np.ndarray:
    """The shape's outline as straight segments, shape (n, 2, 2)."""
    points = shape.points
    usable = len(points) - len(points) % 4
    if usable < 4:
        return np.zeros((0, 2, 2))
    curves = points[:usable, :2].reshape(-1, 4, 2)
    t = np.linspace(0.0, 1.0, SAMPLES_PER_CURVE + 1)[None, :, None]
    p0, p1, p2, p3 = (curves[:, i, None, :] for i in range(4))
    samples = (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3
    starts, ends = samples[:, :-1, :].reshape(-1, 2), samples[:, 1:, :].reshape(-1, 2)
    keep = np.any(np.abs(ends - starts) > 1e-9, axis=1)
    return np.stack([starts[keep], ends[keep]], axis=1)


def _segments_hit_boxes(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For each box (x0, x1, y0, y1), whether any segment passes through it."""
    if not len(segments) or not len(boxes):
        return np.zeros(len(boxes), dtype=bool)
    a, b = segments[:, 0, :][:, None, :], segments[:, 1, :][:, None, :]
    x0, x1, y0, y1 = (boxes[None, :, i] for i in range(4))
    # The segment's own box must meet the box...
    meets = (np.minimum(a[..., 0], b[..., 0]) <= x1) & (np.maximum(a[..., 0], b[..., 0]) >= x0) \
        & (np.minimum(a[..., 1], b[..., 1]) <= y1) & (np.maximum(a[..., 1], b[..., 1]) >= y0)
    # ...and the box's corners must not all lie on one side of the segment's line.
    dx, dy = b[..., 0] - a[..., 0], b[..., 1] - a[..., 1]
    sides = [dx * (cy - a[..., 1]) - dy * (cx - a[..., 0]) for cx in (x0, x1) for cy in (y0, y1)]
    stacked = np.stack(sides)
    straddles = ~(np.all(stacked > 0, axis=0) | np.all(stacked < 0, axis=0))
    return np.any(meets & straddles, axis=0)


def _inside(point: np.ndarray, segments: np.ndarray) -> bool:
    """Even-odd rule: whether `point` is inside the closed outline."""
    a, b = segments[:, 0, :], segments[:, 1, :]
    crosses = (a[:, 1] > point[1]) != (b[:, 1] > point[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        x = a[:, 0] + (point[1] - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
    return bool(np.count_nonzero(crosses & (x > point[0])) % 2)


def _glyph_boxes(text: Mobject) -> np.ndarray:
    leaves = [m for m in text.get_family() if m.has_points() and not m.submobjects]
    boxes = []
    for leaf in leaves:
        p = leaf.points
        boxes.append((p[:, 0].min(), p[:, 0].max(), p[:, 1].min(), p[:, 1].max()))
    return np.array(boxes, dtype=float).reshape(-1, 4)


def _crossing(text: Mobject, text_order: int, shape: VMobject, shape_order: int,
              glyphs: np.ndarray) -> str | None:
    """How `shape` spoils `text`: its outline runs through a glyph, or it covers the text."""
    segments = _outline(shape)
    if not len(segments):
        return None
    half = shape.get_stroke_width() * STROKE_UNIT / 2 if float(shape.get_stroke_opacity()) > 0.05 else 0.0
    grown = glyphs + np.array([-1, 1, -1, 1]) * (half - CROSSING_TOLERANCE)
    grown = grown[(grown[:, 1] > grown[:, 0]) & (grown[:, 3] > grown[:, 2])]
    if np.any(_segments_hit_boxes(segments, grown)):
        return "crosses"
    if shape_order > text_order and _fill(shape) >= COVER_OPACITY:
        centre = np.array([(glyphs[:, 0].min() + glyphs[:, 1].max()) / 2, (glyphs[:, 2].min() + glyphs[:, 3].max()) / 2])
        if _inside(centre, segments):
            return "covers"
    return None


def _shape_name(shape: VMobject) -> str:
    return type(shape).__name__


# -- the check ------------------------------------------------------------------------------
def _characters_fitting(text: Mobject, box: tuple[float, float, float, float],
                        inner: tuple[float, float, float, float]) -> int:
    """How many of a one-line text's characters lie inside the frame margin."""
    source = text.original_text if isinstance(text, (Text, MarkupText)) else ""
    x0, x1, y0, y1 = box
    ix0, ix1, iy0, iy1 = inner
    if y0 < iy0 - 1e-6 or y1 > iy1 + 1e-6:
        return 0
    width = x1 - x0
    inside = max(0.0, min(x1, ix1) - max(x0, ix0))
    return int(len(source) * inside / width) if width > 0 else len(source)


def check(mobjects: list[Mobject], *, moving: dict[int, int] | None = None,
          midpoint: bool = False) -> list[Finding]:
    """Every layout defect of `mobjects` as drawn now.

    At an animation's end (`midpoint=False`): every text inside the frame margin, its ordinary
    glyphs at least MIN_GLYPH_FRACTION of the frame tall, no two texts overlapping, and no shape
    crossing a text it does not enclose, nor covering it. At an animation's midpoint: texts must
    not overlap each other (a text moving over another is unreadable), and shapes
    that stay still must not cross a text that stays still; a moving shape may pass over a text
    on its way, and sizes and margins are judged at the ends. `moving` maps the ids of what the
    animations move to which animation moves them (parts of one morph may overlap each other).
    """
    texts, shapes = _walk(mobjects)
    moving = moving or {}
    findings: list[Finding] = []
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    inner = (-half_w + FRAME_MARGIN, half_w - FRAME_MARGIN, -half_h + FRAME_MARGIN, half_h - FRAME_MARGIN)
    boxes = {id(t): _box(t) for t, _ in texts}
    if not midpoint:
        paragraphs: dict[int, list[Mobject]] = {}
        for text, _ in texts:
            x0, x1, y0, y1 = boxes[id(text)]
            if x0 < inner[0] or x1 > inner[1] or y0 < inner[2] or y1 > inner[3]:
                if hasattr(text, "paragraph_key"):
                    paragraphs.setdefault(text.paragraph_key, []).append(text)
                    continue
                fit = _characters_fitting(text, boxes[id(text)], inner)
                findings.append(Finding("margin", describe(text),
                                        f"reaches outside the frame margin (x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f})"
                                        + (f": {fit} of {len(text.original_text)} characters fit"
                                           if isinstance(text, (Text, MarkupText)) else "")))
            glyph = reading_height(text)
            if 0 < glyph < MIN_GLYPH_FRACTION * config.frame_height:
                findings.append(Finding("small", describe(text),
                                        f"is too small: its glyphs are {glyph / config.frame_height:.1%} "
                                        f"of the frame height (needs {MIN_GLYPH_FRACTION:.1%})"))
        for lines in paragraphs.values():
            findings.append(_paragraph_outside(lines, texts, boxes, inner))
        reported: set[int] = set()
        for text, _ in texts:
            overflow = getattr(text, "paragraph_overflow", None)
            if overflow and text.paragraph_key not in reported:
                reported.add(text.paragraph_key)
                findings.append(Finding("overflow", describe(text), overflow))
    for (a, _), (b, _) in combinations(texts, 2):
        ax0, ax1, ay0, ay1 = boxes[id(a)]
        bx0, bx1, by0, by1 = boxes[id(b)]
        dx = min(ax1, bx1) - max(ax0, bx0)
        dy = min(ay1, by1) - max(ay0, by0)
        same_motion = midpoint and id(a) in moving and moving.get(id(a)) == moving.get(id(b))
        if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE and not same_motion:
            findings.append(Finding("overlap", describe(a), f"overlaps {describe(b)} by {dx:.2f} x {dy:.2f}"))
    findings.extend(_shape_findings(texts, shapes, boxes, moving, midpoint))
    return findings


def _paragraph_outside(lines: list[Mobject], texts: list[tuple[Mobject, int]], boxes: dict,
                       inner: tuple[float, float, float, float]) -> Finding:
    """One finding for a wrapped text running off the frame: how many of its characters fit."""
    first = lines[0]
    key = first.paragraph_key
    on_screen = [t for t, _ in texts if getattr(t, "paragraph_key", None) == key]
    outside = {id(t) for t in lines}
    total = sum(len(line) for line in first.paragraph_lines)
    fit = sum(len(t.original_text) if id(t) not in outside else _characters_fitting(t, boxes[id(t)], inner)
              for t in on_screen)
    side = _side(lines, boxes, inner)
    return Finding("margin", f"text {first.paragraph_source[:40]!r}",
                   f"({total} characters, {len(first.paragraph_lines)} lines) runs off the {side} of the frame: "
                   f"{fit} of {total} characters fit")


def _side(lines: list[Mobject], boxes: dict, inner: tuple[float, float, float, float]) -> str:
    x0 = min(boxes[id(t)][0] for t in lines)
    x1 = max(boxes[id(t)][1] for t in lines)
    y0 = min(boxes[id(t)][2] for t in lines)
    y1 = max(boxes[id(t)][3] for t in lines)
    for name, out in (("bottom", y0 < inner[2]), ("right", x1 > inner[1]), ("top", y1 > inner[3]),
                      ("left", x0 < inner[0])):
        if out:
            return name
    return "edge"


def _shape_findings(texts: list[tuple[Mobject, int]], shapes: list[tuple[VMobject, int]], boxes: dict,
                    moving: dict[int, int], midpoint: bool) -> list[Finding]:
    findings: list[Finding] = []
    if not shapes or not texts:
        return findings
    shape_boxes = np.array([(s.points[:, 0].min(), s.points[:, 0].max(), s.points[:, 1].min(), s.points[:, 1].max())
                            for s, _ in shapes])
    for text, text_order in texts:
        if midpoint and id(text) in moving:
            continue
        x0, x1, y0, y1 = boxes[id(text)]
        near = np.nonzero((shape_boxes[:, 0] < x1) & (shape_boxes[:, 1] > x0)
                          & (shape_boxes[:, 2] < y1) & (shape_boxes[:, 3] > y0))[0]
        if not len(near):
            continue
        glyphs = _glyph_boxes(text)
        for index in near:
            shape, shape_order = shapes[index]
            if midpoint and id(shape) in moving:
                continue
            how = _crossing(text, text_order, shape, shape_order, glyphs)
            if how:
                verb = "crossed" if how == "crosses" else "covered"
                findings.append(Finding("crossing", describe(text), f"is {verb} by a {_shape_name(shape)} "
                                        f"at ({shape.get_x():.2f}, {shape.get_y():.2f})"))
                break
    return findings


def moving_ids(animations: Iterable[object], mobjects: Iterable[Mobject]) -> dict[int, int]:
    """What an animation (or an updater) moves now: the id of every member of its family, mapped
    to which animation moves it (texts morphing within one animation are one thing in motion)."""
    ids: dict[int, int] = {}

    def add_animation(animation: object, group: int) -> None:
        for inner in getattr(animation, "animations", None) or []:
            add_animation(inner, group)
        mobject = getattr(animation, "mobject", None)
        if isinstance(mobject, Mobject):
            for member in mobject.get_family():
                ids.setdefault(id(member), group)

    for index, animation in enumerate(animations):
        add_animation(animation, index)
    for mobject in mobjects:
        for member in mobject.get_family():
            if member.updaters:
                for part in member.get_family():
                    ids.setdefault(id(part), -1 - id(member))
    return ids
