"""The core promise: search results equal a substring oracle (grep after folding).

Hundreds of queries are sampled from a generated library of real law prose: Han substrings of
1-8 characters (present and absent), English words, and mixed Latin+Han strings. For each,
the articles returned must be exactly the articles whose folded text contains the query
(English words at word boundaries, which is what a word search means).
"""

from __future__ import annotations

import random
import re

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.analysis import _HAN, stem
from reader.search.documents import FIELD_SEPARATOR, field_texts
from reader.search.folding import fold
from reader.search.index import SearchIndex
from reader.search.searching import search
from tests.conftest import CORPUS
from tests.generate import generate_library

ARTICLES = 250
WORDCHAR = rf"[^\W_{_HAN}]"


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    root = tmp_path_factory.mktemp("corpus")
    generate_library(CORPUS, root / "lib", ARTICLES)
    library = Library((root / "lib").resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    texts = {}
    for entry in catalog.entries():
        article = library.load(entry.article.path)
        texts[entry.article.path] = fold(FIELD_SEPARATOR.join(field_texts(article).values()))
    yield index, texts
    index.close()
    catalog.close()


def oracle(texts: dict[str, str], query: str) -> set[str]:
    folded = fold(query)
    pattern = re.escape(folded)
    if re.match(WORDCHAR, folded):
        pattern = rf"(?<!{WORDCHAR})" + pattern
    if re.search(WORDCHAR + r"\Z", folded):
        pattern += rf"(?!{WORDCHAR})"
    compiled = re.compile(pattern)
    return {path for path, text in texts.items() if compiled.search(text)}


def found(index: SearchIndex, query: str) -> set[str]:
    return {hit.path for hit in search(index, query, limit=0, with_snippets=False).hits}


def _han_queries(texts: dict[str, str], rng: random.Random, count: int) -> list[str]:
    docs = list(texts.values())
    queries = []
    while len(queries) < count:
        text = rng.choice(docs)
        runs = [m.group(0) for m in re.finditer(rf"[{_HAN}]+", text)]
        run = rng.choice(runs)
        length = min(len(run), 1 + len(queries) % 8)
        start = rng.randrange(len(run) - length + 1)
        queries.append(run[start : start + length])
    return queries


def test_han_queries_of_1_to_8_characters_equal_grep(corpus_index) -> None:
    index, texts = corpus_index
    rng = random.Random(1)
    misses = []
    for query in _han_queries(texts, rng, 240):
        expected, got = oracle(texts, query), found(index, query)
        if expected != got:
            misses.append((query, len(expected), len(got)))
    assert misses == []


def test_absent_and_boundary_crossing_han_strings_equal_grep(corpus_index) -> None:
    index, texts = corpus_index
    rng = random.Random(2)
    chars = sorted({c for text in list(texts.values())[:20] for c in text if re.match(rf"[{_HAN}]", c)})
    misses = []
    for _ in range(80):
        query = "".join(rng.choice(chars) for _ in range(rng.randint(2, 4)))  # mostly absent
        if oracle(texts, query) != found(index, query):
            misses.append(query)
    # Strings that cross a punctuation mark must not match across it.
    for query in ("之規定", "法第", "條第一項", "立之", "事細"):
        if oracle(texts, query) != found(index, query):
            misses.append(query)
    assert misses == []


def test_english_words_match_at_word_boundaries_and_stems(corpus_index) -> None:
    index, texts = corpus_index
    for word in ("NIST", "TEVV", "GDPR", "Seoul", "OECD", "ChatGPT", "ai", "iso", "27001"):
        assert found(index, word) == oracle(texts, word), word
    # A stemmed word finds every exact occurrence and the other forms of the word.
    exact = oracle(texts, "evaluation") | oracle(texts, "evaluations")
    assert found(index, "evaluations") == exact
    for path in found(index, "evaluations"):
        assert any(stem(w) == stem("evaluations") for w in re.findall(r"[a-z]+", texts[path]))


def test_mixed_latin_and_han_queries_equal_grep(corpus_index) -> None:
    index, texts = corpus_index
    rng = random.Random(3)
    queries = set()
    for text in texts.values():
        for match in re.finditer(rf"([A-Za-z]+)([{_HAN}]{{1,3}})|([{_HAN}]{{1,3}})([A-Za-z]+)", text):
            queries.add(match.group(0))
    sample = rng.sample(sorted(queries), min(60, len(queries))) + ["ai安全", "nist法", "之gdpr"]
    misses = [q for q in sample if oracle(texts, q) != found(index, q)]
    assert misses == []


def test_full_width_and_simplified_queries(corpus_index) -> None:
    index, texts = corpus_index
    assert found(index, "ＧＤＰＲ") == found(index, "GDPR") == oracle(texts, "GDPR")
    assert found(index, "个人资料") == oracle(texts, "個人資料") != set()
    assert found(index, "个人资料") == found(index, "個人資料")


def test_several_words_are_all_required(corpus_index) -> None:
    index, texts = corpus_index
    expected = oracle(texts, "主管機關") & oracle(texts, "NIST")
    assert found(index, "主管機關 NIST") == expected
    assert found(index, '"主管機關"') == oracle(texts, "主管機關")


def test_and_or_not_equal_the_set_algebra_of_their_parts(corpus_index) -> None:
    """AND gives each next part only the documents still in the running (and stops at an
    empty one); the answer must stay exactly the set algebra of the parts' oracles."""
    index, texts = corpus_index
    rng = random.Random(7)
    leaves = _han_queries(texts, rng, 60) + ["NIST", "TEVV", "不存在的詞語"]
    everything = set(texts)
    for _ in range(60):
        a, b, c = rng.sample(leaves, 3)
        cases = {
            f"{a} {b} {c}": oracle(texts, a) & oracle(texts, b) & oracle(texts, c),
            f"{a} -{b}": oracle(texts, a) - oracle(texts, b),
            f"({a} OR {b}) {c}": (oracle(texts, a) | oracle(texts, b)) & oracle(texts, c),
            f"{a} NOT ({b} OR {c})": oracle(texts, a) - oracle(texts, b) - oracle(texts, c),
            f"NOT {a}": everything - oracle(texts, a),
        }
        for query, expected in cases.items():
            assert found(index, query) == expected, query
