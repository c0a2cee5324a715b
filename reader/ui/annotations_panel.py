"""The annotations panel: this article's highlights and note, and every annotation.

The panel only asks (signals); the :class:`~reader.ui.annotation_controller.AnnotationController`
changes the store and tells the panel what to show. Notes are saved as you type, after a
short pause. What the owner may call: :meth:`AnnotationsPanel.show_annotations`,
:meth:`~AnnotationsPanel.set_library_items`, :meth:`~AnnotationsPanel.set_colors`,
:meth:`~AnnotationsPanel.flush`, :meth:`~AnnotationsPanel.save_failed`,
:meth:`~AnnotationsPanel.note_saved`, :meth:`~AnnotationsPanel.show_error` and
:meth:`~AnnotationsPanel.clear_error`.

Both lists are models shown by list views painting cards (see annotation_models): an article
may have 100,000 highlights.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QRect, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
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
from reader.annotations.validation import (
    MAX_TAG_CHARS,
    MAX_TAGS,
    InvalidTag,
    clean_tags,
    tag_key,
    tag_problem,
)
from reader.locator import Locator
from reader.ui.annotation_models import (
    AnnotationFilterProxy,
    ArticleAnnotationsModel,
    ArticleRole,
    CardDelegate,
    ColorTable,
    IdRole,
    LibraryAnnotationsModel,
)
from reader.ui.i18n import tr

SAVE_DELAY_MS = 400
FILTER_DELAY_MS = 200

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
    """Cards painted by :class:`CardDelegate`; Enter and a click ask to jump (``chosen``),
    Delete asks to delete (``delete_pressed``). With ``QListWidget``'s ways to name a row:
    ``count``, ``item``, ``currentRow``, ``setCurrentRow``, ``currentItem``, ``visualItemRect``."""

    chosen = Signal(QModelIndex)
    delete_pressed = Signal(QModelIndex)

    def __init__(self, model, uniform: bool, parent=None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(uniform)
        if not uniform:  # group rows are lower than cards: laid out in steps, never all at once
            self.setLayoutMode(QListView.LayoutMode.Batched)
            self.setBatchSize(500)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(CardDelegate(self))
        self.setModel(model)
        self.clicked.connect(self.chosen)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            self.chosen.emit(index)
            return
        if event.key() == Qt.Key.Key_Delete and index.isValid():
            self.delete_pressed.emit(index)
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.itemDelegate().forget_sizes()
            self.scheduleDelayedItemsLayout()

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

    def __init__(self, placeholder: str, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)  # Tab moves on, as in a form
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(lambda: self.edited.emit(self.toPlainText()))
        self.textChanged.connect(self._typed)
        self._loading = False

    def _typed(self) -> None:
        if not self._loading:
            self.timer.start()

    def show_text(self, text: str) -> None:
        """Show ``text`` without saving it (and without undo history)."""
        self._loading = True
        self.setPlainText(text)
        self._loading = False

    def load(self, text: str) -> None:
        self.flush()
        self.show_text(text)

    def flush(self) -> None:
        """Save now what is waiting (switching article, closing the window)."""
        if self.timer.isActive():
            self.timer.stop()
            self.edited.emit(self.toPlainText())


ARTICLE_NOTE = ""  # the drafts' key of the article's note

#: What separates tags as they are typed: commas (also full-width), 、, semicolons, white space.
#: What separates typed tags: commas, 、 and semicolons. Not spaces: a tag may hold them
#: ("AI Seoul Summit", from an import or the CLI) and must not be split when it is shown again.
_TAG_SEPARATORS = re.compile(r"[,，、;；]")


def split_typed_tags(text: str) -> list[str]:
    """The tags typed in a tag editor, in order (empty pieces left out)."""
    return [part.strip() for part in _TAG_SEPARATORS.split(text) if part.strip()]


def typed_tags_problem(tags: list[str]) -> str:
    """Why the typed ``tags`` cannot be kept, in the interface language ("" when they can)."""
    for tag in tags:
        problem = tag_problem(tag)
        if not problem:
            continue
        if len(tag) > MAX_TAG_CHARS:
            return tr("A tag has at most {n} characters; this one has {count}.").replace("{n}", str(MAX_TAG_CHARS)).replace("{count}", str(len(tag)))
        if "control character" in problem:
            return tr("A tag cannot hold control characters (line breaks, tabs).")
        return problem
    try:
        clean_tags(tags)
    except InvalidTag as exc:
        if "more than" in exc.problem:
            return tr("At most {n} tags on one highlight.").replace("{n}", str(MAX_TAGS))
        return exc.problem
    return ""


class TagEditor(QLineEdit):
    """The selected highlight's tags as text (``定義, 個資法``): Enter or leaving the field
    commits them (``committed(tags)``, only when they changed); the word being typed is
    completed from the tags already used in the library."""

    committed = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(tr("Separate tags with commas"))
        self.setAccessibleName(tr("Tags of this highlight"))
        self.setToolTip(tr("Tags of this highlight: Enter saves them; the tags already used are offered as you type"))
        self.shown: list[str] = []
        self.words = QStringListModel(self)
        self.completer = QCompleter(self.words, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setWidget(self)
        self.completer.activated.connect(self.insert_completion)
        self.textEdited.connect(self._complete)
        self.editingFinished.connect(self._commit)

    def set_words(self, words: list[str]) -> None:
        if words != self.words.stringList():
            self.words.setStringList(words)

    def show_tags(self, tags) -> None:
        self.shown = list(tags)
        self.setText(", ".join(self.shown))
        self.setModified(False)

    def _token(self) -> tuple[int, str]:
        """(where the word being typed starts, the word) before the cursor."""
        before = self.text()[: self.cursorPosition()]
        start = max(before.rfind(sep) for sep in ",，、;；") + 1
        while start < len(before) and before[start].isspace():
            start += 1
        return start, before[start:]

    def _complete(self, _text: str) -> None:
        _start, word = self._token()
        if not word:
            self.completer.popup().hide()
            return
        typed = {tag_key(t) for t in split_typed_tags(self.text())}
        self.completer.setCompletionPrefix(word)
        if self.completer.completionCount() == 0 or (self.completer.completionCount() == 1 and tag_key(self.completer.currentCompletion()) in typed - {tag_key(word)}):
            self.completer.popup().hide()
            return
        self.completer.complete()

    def insert_completion(self, word: str) -> None:
        self.completer.popup().hide()
        start, typed = self._token()
        text = self.text()
        end = start + len(typed)
        new = text[:start] + word + ", " + text[end:].lstrip(" ,，、;；")
        self.setText(new)
        self.setCursorPosition(start + len(word) + 2)
        self.setModified(True)

    def _commit(self) -> None:
        if self.completer.popup().isVisible():
            return
        tags = split_typed_tags(self.text())
        if [tag_key(t) for t in tags] != [tag_key(t) for t in self.shown] or self.isModified():
            self.committed.emit(tags)


class AnnotationsPanel(QWidget):
    open_requested = Signal(str)  # annotation id (current article): jump to it
    note_edited = Signal(str, str)  # id, text
    color_change_requested = Signal(str, str)  # id, colour key
    delete_requested = Signal(str)
    reattach_requested = Signal(str)
    article_note_edited = Signal(str)
    library_item_activated = Signal(str, str)  # article path, annotation id ("" for the article)
    library_shown = Signal()  # the "All annotations" tab came into view
    tags_change_requested = Signal(str, list)  # id, the tags (checked: each one can be kept)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.color_table = ColorTable()
        self.items: list[Annotation] = []
        self._editing = ""  # id of the highlight whose note the editor shows
        self._tags_of = ""  # id of the highlight whose tags the tag editor shows
        self._filling = False  # show_annotations is replacing the rows
        self.drafts: dict[str, str] = {}  # notes typed but not saved yet (disk full, read-only)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(tr("Annotations"))
        self.tabs.setDocumentMode(True)
        bar = self.tabs.tabBar()
        bar.setExpanding(True)
        bar.setUsesScrollButtons(False)  # both tabs always in view, their names elided if need be
        bar.setElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumWidth(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 0)
        layout.addWidget(self.tabs)

        article_tab = QWidget()
        self.model = ArticleAnnotationsModel(self.color_table, self)
        self.list = AnnotationListView(self.model, True, article_tab)
        self.list.setAccessibleName(tr("Highlights in this article"))
        self.note = NoteEditor(tr("Note on this highlight…"), tr("Note on this highlight"), article_tab)
        self.note.setMaximumHeight(96)
        self.color_box = QComboBox(article_tab)
        self.color_box.setAccessibleName(tr("Highlight colour"))
        self.delete_button = QPushButton(tr("Delete"), article_tab)
        self.delete_button.setAccessibleName(tr("Delete highlight"))
        self.delete_button.setToolTip(tr("Delete the highlight (Del); Ctrl+Z brings it back"))
        self.tag_edit = TagEditor(article_tab)
        self.tag_problem = QLabel("", article_tab)
        self.tag_problem.setObjectName("tagProblem")
        self.tag_problem.setWordWrap(True)
        self.tag_problem.setStyleSheet("color: #d32f2f;")
        self.tag_problem.setAccessibleName(tr("Problem with the tags"))
        self.tag_problem.hide()
        self.reattach_button = QPushButton(tr("Re-attach to selection"), article_tab)
        self.reattach_button.setAccessibleName(tr("Re-attach to selection"))
        self.article_note = NoteEditor(tr("Note on the whole article…"), tr("Note on the whole article"), article_tab)
        self.article_note.setMaximumHeight(96)
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
        column.setContentsMargins(4, 6, 4, 4)
        column.addWidget(self.error)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        tag_row = QHBoxLayout()
        self.tag_label = QLabel(tr("Tags:"), article_tab)
        self.tag_label.setBuddy(self.tag_edit)
        tag_row.addWidget(self.tag_label)
        tag_row.addWidget(self.tag_edit, 1)
        column.addLayout(tag_row)
        column.addWidget(self.tag_problem)
        column.addWidget(self.reattach_button)
        column.addWidget(self.note)
        self.article_note_label = QLabel(tr("Article note"), article_tab)
        column.addWidget(self.article_note_label)
        column.addWidget(self.article_note)
        self.tabs.addTab(article_tab, tr("This article"))
        # Tab goes from the cards to what acts on the selected one, then to the notes.
        for before, after in ((self.list, self.color_box), (self.color_box, self.delete_button),
                              (self.delete_button, self.tag_edit), (self.tag_edit, self.reattach_button),
                              (self.reattach_button, self.note),
                              (self.note, self.article_note)):
            QWidget.setTabOrder(before, after)

        library_tab = QWidget()
        self.filter_text = QLineEdit(library_tab)
        self.filter_text.setPlaceholderText(tr("Filter by text"))
        self.filter_text.setAccessibleName(tr("Filter by text"))
        self.filter_text.setClearButtonEnabled(True)
        self.filter_color = QComboBox(library_tab)
        self.filter_color.setAccessibleName(tr("Filter by colour"))
        self.filter_tag = QComboBox(library_tab)
        self.filter_tag.setAccessibleName(tr("Filter by tag"))
        self.library_model = LibraryAnnotationsModel(self.color_table, self)
        self.library_proxy = AnnotationFilterProxy(self)
        self.library_proxy.setSourceModel(self.library_model)
        self.all_list = AnnotationListView(self.library_proxy, False, library_tab)
        self.all_list.setAccessibleName(tr("All annotations"))
        self.library_status = QLabel("", library_tab)
        self.library_status.setObjectName("annotationsStatus")
        filters = QHBoxLayout()
        filters.addWidget(self.filter_color, 1)
        filters.addWidget(self.filter_tag, 1)
        column2 = QVBoxLayout(library_tab)
        column2.setContentsMargins(4, 6, 4, 4)
        column2.addWidget(self.filter_text)
        column2.addLayout(filters)
        column2.addWidget(self.library_status)
        column2.addWidget(self.all_list, 1)
        self.tabs.addTab(library_tab, tr("All annotations"))
        self.library_items: list[tuple[Annotation, str, list[str]]] = []  # (annotation, title, tags)
        # Typing in the filter waits for a pause: at 100,000 annotations a filtering takes a moment.
        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(FILTER_DELAY_MS)
        self.filter_timer.timeout.connect(self._filter_library)

        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.chosen.connect(self._chosen)
        self.list.delete_pressed.connect(lambda _index: self._delete())
        self.note.edited.connect(self._note_edited)
        self.article_note.edited.connect(self.article_note_edited)
        self.delete_button.clicked.connect(self._delete)
        self.reattach_button.clicked.connect(self._reattach)
        self.color_box.activated.connect(self._recolor)
        self.tag_edit.committed.connect(self._tags_typed)
        self.filter_text.textChanged.connect(lambda _t: self.filter_timer.start())
        self.filter_color.currentIndexChanged.connect(lambda _i: self.filter_timer.start())
        self.filter_tag.currentIndexChanged.connect(lambda _i: self.filter_timer.start())
        self.all_list.chosen.connect(self._library_activated)
        self.tabs.currentChanged.connect(lambda i: self.library_shown.emit() if i == 1 else None)
        self._sync_buttons()

    # Intents the owner calls -------------------------------------------------------------------
    def flush(self) -> None:
        """Save now the notes typed and not saved yet (switching article, closing)."""
        self.note.flush()
        self.article_note.flush()

    def save_failed(self, annotation_id: str, text: str) -> None:
        """A note could not be saved: keep it (and show it) until a later save succeeds.
        ``annotation_id`` "" is the article's note."""
        self.drafts[annotation_id] = text

    def note_saved(self, annotation_id: str) -> None:
        self.drafts.pop(annotation_id, None)

    def show_error(self, message: str) -> None:
        """Shown until a save succeeds; the editors keep their text meanwhile."""
        self.error.setText(message + "\n" + tr("Your text is kept here and saved with your next change."))
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    def library_visible(self) -> bool:
        return self.tabs.currentIndex() == 1

    # Colours -------------------------------------------------------------------------------------
    def set_colors(self, colors: list[Color]) -> None:
        self.color_table.set(colors)
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
        item = self.current()
        if item is not None:
            self.color_box.setCurrentIndex(max(0, self.color_box.findData(item.color)))
        self.model.colors_changed()  # the cards name and show the colours
        self.library_model.colors_changed()

    @property
    def colors(self) -> list[Color]:
        return self.color_table.colors

    def color_name(self, key: str) -> str:
        return self.color_table.name(key)

    def color_css(self, key: str) -> str:
        return self.color_table.css(key)

    # This article --------------------------------------------------------------------------------
    def show_annotations(self, items: list[Annotation], article_note: str, keep: str = "", locator: Locator | None = None) -> None:
        """Show an article's highlights (``keep``: the id to select) and its note."""
        self.note.flush()
        current = self.current()
        selected = keep or (current.id if current else "")
        self._filling = True  # the current row changes as the rows are replaced: not the user
        try:
            self.items = items
            self.model.set_items(items, locator)  # (the list stays scrolled where it was)
            row = self.model.row_of(selected) if selected else -1
            if row >= 0:
                self.list.setCurrentRow(row)
        finally:
            self._filling = False
        self.empty.setVisible(not items)
        if not self.article_note.timer.isActive():  # not while the reader is typing it
            self.article_note.load(self.drafts.get(ARTICLE_NOTE, article_note))
        self._current_changed()

    def forget_drafts(self) -> None:
        """Another article: the drafts of the one before are gone with it."""
        self.drafts.clear()

    def highlight_count(self) -> int:
        """How many highlights the list shows."""
        return len(self.model.items)

    def row_of(self, annotation_id: str) -> int:
        """The list's row of a highlight, or -1."""
        return self.model.row_of(annotation_id)

    def current(self) -> Annotation | None:
        return self.model.annotation(self.list.currentRow())

    def neighbour_of(self, annotation_id: str) -> str:
        """The id of the card after (else before) this one: selected once it is deleted."""
        row = self.model.row_of(annotation_id)
        for other in (row + 1, row - 1):
            item = self.model.annotation(other) if row >= 0 else None
            if item is not None:
                return item.id
        return ""

    def _chosen(self, index: QModelIndex) -> None:
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
            self.note.show_text(wanted)
        self._editing = item.id if item else ""
        if item:
            self.color_box.setCurrentIndex(max(0, self.color_box.findData(item.color)))
        # Tags being typed for this highlight stay (a refresh while typing is not a reset).
        typing = item is not None and item.id == self._tags_of and self.tag_edit.isModified()
        if not typing:
            self.tag_edit.show_tags(item.tags if item else ())
            self.tag_problem.hide()
        self._tags_of = item.id if item else ""
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        item = self.current()
        for widget in (self.note, self.color_box, self.delete_button, self.tag_edit):
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

    # Tags -----------------------------------------------------------------------------------------
    def set_tag_words(self, words: list[str]) -> None:
        """The tags already used in the library, offered as the reader types one."""
        self.tag_edit.set_words(words)

    def _tags_typed(self, tags: list[str]) -> None:
        item = self.current()
        if item is None:
            return
        problem = typed_tags_problem(tags)
        if problem:  # nothing is saved, the text stays to be corrected
            self.tag_problem.setText(problem)
            self.tag_problem.show()
            return
        self.tag_problem.hide()
        cleaned = list(clean_tags(tags))
        if [tag_key(t) for t in cleaned] == [tag_key(t) for t in item.tags] and cleaned == list(item.tags):
            self.tag_edit.show_tags(item.tags)
            return
        self.tag_edit.setModified(False)
        self.tags_change_requested.emit(item.id, cleaned)

    def _recolor(self, _index: int) -> None:
        item = self.current()
        if item is not None and self.color_box.currentData() != item.color:
            self.color_change_requested.emit(item.id, self.color_box.currentData())

    # All annotations -------------------------------------------------------------------------------
    def set_library_items(self, items: list[tuple[Annotation, str, list[str]]]) -> None:
        self.library_items = items
        current = self.all_list.currentIndex()
        wanted = (current.data(ArticleRole), current.data(IdRole)) if current.isValid() else None
        self.library_model.set_items(items)
        tags = self.library_model.all_tags()
        chosen = self.filter_tag.currentData()
        self.filter_tag.blockSignals(True)
        self.filter_tag.clear()
        self.filter_tag.addItem(tr("All tags"), "")
        for tag in tags:
            self.filter_tag.addItem(tag, tag)
        self.filter_tag.setCurrentIndex(max(0, self.filter_tag.findData(chosen)))
        self.filter_tag.blockSignals(False)
        self._filter_library()
        if wanted is not None:
            self._select_library(*wanted)

    def _select_library(self, article: str, annotation_id: str) -> None:
        model = self.library_model
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ArticleRole) == article and index.data(IdRole) == annotation_id:
                shown = self.library_proxy.mapFromSource(index)
                if shown.isValid():
                    self.all_list.setCurrentIndex(shown)
                return

    def _filter_library(self) -> None:
        self.filter_timer.stop()
        self.library_proxy.set_filter(self.filter_text.text(), self.filter_color.currentData() or "", self.filter_tag.currentData() or "")
        shown = self.library_card_count()
        filtered = bool(self.library_proxy.text or self.library_proxy.color or self.library_proxy.tag)
        self.library_status.setText(
            (tr("{n} of {total} annotations") if filtered else tr("{total} annotations"))
            .replace("{n}", str(shown)).replace("{total}", str(len(self.library_items))))

    def library_card_count(self) -> int:
        """How many annotations (not group rows) "All annotations" shows now."""
        shown = self.library_proxy.shown_rows()
        if shown is None:
            return len(self.library_model.entries)
        return sum(shown) - sum(1 for group in self.library_model.groups if shown[group.first])

    def _library_activated(self, index: QModelIndex) -> None:
        article = index.data(ArticleRole)
        if article:
            self.library_item_activated.emit(article, index.data(IdRole) or "")
