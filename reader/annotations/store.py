"""The annotations database: every change committed when made, never silently lost.

One SQLite file in the data folder (WAL, synchronous=FULL, foreign keys on), the schema
version in ``PRAGMA user_version`` with migrations (a verified backup before each), daily
rotating backups, and recovery at open: a damaged file is moved aside and the newest good
backup restored; a file from a newer Reader is opened read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader import db
from reader.annotations import backups
from reader.annotations.anchoring import ORPHAN, anchor
from reader.annotations.selectors import TextPosition, TextQuote
from reader.annotations.validation import ARTICLE_NOTE, HIGHLIGHT, clean_tags, tag_key
from reader.errors import (
    DamagedData,
    DataFolderError,
    describe_database_error,
    from_os_error,
    is_disk_full,
    os_problem,
)
from reader.paths import DataPaths
from reader.settings import DEFAULTS


class ReadOnlyStore(db.DatabaseError):
    pass


def _v1(conn: sqlite3.Connection) -> None:
    """The first schema."""
    conn.execute(
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY,
            library TEXT NOT NULL,
            article TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('highlight', 'article_note')),
            color TEXT NOT NULL DEFAULT 'yellow',
            exact TEXT, prefix TEXT, suffix TEXT,
            start INTEGER, end INTEGER,
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'exact',
            created TEXT NOT NULL,
            modified TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX annotations_article ON annotations (library, article)")


def _v2(conn: sqlite3.Connection) -> None:
    """Anchoring score and article version (for re-anchoring and renames); named colours."""
    conn.execute("ALTER TABLE annotations ADD COLUMN score REAL NOT NULL DEFAULT 100")
    conn.execute("ALTER TABLE annotations ADD COLUMN article_hash TEXT NOT NULL DEFAULT ''")
    conn.execute(
        """CREATE TABLE colors (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            color TEXT NOT NULL,
            position INTEGER NOT NULL
        )"""
    )
    conn.executemany(
        "INSERT INTO colors VALUES (?, ?, ?, ?)",
        [(c["key"], c["name"], c["color"], i) for i, c in enumerate(DEFAULTS["highlight_colors"])],
    )


def _v3(conn: sqlite3.Connection) -> None:
    """Ids belong to a library, as annotations do: the key is (library, id), so importing an
    export into a copy of a library copies its annotations instead of taking them away. A
    revision per row lets re-anchoring write only rows nobody changed since it read them."""
    conn.execute(
        """CREATE TABLE annotations_v3 (
            library TEXT NOT NULL,
            id TEXT NOT NULL,
            article TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('highlight', 'article_note')),
            color TEXT NOT NULL DEFAULT 'yellow',
            exact TEXT, prefix TEXT, suffix TEXT,
            start INTEGER, end INTEGER,
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'exact',
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 100,
            article_hash TEXT NOT NULL DEFAULT '',
            revision INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (library, id)
        )"""
    )
    conn.execute(
        """INSERT INTO annotations_v3 (library, id, article, kind, color, exact, prefix, suffix,
               start, end, note, state, created, modified, score, article_hash)
           SELECT library, id, article, kind, color, exact, prefix, suffix, start, end, note,
               state, created, modified, score, article_hash FROM annotations"""
    )
    conn.execute("DROP TABLE annotations")
    conn.execute("ALTER TABLE annotations_v3 RENAME TO annotations")
    conn.execute("CREATE INDEX annotations_article ON annotations (library, article)")


def _v4(conn: sqlite3.Connection) -> None:
    """Tags on annotations, besides colour: a JSON list of texts per row ('[]' for none).
    Every existing row is kept as it is, with no tags."""
    conn.execute("ALTER TABLE annotations ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS = [_v1, _v2, _v3, _v4]
_COLUMNS = ("library", "id", "article", "kind", "color", "exact", "prefix", "suffix", "start", "end",
            "note", "state", "created", "modified", "score", "article_hash", "tags")
#: What a column missing from an older schema (read where it cannot be migrated) reads as.
_MISSING = {"revision": "0", "tags": "'[]'"}
NO_TAGS = "[]"
IMPORT_BATCH = 1000


def tags_json(tags: tuple[str, ...] | list[str]) -> str:
    """The ``tags`` column's text: a JSON list (``[]`` for none)."""
    return json.dumps(list(tags), ensure_ascii=False) if tags else NO_TAGS


def tags_of_json(text: object) -> tuple[str, ...]:
    """The tags in a ``tags`` column (a damaged value reads as none; nothing raises)."""
    if not text or text == NO_TAGS or not isinstance(text, str):
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(t for t in value if isinstance(t, str)) if isinstance(value, list) else ()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Color:
    key: str
    name: str
    color: str


# Not frozen: building a frozen dataclass costs five times more, and a window opens 100,000
# of these at once. Treat instances as values all the same (``replace`` to change one).
@dataclass(slots=True)
class Annotation:
    id: str
    library: str
    article: str
    kind: str
    color: str
    quote: TextQuote | None
    position: TextPosition | None
    note: str
    state: str
    score: float
    created: str
    modified: str
    article_hash: str = ""
    revision: int = 0  # as read from the database; 0 for an annotation not read from it
    tags: tuple[str, ...] = ()  # free-form, besides the colour (validation.clean_tags)

    @property
    def orphan(self) -> bool:
        return self.state == ORPHAN

    def values(self) -> tuple:
        """The row's values in :data:`_COLUMNS` order."""
        q, p = self.quote, self.position
        return (
            self.library, self.id, self.article, self.kind, self.color,
            q.exact if q else None, q.prefix if q else None, q.suffix if q else None,
            p.start if p else None, p.end if p else None, self.note, self.state,
            self.created, self.modified, self.score, self.article_hash, tags_json(self.tags),
        )

    def same_content(self, other: Annotation) -> bool:
        return self.values()[2:] == other.values()[2:]


def _row(row: sqlite3.Row) -> Annotation:
    quote = TextQuote(row["exact"], row["prefix"] or "", row["suffix"] or "") if row["exact"] is not None else None
    position = TextPosition(row["start"], row["end"]) if row["start"] is not None else None
    names = row.keys()
    revision = row["revision"] if "revision" in names else 0  # schema 2, read-only
    tags = tags_of_json(row["tags"]) if "tags" in names else ()  # schema 3, read-only
    return Annotation(
        row["id"], row["library"], row["article"], row["kind"], row["color"], quote, position,
        row["note"], row["state"], row["score"], row["created"], row["modified"], row["article_hash"],
        revision, tags,
    )


def _sort_key(item: Annotation) -> tuple:
    return (item.orphan, item.position.start if item.position else 0, item.created)


@dataclass
class MergeReport:
    """What an import did: counts, and each rejected or adjusted item by index and id."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    not_written: int = 0  # valid items a failure (full disk) kept out
    failure: str = ""

    def summary(self) -> str:
        line = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.rejected)} rejected"
        if self.not_written:
            line += f", {self.not_written} not written"
        return line


class AnnotationStore:
    def __init__(self, conn: sqlite3.Connection, path: Path, paths: DataPaths, read_only: bool, messages: list[str]) -> None:
        self.conn = conn
        self.path = path
        self.paths = paths
        self.read_only = read_only
        self.read_only_reason = ""
        self.messages = messages  # what the user must be told (restored backup, read-only, ...)
        self.listeners: list[Callable[[str, str], None]] = []  # (library, article) changed
        self._columns: str | None = None  # the SELECT list, fixed at the first read
        self.anchors_written = 0  # rows re-anchoring saved (a worker's caller tells the window)

    # Opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, paths: DataPaths) -> AnnotationStore:
        """Open for reading and writing: recover a damaged file from its newest good backup,
        migrate an older schema, and fall back to read-only (saying why) when the data folder
        cannot be written or a newer Reader wrote the file. Processes opening the same data
        folder take turns (a lock file), so none sees another's half-made database and takes
        it for a damaged one."""
        with _opening_lock(paths.root):
            return cls._open(paths)

    @classmethod
    def _open(cls, paths: DataPaths) -> AnnotationStore:
        path = paths.annotations_db
        messages: list[str] = []
        damaged: list[Path] = []
        lost = _lost_beside_backup(path, paths.backups_dir)
        if lost and _folder_writable(path.parent):
            messages.append(_restore_lost(path, paths.backups_dir, lost))
        if not _folder_writable(path.parent):
            return cls._read_only(paths, messages, f"{path.parent}: the data folder is read-only; annotations are shown but cannot be changed.")
        try:
            if _damaged(path):
                messages.append(_recover(path, paths.backups_dir, damaged))
            try:
                conn = db.connect(path, durable=True)
                version = db.schema_version(conn)
            except sqlite3.DatabaseError as exc:
                if is_disk_full(exc) or not path.exists():
                    raise
                messages.append(_recover(path, paths.backups_dir, damaged))
                conn = db.connect(path, durable=True)
                version = db.schema_version(conn)
        except (OSError, sqlite3.Error) as exc:
            problem = describe_database_error(exc, path) if isinstance(exc, sqlite3.Error) else from_os_error(exc, path)
            if path.exists() and not _damaged(path) and _connect_read_only(path) is not None:
                return cls._read_only(paths, messages, f"{problem}; annotations are shown read-only.")
            raise DataFolderError(f"cannot open the annotations database ({problem.problem})", path) from None
        if version > len(MIGRATIONS):
            conn.close()
            store = cls(db.connect(path, read_only=True), path, paths, True, messages)
            store.read_only_reason = (
                f"{path}: written by a newer version of Reader (schema {version}); "
                "annotations are shown read-only until you update Reader."
            )
            messages.append(store.read_only_reason)
            return store
        try:
            db.migrate(conn, MIGRATIONS, before=lambda v: backups.make_backup(conn, paths.backups_dir, f"before-v{v + 1}"))
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            problem = describe_database_error(exc, path) if isinstance(exc, sqlite3.Error) else from_os_error(exc, path)
            return cls._read_only(paths, messages, f"{problem.problem}: the annotations could not be brought up to date; they are shown read-only.")
        store = cls(conn, path, paths, False, messages)
        for aside in damaged:
            recovered, readable, claimed = store._salvage(aside)
            if recovered:
                messages.append(f"{recovered} annotation{'s' if recovered != 1 else ''} that could still be read from the damaged file (newer than the backup, or not in it) were recovered.")
            if claimed > readable:
                messages.append(
                    f"{claimed - readable} of the {claimed} annotations in the damaged file could not be read; "
                    f"it is kept as {aside.name} for recovery tools.")
        try:
            store.backup_if_due()
        except (OSError, sqlite3.Error) as exc:
            messages.append(f"{paths.backups_dir}: today's backup could not be made ({os_problem(exc) if isinstance(exc, OSError) else exc}); your annotations are unchanged.")
        return store

    @classmethod
    def _read_only(cls, paths: DataPaths, messages: list[str], reason: str) -> AnnotationStore:
        path = paths.annotations_db
        conn = _connect_read_only(path)
        if conn is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            for migration in MIGRATIONS:
                migration(conn)
        store = cls(conn, path, paths, True, messages)
        store.read_only_reason = reason
        messages.append(reason)
        return store

    @classmethod
    def open_for_reading(cls, paths: DataPaths) -> AnnotationStore | None:
        """For the indexer and the reading commands: None only when there are no annotations
        yet. A damaged file is restored from its backup (``messages`` says so); when it cannot
        be, :class:`DamagedData` says why, so nobody takes an empty result for the truth."""
        with _opening_lock(paths.root) if _folder_writable(paths.root) else contextlib.nullcontext():
            return cls._open_for_reading(paths)

    @classmethod
    def _open_for_reading(cls, paths: DataPaths) -> AnnotationStore | None:
        path = paths.annotations_db
        if _lost_beside_backup(path, paths.backups_dir):
            if not _folder_writable(path.parent):
                raise DamagedData("the annotations database is missing or empty while backups exist, and the data folder is read-only, so it cannot be restored", path)
            return cls._open(paths)  # restores the newest good backup and says so
        if not path.exists():
            return None
        damaged = _damaged(path)
        if not damaged:
            conn = _connect_read_only(path)
            if conn is None:
                raise DataFolderError("cannot open the annotations database (is the data folder readable?); nothing was read", path)
            version = db.schema_version(conn)
            if 0 < version <= len(MIGRATIONS) and (version == len(MIGRATIONS) or not _folder_writable(path.parent)):
                return cls(conn, path, paths, True, [])
            conn.close()
            if version == 0:
                return None
        if damaged and backups.newest_good_backup(paths.backups_dir) is None:
            raise DamagedData(
                "the annotations database is damaged and no backup exists; nothing was read. "
                "`reader doctor --repair` (or opening the window) keeps the damaged file aside and "
                "starts a new database with what can still be read of it", path)
        if not _folder_writable(path.parent):
            raise DamagedData("the annotations database cannot be read and the data folder is read-only, so it cannot be restored from a backup", path)
        return cls._open(paths)  # restores a damaged file from its backup, migrates an old one

    @classmethod
    def for_worker(cls, paths: DataPaths) -> AnnotationStore | None:
        """A second connection to the database the window already opened (recovered and
        migrated), for a worker thread: re-anchoring an article while it loads. None when
        there is no current database to share."""
        path = paths.annotations_db
        if not path.exists() or _damaged(path):
            return None
        try:
            if _folder_writable(path.parent):
                conn = db.connect(path, durable=True)
                read_only = False
            else:
                conn = _connect_read_only(path)
                read_only = True
            if conn is None or db.schema_version(conn) != len(MIGRATIONS):
                if conn is not None:
                    conn.close()
                return None
        except sqlite3.Error:
            return None
        return cls(conn, path, paths, read_only, [])

    def close(self) -> None:
        self.conn.close()

    def _salvage(self, damaged: Path) -> tuple[int, int, int]:
        """Merge the rows that can still be read from a damaged file: those missing here, or
        newer than here (made after the backup that was restored). Returns (merged, rows
        that could be read, rows the damaged file says it holds)."""
        from reader.annotations.validation import instant_or_epoch

        rows = _readable_rows(damaged)
        claimed = _claimed_count(damaged)
        recovered = 0
        try:
            with db.transaction(self.conn):
                for item in rows:
                    there = self.conn.execute("SELECT modified FROM annotations WHERE library = ? AND id = ?", (item.library, item.id)).fetchone()
                    if there is not None and instant_or_epoch(item.modified) <= instant_or_epoch(there[0]):
                        continue
                    placeholders = ",".join("?" * len(_COLUMNS))
                    self.conn.execute(f"INSERT OR REPLACE INTO annotations ({', '.join(_COLUMNS)}) VALUES ({placeholders})", item.values())
                    recovered += 1
        except sqlite3.Error:
            return 0, len(rows), claimed
        self._checkpoint()
        return recovered, len(rows), claimed

    def backup_if_due(self) -> Path | None:
        if self.read_only or not backups.due(self.paths.backups_dir):
            return None
        return backups.make_backup(self.conn, self.paths.backups_dir)

    # Writing -------------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStore(self.read_only_reason or f"{self.path}: annotations are read-only")

    def _write(self, sql: str, params: tuple | list = (), many: bool = False) -> int:
        """Run one statement in its own transaction; the number of rows it changed."""
        self._check_writable()
        with db.transaction(self.conn):
            cursor = self.conn.executemany(sql, params) if many else self.conn.execute(sql, params)
            changed = cursor.rowcount
        self._checkpoint()
        return changed

    def _checkpoint(self) -> None:
        # Keep committed data in the main file, not only in the WAL (a lost -wal loses nothing).
        # Best effort: the change is already committed when this runs.
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _changed(self, library: str, article: str) -> None:
        for listener in list(self.listeners):
            listener(library, article)

    def add_highlight(
        self, library: str, article: str, quote: TextQuote, position: TextPosition,
        color: str = "yellow", note: str = "", article_hash: str = "", tags: tuple[str, ...] | list[str] = (),
    ) -> Annotation:
        stamp = now()
        item = Annotation(f"urn:uuid:{uuid.uuid4()}", library, article, HIGHLIGHT, color, quote, position, note, "exact", 100.0, stamp, stamp, article_hash,
                          tags=clean_tags(list(tags)))
        self.put(item)
        return self.get(library, item.id) or item

    def put(self, item: Annotation) -> None:
        """Insert or replace one annotation as given (undo of a delete); a new revision."""
        placeholders = ",".join("?" * len(_COLUMNS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[2:])
        self._write(
            f"""INSERT INTO annotations ({", ".join(_COLUMNS)}) VALUES ({placeholders})
                ON CONFLICT (library, id) DO UPDATE SET {updates}, revision = revision + 1""",
            item.values(),
        )
        self._changed(item.library, item.article)

    def get(self, library: str, annotation_id: str) -> Annotation | None:
        row = self.conn.execute("SELECT * FROM annotations WHERE library = ? AND id = ?", (library, annotation_id)).fetchone()
        return _row(row) if row else None

    def _update_fields(self, library: str, annotation_id: str, fields: dict[str, object]) -> Annotation:
        """Change only ``fields`` of one row (never the others: a concurrent change to them
        by another process survives), with a new ``modified`` and revision."""
        assignments = ", ".join(f"{name} = ?" for name in fields)
        changed = self._write(
            f"UPDATE annotations SET {assignments}, modified = ?, revision = revision + 1 WHERE library = ? AND id = ?",
            (*fields.values(), now(), library, annotation_id),
        )
        if not changed:
            raise KeyError(annotation_id)
        item = self.get(library, annotation_id)
        if item is None:
            raise KeyError(annotation_id)
        self._changed(library, item.article)
        return item

    def set_note(self, library: str, annotation_id: str, note: str) -> Annotation:
        return self._update_fields(library, annotation_id, {"note": note})

    def set_color(self, library: str, annotation_id: str, color: str) -> Annotation:
        return self._update_fields(library, annotation_id, {"color": color})

    def set_tags(self, library: str, annotation_id: str, tags: list[str] | tuple[str, ...]) -> Annotation:
        """Replace the annotation's tags (``[]`` removes them): cleaned by
        :func:`~reader.annotations.validation.clean_tags` (which raises
        :class:`~reader.annotations.validation.InvalidTag` naming a bad one, before anything
        is written). Only the tags change; ``modified`` and the revision are new."""
        cleaned = clean_tags(tags)
        return self._update_fields(library, annotation_id, {"tags": tags_json(cleaned)})

    def reattach(self, library: str, annotation_id: str, quote: TextQuote, position: TextPosition, article_hash: str) -> Annotation:
        return self._update_fields(library, annotation_id, {
            "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix,
            "start": position.start, "end": position.end, "state": "exact", "score": 100.0,
            "article_hash": article_hash,
        })

    def delete(self, library: str, annotation_id: str) -> Annotation | None:
        """Delete and return the annotation (keep it to undo with :meth:`put`)."""
        item = self.get(library, annotation_id)
        if item is None:
            return None
        self._write("DELETE FROM annotations WHERE library = ? AND id = ?", (library, annotation_id))
        self._changed(item.library, item.article)
        return item

    def article_note(self, library: str, article: str) -> Annotation | None:
        """The article's note (the most recently changed one, should an import bring two)."""
        rows = self.conn.execute(
            "SELECT * FROM annotations WHERE library = ? AND article = ? AND kind = 'article_note'", (library, article)
        ).fetchall()
        if not rows:
            return None
        from reader.annotations.validation import instant_or_epoch

        return max((_row(r) for r in rows), key=lambda a: instant_or_epoch(a.modified))

    def set_article_note(self, library: str, article: str, text: str) -> Annotation:
        existing = self.article_note(library, article)
        if existing is not None:
            return self.set_note(library, existing.id, text)
        stamp = now()
        item = Annotation(f"urn:uuid:{uuid.uuid4()}", library, article, ARTICLE_NOTE, "", None, None, text, "exact", 100.0, stamp, stamp)
        self.put(item)
        return self.get(library, item.id) or item

    # Importing -----------------------------------------------------------------------------
    def merge(self, checked: list, report: MergeReport, label: Callable[[int], str] | None = None) -> MergeReport:
        """Merge validated items (:class:`reader.annotations.validation.Checked`) by id: a new
        id is added, a strictly newer ``modified`` (compared as instants) replaces, anything
        else changes nothing. Each batch is one transaction, decided against the rows as they
        are inside it, so a concurrent edit is never overwritten by an older item."""
        from reader.annotations.validation import instant_or_epoch

        self._check_writable()
        touched: set[tuple[str, str]] = set()
        clock = dt.datetime.now(dt.timezone.utc)
        for first in range(0, len(checked), IMPORT_BATCH):
            batch = checked[first : first + IMPORT_BATCH]
            added = updated = unchanged = 0
            batch_touched: set[tuple[str, str]] = set()
            try:
                with db.transaction(self.conn):
                    for entry in batch:
                        item = entry.annotation
                        row = self.conn.execute("SELECT * FROM annotations WHERE library = ? AND id = ?", (item.library, item.id)).fetchone()
                        if row is None:
                            self.conn.execute(
                                f"INSERT INTO annotations ({', '.join(_COLUMNS)}) VALUES ({','.join('?' * len(_COLUMNS))})", item.values())
                            added += 1
                        else:
                            existing = _row(row)
                            if entry.modified_at is None or entry.modified_at <= instant_or_epoch(existing.modified, clock) or existing.same_content(item):
                                unchanged += 1
                                continue
                            assignments = ", ".join(f"{c} = ?" for c in _COLUMNS[2:])
                            self.conn.execute(
                                f"UPDATE annotations SET {assignments}, revision = revision + 1 WHERE library = ? AND id = ?",
                                (*item.values()[2:], item.library, item.id))
                            updated += 1
                            batch_touched.add((existing.library, existing.article))
                        batch_touched.add((item.library, item.article))
            except sqlite3.Error as exc:
                report.not_written = len(checked) - first
                report.failure = str(describe_database_error(exc, self.path))
                break
            report.added += added
            report.updated += updated
            report.unchanged += unchanged
            touched |= batch_touched
        self._checkpoint()
        for library, article in sorted(touched):
            self._changed(library, article)
        return report

    # Reading -------------------------------------------------------------------------------
    def _select(self, where: str, params: tuple, order: str) -> list[Annotation]:
        """Rows as Annotations, built from plain tuples (a Row's lookups by name cost more
        than the query at 100,000 highlights) with the repeated texts shared."""
        if self._columns is None:
            names = {r[1] for r in self.conn.execute("PRAGMA table_info(annotations)")}
            # An older schema (read-only, not migrated) lacks the newer columns: their defaults.
            self._columns = ", ".join(c if c in names else _MISSING[c] for c in (*_COLUMNS[:-1], "revision", "tags"))
        cursor = self.conn.cursor()
        cursor.row_factory = None
        rows = cursor.execute(f"SELECT {self._columns} FROM annotations {where} ORDER BY {order}", params).fetchall()
        shared: dict[str, str] = {}
        share = shared.setdefault
        out = []
        append = out.append
        for (lib, ident, article, kind, color, exact, prefix, suffix, start, end, note, state, created, modified, score, article_hash, revision, tags) in rows:
            append(Annotation(
                ident, share(lib, lib), share(article, article), share(kind, kind), share(color, color),
                TextQuote(exact, prefix or "", suffix or "") if exact is not None else None,
                TextPosition(start, end) if start is not None else None,
                note, share(state, state), score, created, modified, share(article_hash, article_hash), revision,
                () if tags == NO_TAGS else tags_of_json(tags),
            ))
        return out

    def for_article(self, library: str, article: str) -> list[Annotation]:
        """Highlights in reading order; orphans last."""
        return self._select(
            "WHERE library = ? AND article = ? AND kind = 'highlight'", (library, article),
            "state = 'orphan', coalesce(start, 0), created",
        )

    def all(self, library: str | None = None) -> list[Annotation]:
        if library is None:
            return self._select("", (), "library, article, start")
        return self._select("WHERE library = ?", (library,), "article, start")

    def libraries(self) -> dict[str, int]:
        """Library path -> number of annotations kept for it."""
        return dict(self.conn.execute("SELECT library, count(*) FROM annotations GROUP BY library").fetchall())

    def counts(self, library: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT article, count(*) FROM annotations WHERE library = ? AND kind = 'highlight' GROUP BY article", (library,)
        )
        return {article: n for article, n in rows}

    def search_texts(self, library: str) -> dict[str, str]:
        """Quotes and notes per article, for the search index's ``note:`` field."""
        out: dict[str, list[str]] = {}
        rows = self.conn.execute(
            "SELECT article, exact, note FROM annotations WHERE library = ? ORDER BY article, start", (library,))
        for article, exact, note in rows:
            parts = out.get(article)
            if parts is None:
                parts = out[article] = []
            if exact is not None:
                parts.append(exact)
            if note:
                parts.append(note)
        return {article: "\n".join(parts) for article, parts in out.items()}

    # Tags ----------------------------------------------------------------------------------
    def tagged_rows(self, library: str | None) -> list[tuple[str, str, str]]:
        """(library, article, tags JSON) of the rows that have tags (none on a schema read
        before it had tags)."""
        if "tags" not in {r[1] for r in self.conn.execute("PRAGMA table_info(annotations)")}:
            return []
        where, params = ("WHERE tags != ?", (NO_TAGS,)) if library is None else ("WHERE library = ? AND tags != ?", (library, NO_TAGS))
        return self.conn.execute(f"SELECT library, article, tags FROM annotations {where}", params).fetchall()

    def tag_counts(self, library: str | None = None) -> dict[str, int]:
        """Every tag in use (of ``library``, else of all) -> the number of annotations with
        it; tags that differ only in case or Unicode form count as one, named as first seen."""
        names: dict[str, str] = {}
        counts: dict[str, int] = {}
        for _lib, _article, text in self.tagged_rows(library):
            for tag in tags_of_json(text):
                key = tag_key(tag)
                names.setdefault(key, tag)
                counts[key] = counts.get(key, 0) + 1
        return {names[key]: counts[key] for key in sorted(names, key=lambda k: (k, names[k]))}

    def all_tags(self, library: str | None = None) -> list[str]:
        """The tags in use, in alphabetical order (for completion)."""
        return list(self.tag_counts(library))

    def with_tag(self, library: str, tag: str) -> list[Annotation]:
        """The annotations of ``library`` that carry ``tag`` (compared by
        :func:`~reader.annotations.validation.tag_key`: AI = ai), by article and position."""
        wanted = tag_key(tag.strip())
        if "tags" not in {r[1] for r in self.conn.execute("PRAGMA table_info(annotations)")}:
            return []
        items = self._select("WHERE library = ? AND tags != ?", (library, NO_TAGS), "article, start")
        return [item for item in items if any(tag_key(t) == wanted for t in item.tags)]

    def paths_with_tag(self, library: str, tag: str) -> set[str]:
        """The articles of ``library`` with an annotation that carries ``tag`` (``htag:``)."""
        wanted = tag_key(tag.strip())
        return {article for _lib, article, text in self.tagged_rows(library)
                if any(tag_key(t) == wanted for t in tags_of_json(text))}

    def colors(self) -> list[Color]:
        rows = self.conn.execute("SELECT key, name, color FROM colors ORDER BY position").fetchall()
        return [Color(*row) for row in rows]

    def rename_color(self, key: str, name: str) -> None:
        self._write("UPDATE colors SET name = ? WHERE key = ?", (name, key))

    # Following the articles ----------------------------------------------------------------
    def current_anchors(self, items: list[Annotation], text: str, article_hash: str) -> tuple[list[Annotation], list[Annotation]]:
        """(all items re-attached to ``text`` in reading order, the ones that moved), computed
        without writing anything."""
        changed, result = [], []
        for item in items:
            if item.article_hash == article_hash or item.quote is None:
                result.append(item)
                continue
            found = anchor(text, item.quote, item.position)
            quote, position = item.quote, item.position
            if found.attached:
                if found.state != "fuzzy":
                    prefix, suffix = text[max(0, found.start - 32) : found.start], text[found.end : found.end + 32]
                    if (prefix, suffix) != (quote.prefix, quote.suffix):
                        quote = TextQuote(quote.exact, prefix, suffix)
                if position is None or (position.start, position.end) != (found.start, found.end):
                    position = TextPosition(found.start, found.end)
                state, score = found.state, found.score
            else:
                state, score = ORPHAN, 0.0
            # Built directly: dataclasses.replace costs more than the anchoring at 100,000.
            updated = Annotation(
                item.id, item.library, item.article, item.kind, item.color, quote, position, item.note,
                state, score, item.created, item.modified, article_hash, item.revision, item.tags,
            )
            changed.append(updated)
            result.append(updated)
        return sorted(result, key=_sort_key), changed

    def update_anchors(self, library: str, article: str, text: str, article_hash: str, write: bool = True) -> list[Annotation]:
        """The article's highlights re-attached to its current plain text. With ``write`` the
        new anchors are saved: only the anchor fields, only for rows unchanged since they were
        read (their revision), in one transaction, with one change notification. A row
        someone changed meanwhile keeps that change and is re-attached next time."""
        stale = self.conn.execute(
            "SELECT 1 FROM annotations WHERE library = ? AND article = ? AND kind = 'highlight' AND article_hash != ? AND exact IS NOT NULL LIMIT 1",
            (library, article, article_hash)).fetchone()
        items = self.for_article(library, article)
        if stale is None:
            return items  # anchored to this very text already: nothing to compute
        result, changed = self.current_anchors(items, text, article_hash)
        if not changed or not write or self.read_only:
            return result
        rows = [
            (q.prefix if q else None, q.suffix if q else None, p.start if p else None, p.end if p else None,
             item.state, item.score, item.article_hash, library, item.id, item.revision)
            for item in changed for q, p in ((item.quote, item.position),)
        ]
        try:
            with db.transaction(self.conn):
                cursor = self.conn.executemany(
                    """UPDATE annotations SET prefix = ?, suffix = ?, start = ?, end = ?, state = ?,
                           score = ?, article_hash = ?, revision = revision + 1
                       WHERE library = ? AND id = ? AND revision = ?""",
                    rows,
                )
                written = cursor.rowcount
        except sqlite3.Error:
            return result  # shown re-attached now, saved at a later opening (full disk, busy)
        self._checkpoint()
        self.anchors_written += written
        if written != len(changed):
            result = self.current_anchors(self.for_article(library, article), text, article_hash)[0]
        self._changed(library, article)
        return result

    def follow_renames(self, library: str, present: dict[str, str]) -> int:
        """Move annotations of articles that vanished to an article with the same content
        hash (a rename or move). ``present`` maps current paths to content hashes."""
        if self.read_only:
            return 0
        by_hash: dict[str, str] = {}
        for path, content_hash in present.items():
            by_hash.setdefault(content_hash, path)
        rows = self.conn.execute("SELECT DISTINCT article, article_hash FROM annotations WHERE library = ?", (library,)).fetchall()
        moves = [(by_hash[h], article) for article, h in rows if article not in present and h and h in by_hash]
        if not moves:
            return 0
        self._write("UPDATE annotations SET article = ?, revision = revision + 1 WHERE library = ? AND article = ?",
                    [(target, library, article) for target, article in moves], many=True)
        for target in sorted({t for t, _ in moves}):
            self._changed(library, target)
        return len(moves)

    def adopt_moved_library(self, library: str, present: dict[str, str]) -> str:
        """A library keeps its annotations when its folder is moved or renamed: the annotations
        of a library whose folder is gone are re-attached to ``library`` when its articles are
        here. Returns what to tell the user ("" when nothing moved).

        Only a library with no annotations of its own adopts (a moved library's new path has
        none; a copy that was given an export has its own and never takes another's), and
        only the former library that fits best: at least half of its annotated articles are
        here, by content hash, or (for annotations never anchored, which have no hash) by
        path, and at least one is.
        """
        if self.read_only or not present or self.conn.execute(
                "SELECT 1 FROM annotations WHERE library = ? LIMIT 1", (library,)).fetchone():
            return ""
        hashes = set(present.values())
        best: tuple[float, int, str] | None = None
        for old, _count in self.libraries().items():
            if old == library or _folder_exists(old):
                continue
            versions = self.conn.execute(
                "SELECT DISTINCT article, article_hash FROM annotations WHERE library = ?", (old,)).fetchall()
            matched = sum(1 for a, h in versions if (h in hashes if h else a in present))
            if not matched or matched * 2 < len(versions):
                continue
            fit = (matched / len(versions), matched, old)
            best = fit if best is None or fit > best else best
        if best is None:
            return ""
        old = best[2]
        moved = self._move_library(old, library)
        self.follow_renames(library, present)
        return (
            f"The library {old} is gone and its articles are here: its {moved} annotation"
            f"{'s were' if moved != 1 else ' was'} re-attached to {library}."
        )

    def _move_library(self, old: str, new: str) -> int:
        """Re-key ``old``'s annotations to ``new``; where ``new`` already has the same id (an
        export imported there), the newer of the two is kept."""
        from reader.annotations.validation import instant_or_epoch

        moved = 0
        with db.transaction(self.conn):
            for row in self.conn.execute("SELECT * FROM annotations WHERE library = ?", (old,)).fetchall():
                item = _row(row)
                there = self.conn.execute("SELECT modified FROM annotations WHERE library = ? AND id = ?", (new, item.id)).fetchone()
                if there is None:
                    self.conn.execute("UPDATE annotations SET library = ?, revision = revision + 1 WHERE library = ? AND id = ?", (new, old, item.id))
                elif instant_or_epoch(item.modified) > instant_or_epoch(there[0]):
                    self.conn.execute("DELETE FROM annotations WHERE library = ? AND id = ?", (new, item.id))
                    self.conn.execute("UPDATE annotations SET library = ?, revision = revision + 1 WHERE library = ? AND id = ?", (new, old, item.id))
                else:
                    self.conn.execute("DELETE FROM annotations WHERE library = ? AND id = ?", (old, item.id))
                moved += 1
        self._checkpoint()
        return moved


@contextlib.contextmanager
def _opening_lock(folder: Path):
    """An exclusive lock on ``<data>/annotations.lock`` while a database is opened, recovered
    or migrated; nothing where the folder cannot be written (then nothing is created)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locks are all there is
        yield
        return
    handle = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / "annotations.lock", "a+b")  # noqa: SIM115 (held across the yield)
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    except OSError:
        if handle is not None:
            handle.close()
        handle = None
    try:
        yield
    finally:
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


def _folder_exists(path: str) -> bool:
    from reader.library.library import folder_of_key

    try:
        return folder_of_key(path).is_dir()
    except (OSError, ValueError):
        return False


def _folder_writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (or, when it does not exist yet, in the
    nearest existing parent). ``os.access`` answers EROFS for read-only mounts, root too."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return os.access(probe, os.W_OK | os.X_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when the file cannot be opened. Where SQLite cannot
    make the -shm file it needs for a WAL database (a read-only folder, a full disk) the file
    is opened ``immutable``: nothing writes it then (every write of ours is checkpointed
    into the main file, so nothing is missed)."""
    if not path.exists():
        return None
    writable = _folder_writable(path.parent)
    option = "mode=ro" if writable else "mode=ro&immutable=1"
    while True:
        try:
            conn = sqlite3.connect(f"file:{path}?{option}", uri=True, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            conn.close()
            text = str(exc).lower()
            # Only where SQLite cannot make its -shm file (a full disk) is the file read
            # immutable; never while another process may be writing it (a busy or new file
            # read that way looks damaged).
            if option == "mode=ro" and not _is_damage(exc) and ("unable to open" in text or "disk" in text):
                option = "mode=ro&immutable=1"
                continue
            return None


def _normal_read_error_is_damage(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return _is_damage(exc)
    return False


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _damaged(path: Path) -> bool:
    """True only when SQLite itself says the file is damaged (it fails its quick check or is
    not a database): a file that merely cannot be opened now (full disk, read-only folder,
    permissions) is never treated as damaged, so it is never moved aside."""
    if not path.exists():
        return False
    conn = _connect_read_only(path)
    if conn is None:
        if _folder_writable(path.parent):
            # Damage is only believed from a normal connection (another process may be
            # creating or writing the file): one that cannot be made says nothing.
            return _normal_read_error_is_damage(path)
        error = db.probe_error(path)
        return error is not None and _is_damage(error)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        conn.execute("PRAGMA user_version").fetchone()
        return result != "ok"
    except sqlite3.Error as exc:
        return _is_damage(exc)
    finally:
        conn.close()


def _claimed_count(damaged: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{damaged}?mode=ro&immutable=1", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _lost_beside_backup(path: Path, backup_dir: Path) -> str:
    """Why the database looks lost ("missing", "empty") while a good backup exists, else "".
    A fresh data folder has neither; a database that vanished or was truncated to nothing
    beside its backups was lost, and must not be taken for "no annotations yet"."""
    if not backups.backups(backup_dir):
        return ""
    if not path.exists():
        reason = "missing"
    else:
        try:
            if path.stat().st_size > 0:
                conn = _connect_read_only(path)
                if conn is None:
                    return ""
                try:
                    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'annotations'").fetchone()
                finally:
                    conn.close()
                if has_table:
                    return ""
        except (OSError, sqlite3.Error):
            return ""
        reason = "empty"
    return reason if backups.newest_good_backup(backup_dir) is not None else ""


def _restore_lost(path: Path, backup_dir: Path, reason: str) -> str:
    good = backups.newest_good_backup(backup_dir)
    if good is None:
        return ""
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if path.exists():
        path.replace(path.with_name(f"{path.stem}.{reason}-{dt.datetime.now():%Y%m%d-%H%M%S}{path.suffix}"))
    shutil.copyfile(good, path)
    when = backups.backup_time(good).strftime("%Y-%m-%d %H:%M")
    return f"{path}: the annotations database was {reason}; restored the backup of {when}."


def _readable_rows(damaged: Path) -> list[Annotation]:
    """What can still be read of a damaged database's annotations: scanned forwards and
    backwards by rowid, so rows on both sides of a damaged page are found."""
    found: dict[tuple[str, str], Annotation] = {}
    try:
        conn = sqlite3.connect(f"file:{damaged}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return []
    conn.row_factory = sqlite3.Row
    try:
        for order in ("ASC", "DESC"):
            try:
                for row in conn.execute(f"SELECT * FROM annotations ORDER BY rowid {order}"):
                    with contextlib.suppress(IndexError, KeyError, TypeError, ValueError):
                        item = _row(row)
                        if isinstance(item.id, str) and isinstance(item.library, str) and isinstance(item.article, str) and item.kind in (HIGHLIGHT, ARTICLE_NOTE):
                            found.setdefault((item.library, item.id), item)
            except sqlite3.Error:
                continue
    finally:
        conn.close()
    return list(found.values())


def _recover(path: Path, backup_dir: Path, damaged: list[Path]) -> str:
    """Move the damaged database aside (its path is added to ``damaged``, for salvaging) and
    restore the newest good backup; say what happened."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{aside}{suffix}"))
    damaged.append(aside)
    good = backups.newest_good_backup(backup_dir)
    if good is None:
        return f"{path}: the annotations database was damaged and no backup exists; it was moved to {aside.name} and a new one started with what could still be read of it."
    shutil.copyfile(good, path)
    when = backups.backup_time(good).strftime("%Y-%m-%d %H:%M")
    return f"{path}: the annotations database was damaged; restored the backup of {when} (the damaged file was kept as {aside.name})."
