"""The `explainer` command: check, list, render, deck, status, preview, doctor, watch, record."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from explainer.errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, UsageError
from explainer.media.presets import PRESETS
from explainer.pipeline.paths import Paths
from explainer.script.load import Lecture, ScriptInvalid, load_lecture
from explainer.script.model import VOICES


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        print(f"explainer: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="explainer", description="Render the lecture's slides into videos with Manim.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help_text: str, outputs: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--script", default="script.yaml", help="the lecture script (default: script.yaml)")
        if outputs:
            sub.add_argument("--media", default="media", help="the output folder (default: media)")
            sub.add_argument("--quality", default="draft", choices=list(PRESETS),
                             help="draft 854x480@15 (default), medium 720p30, high 1080p60, 4k")
        return sub

    command("check", "Validate the script: FILE:LINE:COL for every problem.", outputs=False)
    command("list", "List chapters, slides and their scene classes.", outputs=False)
    render = command("render", "Render what is stale, then stitch chapters and the lecture.")
    render.add_argument("targets", nargs="*", metavar="TARGET", help="slide or chapter ids (default: all)")
    render.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel render processes")
    render.add_argument("--force", action="store_true", help="ignore both cache layers for the targets")
    voice_help = ("narration voice: neural (Kokoro, offline), draft (espeak-ng, fast, robotic), recorded (each "
                  "segment's take, else neural), none (silent, timed by an estimate); default: the script's voice.default")
    render.add_argument("--voice", choices=list(VOICES), default=None, help=voice_help)
    render.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="render on this Dask scheduler's workers (default: $EXPLAINER_SCHEDULER, else here)")
    status = command("status", "Show what would re-render and why; renders nothing.")
    status.add_argument("--voice", choices=list(VOICES), default=None, help=voice_help)
    preview = command("preview", "Write a still of a slide (its last frame, or the end of --step N).")
    preview.add_argument("slide", metavar="SLIDE")
    preview.add_argument("--step", type=int, default=None, help="stop after this step (1-based)")
    deck = command("deck", "Render what is stale, then write slide decks that play each step: "
                           "deck.pptx, deck/index.html (reveal.js, offline) and manim-slides files.")
    deck.add_argument("targets", nargs="*", metavar="TARGET", help="'lecture' (default) or chapter ids")
    deck.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel render processes")
    deck.add_argument("--force", action="store_true", help="ignore both cache layers for the targets")
    deck.add_argument("--voice", choices=list(VOICES), default=None, help=voice_help)
    deck.add_argument("--title", default=None, help="the lecture deck's title (default: its first slide's)")
    doctor = command("doctor", "Check LaTeX, dvisvgm, the CJK font and the video encoders.")
    doctor.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="also check that every worker of this Dask scheduler renders as this machine does "
                             "(default: $EXPLAINER_SCHEDULER)")
    watch = command("watch", "Render now and again whenever the script, a scene or a component is saved.")
    watch.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel render processes")
    record = command("record", "Open the recording booth: a local page to record, hear and accept a take for each "
                               "narration segment, while what is stale renders in the background.")
    record.add_argument("targets", nargs="*", metavar="TARGET", help="slide or chapter ids (default: all)")
    record.add_argument("--port", type=int, default=0, help="the local port to serve on (default: any free one)")
    record.add_argument("--no-browser", action="store_true", help="only print the link; open no browser")
    record.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel render processes")
    return parser


def _load(args: argparse.Namespace) -> Lecture:
    return load_lecture(Path(args.script), shown_as=args.script)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # SIGTERM is handled like Ctrl-C: stop render processes, publish nothing half-made.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if args.command == "doctor":
            from explainer.app.doctor import doctor

            return doctor(args)
        if args.command == "watch":
            from explainer.app.watch import watch

            return watch(Path(args.script), args.script, Paths(Path(args.media), args.quality), args.jobs)
        lecture = _load(args)
        if args.command == "check":
            from explainer.voice.warnings import unread_latin_words

            # A claim the numbers no longer show, a word the voice would guess: the exit code stays 0.
            for warning in [*lecture.warnings, *unread_latin_words(lecture)]:
                print(warning, file=sys.stderr)
            print(f"{args.script}: ok ({len(lecture.chapters)} chapters, {len(lecture.slides)} slides)")
            return EXIT_OK
        if args.command == "list":
            return list_lecture(lecture)
        from explainer.app import commands

        paths = Paths(Path(args.media), args.quality)
        if args.command == "status":
            return commands.status(lecture, paths, args.voice)
        if args.command == "preview":
            return commands.preview(lecture, paths, args.slide, args.step)
        if args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        if args.command == "record":
            from explainer.app.booth.command import record

            return record(lecture, Path(args.script), paths, args.targets, args.port, not args.no_browser, args.jobs)
        if args.command == "deck":
            return commands.deck(lecture, paths, args.targets, args.jobs, args.force, args.voice, args.title)
        scheduler = args.scheduler or os.environ.get("EXPLAINER_SCHEDULER") or None
        return commands.render(lecture, paths, args.targets, args.jobs, args.force, args.voice, scheduler)
    except ScriptInvalid as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        return EXIT_INPUT
    except UsageError as error:
        print(f"explainer: {error}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. `explainer list | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("\nexplainer: interrupted; nothing half-made was published", file=sys.stderr)
        return EXIT_INTERRUPTED


def list_lecture(lecture: Lecture) -> int:
    for number, chapter in enumerate(lecture.chapters, 1):
        print(f"{number}. {chapter.id}  {chapter.title}")
        for slide in chapter.slides:
            print(f"   {slide.id:<22} {slide.scene:<22} {slide.title}")
    return EXIT_OK

