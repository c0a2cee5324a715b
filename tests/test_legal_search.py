"""Search by provision (issue 14): ``law:`` / ``art:`` / ``para:`` results equal the labelled truth.

Every hand-labelled case of tests/data/legal_citations.txt that stands on its own (no
``@`` default law, not read from the corpus) becomes one article of a real library, indexed
by the project's own indexing; the articles a provision query finds must be exactly those
whose labels cite that provision, in whatever form the text writes it (個資法第六條, 同法第6條,
個人資料保護法（下稱個資法）§6 ...).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.folding import fold
from reader.search.index import SearchIndex
from reader.search.passages import passages_json
from reader.search.searching import search
from tests.test_legal_references import CASES


def _standalone() -> list[dict]:
    return [c for c in CASES if c["default"] is None and not c["text"].startswith("corpus ")]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    root = tmp_path_factory.mktemp("legal")
    lib = root / "lib"
    lib.mkdir()
    truth: dict[str, list[tuple]] = {}
    for number, case in enumerate(_standalone()):
        name = f"case{number:03d}.md"
        (lib / name).write_text(f"---\ntitle: 案例 {number}\n---\n\n{case['text']}\n", encoding="utf-8")
        truth[name] = case["refs"]
    library = Library(lib.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    yield library, index, truth
    index.close()


def _found(index: SearchIndex, query: str) -> set[str]:
    result = search(index, query, limit=0, with_snippets=False)
    assert not result.rejected, result.message
    return {hit.path for hit in result.hits}


def test_the_labelled_library_is_large_enough(labelled) -> None:
    _, _, truth = labelled
    assert len(truth) >= 100
    assert sum(len(refs) for refs in truth.values()) >= 150


def test_law_queries_equal_the_labelled_truth(labelled) -> None:
    _, index, truth = labelled
    by_law: dict[str, set[str]] = defaultdict(set)
    for path, refs in truth.items():
        for kind, key, *_ in refs:
            if kind in ("statute", "instrument"):
                by_law[key].add(path)
    assert len(by_law) >= 15
    for key, expected in by_law.items():
        assert _found(index, f"law:{key}") == expected, key


def test_article_and_paragraph_queries_equal_the_labelled_truth(labelled) -> None:
    _, index, truth = labelled
    by_article: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_paragraph: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for path, refs in truth.items():
        for kind, key, article, paragraph, _item in refs:
            if kind == "statute" and article:
                by_article[(key, article)].add(path)
                if paragraph:
                    by_paragraph[(key, article, paragraph)].add(path)
    assert len(by_article) >= 40
    for (key, article), expected in by_article.items():
        assert _found(index, f"law:{key} art:{article}") == expected, (key, article)
    for (key, article, paragraph), expected in by_paragraph.items():
        assert _found(index, f"law:{key} art:{article} para:{paragraph}") == expected, (key, article, paragraph)


def test_short_names_and_full_width_syntax_find_the_same_articles(labelled) -> None:
    """The done-when check: law:個資法 art:6 finds the articles citing 個人資料保護法第6條 in
    any form; the law may be named by its full name, short name or pcode."""
    _, index, truth = labelled
    expected = {p for p, refs in truth.items() if any(r[1] == "I0050021" and r[2] == "6" for r in refs)}
    assert len(expected) >= 3
    for query in ("law:個資法 art:6", "law:個人資料保護法 art:6", "law:I0050021 art:6", "law：個資法 art：6",
                  "art:6 law:個資法", "law:個資法 art:第六條", "law:个资法 art:6"):
        assert _found(index, query) == expected, query


def test_provision_queries_combine_with_words_and_not(labelled) -> None:
    _, index, _ = labelled
    everything = _found(index, "law:個資法") | _found(index, "NOT law:個資法")
    assert _found(index, "NOT law:個資法") == everything - _found(index, "law:個資法")
    both = _found(index, "law:個資法 art:6 同意")
    assert both == _found(index, "law:個資法 art:6") & _found(index, "同意")
    assert _found(index, "law:刑法 OR law:民法") == _found(index, "law:刑法") | _found(index, "law:民法")


def test_unknown_laws_and_missing_levels_are_not_searched(labelled) -> None:
    _, index, _ = labelled
    for query, words in (("law:不存在的法 art:1", "不存在的法"), ("art:6", "law:"), ("law:個資法 para:1", "art:")):
        result = search(index, query)
        assert result.rejected and words in result.message, query


def test_passages_of_a_provision_query_are_its_citations(labelled) -> None:
    library, index, truth = labelled
    result = passages_json(index, library, "law:個資法 art:6")
    assert result["total_articles"] == len(_found(index, "law:個資法 art:6"))
    for article in result["articles"]:
        assert article["passages"], article["path"]
        for passage in article["passages"]:
            assert "<mark>" in passage["text"]
            # Each passage is a citation of the article: its mark names article 6 in a form.
            marked = passage["text"].split("<mark>", 1)[1].split("</mark>", 1)[0]
            assert "6" in fold(marked), marked
    assert result["total_passages"] >= result["total_articles"]
    assert Path(library.root).is_dir() and truth
