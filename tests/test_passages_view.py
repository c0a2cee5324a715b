"""The passages view: every occurrence of a library search, grouped by article, filled from a
worker, keyboard-navigable, opened at the exact occurrence, exportable with citations.

A real index of the sample articles (and one article with headings) in tmp_path; the view is
driven with the keyboard and the mouse; what the rows say is checked against the articles'
plain text (what ``open_requested`` offsets point into)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from reader.exporting.passages_export import export_listed_passages  # noqa: E402
from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402
from reader.search.passages import passages, passages_json  # noqa: E402
from reader.ui.passages_view import (  # noqa: E402
    GROUP,
    PASSAGE,
    AfterRole,
    BeforeRole,
    CountRole,
    EndRole,
    KindRole,
    LocatorRole,
    MatchRole,
    PassagesView,
    PathRole,
    StartRole,
    TitleRole,
)

EXTRA = "safety.md"
EXTRA_TEXT = """---
title: 資通安全管理法解說
date: 2025-03
authors: [王小明]
---

# 總則

資通安全是國家安全的一環。本法規範公務機關之資通安全責任。

# 罰則

違反資通安全義務者，處以罰鍰。
"""


@pytest.fixture
def indexed(tmp_path: Path, sample_library: Path, data_dir: Path):
    (sample_library / EXTRA).write_text(EXTRA_TEXT, encoding="utf-8")
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()
    yield library, index
    index.close()


@pytest.fixture
def view(qtbot, indexed):
    library, index = indexed
    widget = PassagesView(lambda query, order: passages(index, library, query, order=order))
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.stop()
    widget.runner.wait(10000)


def search(qtbot, view: PassagesView, query: str) -> None:
    with qtbot.waitSignal(view.finished, timeout=20000):
        view.search(query)


def rows(view: PassagesView) -> list[tuple[dict, list[dict]]]:
    """The list as a reader sees it: each article's row, then its passages' rows."""
    model = view.model
    out: list[tuple[dict, list[dict]]] = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(KindRole) == GROUP:
            out.append(({"kind": GROUP, "title": index.data(TitleRole), "count": index.data(CountRole),
                         "path": index.data(PathRole), "text": index.data(Qt.ItemDataRole.DisplayRole)}, []))
            continue
        out[-1][1].append({role: index.data(value) for role, value in (
            ("kind", KindRole), ("path", PathRole), ("start", StartRole), ("end", EndRole), ("before", BeforeRole),
            ("match", MatchRole), ("after", AfterRole), ("locator", LocatorRole),
            ("text", Qt.ItemDataRole.DisplayRole))})
    return out


def test_every_passage_of_a_search_is_listed_with_its_place(qtbot, view, indexed, qtmodeltester) -> None:
    library, index = indexed
    search(qtbot, view, "安全")
    expected = passages_json(index, library, "安全")
    listed = rows(view)
    with_passages = [a for a in expected["articles"] if a["passages"]]
    assert [g["path"] for g, _ in listed] == [a["path"] for a in with_passages]  # best article first
    total = sum(len(children) for _, children in listed)
    assert total == expected["total_passages"] > 10
    assert view.header.text() == f"{total:,} passages in {len(listed)} articles"
    for group, children in listed:
        assert group["kind"] == GROUP and group["count"] == len(children)
        assert group["text"] == f"{group['title']} ({len(children)})"
        text = render_article(library.load(group["path"])).text
        for child in children:
            assert child["kind"] == PASSAGE
            assert text[child["start"]:child["end"]] == child["match"] == "安全"
            assert text[: child["start"]].endswith(child["before"].rstrip("…"))
            assert 0 < len(child["before"]) <= 41 and len(child["after"]) <= 41
    extra = next(children for group, children in listed if group["path"] == EXTRA)
    assert [c["locator"] for c in extra] == ["總則 · ¶ 1"] * 3 + ["罰則 · ¶ 2"]
    qtmodeltester.check(view.model)


def test_model_passes_the_tester_while_it_fills(qtbot, view, qtmodeltester) -> None:
    qtmodeltester.check(view.model)  # empty
    seen = []
    view.model.rowsInserted.connect(lambda *_: seen.append(view.model.passage_count))
    search(qtbot, view, "AI")
    assert seen and seen[-1] == view.model.passage_count
    qtmodeltester.check(view.model, force_py=True)


def test_enter_and_a_click_open_the_exact_occurrence(qtbot, view) -> None:
    search(qtbot, view, "安全")
    tree = view.tree
    tree.setFocus()
    assert view.model.index(0, 0).data(KindRole) == GROUP
    assert tree.currentIndex() == view.model.index(1, 0)  # the first passage: ready for Enter
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    current = tree.currentIndex()
    assert current.data(KindRole) == PASSAGE and current.row() == 2
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert opened.args == [current.data(PathRole), current.data(StartRole), current.data(EndRole)]
    target = view.model.index(3, 0)
    rect = tree.visualRect(target)
    with qtbot.waitSignal(view.open_requested) as clicked:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [target.data(PathRole), target.data(StartRole), target.data(EndRole)]
    # Enter on an article's row opens it at its first passage.
    tree.setCurrentIndex(view.model.index(0, 0))
    first = view.model.index(1, 0)
    with qtbot.waitSignal(view.open_requested) as whole:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert whole.args == [first.data(PathRole), first.data(StartRole), first.data(EndRole)]


def test_a_new_query_drops_what_the_old_one_still_delivers(qtbot, view) -> None:
    view.search("安全")
    search(qtbot, view, "NIST")
    listed = rows(view)
    assert listed and all(c["match"] == "NIST" for _, children in listed for c in children)
    qtbot.wait(200)  # anything still queued from 安全 arrives and is dropped
    assert all(c["match"] == "NIST" for _, children in rows(view) for c in children)
    view.clear()
    assert view.model.rowCount() == 0
    assert view.header.text() == "Search the library to list every passage."


def test_order_by_date_lists_the_newest_article_first(qtbot, view, indexed) -> None:
    library, index = indexed
    search(qtbot, view, "安全")
    with qtbot.waitSignal(view.finished, timeout=20000):
        view.order.setCurrentIndex(view.order.findData("date"))
    paths = [g["path"] for g, _ in rows(view)]
    dates = {a.path: a.date for a in passages(index, library, "安全", order="date").iter_articles(resolve=False)}
    assert paths[0] == EXTRA  # 2025-03
    assert [dates[p] for p in paths] == sorted((dates[p] for p in paths), reverse=True)


def test_no_passages_says_so_and_export_is_off(qtbot, view) -> None:
    search(qtbot, view, "沒有這個詞彙xyz")
    assert view.model.rowCount() == 0
    assert view.header.text() == "No passages for “沒有這個詞彙xyz”."
    assert not view.export_button.isEnabled()


def test_export_button_asks_and_the_listed_passages_export_with_citations(qtbot, view, indexed) -> None:
    library, _ = indexed
    search(qtbot, view, "安全")
    assert view.export_button.isEnabled()
    formats = {a.data(): a for a in view.export_menu.actions()}
    assert set(formats) == {"markdown", "docx", "csv"}
    with qtbot.waitSignal(view.export_requested) as asked:
        formats["docx"].trigger()
    assert asked.args == ["docx"]
    listed = view.articles()
    total = sum(len(a.passages) for a in listed)
    markdown = export_listed_passages(listed, "markdown", "taiwan-law-journal", query="安全", load=library.load).decode("utf-8")
    assert f"{total:,} 處，{len(listed)} 篇文章" in markdown
    assert "王小明，〈資通安全管理法解說〉，2025年" in markdown
    assert markdown.count("**安全**") == total
    data = export_listed_passages(listed, "docx", "taiwan-law-journal", query="安全", load=library.load)
    import docx

    document = docx.Document(io.BytesIO(data))
    assert any("資通安全管理法解說" in p.text for p in document.paragraphs)
    notes = zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml").decode("utf-8")
    assert notes.count("<w:footnote w:id=") == total  # one per passage, its citation
    assert 'w:type="separator"' in notes
    csv_text = export_listed_passages(listed, "csv", "apa", load=library.load).decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == total + 1
