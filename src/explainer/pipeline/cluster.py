"""Renders slides on a dask.distributed cluster: the task a worker runs, and the client's executor.

A task carries the typed render request, the source of the scene and of the scene folder's
modules it imports, manim.cfg, and the client's fingerprint (libraries, font, TeX, the hashes of
the package modules in the slide's frame key). Its Dask key is the frame key, so two identical
renders collapse into one. The worker checks its own fingerprint, renders in a child process
(Manim's config is global to a process) in a Manim folder it keeps per slide (so LaTeX and text
stay cached between tasks, as in a local media folder), and returns the clip's bytes and its
step marks; the client stores and publishes them exactly as a local render.
Dask is imported only here and only when something must render through a scheduler.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from explainer.codec import decode, encode
from explainer.files import read_json, user_cache_dir
from explainer.pipeline.fingerprint import differences, machine_fingerprint, package_modules
from explainer.pipeline.plan import SlidePlan
from explainer.pipeline.render import DIRTY_MARK, prepare_work_folder
from explainer.pipeline.request import RenderRequest, RenderResult

SCHEDULER_ENV = "EXPLAINER_SCHEDULER"
TIMEOUT_ENV = "EXPLAINER_SCHEDULER_TIMEOUT"   # seconds to reach the scheduler and find a worker
RETRIES = 2                                   # a task that raised is tried again (a lost worker always is)


class ClusterRefused(Exception):
    """The scheduler cannot be reached, has no workers, or a worker would render other frames."""


@dataclass(frozen=True)
class RenderTask:
    """What a worker needs from the client to render one slide (or piece of one). Dask ships it
    encoded (explainer/codec.py): a slide's Params do not pickle."""

    key: str                      # the Dask key: the frame key, and a piece's steps (render_key)
    request: RenderRequest
    files: dict[str, str]         # the scene's project modules, by path relative to the project
    scene: str                    # the scene module, relative to the project
    manim_cfg: str | None
    fingerprint: dict[str, Any]   # the client's machine (pipeline/fingerprint.py)


@dataclass(frozen=True)
class RenderAnswer:
    """What a task returns (pickled by Dask): who rendered, the result, and the clip and its webm
    as bytes with their SHA-256, checked on arrival."""

    worker: str
    result: RenderResult
    clip: bytes | None = None
    sha256: str | None = None
    webm: bytes | None = None
    webm_sha256: str | None = None


def how_to_start(address: str) -> str:
    port = address.rsplit(":", 1)[-1] if ":" in address.removeprefix("tcp://") else "8786"
    return (f"start a scheduler with `.venv/bin/dask scheduler --port {port}` and a worker on each machine "
            f"with `./run.sh worker tcp://SCHEDULER-HOST:{port}`; or render here without --scheduler "
            f"(and without {SCHEDULER_ENV})")


# -- the worker's side ------------------------------------------------------------------------
_RUNNING: dict[str, subprocess.Popen] = {}   # task key → its render process, so the client can stop it
_STOPPED: set[str] = set()
_LOCK = threading.Lock()


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
    (see _run_render), so a render orphaned by a killed worker keeps the folder to itself and a
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

        nanny_set = {**dask.config.get("distributed.nanny.pre-spawn-environ", {}),
                     **dask.config.get("distributed.nanny.environ", {})}
    except ImportError:
        nanny_set = {}
    return {name: value for name, value in os.environ.items()
            if name not in nanny_set or str(nanny_set[name]) != value} | {"PYTHONUNBUFFERED": "1"}


def _run_render(key: str, request: RenderRequest, folder: Path, project: Path, lock: int | None = None) -> RenderResult:
    """Run the render process on `request` in `folder`, registered so `stop_renders` can end it."""
    request_path, result_path, log_path = folder / "request.json", folder / "result.json", folder / "render.log"
    request.write(request_path)
    with log_path.open("wb") as log:
        with _LOCK:
            process = subprocess.Popen(
                [sys.executable, "-m", "explainer.pipeline.worker", str(request_path), str(result_path)],
                cwd=project, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=render_environment(), pass_fds=() if lock is None else (lock,))
            _RUNNING[key] = process
        try:
            code = process.wait()
        finally:
            with _LOCK:
                _RUNNING.pop(key, None)
                stopped = key in _STOPPED
                _STOPPED.discard(key)
    if stopped:
        return RenderResult.failed("stopped by the client")
    result = read_json(result_path)
    if result is None:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        return RenderResult.failed(f"render process exited with code {code}", tail)
    return decode(RenderResult, result)


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
            result = _run_render(task.key, request, folder, project, lock)
            if lock is not None and result.ok:   # a failed or stopped render may have left half-written files
                (manim_dir.parent / DIRTY_MARK).unlink(missing_ok=True)
        if not result.ok or result.movie is None:
            return RenderAnswer(where, result)
        clip = result.movie.read_bytes()
        webm = result.rendition.read_bytes() if result.rendition is not None else None
        return RenderAnswer(where, replace(result, movie=None, rendition=None), clip, hashlib.sha256(clip).hexdigest(),
                            webm, hashlib.sha256(webm).hexdigest() if webm is not None else None)


def stop_renders(keys: list[str]) -> int:
    """Run on each worker when the client is interrupted: end the render processes of `keys`."""
    with _LOCK:
        # Only keys running here: a key marked stopped on a worker that never ran it would fail the
        # same slide in a later run. Queued tasks need nothing: cancelling their futures drops them.
        running = [(key, _RUNNING[key]) for key in keys if key in _RUNNING]
        _STOPPED.update(key for key, _ in running)
    for _, process in running:
        process.terminate()
    return len(running)


# -- the client's side ------------------------------------------------------------------------
def task_for(request: RenderRequest, plan: SlidePlan, root: Path, fingerprint: dict[str, Any]) -> RenderTask:
    """The task that renders `plan` on a worker: everything it needs from this machine."""
    code = plan.inputs["code"]
    files = {}
    for name, digest in code.items():
        if name.startswith("explainer/"):
            continue  # installed on the worker: checked against `fingerprint`, not shipped
        data = (root / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise RuntimeError(f"{name} changed since the render was planned; run render again")
        files[name] = data.decode("utf-8")
    cfg = root / "manim.cfg"
    modules = {name: fingerprint["modules"][name] for name in package_modules([code])}
    return RenderTask(render_key(plan, request.piece), request, files,
                      str(plan.scene.module.resolve().relative_to(root.resolve())),
                      cfg.read_text(encoding="utf-8") if cfg.is_file() else None, {**fingerprint, "modules": modules})


def render_key(plan: SlidePlan, piece: tuple[int, int | None] | None = None) -> str:
    """The task's Dask key: the frame key, and for a piece of a split slide its steps."""
    if piece is None:
        return f"explainer-render-{plan.key}"
    return f"explainer-render-{plan.key}-steps-{piece[0]}-{'end' if piece[1] is None else piece[1]}"


@dataclass(frozen=True)
class WorkerCheck:
    """One worker compared with this machine."""

    address: str
    label: str
    differences: tuple[str, ...]


class ClusterExecutor:
    """Renders through a Dask scheduler; the results are stored and published like local ones."""

    def __init__(self, client: Any, address: str, fingerprint: dict[str, Any], workers: int, threads: int) -> None:
        self.client, self.address, self.fingerprint = client, address, fingerprint
        self.workers, self.threads = workers, threads
        self._futures: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.stopping = False

    def render(self, request: RenderRequest, plan: SlidePlan, work: Path, cwd: Path) -> RenderResult:
        task = task_for(request, plan, cwd, self.fingerprint)
        key = task.key
        with self._lock:
            if self.stopping:
                raise KeyboardInterrupt
            future = self.client.submit(render_task, encode(task), key=key, pure=False, retries=RETRIES,
                                        priority=round(plan.estimate))
            self._futures[key] = future
        try:
            answer = future.result()
        except BaseException as error:  # cancelled futures raise asyncio's CancelledError (a BaseException)
            if self.stopping or isinstance(error, KeyboardInterrupt):
                raise KeyboardInterrupt from None
            return RenderResult.failed(f"on the cluster {self.address}: {type(error).__name__}: {error}")
        finally:
            with self._lock:
                self._futures.pop(key, None)
        result = answer.result
        if not result.ok or answer.clip is None:
            return replace(result, error=f"{result.error} ({answer.worker})")
        folder = work / "cluster"
        folder.mkdir(parents=True, exist_ok=True)
        clip, rendition = folder / f"{plan.slide.id}.mp4", None
        clip.write_bytes(answer.clip)
        if hashlib.sha256(clip.read_bytes()).hexdigest() != answer.sha256:
            return RenderResult.failed(f"the clip from {answer.worker} arrived damaged")
        if answer.webm is not None:
            rendition = clip.with_suffix(".webm")
            rendition.write_bytes(answer.webm)
            if hashlib.sha256(rendition.read_bytes()).hexdigest() != answer.webm_sha256:
                rendition = None   # left out: the export encodes the clip instead
        return replace(result, movie=clip, rendition=rendition)

    def stop(self) -> None:
        """Ctrl-C: cancel every task this run submitted and end their render processes."""
        with self._lock:
            self.stopping = True
            futures = dict(self._futures)
        if not futures:
            return
        try:
            self.client.cancel(list(futures.values()), force=True)
            self.client.run(stop_renders, list(futures), on_error="ignore")
        except Exception as error:  # the scheduler may be gone too: nothing left to stop then
            print(f"explainer: could not cancel the cluster's tasks ({error})", file=sys.stderr)

    def close(self) -> None:
        self.client.close()


def survey(client: Any, font: str, modules: list[str]) -> tuple[dict[str, Any], list[WorkerCheck]]:
    """This machine's fingerprint and every worker's differences from it."""
    here = machine_fingerprint(font, modules)
    answers = client.run(machine_fingerprint, font, modules, on_error="return")
    info = client.scheduler_info(n_workers=-1).get("workers", {})
    checks = []
    for address in sorted(answers):
        name = str(info.get(address, {}).get("name", address))
        label = f"worker {name!r} at {address}" if name != address else f"worker {address}"
        answer = answers[address]
        if isinstance(answer, BaseException):
            found = (f"cannot report its fingerprint ({type(answer).__name__}: {answer}); "
                     "start it with ./run.sh worker so the explainer package is importable",)
        else:
            found = tuple(differences(here, answer))
        checks.append(WorkerCheck(address, label, found))
    return here, checks


def connect(address: str, font: str, code: list[dict[str, str]]) -> ClusterExecutor:
    """Reach the scheduler and refuse (ClusterRefused) unless every worker matches this machine."""
    timeout = float(os.environ.get(TIMEOUT_ENV) or 10)
    try:
        from distributed import Client
    except ImportError:
        raise ClusterRefused("dask.distributed is not installed here; install the package: "
                             ".venv/bin/pip install -e .") from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterRefused(f"cannot reach the Dask scheduler at {address} ({error}); "
                             f"{how_to_start(address)}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ClusterRefused(f"the Dask scheduler at {address} has no workers (waited {timeout:g}s); "
                                 f"{how_to_start(address)}") from None
        here, checks = survey(client, font, list(package_modules(code)))
        bad = [c for c in checks if c.differences]
        if bad:
            lines = [f"  {c.label}: {'; '.join(c.differences)}" for c in bad]
            raise ClusterRefused(
                f"refusing to render on {address}: {len(bad)} of {len(checks)} worker(s) differ from this "
                "machine, so their frames would not be the ones this machine's keys name:\n" + "\n".join(lines)
                + "\n  fix: give them the same checkout and packages (./run.sh worker sets one up), "
                  "or stop those workers")
        info = client.scheduler_info(n_workers=-1).get("workers", {})
        threads = sum(int(w.get("nthreads", 1)) for w in info.values())
        return ClusterExecutor(client, address, here, len(checks), threads)
    except BaseException:
        client.close()
        raise
