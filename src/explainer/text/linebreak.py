"""Line breaking for mixed Chinese/Latin text: at punctuation when possible, never inside a
word (Chinese words found by explainer.text.wordseg), a Latin term or a number. Scenes and subtitles
share it."""

from __future__ import annotations

import re
import unicodedata

# Break after these (Chinese and Latin punctuation); never start a line with the closing ones.
BREAK_AFTER = set("，。、；：！？）」』》,.;:!?)")
NO_LINE_START = set("，。、；：！？）」』》,.;:!?)%")
NO_LINE_END = set("「『《（(")
# An unbreakable run: a Latin word, a number (with . , % and such), or one other character.
# (':' '#' '?' '=' '&' '~' inside a run keep identifiers and links whole: arXiv:2409.10715, https://…)
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’\-_/+:#?=&~]*[A-Za-z0-9%/]|[A-Za-z0-9]|\s+|.", re.S)


def display_width(text: str) -> float:
    """Width in full-width character units: CJK counts 1, Latin and digits about half."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        else:
            width += 0.55
    return width


def tokens_of(text: str) -> list[str]:
    """Unbreakable pieces: Chinese words, Latin words and numbers, spaces, single marks."""
    from explainer.text.wordseg import CJK_RUN, split_words

    tokens: list[str] = []
    for piece in split_words(text):
        tokens.extend([piece] if CJK_RUN.fullmatch(piece) else TOKEN.findall(piece))
    return tokens


def wrap(text: str, max_width: float) -> list[str]:
    """Split `text` into lines of at most `max_width` full-width units (a longer word stands alone)."""
    tokens = tokens_of(text.strip())
    lines: list[str] = []
    line = ""
    last_break = -1  # index in `line` after which a punctuation break is possible
    last_word = ""   # the last token on the line: moved down whole, never split
    for token in tokens:
        candidate = line + token
        if display_width(candidate.rstrip()) <= max_width or not line.strip():
            line = candidate
            if token[-1] in BREAK_AFTER:
                last_break = len(line)
            last_word = token if not token.isspace() else last_word
            continue
        # Overflow: prefer breaking at the last punctuation if it leaves a reasonably full line.
        if last_break > 0 and display_width(line[:last_break]) >= max_width * 0.6 \
                and token[0] not in NO_LINE_START:
            lines.append(line[:last_break].strip())
            line = line[last_break:].lstrip() + token
        elif line[-1] in NO_LINE_END and len(line.strip()) > 1:
            # An opening bracket belongs with what it opens: move it to the next line.
            lines.append(line[:-1].strip())
            line = line[-1] + token
        elif token[0] in NO_LINE_START and line.endswith(last_word) and len(line.strip()) > len(last_word):
            # Keep closing punctuation with the word before it: move that word down (with an
            # opening bracket just before it, which must not end the line either).
            head, moved = line[: -len(last_word)], last_word
            while head.rstrip() and head.rstrip()[-1] in NO_LINE_END:
                moved, head = head.rstrip()[-1] + moved, head.rstrip()[:-1]
            if head.strip():
                lines.append(head.strip())
            line = moved + token   # 「word」 longer than a line stays whole: it overflows as one
        else:
            lines.append(line.strip())
            line = token.lstrip()
        last_break = len(line) if line and line[-1] in BREAK_AFTER else -1
        last_word = token if not token.isspace() else ""
    if line.strip():
        lines.append(line.strip())
    return _no_orphan([entry for entry in lines if entry], max_width)


def _no_orphan(lines: list[str], max_width: float) -> list[str]:
    """A last line of one CJK character reads badly: take the last word of the line above."""
    if len(lines) < 2:
        return lines
    last, previous = lines[-1], lines[-2]
    core = last.rstrip("".join(NO_LINE_START))
    if len(core) != 1 or display_width(core) < 1 or len(previous) < 3:
        return lines
    moved = tokens_of(previous)[-1]
    if moved.isascii() or moved[-1] in NO_LINE_END or display_width(moved + last) > max_width \
            or len(moved) >= len(previous.strip()):
        return lines  # never split a Latin word or number, nor strand an opening bracket
    return lines[:-2] + [previous[: -len(moved)].rstrip(), moved + last]
