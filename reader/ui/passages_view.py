"""The passages view of a library search: every occurrence, grouped by article, filled as found.

:class:`PassagesModel` is a two-level model: a group row per article (its title and how many
passages it has), under it a row per passage (about 40 characters either side, the match,
its locator). It only appends: rows come in batches from a worker and are inserted with
``beginInsertRows``, so 20,000 passages never make the window wait (the view has rows of one
height and paints only what is on screen, :class:`PassageDelegate`).

:class:`PassagesView` runs the search (:class:`reader.search.passages.PassageSearch`, made by
a factory the window passes in, on the window's search runner) and drops what an older query
still delivers. It asks and never acts: Enter or a click on a passage emits
``open_requested(path, start, end)`` (offsets into the article's plain text, the match), the
export button ``export_requested(format)``; the window does the work
(:func:`reader.exporting.passages_export.export_listed_passages` of :meth:`PassagesView.articles`).

:class:`PassagesController` is that window side: it puts the view (``window.passages``) below
the reading pane in a vertical splitter, shows and hides it (View ▸ Passages, Ctrl+Shift+P),
makes it follow the search box, opens a passage with its match selected
(:func:`select_in_pane`, which shows the right part of an article shown in parts) and exports
through a save dialog. Every row carries ``PathRole`` (the article lists' own,
:data:`reader.ui.article_models.PathRole`), ``StartRole`` and ``EndRole`` (a group row: its
first passage's), ``KindRole`` (``GROUP`` / ``PASSAGE``), ``BeforeRole``/``MatchRole``/``AfterRole``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.ui.article_models import PathRole as ArticlePathRole
from reader.ui.i18n import tr
from reader.ui.workers import TaskRunner, error_line

Index = QModelIndex | QPersistentModelIndex

#: Roles of every row (group and passage): PathRole is the article lists' own
#: (:data:`reader.ui.article_models.PathRole`, one definition); StartRole/EndRole are the
#: match's offsets into the article's plain text (a group row: its first passage's).
PathRole = ArticlePathRole
KindRole = Qt.ItemDataRole.UserRole + 2  # GROUP or PASSAGE
StartRole = Qt.ItemDataRole.UserRole + 3
EndRole = Qt.ItemDataRole.UserRole + 4
BeforeRole = Qt.ItemDataRole.UserRole + 5
MatchRole = Qt.ItemDataRole.UserRole + 6
AfterRole = Qt.ItemDataRole.UserRole + 7
LocatorRole = Qt.ItemDataRole.UserRole + 8
CountRole = Qt.ItemDataRole.UserRole + 9
TitleRole = Qt.ItemDataRole.UserRole + 10

GROUP, PASSAGE = "group", "passage"
#: Passages of one article delivered at once at most (的 occurs thousands of times in one).
CHUNK = 500
#: A batch goes to the window when it holds this many passages or is this old.
BATCH_PASSAGES = 400
BATCH_SECONDS = 0.04
HEADING_CHARS = 24
#: The searches a factory makes: (query, order) -> PassageSearch.
SearchFactory = Callable[[str, str], object]


def number_text(n: int) -> str:
    return f"{n:,}"


def summary_text(passages: int, articles: int) -> str:
    """'1,234 passages in 87 articles' / '1,234 處，87 篇文章'."""
    return tr("{passages} passages in {articles} articles").replace("{passages}", number_text(passages)).replace("{articles}", number_text(articles))


def locator_text(passage, words: tuple[str, str] | None = None) -> str:
    """Where a passage is, as a reader names it: 'p. 12' (頁 12) for a paged source, else
    the heading above it and its paragraph ('Background · ¶ 3'). ``words``: the translated
    ('p. {n}', '¶ {n}'), when the caller has them."""
    page_word, paragraph_word = words or locator_words()
    page = getattr(passage, "page", None)
    if page is not None:
        return page_word.replace("{n}", str(page))
    parts = []
    heading = " ".join((passage.heading or "").split())
    if heading:
        parts.append(heading if len(heading) <= HEADING_CHARS else heading[: HEADING_CHARS - 1] + "…")
    if passage.paragraph is not None:
        parts.append(paragraph_word.replace("{n}", str(passage.paragraph)))
    return " · ".join(parts)


def locator_words() -> tuple[str, str]:
    return tr("p. {n}"), tr("¶ {n}")


def _line(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ").replace("\u2028", " ").replace("\u2029", " ")


@dataclass
class PassageGroup:
    """One article in the model: the search's ``ArticlePassages`` and the passages shown."""

    article: object  # reader.search.passages.ArticlePassages
    passages: list = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.article.path

    @property
    def title(self) -> str:
        return self.article.title or self.article.path


class PassagesModel(QAbstractListModel):
    """One row per article (a group row: its title and count) followed by a row per passage
    of it, in order: a flat list, so that appending is cheap however many rows there are (a
    tree view lays out every expanded row again, asking the model for each, at each insertion).
    Appends only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.groups: list[PassageGroup] = []
        self.passage_count = 0
        # Per row: (group number, passage number within it, or -1 for the group row).
        self._rows: list[tuple[int, int]] = []
        self._group_rows: list[int] = []  # the row of each group
        self._words = locator_words()

    def locator(self, row: int, passage) -> str:
        return locator_text(passage, self._words)

    # Filling -----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self.groups, self._rows, self._group_rows = [], [], []
        self._words = locator_words()  # the language may have changed
        self.passage_count = 0
        self.endResetModel()

    def append(self, items: list[tuple[object, list, bool]]) -> None:
        """Add ``(ArticlePassages, passages, new_article)`` items in order: passages of the
        last article go after it, a new article starts a new group. One insertion a batch."""
        if not items:
            return
        first = len(self._rows)
        grown = len(self.groups) - 1 if self.groups and not items[0][2] else None
        rows = self._rows
        self.beginInsertRows(QModelIndex(), first, first + sum(len(more) + (1 if new or not self.groups else 0) for _, more, new in items) - 1)
        for article, more, new in items:
            if new or not self.groups:
                self._group_rows.append(len(rows))
                rows.append((len(self.groups), -1))
                self.groups.append(PassageGroup(article, []))
            number = len(self.groups) - 1
            group = self.groups[number]
            base = len(group.passages)
            group.passages.extend(more)
            rows.extend((number, base + k) for k in range(len(more)))
            self.passage_count += len(more)
        self.endInsertRows()
        if grown is not None:  # its count grew
            index = self.index(self._group_rows[grown], 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, CountRole])

    # The model -----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if section == 0 and orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr("Passages")
        return None

    def group_row(self, number: int) -> int:
        """The row of the ``number``-th article."""
        return self._group_rows[number]

    def item(self, index: Index):
        """(group, passage or None) of a valid index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None, None
        number, at = self._rows[index.row()]
        group = self.groups[number]
        return group, (group.passages[at] if at >= 0 else None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.column() != 0:
            return None
        group, passage = self.item(index)
        if group is None:
            return None
        if passage is None:
            return self._group_data(group, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self.locator(index.row(), passage)}  {_line(passage.before)}{_line(passage.match)}{_line(passage.after)}".strip()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{group.title}\n{self.locator(index.row(), passage)}"
        return {
            KindRole: PASSAGE,
            PathRole: passage.path,
            StartRole: passage.start,
            EndRole: passage.end,
            BeforeRole: _line(passage.before),
            MatchRole: _line(passage.match),
            AfterRole: _line(passage.after),
            LocatorRole: self.locator(index.row(), passage),
            TitleRole: group.title,
        }.get(role)

    def _group_data(self, group: PassageGroup, role: int):
        count = len(group.passages)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{group.title} ({number_text(count)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return group.path
        first = group.passages[0] if group.passages else None
        return {KindRole: GROUP, PathRole: group.path, CountRole: count, TitleRole: group.title,
                StartRole: first.start if first else 0, EndRole: first.end if first else 0}.get(role)


def match_background(palette: QPalette) -> QColor:
    """The match's marker colour for the palette: light yellow on light themes, a dim amber
    on dark ones (the text stays readable in both)."""
    base = palette.color(QPalette.ColorRole.Base)
    return QColor("#ffe066") if base.lightness() >= 128 else QColor("#7a6415")


class PassageDelegate(QStyledItemDelegate):
    """Paints a passage on one line: its locator (muted), the context, the match in bold and
    underlined on a marker background; a group row as its title in bold and the count.

    It reads the row from the model in one call (:meth:`PassagesModel.item`) and paints the
    background itself instead of asking the style, which would ask the model for a dozen
    roles: painting stays cheap while a worker fills the model (every call back into Python
    waits for the interpreter the worker is using)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, QFontMetrics(option.font).height() + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        group, passage = model.item(index) if isinstance(model, PassagesModel) else (None, None)
        if group is None:
            super().paint(painter, option, index)
            return
        palette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        active = bool(state & QStyle.StateFlag.State_Active)
        colors = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        painter.save()
        try:
            if selected:
                painter.fillRect(option.rect, palette.color(colors, QPalette.ColorRole.Highlight))
            elif passage is None:
                painter.fillRect(option.rect, palette.color(QPalette.ColorRole.AlternateBase))
            if state & QStyle.StateFlag.State_HasFocus:
                pen = QColor(palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight))
                painter.setPen(pen)
                painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            text_color = palette.color(colors, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
            muted = QColor(text_color)
            muted.setAlphaF(0.65)
            rect = option.rect.adjusted(6, 0, -6, 0)
            if passage is None:
                self._paint_group(painter, option.font, group, rect, text_color, muted)
            else:
                self._paint_passage(painter, option.font, model.locator(index.row(), passage), passage, rect, text_color, palette, selected)
        finally:
            painter.restore()

    def _paint_group(self, painter, font, group, rect, color, muted) -> None:
        bold = QFont(font)
        bold.setBold(True)
        count = number_text(len(group.passages))
        metrics = QFontMetrics(font)
        count_width = metrics.horizontalAdvance(count) + 8
        flags = Qt.AlignmentFlag.AlignVCenter
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.right() - count_width, rect.top(), count_width, rect.height()), flags | Qt.AlignmentFlag.AlignRight, count)
        painter.setFont(bold)
        painter.setPen(color)
        title_rect = QRect(rect.left(), rect.top(), max(0, rect.width() - count_width - 8), rect.height())
        title = QFontMetrics(bold).elidedText(group.title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, flags | Qt.AlignmentFlag.AlignLeft, title)

    def _paint_passage(self, painter, font, where, passage, rect, color, palette, selected) -> None:
        metrics = QFontMetrics(font)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        column = min(metrics.horizontalAdvance("M") * 12, rect.width() // 3)
        muted = QColor(color)
        muted.setAlphaF(0.65)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left() + 12, rect.top(), column - 18, rect.height()), flags,
                         metrics.elidedText(where, Qt.TextElideMode.ElideRight, column - 18))
        left = rect.left() + column
        width = rect.right() - left
        if width <= 0:
            return
        marked = QFont(font)
        marked.setBold(True)
        marked.setUnderline(True)
        marked_metrics = QFontMetrics(marked)
        before, match, after = _line(passage.before), _line(passage.match), _line(passage.after)
        match_width = min(marked_metrics.horizontalAdvance(match), width)
        before_width, after_width = metrics.horizontalAdvance(before), metrics.horizontalAdvance(after)
        room = width - match_width
        if before_width + after_width > room:
            # Keep the match in view: the context before it gets half the room, or all the
            # room the context after it leaves; each side elided away from the match.
            before_width = min(before_width, max(0, max(room // 2, room - after_width)))
            before = metrics.elidedText(before, Qt.TextElideMode.ElideLeft, before_width)
            before_width = metrics.horizontalAdvance(before)
            after = metrics.elidedText(after, Qt.TextElideMode.ElideRight, max(0, room - before_width))
        x = left
        painter.setPen(color)
        painter.drawText(QRect(x, rect.top(), before_width, rect.height()), flags, before)
        x += before_width
        painter.fillRect(QRect(x, rect.top() + 3, match_width, rect.height() - 6), match_background(palette))
        painter.setFont(marked)
        # On the marker the text keeps the theme's own text colour (readable on both).
        painter.setPen(palette.color(QPalette.ColorRole.Text) if selected else color)
        painter.drawText(QRect(x, rect.top(), match_width, rect.height()), flags, marked_metrics.elidedText(match, Qt.TextElideMode.ElideRight, match_width))
        x += match_width
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(QRect(x, rect.top(), max(0, rect.right() - x), rect.height()), flags, after)


class PassageList(QTableView):
    """The list (one column, rows of one height): Enter or a click on a passage asks to open
    it (on an article's row, at its first passage).

    A table view, not a list or tree view: those lay out every row again at each insertion
    (asking the model about each, from Python); a table's rows are header sections of one
    size, so only the rows on screen are ever asked about."""

    passage_activated = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(QFontMetrics(self.font()).height() + 8)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(CountRole) != 0:
            self.passage_activated.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.passage_activated.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)


class _Feed(QObject):
    """Carries batches from the worker to the UI thread (a queued signal)."""

    batch = Signal(int, object, object)  # generation, items, (articles done, articles)


@dataclass
class _Outcome:
    generation: int
    cancelled: bool
    articles: int  # in the search's result
    message: str = ""


def run_passages(search_factory: SearchFactory, query: str, order: str, cancel: threading.Event,
                 deliver: Callable[[list, tuple[int, int]], None]) -> tuple[bool, int, str]:
    """Read a search's passages article by article and ``deliver(items, (done, total))`` them in
    batches of about :data:`BATCH_PASSAGES` (or every :data:`BATCH_SECONDS`). Runs on a worker
    and touches no widget. Returns (cancelled, articles in the result, the parser's message)."""
    search = search_factory(query, order)
    total = len(search)
    pending: list = []
    size = 0
    last = time.monotonic()
    done = 0
    for number in range(total):
        if cancel.is_set():
            return True, total, ""
        article = search.resolve(number)
        found = article.passages or []
        for start in range(0, len(found), CHUNK):
            pending.append((article, found[start : start + CHUNK], start == 0))
            size += min(CHUNK, len(found) - start)
            if size >= BATCH_PASSAGES or time.monotonic() - last >= BATCH_SECONDS:
                if cancel.is_set():
                    return True, total, ""
                deliver(pending, (number + 1, total))
                pending, size, last = [], 0, time.monotonic()
        done = number + 1
    if pending or total == 0:
        deliver(pending, (done, total))
    return False, total, getattr(search, "message", "") or ""


class PassagesView(QWidget):
    """The passages of a library search: header, order, export, and the list."""

    open_requested = Signal(str, int, int)  # article path, start, end (the match)
    export_requested = Signal(str)  # markdown | docx | csv
    finished = Signal(int, int)  # passages, articles: the list is complete
    failed = Signal(str)  # one line for the user
    close_requested = Signal()  # its ✕ button: the window hides it

    def __init__(self, search_factory: SearchFactory | None = None, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_factory = search_factory
        self.runner = runner if runner is not None else TaskRunner(1, self)
        self.query = ""
        self.generation = 0
        self.busy = False
        self.total_articles = 0
        self._cancel: threading.Event | None = None
        self._progress = (0, 0)
        self._message = ""  # the parser's, for the header
        self.model = PassagesModel(self)
        self._feed = _Feed(self)
        self._feed.batch.connect(self._take)

        self.header = QLabel(self)
        self.header.setAccessibleName(tr("Passages found"))
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.order = QComboBox(self)
        self.order.setAccessibleName(tr("Order of the articles"))
        self.order.addItem(tr("Best articles first"), "rank")
        self.order.addItem(tr("Newest first"), "date")
        self.order.currentIndexChanged.connect(lambda _i: self.search(self.query) if self.query else None)
        # A push button: it keeps room for its menu's arrow (a tool button's overlapped the text).
        self.export_button = QPushButton(tr("Export"), self)
        self.export_button.setAccessibleName(tr("Export the passages"))
        self.export_button.setToolTip(tr("Export the passages listed, with a citation for each article"))
        menu = QMenu(self.export_button)
        for label, fmt in self._export_labels():
            action = menu.addAction(label)
            action.setData(fmt)
            action.triggered.connect(lambda _checked=False, f=fmt: self.export_requested.emit(f))
        self.export_menu = menu
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(False)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(tr("Hide the passages (Ctrl+Shift+P)"))
        self.close_button.setAccessibleName(tr("Hide the passages"))
        self.close_button.clicked.connect(self.close_requested.emit)

        self.tree = PassageList(self)
        self.tree.setAccessibleName(tr("Passages"))
        for header in (self.tree.horizontalHeader(), self.tree.verticalHeader()):  # hidden, still named
            header.setAccessibleName(tr("Passages"))
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(PassageDelegate(self.tree))
        self.tree.passage_activated.connect(self._open)

        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 4)
        top.addWidget(self.header, 1)
        top.addWidget(self.order)
        top.addWidget(self.export_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self._show_header()

    @staticmethod
    def _export_labels() -> list[tuple[str, str]]:
        return [(tr("Markdown…"), "markdown"), (tr("Word (.docx)…"), "docx"), (tr("CSV…"), "csv")]

    def changeEvent(self, event) -> None:
        """The interface language changed: what this view puts together itself (the header,
        the locators 'p. 12' / '¶ 3', the export menu) is said again in it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.model._words = locator_words()
            for action, (label, _fmt) in zip(self.export_menu.actions(), self._export_labels(), strict=False):
                action.setText(label)
            self._show_header()
            self.tree.viewport().update()

    # Asking ----------------------------------------------------------------------------------
    @property
    def current_order(self) -> str:
        return self.order.currentData() or "rank"

    def search(self, query: str) -> None:
        """List the passages of ``query`` (what an older query still delivers is dropped)."""
        self.stop()
        self.query = query.strip()
        self.model.clear()
        self.total_articles = 0
        self._progress = (0, 0)
        self._message = ""
        self.export_button.setEnabled(False)
        if not self.query or self.search_factory is None:
            self.busy = False
            self._show_header()
            return
        self.busy = True
        self._show_header()
        generation = self.generation
        cancel = threading.Event()
        self._cancel = cancel
        feed, factory, query, order = self._feed, self.search_factory, self.query, self.current_order

        def deliver(items: list, progress: tuple[int, int]) -> None:
            with contextlib.suppress(RuntimeError):  # the view is gone: nobody listens
                feed.batch.emit(generation, items, progress)

        def job() -> _Outcome:
            cancelled, articles, message = run_passages(factory, query, order, cancel, deliver)
            return _Outcome(generation, cancelled, articles, message)

        self.runner.run(job, self._done, lambda error, g=generation: self._failed(g, error))

    def stop(self) -> None:
        """Drop the search under way (its worker stops at the next article)."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self.generation += 1

    def clear(self) -> None:
        self.search("")

    def articles(self) -> list:
        """The articles listed, each with the passages shown (for an export)."""
        return [dataclasses.replace(g.article, passages=list(g.passages)) for g in self.model.groups]

    # Results ------------------------------------------------------------------------------------
    def _take(self, generation: int, items: list, progress: tuple[int, int]) -> None:
        if generation != self.generation:
            return  # an older query's
        self._progress = progress
        self.total_articles = progress[1]
        self.model.append([item for item in items if item[1] or not item[2]])
        self._show_header()
        if self.model.rowCount() > 1 and not self.tree.currentIndex().isValid():
            self.tree.setCurrentIndex(self.model.index(1, 0))  # the first passage: ready for Enter

    def _done(self, outcome: _Outcome) -> None:
        if outcome.generation != self.generation or outcome.cancelled:
            return
        self.busy = False
        self._cancel = None
        self.total_articles = outcome.articles
        self.export_button.setEnabled(self.model.passage_count > 0)
        self._show_header(outcome.message)
        self.finished.emit(self.model.passage_count, len(self.model.groups))

    def _failed(self, generation: int, error: Exception) -> None:
        if generation != self.generation:
            return
        self.busy = False
        self._cancel = None
        line = error_line(error)
        self.header.setText(tr("The passages could not be listed: {problem}").replace("{problem}", line))
        self.failed.emit(line)

    def _show_header(self, message: str | None = None) -> None:
        if message is None:
            message = self._message
        self._message = message
        if not self.query:
            self.header.setText(tr("Search the library to list every passage."))
            return
        text = summary_text(self.model.passage_count, len(self.model.groups))
        if self.busy:
            done, total = self._progress
            text += " " + tr("(searching… {done} of {total} articles)").replace("{done}", number_text(done)).replace("{total}", number_text(total))
        elif self.model.passage_count == 0:
            text = tr("No passages for “{q}”.").replace("{q}", self.query)
        if message:
            text += "  " + tr("Query not understood; searched as words.")
        self.header.setText(text)

    def _open(self, index: QModelIndex) -> None:
        self.open_requested.emit(index.data(PathRole), int(index.data(StartRole)), int(index.data(EndRole)))


# The window's side ---------------------------------------------------------------------------
#: The passages follow the search box this long after its (already debounced) last query.
FOLLOW_DELAY_MS = 250
#: The passages' share of the reading column when first shown.
FIRST_SHARE = 0.38
EXPORT_SUFFIXES = {"markdown": ".md", "docx": ".docx", "csv": ".csv"}


def select_in_pane(pane, start: int, end: int) -> None:
    """Select ``[start, end)`` of the open article's plain text in ``pane`` (a
    :class:`~reader.ui.reading_pane.ReadingPane`) and scroll it into view, a third of the way
    down; an article shown in parts first shows the part that holds it. Runs once the
    document is laid out (positions are known only then)."""
    built = pane.built
    if built is None or pane.mapping is None:
        return
    if built.parts:
        number = built.parts.number_at(start)
        if number != built.part:
            pane.show_part(number, lambda: select_in_pane(pane, start, end))
            return

    def select() -> None:
        mapping = pane.mapping
        if mapping is None:
            return
        qt_start, qt_end = mapping.plain_range_to_qt(start, end)
        last = pane.document().characterCount() - 1
        cursor = QTextCursor(pane.document())
        cursor.setPosition(min(qt_end, last))
        pane.setTextCursor(cursor)
        pane.ensureCursorVisible()
        cursor.setPosition(min(qt_start, last))
        pane.setTextCursor(cursor)
        pane.ensureCursorVisible()
        rect = pane.cursorRect(cursor)
        height = pane.viewport().height()
        if rect.top() < rect.height() or rect.bottom() > height - 3 * rect.height():
            bar = pane.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - height // 3)
        cursor.setPosition(min(qt_end, last), QTextCursor.MoveMode.KeepAnchor)
        pane.setTextCursor(cursor)

    pane.when_settled(select)


class PassagesController(QObject):
    """The passages view in the main window (issue 13): below the reading pane in a vertical
    splitter (``split``), shown and hidden by View ▸ Passages (Ctrl+Shift+P), the toolbar's
    button and its own ✕; while shown it lists the passages of what the search box searches
    (each query a little after the box's own, the older one dropped) and is cleared with it.
    Opening a passage opens its article with the match selected; exporting writes the listed
    passages through a save dialog. The view is ``window.passages``; its rows carry
    ``PathRole`` (``article_models.PathRole``), ``StartRole`` and ``EndRole``."""

    exported = Signal(str, int)  # file written, passages in it
    export_failed = Signal(str)  # the line shown to the user

    def __init__(self, window, reading: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.view = PassagesView(None, TaskRunner(1, self), window)
        self.view.setObjectName("passagesView")
        self.view.hide()
        self.split = QSplitter(Qt.Orientation.Vertical, window)
        self.split.setObjectName("readingSplit")
        self.split.addWidget(reading)
        self.split.addWidget(self.view)
        self.split.setStretchFactor(0, 1)
        self.split.setCollapsible(0, False)
        self.split.setCollapsible(1, False)
        self.sizes: list[int] | None = None  # the split while shown (kept in the window state)
        self.target: tuple[str, int, int] | None = None  # the passage to select once its article shows
        self.pending = ""
        self.save_dialog: QFileDialog | None = None  # while asking (tests answer it)
        self.export_runner = TaskRunner(1, self)
        self.timer = QTimer(self, singleShot=True, interval=FOLLOW_DELAY_MS)
        self.timer.timeout.connect(self._follow)
        box = window.list_panel.search_box
        box.search_requested.connect(self.query_changed)
        box.cleared.connect(self.search_cleared)
        self.no_expand: frozenset[str] = frozenset()
        if hasattr(window.search, "expansions_changed"):
            window.search.expansions_changed.connect(self.expansions_changed)
        view = self.view
        view.open_requested.connect(self.open_passage)
        view.export_requested.connect(self.export)
        view.failed.connect(lambda line: window.statusBar().showMessage(line, 10000))
        view.close_requested.connect(lambda: self.set_visible(False))
        view.finished.connect(lambda _p, _a: window._maybe_idle())  # screenshots wait for it
        self.split.splitterMoved.connect(lambda _pos, _i: self._remember_sizes())

    @property
    def visible(self) -> bool:
        return not self.view.isHidden()

    # The window's state ------------------------------------------------------------------------
    def restore(self, data: dict) -> None:
        sizes = data.get("passages_split")
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(n, int) and not isinstance(n, bool) and 0 < n < 100_000 for n in sizes):
            self.sizes = sizes

    def save(self, data: dict) -> None:
        self._remember_sizes()
        if self.sizes:
            data["passages_split"] = list(self.sizes)

    def _remember_sizes(self) -> None:
        sizes = self.split.sizes()
        if self.visible and len(sizes) == 2 and min(sizes) > 0:
            self.sizes = sizes

    # Showing ---------------------------------------------------------------------------------
    def set_session(self, session) -> None:
        """A library opened: its index and library make the searches, on its search runner
        (the same worker as the library search, so the two never read the index at once)."""
        from reader.library.documents import pages_for
        from reader.search.passages import passages

        self.view.stop()
        self.target = None
        index, library = session.search_index, session.library
        self.view.runner = session.searches
        def factory(query: str, order: str):  # on the search worker, like the library search
            return passages(index, library, query, order=order, pages=pages_for, glossary=session.search_glossary(),
                            htag_paths=session.tag_resolver, no_expand=self.no_expand)

        self.view.search_factory = factory
        self.view.clear()
        if self.visible:
            self.query_changed(self.current_query())

    def current_query(self) -> str:
        return self.window.list_panel.search_box.text().strip()

    def toggle(self) -> None:
        self.set_visible(not self.visible)

    def set_visible(self, visible: bool) -> None:
        if visible == self.visible:
            self._check_action()
            return
        if not visible:
            self._remember_sizes()
            self.timer.stop()
            if self.view.busy:
                self.view.clear()  # unfinished: listed again when shown
            else:
                self.view.stop()
            self.view.hide()
            self.window.pane.setFocus()
        else:
            total = max(200, sum(self.split.sizes()) or self.split.height())
            self.view.show()
            if self.sizes:
                self.split.setSizes(self.sizes)
            else:
                below = round(total * FIRST_SHARE)
                self.split.setSizes([total - below, below])
            query = self.current_query()
            if query != self.view.query or not (self.view.busy or self.view.model.rowCount()):
                self.pending = query
                self._follow()
            self.view.tree.setFocus()
        self._check_action()

    def _check_action(self) -> None:
        action = getattr(self.window, "passages_action", None)
        if action is not None:
            action.setChecked(self.visible)

    # Following the search box ----------------------------------------------------------------
    def query_changed(self, query: str) -> None:
        if not self.visible:
            return
        query = query.strip()
        if query == self.view.query and (self.view.busy or self.view.model.rowCount()):
            return  # the same search (the index was updated, the language changed)
        self.view.stop()  # a long listing must not hold the search worker meanwhile
        self.pending = query
        self.timer.start()

    def search_cleared(self) -> None:
        self.timer.stop()
        self.pending = ""
        self.view.clear()

    def _follow(self) -> None:
        if self.visible:
            # The terms whose expansion chip was removed, as the library search has them.
            self.no_expand = frozenset(getattr(self.window.search, "no_expand", ()))
            self.view.search(self.pending)

    def expansions_changed(self) -> None:
        """A chip was removed: the same query lists other passages now."""
        if self.visible and self.current_query():
            self.view.stop()
            self.pending = self.current_query()
            self.timer.start()

    # Opening a passage ---------------------------------------------------------------------------
    def open_passage(self, path: str, start: int, end: int) -> None:
        """Open ``path`` (unless it is open) with ``[start, end)`` selected."""
        window = self.window
        if window.session is None or not path:
            return
        self.target = (path, start, end)
        current = window.current
        if current is not None and current.path == path and window.pane.built is not None:
            self.show_target(path)
        else:
            window.search.pending_marks = ""  # the selection is the mark; no scroll to the first hit
            window.open_path(path)

    def take_target(self, path: str) -> tuple[str, int, int] | None:
        """The passage waiting for ``path`` to show (forgotten once another article shows)."""
        target, self.target = self.target, None
        return target if target is not None and target[0] == path else None

    def show_target(self, path: str) -> bool:
        """Select the waiting passage of ``path`` in the pane; whether there was one."""
        target = self.take_target(path)
        if target is None:
            return False
        select_in_pane(self.window.pane, target[1], target[2])
        return True

    # Exporting -------------------------------------------------------------------------------
    def export(self, fmt: str) -> None:
        window = self.window
        articles = self.view.articles()
        if window.session is None or not any(a.passages for a in articles):
            window.statusBar().showMessage(tr("There are no passages to export."), 6000)
            return
        target = self.ask_save_path(fmt)
        if target is not None:
            self.export_to(fmt, articles, target)

    def suggested_name(self) -> str:
        from reader.ui.citation_actions import safe_file_name

        return safe_file_name(tr("Passages of {q}").replace("{q}", self.view.query or tr("the search")))

    def ask_save_path(self, fmt: str) -> Path | None:
        """The save dialog (it asks before replacing a file); None when cancelled."""
        suffix = EXPORT_SUFFIXES.get(fmt, ".txt")
        from reader.ui.dialogs import ask_save_path

        return ask_save_path(self, self.window, tr("Export the passages"), suffix,
                             getattr(self, "_last_folder", None) or self._export_folder(), self.suggested_name() + suffix)

    def _export_folder(self) -> Path:
        place = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(place) if place else Path.home()
        return folder if folder.is_dir() else Path.home()

    def export_to(self, fmt: str, articles: list, target: Path) -> None:
        """Write ``articles`` (the listed passages) to ``target`` (the save dialog confirmed
        replacing it) atomically, on a worker; a failure is one line naming the file."""
        from reader.exporting.passages_export import export_listed_passages
        from reader.output import write_output

        window = self.window
        session = window.session
        if session is None:
            return
        self._last_folder = target.parent
        citations = getattr(window, "citations", None)
        style = citations.current_style() if citations is not None else None
        user_styles = citations.user_dir if citations is not None else None
        library, data_dir, query = session.library, window.paths.root, self.view.query
        count = sum(len(a.passages or []) for a in articles)

        def job() -> tuple[str, int]:
            kwargs = {"query": query, "load": library.load, "user_styles": user_styles,
                      "title": tr("Passages of “{q}”").replace("{q}", query)}
            data = export_listed_passages(articles, fmt, style, **kwargs) if style is not None else export_listed_passages(articles, fmt, **kwargs)
            return str(write_output(target, data, data_dir, force=True)), count

        window.statusBar().showMessage(tr("Exporting to {file}…").replace("{file}", str(target)), 30000)
        self.export_runner.run(job, self._exported, lambda error: self._export_failed(target, error))

    def _exported(self, result: tuple[str, int]) -> None:
        path, count = result
        self.window.statusBar().showMessage(tr("{n} passages exported to {file}").replace("{n}", number_text(count)).replace("{file}", path), 10000)
        self.exported.emit(path, count)

    def _export_failed(self, target: Path, error: Exception) -> None:
        from reader import APP_NAME

        line = error_line(error)
        if str(target) not in line:
            line = f"{target}: {line}"
        text = tr("The passages were not exported:") + "\n" + line
        self.window.statusBar().showMessage(text.replace("\n", " "), 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self.window)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.export_failed.emit(line)
