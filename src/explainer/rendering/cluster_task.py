"""The body of the Dask task that renders one slide (or piece) on a cluster worker: it checks this
machine against the client's fingerprint, writes the task's project files, starts a render process
through job/launch.py and sends back the clip's bytes.

The client never imports this module: it submits the task by name (job/launch.submit_render_task),
and the worker imports it. The render runs in a child process (Manim's config is global to a
process) in a Manim folder the worker keeps per slide, so LaTeX and text stay cached between tasks.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from explainer.codec import decode
from explainer.files import user_cache_dir
from explainer.job.fingerprint import differences, machine_fingerprint
from explainer.job.launch import run_render
from explainer.job.request import RenderRequest, RenderResult
from explainer.job.task import RenderAnswer, RenderTask
from explainer.job.workfolder import mark_clean, prepare_work_folder


def _safe_relative(name: str) -> Path:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"refusing to write {name!r} outside the task's folder")
    return Path(*path.parts)


@contextmanager
def kept_manim_folder(request: RenderRequest, scratch: Path) -> Iterator[tuple[Path, int | None]]:
    """The Manim folder a task renders in, and the descriptor of its lock when it is one this
    machine keeps (None: a fresh folder in `scratch`): one per frame size, slide and piece under
    the user cache, so LaTeX and text are compiled once per worker machine, not once per task.
    Only those caches are kept: Manim's partial movies are removed first, so a render never
    reuses a clip piece (as a local --force never does). The lock is handed to the render process
    (run_render's pass_fds), so a render orphaned by a killed worker keeps the folder to itself and a
    retry renders apart. Marked dirty while in use, wiped when a task left it dirty."""
    piece = "whole" if request.piece is None else f"piece-{request.piece[0]}"
    slide = request.slide.id if re.fullmatch(r"[A-Za-z0-9_.-]+", request.slide.id) else "slide"
    root = user_cache_dir() / "worker" / f"{request.width}x{request.height}@{request.fps}" / slide / piece
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:   # the same slide rendering elsewhere on this machine: render apart
            yield scratch / "manim", None
            return
        work = root / "work"
        prepare_work_folder(work, wipe=False)
        for reused in ("videos", "images"):
            shutil.rmtree(work / "manim" / reused, ignore_errors=True)
        yield work / "manim", lock.fileno()
        # Reached only when the render returned: an exception leaves the mark, so the next task wipes.


def render_environment() -> dict[str, str]:
    """The worker's environment without what Dask's nanny set for its worker process only
    (MALLOC_TRIM_THRESHOLD_, one BLAS thread): a render runs in the environment a local one has.
    A fixed malloc trim threshold also stops glibc from raising its mmap threshold, so each
    frame-sized array is mapped and zeroed anew (~3% of a draft render, measured)."""
    try:
        import dask
        import distributed  # noqa: F401  (its import puts the nanny's defaults into dask.config)

        nanny_set = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}),
                     **dask.config.get("distributed.nanny.environ", {})}
    except ImportError:
        nanny_set = {}
    return {name: value for name, value in os.environ.items()
            if name not in nanny_set or str(nanny_set[name]) != value} | {"PYTHONUNBUFFERED": "1"}


def render_task(encoded: dict[str, Any]) -> RenderAnswer:
    """Run on a Dask worker: check this machine against the client's fingerprint, render the slide
    in a child process and return the clip's bytes and step marks (the client probes the clip as
    it probes a local render)."""
    from distributed import get_worker

    worker = get_worker()
    where = f"worker {worker.name!r} at {worker.address}" if str(worker.name) != worker.address \
        else f"worker {worker.address}"
    task = decode(RenderTask, encoded)
    expected = task.fingerprint
    differ = differences(expected, machine_fingerprint(task.request.theme.font, expected["modules"]))
    if differ:
        return RenderAnswer(where, RenderResult.failed(f"{where} differs from the client: {'; '.join(differ)}"))
    with tempfile.TemporaryDirectory(prefix="explainer-task-") as name:
        folder = Path(name)
        project = folder / "project"
        for relative, text in task.files.items():
            target = project / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        project.mkdir(exist_ok=True)
        if task.manim_cfg is not None:
            (project / "manim.cfg").write_text(task.manim_cfg, encoding="utf-8")
        with kept_manim_folder(task.request, folder) as (manim_dir, lock):
            request = replace(task.request, scene_file=project / _safe_relative(task.scene), manim_dir=manim_dir)
            result = run_render(request, folder, project, key=task.key, env=render_environment(),
                                pass_fds=() if lock is None else (lock,))
            if lock is not None and result.ok:   # a failed or stopped render may have left half-written files
                mark_clean(manim_dir.parent)
        if not result.ok or result.movie is None:
            return RenderAnswer(where, result)
        clip = result.movie.read_bytes()
        webm = result.rendition.read_bytes() if result.rendition is not None else None
        return RenderAnswer(where, replace(result, movie=None, rendition=None), clip, hashlib.sha256(clip).hexdigest(),
                            webm, hashlib.sha256(webm).hexdigest() if webm is not None else None)
