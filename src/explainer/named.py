"""A function called by its dotted name, imported where it runs.

Dask ships a task as this function and the task's name (`explainer.rendering.cluster_task.render_task`),
so the client that submits it never imports the render stage; the worker machine does.
"""

from __future__ import annotations

import importlib
from typing import Any


def call(dotted_name: str, *args: Any) -> Any:
    """Import `package.module.function` and call it with `args`."""
    module, _, function = dotted_name.rpartition(".")
    return getattr(importlib.import_module(module), function)(*args)
