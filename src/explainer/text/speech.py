"""Narration text as a voice should say it: what the screen writes read aloud (`voice.read`:
Δx → 德爾塔 x), numbers, percentages and symbols in spoken Chinese, and the draft voice's
pronunciation table applied (espeak-ng drops decimal points, says % and = in English and skips
× ÷ silently, so nothing of that may reach a voice)."""

from __future__ import annotations

import re
import unicodedata

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"))

# Symbols the voice cannot say, rewritten into words (with spaces so Latin neighbours stay apart).
SYMBOL_WORDS = {"=": " 等於 ", "×": " 乘以 ", "÷": " 除以 ", "+": " 加 ", "＝": " 等於 ",
                "＋": " 加 ", "%": " 百分比 ", "…": "，", "—": "，", "–": "，"}
# Punctuation the voice pauses at or ignores: sayable as it is.
PUNCTUATION = set("，。！？、；：「」『』（）《》〈〉,.;:!?()'\"“”‘’ -")
TONE_MARKS = {"ā": "a1", "á": "a2", "ǎ": "a3", "à": "a4", "ē": "e1", "é": "e2", "ě": "e3", "è": "e4",
              "ī": "i1", "í": "i2", "ǐ": "i3", "ì": "i4", "ō": "o1", "ó": "o2", "ǒ": "o3", "ò": "o4",
              "ū": "u1", "ú": "u2", "ǔ": "u3", "ù": "u4", "ǖ": "v1", "ǘ": "v2", "ǚ": "v3", "ǜ": "v4",
              "ü": "v"}
PINYIN_SYLLABLE = re.compile(r"[a-z]+[1-5]?\Z")

NUMBER = re.compile(r"(?<![A-Za-z0-9.])(-|−)?(\d+)(?:\.(\d+))?(%|％)?(?![A-Za-z0-9])")


def integer_words(value: int) -> str:
    """An integer read aloud: 101 → 一百零一, 12 → 十二, 20000 → 兩萬."""
    if value < 0:
        return "負" + integer_words(-value)
    if value < 10:
        return DIGITS[value]
    if value >= 100_000_000:
        high, low = divmod(value, 100_000_000)
        return integer_words(high) + "億" + _rest(low, 10_000_000)
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        return ("兩" if high == 2 else integer_words(high)) + "萬" + _rest(low, 1000)
    words, zero_pending, started = "", False, False
    for unit, name in UNITS:
        digit, value = divmod(value, unit)
        if digit:
            if zero_pending:
                words += "零"
            # 十二, not 一十二, when ten leads the number; 兩百, 兩千 as they are said
            spoken_digit = "兩" if digit == 2 and unit >= 100 else DIGITS[digit]
            words += ("" if unit == 10 and digit == 1 and not started else spoken_digit) + name
            zero_pending, started = False, True
        elif started:
            zero_pending = True
    if value:
        words += ("零" if zero_pending else "") + DIGITS[value]
    return words


def _rest(low: int, below: int) -> str:
    """The part after 萬/億: 一萬零五 needs its 零 when a whole unit is skipped."""
    if low == 0:
        return ""
    return ("零" if low < below else "") + integer_words(low)


def number_words(sign: str | None, whole: str, fraction: str | None, percent: str | None,
                 before: str, after: str) -> str:
    """One number as spoken Chinese; a four-digit number before 年 is read digit by digit."""
    if after.lstrip().startswith("年") and len(whole) == 4 and not fraction and not percent:
        return "".join(DIGITS[int(d)] for d in whole)
    words = integer_words(int(whole))
    fraction = (fraction or "").rstrip("0")
    if fraction:
        words += "點" + "".join(DIGITS[int(d)] for d in fraction)
    if sign:
        previous = before.rstrip()[-1:]
        words = ("減" if (previous.isascii() and previous.isalnum()) or previous == ")" else "負") + words
    return ("百分之" + words) if percent else words


def pinyin_for_voice(pinyin: str) -> str:
    """'chóng xīn' or 'chong2 xin1' → 'chong2 xin1' (the voice reads tone digits)."""
    syllables = []
    for syllable in pinyin.lower().split():
        digit = ""
        plain = ""
        for char in syllable:
            mapped = TONE_MARKS.get(char, char)
            if len(mapped) == 2:
                plain += mapped[0]
                digit = mapped[1]
            else:
                plain += mapped
        if digit and not plain[-1].isdigit():
            plain += digit
        syllables.append(plain)
    return " ".join(syllables)


def bad_pinyin(pinyin: str) -> str | None:
    """Why a pronunciation entry cannot be voiced, or None."""
    syllables = pinyin_for_voice(pinyin).split()
    if not syllables:
        return "is empty"
    for syllable in syllables:
        if not PINYIN_SYLLABLE.match(syllable):
            return f"has '{syllable}', which is not a pinyin syllable (write like 'chong2 xin1' or 'chóng xīn')"
    return None


def read_aloud(text: str, readings: tuple[tuple[str, str], ...]) -> str:
    """`text` with each written form replaced by its words, in one pass, longest form first (so
    `x + Δx` reads Δx as a whole and a reading's words are never read again)."""
    if not readings:
        return text
    words = dict(readings)
    pattern = re.compile("|".join(re.escape(form) for form in sorted(words, key=len, reverse=True)))
    return pattern.sub(lambda match: f" {words[match.group(0)]} ", text)


def spoken(text: str, pronounce: tuple[tuple[str, str], ...] = ()) -> str:
    """What a voice is given for `text` (already read aloud): numbers and symbols in words and,
    for the draft voice, its `pronounce` words as tone-digit pinyin."""
    # Full-width digits, letters and ％ read like their ASCII forms; full-width punctuation stays.
    text = "".join(unicodedata.normalize("NFKC", c) if (c.isalnum() and ord(c) >= 0xFF00) or c == "％" else c
                   for c in text)
    for word, pinyin in sorted(pronounce, key=lambda entry: -len(entry[0])):
        if word in text:
            text = text.replace(word, f" {pinyin_for_voice(pinyin)} ")

    def replace(match: re.Match[str]) -> str:
        before, after = text[: match.start()], text[match.end():]
        return " " + number_words(match.group(1), match.group(2), match.group(3), match.group(4),
                                  before, after) + " "

    text = NUMBER.sub(replace, text)
    for symbol, words in SYMBOL_WORDS.items():
        text = text.replace(symbol, words)
    # A hyphen inside a Latin term (N-back) is a pause, not "minus".
    text = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def sayable(char: str) -> bool:
    """Whether the draft voice can say `char` once spoken() has rewritten numbers and symbols."""
    if char in PUNCTUATION or char in SYMBOL_WORDS or char.isspace():
        return True
    if char.isascii():
        return char.isalnum() or char in "%"
    if char in "％":
        return True
    return unicodedata.category(char) == "Lo" and "CJK" in unicodedata.name(char, "")


def unsayable(text: str) -> list[str]:
    """The characters of `text` the voice would skip or mangle (emoji, arrows, math symbols)."""
    found: list[str] = []
    for char in text:
        if not sayable(char) and char not in found:
            found.append(char)
    return found
