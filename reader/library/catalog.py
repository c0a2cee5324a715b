"""The catalog: article metadata cached in SQLite, so opening a big library parses nothing.

A rescan stats every file and re-reads only those whose size or mtime changed. The catalog
is a cache: if it is damaged it is deleted and rebuilt from the files.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader import db
from reader.library.model import Article, Source
from reader.library.reading import load_file
from reader.library.scanning import Found, scan_library


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE articles (
            path TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT NOT NULL,
            authors TEXT NOT NULL,
            tags TEXT NOT NULL,
            sources TEXT NOT NULL,
            lang TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            hash TEXT NOT NULL,
            encoding TEXT NOT NULL,
            problems TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v2(conn: sqlite3.Connection) -> None:
    """The list shows the source's site: keep it ready instead of decoding sources per row."""
    conn.execute("ALTER TABLE articles ADD COLUMN source_label TEXT NOT NULL DEFAULT ''")
    conn.execute("UPDATE articles SET mtime_ns = -1")  # re-read every file at the next scan


MIGRATIONS = [_v1, _v2]


@dataclass
class ListRow:
    """What the article list needs of one article, read without parsing anything else."""

    path: str
    title: str
    date: str
    tags: list[str]
    source: str
    problems: list[str]


@dataclass
class CatalogEntry:
    article: Article  # metadata only: body is empty
    size: int
    mtime_ns: int
    content_hash: str
    encoding: str


@dataclass
class ScanReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, problem)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _row_to_entry(row: sqlite3.Row) -> CatalogEntry:
    article = Article(
        path=row["path"],
        title=row["title"],
        date=row["date"],
        authors=json.loads(row["authors"]),
        tags=json.loads(row["tags"]),
        sources=[Source(**s) for s in json.loads(row["sources"])],
        lang=row["lang"],
        problems=json.loads(row["problems"]),
    )
    return CatalogEntry(article, row["size"], row["mtime_ns"], row["hash"], row["encoding"])


class Catalog:
    def __init__(self, db_path: Path, library: Path) -> None:
        self.db_path = db_path
        self.library = library
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = db.connect(self.db_path)
            db.migrate(conn, MIGRATIONS)
            conn.execute("SELECT count(*) FROM articles").fetchone()
            return conn
        except (sqlite3.DatabaseError, db.DatabaseError):
            # A cache: rebuild rather than fail.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
            conn = db.connect(self.db_path)
            db.migrate(conn, MIGRATIONS)
            return conn

    def close(self) -> None:
        self.conn.close()

    def entries(self) -> list[CatalogEntry]:
        rows = self.conn.execute("SELECT * FROM articles ORDER BY path").fetchall()
        return [_row_to_entry(row) for row in rows]

    def list_rows(self) -> list[ListRow]:
        rows = self.conn.execute("SELECT path, title, date, tags, source_label, problems FROM articles").fetchall()
        return [
            ListRow(r[0], r[1], r[2], json.loads(r[3]) if r[3] != "[]" else [], r[4], json.loads(r[5]) if r[5] != "[]" else [])
            for r in rows
        ]

    def get(self, rel_path: str) -> CatalogEntry | None:
        row = self.conn.execute("SELECT * FROM articles WHERE path = ?", (rel_path,)).fetchone()
        return _row_to_entry(row) if row else None

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def rescan(
        self,
        on_problem: Callable[[str, str], None] | None = None,
        force: bool = False,
        only: set[str] | None = None,
    ) -> ScanReport:
        """Bring the catalog in line with the folder. ``on_problem(rel_path, problem)`` is
        called for every file that has one (old or new), so callers can report them.
        ``only`` re-checks just those paths (a watcher said they changed)."""
        report = ScanReport()
        known = {
            row["path"]: (row["size"], row["mtime_ns"], row["hash"], row["problems"])
            for row in self.conn.execute("SELECT path, size, mtime_ns, hash, problems FROM articles")
        }
        seen: set[str] = set()
        pending: list[tuple] = []
        if only is not None:
            found_files = [Found(self.library / p, p) for p in sorted(only) if (self.library / p).exists() or (self.library / p).is_symlink()]
            known = {p: v for p, v in known.items() if p in only}
        else:
            found_files = scan_library(self.library)
        for found in found_files:
            seen.add(found.rel_path)
            old = known.get(found.rel_path)
            if found.problem:
                article = Article(path=found.rel_path, title=Path(found.rel_path).stem, problems=[found.problem])
                size = mtime = 0
                digest = encoding = ""
            else:
                try:
                    info = found.path.stat()
                    stat_key = (info.st_size, info.st_mtime_ns)
                except OSError:
                    stat_key = (-1, -1)
                if old and not force and (old[0], old[1]) == stat_key:
                    report.unchanged += 1
                    for problem in json.loads(old[3]):
                        report.problems.append((found.rel_path, problem))
                    continue
                loaded = load_file(found.path, found.rel_path)
                article, size, mtime = loaded.article, loaded.size, loaded.mtime_ns
                digest, encoding = loaded.content_hash, loaded.encoding
            if old is None:
                report.added.append(found.rel_path)
            elif old[2] != digest or force:
                report.changed.append(found.rel_path)
            else:
                report.unchanged += 1
            for problem in article.problems:
                report.problems.append((found.rel_path, problem))
            pending.append(_row(article, size, mtime, digest, encoding))
        report.removed = sorted(set(known) - seen)
        with db.transaction(self.conn):
            self.conn.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", pending)
            self.conn.executemany("DELETE FROM articles WHERE path = ?", [(p,) for p in report.removed])
        if on_problem:
            for rel_path, problem in report.problems:
                on_problem(rel_path, problem)
        return report


def _row(article: Article, size: int, mtime: int, digest: str, encoding: str) -> tuple:
    return (
        article.path,
        article.title,
        article.date,
        json.dumps(article.authors, ensure_ascii=False),
        json.dumps(article.tags, ensure_ascii=False),
        json.dumps([s.to_dict() for s in article.sources], ensure_ascii=False),
        article.lang,
        size,
        mtime,
        digest,
        encoding,
        json.dumps(article.problems, ensure_ascii=False),
        article.source_label,
    )


def printable_path(rel_path: str) -> str:
    """The path on one line: control characters (a newline in a file name) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in rel_path)


def print_problem(rel_path: str, problem: str) -> None:
    print(f"{printable_path(rel_path)}: {problem}", file=sys.stderr)
