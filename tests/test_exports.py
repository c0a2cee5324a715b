"""Exports of annotations and passages: Markdown, Word with real footnotes, CSV, W3C JSON.

Highlights are made in a real annotations database on the real sample articles, exported
the way the CLI does (positions as today's text has them), and read back: the .docx with
python-docx (and its footnotes part as XML), the CSV with the csv module.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import docx
import pytest
from lxml import etree

from reader.annotations.selectors import describe
from reader.annotations.service import current_annotations
from reader.annotations.store import AnnotationStore
from reader.citations import citation, metadata
from reader.exporting import FORMATS, export_annotations, export_passages, suffix
from reader.exporting.csv_export import ANNOTATION_COLUMNS, PASSAGE_COLUMNS, unguard
from reader.library.library import Library
from reader.locator import Locator
from reader.paths import DataPaths
from reader.render.article import render_article
from reader.search.index import SearchIndex
from reader.search.passages import passages

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A, B = "000_bd272dec8418f04b.md", "001_5d55142517522224.md"
WEB = {
    A: {"publisher": "資策會科技法律研究所", "url": "https://stli.iii.org.tw/article-detail.aspx?no=64&tp=1&d=9185", "accessed": "2024-08-01"},
    B: {"publisher": "資策會科技法律研究所", "url": "https://stli.iii.org.tw/article-detail.aspx?no=64&tp=1&d=9184", "accessed": "2024-08-01"},
}


@pytest.fixture
def highlighted(sample_library, data_dir):
    """Three highlights (two colours, notes, one that starts like a formula) and a note on
    an article, in a real annotations database."""
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    store = AnnotationStore.open(library.paths)
    root = str(library.root)
    made = {}
    for path, snippet, color, note in (
        (A, "攜手打造安全、可靠且可信賴之AI生態系", "yellow", "定義：安全與可信賴"),
        (A, "延伸閱讀", "green", ""),
        (B, "雙方將共同開發先進人工智慧", "yellow", "=SUM(A1) 不是公式"),
    ):
        text = render_article(library.load(path)).text
        start = text.index(snippet)
        quote, position = describe(text, start, start + len(snippet))
        made[snippet] = store.add_highlight(root, path, quote, position, color, note)
    store.set_article_note(root, B, "整篇文章的筆記\n第二行")
    items = current_annotations(store, library, store.all(root))
    colors = {c.key: c.name for c in store.colors()}
    store.close()
    articles = {path: library.load(path) for path in (A, B)}
    tags = {made["攜手打造安全、可靠且可信賴之AI生態系"].id: ["定義", "安全"], made["雙方將共同開發先進人工智慧"].id: ["合作"]}
    return library, items, articles, colors, tags


def _citation_at(library, path: str, snippet: str, style: str = "taiwan-law-journal") -> str:
    rendered = render_article(library.load(path))
    where = Locator.for_rendered(rendered).at(rendered.text.index(snippet))
    return citation(metadata(library.load(path), WEB[path]), style, where).text


def test_markdown_groups_by_article_with_quote_note_and_located_citation(highlighted) -> None:
    library, items, articles, colors, tags = highlighted
    text = export_annotations(items, articles, "markdown", "taiwan-law-journal", colors, tags=tags, extra_metadata=WEB).decode("utf-8")
    first, second = text.index("## " + articles[A].title), text.index("## " + articles[B].title)
    assert first < second  # by title
    assert "> 攜手打造安全、可靠且可信賴之AI生態系" in text
    assert "— *黃 Yellow* · #定義 #安全 · 第 1 段: 定義：安全與可信賴\n" in text
    assert _citation_at(library, A, "攜手打造安全") in text
    assert "— *黃 Yellow* · #定義 #安全 · 第 1 段" in text
    assert "— *綠 Green* · 延伸閱讀" in text  # a heading has no paragraph: the heading locates it
    assert "**Note on the article:**" in text and "整篇文章的筆記" in text
    assert "· 第 1 段: =SUM(A1) 不是公式\n" in text  # a one-line note follows its details, unescaped


def test_docx_opens_in_python_docx_and_holds_each_citation_as_a_footnote(highlighted, tmp_path) -> None:
    library, items, articles, colors, tags = highlighted
    data = export_annotations(items, articles, "docx", "taiwan-law-journal", colors, tags=tags, extra_metadata=WEB)
    path = tmp_path / f"annotations{suffix('docx')}"
    path.write_bytes(data)
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Annotations"
    assert articles[A].title in paragraphs and articles[B].title in paragraphs
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert [q.text for q in quotes] == ["攜手打造安全、可靠且可信賴之AI生態系", "延伸閱讀", "雙方將共同開發先進人工智慧"]
    [part] = [p for p in document.part.package.parts if p.partname == "/word/footnotes.xml"]
    assert part.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    notes = etree.fromstring(part.blob)
    texts = {int(n.get(W + "id")): "".join(n.itertext()).strip() for n in notes.iter(W + "footnote") if int(n.get(W + "id")) > 0}
    assert texts == {
        1: _citation_at(library, A, "攜手打造安全"),
        2: _citation_at(library, A, "延伸閱讀"),
        3: _citation_at(library, B, "雙方將共同開發"),
    }
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    references = [int(r.get(W + "id")) for r in body.iter(W + "footnoteReference")]
    assert references == [1, 2, 3]
    assert document.styles["Quote"] is not None and document.styles["footnote text"] is not None


def test_docx_of_an_in_text_style_puts_the_reference_and_the_locator_in_the_footnote(highlighted) -> None:
    library, items, articles, colors, tags = highlighted
    data = export_annotations(items, articles, "docx", "apa", colors, extra_metadata=WEB)
    notes = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml"))
    texts = ["".join(n.itertext()).strip() for n in notes.iter(W + "footnote") if int(n.get(W + "id")) > 0]
    assert texts[0].endswith(", 2024, para. 1)")
    assert texts[0].startswith("美國國家標準暨技術研究院發布")  # no author: the title leads
    italic = [r for r in notes.iter(W + "r") if r.find(f"{W}rPr/{W}i") is not None]
    assert italic  # APA sets the title in italics, and the footnote keeps it


def test_csv_has_one_row_per_annotation_and_round_trips(highlighted) -> None:
    library, items, articles, colors, tags = highlighted
    data = export_annotations(items, articles, "csv", "taiwan", colors, tags=tags, extra_metadata=WEB)
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with the mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ANNOTATION_COLUMNS
    body = [dict(zip(rows[0], [unguard(v) for v in row], strict=True)) for row in rows[1:]]
    assert len(body) == len(items) == 4
    by_quote = {row["quote"]: row for row in body}
    first = by_quote["攜手打造安全、可靠且可信賴之AI生態系"]
    assert (first["article"], first["note"], first["colour"], first["tags"], first["locator"]) == (A, "定義：安全與可信賴", "黃 Yellow", "定義; 安全", "第 1 段")
    assert first["citation"] == _citation_at(library, A, "攜手打造安全")
    assert by_quote["雙方將共同開發先進人工智慧"]["note"] == "=SUM(A1) 不是公式"
    raw = rows[1:][[r[2] for r in rows[1:]].index("雙方將共同開發先進人工智慧")]
    assert raw[3].startswith("'=")  # a spreadsheet shows it as text, never runs it
    note_row = by_quote[""]
    assert note_row["note"] == "整篇文章的筆記\n第二行" and note_row["colour"] == ""
    item = {i.id: i for i in items}
    assert {row["created"] for row in body} == {i.created for i in item.values()}


def test_json_is_the_w3c_export_and_filters_apply(highlighted) -> None:
    from reader.annotations.exchange import export_json

    library, items, articles, colors, tags = highlighted
    assert export_annotations(items, articles, "json", colors=colors).decode("utf-8") == export_json(items, colors)
    yellow = json.loads(export_annotations(items, articles, "json", colors=colors, only_colors=["yellow"]))
    assert yellow["total"] == 2
    named = json.loads(export_annotations(items, articles, "json", colors=colors, only_colors=["綠 Green"]))
    assert named["total"] == 1
    tagged = export_annotations(items, articles, "markdown", colors=colors, tags=tags, only_tags=["合作"]).decode("utf-8")
    assert "雙方將共同開發" in tagged and "攜手打造" not in tagged and articles[A].title not in tagged


def test_every_format_of_every_shipped_style_is_written(highlighted) -> None:
    library, items, articles, colors, _ = highlighted
    for style in ("taiwan-law-journal", "apa", "chicago-notes-bibliography", "chicago-author-date"):
        for fmt in FORMATS:
            assert export_annotations(items, articles, fmt, style, colors)
    with pytest.raises(Exception, match="unknown export format"):
        export_annotations(items, articles, "pdf")


def test_a_detached_highlight_is_exported_without_a_locator(highlighted) -> None:
    from dataclasses import replace

    library, items, articles, colors, _ = highlighted
    detached = [replace(i, state="orphan") if i.quote and i.quote.exact == "延伸閱讀" else i for i in items]
    text = export_annotations(detached, articles, "markdown", "taiwan", colors).decode("utf-8")
    block = text[text.index("> 延伸閱讀") :].split("\n\n")
    assert "detached" in block[1] and "延伸閱讀（" not in block[1]


def test_passages_export_in_every_format(sample_library, data_dir, tmp_path) -> None:
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    found = passages(index, library, "TEVV")
    total = found.count()
    markdown = export_passages(found, "markdown", "taiwan", extra_metadata=WEB).decode("utf-8")
    assert f"{total} 處，1 篇文章" in markdown and markdown.count("**TEVV**") == total
    rows = list(csv.reader(io.StringIO(export_passages(found, "csv").decode("utf-8-sig"), newline="")))
    assert rows[0] == PASSAGE_COLUMNS and len(rows) == total + 1
    text = render_article(library.load(A)).text
    for row in rows[1:]:
        record = dict(zip(PASSAGE_COLUMNS, row, strict=True))
        assert text[int(record["start"]) : int(record["end"])] == record["match"] == "TEVV"
        assert record["paragraph"] and record["locator"].startswith("第 ")
    data = export_passages(found, "docx", "chicago")
    document = docx.Document(io.BytesIO(data))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == total and all("TEVV" in q.text for q in quotes)
    assert all(any(r.bold and r.text == "TEVV" for r in q.runs) for q in quotes)
    notes = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml"))
    assert len([n for n in notes.iter(W + "footnote") if int(n.get(W + "id")) > 0]) == total
    assert json.loads(export_passages(found, "json"))["total_passages"] == total
    index.close()
