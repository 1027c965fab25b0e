"""Renders one slide's scene in-process at a tiny size and collects its layout findings."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from manim import tempconfig

from explainer.script.load import Lecture, load_lecture

ROOT = Path(__file__).resolve().parents[1]
# One cache per pytest-xdist worker: Manim writes a formula's .tex/.svg without locking, so two
# processes compiling the same formula into one folder could read each other's half-written file.
SHARED_CACHE = Path(tempfile.gettempdir()) / \
    f"explainer-test-cache-{os.getuid()}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
_lecture: Lecture | None = None
# A slide's scene with its scripted params is rendered once per test process and shared by the
# slide's tests, which inspect the same finished scene (it is not modified). They live in one file
# so that pytest-xdist's `--dist loadfile` keeps them in one process.
_scripted_renders: dict[str, object] = {}


def lecture() -> Lecture:
    """The project's script.yaml, loaded once."""
    global _lecture
    if _lecture is None:
        _lecture = load_lecture(ROOT / "script.yaml")
    return _lecture


def scene_class(slide_id: str) -> type:
    """Import the scene class of a slide from scenes/."""
    slide = lecture().slide(slide_id)
    module_path = ROOT / "scenes" / f"{slide_id.replace('-', '_')}.py"
    name = f"scenes_{module_path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, module_path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return getattr(sys.modules[name], slide.scene)


def render_last_frame(slide_id: str, media_dir: Path, params: dict | None = None, fresh: bool = False):
    """Run the slide's whole construct (animations skipped), checking layout after each one.

    Returns the scene: `scene.layout_findings`, `scene.step_marks`, its mobjects and the parts
    its class exposes (`scene.part(name)`) are there to inspect. `params` replaces the slide's
    params (to try other data). With the scripted params, a slide is rendered once per session
    (into the first caller's `media_dir`).
    """
    if params is None and not fresh and slide_id in _scripted_renders:
        return _scripted_renders[slide_id]
    from dataclasses import replace

    from explainer.script.load import Params

    slide = lecture().slide(slide_id)
    if params is not None:
        slide = replace(slide, params=Params(params))
    cls = scene_class(slide_id)
    settings = {
        "media_dir": str(media_dir),
        # Within one test process renders run one after another, so they share these caches.
        "tex_dir": str(SHARED_CACHE / "Tex"),
        "text_dir": str(SHARED_CACHE / "texts"),
        "pixel_width": 854,
        "pixel_height": 480,
        "frame_rate": 15,
        "format": "png",
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    with tempconfig(settings):
        scene = cls(slide=slide, theme=lecture().theme)
        scene.check_layout = True
        scene.render()
    # What the scene declares for its tests (SlideScene.exposed) must be what construct set.
    unset = [name for name in type(scene).exposed if name not in vars(scene)]
    assert not unset, (f"{slide_id}: {cls.__name__}.exposed declares {', '.join(unset)}, but its construct "
                       f"never set {', '.join(f'self.{name}' for name in unset)}")
    # The manim-free declaration `check` tests narration against must be what the scene marks.
    from explainer.script.load import declared_steps

    marked = [name for name, _, _ in scene.step_marks]
    assert marked == declared_steps(lecture(), slide), f"{slide_id}: steps marked {marked}"
    if params is None and not fresh:
        _scripted_renders[slide_id] = scene
    return scene


def assert_renders_cleanly(slide_id: str, media_dir: Path) -> None:
    """The check every slide's test file runs: its scene renders its last frame, marks its steps
    and passes the layout check after every animation."""
    scene = render_last_frame(slide_id, media_dir)
    assert scene.step_marks, "the scene marks no steps (call self.step(...))"
    assert scene.layout_findings == [], "\n".join(scene.layout_findings)
    assert scene.renderer.file_writer.image_file_path.is_file(), "no last frame was written"
