"""Where a render request runs: the protocol every executor follows, and the local one (a render
process on this machine, started by job/launch.py). The cluster's is pipeline/cluster.py."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from explainer.job.launch import RENDER_PROCESSES, run_render
from explainer.job.request import RenderRequest, RenderResult
from explainer.pipeline.plan import SlidePlan


class Executor(Protocol):
    """Where a render request runs: a child process here (LOCAL) or a cluster (pipeline/cluster.py)."""

    def render(self, request: RenderRequest, plan: SlidePlan, work: Path, cwd: Path) -> RenderResult:
        """Render `request`; the result's movie is a file under `work` (the slide's folder)."""
        ...

    def stop(self) -> None:
        """Ctrl-C: stop every render this executor started."""
        ...


class LocalExecutor:
    """Renders in a child process on this machine."""

    def render(self, request: RenderRequest, plan: SlidePlan, work: Path, cwd: Path) -> RenderResult:
        return run_render(request, work, cwd)

    def stop(self) -> None:
        RENDER_PROCESSES.stop_all()


LOCAL = LocalExecutor()
