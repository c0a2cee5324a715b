"""The catalog: article metadata cached in SQLite, so opening a big library parses nothing.

A rescan stats every file and re-reads only those whose size or mtime changed (and documents
whose extractor has a new version, or a scan that Tesseract, installed since, can now read).
Documents (PDF, Word, EPUB, saved pages) are extracted during the rescan, through the data
folder's extraction cache, with progress and cancellation (:class:`ScanProgress`). The catalog
is a cache: if it is damaged (not a database, tables of another shape) it is deleted and
rebuilt from the files, and :attr:`Catalog.notices` says so. When it cannot be written (a
read-only data folder, a full disk) it is kept in memory for this run, copied from the file
when the file can still be read: reading commands work, nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader import db
from reader.errors import describe_database_error, from_os_error, is_disk_full
from reader.library.metadata_edits import EDITS_NAME, EditsFile, apply_edits
from reader.library.model import Article, Source
from reader.library.reading import DocumentSource, load_file
from reader.library.scanning import (
    NOT_UTF8_NAME,
    Found,
    in_saved_page_folder,
    is_document_path,
    scan_library,
)
from reader.memory import building_many
from reader.paths import read_only_problem


class _Damaged(Exception):
    pass


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


_V1_COLUMNS = ["path", "title", "date", "authors", "tags", "sources", "lang", "size", "mtime_ns", "hash", "encoding", "problems"]
#: The tables and columns of each schema version (1-based): a catalog of another shape is rebuilt.
SHAPES = {
    1: {"articles": _V1_COLUMNS, "meta": ["key", "value"]},
    2: {"articles": [*_V1_COLUMNS, "source_label"], "meta": ["key", "value"]},
    3: {"articles": [*_V1_COLUMNS, "source_label", "extractor"], "meta": ["key", "value"]},
    4: {"articles": [*_V1_COLUMNS, "source_label", "extractor", "file_hash"], "meta": ["key", "value"]},
}
SHAPES[5] = SHAPES[4]  # (an index, no new column)


def _v3(conn: sqlite3.Connection) -> None:
    """Documents read in place: the extractor (``pdf/1``) that read each one, so that a new
    version of it reads the file again."""
    problem = shape_problem(conn, SHAPES[2])
    if problem:
        raise _Damaged(problem)
    conn.execute("ALTER TABLE articles ADD COLUMN extractor TEXT NOT NULL DEFAULT ''")


def _v4(conn: sqlite3.Connection) -> None:
    """The extraction cache is pruned of entries no library uses: each document's file hash
    (the cache's key; ``hash`` is the version annotations anchor to, derived from it). The
    documents are read again at the next scan (from the cache) to fill it in."""
    problem = shape_problem(conn, SHAPES[3])
    if problem:
        raise _Damaged(problem)
    conn.execute("ALTER TABLE articles ADD COLUMN file_hash TEXT NOT NULL DEFAULT ''")
    conn.execute("UPDATE articles SET mtime_ns = -1 WHERE extractor != ''")


def _v5(conn: sqlite3.Connection) -> None:
    """What a rescan reads of every row, in an index of its own: at 100,000 articles the
    whole table (titles, hashes…) was read for it, 0.16-0.26 s of a cold rescan; the index
    is a fifth of the table."""
    problem = shape_problem(conn, SHAPES[4])
    if problem:
        raise _Damaged(problem)
    conn.execute("CREATE INDEX IF NOT EXISTS articles_stat ON articles(path, size, mtime_ns, problems, extractor)")


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5]

SHAPE = SHAPES[len(MIGRATIONS)]
TEXT_COLUMNS = ("path", "title", "date", "lang", "hash", "encoding", "source_label", "extractor", "file_hash")
INTEGER_COLUMNS = ("size", "mtime_ns")
LIST_COLUMNS = ("authors", "tags", "problems")


def shape_problem(conn: sqlite3.Connection, shape: dict | None = None) -> str:
    """What is wrong with the tables of a catalog ("" when they are as this Reader makes them,
    or as ``shape`` says: an older version's)."""
    for table, columns in (shape or SHAPE).items():
        found = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        if not found:
            return f"the table {table} is missing"
        if found != columns:
            return f"the table {table} has other columns ({', '.join(found)})"
    return ""


def _text_list_is_bad(column: str) -> str:
    return (f"(CASE WHEN typeof({column}) = 'text' AND json_valid({column}) AND json_type({column}) = 'array'"
            f" THEN EXISTS (SELECT 1 FROM json_each({column}) WHERE type != 'text') ELSE 1 END)")


_SOURCES_ARE_BAD = (
    "(CASE WHEN typeof(sources) = 'text' AND json_valid(sources) AND json_type(sources) = 'array'"
    " THEN EXISTS (SELECT 1 FROM json_each(sources) AS s WHERE s.type != 'object'"
    " OR json_type(s.value, '$.title') IS NOT 'text' OR coalesce(json_type(s.value, '$.url'), 'text') != 'text'"
    " OR EXISTS (SELECT 1 FROM json_each(s.value) WHERE key NOT IN ('title', 'url'))) ELSE 1 END)"
)
#: Rows whose values this Reader could not have written (checked by ``reader doctor``: one
#: pass of SQLite over every row, too slow to run at every start).
BAD_ROWS = "SELECT path FROM articles WHERE " + " OR ".join(
    [f"typeof({c}) != 'text'" for c in TEXT_COLUMNS]
    + [f"typeof({c}) != 'integer'" for c in INTEGER_COLUMNS]
    + [_text_list_is_bad(c) for c in LIST_COLUMNS]
    + [_SOURCES_ARE_BAD]
)


def _texts(value: object, memo: dict | None = None) -> list[str] | None:
    """A JSON list of texts from the catalog, or None when the value is of another shape.
    ``memo`` (a dict kept over many rows) parses each distinct value once: the authors and
    tags of a library repeat (a new list is returned each time all the same)."""
    if value == "[]":
        return []
    if memo is not None:
        if value in memo:
            known = memo[value]
            return None if known is None else list(known)
        items = memo[value] = _texts(value)
        return None if items is None else list(items)
    try:
        items = json.loads(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return None
    if type(items) is list and all(type(item) is str for item in items):
        return items
    return None


def _sources(value: object) -> list[Source] | None:
    if value == "[]":
        return []
    try:
        items = json.loads(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return None
    if type(items) is not list:
        return None
    out = []
    for item in items:
        if type(item) is not dict or not set(item) <= {"title", "url"} or type(item.get("title")) is not str or type(item.get("url", "")) is not str:
            return None
        out.append(Source(**item))
    return out


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
    content_hash: str  # the version annotations anchor to (documents: file + extractor)
    encoding: str
    extractor: str = ""  # documents: "pdf/1"


@dataclass
class ScanProgress:
    """Where a rescan is in reading documents: the ``documents_done``-th of
    ``documents_total`` documents to extract (``path``), and that document's pages."""

    documents_done: int
    documents_total: int
    path: str = ""
    pages_done: int = 0
    pages_total: int = 0


@dataclass
class ScanReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (rel path, problem)
    cancelled: bool = False  # documents left unread (kept as they were) because of a cancel

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)


#: The columns :func:`_row_to_entry` reads, in its order.
ENTRY_COLUMNS = "path, title, date, lang, hash, encoding, extractor, size, mtime_ns, authors, tags, sources, problems"


def _row_to_entry(row: tuple, bad: set[str], memo: dict | None = None) -> CatalogEntry:
    """The entry of a row (of :data:`ENTRY_COLUMNS`); a value of the wrong shape is replaced
    by its empty value and the row's path added to ``bad`` (the file is then read again at
    the next rescan). ``memo``: see :func:`_texts`."""
    path, title, date, lang, digest, encoding, extractor, size, mtime_ns, authors, tags, sources, problems = row
    authors, tags, sources, problems = _texts(authors, memo), _texts(tags, memo), _sources(sources), _texts(problems, memo)
    texts = (path, title, date, lang, digest, encoding, extractor)
    numbers = (size, mtime_ns)
    if (authors is None or tags is None or sources is None or problems is None
            or not all(type(t) is str for t in texts) or type(size) is not int or type(mtime_ns) is not int):
        bad.add(str(path))
        texts = [t if type(t) is str else "" for t in texts]
        numbers = tuple(n if type(n) is int else -1 for n in numbers)
    path, title, date, lang, digest, encoding, extractor = texts
    article = Article(
        path=path,
        title=title,
        date=date,
        authors=authors or [],
        tags=tags or [],
        sources=sources or [],
        lang=lang,
        problems=problems or [],
    )
    return CatalogEntry(article, numbers[0], numbers[1], digest, encoding, extractor)


class Catalog:
    def __init__(self, db_path: Path, library: Path, in_memory: bool = False, documents: DocumentSource | None = None) -> None:
        """``in_memory``: work on a copy in memory (``reader doctor`` checks change nothing).
        ``documents``: how documents are read (:meth:`reader.library.library.Library.documents`);
        by default through the extraction cache of the data folder the catalog is in (only
        read, not written, for an ``in_memory`` catalog)."""
        self.db_path = db_path
        self.library = library
        self.documents = documents or _default_documents(db_path, library, store=not in_memory)
        self.notices: list[str] = []  # what happened to the file (rebuilt, kept in memory)
        self.in_memory = False  # True when nothing is written to db_path in this run
        self.writes = 0  # the changes this object made to the rows (see reader.library.aside)
        # The details edited in the window and kept in the data folder: laid over the rows
        # when they are read (they win over the files' own values), never stored here.
        self.edits = EditsFile(db_path.parent / EDITS_NAME)
        if in_memory:
            self.conn = self._memory(_read_only_connection(db_path, checked=True))
        else:
            self.conn = self._open()

    # Opening -------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        problem = read_only_problem(self.db_path.parent)
        if problem:
            return self._memory_copy(problem)
        conn = None
        try:
            conn = db.connect(self.db_path)
            db.migrate(conn, MIGRATIONS)
            shape = shape_problem(conn)
            if shape:
                raise _Damaged(shape)
            return conn
        except (_Damaged, sqlite3.DatabaseError, db.DatabaseError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.DatabaseError) and _cannot_write(exc):
                return self._memory_copy(_write_problem(exc, self.db_path))
            if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
                raise describe_database_error(exc, self.db_path) from None
            return self._rebuild(_why_damaged(exc))
        except OSError as exc:
            if conn is not None:
                conn.close()
            return self._memory_copy(_write_problem(exc, self.db_path))

    def _rebuild(self, why: str) -> sqlite3.Connection:
        """A cache: delete the damaged file and start again (the rescan fills it)."""
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
            conn = db.connect(self.db_path)
            db.migrate(conn, MIGRATIONS)
        except (OSError, sqlite3.DatabaseError) as exc:
            problem = _write_problem(exc, self.db_path)
            self.notices.append(f"{self.db_path}: the catalog was damaged ({why}) and cannot be rebuilt on disk ({problem}); it is rebuilt in memory for now")
            return self._memory(None)
        self.notices.append(f"{self.db_path}: the catalog was damaged ({why}); it was rebuilt from the files")
        self.writes += 1
        return conn

    def _memory_copy(self, reason: str) -> sqlite3.Connection:
        """This run's catalog in memory: a copy of the file when it can be read, else empty."""
        conn = self._memory(_read_only_connection(self.db_path, checked=True))
        self.notices.append(f"{self.db_path}: {reason}; the catalog is kept in memory for this run (nothing is written)")
        return conn

    def _memory(self, source: sqlite3.Connection | None) -> sqlite3.Connection:
        self.in_memory = True
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        if source is not None:
            try:
                source.backup(conn)
            except sqlite3.DatabaseError:
                conn.close()
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.row_factory = sqlite3.Row
            finally:
                source.close()
        version = db.schema_version(conn)
        if 0 < version < len(MIGRATIONS) and not shape_problem(conn, SHAPES[version]):
            try:
                db.migrate(conn, MIGRATIONS)  # an older Reader's catalog, brought up to date here
                version = len(MIGRATIONS)
            except (_Damaged, sqlite3.DatabaseError):
                version = -1
        if version != len(MIGRATIONS) or shape_problem(conn):
            conn.close()
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            db.migrate(conn, MIGRATIONS)
        return conn

    def _spill_to_memory(self, exc: BaseException) -> None:
        """Writing failed (full disk, read-only): go on in memory with what the file holds."""
        problem = _write_problem(exc, self.db_path)
        old = self.conn
        self.conn = self._memory(old)
        self.notices.append(f"{self.db_path}: {problem}; the catalog is kept in memory for this run (nothing is written)")

    def close(self) -> None:
        self.conn.close()

    # Reading -------------------------------------------------------------------------------
    def entries(self, paths: set[str] | None = None) -> list[CatalogEntry]:
        """Every entry, by path; only those of ``paths`` when given (one changed article need
        not build the 10,000 others)."""
        rows = sorted(self._rows(ENTRY_COLUMNS, paths), key=lambda row: str(row[0]))
        bad: set[str] = set()
        memo: dict = {}
        with building_many():
            out = [_row_to_entry(row, bad, memo) for row in rows]
        self._forget(bad)
        edits = self._edits()
        for entry in out if edits else ():
            apply_edits(entry.article, edits.get(entry.article.path))
        return out

    def listing(self) -> list[dict]:
        """Every article's metadata as :meth:`Article.meta_dict` gives it (edits applied), in
        no order: what ``reader list`` prints, without an Article each (at 100,000 articles
        building them took as long as printing)."""
        rows = self._rows("path, title, date, authors, tags, sources, problems", None)
        edits = self._edits()
        out, redo = [], set()
        memo: dict = {}
        with building_many():
            for path, title, date, authors, tags, sources, problems in rows:
                authors, tags, problems = _texts(authors, memo), _texts(tags, memo), _texts(problems, memo)
                found = _sources(sources)
                if (authors is None or tags is None or problems is None or found is None or type(path) is not str
                        or type(title) is not str or type(date) is not str or path in edits):
                    redo.add(str(path))  # a damaged row (or an edited one): as entries() reads it
                    continue
                out.append({"path": path, "title": title, "date": date, "authors": authors, "tags": tags,
                            "sources": [source.to_dict() for source in found], "problems": problems})
        if redo:
            out += [entry.article.meta_dict() for entry in self.entries(redo)]
        return out

    def content_hashes(self, paths: set[str] | None = None) -> dict[str, str]:
        """Path -> content hash of every row (of ``paths`` only, when given), without building
        entries: what an index needs to see that nothing changed. A hash of the wrong type
        reads as "" (the row's entry says what is wrong with it)."""
        out = {}
        for path, digest in self._rows("path, hash", paths):
            if type(path) is str:
                out[path] = digest if type(digest) is str else ""
        return out

    def versions_digest(self) -> str:
        """A digest of every row's path and content hash: equal digests, the same versions
        (what an index compares with, in one pass of SQLite instead of 100,000 rows read)."""
        import hashlib

        # NUL between values: no file name or hash this Reader writes holds one.
        count, joined = self.conn.execute(
            "SELECT count(*), group_concat(path || char(0) || hash, char(0)) FROM (SELECT path, hash FROM articles ORDER BY path)"
        ).fetchone()
        text = f"{count}\n{joined or ''}"
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _rows(self, columns: str, paths: set[str] | None) -> list[tuple]:
        """The ``columns`` of every row, or of the rows of ``paths`` only, as tuples (a
        ``sqlite3.Row`` each cost a third of reading 100,000 rows)."""
        query = f"SELECT {columns} FROM articles"
        cursor = self.conn.cursor()
        cursor.row_factory = None
        if paths is None:
            return cursor.execute(query).fetchall()
        wanted, rows = sorted(paths), []
        for at in range(0, len(wanted), 500):  # SQLite's limit on parameters
            chunk = wanted[at : at + 500]
            rows += cursor.execute(f"{query} WHERE path IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        return rows

    def _plain_stats(self) -> tuple[dict[str, tuple[int, int]], list]:
        """Path -> (size, mtime_ns) of the rows of plain files (not documents) without
        problems, all a rescan needs of a file whose stat says it is unchanged; and the paths
        of the other rows."""
        plain = ("problems = '[]' AND extractor = '' AND typeof(path) = 'text' AND typeof(size) = 'integer'"
                 " AND typeof(mtime_ns) = 'integer' AND size >= 0 AND mtime_ns >= 0")
        cursor = self.conn.cursor()
        cursor.row_factory = None
        rows = cursor.execute(f"SELECT path, size, mtime_ns FROM articles WHERE {plain}").fetchall()
        others = [row[0] for row in cursor.execute(f"SELECT path FROM articles WHERE NOT ({plain})")]
        with building_many():
            return {path: (size, mtime) for path, size, mtime in rows}, others

    def _known(self, paths: set[str] | None) -> dict[str, tuple]:
        """Path -> (size, mtime_ns, hash, problems, extractor) of the rows of ``paths`` (of
        every row when None); problems are None when of the wrong shape."""
        rows = self._rows("path, size, mtime_ns, hash, problems, extractor", paths)
        memo: dict = {}
        with building_many():
            return {path: (size, mtime, digest, _texts(problems, memo), extractor) for path, size, mtime, digest, problems, extractor in rows}

    def _edits(self) -> dict[str, dict]:
        edits = self.edits.all()
        for notice in self.edits.notices:
            if notice not in self.notices:
                self.notices.append(notice)
        return edits

    def list_rows(self) -> list[ListRow]:
        rows = self.conn.execute("SELECT path, title, date, tags, source_label, problems FROM articles").fetchall()
        with building_many():  # 100,000 rows at a window's start: no cycles among them
            return self._list_rows(rows)

    def _list_rows(self, rows: list) -> list[ListRow]:
        out = []
        bad: set[str] = set()
        memo: dict = {}  # tags and problems repeat from article to article
        for r in rows:
            tags = _texts(r[3], memo)
            problems = _texts(r[5], memo)
            if tags is None or problems is None or type(r[0]) is not str or type(r[1]) is not str or type(r[2]) is not str or type(r[4]) is not str:
                bad.add(str(r[0]))
                out.append(ListRow(str(r[0]), r[1] if type(r[1]) is str else "", r[2] if type(r[2]) is str else "", tags or [], r[4] if type(r[4]) is str else "", problems or []))
                continue
            out.append(ListRow(r[0], r[1], r[2], tags, r[4], problems))
        self._forget(bad)
        edits = self._edits()
        for row in out if edits else ():
            edit = edits.get(row.path)
            if edit:
                row.title = edit.get("title") or row.title
                row.date = edit.get("date", row.date)
                row.tags = list(edit.get("tags", row.tags))
        return out

    def get(self, rel_path: str) -> CatalogEntry | None:
        rows = self._rows(ENTRY_COLUMNS, {rel_path})
        if not rows:
            return None
        bad: set[str] = set()
        entry = _row_to_entry(rows[0], bad)
        self._forget(bad)
        apply_edits(entry.article, self._edits().get(rel_path))
        return entry

    def _forget(self, bad: set[str]) -> None:
        """Rows with values of the wrong shape: read their files again at the next rescan."""
        if not bad:
            return
        self.notices.append(f"{self.db_path}: {len(bad)} damaged catalog row(s); their files are read again")
        self.writes += 1
        with contextlib.suppress(sqlite3.Error):  # the next rescan of a writable catalog tries again
            self.conn.executemany("UPDATE articles SET mtime_ns = -1, hash = '' WHERE path = ?", [(p,) for p in sorted(bad)])

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def rescan(
        self,
        on_problem: Callable[[str, str], None] | None = None,
        force: bool = False,
        only: set[str] | None = None,
        progress: Callable[[ScanProgress], None] | None = None,
        cancel=None,
    ) -> ScanReport:
        """Bring the catalog in line with the folder. ``on_problem(rel_path, problem)`` is
        called for every file that has one (old or new), so callers can report them.
        ``only`` re-checks just those paths (a watcher said they changed).

        Documents that need reading are extracted (or taken from the extraction cache) one
        after the other, after the other files; ``progress(ScanProgress)`` follows them,
        and a set ``cancel`` (an Event) stops the extraction under way: documents not read
        keep their old rows (new ones are added at the next rescan) and the report says
        ``cancelled``. Each document's row is stored as soon as it is read.

        A library folder that is not there (an unmounted drive) changes nothing. After a full
        rescan the data folder's extraction cache is pruned, at most once a day
        (:func:`prune_extraction_cache`)."""
        report = ScanReport()
        started_ns = time.time_ns()
        if not self.library.is_dir():
            # An unmounted drive or a folder moved away is not a library whose files were all
            # deleted: emptying the catalog would read (and extract) everything again.
            notice = f"{self.library}: the library folder is not available; the catalog is kept as it was"
            if notice not in self.notices:
                self.notices.append(notice)
            report.unchanged = len(self) if only is None else len(self._rows("path", only))
            return report
        unchanged: list[str] = []
        if only is not None:
            # The rows of ``only`` alone: one changed file need not read 10,000 rows.
            found_files = [
                Found(self.library / p, p, document=is_document_path(self.library / p))
                for p in sorted(only)
                if ((self.library / p).exists() or (self.library / p).is_symlink()) and not in_saved_page_folder(self.library, p)
            ]
            # A name that is not UTF-8 is stored under its shown form, which no file has.
            known = {p: v for p, v in self._known(only).items() if NOT_UTF8_NAME not in (v[3] or [])}
            listed = set(known)
        else:
            # Plain files whose row has no problem are decided by their stat alone, in the
            # scan; the others' rows are read after it (at 100,000 unchanged files, reading
            # every row whole took as long as the stats).
            current, others = self._plain_stats()
            listed = current.keys() | others
            found_files = list(scan_library(self.library, None if force else current, unchanged))
            wanted = {found.rel_path for found in found_files}
            known = self._known(wanted if len(wanted) < 5000 else None)
        with building_many():  # 100,000 rows and files compared; reading them makes no cycles
            seen, documents = self._read_files(found_files, known, report, force, started_ns)
        seen.update(unchanged)
        report.unchanged += len(unchanged)
        total = len(documents)
        for number, (found, old) in enumerate(documents):
            if cancel is not None and cancel.is_set():
                report.cancelled = True
            if report.cancelled:
                self._keep_unread(report, found, old)
                continue
            if progress is not None:
                progress(ScanProgress(number, total, found.rel_path))
            try:
                loaded = load_file(
                    found.path, found.rel_path, documents=self.documents,
                    progress=_page_progress(progress, number, total, found.rel_path), cancel=cancel,
                )
            except Exception as exc:
                from reader.library.formats import Cancelled

                if not isinstance(exc, Cancelled):
                    raise
                report.cancelled = True
                self._keep_unread(report, found, old)
                continue
            self._note(report, old, loaded.article, loaded.content_hash, force)
            # A problem of this machine (a time limit on a busy machine) is tried again at the
            # next rescan; a scan waiting for Tesseract is, once Tesseract is there.
            mtime = -1 if loaded.transient and not _waits_for_ocr(loaded.article.problems) else loaded.mtime_ns
            extracted = loaded.article.extracted
            file_hash = extracted.file_hash if extracted is not None else ""
            self._flush([_row(loaded.article, loaded.size, mtime, loaded.content_hash, loaded.encoding, loaded.extractor, file_hash)])
        if progress is not None and total and not report.cancelled:
            progress(ScanProgress(total, total))
        report.removed = sorted(listed - seen)
        if report.removed:
            self._flush([], report.removed)
        if on_problem:
            for rel_path, problem in report.problems:
                on_problem(rel_path, problem)
        if only is None and not report.cancelled:
            self._prune_cache()
        return report

    def _read_files(self, found_files, known: dict, report: ScanReport, force: bool, started_ns: int) -> tuple[set[str], list]:
        """Compare each found file with its row (``known``) and store what changed, except
        documents: (the paths seen, the documents to read, with their old rows)."""
        seen: set[str] = set()
        pending: list[tuple] = []
        documents: list[tuple[Found, tuple | None]] = []
        for found in found_files:
            seen.add(found.rel_path)
            old = known.get(found.rel_path)
            if found.problem:
                if old and not force and old[3] == [found.problem] and old[2] == "":
                    report.unchanged += 1
                    report.problems.append((found.rel_path, found.problem))
                    continue
                article = Article(path=found.rel_path, title=Path(found.rel_path).stem, problems=[found.problem])
                self._note(report, old, article, "", force)
                pending.append(_row(article, 0, 0, "", ""))
                continue
            try:
                info = found.stat if found.stat is not None else found.path.stat()
                stat_key = (info.st_size, info.st_mtime_ns)
            except OSError:
                stat_key = (-1, -1)
            if old and not force and old[3] is not None and (old[0], old[1]) == stat_key and _still_current(old, found):
                report.unchanged += 1
                for problem in old[3]:
                    report.problems.append((found.rel_path, problem))
                continue
            if found.document:
                documents.append((found, old))
                continue
            loaded = load_file(found.path, found.rel_path)
            self._note(report, old, loaded.article, loaded.content_hash, force)
            pending.append(_row(loaded.article, loaded.size, _settled(loaded.mtime_ns, started_ns), loaded.content_hash, loaded.encoding))
        if pending:
            self._flush(pending)
        return seen, documents

    def _prune_cache(self) -> None:
        """After a full rescan, prune the data folder's extraction cache (at most once a day)."""
        cache_dir = self.documents.cache_dir
        libraries = self.db_path.parent.parent
        if self.in_memory or not self.documents.store or cache_dir is None or libraries.name != "libraries":
            return
        with contextlib.suppress(OSError, sqlite3.Error):  # only a cache: never fails a scan
            prune_extraction_cache(libraries.parent, cache_dir)

    @staticmethod
    def _note(report: ScanReport, old: tuple | None, article: Article, digest: str, force: bool) -> None:
        if old is None:
            report.added.append(article.path)
        elif old[2] != digest or force:
            report.changed.append(article.path)
        else:
            report.unchanged += 1
        for problem in article.problems:
            report.problems.append((article.path, problem))

    @staticmethod
    def _keep_unread(report: ScanReport, found: Found, old: tuple | None) -> None:
        """A document a cancel left unread: its old row stays; a new one waits for next time."""
        if old is not None:
            report.unchanged += 1
            for problem in old[3] or []:
                report.problems.append((found.rel_path, problem))

    def _flush(self, pending: list[tuple], removed: list[str] | None = None) -> None:
        try:
            self._store(pending, removed or [])
        except sqlite3.Error as exc:
            if not _cannot_write(exc):
                raise describe_database_error(exc, self.db_path) from None
            self._spill_to_memory(exc)
            self._store(pending, removed or [])

    def _store(self, pending: list[tuple], removed: list[str]) -> None:
        with db.transaction(self.conn):
            self.conn.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", pending)
            self.conn.executemany("DELETE FROM articles WHERE path = ?", [(p,) for p in removed])
        self.writes += 1


def _read_only_connection(path: Path, checked: bool = False) -> sqlite3.Connection | None:
    """The catalog file opened for reading only (``immutable`` where SQLite cannot make the
    -shm file of a WAL database: a read-only folder), or None. ``checked``: None too when
    its tables are not of this Reader's shape."""
    if not path.exists():
        return None
    for uri in (f"file:{path}?mode=ro", f"file:{path}?mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.DatabaseError:
            continue
        try:
            version = db.schema_version(conn)
        except sqlite3.DatabaseError:
            conn.close()
            continue
        if checked and (not 0 < version <= len(MIGRATIONS) or shape_problem(conn, SHAPES[version])):
            conn.close()
            return None
        return conn
    return None


def referenced_file_hashes(data_root: Path) -> set[str] | None:
    """The file hashes (extraction cache keys) of the documents of every library whose
    catalog is in the data folder; None when that cannot be known (a catalog that cannot be
    read, of an older Reader, or not yet read again since it was brought up to date): then
    no cache entry counts as unused."""
    found: set[str] = set()
    libraries = data_root / "libraries"
    try:
        catalogs = sorted(libraries.glob("*/catalog.sqlite3"))
    except OSError:
        return None
    for path in catalogs:
        conn = _read_only_connection(path)
        if conn is None:
            return None
        try:
            if db.schema_version(conn) < 4 or "file_hash" not in [r[1] for r in conn.execute("PRAGMA table_info(articles)")]:
                return None
            if conn.execute("SELECT 1 FROM articles WHERE extractor != '' AND file_hash = '' AND mtime_ns = -1 LIMIT 1").fetchone():
                return None  # documents still to be read again after the upgrade
            found.update(row[0] for row in conn.execute("SELECT file_hash FROM articles WHERE file_hash != ''") if type(row[0]) is str)
        except sqlite3.Error:
            return None
        finally:
            conn.close()
    return found


def prune_extraction_cache(data_root: Path, cache_dir: Path | None = None, force: bool = False) -> int | None:
    """Prune the data folder's extraction cache by its policy (see
    :mod:`reader.library.formats.cache`): at most once a day, or now when ``force``
    (``reader doctor --repair``). How many entries were removed; None when it was not due or
    the data folder is read-only."""
    from reader.library.formats.cache import ExtractionCache

    cache = ExtractionCache(cache_dir or data_root / "extracted")
    if read_only_problem(cache.folder):
        return None
    if not force and not cache.due():
        return None
    return cache.prune_now(referenced_file_hashes(data_root))


def _default_documents(db_path: Path, library: Path, store: bool) -> DocumentSource:
    """Documents read through the extraction cache of the data folder that holds ``db_path``
    (``<data>/libraries/<key>/catalog.sqlite3``); without a cache elsewhere."""
    state = db_path.parent
    if state.parent.name == "libraries":
        data = state.parent.parent
        return DocumentSource(data / "extracted", library, data / "logs", store=store)
    return DocumentSource(None, library)


def _still_current(old: tuple, found: Found) -> bool:
    """Whether an unchanged file's row still says what reading it would: it is (or is not)
    a document as before, read by the current version of its extractor, and it is not a scan
    that Tesseract, installed since, can now read."""
    extractor = old[4] if len(old) > 4 and isinstance(old[4], str) else ""
    if bool(extractor) != found.document:
        return False
    if not extractor:
        return True
    from reader.library.formats import FORMATS

    name = extractor.partition("/")[0]
    if name not in FORMATS or FORMATS[name].extractor != extractor:
        return False
    if _waits_for_ocr(old[3] or []):
        from reader.library.formats import ocr

        return bool(ocr.missing_problem())
    return True


#: A text file modified less than this before a scan may change again within the same
#: timestamp tick (FAT/exFAT keep 2 s, ext4 a few ms) and keep its size: its stat is not
#: trusted. (Not documents: reading one again is costly, and a saved binary keeps its size
#: far less often than an edited note.)
RACY_NS = 2_000_000_000


def _settled(mtime_ns: int, scan_started_ns: int) -> int:
    """The mtime to store: -1 (read it again at the next scan) for a file modified just
    before the scan began (or in the future, by a skewed clock), as git does for its index."""
    return -1 if mtime_ns > scan_started_ns - RACY_NS else mtime_ns


def _waits_for_ocr(problems: list[str]) -> bool:
    return any("install tesseract-ocr" in problem for problem in problems)


def _page_progress(progress: Callable[[ScanProgress], None] | None, number: int, total: int, path: str):
    if progress is None:
        return None
    return lambda done, pages: progress(ScanProgress(number, total, path, done, pages))


def file_problem(path: Path) -> str:
    """What is wrong with a catalog file ("" when nothing is, or there is none yet): not a
    database, damaged pages, tables of another shape, values this Reader would not write."""
    if not path.exists():
        return ""
    conn = _read_only_connection(path)
    if conn is None:
        error = db.probe_error(path)
        return _why_damaged(error) if isinstance(error, sqlite3.DatabaseError) else "cannot be opened"
    try:
        version = db.schema_version(conn)
        if version > len(MIGRATIONS):
            return "written by a newer Reader"
        if version < len(MIGRATIONS):
            # brought up to date when it is next opened, if it has that version's shape
            return shape_problem(conn, SHAPES[version]) if version in SHAPES else ""
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return f"damaged ({check})"
        shape = shape_problem(conn)
        if shape:
            return shape
        bad = conn.execute(f"SELECT count(*) FROM ({BAD_ROWS})").fetchone()[0]
        if bad:
            return f"{bad} row(s) hold values of the wrong type"
        return ""
    except sqlite3.DatabaseError as exc:
        return _why_damaged(exc)
    finally:
        conn.close()


def _cannot_write(exc: BaseException) -> bool:
    """A full disk or a read-only file: the catalog goes on in memory."""
    text = str(exc).lower()
    return is_disk_full(exc) or "readonly" in text or "read-only" in text or "attempt to write" in text or "unable to open" in text


def _write_problem(exc: BaseException, path: Path) -> str:
    """"the disk is full", "the data folder is read-only", … for an OS or SQLite error."""
    if isinstance(exc, OSError):
        return from_os_error(exc).problem.replace("the file system is read-only", "the data folder is read-only")
    return describe_database_error(exc, path).problem.removesuffix("; nothing was changed")


def _why_damaged(exc: BaseException) -> str:
    if isinstance(exc, _Damaged):
        return str(exc)
    if isinstance(exc, db.NewerSchemaError):
        return "written by a newer Reader"
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "not a valid database"
    return text


def _row(article: Article, size: int, mtime: int, digest: str, encoding: str, extractor: str = "", file_hash: str = "") -> tuple:
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
        extractor,
        file_hash,
    )


def printable_path(rel_path: str) -> str:
    """The path on one line: control characters (a newline in a file name) escaped."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in rel_path)


def print_problem(rel_path: str, problem: str) -> None:
    print(f"{printable_path(rel_path)}: {problem}", file=sys.stderr)


def print_notices(*groups: list[str]) -> None:
    """Notices (a state file's wrong values, a rebuilt cache) on stderr, each once."""
    shown: set[str] = set()
    for notices in groups:
        for notice in notices:
            if notice not in shown:
                shown.add(notice)
                print(notice, file=sys.stderr)
