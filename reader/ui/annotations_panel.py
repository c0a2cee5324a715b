"""The annotations panel: this article's highlights and note, and every annotation.

The panel only asks (signals); the window changes the store and tells the panel to refresh.
Notes are saved as you type, after a short pause.

Both lists are models shown by list views, with rows of one height: an article may have
100,000 highlights, and a widget item (with its own icon) per highlight, each measured for
word wrap, took the window seconds and hundreds of megabytes. A row's text is made when it
is painted; icons are made once per colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
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
QUOTE_CHARS = 200  # of a quote shown in a row (its tooltip shows it all)

Index = QModelIndex | QPersistentModelIndex


def state_label(item: Annotation) -> str:
    if item.state == "fuzzy":
        return tr("fuzzy") + f" {item.score:.0f}%"
    return {"exact": "", "moved": tr("moved"), "orphan": tr("detached")}.get(item.state, item.state)


_ICONS: dict[str, QIcon] = {}


def color_icon(css: str) -> QIcon:
    """A dot of the colour ``css`` (one icon per colour, shared by every row that shows it)."""
    icon = _ICONS.get(css)
    if icon is not None:
        return icon
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(css))
    painter.setPen(QColor(css).darker(140))
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    icon = _ICONS[css] = QIcon(pixmap)
    return icon


def _one_line(text: str, limit: int) -> str:
    """``text`` on one line (a row shows each part on a line of its own), at most ``limit``."""
    short = text[: limit + 1]
    if "\n" in short or "\r" in short or "\u2028" in short or "\u2029" in short:
        short = " ".join(short.split())
    return short if len(short) <= limit else short[:limit] + "…"


class _Rows(QAbstractListModel):
    """Rows of a list of annotations, all of one height (``lines`` lines of text)."""

    lines = 3

    def __init__(self, panel: AnnotationsPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.row_height = 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        # Qt asks once or twice per row whenever it lays the list out: kept to a lookup.
        return 0 if parent.isValid() else self.rows

    rows = 0  # the number of rows, kept by reset()

    def count(self) -> int:
        raise NotImplementedError

    def annotation(self, row: int) -> Annotation | None:
        raise NotImplementedError

    def size_hint(self) -> QSize:
        return QSize(100, self.row_height)

    def reset(self, change) -> None:
        self.beginResetModel()
        change()
        self.rows = self.count()
        self.endResetModel()


class ArticleAnnotationsModel(_Rows):
    """This article's highlights in reading order; the detached ones last, under a heading."""

    def __init__(self, panel: AnnotationsPanel) -> None:
        super().__init__(panel)
        self.items: list[Annotation] = []
        self.header = -1  # the row of the "Detached" heading, or -1
        self._rows: dict[str, int] | None = None  # id -> row, made when first asked

    def set_items(self, items: list[Annotation]) -> None:
        def change() -> None:
            self.items = items
            self._rows = None
            self.header = next((k for k, item in enumerate(items) if item.orphan), -1)

        self.reset(change)

    def count(self) -> int:
        return len(self.items) + (1 if self.header >= 0 else 0)

    def annotation(self, row: int) -> Annotation | None:
        if row < 0 or row == self.header:
            return None
        if self.header >= 0 and row > self.header:
            row -= 1
        return self.items[row] if row < len(self.items) else None

    def row_of(self, annotation_id: str) -> int:
        if self._rows is None:
            self._rows = {item.id: k for k, item in enumerate(self.items)}
        k = self._rows.get(annotation_id, -1)
        return k + 1 if k >= 0 and 0 <= self.header <= k else k

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.size_hint()
        if row == self.header:
            if role == Qt.ItemDataRole.DisplayRole:
                return tr("Detached")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont(self.panel.font())
                font.setBold(True)
                return font
            return None
        item = self.annotation(row)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            state = state_label(item)
            quote = item.quote.exact if item.quote else ""
            head = self.panel.color_name(item.color) + (f"  ·  {state}" if state else "")
            return f"{head}\n「{_one_line(quote, QUOTE_CHARS)}」" + (f"\n✎ {_one_line(item.note, QUOTE_CHARS)}" if item.note else "")
        if role == Qt.ItemDataRole.DecorationRole:
            return color_icon(self.panel.color_css(item.color))
        if role == IdRole:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.orphan:
                return tr("Detached: the text changed. Select new text and press “Re-attach to selection”.")
            quote = item.quote.exact if item.quote else ""
            return quote[:2000] + (f"\n\n✎ {item.note[:2000]}" if item.note else "")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or index.row() == self.header:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class LibraryAnnotationsModel(_Rows):
    """Every annotation of the library, as filtered by colour, tag and text."""

    lines = 4

    def __init__(self, panel: AnnotationsPanel) -> None:
        super().__init__(panel)
        self.items: list[tuple[Annotation, str, list[str]]] = []
        self.shown: list[int] | range = range(0)  # indices into items
        self._folded: list[str] | None = None  # what the text filter looks in, made when first used

    def set_items(self, items: list[tuple[Annotation, str, list[str]]]) -> None:
        self.items = items
        self._folded = None

    def apply_filter(self, text: str, color: str, tag: str) -> None:
        def change() -> None:
            if not (text or color or tag):
                self.shown = range(len(self.items))
                return
            if text and self._folded is None:
                self._folded = [fold(" ".join([item.quote.exact if item.quote else "", item.note, title]))
                                for item, title, _tags in self.items]
            folded = self._folded
            self.shown = [
                k for k, (item, _title, tags) in enumerate(self.items)
                if (not color or item.color == color) and (not tag or tag in tags) and (not text or text in folded[k])
            ]

        self.reset(change)

    def count(self) -> int:
        return len(self.shown)

    def entry(self, row: int) -> tuple[Annotation, str, list[str]] | None:
        return self.items[self.shown[row]] if 0 <= row < len(self.shown) else None

    def annotation(self, row: int) -> Annotation | None:
        entry = self.entry(row)
        return entry[0] if entry else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.SizeHintRole:
            return self.size_hint()
        entry = self.entry(index.row())
        if entry is None:
            return None
        item, title, _tags = entry
        if role == Qt.ItemDataRole.DisplayRole:
            quote = item.quote.exact if item.quote else ""
            label = self.panel.color_name(item.color) if item.quote else tr("Article note")
            state = state_label(item)
            return (f"{_one_line(title, 200)}\n{label}{('  ·  ' + state) if state else ''}\n「{_one_line(quote, 160)}」"
                    + (f"\n✎ {_one_line(item.note, 160)}" if item.note else ""))
        if role == Qt.ItemDataRole.DecorationRole:
            return color_icon(self.panel.color_css(item.color)) if item.quote else None
        if role == IdRole:
            return item.id
        if role == ArticleRole:
            return item.article
        if role == Qt.ItemDataRole.ToolTipRole:
            quote = item.quote.exact if item.quote else ""
            return title + ("\n\n" + quote[:2000] if quote else "") + (f"\n\n✎ {item.note[:2000]}" if item.note else "")
        return None


@dataclass
class RowItem:
    """A row of an :class:`AnnotationListView`, as ``QListWidget.item`` gives one."""

    view: AnnotationListView
    row: int

    def index(self) -> QModelIndex:
        return self.view.model().index(self.row, 0)

    def text(self) -> str:
        return self.index().data(Qt.ItemDataRole.DisplayRole) or ""

    def data(self, role: int):
        return self.index().data(role)


class AnnotationListView(QListView):
    """A list view of rows of one height (it never measures them one by one), with
    ``QListWidget``'s ways to name a row: ``count``, ``item``, ``currentRow``, ``setCurrentRow``,
    ``currentItem`` and ``visualItemRect``."""

    def __init__(self, model: _Rows, parent=None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAlternatingRowColors(True)
        self.setModel(model)
        self._measure()

    def _measure(self) -> None:
        """Rows are as high as ``lines`` lines of Chinese (its fallback font's lines are taller
        than the interface font's)."""
        model: _Rows = self.model()
        sample = "\n".join(["國 Ag ✎「」"] * model.lines)
        model.row_height = self.fontMetrics().boundingRect(QRect(0, 0, 10_000, 10_000), int(Qt.AlignmentFlag.AlignLeft), sample).height() + 12

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._measure()
            self.model().layoutChanged.emit()

    def count(self) -> int:
        return self.model().rowCount()

    def item(self, row: int) -> RowItem | None:
        return RowItem(self, row) if 0 <= row < self.count() else None

    def currentRow(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self.model().index(row, 0))

    def currentItem(self) -> RowItem | None:
        return self.item(self.currentRow())

    def visualItemRect(self, item: RowItem) -> QRect:
        return self.visualRect(item.index())


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
        self._colors: dict[str, Color] = {}
        self.items: list[Annotation] = []
        self._editing = ""  # id of the highlight whose note the editor shows
        self._filling = False  # show_annotations is replacing the rows
        self.drafts: dict[str, str] = {}  # notes typed but not saved yet (disk full, read-only)
        self.tabs = QTabWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 0)
        layout.addWidget(self.tabs)

        article_tab = QWidget()
        self.model = ArticleAnnotationsModel(self)
        self.list = AnnotationListView(self.model, article_tab)
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
        self.library_model = LibraryAnnotationsModel(self)
        self.all_list = AnnotationListView(self.library_model, library_tab)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_color)
        filters.addWidget(self.filter_tag)
        column2 = QVBoxLayout(library_tab)
        column2.addWidget(self.filter_text)
        column2.addLayout(filters)
        column2.addWidget(self.all_list, 1)
        self.tabs.addTab(library_tab, tr("All annotations"))
        self.library_items: list[tuple[Annotation, str, list[str]]] = []  # (annotation, title, tags)

        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.clicked.connect(self._clicked)
        self.note.edited.connect(self._note_edited)
        self.article_note.edited.connect(self.article_note_edited)
        self.delete_button.clicked.connect(self._delete)
        self.reattach_button.clicked.connect(self._reattach)
        self.color_box.activated.connect(self._recolor)
        self.filter_text.textChanged.connect(self._fill_library)
        self.filter_color.currentIndexChanged.connect(self._fill_library)
        self.filter_tag.currentIndexChanged.connect(self._fill_library)
        self.all_list.activated.connect(self._library_activated)
        self.all_list.clicked.connect(self._library_activated)
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
        self._colors = {c.key: c for c in reversed(colors)}  # the first of a key, as a search would find
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
        for model in (self.model, self.library_model):  # the rows name and show the colours
            if model.rowCount():
                model.dataChanged.emit(model.index(0, 0), model.index(model.rowCount() - 1, 0))

    def color_name(self, key: str) -> str:
        color = self._colors.get(key)
        return color.name if color else key

    def color_css(self, key: str) -> str:
        color = self._colors.get(key)
        return color.color if color else "#ffe066"

    def show_annotations(self, items: list[Annotation], article_note: str, keep: str = "") -> None:
        self.note.flush()
        current = self.current()
        selected = keep or (current.id if current else "")
        self._filling = True  # the current row changes as the rows are replaced: not the user
        try:
            self.items = items
            self.model.set_items(items)  # (the list stays scrolled where it was)
            row = self.model.row_of(selected) if selected else -1
            if row >= 0:
                self.list.setCurrentRow(row)
        finally:
            self._filling = False
        self.empty.setVisible(not items)
        self.article_note.load(article_note)
        self._current_changed()

    def highlight_count(self) -> int:
        """How many highlights the list shows."""
        return len(self.model.items)

    def row_of(self, annotation_id: str) -> int:
        """The list's row of a highlight, or -1."""
        return self.model.row_of(annotation_id)

    def current(self) -> Annotation | None:
        return self.model.annotation(self.list.currentRow())

    def _clicked(self, index: QModelIndex) -> None:
        item = self.model.annotation(index.row())
        if item is not None:
            self.open_requested.emit(item.id)

    def _current_changed(self, *_args) -> None:
        if self._filling:
            return
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
        self.library_model.set_items(items)
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
        self.library_model.apply_filter(fold(self.filter_text.text().strip()), self.filter_color.currentData() or "",
                                        self.filter_tag.currentData() or "")

    def _library_activated(self, index: QModelIndex) -> None:
        item = self.library_model.annotation(index.row())
        if item is not None:
            self.library_item_activated.emit(item.article, item.id)
