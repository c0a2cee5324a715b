"""The open library behind the window: catalog, index, annotations, and background work.

Widgets never do this work; they call the session and listen to its signals. Jobs run on
worker threads with their own catalog connection and index searcher, and hand back plain
results on the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.annotations.service import follow_library, has_gone_libraries
from reader.annotations.store import AnnotationStore
from reader.library.catalog import ListRow
from reader.library.library import Library
from reader.library.model import Article
from reader.paths import DataPaths
from reader.render.article import RenderedArticle, render_article
from reader.search.index import SearchIndex
from reader.search.indexing_process import index_in_process, index_library, throttled
from reader.search.searching import SearchResult, search
from reader.ui.article_document import ArticleDocument, DocumentStyle, build_document
from reader.ui.article_models import ArticleRow
from reader.ui.article_parts import split_parts
from reader.ui.i18n import tr
from reader.ui.ui_state import ReadingState
from reader.ui.workers import TaskRunner

SEARCH_LIMIT = 300
PROCESS_INDEX_MIN = 50  # articles to index before it is worth starting a process
EAGER_BUILD_CHARS = 50_000  # restyling a document this small on the UI thread takes a few ms


@dataclass
class OpenedArticle:
    path: str
    article: Article
    rendered: RenderedArticle
    content_hash: str
    document: ArticleDocument  # built on the loader thread, handed to the UI thread
    highlights: list | None = None  # re-attached to this text on the loader thread
    anchors_saved: bool = False  # the loader saved new anchors: the window is told once


class LibrarySession(QObject):
    catalog_changed = Signal(object)  # list of ArticleRow, built off the UI thread
    index_progress = Signal(int, int)
    index_finished = Signal(str)  # message ("" when nothing to say)
    search_finished = Signal(int, object)  # generation, SearchResult
    article_loaded = Signal(object)  # OpenedArticle
    annotations_changed = Signal(str)  # article path
    message = Signal(str)

    def __init__(self, paths: DataPaths, library: Library, parent=None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.library = library
        self.root = library.key
        self.catalog = library.catalog()
        self.store = AnnotationStore.open(paths)
        self.store.listeners.append(lambda lib, article: self.annotations_changed.emit(article) if lib == self.root else None)
        self.reading = ReadingState(paths.library_state(library.root) / "reading.json")
        self.entries: dict[str, ArticleRow] = {}
        self.background = TaskRunner(1, self)  # catalog and index, in order
        self.searches = TaskRunner(1, self)
        self.loader = TaskRunner(1, self)
        self.search_index = SearchIndex(library.index_dir)  # read on the search thread only
        self.cancel_indexing = threading.Event()
        self.indexing = False
        self.search_generation = 0
        self.problems: list[tuple[str, str]] = []

    def startup_messages(self) -> list[str]:
        return list(self.store.messages)

    # Catalog -------------------------------------------------------------------------------
    def rows(self, listed: list[ListRow] | None = None) -> list[ArticleRow]:
        """Rows for the list; ``listed`` comes from a worker's catalog after a rescan."""
        return self.finish_rows(_make_rows(self.catalog.list_rows() if listed is None else listed))

    def finish_rows(self, rows: list[ArticleRow]) -> list[ArticleRow]:
        """Add what lives on the UI thread (highlight counts, read marks): cheap."""
        self.entries = {r.path: r for r in rows}
        counts = self.store.counts(self.root)
        read = self.reading.data.get("read", {})
        for row in rows:
            row.highlights = counts.get(row.path, 0)
            row.last_read = int(read.get(row.path, 0))
        return rows

    def tags(self) -> list[str]:
        return sorted({t for r in self.entries.values() for t in r.tags})

    def refresh(self, only: set[str] | None = None, index: bool = True) -> None:
        """Rescan the folder (or some files) in the background, then update the index."""
        library, _paths = self.library, self.paths
        moved_library = has_gone_libraries(self.store, library) and only is None

        def job():
            catalog = library.catalog()
            try:
                report = catalog.rescan(only=only)
                wanted = report.removed or moved_library
                present = {e.article.path: e.content_hash for e in catalog.entries()} if wanted else {}
                rows = _make_rows(catalog.list_rows()) if report.touched else None
                return report, present, rows
            finally:
                catalog.close()

        def done(result) -> None:
            report, present, rows = result
            self.problems = report.problems
            if present and not self.store.read_only:
                adopted = self.store.adopt_moved_library(self.root, present)
                if adopted:
                    self.message.emit(tr("This library was moved or renamed: its annotations were re-attached."))
                if adopted or follow_library(self.store, self.library, present):
                    if not adopted:
                        self.message.emit(tr("Annotations of renamed articles were kept."))
                    rows = None
            if rows is not None or not self.entries:
                self.catalog_changed.emit(self.finish_rows(rows) if rows is not None else self.rows())
            if index:
                self.update_index(batch=len(report.added) + len(report.changed))

        self.background.run(job, done, lambda error: self.message.emit(tr("Scanning failed: ") + error.splitlines()[0]))

    # Index ---------------------------------------------------------------------------------
    def update_index(self, rebuild: bool = False, batch: int = 0) -> None:
        """Bring the index up to date; ``batch``: how many articles the rescan found new or
        changed. Large batches are indexed in a separate process (see indexing_process)."""
        if self.indexing:
            return
        self.indexing = True
        self.cancel_indexing.clear()
        library, cancel, paths, root = self.library, self.cancel_indexing, self.paths, self.root
        in_process = rebuild or batch >= PROCESS_INDEX_MIN

        progress = throttled(self.index_progress.emit)  # queued to the UI thread

        def job():
            notes = _notes_for_index(paths, root)  # its own connection, off the UI thread
            if in_process:
                outcome, reason = index_in_process(library, notes, rebuild, progress, cancel)
            else:
                outcome, reason = index_library(library, notes, False, progress, cancel)
            if outcome == "cancelled":
                return tr("Indexing cancelled; search shows what was indexed so far.")
            if outcome == "busy":
                return tr("Another Reader is indexing this library; search uses the last finished index.")
            return reason

        def done(message: str) -> None:
            self.indexing = False
            self.index_finished.emit(message or "")

        def failed(error: str) -> None:
            self.indexing = False
            self.index_finished.emit(tr("Indexing failed: ") + error.splitlines()[0])

        self.background.run(job, done, failed)

    # Search --------------------------------------------------------------------------------
    def search(self, query: str) -> int:
        self.search_generation += 1
        generation = self.search_generation
        index = self.search_index

        def job():
            if generation != self.search_generation:
                return None  # a newer query was typed: skip the work
            return search(index, query, limit=SEARCH_LIMIT)

        def done(result: SearchResult | None) -> None:
            if result is not None and generation == self.search_generation:
                self.search_finished.emit(generation, result)

        self.searches.run(job, done, lambda error: self.message.emit(tr("Search failed: ") + error.splitlines()[0]))
        return generation

    # Articles ------------------------------------------------------------------------------
    def open_article(self, path: str, style: DocumentStyle) -> None:
        library, paths, root = self.library, self.paths, self.root

        def job():
            article, content_hash = library.load_with_hash(path)
            rendered = render_article(article)
            highlights, saved = _reanchored(paths, root, path, rendered.text, content_hash)
            article.body = ""  # rendered now; a large article's source need not stay in memory
            parts = split_parts(rendered)
            if parts:
                rendered.body_html = ""  # the parts hold it, piece by piece
            document = build_document(article, rendered, style, library.root, library.file_path(path).parent, parts)
            return OpenedArticle(path, article, rendered, content_hash, document, highlights, saved)

        self.loader.run(job, self.article_loaded.emit, lambda error: self.message.emit(f"{path}: " + error.splitlines()[0]))

    def restyle(self, opened: OpenedArticle, style: DocumentStyle, done: Callable[[OpenedArticle], None], part: int | None = None) -> None:
        """Build ``opened``'s document again in another style (theme, zoom) or for another of
        its parts; small articles at once, large ones on the loader thread."""
        library = self.library
        part = opened.document.part if part is None else part

        def job() -> OpenedArticle:
            built = opened.document
            document = build_document(opened.article, opened.rendered, style, library.root, library.file_path(opened.path).parent, built.parts, part)
            return replace(opened, document=document)

        if len(opened.rendered.text) <= EAGER_BUILD_CHARS and not opened.document.parts:
            done(job())
        else:
            self.loader.run(job, done, lambda error: self.message.emit(f"{opened.path}: " + error.splitlines()[0]))

    def highlights_for(self, opened: OpenedArticle):
        """The article's highlights on its current text: those the loader re-attached, the
        first time (then the window hears once that anchors were saved), else the store's."""
        if opened.highlights is not None:
            items, opened.highlights = opened.highlights, None
            if opened.anchors_saved:
                opened.anchors_saved = False
                self.store._changed(self.root, opened.path)
            return items
        return self.store.update_anchors(self.root, opened.path, opened.rendered.text, opened.content_hash)

    def close(self) -> None:
        self.cancel_indexing.set()
        for runner in (self.searches, self.loader, self.background):
            runner.stop()  # a job finishing after this must not reach the closed catalog and store
        self.searches.wait(3000)
        self.loader.wait(3000)
        self.background.wait(10000)
        self.search_index.close()
        self.reading.save()
        self.catalog.close()
        self.store.close()

    def library_annotations(self):
        titles = {p: (r.title, r.tags) for p, r in self.entries.items()}
        out = []
        for item in self.store.all(self.root):
            found = titles.get(item.article)
            title, tags = found if found is not None else (Path(item.article).stem, [])
            out.append((item, title, tags))
        return out


def _reanchored(paths: DataPaths, root: str, path: str, text: str, content_hash: str) -> tuple[list | None, bool]:
    """(highlights re-attached to ``text``, whether new anchors were saved), on the loader
    thread with a connection of its own; (None, False) leaves it to the UI thread's store."""
    store = AnnotationStore.for_worker(paths)
    if store is None:
        return None, False
    try:
        items = store.update_anchors(root, path, text, content_hash)
        return items, store.anchors_written > 0
    except Exception:  # noqa: BLE001 — the UI thread's store tries again and reports
        return None, False
    finally:
        store.close()


def _notes_for_index(paths: DataPaths, root: str) -> dict[str, str]:
    """Quotes and notes per article for the index's ``note:`` field, read on a worker with a
    connection of its own (at 100,000 highlights this takes a fifth of a second)."""
    from reader.errors import ReaderError

    try:
        store = AnnotationStore.open_for_reading(paths)
    except ReaderError:
        return {}
    if store is None:
        return {}
    try:
        return store.search_texts(root)
    finally:
        store.close()


def _make_rows(listed: list[ListRow]) -> list[ArticleRow]:
    """The list's rows (folding every title for sorting is the costly part: run off the UI)."""
    return [ArticleRow(path=r.path, title=r.title, date=r.date, tags=r.tags, source=r.source, problems=r.problems) for r in listed]
