"""A slide's subtitle cues, remembered beside its state so the word segmenter stays off the no-op
path (the cue text itself: text/cues.py, text/cue_tracks.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from explainer.codec import encode
from explainer.files import read_json, write_json
from explainer.pipeline.keys import cue_code
from explainer.pipeline.paths import Paths
from explainer.pipeline.records import SpokenSegment
from explainer.text.cue_tracks import Cue, segment_cues


def slide_cues(paths: Paths, slide_id: str, segments: Sequence[SpokenSegment]) -> list[Cue]:
    """The slide's cues, split again only when its segments (words or times) or the code cutting
    them changed, so the word segmenter stays off the no-op path."""
    key = hashlib.sha256(json.dumps([encode(segments), cue_code()], sort_keys=True,
                                    ensure_ascii=False).encode()).hexdigest()
    state = read_json(paths.subtitle_state(slide_id))
    if state is not None and state.get("key") == key:
        return [Cue(*cue) for cue in state["cues"]]
    cues = segment_cues(segments)
    write_json(paths.subtitle_state(slide_id), {"key": key, "cues": [[c.start, c.end, c.text] for c in cues]})
    return cues
