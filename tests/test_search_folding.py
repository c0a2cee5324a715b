"""The folding of issue 14 wired into search: index, queries, snippets and passages.

A small real library (a real Whoosh index in tmp_path) written with each folding class;
every query must find exactly the articles a user expects, mark the original characters,
and count its passages in the folded text with offsets into the original.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.render.article import render_article
from reader.search.index import SearchIndex
from reader.search.passages import passages_json
from reader.search.searching import search

ARTICLES = {
    "numbers.md": ("條文", "依第三條規定；另依第 3 條及第十二條之一，應於三十日內繳納一百萬元。"),
    "arabic.md": ("條文二", "依第3條第1項，應於30日內；第12條之1亦同。"),
    "thirteen.md": ("不相干", "第13條與第30條規定不同；三權分立。"),
    "variants.md": ("硏究報告", "本硏究着重衞生與戸籍，値得注意。"),
    "invisible.md": ("透明", "透\u200b明\u00ad度報告與A\u2060I安全。"),
    "dashes.md": ("dash", "AI\u2013安全 與 GDPR\u2212Art 的比較。"),
    "english.md": ("english", "The organizations published evaluations of policies."),
    "organic.md": ("organic", "Organic farming and police work."),
    "exact.md": ("exact", "One evaluation only."),
    "syntax.md": ("5G 網路", "5G 與 6G 的 AI 安全 規範，不涉 GDPR。"),
    "dashform.md": ("dash numbering", "依第 12-1 條規定辦理，條規定另見之。"),
}


@pytest.fixture(scope="module")
def library_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("folding")
    lib = root / "lib"
    lib.mkdir()
    for name, (title, body) in ARTICLES.items():
        (lib / name).write_text(f"---\ntitle: {title}\n---\n\n{body}\n", encoding="utf-8")
    library = Library(lib.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    yield library, index
    index.close()


def found(index: SearchIndex, query: str) -> set[str]:
    result = search(index, query, limit=0, with_snippets=False)
    assert not result.rejected and not result.fallback, (query, result.message)
    return {hit.path for hit in result.hits}


@pytest.mark.parametrize("query", ["第3條", "第三條", "第 3 條", "第３條", "第3条"])
def test_every_way_of_writing_an_article_number_finds_every_other(library_index, query: str) -> None:
    _, index = library_index
    assert found(index, query) == {"numbers.md", "arabic.md"}  # never 第13條 or 第30條


def test_counted_units_and_sub_articles(library_index) -> None:
    _, index = library_index
    assert found(index, "30日內") == found(index, "三十日內") == {"numbers.md", "arabic.md"}
    assert found(index, "第12條之1") == found(index, "第十二條之一") == found(index, "第 12-1 條") == {"numbers.md", "arabic.md", "dashform.md"}
    assert found(index, "100萬元") == {"numbers.md"}
    assert found(index, "三權分立") == {"thirteen.md"}  # 三 outside numbering stays 三
    assert found(index, "三條") == {"numbers.md", "arabic.md"}  # cut at the edge of 第三條


def test_variants_invisible_characters_and_dashes(library_index) -> None:
    _, index = library_index
    assert found(index, "研究") == found(index, "硏究") == {"variants.md"}
    for query in ("著重", "衛生", "戶籍", "值得"):
        assert found(index, query) == {"variants.md"}, query
    assert found(index, "透明度") == {"invisible.md"}
    assert found(index, "AI安全") >= {"invisible.md"}
    assert found(index, "AI-安全") == {"dashes.md"}
    assert found(index, '"GDPR-Art"') == {"dashes.md"}


def test_english_inflections_only_and_exact_forms_first(library_index) -> None:
    _, index = library_index
    assert found(index, "organization") == {"english.md"}
    assert found(index, "organic") == {"organic.md"}
    assert found(index, "policy") == {"english.md"}
    assert found(index, "police") == {"organic.md"}
    ranked = search(index, "evaluation", limit=0)
    assert [h.path for h in ranked.hits][0] == "exact.md"
    assert {h.path for h in ranked.hits} == {"exact.md", "english.md"}
    ranked = search(index, "evaluations", limit=0)
    assert [h.path for h in ranked.hits][0] == "english.md"


def test_full_width_query_syntax(library_index) -> None:
    _, index = library_index
    assert found(index, "title：硏究") == {"variants.md"}
    assert found(index, "AI －GDPR") == found(index, "AI -GDPR")
    assert "syntax.md" not in found(index, "AI －GDPR")
    assert found(index, "（5G OR 6G） 安全") == {"syntax.md"}
    assert found(index, "“AI 安全”") == found(index, '"AI 安全"') == {"syntax.md"}
    assert found(index, "「AI 安全」") == {"syntax.md"}


def test_snippets_mark_the_original_characters(library_index) -> None:
    _, index = library_index
    snippet = search(index, "第3條").hits
    marks = {h.path: h.snippet for h in snippet}
    assert "<mark>第三條</mark>" in marks["numbers.md"] and "<mark>第 3 條</mark>" in marks["numbers.md"]
    assert "<mark>硏究</mark>" in search(index, "研究").hits[0].snippet
    assert "<mark>透\u200b明\u00ad度</mark>" in search(index, "透明度").hits[0].snippet


def test_passages_count_in_the_folded_text_and_point_at_the_original(library_index) -> None:
    library, index = library_index
    result = passages_json(index, library, "第3條")
    by_path = {a["path"]: a["passages"] for a in result["articles"]}
    assert set(by_path) == {"numbers.md", "arabic.md"}
    assert result["total_passages"] == 3  # 第三條, 第 3 條, 第3條
    for path, items in by_path.items():
        text = render_article(library.load(path)).text
        for item in items:
            assert text[item["start"] : item["end"]] in ("第三條", "第 3 條", "第3條")
    twelve = passages_json(index, library, "第12條之1")
    matched = sorted(
        render_article(library.load(a["path"])).text[p["start"] : p["end"]] for a in twelve["articles"] for p in a["passages"]
    )
    assert matched == ["第 12-1 條", "第12條之1", "第十二條之一"]
    money = passages_json(index, library, "一百萬元")
    (article,) = money["articles"]
    (item,) = article["passages"]
    assert render_article(library.load("numbers.md")).text[item["start"] : item["end"]] == "一百萬元"


def test_the_reordered_dash_numbering_is_one_provision_everywhere(library_index) -> None:
    """第 12-1 條 folds to 第12條之1: it is found as that provision, and a query without numbers
    that only the unfolded order holds (條規定 across it) is counted as the index sees it."""
    library, index = library_index
    assert "dashform.md" in found(index, "第12條之1")
    result = passages_json(index, library, "第12條之1")
    text = render_article(library.load("dashform.md")).text
    spans = [(p["start"], p["end"]) for a in result["articles"] if a["path"] == "dashform.md" for p in a["passages"]]
    assert [text[s:e] for s, e in spans] == ["第 12-1 條"]
    assert "dashform.md" in found(index, "條規定")  # the second one, written plainly
    counted = passages_json(index, library, "條規定")
    (article,) = [a for a in counted["articles"] if a["path"] == "dashform.md"]
    assert [text[p["start"] : p["end"]] for p in article["passages"]] == ["條規定"]
    assert article["passages"][0]["start"] == text.index("，條規定") + 1
    snippet = {h.path: h.snippet for h in search(index, "條規定", limit=0).hits}["dashform.md"]
    assert snippet.count("<mark>") == 1


def test_an_old_index_is_rebuilt_in_the_new_format(tmp_path: Path) -> None:
    import json

    from reader.search.index import FORMAT_FILE
    from reader.search.schema import INDEX_FORMAT

    assert INDEX_FORMAT >= 4
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.md").write_text("---\ntitle: a\n---\n\n依第三條。\n", encoding="utf-8")
    library = Library(lib.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    index.close()
    (library.index_dir / FORMAT_FILE).write_text(json.dumps({"format": 3}), encoding="utf-8")
    index = SearchIndex(library.index_dir)
    index.open()
    assert index.rebuilt_reason and "format 3" in index.rebuilt_reason
    index.update(library, catalog)
    assert found(index, "第3條") == {"a.md"}
    index.close()
    catalog.close()
