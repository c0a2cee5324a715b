"""Copy with citation (Ctrl+Shift+C) and the citation style in the real window: a selection
made with a real QTextCursor, the key pressed, the clipboard read back (text and HTML).

The copies are compared with golden files (``tests/golden_citations/copy_*.txt``, checked by
eye once; ``READER_UPDATE_GOLDEN=1`` writes them again).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from reader.citations import find_style  # noqa: E402
from reader.settings import Settings  # noqa: E402
from tests.test_window import MOU, Harness  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden_citations"
SHIPPED = ["taiwan-law-journal", "apa", "chicago-notes-bibliography", "chicago-author-date"]
QUOTE = "雙方將共同開發先進人工智慧（frontier AI）模型及測試"
TITLE = "英國與美國為人工智慧安全共同開發簽署合作備忘錄"


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def answer_file_dialog(path: Path, replace: bool = True) -> None:
    """Answer the next modal file dialog with ``path`` (and its "replace?" question)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            dialog.selectFile(str(path))
            QTimer.singleShot(0, answer_question)
            dialog.accept()
        else:
            QTimer.singleShot(20, answer)

    def answer_question() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No).click()
            if not replace:
                QTimer.singleShot(0, lambda: isinstance(QApplication.activeModalWidget(), QFileDialog) and QApplication.activeModalWidget().reject())

    QTimer.singleShot(0, answer)


def select(window, words: str) -> None:
    text = window.pane.document().toPlainText()
    start = text.index(words)
    cursor = QTextCursor(window.pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)


def press_copy(harness, widget) -> tuple[str, str]:
    window, qtbot = harness.window, harness.qtbot
    widget.setFocus()
    with qtbot.waitSignal(window.citations.copied, timeout=10000):
        qtbot.keyClick(widget, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    mime = QApplication.clipboard().mimeData()
    assert mime.hasText() and mime.hasHtml()
    return mime.text(), mime.html()


def golden(name: str, made: str) -> None:
    path = GOLDEN / name
    if os.environ.get("READER_UPDATE_GOLDEN"):
        path.write_text(made, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with READER_UPDATE_GOLDEN=1 and read it"
    assert made == path.read_text(encoding="utf-8"), name


def paragraph_of(window, words: str) -> int:
    from reader.locator import Locator

    rendered = window.current.rendered
    return Locator.for_rendered(rendered).at(rendered.text.index(words)).paragraph


@pytest.mark.parametrize("style", SHIPPED)
def test_ctrl_shift_c_copies_the_selection_with_its_citation(harness, style) -> None:
    window = harness.window
    harness.open(MOU)
    window.citations.fill_style_menu()
    window.citations.style_actions[style].trigger()  # Edit ▸ Citation style ▸ …
    assert Settings(window.paths.settings_file).get("citation_style") == style
    assert window.citations.style_actions[style].isChecked()
    select(window, QUOTE)
    plain, html = press_copy(harness, window.pane)
    assert QUOTE in plain and QUOTE in html
    names = {"taiwan-law-journal": find_style(style).title, "apa": "APA (7th edition)",
             "chicago-notes-bibliography": "Chicago (18th edition, notes and bibliography)",
             "chicago-author-date": "Chicago (18th edition, author-date)"}
    assert window.statusBar().currentMessage() == f"Copied with citation ({names[style]})"
    paragraph = paragraph_of(window, QUOTE)
    if style == "taiwan-law-journal":
        assert plain.splitlines()[1] == f"林允中 編譯整理，〈{TITLE}〉，2024年7月，第{paragraph}段。"
    elif style == "apa":
        assert f"(林允中 編譯整理, 2024, para. {paragraph})" in plain
    golden(f"copy_{style}.txt", f"## plain\n{plain}\n## html\n{html}\n")


def test_the_reading_panes_context_menu_offers_copy_with_citation(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    select(window, QUOTE)
    seen = []

    def look() -> None:
        from PySide6.QtWidgets import QMenu

        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, look)
            return
        [action] = [a for a in menu.actions() if a.text() == "Copy with citation"]
        seen.append(action.shortcut().toString())
        action.trigger()
        menu.close()

    QTimer.singleShot(0, look)
    from PySide6.QtGui import QContextMenuEvent

    with qtbot.waitSignal(window.citations.copied, timeout=10000):
        where = window.pane.viewport().rect().center()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, window.pane.viewport().mapToGlobal(where))
        window.pane.contextMenuEvent(event)
    assert seen == ["Ctrl+Shift+C"]
    assert QUOTE in QApplication.clipboard().text()


def test_a_highlight_card_is_copied_in_its_own_words_where_it_is_now(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    select(window, "布萊切利公園")
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: window.annotations.list.count() == 1, timeout=5000)
    window.pane.moveCursor(QTextCursor.MoveOperation.Start)  # no selection: the card is the source
    window.annotations.list.setCurrentRow(0)
    plain, html = press_copy(harness, window.annotations.list)
    paragraph = paragraph_of(window, "布萊切利公園")
    assert plain == f"「布萊切利公園」\n林允中 編譯整理，〈{TITLE}〉，2024年7月，第{paragraph}段。\n"
    assert "〈" in html and "布萊切利公園" in html
    # The card's context menu has the action too.
    [action] = [a for a in window.annotations.list.actions() if a.text() == "Copy with citation"]
    assert window.annotations.list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    QApplication.clipboard().clear()
    with qtbot.waitSignal(window.citations.copied, timeout=10000):
        action.trigger()
    assert QApplication.clipboard().text() == plain


def test_nothing_to_copy_is_said(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    window.pane.moveCursor(QTextCursor.MoveOperation.Start)
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "Select text, a highlight or a passage to copy with its citation."


def test_user_styles_are_listed_and_a_broken_one_is_named(harness, tmp_path: Path) -> None:
    window = harness.window
    folder = window.paths.root / "csl"
    folder.mkdir()
    (folder / "mine.csl").write_text(find_style("apa").path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.csl").write_text("<style>not csl", encoding="utf-8")
    menu = window.citations.style_menu
    menu.aboutToShow.emit()  # as opening the submenu does
    texts = [a.text() for a in menu.actions()]
    assert "APA Style 7th edition (mine.csl)" in texts
    [broken] = [a for a in menu.actions() if a.text() == "broken.csl (cannot be used)"]
    assert not broken.isEnabled() and "not a citation style" in broken.toolTip()
    assert str(folder / "broken.csl") in window.statusBar().currentMessage()
    checked = [a.data() for a in menu.actions() if a.isChecked()]
    assert checked == ["taiwan-law-journal"]
    window.citations.style_actions["mine"].trigger()
    harness.open(MOU)
    select(window, QUOTE)
    plain, _ = press_copy(harness, window.pane)
    assert "(林允中 編譯整理, 2024, para." in plain
    assert window.statusBar().currentMessage() == "Copied with citation (APA Style 7th edition (mine.csl))"


def test_add_citation_style_copies_a_good_file_and_refuses_a_bad_one(harness, tmp_path: Path) -> None:
    window = harness.window
    good = tmp_path / "my style.csl"
    good.write_text(find_style("chicago").path.read_text(encoding="utf-8"), encoding="utf-8")
    [edit] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"]
    [add] = [a for a in edit.actions() if a.text() == "Add citation style…"]
    answer_file_dialog(good)
    add.trigger()
    assert (window.paths.root / "csl" / "my style.csl").read_bytes() == good.read_bytes()
    assert Settings(window.paths.settings_file).get("citation_style") == "my style"
    bad = tmp_path / "bad.csl"
    bad.write_text("<html><body>no style</body></html>", encoding="utf-8")
    answer_file_dialog(bad)
    add.trigger()
    box = window.citations.message_box
    assert box is not None and box.isVisible()
    assert str(bad) in box.text() and "not a citation style" in box.text()
    assert not (window.paths.root / "csl" / "bad.csl").exists()
    assert Settings(window.paths.settings_file).get("citation_style") == "my style"


def test_an_unknown_stored_style_falls_back_to_the_default_and_says_so(qtbot, data_dir: Path, sample_library: Path) -> None:
    from reader.paths import DataPaths

    paths = DataPaths(data_dir)
    Settings(paths.settings_file).set("citation_style", "gone-style")
    h = Harness(qtbot, data_dir, sample_library)
    window = h.start()
    try:
        assert "gone-style" in window.citations.notice and "臺灣法學期刊" in window.citations.notice
        assert window.citations.current_style().key == "taiwan-law-journal"
        window.citations.style_menu.aboutToShow.emit()
        assert [a.data() for a in window.citations.style_menu.actions() if a.isChecked()] == ["taiwan-law-journal"]
        h.open(MOU)
        select(window, QUOTE)
        plain, _ = press_copy(h, window.pane)
        assert f"〈{TITLE}〉" in plain
        assert "gone-style" in window.statusBar().currentMessage()
    finally:
        window.close()


def test_the_current_passage_of_the_passages_view_is_copied_with_its_citation(harness) -> None:
    """The window's passages view (``window.passages``) is wired by another part of issue 13;
    here a real PassagesView over the library's real index stands where it will be."""
    from reader.search.index import SearchIndex
    from reader.search.passages import passages
    from reader.ui.passages_view import GROUP, KindRole, PassagesView

    window, qtbot = harness.window, harness.qtbot
    library = window.session.library
    index = SearchIndex(library.index_dir)
    view = PassagesView(lambda query, order: passages(index, library, query, order=order), parent=window)
    added = not hasattr(window, "passages")
    if added:
        window.passages = view
    try:
        if not added:
            view = window.passages
        view.show()
        with qtbot.waitSignal(view.finished, timeout=20000):
            view.search("布萊切利")
        model = view.tree.model()
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) != GROUP)
        view.tree.setCurrentIndex(model.index(row, 0))
        assert window.current is None  # the passage's article is not open: read from the library
        plain, html = press_copy(harness, view.tree)
        first, citation = plain.splitlines()[:2]
        assert "布萊切利公園" in first and first.startswith("「")
        paragraph = paragraph_in_library(library, "布萊切利公園")
        assert citation == f"林允中 編譯整理，〈{TITLE}〉，2024年7月，第{paragraph}段。"
        assert "布萊切利公園" in html
    finally:
        if added:
            del window.passages
        view.stop()
        view.runner.wait(10000)
        index.close()


def paragraph_in_library(library, words: str) -> int:
    from reader.locator import Locator
    from reader.render.article import render_article

    rendered = render_article(library.load(MOU))
    return Locator.for_rendered(rendered).at(rendered.text.index(words)).paragraph


def test_a_card_of_the_all_annotations_tab_is_copied_without_opening_its_article(harness) -> None:
    from reader.annotations.selectors import describe
    from reader.render.article import render_article
    from reader.ui.annotation_models import CARD, KindRole

    window, qtbot = harness.window, harness.qtbot
    session = window.session
    article, content_hash = session.library.load_with_hash(MOU)
    text = render_article(article).text
    start = text.index("布萊切利公園")
    quote, position = describe(text, start, start + len("布萊切利公園"))
    session.store.add_highlight(session.root, MOU, quote, position, "green", "", content_hash)
    window.annotations.tabs.setCurrentIndex(1)
    view = window.annotations.all_list
    qtbot.waitUntil(lambda: any(view.model().index(r, 0).data(KindRole) == CARD for r in range(view.model().rowCount())), timeout=5000)
    row = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data(KindRole) == CARD)
    view.setCurrentIndex(view.model().index(row, 0))
    plain, _ = press_copy(harness, view)
    assert window.current is None
    assert plain == f"「布萊切利公園」\n林允中 編譯整理，〈{TITLE}〉，2024年7月，第{paragraph_in_library(session.library, '布萊切利公園')}段。\n"
