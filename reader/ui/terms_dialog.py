"""Library ▸ Terms…: the bilingual term pairs learned from the library's glosses.

The glossary is built on the session's search thread (it reads the index); the user's
decisions go to ``terms.json`` in the data folder through
:func:`reader.legal.glossary.save_decisions` (temp file + ``os.replace``). After each
decision ``terms_changed`` is emitted: searches should use a glossary built again
(:func:`reader.search.expansion.index_glossary`). A damaged terms.json is said in one line
and decisions are disabled (saving would replace the user's file).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from reader.legal.glossary import (
    DECISIONS_FILE,
    TermEdit,
    load_decisions,
    load_edits,
    save_decisions,
)
from reader.ui.i18n import tr
from reader.ui.workers import error_line

COLUMNS = ("zh", "en", "abbr", "articles", "confidence", "status")


class TermsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pairs: list = []

    def set_pairs(self, pairs: list) -> None:
        self.beginResetModel()
        self.pairs = list(pairs)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.pairs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            return None
        pair = self.pairs[index.row()]
        column = COLUMNS[index.column()]
        if column == "confidence":
            return f"{pair.confidence:.2f}"
        if column == "articles":
            return str(pair.articles)
        if column == "status":
            return status_text(pair.status) + ("" if pair.usable else " " + tr("(not used)"))
        return getattr(pair, column) or ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return [tr("Chinese"), tr("English"), tr("Abbreviation"), tr("Articles"), tr("Confidence"), tr("Status")][section]
        return None


def status_text(status: str) -> str:
    return {"learned": tr("learned"), "confirmed": tr("confirmed"), "rejected": tr("rejected")}.get(status, status)


def other_of(pair) -> str:
    return pair.en or pair.abbr or ""


class EditTermDialog(QDialog):
    def __init__(self, pair, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Edit term"))
        form = QFormLayout(self)
        self.zh = QLineEdit(pair.zh, self)
        self.en = QLineEdit(pair.en or "", self)
        self.abbr = QLineEdit(pair.abbr or "", self)
        for widget, name in ((self.zh, tr("Chinese")), (self.en, tr("English")), (self.abbr, tr("Abbreviation"))):
            widget.setAccessibleName(name)
            form.addRow(name, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class TermsDialog(QDialog):
    terms_changed = Signal()  # a decision was saved: searches need the glossary built again

    def __init__(self, session, paths, parent=None) -> None:
        super().__init__(parent)
        self.session, self.path = session, paths.root / DECISIONS_FILE
        self.setWindowTitle(tr("Terms"))
        self.resize(900, 520)
        self.model = TermsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(tr("Filter terms"))
        self.filter.setAccessibleName(tr("Filter terms"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(tr("Term pairs"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Terms status"))
        self.confirm_button = QPushButton(tr("Confirm"), self)
        self.edit_button = QPushButton(tr("Edit…"), self)
        self.reject_button = QPushButton(tr("Reject"), self)
        close = QPushButton(tr("Close"), self)
        row = QHBoxLayout()
        for button in (self.confirm_button, self.edit_button, self.reject_button):
            button.setAccessibleName(button.text().rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        close.setAccessibleName(tr("Close"))
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.confirm_button.clicked.connect(lambda: self.decide("confirmed"))
        self.reject_button.clicked.connect(lambda: self.decide("rejected"))
        self.edit_button.clicked.connect(self.edit)
        close.clicked.connect(self.close)
        self.damaged = ""
        self._set_buttons(False)
        self.reload()

    def _set_buttons(self, on: bool) -> None:
        for button in (self.confirm_button, self.edit_button, self.reject_button):
            button.setEnabled(on and not self.damaged)

    # Loading (on the session's search thread: it reads the index) -------------------------
    def reload(self) -> None:
        from reader.errors import ReaderError
        from reader.search.expansion import index_glossary

        index, root = self.session.search_index, self.path.parent
        self.status.setText(tr("Reading the library's terms…"))

        def job():
            try:
                return index_glossary(index, root, with_laws=False), ""
            except ReaderError as exc:  # a damaged terms.json: the learned pairs without it
                return index_glossary(index, None, with_laws=False), error_line(exc)

        self.session.searches.run(job, self._loaded, lambda error: self.status.setText(tr("Terms could not be read: ") + error_line(error)))

    def _loaded(self, result) -> None:
        glossary, problem = result
        self.damaged = problem
        pairs = [p for p in glossary.pairs if p.status in ("learned", "confirmed", "rejected")]
        self.model.set_pairs(pairs)
        self.table.resizeColumnsToContents()
        if problem:
            self.status.setText(problem + " — " + tr("fix or remove the file to make decisions."))
        elif not pairs:
            self.status.setText(tr("No term pairs: the library's articles gloss no terms (中文（English）)."))
        else:
            self.status.setText(tr("Only confirmed pairs and pairs of high confidence widen searches."))
        self._set_buttons(bool(pairs))

    # Decisions ---------------------------------------------------------------------------
    def selected_pair(self):
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.pairs[self.proxy.mapToSource(index).row()]

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def _save(self, change) -> bool:
        try:
            confirmed, rejected = load_decisions(self.path)
            edited = load_edits(self.path)
            confirmed, rejected, edited = change(confirmed, rejected, edited)
            save_decisions(self.path, confirmed, rejected, edited)
        except Exception as exc:  # noqa: BLE001 — one line, never a traceback
            self.status.setText(tr("The decision was not saved: ") + error_line(exc))
            return False
        self.terms_changed.emit()
        self.reload()
        return True

    def decide(self, status: str) -> bool:
        pair = self.selected_pair()
        if pair is None or self.damaged:
            return False
        key = (pair.zh, other_of(pair))

        def change(confirmed, rejected, edited):
            nonlocal key
            first = {(e.zh, e.en or e.abbr or ""): e for e in edited}.get(key)
            if first is not None:  # an edited pair is decided under the pair as first learned
                key = (first.old_zh, first.old_other)
            confirmed = [p for p in confirmed if p != key]
            rejected = [p for p in rejected if p != key]
            (confirmed if status == "confirmed" else rejected).append(key)
            return confirmed, rejected, edited

        return self._save(change)

    def edit(self) -> bool:
        pair = self.selected_pair()
        if pair is None or self.damaged:
            return False
        dialog = EditTermDialog(pair, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.apply_edit(pair, dialog.zh.text(), dialog.en.text(), dialog.abbr.text())

    def apply_edit(self, pair, zh: str, en: str, abbr: str) -> bool:
        zh, en, abbr = zh.strip(), en.strip(), abbr.strip()
        if not zh or not (en or abbr):
            self.status.setText(tr("A term needs its Chinese and its English or abbreviation."))
            return False
        def change(confirmed, rejected, edited):
            # An edited pair is shown with its new values: its edit names the pair as first learned.
            first = {(e.zh, e.en or e.abbr or ""): e for e in edited}.get((pair.zh, other_of(pair)))
            old_zh, old_other = (first.old_zh, first.old_other) if first else (pair.zh, other_of(pair))
            new = TermEdit(old_zh, old_other, zh, en or None, abbr or None)
            edited = [e for e in edited if (e.old_zh, e.old_other) != (old_zh, old_other)] + [new]
            rejected = [p for p in rejected if p != (old_zh, old_other)]
            return confirmed, rejected, edited

        return self._save(change)
