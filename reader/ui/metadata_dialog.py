"""Library ▸ Edit article details…: an article's title, authors, date, tags, address and
publication (journal, volume, issue, pages).

The dialog asks, the window acts: OK checks the values (a date that is no date, a control
character is shown under the fields, nothing is sent) and emits ``save_requested(path,
changes)`` with only the fields that changed; the window saves them on the session's worker
and calls :meth:`MetadataDialog.saved` (the dialog closes) or :meth:`MetadataDialog.failed`
(the message is shown, every typed value stays).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reader.library.metadata_edits import MetadataProblem, clean_changes
from reader.ui.i18n import tr

#: Names are separated by 、 ， ; ； (not the ASCII comma: "Smith, John" is one name).
_AUTHOR_SPLIT = re.compile(r"[、，;；\n]+")
_TAG_SPLIT = re.compile(r"[,，、;；\n]+")
AUTHOR_SEPARATOR = "、"
TAG_SEPARATOR = ", "


def split_authors(text: str) -> list[str]:
    return [name.strip() for name in _AUTHOR_SPLIT.split(text) if name.strip()]


def split_tags(text: str) -> list[str]:
    return [tag.strip() for tag in _TAG_SPLIT.split(text) if tag.strip()]


def problem_text(problem: str) -> str:
    """A value's problem in the interface language (the core names it in English)."""
    if problem.startswith("the date"):
        return tr("The date must be YYYY, YYYY-MM or YYYY-MM-DD.")
    if problem.startswith("the title cannot"):
        return tr("The title cannot be empty.")
    if "control character" in problem:
        return tr("A field holds a control character: ") + problem
    if "longer than" in problem:
        return tr("A field is too long: ") + problem
    return problem


class MetadataDialog(QDialog):
    save_requested = Signal(str, dict)  # article path, the changed fields

    def __init__(self, path: str, values: dict, where: str, parent=None) -> None:
        super().__init__(parent)
        self.path = path
        self.values = dict(values)
        self.setWindowTitle(tr("Article details"))
        self.setAccessibleName(tr("Article details"))
        self.setMinimumWidth(520)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def line(key: str, label: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(self)
            edit.setAccessibleName(label)
            if placeholder:
                edit.setPlaceholderText(placeholder)
            self.fields[key] = edit
            return edit

        form.addRow(tr("Title:"), line("title", tr("Title")))
        form.addRow(tr("Authors:"), line("authors", tr("Authors"), tr("Names separated by 、 or ;")))
        form.addRow(tr("Date:"), line("date", tr("Date"), tr("YYYY, YYYY-MM or YYYY-MM-DD")))
        form.addRow(tr("Tags:"), line("tags", tr("Tags"), tr("Separated by commas")))
        form.addRow(tr("Address (URL):"), line("url", tr("Address (URL)"), "https://"))
        form.addRow(tr("Journal:"), line("journal", tr("Journal")))
        numbers = QWidget(self)
        row = QHBoxLayout(numbers)
        row.setContentsMargins(0, 0, 0, 0)
        for key, label, caption_text in (("volume", tr("Volume"), tr("Volume:")), ("issue", tr("Issue"), tr("Issue:")),
                                         ("pages", tr("Pages"), tr("Pages:"))):
            caption = QLabel(caption_text, numbers)
            edit = line(key, label)
            caption.setBuddy(edit)
            row.addWidget(caption)
            row.addWidget(edit, 1)
        self.fields["pages"].setPlaceholderText("45-60")
        form.addRow("", numbers)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.where.setObjectName("metadataWhere")
        self.where.setText(tr("Saved in the article's file (its front matter).") if where == "file"
                           else tr("This file is not changed: the details are kept in Reader's data folder and used in the list, citations and exports."))
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("metadataProblem")
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setAccessibleName(tr("Problem"))
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName(tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(tr("Cancel"))
        self.buttons.accepted.connect(self.request_save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.where)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        self._show(values)
        self.fields["title"].setFocus()

    def _show(self, values: dict) -> None:
        for key, edit in self.fields.items():
            value = values.get(key, "")
            if key == "authors":
                value = AUTHOR_SEPARATOR.join(value)
            elif key == "tags":
                value = TAG_SEPARATOR.join(value)
            edit.setText(str(value).replace("\n", " "))
            edit.setCursorPosition(0)

    def typed(self) -> dict:
        """Every field as typed (lists split)."""
        out: dict = {}
        for key, edit in self.fields.items():
            text = edit.text()
            out[key] = split_authors(text) if key == "authors" else split_tags(text) if key == "tags" else text.strip()
        return out

    def changes(self) -> dict:
        """Only the fields that differ from what the article had; raises MetadataProblem."""
        typed = clean_changes(self.typed())
        before = self.values
        out = {}
        for key, value in typed.items():
            old = before.get(key, [] if key in ("authors", "tags") else "")
            if key == "title":
                old = " ".join(str(old).split())
                if " ".join(value.split()) == old:
                    continue
            if value != old:
                out[key] = value
        return out

    def request_save(self) -> None:
        try:
            changes = self.changes()
        except MetadataProblem as exc:
            self.show_problem(problem_text(str(exc)))
            return
        if not changes:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.problem.hide()
        self.save_requested.emit(self.path, changes)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    # The owner's answers ----------------------------------------------------------------------
    def saved(self, notice: str = "") -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def failed(self, message: str) -> None:
        """Nothing was saved: say why; what was typed stays for another try."""
        self.buttons.setEnabled(True)
        self.show_problem(tr("Not saved: ") + message)
