"""``reader doctor``: check the data folder and a library; ``--repair`` rebuilds caches.

The check changes nothing: the catalog is rescanned in a copy in memory and the index is
opened for reading only. It looks at every file Reader keeps: the annotations and their
backups, the preferences and window state, the library's reading state, catalog and index
(its format marker and its list of indexed versions). ``repair`` restores the annotations from
a backup, writes the state files again without their wrong values, and rebuilds the catalog
and the index; a step that fails is said and the others still run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from reader.annotations import backups
from reader.errors import ReaderError, describe_database_error, from_os_error
from reader.library.library import Library
from reader.paths import DataPaths
from reader.settings import Settings


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


def _state_files(paths: DataPaths, library: Library):
    """(name, loaded state) of the JSON state files: preferences, window, reading."""
    from reader.ui.ui_state import JsonState, ReadingState  # plain JSON: no Qt is imported

    return [
        ("settings", Settings(paths.settings_file)),
        ("window state", JsonState(paths.state_file)),
        ("reading state", ReadingState(paths.library_state(library.root) / "reading.json")),
    ]


def _failure(exc: BaseException, path) -> str:
    if isinstance(exc, ReaderError):
        return str(exc)
    if isinstance(exc, OSError):
        return str(from_os_error(exc, path))
    if isinstance(exc, sqlite3.Error):
        return str(describe_database_error(exc, path))
    return f"{path}: {type(exc).__name__}: {exc}"


def repair(paths: DataPaths, library: Library) -> tuple[list[str], list[str]]:
    """Restore a damaged annotations database from its backup, drop the wrong values of the
    state files and rebuild the caches. Returns (what was done, what could not be done)."""
    from reader.annotations.store import AnnotationStore
    from reader.search.index import IndexBusy, SearchIndex

    done: list[str] = []
    failed: list[str] = []
    try:
        store = AnnotationStore.open(paths)  # recovers a damaged file from the newest good backup
        done += store.messages
        store.close()
    except (ReaderError, OSError, sqlite3.Error) as exc:
        failed.append(_failure(exc, paths.annotations_db))

    for name, state in _state_files(paths, library):
        if not state.notices:
            continue
        try:
            if isinstance(state, Settings):
                state.save()
            else:
                state.dirty = True
                if not state.save():
                    failed.append(state.save_problem)
                    continue
            done.append(f"{name}: {state.path} written again without the values that were ignored")
        except OSError as exc:
            failed.append(_failure(exc, state.path))

    catalog_db = paths.catalog_db(library.root)
    try:
        for suffix in ("", "-wal", "-shm"):
            catalog_db.with_name(catalog_db.name + suffix).unlink(missing_ok=True)
        done.append("catalog rebuilt")
    except OSError as exc:
        failed.append(_failure(exc, catalog_db))
    index = SearchIndex(library.index_dir)
    catalog = library.catalog()
    try:
        catalog.rescan()
        index.open()
        index.rebuild(timeout=10)
        index.update(library, catalog)
        done.append("index rebuilt")
    except IndexBusy as exc:
        failed.append(str(exc))
    except (ReaderError, OSError, sqlite3.Error) as exc:
        failed.append(_failure(exc, library.index_dir))
    finally:
        catalog.close()
        index.close()
    from reader.library.catalog import prune_extraction_cache

    try:  # entries no library uses, unused for long, or beyond the size budget
        pruned = prune_extraction_cache(paths.root, paths.extracted_dir, force=True)
        if pruned:
            done.append(f"extraction cache: {pruned} unused entr{'y' if pruned == 1 else 'ies'} removed")
    except (OSError, sqlite3.Error) as exc:
        failed.append(_failure(exc, paths.extracted_dir))
    return done, failed


def check(paths: DataPaths, library: Library) -> Report:
    from reader.library.catalog import Catalog, file_problem
    from reader.search.index import SearchIndex

    report = Report()
    root = paths.root
    read_only = paths.read_only_problem()
    if root.exists() and read_only:
        report.bad(f"{root}: {read_only}")
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

    states_ok = True
    for _name, state in _state_files(paths, library):
        for notice in state.notices:
            states_ok = False
            report.bad(notice)
    if states_ok:
        report.ok("settings, window state and reading state")

    catalog_db = paths.catalog_db(library.root)
    damage = file_problem(catalog_db)
    if damage:
        report.bad(f"{catalog_db}: the catalog is damaged ({damage})")
    catalog = Catalog(catalog_db, library.root, in_memory=True)  # the check writes nothing
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

    problem, indexed = SearchIndex(library.index_dir).diagnose()
    if problem:
        report.bad(f"index: {problem}")
    if indexed is not None:
        stale = sum(1 for p, h in entries.items() if not indexed.get(p, "").startswith(h)) + sum(1 for p in indexed if p not in entries)
        if stale:
            report.bad(f"index: {stale} article(s) not up to date")
        elif not problem:
            report.ok(f"index: {len(indexed)} articles, up to date")
    return report

