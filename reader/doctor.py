"""``reader doctor``: check the data folder and a library; ``--repair`` rebuilds caches."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from reader.annotations import backups
from reader.library.library import Library
from reader.paths import DataPaths


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"ok       {text}")

    def bad(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"PROBLEM  {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"         {text}")


def repair(paths: DataPaths, library: Library) -> list[str]:
    """Restore a damaged annotations database from its backup and rebuild the caches."""
    from reader.annotations.store import AnnotationStore
    from reader.search.index import SearchIndex

    done = []
    store = AnnotationStore.open(paths)  # recovers a damaged file from the newest good backup
    done += store.messages
    store.close()
    for suffix in ("", "-wal", "-shm"):
        cache = paths.catalog_db(library.root).with_name(paths.catalog_db(library.root).name + suffix)
        cache.unlink(missing_ok=True)
    done.append("catalog rebuilt")
    index = SearchIndex(library.index_dir)
    catalog = library.catalog()
    try:
        catalog.rescan()
        index.open()
        index.rebuild(timeout=10)
        index.update(library, catalog)
        done.append("index rebuilt")
    finally:
        catalog.close()
        index.close()
    return done


def check(paths: DataPaths, library: Library) -> Report:
    from reader.search.index import SearchIndex

    report = Report()
    root = paths.root
    if root.exists() and not os.access(root, os.W_OK):
        report.bad(f"{root}: the data folder is not writable")
    else:
        report.ok(f"data folder {root}")

    db = paths.annotations_db
    if db.exists():
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            count = conn.execute("SELECT count(*) FROM annotations").fetchone()[0] if version else 0
            conn.close()
        except sqlite3.DatabaseError as exc:
            result, version, count = str(exc), 0, 0
        if result == "ok":
            report.ok(f"annotations: {count} in {db.name} (schema {version}), integrity ok")
        else:
            report.bad(f"{db}: damaged ({result})")
    else:
        report.ok("annotations: none yet")
    kept = backups.backups(paths.backups_dir)
    if kept:
        newest = kept[0]
        state = "verified" if backups.integrity_ok(newest) else "DAMAGED"
        line = f"backups: {len(kept)}, newest {backups.backup_time(newest):%Y-%m-%d %H:%M} ({state})"
        (report.ok if state == "verified" else report.bad)(line)
    elif db.exists():
        report.note("backups: none yet (one is made at the next start)")

    catalog = library.catalog()
    try:
        scan = catalog.rescan()
        entries = {e.article.path: e.content_hash for e in catalog.entries()}
    finally:
        catalog.close()
    report.ok(f"library {library.root}: {len(entries)} articles")
    for path, problem in scan.problems:
        report.note(f"{path}: {problem}")
    if scan.problems:
        report.note(f"{len(scan.problems)} file problem(s) (listed above; the other articles are fine)")

    index = SearchIndex(library.index_dir)
    try:
        index.open()
        if index.rebuilt_reason:
            report.bad(f"index: {index.rebuilt_reason}")
        indexed = index.indexed_versions()
        stale = sum(1 for p, h in entries.items() if not indexed.get(p, "").startswith(h)) + sum(1 for p in indexed if p not in entries)
        if stale:
            report.bad(f"index: {stale} article(s) not up to date")
        else:
            report.ok(f"index: {len(indexed)} articles, up to date")
    finally:
        index.close()
    return report
