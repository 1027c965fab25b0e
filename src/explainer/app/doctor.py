"""`explainer doctor`: really compiles a formula and renders Chinese text (in a render process, as a
render would), speaks with both voices and checks encoders."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from explainer.app.deps import APT_PACKAGES, apt_fix, missing_dependencies
from explainer.errors import EXIT_MISSING, EXIT_OK
from explainer.script.load import Lecture, ScriptInvalid, load_lecture
from explainer.script.model import VoiceSettings
from explainer.script.theme import DEFAULT_FONT


def doctor(args: argparse.Namespace) -> int:
    lecture = None
    try:
        lecture = load_lecture(Path(args.script), args.script)
        font = lecture.theme.font
    except ScriptInvalid:
        font = DEFAULT_FONT
    settings = lecture.voice if lecture is not None else VoiceSettings()
    problems = [str(m) for m in missing_dependencies(font, voice=True)]
    if not problems:
        problems += _try_manim(font)
        problems += _try_draft_voice()
    problems += _try_neural_voice(settings)
    problems += _try_encoders()
    for problem in problems:
        print(f"✗ {problem}")
    if not problems:
        print(f"✓ LaTeX and dvisvgm compile MathTex; '{font}' renders Chinese; the neural voice "
              f"({settings.neural.describe()}) and espeak-ng speak Mandarin; libx264, libvpx-vp9, aac and libopus are available")
    # The scheduler `render` would use: --scheduler, else EXPLAINER_SCHEDULER.
    scheduler = getattr(args, "scheduler", None) or os.environ.get("EXPLAINER_SCHEDULER")
    cluster_ok = _check_cluster(scheduler, lecture, font, args.quality) if scheduler else True
    return EXIT_MISSING if problems or not cluster_ok else EXIT_OK


def _check_cluster(address: str, lecture: Lecture | None, font: str, quality: str) -> bool:
    """Compare every worker of the scheduler with this machine, as `render --scheduler` does first."""
    from explainer.media.presets import PRESETS
    from explainer.pipeline.cluster import ClusterRefused, connect
    from explainer.pipeline.keys import key_inputs

    code = [key_inputs(lecture, slide, PRESETS[quality])["code"] for slide in lecture.slides] if lecture else []
    try:
        cluster = connect(address, font, code)
    except ClusterRefused as refused:
        print(f"✗ cluster: {refused}")
        return False
    cluster.close()
    print(f"✓ cluster {address}: {cluster.workers} worker(s), {cluster.threads} thread(s), each with this "
          "machine's libraries, font, TeX and project code")
    return True


def _try_manim(font: str) -> list[str]:
    """Really compile a formula and draw Chinese text, in a render process (job/launch.py)."""
    from explainer.job.launch import run_probe
    from explainer.job.probe import PROBE_TEXT

    found = run_probe(font)
    if found.started is not None:
        return [f"Manim does not start ({found.started}); reinstall the project: .venv/bin/pip install -e ."]
    problems = []
    if found.formula_error is not None:
        problems.append(f"MathTex does not compile ({found.formula_error}); install: "
                        f"{apt_fix(APT_PACKAGES['latex'] + ' ' + APT_PACKAGES['dvisvgm'])}")
    if found.text_error is not None:
        problems.append(f"Chinese text does not render ({found.text_error}); install: {apt_fix(APT_PACKAGES['font'])}")
    elif found.glyphs != len(PROBE_TEXT):
        problems.append(f"'{font}' drew {found.glyphs} glyphs for {len(PROBE_TEXT)} characters")
    return problems


def _try_draft_voice() -> list[str]:
    """Really synthesize a few words with the draft voice."""
    from explainer.voice.draft import synthesize_draft
    from explainer.voice.errors import VoiceError

    try:
        samples = synthesize_draft("注意力等於零點五")
    except VoiceError as error:
        return [f"the draft voice fails: {error}; install: {apt_fix(APT_PACKAGES['espeak-ng'])}"]
    if len(samples) < 4800:  # type: ignore[arg-type]
        return ["espeak-ng produced no speech for '注意力'; reinstall: " + apt_fix(APT_PACKAGES["espeak-ng"])]
    return []


def _try_neural_voice(settings: VoiceSettings) -> list[str]:
    """Really synthesize a phrase, Latin words included, with the neural voice and its speaker."""
    from explainer.voice.errors import VoiceError
    from explainer.voice.neural import synthesize_neural
    from explainer.voice.voices import check_engine

    try:
        check_engine("neural", settings)
        samples = synthesize_neural("Query 和 Key 做點積。", settings.neural.speaker, settings.neural.speed)
    except VoiceError as error:
        return [f"the neural voice fails: {error}"]
    if len(samples) < 24_000:  # type: ignore[arg-type]
        return ["the neural voice said less than half a second for 'Query 和 Key 做點積'; reinstall the project"]
    return []


def _try_encoders() -> list[str]:
    import av

    problems = []
    for name in ("libx264", "libvpx-vp9", "aac", "libopus"):
        try:
            av.codec.Codec(name, "w")
        except Exception:
            problems.append(f"PyAV has no {name} encoder; reinstall PyAV: pip install --force-reinstall av")
    return problems
