"""The References panel: what the open article cites, grouped law → provisions, with counts.

:class:`ReferenceTreeModel` is a real tree model (laws, interpretations, judgments,
decisions and instruments at the top, in the order the article first cites them; a law's
provisions below it). :class:`ReferencesPanel` shows it and asks (signals);
:class:`ReferencesController` acts: steps the pane's selection through a node's
occurrences, answers the pane's tooltips, follows ``ref:`` links, and asks for the library
search "every article citing this".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from reader.ui.i18n import tr
from reader.ui.reference_links import ArticleReferences, describe, ref_number

KeyRole = Qt.ItemDataRole.UserRole + 1
CountRole = Qt.ItemDataRole.UserRole + 2


@dataclass
class RefNode:
    key: str
    label: str
    kind: str
    occurrences: list[int] = field(default_factory=list)  # reference numbers, in reading order
    children: list[RefNode] = field(default_factory=list)
    parent: RefNode | None = None
    query: str = ""  # the library search for "every article citing this"
    pcode: str = ""  # a statute's law (its page: Show the law)
    article: str = ""  # a provision's article key

    def row(self) -> int:
        siblings = self.parent.children if self.parent is not None else []
        return siblings.index(self) if self.parent is not None else 0


def provision_key(ref) -> tuple:
    return (ref.pcode, ref.article, ref.paragraph, ref.item, ref.subitem)


def build_nodes(refs: list) -> list[RefNode]:
    """Top-level nodes (with their provisions) for ``refs``, in the order first cited."""
    tops: dict[str, RefNode] = {}
    provisions: dict[tuple, RefNode] = {}
    for number, ref in enumerate(refs):
        key = ref.key or ref.label
        top = tops.get(key)
        if top is None:
            label = (ref.law or ref.pcode or ref.label) if ref.kind in ("statute", "instrument") else ref.label
            query = f"law:{ref.law or ref.pcode}" if ref.kind in ("statute", "instrument") and (ref.law or ref.pcode) else f'"{ref.text}"'
            pcode = (ref.pcode or "") if ref.kind == "statute" else ""
            top = tops[key] = RefNode(key, label, ref.kind, query=query, pcode=pcode)
        top.occurrences.append(number)
        if ref.kind in ("statute", "instrument") and ref.article:
            pkey = provision_key(ref)
            child = provisions.get(pkey)
            if child is None:
                query = f"{top.query} art:{ref.article}"
                if ref.paragraph and ref.paragraph.isdigit():
                    query += f" para:{ref.paragraph}"
                    if ref.item:
                        query += f" item:{ref.item}"
                child = provisions[pkey] = RefNode(f"{key}|{pkey}", ref.label, ref.kind, parent=top, query=query,
                                                   pcode=top.pcode, article=ref.article or "")
                top.children.append(child)
            child.occurrences.append(number)
    return list(tops.values())


class ReferenceTreeModel(QAbstractItemModel):
    """Column 0: what is cited; column 1: how many times."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.nodes: list[RefNode] = []

    def set_refs(self, refs: list) -> None:
        self.beginResetModel()
        self.nodes = build_nodes(refs)
        self.endResetModel()

    def node(self, index: QModelIndex) -> RefNode | None:
        return index.internalPointer() if index.isValid() else None

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 (Qt's signature)
        if column < 0 or column > 1 or row < 0:
            return QModelIndex()
        siblings = self.nodes if not parent.isValid() else self.node(parent).children
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        return self.createIndex(row, column, siblings[row]) if row < len(siblings) else QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(self.nodes.index(node.parent), 0, node.parent)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        if not parent.isValid():
            return len(self.nodes)
        if parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 2

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label if index.column() == 0 else str(len(node.occurrences))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return node.label
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{node.label}, {len(node.occurrences)}"
        if role == KeyRole:
            return node.key
        if role == CountRole:
            return len(node.occurrences)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 2:
            return tr("Cited") if section == 0 else tr("Times")
        return None

    def find(self, key: str) -> QModelIndex:
        for row, top in enumerate(self.nodes):
            if top.key == key:
                return self.index(row, 0)
            for child_row, child in enumerate(top.children):
                if child.key == key:
                    return self.index(child_row, 0, self.index(row, 0))
        return QModelIndex()

    def node_of_reference(self, number: int) -> QModelIndex:
        """The most precise node holding reference ``number`` (its provision, else its top)."""
        for row, top in enumerate(self.nodes):
            if number in top.occurrences:
                for child_row, child in enumerate(top.children):
                    if number in child.occurrences:
                        return self.index(child_row, 0, self.index(row, 0))
                return self.index(row, 0)
        return QModelIndex()


class ReferenceTree(QTreeView):
    step_requested = Signal(QModelIndex)  # a click or Enter on a node

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.step_requested.emit(self.currentIndex().siblingAtColumn(0))
            return
        super().keyPressEvent(event)


class ReferencesPanel(QWidget):
    """The References tab. Asks: ``step_requested(index)``, ``find_citing_requested(query)``."""

    step_requested = Signal(QModelIndex)
    find_citing_requested = Signal(str)
    law_requested = Signal(str, str, str)  # pcode, the law's name, the article to show ("" for none)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("References"))
        self.model = ReferenceTreeModel(self)
        self.view = ReferenceTree(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("References cited in this article"))
        self.view.setUniformRowHeights(True)
        self.view.header().setAccessibleName(tr("References columns"))
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, self.view.header().ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, self.view.header().ResizeMode.ResizeToContents)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("References summary"))
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(tr("The cited provision"))
        self.find_button = QPushButton(tr("Find every article citing this"), self)
        self.find_button.setAccessibleName(tr("Find every article citing this"))
        self.find_button.setEnabled(False)
        self.law_button = QPushButton(tr("Show the law"), self)
        self.law_button.setAccessibleName(tr("Show the law: its provisions and the articles citing each"))
        self.law_button.setToolTip(tr("Show the law: its provisions and the articles citing each"))
        self.law_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        buttons.addWidget(self.find_button, 1)
        buttons.addWidget(self.law_button)
        layout.addLayout(buttons)
        self.view.clicked.connect(lambda index: self.step_requested.emit(index.siblingAtColumn(0)))
        self.view.step_requested.connect(self.step_requested)
        self.view.selectionModel().currentChanged.connect(lambda current, _old: self._sync_buttons())
        self.find_button.clicked.connect(self._find_citing)
        self.law_button.clicked.connect(self._show_law)
        self.show_refs([])

    def show_refs(self, refs: list) -> None:
        self.model.set_refs(refs)
        self.view.expandAll()
        self.detail.clear()
        self.find_button.setEnabled(False)
        self.law_button.setEnabled(False)
        self.summary.setText(tr("{n} references").replace("{n}", str(len(refs))) if refs else tr("This article cites no laws or decisions."))

    def current_node(self) -> RefNode | None:
        return self.model.node(self.view.currentIndex())

    def _sync_buttons(self) -> None:
        node = self.current_node()
        self.find_button.setEnabled(node is not None)
        self.law_button.setEnabled(node is not None and bool(node.pcode))

    def _show_law(self) -> None:
        node = self.current_node()
        if node is not None and node.pcode:
            top = node.parent or node
            self.law_requested.emit(node.pcode, top.label, node.article)

    def _find_citing(self) -> None:
        node = self.current_node()
        if node is not None and node.query:
            self.find_citing_requested.emit(node.query)


class ReferencesController(QObject):
    """Acts for the References panel and the pane's reference links (see the module doc)."""

    message = Signal(str, int)  # status bar: text, milliseconds
    search_requested = Signal(str)  # the library search to run (the window puts it in the box)

    def __init__(self, panel: ReferencesPanel, pane, parent=None) -> None:
        super().__init__(parent)
        self.panel, self.pane = panel, pane
        self.info = ArticleReferences()
        self._steps: dict[str, int] = {}  # node key -> the occurrence selected last
        panel.step_requested.connect(self.step)
        panel.find_citing_requested.connect(self.search_requested)
        pane.reference_tooltip = self.tooltip

    def show_article(self, opened) -> None:
        info = getattr(opened, "references", None)
        self.info = info if isinstance(info, ArticleReferences) else ArticleReferences()
        self._steps.clear()
        self.panel.show_refs(self.info.refs)
        if self.info.problem:
            self.message.emit(self.info.problem, 8000)

    def tooltip(self, href: str) -> str:
        number = ref_number(href)
        if number is None or not 0 <= number < len(self.info.refs):
            return ""
        return describe(self.info.refs[number], self.info)

    def step(self, index: QModelIndex) -> None:
        """Select the node's next occurrence in the pane (wrapping)."""
        node = self.panel.model.node(index)
        if node is None or not node.occurrences:
            return
        at = (self._steps.get(node.key, -1) + 1) % len(node.occurrences)
        self._show(node, at)

    def follow(self, href: str) -> None:
        """A ``ref:N`` link was clicked: its node in the panel, its provision shown."""
        number = ref_number(href)
        if number is None or not 0 <= number < len(self.info.refs):
            return
        index = self.panel.model.node_of_reference(number)
        node = self.panel.model.node(index)
        if node is None:
            return
        self.panel.view.setCurrentIndex(index)
        self._show(node, node.occurrences.index(number))

    def _show(self, node: RefNode, at: int) -> None:
        self._steps[node.key] = at
        number = node.occurrences[at]
        ref = self.info.refs[number]
        index = self.panel.model.find(node.key)
        if index.isValid() and self.panel.view.currentIndex() != index:
            self.panel.view.setCurrentIndex(index)
        self.panel.detail.setText(describe(ref, self.info, limit=None))
        self.select_plain(ref.start, ref.end)
        self.message.emit(tr("Occurrence {n} / {total}").replace("{n}", str(at + 1)).replace("{total}", str(len(node.occurrences))), 5000)

    def select_plain(self, start: int, end: int) -> None:
        pane = self.pane
        if pane.mapping is None:
            return
        if not pane._shows(start):
            pane.show_part(pane.built.parts.number_at(start), lambda: self.select_plain(start, end))
            return

        def select() -> None:
            qs, qe = pane.mapping.plain_range_to_qt(start, end)
            cursor = QTextCursor(pane.document())
            cursor.setPosition(qs)
            cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
            pane.setTextCursor(cursor)
            pane.ensureCursorVisible()

        pane.when_settled(select)
