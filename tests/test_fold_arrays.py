"""The per-character folding by array lookup is ``str.translate`` of the table, offsets and
all: for any text (every plane, lone surrogates, characters that fold to several or none)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.search import folding, variants

ANY = st.characters(codec=None, exclude_categories=())
# Characters that fold: Han (Traditional/Simplified), full-width, compatibility forms,
# expansions (…, ﬁ, ①, ㈱), invisible ones (soft hyphen, zero-width space), astral letters.
FOLDING = st.sampled_from("個人資料機關條臺灣ＮＩＳＴＡＩ１２３…ﬁ①㈱\u00ad\u200b\ufeffｱｲ硏ⅣÅé\U0001d400\U0001f600\udc80\ud800")
TEXTS = st.lists(st.one_of(ANY, FOLDING), max_size=300).map("".join)


def reference(text: str) -> tuple[str, list[int] | None]:
    table, _ = folding._tables()
    folded = text.translate(table)
    if all(len(table.get(ord(c), c)) == 1 for c in text):
        return folded, None
    origin = [i for i, c in enumerate(text) for _ in table.get(ord(c), c)] + [len(text)]
    return folded, origin


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example("個人資料保護法第十二條" * 10)
@example("第十二條…" * 20)
@example("\udc80" * 60)
@example("\U0010ffff" * 60)
def test_folding_by_arrays_is_the_tables_translation(text: str) -> None:
    table, _ = folding._tables()
    assert folding.fold_chars(text) == text.translate(table)
    assert folding.fold_chars_with_offsets(text) == reference(text)
    assert variants.fold_chars(text) == text.translate(variants.full_table())


def test_long_article_text_takes_the_array_path_and_agrees() -> None:
    text = "依個人資料保護法第十二條規定，ＮＩＳＴ之ＡＩ風險管理框架（AI RMF）…" * 40
    assert folding._codes(text) is not None  # long and not ASCII: the arrays serve it
    assert folding.fold_chars(text) == text.translate(folding._tables()[0])
    folded, origin = folding.fold_chars_with_offsets(text)
    assert (folded, origin) == reference(text) and origin is not None  # … folds to three dots


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXTS, st.sampled_from(["", "\n", "甲\n乙", "ＡＩ\r\n"])), max_size=40))
@example(["個人資料保護法"] * 100)
def test_many_texts_fold_as_each_one_does(texts: list[str]) -> None:
    # (a window's 100,000 titles are folded in one call for their sort keys)
    assert folding.fold_chars_many(texts) == [folding.fold_chars(text) for text in texts]
