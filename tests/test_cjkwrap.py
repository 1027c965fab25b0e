"""On-screen line breaking: widths respected, no lone last character, Latin words kept whole."""

from explainer.text.linebreak import display_width, wrap


def test_no_single_character_alone_on_the_last_line():
    assert wrap("容量與處理方式", 6) == ["容量與", "處理方式"]   # words stay whole: 處理, 方式
    assert wrap("受限、序列式，在輸入間切換", 12) == ["受限、序列式，在輸入間", "切換"]


def test_lines_fit_and_latin_words_stay_whole():
    text = "Transformer 是一種神經網路架構，在 2017 年的經典論文《Attention Is All You Need》中首次提出。"
    lines = wrap(text, 12)
    assert all(display_width(line) <= 12 for line in lines if " " in line or len(line) > 1)
    joined = " ".join(lines)
    for word in ("Transformer", "2017", "Attention"):
        assert word in joined


def test_opening_bracket_never_ends_a_line():
    assert all(not line.endswith("「") for line in wrap("提問的意圖：這個詞「想要知道什麼」", 9))
