"""Pruning the extraction cache (reader.library.formats.cache): entries no library's file uses,
entries unused for half a year and entries beyond the size budget go; an entry in use never
does, not even while another process reads and writes the cache; a read-only or full data
folder never fails. Real files, real catalogs, a real second process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from reader.doctor import repair
from reader.library.catalog import Catalog, prune_extraction_cache, referenced_file_hashes
from reader.library.formats import FORMATS, Block, Document, ExtractionCache
from reader.library.formats.cache import STAMP, PrunePolicy, file_hash
from reader.library.formats.document import PARAGRAPH
from reader.library.library import Library
from reader.library.reading import DocumentSource
from reader.paths import DataPaths
from tests.conftest import ROOT

DAY = 24 * 3600.0
DOCX = FORMATS["docx"].extractor
POLICY = PrunePolicy()


def _hash(n: object) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def _doc(text: str, extractor: str = DOCX) -> Document:
    return Document("docx", extractor=extractor, blocks=[Block(PARAGRAPH, text)])


def _put(cache: ExtractionCache, key: str, text: str = "內文", age_s: float = 0.0, extractor: str = DOCX) -> Path:
    assert cache.put(key, _doc(text, extractor))
    entry = cache.entry_path(key, extractor)
    _age(entry, age_s)
    return entry


def _age(path: Path, age_s: float) -> None:
    when = time.time() - age_s
    os.utime(path, (when, when))


# The policy ---------------------------------------------------------------------------------
def test_unused_entries_of_no_library_go_after_a_day(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    used_file = _put(cache, _hash("kept"), age_s=10 * DAY)
    orphan_old = _put(cache, _hash("gone"), age_s=2 * DAY)
    orphan_recent = _put(cache, _hash("moved"), age_s=3 * 3600)  # maybe moved to another library
    assert cache.prune({_hash("kept")}, POLICY) == 1
    assert used_file.exists() and not orphan_old.exists() and orphan_recent.exists()


def test_an_entry_in_use_is_never_removed_by_any_rule(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    fresh = [_put(cache, _hash(n), "字" * 2000) for n in range(3)]
    old_version = _put(cache, _hash("old"), extractor="docx/0")
    tight = PrunePolicy(max_bytes=1, max_idle_s=0.0, orphan_after_s=0.0)
    assert cache.prune(set(), tight) == 0  # orphans, over budget, an old version: all in use
    assert all(path.exists() for path in fresh) and old_version.exists()


def test_entries_of_an_extractor_version_this_reader_lacks_go(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    key = _hash("file")
    current = _put(cache, key, age_s=2 * 3600)
    older = _put(cache, key, age_s=2 * 3600, extractor="docx/0")
    assert cache.prune({key}, POLICY) == 1
    assert current.exists() and not older.exists()


def test_entries_unused_for_half_a_year_go_even_when_a_catalog_names_them(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    stale = _put(cache, _hash("a"), age_s=181 * DAY)
    recent = _put(cache, _hash("b"), age_s=179 * DAY)
    assert cache.prune({_hash("a"), _hash("b")}, POLICY) == 1
    assert not stale.exists() and recent.exists()


def test_beyond_the_budget_the_least_recently_used_go(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    keys = [_hash(n) for n in range(6)]
    entries = [_put(cache, key, os.urandom(3000).hex(), age_s=(10 - n) * 3600) for n, key in enumerate(keys)]
    sizes = [path.stat().st_size for path in entries]
    budget = sum(sizes[3:])  # room for the three most recently used
    assert cache.prune(set(keys), PrunePolicy(max_bytes=budget)) == 3
    assert [path.exists() for path in entries] == [False, False, False, True, True, True]
    assert sum(p.stat().st_size for p in entries if p.exists()) <= budget


def test_reading_an_entry_marks_it_used(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    key = _hash("read")
    entry = _put(cache, key, "讀過的文件", age_s=2 * DAY)
    assert cache.get(key, DOCX).blocks[0].text == "讀過的文件"
    assert time.time() - entry.stat().st_mtime < 60
    assert cache.prune(set(), POLICY) == 0 and entry.exists()


def test_unknown_references_never_make_an_entry_unused(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    entry = _put(cache, _hash("x"), age_s=30 * DAY)
    assert cache.prune(None, POLICY) == 0 and entry.exists()


def test_a_write_under_way_is_left_alone_and_a_crashed_one_cleaned(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    bucket = cache.folder / "ab"
    bucket.mkdir(parents=True)
    writing, crashed = bucket / ".tmp-writing", bucket / ".tmp-crashed"
    writing.write_bytes(b"half")
    crashed.write_bytes(b"half")
    _age(crashed, 2 * 3600)
    cache.prune(set())  # even pruning at once (no policy) keeps a write under way
    assert writing.exists() and not crashed.exists()


# In the library: after a rescan, and in doctor --repair --------------------------------------
def _docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(text, level=1)
    document.add_paragraph(text + "的內文。")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _catalog(paths: DataPaths, root: Path) -> Catalog:
    documents = DocumentSource(paths.extracted_dir, root, paths.logs_dir, in_process=False)
    return Catalog(paths.catalog_db(root), root, documents=documents)


def _scan(paths: DataPaths, root: Path) -> None:
    catalog = _catalog(paths, root)
    try:
        catalog.rescan()
    finally:
        catalog.close()


def test_a_rescan_prunes_what_no_library_uses_once_a_day(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    one, two = tmp_path / "one", tmp_path / "two"
    a = _docx(one / "a.docx", "甲文件")
    b = _docx(two / "b.docx", "乙文件")
    _scan(paths, one)
    _scan(paths, two)
    cache = ExtractionCache(paths.extracted_dir)
    entry_a, entry_b = cache.entry_path(file_hash(a), DOCX), cache.entry_path(file_hash(b), DOCX)
    assert entry_a.exists() and entry_b.exists()
    assert referenced_file_hashes(paths.root) == {file_hash(a), file_hash(b)}
    stamp = paths.extracted_dir / STAMP
    assert stamp.exists()  # the first scan pruned (nothing to prune yet)

    a.unlink()
    _age(entry_a, 2 * DAY)
    _age(entry_b, 2 * DAY)
    _scan(paths, one)
    assert entry_a.exists()  # pruned today already: not again
    _age(stamp, 2 * DAY)
    _scan(paths, one)
    assert not entry_a.exists() and entry_b.exists()  # b is still a file of library two


def test_an_older_catalog_in_the_data_folder_keeps_every_entry(tmp_path: Path) -> None:
    """A catalog without file hashes (an older Reader's, of a library not opened since):
    which entries it needs is unknown, so none counts as unused."""
    import sqlite3

    paths = DataPaths(tmp_path / "data")
    root = tmp_path / "one"
    _docx(root / "a.docx", "甲文件")
    _scan(paths, root)
    cache = ExtractionCache(paths.extracted_dir)
    orphan = _put(cache, _hash("other"), age_s=2 * DAY)
    older = paths.catalog_db(tmp_path / "elsewhere")
    older.parent.mkdir(parents=True)
    conn = sqlite3.connect(older)
    conn.execute("CREATE TABLE articles (path TEXT)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert referenced_file_hashes(paths.root) is None
    assert prune_extraction_cache(paths.root, force=True) == 0 and orphan.exists()
    older.unlink()
    assert prune_extraction_cache(paths.root, force=True) == 1 and not orphan.exists()


def test_documents_of_an_upgraded_catalog_are_read_again_for_their_file_hash(tmp_path: Path) -> None:
    import sqlite3

    paths = DataPaths(tmp_path / "data")
    root = tmp_path / "one"
    a = _docx(root / "a.docx", "甲文件")
    _scan(paths, root)
    conn = sqlite3.connect(paths.catalog_db(root))
    conn.execute("UPDATE articles SET file_hash = '', mtime_ns = -1")  # as the upgrade leaves it
    conn.commit()
    conn.close()
    assert referenced_file_hashes(paths.root) is None  # not known until it is read again
    catalog = _catalog(paths, root)
    try:
        report = catalog.rescan()
        assert not report.touched  # the same version: annotations and index are untouched
    finally:
        catalog.close()
    assert referenced_file_hashes(paths.root) == {file_hash(a)}


def test_doctor_repair_prunes_the_cache_now(tmp_path: Path, sample_library: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    library = Library(sample_library.resolve(), paths)
    cache = ExtractionCache(paths.extracted_dir)
    orphan = _put(cache, _hash("gone"), age_s=2 * DAY)
    kept = _put(cache, _hash("recent"))
    (paths.extracted_dir / STAMP).touch()  # pruned today: only --repair prunes now
    done, failed = repair(paths, library)
    assert failed == []
    assert "extraction cache: 1 unused entry removed" in done
    assert not orphan.exists() and kept.exists()


# Read-only and full data folders ----------------------------------------------------------------
def test_a_read_only_data_folder_prunes_nothing_and_never_fails(tmp_path: Path, read_only_folder) -> None:
    paths = DataPaths(tmp_path / "data")
    cache = ExtractionCache(paths.extracted_dir)
    key = _hash("x")
    entry = _put(cache, key, "唯讀", age_s=200 * DAY)
    read_only_folder(paths.root)
    assert cache.prune(set(), POLICY) == 0
    assert cache.prune_now(set()) == 0
    assert prune_extraction_cache(paths.root, force=True) is None
    assert cache.get(key, DOCX).blocks[0].text == "唯讀"  # still read (its use not recorded)
    assert entry.exists()


def test_a_full_disk_still_prunes_and_frees_space(small_disk) -> None:
    data = small_disk(256)
    cache = ExtractionCache(data / "extracted")
    entries = [_put(cache, _hash(n), os.urandom(4000).hex(), age_s=2 * DAY) for n in range(10)]
    fd = os.open(data / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    assert not cache.put(_hash("new"), _doc("x" * 100_000))  # full: not stored, not raised
    assert cache.prune_now(set()) == 10
    assert not any(path.exists() for path in entries)
    assert cache.put(_hash("new"), _doc("有空間了"))


# Two processes ----------------------------------------------------------------------------------
_READER = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    from reader.library.formats import Block, Document, ExtractionCache, FORMATS
    from reader.library.formats.document import PARAGRAPH

    folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
    used = sys.argv[3].split(",")
    extractor = FORMATS["docx"].extractor
    cache = ExtractionCache(folder)
    problems = []

    def check(key, text):
        doc = cache.get(key, extractor)
        if doc is None or doc.blocks[0].text != text:
            problems.append(f"{key[:8]}: {None if doc is None else doc.blocks[0].text!r}")

    for key in used:
        check(key, "used " + key)
    print("ready", flush=True)
    for n in range(rounds):
        for key in used:
            check(key, "used " + key)
        new = hashlib.sha256(f"new {n}".encode()).hexdigest()
        if not cache.put(new, Document("docx", extractor=extractor, blocks=[Block(PARAGRAPH, "new " + new)])):
            problems.append(f"put {n} failed")
        check(new, "new " + new)
    print("problems:" + ";".join(problems), flush=True)
    """
)


def test_pruning_while_another_process_reads_and_writes_the_cache(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "extracted")
    used = [_hash(f"used {n}") for n in range(5)]
    unused = [_hash(f"unused {n}") for n in range(40)]
    for key in used:
        _put(cache, key, "used " + key, age_s=3 * DAY)  # old, and in no catalog: used now only
    for key in unused:
        _put(cache, key, "unused " + key, age_s=3 * DAY)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", _READER, str(cache.folder), "300", ",".join(used)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    try:
        assert child.stdout.readline().strip() == "ready"  # it has read every used entry once
        prunes = 0
        while child.poll() is None:
            cache.prune(set(), PrunePolicy(max_bytes=1))  # everything is "unused" and over budget
            prunes += 1
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert out.strip() == "problems:", out
    assert prunes > 1
    assert all(cache.entry_path(key, DOCX).exists() for key in used)
    assert all(cache.entry_path(_hash(f"new {n}"), DOCX).exists() for n in range(300))
    assert not any(cache.entry_path(key, DOCX).exists() for key in unused)
