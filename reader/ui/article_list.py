"""The article list panel: search box, sort and tag filter, and the list itself."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QContextMenuEvent,
    QFont,
    QKeyEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.article_models import (
    CountRole,
    DateRole,
    PathRole,
    ProblemsRole,
    ReadRole,
    SnippetRole,
    SubtitleRole,
)
from reader.ui.i18n import tr

SEARCH_DELAY_MS = 250


class ArticleDelegate(QStyledItemDelegate):
    """Title (bold when unread), then date · source · highlight count, then the snippet."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.show_snippets = False

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        line = option.fontMetrics.height()
        if self.show_snippets and index.data(SnippetRole):
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


class SearchBox(QLineEdit):
    """Typing searches as you type (debounced); Esc clears back to the library."""

    search_requested = Signal(str)
    cleared = Signal()
    move_down = Signal()
    open_top_requested = Signal()  # Enter: open the best hit

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

    def _fire(self) -> None:
        text = self.text().strip()
        if text:
            self.search_requested.emit(text)
        else:
            self.cleared.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.timer.stop()
            self.cleared.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.timer.stop()
            self._fire()
            if self.text().strip():
                self.open_top_requested.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.move_down.emit()
            return
        super().keyPressEvent(event)


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
        layout.addLayout(controls)
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
