"""Shared fixtures: tests/ and the project's scenes/ on sys.path (scenes import their specs as
`specs.<name>`, and tests take steps and numbers from them), the mini lecture as written, and
rendered once per session."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "scenes"))

from pipeline_support import MINI, explainer


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Path:
    """The mini fixture project rendered once at draft; tests work on copies of it."""
    project = tmp_path_factory.mktemp("rendered") / "mini"
    shutil.copytree(MINI, project)
    run = explainer(project, "render", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    return project


@pytest.fixture
def copy(rendered, tmp_path) -> Path:
    """A private copy of the rendered project (copy2 keeps mtimes, so it is just as current)."""
    target = tmp_path / "mini"
    shutil.copytree(rendered, target)
    return target


@pytest.fixture
def mini(tmp_path) -> Path:
    """A private copy of the mini fixture project as written (nothing rendered)."""
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    return project
