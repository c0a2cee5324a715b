"""The main window: builds the panes, menus and status bar, and connects their signals."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QByteArray, QFileSystemWatcher, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QActionGroup, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader import APP_NAME, __version__
from reader.errors import ReaderError
from reader.library.importing import FAILED, record_path, run_import
from reader.library.library import Library
from reader.library.model import ARTICLE_SUFFIXES
from reader.paths import DataPaths
from reader.search.query import parse_query, positive_leaves
from reader.search.snippets import match_spans
from reader.settings import Settings
from reader.ui import dialogs
from reader.ui.annotation_actions import AnnotationActions
from reader.ui.annotations_panel import AnnotationsPanel
from reader.ui.article_list import ArticleListPanel
from reader.ui.article_models import (
    ArticleFilterProxy,
    ArticleListModel,
    ArticleRow,
    PathRole,
    SearchResultsModel,
)
from reader.ui.find_bar import FindBar, FoldedText
from reader.ui.i18n import (
    articles_text,
    current_language,
    retranslate_widgets,
    set_language,
    tr,
)
from reader.ui.reading_pane import ReadingPane
from reader.ui.session import LibrarySession, OpenedArticle
from reader.ui.theme import palette_for, resolve_theme
from reader.ui.ui_state import JsonState

WATCH_DELAY_MS = 600
FIRST_SCREEN_SHARE = 0.9  # a first window takes this much of the available screen
FIRST_SIZE_CAP = (1600, 1000)  # but no more: lines and the list stay a comfortable size
FIRST_SPLIT = (0.24, 0.54, 0.22)  # list, reading pane, notes
PERIODIC_RESCAN_MS = 15_000


class MainWindow(AnnotationActions, QMainWindow):
    idle = Signal()  # rendering, search and indexing have all finished (screenshots wait on it)

    def __init__(self, paths: DataPaths, settings: Settings, library: Library, theme: str | None = None) -> None:
        super().__init__()
        self.paths, self.settings = paths, settings
        self.window_state = JsonState(paths.state_file)
        self.theme_setting = theme or settings.get("theme")
        self.current: OpenedArticle | None = None
        self._folded: FoldedText | None = None  # the text Ctrl+F searches, folded once
        self.pending_search_marks: str = ""
        self.undo_stack: list = []
        # Opening a web link hands it to the system browser; replaceable for tests.
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
        reading = QWidget(self)
        column = QVBoxLayout(reading)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.pane, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_panel)
        self.splitter.addWidget(reading)
        self.splitter.addWidget(self.annotations)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 700, 290])
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("✕")
        self.cancel_button.setToolTip(tr("Cancel indexing"))
        progress_box = QWidget(self)
        row = QHBoxLayout(progress_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        self.progress_box = progress_box
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(progress_box)
        progress_box.hide()

        self.watcher = QFileSystemWatcher(self)
        self.watch_timer = QTimer(self, singleShot=True, interval=WATCH_DELAY_MS)
        self.periodic = QTimer(self, interval=PERIODIC_RESCAN_MS)
        self.position_timer = QTimer(self, singleShot=True, interval=800)
        # Notes and quotes are searchable: re-index the changed articles after a pause.
        self.notes_index_timer = QTimer(self, singleShot=True, interval=1500)
        self.session: LibrarySession | None = None
        self._build_menus()
        self._connect()
        self.apply_theme(self.theme_setting, save=False)
        self.pane.zoom = int(settings.get("zoom"))
        self.library_model.sort_mode = settings.get("sort")
        self.open_library(library)
        self._restore_window()

    # Building --------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        for old in [a.menu() for a in bar.actions()]:  # built again when the language changes
            if old is not None:
                old.deleteLater()  # with its actions and their shortcuts
        bar.clear()
        file_menu = bar.addMenu(tr("&File"))
        self.open_action = file_menu.addAction(tr("Open library…"), QKeySequence.StandardKey.Open, self.choose_library)
        self.recent_menu = file_menu.addMenu(tr("Recent libraries"))
        file_menu.addAction(tr("Import files…"), self.choose_imports)
        file_menu.addSeparator()
        file_menu.addAction(tr("Preferences…"), self.show_preferences)
        file_menu.addSeparator()
        file_menu.addAction(tr("Quit"), QKeySequence.StandardKey.Quit, self.close)

        view = bar.addMenu(tr("&View"))
        view.addAction(tr("Search the library"), QKeySequence("Ctrl+K"), self.list_panel.focus_search)
        view.addAction(tr("Find in article"), QKeySequence.StandardKey.Find, self.find_bar.open)
        view.addAction(tr("Next match"), QKeySequence("F3"), lambda: self.step_match(True))
        view.addAction(tr("Previous match"), QKeySequence("Shift+F3"), lambda: self.step_match(False))
        view.addSeparator()
        view.addAction(tr("Zoom in"), QKeySequence("Ctrl+="), lambda: self.set_zoom(self.pane.zoom + 1))
        if not hasattr(self, "_zoom_shortcut"):
            self._zoom_shortcut = QShortcut(QKeySequence("Ctrl++"), self, lambda: self.set_zoom(self.pane.zoom + 1))
        view.addAction(tr("Zoom out"), QKeySequence("Ctrl+-"), lambda: self.set_zoom(self.pane.zoom - 1))
        view.addAction(tr("Actual size"), QKeySequence("Ctrl+0"), lambda: self.set_zoom(0))
        self.theme_menu = view.addMenu(tr("Theme"))
        self.theme_group = QActionGroup(self.theme_menu)
        self.theme_group.setExclusive(True)
        self.theme_actions = {}
        for key, label in (("system", tr("Follow system")), ("light", tr("Light")), ("dark", tr("Dark")), ("sepia", tr("Sepia"))):
            action = self.theme_menu.addAction(label)
            action.setCheckable(True)
            action.setData(key)
            action.triggered.connect(lambda _checked=False, k=key: self.apply_theme(k))
            self.theme_group.addAction(action)
            self.theme_actions[key] = action
        if self.theme_setting in self.theme_actions:
            self.theme_actions[self.theme_setting].setChecked(True)
        self.toc_menu = view.addMenu(tr("Contents"))
        view.addSeparator()
        self.distraction_action = view.addAction(tr("Distraction-free mode"), QKeySequence("F11"), self.toggle_distraction_free)
        self.distraction_action.setCheckable(True)
        self.distraction_action.setChecked(self.isFullScreen())
        self.panels_action = view.addAction(tr("Side panels"), QKeySequence("Ctrl+Shift+F"), self.toggle_panels)
        self.panels_action.setCheckable(True)
        self.panels_action.setChecked(self.list_panel.isVisibleTo(self) or not self.isVisible())

        library = bar.addMenu(tr("&Library"))
        library.addAction(tr("Update index"), lambda: self.session and self.session.refresh())
        library.addAction(tr("Rebuild index"), lambda: self.session and self.session.update_index(rebuild=True))
        library.addAction(tr("Problems…"), self.show_problems)

        edit = bar.addMenu(tr("&Edit"))
        self.highlight_actions = []
        self.undo_action = edit.addAction(tr("Undo delete"), QKeySequence.StandardKey.Undo, self.undo_delete)
        self.highlight_menu = edit.addMenu(tr("Highlight"))

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(tr("Keyboard shortcuts"), lambda: dialogs.show_shortcuts(self))
        help_menu.addAction(tr("About Reader"), lambda: dialogs.show_about(self, __version__))

        if not hasattr(self, "toolbar"):
            self.toolbar = self.addToolBar(tr("Highlight"))
            self.toolbar.setObjectName("highlightToolbar")
            self.toolbar.setMovable(False)
        self.toolbar.setWindowTitle(tr("Highlight"))

    def _connect(self) -> None:
        panel = self.list_panel
        panel.view.open_requested.connect(self.open_index)
        panel.view.clicked.connect(self.open_index)
        panel.search_box.search_requested.connect(self.run_search)
        panel.search_box.cleared.connect(self.clear_search)
        panel.sort_changed.connect(self.set_sort)
        panel.tag_changed.connect(self.proxy.set_tag)
        self.pane.link_activated.connect(self.follow_link)
        self.pane.part_requested.connect(self.show_part)
        self.pane.highlight_requested.connect(self.highlight_selection)
        self.pane.next_article_requested.connect(lambda: self.step_article(1))
        self.pane.previous_article_requested.connect(lambda: self.step_article(-1))
        self.pane.verticalScrollBar().valueChanged.connect(lambda _v: self.position_timer.start())
        self.position_timer.timeout.connect(self.save_position)
        self.find_bar.query_changed.connect(self.find_in_article)
        self.find_bar.step_requested.connect(self.step_match)
        self.find_bar.closed.connect(self.close_find)
        self.annotations.open_requested.connect(self.scroll_to_annotation)
        self.annotations.note_edited.connect(self.save_note)
        self.annotations.color_change_requested.connect(lambda id_, key: self.store_call(self.session.store.set_color, self.session.root, id_, key))
        self.annotations.delete_requested.connect(self.delete_annotation)
        self.annotations.reattach_requested.connect(self.reattach_annotation)
        self.annotations.article_note_edited.connect(self.save_article_note)
        self.annotations.library_item_activated.connect(self.open_annotation)
        self.annotations.tabs.currentChanged.connect(self.annotations_tab_changed)
        self.watcher.directoryChanged.connect(lambda _p: self.watch_timer.start())
        self.watcher.fileChanged.connect(lambda _p: self.watch_timer.start())
        self.watch_timer.timeout.connect(lambda: self.session and self.session.refresh())
        self.periodic.timeout.connect(lambda: self.session and not self.session.indexing and self.session.refresh())
        self.notes_index_timer.timeout.connect(lambda: self.session and self.session.update_index())
        self.cancel_button.clicked.connect(lambda: self.session and self.session.cancel_indexing.set())
        panel.search_box.open_top_requested.connect(self.open_top_hit)
        panel.view.step_requested.connect(self.step_article)
        self._open_top_hit = False
        self.reading_progress = QLabel(self)
        self.reading_progress.setObjectName("readingProgress")
        self.statusBar().insertPermanentWidget(0, self.reading_progress)
        self.pane.verticalScrollBar().valueChanged.connect(lambda _v: self.update_progress())
        self.pane.verticalScrollBar().rangeChanged.connect(lambda _a, _b: self.update_progress())
        self.pane.settled.connect(self.update_progress)
        self.apply_reading_style(rerender=False)

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
            self.annotations.note.flush()
            self.annotations.article_note.flush()
            # Jobs of the old library still finishing must not fill the window (its rows).
            self.session.blockSignals(True)
            self.session.close()
        self.current = None
        self.show_welcome(library)  # until an article is opened
        session = LibrarySession(self.paths, library, self)
        self.session = session
        session.catalog_changed.connect(self.reload_rows)
        session.index_progress.connect(self.show_progress)
        session.index_finished.connect(self.index_finished)
        session.search_finished.connect(self.show_results)
        session.article_loaded.connect(self.show_article)
        session.annotations_changed.connect(self.annotations_changed)
        session.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for message in session.startup_messages():
            self.notify(message)
        self.colors_renamed()
        self.reload_rows()
        self._remember_library(library)
        self._watch(library.root)
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

    def _watch(self, root: Path) -> None:
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        folders = [str(root)] + [str(p) for p in root.rglob("*") if p.is_dir() and not p.name.startswith(".")][:2000]
        self.watcher.addPaths(folders)

    def _remember_library(self, library: Library) -> None:
        path = str(library.root)
        recent = [p for p in self.settings.get("recent_libraries") if p != path]
        self.settings.set("recent_libraries", [path, *recent][:8])
        self.settings.set("library", path)
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
        patterns = " ".join(f"*{suffix}" for suffix in ARTICLE_SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(self, tr("Import files"), start, tr("Articles") + f" ({patterns})")
        if files:
            self.import_paths([Path(f) for f in files])

    def import_paths(self, files: list[Path]) -> None:
        """Import files (the menu, drag and drop). The bundled sample collection is read-only:
        then the articles go to the user's own library (made when there is none), which is
        opened. The status bar says what happened, and the first new article is opened."""
        from reader.library.importing import IMPORTED, IN_LIBRARY, UNCHANGED, UPDATED

        if self.session is None:
            return
        root = self.session.library.root
        moved = _is_sample_collection(self.paths, root)
        if moved:
            root = user_library_dir()
        try:
            report = run_import(files, root, record=record_path(self.paths, root))
        except ReaderError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
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
        # The first article this import made (else one it found already there) is opened,
        # once the list holds it.
        done = [r for r in report.results if r.target is not None and r.status in (IMPORTED, UPDATED)]
        done = done or [r for r in report.results if r.target is not None and r.status in (IN_LIBRARY, UNCHANGED)]
        wanted = ""
        if done:
            try:
                wanted = done[0].target.resolve().relative_to(self.session.library.root.resolve()).as_posix()
            except (OSError, ValueError):
                wanted = ""
        session = self.session
        if wanted:
            def open_when_listed(_rows=None) -> None:
                if self.session is not session:
                    return
                if wanted in session.entries:
                    with _suppress_disconnect():
                        session.catalog_changed.disconnect(open_when_listed)
                    self.open_path(wanted)

            session.catalog_changed.connect(open_when_listed)
            if wanted in session.entries and not any(r.status in (IMPORTED, UPDATED) for r in done):
                open_when_listed()
        session.refresh()

    def show_welcome(self, library: Library | None = None) -> None:
        """No article open: a short welcome in the interface language instead of an empty page."""
        import html

        library = library or (self.session.library if self.session is not None else None)
        sample = library is not None and _is_sample_collection(self.paths, library.root)
        lines = [
            tr("Choose an article in the list to read it (Enter opens, j / k the next and previous)."),
            tr("Open a library, a folder of articles: File ▸ Open library… (Ctrl+O)."),
            tr("Import .txt, .html and .md files: File ▸ Import files…, or drop them on the window."),
            tr("Search with Ctrl+K: all the words must occur; OR, NOT or -word, \"exact phrase\", "
               "title: tag: author: note: and date:2024 narrow it."),
            tr("Select text and press H to highlight it; Ctrl+F finds in the article; Esc goes back to the list. "
               "Help ▸ Keyboard shortcuts lists every key."),
        ]
        if sample:
            lines.append(tr("This is the sample collection, which is read-only: importing creates your own "
                            "library, “Reader Library” in your Documents folder, and opens it."))
        items = "".join(f"<li style='margin-bottom:0.6em'>{html.escape(line)}</li>" for line in lines)
        self.pane.show_welcome(f"<h2>{html.escape(tr('Welcome to Reader'))}</h2><ul>{items}</ul>")

    def reload_rows(self, rows: list[ArticleRow] | None = None) -> None:
        if rows is None:
            rows = self.session.rows()
        self.library_model.set_rows(rows)
        self.list_panel.set_tags(self.session.tags())
        self.update_count()
        self.refresh_library_annotations()

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
        query = self.list_panel.search_box.text().strip()
        if query and self.list_panel.view.model() is self.results_model:
            self.run_search(query)
        self._maybe_idle()

    # Search ----------------------------------------------------------------------------------
    def run_search(self, query: str) -> None:
        self.session.search(query)

    def show_results(self, _generation: int, result) -> None:
        counts = self.session.store.counts(self.session.root)  # once, not once per hit
        rows = [ArticleRow(path=h.path, title=h.title, date=h.date, snippet=h.snippet,
                           highlights=counts.get(h.path, 0), last_read=self.session.reading.last_read(h.path))
                for h in result.hits]
        self.results_model.query = result.query
        self.results_model.total = result.total
        self.results_model.set_rows(rows)
        self.list_panel.view.setModel(self.results_model)
        self.list_panel.set_search_mode(True)
        if self.current is not None:  # the open article stays marked when it is among the hits
            self._select_in_list(self.current.path)
        parts = []
        if result.message:
            parts.append(tr("Query not understood; searched as words."))
        if result.total == 0:
            parts.append(tr("No results for “{q}”.").replace("{q}", result.query))
        else:
            count = articles_text(result.total)
            if len(rows) < result.total:
                count += " " + tr("(showing the best {n})").replace("{n}", str(len(rows)))
            parts.append(count)
        self.list_panel.status.setText("  ".join(parts))
        self.list_panel.status.show()
        if self._open_top_hit and rows:
            self._open_top_hit = False
            self.open_top_hit()
        self._maybe_idle()

    def clear_search(self) -> None:
        self.session.search_generation += 1
        self.list_panel.view.setModel(self.proxy)
        self.list_panel.set_search_mode(False)
        self.list_panel.status.hide()
        self.pending_search_marks = ""
        self._open_top_hit = False
        if self.current is not None:
            self.pane.set_matches([], "search")
            self._select_in_list(self.current.path)  # j / k go on from the open article

    # Articles --------------------------------------------------------------------------------
    def open_index(self, index: QModelIndex) -> None:
        path = index.data(PathRole)
        if path:
            searching = self.list_panel.view.model() is self.results_model
            self.pending_search_marks = self.results_model.query if searching else ""
            self.open_path(path)

    def open_path(self, path: str) -> None:
        self.annotations.note.flush()
        self.annotations.article_note.flush()
        self.save_position()
        self.session.open_article(path, self.pane.document_style())

    def show_article(self, opened: OpenedArticle) -> None:
        session = self.session
        self.current = opened
        self.pane.show_document(opened.document, opened.rendered)
        if opened.document.style != self.pane.document_style():  # the theme changed meanwhile
            self._rerender()
        self.refresh_annotations()
        self._fill_toc(opened)
        was_read = session.reading.is_read(opened.path)
        position = session.reading.position(opened.path)
        session.reading.mark_read(opened.path)
        session.reading.save()
        for model in (self.library_model, self.results_model):
            model.update_row(opened.path, last_read=session.reading.last_read(opened.path))
        if self.pending_search_marks:
            self.mark_search(self.pending_search_marks)
        elif was_read:
            QTimer.singleShot(0, lambda: self.pane.set_scroll_fraction(position))
        if self.find_bar.isVisible():
            self.find_in_article(self.find_bar.line.text())
        file_path = str(session.library.file_path(opened.path))
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.watcher.addPath(file_path)
        self.setWindowTitle(f"{opened.article.title} — {APP_NAME}")
        self._select_in_list(opened.path)
        self._maybe_idle()

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

    def mark_search(self, query: str) -> None:
        leaves = positive_leaves(parse_query(query).root)
        spans = match_spans(self.current.rendered.text, leaves) if leaves else []
        self.pane.set_matches([(s, e) for s, e, _ in spans], "search")

    def find_in_article(self, text: str) -> None:
        if self.current is None:
            return
        # The whole article when it is shown in parts, else the document as shown (header too).
        parted = bool(self.pane.part_count)
        source = self.current.rendered if parted else self.pane.built
        if self._folded is None or self._folded.source is not source:
            haystack = self.current.rendered.text if parted else self.pane.document().toPlainText()
            self._folded = FoldedText(haystack, source)
        spans = self._folded.find(text) if text.strip() else []
        mapping = self.pane.mapping
        if not parted and mapping is not None:
            spans = [(mapping.to_qt(s), mapping.to_qt(e)) for s, e in spans]
        total = self.pane.set_matches(spans, "find", plain=parted)
        self.find_bar.show_count(1 if total else 0, total)

    def step_match(self, forward: bool) -> None:
        current, total = self.pane.step_match(forward)
        if self.find_bar.isVisible():
            self.find_bar.show_count(current, total)
        if total:
            self.statusBar().showMessage(f"{current} / {total}", 5000)
        else:
            self.statusBar().showMessage(tr("No matches"), 3000)

    def close_find(self) -> None:
        self.find_bar.hide()
        self.pane.set_matches([], "find")
        searching = self.list_panel.view.model() is self.results_model
        if self.current is not None and searching and self.pending_search_marks:
            # The library search is still on: its marks come back, where the reader is.
            bar = self.pane.verticalScrollBar()
            value = bar.value()
            self.mark_search(self.pending_search_marks)
            bar.setValue(value)
        self.pane.setFocus()

    def open_top_hit(self) -> None:
        """Enter in the search box: open the best hit (once the search for the text is done)."""
        query = self.list_panel.search_box.text().strip()
        shown = self.list_panel.view.model() is self.results_model and self.results_model.query == query
        if not query:
            return
        if not shown or self.session.searches.busy:
            self._open_top_hit = True  # show_results opens it
            return
        if self.results_model.rowCount():
            index = self.results_model.index(0, 0)
            self.list_panel.view.setCurrentIndex(index)
            self.open_index(index)
            self.pane.setFocus()

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if not scheme and url.hasFragment() and not url.path():
            self.pane.scroll_to_anchor(url.fragment())
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
        if target.suffix.lower() in ARTICLE_SUFFIXES and target.is_file():
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
            self.current = opened
            self.pane.show_document(opened.document, opened.rendered, same_article=True)
            self.refresh_annotations()
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
            self.current = opened
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
        self.cancel_button.setToolTip(tr("Cancel indexing"))
        if self.session is not None:
            self.colors_renamed()
            self.update_count()
            query = self.list_panel.search_box.text().strip()
            if query and self.list_panel.view.model() is self.results_model:
                self.run_search(query)
        self.update_progress()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for item in self.settings.get("recent_libraries"):
            self.recent_menu.addAction(item, lambda p=item: self.open_library(Library(Path(p), self.paths)) if Path(p).is_dir() else None)

    # Reading comfort ----------------------------------------------------------------------
    def toggle_distraction_free(self) -> None:
        """F11: full screen with only the article (the panels come back on leaving)."""
        if self.isFullScreen():
            self.showNormal()
            self.set_panels_visible(True)
            self.toolbar.show()
        else:
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

    # Window state ----------------------------------------------------------------------------
    def _restore_window(self) -> None:
        """The saved geometry and splitter; on a first run (or when the saved place is on no
        screen now) most of the available screen, the reading pane taking most of the width."""
        data = self.window_state.data
        restored = False
        if "geometry" in data:
            try:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(data["geometry"])))
            except (TypeError, ValueError):
                restored = False
        if not restored or not _visible_on_a_screen(self.frameGeometry()):
            self._first_geometry()
        else:
            self._keep_on_screen()
        split = False
        if "splitter" in data:
            try:
                split = self.splitter.restoreState(QByteArray(base64.b64decode(data["splitter"])))
            except (TypeError, ValueError):
                split = False
        if not split:
            width = max(self.width(), 600)
            self.splitter.setSizes([round(width * share) for share in FIRST_SPLIT])
        sort = self.settings.get("sort")
        self.list_panel.sort_box.blockSignals(True)  # the rows are already in this order
        self.list_panel.sort_box.setCurrentIndex(max(0, self.list_panel.sort_box.findData(sort)))
        self.list_panel.sort_box.blockSignals(False)

    def _first_geometry(self) -> None:
        """About 90 % of the available screen, at most a comfortable reading size, centred."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(*FIRST_SIZE_CAP)
            return
        area = screen.availableGeometry()
        width = min(round(area.width() * FIRST_SCREEN_SHARE), FIRST_SIZE_CAP[0])
        height = min(round(area.height() * FIRST_SCREEN_SHARE), FIRST_SIZE_CAP[1])
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)

    def _keep_on_screen(self) -> None:
        """A saved window that is partly off its screen now (a smaller or missing monitor)
        is moved, and shrunk if need be, to lie wholly on the screen it overlaps most."""
        frame = self.frameGeometry()
        screens = QApplication.screens()
        if not screens:
            return
        area = max((s.availableGeometry() for s in screens), key=lambda a: _area(a.intersected(frame)))
        if area.contains(frame):
            return
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        self.resize(width, height)
        x = min(max(frame.x(), area.x()), area.x() + area.width() - width - extra_w)
        y = min(max(frame.y(), area.y()), area.y() + area.height() - height - extra_h)
        self.move(x, y)

    def save_window(self) -> None:
        self.window_state.data["geometry"] = base64.b64encode(bytes(self.saveGeometry())).decode()
        self.window_state.data["splitter"] = base64.b64encode(bytes(self.splitter.saveState())).decode()
        self.window_state.dirty = True
        self.window_state.save()

    def closeEvent(self, event) -> None:
        self.annotations.note.flush()
        self.annotations.article_note.flush()
        self.save_position()
        self.save_window()
        if self.session is not None:
            # Jobs still running finish during close; their results must not reach a window
            # that has let go of its session.
            self.session.blockSignals(True)
            self.session.close()
            self.session = None
        super().closeEvent(event)

    # Drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.import_paths(files)
            event.acceptProposedAction()

    # Idle detection (screenshots, tests) -----------------------------------------------------
    @property
    def busy(self) -> bool:
        s = self.session
        return bool(s and (s.indexing or s.background.busy or s.searches.busy or s.loader.busy))

    def _maybe_idle(self) -> None:
        if not self.busy:
            self.idle.emit()


# First run and imports -----------------------------------------------------------------------
def _is_sample_collection(paths: DataPaths, folder: Path) -> bool:
    """Whether ``folder`` is the bundled sample collection (or its copy in the data folder)."""
    from reader.paths import bundled_samples_dir

    try:
        return folder.resolve() in (bundled_samples_dir().resolve(), paths.samples_copy.resolve())
    except OSError:
        return False


def user_library_dir() -> Path:
    """The user's own library: ``Reader Library`` in their Documents folder."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return (Path(documents) if documents else Path.home() / "Documents") / "Reader Library"


def import_summary(report) -> str:
    """"1 imported, 2 already in the library, 1 failed: name: reason", translated."""
    from reader.library.importing import IMPORTED, IN_LIBRARY, UNCHANGED, UPDATED

    labels = ((IMPORTED, tr("{n} imported")), (UPDATED, tr("{n} updated")), (UNCHANGED, tr("{n} unchanged")),
              (IN_LIBRARY, tr("{n} already in the library")))
    parts = [label.replace("{n}", str(report.count(status))) for status, label in labels if report.count(status)]
    failed = [r for r in report.results if r.status == FAILED]
    if len(failed) == 1:
        parts.append(tr("1 failed: {reason}").replace("{reason}", f"{failed[0].source.name}: {failed[0].problem}"))
    elif failed:
        parts.append(tr("{n} failed").replace("{n}", str(len(failed))))
    if not parts:
        return tr("Nothing to import: no .md, .txt or .html files were found.")
    return tr(", ").join(parts)


def _area(rect) -> int:
    return max(0, rect.width()) * max(0, rect.height())


def _visible_on_a_screen(frame) -> bool:
    """Whether enough of ``frame`` (a QRect) is on a screen to be seen and grabbed."""
    for screen in QApplication.screens():
        seen = screen.availableGeometry().intersected(frame)
        if seen.width() >= 200 and seen.height() >= 150:
            return True
    return False


def _suppress_disconnect():
    import contextlib

    return contextlib.suppress(RuntimeError, TypeError)
