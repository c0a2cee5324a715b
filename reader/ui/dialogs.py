"""Small dialogs: keyboard shortcuts, about, preferences, problem files."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
)

from reader import APP_NAME
from reader.ui.annotations_panel import color_icon
from reader.ui.i18n import LANGUAGES, tr

SHORTCUTS = [
    ("Ctrl+K", "Search the library"),
    ("/", "Search (from the article list)"),
    ("Esc", "Clear the search"),
    ("Enter", "Open the selected article"),
    ("Up / Down", "Move in the article list"),
    ("j / k", "Next / previous article (in the reading pane)"),
    ("F3 / Shift+F3", "Next / previous match"),
    ("Ctrl+F", "Find in article"),
    ("H", "Highlight the selection"),
    ("Ctrl+Z", "Undo deleting a highlight"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Zoom in / out / actual size"),
    ("Ctrl+O", "Open a library"),
]


def show_shortcuts(parent) -> None:
    rows = "".join(f"<tr><td><b>{key}</b>&nbsp;&nbsp;</td><td>{tr(text)}</td></tr>" for key, text in SHORTCUTS)
    box = QMessageBox(parent)
    box.setWindowTitle(tr("Keyboard shortcuts"))
    box.setText(f"<table>{rows}</table>")
    box.exec()


def show_about(parent, version: str) -> None:
    QMessageBox.about(
        parent,
        tr("About Reader"),
        f"<h3>{APP_NAME} {version}</h3><p>" + tr("An offline reader for collections of articles, with complete Chinese search and highlights that survive edits.") + "</p>",
    )


def show_problems(parent, problems: list[tuple[str, str]]) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("Problems"))
    text = QPlainTextEdit(dialog)
    text.setReadOnly(True)
    text.setPlainText("\n".join(f"{path}: {problem}" for path, problem in problems) or tr("No problems."))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(640, 360)
    dialog.exec()


def show_preferences(window) -> None:
    settings = window.settings
    dialog = QDialog(window)
    dialog.setWindowTitle(tr("Preferences"))
    language = QComboBox(dialog)
    language.addItem(tr("Follow system"), "system")
    for key, name in LANGUAGES.items():
        language.addItem(name, key)
    language.setCurrentIndex(max(0, language.findData(settings.get("language"))))
    theme = QComboBox(dialog)
    for key, label in (("system", tr("Follow system")), ("light", tr("Light")), ("dark", tr("Dark")), ("sepia", tr("Sepia"))):
        theme.addItem(label, key)
    theme.setCurrentIndex(max(0, theme.findData(settings.get("theme"))))
    form = QFormLayout()
    form.addRow(tr("Language"), language)
    form.addRow(tr("Theme"), theme)
    colors_note = QLabel(tr("Highlight colours: the names are used in filters and exports (e.g. 定義, 義務, 罰則)."), dialog)
    colors_note.setWordWrap(True)
    store = window.session.store if window.session else None
    color_edits = []
    colors_form = QFormLayout()
    for color in store.colors() if store else []:
        edit = QLineEdit(color.name, dialog)
        swatch = QLabel(dialog)
        swatch.setPixmap(color_icon(color.color).pixmap(14, 14))
        colors_form.addRow(swatch, edit)
        color_edits.append((color, edit))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(colors_note)
    layout.addLayout(colors_form)
    layout.addWidget(buttons)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        if language.currentData() != settings.get("language"):
            settings.set("language", language.currentData())
            QMessageBox.information(window, APP_NAME, tr("The language changes when Reader is restarted."))
        window.apply_theme(theme.currentData())
        renamed = [(c.key, e.text().strip()) for c, e in color_edits if e.text().strip() and e.text().strip() != c.name]
        for key, name in renamed:
            window.store_call(store.rename_color, key, name)
        if renamed:
            window.colors_renamed()
