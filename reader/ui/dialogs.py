"""Small dialogs: keyboard shortcuts, about, preferences, problem files."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from reader import APP_NAME
from reader.ui.annotations_panel import color_icon
from reader.ui.i18n import LANGUAGES, color_label, pick_language, tr

SHORTCUTS = [
    ("Ctrl+K", "Search the library"),
    ("/", "Search (from the article list)"),
    ("Esc", "Clear the search"),
    ("Enter", "Open the selected article"),
    ("Enter", "Open the top hit (in the search box)"),
    ("Up / Down", "Move in the article list"),
    ("j / k", "Next / previous article (in the list or the reading pane)"),
    ("F3 / Shift+F3", "Next / previous match"),
    ("Ctrl+F", "Find in article"),
    ("H", "Highlight the selection"),
    ("Ctrl+Z", "Undo deleting a highlight"),
    ("Enter / Del", "Jump to / delete the selected highlight (in the annotations panel)"),
    ("Ctrl+Shift+O", "Open the article's original file"),
    ("Ctrl+Shift+C", "Copy the selection, highlight or passage with its citation"),
    ("Ctrl+Shift+P", "Every passage of the search, below the article"),
    ("Ctrl+I", "Edit the article's details (title, authors, publication)"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Zoom in / out / actual size"),
    ("Ctrl+O", "Open a library"),
    ("Ctrl+Home / Ctrl+End", "Beginning / end of the article"),
    ("F11", "Distraction-free mode"),
    ("Ctrl+Shift+F", "Show or hide the side panels"),
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


class PreferencesDialog(QDialog):
    """Language, theme, reading comfort (font, size, line spacing, text width) and the
    names of the highlight colours. The reading settings apply as they change (Cancel puts
    them back); the language, theme and names on OK."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.main = window
        settings = window.settings
        self.setWindowTitle(tr("Preferences"))
        self.saved = {key: settings.get(key) for key in window.READING_KEYS}
        self.language = QComboBox(self)
        self.language.addItem(tr("Follow system"), "system")
        for key, name in LANGUAGES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get("language"))))
        self.theme = QComboBox(self)
        for key, label in (("system", tr("Follow system")), ("light", tr("Light")), ("dark", tr("Dark")), ("sepia", tr("Sepia"))):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(window.theme_setting)))
        self.font_box = QComboBox(self)
        self.font_box.addItem(tr("Default (Noto Sans TC)"), "")
        for family in chinese_fonts():
            self.font_box.addItem(family, family)
        self.font_box.setCurrentIndex(max(0, self.font_box.findData(settings.get("font_family"))))
        self.size_box = self._spin(12, 32, settings.get("font_size"), " px")
        self.spacing_box = self._spin(100, 220, settings.get("line_spacing"), " %", step=5)
        self.width_box = self._spin(20, 80, settings.get("text_width"), "")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.addRow(tr("Language"), self.language)
        form.addRow(tr("Theme"), self.theme)
        form.addRow(tr("Font"), self.font_box)
        form.addRow(tr("Font size"), self.size_box)
        form.addRow(tr("Line spacing"), self.spacing_box)
        form.addRow(tr("Text width (characters per line)"), self.width_box)
        self.colors_note = QLabel(tr("Highlight colours; their names are used in filters and exports\n(for example 定義, 義務, 罰則):"), self)
        store = window.session.store if window.session else None
        self.store = store
        self.color_edits = []
        colors_form = QFormLayout()
        for color in store.colors() if store else []:
            shown = color_label(color.name)
            edit = QLineEdit(shown, self)
            swatch = QLabel(self)
            swatch.setPixmap(color_icon(color.color).pixmap(14, 14))
            colors_form.addRow(swatch, edit)
            self.color_edits.append((color, shown, edit))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.colors_note)
        layout.addLayout(colors_form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumSize(540, 440)
        self.resize(max(560, self.sizeHint().width()), max(480, self.sizeHint().height()))
        self.font_box.currentIndexChanged.connect(lambda _i: self._reading(font_family=self.font_box.currentData()))
        self.size_box.valueChanged.connect(lambda v: self._reading(font_size=v))
        self.spacing_box.valueChanged.connect(lambda v: self._reading(line_spacing=v))
        self.width_box.valueChanged.connect(lambda v: self._reading(text_width=v))

    def _spin(self, low: int, high: int, value: int, suffix: str, step: int = 1) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        box.setSingleStep(step)
        box.setValue(int(value))
        box.setSuffix(suffix)
        return box

    def _reading(self, **values) -> None:
        self.main.apply_reading_style(**values)

    def reject(self) -> None:
        current = {key: self.main.settings.get(key) for key in self.main.READING_KEYS}
        if current != self.saved:
            self.main.apply_reading_style(**self.saved)
        super().reject()

    def accept(self) -> None:
        window, settings = self.main, self.main.settings
        super().accept()
        if self.language.currentData() != settings.get("language"):
            settings.set("language", self.language.currentData())
        window.set_language(pick_language(settings.get("language")))
        window.apply_theme(self.theme.currentData())
        renamed = [(c.key, e.text().strip()) for c, shown, e in self.color_edits if e.text().strip() and e.text().strip() != shown]
        window.annotation_controller.rename_colors(renamed)


def chinese_fonts() -> list[str]:
    """The installed font families that can show Traditional Chinese."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.TraditionalChinese)
    return sorted({f for f in families if not QFontDatabase.isPrivateFamily(f)}, key=str.casefold)


def show_preferences(window) -> None:
    dialog = PreferencesDialog(window)
    dialog.exec()
    dialog.deleteLater()


def ask_save_path(owner, parent, title: str, suffix: str, folder, name: str):
    """A save dialog (Qt's, which asks before replacing a file) for a ``suffix`` file named
    ``name`` in ``folder``; the chosen Path, or None when cancelled. While it is open
    ``owner.save_dialog`` is the dialog (the tests answer it)."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.setNameFilter(f"{tr('Export')} (*{suffix})")
    dialog.setDirectory(str(folder))
    dialog.selectFile(name)
    owner.save_dialog = dialog
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return Path(dialog.selectedFiles()[0])
    finally:
        owner.save_dialog = None
        dialog.deleteLater()
