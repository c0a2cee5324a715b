"""Every passage of a search: counts equal a substring oracle, offsets point at the query.

The oracle is written apart from the matcher: it folds the article's plain text with the
independent folding of tests/folding_oracle.py (characters, variants, legal numbering, with
each folded character's origin), finds each query
part with ``str.find`` left to right without overlap, checks word boundaries and English
word forms by hand, and joins overlapping matches of different parts. A query with a number
may also match where the number is written as digits (三條 finds 第3條): its passages must
include every match of its plain folding and be matches of one of its forms
(``folding_oracle.query_bounds``). Articles come from a
real index built by the project's own indexing, over generated law articles and the sample
collection.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.library import Library
from reader.locator import Locator
from reader.paths import DataPaths
from reader.render.article import render_article
from reader.search.analysis import stem
from reader.search.documents import field_texts
from reader.search.index import SearchIndex
from reader.search.passages import Matcher, passages, passages_json
from reader.search.query import Leaf, parse_query
from reader.search.searching import search
from tests import folding_oracle
from tests.conftest import CORPUS, SAMPLES, run_cli
from tests.generate import generate_library

ARTICLES = 150
HAN_RANGES = [(0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF), (0x3005, 0x3007)]


def is_han(char: str) -> bool:
    return any(lo <= ord(char) <= hi for lo, hi in HAN_RANGES)


def wordy(char: str) -> bool:
    """A Latin/digit word character (what a word search's boundaries are made of)."""
    return char.isalnum() and not is_han(char)


def english_stem(word: str) -> str:
    """The project's definition of an English word's forms (the stem the index keeps)."""
    return stem(word)


class Folded:
    """An article's plain text folded character by character, with each folded character's
    original index."""

    def __init__(self, text: str) -> None:
        self.text, self.origin = folding_oracle.full_with_offsets(text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        # Every source inside it: 第 12-1 條 folds out of order (第12條之1).
        sources = self.origin[start:end]
        return min(sources), max(sources) + 1


def literal_matches(folded: str, query: str) -> list[tuple[int, int]]:
    """Non-overlapping, leftmost matches of ``query`` (folded, white space as any white space
    run) with word boundaries at Latin ends."""
    words = query.split()
    out = []
    pos = 0
    while pos <= len(folded):
        start = folded.find(words[0], pos)
        if start < 0:
            break
        end = start + len(words[0])
        ok = True
        for word in words[1:]:
            gap = end
            while gap < len(folded) and folded[gap].isspace():
                gap += 1
            if gap == end or not folded.startswith(word, gap):
                ok = False
                break
            end = gap + len(word)
        if ok and wordy(query[0]) and start > 0 and wordy(folded[start - 1]):
            ok = False
        if ok and wordy(query[-1]) and end < len(folded) and wordy(folded[end]):
            ok = False
        if ok:
            out.append((start, end))
            pos = end
        else:
            pos = start + 1
    return out


def word_form_matches(folded: str, query: str) -> list[tuple[int, int]]:
    """Every Latin word with the query word's form or stem."""
    out = []
    start = None
    for index, char in enumerate(folded + " "):
        if index < len(folded) and wordy(char):
            if start is None:
                start = index
            continue
        if start is not None:
            token = folded[start:index]
            if token == query or english_stem(token) == english_stem(query):
                out.append((start, index))
            start = None
    return out


def oracle_spans(text: str, parts: list[str]) -> list[tuple[int, int]]:
    """Occurrences of the query parts in ``text``, as original offsets, overlaps joined."""
    folded = Folded(text)
    found = []
    for part in parts:
        query = folding_oracle.full(part).strip()
        single_word = query.isalpha() and all(wordy(c) for c in query) and " " not in query
        matches = word_form_matches(folded.text, query) if single_word and not part.startswith('"') else literal_matches(folded.text, query.strip('"'))
        found += [folded.span(s, e) for s, e in matches]
    found.sort()
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(m) for m in merged]


_WORD = r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3005-\u3007]"


def _bounded(folded: str, pattern: str) -> re.Pattern[str]:
    if re.match(_WORD, folded):
        pattern = rf"(?<!{_WORD})" + pattern
    if re.search(_WORD + r"\Z", folded):
        pattern += rf"(?!{_WORD})"
    return re.compile(pattern)


def numeric(query: str) -> bool:
    return folding_oracle.has_numerals(query)


def contains(texts: dict[str, str], query: str) -> set[str]:
    """The articles whose folded fields contain ``query`` (the search's exact promise)."""
    folded = folding_oracle.full(query)
    compiled = _bounded(folded, re.escape(folded).replace(r"\ ", r"\s+"))
    return {path for path, text in texts.items() if compiled.search(text)}


def upper_spans(text: str, query: str) -> set[tuple[int, int]]:
    """Original spans of every match of any form a query with numbers may take."""
    folded = Folded(text)
    _, body = folding_oracle.query_bounds(query)
    compiled = _bounded(folding_oracle.chars(query), body)
    return {folded.span(m.start(), m.end()) for m in compiled.finditer(folded.text) if m.end() > m.start()}


def upper_contains(texts: dict[str, str], query: str) -> set[str]:
    _, body = folding_oracle.query_bounds(query)
    compiled = _bounded(folding_oracle.chars(query), body)
    return {path for path, text in texts.items() if compiled.search(text)}


class Corpus:
    def __init__(self, library: Library, index: SearchIndex) -> None:
        self.library = library
        self.index = index
        self.rendered = {}
        self.fields = {}
        for entry in library.catalog().entries():
            article = library.load(entry.article.path)
            self.rendered[entry.article.path] = render_article(article)
            self.fields[entry.article.path] = folding_oracle.full("\n\x00\n".join(field_texts(article).values()))

    def loader(self, path: str):
        """The real article and its rendering, kept across queries (rendering every article
        again for each of hundreds of queries would make this test take minutes)."""
        return self.library.load(path), self.rendered[path]

    def expected(self, articles: set[str], parts: list[str]) -> dict[str, list[tuple[int, int]]]:
        return {path: oracle_spans(self.rendered[path].text, parts) for path in articles}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    root = tmp_path_factory.mktemp("passages")
    generate_library(CORPUS, root / "lib", ARTICLES, seed=11)
    library = Library((root / "lib").resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    yield Corpus(library, index)
    index.close()


def check(corpus: Corpus, query: str, parts: list[str], articles: set[str] | None = None, resolve: bool = True) -> None:
    """The passages of ``query``: the search's articles, the oracle's count, and (resolved)
    every offset and the oracle's spans exactly."""
    found = passages(corpus.index, corpus.library, query, loader=corpus.loader)
    paths = [found[n].path for n in range(len(found))]
    assert set(paths) == {h.path for h in search(corpus.index, query, limit=0, with_snippets=False).hits}
    if any(numeric(part) for part in parts):
        _check_bounds(corpus, found, paths, parts, articles)
        return
    if articles is not None:
        assert set(paths) == articles, query
    expected = corpus.expected(set(paths), parts)
    total = sum(len(v) for v in expected.values())
    assert found.count() == total, query
    if not resolve:
        return
    got = {}
    for article in found.iter_articles():
        got[article.path] = [(p.start, p.end) for p in article.passages]
        text = corpus.rendered[article.path].text
        for passage in article.passages:
            assert passage.match == text[passage.start : passage.end]
            assert "<mark>" + _escaped(passage.match) + "</mark>" in passage.text
    assert got == expected, query
    assert found.total_passages == total


def _check_bounds(corpus: Corpus, found, paths: list[str], parts: list[str], articles: set[str] | None) -> None:
    """For a query with numbers: every article and passage of its plain folding is there, and
    every passage is a match of one of its forms (or of a part without numbers)."""
    if articles is not None:
        assert set(paths) == articles
    for article in found.iter_articles():
        text = corpus.rendered[article.path].text
        got = [(p.start, p.end) for p in article.passages]
        for passage in article.passages:
            assert passage.match == text[passage.start : passage.end]
        allowed: set[tuple[int, int]] = set()
        for part in parts:
            allowed |= upper_spans(text, part) if numeric(part) else set(oracle_spans(text, [part]))
        plain = oracle_spans(text, parts)
        # Merged spans: each found one is made of allowed matches, each plain one inside one.
        for start, end in got:
            assert any(s == start for s, _ in allowed) and any(e == end for _, e in allowed), (article.path, start, end)
        for start, end in plain:
            assert any(s <= start and end <= e for s, e in got), (article.path, start, end)
    assert found.total_passages == sum(len(a.passages) for a in found.iter_articles())


def articles_of(corpus: Corpus, query: str) -> set[str]:
    """The articles a leaf must find: the oracle's, or for a leaf with numbers the search's
    own answer once it is checked to lie within the oracle's bounds."""
    plain = contains(corpus.fields, query)
    if not numeric(query):
        return plain
    got = {h.path for h in search(corpus.index, query, limit=0, with_snippets=False).hits}
    assert plain <= got <= upper_contains(corpus.fields, query), query
    return got


def _escaped(text: str) -> str:
    import html

    return html.escape(text).replace("\n", " ")


def _han_queries(corpus: Corpus, rng: random.Random, count: int) -> list[str]:
    texts = list(corpus.rendered.values())
    queries = []
    while len(queries) < count:
        runs = re.findall(r"[\u4e00-\u9fff]+", rng.choice(texts).text)
        run = rng.choice(runs)
        length = min(len(run), 1 + len(queries) % 8)
        start = rng.randrange(len(run) - length + 1)
        queries.append(run[start : start + length])
    return queries


def test_han_queries_of_1_to_8_characters_count_every_occurrence(corpus) -> None:
    rng = random.Random(1)
    for number, query in enumerate(_han_queries(corpus, rng, 96)):
        check(corpus, query, [query], articles_of(corpus, query), resolve=number % 6 == 0)


def test_one_character_queries_are_counted_exactly(corpus) -> None:
    for query in ("的", "法", "之", "條", "第", "機"):
        check(corpus, query, [query], articles_of(corpus, query), resolve=query in ("的", "機"))


def test_english_words_count_their_forms_at_word_boundaries(corpus) -> None:
    for query in ("NIST", "TEVV", "GDPR", "Seoul", "OECD", "ChatGPT", "ai", "iso", "27001", "evaluations", "management"):
        check(corpus, query, [query], resolve=query in ("NIST", "ai", "evaluations"))


def test_phrases_and_mixed_queries(corpus) -> None:
    for query, parts in (
        ('"AI Seoul Summit"', ['"ai seoul summit"']),
        ('"risk management"', ['"risk management"']),
        ("ai安全", ["ai安全"]),
        ("AI治理", ["ai治理"]),
        ("ＮＩＳＴ", ["nist"]),
        ("个人资料", ["個人資料"]),
    ):
        check(corpus, query, parts)


def test_boolean_queries_count_their_positive_parts_in_exactly_the_searched_articles(corpus) -> None:
    rng = random.Random(7)
    leaves = _han_queries(corpus, rng, 30) + ["NIST", "TEVV", "不存在的詞語"]
    docs = {leaf: articles_of(corpus, leaf) for leaf in leaves}
    for number in range(12):
        a, b, c = rng.sample(leaves, 3)
        cases = [
            (f"{a} {b}", [a, b], docs[a] & docs[b]),
            (f"{a} OR {b}", [a, b], docs[a] | docs[b]),
            (f"{a} -{b}", [a], docs[a] - docs[b]),
            (f"({a} OR {b}) {c}", [a, b, c], (docs[a] | docs[b]) & docs[c]),
            (f"{a} NOT ({b} OR {c})", [a], docs[a] - docs[b] - docs[c]),
        ]
        for query, parts, articles in cases:
            check(corpus, query, parts, articles, resolve=number % 4 == 0)


def test_overlapping_parts_are_one_passage_and_a_repeated_part_is_not_counted_twice(corpus) -> None:
    check(corpus, "個人 個人資料", ["個人", "個人資料"])
    check(corpus, "機關 機關", ["機關"])
    check(corpus, "主管 管機", ["主管", "管機"])


def test_the_first_passages_come_without_reading_every_article(corpus) -> None:
    found = passages(corpus.index, corpus.library, "之", loader=corpus.loader)
    first = found.first(5)
    assert len(first) == 5
    resolved = [n for n in range(len(found)) if found[n].passages is not None]
    assert len(resolved) < len(found) / 2  # the rest is found when read
    assert found.total_passages is None  # not counted yet
    assert found.count() == sum(len(v) for v in corpus.expected({found[n].path for n in range(len(found))}, ["之"]).values())


def test_date_order_is_newest_first(corpus) -> None:
    found = passages(corpus.index, corpus.library, "機關", order="date", loader=corpus.loader)
    dates = [found[n].date for n in range(len(found))]
    assert dates == sorted(dates, reverse=True)
    ranked = passages(corpus.index, corpus.library, "機關", loader=corpus.loader)
    assert sorted(found[n].path for n in range(len(found))) == sorted(ranked[n].path for n in range(len(ranked)))


# --- the sample collection -----------------------------------------------------------------

@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    root = tmp_path_factory.mktemp("samples")
    library = Library(SAMPLES.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    yield library, index, root / "data"
    index.close()


def test_every_occurrence_of_anquan_in_the_samples_with_offsets_into_reader_export(samples) -> None:
    library, index, data = samples
    result = passages_json(index, library, "安全")
    listed = {a["path"]: [(p["start"], p["end"]) for p in a["passages"]] for a in result["articles"]}
    assert set(listed) == {p.name for p in SAMPLES.glob("*.md")}
    for path in listed:
        done = run_cli("export", path, "--library", str(SAMPLES), "--format", "text", data_dir=data)
        assert done.returncode == 0, done.stderr
        text = done.stdout
        starts = [m.start() for m in re.finditer("安全", text)]
        assert listed[path] == [(s, s + 2) for s in starts]
    assert result["total_passages"] == sum(len(v) for v in listed.values()) > 20
    assert result["total_articles"] == len(result["articles"]) == 2


def test_json_has_exactly_the_documented_shape(samples) -> None:
    library, index, _ = samples
    result = passages_json(index, library, "NIST", context=10)
    assert list(result) == ["query", "total_articles", "total_passages", "articles"]
    json.dumps(result)
    for article in result["articles"]:
        assert list(article) == ["path", "title", "passages"]
        for passage in article["passages"]:
            assert list(passage) == ["start", "end", "text", "paragraph", "heading"]  # no page: not paged
            assert passage["text"].count("<mark>") == 1
            plain = re.sub(r"</?mark>", "", passage["text"]).strip("…")
            assert len(plain) <= 10 + len("NIST") + 10


def test_paged_sources_have_a_page(samples) -> None:
    library, index, _ = samples

    def pages(path, rendered):
        return lambda offset: 1 + offset // 500  # a 500-character page, as a PDF might have

    result = passages_json(index, library, "安全", pages=pages)
    for article in result["articles"]:
        for passage in article["passages"]:
            assert passage["page"] == 1 + passage["start"] // 500


def test_printed_page_labels_survive_into_passages(samples) -> None:
    """A PDF's page_at gives its printed labels (strings: "iv", "S12", "39"): every one
    reaches the passage's ``page`` (a number label as a number), none is dropped."""
    library, index, _ = samples
    labels = ["iv", "S12", "39", " 40 ", ""]

    def label_at(offset: int) -> str:
        return labels[min(len(labels) - 1, offset // 200)]

    def expected(offset: int):
        label = label_at(offset).strip()
        if not label:
            return None
        return int(label) if label.isdecimal() else label

    result = passages_json(index, library, "安全", pages=lambda path, rendered: label_at)
    seen = set()
    for article in result["articles"]:
        for passage in article["passages"]:
            assert passage.get("page") == expected(passage["start"]), passage
            seen.add(passage.get("page"))
    assert {"iv", "S12", 39} <= seen
    text = "第一段。\n第二段。"
    assert Locator(text, [], lambda offset: "iv").at(0).label() == "頁 iv"
    assert Locator(text, [], lambda offset: "S12").at(0).to_json() == {"paragraph": 1, "heading": None, "page": "S12"}
    assert Locator(text, [], lambda offset: "41").at(0).page == 41
    assert Locator(text, [], lambda offset: True).at(0).page is None  # not a label
    assert Locator(text, [], lambda offset: "  ").at(0).to_json() == {"paragraph": 1, "heading": None}


def test_context_is_escaped_and_stays_inside_the_paragraph(samples) -> None:
    library, index, _ = samples
    found = passages(index, library, "NIST", context=400)
    for article in found.iter_articles():
        text = library.load(article.path)
        lines = render_article(text).text.split("\n")
        for passage in article.passages:
            assert "\n" not in passage.quote
            assert any(passage.quote in line for line in lines)
            assert "<" not in re.sub(r"</?mark>", "", passage.text)


def test_a_heading_match_has_the_heading_and_no_paragraph(samples) -> None:
    library, index, _ = samples
    result = passages_json(index, library, "延伸閱讀")
    [article] = result["articles"]
    [passage] = article["passages"]
    assert passage["heading"] == "延伸閱讀"
    assert passage["paragraph"] is None


def test_matches_only_in_the_title_list_the_article_without_passages(tmp_path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: 罕見詞彙在標題\n---\n\n本文沒有那個詞。\n", encoding="utf-8")
    (root / "b.md").write_text("---\ntitle: 其他\n---\n\n本文有罕見詞彙。再一次罕見詞彙！\n", encoding="utf-8")
    library = Library(root.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    result = passages_json(index, library, "罕見詞彙")
    index.close()
    by_path = {a["path"]: a["passages"] for a in result["articles"]}
    assert by_path["a.md"] == []
    assert len(by_path["b.md"]) == 2
    assert result["total_articles"] == 2 and result["total_passages"] == 2


def test_text_the_index_holds_but_the_reader_does_not_see_is_corrected_when_read(tmp_path) -> None:
    """An image's alt text is searchable, but it is not part of the article's plain text:
    the count of the stored body is put right as soon as the article is read."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: t\n---\n\n資訊安全很重要。\n\n![安全圖示](x.png)\n", encoding="utf-8")
    library = Library(root.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    found = passages(index, library, "安全")
    assert found.count() == 2  # the stored body: the paragraph and the alt text
    listed = list(found)
    assert len(listed) == 1 and found.total_passages == 1
    assert passages_json(index, library, "安全")["total_passages"] == 1
    index.close()


def test_queries_with_nothing_to_mark_have_articles_and_no_passages(samples) -> None:
    library, index, _ = samples
    for query in ("NOT 不存在的詞語", "date:2024", "title:安全"):
        result = passages_json(index, library, query)
        assert result["total_articles"] >= 1
        assert result["total_passages"] == 0
    rejected = passages(index, library, "a " * 1500)
    assert rejected.rejected and rejected.message and len(rejected) == 0


# --- the fast paths equal folding the whole text --------------------------------------------

_ALPHABET = list("安全個个人资料資訊機机关關第一⼀條条哈 NISTnistａｉＡＩ…ﬁⅣ①ｱｲ\u200b\u00ad\n.,;，。、evaluation") + ["evaluations", "AI ", "𝐀", "😀", "哈哈"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40), st.sampled_from(["安全", "个人资料", "機關", "AI", "NIST", "evaluation", "第一條", "ai安全", '"AI Seoul"', ".", "條 NIST", "关", "哈哈", "哈"]))
def test_fast_matching_equals_folding_the_whole_text(pieces, query) -> None:
    text = "".join(pieces)
    matcher = Matcher.for_query(parse_query(query))
    assert matcher.spans(text) == matcher.reference_spans(text)
    assert matcher.count(text) == len(matcher.reference_spans(text))


def test_field_leaves_and_negated_leaves_mark_nothing_in_the_body() -> None:
    matcher = Matcher.for_query(parse_query("title:安全 NIST -資訊"))
    assert [leaf.text for leaf in matcher.leaves] == ["NIST"]
    assert Matcher([Leaf("安全", "body")]).spans("資訊安全") == [(2, 4)]


# --- the locator --------------------------------------------------------------------------

def test_locator_numbers_paragraphs_and_finds_the_heading_above() -> None:
    from reader.library.model import Article

    body = "導言段落。\n\n# 第一章 總則\n\n第一段。\n\n- 列表項\n- 第二項\n\n## 第二節\n\n| a | b |\n|---|---|\n| 格 | 子 |\n\n```\n程式 一\n程式 二\n```\n"
    rendered = render_article(Article(path="x.md", body=body))
    locator = Locator.for_rendered(rendered)
    text = rendered.text

    def where(snippet: str):
        return locator.at(text.index(snippet))

    assert (where("導言").paragraph, where("導言").heading) == (1, "")
    assert where("第一章").paragraph is None and where("第一章").heading == "第一章 總則"
    assert (where("第一段").paragraph, where("第一段").heading, where("第一段").section_paragraph) == (2, "第一章 總則", 1)
    assert (where("第二項").paragraph, where("第二項").section_paragraph) == (4, 3)
    assert where("格").heading == "第二節" and where("格").section_paragraph >= 1
    assert where("程式 二").paragraph == where("程式 一").paragraph + 1  # code lines count one each
    assert [h[2] for h in locator.heading_offsets()] == ["第一章 總則", "第二節"]
    assert where("第一段").label() == f"第 {where('第一段').paragraph} 段"
    assert where("第一段").describe() == "第 2 段（第一章 總則）"
    paged = Locator.for_rendered(rendered, lambda offset: 7)
    assert paged.at(0).label() == "頁 7"
    assert paged.at(0).to_json() == {"paragraph": 1, "heading": None, "page": 7}
    assert locator.at(0).to_json() == {"paragraph": 1, "heading": None}


def test_cli_prints_a_page_only_for_paged_sources(tmp_path, sample_library, data_dir) -> None:
    """``reader search Q --passages --json`` over a PDF and Markdown articles: the PDF's
    passages carry its printed page label, the Markdown ones no ``page`` at all."""
    pytest.importorskip("reportlab")
    from tests.test_formats_samples import FIRST_LABEL, make_pdf

    make_pdf(sample_library / "journal.pdf")
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    result = run_cli("search", "風險", "--passages", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_path = {a["path"]: a["passages"] for a in data["articles"]}
    assert by_path.get("journal.pdf") and any(p != "journal.pdf" and passages for p, passages in by_path.items())
    for path, found in by_path.items():
        for passage in found:
            if path == "journal.pdf":
                assert isinstance(passage["page"], int) and passage["page"] >= FIRST_LABEL
            else:
                assert "page" not in passage


def test_a_printed_page_label_reaches_the_exported_citation() -> None:
    from reader.exporting.passages_export import export_listed_passages
    from reader.search.passages import ArticlePassages, Passage

    found = [Passage("a.pdf", 1, 10, 12, "x<mark>安全</mark>y", "x", "安全", "y", 3, "", "iv", 1),
             Passage("a.pdf", 2, 40, 42, "z<mark>安全</mark>w", "z", "安全", "w", 5, "", "S12", 1)]
    article = ArticlePassages("a.pdf", "標題", "2024", 1.0, 0, passages=found)
    markdown = export_listed_passages([article], "markdown").decode("utf-8")
    assert "頁 iv" in markdown and "頁iv" in markdown and "頁 S12" in markdown
    rows = export_listed_passages([article], "csv").decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[8] == "iv" and rows[2].split(",")[8] == "S12"
