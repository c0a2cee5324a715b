"""Starting the window: the application object, translations, one instance, screenshots."""

from __future__ import annotations

import atexit
import contextlib
import os
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
    if app.platformName() == "offscreen" and not app.property("reader_clipboard_guard"):
        # Qt's offscreen clipboard crashes at exit when it still holds data set from Python
        # (a copy with citation during --screenshot or the tests): empty it first.
        app.setProperty("reader_clipboard_guard", True)
        atexit.register(clear_offscreen_clipboard)
    return app


def clear_offscreen_clipboard() -> None:
    app = QApplication.instance()
    if app is not None and app.platformName() == "offscreen":
        app.clipboard().clear()


def server_name(paths: DataPaths) -> str:
    return "reader-" + library_key(paths.root)


def focus_existing(paths: DataPaths, library: Path | None = None) -> bool:
    """Ask a Reader already running on this data folder to come to the front, and to open
    ``library`` (an absolute folder) when one is given. One line: ``raise`` or ``open PATH``
    (the path's bytes, as the file system has them)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if socket.waitForConnected(300):
        message = b"raise\n" if library is None else b"open " + os.fsencode(str(library)) + b"\n"
        socket.write(message)
        socket.flush()
        socket.waitForBytesWritten(1000)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(1000)
        return True
    return False


def listen(paths: DataPaths, window) -> QLocalServer:
    """Answer a second ``reader``: come to the front, and open the library it names."""
    server = QLocalServer(window)
    QLocalServer.removeServer(server_name(paths))  # a stale socket of a crashed instance

    def to_front() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def handle(line: bytes) -> None:
        if line.startswith(b"open "):
            folder = Path(os.fsdecode(line[5:]))
            opener = getattr(window, "open_library", None)
            current = getattr(getattr(window, "session", None), "library", None)
            if opener is not None and folder.is_dir() and (current is None or current.root != folder):
                from reader.library.library import Library

                opener(Library(folder, paths))
        to_front()

    def accept() -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            buffer = bytearray()

            def read(connection=connection, buffer=buffer) -> None:
                buffer.extend(bytes(connection.readAll()))
                while b"\n" in buffer:
                    line, _, rest = bytes(buffer).partition(b"\n")
                    buffer[:] = rest
                    if len(line) <= 8192:
                        handle(line)

            def finished(connection=connection) -> None:
                read(connection)
                connection.deleteLater()

            connection.readyRead.connect(read)
            connection.disconnected.connect(finished)
            if connection.bytesAvailable():
                read()

    server.newConnection.connect(accept)
    server.listen(server_name(paths))
    return server


def run_gui(args, paths: DataPaths) -> int:
    from reader.ui.main_window import MainWindow

    app = make_app()
    paths.ensure()
    settings = Settings(paths.settings_file)
    install_translator(app, pick_language(settings.get("language")))
    screenshot = getattr(args, "screenshot", None)
    requested = getattr(args, "library", None)
    # A missing folder is an error here, before asking a running Reader to open it.
    library = resolve_library(paths, requested, settings) if requested else None
    if not screenshot and focus_existing(paths, library.root if library is not None else None):
        if library is not None:
            print(f"reader: already running on {paths.root}; it opens {library.root}", file=sys.stderr)
        else:
            print(f"reader: already running on {paths.root}; brought it to the front", file=sys.stderr)
        return 0
    if library is None:
        library = resolve_library(paths, None, settings)
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
    if "splitter" not in window.window_state.data:  # as a first window of this size shows it
        from reader.ui.window_geometry import first_split

        first_split(window.splitter, width)
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
