"""The render process: renders one slide's scene with Manim into its own folder and reports back.

Run by render.py as `python -m explainer.worker REQUEST.json`; writes the result JSON the request
names. Only this process imports Manim and the scene module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any


def _load_scene_class(module_path: Path, class_name: str) -> type:
    name = f"explainer_scene_{module_path.stem}"
    spec = importlib.util.spec_from_file_location(name, module_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {module_path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return getattr(module, class_name)


def render(request: dict[str, Any]) -> dict[str, Any]:
    """Render the requested slide; return where the movie (or still) is and the step times."""
    os.environ["EXPLAINER_SCRIPT"] = request["script"]
    os.environ["EXPLAINER_SLIDE"] = request["slide"]
    if request.get("stop_after_step"):
        os.environ["EXPLAINER_STOP_AFTER_STEP"] = str(request["stop_after_step"])
    from manim import config

    config.media_dir = request["media_dir"]
    config.pixel_width = request["width"]
    config.pixel_height = request["height"]
    config.frame_rate = request["fps"]
    config.format = "png" if request.get("still") else "mp4"
    config.output_file = request["slide"]
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    config.disable_caching = bool(request.get("no_cache"))
    scene_class = _load_scene_class(Path(request["scene_file"]), request["scene_class"])
    scene = scene_class()
    scene.render()
    writer = scene.renderer.file_writer
    result: dict[str, Any] = {
        "ok": True,
        "steps": [{"name": name, "start": start} for name, start in scene.step_marks],
        "duration": float(scene.renderer.time),
    }
    if request.get("still"):
        result["image"] = str(writer.image_file_path)
    else:
        result["movie"] = str(writer.movie_file_path)
    return result


def main() -> int:
    request_path = Path(sys.argv[1])
    request = json.loads(request_path.read_text(encoding="utf-8"))
    try:
        result = render(request)
        code = 0
    except BaseException as error:  # noqa: BLE001 - any scene failure is reported, then exit 1
        if isinstance(error, KeyboardInterrupt):
            raise
        result = {
            "ok": False,
            "error": f"{type(error).__name__}: {error}".strip(),
            "traceback": traceback.format_exc(),
        }
        code = 1
    Path(request["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
