"""The window when things go wrong: full disk, damaged files at start, a second instance."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from reader.annotations import backups
from reader.annotations.selectors import TextPosition, TextQuote
from reader.annotations.store import AnnotationStore
from reader.paths import DataPaths
from tests.conftest import ROOT
from tests.test_window import Harness, type_text

MOU = "001_5d55142517522224.md"


def test_a_full_disk_keeps_the_note_and_saves_it_when_space_returns(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    try:
        harness.open(MOU)
        text = window.pane.document().toPlainText()
        start = text.index("布萊切利公園")
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(window.pane.document())
        cursor.setPosition(start)
        cursor.setPosition(start + 6, QTextCursor.MoveMode.KeepAnchor)
        window.pane.setTextCursor(cursor)
        window.highlight_selection("yellow")
        [item] = window.annotations.items
        window.annotations.list.setCurrentRow(0)

        store = window.session.store
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
        type_text(qtbot, window.annotations.note, "很長的筆記" * 2000)
        qtbot.waitUntil(lambda: window.annotations.error.isVisible(), timeout=3000)
        assert "full" in window.annotations.error.text()
        assert window.annotations.note.toPlainText() == "很長的筆記" * 2000  # kept in the editor
        assert store.get(item.library, item.id).note == ""  # no partial row

        store.conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
        type_text(qtbot, window.annotations.note, "。")
        qtbot.waitUntil(lambda: store.get(item.library, item.id).note == "很長的筆記" * 2000 + "。", timeout=3000)
        assert not window.annotations.error.isVisible()

        # A read-only data folder fails the same way (SQLITE_READONLY; root ignores chmod, so
        # the database is made read-only from inside): a clear error, the text kept.
        store.conn.execute("PRAGMA query_only = ON")
        type_text(qtbot, window.annotations.note, "！")
        qtbot.waitUntil(lambda: window.annotations.error.isVisible(), timeout=3000)
        assert "readonly" in window.annotations.error.text() or "read-only" in window.annotations.error.text()
        assert window.annotations.note.toPlainText().endswith("。！")
        store.conn.execute("PRAGMA query_only = OFF")
        type_text(qtbot, window.annotations.note, "？")
        qtbot.waitUntil(lambda: store.get(item.library, item.id).note.endswith("。！？"), timeout=3000)
    finally:
        window.close()


def test_damaged_database_and_index_at_start(qtbot, data_dir: Path, sample_library: Path) -> None:
    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)
    store.add_highlight(str(sample_library.resolve()), MOU, TextQuote("布萊切利公園"), TextPosition(0, 6), note="備份中")
    backups.make_backup(store.conn, paths.backups_dir)
    store.close()
    harness = Harness(qtbot, data_dir, sample_library)
    harness.start().close()
    paths.annotations_db.write_bytes(b"SQLite format 3\x00" + b"\x00garbage" * 500)
    for toc in paths.index_dir(sample_library.resolve()).glob("*.toc"):
        toc.write_bytes(b"broken")

    started = time.monotonic()
    window = harness.start()
    ready = time.monotonic() - started
    try:
        assert ready < 2.0 + 1.0  # usable quickly (the index rebuilds in the background)
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        assert any("restored the backup of" in box.text() for box in boxes)
        assert [a.note for a in window.session.store.all(window.session.root)] == ["備份中"]
        window.list_panel.search_box.setText("布萊切利")
        qtbot.waitUntil(lambda: [r.path for r in window.results_model.rows] == [MOU], timeout=10000)
    finally:
        for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
            box.close()
        window.close()


def test_a_second_reader_brings_the_first_to_the_front(qtbot, data_dir: Path, sample_library: Path) -> None:
    from reader.ui.app import listen

    paths = DataPaths(data_dir)
    first = QWidget()
    qtbot.addWidget(first)
    raised = []
    first.raise_ = lambda: raised.append(True)  # what a window manager would do, observed
    server = listen(paths, first)
    try:
        env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
        second = subprocess.Popen([sys.executable, "-m", "reader", "--library", str(sample_library)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
        _, err = second.communicate()
        assert second.returncode == 0
        assert "already running" in err
        qtbot.waitUntil(lambda: raised == [True], timeout=3000)
    finally:
        server.close()
