"""The source-summary cache that lets a no-op run parse no Python stays small and stays right."""

from __future__ import annotations

import json
import os

from explainer.script.scan import SummaryCache


def test_summary_cache_reuses_entries_and_forgets_files_that_are_gone(tmp_path):
    kept, gone = tmp_path / "kept.py", tmp_path / "gone.py"
    kept.write_text("class Kept:\n    slide_id = 'k'\n", encoding="utf-8")
    gone.write_text("class Gone:\n    pass\n", encoding="utf-8")
    cache = SummaryCache(tmp_path / "summaries.json")
    assert [c.name for c in cache.get(kept).classes] == ["Kept"]
    assert [c.name for c in cache.get(gone).classes] == ["Gone"]
    gone.unlink()
    cache.save()
    entries = json.loads((tmp_path / "summaries.json").read_text(encoding="utf-8"))["entries"]
    assert str(kept) in entries and str(gone) not in entries

    # A later run takes the stored summary: proven by a file whose text changed while its size and
    # mtime did not (the cache's key), which only a stored entry can still describe as before.
    stat = kept.stat()
    kept.write_text("class Edit:\n    slide_id = 'k'\n", encoding="utf-8")
    os.utime(kept, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [c.name for c in SummaryCache(tmp_path / "summaries.json").get(kept).classes] == ["Kept"]
