"""English words in the Chinese narration, read for the neural voice: table, letters, lexicon, parts, espeak."""

from __future__ import annotations

import subprocess

import pytest

from explainer.voice import english
from explainer.voice.english import (
    english_phonemes,
    kokoro_vocab,
    latin_runs,
    lexicon,
    misaki_symbols,
    phonemize_latin,
    unknown_words,
)

LECTURE_WORDS = ("Transformer", "Query", "Key", "Value", "Softmax", "Logits", "ChatGPT", "Gemini", "Llama", "Meta",
                 "Google", "Cowan", "Attention", "Is", "All", "You", "Need", "N-back", "Next-Word", "Prediction",
                 "BERT", "GPT", "GenAI", "QKV", "AI", "Q", "K", "V", "T", "x", "d", "k", "z", "i")


def letters(word: str) -> str:
    return " ".join(lexicon()[letter.upper()] for letter in word)


def test_ai_is_two_letter_names_though_the_lexicon_has_it_as_one_word():
    assert lexicon()["AI"] == "ˈAˌI"
    assert english_phonemes("AI") == english.Reading(lexicon()["A"] + " " + lexicon()["I"], "letters")
    assert english_phonemes("AI").phonemes == "ˈA ˈI"


@pytest.mark.parametrize(("word", "said"), [("GPT", "ʤˈi pˈi tˈi"), ("QKV", "kjˈu kˈA vˈi"), ("LLM", "ˈɛl ˈɛl ˈɛm")])
def test_acronyms_the_lexicon_lacks_are_spelled(word, said):
    assert english_phonemes(word) == english.Reading(said, "letters")


@pytest.mark.parametrize("letter", ["Q", "K", "V", "T", "x", "d", "k", "z", "i", "a"])
def test_a_single_letter_is_its_name_even_where_the_lexicon_has_a_word(letter):
    # "a" is the article 'A' and "k" a word in the lexicon; alone in Chinese they are symbols.
    assert english_phonemes(letter) == english.Reading(lexicon()[letter.upper()], "letters")


def test_x_q_and_a_letter_names_by_hand():
    assert [english_phonemes(w).phonemes for w in ("x", "Q", "a")] == ["ˈɛks", "kjˈu", "ˈA"]


@pytest.mark.parametrize(("word", "said"), [("BERT", "bˈɜɹt"), ("NASA", "nˈæsə"), ("RAG", "ɹˈæɡ")])
def test_all_caps_words_the_lexicon_knows_as_words_are_words(word, said):
    assert english_phonemes(word) == english.Reading(said, "lexicon")


@pytest.mark.parametrize(("word", "said"), [
    ("Transformer", "tɹænsfˈɔɹməɹ"), ("Query", "kwˈɪɹi"), ("Key", "kˈi"), ("Value", "vˈælju"),
    ("Google", "ɡˈuɡᵊl"), ("Llama", "lˈɑmə"), ("Gemini", "ʤˈɛmənˌI"),
])
def test_words_come_from_the_lexicon_in_lower_case_when_not_as_written(word, said):
    assert word not in lexicon() or word == "Gemini"
    assert english_phonemes(word) == english.Reading(said, "lexicon")


def test_cowan_is_in_the_silver_lexicon():
    assert english_phonemes("Cowan") == english.Reading("kˈWən", "lexicon")


def test_camel_case_is_read_by_parts():
    assert english_phonemes("ChatGPT") == english.Reading(lexicon()["chat"] + " " + letters("GPT"), "compound")
    assert english_phonemes("GenAI") == english.Reading("ʤˈɛn ˈA ˈI", "compound")


def test_hyphenated_words_are_read_by_parts():
    assert english_phonemes("N-back") == english.Reading("ˈɛn bˈæk", "compound")
    assert english_phonemes("Next-Word") == english.Reading("nˈɛkst wˈɜɹd", "compound")


@pytest.mark.parametrize("word", ["softmax", "Softmax"])
def test_two_lexicon_words_written_as_one_are_read_apart(word):
    assert english_phonemes(word) == english.Reading(lexicon()["soft"] + " " + lexicon()["max"], "compound")


def test_a_joined_word_is_not_split_before_a_vowel():
    assert "log" in lexicon() and "its" in lexicon()
    assert english_phonemes("logits").source == "espeak"


def test_a_table_entry_between_slashes_is_used_as_written():
    assert english_phonemes("Cowan", {"Cowan": "/kˈaʊən/"}) == english.Reading("kˈaʊən", "table")


def test_a_table_respelling_is_looked_up_again():
    reading = english_phonemes("Cowan", {"Cowan": "cow in"})
    assert reading == english.Reading(lexicon()["cow"] + " " + lexicon()["in"], "table")
    assert reading.phonemes == "kˈW ɪn"


def test_a_respelling_is_read_without_the_table():
    table = {"Cowan": "cow in", "cow": "/mˈu/"}
    assert english_phonemes("Cowan", table).phonemes == "kˈW ɪn"


def test_the_table_is_keyed_by_the_word_as_written():
    assert english_phonemes("cowan", {"Cowan": "/kˈaʊən/"}).source == "lexicon"


def test_the_table_reaches_the_parts_of_a_compound():
    assert english_phonemes("Vaswani-style", {"Vaswani": "/vəswˈɑni/"}) == \
        english.Reading("vəswˈɑni " + lexicon()["style"], "compound")


def test_a_table_symbol_kokoro_lacks_is_rejected_by_name():
    with pytest.raises(ValueError, match=r"'Cowan'.*'ɫ' \(U\+026B\)"):
        english_phonemes("Cowan", {"Cowan": "/kˈaʊəɫ/"})


def test_an_empty_table_entry_is_rejected():
    with pytest.raises(ValueError, match="is empty"):
        english_phonemes("Cowan", {"Cowan": "/ /"})


@pytest.mark.parametrize("entry", ["//", "考恩", "cow, in"])
def test_a_table_entry_neither_phonemes_nor_a_respelling_is_rejected(entry):
    with pytest.raises(ValueError, match="neither /phonemes/ nor a Latin respelling"):
        english_phonemes("Cowan", {"Cowan": entry})


@pytest.mark.parametrize("word", ["注意", "GPT4", "", "-back"])
def test_only_latin_words_are_read(word):
    with pytest.raises(ValueError, match="not a Latin word"):
        english_phonemes(word)


@pytest.mark.parametrize(("word", "said"), [("logits", "lˈɑʤɪts"), ("Logits", "lˈɑʤɪts"), ("Vaswani", "væswˈɑni")])
def test_words_nothing_else_knows_fall_to_espeak(word, said):
    assert english_phonemes(word) == english.Reading(said, "espeak")


def test_a_compound_with_an_unknown_part_falls_to_espeak_whole():
    assert english_phonemes("Vaswani-style").source == "espeak"


@pytest.mark.parametrize(("ipa", "misaki"), [
    ("kˈa^ʊən", "kˈWən"),              # diphthong
    ("tɹænsfˈoː^ɹmɚ", "tɹænsfˈɔɹməɹ"),  # espeak < 1.52's o, length, r-coloured schwa
    ("lˈɑːd^ʒɪts", "lˈɑʤɪts"),          # affricate
    ("nˈe^ɪʃən", "nˈAʃən"),
    ("həlˈo^ʊ", "həlˈO"),
    ("bˈʌʔn̩", "bˈʌtn"),                # glottal stop before syllabic n
    ("bˈɑːɾə^l", "bˈɑTᵊl"),             # flap, dark l
    ("bˈɜːt", "bˈɜɹt"),
    ("bˈʌtn̩", "bˈʌtᵊn"),               # syllabic consonant
])
def test_espeak_ipa_becomes_misaki_symbols(ipa, misaki):
    assert misaki_symbols(ipa) == misaki


@pytest.mark.parametrize("word", LECTURE_WORDS)
def test_every_reading_is_in_kokoros_vocabulary_and_not_empty(word):
    phonemes = english_phonemes(word).phonemes
    assert phonemes.strip()
    assert set(phonemes) <= kokoro_vocab()


def test_every_lexicon_reading_is_in_kokoros_vocabulary():
    assert {symbol for phonemes in lexicon().values() for symbol in phonemes} <= kokoro_vocab()


def test_the_vocabulary_is_kokoro_v1():
    assert len(kokoro_vocab()) == 114
    assert {"ˈ", "ˌ", " ", "A", "I", "O", "W", "Y", "T", "ʤ", "ʧ", "ᵊ", "ᵻ"} <= kokoro_vocab()


def test_unknown_words_are_the_espeak_ones_each_once_without_running_espeak(monkeypatch):
    def no_espeak(*args, **kwargs):
        raise AssertionError("unknown_words ran a program")

    monkeypatch.setattr(subprocess, "run", no_espeak)
    text = "Cowan 說 Transformer 的 logits 經過 Softmax；logits 與 Vaswani-style 的 QKV、ChatGPT、N-back、x"
    assert unknown_words(text, {}) == ["logits", "Vaswani-style"]
    assert unknown_words(text, {"logits": "low jits"}) == ["Vaswani-style"]
    assert unknown_words(text, {"Vaswani": "/vəswˈɑni/"}) == ["logits"]


def test_unknown_words_rejects_a_bad_table_entry_it_meets():
    with pytest.raises(ValueError, match="'ɫ'"):
        unknown_words("logits", {"logits": "/lˈoʊʤɪɫs/"})


def test_latin_runs_keep_a_title_together_and_leave_digits_and_chinese_out():
    assert latin_runs("讀 Attention Is All You Need 論文，Q、K、V 與 GPT4") == [
        ("讀 ", False), ("Attention Is All You Need", True), (" 論文，", False), ("Q", True), ("、", False),
        ("K", True), ("、", False), ("V", True), (" 與 ", False), ("GPT", True), ("4", False),
    ]


def test_latin_runs_start_and_end_with_latin():
    assert latin_runs("N-back 作業 Next-Word Prediction") == [
        ("N-back", True), (" 作業 ", False), ("Next-Word Prediction", True),
    ]
    assert latin_runs("") == []


def test_a_run_is_read_word_by_word():
    assert phonemize_latin("Attention Is All You Need", {}) == "ətˈɛnʧən ɪz ˈɔl ju nˈid"
    assert phonemize_latin("Next-Word Prediction", {}) == "nˈɛkst wˈɜɹd pɹidˈɪkʃən"
    assert phonemize_latin("Cowan", {"Cowan": "/kˈaʊən/"}) == "kˈaʊən"
