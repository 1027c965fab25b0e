"""The PowerPoint deck: a title slide, then one slide per step whose clip plays when it is shown."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

from explainer.deliver.decks.model import Deck, DeckStep

# One PowerPoint slide per step, not one slide holding every step's video: a slide show advances
# slide by slide (a clicker's "next" in PowerPoint, LibreOffice and Keynote alike), each slide's
# clip starts by itself when shown, and its notes are exactly that step's narration. Several
# videos on one slide would need click-triggered media sequences that LibreOffice does not play,
# and stacked videos would show only the top poster in print, PDF and the slide sorter.
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)   # 16:9
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5                    # in python-pptx's default template
FONT = "Noto Sans CJK TC"

# PowerPoint's own XML for a video set to "Start: Automatically": an after-effect media call in
# the main sequence that begins with the slide (onBegin of the sequence), plus the media node.
# python-pptx's add_movie writes only the media node, whose clip then waits for a click.
AUTOPLAY_TIMING = """<p:timing {ns}>
  <p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>
    <p:seq concurrent="1" nextAc="seek">
      <p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>
        <p:par><p:cTn id="3" fill="hold">
          <p:stCondLst><p:cond delay="indefinite"/><p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond></p:stCondLst>
          <p:childTnLst><p:par><p:cTn id="4" fill="hold">
            <p:stCondLst><p:cond delay="0"/></p:stCondLst>
            <p:childTnLst><p:par>
              <p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0" fill="hold" nodeType="afterEffect">
                <p:stCondLst><p:cond delay="0"/></p:stCondLst>
                <p:childTnLst><p:cmd type="call" cmd="playFrom(0.0)">
                  <p:cBhvr><p:cTn id="6" dur="{ms}" fill="hold"/><p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl></p:cBhvr>
                </p:cmd></p:childTnLst>
              </p:cTn>
            </p:par></p:childTnLst>
          </p:cTn></p:par></p:childTnLst>
        </p:cTn></p:par>
      </p:childTnLst></p:cTn>
      <p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>
      <p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>
    </p:seq>
    <p:video><p:cMediaNode vol="80000">
      <p:cTn id="7" fill="hold" display="0"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst></p:cTn>
      <p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl>
    </p:cMediaNode></p:video>
  </p:childTnLst></p:cTn></p:par></p:tnLst>
</p:timing>"""


def _set_text(shape, text: str, size: int, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Replace a placeholder's text, in the CJK font for both scripts."""
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        if colour is not None:
            run.font.color.rgb = colour
        # python-pptx names only the Latin font; Chinese glyphs use the East Asian one.
        properties = run._r.get_or_add_rPr()
        ea = properties.find(qn("a:ea"))
        if ea is None:
            ea = etree.SubElement(properties, qn("a:ea"))
        ea.set("typeface", FONT)


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _title_slide(presentation, deck: Deck) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE])
    with Image.open(deck.steps[0].still) as still:   # the clips' background, so the deck is one piece
        background = still.convert("RGB").getpixel((0, 0))
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = RGBColor(*background)
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    # The default template's placeholders are laid out for 4:3: place them on the 16:9 slide.
    _place(title, Inches(0.8), Inches(1.6), SLIDE_WIDTH - Inches(1.6), Inches(1.8))
    _place(subtitle, Inches(0.8), Inches(3.6), SLIDE_WIDTH - Inches(1.6), Inches(3.2))
    _set_text(title, deck.title, 40, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
    lines = [f"{n}. {chapter.title}" for n, chapter in enumerate(deck.chapters, 1)]
    steps = len(deck.steps)
    lines.append(f"{steps} 個步驟，每一步自動播放；按 → 或空白鍵前進")
    _set_text(subtitle, "\n".join(lines), 22, colour=RGBColor(0xC9, 0xD1, 0xD9))
    slide.notes_slide.notes_text_frame.text = (
        "每張投影片是一個動畫步驟，顯示時自動播放（含旁白）；講者備忘稿是該步驟的旁白。")


def _step_slide(presentation, step: DeckStep, deck: Deck) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
    title = slide.shapes.title
    _set_text(title, step.slide_title, 24, bold=True)
    # The clip already shows the slide's title, so the video fills the slide and the title
    # placeholder sits just above the slide's top edge: outside the show and any print or PDF,
    # yet it names the slide in the outline, the navigator, "go to slide" and screen readers.
    _place(title, Inches(0.5), -Inches(1.0), SLIDE_WIDTH - Inches(1.0), Inches(0.9))
    scale = min(SLIDE_WIDTH / deck.width, SLIDE_HEIGHT / deck.height)
    width, height = int(deck.width * scale), int(deck.height * scale)
    left, top = (SLIDE_WIDTH - width) // 2, (SLIDE_HEIGHT - height) // 2
    movie = slide.shapes.add_movie(str(step.clip), left, top, width, height,
                                   poster_frame_image=str(step.still), mime_type="video/mp4")
    movie.name = f"{step.label} ({step.name})"
    timing = slide._element.find(qn("p:timing"))
    if timing is not None:
        slide._element.remove(timing)
    xml = AUTOPLAY_TIMING.format(ns=nsdecls("p"), ms=max(1, round(step.seconds * 1000)), spid=movie.shape_id)
    # p:timing goes after p:clrMapOvr and p:transition, before p:extLst (the schema's order).
    extension = slide._element.find(qn("p:extLst"))
    if extension is not None:
        extension.addprevious(parse_xml(xml))
    else:
        slide._element.append(parse_xml(xml))
    slide.notes_slide.notes_text_frame.text = step.notes


def write_pptx(deck: Deck, target: Path) -> Path:
    """Write the deck as a 16:9 .pptx at `target` (atomically); returns `target`."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    presentation.core_properties.title = deck.title
    _title_slide(presentation, deck)
    for step in deck.steps:
        _step_slide(presentation, step, deck)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".deck-", suffix=".pptx", dir=target.parent)
    os.close(handle)
    try:
        presentation.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
