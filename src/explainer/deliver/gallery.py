"""Offline HTML gallery (index.html) of the lecture, chapter and slide videos listed in the manifest."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from explainer.deliver.contract import Manifest, ManifestChapter, ManifestSlide, SubtitleFiles

GALLERY_FILE = "index.html"
TITLE = "Transformer 核心概念講座"
SUBTITLE_LANG = "zh-Hant"
SUBTITLE_LABEL = "中文"

CSS = """
:root { --bg: #0E1117; --panel: #1B2130; --text: #ECEFF4; --muted: #8A93A6; --accent: #4EA8FF;
  --warn: #FF9F1C; --line: #2A3245; }
* { box-sizing: border-box; }
html { color-scheme: dark; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5;
  font-family: "Noto Sans CJK TC", "Noto Sans TC", "PingFang TC", "Microsoft JhengHei", system-ui, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px clamp(12px, 3vw, 32px) 64px; }
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
header { border-bottom: 1px solid var(--line); padding-bottom: 16px; margin-bottom: 24px; }
h1 { margin: 0; font-size: clamp(1.5rem, 3vw, 2.1rem); }
h2 { margin: 40px 0 12px; font-size: 1.45rem; border-left: 4px solid var(--accent); padding-left: 12px; }
h3 { margin: 0; font-size: 1.05rem; overflow-wrap: anywhere; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.pill { display: inline-block; border: 1px solid var(--accent); color: var(--accent); border-radius: 999px;
  padding: 0 10px; font-size: .8rem; margin-left: 8px; vertical-align: middle; }
.stale { border-color: var(--warn); color: var(--warn); }
video { display: block; width: 100%; aspect-ratio: 16 / 9; background: #000; border-radius: 6px; }
.feature { display: grid; grid-template-columns: minmax(0, 2fr) minmax(220px, 1fr); gap: 20px; align-items: start; }
.feature ol { margin: 0; padding-left: 1.4em; }
.feature li { margin: 4px 0; }
.jump { font: inherit; font-size: .8rem; color: var(--muted); background: none; border: 1px solid var(--line);
  border-radius: 4px; margin-left: 6px; cursor: pointer; padding: 0 6px; }
.jump:hover { color: var(--accent); border-color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 18px; margin-top: 18px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px;
  display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.card-head .muted { white-space: nowrap; }
.feature.chapter { grid-template-columns: minmax(0, 1fr) minmax(220px, 1fr); }
.missing { display: flex; align-items: center; justify-content: center; aspect-ratio: 16 / 9;
  border: 1px dashed var(--warn); border-radius: 6px; color: var(--warn); }
.steps { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px; }
.steps a { display: inline-block; border: 1px solid var(--line); border-radius: 4px; padding: 1px 8px; font-size: .82rem; }
.files { font-size: .85rem; display: flex; flex-wrap: wrap; gap: 4px 12px; }
details summary { cursor: pointer; color: var(--muted); font-size: .88rem; }
.snippet { position: relative; margin-top: 8px; }
pre { margin: 0; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px;
  padding-right: 64px; font-size: .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.copy { position: absolute; top: 6px; right: 6px; font: inherit; font-size: .8rem; cursor: pointer;
  background: var(--accent); color: var(--bg); border: 0; border-radius: 4px; padding: 2px 10px; }
@media (max-width: 760px) { .feature, .feature.chapter { grid-template-columns: 1fr; } }
"""

JS = """
function fallbackCopy(text) {
  const area = document.createElement("textarea");
  area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
  document.body.appendChild(area); area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  area.remove();
  return ok;
}
function copied(button, ok) {
  button.textContent = ok ? "已複製" : "請手動複製";
  setTimeout(() => { button.textContent = "複製"; }, 1600);
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (button) {
    const text = button.parentElement.querySelector("code").textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => copied(button, true), () => copied(button, fallbackCopy(text)));
    } else {
      copied(button, fallbackCopy(text));
    }
    return;
  }
  const jump = event.target.closest("button.jump");
  if (jump) {
    const video = document.getElementById("lecture-video");
    if (video) { video.currentTime = Number(jump.dataset.start); video.play().catch(() => {}); }
  }
});
"""


def _e(text: object) -> str:
    """Manifest text escaped for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def _url(path: str) -> str:
    """A relative manifest path as an attribute-safe URL."""
    return _e(quote(str(path), safe="/"))


def _duration(seconds: float | None) -> str:
    """34.7 -> "34.7 秒", 660.6 -> "11:01"; "" when unknown."""
    if seconds is None:
        return ""
    return f"{seconds:.1f} 秒" if seconds < 60 else _clock(seconds)


def _clock(seconds: float) -> str:
    """75.4 -> "1:15", 3725 -> "1:02:05"."""
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _vtt(subtitles: SubtitleFiles | None) -> str | None:
    return subtitles.vtt if subtitles else None


def video_tag(mp4: str | None, webm: str | None = None, poster: str | None = None, vtt: str | None = None,
              label: str | None = None, data: dict[str, object] | None = None) -> str:
    """The <video> element (webm first, then mp4, then subtitles); data-* only when given."""
    attrs = ['controls', 'preload="metadata"', 'playsinline']
    if poster:
        attrs.append(f'poster="{_url(poster)}"')
    if label:
        attrs.append(f'aria-label="{_e(label)}"')
    for key, value in (data or {}).items():
        if value is not None:
            attrs.append(f'data-{key}="{_e(value)}"')
    lines = [f"<video {' '.join(attrs)}>"]
    if webm:
        lines.append(f'  <source src="{_url(webm)}" type="video/webm">')
    if mp4:
        lines.append(f'  <source src="{_url(mp4)}" type="video/mp4">')
    if vtt:
        lines.append(f'  <track kind="subtitles" srclang="{SUBTITLE_LANG}" label="{SUBTITLE_LABEL}" '
                     f'src="{_url(vtt)}" default>')
    lines.append("</video>")
    return "\n".join(lines)


def _file_links(video: str | None, subtitles: SubtitleFiles | None, webm: str | None = None,
                poster: str | None = None) -> str:
    files = [("MP4", video), ("WebM", webm), ("海報", poster),
             ("VTT 字幕", subtitles.vtt if subtitles else None), ("SRT 字幕", subtitles.srt if subtitles else None)]
    links = [f'<a href="{_url(path)}" download>{name}</a>' for name, path in files if path]
    return f'<div class="files">{" ".join(links)}</div>' if links else ""


def _step_links(slide: ManifestSlide) -> str:
    items = []
    for number, step in enumerate(slide.steps, 1):
        if step.clip:
            url = _url(step.clip)
        elif slide.clip:
            url = f"{_url(slide.clip)}#t={step.start:.3f}"  # media fragment into the whole clip
        else:
            continue
        items.append(f'<li><a href="{url}" title="{_e(step.name)}">步驟 {number}'
                     f'{" · " + _e(step.name) if step.name else ""}</a></li>')
    return f'<ul class="steps">{"".join(items)}</ul>' if items else ""


def _snippet(tag: str) -> str:
    return ('<details><summary>嵌入程式碼</summary><div class="snippet">'
            f'<button type="button" class="copy">複製</button><pre><code>{_e(tag)}</code></pre></div></details>')


def slide_card(slide: ManifestSlide) -> str:
    """One slide: title, video, duration, step links, embed snippet and a stale badge."""
    title = slide.title or slide.id
    stale = slide.stale or not slide.clip
    badge = '<span class="pill stale">過期</span>' if stale else ""
    head = (f'<div class="card-head"><h3>{_e(title)}{badge}</h3>'
            f'<span class="muted">{_e(_duration(slide.duration))}</span></div>')
    if not (slide.clip or slide.webm):
        return (f'<article class="card" id="slide-{_e(slide.id)}">{head}'
                f'<div class="missing">尚未產生影片</div><div class="muted">{_e(slide.id)}</div></article>')
    vtt = _vtt(slide.subtitles)
    embed = video_tag(slide.clip, slide.webm, slide.poster, vtt, title)
    shown = video_tag(slide.clip, slide.webm, slide.poster, vtt, title,
                      {"kind": "slide", "slide": slide.id, "duration": slide.duration, "frames": slide.frames})
    return (f'<article class="card" id="slide-{_e(slide.id)}">{head}{shown}{_step_links(slide)}'
            f'{_file_links(slide.clip, slide.subtitles, slide.webm, slide.poster)}{_snippet(embed)}</article>')


def _chapter_starts(manifest: Manifest) -> dict[str, float]:
    """Chapter start times in the lecture video (it is the chapters joined in order), when knowable."""
    if manifest.lecture.stale or any(c.duration is None for c in manifest.chapters):
        return {}
    starts, at = {}, 0.0
    for chapter in manifest.chapters:
        starts[chapter.id] = at
        at += chapter.duration or 0.0   # known: checked above
    return starts


def lecture_section(manifest: Manifest, posters: dict[str, str | None]) -> str:
    """The whole-lecture video beside its chapter list."""
    lecture = manifest.lecture
    starts = _chapter_starts(manifest)
    items = []
    for chapter in manifest.chapters:
        jump = ""
        if chapter.id in starts and lecture.video:
            at = starts[chapter.id]
            jump = f'<button type="button" class="jump" data-start="{at:.3f}">▶ {_clock(at)}</button>'
        items.append(f'<li><a href="#chapter-{_e(chapter.id)}">{_e(chapter.title or chapter.id)}</a>{jump}</li>')
    chapter_list = f'<nav><h3>章節</h3><ol>{"".join(items)}</ol></nav>' if items else ""
    if lecture.video:
        player = video_tag(lecture.video, None, posters.get("lecture"), _vtt(lecture.subtitles), "完整講座",
                           {"kind": "lecture", "id": "lecture", "duration": lecture.duration})
        player = player.replace("<video ", '<video id="lecture-video" ', 1)
        player += _file_links(lecture.video, lecture.subtitles)
    else:
        player = '<div class="missing">完整講座影片尚未產生</div>'
    badge = '<span class="pill stale">過期</span>' if lecture.stale else ""
    return (f'<section id="lecture"><h2>完整講座{badge} <span class="muted">'
            f'{_e(_duration(lecture.duration))}</span></h2>'
            f'<div class="feature"><div>{player}</div>{chapter_list}</div></section>')


def chapter_section(chapter: ManifestChapter, slides: list[ManifestSlide], poster: str | None) -> str:
    """A chapter: its joined video, then a grid of its slide cards."""
    badge = '<span class="pill stale">過期</span>' if chapter.stale else ""
    title = chapter.title or chapter.id
    video = ""
    if chapter.video:
        video = video_tag(chapter.video, None, poster, _vtt(chapter.subtitles), title,
                          {"kind": "chapter", "id": chapter.id, "duration": chapter.duration})
        items = "".join(f'<li><a href="#slide-{_e(s.id)}">{_e(s.title or s.id)}</a> '
                        f'<span class="muted">{_e(_duration(s.duration))}</span></li>' for s in slides)
        video = (f'<div class="feature chapter"><div>{video}{_file_links(chapter.video, chapter.subtitles)}</div>'
                 f'<nav><h3>本章投影片</h3><ol>{items}</ol></nav></div>')
    cards = "".join(slide_card(s) for s in slides)
    return (f'<section id="chapter-{_e(chapter.id)}"><h2>{_e(title)}{badge} '
            f'<span class="muted">{_e(_duration(chapter.duration))}</span></h2>'
            f'{video}<div class="grid">{cards}</div></section>')


def render_gallery(manifest: Manifest) -> str:
    """The complete index.html text for a manifest."""
    by_id = {s.id: s for s in manifest.slides}
    groups = [(chapter, [by_id[i] for i in chapter.slides]) for chapter in manifest.chapters]
    first_poster = {c.id: next((s.poster for s in ss if s.poster), None) for c, ss in groups}
    posters = {"lecture": next((p for p in first_poster.values() if p), None)}
    sections = "".join(chapter_section(c, ss, first_poster[c.id]) for c, ss in groups)
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{_e(TITLE)} · {_e(manifest.quality)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n'
        f'<header><h1>{_e(TITLE)}<span class="pill">{_e(manifest.quality)}</span></h1>'
        f'<div class="meta">{len(manifest.slides)} 張投影片 · {len(manifest.chapters)} 個章節 · '
        '點「嵌入程式碼」可複製 &lt;video&gt; 標籤（路徑相對於本頁）</div></header>\n'
        f'{lecture_section(manifest, posters)}\n{sections}\n</main>\n<script>{JS}</script>\n</body>\n</html>\n'
    )


def write_gallery(manifest: Manifest, out_dir: Path) -> Path:
    """Write out_dir/index.html atomically and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / GALLERY_FILE
    fd, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{GALLERY_FILE}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(render_gallery(manifest))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
