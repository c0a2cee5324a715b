"""Postings read over many segments with deleted documents: a term is looked for only in
the segments known to hold it (reader.search.postings), deleted documents are dropped
without Whoosh's filter, and a phrase of words is decided and ranked by the terms of its
white space (index format 11). Whichever is asked first, everything equals Whoosh's own
reader and a grep of the articles as they are now."""

from __future__ import annotations

import random

import numpy as np
import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.analysis import space_term
from reader.search.folding import fold_chars
from reader.search.index import SearchIndex
from reader.search.postings import PostingCache
from reader.search.query import parse_query
from reader.search.ranking import flatten, rank
from reader.search.searching import _Evaluator, search
from tests import folding_oracle
from tests.test_completeness import phrase_oracle

PHRASES = ["risk management", "AI Seoul Summit", "model evaluation", "risk assessment", "Seoul 峰會", "人工智慧 AI"]
FILLER = ["主管機關", "風險", "與", "management", "risk", "Seoul", "AI", "評估", "。"]


def _body(rng: random.Random) -> str:
    parts = rng.choices(PHRASES + FILLER, k=rng.randint(4, 30))
    return "".join(part + rng.choice([" ", "", "\n", "，"]) for part in parts)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """Five commits of 16 articles each (five segments: MERGE_LIMIT 0 keeps them apart);
    each commit after the first also changes three older articles and deletes one, so the
    older segments hold deleted documents. Tags only from the third commit on: the tags
    field is empty in the first two segments."""
    from reader.search import index as index_module

    patch = pytest.MonkeyPatch()
    patch.setattr(index_module, "MERGE_LIMIT", 0)
    root = tmp_path_factory.mktemp("segments")
    rng = random.Random(11)
    library_dir = root / "library"
    library_dir.mkdir()
    library = Library(library_dir.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    search_index = SearchIndex(library.index_dir)
    texts: dict[str, list[str]] = {}

    def write(name: str, batch: int) -> None:
        tag = rng.choice(["risk management", "AI", "隱私"]) if batch >= 2 else ""
        title = rng.choice(PHRASES + ["法規彙編", "會議紀錄"])
        body = _body(rng)
        tags = f"tags: [{tag}]\n" if tag else ""
        (library_dir / name).write_text(f"---\ntitle: {title}\n{tags}---\n\n{body}\n", encoding="utf-8")
        texts[name] = [title, tag, body]  # each field apart: a phrase never spans two

    for batch in range(5):
        changed = set()
        for n in range(batch * 16, batch * 16 + 16):
            write(f"{n:03}.md", batch)
            changed.add(f"{n:03}.md")
        if batch:
            older = sorted(name for name in texts if name not in changed)
            for name in rng.sample(older, 3):
                write(name, batch)
                changed.add(name)
            gone = rng.choice([name for name in sorted(texts) if name not in changed])
            (library_dir / gone).unlink()
            del texts[gone]
            changed.add(gone)
        catalog.rescan()
        search_index.update(library, catalog, only=changed)
    yield search_index, texts
    search_index.close()
    catalog.close()
    patch.undo()


def _terms() -> list[tuple[str, str]]:
    words = ["risk", "management", "seoul", "ai", "summit", "evaluation", fold_chars("風險"), fold_chars("評估"),
             fold_chars("峰會"), "absent", space_term("risk", "management"), space_term("ai", "seoul"),
             space_term("seoul", "峰"), space_term("慧", "ai"), space_term("no", "such")]
    return [(field, term) for field in ("title", "tags", "body", "notes") for term in words]


def test_the_index_has_segments_with_deleted_documents(indexed) -> None:
    index, _texts = indexed
    leaves = index.searcher().reader().leaf_readers()
    assert len(leaves) >= 5
    assert sum(bool(reader.deleted_docs_set) for reader, _ in leaves) >= 3
    assert any(reader.field_length("tags") == 0 for reader, _ in leaves)


@pytest.mark.parametrize("first", ["postings", "frequency", "values", "positions"])
def test_postings_equal_whooshs_whichever_is_asked_first(indexed, first: str) -> None:
    index, _texts = indexed
    searcher = index.searcher()
    reader = searcher.reader()
    cache = PostingCache(searcher)
    live = sorted(reader.all_doc_ids())  # (the searches never ask for deleted documents)
    some, first_segment = set(live[::3]), set(live[:4])
    for field, term in _terms():
        expected = dict(reader.postings(field, term).items_as("weight")) if (field, term) in reader else {}
        values = dict(reader.postings(field, term).all_items()) if (field, term) in reader else {}
        asks = {
            "postings": lambda f=field, t=term: cache.postings(f, t),
            "frequency": lambda f=field, t=term: cache.doc_frequency(f, t),
            "values": lambda f=field, t=term: cache.values(f, t, first_segment),
            "positions": lambda f=field, t=term: cache.positions(f, t, some),
        }
        asks[first]()
        ids, weights = cache.postings(field, term)
        assert ids.tolist() == sorted(expected), (field, term)
        assert np.allclose(weights, [expected[d] for d in sorted(expected)])
        assert cache.doc_frequency(field, term) == reader.doc_frequency(field, term), (field, term)
        assert cache.values(field, term, some) == {d: v for d, v in values.items() if d in some}, (field, term)
        docs, _positions = cache.positions(field, term, some)
        assert sorted(set(docs.tolist())) == sorted(d for d in values if d in some)


def _grep(texts: dict[str, list[str]], phrase: str) -> set[str]:
    """The articles with a field whose folded text holds the phrase, any white space for its
    white space, Latin ends at word boundaries (a Han character is no word character here)."""
    found = set()
    for field in range(3):
        found |= phrase_oracle({name: folding_oracle.full(fields[field]) for name, fields in texts.items()}, phrase)
    return found


@pytest.mark.parametrize("phrase", PHRASES + ["management risk", "Seoul Summit", "risk 與"])
def test_a_phrase_finds_the_articles_as_they_are_now(indexed, phrase: str) -> None:
    index, texts = indexed
    result = search(index, f'"{phrase}"', limit=None, with_snippets=False)
    assert {hit.path for hit in result.hits} == _grep(texts, phrase)
    assert result.total == len(_grep(texts, phrase))


@pytest.mark.parametrize("phrase", ["risk management", "AI Seoul Summit", "model evaluation"])
def test_a_phrase_of_words_ranks_by_its_white_space_as_whoosh_would(indexed, phrase: str) -> None:
    index, texts = indexed
    searcher = index.searcher()
    evaluator = _Evaluator(searcher)
    parsed = parse_query(f'"{phrase}"')
    allowed = evaluator.exact_set(parsed.root)
    ranking = evaluator.ranking_query(parsed.root)
    terms = flatten(ranking)
    assert terms and all(term.startswith(" ") for _, term, _ in terms)  # the white space's terms
    ours = rank(searcher, PostingCache(searcher), ranking, allowed, None)
    found = searcher.search(ranking, limit=None, filter=allowed, terms=False)
    theirs = [(hit.score, hit.docnum) for hit in found]
    assert [d for _, d in ours[: len(theirs)]] == [d for _, d in theirs]
    assert np.allclose([s for s, _ in ours[: len(theirs)]], [s for s, _ in theirs])
    # Title first: the articles with the phrase in their title come before the others.
    hits = search(index, f'"{phrase}"', limit=None, with_snippets=False).hits
    in_title = [fold_chars(phrase) in fold_chars(hit.title) for hit in hits]
    assert any(in_title) and in_title == sorted(in_title, reverse=True)


def test_a_segment_reader_without_the_deleted_set_keeps_whooshs_filter(indexed) -> None:
    """Deleted documents are dropped without Whoosh's filter only where the reader says which
    they are; another reader (an older or newer Whoosh) keeps its own filter: fail closed."""
    from reader.search.postings import _leaf_arrays, _postings_of

    class Hidden:  # a segment reader that lacks deleted_docs_set
        def __init__(self, reader) -> None:
            self._reader = reader

        def __getattr__(self, name):
            if name == "deleted_docs_set":
                raise AttributeError(name)
            return getattr(self._reader, name)

    index, _texts = indexed
    searcher = index.searcher()
    cache = PostingCache(searcher)
    checked = 0
    for reader, _offset in searcher.reader().leaf_readers():
        if not reader.deleted_docs_set or ("body", "risk") not in reader:
            continue
        matcher, alive = cache._unwrapped(0, Hidden(reader), _postings_of(Hidden(reader), "body", "risk"))
        ids = np.concatenate(_leaf_arrays(matcher)[0]).tolist()
        assert alive is None
        assert ids == [d for d, _ in reader.postings("body", "risk").items_as("weight")]
        assert not set(ids) & reader.deleted_docs_set
        checked += 1
    assert checked
