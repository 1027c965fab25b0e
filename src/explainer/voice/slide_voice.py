"""A slide's narration voiced: the link between its segments, the cache, the key and the track;
and the whole lecture voiced slide by slide, so a slide can render as soon as its own words are
spoken instead of after the whole lecture's."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from explainer.script.model import Lecture, Segment, Slide, VoiceSettings
from explainer.voice.cache import VoiceCache, Voiced
from explainer.voice.errors import VoiceError
from explainer.voice.timing import Placement, build_track, placements, step_frames, track_key
from explainer.voice.voices import check_engine, estimated_seconds, lookup, voice_of, voice_segment


@dataclass(frozen=True)
class SlideVoice:
    """One slide's segments with their sounds."""

    segments: tuple[Segment, ...]
    voiced: tuple[Voiced, ...]
    audible: bool = True     # False for voice 'none': the outputs carry no audio stream

    def step_frames(self, fps: int) -> list[list[object]]:
        return step_frames(self.segments, list(self.voiced), fps)

    def step_seconds(self, fps: int) -> dict[str, float]:
        """Each step's minimum length as a whole number of frames, in seconds (what the scene holds)."""
        return {str(step): int(frames) / fps for step, frames in self.step_frames(fps)}  # type: ignore[call-overload]

    def placed(self, step_starts: Mapping[str, int], fps: int) -> list[Placement]:
        """Segments placed at the exact first frames the render recorded for their steps
        (`step_starts`: step name → its first frame)."""
        starts = {name: frame / fps for name, frame in step_starts.items()}
        return placements(self.segments, list(self.voiced), starts)

    def track_key(self, step_starts: Mapping[str, int], frames: int, fps: int) -> str | None:
        return track_key(self.placed(step_starts, fps), frames, fps) if self.audible else None

    def track(self, step_starts: Mapping[str, int], frames: int, fps: int, folder: Path) -> Path | None:
        return build_track(self.placed(step_starts, fps), frames, fps, folder) if self.audible else None


def _located(lecture: Lecture, slide: Slide, segment: Segment, voice: str, error: VoiceError) -> VoiceError:
    if error.missing_program:
        return error
    take = f", take {segment.audio}" if segment.audio and voice == "recorded" else ""
    return VoiceError(f"{lecture.shown_as}:{segment.line}:{segment.column}: slide '{slide.id}', "
                      f"step '{segment.step}'{take}: {error}")


def _neural_job(folder: Path, segment: Segment, settings: VoiceSettings) -> Voiced:
    """Runs in a synthesis process: the model loads once per process and stays."""
    return voice_segment(VoiceCache(folder), segment, "neural", settings)


class LectureVoicing:
    """The lecture's narration in `mode`, voiced now where it is quick (cached, draft, takes, none)
    and by the neural voice in `jobs` processes otherwise, slide by slide, longest narration first.

    `ready` holds the slides whose every segment is voiced; `as_completed()` yields the others as
    each finishes (with the VoiceError that stopped one). With `only`, the other slides are only
    looked up: those the cache cannot complete are `unvoiced`. `locked`: the caller holds the
    media folder's lock, so temporary files of writes that never finished can be removed."""

    def __init__(self, lecture: Lecture, mode: str, cache_folder: Path, jobs: int,
                 only: set[str] | None = None, locked: bool = False) -> None:
        self.lecture, self.mode, self.cache_folder = lecture, mode, cache_folder
        self.cache = VoiceCache(cache_folder)
        self.locked = locked   # the caller holds the media folder's lock: no one else writes here
        if locked:
            self.cache.sweep_partials()
        self.jobs = max(1, jobs)
        self.ready: dict[str, SlideVoice] = {}
        self.unvoiced: list[str] = []
        self._sounds: dict[str, list[Voiced | None]] = {}
        self._left: dict[str, int] = {}
        self._futures: dict[Future, tuple[Slide, int]] = {}
        self._pool: ProcessPoolExecutor | None = None
        settings = lecture.voice
        voices_needed = {voice_of(seg, mode, settings.default) for slide in lecture.slides for seg in slide.narration}
        for voice in voices_needed:
            check_engine(voice, settings)   # a missing engine, model or speaker: said once, up front
        quick: list[tuple[Slide, int, Segment]] = []
        slow: list[tuple[Slide, int, Segment]] = []
        for slide in lecture.slides:
            sounds = [lookup(self.cache, seg, voice_of(seg, mode, settings.default), settings) for seg in slide.narration]
            self._sounds[slide.id] = sounds
            missing = [(slide, i, seg) for i, (seg, sound) in enumerate(zip(slide.narration, sounds)) if sound is None]
            if missing and only is not None and slide.id not in only:
                self.unvoiced.append(slide.id)
                continue
            quick.extend(m for m in missing if voice_of(m[2], mode, settings.default) != "neural")
            slow.extend(m for m in missing if voice_of(m[2], mode, settings.default) == "neural")
        self._voice_quickly(quick)
        waiting = Counter(slide.id for slide, _, _ in slow)
        for slide in lecture.slides:
            if slide.id not in self.unvoiced:
                self._left[slide.id] = waiting[slide.id]
                if not waiting[slide.id]:
                    self.ready[slide.id] = self._slide_voice(slide)
        self.pending = sorted({s.id for s, _, _ in slow},
                              key=lambda sid: -sum(estimated_seconds(g.text) for g in lecture.slide(sid).narration))
        self._slow = sorted(slow, key=lambda item: self.pending.index(item[0].id))

    def _slide_voice(self, slide: Slide) -> SlideVoice:
        sounds = self._sounds[slide.id]
        assert all(sound is not None for sound in sounds)
        return SlideVoice(slide.narration, tuple(sounds), self.mode != "none")  # type: ignore[arg-type]

    def _voice_quickly(self, work: list[tuple[Slide, int, Segment]]) -> None:
        """Draft, recorded and silent segments, in threads (espeak-ng and decoding are processes
        or release the GIL); the first failure is raised, naming the slide and the step."""
        def one(item: tuple[Slide, int, Segment]) -> Voiced:
            slide, _, segment = item
            voice = voice_of(segment, self.mode, self.lecture.voice.default)
            try:
                return voice_segment(self.cache, segment, voice, self.lecture.voice)
            except VoiceError as error:
                raise _located(self.lecture, slide, segment, voice, error) from None

        if not work:
            return
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for (slide, index, _), sound in zip(work, pool.map(one, work)):
                self._sounds[slide.id][index] = sound

    def segments_to_synthesize(self) -> int:
        return len(self._slow)

    def as_completed(self) -> Iterator[tuple[str, SlideVoice | VoiceError]]:
        """Each pending slide once all its segments are voiced (or with the error that stopped one)."""
        if not self._slow:
            return
        context = multiprocessing.get_context("spawn")   # no fork of a process that runs threads
        self._pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(self._slow)), mp_context=context)
        for slide, index, segment in self._slow:
            future = self._pool.submit(_neural_job, self.cache_folder, segment, self.lecture.voice)
            self._futures[future] = (slide, index)
        failed: set[str] = set()
        try:
            while self._futures:
                done, _ = wait(list(self._futures), return_when=FIRST_COMPLETED)
                for future in done:
                    slide, index = self._futures.pop(future)
                    if slide.id in failed:
                        continue
                    try:
                        self._sounds[slide.id][index] = future.result()
                    except VoiceError as error:
                        failed.add(slide.id)
                        segment = slide.narration[index]
                        yield slide.id, _located(self.lecture, slide, segment, "neural", error)
                        continue
                    self._left[slide.id] -= 1
                    if self._left[slide.id] == 0:
                        voice = self._slide_voice(slide)
                        self.ready[slide.id] = voice
                        yield slide.id, voice
        finally:
            self.close()

    def close(self) -> None:
        """Stop synthesis (an interrupt, or nothing left): queued segments are dropped, running
        ones stopped; the cache keeps only whole entries."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not self._futures:     # all done: let the processes exit and be reaped
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
        self._futures.clear()
        if self.locked:   # a process stopped mid-write leaves its temporary file
            self.cache.sweep_partials()


def voice_all(lecture: Lecture, mode: str, cache_folder: Path, jobs: int) -> dict[str, SlideVoice]:
    """Every slide's narration voiced (from the cache where it can be); the first failure raised."""
    voicing = LectureVoicing(lecture, mode, cache_folder, jobs)
    for _, result in voicing.as_completed():
        if isinstance(result, VoiceError):
            voicing.close()
            raise result
    return dict(voicing.ready)


def takes_missing(lecture: Lecture) -> list[tuple[str, str]]:
    """(slide, step) of segments with no recorded take yet: the neural voice still speaks them."""
    return [(slide.id, segment.step) for slide in lecture.slides for segment in slide.narration
            if segment.audio is None]
