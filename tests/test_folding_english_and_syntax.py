"""English inflections only (never derivations), and full-width query syntax as a Chinese input
method types it, parsed by the real query parser (issue 14)."""

from __future__ import annotations

import pytest

from reader.search.inflection import stem
from reader.search.query import DateRange, Leaf, Op, parse_strict
from reader.search.query_syntax import normalize_syntax, prepare_query

INFLECTIONS = [
    ("evaluations", "evaluation"), ("evaluated", "evaluate"), ("evaluating", "evaluates"),
    ("policies", "policy"), ("organizations", "organization"), ("models", "model"), ("modeling", "model"),
    ("uses", "use"), ("used", "using"), ("agreed", "agree"), ("agreeing", "agrees"), ("boxes", "box"),
    ("matches", "match"), ("applied", "apply"), ("hopping", "hop"), ("standards", "standard"),
    ("summits", "summit"), ("institutes", "institute"), ("regulations", "regulation"), ("classes", "class"),
    ("nist's", "nist"), ("companies'", "company"), ("processes", "process"),
]
DERIVATIONS = [
    ("organic", "organization"), ("organic", "organize"), ("policy", "police"), ("evaluation", "evaluate"),
    ("general", "generalize"), ("national", "nation"), ("government", "govern"), ("formal", "form"),
    ("standardization", "standard"), ("institution", "institute"), ("active", "action"), ("news", "new"),
    ("economics", "economic"), ("hoping", "hopping"), ("us", "use"), ("evening", "even"), ("during", "dure"),
    ("political", "politics"), ("regulation", "regulate"),
]


@pytest.mark.parametrize("a,b", INFLECTIONS)
def test_inflections_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize("a,b", DERIVATIONS)
def test_derivations_do_not(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_words_it_leaves_alone() -> None:
    for word in ("ai", "is", "gas", "bias", "status", "analysis", "data", "tevv", "gdpr", "café", "5g", "iso27001"):
        assert stem(word) == word
    assert all(len(stem(w)) >= 3 for w in ("uses", "used", "using", "ties", "lies", "does"))


def test_full_width_syntax_is_mapped_one_character_to_one() -> None:
    raw = "title：ＡＩ （5G ＯＲ 6G） －GDPR “AI 安全” 「人工智慧」　『個資』"
    mapped = normalize_syntax(raw)
    assert len(mapped) == len(raw)
    assert mapped == 'title:AI (5G OR 6G) -GDPR "AI 安全" "人工智慧" "個資"'


def test_the_query_parser_understands_full_width_syntax() -> None:
    tree = parse_strict(prepare_query("title：AI （5G OR 6G） －GDPR “AI 安全” date：2024"))
    assert isinstance(tree, Op) and tree.kind == "and"
    title, either, negated, phrase, date = tree.children
    assert title == Leaf("AI", "title", False)
    assert isinstance(either, Op) and either.kind == "or" and [c.text for c in either.children] == ["5G", "6G"]
    assert isinstance(negated, Op) and negated.kind == "not" and negated.children[0].text == "GDPR"
    assert phrase == Leaf("AI 安全", None, True)
    assert isinstance(date, DateRange) and date.start == "2024"
    assert parse_strict(prepare_query("「人工智慧 安全」")) == Leaf("人工智慧 安全", None, True)


def test_numbering_in_a_raw_query_stays_one_word() -> None:
    assert parse_strict(prepare_query("第 3 條 之 1 個資")) == Op("and", [Leaf("第3條之1"), Leaf("個資")])
    assert prepare_query("law：個資法 art：6") == "law:個資法 art:6"


def test_query_terms_find_every_inflection_in_an_index_of_words_and_stems() -> None:
    """With the index's rule (a word, and ~stem when the stem differs), the query terms of any
    form reach every document word of the same stem, and no other."""
    from reader.search.inflection import query_terms

    words = [w for pair in INFLECTIONS + DERIVATIONS for w in pair] + ["agreed", "releases", "analyses", "evaluate"]
    index: dict[str, set[str]] = {}
    for word in words:
        index.setdefault(word, set()).add(word)
        if stem(word) != word:
            index.setdefault("~" + stem(word), set()).add(word)
    for query in words:
        found = set().union(*(index.get(term, set()) for term in query_terms(query)))
        assert found == {w for w in words if stem(w) == stem(query)}, query
        assert query_terms(query)[0] == query
