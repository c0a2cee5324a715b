"""What the window does with highlights and notes.

The annotations panel and the reading pane ask (signals); the :class:`AnnotationController`
changes the store, keeps the deletes to undo, and shows the result. Every operation writes
once and is then shown once: the store's change notices that arrive while an operation runs
are gathered and handled when it ends (one refresh of this article's cards and marks, one
``changed`` signal per article), and the "All annotations" view is read again only while it
is shown, after a short pause.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from reader import APP_NAME
from reader.annotations.selectors import describe
from reader.annotations.service import highlight_ranges
from reader.annotations.store import Annotation, Color
from reader.errors import ReaderError
from reader.locator import Locator
from reader.ui.annotations_panel import ARTICLE_NOTE, AnnotationsPanel
from reader.ui.i18n import color_label, tr
from reader.ui.session import LibrarySession, OpenedArticle

LIBRARY_DELAY_MS = 300  # "All annotations" is read again after changes pause this long
_FAILED = object()


@dataclass(frozen=True)
class TagsChange:
    """An entry of the undo stack besides deleted highlights: the tags a highlight had."""

    annotation_id: str
    tags: tuple[str, ...]


def undo_key_text() -> str:
    """The Undo shortcut as the user types it (Ctrl+Z; ⌘Z on a Mac)."""
    return QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)


def undo_is_local(widget: QWidget) -> bool:
    """Whether ``widget`` (a text input) has typing of its own that Ctrl+Z would undo."""
    if isinstance(widget, QLineEdit):
        return widget.isUndoAvailable()
    document = getattr(widget, "document", None)
    read_only = getattr(widget, "isReadOnly", lambda: True)()
    return bool(document is not None and not read_only and document().isUndoAvailable())


class UndoPassThrough(QObject):
    """Installed on text inputs: Ctrl+Z undoes their own typing while there is some, and
    otherwise reaches the window's Undo action (a text input takes the key for itself even
    when it has nothing to undo)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and event.matches(QKeySequence.StandardKey.Undo)
                and isinstance(watched, QWidget) and not undo_is_local(watched)):
            event.ignore()  # not taken here: the shortcut runs
            return True
        return False


class AnnotationController(QObject):
    changed = Signal(str)  # an article's annotations changed (once per operation and article)
    refreshed = Signal()  # this article's cards and marks were shown again
    colors_changed = Signal()  # the colours or their names changed (menus, toolbar)
    message = Signal(str, int)  # for the status bar: text, milliseconds
    article_wanted = Signal(str)  # open this article (an annotation of it was chosen)

    def __init__(self, panel: AnnotationsPanel, pane, parent: QWidget) -> None:
        super().__init__(parent)
        self.panel, self.pane, self.window = panel, pane, parent
        self.session: LibrarySession | None = None
        self.article: OpenedArticle | None = None
        self.undo_stack: list[Annotation | TagsChange] = []  # deleted highlights, tags changed
        self._locator: tuple[object, Locator] | None = None  # (rendered article, its locator)
        self._depth = 0  # operations running
        self._pending: set[str] = set()  # articles changed during them
        self._refreshing = False
        self._library_stale = True
        self._scroll_after: tuple[str, str] | None = None  # (article, id) to show once opened
        self.library_timer = QTimer(self)
        self.library_timer.setSingleShot(True)
        self.library_timer.setInterval(LIBRARY_DELAY_MS)
        self.library_timer.timeout.connect(self.refresh_library)
        panel.open_requested.connect(self.scroll_to)
        panel.note_edited.connect(self.save_note)
        panel.color_change_requested.connect(self.set_color)
        panel.tags_change_requested.connect(self.set_tags)
        panel.delete_requested.connect(self.delete)
        panel.reattach_requested.connect(self.reattach)
        panel.article_note_edited.connect(self.save_article_note)
        panel.library_item_activated.connect(self.open_annotation)
        panel.library_shown.connect(self._library_shown)
        pane.highlight_requested.connect(self.highlight)

    # The library and the article ---------------------------------------------------------------
    def set_session(self, session: LibrarySession) -> None:
        """A library was opened: its store, its colours; nothing to undo yet."""
        self.panel.flush()
        self.session = session
        self.article = None
        self.undo_stack.clear()
        self._pending.clear()
        self._scroll_after = None
        session.annotations_changed.connect(self._store_changed)
        self.load_colors()
        self.panel.show_annotations([], "")
        self.library_changed()

    def show_article(self, opened: OpenedArticle) -> None:
        """An article (or the same one built again) is shown: its cards and marks."""
        if self.article is None or self.article.path != opened.path:
            self.panel.forget_drafts()
        self.article = opened
        current = self.panel.current()
        self.refresh(keep=current.id if current else "")
        wanted, self._scroll_after = self._scroll_after, None
        if wanted is not None and wanted[0] == opened.path and wanted[1]:
            self.scroll_to(wanted[1])

    def locator(self) -> Locator | None:
        """Where in the open article a highlight is (made once per rendered text)."""
        if self.article is None:
            return None
        rendered = self.article.rendered
        if self._locator is None or self._locator[0] is not rendered:
            self._locator = (rendered, Locator.for_rendered(rendered))
        return self._locator[1]

    def refresh(self, keep: str = "") -> None:
        """Show this article's highlights again: the cards (``keep`` selected) and the marks."""
        session, article = self.session, self.article
        if session is None or article is None:
            self.panel.show_annotations([], "")
            return
        self._refreshing = True  # re-anchoring's own change notice is not a second change
        try:
            items = session.highlights_for(article)
        finally:
            self._refreshing = False
        css = self.panel.color_css
        self.pane.set_highlights([(s, e, css(a.color), a.note) for s, e, a in highlight_ranges(article.rendered, items)])
        note = session.store.article_note(session.root, article.path)
        self.panel.set_tag_words(session.store.all_tags(session.root))
        self.panel.show_annotations(items, note.note if note else "", keep, self.locator())
        self.refreshed.emit()

    def library_changed(self) -> None:
        """The annotations or the articles' titles changed: "All annotations" is read again
        when it is shown (at 100,000 annotations that takes a moment: not while hidden)."""
        if self.panel.library_visible():
            self.library_timer.start()
        else:
            self._library_stale = True

    def refresh_library(self) -> None:
        self.library_timer.stop()
        if self.session is None:
            return
        self._library_stale = False
        self.panel.set_library_items(self.session.library_annotations())

    def _library_shown(self) -> None:
        if self._library_stale or self.library_timer.isActive():
            self.refresh_library()

    # Change notices ------------------------------------------------------------------------------
    def _store_changed(self, article: str) -> None:
        if self._refreshing and self.article is not None and article == self.article.path:
            self.library_changed()  # new anchors saved: positions in "All annotations"
            return
        if self._depth:
            self._pending.add(article)
            return
        self._apply({article})

    def _apply(self, articles: set[str], keep: str = "") -> None:
        for article in sorted(articles):
            self.changed.emit(article)
        if self.article is not None and self.article.path in articles:
            if not keep:
                current = self.panel.current()
                keep = current.id if current else ""
            self.refresh(keep)
        self.library_changed()

    def _write(self, method: Callable, *args, keep: str | Callable[[object], str] = "") -> object:
        """Run one store change; its notices are handled once it is done (``keep``: the id to
        select then, or a function of the result giving it). Returns the result, or _FAILED."""
        self._depth += 1
        try:
            result = self._call(method, *args)
        finally:
            self._depth -= 1
        if self._depth == 0 and self._pending:
            pending, self._pending = self._pending, set()
            selected = keep(result) if callable(keep) else keep
            self._apply(pending, selected if result is not _FAILED else "")
        return result

    def _call(self, method: Callable, *args) -> object:
        """Change the annotations; on failure (disk full, read-only folder) say so, and the
        panel keeps what the user typed, to be saved with the next change."""
        try:
            result = method(*args)
        except KeyError:
            self.message.emit(tr("This annotation was deleted in another window or by an import."), 15000)
            return _FAILED
        except (sqlite3.Error, ReaderError) as exc:
            message = tr("Could not be saved: ") + str(exc)
            self.message.emit(message, 15000)
            self.panel.show_error(message)
            return _FAILED
        self.panel.clear_error()
        return result

    def _writable(self) -> bool:
        store = self.session.store
        if store.read_only:
            reason = store.read_only_reason or tr("Annotations are read-only (written by a newer Reader).")
            QMessageBox.warning(self.window, APP_NAME, reason)
            return False
        return True

    # Operations ----------------------------------------------------------------------------------
    def highlight(self, color: str) -> Annotation | None:
        """Highlight the pane's selection in ``color`` (a colour key)."""
        selection = self.pane.selection_range()
        if selection is None or self.article is None or self.session is None:
            self.message.emit(tr("Select text in the article first."), 4000)
            return None
        quote, position = describe(self.article.rendered.text, *selection)
        if not self._writable():
            return None
        session, article = self.session, self.article
        item = self._write(session.store.add_highlight, session.root, article.path, quote, position, color, "",
                           article.content_hash, keep=lambda r: r.id if isinstance(r, Annotation) else "")
        return item if isinstance(item, Annotation) else None

    def delete(self, annotation_id: str) -> None:
        if self.session is None:
            return
        neighbour = self.panel.neighbour_of(annotation_id)  # selected next, for the keyboard
        removed = self._write(self.session.store.delete, self.session.root, annotation_id, keep=neighbour)
        if isinstance(removed, Annotation):
            self.undo_stack.append(removed)
            self.message.emit(tr("Highlight deleted — {key} to undo").replace("{key}", undo_key_text()), 10000)

    def undo(self) -> None:
        """Bring back the highlight deleted last."""
        if not self.undo_stack or self.session is None:
            self.message.emit(tr("Nothing to undo."), 3000)
            return
        item = self.undo_stack.pop()
        if isinstance(item, TagsChange):
            if self.session.store.get(self.session.root, item.annotation_id) is None:
                # Deleted elsewhere: this step is dropped, the next Ctrl+Z goes on to older ones.
                self.message.emit(tr("This annotation was deleted in another window or by an import."), 8000)
                return
            if self._write(self.session.store.set_tags, self.session.root, item.annotation_id, list(item.tags),
                           keep=item.annotation_id) is _FAILED:
                self.undo_stack.append(item)
                return
            self.message.emit(tr("Tags restored."), 4000)
            return
        if self._write(self.session.store.put, item, keep=item.id) is _FAILED:
            self.undo_stack.append(item)
            return
        self.message.emit(tr("Highlight restored."), 4000)

    def set_tags(self, annotation_id: str, tags: list[str]) -> None:
        """Replace a highlight's tags (one store operation; Ctrl+Z gives the old ones back)."""
        if self.session is None or not self._writable():
            return
        before = self.session.store.get(self.session.root, annotation_id)
        if before is None:
            self.message.emit(tr("This annotation was deleted in another window or by an import."), 15000)
            return
        result = self._write(self.session.store.set_tags, self.session.root, annotation_id, list(tags), keep=annotation_id)
        if isinstance(result, Annotation) and tuple(result.tags) != tuple(before.tags):
            self.undo_stack.append(TagsChange(annotation_id, tuple(before.tags)))
            self.message.emit(tr("Tags saved — {key} to undo").replace("{key}", undo_key_text()), 8000)

    def set_color(self, annotation_id: str, key: str) -> None:
        if self.session is not None:
            self._write(self.session.store.set_color, self.session.root, annotation_id, key, keep=annotation_id)

    def reattach(self, annotation_id: str) -> None:
        selection = self.pane.selection_range()
        if selection is None or self.article is None or self.session is None:
            self.message.emit(tr("Select the text to attach it to, then press the button."), 6000)
            return
        quote, position = describe(self.article.rendered.text, *selection)
        self._write(self.session.store.reattach, self.session.root, annotation_id, quote, position,
                    self.article.content_hash, keep=annotation_id)

    def save_note(self, annotation_id: str, text: str) -> None:
        if self.session is None:
            return
        self.panel.note_saved(annotation_id)  # before the refresh shows what was saved
        if self._write(self.session.store.set_note, self.session.root, annotation_id, text) is _FAILED:
            self.panel.save_failed(annotation_id, text)

    def save_article_note(self, text: str) -> None:
        if self.session is None or self.article is None:
            return
        self.panel.note_saved(ARTICLE_NOTE)
        if self._write(self.session.store.set_article_note, self.session.root, self.article.path, text) is _FAILED:
            self.panel.save_failed(ARTICLE_NOTE, text)

    def scroll_to(self, annotation_id: str) -> None:
        if self.session is None:
            return
        item = self.session.store.get(self.session.root, annotation_id)
        if item is not None and item.position is not None and not item.orphan:
            self.pane.scroll_to_plain(item.position.start)

    def open_annotation(self, article: str, annotation_id: str) -> None:
        """Show an annotation of any article (opened first when it is another)."""
        if self.article is not None and self.article.path == article:
            if annotation_id:
                self.scroll_to(annotation_id)
            return
        self._scroll_after = (article, annotation_id)
        self.article_wanted.emit(article)

    # Colours -------------------------------------------------------------------------------------
    def load_colors(self) -> None:
        """The highlight colours, named in the interface language (see :func:`color_label`)."""
        if self.session is None:
            return
        colors = [Color(c.key, color_label(c.name), c.color) for c in self.session.store.colors()]
        self.panel.set_colors(colors)
        self.pane.colors = [(c.key, c.name, c.color) for c in colors]
        self.colors_changed.emit()
        if self.article is not None:
            self.refresh()
        self.library_changed()

    def rename_colors(self, names: list[tuple[str, str]]) -> None:
        """(colour key, new name) pairs from Preferences."""
        if self.session is None or not names:
            return
        for key, name in names:
            self._call(self.session.store.rename_color, key, name)
        self.load_colors()
