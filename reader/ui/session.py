"""The open library behind the window: catalog, index, annotations, and background work.

Widgets never do this work; they call the session's intent methods (``refresh``,
``import_files``, ``search``, ``clear_search``, ``cancel_indexing``, ...) and listen to its
signals. Jobs run on worker threads with their own catalog connection and index searcher,
and hand back plain results on the UI thread: folder walks, imports, document extraction
(with ``extraction_progress``), indexing and searches never run on the UI thread. A failed
job is told in one line (:func:`reader.ui.workers.error_line`), never as a traceback.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reader.annotations.service import follow_library
from reader.annotations.store import AnnotationStore
from reader.library.catalog import ListRow
from reader.library.library import Library, folder_of_key
from reader.library.model import Article
from reader.memory import building_many
from reader.paths import DataPaths
from reader.render.article import RenderedArticle, render_article
from reader.search.folding import fold_chars_many
from reader.search.index import SearchIndex
from reader.search.indexing_process import index_in_process, index_library, throttled
from reader.search.searching import SearchResult, search, snippets_for, window_search
from reader.ui.article_document import ArticleDocument, DocumentStyle, build_document
from reader.ui.article_models import ArticleRow
from reader.ui.article_parts import split_parts
from reader.ui.i18n import tr
from reader.ui.ui_state import ReadingState
from reader.ui.workers import TaskRunner, error_line

PROCESS_INDEX_MIN = 50  # articles to index before it is worth starting a process
#: Bytes of new or changed files that go to the indexing process even when they are few: one
#: long document (a 300-page PDF) indexed on a thread holds the interpreter long enough to
#: stall the window (measured 89-112 ms after a 306-page PDF).
PROCESS_INDEX_BYTES = 256_000
EXTRACTION_PROGRESS_EVERY_S = 0.2
WATCHED_FOLDERS = 2000  # a watcher per folder costs a descriptor: enough for real libraries
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
    references: object = None  # reference_links.ArticleReferences, found on the loader thread


class LibrarySession(QObject):
    catalog_changed = Signal(object)  # list of ArticleRow, built off the UI thread
    index_progress = Signal(int, int)
    index_finished = Signal(str)  # message ("" when nothing to say)
    search_finished = Signal(int, object)  # generation, SearchResult
    article_loaded = Signal(object)  # OpenedArticle
    annotations_changed = Signal(str)  # article path
    message = Signal(str)
    # Documents (PDF, Word, EPUB, saved pages) read during a rescan: (documents done,
    # documents to read, the library-relative path being read). The last report has done ==
    # total; extraction_finished follows with what to tell the user ("" when nothing).
    extraction_progress = Signal(int, int, str)
    # The pages of the document being read: (its library-relative path, pages finished, its
    # pages). A scanned page is finished once Tesseract has recognised it, so a scan's OCR
    # is followed page by page; reported at most a few times a second, and always its last.
    extraction_page_progress = Signal(str, int, int)
    extraction_finished = Signal(str)
    import_finished = Signal(object)  # ImportReport of import_files(), on the UI thread
    import_failed = Signal(str)  # one line: the library folder could not be written
    folders_listed = Signal(object)  # list[str]: the library's folders, for a file watcher
    search_counts_finished = Signal(object)  # {query: total} of count_searches() (saved searches)
    snippets_found = Signal(str, object)  # query, {path: snippet} of snippets()
    snippets_dropped = Signal(object)  # the paths of a snippets() request not answered

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
        self._stop_indexing = threading.Event()
        self._stop_extraction = threading.Event()
        self.indexing = False
        self.extracting = False  # a rescan is reading documents (set by its first progress)
        self.extraction_paused = False  # cancelled by the reader: scans read no documents
        self.search_generation = 0
        self._search_answered = 0  # the generation last answered (see search_busy)
        self.problems: list[tuple[str, str]] = []
        self.extraction_progress.connect(self._extraction_started)
        self._init_search_helpers()

    def startup_messages(self) -> list[str]:
        return list(self.store.messages)

    # Intents -------------------------------------------------------------------------------
    def cancel_indexing(self) -> None:
        """Stop the long work under way: reading documents (what was read is kept) and
        indexing (search shows what was indexed so far). The automatic scans that follow
        read no documents until :meth:`resume_extraction` (or the library is opened again):
        a cancel that came back by itself a few seconds later would be none."""
        self.cancel_extraction()
        self._stop_indexing.set()

    def cancel_extraction(self) -> None:
        """Stop reading documents only (and pause it, as above, when a scan is under way);
        indexing goes on."""
        if self.extracting or self.background.busy:
            self.extraction_paused = True
        self._stop_extraction.set()

    def clear_search(self) -> None:
        """The search was cleared: results of searches still running are dropped."""
        self.search_generation += 1
        self._search_answered = self.search_generation  # nothing is awaited now

    @property
    def search_busy(self) -> bool:
        """Whether the latest search typed is still to be answered (recounts of saved
        searches and snippets asked for do not count)."""
        return self._search_answered != self.search_generation

    @property
    def busy(self) -> bool:
        """Whether any background work (scan, extraction, import, index, search, loading an
        article) is under way or queued."""
        return bool(self.indexing or self.background.busy or self.searches.busy or self.loader.busy)

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
        """Rescan the folder (or some files) in the background, then update the index.
        Documents are read (extracted) in that job too, reporting extraction_progress; the
        folder walk and every file system check run on the worker, never on the UI thread."""
        library, root = self.library, self.root
        others = self.store.libraries() if only is None else []  # a query: the stat calls run below
        need_rows = not self.entries
        stop = self._stop_extraction
        paused = self.extraction_paused
        if not paused:
            stop.clear()  # paused: it stays set, and this scan reads no document
        last = [0.0]
        last_page = [0.0]

        def progress(step) -> None:  # on the worker; queued to the UI thread, a few times a second
            now = time.monotonic()
            if step.pages_total:
                if step.pages_done == step.pages_total or now - last_page[0] >= EXTRACTION_PROGRESS_EVERY_S:
                    last_page[0] = now
                    self.extraction_page_progress.emit(step.path, step.pages_done, step.pages_total)
                return
            if step.documents_done in (0, step.documents_total) or now - last[0] >= EXTRACTION_PROGRESS_EVERY_S:
                last[0] = now
                self.extraction_progress.emit(step.documents_done, step.documents_total, step.path)

        def job():
            moved_library = any(lib != root and not folder_of_key(lib).is_dir() for lib in others)
            catalog = library.catalog()
            try:
                report = catalog.rescan(only=only, progress=progress, cancel=stop)
                wanted = report.removed or moved_library
                present = {e.article.path: e.content_hash for e in catalog.entries()} if wanted else {}
                rows = _make_rows(catalog.list_rows()) if report.touched or need_rows else None
                return report, present, rows, index_weight(catalog, report)
            finally:
                catalog.close()

        def done(result) -> None:
            report, present, rows, weight = result
            self.problems = report.problems
            self._extraction_ended(report.cancelled and not paused)
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
            # cancel_indexing() during the scan stopped it all: no index job starts after it.
            if index and not (report.cancelled and self._stop_indexing.is_set()):
                self.update_index(batch=weight)

        def failed(error: Exception) -> None:
            self._extraction_ended(False)
            self.message.emit(tr("Scanning failed: ") + error_line(error))

        self.background.run(job, done, failed)

    def _extraction_started(self, _done: int = 0, _total: int = 0, _path: str = "") -> None:
        self.extracting = True

    def resume_extraction(self) -> None:
        """The reader asks for an update (Library ▸ Update index): documents left unread by
        a cancel are read now, and by the automatic scans again."""
        self.extraction_paused = False
        self.refresh()

    def _extraction_ended(self, cancelled: bool) -> None:
        was = self.extracting
        self.extracting = False
        if cancelled:
            self.extraction_finished.emit(tr("Reading documents cancelled; Library ▸ Update index reads the rest."))
        elif was:
            self.extraction_finished.emit("")

    def list_folders(self) -> None:
        """Walk the library folder on the worker; folders_listed(paths) follows: the folder
        and its subfolders (hidden ones left out, at most WATCHED_FOLDERS), for a watcher."""
        root = self.library.root
        self.background.run(lambda: library_folders(root), self.folders_listed.emit,
                            lambda error: self.message.emit(tr("Scanning failed: ") + error_line(error)))

    def import_files(self, files: list[Path], root: Path | None = None) -> None:
        """Import ``files`` into ``root`` (this library's folder unless given) on the worker,
        in order with scans; import_finished(ImportReport) follows, or import_failed(line)
        when the folder cannot be made. The caller refreshes (and opens what was imported)."""
        from reader.library.importing import record_path, run_import

        target = self.library.root if root is None else root
        record = record_path(self.paths, target)
        sources = list(files)
        self.background.run(lambda: run_import(sources, target, record=record), self.import_finished.emit,
                            lambda error: self.import_failed.emit(error_line(error)))

    # Index ---------------------------------------------------------------------------------
    def update_index(self, rebuild: bool = False, batch: int = 0) -> None:
        """Bring the index up to date; ``batch``: how many articles the rescan found new or
        changed. Large batches are indexed in a separate process (see indexing_process)."""
        if self.indexing:
            return
        self.indexing = True
        self._stop_indexing.clear()
        library, cancel, paths, root = self.library, self._stop_indexing, self.paths, self.root
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

        def failed(error: Exception) -> None:
            self.indexing = False
            self.index_finished.emit(tr("Indexing failed: ") + error_line(error))

        self.background.run(job, done, failed)

    # Search --------------------------------------------------------------------------------
    def _init_search_helpers(self) -> None:
        """Glossary expansion and ``htag:`` for the window's search (issues 13, 14). The
        glossary is built on the search thread, once per finished index; the tag resolver
        is made again whenever annotations change, so tags added in this session are found."""
        from reader.annotations.tag_search import tag_resolver

        self._index_epoch = 0  # counts finished indexings: the glossary cache's key
        self._glossary_cache: tuple[int, object] | None = None  # (epoch, Glossary), search thread only
        self._make_resolver = lambda: tag_resolver(self.paths, self.root)
        self._tag_resolver = self._make_resolver()

        def index_done(_message: str) -> None:
            self._index_epoch += 1

        def annotations_done(_path: str) -> None:
            self._tag_resolver = self._make_resolver()  # read again, on the search thread

        self.index_finished.connect(index_done)
        self.annotations_changed.connect(annotations_done)

    def _search_glossary(self, epoch: int):
        """The glossary for the index as of ``epoch`` (on the search thread); a damaged
        decisions file leaves the learned terms; a failure means no expansion, not no search."""
        from reader.errors import ReaderError
        from reader.search.expansion import search_glossary

        cached = self._glossary_cache
        if cached is not None and cached[0] == epoch:
            return cached[1]
        try:
            try:
                glossary = search_glossary(self.search_index, self.paths.root)
            except ReaderError:
                glossary = search_glossary(self.search_index, None)
        except Exception:  # an index without glosses yet, or unreadable: search as typed
            glossary = None
        self._glossary_cache = (epoch, glossary)
        return glossary

    def glossary_changed(self) -> None:
        """The user confirmed, edited or rejected a term pair: the next search builds the
        glossary again (on the search thread)."""
        self._index_epoch += 1

    def search_glossary(self):
        """The glossary the window's searches expand with (call on the search thread)."""
        return self._search_glossary(self._index_epoch)

    @property
    def tag_resolver(self):
        """``htag:`` answers for the window's searches (tags added in this session too)."""
        return self._tag_resolver

    def count_searches(self, queries: list[str]) -> None:
        """Count each query's matching articles on the search thread (saved searches);
        ``search_counts_finished({query: total})`` follows (None for a query not searched).
        A newer call or a search typed meanwhile stops it: the queries not counted are left
        out of the dict (the caller asks again later)."""
        wanted = [q for q in dict.fromkeys(queries) if q.strip()]
        if not wanted:
            return
        index, epoch, resolver = self.search_index, self._index_epoch, self._tag_resolver
        self._count_generation = getattr(self, "_count_generation", 0) + 1
        generation, typed = self._count_generation, self.search_generation

        def job():
            glossary = self._search_glossary(epoch)
            counts: dict[str, int | None] = {}
            for query in wanted:
                if generation != self._count_generation or typed != self.search_generation:
                    break  # a newer recount, or a search typed meanwhile: it goes first
                result = search(index, query, limit=1, with_snippets=False, glossary=glossary, htag_paths=resolver)
                counts[query] = None if result.rejected else result.total
            return counts

        self.searches.run(job, self.search_counts_finished.emit,
                          lambda error: self.message.emit(tr("Search failed: ") + error_line(error)))

    def search(self, query: str, no_expand: frozenset[str] = frozenset()) -> int:
        """Search ``query`` on the search thread (glossed terms expanded, except those in
        ``no_expand``); ``search_finished`` follows unless a newer search or a clear came first."""
        self.search_generation += 1
        generation = self.search_generation
        index = self.search_index
        epoch, resolver, skip = self._index_epoch, self._tag_resolver, frozenset(no_expand)

        def job():
            if generation != self.search_generation:
                return None  # a newer query was typed: skip the work
            glossary = self._search_glossary(epoch)
            return window_search(index, query, glossary=glossary, htag_paths=resolver, no_expand=skip)

        def done(result: SearchResult | None) -> None:
            if generation == self.search_generation:
                self._search_answered = generation
                if result is not None:
                    self.search_finished.emit(generation, result)

        def failed(error: Exception) -> None:
            if generation == self.search_generation:
                self._search_answered = generation
            self.message.emit(tr("Search failed: ") + error_line(error))

        self.searches.run(job, done, failed)
        return generation

    def free_search_memory(self) -> None:
        """The window is idle: give back the decoded postings (searches decode them again)."""
        self.searches.run(self.search_index.free_caches, lambda _none: None)  # on the search thread

    def snippets(self, query: str, paths: list[str], no_expand: frozenset[str] = frozenset()) -> None:
        """The snippets of the hits ``paths`` of ``query`` (those the list scrolled to) on the
        search thread; ``snippets_found(query, {path: snippet})`` follows ("" for an article no
        longer indexed). When a newer search is under way when the job's turn comes (its hits
        will replace these), or making them fails, ``snippets_dropped(paths)`` follows instead."""
        if not paths:
            return
        index, epoch, skip = self.search_index, self._index_epoch, frozenset(no_expand)

        def job():
            if self.search_busy:
                return None  # the rows are about to be replaced: the next keystroke goes first
            return snippets_for(index, query, paths, glossary=self._search_glossary(epoch), no_expand=skip)

        def done(found) -> None:
            if found is None:
                self.snippets_dropped.emit(paths)
            else:
                self.snippets_found.emit(query, found)

        def failed(error: Exception) -> None:
            self.snippets_dropped.emit(paths)
            self.message.emit(tr("Snippets could not be made: ") + error_line(error))

        self.searches.run(job, done, failed)

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
            # References (issue 14): found and drawn as links here, off the UI thread.
            from reader.ui.reference_links import article_references, link_references

            references = article_references(rendered.text, paths.root)
            document = build_document(article, rendered, style, library.root, library.file_path(path).parent, parts,
                                      decorate=lambda built: link_references(built, references))
            return OpenedArticle(path, article, rendered, content_hash, document, highlights, saved, references)

        self.loader.run(job, self.article_loaded.emit, lambda error: self.message.emit(_about(path, error)))

    def restyle(self, opened: OpenedArticle, style: DocumentStyle, done: Callable[[OpenedArticle], None], part: int | None = None) -> None:
        """Build ``opened``'s document again in another style (theme, zoom) or for another of
        its parts; small articles at once, large ones on the loader thread."""
        library = self.library
        part = opened.document.part if part is None else part

        def job() -> OpenedArticle:
            from reader.ui.reference_links import link_references

            built = opened.document
            references = getattr(opened, "references", None)
            document = build_document(opened.article, opened.rendered, style, library.root, library.file_path(opened.path).parent, built.parts, part,
                                      decorate=lambda new: link_references(new, references))
            return replace(opened, document=document)

        if len(opened.rendered.text) <= EAGER_BUILD_CHARS and not opened.document.parts:
            done(job())
        else:
            self.loader.run(job, done, lambda error: self.message.emit(_about(opened.path, error)))

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

    # Article details (title, authors, publication…) edited in the window --------------------
    def load_metadata(self, path: str, done: Callable[[str, dict, str], None]) -> None:
        """Read an article's details on the loader thread; ``done(path, values, where)`` on
        the UI thread (``where``: "file" when a save rewrites its front matter, else "data")."""
        from reader.library.metadata_edits import (
            MARKDOWN_SUFFIXES,
            current_values,
            file_is_writable,
        )

        library = self.library

        def job():
            article = library.load(path)
            file_path = library.file_path(path)
            in_file = (file_path.suffix.lower() in MARKDOWN_SUFFIXES and not library.is_sample_collection()
                       and not file_is_writable(file_path))
            return path, current_values(article), "file" if in_file else "data"

        self.loader.run(job, lambda result: done(*result), lambda error: self.message.emit(_about(path, error)))

    def save_metadata(self, path: str, changes: dict, done: Callable[[object], None], failed: Callable[[str], None]) -> None:
        """Save an article's edited details on the worker, in order with scans (see
        :meth:`reader.library.library.Library.save_metadata`); the list's rows follow
        (catalog_changed), then ``done(SaveResult)``, or ``failed(one line)``."""
        library = self.library

        def job():
            result = library.save_metadata(path, changes)
            catalog = library.catalog()
            try:
                if result.where == "file":
                    catalog.rescan(only={path})
                return result, _make_rows(catalog.list_rows())
            finally:
                catalog.close()

        def finished(outcome) -> None:
            result, rows = outcome
            self.catalog_changed.emit(self.finish_rows(rows))
            done(result)
            self.update_index()  # title:, author: and tag: find the edited details

        self.background.run(job, finished, lambda error: failed(error_line(error)))

    def close(self) -> None:
        self._stop_extraction.set()
        self._stop_indexing.set()
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


def library_folders(root: Path, limit: int = 0) -> list[str]:
    """``root`` and the folders below it, hidden ones (and what is in them) left out, symlinks
    not followed; at most ``limit`` (WATCHED_FOLDERS when 0) in all."""
    limit = limit or WATCHED_FOLDERS
    out = [str(root)]
    for folder, subfolders, _files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in subfolders:
            if len(out) >= limit:
                return out
            out.append(os.path.join(folder, name))
    return out


def _about(path: str, error: Exception) -> str:
    """One line about a failure to open ``path``: a ReaderError's text names the file
    already; other errors are prefixed with the article's path."""
    line = error_line(error)
    return line if path in line else f"{path}: {line}"


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


def index_weight(catalog, report) -> int:
    """How much indexing a rescan's new and changed articles ask for, in articles: their
    number, or PROCESS_INDEX_MIN when they are few but large (PROCESS_INDEX_BYTES of files),
    so that update_index sends them to the indexing process. Runs on the worker."""
    paths = [*report.added, *report.changed]
    if len(paths) >= PROCESS_INDEX_MIN:
        return len(paths)
    size = 0
    for path in paths:
        entry = catalog.get(path)
        size += entry.size if entry is not None else 0
    return PROCESS_INDEX_MIN if size >= PROCESS_INDEX_BYTES else len(paths)


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
    with building_many():  # 100,000 rows at a window's start: no cycles among them
        # (positional: ArticleRow's fields, the first six in ListRow's order; the titles'
        # sort keys folded all at once)
        keys = fold_chars_many([r.title for r in listed])
        return [ArticleRow(r.path, r.title, r.date, r.tags, r.source, r.problems, 0, 0, "", False, key)
                for r, key in zip(listed, keys, strict=True)]
