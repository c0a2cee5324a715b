"""Verified, rotating backups of the annotations database.

A backup is made with SQLite's online backup API into a temporary file, checked with
``PRAGMA integrity_check`` and only then renamed into place, so a backup on disk is a good one.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

KEEP = 14
PREFIX = "annotations-"


def integrity_ok(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def make_backup(conn: sqlite3.Connection, folder: Path, label: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{PREFIX}{stamp}{('-' + label) if label else ''}.sqlite3"
    tmp = target.with_suffix(".tmp")
    dest = sqlite3.connect(tmp)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    if not integrity_ok(tmp):
        tmp.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"{target}: the backup failed its integrity check")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    rotate(folder)
    return target


def backups(folder: Path) -> list[Path]:
    """Newest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.sqlite3"), reverse=True)


def rotate(folder: Path, keep: int = KEEP) -> None:
    for old in backups(folder)[keep:]:
        old.unlink(missing_ok=True)


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
