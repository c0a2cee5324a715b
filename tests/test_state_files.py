"""The data folder's state files and caches when they hold what Reader would not write: a file
name that is not UTF-8, values of the wrong type in settings.json / state.json / reading.json,
a catalog or an index manifest of the wrong shape, and backups that leave files behind.

Each falls back to its defaults (per value: the wrong one is dropped, the rest kept) and says
so: on stderr for the commands, in a message in the window; ``reader doctor`` names each one
and ``--repair`` mends them all."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from reader.annotations.selectors import TextPosition, TextQuote
from reader.annotations.store import AnnotationStore
from reader.paths import DataPaths
from reader.settings import Settings
from reader.ui.ui_state import JsonState, ReadingState
from tests.conftest import run_cli

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"
BIG5_NAME = "新聞稿.md".encode("cp950")  # as a zip made on a Big5 system leaves it
SHOWN = "\\xb7s\\xbbD\\xbdZ.md"  # how Reader shows (and identifies) that name
NOT_UTF8 = "file name is not valid UTF-8"
WRONG_SETTINGS = {"theme": 5, "zoom": "big", "recent_libraries": "x", "highlight_colors": [1, 2], "library": 7, "sort": "title"}


def _add_big5_named_file(library: Path) -> None:
    fd = os.open(os.fsencode(library) + b"/" + BIG5_NAME, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, "---\ntitle: 新聞稿\n---\n\n安全新聞".encode())
    os.close(fd)


def _state_dir(data_dir: Path, library: Path) -> Path:
    return DataPaths(data_dir).library_state(library.resolve())


def _boxes():
    from PySide6.QtWidgets import QApplication, QMessageBox

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _close_boxes() -> None:
    for box in _boxes():
        box.close()


# 1. A file name that is not UTF-8 ---------------------------------------------------------
def test_a_file_name_that_is_not_utf8_is_listed_with_its_problem_and_nothing_else_breaks(sample_library: Path, data_dir: Path) -> None:
    _add_big5_named_file(sample_library)
    lib = str(sample_library)

    listed = run_cli("list", "--library", lib, data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    [row] = [line for line in listed.stdout.splitlines() if f"[{SHOWN}]" in line]
    assert row.rstrip().endswith(f"! {NOT_UTF8}")
    assert "(3 articles)" in listed.stdout and f"[{NIST}]" in listed.stdout
    assert f"{SHOWN}: {NOT_UTF8}" in listed.stderr

    as_json = run_cli("list", "--library", lib, "--json", data_dir=data_dir)
    assert as_json.returncode == 0, as_json.stderr
    articles = {a["path"]: a for a in json.loads(as_json.stdout)["articles"]}
    assert articles[SHOWN]["problems"] == [NOT_UTF8]
    assert articles[NIST]["problems"] == [] and articles[NIST]["title"].startswith("美國國家標準暨技術研究院")

    indexed = run_cli("index", "--library", lib, data_dir=data_dir)
    assert indexed.returncode == 0, indexed.stderr
    assert "3 articles indexed (3 added" in indexed.stderr
    again = run_cli("index", "--library", lib, data_dir=data_dir)
    assert "3 articles indexed (0 added, 0 updated, 0 removed)" in again.stderr  # no work each time

    found = run_cli("search", "安全", "--library", lib, "--json", data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    assert {h["path"] for h in json.loads(found.stdout)["hits"]} == {NIST, MOU}

    doctor = run_cli("doctor", "--library", lib, data_dir=data_dir)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert f"{SHOWN}: {NOT_UTF8}" in doctor.stdout and doctor.stdout.strip().endswith("healthy")
    for result in (listed, as_json, indexed, found, doctor):
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr


def test_the_window_lists_a_file_whose_name_is_not_utf8(qtbot, sample_library: Path, data_dir: Path) -> None:
    pytest.importorskip("PySide6")
    from tests.test_window import Harness

    _add_big5_named_file(sample_library)
    harness = Harness(qtbot, data_dir, sample_library, articles=3)
    window = harness.start()
    try:
        rows = {row.path: row for row in window.library_model.rows}
        assert rows[SHOWN].problems == [NOT_UTF8]
        assert {NIST, MOU} <= set(rows)
        assert "1 with problems" in window.count_label.text()
        harness.open(NIST)
        assert "NIST" in window.pane.toPlainText()
    finally:
        _close_boxes()
        window.close()


# 2. Values of the wrong type ----------------------------------------------------------------
def test_wrong_typed_settings_are_dropped_one_by_one_with_a_notice(sample_library: Path, data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    paths.settings_file.write_text(json.dumps(WRONG_SETTINGS), encoding="utf-8")

    settings = Settings(paths.settings_file)
    assert settings.get("theme") == "system" and settings.get("zoom") == 0 and settings.get("library") == ""
    assert settings.get("recent_libraries") == [] and settings.get("highlight_colors")[0]["key"] == "yellow"
    assert settings.get("sort") == "title"  # the right value is kept

    listed = run_cli("list", "--library", str(sample_library), data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert "(2 articles)" in listed.stdout
    notice = next(line for line in listed.stderr.splitlines() if "settings.json" in line)
    assert notice.startswith(f"{paths.settings_file}: values of the wrong type were ignored")
    for expected in ('theme (expected text, found 5)', 'zoom (expected a whole number, found "big")',
                     'recent_libraries (expected a list of texts, found "x")', "highlight_colors (expected a list of {key, name, color}",
                     "library (expected text, found 7)"):
        assert expected in notice
    assert "sort" not in notice


def test_wrong_typed_reading_state_keeps_the_right_values(sample_library: Path, data_dir: Path) -> None:
    state = _state_dir(data_dir, sample_library)
    state.mkdir(parents=True)
    (state / "reading.json").write_text(json.dumps({"read": [], "positions": {"a": "x", NIST: 0.5}, "last": 3}), encoding="utf-8")
    reading = ReadingState(state / "reading.json")
    assert reading.position(NIST) == 0.5 and reading.position("a") == 0.0
    assert reading.last_article == "" and not reading.is_read(NIST)
    [notice] = reading.notices
    assert "read (expected an object of reading times, found [])" in notice
    assert '"a" (expected a fraction from 0 to 1, found "x")' in notice and "last (expected an article path, found 3)" in notice


def test_the_window_starts_on_wrong_typed_settings_window_and_reading_state(qtbot, sample_library: Path, data_dir: Path) -> None:
    pytest.importorskip("PySide6")
    from reader.ui.app import show_startup_notices
    from tests.test_window import Harness

    harness = Harness(qtbot, data_dir, sample_library)
    harness.start().close()  # a first run fills the catalog
    paths = DataPaths(data_dir)
    paths.settings_file.write_text(json.dumps(WRONG_SETTINGS), encoding="utf-8")
    paths.state_file.write_text(json.dumps({"geometry": 5, "splitter": ["x"]}), encoding="utf-8")
    state = _state_dir(data_dir, sample_library)
    (state / "reading.json").write_text(json.dumps({"read": {NIST: "x"}, "positions": {NIST: "x"}, "last": NIST}), encoding="utf-8")

    window = harness.start()
    try:
        assert window.library_model.rowCount() == 2
        assert window.pane.zoom == 0 and window.list_panel.sort_box.currentData() == "title"
        qtbot.waitUntil(lambda: window.current is not None and window.current.path == NIST, timeout=5000)  # "last" was kept
        show_startup_notices(window, window.settings)
        [box] = [b for b in _boxes() if "settings.json" in b.text()]
        for name in ("settings.json", "state.json", "reading.json"):
            assert name in box.text()
        assert "geometry (expected saved window state" in box.text()
    finally:
        _close_boxes()
        window.close()
    saved = json.loads(paths.state_file.read_text(encoding="utf-8"))  # written back in the right shape
    assert isinstance(saved["geometry"], str) and isinstance(saved["splitter"], str)
    assert JsonState(paths.state_file).notices == []


def _wrong_shaped_catalog(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE articles (x)")
    conn.execute("INSERT INTO articles VALUES (1)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", ["wrong shape", "garbage"])
def test_a_damaged_catalog_is_rebuilt_and_said(sample_library: Path, data_dir: Path, damage: str) -> None:
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    catalog = DataPaths(data_dir).catalog_db(sample_library.resolve())
    if damage == "garbage":
        for suffix in ("-wal", "-shm"):
            Path(f"{catalog}{suffix}").unlink(missing_ok=True)
        catalog.write_bytes(b"not a database at all " * 200)
    else:
        _wrong_shaped_catalog(catalog)
    listed = run_cli("list", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["articles"]) == 2
    reason = "the table articles has other columns (x)" if damage == "wrong shape" else "not a valid database"
    assert f"{catalog}: the catalog was damaged ({reason}); it was rebuilt from the files" in listed.stderr
    again = run_cli("list", "--library", str(sample_library), data_dir=data_dir)
    assert "catalog" not in again.stderr  # said once: it is fine now


def test_the_window_starts_on_a_catalog_of_the_wrong_shape(qtbot, sample_library: Path, data_dir: Path) -> None:
    pytest.importorskip("PySide6")
    from reader.ui.app import show_startup_notices
    from tests.test_window import Harness

    harness = Harness(qtbot, data_dir, sample_library)
    harness.start().close()
    _wrong_shaped_catalog(DataPaths(data_dir).catalog_db(sample_library.resolve()))
    window = harness.start()
    try:
        assert window.library_model.rowCount() == 2
        show_startup_notices(window, window.settings)
        assert any("the catalog was damaged" in box.text() for box in _boxes())
    finally:
        _close_boxes()
        window.close()


def _generation(index_dir: Path) -> int:
    return json.loads((index_dir / "reader-versions.json").read_text(encoding="utf-8"))["generation"]


def test_an_index_manifest_of_the_wrong_shape_is_read_from_the_index_and_written_again(sample_library: Path, data_dir: Path) -> None:
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    index_dir = DataPaths(data_dir).index_dir(sample_library.resolve())
    manifest = index_dir / "reader-versions.json"
    manifest.write_text(json.dumps({"generation": _generation(index_dir), "versions": [1, 2]}), encoding="utf-8")
    found = run_cli("search", "安全", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    assert {h["path"] for h in json.loads(found.stdout)["hits"]} == {NIST, MOU}
    assert f"{manifest}: the list of indexed versions has the wrong shape; the versions were read from the index itself" in found.stderr
    assert isinstance(json.loads(manifest.read_text(encoding="utf-8"))["versions"], dict)

    (index_dir / "reader-index.json").write_text("[1]", encoding="utf-8")  # the format marker
    found = run_cli("search", "安全", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    assert {h["path"] for h in json.loads(found.stdout)["hits"]} == {NIST, MOU}


def test_doctor_names_every_damaged_state_file_and_cache_and_repair_mends_them_all(sample_library: Path, data_dir: Path) -> None:
    lib = str(sample_library)
    assert run_cli("index", "--library", lib, data_dir=data_dir).returncode == 0
    paths = DataPaths(data_dir)
    root = sample_library.resolve()
    paths.settings_file.write_text(json.dumps(WRONG_SETTINGS), encoding="utf-8")
    paths.state_file.write_text(json.dumps({"geometry": 5}), encoding="utf-8")
    (paths.library_state(root) / "reading.json").write_text(json.dumps({"read": [], "positions": {"a": "x"}, "last": 3}), encoding="utf-8")
    index_dir = paths.index_dir(root)
    (index_dir / "reader-versions.json").write_text(json.dumps({"generation": _generation(index_dir), "versions": {NIST: 5}}), encoding="utf-8")
    _wrong_shaped_catalog(paths.catalog_db(root))

    sick = run_cli("doctor", "--library", lib, data_dir=data_dir)
    assert sick.returncode == 1, sick.stdout + sick.stderr
    problems = [line for line in sick.stdout.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 5, sick.stdout
    for expected in ("settings.json: values of the wrong type", "state.json: values of the wrong type", "reading.json: values of the wrong type",
                     "catalog.sqlite3: the catalog is damaged (the table articles has other columns (x))",
                     "index: the list of indexed versions holds values of the wrong type"):
        assert any(expected in line for line in problems), expected
    assert sick.stdout.strip().endswith("5 problems; run reader doctor --repair")
    assert "(x)" in sqlite3.connect(paths.catalog_db(root)).execute("SELECT sql FROM sqlite_master").fetchone()[0]  # the check changed nothing

    repaired = run_cli("doctor", "--library", lib, "--repair", data_dir=data_dir)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    for expected in ("repaired settings:", "repaired window state:", "repaired reading state:", "repaired catalog rebuilt", "repaired index rebuilt"):
        assert expected in repaired.stdout
    assert repaired.stdout.strip().endswith("healthy") and "Traceback" not in repaired.stderr
    assert json.loads(paths.settings_file.read_text(encoding="utf-8")) == {"sort": "title"}  # the right value survived
    assert run_cli("doctor", "--library", lib, data_dir=data_dir).stdout.strip().endswith("healthy")


# 3. Backups ----------------------------------------------------------------------------------
def test_backups_leave_no_temporary_files(sample_library: Path, data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)  # the day's first open makes a backup
    store.add_highlight(str(sample_library.resolve()), MOU, TextQuote("布萊切利公園"), TextPosition(0, 6), note="備份")
    from reader.annotations import backups

    made = backups.make_backup(store.conn, paths.backups_dir, "manual")
    store.close()
    assert backups.integrity_ok(made) and backups.newest_good_backup(paths.backups_dir) is not None
    doctor = run_cli("doctor", "--library", str(sample_library), data_dir=data_dir)  # checks the newest backup
    assert "(verified)" in doctor.stdout
    names = sorted(p.name for p in paths.backups_dir.iterdir())
    assert len(names) == 2 and all(n.startswith("annotations-") and n.endswith(".sqlite3") for n in names), names
