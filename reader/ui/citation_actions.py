"""Citations and exports in the window: Edit ▸ Copy with citation (Ctrl+Shift+C), the
citation style (Edit ▸ Citation style, Add citation style…) and File ▸ Export annotations….

A small controller the main window makes. The work is Qt-free: the quote and its citation
come from :mod:`reader.citations.quote`, the export from :mod:`reader.exporting.command`
(``export_bytes``, the function ``reader annotations export`` uses) written by
:func:`reader.output.write_output` (atomic, never into the data folder). Quoting another
article and exporting run on a worker; the results come back as signals.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget

from reader import APP_NAME
from reader.citations import (
    DEFAULT_STYLE,
    StyleInfo,
    StyleProblem,
    add_user_style,
    available_styles,
    find_style,
    quote_annotation,
    quote_from_library,
    quote_span,
    user_styles_dir,
)
from reader.errors import ReaderError
from reader.ui.annotation_models import GROUP, ArticleRole, IdRole, KindRole
from reader.ui.i18n import color_label, tr
from reader.ui.workers import TaskRunner, error_line

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str, limit: int = 80) -> str:
    """``text`` as a file name on any system: no separators or reserved characters."""
    name = " ".join(_UNSAFE_NAME.sub(" ", text).split()).strip(" .")
    return name[:limit].rstrip(" .") or "annotations"


def export_labels() -> dict[str, str]:
    """The words an exported document writes around the entries, in the interface's
    language (``reader.exporting.entries.LABELS``)."""
    return {
        "title": tr("Annotations"),
        "citation_style": tr("Citation style: {style}"),
        "article_note": tr("Note on the article:"),
        "detached": tr("detached: the quote is no longer in the article"),
        "reattached": tr("re-attached ({state})"),
    }


class CitationActions(QObject):
    copied = Signal(str)  # the plain text put on the clipboard
    copy_failed = Signal(str)  # one line for the user
    export_finished = Signal(str, int)  # the file written, how many annotations it holds
    export_failed = Signal(str)  # one line naming the file and the problem

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner(1, self)
        self.copy_action: QAction | None = None
        self.style_menu: QMenu | None = None
        self.export_dialog = None
        self.message_box: QMessageBox | None = None  # the last problem shown (not modal)
        self._locator = None  # (rendered, Locator with pages) of the open article
        self.card_actions: list[QAction] = []
        self._add_card_actions()
        self.notice = self._style_notice()
        if self.notice:
            QTimer.singleShot(0, lambda: self.window.statusBar().showMessage(self.notice, 10000))

    # Menus ---------------------------------------------------------------------------------
    def add_to_file_menu(self, menu: QMenu) -> None:
        self.export_action = menu.addAction(tr("Export annotations…"), self.export_annotations)
        self.export_action.setToolTip(tr("Export highlights and notes with their citations (Markdown, Word, CSV, JSON)"))

    def add_to_edit_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        self.copy_action = menu.addAction(tr("Copy with citation"), QKeySequence("Ctrl+Shift+C"), self.copy_with_citation)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.copy_action.setToolTip(tr("Copy the selection, highlight or passage with its citation"))
        self.style_menu = menu.addMenu(tr("Citation style"))
        # Filled when opened: reading the styles' files is not worth delaying the window for.
        self.style_menu.aboutToShow.connect(self.fill_style_menu)
        menu.addAction(tr("Add citation style…"), self.add_citation_style)
        for action in self.card_actions:  # relabelled when the language changes
            action.setText(tr("Copy with citation"))

    def _add_card_actions(self) -> None:
        """The cards' context menu (the annotations panel has none of its own)."""
        panel = self.window.annotations
        for view in (panel.list, panel.all_list):
            action = QAction(tr("Copy with citation"), view)
            action.triggered.connect(lambda _checked=False, v=view: self.copy_with_citation(v))
            view.addAction(action)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.card_actions.append(action)

    # Styles ------------------------------------------------------------------------------
    @property
    def user_dir(self) -> Path:
        return user_styles_dir(self.window.paths.root)

    def style_name(self, info: StyleInfo) -> str:
        """A shipped style by a name in the interface language; a user's by its title and file."""
        if info.origin == "user":
            return f"{info.title} ({info.path.name})"
        shipped = {
            "apa": tr("APA (7th edition)"),
            "chicago-notes-bibliography": tr("Chicago (18th edition, notes and bibliography)"),
            "chicago-author-date": tr("Chicago (18th edition, author-date)"),
        }
        return shipped.get(info.key, info.title)

    def _style_notice(self) -> str:
        stored = self.window.settings.get("citation_style")
        if stored == DEFAULT_STYLE:
            return ""  # shipped with Reader: nothing to read at start-up
        try:
            find_style(stored, self.user_dir)
        except StyleProblem as exc:
            return (tr("The citation style “{name}” cannot be used ({problem}); using {default}.")
                    .replace("{name}", str(stored)[:60]).replace("{problem}", exc.problem)
                    .replace("{default}", find_style(DEFAULT_STYLE).title))
        return ""

    def current_style(self) -> StyleInfo:
        """The chosen style; the default when the stored one is unknown or broken."""
        try:
            return find_style(self.window.settings.get("citation_style"), self.user_dir)
        except StyleProblem:
            return find_style(DEFAULT_STYLE)

    def styles(self) -> tuple[list[StyleInfo], list[str]]:
        return available_styles(self.user_dir)

    def fill_style_menu(self, tell: bool = True) -> None:
        """The styles (shipped, then the user's), the chosen one checked; a user's file
        that is no usable style is listed, disabled, and its problem said."""
        menu = self.style_menu
        if menu is None:
            return
        menu.clear()
        self.style_group = QActionGroup(menu)
        self.style_group.setExclusive(True)
        try:
            styles, problems = self.styles()
        except ReaderError as exc:
            styles, problems = [], [str(exc)]
        current = self.current_style().key
        self.style_actions: dict[str, QAction] = {}
        for info in styles:
            action = menu.addAction(self.style_name(info))
            action.setCheckable(True)
            action.setData(info.key)
            action.setChecked(info.key == current)
            action.triggered.connect(lambda _checked=False, k=info.key: self.set_style(k))
            self.style_group.addAction(action)
            self.style_actions[info.key] = action
        for problem in problems:
            name = problem.split(": ", 1)[0]
            action = menu.addAction(tr("{file} (cannot be used)").replace("{file}", Path(name).name))
            action.setEnabled(False)
            action.setToolTip(problem)
        if problems and tell:
            self.window.statusBar().showMessage("; ".join(problems), 15000)

    def set_style(self, key: str) -> None:
        try:
            info = find_style(key, self.user_dir)
        except StyleProblem as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return
        self.window.settings.set("citation_style", info.key)
        self.notice = ""
        text = tr("Citation style: {name}").replace("{name}", self.style_name(info))
        if self.window.settings.save_problem:
            text += " — " + self.window.settings.save_problem
        self.window.statusBar().showMessage(text, 8000)
        if self.style_menu is not None:
            self.fill_style_menu(tell=False)

    def add_citation_style(self, path: str | None = None) -> StyleInfo | None:
        """Add a ``.csl`` file (chosen in a file dialog) to ``<data folder>/csl`` and use it."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, tr("Add citation style"), str(Path.home()), tr("CSL citation styles") + " (*.csl)")
            if not path:
                return None
        try:
            info = add_user_style(Path(path), self.user_dir)
        except ReaderError as exc:
            self.show_problem(tr("The citation style was not added:") + "\n" + str(exc))
            return None
        self.set_style(info.key)
        self.window.statusBar().showMessage(tr("Citation style added: {name}").replace("{name}", self.style_name(info)), 8000)
        return info

    def show_problem(self, text: str) -> None:
        """A problem in a message box that does not block the window, and the status bar."""
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self.window)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda _o=None, b=box: setattr(self, "message_box", None) if self.message_box is b else None)
        self.message_box = box
        box.show()
        self.window.statusBar().showMessage(text.replace("\n", " "), 15000)

    # Copy with citation --------------------------------------------------------------------
    def _focus_kind(self, focus: QWidget | None) -> str:
        panel = self.window.annotations
        passages = getattr(self.window, "passages", None)
        widget = focus
        while widget is not None:
            if widget is panel.list:
                return "card"
            if widget is panel.all_list:
                return "all"
            if passages is not None and widget is passages:
                return "passage"
            if widget is self.window.pane:
                return "pane"
            widget = widget.parentWidget()
        return "pane"

    def copy_with_citation(self, source: QWidget | None = None) -> bool:
        """Copy what the focus is on (the reading pane's selection, else the current
        highlight card, else the current passage) with its citation. False when there is
        nothing to copy (the status bar says so)."""
        order = ["pane", "card", "all", "passage"]
        first = self._focus_kind(source if source is not None else QApplication.focusWidget())
        order.remove(first)
        style = self.current_style()
        for kind in [first, *order]:
            job = getattr(self, f"_{kind}_job")(style)
            if job is not None:
                self.runner.run(job, self._copied, self._copy_failed)
                return True
        self.window.statusBar().showMessage(tr("Select text, a highlight or a passage to copy with its citation."), 6000)
        return False

    def _opened(self):
        current = self.window.current
        return None if current is None else (current.article, current.rendered, current.content_hash)

    def _open_locator(self):
        """The open article's locator (with its pages), made on the worker once per text."""
        current = self.window.current
        if current is None:
            return None
        rendered = current.rendered
        cached = self._locator
        if cached is not None and cached[0] is rendered:
            return lambda: cached[1]

        def make():
            from reader.exporting.command import document_pages
            from reader.locator import Locator

            locator = Locator.for_rendered(rendered, document_pages(current.path, rendered))
            self._locator = (rendered, locator)
            return locator

        return make

    def _pane_job(self, style: StyleInfo):
        selection = self.window.pane.selection_range()
        current = self.window.current
        if selection is None or current is None or selection[0] == selection[1]:
            return None
        start, end = selection
        article, rendered = current.article, current.rendered
        locator = self._open_locator()
        return lambda: quote_span(article, rendered, start, end, style, locator=locator())

    def _card_job(self, style: StyleInfo):
        session = self.window.session
        item = self.window.annotations.current()
        if session is None or item is None or item.quote is None:
            return None
        return self._annotation_job(item, style)

    def _all_job(self, style: StyleInfo):
        session = self.window.session
        index = self.window.annotations.all_list.currentIndex()
        if session is None or not index.isValid() or index.data(KindRole) == GROUP:
            return None
        annotation_id = index.data(IdRole)
        item = session.store.get(session.root, annotation_id) if annotation_id else None
        if item is None or item.quote is None or item.article != index.data(ArticleRole):
            return None
        return self._annotation_job(item, style)

    def _annotation_job(self, item, style: StyleInfo):
        session = self.window.session
        store, library, opened = session.store, session.library, self._opened()
        return lambda: quote_annotation(store, library, item, style, opened=opened)

    def _passage_job(self, style: StyleInfo):
        """The passages view's current passage (read defensively: the view is another
        engineer's, its roles may change)."""
        passages = getattr(self.window, "passages", None)
        session = self.window.session
        if passages is None or session is None:
            return None
        from reader.ui import passages_view

        view = next((v for v in (getattr(passages, n, None) for n in ("tree", "list", "view")) if v is not None and hasattr(v, "currentIndex")), None)
        if view is None:
            return None
        index = view.currentIndex()
        roles = {name: getattr(passages_view, name, None) for name in ("PathRole", "StartRole", "EndRole", "KindRole", "BeforeRole", "MatchRole", "AfterRole")}
        if not index.isValid() or None in (roles["PathRole"], roles["StartRole"], roles["EndRole"]):
            return None
        if roles["KindRole"] is not None and index.data(roles["KindRole"]) == getattr(passages_view, "GROUP", "group"):
            return None
        path, start, end = index.data(roles["PathRole"]), index.data(roles["StartRole"]), index.data(roles["EndRole"])
        if not path or not isinstance(start, int) or not isinstance(end, int):
            return None
        parts = [index.data(roles[n]) if roles[n] is not None else None for n in ("BeforeRole", "MatchRole", "AfterRole")]
        quote = " ".join("".join(p for p in parts if isinstance(p, str)).split()) if all(isinstance(p, str) for p in parts) else None
        current = self.window.current
        if current is not None and current.path == path:
            article, rendered, locator = current.article, current.rendered, self._open_locator()
            return lambda: quote_span(article, rendered, start, end, style, quote=quote or None, locator=locator())
        library = session.library
        if quote:
            def job():
                from reader.render.article import render_article

                article = library.load(path)
                return quote_span(article, render_article(article), start, end, style, quote=quote)

            return job
        return lambda: quote_from_library(library, path, start, end, style)

    def _copied(self, made) -> None:
        mime = QMimeData()
        mime.setText(made.plain)
        mime.setHtml(made.html)
        QApplication.clipboard().setMimeData(mime)
        text = tr("Copied with citation ({style})").replace("{style}", self.style_name(made.style))
        if self.notice:
            text += " — " + self.notice
        self.window.statusBar().showMessage(text, 8000)
        self.copied.emit(made.plain)

    def _copy_failed(self, error: Exception) -> None:
        line = tr("Not copied:") + " " + error_line(error)
        self.window.statusBar().showMessage(line, 10000)
        self.copy_failed.emit(line)

    # Export --------------------------------------------------------------------------------
    def export_annotations(self) -> None:
        """File ▸ Export annotations…: the dialog (not modal); on OK, the save dialog."""
        from reader.ui.export_dialog import ExportDialog

        session = self.window.session
        if session is None:
            return
        try:
            items = session.store.all(session.root)
            colors = [(c.key, color_label(c.name), c.color) for c in session.store.colors()]
            tags = session.store.tag_counts(session.root)
            styles, problems = self.styles()
        except ReaderError as exc:
            self.show_problem(str(exc))
            return
        articles = sorted(((path, row.title) for path, row in session.entries.items()), key=lambda pair: (pair[1] or pair[0], pair[0]))
        current = self.window.current.path if self.window.current is not None else ""
        if self.export_dialog is not None:
            self.export_dialog.close()
        dialog = ExportDialog(self.window, articles=articles, current=current, colors=colors, tags=tags,
                              styles=[(s.key, self.style_name(s)) for s in styles], style=self.current_style().key,
                              items=items, color_names={c.key: c.name for c in session.store.colors()})
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._export_chosen(dialog))
        dialog.destroyed.connect(lambda _o=None, d=dialog: setattr(self, "export_dialog", None) if self.export_dialog is d else None)
        self.export_dialog = dialog
        if problems:
            self.window.statusBar().showMessage("; ".join(problems), 15000)
        dialog.open()

    def suggested_name(self, choice) -> str:
        from reader.exporting import suffix

        session = self.window.session
        if choice.articles is not None and len(choice.articles) == 1:
            row = session.entries.get(choice.articles[0]) if session is not None else None
            title = getattr(row, "title", "") or Path(choice.articles[0]).stem
        else:
            title = session.library.root.name if session is not None else APP_NAME
        return safe_file_name(f"{title} {tr('annotations')}") + suffix(choice.fmt)

    def export_folder(self) -> Path:
        place = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(place) if place else Path.home()
        return folder if folder.is_dir() else Path.home()

    def ask_save_path(self, choice) -> Path | None:
        """The save dialog (it asks before replacing a file); None when cancelled."""
        from reader.exporting import suffix
        from reader.ui.dialogs import ask_save_path

        return ask_save_path(self, self.window, tr("Export annotations"), suffix(choice.fmt),
                             getattr(self, "_last_folder", None) or self.export_folder(), self.suggested_name(choice))

    def _export_chosen(self, dialog) -> None:
        choice = dialog.choice()
        items = dialog.chosen_items()
        target = self.ask_save_path(choice)
        if target is None:
            return
        self.export_to(choice, items, target)

    def export_to(self, choice, items: list, target: Path) -> None:
        """Write the chosen annotations to ``target`` (the save dialog confirmed replacing
        it) on a worker, through ``reader annotations export``'s own functions."""
        from reader.exporting.command import ExportRequest, export_bytes
        from reader.output import check_output_path, write_output

        session = self.window.session
        if session is None:
            return
        data_dir = self.window.paths.root
        try:
            check_output_path(target, data_dir, force=True)  # the data folder, a folder, a device
            style = find_style(choice.style, self.user_dir) if choice.fmt != "json" else None
            if style is not None:
                from reader.citations.styles import parsed_style

                parsed_style(style)
        except ReaderError as exc:
            self._export_failed(exc)
            return
        self._last_folder = target.parent
        request = ExportRequest(choice.fmt, style, tuple(choice.tags) if choice.tags else None, list(choice.colors) if choice.colors is not None else None, target, True)
        colors = {c.key: c.name for c in session.store.colors()}
        store, library = session.store, session.library
        labels = export_labels()

        def job():
            from reader.annotations.service import current_annotations

            # Positions as today's text has them, computed without writing (as the CLI does).
            current = current_annotations(store, library, items)
            data, count = export_bytes(request, library, current, colors, labels)
            written = write_output(target, data, data_dir, force=True)
            return str(written), count

        self.window.statusBar().showMessage(tr("Exporting to {file}…").replace("{file}", str(target)), 30000)
        self.runner.run(job, self._exported, self._export_failed)

    def _exported(self, result) -> None:
        path, count = result
        text = (tr("1 annotation exported to {file}") if count == 1 else tr("{n} annotations exported to {file}").replace("{n}", f"{count:,}")).replace("{file}", path)
        self.window.statusBar().showMessage(text, 10000)
        self.export_finished.emit(path, count)

    def _export_failed(self, error: Exception) -> None:
        line = error_line(error)
        self.show_problem(tr("The annotations were not exported:") + "\n" + line)
        self.export_failed.emit(line)
