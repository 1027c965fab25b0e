"""Faults and bad input: each test fails without the protection it names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explainer.media.container import probe
from pipeline_support import edit, explainer, manifest, mtimes

pytestmark = pytest.mark.slow


def start_render(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "explainer", "render", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def files_under(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_scene_does_not_stop_the_others_and_keeps_its_old_clip(copy):
    old_clip = (copy / "media/draft/clips/a-two.mp4").read_bytes()
    edit(copy / "scenes/fixture_formula.py", "        # 1. Title",
         "        raise RuntimeError('boom in the scene')\n        # 1. Title")
    edit(copy / "script.yaml", "一次看見全部", "一次看見整句")   # a-one must still render
    run = explainer(copy, "render")
    assert run.returncode == 1
    assert "✗ a-two" in run.stderr and "RuntimeError: boom in the scene" in run.stderr
    assert "1 rendered" in run.stderr and "1 failed" in run.stderr
    assert (copy / "media/draft/clips/a-two.mp4").read_bytes() == old_clip
    slides = {s["id"]: s for s in manifest(copy)["slides"]}
    assert slides["a-one"]["rendered"] and slides["a-two"]["stale"] and slides["a-two"]["clip"] is None


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_render_publishes_nothing_and_is_redone(copy, how):
    edit(copy / "script.yaml", "低溫求穩", "高溫求變")
    clips = copy / "media/draft/clips"
    before = mtimes(copy / "media/draft")
    work = copy / "media/.cache/manim/draft/b-one"
    process = start_render(copy, "b-one")
    wait_for(lambda: (work / ".dirty").exists() and (work / "render-request.json").exists())
    time.sleep(0.5)   # Manim is running now
    os.killpg(process.pid, how) if how == signal.SIGINT else process.send_signal(how)
    code = process.wait(timeout=60)
    assert code == (-9 if how == signal.SIGKILL else 130)
    assert mtimes(copy / "media/draft") == before, "something was published"
    assert not [p for p in clips.iterdir() if p.name.startswith(".")], "a temporary file was left"
    # The render process does not outlive the pipeline, even after SIGKILL.
    wait_for(lambda: subprocess.run(["pgrep", "-f", f"explainer.rendering.worker {work}"]).returncode == 1, 10)
    run = explainer(copy, "render")
    assert run.returncode == 0, run.stderr
    assert "1 rendered" in run.stderr and probe(clips / "b-one.mp4").frames > 0


def test_two_renders_at_once_both_finish_and_the_second_waits(copy):
    edit(copy / "script.yaml", "一次看見全部", "一次看見整句")
    first = start_render(copy)
    wait_for(lambda: (copy / "media/.cache/manim/draft/a-one/.dirty").exists())
    second = start_render(copy)
    _out1, err1 = first.communicate(timeout=300)
    _out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "waiting for another explainer run" in err2
    assert "1 rendered" in err1 and "0 rendered" in err2
    data = manifest(copy)
    for slide in data["slides"]:
        assert probe(copy / "media/draft" / slide["clip"]).frames == slide["frames"]
    assert probe(copy / "media/draft/lecture.mp4").frames == data["lecture"]["frames"]


def test_a_latex_error_names_the_slide_and_shows_latex_message(copy):
    edit(copy / "scenes/fixture_formula.py", r'("p", "P_i")', r'("p", r"P_i \undefinedmacro")')
    run = explainer(copy, "render", "a-two")
    assert run.returncode == 1
    assert "✗ a-two: LaTeX error in a formula: ! Undefined control sequence." in run.stderr


def test_missing_latex_is_exit_3_with_the_install_command(copy, tmp_path):
    edit(copy / "script.yaml", "一次看見全部", "一次看見整句")
    bin_dir = tmp_path / "bin"   # a PATH with fontconfig but without latex and dvisvgm
    bin_dir.mkdir()
    for tool in ("fc-list", "fc-match"):
        (bin_dir / tool).symlink_to(subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip())
    run = explainer(copy, "render", env={**os.environ, "PATH": str(bin_dir)})
    assert run.returncode == 3
    assert "LaTeX (latex) is missing; install it with: apt-get install -y --no-install-recommends " \
           "texlive-latex-base" in run.stderr
    assert "dvisvgm is missing" in run.stderr
    assert "espeak-ng (the draft narration voice; or render with --voice none) is missing; " \
           "install it with: apt-get install -y --no-install-recommends espeak-ng" in run.stderr


def test_missing_font_is_exit_3(copy):
    edit(copy / "script.yaml", "font: Noto Sans CJK TC", "font: Noto Sans Nowhere")
    edit(copy / "script.yaml", "一次看見全部", "一次看見整句")
    run = explainer(copy, "render")
    assert run.returncode == 3 and "the font 'Noto Sans Nowhere' is missing" in run.stderr


BAD_SCRIPTS = {
    "syntax": "chapters: [\n",
    "tab": "theme:\n\tfont: x\n",
    "unknown key": "theme: {}\nchapters: []\nextra: 1\n",
    "not utf-8": b"theme: {font: \xff}\n",
    "empty": "",
    "object tag": "theme: !!python/object/apply:os.system [echo hi]\nchapters: []\n",
    "alias bomb": "a: &a [1, 1]\nb: [*a, *a]\n",
    "wrong type": "theme: 3\nchapters: 4\n",
}


@pytest.mark.parametrize("name", list(BAD_SCRIPTS))
def test_bad_script_is_exit_2_quickly_and_changes_nothing_under_media(copy, name):
    content = BAD_SCRIPTS[name]
    script = copy / "script.yaml"
    script.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = files_under(copy / "media")
    for command in ("check", "render"):
        started = time.monotonic()
        run = explainer(copy, command)
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("script.yaml:") and "Traceback" not in run.stderr
        assert time.monotonic() - started < 10
    assert files_under(copy / "media") == before


def test_watch_rerenders_a_saved_edit(copy):
    process = subprocess.Popen([sys.executable, "-m", "explainer", "watch"], cwd=copy, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        clip = copy / "media/draft/clips/b-one.mp4"
        before = clip.stat().st_mtime_ns
        time.sleep(2.0)  # the first round finds everything current
        edit(copy / "script.yaml", "低溫求穩", "高溫求變")
        wait_for(lambda: clip.stat().st_mtime_ns != before, 180)
        wait_for(lambda: manifest(copy)["slides"][2]["rendered"], 30)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130


def test_doctor_without_latex_is_exit_3_and_names_the_packages(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("fc-list", "fc-match"):
        (bin_dir / tool).symlink_to(subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip())
    run = explainer(Path(__file__).resolve().parent / "fixtures" / "mini", "doctor",
                    env={**os.environ, "PATH": str(bin_dir)})
    assert run.returncode == 3
    assert "LaTeX (latex) is missing; install it with: apt-get install" in run.stdout
    assert "dvisvgm is missing" in run.stdout


def test_no_shell_strings_are_built_anywhere():
    """Subprocesses get argument lists: nothing from script.yaml can reach a shell."""
    source = Path(__file__).resolve().parents[1] / "src" / "explainer"
    for module in source.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        for banned in ("shell=True", "os.system(", "os.popen(", "getoutput("):
            assert banned not in text, f"{module.name} uses {banned}"


def test_a_scene_saved_while_it_renders_is_not_stored_under_either_key(copy):
    scene_file = copy / "scenes/fixture_formula.py"
    edit(copy / "script.yaml", "乙：公式", "乙：新公式")
    work = copy / "media/.cache/manim/draft/a-two"
    process = start_render(copy, "a-two")
    wait_for(lambda: (work / ".dirty").exists() and (work / "render-request.json").exists())
    edit(scene_file, "self.wait(0.4)", "self.wait(0.5)")   # the lecturer saves mid-render
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "changed while it rendered" in err
    run = explainer(copy, "render", "a-two")
    assert run.returncode == 0 and "1 rendered" in run.stderr
