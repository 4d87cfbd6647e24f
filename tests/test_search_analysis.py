"""The search index's text analysis (cms.search.analysis), without an app."""

import pytest

from cms.search.analysis import is_han, joined, tokens


@pytest.mark.parametrize(
    ("written", "as_searched"),
    [("Köln", "Koeln"), ("Straße", "Strasse"), ("Café", "cafe"), ("ÜBERSEE", "uebersee"), ("Ｃ２９", "c29")],
)
def test_german_spellings_fold_to_the_same_token(written, as_searched):
    assert tokens(written) == tokens(as_searched)


def test_words_are_split_on_punctuation_and_lower_cased():
    assert tokens("Zulieferer-Netzwerk, Düsseldorf (NRW)!") == ["zulieferer", "netzwerk", "duesseldorf", "nrw"]


def test_a_two_character_chinese_word_is_a_token_inside_longer_words():
    assert "合作" in tokens("中德合作项目")
    assert "合作" in tokens("国际合作伙伴")
    assert {"汽车", "零部件"} <= set(tokens("汽车零部件供应商"))


def test_mixed_text_keeps_both_scripts():
    assert {"foshan", "佛山"} <= set(tokens("Foshan 佛山"))


def test_nothing_in_nothing_out_and_overlong_words_dropped():
    assert tokens("") == [] and tokens(None) == [] and tokens("..., ;") == []
    assert tokens("a" * 41 + " kurz") == ["kurz"]
    assert joined("Köln Bonn") == "koeln bonn"


def test_chinese_tokens_are_told_apart():
    assert is_han("合作") and not is_han("koeln") and not is_han("")
