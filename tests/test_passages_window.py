"""The passages view in the real window (issue 13): View ▸ Passages (Ctrl+Shift+P) shows it
below the article, it follows the search box, Enter or a click opens the article with that
very occurrence selected (also in an article shown in parts and in a PDF-derived one), the
export writes Markdown, Word and CSV through a save dialog, and the split is remembered.

A real window on a copy of the sample collection in tmp_path, driven with keys and clicks;
what the pane selects is checked against the passage's offsets through the pane's own
TextMapping and against the article's plain text (``reader export --format text``)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from reader.ui import article_models, passages_view  # noqa: E402
from reader.ui.passages_view import (  # noqa: E402
    GROUP,
    PASSAGE,
    EndRole,
    KindRole,
    MatchRole,
    PathRole,
    StartRole,
)
from tests.test_window import Harness, type_text  # noqa: E402
from tests.test_window_citations import answer_file_dialog  # noqa: E402

QUERY = "安全"


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def show_passages(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.activateWindow()
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.passages.isVisible(), timeout=3000)


def search_passages(harness, query: str = QUERY) -> None:
    """Type ``query`` in the search box and wait for its passages to be listed."""
    window, qtbot = harness.window, harness.qtbot
    with qtbot.waitSignal(window.passages.finished, timeout=30000):
        type_text(qtbot, window.list_panel.search_box, query)
    qtbot.waitUntil(lambda: window.passages.query == query and not window.passages.busy, timeout=30000)


def passage_rows(view) -> list[int]:
    model = view.model
    return [r for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) == PASSAGE]


def plain_text(library: Path, data_dir: Path, path: str) -> str:
    return render_article(Library(library.resolve(), DataPaths(data_dir)).load(path)).text


def activate(harness, row: int, by: str = "enter") -> tuple[str, int, int]:
    """Activate the passage on ``row`` (Enter, or a click) and wait for its selection."""
    window, qtbot = harness.window, harness.qtbot
    tree = window.passages.tree
    index = window.passages.model.index(row, 0)
    path, start, end = index.data(PathRole), index.data(StartRole), index.data(EndRole)
    if by == "enter":
        tree.setFocus()
        tree.setCurrentIndex(index)
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    else:
        tree.scrollTo(index)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center())

    def selected() -> bool:
        pane = window.pane
        if window.current is None or window.current.path != path or not pane.is_settled or pane.mapping is None:
            return False
        cursor = pane.textCursor()
        return cursor.hasSelection() and pane.mapping.qt_range_to_plain(cursor.selectionStart(), cursor.selectionEnd()) == (start, end)

    qtbot.waitUntil(selected, timeout=30000)
    return path, start, end


def assert_selected(window, path: str, start: int, end: int, text: str) -> None:
    pane = window.pane
    cursor = pane.textCursor()
    assert cursor.selectedText() == text[start:end]
    assert pane.mapping.qt_range_to_plain(cursor.selectionStart(), cursor.selectionEnd()) == (start, end)
    assert pane.viewport().rect().intersects(pane.cursorRect(cursor))  # scrolled into view


def test_roles_are_the_article_lists_own(harness) -> None:
    assert passages_view.PathRole == article_models.PathRole
    roles = [passages_view.KindRole, passages_view.PathRole, passages_view.StartRole, passages_view.EndRole,
             passages_view.BeforeRole, passages_view.MatchRole, passages_view.AfterRole, passages_view.LocatorRole,
             passages_view.CountRole, passages_view.TitleRole]
    assert len(set(roles)) == len(roles)


def test_passages_are_hidden_until_asked_and_follow_the_search(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    assert window.passages.isHidden() and not window.passages_action.isChecked()
    assert window.reading_split.indexOf(window.passages) == 1 and window.reading_split.indexOf(window.pane.parentWidget()) == 0
    # A search while hidden lists nothing.
    type_text(qtbot, window.list_panel.search_box, "NIST")
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 0, timeout=10000)
    assert window.passages.model.rowCount() == 0
    # Shown: it lists the box's query at once.
    with qtbot.waitSignal(window.passages.finished, timeout=30000):
        show_passages(harness)
    assert window.passages_action.isChecked()
    assert window.passages.query == "NIST" and passage_rows(window.passages)
    # Each query typed re-runs it; only the last one's passages stay.
    window.list_panel.search_box.clear()
    qtbot.waitUntil(lambda: window.passages.model.rowCount() == 0, timeout=5000)
    search_passages(harness)
    model = window.passages.model
    matches = {model.index(r, 0).data(MatchRole) for r in passage_rows(window.passages)}
    assert matches == {QUERY}
    expected = sum(plain_text(harness.library, harness.data_dir, g.path).count(QUERY) for g in model.groups)
    assert model.passage_count == expected > 0
    assert window.passages.header.text().startswith(f"{expected:,} passages in {len(model.groups)} articles")
    # Clearing the search clears it.
    window.list_panel.search_box.clear()
    qtbot.waitUntil(lambda: window.passages.model.rowCount() == 0, timeout=5000)
    assert window.passages.query == ""
    # The toolbar button and the ✕ hide it; the menu item follows.
    qtbot.mouseClick(window.passages.close_button, Qt.MouseButton.LeftButton)
    assert window.passages.isHidden() and not window.passages_action.isChecked()
    qtbot.mouseClick(window.passages_button, Qt.MouseButton.LeftButton)
    assert window.passages.isVisible() and window.passages_action.isChecked()
    qtbot.mouseClick(window.passages_button, Qt.MouseButton.LeftButton)
    assert window.passages.isHidden()
    # Hidden before its listing is done, it lists the query again when shown.
    show_passages(harness)
    type_text(qtbot, window.list_panel.search_box, "NIST")
    qtbot.waitUntil(lambda: window.passages.busy or window.passages_controller.timer.isActive(), timeout=5000)
    qtbot.mouseClick(window.passages.close_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.passages.finished, timeout=30000):
        qtbot.mouseClick(window.passages_button, Qt.MouseButton.LeftButton)
    assert window.passages.query == "NIST" and not window.passages.busy and passage_rows(window.passages)


def test_enter_or_a_click_opens_each_passage_with_its_match_selected(harness) -> None:
    window = harness.window
    show_passages(harness)
    search_passages(harness)
    rows = passage_rows(window.passages)
    model = window.passages.model
    paths = {model.index(r, 0).data(PathRole) for r in rows}
    assert len(paths) == 2  # both sample articles
    texts = {p: plain_text(harness.library, harness.data_dir, p) for p in paths}
    picked = sorted({rows[0], rows[1], rows[len(rows) // 2], rows[-1]})
    for number, row in enumerate(picked):
        path, start, end = activate(harness, row, by="enter" if number % 2 == 0 else "click")
        assert_selected(window, path, start, end, texts[path])
        assert texts[path][start:end] == QUERY
        assert window.passages.tree.currentIndex().row() == row  # the list keeps its place
    # An article's row opens its first passage.
    group = next(r for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) == GROUP and r > 0)
    path, start, end = activate(harness, group)
    assert (start, end) == (model.index(group + 1, 0).data(StartRole), model.index(group + 1, 0).data(EndRole))
    assert_selected(window, path, start, end, texts[path])


def test_a_passage_deep_in_an_article_shown_in_parts_is_selected_in_its_part(qtbot, data_dir: Path, tmp_path: Path) -> None:
    library = tmp_path / "large"
    library.mkdir()
    paragraphs = [f"第{k}段：人工智慧風險管理架構要求受測系統持續監測，並保存紀錄。" * 4 for k in range(6000)]
    for k in (10, 3000, 5990):
        paragraphs[k] += f"資通安全的獨特詞彙{k}。"
    (library / "large.md").write_text("---\ntitle: 很長的報告\n---\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    harness = Harness(qtbot, data_dir, library, articles=1)
    window = harness.start()
    try:
        show_passages(harness)
        search_passages(harness, "獨特詞彙")
        rows = passage_rows(window.passages)
        assert len(rows) == 3
        text = plain_text(library, data_dir, "large.md")
        for row in (rows[2], rows[0], rows[1]):
            path, start, end = activate(harness, row)
            assert window.pane.part_count >= 3
            part = window.pane.built.parts.parts[window.pane.built.part]
            assert part.start <= start < part.end  # the part that holds it is shown
            assert_selected(window, path, start, end, text)
    finally:
        window.close()


def test_a_pdf_passage_is_selected_and_located_by_its_printed_page(qtbot, data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from tests.test_formats_samples import FIRST_LABEL, make_pdf

    library = tmp_path / "pdfs"
    library.mkdir()
    make_pdf(library / "journal.pdf")
    harness = Harness(qtbot, data_dir, library, articles=1)
    window = harness.start()
    try:
        text = plain_text(library, data_dir, "journal.pdf")
        assert "風險" in text
        show_passages(harness)
        search_passages(harness, "風險")
        rows = passage_rows(window.passages)
        model = window.passages.model
        assert len(rows) == text.count("風險") > 1
        pages = [p.page for p in model.groups[0].passages]
        assert all(isinstance(p, int) and p >= FIRST_LABEL for p in pages)  # the printed labels
        assert model.index(rows[-1], 0).data(passages_view.LocatorRole) == f"p. {pages[-1]}"
        for row in (rows[-1], rows[0]):
            path, start, end = activate(harness, row)
            assert_selected(window, path, start, end, text)
    finally:
        window.close()


def test_the_split_is_remembered(harness) -> None:
    window = harness.window
    show_passages(harness)
    total = sum(window.reading_split.sizes())
    window.reading_split.setSizes([total - 222, 222])
    window.reading_split.splitterMoved.emit(total - 222, 1)
    window = harness.restart()
    assert window.passages.isHidden()  # hidden until asked, each time
    show_passages(harness)
    assert abs(window.reading_split.sizes()[1] - 222) <= 2


def test_a_bad_saved_split_is_ignored(harness) -> None:
    harness.window.close()
    state = harness.data_dir / "state.json"
    import json

    data = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}
    data["passages_split"] = ["x", -5]
    state.write_text(json.dumps(data), encoding="utf-8")
    window = harness.start()
    show_passages(harness)
    assert min(window.reading_split.sizes()) > 50


def export(harness, fmt: str, target: Path, replace: bool = True):
    window = harness.window
    answer_file_dialog(target, replace)
    action = next(a for a in window.passages.export_menu.actions() if a.data() == fmt)
    action.trigger()


def test_export_writes_word_markdown_and_csv_with_every_passage(harness, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    window, qtbot = harness.window, harness.qtbot
    show_passages(harness)
    search_passages(harness)
    assert window.passages.export_button.isEnabled()
    listed = [p for g in window.passages.model.groups for p in g.passages]
    out = tmp_path / "out folder"
    out.mkdir()

    with qtbot.waitSignal(window.passages_controller.exported, timeout=30000) as got:
        export(harness, "docx", out / "安全 passages.docx")
    assert got.args == [str(out / "安全 passages.docx"), len(listed)]
    document = docx.Document(str(out / "安全 passages.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    for passage in listed:
        assert " ".join((passage.before + passage.match + passage.after).split())[:30] in " ".join(body.split())
    for group in window.passages.model.groups:
        assert group.title in body  # each article named (and cited)

    with qtbot.waitSignal(window.passages_controller.exported, timeout=30000):
        export(harness, "markdown", out / "passages.md")
    markdown = (out / "passages.md").read_text(encoding="utf-8")
    flat = " ".join(markdown.replace("**", "").split())  # the match is in bold
    for passage in listed:
        assert " ".join((passage.before + passage.match + passage.after).split())[:30] in flat
    assert markdown.count(f"**{QUERY}**") >= len(listed)

    with qtbot.waitSignal(window.passages_controller.exported, timeout=30000):
        export(harness, "csv", out / "passages.csv")
    rows = list(csv.reader(io.StringIO((out / "passages.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(listed) + 1  # a header, a row per passage


def test_export_never_replaces_a_file_without_asking(harness, tmp_path: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    show_passages(harness)
    search_passages(harness)
    target = tmp_path / "kept.md"
    target.write_text("mine", encoding="utf-8")
    export(harness, "markdown", target, replace=False)
    qtbot.waitUntil(lambda: window.passages_controller.save_dialog is None, timeout=10000)
    assert target.read_text(encoding="utf-8") == "mine"
    with qtbot.waitSignal(window.passages_controller.exported, timeout=30000):
        export(harness, "markdown", target, replace=True)
    assert QUERY in target.read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_export_that_cannot_be_written_names_the_file(harness, tmp_path: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    show_passages(harness)
    search_passages(harness)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with qtbot.waitSignal(window.passages_controller.export_failed, timeout=30000) as got:
            window.passages_controller.export_to("markdown", window.passages.articles(), locked / "out.md")
        assert str(locked / "out.md") in got.args[0]
        assert not (locked / "out.md").exists()
    finally:
        locked.chmod(0o755)


def test_an_export_into_the_data_folder_is_refused_with_the_files_name(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    show_passages(harness)
    search_passages(harness)
    target = harness.data_dir / "passages.md"
    with qtbot.waitSignal(window.passages_controller.export_failed, timeout=30000) as got:
        window.passages_controller.export_to("markdown", window.passages.articles(), target)
    assert str(target) in got.args[0]
    assert not target.exists()
    assert str(target) in window.statusBar().currentMessage()


def test_the_header_counts_while_filling_and_when_done_in_zh_tw(harness) -> None:
    window = harness.window
    window.set_language("zh_TW")
    try:
        show_passages(harness)
        view = window.passages
        seen: list[str] = []
        batches: list[int] = []

        def batch_in(*_) -> None:
            batches.append(1)
            # Read once the batch is in (the header is set right after the rows are inserted).
            QTimer.singleShot(0, lambda: seen.append(view.header.text()))

        view.model.rowsInserted.connect(batch_in)
        search_passages(harness)
        # The last batch's read may still be queued when the search says it is finished.
        harness.qtbot.waitUntil(lambda: batches and len(seen) == len(batches), timeout=3000)
        groups, count = len(view.model.groups), view.model.passage_count
        assert seen and all("處，" in text and "篇文章" in text for text in seen)  # while filling
        assert view.header.text() == f"{count:,} 處，{groups} 篇文章"  # when done
        assert window.passages_action.text() == "段落"
        first = view.model.index(1, 0)
        assert first.data(passages_view.LocatorRole).startswith("第 ")  # 第 1 段
    finally:
        window.set_language("en")
    # Said again in English at once (Qt posts the language change), without searching again.
    harness.qtbot.waitUntil(lambda: view.header.text() == f"{count:,} passages in {groups} articles", timeout=3000)
    assert view.model.index(1, 0).data(passages_view.LocatorRole).startswith("¶ ")
    assert window.passages_action.text() == "Passages"


def test_an_export_into_a_folder_that_is_gone_names_the_file(harness, tmp_path: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    show_passages(harness)
    search_passages(harness)
    target = tmp_path / "gone" / "out.docx"
    with qtbot.waitSignal(window.passages_controller.export_failed, timeout=30000) as got:
        window.passages_controller.export_to("docx", window.passages.articles(), target)
    assert str(target) in got.args[0]
    assert not target.parent.exists()
