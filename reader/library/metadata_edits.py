"""Article metadata the reader edits in the window: title, authors, date, tags, the article's
own address (``url``) and where it was published (``journal``, ``volume``, ``issue``,
``pages``).

Where an edit goes (:func:`save_metadata`):

* a Markdown article whose file can be written: into its YAML front matter, atomically (a
  temporary file beside it, then ``os.replace``), the body kept byte for byte, with the
  file's encoding, BOM and line endings and every front-matter key Reader does not know; a
  file without front matter gains one;
* anything else (PDF, Word, EPUB, HTML, text, a read-only file, the sample collection, a
  file whose front matter is not valid YAML or whose encoding cannot hold the new text): the
  data folder, ``libraries/<key>/metadata.json`` (:class:`EditsFile`), written atomically
  under a lock, so two Readers saving at once lose neither's edits (each save merges only
  the fields it changed into what is on disk at that moment).

The edits in the data folder win over the file's own values: :func:`apply_edits` lays them
over an :class:`~reader.library.model.Article` (the library does it when it loads one, the
catalog when it lists them). A damaged or hostile ``metadata.json`` is ignored with a notice
that names it; it is copied to ``metadata.json.bad`` before a save replaces it, so nothing
the reader typed is lost. Qt-free.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from reader.errors import ReaderError, from_os_error
from reader.fileio import fsync_folder, write_temp_file
from reader.library import frontmatter
from reader.library.model import MAX_ARTICLE_BYTES, PUBLICATION_FIELDS, Article

FIELDS = ("title", "authors", "date", "tags", *PUBLICATION_FIELDS)
LIST_FIELDS = ("authors", "tags")
MARKDOWN_SUFFIXES = (".md", ".markdown")
EDITS_NAME = "metadata.json"
FORMAT = "reader-metadata-edits"
VERSION = 1
MAX_TEXT_CHARS = 2000
MAX_ITEMS = 200
MAX_EDITS_BYTES = 20 * 1024 * 1024
LOCK_TIMEOUT_S = 10.0


class MetadataProblem(ReaderError):
    """A value that cannot be kept (a date that is no date, a control character)."""


class SaveFailed(ReaderError):
    """The edit could not be written (full disk, read-only data folder); names the file."""


class _NotWritable(Exception):
    """The file's front matter cannot be rewritten safely: the edit goes to the data folder."""


# Values ---------------------------------------------------------------------------------------
def _bad_char(text: str, allow_newline: bool) -> str | None:
    for ch in text:
        if ch in "\n\t" and allow_newline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            return ch
    return None


def _clean_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise MetadataProblem(f"{key} must be a text")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_TEXT_CHARS:
        raise MetadataProblem(f"{key} is longer than {MAX_TEXT_CHARS} characters")
    bad = _bad_char(text, allow_newline=key == "title")
    if bad is not None:
        raise MetadataProblem(f"{key} has a control character (U+{ord(bad):04X})")
    if key != "title":
        text = " ".join(text.split())
    if key == "date":
        try:
            return frontmatter.normalize_date(text)
        except frontmatter.FrontMatterError:
            raise MetadataProblem(f"the date must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}") from None
    return text


def _clean_list(key: str, value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise MetadataProblem(f"{key} must be a list of texts")
    if len(value) > MAX_ITEMS:
        raise MetadataProblem(f"more than {MAX_ITEMS} {key}")
    out: list[str] = []
    for item in value:
        text = _clean_text(key, item)
        if text and text not in out:
            out.append(text)
    return out


def clean_changes(changes: dict) -> dict:
    """``changes`` (field -> value) as they are kept: texts stripped, lists without empty or
    repeated items, the date normalised. Raises :class:`MetadataProblem` naming a bad one."""
    if not isinstance(changes, dict):
        raise MetadataProblem("the changes must be a mapping of fields")
    out: dict = {}
    for key, value in changes.items():
        if key not in FIELDS:
            raise MetadataProblem(f"unknown field {key!r}")
        out[key] = _clean_list(key, value) if key in LIST_FIELDS else _clean_text(key, value)
    if "title" in out and not out["title"]:
        raise MetadataProblem("the title cannot be empty")
    return out


def _valid_stored(record: object) -> dict | None:
    """A stored edit as kept, or None when it holds values this Reader would not write."""
    if type(record) is not dict:
        return None
    values = {k: v for k, v in record.items() if k in FIELDS}
    try:
        cleaned = clean_changes(values)
    except MetadataProblem:
        return None
    for key, value in values.items():  # what is stored must be what cleaning keeps
        if key in LIST_FIELDS and type(value) is not list:
            return None
        if key not in LIST_FIELDS and type(value) is not str:
            return None
    return cleaned


def apply_edits(article: Article, edits: dict | None) -> Article:
    """Lay ``edits`` (a stored edit) over ``article`` in place; returns it."""
    if not edits:
        return article
    if edits.get("title"):
        article.title = edits["title"]
    if "date" in edits:
        article.date = edits["date"]
    if "authors" in edits:
        article.authors = list(edits["authors"])
    if "tags" in edits:
        article.tags = list(edits["tags"])
    for key in PUBLICATION_FIELDS:
        if key in edits:
            article.publication[key] = edits[key]
    return article


def current_values(article: Article) -> dict:
    """The fields the editor shows for ``article`` (edits already applied)."""
    values = {
        "title": article.title, "authors": list(article.authors), "date": article.date,
        "tags": list(article.tags),
    }
    for key in PUBLICATION_FIELDS:
        values[key] = article.publication.get(key, "")
    return values


# The data folder ------------------------------------------------------------------------------
@contextlib.contextmanager
def _locked(lock_path: Path):
    """An exclusive lock between processes (``fcntl.flock`` on a lock file); none where the
    file cannot be made (the caller's write then fails with a clear message) or on systems
    without flock."""
    try:
        import fcntl
    except ImportError:  # Windows: os.replace still keeps each write whole
        yield
        return
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:  # another Reader holds it for a moment while it saves: wait, but not for ever
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SaveFailed(f"another Reader has held {lock_path.name} for {LOCK_TIMEOUT_S:.0f} s; the edit was not saved", lock_path) from None
                time.sleep(0.05)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    """``data`` to ``path``: a temporary file beside it, then ``os.replace``."""
    like = None
    with contextlib.suppress(OSError):
        like = path.stat()
    tmp = write_temp_file(path.parent, path.name, data, like)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


@dataclass
class _Loaded:
    stamp: tuple
    raw: dict  # the file as read (kept whole when saving: unknown entries are not lost)
    edits: dict[str, dict]
    notices: list[str] = field(default_factory=list)
    damaged: bool = False
    unreadable: str = ""  # why the file could not be read (it exists: never write over it)
    newer: bool = False  # written by a newer Reader: never write over it


class EditsFile:
    """``<data>/libraries/<key>/metadata.json``: library-relative path -> the fields edited.

    ``{"format": "reader-metadata-edits", "version": 1, "articles": {PATH: {FIELD: VALUE,
    "modified": ISO time}}}``. Read again whenever the file changes (another Reader saved)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: _Loaded | None = None
        self.notices: list[str] = []

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _stamp(self) -> tuple | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _read(self) -> _Loaded:
        stamp = self._stamp()
        if stamp is None:
            return _Loaded((), {}, {})
        if self._cache is not None and self._cache.stamp == stamp:
            return self._cache
        loaded = _parse(self.path, stamp)
        for notice in loaded.notices:
            if notice not in self.notices:
                self.notices.append(notice)
        self._cache = loaded
        return loaded

    def all(self) -> dict[str, dict]:
        """Every article's edits (empty when there is no file, or it is damaged)."""
        return self._read().edits

    def get(self, rel_path: str) -> dict:
        return self._read().edits.get(rel_path, {})

    def save(self, rel_path: str, changes: dict, drop: tuple[str, ...] = ()) -> None:
        """Merge ``changes`` (cleaned) into ``rel_path``'s edits and remove the fields
        ``drop`` (now written to the file itself), under the lock: what another Reader saved
        meanwhile is kept. Raises :class:`SaveFailed` naming the file."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveFailed(from_os_error(exc).problem + "; the edit was not saved", self.path) from None
        with _locked(self.lock_path):
            self._cache = None
            loaded = self._read()
            if loaded.unreadable:
                raise SaveFailed(f"it cannot be read ({loaded.unreadable}); the edit was not saved, and the file is left as it is", self.path)
            if loaded.newer:
                raise SaveFailed("it was written by a newer Reader; the edit was not saved, and the file is left as it is", self.path)
            raw = loaded.raw if not loaded.damaged else {}
            if loaded.damaged:
                try:
                    shutil.copy2(self.path, self.path.with_name(self.path.name + ".bad"))
                except OSError as exc:
                    raise SaveFailed(f"it is damaged and cannot be kept as {self.path.name}.bad ({from_os_error(exc).problem}); the edit was not saved", self.path) from None
            articles = raw.get("articles") if type(raw.get("articles")) is dict else {}
            record = dict(articles.get(rel_path)) if type(articles.get(rel_path)) is dict else {}
            for key in drop:
                record.pop(key, None)
            for key in [k for k in record if k in FIELDS]:  # a bad stored value is set aside, not lost
                if _valid_stored({key: record[key]}) is None:
                    record.setdefault("rejected", {})
                    if type(record["rejected"]) is dict:
                        record["rejected"][key] = record[key]
                    del record[key]
            record.update(changes)
            if any(k in FIELDS for k in record):
                record["modified"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                articles[rel_path] = record
            else:
                articles.pop(rel_path, None)
            out = {**raw, "format": FORMAT, "version": VERSION, "articles": articles}
            data = (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
            try:
                _atomic_write(self.path, data)
            except OSError as exc:
                raise SaveFailed(from_os_error(exc).problem + "; the edit was not saved", self.path) from None
            self._cache = None


def _parse(path: Path, stamp: tuple) -> _Loaded:
    def damaged(why: str) -> _Loaded:
        return _Loaded(stamp, {}, {}, [f"{path}: {why}; its edits are ignored (a copy is kept as {path.name}.bad when edits are next saved)"], True)

    try:
        if path.stat().st_size > MAX_EDITS_BYTES:
            return damaged("larger than 20 MB")
        text = path.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except OSError as exc:
        problem = from_os_error(exc).problem
        return _Loaded(stamp, {}, {}, [f"{path}: {problem}; the edited article details are not shown"], unreadable=problem)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return damaged("not valid JSON")
    if type(raw) is not dict or type(raw.get("articles", {})) is not dict:
        return damaged("not a file of article edits")
    if raw.get("format", FORMAT) != FORMAT:
        return damaged("not a file of article edits")
    if type(raw.get("version", VERSION)) is not int or raw.get("version", VERSION) > VERSION:
        return _Loaded(stamp, raw, {}, [f"{path}: written by a newer Reader; its edits are not shown"], newer=True)
    edits: dict[str, dict] = {}
    bad = 0
    for rel_path, record in raw.get("articles", {}).items():
        cleaned = _valid_stored(record)
        if cleaned is None:
            bad += 1
            continue
        edits[rel_path] = cleaned
    notices = [f"{path}: {bad} article edit(s) hold values of the wrong type and are ignored"] if bad else []
    return _Loaded(stamp, raw, edits, notices)


# Front matter ---------------------------------------------------------------------------------
def _encoding_of(data: bytes) -> tuple[bytes, str]:
    """(the BOM, the codec of the rest) of a Markdown file's bytes."""
    from reader.library.encodings import DecodeError, decode

    if data.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, "utf-8"
    if data.startswith(codecs.BOM_UTF16_LE):
        return codecs.BOM_UTF16_LE, "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE, "utf-16-be"
    try:
        decoded = decode(data)
    except DecodeError as exc:
        raise _NotWritable(f"its text cannot be read ({exc})") from None
    if decoded.uncertain:
        raise _NotWritable(f"its encoding is uncertain ({decoded.encoding})")
    return b"", decoded.encoding


_KEYS = {"title": "title", "date": "date", "authors": "authors", "tags": "tags",
         "url": "url", "journal": "journal", "volume": "volume", "issue": "issue", "pages": "pages"}


_TOP_KEY = re.compile(r"([^\s#:'\"\[\]{}][^:#]*?)\s*:(?:\s|$)")


def _dump_key(name: str, value: object, newline: str) -> str:
    try:
        text = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=10_000)
    except yaml.YAMLError:
        raise _NotWritable("its front matter holds values that cannot be written again") from None
    return text.replace("\n", newline) if newline != "\n" else text


def _replace_keys(source: str, updates: dict[str, object], newline: str) -> str:
    """``source`` (front matter YAML) with the top-level keys of ``updates`` written again
    (None: removed) and the others' lines untouched; a key not there is added at the end."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    done: set[str] = set()
    i = 0
    while i < len(lines):
        match = _TOP_KEY.match(lines[i])
        name = match.group(1).strip() if match else None
        if name in updates:
            i += 1  # the key's own lines: indented continuations and "- item" lines
            while i < len(lines) and (lines[i][:1] in (" ", "\t") or lines[i].startswith("-")):
                i += 1
            if name not in done and updates[name] is not None:
                out.append(_dump_key(name, updates[name], newline))
            done.add(name)
            continue
        out.append(lines[i])
        i += 1
    if out and not out[-1].endswith(("\n", "\r")):
        out[-1] += newline
    for name, value in updates.items():
        if name not in done and value is not None:
            out.append(_dump_key(name, value, newline))
    return "".join(out)


def _check_unknown_keys(new_source: str, expected: dict, changed: set[str]) -> None:
    """The rewritten front matter reads back as ``expected``: what changed, and every other
    key exactly as before (else the edit is kept in the data folder)."""
    try:
        loaded = frontmatter.load_yaml(new_source) or {}
    except yaml.YAMLError:
        raise _NotWritable("its front matter could not be written again safely") from None
    if not isinstance(loaded, dict) or any(loaded.get(k) != v for k, v in expected.items() if k not in changed) \
            or set(loaded) - set(expected):
        raise _NotWritable("its front matter could not be written again safely")


def rewrite_front_matter(data: bytes, changes: dict) -> bytes:
    """The Markdown file ``data`` with ``changes`` (cleaned) in its front matter; the body's
    bytes, the encoding, BOM and line endings, and unknown keys as they were. Raises
    _NotWritable when that cannot be done safely."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise _NotWritable("it is too large")
    bom, codec = _encoding_of(data)
    content = data[len(bom):]
    try:
        text = content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise _NotWritable(f"it is not valid {codec}") from None
    meta_source, body_text = frontmatter.split(text)
    header_text = text[: len(text) - len(body_text)]
    try:
        header_len = len(header_text.encode(codec))
    except UnicodeEncodeError:
        raise _NotWritable(f"its front matter cannot be written again in {codec}") from None
    if content[:header_len].decode(codec, "replace") != header_text:
        raise _NotWritable(f"its front matter cannot be written again in {codec}")
    body = content[header_len:]
    newline = "\r\n" if "\r\n" in (header_text if meta_source is not None else text[:4096]) else "\n"
    meta: dict = {}
    if meta_source is not None:
        try:
            loaded = frontmatter.load_yaml(meta_source)
        except yaml.YAMLError:
            raise _NotWritable("its front matter is not valid YAML") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise _NotWritable("its front matter is not a mapping of fields")
        meta = dict(loaded or {})
    updates: dict[str, object] = {}
    for key, value in changes.items():
        name = _KEYS[key]
        if key == "authors" and "authors" not in meta and "author" in meta:
            name = "author"
        if value in ("", []) and key not in ("tags",):
            meta.pop(name, None)
            updates[name] = None
        else:
            meta[name] = updates[name] = list(value) if isinstance(value, list) else value
    if meta_source is not None and meta_source in header_text:
        # Only the changed keys' lines are written again: every other line (unknown keys as
        # typed, comments, quoting) stays as it was.
        new_source = _replace_keys(meta_source, updates, newline)
        header = header_text.replace(meta_source, new_source, 1)
        _check_unknown_keys(new_source, meta, set(updates))
    else:
        try:
            dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
        except yaml.YAMLError:
            raise _NotWritable("its front matter holds values that cannot be written again") from None
        header = "---\n" + dumped + "---\n"
        if newline != "\n":
            header = header.replace("\n", newline)
    try:
        new_header = header.encode(codec)
    except UnicodeEncodeError as exc:
        raise _NotWritable(f"its encoding ({codec}) cannot hold {exc.object[exc.start:exc.end]!r}") from None
    out = bom + new_header + body
    _check(out, bom, codec, body, changes)
    return out


def _check(data: bytes, bom: bytes, codec: str, body: bytes, changes: dict) -> None:
    """Read the new file back: the same body, the values written."""
    text = data[len(bom):].decode(codec)
    meta_source, body_text = frontmatter.split(text)
    if meta_source is None or body_text.encode(codec) != body:
        raise _NotWritable("its front matter could not be written without changing the text")
    article = Article(path="check")
    try:
        frontmatter.apply(meta_source, article)
    except frontmatter.FrontMatterError as exc:
        raise _NotWritable(f"its front matter has a problem ({exc})") from None
    expected = apply_edits(Article(path="check"), changes)
    for key in changes:
        if key in PUBLICATION_FIELDS:
            same = article.publication.get(key, "") == expected.publication.get(key, "")
        else:
            same = getattr(article, key) == getattr(expected, key)
        if not same:
            raise _NotWritable(f"its front matter would not keep the {key} as typed")


def file_is_writable(path: Path) -> str:
    """Why the front matter of ``path`` cannot be rewritten in place ("" when it can)."""
    from reader.paths import read_only_problem

    try:
        target = path.resolve()
        info = target.stat()
    except OSError as exc:
        return from_os_error(exc).problem
    import stat as stat_module

    if not stat_module.S_ISREG(info.st_mode):
        return "not a regular file"
    if not os.access(target, os.W_OK):
        return "the file is read-only"
    if read_only_problem(target.parent).startswith("the data folder is read-only"):
        return "its folder is read-only"
    return ""


# Saving ---------------------------------------------------------------------------------------
@dataclass
class SaveResult:
    where: str  # "file" (the front matter) or "data" (the data folder)
    path: Path  # the file written
    notice: str = ""  # why a Markdown file's edit went to the data folder


def save_metadata(file_path: Path, edits: EditsFile, rel_path: str, changes: dict, in_place: bool = True) -> SaveResult:
    """Save ``changes`` (field -> value, only the fields changed) of the article ``rel_path``
    whose file is ``file_path``. ``in_place``: a writable Markdown file may be rewritten
    (False for the sample collection). Raises :class:`MetadataProblem` for a bad value and
    :class:`SaveFailed` when nothing could be written."""
    changes = clean_changes(changes)
    if not changes:
        return SaveResult("none", file_path)
    notice = ""
    if in_place and file_path.suffix.lower() in MARKDOWN_SUFFIXES:
        why = file_is_writable(file_path)
        if not why:
            with _locked(edits.lock_path):
                try:
                    target = file_path.resolve()
                    data = target.read_bytes()
                    new = rewrite_front_matter(data, changes)
                except _NotWritable as exc:
                    why = str(exc)
                except OSError as exc:
                    raise SaveFailed(from_os_error(exc).problem + "; the edit was not saved", file_path) from None
                else:
                    try:
                        _atomic_write(target, new)
                    except OSError as exc:
                        raise SaveFailed(from_os_error(exc).problem + "; the edit was not saved", file_path) from None
            if not why:
                if any(k in edits.get(rel_path) for k in changes):
                    # Earlier edits kept in the data folder would hide what the file now says.
                    with contextlib.suppress(SaveFailed):
                        edits.save(rel_path, {}, drop=tuple(changes))
                return SaveResult("file", file_path)
        notice = f"{file_path.name}: {why}; the details are kept in Reader's data folder"
    edits.save(rel_path, changes)
    return SaveResult("data", edits.path, notice)
