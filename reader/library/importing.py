"""``reader import``: turn text, HTML and Markdown files into clean library articles, and
copy documents (PDF, Word, OpenDocument, EPUB, saved pages) into the library as they are.

Import never overwrites. Each source becomes its own article file:

* a file given by itself goes to the library root; the files of a folder keep their place
  below it (``SRC/2023/report.txt`` -> ``LIB/2023/report.md``; the folder's own name is not
  a level, so importing ``SRC`` and importing ``SRC``'s files one by one agree for the files
  at its top);
* when the name is taken (by a file of the user's, an article made from another source, or
  another file of the same import: ``report.txt`` and ``report.html``) the next free name is
  used: ``report-2.md``, ``report-3.md`` … Names are compared as a case-insensitive file
  system would (NFC, case folded), so a library stays valid when synced to macOS or Windows;
* re-importing the same source updates the article made from it (same name, so annotations
  stay attached), unless that article was edited in the library since: then it is kept and
  the import of that source fails, naming it;
* a source inside the library folder is an article already: it is never read or rewritten;
* a document keeps its bytes and its suffix (``journal.pdf`` -> ``LIB/journal.pdf``, a taken
  name ``journal-2.pdf``): the library reads documents where they are.

"The same source" is the source's absolute path with symlinks resolved. Which source made
which article is recorded in the data folder (:func:`record_path`), never in the library,
with the SHA-256 of what was written. Without a record (none given, or it is damaged) an
existing file that is exactly what the source converts to is recognised as its article.

Only regular files are read (a device, FIFO or socket is refused from its ``stat``, without
opening it), never more than :data:`MAX_ARTICLE_BYTES` (a document: the
:data:`MAX_DOCUMENT_BYTES` the library reads). Every file is written atomically
(a hidden temporary file in the same folder, fsynced, then linked or renamed into place) with
the permissions of the user's other files: ``0666 & ~umask`` for a new article, the old
file's mode for an updated one. A full disk stops the writing; what was written is reported,
and nothing partial is left behind.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import from_os_error, is_disk_full, os_problem
from reader.fileio import fsync_folder, write_temp_file
from reader.library import frontmatter
from reader.library.encodings import DecodeError, decode
from reader.library.model import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES, MAX_DOCUMENT_BYTES
from reader.library.reading import article_from_text
from reader.library.scanning import saved_page_folders
from reader.settings import write_atomically

IMPORTED = "imported"
UPDATED = "updated"
UNCHANGED = "unchanged"
IN_LIBRARY = "already in the library"
FAILED = "failed"
STATUSES = (IMPORTED, UPDATED, UNCHANGED, IN_LIBRARY, FAILED)

RECORD_NAME = "imports.json"
RECORD_FORMAT = 1
_NAME_BYTES = 200  # the longest article name (with "-NNNN.md"), in UTF-8 bytes; NAME_MAX is 255
_MAX_CANDIDATES = 10_000
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\ud800-\udfff]+')
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ImportResult:
    source: Path  # as given (joined with the folder it was found in)
    target: Path | None = None
    status: str = ""  # one of STATUSES
    problem: str = ""
    uncertain_encoding: str = ""
    #: the encoding chosen with --encoding at an earlier import of this source, used again
    remembered_encoding: str = ""


@dataclass
class ImportReport:
    results: list[ImportResult] = field(default_factory=list)
    #: problems that are not one file's: a damaged record, a record that could not be saved
    notices: list[str] = field(default_factory=list)
    failed_notices: bool = False  # a notice means the import did not fully succeed
    disk_full: Path | None = None  # the folder whose disk filled up

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.failed_notices and self.count(FAILED) == 0

    def summary(self) -> str:
        """``3 articles imported, 1 updated, 2 already in the library, 1 failed``."""
        parts = []
        for status in STATUSES:
            n = self.count(status)
            if n:
                noun = "" if parts else (" article" if n == 1 else " articles")
                parts.append(f"{n}{noun} {status}")
        if not parts:
            return "nothing to import: no " + ", ".join(importable_suffixes()) + " files were found"
        return ", ".join(parts)


def record_path(paths, library: Path) -> Path:
    """Where the record of a library's imports lives: its folder in the data folder."""
    return paths.library_state(library) / RECORD_NAME


def _safe_part(text: str, fallback: str) -> str:
    part = _UNSAFE.sub("_", text).strip(" .")
    encoded = part.encode("utf-8")
    if len(encoded) > _NAME_BYTES:
        part = encoded[:_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return part or fallback


def importable_suffixes() -> tuple[str, ...]:
    """The suffixes (lower case) import takes: articles to convert, then documents to copy."""
    return (*ARTICLE_SUFFIXES, *document_suffixes())


def document_suffixes() -> tuple[str, ...]:
    """The suffixes of the documents import copies as they are (the library reads them)."""
    from reader.library.formats import DOCUMENT_SUFFIXES  # (formats imports the library)

    return tuple(DOCUMENT_SUFFIXES)


def _document_suffix(name: str) -> str:
    """The document suffix (lower case) ``name`` ends in, or "" (``.pdf`` alone is one: a
    Path's suffix of it is empty)."""
    low = name.lower()
    return next((suffix for suffix in document_suffixes() if low.endswith(suffix)), "")


def is_document_source(source: Path) -> bool:
    return bool(_document_suffix(source.name))


def target_name(source: Path) -> str:
    """The article's file name: the source's stem, made safe (no separators, control
    characters or characters Windows refuses; no leading dot, which would hide it; at most
    200 bytes), and ``.md``; a document keeps its own suffix (in lower case)."""
    suffix = _document_suffix(source.name)
    if suffix:
        return _safe_part(source.name[: -len(suffix)], "document") + suffix
    return _safe_part(source.stem, "article") + ".md"


def _name_key(rel: str) -> str:
    """Two names a case-insensitive (or normalizing) file system would take for one file."""
    return unicodedata.normalize("NFC", rel).casefold()


def convert_bytes(data: bytes, source: Path, encoding: str | None = None) -> tuple[str, str]:
    """(Markdown file text, uncertain encoding name or '') for the bytes of ``source``."""
    decoded = decode(data, encoding)
    if "\x00" in decoded.text:
        raise DecodeError("contains NUL bytes: binary data, not text")
    kind = ARTICLE_SUFFIXES.get(source.suffix.lower(), "text")
    article = article_from_text(decoded.text.lstrip("\ufeff"), kind, target_name(source))
    if kind == "markdown" and not decoded.uncertain and not article.problems:
        text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n")  # the user's Markdown, as written
        return (text if text.endswith("\n") else text + "\n"), ""
    out = frontmatter.dump(article)
    if decoded.uncertain:
        out = out.replace("\n---\n", f"\nencoding_uncertain: {decoded.encoding}\n---\n", 1)
        return out, decoded.encoding
    return out, ""


# --- reading sources -------------------------------------------------------------------------


class _Refused(Exception):
    """A source (or library file) that is not read; the text is the problem."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _too_large(size: int, limit: int = MAX_ARTICLE_BYTES) -> str:
    mib = 1024 * 1024
    return f"too large ({size // mib} MB; the limit is {limit // mib} MB)"


def _read_problem(exc: OSError, path: Path) -> str:
    if isinstance(exc, FileNotFoundError):
        return "broken symlink: the target does not exist" if os.path.islink(path) else "the file disappeared"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return f"cannot read: {os_problem(exc)}"


def read_regular_file(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is refused by
    its ``stat`` before it is opened (so a FIFO never blocks and a device is never read), and
    the read stops after ``limit + 1`` bytes whatever the file claims to be."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _Refused(_read_problem(exc, path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(f"{_kind_of(info.st_mode)}, not a regular file: only regular files are imported")
    if info.st_size > limit:
        raise _Refused(_too_large(info.st_size, limit))
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since the stat, open returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _Refused(_read_problem(exc, path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(f"{_kind_of(info.st_mode)}, not a regular file: only regular files are imported")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _Refused(_read_problem(exc, path)) from None
    finally:
        os.close(fd)
    if total > limit:
        raise _Refused(_too_large(total, limit))
    return b"".join(chunks)


# --- the record of imports -------------------------------------------------------------------


@dataclass
class _Entry:
    article: str  # POSIX path relative to the library
    sha256: str  # of the bytes written
    encoding: str = ""  # given with --encoding; used again by a re-import without it


def _valid_rel(rel: object) -> bool:
    if not isinstance(rel, str) or not rel or len(rel) > 4096 or "\x00" in rel or "\\" in rel:
        return False
    parts = rel.split("/")
    made = rel.endswith(".md") or rel.endswith(document_suffixes())  # what an import writes
    return not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts) and made


class ImportRecord:
    """Which source (absolute resolved path) made which article, kept in the data folder.

    A damaged or wrong-shaped record never stops an import: it is set aside (renamed to
    ``imports.json.damaged``) and a notice says so; articles are then recognised by content.
    """

    def __init__(self, path: Path | None, library: Path) -> None:
        self.path = path
        self.library = str(library)
        self.entries: dict[str, _Entry] = {}
        self.notices: list[str] = []
        self.changed = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notices.append(f"{path}: cannot read the record of earlier imports ({os_problem(exc)}); "
                                "articles made by earlier imports are recognised by their content only")
            return
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            self._set_aside(path, "not valid JSON")
            return
        if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
            self._set_aside(path, "not a record of imports")
            return
        if data.get("format") != RECORD_FORMAT:
            self._set_aside(path, f"unknown format {data.get('format')!r}")
            return
        skipped = 0
        for source, value in data["sources"].items():
            if (
                isinstance(value, dict)
                and os.path.isabs(source)
                and _valid_rel(value.get("article"))
                and isinstance(value.get("sha256"), str)
                and _HEX64.match(value["sha256"])
                and isinstance(value.get("encoding", ""), str)
            ):
                self.entries[source] = _Entry(value["article"], value["sha256"], value.get("encoding", ""))
            else:
                skipped += 1
        if skipped:
            self.changed = True
            self.notices.append(f"{path}: {skipped} {'entry' if skipped == 1 else 'entries'} of the record of earlier imports "
                                "could not be understood and {} ignored".format("is" if skipped == 1 else "are"))

    def _set_aside(self, path: Path, why: str) -> None:
        aside = path.with_name(path.name + ".damaged")
        try:
            os.replace(path, aside)
            kept = f"it was moved to {aside}"
        except OSError:
            kept = "it is left as it is"
        self.changed = True
        self.notices.append(f"{path}: the record of earlier imports is damaged ({why}); {kept}. "
                            "Articles made by earlier imports are recognised by their content only")

    def claims(self) -> dict[str, str]:
        """Name key of each recorded article -> the source that made it."""
        return {_name_key(e.article): source for source, e in self.entries.items()}

    def set(self, source: str, entry: _Entry) -> None:
        if self.entries.get(source) != entry:
            self.entries[source] = entry
            self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        data = {
            "format": RECORD_FORMAT,
            "library": self.library,
            "sources": {s: {"article": e.article, "sha256": e.sha256, **({"encoding": e.encoding} if e.encoding else {})}
                        for s, e in sorted(self.entries.items())},
        }
        write_atomically(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        self.changed = False


# --- finding the sources ---------------------------------------------------------------------


@dataclass
class _Planned:
    source: Path
    folder: tuple[str, ...]  # the article's folder below the library root
    problem: str = ""


def _walk(folder: Path) -> Iterable[tuple[Path, tuple[str, ...]]]:
    """Article files below ``folder`` (hidden ones and saved pages' ``NAME_files/`` folders
    skipped, as the library scanner does), in name order, with their folder relative to
    ``folder``; symlinked folders followed once."""
    seen: set[tuple[int, int]] = set()
    with contextlib.suppress(OSError):
        info = folder.stat()
        seen.add((info.st_dev, info.st_ino))
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    suffixes = importable_suffixes()
    while stack:
        current, rel = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        page_folders = saved_page_folders({e.name for e in entries})  # part of their page, as the scanner says
        for entry in entries:
            if entry.name.startswith(".") or entry.name in page_folders:
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    target = path.stat()
                except OSError:
                    continue
                key = (target.st_dev, target.st_ino)
                if key not in seen:
                    seen.add(key)
                    subfolders.append((path, (*rel, entry.name)))
            elif Path(entry.name).suffix.lower() in suffixes:
                yield path, rel
        stack.extend(reversed(subfolders))


def _plan(inputs: list[Path]) -> list[_Planned]:
    planned = []
    for item in inputs:
        if item.is_dir():
            planned.extend(_Planned(path, rel) for path, rel in _walk(item))
        else:
            planned.append(_Planned(item, ()))
    return planned


# --- writing ---------------------------------------------------------------------------------


class _NameTaken(Exception):
    pass


def _put_new(target: Path, data: bytes) -> None:
    """Write a new file; :class:`_NameTaken` if something appeared at ``target`` meanwhile
    (hard-linking the temporary file into place never replaces anything)."""
    tmp = write_temp_file(target.parent, target.name, data, None)
    try:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise _NameTaken from None
        except OSError as exc:  # a file system without hard links
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
                raise
            if os.path.lexists(target):
                raise _NameTaken from None
            os.rename(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_folder(target.parent)


def _put_replacing(target: Path, data: bytes, old: os.stat_result) -> None:
    tmp = write_temp_file(target.parent, target.name, data, old)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


# --- the import ------------------------------------------------------------------------------


class _Importer:
    def __init__(self, library: Path, encoding: str | None, record: ImportRecord) -> None:
        self.library = library
        self.root = library.resolve()
        self.encoding = encoding
        self.record = record
        self.claims = record.claims()
        self.taken: set[str] = set()  # name keys given to a source in this run
        self.listings: dict[Path, dict[str, str]] = {}
        self.disk_full: Path | None = None

    # The library's folders, listed once each: name key -> the name on disk.
    def _listing(self, folder: Path) -> dict[str, str]:
        if folder not in self.listings:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            self.listings[folder] = {_name_key(n): n for n in names}
        return self.listings[folder]

    def _inside(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def _leads_out(self, folder: Path) -> bool:
        """A library folder that resolves outside the library (a symlink), or not at all."""
        try:
            return not self._inside(folder.resolve())
        except (OSError, RuntimeError):
            return True

    def _folder(self, parts: tuple[str, ...]) -> tuple[Path, list[Path]]:
        """The library folder for ``parts``, made if needed (-> (folder, the folders made)).
        Raises _Refused for a file in the way or a symlink leading out of the library."""
        folder, made = self.library, []
        try:
            for part in parts:
                folder = folder / part
                try:
                    os.mkdir(folder)
                    made.append(folder)
                    self._listing(folder.parent)[_name_key(part)] = part
                except FileExistsError:
                    if not folder.is_dir():
                        raise _Refused(f"cannot write into {folder}: it is a file, not a folder") from None
                except OSError as exc:
                    if is_disk_full(exc):
                        self.disk_full = self.library
                    raise _Refused(f"cannot create the folder {folder}: {os_problem(exc)}") from None
            if self._leads_out(folder):
                raise _Refused(f"cannot write into {folder}: a symlink leads outside the library")
        except BaseException:
            self._remove_empty(made)
            raise
        return folder, made

    @staticmethod
    def _remove_empty(folders: list[Path]) -> None:
        for folder in reversed(folders):
            with contextlib.suppress(OSError):
                folder.rmdir()

    def run(self, planned: list[_Planned], report: ImportReport, on_result: Callable[[ImportResult], None] | None) -> None:
        seen: set[str] = set()
        for item in planned:
            result = ImportResult(item.source)
            try:
                key = os.path.realpath(item.source)
            except (OSError, RuntimeError, ValueError):
                key = os.path.abspath(item.source)
            if key in seen:
                continue  # given twice (a file and its folder): imported once
            seen.add(key)
            try:
                self._one(item, key, result)
            except _Refused as refused:
                result.status, result.problem = FAILED, str(refused)
            except OSError as exc:  # nothing one file does may stop the others
                result.status, result.problem = FAILED, os_problem(exc)
            report.results.append(result)
            if on_result is not None:
                on_result(result)
        report.disk_full = self.disk_full

    def _one(self, item: _Planned, key: str, result: ImportResult) -> None:
        if self._inside(Path(key)):
            result.status, result.target = IN_LIBRARY, Path(key)
            return
        document = is_document_source(item.source)
        data = read_regular_file(item.source, MAX_DOCUMENT_BYTES if document else MAX_ARTICLE_BYTES)
        if not (data if document else data.strip()):  # (no copy of a large document to strip)
            raise _Refused("empty file")
        entry = self.record.entries.get(key)
        if entry is not None and os.path.splitext(entry.article)[1].lower() != os.path.splitext(target_name(item.source))[1]:
            entry = None  # another kind of file than this source makes (a renamed source, a forged record)
        if document:  # copied as it is: the library reads it (and reports what it cannot)
            self._take(item, key, entry, data, {data}, result)
            return
        encoding = self.encoding
        if not encoding and entry is not None and entry.encoding:
            encoding = result.remembered_encoding = entry.encoding
        text, result.uncertain_encoding = self._convert(data, item.source, encoding)
        payload = text.encode("utf-8")
        # What an automatic import made of the same bytes: an article without a record that
        # holds exactly this was made from this source, so --encoding may fix it in place.
        alternatives = {payload}
        if encoding and entry is None:
            with contextlib.suppress(_Refused):
                alternatives.add(self._convert(data, item.source, None)[0].encode("utf-8"))
        self._take(item, key, entry, payload, alternatives, result, self.encoding or (entry.encoding if entry is not None else ""))

    def _take(self, item: _Planned, key: str, entry: _Entry | None, payload: bytes, alternatives: set[bytes],
              result: ImportResult, encoding: str = "") -> None:
        """Write ``payload`` as the source's article (a new one, or the one an earlier import
        made) and record it."""
        if entry is not None:
            self._reimport(entry, key, payload, result)
        else:
            self._place(item, key, payload, alternatives, result)
        if result.status != FAILED:
            rel = result.target.relative_to(self.library).as_posix()
            self.record.set(key, _Entry(rel, hashlib.sha256(payload).hexdigest(), encoding or ""))

    @staticmethod
    def _convert(data: bytes, source: Path, encoding: str | None) -> tuple[str, str]:
        try:
            return convert_bytes(data, source, encoding)
        except (DecodeError, LookupError) as exc:
            raise _Refused(str(exc)) from None
        except RecursionError:
            raise _Refused("nested too deeply to convert") from None
        except MemoryError:
            raise _Refused("not enough memory to convert the file") from None
        except Exception as exc:  # a parser's bug must not stop the other files
            raise _Refused(f"cannot convert the file ({type(exc).__name__}: {exc})") from None

    def _existing(self, path: Path, sizes: set[int] | None = None) -> tuple[os.stat_result | None, bytes | None]:
        """(lstat, bytes) of a library file; bytes only for a regular file within the limit
        (and, given ``sizes``, of one of those sizes: other files cannot be equal)."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            raise _Refused(f"cannot check {path}: {os_problem(exc)}") from None
        if not stat.S_ISREG(info.st_mode) or (sizes is not None and info.st_size not in sizes):
            return info, None
        try:
            return info, read_regular_file(path, MAX_DOCUMENT_BYTES if is_document_source(path) else MAX_ARTICLE_BYTES)
        except _Refused:
            return info, None

    def _reimport(self, entry: _Entry, key: str, payload: bytes, result: ImportResult) -> None:
        target = self.library / entry.article
        self.taken.add(_name_key(entry.article))
        if os.path.lexists(target.parent) and self._leads_out(target.parent):
            raise _Refused(f"cannot write into {target.parent}: a symlink leads outside the library")
        folder_parts = tuple(entry.article.split("/")[:-1])
        info, current = self._existing(target)
        if info is None:  # the article was deleted: make it again, under its name if still free
            self.taken.discard(_name_key(entry.article))
            self._place(_Planned(target, folder_parts), key, payload, {payload}, result, preferred=Path(entry.article).name)
            return
        result.target = target
        if current is None:
            raise _Refused(f"{target} (made by an earlier import of this file) is no longer a regular file; it is left alone")
        if current == payload:
            result.status = UNCHANGED
            return
        if hashlib.sha256(current).hexdigest() != entry.sha256:
            raise _Refused(f"{target} was changed in the library since it was imported from this file; "
                           "it is kept as it is (move it away to import the file again)")
        self._write(target, payload, result, old=info)

    def _place(self, item: _Planned, key: str, payload: bytes, alternatives: set[bytes], result: ImportResult,
               preferred: str | None = None) -> None:
        """A new article for the source: the first free name, or an article of this source
        that the record does not know (its content is exactly what the source converts to)."""
        parts = tuple(_safe_part(p, "folder") for p in item.folder)
        name = preferred or target_name(item.source)
        stem, suffix = os.path.splitext(name)
        folder, made = self._folder(parts)
        listing = self._listing(folder)
        prefix = "/".join(parts) + "/" if parts else ""
        for n in range(1, _MAX_CANDIDATES + 1):
            candidate = name if n == 1 else f"{stem}-{n}{suffix}"
            name_key = _name_key(prefix + candidate)
            if name_key in self.taken or self.claims.get(name_key, key) != key:
                continue
            on_disk = listing.get(_name_key(candidate))
            target = folder / candidate
            if on_disk is not None:
                if on_disk != candidate:
                    continue  # another case or normalization of the name: a different file
                info, current = self._existing(target, {len(a) for a in alternatives})
                if current is None or current not in alternatives:
                    continue  # the user's file, or another article: never replaced
                self.taken.add(name_key)
                result.target = target
                if current == payload:
                    result.status = UNCHANGED
                else:
                    self._write(target, payload, result, old=info)
                return
            self.taken.add(name_key)
            result.target = target
            try:
                self._write(target, payload, result, old=None)
            except _NameTaken:
                self.taken.discard(name_key)
                listing[_name_key(candidate)] = candidate
                continue
            except _Refused:
                self._remove_empty(made)
                raise
            listing[_name_key(candidate)] = candidate
            return
        self._remove_empty(made)
        raise _Refused(f"no free name for {name} in {folder}")

    def _write(self, target: Path, payload: bytes, result: ImportResult, old: os.stat_result | None) -> None:
        if self.disk_full is not None:
            raise _Refused(f"not written: the disk is full ({self.disk_full})")
        try:
            if old is None:
                _put_new(target, payload)
            else:
                _put_replacing(target, payload, old)
        except _NameTaken:
            raise
        except OSError as exc:
            if is_disk_full(exc):
                self.disk_full = self.library
            raise _Refused(f"cannot write {target}: {os_problem(exc)}") from None
        result.status = IMPORTED if old is None else UPDATED


def run_import(
    inputs: list[Path],
    library: Path,
    encoding: str | None = None,
    record: Path | None = None,
    on_result: Callable[[ImportResult], None] | None = None,
) -> ImportReport:
    """Import ``inputs`` (files and folders) into ``library``; ``record`` is the record of
    imports (:func:`record_path`; without one, earlier imports are recognised by content).
    ``on_result`` is called as each source is done. Raises ReaderError only when the library
    folder cannot be made; every file's problem is on its result."""
    try:
        library.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise from_os_error(exc, library, "cannot create the library folder") from None
    report = ImportReport()
    state = ImportRecord(record, library.resolve())
    report.notices.extend(state.notices)
    try:
        _Importer(library, encoding, state).run(_plan(inputs), report, on_result)
    finally:
        try:
            state.save()
        except OSError as exc:
            report.failed_notices = True
            report.notices.append(f"{record}: cannot save the record of this import ({os_problem(exc)}); "
                                  "the articles were written, and a re-import recognises them by their content")
    return report


def import_files(inputs: list[Path], library: Path, encoding: str | None = None, record: Path | None = None) -> list[ImportResult]:
    """:func:`run_import`'s results (for callers that show only those)."""
    return run_import(inputs, library, encoding, record).results
