"""The records a Dask task carries to a worker machine and brings back (manim-free, Dask-free)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explainer.job.request import RenderRequest, RenderResult


@dataclass(frozen=True)
class RenderTask:
    """What a worker needs from the client to render one slide (or piece of one). Dask ships it
    encoded (explainer/codec.py): a slide's Params do not pickle."""

    key: str                      # the Dask key: the frame key, and a piece's steps (pipeline/cluster.render_key)
    request: RenderRequest
    files: dict[str, str]         # the scene's project modules, by path relative to the project
    scene: str                    # the scene module, relative to the project
    manim_cfg: str | None
    fingerprint: dict[str, Any]   # the client's machine (job/fingerprint.py)


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
