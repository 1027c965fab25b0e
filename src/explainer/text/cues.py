"""Narration cut into subtitle cues, Chinese style: lines at most so many full-width units wide,
broken at punctuation, between words (jieba) and never inside a Latin word, a number or a title."""

from __future__ import annotations

import itertools
import re
import unicodedata

from explainer.text.linebreak import display_width

# Chinese punctuation that ends a phrase; Latin ones count only before a space or the end
# (so "0.2" and "1,000" stay whole).
CJK_PHRASE_END = "，。！？；：、"
LATIN_PHRASE_END = ",.!?;"
CLOSING = "，。、；：！？）」』》〉】,.;:!?)%”’"
OPENING = "「『《（〈【(“‘"
# Full-width punctuation swallows neighbouring spaces left by YAML line folding.
WIDE_PUNCT = set(CJK_PHRASE_END + "「」『』《》（）〈〉【】…—")
# Chinese subtitles leave these off the end of a line; ？！ and brackets stay.
DROPPED_AT_LINE_END = "。，、"

PHRASE = re.compile(
    r".*?(?:"
    r"[，。！？；：]"
    r"|(?<![A-Za-z0-9%])、|、(?![A-Za-z0-9])"  # but "Q、K、V" is one item, not three phrases
    rf"|[{re.escape(LATIN_PHRASE_END)}](?=\s|$)"
    rf")[{CJK_PHRASE_END}{re.escape(CLOSING)}]*"
    r"|.+$",
    re.S,
)
# One Latin word or number, possibly with a call like F(x): never broken.
_WORD = r"[A-Za-z0-9](?:[A-Za-z0-9.,%'’\-_/+]*[A-Za-z0-9%])?(?:\([^()\s]*\))?"
# Latin words joined by single spaces or 、 (a title, a name, "Q、K、V") stay together when they
# fit on a line.
TOKEN = re.compile(rf"{_WORD}(?:[ 、]{_WORD})*|—+|…+|\s+|.", re.S)
# Breaking a long phrase: each extra line costs more than any imbalance (squared slack); a break
# between two Chinese characters may split a word, so it is taken over a free break (space,
# bracket, Chinese/Latin switch) only when that would leave the lines very uneven; a lone
# Chinese character on a line costs a lot.
LINE_COST = 1000.0
HARD_BREAK_COST = 80.0
WORD_BREAK_COST = 10.0
ORPHAN_COST = 50.0


def split_cues(narration: str, max_chars: int = 20, max_lines: int = 2) -> list[str]:
    """Cue texts: lines at most `max_chars` full-width units wide, `max_lines` lines per cue."""
    if max_chars <= 0 or max_lines <= 0:
        raise ValueError("max_chars and max_lines must be positive")
    lines = pack_lines(split_phrases(normalize(narration)), max_chars)
    lines = [render_line(atoms) for atoms in fix_orphans(lines, max_chars)]
    lines = [line for line in lines if line]
    return ["\n".join(lines[i:i + max_lines]) for i in range(0, len(lines), max_lines)]


def normalize(text: str) -> str:
    """The text on one line: whitespace collapsed, no space between Chinese characters."""
    text = re.sub(r"\s+", " ", text).strip()
    kept = []
    for index, char in enumerate(text):
        if char == " ":
            before, after = text[index - 1], text[index + 1]
            if before in WIDE_PUNCT or after in WIDE_PUNCT or (is_wide(before) and is_wide(after)):
                continue
        kept.append(char)
    return "".join(kept)


def is_wide(char: str) -> bool:
    """True for a full-width (CJK) character."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def split_phrases(text: str) -> list[str]:
    """Phrases ending at punctuation, each keeping its punctuation and closing brackets."""
    return [match.group().strip() for match in PHRASE.finditer(text) if match.group().strip()]


def phrase_atoms(phrase: str, max_chars: float) -> list[str]:
    """Unbreakable pieces of a phrase: a Latin word/number/title or one character, with its glue.

    Opening brackets stick to what follows and closing punctuation to what precedes, so neither
    can end up on the wrong side of a line break; a space rides on the piece before it.
    """
    from explainer.text.wordseg import CJK_RUN, split_words

    atoms: list[str] = []
    opening = ""
    tokens = [t for piece in split_words(phrase)
              for t in ([piece] if CJK_RUN.fullmatch(piece) else TOKEN.findall(piece))]
    for token in latin_split(tokens, max_chars):
        if token.isspace():
            if opening:
                opening += " "
            elif atoms:
                atoms[-1] += " "
        elif token in OPENING:
            opening += token
        elif token[0] in CLOSING and atoms and not opening:
            atoms[-1] += token
        else:
            atoms.append(opening + token)
            opening = ""
    if opening:
        atoms.append(opening)
    return atoms


def latin_split(tokens: list[str], max_chars: float) -> list[str]:
    """Tokens with any multi-word Latin run wider than a line split back into words and spaces."""
    result: list[str] = []
    for token in tokens:
        if " " in token and not token.isspace() and display_width(token) > max_chars:
            result.extend(re.findall(rf"{_WORD}|[ 、]", token))
        else:
            result.append(token)
    return result


def render_line(atoms: list[str]) -> str:
    """The line as shown: trimmed, without a trailing 。，、."""
    return "".join(atoms).strip().rstrip(DROPPED_AT_LINE_END).rstrip()


def fits(atoms: list[str], max_chars: float) -> bool:
    """True when the line made of `atoms` is at most `max_chars` wide."""
    return display_width(render_line(atoms)) <= max_chars + 1e-9


def pack_lines(phrases: list[str], max_chars: float) -> list[list[str]]:
    """Phrases packed greedily into lines (as atom lists); a phrase longer than a line is broken."""
    lines: list[list[str]] = []
    line: list[str] = []
    for phrase in phrases:
        atoms = phrase_atoms(phrase, max_chars)
        pieces = [atoms] if fits(atoms, max_chars) else break_phrase(atoms, max_chars)
        for piece in pieces:
            if fits(line + piece, max_chars):
                line += piece
            else:
                # Whole phrases (or balanced pieces of one) read best: start a fresh line.
                lines.append(line)
                line = list(piece)
    lines.append(line)
    return [line for line in lines if render_line(line)]


def break_phrase(atoms: list[str], max_chars: float) -> list[list[str]]:
    """A phrase too long for one line, cut into the fewest, most even pieces that fit.

    Dynamic programming over cut positions; see LINE_COST and friends for the preferences.
    An atom wider than a line (a very long word) becomes a piece of its own.
    """
    best: list[tuple[float, list[int]] | None] = [(0.0, [])] + [None] * len(atoms)
    for end in range(1, len(atoms) + 1):
        for start in range(end - 1, -1, -1):
            piece = atoms[start:end]
            if end - start > 1 and not fits(piece, max_chars):
                break  # starting earlier only makes the piece wider
            previous = best[start]
            if previous is None:
                continue
            cost = previous[0] + piece_cost(piece, max_chars)
            if start > 0:
                cost += break_cost(atoms[start - 1], atoms[start])
            if best[end] is None or cost < best[end][0]:
                best[end] = (cost, previous[1] + [start])
    cuts = best[-1][1] + [len(atoms)]
    return [atoms[a:b] for a, b in itertools.pairwise(cuts)]


def piece_cost(piece: list[str], max_chars: float) -> float:
    """Cost of one line of a broken phrase: the line, its squared slack (evens lines), orphans."""
    slack = max(0.0, max_chars - display_width(render_line(piece)))
    return LINE_COST + slack * slack + (ORPHAN_COST if is_orphan(piece) else 0.0)


def break_cost(left: str, right: str) -> float:
    """Cost of a line break between two atoms: free at a space, bracket or script change; cheap
    between two Chinese words (atoms are whole words); costly inside a Latin run."""
    soft = (
        left[-1] == " "
        or left[-1] in CLOSING
        or right[0] in OPENING
        or is_wide(left[-1]) != is_wide(right[0])
    )
    if soft:
        return 0.0
    return WORD_BREAK_COST if is_wide(left[-1]) and is_wide(right[0]) else HARD_BREAK_COST


def is_orphan(atoms: list[str]) -> bool:
    """True for a line holding a single Chinese character (plus punctuation)."""
    letters = [char for char in render_line(atoms) if char not in CLOSING + OPENING + " "]
    return len(letters) == 1 and is_wide(letters[0])


def fix_orphans(lines: list[list[str]], max_chars: float) -> list[list[str]]:
    """Lines where a lone Chinese character borrows the last piece of the line above it."""
    lines = [list(line) for line in lines]
    for index in range(1, len(lines)):
        above, here = lines[index - 1], lines[index]
        if not is_orphan(here) or len(above) < 2:
            continue
        moved = [above[-1]] + here
        if fits(moved, max_chars) and not is_orphan(above[:-1]):
            lines[index - 1], lines[index] = above[:-1], moved
    return lines
