"""The main window's menus and highlight toolbar, built when the window is made and built
again when the interface language changes. The actions call the window's intent methods and
its controllers; the window keeps the menus it fills later (recent libraries, contents,
colours) as attributes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QToolButton

from reader import __version__
from reader.ui import dialogs
from reader.ui.annotations_panel import color_icon
from reader.ui.i18n import tr


def build(window) -> None:
    """The menu bar and the toolbar of ``window`` (a MainWindow)."""
    bar = window.menuBar()
    for old in [a.menu() for a in bar.actions()]:  # built again when the language changes
        if old is not None:
            old.deleteLater()  # with its actions and their shortcuts
    bar.clear()
    file_menu = bar.addMenu(tr("&File"))
    window.open_action = file_menu.addAction(tr("Open library…"), QKeySequence.StandardKey.Open, window.choose_library)
    window.recent_menu = file_menu.addMenu(tr("Recent libraries"))
    file_menu.addAction(tr("Import files…"), window.choose_imports)
    if hasattr(window, "citations"):
        window.citations.add_to_file_menu(file_menu)  # Export annotations…
    window.open_original_action = file_menu.addAction(tr("Open original"), QKeySequence("Ctrl+Shift+O"), window.open_original)
    window.open_original_action.setToolTip(tr("Open the article's source file in the system's viewer"))
    window.open_original_action.setEnabled(window.current is not None)
    file_menu.addSeparator()
    file_menu.addAction(tr("Preferences…"), window.show_preferences)
    file_menu.addSeparator()
    file_menu.addAction(tr("Quit"), QKeySequence.StandardKey.Quit, window.close)

    view = bar.addMenu(tr("&View"))
    view.addAction(tr("Search the library"), QKeySequence("Ctrl+K"), window.list_panel.focus_search)
    view.addAction(tr("Find in article"), QKeySequence.StandardKey.Find, window.find_bar.open)
    view.addAction(tr("Next match"), QKeySequence("F3"), lambda: window.search.step(True))
    view.addAction(tr("Previous match"), QKeySequence("Shift+F3"), lambda: window.search.step(False))
    view.addSeparator()
    view.addAction(tr("Zoom in"), QKeySequence("Ctrl+="), lambda: window.set_zoom(window.pane.zoom + 1))
    if not hasattr(window, "_zoom_shortcut"):
        window._zoom_shortcut = QShortcut(QKeySequence("Ctrl++"), window, lambda: window.set_zoom(window.pane.zoom + 1))
    view.addAction(tr("Zoom out"), QKeySequence("Ctrl+-"), lambda: window.set_zoom(window.pane.zoom - 1))
    view.addAction(tr("Actual size"), QKeySequence("Ctrl+0"), lambda: window.set_zoom(0))
    window.theme_menu = view.addMenu(tr("Theme"))
    window.theme_group = QActionGroup(window.theme_menu)
    window.theme_group.setExclusive(True)
    window.theme_actions = {}
    for key, label in (("system", tr("Follow system")), ("light", tr("Light")), ("dark", tr("Dark")), ("sepia", tr("Sepia"))):
        action = window.theme_menu.addAction(label)
        action.setCheckable(True)
        action.setData(key)
        action.triggered.connect(lambda _checked=False, k=key: window.apply_theme(k))
        window.theme_group.addAction(action)
        window.theme_actions[key] = action
    if window.theme_setting in window.theme_actions:
        window.theme_actions[window.theme_setting].setChecked(True)
    window.toc_menu = view.addMenu(tr("Contents"))
    view.addSeparator()
    window.distraction_action = view.addAction(tr("Distraction-free mode"), QKeySequence("F11"), window.toggle_distraction_free)
    window.distraction_action.setCheckable(True)
    window.distraction_action.setChecked(window.isFullScreen())
    window.panels_action = view.addAction(tr("Side panels"), QKeySequence("Ctrl+Shift+F"), window.toggle_panels)
    window.panels_action.setCheckable(True)
    window.panels_action.setChecked(window.list_panel.isVisibleTo(window) or not window.isVisible())
    if hasattr(window, "passages_controller"):  # every passage of the search (issue 13)
        if not hasattr(window, "passages_action"):  # the window's own: on the toolbar too, kept across rebuilds
            window.passages_action = QAction(window)
            window.passages_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
            window.passages_action.setCheckable(True)
            window.passages_action.triggered.connect(lambda _checked=False: window.passages_controller.toggle())
        window.passages_action.setText(tr("Passages"))
        window.passages_action.setToolTip(tr("List every passage of the search below the article (Ctrl+Shift+P)"))
        window.passages_action.setChecked(window.passages_controller.visible)
        view.addAction(window.passages_action)

    if hasattr(window, "search_memory"):  # Save this search…, the saved searches (issue 13)
        window.search_menu = bar.addMenu(tr("&Search"))
        window.search_menu.aboutToShow.connect(lambda: window.search_memory.fill_menu(window.search_menu))
        window.search_memory.fill_menu(window.search_menu)

    library = bar.addMenu(tr("&Library"))
    library.addAction(tr("Update index"), lambda: window.session and window.session.resume_extraction())
    library.addAction(tr("Rebuild index"), lambda: window.session and window.session.update_index(rebuild=True))
    library.addAction(tr("Problems…"), window.show_problems)
    library.addAction(tr("Terms…"), window.show_terms)  # issue 14
    library.addSeparator()
    # The open article's details (or the list's selected one, when the list has the focus).
    window.edit_details_action = library.addAction(tr("Edit article details…"), QKeySequence("Ctrl+I"), lambda: window.edit_article_details())

    edit = bar.addMenu(tr("&Edit"))
    # Undo a delete wherever the focus is: a window shortcut, which text inputs let
    # through while they have no typing of their own to undo (UndoPassThrough).
    window.undo_action = edit.addAction(tr("Undo delete"), QKeySequence.StandardKey.Undo, window.annotation_controller.undo)
    window.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    window.highlight_menu = edit.addMenu(tr("Highlight"))
    if hasattr(window, "citations"):
        window.citations.add_to_edit_menu(edit)  # Copy with citation, Citation style

    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addAction(tr("Keyboard shortcuts"), lambda: dialogs.show_shortcuts(window))
    help_menu.addAction(tr("About Reader"), lambda: dialogs.show_about(window, __version__))

    if not hasattr(window, "toolbar"):
        window.toolbar = window.addToolBar(tr("Highlight"))
        window.toolbar.setObjectName("highlightToolbar")
        window.toolbar.setMovable(False)
    window.toolbar.setWindowTitle(tr("Highlight"))
    build_highlight_actions(window)


def build_highlight_actions(window) -> None:
    """The colours in the Edit ▸ Highlight menu and the toolbar (H is the first)."""
    window.toolbar.clear()
    window.highlight_menu.clear()
    window.toolbar.addWidget(QLabel(" " + tr("Highlight") + ": ", window.toolbar))
    for number, (key, name, css) in enumerate(window.pane.colors):
        action = QAction(color_icon(css), name, window)
        action.setToolTip(tr("Highlight the selection") + f" ({name})" + (" — H" if number == 0 else ""))
        action.triggered.connect(lambda _c=False, k=key: window.annotation_controller.highlight(k))
        button = QToolButton(window.toolbar)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAccessibleName(tr("Highlight the selection") + f" ({name})")
        window.toolbar.addWidget(button)
        window.highlight_menu.addAction(action)
    if hasattr(window, "passages_action"):  # the passages view's button (issue 13)
        window.toolbar.addSeparator()
        window.toolbar.addAction(window.passages_action)  # the action itself: clear() only removes it
        button = window.toolbar.widgetForAction(window.passages_action)
        button.setAccessibleName(tr("Show or hide the passages"))
        button.setObjectName("passagesButton")
        window.passages_button = button
