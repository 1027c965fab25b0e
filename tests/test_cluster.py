"""Rendering through a real Dask scheduler and workers on 127.0.0.1: the same outputs as a local
render, a lost worker's slide rendered elsewhere, a worker that differs refused, Dask never
imported when there is nothing to render."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explainer.app.doctor import _check_cluster
from explainer.script.load import load_lecture
from pipeline_support import MINI, explainer, manifest

DASK = Path(sys.executable).parent / "dask"
ALPHA = ("a-one", "a-two")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalDask:
    """A `dask scheduler` and `dask worker` processes on 127.0.0.1, as separate machines would run them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.workers: dict[str, subprocess.Popen] = {}
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.scheduler = self._start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                                                   "--no-dashboard"])
        # Listening before any worker starts: a worker binds a random port of its own, and one that
        # took this port first made the scheduler fail and the client wait on the worker forever.
        deadline = time.monotonic() + 60
        while True:
            if self.scheduler.poll() is not None:
                raise RuntimeError(f"dask scheduler exited: see {folder / 'scheduler.log'}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler not listening on {port} after 60 s")
            time.sleep(0.2)

    def _start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("wb")
        return subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=self.folder, start_new_session=True)

    def start_worker(self, name: str, env: dict | None = None) -> None:
        # No nanny: killing the worker process loses the worker, as a machine going away would.
        self.workers[name] = self._start(name, ["worker", self.address, "--name", name, "--nthreads", "1",
                                                "--no-nanny", "--no-dashboard"], env)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=120)

    def stop(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers.values(), self.scheduler]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    local = LocalDask(tmp_path_factory.mktemp("dask"))
    try:
        for name in ("w1", "w2"):
            local.start_worker(name)
        local.wait_for_workers(2)
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="module")
def on_cluster(cluster, tmp_path_factory):
    """A fresh copy of the mini lecture whose chapter alpha was rendered through the cluster."""
    project = tmp_path_factory.mktemp("on-cluster") / "mini"
    shutil.copytree(MINI, project)
    run = explainer(project, "render", "alpha", "--scheduler", cluster.address)
    assert run.returncode == 0, run.stderr
    assert "2 rendered" in run.stderr and f"on {cluster.address}" in run.stderr, run.stderr
    return project


def sidecar(project: Path, slide_id: str) -> dict:
    path = project / "media" / ".cache" / "state" / "draft" / "slides" / f"{slide_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def decoded(clip: Path) -> list:
    import av

    with av.open(str(clip)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def assert_same_clip(project: Path, reference: Path, slide_id: str) -> None:
    mine, theirs = sidecar(project, slide_id), sidecar(reference, slide_id)
    assert mine["key"] == theirs["key"], f"{slide_id}: the cluster's frame key differs from the local one"
    assert mine["frames"] == theirs["frames"] and mine["steps"] == theirs["steps"]
    clip = Path("media") / "draft" / "clips" / f"{slide_id}.mp4"
    frames, expected = decoded(project / clip), decoded(reference / clip)
    assert len(frames) == len(expected) == mine["frames"]
    different = [n for n, (a, b) in enumerate(zip(frames, expected)) if not (a == b).all()]
    assert not different, f"{slide_id}: frames {different[:5]} differ from the local render"


@pytest.mark.slow
def test_a_chapter_rendered_on_the_cluster_equals_the_local_render(on_cluster, rendered):
    for slide_id in ALPHA:
        assert_same_clip(on_cluster, rendered, slide_id)
    ours = {s["id"]: s for s in manifest(on_cluster)["slides"]}
    local = {s["id"]: s for s in manifest(rendered)["slides"]}
    for slide_id in ALPHA:
        assert ours[slide_id] == local[slide_id], f"{slide_id}: manifest entries differ"
    alpha = next(c for c in manifest(on_cluster)["chapters"] if c["id"] == "alpha")
    assert alpha["frames"] == sum(local[s]["frames"] for s in ALPHA) and not alpha["stale"]


@pytest.mark.slow
def test_a_one_slide_edit_is_split_across_the_workers_and_equals_the_local_render(cluster, on_cluster, rendered):
    # Two worker threads, one slide to render: a-one is cut at a step into two tasks of its own,
    # and the joined clip is the one a whole local render made. (The mini slides are below the
    # size that pays for a split, so the threshold is lifted.)
    env = {**os.environ, "EXPLAINER_SPLIT_MIN_MEGAPIXELS": "0"}
    run = explainer(on_cluster, "render", "a-one", "--force", "--scheduler", cluster.address, env=env)
    assert run.returncode == 0, run.stderr
    assert "a-one rendered in 2 pieces" in run.stderr, run.stderr
    assert_same_clip(on_cluster, rendered, "a-one")


def render_processes(parents: set[int]) -> list:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline", "ppid"]):
        if process.info["ppid"] in parents and "explainer.rendering.worker" in (process.info["cmdline"] or []):
            found.append(process)
    return found


def wait_for_render(render: subprocess.Popen, workers: set[int]) -> list:
    deadline = time.monotonic() + 120
    while not (running := render_processes(workers)):
        assert render.poll() is None and time.monotonic() < deadline, "the render never started on a worker"
        time.sleep(0.1)
    return running


@pytest.mark.slow
def test_ctrl_c_cancels_the_clusters_tasks_and_publishes_nothing(cluster, tmp_path):
    import psutil

    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    command = [sys.executable, "-m", "explainer", "render", "b-one", "--voice", "none", "--scheduler", cluster.address]
    render = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    running = wait_for_render(render, {p.pid for p in cluster.workers.values()})
    render.send_signal(signal.SIGINT)
    _, stderr = render.communicate(timeout=60)
    assert render.returncode == 130, stderr
    _, alive = psutil.wait_procs(running, timeout=10)
    assert not alive, "the workers' render processes were not stopped"
    assert not (project / "media" / "draft" / "clips").exists()


@pytest.mark.slow
def test_a_worker_killed_mid_task_still_ends_in_a_complete_correct_render(cluster, on_cluster, rendered):
    import psutil

    # Runs after the test above (the cluster keeps one worker afterwards).
    command = [sys.executable, "-m", "explainer", "render", "a-two", "--force", "--scheduler", cluster.address]
    render = subprocess.Popen(command, cwd=on_cluster, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids = {p.pid: name for name, p in cluster.workers.items()}
    running = wait_for_render(render, set(pids))
    orphan = running[0]
    lost = pids[orphan.ppid()]
    cluster.workers[lost].kill()   # SIGKILL: the machine is gone, mid-render
    cluster.workers.pop(lost).wait()
    _, stderr = render.communicate(timeout=300)
    assert render.returncode == 0, stderr
    assert "1 rendered" in stderr, stderr
    assert_same_clip(on_cluster, rendered, "a-two")
    assert not orphan.is_running() or orphan.status() == psutil.STATUS_ZOMBIE, \
        "the lost worker's render process kept running"


def test_an_unreachable_scheduler_is_refused_with_how_to_start_one(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(MINI, project)
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "EXPLAINER_SCHEDULER": address, "EXPLAINER_SCHEDULER_TIMEOUT": "2"}
    run = explainer(project, "render", "--voice", "none", env=env)
    assert run.returncode == 3, run.stderr
    assert f"cannot reach the Dask scheduler at {address}" in run.stderr
    assert "dask scheduler" in run.stderr and "./run.sh worker" in run.stderr
    assert not (project / "media" / "draft" / "clips").exists()


@pytest.mark.slow
def test_a_worker_with_other_project_code_is_refused_by_render_and_doctor(tmp_path, capsys):
    # The worker imports a copy of the package in which one component differs: an old checkout.
    overlay = tmp_path / "overlay"
    shutil.copytree(Path(__file__).resolve().parents[1] / "src" / "explainer", overlay / "explainer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with (overlay / "explainer" / "scenekit" / "components" / "text.py").open("a") as handle:
        handle.write("\n# an older checkout\n")
    local = LocalDask(tmp_path)
    try:
        local.start_worker("stale-checkout", env={**os.environ, "PYTHONPATH": str(overlay)})
        local.wait_for_workers(1)
        project = tmp_path / "mini"
        shutil.copytree(MINI, project)
        run = explainer(project, "render", "alpha", "--voice", "none", "--scheduler", local.address)
        assert run.returncode == 3, run.stderr
        assert "worker 'stale-checkout' at tcp://127.0.0.1:" in run.stderr, run.stderr
        assert "explainer/scenekit/components/text.py" in run.stderr, run.stderr
        assert not (project / "media" / "draft" / "clips").exists()

        # `doctor --scheduler` runs the same check after its local ones.
        lecture = load_lecture(project / "script.yaml")
        assert not _check_cluster(local.address, lecture, lecture.theme.font, "draft")
        shown = capsys.readouterr().out
        assert "✗ cluster" in shown and "stale-checkout" in shown and "components/text.py" in shown
    finally:
        local.stop()


@pytest.mark.slow
def test_a_no_op_render_with_a_scheduler_set_never_imports_dask(copy):
    code = (
        "import sys, time\nfrom explainer.app.cli import main\n"
        "started = time.monotonic()\n"
        "assert main(['render']) == 0\n"
        "print(f'{time.monotonic() - started:.2f}')\n"
        "assert 'dask' not in sys.modules and 'distributed' not in sys.modules, 'the no-op path imported dask'\n"
    )
    env = {**os.environ, "EXPLAINER_SCHEDULER": f"tcp://127.0.0.1:{free_port()}"}   # nobody listens there
    run = subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "0 rendered" in run.stderr


def test_a_worker_keeps_one_manim_folder_per_slide_and_never_shares_it(tmp_path, monkeypatch):
    # LaTeX and text stay compiled between tasks for a slide; a task already using the folder makes
    # the next one render apart; a task that did not finish leaves it to be wiped.
    from explainer.job.request import RenderRequest
    from explainer.job.workfolder import DIRTY_MARK
    from explainer.rendering.cluster_task import kept_manim_folder

    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    from explainer.media.presets import PRESETS

    lecture = load_lecture(MINI / "script.yaml")
    slide = lecture.slide(ALPHA[0])
    request = RenderRequest.for_slide(MINI / "script.yaml", slide, lecture.theme, MINI / "scenes" / "x.py",
                                      PRESETS["draft"], tmp_path / "unused")
    with kept_manim_folder(request, tmp_path / "a") as (first, lock):
        assert lock is not None and str(first).startswith(str(tmp_path / "cache"))
        (first / "Tex").mkdir(parents=True)
        (first / "Tex" / "cached.svg").write_text("<svg/>")
        (first / "videos").mkdir()                    # a partial movie: never reused by the next task
        with kept_manim_folder(request, tmp_path / "b") as (second, other_lock):
            assert (second, other_lock) == (tmp_path / "b" / "manim", None)
        (first.parent / DIRTY_MARK).unlink()          # what render_task does after a good render
    with kept_manim_folder(request, tmp_path / "c") as (again, lock):
        assert lock is not None and again == first and (again / "Tex" / "cached.svg").exists()
        assert not (again / "videos").exists()
        # no unlink: as if the render failed or the worker died
    with kept_manim_folder(request, tmp_path / "d") as (wiped, lock):
        assert lock is not None and not (wiped / "Tex").exists()


def test_a_render_on_a_worker_runs_without_the_nannys_worker_settings(monkeypatch):
    # Dask's nanny fixes malloc's trim threshold and BLAS threads for its worker process; a render
    # must run as a local one does, but a value the user set (not the nanny's) is theirs to keep.
    from explainer.rendering.cluster_task import render_environment

    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    monkeypatch.setenv("EXPLAINER_SCENE_TEST", "kept")
    env = render_environment()
    assert "MALLOC_TRIM_THRESHOLD_" not in env
    assert env["OMP_NUM_THREADS"] == "4" and env["EXPLAINER_SCENE_TEST"] == "kept"
    assert env["PYTHONUNBUFFERED"] == "1"


def test_every_module_the_task_protocol_names_exists():
    # A module named here but moved away would drop out of the comparison silently (no hash either side).
    from explainer.job.fingerprint import PROTOCOL_MODULES
    from explainer.script import scan

    missing = [name for name in PROTOCOL_MODULES if not (scan.PACKAGE_DIR / name.removeprefix("explainer/")).is_file()]
    assert not missing
