"""reader.library.catalog: the SQLite cache of every article's metadata. A rescan finds new,
changed and removed files in a real folder and re-reads only what changed; a catalog file
that is damaged, of another shape, from a newer Reader, read-only or on a full disk never
stops the library; names that are not UTF-8 are listed, not lost."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from reader.library.catalog import MIGRATIONS, Catalog, file_problem
from reader.library.scanning import NOT_UTF8_NAME
from reader.paths import DataPaths


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _article(title: str, tags: list[str] | None = None, body: str = "內文。") -> str:
    meta = [f"title: {title}", "date: 2024-05-17", "authors: [王小明, Jane Doe]"]
    if tags:
        meta.append(f"tags: [{', '.join(tags)}]")
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body + "\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    _write(root / "a.md", _article("人工智慧基本法", ["AI", "法規"]))
    _write(root / "2024" / "b.md", _article("個人資料保護", ["隱私"]))
    _write(root / "notes.txt", "純文字的標題\n\n第一段。\n")
    _write(root / "page.html", "<html><head><title>網頁標題</title></head><body><p>網頁內容</p></body></html>")
    _write(root / ".hidden.md", _article("hidden"))
    _write(root / "picture.png", "not an article")
    _write(root / ".git" / "x.md", _article("in a hidden folder"))
    return root


@pytest.fixture
def catalog_path(tmp_path: Path, library: Path) -> Path:
    return DataPaths(tmp_path / "data").catalog_db(library)


def _open(catalog_path: Path, library: Path) -> Catalog:
    return Catalog(catalog_path, library)


def _titles(catalog: Catalog) -> dict[str, str]:
    return {entry.article.path: entry.article.title for entry in catalog.entries()}


def _bump(path: Path, text: str) -> None:
    """Change a file as an editor would: new content, and an mtime the catalog can tell."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


# Scanning -----------------------------------------------------------------------------------
def test_a_scan_lists_every_article_with_its_metadata(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        report = catalog.rescan()
        assert sorted(report.added) == ["2024/b.md", "a.md", "notes.txt", "page.html"]
        assert report.problems == [] and not report.removed and report.touched
        assert _titles(catalog) == {"2024/b.md": "個人資料保護", "a.md": "人工智慧基本法", "notes.txt": "純文字的標題", "page.html": "網頁標題"}
        entry = catalog.get("a.md")
        assert entry is not None
        assert entry.article.date == "2024-05-17" and entry.article.authors == ["王小明", "Jane Doe"]
        assert entry.article.tags == ["AI", "法規"] and entry.article.body == ""  # metadata only
        assert len(entry.content_hash) == 64 and entry.size == (library / "a.md").stat().st_size
        rows = {row.path: row for row in catalog.list_rows()}
        assert rows["a.md"].tags == ["AI", "法規"] and rows["a.md"].title == "人工智慧基本法"
        assert len(catalog) == 4 and catalog.get("missing.md") is None
    finally:
        catalog.close()


def test_the_catalog_is_kept_and_an_unchanged_folder_rereads_nothing(library: Path, catalog_path: Path) -> None:
    first = _open(catalog_path, library)
    first.rescan()
    first.close()
    again = _open(catalog_path, library)
    try:
        assert len(again) == 4  # read from the file, before any scan
        assert again.notices == []
        report = again.rescan()
        assert report.unchanged == 4 and not report.touched
    finally:
        again.close()


def test_a_changed_file_is_read_again(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        old_hash = catalog.get("a.md").content_hash
        _bump(library / "a.md", _article("人工智慧基本法（修正）", ["AI"]))
        report = catalog.rescan()
        assert report.changed == ["a.md"] and report.unchanged == 3 and not report.added
        entry = catalog.get("a.md")
        assert entry.article.title == "人工智慧基本法（修正）" and entry.article.tags == ["AI"]
        assert entry.content_hash != old_hash
    finally:
        catalog.close()


def test_a_change_that_keeps_the_size_is_seen_by_its_mtime(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        path = library / "notes.txt"
        text = path.read_text(encoding="utf-8")
        _bump(path, text.replace("純文字的標題", "純文字的題目"))  # same length in UTF-8
        assert path.stat().st_size == len(text.encode("utf-8"))
        assert catalog.rescan().changed == ["notes.txt"]
        assert catalog.get("notes.txt").article.title == "純文字的題目"
    finally:
        catalog.close()


def test_a_change_within_the_same_timestamp_tick_is_not_missed(library: Path, catalog_path: Path) -> None:
    """File systems with coarse timestamps (FAT/exFAT on a USB stick: 2 s; ext4: a few ms)
    give a file saved again right after a scan the same size and mtime. A file modified just
    before the scan is not trusted by its stat, so the next scan reads it again."""
    catalog = _open(catalog_path, library)
    try:
        path = _write(library / "fresh.md", _article("剛存的標題"))
        catalog.rescan()
        info = path.stat()
        path.write_text(_article("剛改的標題"), encoding="utf-8")  # same length, same tick
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert path.stat().st_size == info.st_size
        report = catalog.rescan()
        assert report.changed == ["fresh.md"]
        assert catalog.get("fresh.md").article.title == "剛改的標題"
    finally:
        catalog.close()


def test_touching_a_file_without_changing_it_is_not_a_change(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        path = library / "a.md"
        _bump(path, path.read_text(encoding="utf-8"))
        report = catalog.rescan()
        assert report.changed == [] and report.unchanged == 4  # read again, same content
    finally:
        catalog.close()


def test_added_and_removed_files(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        (library / "2024" / "b.md").unlink()
        _write(library / "new" / "c.md", _article("新文章"))
        report = catalog.rescan()
        assert report.removed == ["2024/b.md"] and report.added == ["new/c.md"]
        assert sorted(_titles(catalog)) == ["a.md", "new/c.md", "notes.txt", "page.html"]
    finally:
        catalog.close()
    reopened = _open(catalog_path, library)
    try:
        assert catalog_path.exists() and "2024/b.md" not in _titles(reopened)  # the removal was stored
    finally:
        reopened.close()


def test_a_library_folder_that_is_gone_for_now_keeps_its_catalog(library: Path, catalog_path: Path) -> None:
    """An unmounted drive or a folder renamed away is not a library whose files were all
    deleted: the rows stay (emptying them would re-read and re-extract everything, and let the
    extraction cache be pruned), and the notice says why nothing changed."""
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        away = library.with_name("library-unmounted")
        library.rename(away)
        report = catalog.rescan()
        assert report.removed == [] and not report.touched
        assert len(catalog) == 4
        assert any("not available" in notice for notice in catalog.notices)
        away.rename(library)
        report = catalog.rescan()
        assert report.unchanged == 4 and not report.touched
    finally:
        catalog.close()


def test_a_rescan_of_only_some_paths(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        _bump(library / "a.md", _article("改過的標題"))
        _bump(library / "notes.txt", "另一個標題\n")
        (library / "page.html").unlink()
        report = catalog.rescan(only={"a.md", "page.html"})
        assert report.changed == ["a.md"] and report.removed == ["page.html"]
        assert catalog.get("notes.txt").article.title == "純文字的標題"  # not asked about: untouched
    finally:
        catalog.close()


def test_entries_of_some_paths_are_those_alone(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        every = {e.article.path: e for e in catalog.entries()}
        some = catalog.entries({"2024/b.md", "a.md", "gone.md"})
        assert [e.article.path for e in some] == ["2024/b.md", "a.md"]
        assert [e.article.title for e in some] == [every["2024/b.md"].article.title, every["a.md"].article.title]
        assert catalog.entries(set()) == []
        many = {f"x{n}.md" for n in range(1200)} | {"a.md"}  # more than one query's parameters
        assert [e.article.path for e in catalog.entries(many)] == ["a.md"]
    finally:
        catalog.close()


def test_a_file_that_empties_or_becomes_binary_is_listed_with_its_problem(library: Path, catalog_path: Path) -> None:
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        _bump(library / "a.md", "")
        (library / "notes.txt").write_bytes(b"\x00\x01binary\x00")
        seen: list[tuple[str, str]] = []
        catalog.rescan(on_problem=lambda path, problem: seen.append((path, problem)))
        problems = dict(seen)
        assert problems["a.md"] == "empty file" and "binary" in problems["notes.txt"]
        assert catalog.get("a.md").article.title == "a"  # the file name stands in
        assert catalog.rescan().unchanged == 4  # problems are remembered, not re-read
    finally:
        catalog.close()


# Names that are not UTF-8 -------------------------------------------------------------------
def test_a_name_that_is_not_utf8_is_listed_with_its_problem(library: Path, catalog_path: Path) -> None:
    raw = os.path.join(os.fsencode(library), b"\xa4\xa4\xa4\xe5.md")  # "中文" in Big5
    with open(raw, "wb") as handle:
        handle.write(b"# title\n")
    catalog = _open(catalog_path, library)
    try:
        report = catalog.rescan()
        shown = "\\xa4\\xa4\\xa4\\xe5.md"
        assert shown in report.added
        assert (shown, NOT_UTF8_NAME) in report.problems
        entry = catalog.get(shown)
        assert entry is not None and entry.article.problems == [NOT_UTF8_NAME]
        json.dumps([r.path for r in catalog.list_rows()])  # storable, printable text
        assert catalog.rescan().unchanged == 5  # not added again and again
        os.unlink(raw)
        assert catalog.rescan().removed == [shown]
    finally:
        catalog.close()


def test_a_rescan_of_only_a_shown_non_utf8_name_does_not_forget_it(library: Path, catalog_path: Path) -> None:
    raw = os.path.join(os.fsencode(library), b"\xb7s.md")
    with open(raw, "wb") as handle:
        handle.write(b"x")
    catalog = _open(catalog_path, library)
    try:
        catalog.rescan()
        shown = "\\xb7s.md"
        report = catalog.rescan(only={shown})  # no file has the shown name
        assert report.removed == [] and catalog.get(shown) is not None
    finally:
        catalog.close()


# A bad catalog file falls back ------------------------------------------------------------
def _first_scan(catalog_path: Path, library: Path) -> None:
    catalog = _open(catalog_path, library)
    catalog.rescan()
    catalog.close()


def _remove_wal(catalog_path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{catalog_path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong tables", "newer reader", "empty file"])
def test_a_damaged_catalog_is_rebuilt_from_the_files_and_said(library: Path, catalog_path: Path, damage: str) -> None:
    _first_scan(catalog_path, library)
    _remove_wal(catalog_path)
    if damage == "garbage":
        catalog_path.write_bytes(b"not a database " * 500)
    elif damage == "truncated":
        catalog_path.write_bytes(catalog_path.read_bytes()[:1500])
    elif damage == "wrong tables":
        catalog_path.unlink()
        conn = sqlite3.connect(catalog_path)
        conn.execute("CREATE TABLE articles (x)")
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        conn.commit()
        conn.close()
    elif damage == "newer reader":
        conn = sqlite3.connect(catalog_path)
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
        conn.close()
    else:
        catalog_path.write_bytes(b"")
    if damage != "empty file":
        assert file_problem(catalog_path) != ""
    catalog = _open(catalog_path, library)
    try:
        if damage != "empty file":  # an empty file is a new database to SQLite
            assert any("the catalog was damaged" in notice and "rebuilt from the files" in notice for notice in catalog.notices), catalog.notices
        assert not catalog.in_memory
        report = catalog.rescan()
        assert sorted(_titles(catalog)) == ["2024/b.md", "a.md", "notes.txt", "page.html"]
        assert len(report.added) == 4
    finally:
        catalog.close()
    assert file_problem(catalog_path) == ""


def test_rows_with_values_of_the_wrong_type_are_read_again(library: Path, catalog_path: Path) -> None:
    _first_scan(catalog_path, library)
    conn = sqlite3.connect(catalog_path)
    conn.execute("UPDATE articles SET tags = 'not json', title = X'3432' WHERE path = 'a.md'")
    conn.commit()
    conn.close()
    assert "wrong type" in file_problem(catalog_path)
    catalog = _open(catalog_path, library)
    try:
        entry = catalog.get("a.md")
        assert entry.article.tags == [] and entry.article.title == ""  # served empty, never a crash
        assert any("damaged catalog row" in notice for notice in catalog.notices)
        report = catalog.rescan()
        assert report.changed == ["a.md"]
        entry = catalog.get("a.md")
        assert entry.article.tags == ["AI", "法規"] and entry.article.title == "人工智慧基本法"
    finally:
        catalog.close()
    assert file_problem(catalog_path) == ""


def test_an_older_catalog_is_brought_up_to_date_and_its_files_read_again(library: Path, catalog_path: Path) -> None:
    """A catalog of schema 1 (no source label, no extractor) from an older Reader."""
    catalog_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(catalog_path)
    conn.execute("""CREATE TABLE articles (path TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL,
        authors TEXT NOT NULL, tags TEXT NOT NULL, sources TEXT NOT NULL, lang TEXT NOT NULL, size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL, encoding TEXT NOT NULL, problems TEXT NOT NULL)""")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    info = (library / "a.md").stat()
    conn.execute("INSERT INTO articles VALUES ('a.md', 'old title', '', '[]', '[]', '[]', 'zh', ?, ?, 'x', 'utf-8', '[]')",
                 (info.st_size, info.st_mtime_ns))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    catalog = _open(catalog_path, library)
    try:
        assert catalog.notices == [] and catalog.get("a.md").article.title == "old title"
        report = catalog.rescan()
        assert "a.md" in report.changed  # re-read although its size and mtime are the same
        assert catalog.get("a.md").article.title == "人工智慧基本法"
    finally:
        catalog.close()
    assert file_problem(catalog_path) == ""


def test_a_read_only_data_folder_keeps_the_catalog_in_memory(library: Path, catalog_path: Path, read_only_folder) -> None:
    _first_scan(catalog_path, library)
    _write(library / "later.md", _article("之後加入"))
    before = catalog_path.read_bytes()
    read_only_folder(catalog_path.parent.parent.parent)
    catalog = _open(catalog_path, library)
    try:
        assert catalog.in_memory
        assert any("read-only" in notice and "kept in memory" in notice for notice in catalog.notices)
        assert len(catalog) == 4  # a copy of what the file holds
        report = catalog.rescan()
        assert report.added == ["later.md"] and len(catalog) == 5
    finally:
        catalog.close()
    assert catalog_path.read_bytes() == before


def test_a_full_disk_keeps_the_catalog_in_memory(tmp_path: Path, small_disk) -> None:
    data = small_disk(200)
    library = tmp_path / "library"
    for n in range(60):
        _write(library / f"{n:03}.md", _article(f"文章 {n}", body="內文" * 3000))
    path = DataPaths(data).catalog_db(library)
    filler = data / "filler"
    catalog = _open(path, library)
    try:
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill what is left
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        report = catalog.rescan()
        assert len(report.added) == 60 and len(catalog) == 60
        assert catalog.in_memory
        assert any("the disk is full" in notice for notice in catalog.notices), catalog.notices
    finally:
        catalog.close()
