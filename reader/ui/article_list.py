"""The article list panel: search box, sort and tag filter, and the list itself."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QContextMenuEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.ui.article_models import (
    CountRole,
    DateRole,
    PathRole,
    ProblemsRole,
    ReadRole,
    SnippetExpectedRole,
    SnippetRole,
    SubtitleRole,
)
from reader.ui.i18n import tr
from reader.ui.saved_searches import SavedSearchesView

SEARCH_DELAY_MS = 250
#: A search counts for the history once the reader paused this long on it (or pressed Enter,
#: or opened a hit): not every prefix the debounce searched on the way.
HISTORY_PAUSE_MS = 1500
HISTORY_MENU_CHARS = 60  # a long query is shown elided in the history menu (whole in its tooltip)


class ArticleDelegate(QStyledItemDelegate):
    """Title (bold when unread), then date · source · highlight count, then the snippet."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.show_snippets = False

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = option.fontMetrics.height()
        if self.show_snippets and index.data(SnippetExpectedRole):
            return QSize(200, int(line * 2.55 + line * 0.95 * 3 * 1.12) + 16)
        return QSize(200, int(line * 2.5) + 12)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(10, 6, -10, -6)
        line = option.fontMetrics.height()

        title_font = QFont(option.font)
        title_font.setBold(not index.data(ReadRole))
        painter.setFont(title_font)
        painter.setPen(text_color)
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        elided = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), line * 1.2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)

        details = [index.data(DateRole) or "", index.data(SubtitleRole) or ""]
        count = index.data(CountRole) or 0
        if count:
            details.append(f"✎ {count}")
        if index.data(ProblemsRole):
            details.append("⚠ " + tr("problem"))
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.88))
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            QRectF(rect.left(), rect.top() + line * 1.25, rect.width(), line * 1.2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "  ·  ".join(d for d in details if d),
        )
        snippet = index.data(SnippetRole) if self.show_snippets else ""
        if snippet:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(small)
            color = text_color.name()
            doc.setDefaultStyleSheet(f"body {{ color: {color}; }} mark {{ background-color: #dcc6ff; color: #000; text-decoration: underline; }}")
            doc.setHtml(f"<body>{snippet}</body>")
            doc.setTextWidth(rect.width())
            painter.translate(rect.left(), rect.top() + line * 2.55)
            clip = QRectF(0, 0, rect.width(), rect.height() - line * 2.55)
            painter.setClipRect(clip)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = clip
            doc.documentLayout().draw(painter, ctx)
        painter.restore()


class ArticleListView(QListView):
    """Enter opens; ``/`` focuses the search box; j / k open the next / previous article
    (the window connects them)."""

    open_requested = Signal(QModelIndex)
    focus_search_requested = Signal()
    step_requested = Signal(int)  # j / k: open the next / previous article
    open_original_requested = Signal(str)  # library path: its source file in the system viewer

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        # Rows elide their text to the width: a sideways scroll bar would only hide the dates.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.activated.connect(self.open_requested)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        if event.text() == "/":
            self.focus_search_requested.emit()
            return
        if event.text() in ("j", "k") and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            self.step_requested.emit(1 if event.text() == "j" else -1)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        path = index.data(PathRole) if index.isValid() else None
        if not path:
            return
        menu = QMenu(self)
        menu.addAction(tr("Open"), lambda: self.open_requested.emit(index))
        menu.addAction(tr("Open original"), lambda: self.open_original_requested.emit(path))
        menu.exec(event.globalPos())


def _arrow_icon(color) -> QIcon:
    """A small ▾ in ``color`` for the search box's history button."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 1.0))
    painter.setBrush(color)
    painter.drawPolygon(QPolygonF([QPointF(4, 6), QPointF(12, 6), QPointF(8, 11)]))
    painter.end()
    return QIcon(pixmap)


def _elided(text: str, limit: int = HISTORY_MENU_CHARS) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class SearchBox(QLineEdit):
    """Typing searches as you type (debounced); Esc clears back to the library.

    History (issue 13): a search that was run and then paused on (HISTORY_PAUSE_MS), entered
    or opened counts (``committed``); ↓ in the empty box or the ▾ button shows the history
    menu (:attr:`history_menu`), whose entries run again. The box only asks: the owner keeps
    the history (:meth:`set_history`) and saves searches."""

    search_requested = Signal(str)
    cleared = Signal()
    move_down = Signal()
    open_top_requested = Signal()  # Enter: open the best hit
    committed = Signal(str)  # a search that counts for the history
    history_clear_requested = Signal()
    save_requested = Signal(str)  # "Save this search…": the query

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(tr("Search the library (Ctrl+K)"))
        self.setAccessibleName(tr("Search the library"))
        self.setClearButtonEnabled(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._fire)
        self.textChanged.connect(lambda _text: self.timer.start())
        self.history: list[str] = []
        self.history_menu: QMenu | None = None  # the menu last shown (kept for tests)
        self._searched = ""  # the text last asked for (what a commit records)
        self._committed = ""
        self.commit_timer = QTimer(self)
        self.commit_timer.setSingleShot(True)
        self.commit_timer.setInterval(HISTORY_PAUSE_MS)
        self.commit_timer.timeout.connect(self.commit)
        self.history_action = QAction(self)
        self.history_action.setToolTip(tr("Search history and saved searches (↓)"))
        self.history_action.triggered.connect(self.show_history_menu)
        self.addAction(self.history_action, QLineEdit.ActionPosition.TrailingPosition)
        self._paint_arrow()

    def _paint_arrow(self) -> None:
        self.history_action.setIcon(_arrow_icon(self.palette().color(QPalette.ColorRole.PlaceholderText)))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._paint_arrow()  # the theme changed: the arrow follows the text colour

    def _fire(self) -> None:
        text = self.text().strip()
        if text:
            self._searched = text
            self.commit_timer.start()
            self.search_requested.emit(text)
        else:
            self._searched = ""
            self.commit_timer.stop()
            self.cleared.emit()

    def commit(self) -> None:
        """The search in the box counts for the history (once per distinct search)."""
        self.commit_timer.stop()
        text = self._searched
        if text and text == self.text().strip() and text != self._committed:
            self._committed = text
            self.committed.emit(text)

    def run(self, query: str) -> None:
        """Put ``query`` in the box and search it now (a history entry, a saved search)."""
        self.setText(query)
        self.timer.stop()
        self._fire()
        self.commit()

    def set_history(self, history: list[str]) -> None:
        self.history = list(history)

    def show_history_menu(self) -> QMenu:
        """The history (newest first), Save this search…, Clear history; below the box."""
        menu = QMenu(self)
        menu.setAccessibleName(tr("Search history"))
        if self.history:
            title = menu.addAction(tr("Recent searches"))
            title.setEnabled(False)
            for query in self.history:
                action = menu.addAction(_elided(query))
                action.setToolTip(query)
                action.setData(query)
                action.triggered.connect(lambda _checked=False, q=query: self.run(q))
        else:
            empty = menu.addAction(tr("No searches yet"))
            empty.setEnabled(False)
        menu.setToolTipsVisible(True)
        menu.addSeparator()
        save = menu.addAction(tr("Save this search…"), lambda: self.save_requested.emit(self.text().strip()))
        save.setEnabled(bool(self.text().strip()))
        clear = menu.addAction(tr("Clear history"), self.history_clear_requested.emit)
        clear.setEnabled(bool(self.history))
        self.history_menu = menu
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.timer.stop()
            self.commit_timer.stop()
            self._searched = ""
            self.cleared.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.timer.stop()
            self._fire()
            if self.text().strip():
                self.commit()
                self.open_top_requested.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            if not self.text().strip():
                self.show_history_menu()
                return
            self.move_down.emit()
            return
        super().keyPressEvent(event)


class ElidedLabel(QLabel):
    """A label wrapped to at most ``lines`` lines, the rest elided (the whole text in
    :attr:`full_text` and the tooltip)."""

    def __init__(self, text: str, lines: int = 2, parent=None) -> None:
        super().__init__(parent)
        self.full_text, self.lines = text, lines
        self.setWordWrap(True)
        self.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        metrics = self.fontMetrics()
        width = max(20, self.contentsRect().width())
        # The height of that many lines as drawn: a Han line from a fallback font is taller.
        room = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), "\n".join(["國 Ag"] * self.lines)).height() + 1

        def fits(text: str) -> bool:
            box = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), text)
            return box.height() <= room

        shown = self.full_text
        if not fits(shown):  # the longest start that wraps into the lines, with an ellipsis
            low, high = 0, len(self.full_text)
            while low < high:
                middle = (low + high + 1) // 2
                if fits(self.full_text[:middle].rstrip() + "…"):
                    low = middle
                else:
                    high = middle - 1
            shown = self.full_text[:low].rstrip() + "…"
        if shown != self.text():
            self.setText(shown)
        self.setMaximumHeight(room + 2)


class ExpansionChip(QFrame):
    """One expansion under the search box: "NIST → also 美國國家標準暨技術研究院" and a ×."""

    removed = Signal(str)  # the term

    def __init__(self, term: str, also: tuple[str, ...] | list[str], parent=None) -> None:
        super().__init__(parent)
        self.term = term
        self.setObjectName("expansionChip")
        self.setFrameShape(QFrame.Shape.NoFrame)
        text = tr("{term} → also {also}").replace("{term}", term).replace("{also}", tr(", ").join(also))
        self.label = ElidedLabel(text, 2, self)
        self.label.setToolTip(text + "\n" + tr("Glossed terms are also searched as their other forms"))
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.button = QToolButton(self)
        self.button.setText("×")
        self.button.setAutoRaise(True)
        self.button.setToolTip(tr("Search “{term}” only as typed").replace("{term}", term))
        self.button.setAccessibleName(tr("Stop expanding “{term}”").replace("{term}", term))
        self.button.clicked.connect(lambda: self.removed.emit(self.term))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        row.setSpacing(4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(text)
        self.setStyleSheet(
            "QFrame#expansionChip { border: 1px solid palette(mid); border-radius: 9px;"
            " background: palette(alternate-base); }"
            " QFrame#expansionChip QLabel { color: palette(text); background: transparent; }"
            " QFrame#expansionChip QToolButton { border: none; padding: 0 4px; }"
        )


class ExpansionBar(QWidget):
    """The search's expansions as removable chips (issue 14): expansion is never silent."""

    removed = Signal(str)  # a chip's ×: search that term only as typed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Search expansions"))
        self.chips: list[ExpansionChip] = []
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(3)
        self.hide()

    def set_expansions(self, expansions) -> None:
        """Show ``expansions`` (:class:`reader.search.expansion.Expansion`), one chip each."""
        for chip in self.chips:
            chip.setParent(None)
            chip.deleteLater()
        self.chips = []
        for expansion in expansions:
            chip = ExpansionChip(expansion.term, expansion.also, self)
            chip.removed.connect(self.removed)
            self.column.addWidget(chip)
            self.chips.append(chip)
        self.setVisible(bool(self.chips))


class ArticleListPanel(QWidget):
    sort_changed = Signal(str)
    tag_changed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.search_box = SearchBox(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("listStatus")
        self.sort_box = QComboBox(self)
        for key, label in (("date", tr("Newest first")), ("title", tr("By title")), ("recent", tr("Recently read"))):
            self.sort_box.addItem(label, key)
        self.tag_box = QComboBox(self)
        self.tag_box.addItem(tr("All tags"), "")
        self.sort_box.setAccessibleName(tr("Sort articles"))
        self.tag_box.setAccessibleName(tr("Filter by tag"))
        self.view = ArticleListView(self)
        self.view.setAccessibleName(tr("Articles"))
        self.delegate = ArticleDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.sort_box, 1)
        controls.addWidget(self.tag_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 0)
        layout.addWidget(self.search_box)
        self.expansions = ExpansionBar(self)  # the search's glossary expansions (issue 14)
        layout.addWidget(self.expansions)
        layout.addLayout(controls)
        self.saved_searches = SavedSearchesView(self)  # issue 13: hidden while none are saved
        layout.addWidget(self.saved_searches)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.sort_box.currentIndexChanged.connect(lambda _i: self.sort_changed.emit(self.sort_box.currentData()))
        self.tag_box.currentIndexChanged.connect(lambda _i: self.tag_changed.emit(self.tag_box.currentData()))
        self.view.focus_search_requested.connect(self.focus_search)
        self.search_box.move_down.connect(self.view.setFocus)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def set_tags(self, tags: list[str]) -> None:
        current = self.tag_box.currentData()
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        self.tag_box.addItem(tr("All tags"), "")
        for tag in tags:
            self.tag_box.addItem(tag, tag)
        position = self.tag_box.findData(current)
        self.tag_box.setCurrentIndex(max(0, position))
        self.tag_box.blockSignals(False)

    def show_sort(self, mode: str) -> None:
        """Show ``mode`` in the sort box without asking to sort (the rows are in that order)."""
        self.sort_box.blockSignals(True)
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(mode)))
        self.sort_box.blockSignals(False)

    def set_search_mode(self, on: bool) -> None:
        self.delegate.show_snippets = on
        self.sort_box.setEnabled(not on)
        self.tag_box.setEnabled(not on)
