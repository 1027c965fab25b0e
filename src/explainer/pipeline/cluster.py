"""Renders slides on a dask.distributed cluster: the client's side (its executor, and the check
that every worker matches this machine).

A task carries the typed render request, the source of the scene and of the scene folder's
modules it imports, manim.cfg, and the client's fingerprint (libraries, font, TeX, the hashes of
the package modules in the slide's frame key). Its Dask key is the frame key, so two identical
renders collapse into one. It is submitted by name (job/launch.py): the worker's side, which
checks its own fingerprint and renders in a child process, is rendering/cluster_task.py, and
this process never imports it. The client stores and publishes what comes back exactly as a
local render. Dask is imported only here and only when something must render through a scheduler.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from explainer.job.fingerprint import differences, machine_fingerprint, package_modules
from explainer.job.launch import stop_renders, submit_render_task
from explainer.job.request import RenderRequest, RenderResult
from explainer.job.task import RenderAnswer, RenderTask
from explainer.pipeline.plan import SlidePlan

SCHEDULER_ENV = "EXPLAINER_SCHEDULER"
TIMEOUT_ENV = "EXPLAINER_SCHEDULER_TIMEOUT"   # seconds to reach the scheduler and find a worker
RETRIES = 2                                   # a task that raised is tried again (a lost worker always is)


class ClusterRefused(Exception):
    """The scheduler cannot be reached, has no workers, or a worker would render other frames."""


def how_to_start(address: str) -> str:
    port = address.rsplit(":", 1)[-1] if ":" in address.removeprefix("tcp://") else "8786"
    return (f"start a scheduler with `.venv/bin/dask scheduler --port {port}` and a worker on each machine "
            f"with `./run.sh worker tcp://SCHEDULER-HOST:{port}`; or render here without --scheduler "
            f"(and without {SCHEDULER_ENV})")


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
            future = submit_render_task(self.client, task, key=key, pure=False, retries=RETRIES,
                                        priority=round(plan.estimate))
            self._futures[key] = future
        try:
            answer: RenderAnswer = future.result()
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
