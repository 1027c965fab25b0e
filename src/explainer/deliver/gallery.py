"""Offline HTML gallery (index.html) of the lecture, chapter and slide videos listed in a manifest."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

GALLERY_FILE = "index.html"
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


def _duration(seconds: object) -> str:
    """34.7 -> "34.7 秒", 660.6 -> "11:01"; "" when unknown."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        return ""
    return f"{seconds:.1f} 秒" if seconds < 60 else _clock(seconds)


def _clock(seconds: float) -> str:
    """75.4 -> "1:15", 3725 -> "1:02:05"."""
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _vtt(item: dict) -> str | None:
    return (item.get("subtitles") or {}).get("vtt")


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


def _file_links(item: dict) -> str:
    subtitles = item.get("subtitles") or {}
    files = [("MP4", item.get("clip") or item.get("video")), ("WebM", item.get("webm")),
             ("海報", item.get("poster")), ("VTT 字幕", subtitles.get("vtt")), ("SRT 字幕", subtitles.get("srt"))]
    links = [f'<a href="{_url(path)}" download>{name}</a>' for name, path in files if path]
    return f'<div class="files">{" ".join(links)}</div>' if links else ""


def _step_links(slide: dict) -> str:
    items = []
    for number, step in enumerate(slide.get("steps") or [], 1):
        name = step.get("name") or ""
        start = step.get("start")
        if step.get("clip"):
            url = _url(step["clip"])
        elif slide.get("clip") and isinstance(start, (int, float)):
            url = f"{_url(slide['clip'])}#t={float(start):.3f}"  # media fragment into the whole clip
        else:
            continue
        items.append(f'<li><a href="{url}" title="{_e(name)}">步驟 {number}'
                     f'{" · " + _e(name) if name else ""}</a></li>')
    return f'<ul class="steps">{"".join(items)}</ul>' if items else ""


def _snippet(tag: str) -> str:
    return ('<details><summary>嵌入程式碼</summary><div class="snippet">'
            f'<button type="button" class="copy">複製</button><pre><code>{_e(tag)}</code></pre></div></details>')


def slide_card(slide: dict) -> str:
    """One slide: title, video, duration, step links, embed snippet and a stale badge."""
    slide_id, title = slide.get("id") or "", slide.get("title") or slide.get("id") or "（未命名）"
    mp4, webm, poster = slide.get("clip"), slide.get("webm"), slide.get("poster")
    stale = bool(slide.get("stale")) or not mp4
    badge = '<span class="pill stale">過期</span>' if stale else ""
    head = (f'<div class="card-head"><h3>{_e(title)}{badge}</h3>'
            f'<span class="muted">{_e(_duration(slide.get("duration")))}</span></div>')
    if not (mp4 or webm):
        return (f'<article class="card" id="slide-{_e(slide_id)}">{head}'
                f'<div class="missing">尚未產生影片</div><div class="muted">{_e(slide_id)}</div></article>')
    embed = video_tag(mp4, webm, poster, _vtt(slide), title)
    shown = video_tag(mp4, webm, poster, _vtt(slide), title,
                      {"kind": "slide", "slide": slide_id, "duration": slide.get("duration"),
                       "frames": slide.get("frames")})
    return (f'<article class="card" id="slide-{_e(slide_id)}">{head}{shown}'
            f'{_step_links(slide)}{_file_links(slide)}{_snippet(embed)}</article>')


def _chapter_starts(manifest: dict) -> dict[str, float]:
    """Chapter start times in the lecture video (it is the chapters joined in order), when knowable."""
    lecture, chapters = manifest.get("lecture") or {}, manifest.get("chapters") or []
    durations = [c.get("duration") for c in chapters]
    if lecture.get("stale") or not all(isinstance(d, (int, float)) for d in durations):
        return {}
    starts, at = {}, 0.0
    for chapter, length in zip(chapters, durations):
        starts[str(chapter.get("id"))] = at
        at += length
    return starts


def lecture_section(manifest: dict, posters: dict[str, str]) -> str:
    """The whole-lecture video beside its chapter list."""
    lecture, chapters = manifest.get("lecture") or {}, manifest.get("chapters") or []
    starts = _chapter_starts(manifest)
    items = []
    for chapter in chapters:
        cid = str(chapter.get("id") or "")
        jump = ""
        if cid in starts and lecture.get("video"):
            jump = f'<button type="button" class="jump" data-start="{starts[cid]:.3f}">▶ {_clock(starts[cid])}</button>'
        items.append(f'<li><a href="#chapter-{_e(cid)}">{_e(chapter.get("title") or cid)}</a>{jump}</li>')
    chapter_list = f'<nav><h3>章節</h3><ol>{"".join(items)}</ol></nav>' if items else ""
    if lecture.get("video"):
        player = video_tag(lecture["video"], None, posters.get("lecture"), _vtt(lecture), "完整講座",
                           {"kind": "lecture", "id": "lecture", "duration": lecture.get("duration")})
        player = player.replace("<video ", '<video id="lecture-video" ', 1) + _file_links(lecture)
    else:
        player = '<div class="missing">完整講座影片尚未產生</div>'
    badge = '<span class="pill stale">過期</span>' if lecture.get("stale") else ""
    return (f'<section id="lecture"><h2>完整講座{badge} <span class="muted">'
            f'{_e(_duration(lecture.get("duration")))}</span></h2>'
            f'<div class="feature"><div>{player}</div>{chapter_list}</div></section>')


def chapter_section(chapter: dict, slides: list[dict], poster: str | None) -> str:
    """A chapter: its joined video, then a grid of its slide cards."""
    cid = str(chapter.get("id") or "")
    badge = '<span class="pill stale">過期</span>' if chapter.get("stale") else ""
    video = ""
    if chapter.get("video"):
        video = video_tag(chapter["video"], None, poster, _vtt(chapter), chapter.get("title") or cid,
                          {"kind": "chapter", "id": cid, "duration": chapter.get("duration")})
        items = "".join(f'<li><a href="#slide-{_e(s.get("id") or "")}">{_e(s.get("title") or s.get("id"))}</a> '
                        f'<span class="muted">{_e(_duration(s.get("duration")))}</span></li>' for s in slides)
        video = (f'<div class="feature chapter"><div>{video}{_file_links(chapter)}</div>'
                 f'<nav><h3>本章投影片</h3><ol>{items}</ol></nav></div>')
    cards = "".join(slide_card(s) for s in slides)
    return (f'<section id="chapter-{_e(cid)}"><h2>{_e(chapter.get("title") or cid)}{badge} '
            f'<span class="muted">{_e(_duration(chapter.get("duration")))}</span></h2>'
            f'{video}<div class="grid">{cards}</div></section>')


def _group(manifest: dict) -> list[tuple[dict, list[dict]]]:
    """Chapters with their slides (listed order, then stragglers); unassigned slides last."""
    slides = [s for s in manifest.get("slides") or [] if isinstance(s, dict)]
    by_id = {s.get("id"): s for s in slides}
    groups, used = [], set()
    for chapter in manifest.get("chapters") or []:
        listed = [by_id[i] for i in chapter.get("slides") or [] if i in by_id]
        listed += [s for s in slides if s.get("chapter") == chapter.get("id") and s not in listed]
        used.update(id(s) for s in listed)
        groups.append((chapter, listed))
    rest = [s for s in slides if id(s) not in used]
    if rest:
        groups.append(({"id": "other", "title": "其他投影片"}, rest))
    return groups


def render_gallery(manifest: dict) -> str:
    """The complete index.html text for a manifest."""
    groups = _group(manifest)
    first_poster = {str(c.get("id")): next((s["poster"] for s in ss if s.get("poster")), None) for c, ss in groups}
    posters = {"lecture": next((p for p in first_poster.values() if p), None)}
    title = manifest.get("title") or "Transformer 核心概念講座"
    quality = manifest.get("quality") or "未知"
    count = sum(len(ss) for _, ss in groups)
    sections = "".join(chapter_section(c, ss, first_poster.get(str(c.get("id")))) for c, ss in groups)
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{_e(title)} · {_e(quality)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n'
        f'<header><h1>{_e(title)}<span class="pill">{_e(quality)}</span></h1>'
        f'<div class="meta">{count} 張投影片 · {len(manifest.get("chapters") or [])} 個章節 · '
        '點「嵌入程式碼」可複製 &lt;video&gt; 標籤（路徑相對於本頁）</div></header>\n'
        f'{lecture_section(manifest, posters)}\n{sections}\n</main>\n<script>{JS}</script>\n</body>\n</html>\n'
    )


def write_gallery(manifest: dict, out_dir: Path) -> Path:
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
