"""What a new user meets: the first window's size, a welcome, importing while the read-only
sample collection is open, and a second ``reader --library OTHER``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths, bundled_samples_dir  # noqa: E402
from reader.settings import Settings  # noqa: E402
from reader.ui.app import listen, make_app  # noqa: E402
from reader.ui.article_models import PathRole  # noqa: E402
from reader.ui.main_window import MainWindow  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

MOU = "001_5d55142517522224.md"

WINDOW_SIZE = """
import json, sys
from reader.library.library import Library
from reader.paths import DataPaths
from reader.settings import Settings
from reader.ui.app import make_app
from reader.ui.main_window import MainWindow
app = make_app()
paths = DataPaths(__import__("pathlib").Path(sys.argv[1])).ensure()
window = MainWindow(paths, Settings(paths.settings_file), Library(__import__("pathlib").Path(sys.argv[2]).resolve(), paths))
window.show()
app.processEvents()
print(json.dumps({"size": [window.width(), window.height()], "split": window.splitter.sizes()}))
window.close()
"""


def start(qtbot, data_dir: Path, library: Path) -> MainWindow:
    make_app()
    paths = DataPaths(data_dir)
    window = MainWindow(paths, Settings(paths.settings_file), Library(library.resolve(), paths))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy and window.library_model.rowCount() >= 1, timeout=15000)
    return window


def finish(qtbot, window: MainWindow) -> None:
    """Close the window once its jobs are done, and let what they queued arrive while it
    still exists (a session's late results after close are not this test's subject)."""
    qtbot.waitUntil(lambda: not window.busy, timeout=15000)
    qtbot.wait(100)
    window.close()
    qtbot.wait(300)


def close_boxes() -> None:
    for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
        box.close()


def window_on_screen(data_dir: Path, library: Path, width: int, height: int, tmp_path: Path) -> dict:
    """A real Reader process on an offscreen screen of the given size: the window it opens."""
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", WINDOW_SIZE, str(data_dir), str(library)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_first_window_takes_most_of_the_screen_and_the_pane_most_of_the_width(tmp_path: Path, sample_library: Path) -> None:
    laptop = window_on_screen(tmp_path / "d1", sample_library, 1366, 768, tmp_path)
    assert laptop["size"] == [round(1366 * 0.9), round(768 * 0.9)]
    listed, pane, notes = laptop["split"]
    assert pane > listed and pane > notes
    assert pane >= 0.5 * sum(laptop["split"])
    big = window_on_screen(tmp_path / "d2", sample_library, 2560, 1440, tmp_path)
    assert big["size"] == [1600, 1000]  # capped at a comfortable reading size


def test_a_saved_window_comes_back_and_onto_a_screen(qtbot, data_dir: Path, sample_library: Path) -> None:
    window = start(qtbot, data_dir, sample_library)
    area = window.screen().availableGeometry()
    assert window.width() == round(area.width() * 0.9) and window.height() == round(area.height() * 0.9)
    window.resize(640, 480)
    finish(qtbot, window)
    window = start(qtbot, data_dir, sample_library)
    assert (window.width(), window.height()) == (640, 480)
    window.move(area.right() + 3000, area.bottom() + 3000)  # a monitor that is gone
    finish(qtbot, window)
    window = start(qtbot, data_dir, sample_library)
    frame = window.frameGeometry()
    seen = area.intersected(frame)
    assert seen.width() * seen.height() >= 0.95 * frame.width() * frame.height()  # back where it can be seen
    assert (window.width(), window.height()) == (640, 480)
    finish(qtbot, window)


def test_with_no_article_open_the_pane_welcomes(qtbot, data_dir: Path, sample_library: Path) -> None:
    window = start(qtbot, data_dir, sample_library)
    assert window.current is None
    text = window.pane.toPlainText()
    assert "Welcome to Reader" in text
    for part in ("Ctrl+O", "Import", "Ctrl+K", "-word", "title:", "Keyboard shortcuts"):
        assert part in text, part
    finish(qtbot, window)


def test_the_welcome_speaks_traditional_chinese(qtbot, data_dir: Path, sample_library: Path) -> None:
    from reader.ui.i18n import install_translator

    app = make_app()
    translator = install_translator(app, "zh_TW")
    try:
        window = start(qtbot, data_dir, sample_library)
        text = window.pane.toPlainText()
        assert "歡迎使用 Reader" in text
        assert "Ctrl+O" in text and "Ctrl+K" in text
        assert "Welcome" not in text and "Choose an article" not in text
        finish(qtbot, window)
    finally:
        if translator is not None:
            app.removeTranslator(translator)


def drop(window: MainWindow, *files: Path, qtbot=None) -> None:
    """Drop ``files`` on the window and wait until the import (on a worker) has said what it did."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    if qtbot is not None:
        qtbot.waitUntil(lambda: bool(window.import_message), timeout=10000)


def test_importing_into_the_sample_collection_makes_the_users_library(qtbot, data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    samples = bundled_samples_dir()
    before = sorted(p.name for p in samples.iterdir())
    window = start(qtbot, data_dir, samples)
    assert "sample collection" in window.pane.toPlainText()
    mine = tmp_path / "mine.txt"
    mine.write_text("我的第一篇文章\n\n內容。", encoding="utf-8")
    drop(window, mine, qtbot=qtbot)
    library = home / "Documents" / "Reader Library"
    assert (library / "mine.md").is_file()
    assert sorted(p.name for p in samples.iterdir()) == before  # nothing written into the samples
    assert window.session.library.root == library.resolve()
    assert window.windowTitle().startswith("我的第一篇文章") or window.session.library.root.name == "Reader Library"
    message = window.statusBar().currentMessage()
    assert f"The sample collection is read-only: imported into your library {library}, now open." in message
    assert message.endswith("1 imported")
    # The new article is opened and selected in the list.
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "mine.md", timeout=10000)
    assert window.list_panel.view.currentIndex().data(PathRole) == "mine.md"
    assert "我的第一篇文章" in window.pane.toPlainText()
    assert Settings(DataPaths(data_dir).settings_file).get("library") == str(library.resolve())
    finish(qtbot, window)


def test_import_feedback_is_honest(qtbot, data_dir: Path, sample_library: Path, tmp_path: Path) -> None:
    window = start(qtbot, data_dir, sample_library)
    new = tmp_path / "new.txt"
    new.write_text("新的文章\n\n內容。", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00")
    drop(window, new, sample_library / MOU, bad, qtbot=qtbot)
    message = window.statusBar().currentMessage()
    assert message.startswith("1 imported, 1 already in the library, 1 failed: bad.txt: "), message
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "new.md", timeout=10000)
    assert window.list_panel.view.currentIndex().data(PathRole) == "new.md"
    drop(window, new, qtbot=qtbot)  # the same file again: nothing is written, and it says so
    assert window.statusBar().currentMessage() == "1 unchanged"
    close_boxes()
    finish(qtbot, window)


def test_import_feedback_in_traditional_chinese(qtbot, data_dir: Path, sample_library: Path, tmp_path: Path) -> None:
    from reader.ui.i18n import install_translator

    app = make_app()
    translator = install_translator(app, "zh_TW")
    try:
        window = start(qtbot, data_dir, sample_library)
        new = tmp_path / "new.txt"
        new.write_text("新的文章\n\n內容。", encoding="utf-8")
        drop(window, new, sample_library / MOU, qtbot=qtbot)
        assert window.statusBar().currentMessage() == "已匯入 1 篇、1 篇已在文庫中"
        finish(qtbot, window)
    finally:
        if translator is not None:
            app.removeTranslator(translator)


def test_a_second_reader_with_another_library_makes_the_window_open_it(qtbot, data_dir: Path, sample_library: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "only.md").write_text("---\ntitle: 另一個文庫的文章\ndate: 2025-02\n---\n\n內容。", encoding="utf-8")
    window = start(qtbot, data_dir, sample_library)
    server = listen(DataPaths(data_dir), window)
    try:
        env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        second = subprocess.Popen([sys.executable, "-m", "reader", "--library", str(other)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
        _, err = second.communicate()
        assert second.returncode == 0, err
        assert f"already running on {data_dir}; it opens {other.resolve()}" in err
        qtbot.waitUntil(lambda: window.session.library.root == other.resolve(), timeout=5000)
        qtbot.waitUntil(lambda: [r.path for r in window.library_model.rows] == ["only.md"], timeout=10000)
        assert window.windowTitle().startswith("other")
        # A folder that does not exist is an error of the second reader; the window stays.
        missing = subprocess.run([sys.executable, "-m", "reader", "--library", str(tmp_path / "nope")], env=env,
                                 cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert missing.returncode == 2
        assert "no such library folder" in missing.stderr
        assert window.session.library.root == other.resolve()
    finally:
        server.close()
        finish(qtbot, window)



def test_closing_right_after_a_refresh_starts_reaches_no_closed_database(qtbot, data_dir, sample_library) -> None:
    """A rescan finishing after the window closed used to hit the closed catalog
    (sqlite3.ProgrammingError: Cannot operate on a closed database)."""
    from tests.test_window import Harness

    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    (sample_library / "新文章.md").write_text("# 新文章\n\n內容", encoding="utf-8")
    window.session.refresh()
    window.close()  # at once, while the rescan runs
    qtbot.wait(1500)  # its result arrives now, and must be dropped
