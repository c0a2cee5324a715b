"""Annotations are never lost, altered by an older item, or filled from outside the library.

Each test is one way the promise was broken before (hostile paths, malformed items, times
compared as text, lost updates between processes, library copies and moves, damaged or
read-only data, outputs that destroy), driven through the real CLI and a real database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.annotations.exchange import export_json, import_json
from reader.annotations.selectors import describe
from reader.annotations.service import open_article
from reader.annotations.store import AnnotationStore
from reader.library.library import Library
from reader.paths import DataPaths
from tests.conftest import ROOT, run_cli

MOU = "001_5d55142517522224.md"


def _item(ident: str, source: str, exact: str = "安全", note: str = "", modified: str = "2026-06-01T12:00:00Z", **extra) -> dict:
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": ident,
        "created": "2026-01-01T00:00:00Z",
        "modified": modified,
        "body": [{"type": "TextualBody", "value": note, "purpose": "commenting"}] if note else [],
        "target": {"source": source, "selector": [{"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""}]},
    }
    item.update(extra)
    return item


def _write(path: Path, items: list) -> Path:
    path.write_text(json.dumps({"type": "AnnotationCollection", "items": items}, ensure_ascii=False), encoding="utf-8")
    return path


def _rows(data_dir: Path) -> list[tuple]:
    conn = sqlite3.connect(data_dir / "annotations.sqlite3")
    try:
        return conn.execute("SELECT library, id, article, exact, prefix, suffix, note, modified FROM annotations ORDER BY library, id").fetchall()
    finally:
        conn.close()


def _export(library: Path, data_dir: Path, *extra: str) -> dict:
    result = run_cli("annotations", "export", "--library", str(library), *extra, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Confinement -------------------------------------------------------------------------------
def test_a_target_outside_the_library_is_rejected_and_never_read(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "creds.txt").write_text("PASSWORD=hunter2 安全", encoding="utf-8")
    (sample_library / "escape").symlink_to(secret)
    (sample_library / "escape.md").symlink_to(secret / "creds.txt")
    hostile = [
        "../secret/creds.txt",
        str(secret / "creds.txt"),
        "file://" + str(secret / "creds.txt"),
        "escape/creds.txt",
        "escape.md",
        "sub/../../secret/creds.txt",
    ]
    items = [_item(f"urn:x:{n}", source, exact="PASSWORD") for n, source in enumerate(hostile)]
    items.append(_item("urn:x:good", MOU, exact="人工智慧"))
    result = run_cli("annotations", "import", str(_write(tmp_path / "in.json", items)), "--library", str(sample_library), data_dir=data_dir)

    assert result.returncode == 1  # some items were rejected
    assert "Traceback" not in result.stderr
    assert "1 added, 0 updated, 0 unchanged, 6 rejected" in result.stderr
    for n in range(len(hostile)):
        [line] = [line for line in result.stderr.splitlines() if f"(urn:x:{n})" in line]
        assert f"item {n + 1} (urn:x:{n})" in line and "target.source" in line
    assert "leaves the library" in result.stderr and "absolute path" in result.stderr and "symlink leads outside" in result.stderr
    assert [r[2] for r in _rows(data_dir)] == [MOU]
    exported = run_cli("annotations", "export", "--library", str(sample_library), "--format", "markdown", data_dir=data_dir)
    assert "hunter2" not in exported.stdout and "hunter2" not in json.dumps(_rows(data_dir), ensure_ascii=False)


def test_export_of_an_article_path_outside_the_library_is_refused(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("# 外面\n\n秘密", encoding="utf-8")
    result = run_cli("export", "../outside.md", "--library", str(sample_library), "--format", "text", data_dir=data_dir)
    assert result.returncode == 2 and "秘密" not in result.stdout and "Traceback" not in result.stderr


def test_symlinks_leading_out_of_the_library_are_listed_not_read(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "creds.md").write_text("# 密碼\n\nPASSWORD=hunter2", encoding="utf-8")
    (sample_library / "link.md").symlink_to(secret / "creds.md")
    (sample_library / "linked-folder").symlink_to(secret)
    (sample_library / "inside.md").symlink_to(sample_library / MOU)  # inside: still read
    listed = run_cli("list", "--library", str(sample_library), "--json", data_dir=data_dir)
    problems = {a["path"]: a["problems"] for a in json.loads(listed.stdout)["articles"]}
    assert problems["link.md"] == ["a symlink to a file outside the library: not read"]
    assert problems["linked-folder"] == ["a symlink to a folder outside the library: not read"]
    assert problems["inside.md"] == [] and "linked-folder/creds.md" not in problems
    assert "link.md: a symlink to a file outside the library" in listed.stderr
    found = run_cli("search", "hunter2", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] == 0
    exported = run_cli("export", "link.md", "--library", str(sample_library), "--format", "text", data_dir=data_dir)
    assert exported.returncode == 2 and "hunter2" not in exported.stdout and "outside the library" in exported.stderr


# Item by item ------------------------------------------------------------------------------
MALFORMED = [
    ("not an object", 42),
    ("a list", [1, 2]),
    ("no type", {"id": "urn:m:1", "target": MOU}),
    ("no id", {"type": "Annotation", "target": MOU}),
    ("id a number", {"type": "Annotation", "id": 7, "target": MOU}),
    ("no target", {"type": "Annotation", "id": "urn:m:2"}),
    ("target a number", {"type": "Annotation", "id": "urn:m:3", "target": 5}),
    ("source null", {"type": "Annotation", "id": "urn:m:4", "target": {"source": None}}),
    ("selector a text", {"type": "Annotation", "id": "urn:m:5", "target": {"source": MOU, "selector": "x"}}),
    ("start a text", _item("urn:m:6", MOU) | {"target": {"source": MOU, "selector": [{"type": "TextQuoteSelector", "exact": "安全"}, {"type": "TextPositionSelector", "start": "0", "end": 2}]}}),
    ("negative range", _item("urn:m:7", MOU) | {"target": {"source": MOU, "selector": [{"type": "TextQuoteSelector", "exact": "安全"}, {"type": "TextPositionSelector", "start": 5, "end": 3}]}}),
    ("empty quote", _item("urn:m:8", MOU, exact="")),
    ("body a number", _item("urn:m:9", MOU) | {"body": 3}),
    ("note a list", _item("urn:m:10", MOU) | {"body": [{"type": "TextualBody", "value": ["x"]}]}),
    ("bad time", _item("urn:m:11", MOU, modified="yesterday")),
    ("time a number", _item("urn:m:12", MOU, modified=20260601)),
    ("state a list", _item("urn:m:13", MOU) | {"reader:state": []}),
    ("unknown kind", _item("urn:m:14", MOU) | {"reader:state": {"kind": "bookmark"}}),
    ("score too big", _item("urn:m:15", MOU) | {"reader:state": {"score": 1e309}}),
    ("highlight without quote", {"type": "Annotation", "id": "urn:m:16", "target": MOU, "reader:state": {"kind": "highlight"}}),
    ("huge offsets", _item("urn:m:17", MOU) | {"target": {"source": MOU, "selector": [{"type": "TextQuoteSelector", "exact": "安全"}, {"type": "TextPositionSelector", "start": 10**12, "end": 10**12 + 2}]}}),
]


def test_malformed_items_are_rejected_one_by_one_and_good_ones_imported(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    good = [_item("urn:g:1", MOU, exact="人工智慧", note="甲"), _item("urn:g:2", MOU, exact="安全", note="乙")]
    items = [good[0], *[value for _, value in MALFORMED], good[1]]
    result = run_cli("annotations", "import", str(_write(tmp_path / "in.json", items)), "--library", str(sample_library), data_dir=data_dir)
    assert "Traceback" not in result.stderr
    assert f"2 added, 0 updated, 0 unchanged, {len(MALFORMED)} rejected" in result.stderr
    rejected = [line for line in result.stderr.splitlines() if " rejected item " in line]
    assert len(rejected) == len(MALFORMED)
    for number, line in enumerate(rejected, 2):  # the first item of the file was good
        assert f"rejected item {number}" in line
    assert "(urn:m:6)" in rejected[9] and "whole numbers" in rejected[9]
    assert sorted(r[6] for r in _rows(data_dir)) == ["乙", "甲"]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not JSON"),
    ('{"type": "AnnotationCollection", "items": 5}', "expected an AnnotationCollection"),
    ("[" * 100_000, "nested too deeply"),
])
def test_an_unreadable_file_says_why_and_changes_nothing(sample_library: Path, data_dir: Path, tmp_path: Path, content: str, problem: str) -> None:
    _write(tmp_path / "first.json", [_item("urn:g:1", MOU, note="原本")])
    run_cli("annotations", "import", str(tmp_path / "first.json"), "--library", str(sample_library), data_dir=data_dir)
    before = _rows(data_dir)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run_cli("annotations", "import", str(bad), "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 1 and problem in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr
    assert _rows(data_dir) == before


def test_devices_fifos_and_folders_are_not_read_as_annotation_files(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for source, problem in [("/dev/zero", "special file"), (str(fifo), "special file"), (str(tmp_path), "is a folder"), (str(tmp_path / "none.json"), "no such file")]:
        result = run_cli("annotations", "import", source, "--library", str(sample_library), data_dir=data_dir)
        assert result.returncode == 2 and problem in result.stderr and source in result.stderr, result.stderr


# Time as time ------------------------------------------------------------------------------
def test_modified_is_compared_as_an_instant_not_as_text(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    library = str(sample_library)
    # 19:00 at +08:00 is 11:00 UTC: older than 12:00Z, though it sorts after it as text.
    _write(tmp_path / "a.json", [_item("urn:t:1", MOU, note="十二點", modified="2026-06-01T12:00:00Z")])
    _write(tmp_path / "b.json", [_item("urn:t:1", MOU, note="十一點", modified="2026-06-01T19:00:00+08:00")])
    _write(tmp_path / "c.json", [_item("urn:t:1", MOU, note="十二點半", modified="2026-06-01T20:30:00+08:00")])
    run_cli("annotations", "import", str(tmp_path / "a.json"), "--library", library, data_dir=data_dir)
    older = run_cli("annotations", "import", str(tmp_path / "b.json"), "--library", library, data_dir=data_dir)
    assert "0 added, 0 updated, 1 unchanged, 0 rejected" in older.stderr
    assert [r[6] for r in _rows(data_dir)] == ["十二點"]
    newer = run_cli("annotations", "import", str(tmp_path / "c.json"), "--library", library, data_dir=data_dir)
    assert "0 added, 1 updated" in newer.stderr
    assert [r[6] for r in _rows(data_dir)] == ["十二點半"]


def test_a_far_future_time_is_taken_as_now_and_does_not_shadow_later_edits(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    library = str(sample_library)
    _write(tmp_path / "future.json", [_item("urn:t:2", MOU, note="未來", modified="9999-12-31T23:59:59Z")])
    result = run_cli("annotations", "import", str(tmp_path / "future.json"), "--library", library, data_dir=data_dir)
    assert result.returncode == 0
    assert "9999-12-31T23:59:59Z is in the future; taken as now" in result.stderr and "(urn:t:2)" in result.stderr
    [row] = _rows(data_dir)
    assert not row[7].startswith("9999")
    # The same file reaches a second computer; the first then edits the note and exports.
    other = tmp_path / "other"
    run_cli("annotations", "import", str(tmp_path / "future.json"), "--library", library, data_dir=other)
    store = AnnotationStore.open(DataPaths(data_dir))
    store.set_note(str(sample_library.resolve()), "urn:t:2", "之後的修改")
    edited = export_json(store.all(str(sample_library.resolve())), {})
    store.close()
    later = run_cli("annotations", "import", str(_write(tmp_path / "f2.json", json.loads(edited)["items"])), "--library", library, data_dir=other)
    assert "1 updated" in later.stderr  # the year-9999 item no longer shadows the later edit
    assert [r[6] for r in _rows(other)] == ["之後的修改"]


# Copies and moves of a library -------------------------------------------------------------
def _one_highlight(library: Path, data_dir: Path, note: str = "筆記") -> str:
    paths = DataPaths(data_dir)
    lib = Library(library.resolve(), paths)
    store = AnnotationStore.open(paths)
    _, rendered, content_hash, _ = open_article(store, lib, MOU)
    start = rendered.text.index("布萊切利公園")
    quote, position = describe(rendered.text, start, start + 6)
    made = store.add_highlight(str(lib.root), MOU, quote, position, note=note, article_hash=content_hash)
    store.close()
    return made.id


def test_importing_into_a_copy_of_the_library_copies_and_takes_nothing(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    ident = _one_highlight(sample_library, data_dir, "原本的筆記")
    copy = tmp_path / "copy"
    shutil.copytree(sample_library, copy)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(_export(sample_library, data_dir), ensure_ascii=False), encoding="utf-8")
    result = run_cli("annotations", "import", str(exported), "--library", str(copy), data_dir=data_dir)
    assert "1 added" in result.stderr
    assert [i["id"] for i in _export(sample_library, data_dir)["items"]] == [ident]  # still there
    assert [i["id"] for i in _export(copy, data_dir)["items"]] == [ident]  # and copied
    # Editing the copy leaves the original alone.
    store = AnnotationStore.open(DataPaths(data_dir))
    store.set_note(str(copy.resolve()), ident, "副本的筆記")
    assert store.get(str(sample_library.resolve()), ident).note == "原本的筆記"
    store.close()


def test_a_moved_library_keeps_its_annotations(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    ident = _one_highlight(sample_library, data_dir, "搬家前的筆記")
    moved = tmp_path / "renamed library"
    sample_library.rename(moved)
    result = run_cli("annotations", "export", "--library", str(moved), data_dir=data_dir)
    assert result.returncode == 0
    assert "re-attached" in result.stderr and str(sample_library.resolve()) in result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["id"] == ident and item["body"][0]["value"] == "搬家前的筆記"
    again = run_cli("annotations", "export", "--library", str(moved), data_dir=data_dir)
    assert "re-attached" not in again.stderr  # said once, done once


def test_a_library_whose_folder_still_exists_keeps_its_annotations(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    _one_highlight(sample_library, data_dir)
    copy = tmp_path / "copy"
    shutil.copytree(sample_library, copy)
    assert _export(copy, data_dir)["items"] == []  # the original is still there: nothing moves
    assert len(_export(sample_library, data_dir)["items"]) == 1


# Outputs -----------------------------------------------------------------------------------
def test_export_output_never_destroys(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    _one_highlight(sample_library, data_dir)
    before = _rows(data_dir)
    library = str(sample_library)
    for target, problem in [
        (data_dir / "annotations.sqlite3", "data folder"),
        (data_dir / "backups" / "x.json", "data folder"),
        ("/dev/null", "special file"),
        (tmp_path, "is a folder"),
        (tmp_path / "missing" / "x.json", "does not exist"),
    ]:
        result = run_cli("annotations", "export", "--library", library, "-o", str(target), data_dir=data_dir)
        assert result.returncode == 2 and problem in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert _rows(data_dir) == before
    mine = tmp_path / "mine.json"
    mine.write_text("我的檔案", encoding="utf-8")
    refused = run_cli("annotations", "export", "--library", library, "-o", str(mine), data_dir=data_dir)
    assert refused.returncode == 2 and "--force" in refused.stderr and mine.read_text(encoding="utf-8") == "我的檔案"
    forced = run_cli("annotations", "export", "--library", library, "-o", str(mine), "--force", data_dir=data_dir)
    assert forced.returncode == 0 and json.loads(mine.read_text(encoding="utf-8"))["total"] == 1
    fresh = tmp_path / "fresh.json"
    assert run_cli("annotations", "export", "--library", library, "-o", str(fresh), data_dir=data_dir).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~_umask()
    assert not list(tmp_path.glob(".*.tmp"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Damage is never silent --------------------------------------------------------------------
def test_a_damaged_database_without_backup_is_not_exported_as_empty(sample_library: Path, data_dir: Path) -> None:
    _one_highlight(sample_library, data_dir)
    shutil.rmtree(data_dir / "backups")
    db = data_dir / "annotations.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    db.write_bytes(bytes(raw))
    result = run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 1 and result.stdout == ""
    assert "damaged" in result.stderr and "no backup" in result.stderr and "Traceback" not in result.stderr


def test_a_damaged_database_with_a_backup_is_restored_and_says_so(sample_library: Path, data_dir: Path) -> None:
    _one_highlight(sample_library, data_dir)
    store = AnnotationStore.open(DataPaths(data_dir))
    from reader.annotations import backups

    backups.make_backup(store.conn, DataPaths(data_dir).backups_dir)
    store.close()
    db = data_dir / "annotations.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    db.write_bytes(bytes(raw))
    result = run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0 and "restored the backup" in result.stderr
    assert json.loads(result.stdout)["total"] == 1


def test_a_read_only_data_folder_still_exports_and_import_says_why(sample_library: Path, data_dir: Path, tmp_path: Path, read_only_folder) -> None:
    _one_highlight(sample_library, data_dir, "唯讀也看得到")
    read_only_folder(data_dir)
    exported = run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["items"][0]["body"][0]["value"] == "唯讀也看得到"
    incoming = _write(tmp_path / "in.json", [_item("urn:r:1", MOU)])
    result = run_cli("annotations", "import", str(incoming), "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 1 and "read-only" in result.stderr and "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_disk_during_import_says_what_was_not_written(sample_library: Path, tmp_path: Path, small_disk) -> None:
    data = small_disk(600)
    _one_highlight(sample_library, data)
    before = _rows(data)
    items = [_item(f"urn:f:{n}", MOU, note="很長的筆記" * 2000) for n in range(400)]
    result = run_cli("annotations", "import", str(_write(tmp_path / "big.json", items)), "--library", str(sample_library), data_dir=data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "disk is full" in result.stderr and "not written" in result.stderr
    rows = _rows(data)
    assert all(row in rows for row in before)  # nothing that was there is lost
    summary = next(line for line in result.stderr.splitlines() if " added, " in line)
    added = int(summary.split(": ")[-1].split(" added")[0])
    assert len(rows) == len(before) + added  # the summary counts what is really there


# No lost updates ---------------------------------------------------------------------------
REANCHOR_LOOP = textwrap.dedent(
    """
    import sys
    from reader.annotations.store import AnnotationStore
    from reader.paths import DataPaths

    from pathlib import Path
    store = AnnotationStore.open(DataPaths(Path(sys.argv[1])))
    texts = ["前言。" + "人工智慧安全" * 3, "人工智慧安全" * 3 + "結語。"]
    for n in range(int(sys.argv[3])):
        store.update_anchors(sys.argv[2], "a.md", texts[n % 2], f"hash{n % 2}")
    store.close()
    """
)


def test_reanchoring_in_another_process_never_loses_an_imported_note(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    data = tmp_path / "data"
    root = str(library.resolve())
    store = AnnotationStore.open(DataPaths(data))
    base = [_item(f"urn:race:{n}", "a.md", exact="人工智慧", note="舊", modified="2026-01-01T00:00:00Z") for n in range(30)]
    import_json(store, json.dumps(base), root)
    loop = subprocess.Popen([sys.executable, "-c", REANCHOR_LOOP, str(data), root, "400"], cwd=ROOT)
    try:
        for round_ in range(1, 16):
            edits = [_item(f"urn:race:{n}", "a.md", exact="人工智慧", note=f"第{round_}版", modified=f"2026-02-{round_:02d}T00:00:00Z") for n in range(30)]
            import_json(store, json.dumps(edits), root)
    finally:
        assert loop.wait(timeout=120) == 0
    notes = {item.id: item.note for item in store.all(root)}
    store.close()
    assert notes == {f"urn:race:{n}": "第15版" for n in range(30)}


def test_cli_export_racing_cli_import_keeps_every_imported_note(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    ident = _one_highlight(sample_library, data_dir)
    path = sample_library / MOU
    versions = tmp_path / "versions"
    versions.mkdir()
    text = path.read_text(encoding="utf-8")
    (versions / "a.md").write_text(text.replace("\n\n英國技術大臣", "\n\n新增一段。\n\n英國技術大臣", 1), encoding="utf-8")
    (versions / "b.md").write_text(text.replace("\n\n英國技術大臣", "\n\n另一段新的文字，更長一些。\n\n英國技術大臣", 1), encoding="utf-8")
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    # Every export finds the article edited again, so every export re-anchors.
    loop = (
        f"for i in $(seq 1 12); do cp '{versions}'/$([ $((i % 2)) = 0 ] && echo a || echo b).md '{path}'; "
        f"{sys.executable} -m reader annotations export --library '{sample_library}' >/dev/null || exit 1; done"
    )
    exporter = subprocess.Popen(["bash", "-c", loop], cwd=ROOT, env=env)
    try:
        for round_ in range(1, 9):
            item = _item(ident, MOU, exact="布萊切利公園", note=f"匯入第{round_}版", modified=f"2030-01-{round_:02d}T00:00:00Z")
            result = run_cli("annotations", "import", str(_write(tmp_path / f"r{round_}.json", [item])), "--library", str(sample_library), data_dir=data_dir)
            assert "1 updated" in result.stderr, result.stderr
    finally:
        assert exporter.wait(timeout=300) == 0
    [item] = _export(sample_library, data_dir)["items"]
    assert item["body"][0]["value"] == "匯入第8版"


# In the window -----------------------------------------------------------------------------
def test_the_window_on_a_moved_library_shows_its_annotations_and_says_so(qtbot, sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from tests.test_window import Harness

    _one_highlight(sample_library, data_dir, "搬家前")
    moved = tmp_path / "搬過的文庫"
    sample_library.rename(moved)
    harness = Harness(qtbot, data_dir, moved)
    window = harness.start()
    try:
        qtbot.waitUntil(lambda: "re-attached" in window.statusBar().currentMessage() or "重新附加" in window.statusBar().currentMessage(), timeout=10000)
        qtbot.waitUntil(lambda: window.library_model.rows[window.library_model.row_of(MOU)].highlights == 1, timeout=5000)
        harness.open(MOU)
        assert [a.note for a in window.annotations.items] == ["搬家前"]
    finally:
        window.close()


def test_annotations_made_after_the_last_backup_are_recovered_from_a_damaged_file(data_dir: Path) -> None:
    from reader.annotations import backups
    from reader.annotations.selectors import TextPosition, TextQuote

    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)
    for n in range(5):
        store.add_highlight("/lib", "a.md", TextQuote(f"備份前{n}"), TextPosition(n, n + 4), note="舊")
    backups.make_backup(store.conn, paths.backups_dir)
    for n in range(5):
        store.add_highlight("/lib", "a.md", TextQuote(f"備份後{n}"), TextPosition(n, n + 4), note="新")
    index_page = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations_article'").fetchone()[0]
    page_size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    with open(paths.annotations_db, "r+b") as handle:  # damage the index: quick_check fails
        handle.seek((index_page - 1) * page_size)
        handle.write(b"\x00\xff" * (page_size // 2))

    reopened = AnnotationStore.open(paths)
    try:
        assert any("restored the backup" in m for m in reopened.messages)
        assert any("5 annotations that could still be read" in m for m in reopened.messages), reopened.messages
        assert sorted(a.quote.exact for a in reopened.all("/lib")) == sorted([f"備份前{n}" for n in range(5)] + [f"備份後{n}" for n in range(5)])
    finally:
        reopened.close()


def test_a_full_data_disk_still_exports_every_annotation(sample_library: Path, tmp_path: Path, small_disk) -> None:
    data = small_disk(800)
    _one_highlight(sample_library, data, "滿了也要匯出")
    filler = data / "filler"
    with open(filler, "wb") as handle:  # fill the disk to the last byte
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    result = run_cli("annotations", "export", "--library", str(sample_library), data_dir=data)
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["body"][0]["value"] == "滿了也要匯出"
    assert "Traceback" not in result.stderr


# Found by trying to break it ---------------------------------------------------------------
def test_a_library_with_annotations_of_its_own_never_takes_a_gone_library_s(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    ident = _one_highlight(sample_library, data_dir, "甲的筆記")
    copy = tmp_path / "copy"
    shutil.copytree(sample_library, copy)
    exported = tmp_path / "a.json"
    exported.write_text(json.dumps(_export(sample_library, data_dir), ensure_ascii=False), encoding="utf-8")
    run_cli("annotations", "import", str(exported), "--library", str(copy), data_dir=data_dir)
    store = AnnotationStore.open(DataPaths(data_dir))
    store.set_note(str(copy.resolve()), ident, "乙自己的修改")
    store.close()
    moved = tmp_path / "甲搬家"
    sample_library.rename(moved)
    in_copy = _export(copy, data_dir)
    assert [i["body"][0]["value"] for i in in_copy["items"]] == ["乙自己的修改"]  # kept, nothing taken
    result = run_cli("annotations", "export", "--library", str(moved), data_dir=data_dir)
    assert "re-attached" in result.stderr
    assert [i["body"][0]["value"] for i in json.loads(result.stdout)["items"]] == ["甲的筆記"]


def test_a_moved_library_keeps_annotations_that_were_never_anchored(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    incoming = _write(tmp_path / "in.json", [_item("urn:n:1", MOU, exact="布萊切利公園", note="沒有雜湊")])
    run_cli("annotations", "import", str(incoming), "--library", str(sample_library), data_dir=data_dir)
    moved = tmp_path / "moved"
    sample_library.rename(moved)
    result = run_cli("annotations", "export", "--library", str(moved), data_dir=data_dir)
    assert "re-attached" in result.stderr
    assert [i["id"] for i in json.loads(result.stdout)["items"]] == ["urn:n:1"]


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_lost_database_beside_a_good_backup_is_restored_not_taken_for_none(sample_library: Path, data_dir: Path, how: str) -> None:
    from reader.annotations import backups

    _one_highlight(sample_library, data_dir, "備份裡有")
    store = AnnotationStore.open(DataPaths(data_dir))
    backups.make_backup(store.conn, DataPaths(data_dir).backups_dir)
    store.close()
    db = data_dir / "annotations.sqlite3"
    if how == "missing":
        db.unlink()
    else:
        db.write_bytes(b"")
    result = run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0 and f"was {how}; restored the backup" in result.stderr
    assert [i["body"][0]["value"] for i in json.loads(result.stdout)["items"]] == ["備份裡有"]


def test_two_first_imports_at_once_both_succeed(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    files = [_write(tmp_path / f"c{n}.json", [_item(f"urn:c:{n}", MOU, note=f"第{n}份")]) for n in range(2)]
    runs = [subprocess.Popen([sys.executable, "-m", "reader", "annotations", "import", str(f), "--library", str(sample_library)],
                             cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) for f in files]
    outputs = [(run.communicate(timeout=120)[1], run.returncode) for run in runs]
    outputs = [(code, err) for err, code in outputs]
    assert all(code == 0 for code, _ in outputs), outputs
    assert sorted(r[6] for r in _rows(data_dir)) == ["第0份", "第1份"]


def test_json_ld_type_lists_and_odd_iso_times_are_understood(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    item = _item("urn:j:1", MOU, exact="布萊切利公園", modified="2026-06-01T23:59:60Z")
    item["body"] = [{"type": ["TextualBody"], "value": "清單型別的筆記"}]
    item["target"]["selector"][0]["type"] = ["TextQuoteSelector"]
    other = _item("urn:j:2", MOU, modified="2026-06-01T24:00:00Z")
    other["body"] = [{"value": "沒有型別的筆記"}]
    third = _item("urn:j:3", MOU, modified="2026-06-01T12:30:00+0530")
    result = run_cli("annotations", "import", str(_write(tmp_path / "j.json", [item, other, third])), "--library", str(sample_library), data_dir=data_dir)
    assert "3 added, 0 updated, 0 unchanged, 0 rejected" in result.stderr, result.stderr
    rows = {r[1]: r for r in _rows(data_dir)}
    assert rows["urn:j:1"][3] == "布萊切利公園" and rows["urn:j:1"][6] == "清單型別的筆記"
    assert rows["urn:j:2"][6] == "沒有型別的筆記" and rows["urn:j:2"][7] == "2026-06-01T24:00:00Z"  # a valid xsd:dateTime, kept
    assert rows["urn:j:3"][7] == "2026-06-01T07:00:00.000Z"  # stored as a proper xsd:dateTime


def test_backslash_traversal_and_urns_are_not_article_paths(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    items = [_item("urn:b:1", "..\\secret\\creds.txt"), _item("urn:b:2", "a\\..\\..\\x.md"), _item("urn:b:3", "urn:x:y")]
    result = run_cli("annotations", "import", str(_write(tmp_path / "b.json", items)), "--library", str(sample_library), data_dir=data_dir)
    assert "0 added, 0 updated, 0 unchanged, 3 rejected" in result.stderr


def test_a_library_folder_whose_name_is_not_utf8_still_works(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    odd = os.path.join(os.fsencode(str(tmp_path)), b"lib\xa4\xe5")
    os.rename(os.fsencode(str(sample_library)), odd)
    library = os.fsdecode(odd)
    text = run_cli("export", MOU, "--library", library, "--format", "text", data_dir=data_dir)
    assert text.returncode == 0 and "布萊切利公園" in text.stdout
    incoming = _write(tmp_path / "u.json", [_item("urn:u:1", MOU, exact="布萊切利公園", note="怪資料夾")])
    imported = run_cli("annotations", "import", str(incoming), "--library", library, data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    exported = run_cli("annotations", "export", "--library", library, data_dir=data_dir)
    assert exported.returncode == 0 and json.loads(exported.stdout)["items"][0]["body"][0]["value"] == "怪資料夾"
    found = run_cli("search", "NIST", "--library", library, "--json", data_dir=data_dir)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] >= 1


def test_export_output_refuses_the_database_reached_through_a_bind_mount(sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    _one_highlight(sample_library, data_dir)
    before = _rows(data_dir)
    bind = tmp_path / "bind"
    bind.mkdir()
    if subprocess.run(["mount", "--bind", str(data_dir), str(bind)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a bind mount here (needs root)")
    try:
        result = run_cli("annotations", "export", "--library", str(sample_library), "-o", str(bind / "annotations.sqlite3"), "--force", data_dir=data_dir)
        assert result.returncode == 2 and "data folder" in result.stderr
    finally:
        subprocess.run(["umount", "-l", str(bind)], capture_output=True)
    assert _rows(data_dir) == before


def test_annotations_export_follows_a_renamed_article(sample_library: Path, data_dir: Path) -> None:
    _one_highlight(sample_library, data_dir, "改名前")
    (sample_library / MOU).rename(sample_library / "zzz_renamed.md")
    [item] = _export(sample_library, data_dir)["items"]
    assert item["target"]["source"] == "zzz_renamed.md"
