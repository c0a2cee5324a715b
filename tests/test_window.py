"""The real window, driven as a person would: keyboard, mouse, selections, restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent, QTextCursor  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.settings import Settings  # noqa: E402
from reader.ui.app import make_app  # noqa: E402
from reader.ui.article_models import PathRole  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"


def type_text(qtbot, widget, text: str) -> None:
    """Type as a person would: ASCII through key clicks, Chinese through the input method
    (QTest cannot synthesize key events for CJK; an IME commits the text instead)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)


class Harness:
    def __init__(self, qtbot, data_dir: Path, library: Path, articles: int = 2) -> None:
        self.qtbot, self.data_dir, self.library, self.articles = qtbot, data_dir, library, articles
        self.window: MainWindow | None = None

    def start(self) -> MainWindow:
        make_app()
        paths = DataPaths(self.data_dir)
        settings = Settings(paths.settings_file)
        window = MainWindow(paths, settings, Library(self.library.resolve(), paths))
        self.qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        self.qtbot.waitUntil(lambda: not window.busy and window.library_model.rowCount() >= self.articles, timeout=15000)
        self.window = window
        return window

    def restart(self) -> MainWindow:
        self.window.close()
        return self.start()

    def open(self, path: str, timeout: int = 5000) -> None:
        window = self.window
        view = window.list_panel.view
        model = view.model()
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(PathRole) == path)
        rect = view.visualRect(model.index(row, 0))
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.qtbot.waitUntil(lambda: window.current is not None and window.current.path == path, timeout=timeout)


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def test_models_pass_the_model_tester(harness, qtmodeltester) -> None:
    window = harness.window
    qtmodeltester.check(window.library_model)
    qtmodeltester.check(window.proxy)
    window.list_panel.search_box.setText("ai")
    harness.qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=5000)
    qtmodeltester.check(window.results_model)


def test_list_is_newest_first_and_opens_by_keyboard(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    view = window.list_panel.view
    titles = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert titles[0].startswith("美國國家標準暨技術研究院")  # 2024-08 before 2024-07
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == MOU, timeout=5000)
    assert "英國與美國為人工智慧安全共同開發簽署合作備忘錄" in window.pane.toPlainText()
    qtbot.keyClick(window.pane, Qt.Key.Key_K)  # previous article
    qtbot.waitUntil(lambda: window.current.path == NIST, timeout=5000)


def test_open_by_click(harness) -> None:
    harness.open(MOU)
    assert "布萊切利公園" in harness.window.pane.toPlainText()


def test_search_as_you_type_opens_a_hit_with_matches_marked(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.list_panel.search_box.hasFocus()
    type_text(qtbot, window.list_panel.search_box, "资讯")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=5000)
    assert window.list_panel.status.text() == "1 article"
    assert "<mark>資訊</mark>" in window.results_model.rows[0].snippet
    harness.open(MOU)
    expected = window.current.rendered.text.count("資訊")
    assert window.pane.match_position == (1, expected) and expected == 3
    cursor = window.pane.textCursor()
    shown = window.pane.document().toPlainText()
    assert shown[cursor.position() : cursor.position() + 2] == "資訊"  # scrolled to the first match
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.pane.match_position == (2, expected)
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.pane.match_position == (1, expected)
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)
    assert window.list_panel.view.model() is window.proxy


def test_no_results_and_fallback_are_said_in_the_window(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.list_panel.search_box.setText("不存在的詞")
    qtbot.waitUntil(lambda: "No results" in window.list_panel.status.text(), timeout=5000)
    window.list_panel.search_box.setText('(TEVV "方法')
    qtbot.waitUntil(lambda: "searched as words" in window.list_panel.status.text(), timeout=5000)
    assert window.results_model.rowCount() == 1


def test_find_bar_counts_and_steps(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    type_text(qtbot, window.find_bar.line, "资讯")  # Simplified finds 資訊
    total = window.pane.document().toPlainText().count("資訊")
    assert total == 3
    assert window.find_bar.count.text() == f"1 / {total}"
    qtbot.keyClick(window.find_bar.line, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == f"2 / {total}"
    qtbot.keyClick(window.find_bar.line, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.count.text() == f"1 / {total}"
    window.find_bar.line.clear()
    type_text(qtbot, window.find_bar.line, "ＡＩ safety")  # width and case folded
    assert window.find_bar.count.text() == f"1 / {window.pane.document().toPlainText().lower().count('ai safety')}"


def _select(window: MainWindow, words: str) -> None:
    text = window.pane.document().toPlainText()
    start = text.index(words)
    cursor = QTextCursor(window.pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)


def test_highlight_by_selection_survives_restart_and_edit(harness, data_dir: Path, sample_library: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    _select(window, "布萊切利公園")
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_H)
    [item] = window.annotations.items
    assert item.quote.exact == "布萊切利公園"
    assert window.pane.highlight_colors_at() == ["#ffe066"]
    window.annotations.list.setCurrentRow(0)
    type_text(qtbot, window.annotations.note, "會議地點")
    qtbot.waitUntil(lambda: window.session.store.get(item.library, item.id).note == "會議地點", timeout=3000)
    type_text(qtbot, window.annotations.article_note, "整篇重點")
    qtbot.waitUntil(lambda: window.session.store.article_note(window.session.root, MOU) is not None, timeout=3000)

    window = harness.restart()  # the last article opens again, with its highlight
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == MOU, timeout=5000)
    assert [a.note for a in window.annotations.items] == ["會議地點"]
    assert window.annotations.article_note.toPlainText() == "整篇重點"
    assert window.library_model.rows[window.library_model.row_of(MOU)].highlights == 1
    window.close()
    harness.window = None

    path = sample_library / MOU
    path.write_text(path.read_text(encoding="utf-8").replace("\n\n英國技術大臣", "\n\n新插入的第一段。\n\n英國技術大臣", 1), encoding="utf-8")
    exported = json.loads(run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir).stdout)
    highlight = next(i for i in exported["items"] if i["motivation"] == "highlighting")
    selectors = {s["type"]: s for s in highlight["target"]["selector"]}
    text = run_cli("export", MOU, "--library", str(sample_library), "--format", "text", data_dir=data_dir).stdout
    position = selectors["TextPositionSelector"]
    assert text[position["start"] : position["end"]] == "布萊切利公園" == selectors["TextQuoteSelector"]["exact"]


def _highlight_tevv(harness, color: str) -> None:
    """Open the NIST article, highlight "TEVV方法" and select that highlight in the panel."""
    window = harness.window
    harness.open(NIST)
    _select(window, "TEVV方法")
    window.highlight_selection(color)
    window.annotations.list.setCurrentRow(0)


def test_delete_and_undo_in_the_window(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _highlight_tevv(harness, "green")
    qtbot.mouseClick(window.annotations.delete_button, Qt.MouseButton.LeftButton)
    assert window.annotations.items == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.quote.exact for a in window.annotations.items] == ["TEVV方法"]


def test_zoom_theme_and_splitter_persist(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.apply_theme("sepia")
    window.splitter.setSizes([250, 800, 230])
    sizes = window.splitter.sizes()
    window = harness.restart()
    assert window.pane.zoom == 2
    assert window.pane.theme == "sepia"
    assert window.splitter.sizes() == sizes


def test_a_file_added_on_disk_appears(harness, sample_library: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    (sample_library / "new.md").write_text("---\ntitle: 新加入的文章\ndate: 2025-01\n---\n\n量子運算。", encoding="utf-8")
    qtbot.waitUntil(lambda: window.library_model.row_of("new.md") >= 0, timeout=3000)
    qtbot.waitUntil(lambda: not window.busy, timeout=10000)
    window.list_panel.search_box.setText("量子運算")
    qtbot.waitUntil(lambda: [r.path for r in window.results_model.rows] == ["new.md"], timeout=5000)


def test_dropped_file_is_imported(harness, tmp_path: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    dropped = tmp_path / "dropped.txt"
    dropped.write_text("拖放匯入的文章\n\n內容。", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.library_model.row_of("dropped.md") >= 0, timeout=5000)
    assert window.library_model.rows[window.library_model.row_of("dropped.md")].title == "拖放匯入的文章"


def test_traditional_chinese_interface(qtbot, data_dir: Path, sample_library: Path) -> None:
    Settings(DataPaths(data_dir).settings_file).set("language", "zh_TW")
    from reader.ui.i18n import install_translator, tr

    app = make_app()
    translator = install_translator(app, "zh_TW")
    try:
        assert translator is not None
        assert tr("&File") == "檔案(&F)"
        harness = Harness(qtbot, data_dir, sample_library)
        window = harness.start()
        menus = [a.text() for a in window.menuBar().actions()]
        assert "檔案(&F)" in menus and "說明(&H)" in menus
        assert window.list_panel.search_box.placeholderText().startswith("搜尋")
        window.close()
    finally:
        if translator is not None:
            app.removeTranslator(translator)


def test_screenshot_writes_a_png_of_the_requested_size(tmp_path: Path, data_dir: Path, sample_library: Path) -> None:
    from PySide6.QtGui import QImage

    target = tmp_path / "shot.png"
    result = run_cli("--screenshot", str(target), "--library", str(sample_library), "--search", "安全", "--size", "1024x700", "--theme", "dark", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1024, 700)
    colors = {image.pixel(x, y) for x in range(0, 1024, 37) for y in range(0, 700, 29)}
    assert len(colors) > 20  # not blank


def test_notes_are_searchable_and_colour_names_renamed(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _highlight_tevv(harness, "pink")
    type_text(qtbot, window.annotations.note, "驗證程序筆記")
    qtbot.waitUntil(lambda: window.annotations.items and window.annotations.items[0].note == "驗證程序筆記", timeout=3000)
    window.session.store.rename_color("pink", "罰則")
    window.annotation_controller.load_colors()
    assert "罰則" in window.annotations.list.item(0).text()
    qtbot.waitUntil(lambda: not window.busy and not window.notes_index_timer.isActive(), timeout=10000)
    window.list_panel.search_box.setText("note:驗證程序")
    qtbot.waitUntil(lambda: [r.path for r in window.results_model.rows] == [NIST], timeout=10000)


def test_sort_by_title_and_recently_read_and_tag_filter(harness) -> None:
    window = harness.window
    harness.open(MOU)
    harness.open(NIST)  # NIST read last
    box = window.list_panel.sort_box
    box.setCurrentIndex(box.findData("recent"))
    view = window.list_panel.view
    paths = [view.model().index(r, 0).data(PathRole) for r in range(view.model().rowCount())]
    assert paths == [NIST, MOU]
    box.setCurrentIndex(box.findData("title"))
    titles = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    from reader.search.folding import fold

    assert titles == sorted(titles, key=fold)
    tags = window.list_panel.tag_box
    tags.setCurrentIndex(tags.findData("巨量資料"))
    assert [view.model().index(r, 0).data(PathRole) for r in range(view.model().rowCount())] == [MOU]


def test_reading_position_is_restored(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.resize(900, 400)
    harness.open(MOU)
    bar = window.pane.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    bar.setValue(bar.maximum() // 2)
    window.save_position()
    harness.open(NIST)
    harness.open(MOU)
    qtbot.waitUntil(lambda: abs(bar.value() - bar.maximum() // 2) <= 2, timeout=3000)


def test_a_large_batch_is_indexed_in_a_separate_process(qtbot, monkeypatch, data_dir: Path, sample_library: Path) -> None:
    """Large batches are indexed by a child process (the window's thread would share the
    interpreter lock with it); its progress reaches the window and search finds what it
    indexed."""
    import reader.ui.session as session_module

    started = []
    real = session_module.index_in_process
    monkeypatch.setattr(session_module, "PROCESS_INDEX_MIN", 1)
    monkeypatch.setattr(session_module, "index_in_process", lambda *a: started.append(1) or real(*a))
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        assert started == [1]
        assert window.progress.maximum() == 2 and window.progress.value() == 2
        window.list_panel.search_box.setText("安全")
        qtbot.waitUntil(lambda: window.results_model.total == 2, timeout=5000)
    finally:
        window.close()


def test_the_open_article_stays_marked_among_search_results(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    window.list_panel.search_box.setText("安全")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=5000)
    assert window.list_panel.view.currentIndex().data(PathRole) == MOU

