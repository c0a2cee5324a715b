"""Per-character folding classes of issue 14 (variant characters, invisible format characters,
dashes) against the independent oracle of tests/folding_oracle.py, with offsets."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search import folding
from reader.search.variants import (
    DASHES,
    INVISIBLE,
    compose_table,
    fold_chars,
    fold_chars_with_offsets,
    fold_full,
    variant_classes,
)
from tests import folding_oracle as oracle
from tests.conftest import CORPUS

REQUIRED = ["著着", "衛衞", "戶戸", "值値", "研硏", "舉擧", "概槪", "清淸", "青靑", "敘敍", "鄉鄕", "経經", "総總"]
INVISIBLE_NAMED = {"ZWSP": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "WJ": "\u2060", "BOM": "\ufeff", "SHY": "\u00ad"}


def test_the_oracle_agrees_with_the_ordinary_folding_where_nothing_new_applies() -> None:
    sample = "個人資料保護法ＮＩＳＴ Évaluation 机构 ½ ﬁ"
    assert "".join(oracle.base_char(c) for c in sample) == folding.fold_base(sample)


@pytest.mark.parametrize("pair", REQUIRED)
def test_each_required_variant_pair_is_one_character(pair: str) -> None:
    a, b = pair
    assert fold_chars(a) == fold_chars(b)
    assert oracle.char(a) == oracle.char(b)


def test_variant_merging_finds_words_written_either_way() -> None:
    assert fold_full("硏究") == fold_full("研究")
    assert fold_full("著作權法") == fold_full("着作权法")
    assert fold_full("戸籍謄本") == fold_full("戶籍謄本")
    assert fold_full("経濟総額") == fold_full("經濟總額")
    # Distinct Taiwanese characters stay distinct (OpenCC's Japanese table would merge them).
    for a, b in ("欠缺", "連聯", "予豫", "辨辯", "芸藝", "濾滬", "他它", "子只"):
        assert fold_chars(a) != fold_chars(b), (a, b)


@pytest.mark.parametrize("name", sorted(INVISIBLE_NAMED))
def test_invisible_characters_inside_words_are_ignored(name: str) -> None:
    mark = INVISIBLE_NAMED[name]
    for text in (f"透{mark}明度", f"透明{mark}度", f"NI{mark}ST", f"{mark}透明度{mark}"):
        assert fold_full(text) == fold_full(text.replace(mark, ""))


def test_dashes_fold_to_hyphen_minus() -> None:
    for cp in [*range(0x2010, 0x2016), 0x2212, 0xFE63, 0xFF0D]:
        assert fold_chars(f"COVID{chr(cp)}19") == "covid-19", hex(cp)
    assert fold_chars("ラーメン") != fold_chars("ラ-メン")  # the prolonged sound mark is no dash


def test_the_lists_are_the_oracle_lists() -> None:
    assert sorted(INVISIBLE) == sorted(oracle.INVISIBLE)
    assert sorted(DASHES) == sorted(oracle.DASHES)


# Characters the property tests draw from: every member of the required pairs, a sample of
# the other classes, invisible characters, dashes, and ordinary text.
_rng = random.Random(14)
_CLASS_SAMPLE = "".join(_rng.sample(variant_classes(), 60))
POOL = sorted(
    set("".join(REQUIRED) + _CLASS_SAMPLE + "研究所著作權法個資 AIai-_.，。（）")
    | {chr(c) for c in oracle.INVISIBLE[:30]}
    | {chr(c) for c in oracle.DASHES}
    | set("机构機構ＡＢ")
)


def _same_class(char: str) -> list[str]:
    for members in variant_classes():
        if char in members:
            return list(members)
    return [char]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=14), st.lists(st.integers(0, 10), max_size=14), st.lists(st.sampled_from(POOL), max_size=14))
def test_folding_equality_is_the_oracles(chars: list[str], picks: list[int], other: list[str]) -> None:
    a = "".join(chars)
    # b: the same text with characters swapped for others of their class, marks added.
    b_chars = []
    for index, char in enumerate(chars):
        members = _same_class(char)
        pick = picks[index] if index < len(picks) else 0
        b_chars.append(members[pick % len(members)])
        if pick == 7:
            b_chars.append("\u200b")
    b = "".join(b_chars)
    assert (fold_chars(a) == fold_chars(b)) == (oracle.chars(a) == oracle.chars(b)) is True
    c = "".join(other)
    assert (fold_chars(a) == fold_chars(c)) == (oracle.chars(a) == oracle.chars(c))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL + ["½", "ﬁ", "㍿"]), max_size=20))
def test_offsets_point_at_the_character_each_folded_character_came_from(chars: list[str]) -> None:
    text = "".join(chars)
    folded, origin = fold_chars_with_offsets(text)
    assert len(folded) == len(oracle.chars(text))
    if origin is None:
        assert len(folded) == len(text)
        origin = list(range(len(text) + 1))
    assert len(origin) == len(folded) + 1 and origin[-1] == len(text)
    assert origin == sorted(origin)
    for index, char in enumerate(folded):
        assert char in fold_chars(text[origin[index]])
    # Each original character is covered by exactly its own folded characters.
    counts = Counter(origin[:-1])
    for position, char in enumerate(text):
        assert counts.get(position, 0) == len(fold_chars(char))


def test_compose_table_does_not_depend_on_the_fold_direction() -> None:
    """Built on a Traditional-direction table, the classes still merge (the union is redone)."""
    base = {ord("经"): "經", ord("卫"): "衛"}
    table = compose_table(base)
    fold = lambda s: s.translate(table)  # noqa: E731
    assert fold("経") == fold("經") == fold("经")
    assert fold("衞") == fold("衛") == fold("卫")


def test_the_shipped_table_joins_no_two_characters_taiwans_laws_both_write() -> None:
    """The measure of a false merge (tools/build_variant_table.py --measure): a class that
    joins two characters each written 20 times or more in Taiwan's laws. Only the reviewed
    true variants 妝/粧 (化妝品, 化粧品) and 敘/敍 do."""
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    counts: Counter = Counter()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            law = json.loads(line)
            counts.update(law["name"])
            for article in law["articles"]:
                counts.update(article.get("text") or "")
    by_fold: Counter = Counter()
    for char, count in counts.items():
        by_fold[folding.fold_base(char)] += count
    busy = []
    for members in variant_classes():
        forms = {folding.fold_base(c) for c in members}
        used = sorted(f for f in forms if by_fold[f] >= 20)
        if len(used) >= 2:
            busy.append("".join(used))
    assert sorted(busy) == sorted(["妆粧", "叙敍"])
