"""Narration cut into subtitle cues, Chinese style: lines at most so many full-width units wide,
broken at punctuation, between words (jieba) and never inside a Latin word, a number, a title or
a quotation that fits on a line; no line starts with a particle (的 了 著 之間 嗎 …), and a line
breaks where a reader pauses (after 的, before 和 or 在) rather than inside a phrase (最/可能,
難以/處理, 文字/生成)."""

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
# Brackets whose content stays on one line when it fits (a quotation, a title).
PAIRS = {"「": "」", "『": "』", "《": "》", "（": "）", "(": ")", "“": "”", "‘": "’", "〈": "〉", "【": "】"}
# Words a line never starts with: particles that close what comes before them. They ride on the
# word before, like closing punctuation.
NO_START_WORDS = frozenset({
    "的", "了", "著", "地", "得", "過", "嗎", "呢", "吧", "啊", "呀", "嘛", "喔", "哦", "之", "等", "等等", "等人",
    "之間", "之後", "之前", "之中", "之一", "之外", "之下", "之上", "之內", "中", "上", "裡", "內",
})
# A break right after these reads well: the particle closes a phrase.
PHRASE_ENDS = frozenset({"的", "了", "著", "地", "得", "過"})
# Words that lean on the word after them, by part of speech (jieba's tags; wordseg.word_tag):
# adverbs (最, 難以, 都), prepositions (對, 在), numerals and classifiers (一個, 幾個), adjectives,
# distinguishing words (所有), conjunctions (但), and these by name: determiners and modal verbs.
LEANING_TAGS = frozenset("abcdmpq")
LEANING_WORDS = frozenset({
    "這", "那", "每", "每個", "各", "其", "其他", "此", "該", "哪", "第",
    "會", "能", "能夠", "可以", "可能", "只能", "難以", "無法", "不能", "不會", "應該", "必須", "需要", "要", "想", "得以",
})
# Prepositions that do not open a phrase of their own (總和 / 為一 would cut 總和為一).
NOT_OPENING_A_PHRASE = frozenset({"為", "於", "以"})
# Breaking a long phrase: each extra line costs more than any imbalance (squared slack); a break
# between two Chinese words costs by where it falls (free after 的 or before a conjunction or
# preposition, some inside a phrase, much after a word leaning on the next), so a free break
# (space, bracket, Chinese/Latin switch) or a good one wins unless the lines would be very
# uneven; a lone Chinese character on a line costs a lot.
LINE_COST = 1000.0
HARD_BREAK_COST = 80.0
LEANING_BREAK_COST = 80.0
WORD_BREAK_COST = 30.0
ORPHAN_COST = 50.0


class Atom(str):
    """An unbreakable piece of a line, knowing the Chinese words at its two ends ('' where it
    begins or ends otherwise), which decide what a break before or after it costs."""

    first: str
    last: str

    def __new__(cls, text: str, first: str = "", last: str = "") -> Atom:
        atom = super().__new__(cls, text)
        atom.first, atom.last = first, last
        return atom


def split_cues(narration: str, max_chars: int = 20, max_lines: int = 2) -> list[str]:
    """Cue texts: lines at most `max_chars` full-width units wide, `max_lines` lines per cue."""
    if max_lines <= 0:
        raise ValueError("max_chars and max_lines must be positive")
    lines = cue_lines(narration, max_chars)
    return ["\n".join(lines[i:i + max_lines]) for i in range(0, len(lines), max_lines)]


def cue_lines(narration: str, max_chars: float = 20) -> list[str]:
    """The narration's subtitle lines, each at most `max_chars` full-width units wide."""
    if max_chars <= 0:
        raise ValueError("max_chars and max_lines must be positive")
    lines = pack_lines(split_phrases(normalize(narration)), max_chars)
    lines = [render_line(atoms) for atoms in fix_orphans(lines, max_chars)]
    return [line for line in lines if line]


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
    """Phrases ending at punctuation, each keeping its punctuation and closing brackets; a
    bracket's content is never cut at its own punctuation (「只是近黃昏，我」 is one phrase with
    what opens it)."""
    phrases: list[str] = []
    depth = 0
    for match in PHRASE.finditer(text):
        phrase = match.group().strip()
        if not phrase:
            continue
        if depth > 0 and phrases:
            phrases[-1] += phrase
        else:
            phrases.append(phrase)
        depth = max(0, depth + sum(phrase.count(o) - phrase.count(c) for o, c in PAIRS.items() if o != c))
    return phrases


def phrase_atoms(phrase: str, max_chars: float) -> list[Atom]:
    """Unbreakable pieces of a phrase: a Chinese word, a Latin word/number/title or one
    character, with its glue; a bracketed quotation or title that fits on a line is one piece.

    Opening brackets stick to what follows, and closing punctuation and particles (NO_START_WORDS)
    to what precedes, so none can end up on the wrong side of a line break (unless the piece before
    is a line wide already); a space rides on the piece before it.
    """
    from explainer.text.wordseg import CJK_RUN, split_words

    atoms: list[list[str]] = []   # [text, first word, last word]
    opening = ""
    tokens = [t for piece in split_words(phrase)
              for t in ([piece] if CJK_RUN.fullmatch(piece) else TOKEN.findall(piece))]
    for token in latin_split(tokens, max_chars):
        word = token if CJK_RUN.fullmatch(token) else ""
        if token.isspace():
            if opening:
                opening += " "
            elif atoms:
                atoms[-1][0] += " "
        elif token in OPENING:
            opening += token
        elif atoms and not opening and (token[0] in CLOSING or (
                token in NO_START_WORDS and display_width((atoms[-1][0] + token).strip()) <= max_chars)):
            atoms[-1][0] += token   # (a particle that would make its word wider than a line starts one)
            if word:
                atoms[-1][2] = word
        else:
            atoms.append([opening + token, word, word])
            opening = ""
    if opening:
        atoms.append([opening, "", ""])
    return _join_brackets([Atom(*atom) for atom in atoms], max_chars)


def _join_brackets(atoms: list[Atom], max_chars: float) -> list[Atom]:
    """Each bracketed run (from an atom opening 「 to the atom closing it) that fits on a line
    made one atom, so a line breaks outside it."""
    result: list[Atom] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        opener = atom.lstrip()[:1]
        end = None
        if opener in PAIRS:
            closer, depth = PAIRS[opener], 0
            for position in range(index, len(atoms)):
                depth += atoms[position].count(opener) - (atoms[position].count(closer) if closer != opener else 0)
                if depth <= 0:
                    end = position
                    break
        if end is not None and end > index:
            run = atoms[index : end + 1]
            if fits(run, max_chars):
                result.append(Atom("".join(run), "", run[-1].last))
                index = end + 1
                continue
        result.append(atom)
        index += 1
    return result


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
    """Cost of a line break between two atoms: free at a space, bracket or script change; between
    two Chinese words, by where it falls (word_break_cost); costly inside a Latin run."""
    soft = (
        left[-1] == " "
        or left[-1] in CLOSING
        or right[0] in OPENING
        or is_wide(left[-1]) != is_wide(right[0])
    )
    if soft:
        return 0.0
    if is_wide(left[-1]) and is_wide(right[0]):
        return word_break_cost(getattr(left, "last", ""), getattr(right, "first", ""))
    return HARD_BREAK_COST


def word_break_cost(before: str, after: str) -> float:
    """A line break between the Chinese words `before` and `after` (either '' if not known): free
    after a particle closing a phrase (生成的 / 取樣) or before a conjunction or preposition, costly
    after a word leaning on the next (最 / 可能, 難以 / 處理, 這幾個 / 詞), some elsewhere (文字 / 生成)."""
    from explainer.text.wordseg import word_tag

    if before in PHRASE_ENDS:
        return 0.0
    if before and (before in LEANING_WORDS or word_tag(before) in LEANING_TAGS):
        return LEANING_BREAK_COST
    if after and after not in NOT_OPENING_A_PHRASE and word_tag(after) in ("c", "p"):
        return 0.0
    return WORD_BREAK_COST


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
