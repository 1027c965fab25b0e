"""What a machine must share with another to render the same frames: libraries, font, TeX, code.

A cluster worker's fingerprint is compared with the client's before any slide is sent to it
(and again by each task), because the client computes every frame key from its own machine; the
frame key itself borrows the versions and the font from here (pipeline/keys.py).
Manim-free and Dask-free: it runs on the client and, through Dask, on each worker.
"""

from __future__ import annotations

import contextlib
import platform
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from explainer.files import read_json, user_cache_dir, write_json
from explainer.hashing import file_hash
from explainer.script import scan

# Libraries whose version can change a frame (drawing, text, encoding, numbers) or the task protocol.
LIBRARIES = ("manim", "pycairo", "manimpango", "av", "numpy", "scipy", "pillow", "dask", "distributed")
# Modules every task relies on besides those the scenes import (already in the frame keys): the
# records, how the worker starts a render process, the task and the render process.
PROTOCOL_MODULES = ("explainer/job/request.py", "explainer/job/task.py", "explainer/job/launch.py",
                    "explainer/job/fingerprint.py", "explainer/rendering/worker.py",
                    "explainer/rendering/pieces.py", "explainer/rendering/cluster_task.py",
                    "explainer/codec.py", "explainer/named.py", "explainer/script/model.py",
                    "explainer/scenekit/inputs.py", "explainer/media/container.py")


def installed_versions(names: Sequence[str]) -> dict[str, str]:
    """Each package's installed version ("missing" if it is not installed)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


@lru_cache(maxsize=8)
def font_file(family: str) -> Path | None:
    """The font file fontconfig gives Pango for `family`, if any."""
    if shutil.which("fc-match") is None:
        return None
    result = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True)
    path = Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None
    return path if path is not None and path.is_file() else None


@lru_cache(maxsize=8)
def font_fingerprint(family: str) -> dict[str, object]:
    """The contents of the font file Pango will use for `family` (size and SHA-256, never its path
    or mtime): a font update changes keys, and two machines with the same font agree."""
    path = font_file(family)
    if path is None:
        return {"family": family, "file": None}
    stat = path.stat()
    return {"family": family, "size": stat.st_size, "sha256": stored_file_hash(path)}


def _hash_cache_file() -> Path:
    return user_cache_dir() / "file-hashes.json"


def stored_file_hash(path: Path) -> str:
    """SHA-256 of a large file that rarely changes (a font: 20 MB, 0.15 s to hash), remembered
    across runs by path, mtime and size so the no-op path does not read it again."""
    stat = path.stat()
    stamp = [stat.st_mtime_ns, stat.st_size]
    cache = _hash_cache_file()
    known = read_json(cache) or {}
    entry = known.get(str(path))
    if isinstance(entry, dict) and entry.get("stamp") == stamp and isinstance(entry.get("sha256"), str):
        return entry["sha256"]
    digest = file_hash(path)
    known[str(path)] = {"stamp": stamp, "sha256": digest}
    with contextlib.suppress(OSError):  # an unwritable cache only costs the hash again next run
        write_json(cache, known)
    return digest


def _first_line(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return "missing"
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"fails ({error})"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0].strip() if lines else f"fails (exit {result.returncode})"


@lru_cache(maxsize=4)
def environment(font: str) -> dict[str, Any]:
    """This machine's libraries, C libraries, the font file's contents and TeX (cached per process)."""
    versions = installed_versions(LIBRARIES)
    try:
        import cairo

        versions["cairo (C library)"] = cairo.cairo_version_string()
    except ImportError:
        versions["cairo (C library)"] = "missing"
    try:
        import manimpango

        versions["pango (C library)"] = manimpango.pango_version()
    except ImportError:
        versions["pango (C library)"] = "missing"
    versions["python"] = ".".join(platform.python_version_tuple()[:2])
    return {
        "versions": versions,
        "font": font_fingerprint(font),
        "tex": {"latex": _first_line(["latex", "--version"]), "dvisvgm": _first_line(["dvisvgm", "--version"])},
    }


def module_hashes(names: Iterable[str]) -> dict[str, str | None]:
    """This machine's hash of each package module named as frame keys name it (explainer/…)."""
    hashes: dict[str, str | None] = {}
    for name in names:
        path = scan.PACKAGE_DIR / name.removeprefix("explainer/")
        hashes[name] = file_hash(path) if path.is_file() else None
    return hashes


def package_modules(code: Iterable[dict[str, str]]) -> dict[str, str]:
    """The package modules (and their hashes here) in frame keys' `code` inputs, plus the protocol's."""
    wanted: dict[str, str] = {}
    for inputs in code:
        wanted.update({name: digest for name, digest in inputs.items() if name.startswith("explainer/")})
    for name, digest in module_hashes(PROTOCOL_MODULES).items():
        if digest is not None:
            wanted[name] = digest
    return dict(sorted(wanted.items()))


def machine_fingerprint(font: str, modules: Iterable[str]) -> dict[str, Any]:
    """Everything `differences` compares: run on each worker through Dask's `Client.run`."""
    return {**environment(font), "modules": module_hashes(modules)}


def differences(here: dict[str, Any], there: dict[str, Any]) -> list[str]:
    """What differs between this machine's fingerprint and a worker's, in words."""
    found: list[str] = []
    for name, mine in here["versions"].items():
        theirs = there.get("versions", {}).get(name, "missing")
        if theirs != mine:
            found.append(f"{name} {theirs} there, {mine} here")
    mine_font, theirs_font = here["font"], there.get("font", {})
    if mine_font != theirs_font:
        found.append(f"font '{mine_font.get('family')}' file differs "
                     f"({_font_words(theirs_font)} there, {_font_words(mine_font)} here)")
    for tool, mine in here["tex"].items():
        theirs = there.get("tex", {}).get(tool, "missing")
        if theirs != mine:
            found.append(f"{tool} '{theirs}' there, '{mine}' here")
    changed = [name for name, digest in here["modules"].items() if there.get("modules", {}).get(name) != digest]
    if changed:
        shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
        found.append(f"project code differs: {shown}")
    return found


def _font_words(font: dict[str, Any]) -> str:
    if not font.get("sha256"):
        return "no such font"
    return f"{font['size']} bytes, sha256 {str(font['sha256'])[:12]}…"
