"""Every slide has its own test file, and that file runs the check that its scene renders its last
frame with a clean layout (a slide's tests share one render, so they live in one file)."""

from __future__ import annotations

import ast
from pathlib import Path

from scenes_support import lecture

TESTS = Path(__file__).resolve().parent


def test_every_slide_has_a_test_file_that_renders_it_cleanly():
    missing = []
    for slide in lecture().slides:
        file = TESTS / f"test_scene_{slide.id.replace('-', '_')}.py"
        calls = [] if not file.is_file() else [
            node for node in ast.walk(ast.parse(file.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "assert_renders_cleanly"
            and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == slide.id]
        if not calls:
            missing.append(f"{file.name}: add a test calling assert_renders_cleanly({slide.id!r}, tmp_path)")
    assert not missing, "\n".join(missing)
