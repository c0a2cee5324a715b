"""Large articles: built off the UI thread, given to Qt in pieces, laid out in steps.

The pieces and the display-only breaks must never change what the reader sees or what
annotations point at; these tests compare against Qt parsing the whole HTML at once and
drive the real window on an article of megabytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.reading import load_file
from reader.render.article import header_html, render_article, sources_html
from reader.render.html_chunks import html_chunks
from tests.conftest import SAMPLES

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor, QTextDocument  # noqa: E402

from reader.ui.app import make_app  # noqa: E402
from reader.ui.article_document import (  # noqa: E402
    MAX_BLOCK_CHARS,
    DocumentStyle,
    build_document,
    load_html,
    split_long_blocks,
)
from reader.ui.reading_pane import ReadingPane  # noqa: E402
from tests.test_window import Harness, type_text  # noqa: E402

FORMATTED = "\n\n".join(
    [
        "## 第一節 AI 安全",
        "這是 **粗體** 與 *斜體*，含 [連結](http://example.org) 與 `code`，還有 AT&T 與 <符號>。",
        "- 項目一\n- 項目二\n    - 巢狀項目",
        "> 引文第一段\n>\n> 引文第二段",
        "| 甲 | 乙 |\n|---|---|\n| 一 | 二 |",
        "```\nprint('程式碼')\n```",
        "1. 第一\n2. 第二",
        "長段落" * 400 + "**中間粗體**" + "續文" * 400,
    ]
)


@pytest.fixture(autouse=True)
def _formatting_may_take_its_time(monkeypatch) -> None:
    """These tests are about parts, not about the 5-s limit on formatting a large article
    (tests/test_hostile_articles.py checks that): with the suite on both cores, formatting
    the 4,000 chapters here took longer than 5 s once and fell back to plain text."""
    from reader.render import markdown_html

    monkeypatch.setattr(markdown_html, "TIME_LIMIT_S", 60.0)


def _whole(header: str, body: str, tail: str) -> QTextDocument:
    style = DocumentStyle()
    doc = QTextDocument()
    doc.setDefaultFont(style.font())
    doc.setDefaultStyleSheet(style.css())
    doc.setHtml(header + body + tail)
    return doc


# Cutting the HTML (no Qt) -----------------------------------------------------------------
def test_pieces_cut_only_between_paragraphs_or_between_letters() -> None:
    body = "".join(f"<p>第{k}段 AT&amp;T <b>粗體</b></p>\n" for k in range(400)) + "<p>" + "字" * 5000 + "</p>"
    chunks = html_chunks(body, size=1000)
    assert len(chunks) > 5
    rebuilt = ""
    for chunk in chunks:
        if chunk.continues:
            assert chunk.html.startswith("<p>") and rebuilt[-1].isalnum() and chunk.html[3].isalnum()
            rebuilt += chunk.html[3:]
        else:
            assert chunk.html.startswith("<p>")
            rebuilt += chunk.html
    assert re.sub(r"\s", "", rebuilt) == re.sub(r"\s", "", body)
    assert not any(re.search(r"&[a-z]*$", c.html) for c in chunks)  # never inside an entity


def test_a_body_with_no_safe_place_stays_whole() -> None:
    one_list = "<ul>" + "".join(f"<li>項目{k}</li>" for k in range(5000)) + "</ul>"
    assert [c.html for c in html_chunks(one_list, size=1000)] == [one_list]


# The document Qt builds ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sample-0", "sample-1", "formatted", "fallback"])
def test_pieces_build_the_same_document_as_one_parse(qtbot, name: str) -> None:
    make_app()
    if name.startswith("sample"):
        path = sorted(SAMPLES.glob("*.md"))[int(name[-1])]
        article = load_file(path, path.name).article
    else:
        body = FORMATTED if name == "formatted" else "第一行 AT&T\n第二行" + "字" * 9000 + "\n\n" + "*" * 300
        from reader.library.model import Article

        article = Article(path="x.md", title="標題", body=body)
    rendered = render_article(article)
    header, tail = header_html(article), sources_html(article)
    assert len(html_chunks(rendered.body_html, 150)) > 3
    for size in (150, 700, 4000):
        doc = QTextDocument()
        style = DocumentStyle()
        doc.setDefaultFont(style.font())
        doc.setDefaultStyleSheet(style.css())
        load_html(doc, header, rendered.body_html, tail, chunk_chars=size)
        assert doc.toHtml() == _whole(header, rendered.body_html, tail).toHtml()


def test_long_paragraphs_are_shown_in_short_blocks_and_map_back(qtbot) -> None:
    make_app()
    from reader.library.model import Article

    body = "字" * 100_000 + "結尾的句子。"  # one line: shown as plain text
    article = Article(path="x.md", title="標題", body=body)
    rendered = render_article(article)
    built = build_document(article, rendered, DocumentStyle(), None, None)
    doc = built.document
    block, longest = doc.begin(), 0
    while block.isValid():
        longest = max(longest, block.length() - 1)
        block = block.next()
    assert longest <= MAX_BLOCK_CHARS
    assert doc.toPlainText().replace("\u2029", "").replace("\n", "").endswith("字結尾的句子。")
    start = rendered.text.index("結尾的句子")
    qs, qe = built.mapping.plain_range_to_qt(start, start + 5)
    cursor = QTextCursor(doc)
    cursor.setPosition(qs)
    cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "結尾的句子"
    assert built.mapping.qt_range_to_plain(qs, qe) == (start, start + 5)
    assert split_long_blocks(doc, 0) == 0  # nothing left to split


# The pane and the window -----------------------------------------------------------------
def test_a_pane_on_its_own_keeps_its_margins_around_a_long_article(qtbot) -> None:
    """Regression: the margins were computed from the viewport's resize events, which they
    change; with a scroll bar appearing this recursed until the process crashed."""
    make_app()
    from reader.library.model import Article

    pane = ReadingPane()
    qtbot.addWidget(pane)
    pane.resize(1000, 800)
    pane.show()
    article = Article(path="x.md", title="標題", body="字" * 300_000)
    rendered = render_article(article)
    with qtbot.waitSignal(pane.settled, timeout=20000):
        pane.show_document(build_document(article, rendered, pane.document_style(), None, None), rendered)
    assert pane.viewportMargins().left() == (1000 - pane.measure_px()) // 2
    assert pane.verticalScrollBar().maximum() > 100_000  # laid out to the end


@pytest.fixture
def large_library(tmp_path: Path) -> Path:
    library = tmp_path / "large"
    library.mkdir()
    paragraphs = [f"第{k}段：人工智慧風險管理架構要求 **受測系統** 持續監測，並保存紀錄。" * 4 for k in range(6000)]
    paragraphs[5990] += "文末的獨特詞彙"
    (library / "large.md").write_text("---\ntitle: 很長的報告\n---\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return library


def _opened(qtbot, data_dir: Path, library: Path, path: str):
    """A window on ``library`` with ``path`` open and laid out (the window closes at teardown)."""
    harness = Harness(qtbot, data_dir, library, articles=1)
    window = harness.start()
    # Opening 700 KB of formatted prose takes 3.4-5.1 s on a 2-core CI machine (its parts
    # are formatted in a helper process): Harness.open's 5 s made this test flaky.
    harness.open(path, timeout=20000)
    qtbot.waitUntil(lambda: window.pane.is_settled, timeout=20000)
    return harness, window


def test_a_large_article_is_shown_in_parts_found_highlighted_and_read_on(qtbot, data_dir: Path, large_library: Path) -> None:
    harness, window = _opened(qtbot, data_dir, large_library, "large.md")
    try:
        pane = window.pane
        count = pane.part_count
        assert count >= 3
        assert f"Part 1 of {count}" in pane.toPlainText()
        assert "文末的獨特詞彙" not in pane.toPlainText()  # near the end: in the last part

        # Search finds it; opening the hit shows the part that holds it, scrolled to it.
        type_text(qtbot, window.list_panel.search_box, "獨特詞彙")
        qtbot.waitUntil(lambda: [r.path for r in window.results_model.rows] == ["large.md"], timeout=10000)
        view = window.list_panel.view
        window.open_index(view.model().index(0, 0))
        qtbot.waitUntil(lambda: pane.is_settled and "文末的獨特詞彙" in pane.toPlainText(), timeout=20000)
        assert pane.match_position == (1, 1)
        text = pane.document().toPlainText()
        match = QTextCursor(pane.document())
        match.setPosition(text.index("獨特詞彙"))
        qtbot.waitUntil(lambda: pane.viewport().rect().contains(pane.cursorRect(match).center()), timeout=5000)

        # A highlight there points into the whole article's text, and survives moving between parts.
        start = text.index("文末的獨特詞彙")
        cursor = QTextCursor(pane.document())
        cursor.setPosition(start)
        cursor.setPosition(start + 7, QTextCursor.MoveMode.KeepAnchor)
        pane.setTextCursor(cursor)
        window.highlight_selection("yellow")
        [item] = window.annotations.items
        assert item.quote.exact == "文末的獨特詞彙"
        assert window.current.rendered.text[item.position.start : item.position.end] == "文末的獨特詞彙"
        assert pane.highlight_colors_at() == ["#ffe066"]
        last = window.current.document.part
        pane.show_part(0)
        qtbot.waitUntil(lambda: window.current.document.part == 0 and pane.is_settled, timeout=20000)
        assert pane.highlight_colors_at() == []  # not in this part
        listed = window.annotations.list
        qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=listed.visualItemRect(listed.item(0)).center())
        qtbot.waitUntil(lambda: window.current.document.part == last and pane.is_settled, timeout=20000)
        assert pane.highlight_colors_at() == ["#ffe066"]

        # The reading position covers all parts: it reopens in the part where it was left.
        fraction = pane.scroll_fraction()
        assert fraction > (count - 1) / count - 0.01
        window = harness.restart()
        qtbot.waitUntil(lambda: window.current is not None and window.current.document.part == last, timeout=20000)
    finally:
        harness.window.close()


def test_the_pane_says_why_an_article_shows_no_text(qtbot) -> None:
    make_app()
    from reader.library.model import Article

    article = Article(path="big.md", title="big", problems=["too large (30 MB; the limit is 20 MB)"])
    built = build_document(article, render_article(article), DocumentStyle(), None, None)
    assert "too large (30 MB; the limit is 20 MB)" in built.document.toPlainText()


def test_chinese_fallback_text_keeps_proper_line_breaking(qtbot) -> None:
    """Breaking anywhere is kept for runs Qt cannot break cheaply; Chinese prose shown as plain
    text still never starts a line with 。."""
    make_app()
    from PySide6.QtGui import QTextOption

    from reader.library.model import Article

    prose = Article(path="a.md", title="a", body="這是很長的一行，沒有換行。" * 30_000)
    storm = Article(path="b.md", title="b", body="*" * 50_000 + "x" + "*" * 50_000)
    prose_built = build_document(prose, render_article(prose), DocumentStyle(), None, None)
    storm_built = build_document(storm, render_article(storm), DocumentStyle(), None, None)
    assert render_article(prose).notice and render_article(storm).notice  # both shown as plain text
    assert prose_built.wrap_mode == QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    assert storm_built.wrap_mode == QTextOption.WrapMode.WrapAnywhere


# Parts -------------------------------------------------------------------------------------
def _parted(body: str):
    from reader.library.model import Article
    from reader.ui.article_parts import split_parts

    article = Article(path="big.md", title="很長的報告", body=body)
    rendered = render_article(article)
    return article, rendered, split_parts(rendered)


@pytest.mark.parametrize("kind", ["formatted", "plain"])
def test_parts_cover_the_article_and_map_their_edges(qtbot, kind: str) -> None:
    make_app()
    if kind == "formatted":
        body = "\n\n".join(f"## 第{k}章\n\n第{k}段：**受測系統**須持續監測並保存紀錄，[細則](http://example.org/{k})另定之。" * 3 for k in range(4000))
    else:
        body = "字" * 700_000 + "。結尾"  # one line: shown as plain text
    article, rendered, parts = _parted(body)
    assert len(parts) >= 3
    assert parts.parts[0].start == 0 and parts.parts[-1].end == len(rendered.text)
    assert all(a.end == b.start for a, b in zip(parts.parts, parts.parts[1:], strict=False))
    for number, part in enumerate(parts.parts):
        built = build_document(article, rendered, DocumentStyle(), None, None, parts, number)
        doc_text = built.document.toPlainText()
        assert f"Part {number + 1} of {len(parts)}" in doc_text
        for edge in (part.start, part.end - 1):
            if rendered.text[edge].isspace():
                continue
            qs, qe = built.mapping.plain_range_to_qt(edge, edge + 1)
            assert doc_text[qs:qe] == rendered.text[edge]
            assert built.mapping.qt_range_to_plain(qs, qe) == (edge, edge + 1)
    if kind == "formatted":
        anchor = "第3000章"
        number = parts.anchors[anchor]
        assert anchor in parts.parts[number].html


def test_find_steps_through_every_part(qtbot) -> None:
    """Ctrl+F's matches span the whole article; stepping to one in another part shows it."""
    make_app()
    body = "\n\n".join(("段落文字" * 40 + ("標記詞" if k % 500 == 0 else "")) for k in range(3000))
    article, rendered, parts = _parted(body)
    assert len(parts) >= 2
    pane = ReadingPane()
    qtbot.addWidget(pane)
    pane.resize(1000, 800)
    pane.show()

    def show(number: int) -> None:
        pane.show_document(build_document(article, rendered, pane.document_style(), None, None, parts, number), rendered, same_article=True)

    pane.part_requested.connect(show)
    pane.show_document(build_document(article, rendered, pane.document_style(), None, None, parts, 0), rendered)
    starts = [m.start() for m in re.finditer("標記詞", rendered.text)]
    assert pane.set_matches([(s, s + 3) for s in starts], "find") == len(starts) == 6
    seen = set()
    for step in range(len(starts)):
        qtbot.waitUntil(lambda: pane.is_settled, timeout=10000)
        current = starts[pane.match_position[0] - 1]
        assert pane.built.parts.parts[pane.built.part].start <= current < pane.built.parts.parts[pane.built.part].end
        position = pane.textCursor().position()  # the pane puts the cursor on the current match
        assert pane.document().toPlainText()[position : position + 3] == "標記詞"
        seen.add(pane.built.part)
        if step < len(starts) - 1:
            pane.step_match()
    assert seen == set(range(len(parts)))


def test_only_real_part_links_change_the_part(qtbot) -> None:
    from PySide6.QtCore import QUrl

    make_app()
    article, rendered, parts = _parted("字" * 700_000)
    pane = ReadingPane()
    qtbot.addWidget(pane)
    asked: list[int] = []
    pane.part_requested.connect(asked.append)
    followed: list[str] = []
    pane.link_activated.connect(lambda url: followed.append(url.toString()))
    pane.show_document(build_document(article, rendered, pane.document_style(), None, None, parts, 0), rendered)
    for link in ("#reader-part-abc", "#reader-part-999", "#reader-part--1", "#reader-part-"):
        pane.anchorClicked.emit(QUrl(link))  # as a click on such a link in an article would
    assert asked == [] and followed == []
    pane.anchorClicked.emit(QUrl("#reader-part-1"))
    pane.anchorClicked.emit(QUrl("#elsewhere"))
    assert asked == [1] and followed == ["#elsewhere"]


BLOCKS = st.sampled_from(
    [
        "一般段落，含 **粗體**、*斜體*、`code` 與 [連結](http://example.org)。",
        "AT&T 與 <符號> 與 &amp; 與 \\*跳脫\\*",
        "## 標題",
        "- 項目\n- 項目\n    - 巢狀",
        "1. 第一\n2. 第二",
        "> 引文\n>\n> 第二段",
        "| 甲 | 乙 |\n|---|---|\n| 一 | 二 |",
        "```\n程式 <b>不是粗體</b>\n```",
        "<div>內嵌 HTML <em>強調</em></div>",
        "長" * 900,
        "短",
        "---",
    ]
)


@settings(max_examples=100, deadline=None)
@given(blocks=st.lists(BLOCKS, min_size=2, max_size=40), size=st.sampled_from([60, 200, 900]))
def test_any_article_built_in_pieces_equals_one_parse(blocks: list[str], size: int) -> None:
    """Whatever the article holds, Qt builds the same document from the pieces as from the
    whole HTML (the pieces only exist so that the window's thread gets its turns)."""
    make_app()
    from reader.library.model import Article

    article = Article(path="x.md", title="標題", body="\n\n".join(blocks))
    rendered = render_article(article)
    doc = QTextDocument()
    style = DocumentStyle()
    doc.setDefaultFont(style.font())
    doc.setDefaultStyleSheet(style.css())
    load_html(doc, "", rendered.body_html, "", chunk_chars=size)
    assert doc.toHtml() == _whole("", rendered.body_html, "").toHtml()


def test_contents_jump_to_a_heading_in_another_part(qtbot, data_dir: Path, tmp_path: Path) -> None:
    library = tmp_path / "chapters"
    library.mkdir()
    chapters = [f"## 第{k}章 風險管理\n\n" + f"第{k}章的內容：受測系統須持續監測並保存紀錄。" * 60 for k in range(300)]
    (library / "chapters.md").write_text("---\ntitle: 分章的長文\n---\n\n" + "\n\n".join(chapters), encoding="utf-8")
    _harness, window = _opened(qtbot, data_dir, library, "chapters.md")
    try:
        pane = window.pane
        assert pane.part_count >= 3 and window.current.document.part == 0
        [action] = [a for a in window.toc_menu.actions() if a.text().strip() == "第290章 風險管理"]
        action.trigger()  # View › Contents › 第290章
        qtbot.waitUntil(lambda: window.current.document.part == pane.part_count - 1 and pane.is_settled, timeout=20000)
        heading = QTextCursor(pane.document())
        heading.setPosition(pane.document().toPlainText().index("第290章 風險管理"))
        qtbot.waitUntil(lambda: pane.viewport().rect().contains(pane.cursorRect(heading).center()), timeout=5000)
    finally:
        window.close()


def test_the_plain_text_notice_speaks_the_interface_language(qtbot) -> None:
    from reader.library.model import Article
    from reader.ui.i18n import install_translator

    app = make_app()
    article = Article(path="x.md", title="標題", body="字" * 250_000)  # one line too long to format
    rendered = render_article(article)
    english = build_document(article, rendered, DocumentStyle(), None, None).document.toPlainText()
    assert "Shown as plain text: the article has a line too long to format." in english
    translator = install_translator(app, "zh_TW")
    try:
        chinese = build_document(article, rendered, DocumentStyle(), None, None).document.toPlainText()
    finally:
        app.removeTranslator(translator)
    assert "以純文字顯示：文章有一行太長，無法排版。" in chinese
