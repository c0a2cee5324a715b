"""Marks you can tell apart, menus that show what is chosen, and reading comfort: fonts,
spacing, width, distraction-free mode, reading progress and the keys a reader expects."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QContextMenuEvent, QFontDatabase, QTextCharFormat  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.themes import THEMES  # noqa: E402
from reader.settings import DEFAULTS, Settings  # noqa: E402
from reader.ui import dialogs  # noqa: E402
from reader.ui.article_models import PathRole  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from tests.test_window import MOU, NIST, Harness, _select, type_text  # noqa: E402


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def _luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hue_distance(a: QColor, b: QColor) -> int:
    d = abs(a.hslHue() - b.hslHue()) % 360
    return min(d, 360 - d)


def _search_and_open(harness, query: str, path: str) -> None:
    window, qtbot = harness.window, harness.qtbot
    type_text(qtbot, window.list_panel.search_box, query)
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 0 and window.results_model.query == query, timeout=5000)
    harness.open(path)


def _match_formats(window) -> list[QTextCharFormat]:
    highlight = {QColor(c["color"]).name() for c in DEFAULTS["highlight_colors"]}
    formats = [QTextCharFormat(s.format) for s in window.pane.extraSelections()]
    return [f for f in formats if f.background().color().name() not in highlight]


# Marks and menus -----------------------------------------------------------------------------
def test_the_current_theme_is_checked_in_the_menu(harness) -> None:
    window = harness.window
    actions = window.theme_actions
    assert window.theme_group.isExclusive()
    assert [k for k, a in actions.items() if a.isChecked()] == ["system"]
    actions["dark"].trigger()
    assert window.pane.theme == "dark"
    assert [k for k, a in actions.items() if a.isChecked()] == ["dark"]
    window.apply_theme("sepia")
    assert [k for k, a in actions.items() if a.isChecked()] == ["sepia"]


def test_the_colour_menus_show_swatches(harness) -> None:
    window = harness.window
    assert all(not a.icon().isNull() and not a.text().startswith("●") for a in window.highlight_menu.actions())
    harness.open(MOU)
    _select(window, "布萊切利公園")
    seen = []

    def read() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, read)
            return
        sub = next(a.menu() for a in popup.actions() if a.menu() is not None)
        seen.extend((a.text(), a.icon().isNull()) for a in sub.actions())
        popup.close()

    QTimer.singleShot(20, read)
    rect = window.pane.cursorRect()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, rect.center(), window.pane.viewport().mapToGlobal(rect.center()))
    window.pane.contextMenuEvent(event)
    assert seen and seen[0] == ("Yellow", False)
    assert not any(text.startswith("●") or no_icon for text, no_icon in seen)


def test_f3_shows_the_match_number_in_the_status_bar_and_find_bar(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _search_and_open(harness, "资讯", MOU)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "2 / 3"
    qtbot.keyClick(window, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.statusBar().currentMessage() == "1 / 3"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, window.find_bar.line, "安全")
    total = window.pane.document().toPlainText().count("安全")
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == f"2 / {total}" == window.find_bar.count.text()


def test_closing_find_brings_the_search_marks_back(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _search_and_open(harness, "资讯", MOU)
    assert window.pane.match_position == (1, 3)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, window.find_bar.line, "安全")
    assert window.pane.match_position[1] > 3
    qtbot.keyClick(window.find_bar.line, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.pane.match_position == (1, 3)  # the search is still on: its marks stay
    shown = window.pane.document().toPlainText()
    assert {shown[s.cursor.selectionStart() : s.cursor.selectionEnd()] for s in window.pane.extraSelections()} == {"資訊"}
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)
    assert window.pane.match_position == (0, 0)  # cleared with the search


def test_note_markers_stand_out_from_the_page_in_every_theme() -> None:
    for theme, colors in THEMES.items():
        assert contrast(QColor(colors["note"]), QColor(colors["bg"])) >= 3.0, theme  # WCAG 1.4.11


def test_search_and_find_marks_differ_from_highlights_by_hue_and_shape(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _search_and_open(harness, "资讯", MOU)
    _select(window, "布萊切利公園")
    window.highlight_selection("orange")
    highlights = [QColor(c["color"]) for c in DEFAULTS["highlight_colors"]]
    for theme in THEMES:
        window.apply_theme(theme)
        qtbot.waitUntil(lambda t=theme: window.pane.document_style().theme == t and not window.busy, timeout=5000)
        window.mark_search("资讯")
        window.find_bar.open()
        for kind in ("search", "find"):
            if kind == "find":
                window.find_bar.line.setText("安全")
            formats = _match_formats(window)
            assert formats, (theme, kind)
            for fmt in formats:
                assert fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline, (theme, kind)
                mark = fmt.background().color()
                assert min(hue_distance(mark, h) for h in highlights) >= 40, (theme, kind, mark.name())
        formats = [QTextCharFormat(s.format) for s in window.pane.extraSelections()]
        marked = [f for f in formats if f.background().color().name() == "#ffc078"]
        assert marked and all(f.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline for f in marked)
        window.close_find()


# Reading comfort -----------------------------------------------------------------------------
def test_preferences_are_roomy_and_labels_unbroken(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    dialog = dialogs.PreferencesDialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() >= 520 and dialog.height() >= 420
    for label in dialog.findChildren(QLabel):
        if label.text():
            assert not label.wordWrap() and label.width() >= label.sizeHint().width(), label.text()
    assert any("罰則" in line for line in dialog.colors_note.text().splitlines())
    dialog.reject()


def test_font_size_spacing_and_width_apply_at_once_and_are_saved(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    dialog = dialogs.PreferencesDialog(window)
    families = [dialog.font_box.itemText(i) for i in range(1, dialog.font_box.count())]
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.TraditionalChinese))
    assert families and set(families) <= chinese
    margins = window.pane.viewportMargins().left()
    dialog.font_box.setCurrentIndex(1)
    dialog.size_box.setValue(21)
    dialog.spacing_box.setValue(160)
    dialog.width_box.setValue(30)
    qtbot.waitUntil(lambda: window.pane.document().defaultFont().pixelSize() == 21, timeout=5000)
    font = window.pane.document().defaultFont()
    assert font.families()[0] == families[0]
    block = window.pane.document().begin()
    heights = set()
    while block.isValid():
        heights.add(block.blockFormat().lineHeight())
        block = block.next()
    assert 160 in heights
    assert window.pane.viewportMargins().left() != margins  # the measure follows size and width
    dialog.accept()
    assert [window.settings.get(k) for k in ("font_family", "font_size", "line_spacing", "text_width")] == [families[0], 21, 160, 30]
    window = harness.restart()
    assert (window.pane.font_family, window.pane.font_size, window.pane.line_spacing, window.pane.text_width) == (families[0], 21, 160, 30)


def test_cancel_puts_the_reading_settings_back(harness) -> None:
    window = harness.window
    dialog = dialogs.PreferencesDialog(window)
    dialog.size_box.setValue(24)
    assert window.pane.font_size == 24
    dialog.reject()
    assert window.pane.font_size == 17 and window.settings.get("font_size") == 17


def test_distraction_free_mode_and_panels(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen()
    assert not window.list_panel.isVisible() and not window.annotations.isVisible()
    assert window.pane.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.list_panel.isVisible() and window.annotations.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not window.list_panel.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not window.isFullScreen()
    assert window.list_panel.isVisible() and window.annotations.isVisible()


def test_reading_progress_and_ctrl_home_end(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.resize(900, 400)
    harness.open(MOU)
    bar = window.pane.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    assert window.reading_progress.text() == "0% read"
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    assert window.reading_progress.text() == "100% read"
    qtbot.keyClick(window.pane, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0 and window.reading_progress.text() == "0% read"
    bar.setValue(bar.maximum() // 2)
    assert window.reading_progress.text() == f"{round(100 * bar.value() / bar.maximum())}% read"


def test_enter_in_the_search_box_opens_the_top_hit(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, window.list_panel.search_box, "资讯")
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == MOU, timeout=5000)
    assert window.pane.match_position == (1, 3)


def test_j_after_esc_goes_on_from_the_open_article(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    _search_and_open(harness, "安全", NIST)
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)
    assert window.list_panel.view.model() is window.proxy
    window.pane.setFocus()
    qtbot.keyClick(window.pane, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.current.path == MOU, timeout=5000)
    qtbot.keyClick(window.pane, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.current.path == NIST, timeout=5000)
    # The same in the article list, after a search left with Esc.
    _search_and_open(harness, "人工智慧", NIST)
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Escape)
    view = window.list_panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.current.path == MOU, timeout=5000)
    assert view.currentIndex().data(PathRole) == MOU
    qtbot.keyClick(view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: window.current.path == NIST, timeout=5000)


def test_the_note_marker_is_painted_in_the_theme_colour(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(MOU)
    _select(window, "布萊切利公園")
    window.highlight_selection("yellow")
    window.annotations.list.setCurrentRow(0)
    type_text(qtbot, window.annotations.note, "地點")
    [item] = window.annotations.items
    qtbot.waitUntil(lambda: window.session.store.get(item.library, item.id).note == "地點", timeout=3000)
    window.apply_theme("dark")
    qtbot.waitUntil(lambda: not window.busy and window.pane.document_style().theme == "dark", timeout=5000)
    window.annotation_controller.scroll_to(item.id)
    qtbot.waitUntil(lambda: bool(window.pane._notes), timeout=3000)
    page, note = QColor(THEMES["dark"]["bg"]), QColor(THEMES["dark"]["note"])
    image = window.pane.viewport().grab().toImage()
    painted = [QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())]
    near = [c for c in painted if abs(c.red() - note.red()) + abs(c.green() - note.green()) + abs(c.blue() - note.blue()) < 12]
    assert len(near) >= 30  # the marker is there, a solid badge in the theme's note colour
    assert contrast(note, page) >= 3.0


def test_closing_in_distraction_free_mode_starts_an_ordinary_window_next_time(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.showNormal()
    window.resize(700, 500)
    qtbot.waitUntil(lambda: window.width() == 700, timeout=3000)
    list_width = window.splitter.sizes()[0]
    assert list_width > 0
    harness.open(MOU)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen, timeout=3000)
    window.close()

    paths = DataPaths(harness.data_dir)
    again = MainWindow(paths, Settings(paths.settings_file), Library(harness.library.resolve(), paths))
    qtbot.addWidget(again)
    harness.window = again
    again.show()
    qtbot.waitUntil(lambda: not again.busy and again.library_model.rowCount() >= 2, timeout=15000)
    assert not again.isFullScreen()
    assert (again.width(), again.height()) == (700, 500)
    assert again.list_panel.isVisible() and again.annotations.isVisible()
    assert again.splitter.sizes()[0] == list_width


def test_the_reading_pane_context_menu_opens_the_original(harness) -> None:
    window = harness.window
    opened = []
    window.open_external = opened.append
    harness.open(MOU)

    def choose() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, choose)
            return
        action = next(a for a in popup.actions() if a.text() == "Open original")
        popup.close()
        action.trigger()

    QTimer.singleShot(20, choose)
    rect = window.pane.cursorRect()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, rect.center(), window.pane.viewport().mapToGlobal(rect.center()))
    window.pane.contextMenuEvent(event)
    assert [url.toLocalFile() for url in opened] == [str((harness.library / MOU).resolve())]
