"""Search history and saved searches (issue 13).

:class:`SavedSearchesView` is the compact, collapsible list in the article list panel: each
saved search with a live count of the articles it finds; it only asks (``run_requested``,
``rename_requested``, ``delete_requested``). :class:`SearchMemory` owns both lists: it keeps
them in the settings (``search_history``, ``saved_searches``; hostile stored values are
cleaned by :mod:`reader.settings`), answers the search box and the view, fills the Search
menu, and has the session count the saved searches on its search thread after indexing, when
the library changes and when annotations change (``htag:``), never on the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QPalette
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.settings import (
    SAVED_SEARCHES_MAX,
    SEARCH_HISTORY_MAX,
    SEARCH_NAME_MAX,
    SEARCH_TEXT_MAX,
    clean_saved_searches,
    clean_search_history,
)
from reader.ui.i18n import tr

QueryRole = Qt.ItemDataRole.UserRole + 40
CountTextRole = Qt.ItemDataRole.UserRole + 41
RECOUNT_DELAY_MS = 400  # changes come in bursts (a rescan, then indexing): count once
VISIBLE_ROWS = 5  # rows the list shows before it scrolls
MENU_NAME_CHARS = 40  # a longer name is elided in the Search menu


def count_text(count: int | None | str) -> str:
    """What the list shows beside a saved search: its count, … while counting, ⚠ when the
    query is not searched."""
    if count == "pending":
        return "…"
    if count is None:
        return "⚠"
    return str(count)


class _SavedDelegate(QStyledItemDelegate):
    """The name on the left (elided), the count on the right in the muted colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(120, option.fontMetrics.height() + 8)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText)
        rect = option.rect.adjusted(10, 0, -8, 0)
        metrics = option.fontMetrics
        count = index.data(CountTextRole) or ""
        count_width = metrics.horizontalAdvance(count) + 8 if count else 0
        painter.setPen(muted)
        painter.drawText(QRectF(rect.right() - count_width, rect.top(), count_width, rect.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, count)
        painter.setPen(text)
        name = metrics.elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "", Qt.TextElideMode.ElideRight, max(0, rect.width() - count_width - 6))
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width() - count_width, rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.restore()


class SavedSearchList(QListWidget):
    """Click or Enter runs a saved search; the context menu renames or deletes it."""

    run_requested = Signal(int)
    rename_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_SavedDelegate(self))
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.itemClicked.connect(lambda item: self.run_requested.emit(self.row(item)))
        self.itemActivated.connect(lambda item: self.run_requested.emit(self.row(item)))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.currentRow() >= 0:
            self.delete_requested.emit(self.currentRow())
            return
        if event.key() == Qt.Key.Key_F2 and self.currentRow() >= 0:
            self.rename_requested.emit(self.currentRow())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if item is None:
            return
        row = self.row(item)
        menu = self.context_menu(row)
        menu.exec(event.globalPos())

    def context_menu(self, row: int) -> QMenu:
        menu = QMenu(self)
        menu.addAction(tr("Search"), lambda: self.run_requested.emit(row))
        menu.addAction(tr("Rename…"), lambda: self.rename_requested.emit(row))
        menu.addAction(tr("Delete"), lambda: self.delete_requested.emit(row))
        return menu


class SavedSearchesView(QWidget):
    """"Saved searches" with a ▸/▾ header that folds the list away (hidden with none)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.header = QToolButton(self)
        self.header.setObjectName("savedSearchesHeader")
        self.header.setText(tr("Saved searches"))
        self.header.setAccessibleName(tr("Show or hide the saved searches"))
        self._expanded = True
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setArrowType(Qt.ArrowType.DownArrow)
        self.header.setStyleSheet("QToolButton#savedSearchesHeader { border: none; padding: 2px 0; font-weight: bold; }")
        self.header.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self.list = SavedSearchList(self)
        self.list.setAccessibleName(tr("Saved searches"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.list)
        self.hide()

    @property
    def expanded(self) -> bool:
        return self._expanded

    def set_expanded(self, on: bool) -> None:
        self._expanded = on
        self.header.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.list.setVisible(on)

    def set_searches(self, saved: list[dict], counts: dict) -> None:
        """Show ``saved`` ([{name, query}]) with ``counts`` ({query: total, None, "pending"})."""
        current = self.list.currentRow()
        self.list.clear()
        for entry in saved:
            item = QListWidgetItem(entry["name"])
            item.setData(QueryRole, entry["query"])
            shown = count_text(counts.get(entry["query"], "pending"))
            item.setData(CountTextRole, shown)
            item.setToolTip(entry["query"])
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{entry['name']} ({shown})")
            self.list.addItem(item)
        if 0 <= current < self.list.count():
            self.list.setCurrentRow(current)
        rows = min(max(1, len(saved)), VISIBLE_ROWS)
        self.list.setFixedHeight(rows * (self.fontMetrics().height() + 8) + 4)
        self.setVisible(bool(saved))


class SearchMemory(QObject):
    """The search history and the saved searches of the window (kept in ``settings``)."""

    changed = Signal()  # the saved searches or their counts changed (the Search menu follows)
    message = Signal(str, int)  # for the status bar

    def __init__(self, settings, box, view: SavedSearchesView, parent=None) -> None:
        super().__init__(parent)
        self.settings, self.box, self.view = settings, box, view
        self.session = None
        self.history: list[str] = clean_search_history(settings.get("search_history"))[0]
        self.saved: list[dict] = clean_saved_searches(settings.get("saved_searches"))[0]
        self.counts: dict[str, int | None | str] = {}
        self.recount_timer = QTimer(self, singleShot=True, interval=RECOUNT_DELAY_MS)
        self.recount_timer.timeout.connect(self.recount)
        box.set_history(self.history)
        box.committed.connect(self.remember)
        box.history_clear_requested.connect(self.clear_history)
        box.save_requested.connect(lambda query: self.save_search(query))
        view.list.run_requested.connect(self.run_saved)
        view.list.rename_requested.connect(lambda row: self.rename(row))
        view.list.delete_requested.connect(self.delete)
        self._show()

    def set_session(self, session) -> None:
        self.session = session
        self.counts = {}
        session.search_counts_finished.connect(self._counted)
        for signal in (session.index_finished, session.catalog_changed):
            signal.connect(lambda *_args: self.recount_timer.start())
        # A highlight's tags change only what htag: finds; other annotation changes reach the
        # counts through the notes index (index_finished).
        session.annotations_changed.connect(lambda *_args: self._has_htag() and self.recount_timer.start())
        self._show()
        self.recount_timer.start()

    # History -------------------------------------------------------------------------------
    def remember(self, query: str) -> None:
        """``query`` was searched and counts: first in the history, once, at most 50 kept."""
        query = query.strip()
        if not query or len(query) > SEARCH_TEXT_MAX:
            return
        self.history = [query] + [q for q in self.history if q != query]
        del self.history[SEARCH_HISTORY_MAX:]
        self._store("search_history", self.history)
        self.box.set_history(self.history)

    def clear_history(self) -> None:
        self.history = []
        self._store("search_history", [])
        self.box.set_history([])

    # Saved searches ------------------------------------------------------------------------
    def _ask(self, title: str, label: str, default: str) -> str | None:
        parent = self.view.window()
        name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return name if ok else None

    def _problem(self, name: str, query: str, skip: int = -1) -> str:
        if not name.strip():
            return tr("A saved search needs a name.")
        if len(name) > SEARCH_NAME_MAX:
            return tr("That name is too long (at most {n} characters).").replace("{n}", str(SEARCH_NAME_MAX))
        if not query.strip() or len(query) > SEARCH_TEXT_MAX:
            return tr("This search cannot be saved.")
        if any(e["name"] == name.strip() for i, e in enumerate(self.saved) if i != skip):
            return tr("A saved search is already called “{name}”.").replace("{name}", name.strip())
        if skip < 0 and len(self.saved) >= SAVED_SEARCHES_MAX:
            return tr("At most {n} searches can be saved.").replace("{n}", str(SAVED_SEARCHES_MAX))
        return ""

    def save_search(self, query: str, name: str | None = None) -> bool:
        """Save ``query`` as ``name`` (asked, the query as default, when None)."""
        query = query.strip()
        if not query:
            self.message.emit(tr("Type a search first, then save it."), 5000)
            return False
        if name is None:
            name = self._ask(tr("Save this search"), tr("Name:"), query[:SEARCH_NAME_MAX])
            if name is None:
                return False
        problem = self._problem(name, query)
        if problem:
            self.message.emit(problem, 6000)
            return False
        self.saved.append({"name": name.strip(), "query": query})
        self._store("saved_searches", self.saved)
        self.counts.setdefault(query, "pending")
        self._show()
        self.recount()
        return True

    def rename(self, row: int, name: str | None = None) -> bool:
        if not 0 <= row < len(self.saved):
            return False
        entry = self.saved[row]
        if name is None:
            name = self._ask(tr("Rename saved search"), tr("Name:"), entry["name"])
            if name is None:
                return False
        problem = self._problem(name, entry["query"], skip=row)
        if problem:
            self.message.emit(problem, 6000)
            return False
        self.saved[row] = {"name": name.strip(), "query": entry["query"]}
        self._store("saved_searches", self.saved)
        self._show()
        return True

    def delete(self, row: int) -> None:
        if 0 <= row < len(self.saved):
            del self.saved[row]
            self._store("saved_searches", self.saved)
            self._show()

    def run_saved(self, row: int) -> None:
        if 0 <= row < len(self.saved):
            self.box.run(self.saved[row]["query"])

    # Counts --------------------------------------------------------------------------------
    def recount(self) -> None:
        """Count every saved search again, on the session's search thread."""
        self.recount_timer.stop()
        if self.session is not None and self.saved:
            self.session.count_searches([e["query"] for e in self.saved])

    def _has_htag(self) -> bool:
        return any("htag:" in e["query"].lower() for e in self.saved)

    def _counted(self, counts: dict) -> None:
        self.counts.update(counts)
        self._show()
        if any(e["query"].strip() and e["query"] not in counts for e in self.saved):
            self.recount_timer.start()  # stopped for a typed search: the rest after a pause

    # Showing and keeping -------------------------------------------------------------------
    def _show(self) -> None:
        self.view.set_searches(self.saved, self.counts)
        self.changed.emit()

    def _store(self, key: str, value) -> None:
        self.settings.set(key, [dict(v) if isinstance(v, dict) else v for v in value])
        if self.settings.save_problem:
            self.message.emit(self.settings.save_problem, 8000)

    def fill_menu(self, menu: QMenu) -> None:
        """The Search menu: Save this search…, then each saved search with its count."""
        menu.clear()
        menu.setToolTipsVisible(True)  # each saved search's query
        save = menu.addAction(tr("Save this search…"), lambda: self.save_search(self.box.text()))
        save.setEnabled(bool(self.box.text().strip()))
        menu.addAction(tr("Search history…"), self._show_history_from_menu)
        menu.addSeparator()
        if not self.saved:
            none = menu.addAction(tr("No saved searches"))
            none.setEnabled(False)
        for row, entry in enumerate(self.saved):
            shown = count_text(self.counts.get(entry["query"], "pending"))
            name = entry["name"] if len(entry["name"]) <= MENU_NAME_CHARS else entry["name"][: MENU_NAME_CHARS - 1] + "…"
            action = menu.addAction(f"{name}\t{shown}")
            action.setToolTip(entry["query"])
            action.triggered.connect(lambda _checked=False, r=row: self.run_saved(r))

    def _show_history_from_menu(self) -> None:
        self.box.setFocus()
        self.box.show_history_menu()
