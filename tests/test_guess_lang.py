"""guess_lang picks zh-Hant, zh-Hans or en from the characters, as it always did (it now
counts with a regular expression instead of a call per character)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.folding import guess_lang, is_han, traditional_to_simplified


def reference(text: str) -> str:
    t2s = traditional_to_simplified()
    simplified = set(t2s.values()) - set(t2s)
    han = trad = simp = 0
    for char in text[:20000]:
        if is_han(char):
            han += 1
            if char in t2s:
                trad += 1
            elif char in simplified:
                simp += 1
    if han == 0:
        return "en"
    return "zh-Hans" if simp > trad else "zh-Hant"


def test_the_three_languages() -> None:
    assert guess_lang("Risk management for AI systems") == "en"
    assert guess_lang("個人資料保護法第六條規定") == "zh-Hant"
    assert guess_lang("个人资料保护法第六条规定") == "zh-Hans"
    assert guess_lang("") == "en"
    assert guess_lang("x" * 20000 + "個人資料") == "en"  # only the first 20,000 characters count


ALPHABET = st.sampled_from(list("個人资料保护法條条國国AI 、。ひらカナ々〇\U00020000\uf900") + ["\u4e00", "\u9fff", "a", "1"])


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_same_as_counting_character_by_character(text: str) -> None:
    assert guess_lang(text) == reference(text)
