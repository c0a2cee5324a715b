"""One language at a time: in zh_TW every menu, action, dialog and panel speaks Chinese (Qt's
own dialogs and context menus too), colour names are shown in one language, and switching
the language in Preferences applies at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from reader.ui import dialogs  # noqa: E402
from reader.ui.app import make_app  # noqa: E402
from reader.ui.i18n import set_language  # noqa: E402
from tests.test_window import MOU, Harness  # noqa: E402

#: English that stays English in the Chinese interface: names, formats, shortcut keys.
ALLOWED = {
    "NIST", "TEVV", "Reader", "Markdown", "HTML", "CSV", "JSON", "PDF", "AI", "English",
    "Noto", "Sans", "TC", "px", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Home", "End", "Up", "Down",
    "Tab", "Del", "Backspace", "PgUp", "PgDown",
    "Word", "APA", "Chicago",  # a file format's and citation styles' names
}
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").replace("&", "")
    text = re.sub(r"\bF\d+\b", " ", text)  # function keys
    text = re.sub(r"\S+\.(md|txt|html?|json|csv|pdf|png)\b", " ", text)  # file names
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def widget_texts(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[tuple[str, str]]:
    """(where, text) of every fixed label a user sees in ``root``."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if any(widget is s or s.isAncestorOf(widget) for s in skip):
            continue
        if widget is not root and widget.window() is not root.window():
            continue  # another window (a dialog), read on its own
        name = type(widget).__name__
        found += [(f"{name} tooltip", widget.toolTip()), (f"{name} title", widget.windowTitle() if widget.isWindow() else "")]
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append((f"{name} text", widget.text()))
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            found.append((f"{name} placeholder", widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            found += [(f"{name} tab", widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            found += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
    return [(where, text) for where, text in found if text]


def menu_texts(menu, skip: tuple = ()) -> list[tuple[str, str]]:
    found = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        found.append(("action", action.text()))
        if action.toolTip() != action.text().replace("&", ""):
            found.append(("action tooltip", action.toolTip()))
        sub = action.menu()
        if sub is not None and sub not in skip:
            found += menu_texts(sub, skip)
    return found


def panel_texts(panel) -> list[tuple[str, str]]:
    """What the annotation cards and group rows say besides the article's own words: the
    locator, badge, colour name, "Article note", counts, and what screen readers are told."""
    from reader.ui.annotation_models import GROUP, NOTE, BadgeRole, KindRole, LocatorRole

    found = [("annotations status", panel.library_status.text())]
    for view in (panel.list, panel.all_list):
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            kind = index.data(KindRole)
            if kind == GROUP:
                found.append(("group", index.data(Qt.ItemDataRole.AccessibleDescriptionRole).split(";")[0]))
                continue
            text = index.data(Qt.ItemDataRole.DisplayRole)
            found.append(("card head", text.split("\n")[0]))
            found += [("badge", index.data(BadgeRole)), ("locator", index.data(LocatorRole))]
            if kind == NOTE:
                assert text.startswith("文章筆記"), text
            spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
            found.append(("spoken", spoken.split(":")[0]))
    return [(where, text) for where, text in found if text]


def modal_texts(qtbot, open_it) -> list[tuple[str, str]]:
    """Open a modal dialog, read what it shows, close it."""
    seen: list[tuple[str, str]] = []

    def read() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, read)
            return
        seen.extend(widget_texts(dialog))
        dialog.close()

    QTimer.singleShot(20, read)
    open_it()
    return seen


def assert_chinese(texts: list[tuple[str, str]]) -> None:
    english = [(where, text) for where, text in texts if english_words(text)]
    assert english == []


@pytest.fixture
def chinese(qtbot, data_dir: Path, sample_library: Path):
    app = make_app()
    set_language(app, "zh_TW")
    harness = Harness(qtbot, data_dir, sample_library)
    harness.start()
    yield harness
    harness.window.close()
    set_language(app, "en")


def test_every_menu_panel_and_dialog_speaks_chinese(chinese) -> None:
    window, qtbot = chinese.window, chinese.qtbot
    chinese.open(MOU)
    window.find_bar.open()
    window.list_panel.search_box.setText("安全")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2, timeout=5000)
    # Menus and actions (the recent libraries and the contents are paths and headings).
    texts = menu_texts(window.menuBar(), skip=(window.recent_menu, window.toc_menu))
    assert ("action", "黃") in texts  # colour names in one language
    # The annotations panel with a highlight and an article note, both of its views shown.
    from tests.test_window import _select, type_text

    _select(window, "布萊切利公園")
    window.highlight_selection("yellow")
    type_text(qtbot, window.annotations.article_note, "重點")
    qtbot.waitUntil(lambda: window.session.store.article_note(window.session.root, MOU) is not None, timeout=3000)
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    texts += panel_texts(panel)
    assert ("card head", "黃") in texts and ("locator", "第 2 段") in texts and ("spoken", "文章筆記") in texts
    # Panels: labels, buttons, placeholders, tooltips, tabs (the article and tags are content).
    texts += widget_texts(window, skip=(window.pane, window.list_panel.view, window.list_panel.tag_box, window.annotations.list,
                                        window.annotations.all_list))
    # Qt's own: the reading pane's context menu, a message box's button, the file dialog.
    context = window.pane.createStandardContextMenu()
    texts += menu_texts(context)
    assert any("複製" in text for _w, text in menu_texts(context))
    box = QMessageBox(QMessageBox.Icon.Information, "Reader", "訊息", QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Ok, window)
    texts += widget_texts(box)
    files = QFileDialog(window, "匯入檔案")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    texts += widget_texts(files, skip=tuple(files.findChildren(QComboBox)))  # folders are paths
    # Reader's dialogs.
    preferences = dialogs.PreferencesDialog(window)
    texts += widget_texts(preferences, skip=(preferences.font_box,))  # font names are names
    texts.append(("font default", preferences.font_box.itemText(0)))
    texts += modal_texts(qtbot, lambda: dialogs.show_shortcuts(window))
    texts += modal_texts(qtbot, lambda: dialogs.show_problems(window, []))
    texts += modal_texts(qtbot, lambda: dialogs.show_about(window, "1.0"))
    assert_chinese(texts)
    assert len(texts) > 80


def test_the_checker_catches_english() -> None:
    assert english_words("檔案(&F)") == []
    assert english_words("<b>Ctrl+K</b> 搜尋文庫 NIST 000_x.md") == []
    assert english_words("The language changes when Reader is restarted.") == ["The", "language", "changes", "when", "is", "restarted"]
    assert english_words("Look in:") == ["Look", "in"]


def test_colour_names_in_the_interface_language_and_renamed_kept(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        names = [a.text() for a in window.highlight_menu.actions()]
        assert names[:2] == ["Yellow", "Green"]
        assert window.annotations.color_box.itemText(0) == "Yellow"
        window.session.store.rename_color("green", "義務 duty")
        window.set_language("zh_TW")
        names = [a.text() for a in window.highlight_menu.actions()]
        assert names[:3] == ["黃", "義務 duty", "藍"]  # a name the user typed stays as typed
        preferences = dialogs.PreferencesDialog(window)
        assert [e.text() for _c, _s, e in preferences.color_edits][:2] == ["黃", "義務 duty"]
        preferences.reject()
    finally:
        window.close()
        set_language(make_app(), "en")


def test_switching_the_language_applies_at_once(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        harness.open(MOU)
        assert window.list_panel.search_box.placeholderText().startswith("Search")
        preferences = dialogs.PreferencesDialog(window)
        preferences.language.setCurrentIndex(preferences.language.findData("zh_TW"))
        preferences.accept()
        assert [a.text() for a in window.menuBar().actions()][0] == "檔案(&F)"
        assert window.list_panel.search_box.placeholderText().startswith("搜尋")
        assert window.find_bar.line.placeholderText() == "在文章中尋找"
        assert window.list_panel.sort_box.itemText(0) != "Newest first"
        assert window.count_label.text() == "2 篇文章"
        assert [a.text() for a in window.highlight_menu.actions()][0] == "黃"
        assert window.toc_menu.title() != "Contents"
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]  # no "restart" message
        assert window.settings.get("language") == "zh_TW"
        qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # the rebuilt menus' shortcuts work
        assert window.list_panel.search_box.hasFocus()
        qtbot.keyClick(window, Qt.Key.Key_F11)
        assert window.isFullScreen()
        qtbot.keyClick(window, Qt.Key.Key_F11)
        texts = menu_texts(window.menuBar(), skip=(window.recent_menu, window.toc_menu))
        texts += widget_texts(window, skip=(window.pane, window.list_panel.view, window.list_panel.tag_box, window.annotations.list))
        assert_chinese(texts)
        preferences = dialogs.PreferencesDialog(window)
        preferences.language.setCurrentIndex(preferences.language.findData("en"))
        preferences.accept()
        assert [a.text() for a in window.menuBar().actions()][0] == "&File"
        assert window.list_panel.search_box.placeholderText().startswith("Search")
        assert isinstance(window.menuBar().actions()[0].menu(), QMenu)
        assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    finally:
        window.close()
        set_language(make_app(), "en")
