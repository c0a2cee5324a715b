"""What the window does with highlights and notes: the annotations panel and the pane ask,
these methods change the store and show the result. Mixed into :class:`MainWindow`."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QToolButton

from reader import APP_NAME
from reader.annotations.selectors import describe
from reader.annotations.service import highlight_ranges
from reader.errors import ReaderError
from reader.ui.annotations_panel import color_icon
from reader.ui.i18n import color_label, tr
from reader.ui.session import OpenedArticle


class AnnotationActions:
    def colors_renamed(self) -> None:
        """The highlight colours, named in the interface language (see :func:`color_label`)."""
        colors = [type(c)(c.key, color_label(c.name), c.color) for c in self.session.store.colors()]
        self.annotations.set_colors(colors)
        self.pane.colors = [(c.key, c.name, c.color) for c in colors]
        self._build_highlight_actions()
        if self.current is not None:
            self.refresh_annotations()
        self.refresh_library_annotations()

    def _build_highlight_actions(self) -> None:
        self.toolbar.clear()
        self.highlight_menu.clear()
        label = QLabel(" " + tr("Highlight") + ": ", self.toolbar)
        self.toolbar.addWidget(label)
        for number, (key, name, css) in enumerate(self.pane.colors):
            action = QAction(color_icon(css), name, self)
            action.setToolTip(tr("Highlight the selection") + f" ({name})" + (" — H" if number == 0 else ""))
            action.triggered.connect(lambda _c=False, k=key: self.highlight_selection(k))
            button = QToolButton(self.toolbar)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.toolbar.addWidget(button)
            self.highlight_menu.addAction(action)

    def refresh_library_annotations(self, force: bool = False) -> None:
        """The "All annotations" view, filled when it is shown (at 100,000 annotations reading
        them all takes a second: not on every change while nobody looks)."""
        if self.session is None:
            return
        if force or self.annotations.tabs.currentIndex() == 1:
            self.library_annotations_stale = False
            self.annotations.set_library_items(self.session.library_annotations())
        else:
            self.library_annotations_stale = True

    def annotations_tab_changed(self, index: int) -> None:
        if index == 1 and getattr(self, "library_annotations_stale", True):
            self.refresh_library_annotations(force=True)

    def refresh_annotations(self, keep: str = "") -> None:
        if self.current is None:
            self.annotations.show_annotations([], "")
            return
        self.refreshing_annotations = True  # the store's change notice of re-anchoring: no second refresh
        try:
            items = self.session.highlights_for(self.current)
        finally:
            self.refreshing_annotations = False
        ranges = [(s, e, self.annotations.color_css(a.color), a.note) for s, e, a in highlight_ranges(self.current.rendered, items)]
        self.pane.set_highlights(ranges)
        note = self.session.store.article_note(self.session.root, self.current.path)
        self.annotations.show_annotations(items, note.note if note else "", keep)

    def annotations_changed(self, article: str) -> None:
        self.notes_index_timer.start()
        count = self.session.store.counts(self.session.root).get(article, 0)
        self.library_model.update_row(article, highlights=count)
        self.results_model.update_row(article, highlights=count)
        if self.current is not None and article == self.current.path and not getattr(self, "refreshing_annotations", False):
            current = self.annotations.current()
            self.refresh_annotations(keep=current.id if current else "")
        self.refresh_library_annotations()

    def store_call(self, method, *args):
        """Change the annotations; on failure (disk full, read-only folder) say so and keep
        what the user typed in its editor, to be saved with the next change."""
        try:
            result = method(*args)
        except KeyError:
            message = tr("This annotation was deleted in another window or by an import.")
            self.statusBar().showMessage(message, 15000)
            return None
        except (sqlite3.Error, ReaderError) as exc:
            message = tr("Could not be saved: ") + str(exc)
            self.statusBar().showMessage(message, 15000)
            self.annotations.show_save_error(message)
            return None
        self.annotations.clear_save_error()
        return result

    def highlight_selection(self, color: str) -> None:
        selection = self.pane.selection_range()
        if selection is None or self.current is None:
            self.statusBar().showMessage(tr("Select text in the article first."), 4000)
            return
        quote, position = describe(self.current.rendered.text, *selection)
        if not self._writable():
            return
        item = self.store_call(self.session.store.add_highlight, self.session.root, self.current.path, quote, position, color, "", self.current.content_hash)
        if item is not None:
            self.refresh_annotations(keep=item.id)

    def _writable(self) -> bool:
        if self.session.store.read_only:
            reason = self.session.store.read_only_reason or tr("Annotations are read-only (written by a newer Reader).")
            QMessageBox.warning(self, APP_NAME, reason)
            return False
        return True

    def delete_annotation(self, annotation_id: str) -> None:
        removed = self.store_call(self.session.store.delete, self.session.root, annotation_id)
        if removed is not None:
            self.undo_stack.append(removed)
            self.statusBar().showMessage(tr("Highlight deleted. Ctrl+Z to undo."), 6000)

    def undo_delete(self) -> None:
        if self.undo_stack and self.session is not None:
            item = self.undo_stack.pop()
            if self.store_call(self.session.store.put, item) is None and self.session.store.get(item.library, item.id) is None:
                self.undo_stack.append(item)

    def reattach_annotation(self, annotation_id: str) -> None:
        selection = self.pane.selection_range()
        if selection is None or self.current is None:
            self.statusBar().showMessage(tr("Select the text to attach it to, then press the button."), 6000)
            return
        quote, position = describe(self.current.rendered.text, *selection)
        self.store_call(self.session.store.reattach, self.session.root, annotation_id, quote, position, self.current.content_hash)

    def save_note(self, annotation_id: str, text: str) -> None:
        # The store tells the panel about the change before set_note returns: the draft must
        # be gone by then, or the panel would show it instead of what was saved.
        self.annotations.drafts.pop(annotation_id, None)
        if self.store_call(self.session.store.set_note, self.session.root, annotation_id, text) is None:
            self.annotations.drafts[annotation_id] = text  # kept until a save succeeds

    def save_article_note(self, text: str) -> None:
        if self.current is not None and self.session is not None:
            self.store_call(self.session.store.set_article_note, self.session.root, self.current.path, text)

    def scroll_to_annotation(self, annotation_id: str) -> None:
        item = self.session.store.get(self.session.root, annotation_id)
        if item is not None and item.position is not None and not item.orphan:
            self.pane.scroll_to_plain(item.position.start)

    def open_annotation(self, article: str, annotation_id: str) -> None:
        if self.current is not None and self.current.path == article:
            self.scroll_to_annotation(annotation_id)
            return
        def once(opened: OpenedArticle) -> None:
            self.session.article_loaded.disconnect(once)
            if opened.path == article:
                self.scroll_to_annotation(annotation_id)
        self.session.article_loaded.connect(once)
        self.open_path(article)
