"""The annotations database: every change committed when made, never silently lost.

One SQLite file in the data folder (WAL, synchronous=FULL, foreign keys on), the schema
version in ``PRAGMA user_version`` with migrations (a verified backup before each), daily
rotating backups, and recovery at open: a damaged file is moved aside and the newest good
backup restored; a file from a newer Reader is opened read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from reader import db
from reader.annotations import backups
from reader.annotations.anchoring import ORPHAN, anchor
from reader.annotations.selectors import TextPosition, TextQuote
from reader.paths import DataPaths
from reader.settings import DEFAULTS

HIGHLIGHT, ARTICLE_NOTE = "highlight", "article_note"


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


MIGRATIONS = [_v1, _v2]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Color:
    key: str
    name: str
    color: str


@dataclass(frozen=True)
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

    @property
    def orphan(self) -> bool:
        return self.state == ORPHAN


def _row(row: sqlite3.Row) -> Annotation:
    quote = TextQuote(row["exact"], row["prefix"] or "", row["suffix"] or "") if row["exact"] is not None else None
    position = TextPosition(row["start"], row["end"]) if row["start"] is not None else None
    return Annotation(
        row["id"], row["library"], row["article"], row["kind"], row["color"], quote, position,
        row["note"], row["state"], row["score"], row["created"], row["modified"], row["article_hash"],
    )


class AnnotationStore:
    def __init__(self, conn: sqlite3.Connection, path: Path, paths: DataPaths, read_only: bool, messages: list[str]) -> None:
        self.conn = conn
        self.path = path
        self.paths = paths
        self.read_only = read_only
        self.messages = messages  # what the user must be told (restored backup, read-only, ...)
        self.listeners: list[Callable[[str, str], None]] = []  # (library, article) changed

    # Opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, paths: DataPaths) -> AnnotationStore:
        path = paths.annotations_db
        messages: list[str] = []
        if path.exists() and not _healthy(path):
            messages.append(_recover(path, paths.backups_dir))
        try:
            conn = db.connect(path, durable=True)
            version = db.schema_version(conn)
        except sqlite3.DatabaseError:
            messages.append(_recover(path, paths.backups_dir))
            conn = db.connect(path, durable=True)
            version = db.schema_version(conn)
        if version > len(MIGRATIONS):
            conn.close()
            conn = db.connect(path, read_only=True)
            messages.append(
                f"{path}: written by a newer version of Reader (schema {version}); "
                "annotations are shown read-only until you update Reader."
            )
            return cls(conn, path, paths, True, messages)
        db.migrate(conn, MIGRATIONS, before=lambda v: backups.make_backup(conn, paths.backups_dir, f"before-v{v + 1}"))
        store = cls(conn, path, paths, False, messages)
        store.backup_if_due()
        return store

    @classmethod
    def open_for_reading(cls, paths: DataPaths) -> AnnotationStore | None:
        """For the indexer and the CLI: None when there is no usable database yet."""
        path = paths.annotations_db
        if not path.exists():
            return None
        try:
            conn = db.connect(path, read_only=True)
            version = db.schema_version(conn)
            if version == 0 or version > len(MIGRATIONS):
                conn.close()
                return None
            if version < len(MIGRATIONS):
                conn.close()
                return cls.open(paths)
            return cls(conn, path, paths, True, [])
        except sqlite3.DatabaseError:
            return None

    def close(self) -> None:
        self.conn.close()

    def backup_if_due(self) -> Path | None:
        if self.read_only or not backups.due(self.paths.backups_dir):
            return None
        return backups.make_backup(self.conn, self.paths.backups_dir)

    # Writing -------------------------------------------------------------------------------
    def _write(self, sql: str, params: tuple | list = (), many: bool = False) -> None:
        if self.read_only:
            raise ReadOnlyStore(f"{self.path}: annotations are read-only")
        with db.transaction(self.conn):
            if many:
                self.conn.executemany(sql, params)
            else:
                self.conn.execute(sql, params)
        # Keep committed data in the main file, not only in the WAL (a lost -wal loses nothing).
        # Best effort: the change is already committed when this runs.
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _changed(self, library: str, article: str) -> None:
        for listener in list(self.listeners):
            listener(library, article)

    def add_highlight(
        self, library: str, article: str, quote: TextQuote, position: TextPosition,
        color: str = "yellow", note: str = "", article_hash: str = "",
    ) -> Annotation:
        stamp = now()
        item = Annotation(f"urn:uuid:{uuid.uuid4()}", library, article, HIGHLIGHT, color, quote, position, note, "exact", 100.0, stamp, stamp, article_hash)
        self.put(item)
        return item

    def put(self, item: Annotation) -> None:
        """Insert or replace one annotation as given (import, undo of a delete)."""
        q, p = item.quote, item.position
        self._write(
            """INSERT OR REPLACE INTO annotations
               (id, library, article, kind, color, exact, prefix, suffix, start, end, note, state,
                created, modified, score, article_hash)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (item.id, item.library, item.article, item.kind, item.color,
             q.exact if q else None, q.prefix if q else None, q.suffix if q else None,
             p.start if p else None, p.end if p else None, item.note, item.state,
             item.created, item.modified, item.score, item.article_hash),
        )
        self._changed(item.library, item.article)

    def get(self, annotation_id: str) -> Annotation | None:
        row = self.conn.execute("SELECT * FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
        return _row(row) if row else None

    def update(self, annotation_id: str, **changes) -> Annotation:
        item = self.get(annotation_id)
        if item is None:
            raise KeyError(annotation_id)
        updated = replace(item, modified=now(), **changes)
        self.put(updated)
        return updated

    def set_note(self, annotation_id: str, note: str) -> Annotation:
        return self.update(annotation_id, note=note)

    def set_color(self, annotation_id: str, color: str) -> Annotation:
        return self.update(annotation_id, color=color)

    def reattach(self, annotation_id: str, quote: TextQuote, position: TextPosition, article_hash: str) -> Annotation:
        return self.update(annotation_id, quote=quote, position=position, state="exact", score=100.0, article_hash=article_hash)

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete and return the annotation (keep it to undo with :meth:`put`)."""
        item = self.get(annotation_id)
        if item is None:
            return None
        self._write("DELETE FROM annotations WHERE id = ?", (annotation_id,))
        self._changed(item.library, item.article)
        return item

    def article_note(self, library: str, article: str) -> Annotation | None:
        row = self.conn.execute(
            "SELECT * FROM annotations WHERE library = ? AND article = ? AND kind = 'article_note'", (library, article)
        ).fetchone()
        return _row(row) if row else None

    def set_article_note(self, library: str, article: str, text: str) -> Annotation:
        existing = self.article_note(library, article)
        if existing is not None:
            return self.set_note(existing.id, text)
        stamp = now()
        item = Annotation(f"urn:uuid:{uuid.uuid4()}", library, article, ARTICLE_NOTE, "", None, None, text, "exact", 100.0, stamp, stamp)
        self.put(item)
        return item

    # Reading -------------------------------------------------------------------------------
    def for_article(self, library: str, article: str) -> list[Annotation]:
        """Highlights in reading order; orphans last."""
        rows = self.conn.execute(
            "SELECT * FROM annotations WHERE library = ? AND article = ? AND kind = 'highlight'", (library, article)
        ).fetchall()
        items = [_row(r) for r in rows]
        return sorted(items, key=lambda a: (a.orphan, a.position.start if a.position else 0, a.created))

    def all(self, library: str | None = None) -> list[Annotation]:
        if library is None:
            rows = self.conn.execute("SELECT * FROM annotations ORDER BY library, article, start").fetchall()
        else:
            rows = self.conn.execute("SELECT * FROM annotations WHERE library = ? ORDER BY article, start", (library,)).fetchall()
        return [_row(r) for r in rows]

    def counts(self, library: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT article, count(*) FROM annotations WHERE library = ? AND kind = 'highlight' GROUP BY article", (library,)
        )
        return {article: n for article, n in rows}

    def search_texts(self, library: str) -> dict[str, str]:
        """Quotes and notes per article, for the search index's ``note:`` field."""
        out: dict[str, list[str]] = {}
        for item in self.all(library):
            parts = out.setdefault(item.article, [])
            if item.quote is not None:
                parts.append(item.quote.exact)
            if item.note:
                parts.append(item.note)
        return {article: "\n".join(parts) for article, parts in out.items()}

    def colors(self) -> list[Color]:
        rows = self.conn.execute("SELECT key, name, color FROM colors ORDER BY position").fetchall()
        return [Color(*row) for row in rows]

    def rename_color(self, key: str, name: str) -> None:
        self._write("UPDATE colors SET name = ? WHERE key = ?", (name, key))

    # Following the articles ----------------------------------------------------------------
    def update_anchors(self, library: str, article: str, text: str, article_hash: str) -> list[Annotation]:
        """Re-attach the article's highlights to its current plain text if it changed."""
        items = self.for_article(library, article)
        changed = []
        result = []
        for item in items:
            if item.article_hash == article_hash or item.quote is None:
                result.append(item)
                continue
            found = anchor(text, item.quote, item.position)
            if found.attached:
                quote = item.quote
                if found.state != "fuzzy":
                    quote = TextQuote(item.quote.exact, text[max(0, found.start - 32) : found.start], text[found.end : found.end + 32])
                updated = replace(item, position=TextPosition(found.start, found.end), quote=quote, state=found.state, score=found.score, article_hash=article_hash)
            else:
                updated = replace(item, state=ORPHAN, score=0.0, article_hash=article_hash)
            changed.append(updated)
            result.append(updated)
        if changed and not self.read_only:
            for item in changed:
                self.put(item)
        return sorted(result, key=lambda a: (a.orphan, a.position.start if a.position else 0, a.created))

    def follow_renames(self, library: str, present: dict[str, str]) -> int:
        """Move annotations of articles that vanished to an article with the same content
        hash (a rename or move). ``present`` maps current paths to content hashes."""
        if self.read_only:
            return 0
        by_hash = {}
        for path, content_hash in present.items():
            by_hash.setdefault(content_hash, path)
        rows = self.conn.execute("SELECT DISTINCT article, article_hash FROM annotations WHERE library = ?", (library,)).fetchall()
        moved = 0
        for article, content_hash in rows:
            if article in present or not content_hash or content_hash not in by_hash:
                continue
            target = by_hash[content_hash]
            self._write("UPDATE annotations SET article = ? WHERE library = ? AND article = ?", (target, library, article))
            self._changed(library, target)
            moved += 1
        return moved


def _healthy(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            conn.execute("PRAGMA user_version").fetchone()
            return result == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _recover(path: Path, backup_dir: Path) -> str:
    """Move the damaged database aside and restore the newest good backup; say what happened."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{aside}{suffix}"))
    good = backups.newest_good_backup(backup_dir)
    if good is None:
        return f"{path}: the annotations database was damaged and no backup exists; it was moved to {aside.name} and a new one started."
    shutil.copyfile(good, path)
    when = backups.backup_time(good).strftime("%Y-%m-%d %H:%M")
    return f"{path}: the annotations database was damaged; restored the backup of {when} (the damaged file was kept as {aside.name})."
