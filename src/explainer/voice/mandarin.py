"""Mixed Chinese and English text as Kokoro phonemes: Chinese words through misaki's Mandarin
G2P (jieba words, pypinyin readings: the path Kokoro v1.0 was trained with), the pronunciation
table's words by their pinyin (Taiwan readings: 知識 zhī shì), and Latin words as English
(voice/english.py), cut into chunks the model takes at sentence ends."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from explainer.voice.english import latin_runs, phonemize_latin

HAN_RUN = re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*\Z")
NON_SYLLABIC = chr(0x032F)   # misaki drops it: Kokoro's vocabulary has no such mark
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CLAUSE_END = re.compile(r"(?<=[,;:])\s+")

Table = tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def _g2p() -> type:
    import logging

    import jieba
    from misaki.zh import ZHG2P

    jieba.setLogLevel(logging.WARNING)   # its "Building prefix dict" lines are not the user's business
    return ZHG2P


def pinyin_phonemes(pinyin: str) -> str:
    """'zhi1 shi4' or 'zhī shì' as Kokoro phonemes, syllable by syllable."""
    from explainer.text.speech import pinyin_for_voice

    g2p = _g2p()
    return "".join(g2p.py2ipa(syllable if syllable[-1].isdigit() else syllable + "5")
                   for syllable in pinyin_for_voice(pinyin).split())


def _chinese(run: str, table: dict[str, str]) -> str:
    """A run of Chinese (and punctuation) as phonemes: table words by their pinyin, the rest by
    jieba's words, so a polyphone reads as its word does (重新 chóng, not zhòng)."""
    import jieba

    g2p = _g2p()
    pattern = re.compile("|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))) if table else None
    out: list[str] = []
    position = 0
    for han in HAN_RUN.finditer(run):
        out.append(run[position:han.start()])
        words: list[str] = []
        text, start = han.group(0), 0
        for fixed in (pattern.finditer(text) if pattern else ()):
            words.extend(g2p.word2ipa(w) for w in jieba.lcut(text[start:fixed.start()]))
            words.append(pinyin_phonemes(table[fixed.group(0)]))
            start = fixed.end()
        words.extend(g2p.word2ipa(w) for w in jieba.lcut(text[start:]))
        out.append(" ".join(w for w in words if w))
        position = han.end()
    out.append(run[position:])
    return "".join(out)


def phonemes(text: str, pronounce: Table = ()) -> str:
    """`text` (numbers already in words) as one string of Kokoro phonemes."""
    g2p = _g2p()
    chinese = {word: reading for word, reading in pronounce if not LATIN_WORD.match(word)}
    latin = {word: reading for word, reading in pronounce if LATIN_WORD.match(word)}
    pieces = []
    for run, is_latin in latin_runs(g2p.map_punctuation(text)):
        pieces.append(f" {phonemize_latin(run, latin)} " if is_latin else _chinese(run, chinese))
    joined = "".join(pieces).replace(NON_SYLLABIC, "")
    joined = re.sub(r"\s+([,.!?;:])", r"\1", joined)   # no pause-less gap before punctuation
    return re.sub(r"\s+", " ", joined).strip()


def phoneme_chunks(text: str, pronounce: Table, max_tokens: int, vocab: dict[str, int]) -> list[str]:
    """The text's phonemes in chunks of at most `max_tokens` symbols the model knows, cut at
    sentence ends, else at clause ends, else anywhere."""
    def size(piece: str) -> int:
        return sum(1 for symbol in piece if symbol in vocab)

    chunks: list[str] = []
    for sentence in _fitting(SENTENCE_END.split(phonemes(text, pronounce)), size, max_tokens):
        if chunks and size(chunks[-1]) + 1 + size(sentence) <= max_tokens:
            chunks[-1] += " " + sentence
        else:
            chunks.append(sentence)
    return [c for c in chunks if size(c)]


def _fitting(pieces: Iterable[str], size, max_tokens: int) -> list[str]:
    """Pieces no longer than `max_tokens`: a long sentence cut at its clauses, a long clause cut hard."""
    fitted: list[str] = []
    for piece in pieces:
        if size(piece) <= max_tokens:
            fitted.append(piece)
            continue
        for clause in CLAUSE_END.split(piece):
            while size(clause) > max_tokens:
                fitted.append(clause[:max_tokens])
                clause = clause[max_tokens:]
            if fitted and size(fitted[-1]) + 1 + size(clause) <= max_tokens:
                fitted[-1] += " " + clause
            else:
                fitted.append(clause)
    return fitted
