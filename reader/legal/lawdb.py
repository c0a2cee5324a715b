"""The offline law library: Taiwan's laws imported into the data folder (``laws.sqlite3``).

:func:`import_laws` reads the public JSON split of the national laws database (the shape of
mojLawSplitJSON: one object per law, ``{"pcode", "name", "english_name", "articles": [{"no",
"text"} | {"heading"}], ...}``) as JSON lines or a JSON array (or one object per file),
gzipped or not, from a file or a folder of such files. Every law is validated on its own; a
bad one is named (``tw.jsonl:17 (A0000001): articles[3]: "text" is not a string``) and the
others are imported. The database is written beside the old one and renamed over it, so a
reader of the library sees the old laws or the new ones, never half an import; laws already
there and not in the import are kept.

:func:`provision_text` answers ``(name, english_name, text)`` for ``(pcode, article)``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import (
    DataFolderError,
    ReaderError,
    UsageError,
    describe_database_error,
    from_os_error,
)
from reader.fileio import fsync_folder

LAWS_DB = "laws.sqlite3"
SCHEMA_VERSION = 1
#: Files a folder is read for.
SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
#: A line of JSON lines, or a whole JSON file, longer than this (decompressed) is refused.
MAX_LINE = 64 * 1024 * 1024
MAX_FILE = 1024 * 1024 * 1024
_PCODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_ARTICLE_NO = re.compile(r"^\s*(?:第\s*)?([0-9]+)(?:\s*-\s*([0-9]+))?\s*(?:條|条)?(?:\s*之\s*([0-9]+))?\s*$")

_SCHEMA = """
CREATE TABLE laws (
    pcode TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    english_name TEXT NOT NULL,
    category TEXT NOT NULL,
    updated TEXT NOT NULL,
    abolished INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE articles (
    pcode TEXT NOT NULL REFERENCES laws(pcode) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    key TEXT,
    no TEXT,
    heading TEXT,
    text TEXT,
    PRIMARY KEY (pcode, seq)
);
CREATE INDEX articles_by_key ON articles(pcode, key);
"""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    provisions: int = 0
    files: int = 0
    rejected: list[str] = field(default_factory=list)  # "where: problem", one per bad law or file
    database: Path | None = None

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.imported} laws imported ({self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged), {self.provisions} provisions, {len(self.rejected)} rejected"
        )


@dataclass(frozen=True)
class _Law:
    pcode: str
    name: str
    english_name: str
    category: str
    updated: str
    articles: tuple[tuple[str | None, str | None, str | None, str | None], ...]  # key, no, heading, text

    @property
    def abolished(self) -> bool:
        return self.category.startswith("廢止法規")

    def digest(self) -> str:
        data = [self.name, self.english_name, self.category, self.updated, self.articles]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


class _Bad(ValueError):
    pass


def article_key_of(no: str) -> str | None:
    """``第 6 條`` -> ``6``, ``第 6-1 條`` / ``第6條之1`` -> ``6-1``, ``6`` -> ``6``."""
    match = _ARTICLE_NO.match(no)
    if not match:
        from reader.legal.references import ProvisionQueryError, parse_article

        try:
            return parse_article(no)
        except ProvisionQueryError:
            return None
    main, sub = match.group(1), match.group(2) or match.group(3)
    return f"{int(main)}-{int(sub)}" if sub else str(int(main))


def _text(value: object, what: str, *, optional: bool = False, limit: int = 10_000_000) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{what} is not a string")
    if len(value) > limit:
        raise _Bad(f"{what} is longer than {limit:,} characters")
    if "\x00" in value:
        raise _Bad(f"{what} contains a NUL character")
    return value


def validate_law(item: object) -> _Law:
    """One law object as imported, or :class:`_Bad` saying what is wrong with it."""
    if not isinstance(item, dict):
        raise _Bad(f"a law must be a JSON object, not {type(item).__name__}")
    pcode = item.get("pcode")
    if not isinstance(pcode, str) or not _PCODE.match(pcode):
        raise _Bad('"pcode" is missing or not a law code (letters and digits)')
    name = _text(item.get("name"), '"name"', limit=1000).strip()
    if not name:
        raise _Bad('"name" is empty')
    english = _text(item.get("english_name"), '"english_name"', optional=True, limit=2000).strip()
    category = _text(item.get("category"), '"category"', optional=True, limit=1000).strip()
    updated = item.get("updated")
    updated = "" if updated is None else str(updated) if isinstance(updated, (str, int)) else None
    if updated is None:
        raise _Bad('"updated" is not a date')
    raw_articles = item.get("articles")
    if not isinstance(raw_articles, list):
        raise _Bad('"articles" is missing or not a list')
    articles = []
    for index, article in enumerate(raw_articles):
        where = f"articles[{index}]"
        if not isinstance(article, dict):
            raise _Bad(f"{where} is not an object")
        if "heading" in article and "no" not in article:
            heading = _text(article.get("heading"), f'{where}: "heading"', limit=10_000)
            articles.append((None, None, heading, None))
            continue
        no = _text(article.get("no"), f'{where}: "no"', limit=100)
        text = _text(article.get("text"), f'{where}: "text"')
        articles.append((article_key_of(no), no, None, text))
    return _Law(pcode, name, english, category, updated, tuple(articles))


def _open_text(path: Path) -> Iterator[str]:
    """The file's lines, decompressed when it is gzipped (by its first bytes)."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    with gzip.open(path, "rb") if gzipped else open(path, "rb") as raw:
        first = True
        total = 0
        while True:
            line = raw.readline(MAX_LINE + 1)
            if not line:
                return
            total += len(line)
            if len(line) > MAX_LINE or total > MAX_FILE:
                raise _Bad("is too large (a line over 64 MB or over 1 GB in all)")
            text = line.decode("utf-8")
            if first:
                text = text.removeprefix("\ufeff")
                first = False
            yield text


def _items(path: Path) -> Iterator[tuple[str, object]]:
    """(where, parsed item or _Bad) for each law in one file."""
    lines = _open_text(path)
    buffered: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        stripped = line.lstrip()
        if stripped.startswith("{"):
            try:
                first_item = json.loads(line)
            except ValueError:
                buffered.append(line)  # one object over many lines: read the whole file
                break
            yield f"{path}:1", first_item
            yield from _json_lines(path, lines, start=2)
            return
        buffered.append(line)
        break
    rest = "".join(buffered) + "".join(lines)
    if not rest.strip():
        return
    try:
        value = json.loads(rest)
    except ValueError as exc:
        yield str(path), _Bad(f"is not JSON or JSON lines ({exc})")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield f"{path}: item {index + 1}", item
    else:
        yield str(path), value


def _json_lines(path: Path, lines: Iterator[str], start: int) -> Iterator[tuple[str, object]]:
    number = start - 1
    for line in lines:
        number += 1
        if not line.strip():
            continue
        try:
            yield f"{path}:{number}", json.loads(line)
        except ValueError as exc:
            yield f"{path}:{number}", _Bad(f"is not JSON ({exc.msg})")


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES))
    return [path]


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / LAWS_DB


def _create(conn: sqlite3.Connection) -> None:
    conn.executescript(_SCHEMA)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def import_laws(path: str | os.PathLike[str], data_dir: str | os.PathLike[str]) -> ImportReport:
    """Import the laws of ``path`` (a file or a folder) into ``data_dir``/laws.sqlite3.

    Raises :class:`ReaderError` when nothing can be read or written (no such file, a
    read-only data folder, a full disk: then nothing was changed)."""
    source, data = Path(path), Path(data_dir)
    if not source.exists():
        raise UsageError("no such file or folder", source)
    report = ImportReport(database=database_path(data))
    try:
        data.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".laws-", suffix=".sqlite3", dir=data)
        os.close(handle)
    except OSError as exc:
        raise from_os_error(exc, data, "nothing was imported") from None
    temp = Path(temp_name)
    try:
        _copy_existing(temp, report.database)
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                _create(conn)
            conn.execute("BEGIN")
            _import_files(conn, source, report)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, report.database)
        fsync_folder(data)
    except sqlite3.Error as exc:
        _remove(temp)
        error = describe_database_error(exc, report.database)
        problem = error.problem
        if "disk i/o error" in str(exc).lower():
            problem = "could not write the law library (input/output error: is the disk full?)"
        if "nothing" not in problem:
            problem += "; nothing was changed"
        raise DataFolderError(problem, report.database) from None
    except OSError as exc:
        _remove(temp)
        raise from_os_error(exc, report.database, "nothing was changed") from None
    except BaseException:
        _remove(temp)
        raise
    return report


def _copy_existing(temp: Path, existing: Path) -> None:
    """Start from the laws imported before (so an import of one law keeps the others); a
    damaged library is replaced by the import."""
    if not existing.exists():
        return
    try:
        old = sqlite3.connect(f"file:{existing}?mode=ro", uri=True)
        try:
            version = old.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise DataFolderError("was written by a newer Reader; import with that one", existing)
            if version == SCHEMA_VERSION and old.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                new = sqlite3.connect(temp)
                try:
                    old.backup(new)
                finally:
                    new.close()
        finally:
            old.close()
    except sqlite3.DatabaseError:
        temp.write_bytes(b"")  # start again from nothing


def _import_files(conn: sqlite3.Connection, source: Path, report: ImportReport) -> None:
    seen: set[str] = set()
    for file in _files(source):
        report.files += 1
        try:
            for where, item in _items(file):
                if isinstance(item, _Bad):
                    report.rejected.append(f"{where}: {item}")
                    continue
                try:
                    law = validate_law(item)
                except _Bad as exc:
                    pcode = item.get("pcode") if isinstance(item, dict) else None
                    label = f" ({pcode})" if isinstance(pcode, str) and pcode else ""
                    report.rejected.append(f"{where}{label}: {exc}")
                    continue
                if law.pcode in seen:
                    report.rejected.append(f"{where} ({law.pcode}): the law appears twice in the import; the first is kept")
                    continue
                seen.add(law.pcode)
                _store(conn, law, report)
        except (_Bad, UnicodeDecodeError) as exc:
            report.rejected.append(f"{file}: {exc if isinstance(exc, _Bad) else 'is not UTF-8 text'}")
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile) and exc.errno is not None:
                report.rejected.append(f"{file}: {from_os_error(exc, file).problem}")
            else:
                report.rejected.append(f"{file}: is damaged or not gzip data ({exc})")


def _store(conn: sqlite3.Connection, law: _Law, report: ImportReport) -> None:
    digest = law.digest()
    row = conn.execute("SELECT hash FROM laws WHERE pcode = ?", (law.pcode,)).fetchone()
    if row is not None and row[0] == digest:
        report.unchanged += 1
        report.provisions += sum(1 for a in law.articles if a[3] is not None)
        return
    if row is not None:
        conn.execute("DELETE FROM articles WHERE pcode = ?", (law.pcode,))
        conn.execute("DELETE FROM laws WHERE pcode = ?", (law.pcode,))
        report.updated += 1
    else:
        report.added += 1
    conn.execute(
        "INSERT INTO laws VALUES (?, ?, ?, ?, ?, ?, ?)",
        (law.pcode, law.name, law.english_name, law.category, law.updated, int(law.abolished), digest),
    )
    conn.executemany(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)",
        [(law.pcode, seq, key, no, heading, text) for seq, (key, no, heading, text) in enumerate(law.articles)],
    )
    report.provisions += sum(1 for a in law.articles if a[3] is not None)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def _reader(data_dir: str | os.PathLike[str]) -> Iterator[sqlite3.Connection | None]:
    path = database_path(Path(data_dir))
    if not path.exists():
        yield None
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise describe_database_error(exc, path) from None
    try:
        yield conn
    except sqlite3.DatabaseError as exc:
        raise describe_database_error(exc, path) from None
    finally:
        conn.close()


def provision_text(data_dir: str | os.PathLike[str], pcode: str, article: str) -> tuple[str, str, str] | None:
    """``(name, english_name, text)`` of article ``article`` (``6``, ``6-1``, ``第6條之1``)
    of law ``pcode``, or None when the laws are not imported or have no such provision."""
    from reader.legal.references import ProvisionQueryError, parse_article

    try:
        key = parse_article(article)
    except ProvisionQueryError:
        return None
    with _reader(data_dir) as conn:
        if conn is None:
            return None
        row = conn.execute(
            "SELECT l.name, l.english_name, a.text FROM articles a JOIN laws l USING (pcode) "
            "WHERE a.pcode = ? AND a.key = ? ORDER BY a.seq LIMIT 1",
            (pcode, key),
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def lookup_provision(data_dir: str | os.PathLike[str], law: str, article: str | None = None) -> tuple[str, str, str | None]:
    """What ``reader laws show LAW [ART]`` prints: (name, English name, the provision's text or
    None for the whole law). ``law`` may be a short name, a name or a pcode. Raises
    :class:`UsageError` for an unknown law or article, :class:`ReaderError` when the laws are
    not imported."""
    from reader.legal.names import resolve_law

    found = resolve_law(law)
    imported = imported_laws(data_dir)
    if not imported:
        raise ReaderError("no laws are imported yet: run `reader laws import FILE_OR_DIR` first", database_path(Path(data_dir)))
    pcode = found.pcode if found else next((p for p, (name, _) in imported.items() if name == law.strip()), None)
    if pcode is None or pcode not in imported:
        raise UsageError(f"no imported law is called '{law}'")
    name, english = imported[pcode]
    if article is None:
        return name, english, None
    provision = provision_text(data_dir, pcode, article)
    if provision is None:
        raise UsageError(f"{name} has no article '{article}'")
    return provision


def provision_texts(data_dir: str | os.PathLike[str], wanted: list[tuple[str, str | None]]) -> dict[tuple[str, str | None], tuple[str, str, str | None]] | None:
    """Many lookups on one connection (the window's tooltips, on the loader thread): for each
    ``(pcode, article key or None)`` found, ``(name, english_name, text or None)``; None when
    no laws are imported. Articles are keys as :func:`reader.legal.references.article_key`
    gives them (``6``, ``6-1``); None asks for the law only."""
    with _reader(data_dir) as conn:
        if conn is None:
            return None
        out: dict[tuple[str, str | None], tuple[str, str, str | None]] = {}
        laws: dict[str, tuple[str, str] | None] = {}
        for pcode, article in dict.fromkeys(wanted):
            if pcode not in laws:
                row = conn.execute("SELECT name, english_name FROM laws WHERE pcode = ?", (pcode,)).fetchone()
                laws[pcode] = None if row is None else (row[0], row[1])
            law = laws[pcode]
            if law is None:
                continue
            if article is None:
                out[(pcode, None)] = (law[0], law[1], None)
                continue
            row = conn.execute("SELECT text FROM articles WHERE pcode = ? AND key = ? ORDER BY seq LIMIT 1", (pcode, article)).fetchone()
            if row is not None:
                out[(pcode, article)] = (law[0], law[1], row[0])
        return out


@dataclass(frozen=True)
class Provision:
    key: str | None
    no: str | None
    heading: str | None
    text: str | None


def law_provisions(data_dir: str | os.PathLike[str], pcode: str) -> tuple[str, str, list[Provision]] | None:
    """A law's ``(name, english_name, provisions and headings in order)``, or None."""
    with _reader(data_dir) as conn:
        if conn is None:
            return None
        law = conn.execute("SELECT name, english_name FROM laws WHERE pcode = ?", (pcode,)).fetchone()
        if law is None:
            return None
        rows = conn.execute("SELECT key, no, heading, text FROM articles WHERE pcode = ? ORDER BY seq", (pcode,)).fetchall()
    return law[0], law[1], [Provision(*row) for row in rows]


def imported_laws(data_dir: str | os.PathLike[str]) -> dict[str, tuple[str, str]]:
    """pcode -> (name, english_name) of every imported law (empty when none are)."""
    with _reader(data_dir) as conn:
        if conn is None:
            return {}
        return {row[0]: (row[1], row[2]) for row in conn.execute("SELECT pcode, name, english_name FROM laws")}


__all__ = [
    "ImportReport", "LAWS_DB", "Provision", "import_laws", "imported_laws", "law_provisions", "lookup_provision",
    "provision_text", "provision_texts",
]
