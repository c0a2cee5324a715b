"""Starting the window: the application object, translations, one instance, screenshots."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

from reader import APP_NAME
from reader.library.library import resolve_library
from reader.paths import DataPaths, library_key, resources_dir
from reader.settings import Settings
from reader.ui.i18n import install_translator, pick_language


def make_app(argv: list[str] | None = None) -> QApplication:
    # The window has threads; forking it (multiprocessing's default on Linux, used by the
    # two-process index writer) can deadlock. Helper processes are spawned fresh instead.
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=True) != "spawn":
        with contextlib.suppress(RuntimeError):
            multiprocessing.set_start_method("spawn", force=True)
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("Reader")
    app.setDesktopFileName("reader")
    icon = resources_dir() / "reader.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def server_name(paths: DataPaths) -> str:
    return "reader-" + library_key(paths.root)


def focus_existing(paths: DataPaths) -> bool:
    """Ask a Reader already running on this data folder to come to the front."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if socket.waitForConnected(300):
        socket.write(b"raise\n")
        socket.waitForBytesWritten(300)
        socket.disconnectFromServer()
        return True
    return False


def listen(paths: DataPaths, window) -> QLocalServer:
    server = QLocalServer(window)
    QLocalServer.removeServer(server_name(paths))  # a stale socket of a crashed instance

    def raise_window() -> None:
        connection = server.nextPendingConnection()
        if connection is not None:
            connection.disconnectFromServer()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    server.newConnection.connect(raise_window)
    server.listen(server_name(paths))
    return server


def run_gui(args, paths: DataPaths) -> int:
    from reader.ui.main_window import MainWindow

    app = make_app()
    paths.ensure()
    settings = Settings(paths.settings_file)
    install_translator(app, pick_language(settings.get("language")))
    screenshot = getattr(args, "screenshot", None)
    if not screenshot and focus_existing(paths):
        print(f"reader: already running on {paths.root}; brought it to the front", file=sys.stderr)
        return 0
    library = resolve_library(paths, getattr(args, "library", None), settings)
    window = MainWindow(paths, settings, library, theme=getattr(args, "theme", None))
    if screenshot:
        return take_screenshot(app, window, args)
    server = listen(paths, window)
    window.show()
    show_startup_notices(window, settings)
    code = app.exec()
    server.close()
    return code


def startup_notices(window, settings: Settings) -> list[str]:
    """What went wrong with the files read at start that the user should know: values of the
    wrong type dropped from the preferences, window or reading state, a catalog rebuilt or
    kept in memory, a preference that could not be saved (read-only data folder)."""
    found = [*settings.notices]
    if settings.save_problem:
        found.append(settings.save_problem)
    found += window.window_state.notices
    session = window.session
    if session is not None:
        found += session.reading.notices + session.catalog.notices
    return list(dict.fromkeys(found))


def show_startup_notices(window, settings: Settings) -> None:
    """One non-modal message with every start-up notice (the store's own messages are shown
    by the window when it opens the library)."""
    notices = startup_notices(window, settings)
    if notices:
        window.notify("\n\n".join(notices))


def take_screenshot(app: QApplication, window, args) -> int:
    """Lay out the window as a user would see it, wait for the work to finish, save a PNG."""
    try:
        width, height = (int(v) for v in str(args.size).lower().split("x"))
    except ValueError:
        print(f"reader: --size {args.size}: expected WIDTHxHEIGHT, e.g. 1280x800", file=sys.stderr)
        return 2
    window.resize(width, height)
    window.show()
    steps = []
    if args.open_path:
        steps.append(lambda: window.open_path(args.open_path))
    if args.search:
        def search() -> None:
            window.list_panel.search_box.setText(args.search)
            window.run_search(args.search)
        steps.append(search)

    _settle(app, window)
    for step in steps:
        step()
        _settle(app, window)
    if args.search and args.open_path and window.current is not None:
        window.mark_search(args.search)
    if args.search and window.results_model.rows and not args.open_path:
        index = window.results_model.index(0, 0)
        window.list_panel.view.setCurrentIndex(index)
        window.open_index(index)
        _settle(app, window)
    _settle(app, window)
    image = window.grab()
    target = Path(args.screenshot)
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = image.save(str(target), "PNG")
    window.close()
    if not ok:
        print(f"reader: {target}: could not write the PNG", file=sys.stderr)
        return 1
    print(str(target))
    return 0


def _settle(app: QApplication, window, timeout_ms: int = 30_000) -> None:
    import time

    end = time.monotonic() + timeout_ms / 1000
    quiet = 0
    while time.monotonic() < end:
        app.processEvents()
        if window.busy:
            quiet = 0
        else:
            quiet += 1
            if quiet > 20:
                break
        time.sleep(0.01)
