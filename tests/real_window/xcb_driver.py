"""Drive the real window on the platform Qt picks (xcb under X), as a person would, and print
what they saw as JSON: used by tests/test_real_window.py in a process of its own (the suite's
QApplication is offscreen).

    python tests/real_window/xcb_driver.py LIBRARY DATA_DIR
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.library.library import Library
from reader.paths import DataPaths
from reader.settings import Settings
from reader.ui.app import make_app
from reader.ui.main_window import MainWindow


def wait_until(app: QApplication, condition, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return False


def type_text(app: QApplication, widget, text: str) -> None:
    widget.setFocus()
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:  # an input method commits CJK text
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(widget, event)
        app.processEvents()


def main(library: str, data_dir: str) -> int:
    app = make_app()
    seen: dict = {"platform": QGuiApplication.platformName()}
    paths = DataPaths(Path(data_dir))
    window = MainWindow(paths, Settings(paths.settings_file), Library(Path(library).resolve(), paths))
    window.show()
    seen["shown"] = wait_until(app, lambda: window.isVisible() and not window.busy and window.library_model.rowCount() >= 2)
    seen["exposed"] = window.windowHandle() is not None and window.windowHandle().isExposed()
    window.activateWindow()  # no window manager under Xvfb: ask for the focus ourselves
    wait_until(app, window.isActiveWindow, timeout=5)
    seen["articles"] = window.library_model.rowCount()

    QTest.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    type_text(app, window.list_panel.search_box, "布萊切利")
    seen["searched"] = wait_until(app, lambda: window.results_model.rowCount() == 1)
    seen["hit"] = window.results_model.rows[0].path if window.results_model.rows else ""
    window.open_index(window.results_model.index(0, 0))
    seen["opened"] = wait_until(app, lambda: window.current is not None and not window.busy)

    text = window.pane.document().toPlainText()
    start = text.find("布萊切利公園")
    cursor = QTextCursor(window.pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len("布萊切利公園"), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)
    window.pane.setFocus()
    QTest.keyClick(window.pane, Qt.Key.Key_H)
    seen["highlighted"] = wait_until(app, lambda: len(window.annotations.items) == 1)
    seen["quote"] = window.annotations.items[0].quote.exact if window.annotations.items else ""

    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    seen["closed"] = wait_until(app, lambda: not window.isVisible(), timeout=10)
    print(json.dumps(seen, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
