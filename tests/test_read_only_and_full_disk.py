"""A data folder that fills up during ``reader index``, a backup on a full disk, and a data
folder that is read-only: reading goes on with what is there, writing says plainly why it
cannot, and nothing is left half-written."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from reader.annotations import backups
from reader.annotations.selectors import TextPosition, TextQuote
from reader.annotations.store import AnnotationStore
from reader.paths import DataPaths
from tests.conftest import run_cli

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"
# Few distinct characters: many articles share their bigrams, so the index stays small.
HAN = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡"


def _write_articles(folder: Path, first: int, count: int, marker: str, paragraphs: int = 30) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(first, first + count):
        rng = random.Random(n)
        text = ["".join(rng.choice(HAN) for _ in range(80)) + "。" for _ in range(paragraphs)]
        text[rng.randrange(paragraphs)] += marker
        (folder / f"{n:04d}.md").write_text(f"---\ntitle: 文章{n}\ndate: 2024-05\n---\n\n" + "\n\n".join(text) + "\n", encoding="utf-8")


def _hits(query: str, library: Path, data_dir: Path) -> set[str]:
    result = run_cli("search", query, "--library", str(library), "--json", "--limit", "0", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return {h["path"] for h in json.loads(result.stdout)["hits"]}


def _leftovers(index_dir: Path) -> list[str]:
    """Files of the index that its last commit does not use (an unfinished segment)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    storage = FileStorage(str(index_dir))
    generation = TOC._latest_generation(storage, "MAIN")
    used = {s.segment_id() for s in TOC.read(storage, "MAIN", generation).segments}
    out = []
    for path in index_dir.iterdir():
        name = path.name
        if name in ("MAIN_WRITELOCK", "reader-index.json", "reader-versions.json", f"_MAIN_{generation}.toc"):
            continue
        if name.split(".")[0] in used:
            continue
        out.append(name)
    return out


def _grow(disk: Path, kib: int) -> None:
    """Space comes back: the small file system is made larger."""
    subprocess.run(["mount", "-o", f"remount,size={kib}k", str(disk)], check=True, capture_output=True)


# 4. A disk that fills during `reader index` ------------------------------------------------
def test_a_disk_that_fills_while_indexing_says_what_was_written_and_the_index_stays_usable(tmp_path: Path, small_disk) -> None:
    library = tmp_path / "library"
    _write_articles(library, 0, 10, "甲批次")
    data_dir = small_disk(2048)
    first = run_cli("index", "--library", str(library), data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    _write_articles(library, 10, 40, "乙批次")

    full = run_cli("index", "--library", str(library), data_dir=data_dir)
    index_dir = DataPaths(data_dir).index_dir(library.resolve())
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "unexpected error" not in full.stderr
    assert (f"reader: {index_dir}: the disk is full; indexing stopped: none of the 40 changed article(s) were written;"
            " search works on the 10 article(s) of the index's last commit. Free some space and run reader index again") in full.stderr
    assert _leftovers(index_dir) == []  # the unfinished segment gave its space back

    assert _hits("甲批次", library, data_dir) == {f"{n:04d}.md" for n in range(10)}  # what was committed
    assert _hits("乙批次", library, data_dir) == set()

    _grow(data_dir, 16384)
    again = run_cli("index", "--library", str(library), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "50 articles indexed (40 added" in again.stderr
    assert _hits("乙批次", library, data_dir) == {f"{n:04d}.md" for n in range(10, 50)}


def test_a_disk_that_fills_during_a_two_process_index_shows_no_traceback(tmp_path: Path, small_disk) -> None:
    library = tmp_path / "library"
    _write_articles(library, 0, 450, "丙批次", paragraphs=2)  # 400 or more: two writer processes
    data_dir = small_disk(600)
    full = run_cli("index", "--library", str(library), data_dir=data_dir)
    index_dir = DataPaths(data_dir).index_dir(library.resolve())
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "SubWriterTask" not in full.stderr
    assert f"reader: {index_dir}: the disk is full; indexing stopped: none of the 450 changed article(s) were written" in full.stderr
    assert _leftovers(index_dir) == [] and not (index_dir / "MAIN.tmp").exists()

    _grow(data_dir, 16384)
    assert run_cli("index", "--library", str(library), data_dir=data_dir).returncode == 0
    assert len(_hits("丙批次", library, data_dir)) == 450  # nothing silently missing


# 3. A backup on a full disk ----------------------------------------------------------------
def test_a_backup_that_fills_the_disk_leaves_nothing_behind(small_disk) -> None:
    import os
    import sqlite3

    paths = DataPaths(small_disk(768))
    store = AnnotationStore.open(paths)  # today's (small) backup is made here
    first = sorted(p.name for p in paths.backups_dir.iterdir())
    n = 0
    while True:  # notes until the database is larger than the space left
        info = os.statvfs(paths.root)
        if info.f_bavail * info.f_frsize < paths.annotations_db.stat().st_size:
            break
        n += 1
        store.add_highlight("/lib", f"{n}.md", TextQuote("安全"), TextPosition(0, 2), note="很長的筆記" * 1500)
    with pytest.raises(sqlite3.OperationalError):
        backups.make_backup(store.conn, paths.backups_dir)
    store.close()
    assert sorted(p.name for p in paths.backups_dir.iterdir()) == first


# 5. A read-only data folder ----------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def read_only_data(sample_library: Path, data_dir: Path, read_only_folder):
    """A data folder after a first successful run (index, a highlight), then made read-only."""
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    store = AnnotationStore.open(DataPaths(data_dir))
    store.add_highlight(str(sample_library.resolve()), MOU, TextQuote("布萊切利公園"), TextPosition(0, 6), note="唯讀")
    store.close()
    before = _snapshot(data_dir)
    read_only_folder(data_dir)
    yield data_dir
    assert _snapshot(data_dir) == before  # nothing was written


def test_reading_commands_work_on_a_read_only_data_folder(read_only_data: Path, sample_library: Path) -> None:
    lib = str(sample_library)
    listed = run_cli("list", "--library", lib, "--json", data_dir=read_only_data)
    assert listed.returncode == 0, listed.stderr
    assert {a["path"] for a in json.loads(listed.stdout)["articles"]} == {NIST, MOU}
    assert _hits("布萊切利", sample_library, read_only_data) == {MOU}
    text = run_cli("export", MOU, "--library", lib, "--format", "text", data_dir=read_only_data)
    assert text.returncode == 0, text.stderr
    assert "布萊切利公園" in text.stdout

    (sample_library / "new.md").write_text("---\ntitle: 新文章\n---\n\n唯讀資料夾中的新文章", encoding="utf-8")
    listed = run_cli("list", "--library", lib, data_dir=read_only_data)
    assert listed.returncode == 0  # the catalog is kept in memory
    assert any("新文章" in line and "[new.md]" in line for line in listed.stdout.splitlines())
    catalog = DataPaths(read_only_data).catalog_db(sample_library.resolve())
    assert f"{catalog}: the data folder is read-only; the catalog is kept in memory for this run (nothing is written)" in listed.stderr
    searched = run_cli("search", "布萊切利", "--library", lib, data_dir=read_only_data)
    assert searched.returncode == 0 and MOU in searched.stdout
    # new.md, and the article whose highlight was made after the index: said, not indexed
    assert "index: the data folder is read-only; 2 changed article(s) could not be indexed, searching what was indexed before" in searched.stderr


def test_writing_commands_say_why_they_cannot_on_a_read_only_data_folder(read_only_data: Path, sample_library: Path) -> None:
    lib = str(sample_library)
    index = run_cli("index", "--library", lib, data_dir=read_only_data)
    assert index.returncode == 1
    assert index.stderr.strip() == (f"reader: {read_only_data}: the data folder is read-only; the search index cannot be updated"
                                    " (reader list and reader search still work on what is there)")
    repair = run_cli("doctor", "--library", lib, "--repair", data_dir=read_only_data)
    assert repair.returncode == 1
    assert f"PROBLEM  {read_only_data}: the data folder is read-only" in repair.stdout
    assert f"reader: {read_only_data}: the data folder is read-only; nothing was repaired" in repair.stderr
    for result in (index, repair):
        assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr


def test_a_damaged_index_in_a_read_only_data_folder_is_built_in_memory(sample_library: Path, data_dir: Path, read_only_folder) -> None:
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    index_dir = DataPaths(data_dir).index_dir(sample_library.resolve())
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(b"broken")
    read_only_folder(data_dir)
    result = run_cli("search", "安全", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert {h["path"] for h in json.loads(result.stdout)["hits"]} == {NIST, MOU}
    assert f"{index_dir}: the data folder is read-only and the index could not be opened" in result.stderr
    assert "an index is built in memory for this run (nothing is written)" in result.stderr


def test_the_window_opens_on_a_read_only_data_folder(qtbot, read_only_data: Path, sample_library: Path) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from tests.test_window import Harness

    harness = Harness(qtbot, read_only_data, sample_library)
    window = harness.start()
    try:
        assert {row.path for row in window.library_model.rows} == {NIST, MOU}
        harness.open(MOU)
        assert "布萊切利公園" in window.pane.toPlainText()
        assert [a.note for a in window.annotations.items] == ["唯讀"]
        window.list_panel.search_box.setText("布萊切利")
        qtbot.waitUntil(lambda: [r.path for r in window.results_model.rows] == [MOU], timeout=10000)
        window.set_zoom(2)  # a preference that cannot be saved is kept for this session
        assert window.pane.zoom == 2 and "read-only" in window.settings.save_problem
    finally:
        for box in [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]:
            box.close()
        window.close()  # saving the window state fails quietly
