"""reader.db, the SQLite wrapper under the catalog and the annotations: ``user_version``
migrations, WAL, the transaction context manager, and the typed errors a user is shown for a
damaged, read-only, full or locked file. Real SQLite files in tmp_path throughout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader import db
from reader.errors import DamagedData, DataFolderError, ReaderError, describe_database_error


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'yellow'")


def _v3(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE tags (note INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL)")


MIGRATIONS = [_v1, _v2, _v3]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _reopen(path: Path) -> sqlite3.Connection:
    """A second, independent connection: what another Reader (or the next start) sees."""
    return sqlite3.connect(path)


# Migrations ---------------------------------------------------------------------------------
def test_a_new_file_is_migrated_to_the_latest_version_once(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "notes.sqlite3"  # the folder is made on demand
    calls: list[int] = []
    def counted_migration(number: int, migration):
        def run(conn: sqlite3.Connection) -> None:
            calls.append(number)
            migration(conn)

        return run

    counted = [counted_migration(n, m) for n, m in enumerate(MIGRATIONS)]
    conn = db.connect(path)
    try:
        assert db.migrate(conn, counted) == 3
        assert calls == [0, 1, 2]
        assert db.schema_version(conn) == 3
        assert db.migrate(conn, counted) == 3  # already current: nothing runs again
        assert calls == [0, 1, 2]
    finally:
        conn.close()
    other = _reopen(path)
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == 3
        assert _columns(other, "notes") == ["id", "text", "colour"]
        assert _columns(other, "tags") == ["note", "tag"]
    finally:
        other.close()


def test_an_older_file_gets_only_the_missing_migrations_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO notes (text) VALUES ('第一則筆記')")
    conn.close()

    seen_before: list[int] = []
    conn = db.connect(path)
    try:
        db.migrate(conn, MIGRATIONS, before=seen_before.append)
        assert seen_before == [1]  # the backup hook runs once, with the old version
        assert [tuple(r) for r in conn.execute("SELECT text, colour FROM notes")] == [("第一則筆記", "yellow")]
        db.migrate(conn, MIGRATIONS, before=seen_before.append)
        assert seen_before == [1]  # nothing to migrate: no backup either
    finally:
        conn.close()


def test_the_before_hook_is_not_called_for_a_brand_new_file(tmp_path: Path) -> None:
    seen: list[int] = []
    conn = db.connect(tmp_path / "new.sqlite3")
    try:
        db.migrate(conn, MIGRATIONS, before=seen.append)
    finally:
        conn.close()
    assert seen == []


def test_a_failing_migration_is_rolled_back_and_earlier_ones_stay(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_made (x)")
        conn.execute("INSERT INTO notes (text) VALUES ('written by the broken migration')")
        raise RuntimeError("migration bug")

    conn = db.connect(path)
    try:
        db.migrate(conn, MIGRATIONS[:1])
        conn.execute("INSERT INTO notes (text) VALUES ('kept')")
        with pytest.raises(RuntimeError, match="migration bug"):
            db.migrate(conn, [_v1, _v2, broken])
        assert not conn.in_transaction
    finally:
        conn.close()
    other = _reopen(path)
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == 2  # v2 committed, v3 not
        assert _columns(other, "notes") == ["id", "text", "colour"]
        assert other.execute("SELECT name FROM sqlite_master WHERE name = 'half_made'").fetchone() is None
        assert [r[0] for r in other.execute("SELECT text FROM notes")] == ["kept"]
    finally:
        other.close()


def test_a_file_from_a_newer_reader_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    conn = db.connect(path)
    try:
        with pytest.raises(db.NewerSchemaError) as caught:
            db.migrate(conn, MIGRATIONS)
    finally:
        conn.close()
    assert isinstance(caught.value, db.DatabaseError) and isinstance(caught.value, ReaderError)
    assert "7" in str(caught.value) and "newer" in str(caught.value)
    other = _reopen(path)
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == 7
    finally:
        other.close()


def test_a_migration_another_process_already_made_is_not_made_again(tmp_path: Path) -> None:
    """Two Readers starting at once: the second decides under the write lock, so each
    migration runs exactly once (an ALTER TABLE twice would fail)."""
    path = tmp_path / "notes.sqlite3"
    setup = db.connect(path)
    db.migrate(setup, MIGRATIONS[:1])
    setup.close()
    first, second = db.connect(path), db.connect(path)
    try:
        # ``second`` read version 1, then (in its backup hook) ``first`` migrates everything.
        db.migrate(second, MIGRATIONS, before=lambda version: db.migrate(first, MIGRATIONS))
        assert db.schema_version(second) == 3
        assert _columns(second, "notes") == ["id", "text", "colour"]
    finally:
        first.close()
        second.close()


# Pragmas ------------------------------------------------------------------------------------
def test_files_are_opened_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = db.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        db.migrate(conn, MIGRATIONS)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO tags VALUES (999, 'no such note')")
        conn.execute("INSERT INTO notes (text) VALUES ('x')")
        assert Path(f"{path}-wal").exists()
        # WAL: a reader sees the last commit while a write transaction is open.
        reader = _reopen(path)
        try:
            with db.transaction(conn):
                conn.execute("INSERT INTO notes (text) VALUES ('uncommitted')")
                assert [r[0] for r in reader.execute("SELECT text FROM notes")] == ["x"]
        finally:
            reader.close()
    finally:
        conn.close()
    durable = db.connect(tmp_path / "durable.sqlite3", durable=True)
    try:
        assert durable.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        durable.close()


def test_a_read_only_connection_reads_and_refuses_to_write(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS)
    conn.execute("INSERT INTO notes (text) VALUES ('x')")
    conn.close()
    ro = db.connect(path, read_only=True)
    try:
        assert [r["text"] for r in ro.execute("SELECT text FROM notes")] == ["x"]  # rows by name
        with pytest.raises(sqlite3.OperationalError) as caught:
            ro.execute("INSERT INTO notes (text) VALUES ('y')")
    finally:
        ro.close()
    error = describe_database_error(caught.value, path)
    assert isinstance(error, DataFolderError) and "read-only" in str(error) and str(path) in str(error)


# Transactions -------------------------------------------------------------------------------
def _notes(tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    path = tmp_path / "notes.sqlite3"
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS)
    return path, conn


def test_a_transaction_commits_for_other_connections(tmp_path: Path) -> None:
    path, conn = _notes(tmp_path)
    try:
        with db.transaction(conn) as same:
            assert same is conn
            conn.execute("INSERT INTO notes (text) VALUES ('a')")
            conn.execute("INSERT INTO notes (text) VALUES ('b')")
        assert not conn.in_transaction
    finally:
        conn.close()
    other = _reopen(path)
    try:
        assert [r[0] for r in other.execute("SELECT text FROM notes ORDER BY id")] == ["a", "b"]
    finally:
        other.close()


@pytest.mark.parametrize("error", [ValueError("bad input"), KeyboardInterrupt()])
def test_an_error_inside_a_transaction_rolls_everything_back(tmp_path: Path, error: BaseException) -> None:
    path, conn = _notes(tmp_path)
    try:
        conn.execute("INSERT INTO notes (text) VALUES ('before')")
        with pytest.raises(type(error)), db.transaction(conn):
            conn.execute("INSERT INTO notes (text) VALUES ('half')")
            conn.execute("UPDATE notes SET text = 'changed'")
            raise error
        assert not conn.in_transaction
        # The connection is still usable, and the write lock was released.
        with db.transaction(conn):
            conn.execute("INSERT INTO notes (text) VALUES ('after')")
    finally:
        conn.close()
    other = _reopen(path)
    try:
        assert [r[0] for r in other.execute("SELECT text FROM notes ORDER BY id")] == ["before", "after"]
    finally:
        other.close()


def test_the_real_error_surfaces_when_sqlite_already_rolled_back(tmp_path: Path) -> None:
    """SQLite ends the transaction itself on some errors (a full disk): the context manager
    must re-raise that error, not "cannot rollback - no transaction is active"."""
    _, conn = _notes(tmp_path)
    try:
        with pytest.raises(LookupError, match="the real problem"), db.transaction(conn):
            conn.execute("INSERT INTO notes (text) VALUES ('x')")
            conn.execute("ROLLBACK")
            raise LookupError("the real problem")
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_failed_commit_rolls_back_and_releases_the_write_lock(tmp_path: Path) -> None:
    """COMMIT itself can fail (a deferred constraint, an I/O error): SQLite then leaves the
    transaction open. The wrapper must end it, or the connection keeps the write lock and
    every later write here ("within a transaction") and in another Reader ("busy") fails."""
    path, conn = _notes(tmp_path)
    conn.execute("CREATE TABLE links (note INTEGER REFERENCES notes(id) DEFERRABLE INITIALLY DEFERRED)")
    other = db.connect(path)
    other.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(sqlite3.IntegrityError), db.transaction(conn):
            conn.execute("INSERT INTO notes (text) VALUES ('orphan link below')")
            conn.execute("INSERT INTO links VALUES (999)")  # checked only at COMMIT
        assert not conn.in_transaction
        with db.transaction(other):  # another Reader can write
            other.execute("INSERT INTO notes (text) VALUES ('from the other')")
        with db.transaction(conn):  # and so can this connection
            conn.execute("INSERT INTO notes (text) VALUES ('again')")
        assert [r[0] for r in conn.execute("SELECT text FROM notes ORDER BY id")] == ["from the other", "again"]
    finally:
        other.close()
        conn.close()


def test_a_sqlite_error_inside_a_transaction_rolls_back(tmp_path: Path) -> None:
    _, conn = _notes(tmp_path)
    try:
        with pytest.raises(sqlite3.IntegrityError), db.transaction(conn):
            conn.execute("INSERT INTO notes (id, text) VALUES (1, 'one')")
            conn.execute("INSERT INTO notes (id, text) VALUES (1, 'same id')")
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_second_writer_is_told_the_database_is_busy(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE takes the write lock at once: another Reader's write waits for the busy
    timeout, then fails with words a user understands (and nothing is half-written)."""
    path, first = _notes(tmp_path)
    second = db.connect(path)
    second.execute("PRAGMA busy_timeout = 50")  # the real timeout is 10 s
    try:
        with db.transaction(first):
            first.execute("INSERT INTO notes (text) VALUES ('first')")
            with pytest.raises(sqlite3.OperationalError) as caught, db.transaction(second):
                second.execute("INSERT INTO notes (text) VALUES ('second')")
            assert not second.in_transaction
        error = describe_database_error(caught.value, path)
        assert isinstance(error, DataFolderError)
        assert "busy in another Reader" in str(error) and str(path) in str(error)
        with db.transaction(second):  # the lock is free again
            second.execute("INSERT INTO notes (text) VALUES ('second, later')")
    finally:
        first.close()
        second.close()
    other = _reopen(path)
    try:
        assert [r[0] for r in other.execute("SELECT text FROM notes ORDER BY id")] == ["first", "second, later"]
    finally:
        other.close()


# Damaged, read-only, full -------------------------------------------------------------------
def test_a_file_that_is_not_a_database_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is not a database, it is a note someone saved here\n" * 100)
    assert isinstance(db.probe_error(path), sqlite3.DatabaseError)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        conn = db.connect(path)
        try:
            db.migrate(conn, MIGRATIONS)
        finally:
            conn.close()
    error = describe_database_error(caught.value, path)
    assert isinstance(error, DamagedData) and str(error) == f"{path}: the database is damaged"
    assert path.read_bytes().startswith(b"this is not a database")  # nothing was overwritten


def test_a_truncated_database_is_detected_by_the_probe(tmp_path: Path) -> None:
    path, conn = _notes(tmp_path)
    conn.executemany("INSERT INTO notes (text) VALUES (?)", [("x" * 2000,)] * 200)
    conn.close()
    assert db.probe_error(path) is None
    data = path.read_bytes()
    path.write_bytes(data[:100])  # the header survives, the pages do not
    assert db.probe_error(path) is not None


def test_a_good_database_probes_clean_in_a_read_only_folder(tmp_path: Path, read_only_folder) -> None:
    """A read-only folder is not damage: the probe (immutable) reads it, and opening it for
    writing fails with "read-only/cannot open", never with "damaged" (which would delete a
    cache and rebuild it)."""
    folder = tmp_path / "data"
    path = folder / "notes.sqlite3"
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS)
    conn.execute("INSERT INTO notes (text) VALUES ('x')")
    conn.close()
    read_only_folder(folder)
    assert db.probe_error(path) is None
    for attempt in (lambda: db.connect(path), lambda: db.connect(folder / "new.sqlite3")):
        with pytest.raises(sqlite3.Error) as caught:
            conn = attempt()
            try:
                conn.execute("INSERT INTO notes (text) VALUES ('y')")
            finally:
                conn.close()
        error = describe_database_error(caught.value, path)
        assert isinstance(error, DataFolderError) and not isinstance(error, DamagedData)
    assert not (folder / "new.sqlite3").exists()


def test_a_full_disk_rolls_back_and_keeps_what_was_there(small_disk) -> None:
    folder = small_disk(512)
    path = folder / "notes.sqlite3"
    conn = db.connect(path)
    try:
        db.migrate(conn, MIGRATIONS)
        with db.transaction(conn):
            conn.execute("INSERT INTO notes (text) VALUES ('kept')")
        with pytest.raises(sqlite3.Error) as caught, db.transaction(conn):
            for _ in range(10_000):
                conn.execute("INSERT INTO notes (text) VALUES (?)", ("滿" * 4000,))
        assert not conn.in_transaction
        error = describe_database_error(caught.value, path)
        assert isinstance(error, DataFolderError) and "the disk is full" in str(error)
        assert [r[0] for r in conn.execute("SELECT text FROM notes")] == ["kept"]
    finally:
        conn.close()
    other = _reopen(path)
    try:
        assert [r[0] for r in other.execute("SELECT text FROM notes")] == ["kept"]
        assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        other.close()
