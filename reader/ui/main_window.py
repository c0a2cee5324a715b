"""The main window: builds the panes, menus and status bar, and connects their signals.

The work is elsewhere: the open library's catalog, index, searches and jobs in
:class:`~reader.ui.session.LibrarySession`; highlights and notes in
:class:`~reader.ui.annotation_controller.AnnotationController`; the window's size and place
in :mod:`reader.ui.window_geometry`; the welcome page and import summaries in
:mod:`reader.ui.first_run`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as shiboken_valid

from reader import APP_NAME
from reader.library.importing import FAILED, IMPORTED, UPDATED, importable_suffixes
from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.postings import set_budget
from reader.settings import Settings
from reader.ui import dialogs, menus, window_geometry
from reader.ui.annotation_controller import AnnotationController, UndoPassThrough
from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.article_list import ArticleListPanel
from reader.ui.article_models import (
    ArticleFilterProxy,
    ArticleListModel,
    ArticleRow,
    PathRole,
    SearchResultsModel,
)
from reader.ui.citation_actions import CitationActions
from reader.ui.find_bar import FindBar
from reader.ui.first_run import (
    first_opened,
    import_summary,
    is_sample_collection,
    user_library_dir,
    welcome_html,
)
from reader.ui.i18n import (
    articles_text,
    current_language,
    retranslate_widgets,
    set_language,
    tr,
)
from reader.ui.passages_view import PassagesController
from reader.ui.reading_pane import ReadingPane
from reader.ui.saved_searches import SearchMemory
from reader.ui.search_controller import SearchController
from reader.ui.session import LibrarySession, OpenedArticle
from reader.ui.theme import palette_for, resolve_theme
from reader.ui.ui_state import JsonState

WATCH_DELAY_MS = 600
PERIODIC_RESCAN_MS = 15_000


class MainWindow(QMainWindow):
    idle = Signal()  # rendering, search and indexing have all finished (screenshots wait on it)

    def __init__(self, paths: DataPaths, settings: Settings, library: Library, theme: str | None = None) -> None:
        super().__init__()
        self.paths, self.settings = paths, settings
        set_budget(settings.get("search_cache_mb"))  # the search caches' memory (issue 15)
        self.window_state = JsonState(paths.state_file)
        self.theme_setting = theme or settings.get("theme")
        self.current: OpenedArticle | None = None
        self._before_full_screen: tuple | None = None  # geometry and split before F11
        self.import_message = ""  # what the last import did (the status bar says it too)
        self._import_target: tuple[Path, bool] | None = None  # (folder, into the user's own library)
        # Web links and original files go to the system's viewers; replaceable for tests.
        self.open_external = QDesktopServices.openUrl
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)

        self.list_panel = ArticleListPanel(self)
        self.library_model = ArticleListModel(self)
        self.proxy = ArticleFilterProxy(self)
        self.proxy.setSourceModel(self.library_model)
        self.results_model = SearchResultsModel(self)
        self.list_panel.view.setModel(self.proxy)
        self.pane = ReadingPane(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.annotations = AnnotationsPanel(self)
        self.annotation_controller = AnnotationController(self.annotations, self.pane, self)
        self.search = SearchController(self.list_panel, self.proxy, self.results_model, self.pane, self.find_bar, self)
        self._build_references()
        # Search history and saved searches (issue 13), kept in the settings.
        self.search_memory = SearchMemory(settings, self.list_panel.search_box, self.list_panel.saved_searches, self)
        self.search_memory.message.connect(self.statusBar().showMessage)
        reading = QWidget(self)
        column = QVBoxLayout(reading)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.pane, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_panel)
        # Every passage of a search, below the reading pane (issue 13): window.passages.
        self.passages_controller = PassagesController(self, reading)
        self.passages = self.passages_controller.view
        self.reading_split = self.passages_controller.split
        self.splitter.addWidget(self.reading_split)
        self.splitter.addWidget(self.annotations)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 700, 290])
        self.setCentralWidget(self.splitter)
        self._build_status_bar()

        self.watcher = QFileSystemWatcher(self)
        self.watch_timer = QTimer(self, singleShot=True, interval=WATCH_DELAY_MS)
        self.periodic = QTimer(self, interval=PERIODIC_RESCAN_MS)
        self.position_timer = QTimer(self, singleShot=True, interval=800)
        # Notes and quotes are searchable: re-index the changed articles after a pause.
        self.notes_index_timer = QTimer(self, singleShot=True, interval=1500)
        self.session: LibrarySession | None = None
        # Copy with citation, the citation style, File ▸ Export annotations… (issue 13).
        self.citations = CitationActions(self)
        self._build_menus()
        self._connect()
        self._name_controls()
        self.apply_theme(self.theme_setting, save=False)
        self.pane.zoom = int(settings.get("zoom"))
        self.library_model.sort_mode = settings.get("sort")
        self.open_library(library)
        window_geometry.restore(self, self.splitter, self.window_state)
        self.passages_controller.restore(self.window_state.data)
        self.list_panel.show_sort(self.settings.get("sort"))

    # Building --------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.reading_progress = QLabel(self)
        self.reading_progress.setObjectName("readingProgress")
        self.count_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName(tr("Indexing progress"))
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("✕")
        self.cancel_button.setToolTip(tr("Cancel indexing"))
        self.cancel_button.setAccessibleName(tr("Cancel indexing"))
        self.progress_box = QWidget(self)
        row = QHBoxLayout(self.progress_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        bar = self.statusBar()
        bar.addPermanentWidget(self.reading_progress)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.progress_box)
        self.progress_box.hide()

    def _build_menus(self) -> None:
        menus.build(self)

    def _build_references(self) -> None:
        """Issue 14: the References tab (after the annotations panel's two) and its controller."""
        from reader.ui.references_panel import ReferencesController, ReferencesPanel

        self.references_panel = ReferencesPanel(self.annotations)
        self.annotations.tabs.addTab(self.references_panel, tr("References"))
        self.references = ReferencesController(self.references_panel, self.pane, self)
        self.references.message.connect(self.statusBar().showMessage)
        self.references.search_requested.connect(self.list_panel.search_box.setText)
        self.references_panel.law_requested.connect(self.show_law_page)

    def show_law_page(self, pcode: str, name: str, article: str = "") -> None:
        """A law's provisions, each with the library's articles citing it (References ▸ Show the law)."""
        from reader.ui.law_page_view import LawPageDialog

        if self.session is not None:
            dialog = LawPageDialog(self.session, self.paths.root, pcode, name, article, self)
            dialog.open_requested.connect(self.open_path)
            self.law_page = dialog
            dialog.show()

    def show_terms(self) -> None:
        """Library ▸ Terms…: the learned term pairs, to confirm, edit or reject."""
        from reader.ui.terms_dialog import TermsDialog

        if self.session is not None:
            dialog = TermsDialog(self.session, self.paths, self)
            dialog.terms_changed.connect(self.session.glossary_changed)  # searches expand with the new decisions
            dialog.terms_changed.connect(self.search.rerun)
            self.terms_dialog = dialog
            dialog.show()

    def _connect(self) -> None:
        panel, controller = self.list_panel, self.annotation_controller
        panel.view.open_requested.connect(self.open_index)
        panel.view.clicked.connect(self.open_index)
        panel.view.open_original_requested.connect(self.open_original_of)
        panel.view.step_requested.connect(self.step_article)
        panel.sort_changed.connect(self.set_sort)
        panel.tag_changed.connect(self.proxy.set_tag)
        self.pane.link_activated.connect(self.follow_link)
        self.pane.part_requested.connect(self.show_part)
        self.pane.open_original_requested.connect(self.open_original)
        self.pane.copy_citation_requested.connect(lambda: self.citations.copy_with_citation(self.pane))
        self.pane.edit_details_requested.connect(lambda: self.edit_article_details())
        self.pane.next_article_requested.connect(lambda: self.step_article(1))
        self.pane.previous_article_requested.connect(lambda: self.step_article(-1))
        bar = self.pane.verticalScrollBar()
        bar.valueChanged.connect(lambda _v: self.position_timer.start())
        bar.valueChanged.connect(lambda _v: self.update_progress())
        bar.rangeChanged.connect(lambda _a, _b: self.update_progress())
        self.pane.settled.connect(self.update_progress)
        self.position_timer.timeout.connect(self.save_position)
        self.search.open_requested.connect(self.open_index)
        self.search.results_shown.connect(self._search_shown)
        self.search.message.connect(self.statusBar().showMessage)
        controller.changed.connect(self.annotations_changed)
        controller.colors_changed.connect(lambda: menus.build_highlight_actions(self))
        controller.message.connect(self.statusBar().showMessage)
        controller.article_wanted.connect(self.open_path)
        self.watcher.directoryChanged.connect(lambda _p: self.watch_timer.start())
        self.watcher.fileChanged.connect(lambda _p: self.watch_timer.start())
        self.watch_timer.timeout.connect(lambda: self.session and self.session.refresh())
        self.periodic.timeout.connect(lambda: self.session and not self.session.indexing and self.session.refresh())
        self.notes_index_timer.timeout.connect(lambda: self.session and self.session.update_index())
        self.cancel_button.clicked.connect(lambda: self.session and self.session.cancel_indexing())
        self.apply_reading_style(rerender=False)

    def _name_controls(self) -> None:
        """Every control has a name for screen readers; text inputs let Ctrl+Z through to
        the window's Undo while they have nothing of their own to undo."""
        self._undo_pass_through = UndoPassThrough(self)
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
                widget.installEventFilter(self._undo_pass_through)
            if isinstance(widget, QAbstractButton) and not widget.accessibleName() and (widget.text() or widget.toolTip()):
                widget.setAccessibleName(widget.toolTip() or widget.text())

    READING_KEYS = ("font_family", "font_size", "line_spacing", "text_width")

    def apply_reading_style(self, rerender: bool = True, **values) -> None:
        """Font, size, line spacing and text width: ``values`` are saved, then all four are
        taken from the settings and shown at once."""
        for key, value in values.items():
            self.settings.set(key, value)
        pane = self.pane
        pane.font_family = self.settings.get("font_family")
        pane.font_size = int(self.settings.get("font_size"))
        pane.line_spacing = int(self.settings.get("line_spacing"))
        pane.text_width = int(self.settings.get("text_width"))
        pane.update_measure()
        if rerender:
            self._rerender()

    # Library ---------------------------------------------------------------------------------
    def open_library(self, library: Library) -> None:
        if self.session is not None:
            self.annotations.flush()
            # Jobs of the old library still finishing must not fill the window (its rows).
            self.session.blockSignals(True)
            self.session.close()
        self.current = None
        self.open_original_action.setEnabled(False)
        self.show_welcome(library)  # until an article is opened
        session = LibrarySession(self.paths, library, self)
        self.session = session
        session.catalog_changed.connect(self.reload_rows)
        session.index_progress.connect(self.show_progress)
        session.index_finished.connect(self.index_finished)
        session.article_loaded.connect(self.show_article)
        session.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        session.extraction_progress.connect(self.show_extraction_progress)
        session.extraction_page_progress.connect(self.show_extraction_pages)
        session.extraction_finished.connect(self.extraction_finished)
        session.import_finished.connect(self._imported)
        session.import_failed.connect(lambda line: QMessageBox.warning(self, APP_NAME, line))
        for message in session.startup_messages():
            self.notify(message)
        self.annotation_controller.set_session(session)
        self.search.set_session(session)
        self.passages_controller.set_session(session)
        self.search_memory.set_session(session)  # saved searches' counts, on its search thread
        self.reload_rows()
        self._remember_library(library)
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())  # the other library's article
        session.folders_listed.connect(self._watch_folders)
        session.list_folders()
        self.setWindowTitle(f"{library.root.name} — {APP_NAME}")
        session.refresh()
        self.periodic.start()
        last = session.reading.last_article
        if last and last in session.entries:
            self.open_path(last)

    def notify(self, message: str) -> None:
        """Tell the user something important without blocking the window (not modal)."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok, self)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.statusBar().showMessage(message, 15000)

    def _watch_folders(self, folders: list[str]) -> None:
        """Watch the library's folders (walked on the session's worker) for changes on disk."""
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if folders:
            self.watcher.addPaths(folders)

    def _remember_library(self, library: Library) -> None:
        path = str(library.root)
        recent = [p for p in self.settings.get("recent_libraries") if p != path]
        self.settings.set("recent_libraries", [path, *recent][:8])
        self.settings.set("library", path)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for item in self.settings.get("recent_libraries"):
            self.recent_menu.addAction(item, lambda p=item: self.open_library(Library(Path(p), self.paths)) if Path(p).is_dir() else None)

    def choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Open library"), str(self.session.library.root if self.session else Path.home()))
        if folder:
            self.open_library(Library(Path(folder).resolve(), self.paths))

    def choose_imports(self) -> None:
        from PySide6.QtCore import QStandardPaths

        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        patterns = " ".join(f"*{suffix}" for suffix in importable_suffixes())  # articles and documents
        files, _ = QFileDialog.getOpenFileNames(self, tr("Import files"), start, tr("Articles and documents") + f" ({patterns})")
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, files: list[Path]) -> None:
        """Import files (the menu, drag and drop) on the session's worker. The bundled sample
        collection is read-only: then the articles go to the user's own library (made when
        there is none), which is opened. The status bar says what happened, and the first
        new article is opened."""
        if self.session is None:
            return
        root = self.session.library.root
        moved = is_sample_collection(self.paths, root)
        self._import_target = (user_library_dir() if moved else root, moved)
        self.import_message = ""
        self.session.import_files(files, self._import_target[0])

    def _imported(self, report) -> None:
        root, moved = self._import_target or (self.session.library.root, False)
        text = import_summary(report)
        if moved and root.is_dir():
            self.open_library(Library(root.resolve(), self.paths))
            text = tr("The sample collection is read-only: imported into your library {path}, now open.").replace(
                "{path}", str(root)) + " " + text
        failed = [f"{r.source.name}: {r.problem}" for r in report.results if r.status == FAILED]
        if len(failed) > 1 or report.notices:
            QMessageBox.warning(self, APP_NAME, text + "\n\n" + "\n".join(failed + report.notices))
        self.statusBar().showMessage(text, 15000)
        self.import_message = text
        session = self.session
        wanted = first_opened(report, session.library.root)
        if wanted:
            def open_when_listed(_rows=None) -> None:
                if self.session is not session:
                    return
                if wanted in session.entries:
                    with contextlib.suppress(RuntimeError, TypeError):
                        session.catalog_changed.disconnect(open_when_listed)
                    self.open_path(wanted)

            session.catalog_changed.connect(open_when_listed)
            if wanted in session.entries and not any(r.status in (IMPORTED, UPDATED) for r in report.results):
                open_when_listed()
        session.refresh()

    def show_welcome(self, library: Library | None = None) -> None:
        library = library or (self.session.library if self.session is not None else None)
        self.pane.show_welcome(welcome_html(library is not None and is_sample_collection(self.paths, library.root)))

    def reload_rows(self, rows: list[ArticleRow] | None = None) -> None:
        if rows is None:
            rows = self.session.rows()
        self.library_model.set_rows(rows)
        self.list_panel.set_tags(self.session.tags())
        self.update_count()
        self.annotation_controller.library_changed()  # the titles the groups show

    def update_count(self) -> None:
        total = len(self.library_model.rows)
        text = articles_text(total)
        problems = sum(1 for r in self.library_model.rows if r.problems)
        if problems:
            text += "  ·  " + tr("{n} with problems").replace("{n}", str(problems))
        self.count_label.setText(text)

    def set_sort(self, mode: str) -> None:
        self.library_model.sort_by(mode)
        self.settings.set("sort", mode)
        if self.current is not None:
            self._select_in_list(self.current.path)

    def show_problems(self) -> None:
        dialogs.show_problems(self, self.session.problems if self.session else [])

    def annotations_changed(self, article: str) -> None:
        """An article's annotations changed (once per operation): its count in the lists,
        and the notes index after a pause."""
        self.notes_index_timer.start()
        count = self.session.store.counts(self.session.root).get(article, 0)
        self.library_model.update_row(article, highlights=count)
        self.results_model.update_row(article, highlights=count)

    def highlight_selection(self, color: str) -> None:
        """Highlight the pane's selection in ``color`` (as H and the toolbar do)."""
        self.annotation_controller.highlight(color)

    # Indexing --------------------------------------------------------------------------------
    def show_progress(self, done: int, total: int) -> None:
        self.progress_box.setVisible(total > 0 and done < total)
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(tr("Indexing") + " %v/%m")

    def index_finished(self, message: str) -> None:
        self.progress_box.hide()
        if message:
            self.statusBar().showMessage(message, 10000)
        self.search.rerun()
        self._maybe_idle()

    def show_extraction_pages(self, path: str, done: int, pages: int) -> None:
        """The pages of the document being read (a scanned page counts once recognised)."""
        self.statusBar().showMessage(tr("Reading {name}: page {done} / {pages}").replace("{name}", Path(path).name)
                                     .replace("{done}", str(done)).replace("{pages}", str(pages)), 3000)

    def show_extraction_progress(self, done: int, total: int, path: str) -> None:
        self.progress_box.show()
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(tr("Reading documents") + " %v/%m")
        self.statusBar().showMessage(tr("Reading documents: {done} / {total} {name}").replace("{done}", str(done))
                                     .replace("{total}", str(total)).replace("{name}", Path(path).name), 3000)

    def extraction_finished(self, message: str) -> None:
        if not (self.session and self.session.indexing):
            self.progress_box.hide()
        if message:
            self.statusBar().showMessage(message, 8000)

    # Search ----------------------------------------------------------------------------------
    def run_search(self, query: str) -> None:
        self.search.run(query)

    def clear_search(self) -> None:
        self.search.clear()

    def mark_search(self, query: str) -> None:
        self.search.mark(query)

    def close_find(self) -> None:
        self.search.close_find()

    def _search_shown(self) -> None:
        if self.current is not None:  # the open article stays marked in the list (j / k go on from it)
            self._select_in_list(self.current.path)
        self._maybe_idle()

    # Articles --------------------------------------------------------------------------------
    def open_index(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            self.search.opening(index)
            self.open_path(path)

    def open_path(self, path: str) -> None:
        self.annotations.flush()
        self.save_position()
        self.session.open_article(path, self.pane.document_style())

    def show_article(self, opened: OpenedArticle) -> None:
        session = self.session
        self.current = opened
        self.open_original_action.setEnabled(True)
        self.pane.show_document(opened.document, opened.rendered)
        if opened.document.style != self.pane.document_style():  # the theme changed meanwhile
            self._rerender()
        self.annotation_controller.show_article(opened)
        self.references.show_article(opened)
        self._fill_toc(opened)
        was_read = session.reading.is_read(opened.path)
        position = session.reading.position(opened.path)
        session.reading.mark_read(opened.path)
        session.reading.save()
        for model in (self.library_model, self.results_model):
            model.update_row(opened.path, last_read=session.reading.last_read(opened.path))
        self.search.show_article(opened)  # the query's words, Ctrl+F's matches
        # Opened from the passages view, the match is selected there: not the last position.
        from_passage = self.passages_controller.show_target(opened.path)
        if not from_passage and was_read and not self.search.pending_marks:
            QTimer.singleShot(0, lambda: self.pane.set_scroll_fraction(position))
        file_path = str(session.library.file_path(opened.path))
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.watcher.addPath(file_path)
        self.setWindowTitle(f"{opened.article.title} — {APP_NAME}")
        self._select_in_list(opened.path)
        self._maybe_idle()

    def open_original(self) -> None:
        """File ▸ Open original: the open article's source file, in the system's viewer."""
        if self.current is not None:
            self.open_original_of(self.current.path)

    def open_original_of(self, path: str) -> None:
        if self.session is None or not path:
            return
        source = self.session.library.file_path(path)
        if not source.is_file():
            self.statusBar().showMessage(tr("The original file is gone: ") + str(source), 8000)
            return
        self.open_external(QUrl.fromLocalFile(str(source)))

    # Article details (Library ▸ Edit article details…) -------------------------------------
    def edit_article_details(self, path: str = "") -> None:
        """Open the details dialog on ``path``, else the list's selected article when the list
        has the focus, else the open article (read on the loader thread first)."""
        if self.session is None:
            return
        if not path:
            index = self.list_panel.view.currentIndex()
            selected = index.data(PathRole) if index.isValid() else ""
            if selected and (self.list_panel.view.hasFocus() or self.current is None):
                path = selected
            elif self.current is not None:
                path = self.current.path
        if not path:
            self.statusBar().showMessage(tr("Open or select an article first."), 4000)
            return
        self.session.load_metadata(path, self._show_metadata_dialog)

    def _show_metadata_dialog(self, path: str, values: dict, where: str) -> None:
        from reader.ui.metadata_dialog import MetadataDialog

        old = getattr(self, "metadata_dialog", None)
        if old is not None:
            old.close()
            old.deleteLater()
        dialog = MetadataDialog(path, values, where, self)
        dialog.save_requested.connect(lambda p, changes: self._save_metadata(dialog, p, changes))
        self.metadata_dialog = dialog
        dialog.open()

    def _save_metadata(self, dialog, path: str, changes: dict) -> None:
        session = self.session

        def alive() -> bool:  # closed with Esc and replaced while the save ran: say it in the status bar only
            return self.metadata_dialog is dialog and shiboken_valid(dialog)

        def done(result) -> None:
            self.statusBar().showMessage(result.notice or tr("Article details saved."), 10000)
            if alive():
                dialog.saved()
            if self.session is session and self.current is not None and self.current.path == path:
                self.open_path(path)  # the header and the window title show the new details

        def failed(line: str) -> None:
            if alive():
                dialog.failed(line)
            self.statusBar().showMessage(tr("Not saved: ") + line, 15000)

        session.save_metadata(path, changes, done, failed)

    def _select_in_list(self, path: str) -> None:
        view = self.list_panel.view
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(PathRole) == path:
                view.setCurrentIndex(index)
                return

    def _fill_toc(self, opened: OpenedArticle) -> None:
        self.toc_menu.clear()
        for level, text, anchor in opened.rendered.headings:
            self.toc_menu.addAction("  " * (level - 1) + text, lambda a=anchor: self.pane.scroll_to_anchor(a))
        self.toc_menu.setEnabled(bool(opened.rendered.headings))

    def step_article(self, step: int) -> None:
        view = self.list_panel.view
        model = view.model()
        if model.rowCount() == 0:
            return
        row = view.currentIndex().row() if view.currentIndex().isValid() else -1
        row = max(0, min(model.rowCount() - 1, row + step))
        index = model.index(row, 0)
        view.setCurrentIndex(index)
        self.open_index(index)

    def save_position(self) -> None:
        if self.current is not None and self.session is not None:
            self.session.reading.set_position(self.current.path, self.pane.scroll_fraction())

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if not scheme and url.hasFragment() and not url.path():
            self.pane.scroll_to_anchor(url.fragment())
            return
        if scheme == "ref":  # a reference link (issue 14)
            self.references.follow(url.toString())
            return
        if scheme in ("http", "https", "mailto"):
            self.open_external(url)  # only ever on a click
            return
        if scheme or self.current is None:
            self.statusBar().showMessage(tr("This link is not opened: ") + url.toString()[:120], 6000)
            return
        target = (self.session.library.file_path(self.current.path).parent / url.path()).resolve()
        try:
            rel = target.relative_to(self.session.library.root).as_posix()
        except ValueError:
            self.statusBar().showMessage(tr("This link points outside the library."), 6000)
            return
        if target.suffix.lower() in importable_suffixes() and target.is_file():  # an article or a document
            self.open_path(rel)

    # Appearance ------------------------------------------------------------------------------
    def apply_theme(self, setting: str, save: bool = True) -> None:
        self.theme_setting = setting
        if setting in self.theme_actions:
            self.theme_actions[setting].setChecked(True)
        theme = resolve_theme(setting)
        QApplication.instance().setPalette(palette_for(theme))
        self.pane.apply_theme(theme)
        if save:
            self.settings.set("theme", setting)
        self._rerender()

    def set_zoom(self, zoom: int) -> None:
        self.pane.zoom = max(-6, min(16, zoom))
        self.settings.set("zoom", self.pane.zoom)
        self.pane.update_measure()
        self._rerender()

    def _rerender(self) -> None:
        if self.current is None:
            return
        fraction = self.pane.scroll_fraction()

        def show(opened: OpenedArticle) -> None:
            if self.current is None or opened.path != self.current.path:
                return  # another article was opened meanwhile
            self.current = self.search.article = opened
            self.pane.show_document(opened.document, opened.rendered, same_article=True)
            self.annotation_controller.show_article(opened)
            QTimer.singleShot(0, lambda: self.pane.set_scroll_fraction(fraction))

        self.session.restyle(self.current, self.pane.document_style(), show)

    def show_part(self, number: int) -> None:
        """Another part of an article shown in parts (the pane asked for it)."""
        if self.current is None:
            return
        path = self.current.path

        def show(opened: OpenedArticle) -> None:
            if self.current is None or opened.path != path:
                return
            self.current = self.search.article = opened
            self.pane.show_document(opened.document, opened.rendered, same_article=True)

        self.session.restyle(self.current, self.pane.document_style(), show, part=number)

    def show_preferences(self) -> None:
        dialogs.show_preferences(self)

    def set_language(self, language: str) -> None:
        """Show the interface in ``language`` at once: Qt's and Reader's texts, menus rebuilt,
        panels relabelled, colour names in the new language."""
        old = current_language()
        set_language(QApplication.instance(), language)
        if current_language() == old:
            return
        self._build_menus()
        self._fill_recent_menu()
        if self.current is not None:
            self._fill_toc(self.current)
        else:
            self.toc_menu.setEnabled(False)
        retranslate_widgets(self, old)
        if self.session is not None:
            self.annotation_controller.load_colors()
            self.update_count()
            self.search.rerun()
        if self.current is None:
            self.show_welcome()
        self.update_progress()

    # Reading comfort ----------------------------------------------------------------------
    def toggle_distraction_free(self) -> None:
        """F11: full screen with only the article (the panels come back on leaving)."""
        if self.isFullScreen():
            self._before_full_screen = None
            self.showNormal()
            self.set_panels_visible(True)
            self.toolbar.show()
        else:
            self._before_full_screen = (self.saveGeometry(), self.splitter.saveState())
            self.showFullScreen()
            self.set_panels_visible(False)
            self.toolbar.hide()
            self.pane.setFocus()
        self.distraction_action.setChecked(self.isFullScreen())

    def toggle_panels(self) -> None:
        self.set_panels_visible(not self.list_panel.isVisible())

    def set_panels_visible(self, visible: bool) -> None:
        self.list_panel.setVisible(visible)
        self.annotations.setVisible(visible)
        self.panels_action.setChecked(visible)

    def update_progress(self) -> None:
        """How far into the open article the reader is, in the status bar."""
        if self.current is None or self.pane.built is None:
            self.reading_progress.setText("")
            return
        percent = int(round(self.pane.scroll_fraction() * 100))
        self.reading_progress.setText(tr("{n}% read").replace("{n}", str(percent)))

    # Closing, drag and drop, idle ------------------------------------------------------------
    def save_window(self) -> None:
        before = self._before_full_screen if self.isFullScreen() else None
        self.passages_controller.save(self.window_state.data)
        window_geometry.save(self, self.splitter, self.window_state, before)

    def closeEvent(self, event) -> None:
        self.annotations.flush()
        self.save_position()
        self.save_window()
        if self.session is not None:
            # Jobs still running finish during close; their results must not reach a window
            # that has let go of its session.
            self.passages.stop()  # its listing stops at the next article
            self.session.blockSignals(True)
            self.session.close()
            self.session = None
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.import_paths(files)
            event.acceptProposedAction()

    @property
    def busy(self) -> bool:
        return bool(self.session and self.session.busy)

    def _maybe_idle(self) -> None:
        if not self.busy:
            self.idle.emit()
