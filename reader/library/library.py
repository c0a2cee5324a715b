"""A library: a folder of articles plus its state in the data folder."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader.errors import OutsideLibrary, UsageError
from reader.library.catalog import Catalog
from reader.library.metadata_edits import (
    EDITS_NAME,
    EditsFile,
    SaveResult,
    apply_edits,
    save_metadata,
)
from reader.library.model import Article
from reader.library.reading import DocumentSource, LoadedFile, load_file
from reader.library.scanning import NOT_UTF8_NAME, has_undecodable_bytes
from reader.paths import DataPaths, sample_library
from reader.settings import Settings


class LibraryNotFound(UsageError):
    pass


@dataclass
class Library:
    root: Path
    paths: DataPaths
    # One edits file per library: it is parsed again only when it changes on disk, not at
    # every article opened (metadata.json may hold thousands of edits).
    _edits: EditsFile | None = field(default=None, init=False, repr=False, compare=False)

    def catalog(self) -> Catalog:
        return Catalog(self.paths.catalog_db(self.root), self.root, documents=self.documents())

    def documents(self) -> DocumentSource:
        """How this library's documents are read: through the data folder's extraction cache."""
        return DocumentSource(self.paths.extracted_dir, self.root, self.paths.logs_dir)

    @property
    def index_dir(self) -> Path:
        return self.paths.index_dir(self.root)

    @property
    def key(self) -> str:
        """The library's identity in the annotations database and in output: its absolute
        path as text, with bytes that are not UTF-8 written as ``\\xa4`` (an unzipped Big5
        folder name; such a path cannot be stored or printed as it is)."""
        return library_key_text(self.root)

    def file_path(self, rel_path: str) -> Path:
        """The file of an article; raises :class:`OutsideLibrary` for a path that leaves the
        library (``..``, absolute, a symlink out): such a file is never opened."""
        return self.root / confine(self.root, rel_path)

    def contains(self, rel_path: str) -> bool:
        try:
            confine(self.root, rel_path)
        except OutsideLibrary:
            return False
        return True

    def load(self, rel_path: str, progress=None, cancel=None) -> Article:
        """Read one article fully (body included). Problems are recorded on the article.

        A document is taken from the extraction cache, or extracted (in a child process with
        limits): ``progress(done, total)`` follows its pages, a set ``cancel`` (Event) stops
        it with :class:`reader.library.formats.Cancelled`."""
        return self._load(rel_path, progress, cancel).article

    def load_with_hash(self, rel_path: str, progress=None, cancel=None) -> tuple[Article, str]:
        """The article and the version annotations are anchored to: the SHA-256 of its file,
        for a document that of the file and the extractor's version."""
        loaded = self._load(rel_path, progress, cancel)
        return loaded.article, loaded.content_hash

    def _load(self, rel_path: str, progress=None, cancel=None) -> LoadedFile:
        try:
            path = self.file_path(rel_path)
        except OutsideLibrary as exc:  # never opened: only its name is known
            return LoadedFile(Article(path=rel_path, title=Path(rel_path).stem, problems=[exc.problem]), "", 0, 0)
        if has_undecodable_bytes(rel_path) or (not path.exists() and "\\x" in rel_path):
            return LoadedFile(Article(path=rel_path, title=Path(rel_path).stem, problems=[NOT_UTF8_NAME]), "", 0, 0)
        loaded = load_file(path, rel_path, documents=self.documents(), progress=progress, cancel=cancel)
        apply_edits(loaded.article, self.metadata_edits().get(rel_path))  # the reader's edits win
        return loaded

    # Edited details ------------------------------------------------------------------------
    def metadata_edits(self) -> EditsFile:
        """The article details edited in the window and kept in the data folder."""
        if self._edits is None:
            self._edits = EditsFile(self.paths.library_state(self.root) / EDITS_NAME)
        return self._edits

    def save_metadata(self, rel_path: str, changes: dict) -> SaveResult:
        """Save the edited details of an article (see :func:`metadata_edits.save_metadata`):
        a writable Markdown file's front matter, else the data folder. The sample collection
        is never written."""
        path = self.file_path(rel_path)
        return save_metadata(path, self.metadata_edits(), rel_path, changes, in_place=not self.is_sample_collection())

    def is_sample_collection(self) -> bool:
        from reader.paths import bundled_samples_dir

        try:
            return self.root.resolve() in (bundled_samples_dir().resolve(), self.paths.samples_copy.resolve())
        except OSError:
            return False


def library_key_text(root: Path) -> str:
    return os.fsencode(str(root)).decode("utf-8", "backslashreplace")


def folder_of_key(key: str) -> Path:
    """The folder a library key names (see :attr:`Library.key`)."""
    path = Path(key)
    if "\\x" in key and not path.exists():
        import codecs

        with contextlib.suppress(ValueError, UnicodeError):
            return Path(os.fsdecode(codecs.escape_decode(key.encode("utf-8"))[0]))
    return path


MAX_PATH_CHARS = 4096
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(file|urn|data|javascript|mailto|about):", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def normalize_rel_path(rel_path: object) -> str:
    """``rel_path`` as a library-relative POSIX path (``a/./b//c`` -> ``a/b/c``), or
    :class:`OutsideLibrary` naming why it is not one: absolute, ``..``, a URL, a drive,
    control characters. Nothing on disk is consulted."""
    if not isinstance(rel_path, str) or not rel_path.strip():
        raise OutsideLibrary("an article path must be a non-empty text")
    shown = ascii(rel_path)[1:-1] if len(rel_path) <= 200 else ascii(rel_path[:200])[1:-1] + "…"
    if len(rel_path) > MAX_PATH_CHARS:
        raise OutsideLibrary(f"the path is longer than {MAX_PATH_CHARS} characters", shown)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in rel_path) or any(0xD800 <= ord(ch) <= 0xDFFF for ch in rel_path):
        raise OutsideLibrary("the path contains control characters", shown)
    if _SCHEME.match(rel_path):
        raise OutsideLibrary("a URL, not a path inside the library", shown)
    if rel_path.startswith(("/", "\\")) or _DRIVE.match(rel_path):
        raise OutsideLibrary("an absolute path, not a path inside the library", shown)
    parts = [part for part in rel_path.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts) or any(p == ".." for part in parts for p in part.split("\\")):
        raise OutsideLibrary("the path leaves the library (..)", shown)
    if not parts:
        raise OutsideLibrary("the path names the library folder itself, not an article", shown)
    return "/".join(parts)


def confine(root: Path, rel_path: object) -> str:
    """:func:`normalize_rel_path`, and the file (when it exists) or its nearest existing folder
    must resolve inside ``root`` after following symlinks."""
    normal = normalize_rel_path(rel_path)
    base = root.resolve()
    try:
        resolved = (base / normal).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise OutsideLibrary("the path cannot be resolved (symlink loop)", normal) from None
    if resolved != base and base not in resolved.parents:
        raise OutsideLibrary("a symlink leads outside the library", normal)
    return normal


def resolve_library(paths: DataPaths, requested: str | None, settings: Settings | None = None) -> Library:
    """The library to use: the one asked for, else the last one opened, else the samples."""
    if requested:
        root = Path(requested).expanduser().resolve()
        if not root.is_dir():
            raise LibraryNotFound(f"{requested}: no such library folder")
        return Library(root, paths)
    if settings is not None:
        last = settings.get("library")
        if last and Path(last).is_dir():
            return Library(Path(last), paths)
    return Library(sample_library(paths).resolve(), paths)
