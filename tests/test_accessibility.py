"""Every control of the main window has a name a screen reader can say (in both languages),
and list rows and annotation cards tell their title, date and snippet."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from reader.ui.app import make_app  # noqa: E402
from reader.ui.i18n import set_language  # noqa: E402
from tests.test_window import MOU, Harness, _select  # noqa: E402

INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractItemView, QComboBox, QTabBar, QTabWidget, QTextEdit, QPlainTextEdit)


def qt_internal(widget: QWidget) -> bool:
    """Parts Qt adds inside its own controls (a line edit's clear button, a tab bar's scroll
    arrows, a toolbar's overflow button): Qt names them itself."""
    name = widget.objectName()
    if name.startswith("qt_") or type(widget).__name__ in ("QLineEditIconButton", "QToolBarExtension"):
        return True
    parent = widget.parentWidget()
    return isinstance(parent, (QTabBar, QLineEdit)) and isinstance(widget, QAbstractButton)


def unnamed_controls(window) -> list[str]:
    missing = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window:
            continue  # a combo box's popup list, a dialog: not part of the window
        if isinstance(widget, INTERACTIVE) and not qt_internal(widget) and not widget.accessibleName().strip():
            label = getattr(widget, "text", lambda: "")() if isinstance(widget, QAbstractButton) else ""
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {label!r} in {type(widget.parentWidget()).__name__}")
    return missing


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_every_control_has_an_accessible_name(qtbot, data_dir: Path, sample_library: Path, language: str) -> None:
    app = make_app()
    set_language(app, language)
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        harness.open(MOU)
        _select(window, "布萊切利公園")
        window.highlight_selection("yellow")
        window.find_bar.open()
        window.annotations.tabs.setCurrentIndex(1)
        assert unnamed_controls(window) == []
        controls = [w for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE) and not qt_internal(w) and w.window() is window]
        assert len(controls) > 20
        if language == "zh_TW":
            names = {w.accessibleName() for w in controls}
            assert "搜尋文庫" in names or any("搜尋" in n for n in names)
            assert not any(n in names for n in ("Filter by text", "Delete highlight", "Articles"))
    finally:
        window.close()
        set_language(app, "en")


def test_the_checker_finds_an_unnamed_control(qtbot, data_dir: Path, sample_library: Path) -> None:
    from PySide6.QtWidgets import QPushButton

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        QPushButton("?", window.annotations)
        assert len(unnamed_controls(window)) == 1
    finally:
        window.close()


def test_the_names_follow_a_language_switch(qtbot, data_dir: Path, sample_library: Path) -> None:
    from tests.test_translations import english_words

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        window.set_language("zh_TW")
        controls = [w for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE) and not qt_internal(w) and w.window() is window]
        english = [(type(w).__name__, w.accessibleName()) for w in controls if english_words(w.accessibleName())]
        assert english == []
    finally:
        window.close()
        set_language(make_app(), "en")
