"""The offline browser deck: a self-contained reveal.js folder playing one step clip per slide."""

from __future__ import annotations

import json
import os
import shutil
from html import escape
from pathlib import Path

from explainer.deliver.decks.model import Deck, DeckStep, link_or_copy
from explainer.errors import MediaError
from explainer.files import copy_file, write_text

# reveal.js comes from the npm registry, pinned in vendor/package.json and package-lock.json and
# installed by ./run.sh (npm ci). EXPLAINER_REVEAL_JS names another installed copy.
REPOSITORY = Path(__file__).resolve().parents[4]
REVEAL_PACKAGE = REPOSITORY / "vendor" / "node_modules" / "reveal.js"
# What the deck needs of it, copied beside index.html so the folder works anywhere, offline.
REVEAL_FILES = {"dist/reveal.css": "reveal.css", "dist/reveal.js": "reveal.js",
                "plugin/notes/notes.js": "notes.js", "LICENSE": "LICENSE"}

STYLE = """
:root { --r-background-color: #0e1117; --r-main-color: #e6edf3; }
html, body, .reveal-viewport { background: #0e1117; }
.reveal { color: #e6edf3; font-family: "Noto Sans CJK TC", "Noto Sans TC", sans-serif; }
.reveal .controls, .reveal .progress { color: #58a6ff; }
.reveal .slides section { padding: 0; }
.reveal video { display: block; width: 100%; height: 100%; object-fit: contain; background: #000; }
.reveal .start h1 { font-size: 48px; margin: 40px 0 24px; }
.reveal .start ol { display: inline-block; text-align: left; font-size: 26px; line-height: 1.5; }
.reveal .start .hint { font-size: 26px; color: #ffd33d; margin-top: 28px; }
.reveal .start .keys { font-size: 16px; color: #8b949e; }
/* Labels are shown in the overview (Esc / O) only: chapter titles over each chapter's column. */
.reveal .label { display: none; }
.reveal.overview .label { display: block; position: absolute; left: 0; right: 0; top: 0; z-index: 2;
  background: rgba(14, 17, 23, .85); color: #e6edf3; font-size: 36px; padding: 8px 16px; text-align: left; }
.reveal.overview .label.chapter { font-size: 56px; color: #ffd33d; }
.blocked-hint { display: none; position: fixed; left: 50%; top: 50%; transform: translate(-50%, -50%);
  z-index: 40; background: rgba(0, 0, 0, .8); color: #fff; font: 28px sans-serif; padding: 18px 28px;
  border-radius: 12px; cursor: pointer; }
body.blocked .blocked-hint { display: block; }
"""

# Reveal's own keyboard map already does what a clicker sends: → / Space / PageDown / N next,
# ← / PageUp / P back (navigationMode "linear" makes ←/→ walk down a chapter's stack too),
# S the speaker view (notes plugin), F fullscreen, Esc / O the overview. data-autoplay plays a
# slide's clip from its start when shown and pauses it when left. Browsers refuse sound until
# the page is clicked or a key pressed: the start slide asks for that click, and a clip that
# was refused anyway shows a hint that plays it on click.
SCRIPT = """
Reveal.initialize({
  width: %(width)d, height: %(height)d, margin: 0, minScale: 0.05, maxScale: 8,
  controls: true, progress: true, slideNumber: "c/t", hash: true, center: false,
  navigationMode: "linear", transition: "none", backgroundTransition: "none",
  viewDistance: 2, preloadIframes: false, plugins: [RevealNotes],
});
function currentVideo() { const s = Reveal.getCurrentSlide(); return s && s.querySelector("video"); }
function checkPlaying() {
  const video = currentVideo();
  if (!video) { document.body.classList.remove("blocked"); return; }
  setTimeout(() => {
    if (Reveal.getCurrentSlide().querySelector("video") !== video) return;
    document.body.classList.toggle("blocked", video.paused && video.currentTime === 0 && video.readyState > 1);
  }, 800);
}
Reveal.on("slidechanged", checkPlaying);
Reveal.on("ready", checkPlaying);
document.querySelector(".blocked-hint").addEventListener("click", () => {
  const video = currentVideo();
  if (video) video.play().then(() => document.body.classList.remove("blocked"));
});
document.querySelector("section.start").addEventListener("click", () => Reveal.next());
"""


def reveal_package() -> Path:
    """The installed reveal.js package, or a MediaError saying how to install it."""
    package = Path(os.environ.get("EXPLAINER_REVEAL_JS", REVEAL_PACKAGE))
    missing = [name for name in REVEAL_FILES if not (package / name).is_file()]
    if missing:
        raise MediaError(f"reveal.js is not installed at {package} (missing {', '.join(missing)}): "
                         f"run `./run.sh deck` or `npm ci --prefix {REPOSITORY / 'vendor'}`")
    return package


def _step_section(step: DeckStep, chapter_title: str, first_in_chapter: bool) -> str:
    label = (f'<div class="label chapter">{escape(chapter_title)}</div>' if first_in_chapter else
             f'<div class="label">{escape(step.slide_title)} · {step.number}/{step.count}</div>')
    return (f'    <section data-step="{step.label}" data-slide="{escape(step.slide_id)}">\n'
            f'      {label}\n'
            f'      <video data-autoplay data-src="clips/{step.label}.mp4" poster="clips/{step.label}.png"'
            f' preload="auto" playsinline></video>\n'
            f'      <aside class="notes">{escape(step.notes)}</aside>\n'
            f'    </section>\n')


def render_html(deck: Deck) -> str:
    """index.html: a start slide, then one vertical stack per chapter with one slide per step."""
    chapters = "".join(f"<li>{escape(c.title)}</li>" for c in deck.chapters)
    parts = [
        '<!doctype html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(deck.title)}</title>\n<link rel="stylesheet" href="reveal/reveal.css">\n'
        f'<style>{STYLE}</style>\n</head>\n<body>\n'
        '<div class="blocked-hint">▶ 按一下播放（瀏覽器擋下了有聲的自動播放）</div>\n'
        '<div class="reveal"><div class="slides">\n'
        '  <section class="start">\n'
        '    <div class="label chapter">開始</div>\n'
        f'    <h1>{escape(deck.title)}</h1>\n    <ol>{chapters}</ol>\n'
        '    <p class="hint">按一下畫面開始，之後每一步都會自動播放聲音<br>Click to start: sound plays from then on</p>\n'
        '    <p class="keys">→ / 空白鍵 / PageDown 下一步 · ← / PageUp 上一步 · S 講者檢視（旁白）· '
        'F 全螢幕 · Esc 總覽</p>\n'
        '    <aside class="notes">每一步播放它的動畫與旁白；這裡是旁白全文。按 → 開始。</aside>\n'
        '  </section>\n',
    ]
    for chapter in deck.chapters:
        parts.append(f'  <section data-chapter="{escape(chapter.id)}" data-chapter-title="{escape(chapter.title)}">\n')
        parts += [_step_section(step, chapter.title, index == 0) for index, step in enumerate(chapter.steps)]
        parts.append('  </section>\n')
    settings = {"width": deck.width, "height": deck.height}
    parts.append('</div></div>\n<script src="reveal/reveal.js"></script>\n<script src="reveal/notes.js"></script>\n'
                 f'<script>{SCRIPT % settings}</script>\n'
                 f'<script type="application/json" id="deck-data">{_deck_json(deck)}</script>\n'
                 '</body>\n</html>\n')
    return "".join(parts)


def _deck_json(deck: Deck) -> str:
    """The deck's steps in order, for scripts and tests reading the page."""
    steps = [{"step": s.label, "slide": s.slide_id, "clip": f"clips/{s.label}.mp4", "notes": s.notes}
             for s in deck.steps]
    return json.dumps({"title": deck.title, "steps": steps}, ensure_ascii=False).replace("</", "<\\/")


def write_reveal(deck: Deck, folder: Path) -> Path:
    """Write the deck folder (index.html, reveal/, clips/ hard-linked); returns index.html."""
    package = reveal_package()
    for source, name in REVEAL_FILES.items():   # copied: an edit in the deck never reaches vendor/
        copy_file(package / source, folder / "reveal" / name)
    clips = folder / "clips"
    wanted = set()
    for step in deck.steps:
        for source, suffix in ((step.clip, ".mp4"), (step.still, ".png")):
            link_or_copy(source, clips / f"{step.label}{suffix}")
            wanted.add(f"{step.label}{suffix}")
    for stale in clips.iterdir():   # clips of steps the lecture no longer has
        if stale.name not in wanted:
            stale.unlink() if stale.is_file() else shutil.rmtree(stale)
    index = folder / "index.html"
    write_text(index, render_html(deck))
    return index
