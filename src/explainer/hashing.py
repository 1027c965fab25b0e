"""Content hashes: of bytes, of JSON data in one canonical form, and of files (cached per process)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(data: Any) -> str:
    """The hash of `data` as JSON with sorted keys and no spaces: equal data, equal hash."""
    return sha256_bytes(json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


@lru_cache(maxsize=1024)
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    return sha256_bytes(path.read_bytes())


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, cached by modification time and size within a process."""
    stat = path.stat()
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)
