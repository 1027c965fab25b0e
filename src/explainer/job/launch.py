"""The one way the render stage is started: by name, never by import.

A render process is `python -m explainer.rendering.worker REQUEST RESULT`, started here for a local
render, each piece of a split one, `preview`'s still, and by the Dask task on a worker machine;
`doctor`'s probe is `python -m explainer.rendering.probe`; and Dask is given the task as its dotted
name (explainer/named.py). So nothing that starts a render ever loads Manim or the scenes: only the
processes started here do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from explainer import named
from explainer.codec import decode, encode, read_record
from explainer.files import read_json
from explainer.job.probe import ToolchainProbe
from explainer.job.request import RenderRequest, RenderResult
from explainer.job.task import RenderTask

WORKER = "explainer.rendering.worker"
PROBE = "explainer.rendering.probe"
CLUSTER_TASK = "explainer.rendering.cluster_task.render_task"
LOG_TAIL = 2000   # characters of a failed process's output kept in its result


class RenderProcesses:
    """The render processes this process started and still waits on, by key, so an interrupt (on
    the client) or the client's cancel (on a cluster worker, through stop_renders) can end them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, subprocess.Popen] = {}
        self._stopped: set[str] = set()
        self.stopping = False   # everything is being stopped: start nothing new

    def start(self, key: str, command: list[str], **options: Any) -> subprocess.Popen:
        with self._lock:
            if self.stopping:
                raise KeyboardInterrupt
            process = subprocess.Popen(command, **options)
            self._running[key] = process
            return process

    def finished(self, key: str) -> bool:
        """Forget `key`'s process; True when it was stopped on purpose."""
        with self._lock:
            self._running.pop(key, None)
            stopped = key in self._stopped
            self._stopped.discard(key)
            return stopped

    def stop(self, keys: Iterable[str]) -> int:
        """End the processes of `keys` running here; how many there were."""
        with self._lock:
            # Only keys running here: a key marked stopped on a worker that never ran it would fail
            # the same slide in a later run.
            running = [(key, self._running[key]) for key in keys if key in self._running]
            self._stopped.update(key for key, _ in running)
        for _, process in running:
            process.terminate()
        return len(running)

    def stop_all(self) -> None:
        """Ctrl-C: start no more, end every one running (killed if it does not end in 5 s)."""
        with self._lock:
            self.stopping = True
            running = list(self._running.values())
            self._stopped.update(self._running)
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


RENDER_PROCESSES = RenderProcesses()


def run_render(request: RenderRequest, folder: Path, cwd: Path, *, key: str | None = None,
               env: dict[str, str] | None = None, pass_fds: tuple[int, ...] = ()) -> RenderResult:
    """Run a render process on `request` with the project `cwd`, its request, result and log in
    `folder`; `key` names it for stop_renders (default: its request file). A process stopped on
    purpose raises KeyboardInterrupt when everything is stopping here, else fails its result."""
    name = "still" if request.still else "render"
    request_path, result_path, log_path = folder / f"{name}-request.json", folder / f"{name}-result.json", \
        folder / f"{name}.log"
    result_path.unlink(missing_ok=True)
    request.write(request_path)
    key = key or str(request_path)
    with log_path.open("wb") as log:
        process = RENDER_PROCESSES.start(
            key, [sys.executable, "-m", WORKER, str(request_path), str(result_path)],
            cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env if env is not None else {**os.environ, "PYTHONUNBUFFERED": "1"}, pass_fds=pass_fds)
        try:
            code = process.wait()
        finally:
            stopped = RENDER_PROCESSES.finished(key)
    if stopped:
        if RENDER_PROCESSES.stopping:
            raise KeyboardInterrupt
        return RenderResult.failed("stopped by the client")
    result = read_json(result_path)
    if result is None:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
        how = f"killed by signal {-code}" if code < 0 else f"exited with code {code}"
        return RenderResult.failed(f"render process {how}", tail)
    return decode(RenderResult, result)


def stop_renders(keys: list[str]) -> int:
    """Run on each cluster worker (Dask's Client.run) when the client is interrupted: end the render
    processes of `keys`. Queued tasks need nothing: cancelling their futures drops them."""
    return RENDER_PROCESSES.stop(keys)


def submit_render_task(client: Any, task: RenderTask, **options: Any) -> Any:
    """Submit `task` to a Dask client by the task function's name (the worker imports it, this
    process never does); `options` go to Client.submit. Returns the future of a RenderAnswer."""
    return client.submit(named.call, CLUSTER_TASK, encode(task), **options)


def run_probe(font: str) -> ToolchainProbe:
    """Really compile a formula and draw Chinese text in `font`, in a render process."""
    with tempfile.TemporaryDirectory(prefix="explainer-probe-") as name:
        result = Path(name) / "probe.json"
        run = subprocess.run([sys.executable, "-m", PROBE, font, str(result)], cwd=name, capture_output=True,
                             text=True, stdin=subprocess.DEVNULL)
        probe = read_record(ToolchainProbe, result)
    if probe is None:
        output = (run.stderr or run.stdout).strip()[-LOG_TAIL:]
        return ToolchainProbe(started=f"the probe process exited with code {run.returncode}: {output}")
    return probe
