"""Scene tests read a finished scene only through what it promises: `scene.part(name)` for the
parts its class declares in `exposed`, and the API every scene has (SlideScene's and Manim's).
An ast scan of tests/test_scene_*.py; render_last_frame checks that construct sets each part."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from explainer.scenekit.slide_scene import SlideScene

TESTS = Path(__file__).resolve().parent
SCENE_TESTS = sorted(TESTS.glob("test_scene_*.py"))
SCENES = sorted((TESTS.parent / "scenes").glob("*.py"))

# What any scene has, whatever it draws: Manim's Scene API the tests use, and SlideScene's own
# attributes and methods (part among them).
SCENE_API = frozenset({
    "layout_findings", "step_marks", "mobjects", "renderer", "camera", "theme", "slide", "params", "play",
    "add", "render", "check_layout", "wait", "step_seconds",
}) | {name for name in vars(SlideScene) if not name.startswith("_")}
# Calls that give a rendered scene (texts_seen: the first of the pair it returns).
RENDERS = ("render_last_frame", "texts_seen")


def _called(node: ast.AST) -> str:
    if not isinstance(node, ast.Call):
        return ""
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def scene_names(tree: ast.AST) -> set[str]:
    """The names a test file uses for scenes: `scene`, whatever a render is assigned to, fixtures
    that return a render (their parameters), and names assigned from those."""
    names = {"scene"}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(n, ast.Return) and _called(n.value) in RENDERS for n in ast.walk(node)):
            names.add(node.name)
    assigns = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)]
    while True:
        before = len(names)
        for node in assigns:
            value = node.value
            gives_scene = _called(value) in RENDERS or (isinstance(value, ast.Name) and value.id in names)
            if not gives_scene:
                continue
            for target in node.targets:
                if isinstance(target, ast.Tuple) and target.elts:   # scene, snapshots = texts_seen(...)
                    target = target.elts[0]
                if isinstance(target, ast.Name):
                    names.add(target.id)
        if len(names) == before:
            return names


def undeclared_reads(source: str) -> list[str]:
    """Where a test reads a scene's attribute that is neither its API nor `part`, as 'LINE: name.attr'."""
    tree = ast.parse(source)
    names = scene_names(tree)
    found = [f"{node.lineno}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
             and node.value.id in names and node.attr not in SCENE_API]
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def test_the_scan_finds_ad_hoc_reads_and_accepts_parts():
    offending = (
        "def test_a(tmp_path):\n"
        "    scene = render_last_frame('x', tmp_path)\n"
        "    assert scene.cards\n"                                        # 3
        "    assert scene.part('cards') and scene.layout_findings == []\n"
        "def test_b(tmp_path, monkeypatch):\n"
        "    shown, snapshots = texts_seen('x', tmp_path, monkeypatch)\n"
        "    assert shown.rows_shown and shown.step_marks\n"               # 7
        "@pytest.fixture\n"
        "def rendered(tmp_path_factory):\n"
        "    return render_last_frame('x', tmp_path_factory.mktemp('x'))\n"
        "def test_c(rendered):\n"
        "    default = rendered\n"
        "    assert rendered.ghost and default.bars.value_labels and default.part('bars')\n"   # 13
        "def helper(scene):\n"
        "    return [s.get_value() for s in scene.numbers]\n"              # 15
    )
    assert undeclared_reads(offending) == [
        "3: scene.cards", "7: shown.rows_shown", "13: rendered.ghost", "13: default.bars", "15: scene.numbers"]


@pytest.mark.parametrize("test_file", SCENE_TESTS, ids=[path.stem for path in SCENE_TESTS])
def test_scene_tests_read_only_declared_parts(test_file):
    found = undeclared_reads(test_file.read_text(encoding="utf-8"))
    assert found == [], (f"{test_file.name} reads scene attributes the scene does not declare; read them "
                         f"with scene.part(\"name\") and list them in the scene class's `exposed`:\n"
                         + "\n".join(found))


def declared_parts(source: str) -> dict[str, object]:
    """Each scene class's `exposed = (...)` in a scene file, as the literal it is (None if not one)."""
    found: dict[str, object] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "exposed" for t in item.targets):
                    try:
                        found[node.name] = ast.literal_eval(item.value)
                    except ValueError:
                        found[node.name] = None
    return found


@pytest.mark.parametrize("scene_file", SCENES, ids=[path.stem for path in SCENES])
def test_exposed_parts_are_literal_distinct_names_that_shadow_no_api(scene_file):
    for cls, exposed in declared_parts(scene_file.read_text(encoding="utf-8")).items():
        assert isinstance(exposed, tuple) and all(isinstance(n, str) and n.isidentifier() for n in exposed), \
            f"{scene_file.name}: {cls}.exposed must be a literal tuple of attribute names"
        assert len(set(exposed)) == len(exposed), f"{scene_file.name}: {cls}.exposed repeats a name"
        clash = sorted(set(exposed) & (SCENE_API | set(dir(SlideScene))))
        assert not clash, f"{scene_file.name}: {cls}.exposed names the scene's own API: {clash}"
