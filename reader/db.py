"""A small SQLite wrapper: pragmas, a transaction context manager, user_version migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from reader.errors import ReaderError

Migration = Callable[[sqlite3.Connection], None]


class DatabaseError(ReaderError):
    """A database could not be opened or used; the message names the file."""


class NewerSchemaError(DatabaseError):
    """The file was written by a newer Reader; it may only be read."""


def connect(path: Path, *, durable: bool = False, read_only: bool = False) -> sqlite3.Connection:
    """Open ``path`` with WAL and foreign keys. ``durable`` means synchronous=FULL."""
    if read_only:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (then re-raised), a failed
    COMMIT included: the connection never stays in a transaction holding the write lock."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        # Inside the try: a COMMIT that fails (a deferred constraint, busy, an I/O error)
        # leaves the transaction open, and with it the lock every other writer waits for.
        conn.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (disk full, I/O error): then there is nothing to
        # roll back, and trying would hide the real error.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    before: Callable[[int], None] | None = None,
) -> int:
    """Bring the schema to ``len(migrations)``; migration N takes version N to N+1.

    ``before(version)`` runs once before the first migration of an existing database (backups).
    Raises NewerSchemaError when the file is newer than this code knows.
    """
    version = schema_version(conn)
    target = len(migrations)
    if version > target:
        raise NewerSchemaError(f"schema version {version} is newer than this Reader knows ({target})")
    if version < target and version > 0 and before is not None:
        before(version)
    for number in range(version, target):
        with transaction(conn):
            # Another process may have migrated meanwhile: decide under the write lock.
            if schema_version(conn) > number:
                continue
            migrations[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return target


def probe_error(path: Path) -> sqlite3.Error | None:
    """Open ``path`` read-only and ``immutable`` (no -shm needed) and read its schema: the
    error SQLite gives, or None when the file reads as a database."""
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.Error as exc:
        return exc
    return None
