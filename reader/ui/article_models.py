"""The article list: a model of catalog rows, a sort/filter proxy, and search results."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from reader.search.folding import fold, fold_chars

PathRole = Qt.ItemDataRole.UserRole + 1
DateRole = Qt.ItemDataRole.UserRole + 2
SubtitleRole = Qt.ItemDataRole.UserRole + 3
CountRole = Qt.ItemDataRole.UserRole + 4
ReadRole = Qt.ItemDataRole.UserRole + 5
TagsRole = Qt.ItemDataRole.UserRole + 6
ProblemsRole = Qt.ItemDataRole.UserRole + 7
LastReadRole = Qt.ItemDataRole.UserRole + 8
SnippetRole = Qt.ItemDataRole.UserRole + 9
SnippetExpectedRole = Qt.ItemDataRole.UserRole + 10  # has a snippet, or one is coming (row height)

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)  # 100,000 made at a window's start: slots make each quicker and smaller
class ArticleRow:
    path: str
    title: str
    date: str = ""
    tags: list[str] = field(default_factory=list)
    source: str = ""
    problems: list[str] = field(default_factory=list)
    highlights: int = 0
    last_read: int = 0
    snippet: str = ""
    snippet_pending: bool = False  # a hit whose snippet is made when the list shows it
    title_key: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        # Computed once: sorting compares these, not freshly folded titles. The per-character
        # folding (width, case, variants) is what ordering needs; the numbering pass besides
        # (第三條 as 第3條) cost 100,000 titles 0.55 s more at a window's start. Given when
        # many rows are made at once (fold_chars_many).
        if not self.title_key:
            self.title_key = fold_chars(self.title)

    @property
    def subtitle(self) -> str:
        return self.tags[0] if self.tags else self.source


def _date_key(row: ArticleRow) -> str:
    return row.date or "0000"


def _plain(snippet: str) -> str:
    """A snippet's text without its <mark> tags."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", snippet)) if snippet else ""


class _RowsModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ArticleRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([row.path, *row.problems])
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says of the row
            return row.title
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "; ".join(p for p in (row.date, row.subtitle, _plain(row.snippet)) if p)
        return {
            PathRole: row.path,
            DateRole: row.date,
            SubtitleRole: row.subtitle,
            CountRole: row.highlights,
            ReadRole: row.last_read > 0,
            TagsRole: list(row.tags),
            ProblemsRole: list(row.problems),
            LastReadRole: row.last_read,
            SnippetRole: row.snippet,
        }.get(role)

    def set_rows(self, rows: list[ArticleRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, path: str) -> int:
        for number, row in enumerate(self.rows):
            if row.path == path:
                return number
        return -1

    def update_row(self, path: str, **changes) -> None:
        number = self.row_of(path)
        if number < 0:
            return
        for key, value in changes.items():
            setattr(self.rows[number], key, value)
        index = self.index(number, 0)
        self.dataChanged.emit(index, index)


class ArticleListModel(_RowsModel):
    """Every article of the library, loaded from the catalog (no file is parsed).

    Rows are kept in the chosen order here, sorted by Python keys in one pass: a proxy sort
    would call back into Python for every comparison (seconds at 10,000 articles)."""

    SORTS = ("date", "title", "recent")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sort_mode = "date"

    def _order(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        # Two stable sorts, the tie-break first, instead of one on (key, tie-break) tuples:
        # the same order in a third of the time (100,000 rows: 0.11 s against 0.32 s).
        if self.sort_mode == "title":
            ordered = sorted(rows, key=attrgetter("path"))
            ordered.sort(key=attrgetter("title_key"))
        elif self.sort_mode == "recent":
            ordered = sorted(rows, key=attrgetter("title_key"))
            ordered.sort(key=attrgetter("last_read"), reverse=True)
        else:
            ordered = sorted(rows, key=attrgetter("title_key"), reverse=True)
            ordered.sort(key=_date_key, reverse=True)
        return ordered

    def set_rows(self, rows: list[ArticleRow]) -> None:
        super().set_rows(self._order(rows))

    def sort_by(self, mode: str) -> None:
        self.sort_mode = mode if mode in self.SORTS else "date"
        self.set_rows(self.rows)


class SearchResultsModel(_RowsModel):
    """Hits of one search, in rank order, each with its snippet. The search makes the first
    screen's snippets; a pending one is asked for (``snippets_wanted``, with the rows shown
    at the same time) when the list first shows its row, and :meth:`fill_snippets` brings it."""

    snippets_wanted = Signal(list)  # paths

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""
        self.total = 0
        self._wanted: list[str] = []
        self._asked: set[str] = set()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == SnippetExpectedRole:
            row = self.rows[index.row()] if index.isValid() and 0 <= index.row() < len(self.rows) else None
            return bool(row and (row.snippet or row.snippet_pending))
        if role == SnippetRole and index.isValid() and 0 <= index.row() < len(self.rows):
            row = self.rows[index.row()]
            if row.snippet_pending and row.path not in self._asked:
                self._asked.add(row.path)
                if not self._wanted:
                    QTimer.singleShot(0, self._ask)  # one request for the rows painted together
                self._wanted.append(row.path)
        return super().data(index, role)

    def set_rows(self, rows: list[ArticleRow]) -> None:
        self._wanted, self._asked = [], set()
        super().set_rows(rows)

    def _ask(self) -> None:
        wanted, self._wanted = self._wanted, []
        if wanted:
            self.snippets_wanted.emit(wanted)

    def forget_asked(self, paths: list[str]) -> None:
        """A request was not answered: those rows ask again the next time they are painted."""
        self._asked.difference_update(paths)

    def fill_snippets(self, query: str, snippets: dict[str, str]) -> None:
        """The snippets asked for, made for ``query`` (dropped if another search is shown)."""
        if query != self.query:
            return
        for number, row in enumerate(self.rows):
            if row.snippet_pending and row.path in snippets:
                row.snippet, row.snippet_pending = snippets[row.path], False
                index = self.index(number, 0)
                self.dataChanged.emit(index, index)


class ArticleFilterProxy(QSortFilterProxyModel):
    """Filtering by tag and by words in the title; the order is the source model's."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tag = ""
        self.text = ""

    def set_tag(self, tag: str) -> None:
        self._refilter(lambda: setattr(self, "tag", tag))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "text", fold(text.strip())))

    def _refilter(self, change) -> None:
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); support both.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.tag and not self.text:
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self.tag and self.tag not in (model.data(index, TagsRole) or []):
            return False
        return not (self.text and self.text not in fold(model.data(index, Qt.ItemDataRole.DisplayRole) or ""))
