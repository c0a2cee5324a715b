"""File ▸ Export annotations…: what to export (scope, colours, tags), in which format and
citation style. The dialog only asks; :class:`reader.ui.citation_actions.CitationActions`
asks for the file and writes it through the same functions as ``reader annotations export``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.exporting.entries import select
from reader.ui.annotations_panel import color_icon
from reader.ui.i18n import tr

CURRENT, CHOSEN, LIBRARY = "current", "chosen", "library"
FORMAT_KEYS = ("markdown", "docx", "csv", "json")


def format_names() -> dict[str, str]:
    return {
        "markdown": tr("Markdown (.md)"),
        "docx": tr("Word (.docx), citations as footnotes"),
        "csv": tr("CSV (.csv), one row per annotation"),
        "json": tr("W3C Web Annotation JSON (.json)"),
    }


@dataclass
class ExportChoice:
    scope: str  # current | chosen | library
    articles: list[str] | None  # the article paths (None: the whole library)
    colors: list[str] | None  # colour keys to keep (None: every colour)
    tags: list[str] | None  # keep annotations with one of these tags (None: no tag filter)
    fmt: str
    style: str  # a style key (not used by JSON)


class ExportDialog(QDialog):
    """``articles``: (path, title) of the library; ``current``: the open article's path or
    ""; ``colors``: (key, name shown, CSS colour); ``tags``: tag -> how many carry it;
    ``styles``: (key, name shown); ``items``: the library's annotations (to count)."""

    def __init__(self, parent: QWidget | None, *, articles: list[tuple[str, str]], current: str,
                 colors: list[tuple[str, str, str]], tags: dict[str, int], styles: list[tuple[str, str]],
                 style: str, items: list, color_names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Export annotations"))
        self.setAccessibleName(tr("Export annotations"))
        self.current = current
        self.items = items
        self.color_names = color_names or {key: name for key, name, _css in colors}
        layout = QVBoxLayout(self)

        scope_box = QGroupBox(tr("Annotations of"), self)
        scope_column = QVBoxLayout(scope_box)
        self.scope_current = QRadioButton(tr("The open article"), scope_box)
        self.scope_chosen = QRadioButton(tr("The articles checked below"), scope_box)
        self.scope_library = QRadioButton(tr("The whole library"), scope_box)
        self.scope_group = QButtonGroup(self)
        for button, key in ((self.scope_current, CURRENT), (self.scope_chosen, CHOSEN), (self.scope_library, LIBRARY)):
            button.setProperty("scope", key)
            button.setAccessibleName(button.text())
            self.scope_group.addButton(button)
            scope_column.addWidget(button)
        self.scope_current.setEnabled(bool(current))
        (self.scope_current if current else self.scope_library).setChecked(True)
        self.article_filter = QLineEdit(scope_box)
        self.article_filter.setPlaceholderText(tr("Filter the articles"))
        self.article_filter.setAccessibleName(tr("Filter the articles"))
        self.article_filter.setClearButtonEnabled(True)
        self.article_list = QListWidget(scope_box)
        self.article_list.setAccessibleName(tr("Articles to export"))
        self.article_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.article_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for path, title in articles:
            item = QListWidgetItem(title or path, self.article_list)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title or path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if path == current else Qt.CheckState.Unchecked)
        scope_column.addWidget(self.article_filter)
        scope_column.addWidget(self.article_list, 1)
        layout.addWidget(scope_box, 1)

        filters = QHBoxLayout()
        color_box = QGroupBox(tr("Colours"), self)
        color_column = QVBoxLayout(color_box)
        self.color_list = QListWidget(color_box)
        self.color_list.setAccessibleName(tr("Colours to export"))
        for key, name, css in colors:
            item = QListWidgetItem(color_icon(css), name, self.color_list)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.color_list.setMaximumHeight(150)
        color_column.addWidget(self.color_list)
        color_column.addStretch(1)
        filters.addWidget(color_box)
        tag_box = QGroupBox(tr("Tags"), self)
        tag_column = QVBoxLayout(tag_box)
        tag_hint = QLabel(tr("Only annotations with a checked tag (none checked: all)"), tag_box)
        tag_hint.setWordWrap(True)
        tag_column.addWidget(tag_hint)
        self.tag_list = QListWidget(tag_box)
        self.tag_list.setAccessibleName(tr("Tags to export"))
        for tag, count in sorted(tags.items(), key=lambda pair: (-pair[1], pair[0])):
            item = QListWidgetItem(tr("{tag} ({n})").replace("{tag}", tag).replace("{n}", f"{count:,}"), self.tag_list)
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.tag_list.setMaximumHeight(150)
        tag_column.addWidget(self.tag_list)
        tag_column.addStretch(1)
        filters.addWidget(tag_box)
        layout.addLayout(filters)

        form = QFormLayout()
        self.format_box = QComboBox(self)
        self.format_box.setAccessibleName(tr("Format"))
        for key, name in format_names().items():
            self.format_box.addItem(name, key)
        form.addRow(tr("Format:"), self.format_box)
        self.style_box = QComboBox(self)
        self.style_box.setAccessibleName(tr("Citation style"))
        for key, name in styles:
            self.style_box.addItem(name, key)
        at = self.style_box.findData(style)
        self.style_box.setCurrentIndex(max(0, at))
        form.addRow(tr("Citation style:"), self.style_box)
        layout.addLayout(form)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(tr("Annotations to export"))
        layout.addWidget(self.count_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("Export…"))
        self.ok_button.setAccessibleName(tr("Export…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.scope_group.buttonToggled.connect(lambda _b, _on: self._update())
        self.article_filter.textChanged.connect(self._filter_articles)
        for widget in (self.article_list, self.color_list, self.tag_list):
            widget.itemChanged.connect(lambda _item: self._update())
        self.format_box.currentIndexChanged.connect(lambda _i: self._update())
        self.resize(560, 620)
        self._update()

    # What was chosen ---------------------------------------------------------------------------
    @property
    def scope(self) -> str:
        button = self.scope_group.checkedButton()
        return button.property("scope") if button is not None else LIBRARY

    def _checked(self, widget: QListWidget) -> list[str]:
        return [widget.item(r).data(Qt.ItemDataRole.UserRole) for r in range(widget.count())
                if widget.item(r).checkState() == Qt.CheckState.Checked]

    def choice(self) -> ExportChoice:
        scope = self.scope
        articles = None
        if scope == CURRENT:
            articles = [self.current]
        elif scope == CHOSEN:
            articles = self._checked(self.article_list)
        colors = self._checked(self.color_list)
        all_colors = len(colors) == self.color_list.count()
        tags = self._checked(self.tag_list)
        return ExportChoice(scope, articles, None if all_colors else colors, tags or None,
                            self.format_box.currentData(), self.style_box.currentData() or "")

    def chosen_items(self) -> list:
        """The annotations the choice keeps (to count; the export filters them again)."""
        made = self.choice()
        items = self.items
        if made.articles is not None:
            wanted = set(made.articles)
            items = [i for i in items if i.article in wanted]
        return select(items, self.color_names, only_colors=made.colors, only_tags=made.tags)

    # Keeping the dialog consistent -----------------------------------------------------------
    def _filter_articles(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.article_list.count()):
            item = self.article_list.item(row)
            shown = not needle or needle in item.text().casefold() or needle in str(item.data(Qt.ItemDataRole.UserRole)).casefold()
            item.setHidden(not shown)

    def _update(self) -> None:
        chosen = self.scope == CHOSEN
        self.article_list.setEnabled(chosen)
        self.article_filter.setEnabled(chosen)
        self.style_box.setEnabled(self.format_box.currentData() != "json")
        count = len(self.chosen_items())
        if count == 1:
            text = tr("1 annotation will be exported.")
        else:
            text = tr("{n} annotations will be exported.").replace("{n}", f"{count:,}")
        if self.choice().colors == []:
            text = tr("No colour is checked.")
        elif count == 0:
            text = tr("No annotations match; change the articles, colours or tags.")
        self.count_label.setText(text)
        self.ok_button.setEnabled(count > 0)
