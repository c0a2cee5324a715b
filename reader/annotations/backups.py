"""Verified, rotating backups of the annotations database.

A backup is made with SQLite's online backup API into a temporary file, checked with
``PRAGMA integrity_check`` and only then renamed into place, so a backup on disk is a good one.
A backup is a plain (rollback-journal) database, never in WAL mode, and is only ever opened
``immutable``: checking it creates no ``-wal`` or ``-shm`` file beside it. Whatever happens
(a full disk, a failed check) no temporary file is left in the folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

KEEP = 14
PREFIX = "annotations-"
SIDE_FILES = ("-wal", "-shm", "-journal")
STALE_TEMP_S = 3600  # a temporary file this old is a crashed backup's, not a running one's


def integrity_ok(path: Path) -> bool:
    try:
        # immutable: a backup never changes, and a read-only open of a file in WAL mode (as
        # older backups are) would leave -wal and -shm files beside it.
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def make_backup(conn: sqlite3.Connection, folder: Path, label: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{PREFIX}{stamp}{('-' + label) if label else ''}.sqlite3"
    tmp = target.with_suffix(".tmp")
    try:
        dest = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(dest)
            # The copy carries the source's WAL mode; a backup is a single plain file.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        if not integrity_ok(tmp):
            raise sqlite3.DatabaseError(f"{target}: the backup failed its integrity check")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        _remove_with_side_files(tmp)  # a full disk must not keep a half backup taking space
        raise
    finally:
        for suffix in SIDE_FILES:
            with contextlib.suppress(OSError):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    rotate(folder)
    return target


def _remove_stale_temporaries(folder: Path) -> None:
    """Left by a crashed backup, or by earlier versions (``.tmp-wal``, ``.tmp-shm``)."""
    now = time.time()
    for leftover in folder.glob(f"{PREFIX}*.tmp*"):
        base = leftover.with_name(leftover.name[: leftover.name.index(".tmp") + 4])  # the .tmp file
        try:
            if base.exists() and now - base.stat().st_mtime < STALE_TEMP_S:
                continue  # another Reader is making a backup right now
            leftover.unlink()
        except OSError:
            continue
    for backup in backups(folder):
        for suffix in ("-wal", "-shm"):  # opened read-only in WAL mode by earlier versions
            with contextlib.suppress(OSError):
                Path(f"{backup}{suffix}").unlink(missing_ok=True)


def backups(folder: Path) -> list[Path]:
    """Newest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.sqlite3"), reverse=True)


def rotate(folder: Path, keep: int = KEEP) -> None:
    for old in backups(folder)[keep:]:
        _remove_with_side_files(old)


def backup_time(path: Path) -> dt.datetime:
    stamp = path.name[len(PREFIX) : len(PREFIX) + 15]
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return dt.datetime.fromtimestamp(path.stat().st_mtime)


def newest_good_backup(folder: Path) -> Path | None:
    for candidate in backups(folder):
        if integrity_ok(candidate):
            return candidate
    return None


def due(folder: Path, every: dt.timedelta = dt.timedelta(days=1)) -> bool:
    existing = backups(folder)
    return not existing or dt.datetime.now() - backup_time(existing[0]) >= every
