"""run.sh's Debian step, driven with stand-in dpkg-query, apt-get and id programs (no real apt)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
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
              broken: bool = False) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (("dpkg-query", STAND_IN_DPKG_QUERY), ("apt-get", STAND_IN_APT_GET),
                       ("id", STAND_IN_ID)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt.log"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHON": sys.executable,
           "FAKE_INSTALLED": " ".join(installed), "FAKE_APT_LOG": str(log),
           "FAKE_UID": str(uid), "RUN_SH_STOP_AFTER": "system"}
    if broken:
        env["FAKE_DPKG_BROKEN"] = "1"
    run = subprocess.run(["bash", str(RUN_SH), command], env=env, capture_output=True, text=True,
                         timeout=60, stdin=subprocess.DEVNULL)
    calls = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
    return run, calls


def installed_by(calls: list[list[str]]) -> list[str]:
    installs = [c for c in calls if "install" in c]
    assert len(installs) == 1, calls
    return [word for word in installs[0][installs[0].index("install") + 1:]
            if not word.startswith("-")]


@pytest.mark.parametrize("command, lists", [("render", ["RENDER_PACKAGES"]),
                                            ("test", ["RENDER_PACKAGES", "TEST_PACKAGES"])])
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
    run, calls = run_setup(tmp_path, "test", installed=present)
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
