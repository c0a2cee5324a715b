"""The annotations panel: this article's highlights and note, and every annotation.

The panel only asks (signals); the window changes the store and tells the panel to refresh.
Notes are saved as you type, after a short pause.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.annotations.store import Annotation, Color
from reader.search.folding import fold
from reader.ui.i18n import tr

SAVE_DELAY_MS = 400
IdRole = Qt.ItemDataRole.UserRole + 1
ArticleRole = Qt.ItemDataRole.UserRole + 2


def state_label(item: Annotation) -> str:
    if item.state == "fuzzy":
        return tr("fuzzy") + f" {item.score:.0f}%"
    return {"exact": "", "moved": tr("moved"), "orphan": tr("detached")}.get(item.state, item.state)


def color_icon(css: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(css))
    painter.setPen(QColor(css).darker(140))
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


class NoteEditor(QPlainTextEdit):
    """Emits ``edited(text)`` after typing pauses; never needs a Save button."""

    edited = Signal(str)

    def __init__(self, placeholder: str, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(lambda: self.edited.emit(self.toPlainText()))
        self.textChanged.connect(self._typed)
        self._loading = False

    def _typed(self) -> None:
        if not self._loading:
            self.timer.start()

    def load(self, text: str) -> None:
        self.flush()
        self._loading = True
        self.setPlainText(text)
        self._loading = False

    def flush(self) -> None:
        """Save now what is waiting (switching article, closing the window)."""
        if self.timer.isActive():
            self.timer.stop()
            self.edited.emit(self.toPlainText())


class AnnotationsPanel(QWidget):
    open_requested = Signal(str)  # annotation id (current article)
    note_edited = Signal(str, str)  # id, text
    color_change_requested = Signal(str, str)  # id, colour key
    delete_requested = Signal(str)
    reattach_requested = Signal(str)
    article_note_edited = Signal(str)
    library_item_activated = Signal(str, str)  # article path, annotation id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.colors: list[Color] = []
        self.items: list[Annotation] = []
        self._editing = ""  # id of the highlight whose note the editor shows
        self.drafts: dict[str, str] = {}  # notes typed but not saved yet (disk full, read-only)
        self.tabs = QTabWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 0)
        layout.addWidget(self.tabs)

        article_tab = QWidget()
        self.list = QListWidget(article_tab)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.note = NoteEditor(tr("Note on this highlight…"), article_tab)
        self.note.setMaximumHeight(110)
        self.color_box = QComboBox(article_tab)
        self.delete_button = QPushButton(tr("Delete"), article_tab)
        self.reattach_button = QPushButton(tr("Re-attach to selection"), article_tab)
        self.article_note = NoteEditor(tr("Note on the whole article…"), article_tab)
        self.article_note.setMaximumHeight(130)
        self.error = QLabel("", article_tab)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.empty = QLabel(tr("Select text and press H to highlight."), article_tab)
        self.empty.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.color_box, 1)
        buttons.addWidget(self.delete_button)
        column = QVBoxLayout(article_tab)
        column.addWidget(self.error)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        column.addWidget(self.reattach_button)
        column.addWidget(self.note)
        column.addWidget(QLabel(tr("Article note"), article_tab))
        column.addWidget(self.article_note)
        self.tabs.addTab(article_tab, tr("This article"))

        library_tab = QWidget()
        self.filter_text = QLineEdit(library_tab)
        self.filter_text.setPlaceholderText(tr("Filter by text"))
        self.filter_color = QComboBox(library_tab)
        self.filter_tag = QComboBox(library_tab)
        self.all_list = QListWidget(library_tab)
        self.all_list.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_color)
        filters.addWidget(self.filter_tag)
        column2 = QVBoxLayout(library_tab)
        column2.addWidget(self.filter_text)
        column2.addLayout(filters)
        column2.addWidget(self.all_list, 1)
        self.tabs.addTab(library_tab, tr("All annotations"))
        self.library_items: list[tuple[Annotation, str, list[str]]] = []  # (annotation, title, tags)

        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemClicked.connect(lambda item: item.data(IdRole) and self.open_requested.emit(item.data(IdRole)))
        self.note.edited.connect(self._note_edited)
        self.article_note.edited.connect(self.article_note_edited)
        self.delete_button.clicked.connect(self._delete)
        self.reattach_button.clicked.connect(self._reattach)
        self.color_box.activated.connect(self._recolor)
        self.filter_text.textChanged.connect(self._fill_library)
        self.filter_color.currentIndexChanged.connect(self._fill_library)
        self.filter_tag.currentIndexChanged.connect(self._fill_library)
        self.all_list.itemActivated.connect(self._library_activated)
        self.all_list.itemClicked.connect(self._library_activated)
        self._sync_buttons()

    def show_save_error(self, message: str) -> None:
        """Shown until a save succeeds; the editors keep their text meanwhile."""
        self.error.setText(message + "\n" + tr("Your text is kept here and saved with your next change."))
        self.error.show()

    def clear_save_error(self) -> None:
        self.error.hide()

    # This article ----------------------------------------------------------------------------
    def set_colors(self, colors: list[Color]) -> None:
        self.colors = colors
        self.color_box.clear()
        self.filter_color.blockSignals(True)
        current = self.filter_color.currentData()
        self.filter_color.clear()
        self.filter_color.addItem(tr("All colours"), "")
        for color in colors:
            self.color_box.addItem(color_icon(color.color), color.name, color.key)
            self.filter_color.addItem(color_icon(color.color), color.name, color.key)
        self.filter_color.setCurrentIndex(max(0, self.filter_color.findData(current)))
        self.filter_color.blockSignals(False)

    def color_name(self, key: str) -> str:
        return next((c.name for c in self.colors if c.key == key), key)

    def color_css(self, key: str) -> str:
        return next((c.color for c in self.colors if c.key == key), "#ffe066")

    def show_annotations(self, items: list[Annotation], article_note: str, keep: str = "") -> None:
        self.note.flush()
        self.items = items
        selected = keep or (self.list.currentItem().data(IdRole) if self.list.currentItem() else "")
        self.list.blockSignals(True)
        self.list.clear()
        detached_header = False
        for item in items:
            if item.orphan and not detached_header:
                detached_header = True
                header = QListWidgetItem(tr("Detached"))
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                font = header.font()
                font.setBold(True)
                header.setFont(font)
                self.list.addItem(header)
            state = state_label(item)
            quote = item.quote.exact if item.quote else ""
            head = self.color_name(item.color) + (f"  ·  {state}" if state else "")
            text = f"{head}\n「{quote[:200]}」" + (f"\n✎ {item.note}" if item.note else "")
            row = QListWidgetItem(color_icon(self.color_css(item.color)), text)
            row.setData(IdRole, item.id)
            if item.orphan:
                row.setToolTip(tr("Detached: the text changed. Select new text and press “Re-attach to selection”."))
            self.list.addItem(row)
            if item.id == selected:
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)
        self.empty.setVisible(not items)
        self.article_note.load(article_note)
        self._current_changed()

    def current(self) -> Annotation | None:
        row = self.list.currentItem()
        if row is None:
            return None
        return next((i for i in self.items if i.id == row.data(IdRole)), None)

    def _current_changed(self, *_args) -> None:
        item = self.current()
        wanted = self.drafts.get(item.id, item.note) if item else ""
        # After an autosave the list is refreshed while the user may still be typing: leave
        # the editor (and its cursor) alone when it already shows this note.
        if self.note.toPlainText() != wanted and not (item and item.id == self._editing and self.note.timer.isActive()):
            self.note._loading = True
            self.note.setPlainText(wanted)
            self.note._loading = False
        self._editing = item.id if item else ""
        if item:
            self.color_box.setCurrentIndex(max(0, self.color_box.findData(item.color)))
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        item = self.current()
        for widget in (self.note, self.color_box, self.delete_button):
            widget.setEnabled(item is not None)
        self.reattach_button.setVisible(bool(item and item.orphan))

    def _note_edited(self, text: str) -> None:
        item = self.current()
        if item is not None and text != item.note:
            self.note_edited.emit(item.id, text)

    def _delete(self) -> None:
        item = self.current()
        if item is not None:
            self.delete_requested.emit(item.id)

    def _reattach(self) -> None:
        item = self.current()
        if item is not None:
            self.reattach_requested.emit(item.id)

    def _recolor(self, _index: int) -> None:
        item = self.current()
        if item is not None and self.color_box.currentData() != item.color:
            self.color_change_requested.emit(item.id, self.color_box.currentData())

    # Library-wide ------------------------------------------------------------------------------
    def set_library_items(self, items: list[tuple[Annotation, str, list[str]]]) -> None:
        self.library_items = items
        tags = sorted({t for _, _, ts in items for t in ts})
        current = self.filter_tag.currentData()
        self.filter_tag.blockSignals(True)
        self.filter_tag.clear()
        self.filter_tag.addItem(tr("All tags"), "")
        for tag in tags:
            self.filter_tag.addItem(tag, tag)
        self.filter_tag.setCurrentIndex(max(0, self.filter_tag.findData(current)))
        self.filter_tag.blockSignals(False)
        self._fill_library()

    def _fill_library(self, *_args) -> None:
        text = fold(self.filter_text.text().strip())
        color = self.filter_color.currentData()
        tag = self.filter_tag.currentData()
        self.all_list.clear()
        for item, title, tags in self.library_items:
            if color and item.color != color:
                continue
            if tag and tag not in tags:
                continue
            quote = item.quote.exact if item.quote else ""
            if text and text not in fold(" ".join([quote, item.note, title])):
                continue
            label = self.color_name(item.color) if item.quote else tr("Article note")
            state = state_label(item)
            row = QListWidgetItem(color_icon(self.color_css(item.color)) if item.quote else QIcon(),
                                  f"{title}\n{label}{('  ·  ' + state) if state else ''}\n「{quote[:160]}」" + (f"\n✎ {item.note}" if item.note else ""))
            row.setData(IdRole, item.id)
            row.setData(ArticleRole, item.article)
            self.all_list.addItem(row)

    def _library_activated(self, row: QListWidgetItem) -> None:
        self.library_item_activated.emit(row.data(ArticleRole), row.data(IdRole))
