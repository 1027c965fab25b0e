"""Finds a scene's spec module (scenes/specs/<scene file>.py) and imports it by path.

A slide names its scene class in script.yaml (`scene: HomeworkQkv`); the class is found in
scenes/ by reading source, and its module `scenes/homework_qkv.py` has its spec in
`scenes/specs/homework_qkv.py`. Specs are compiled from source each time their file changes
(not from __pycache__, whose one-second stamps miss quick edits) under a name private to their
path, so two copies of a project in one process never share a module.
"""

from __future__ import annotations

import hashlib
import sys
import types
from pathlib import Path

from explainer.script.scan import SPEC_FOLDER
from explainer.script.slidespec import SlideSpec

_loaded: dict[Path, tuple[tuple[int, int], SlideSpec]] = {}


class SpecProblem(Exception):
    """A spec module that is missing or broken, said with where and how to fix it."""


def spec_file(scene_module: Path) -> Path:
    """Where the spec of the scenes in `scene_module` lives."""
    return scene_module.parent / SPEC_FOLDER / scene_module.name


def load_spec(scene_module: Path) -> SlideSpec:
    """The SPEC of the scene module's spec file (imported once per change of the file)."""
    path = spec_file(scene_module).resolve()
    shown = f"{scene_module.parent.name}/{SPEC_FOLDER}/{scene_module.name}"
    try:
        stat = path.stat()
    except OSError:
        raise SpecProblem(
            f"{scene_module.parent.name}/{scene_module.name} has no spec module: create {shown} defining "
            "`SPEC = SlideSpec(params=…, steps=…)` (see README, 'Add a slide')") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    memo = _loaded.get(path)
    if memo is not None and memo[0] == stamp:
        return memo[1]
    spec = _import(path, shown)
    _loaded[path] = (stamp, spec)
    return spec


def _import(path: Path, shown: str) -> SlideSpec:
    name = "explainer_slide_spec_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
    module = types.ModuleType(name)
    module.__file__ = str(path)
    # dataclasses and typing look their module up by name while the body runs.
    sys.modules[name] = module
    try:
        source = path.read_bytes()
        exec(compile(source, str(path), "exec"), module.__dict__)
    except SyntaxError as error:
        sys.modules.pop(name, None)
        raise SpecProblem(f"{shown}:{error.lineno}:{error.offset}: {error.msg}") from None
    except Exception as error:   # any failure in the lecturer's module is reported, not raised
        sys.modules.pop(name, None)
        line = _failing_line(error, str(path))
        raise SpecProblem(f"{shown}{f':{line}' if line else ''}: importing it failed: "
                          f"{type(error).__name__}: {error}") from None
    found = module.__dict__.get("SPEC")
    if not isinstance(found, SlideSpec):
        raise SpecProblem(f"{shown} defines no `SPEC = SlideSpec(...)`; add one (from "
                          "explainer.script.slidespec import SlideSpec)")
    return found


def _failing_line(error: BaseException, filename: str) -> int | None:
    trace = error.__traceback__
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == filename:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line

