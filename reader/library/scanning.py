"""Find the article files of a library folder, recursively, without tripping on odd trees.

Articles are Markdown, text and HTML files, and documents read in place (PDF, Word,
OpenDocument, EPUB, web archives, and ``.html`` pages a browser saved "complete" beside their
``NAME_files/`` folder: that folder holds the page's pictures, not articles, and is skipped).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.library.model import ARTICLE_SUFFIXES, DOCUMENT_SUFFIXES

NOT_UTF8_NAME = "file name is not valid UTF-8"
OUTSIDE_FILE = "a symlink to a file outside the library: not read"
OUTSIDE_FOLDER = "a symlink to a folder outside the library: not read"


@dataclass
class Found:
    location: str | Path  # absolute (a string from scanning: a Path a file cost 1 s at 100,000)
    rel_path: str  # POSIX, relative to the library root: the article's identity
    problem: str = ""  # set for entries that can't be read at all (broken symlink, loop, name)
    document: bool = False  # read through reader.library.formats (PDF, Word, EPUB, saved page)
    stat: os.stat_result | None = None  # the file's, taken while scanning (None: not taken)

    @property
    def path(self) -> Path:
        return self.location if isinstance(self.location, Path) else Path(self.location)


def has_undecodable_bytes(name: str) -> bool:
    """Whether a name from the OS held bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which SQLite, JSON and the terminal all refuse)."""
    try:
        name.encode("utf-8")  # fails on any surrogate, in C: most names have none
    except UnicodeEncodeError:
        return any("\udc80" <= ch <= "\udcff" for ch in name)
    return False


def shown_name(name: str) -> str:
    """A name with bytes that are not UTF-8 written as ``\\xb7``: text that can be stored,
    printed and compared (the article's identity), never mistaken for the file's real name."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _leads_inside(base: Path, link: Path) -> bool:
    """Whether a symlink's target (resolved) is inside the library; a broken link counts as
    inside, so it is listed as broken."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):
        return True
    return target == base or base in target.parents


#: What the scan lists: articles and documents (lower case).
READABLE_SUFFIXES = frozenset(ARTICLE_SUFFIXES) | DOCUMENT_SUFFIXES


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()`` for a name without a leading dot, without building a
    Path: this runs for every file of every rescan."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def is_document_path(path: Path) -> bool:
    """Whether ``path`` is read as a document (``.html`` only beside its ``NAME_files/``)."""
    return _is_document()(path)


@functools.cache
def _is_document():
    from reader.library.formats import is_document  # (formats imports this module)

    return is_document


def saved_page_folders(names: set[str]) -> set[str]:
    """The ``NAME_files`` folders among ``names`` that a ``NAME.html`` (or ``.htm``) beside
    them was saved with: the page's pictures, not articles."""
    out = set()
    for name in names:
        if name.endswith("_files"):
            stem = name[: -len("_files")]
            if any(f"{stem}{suffix}" in names for suffix in (".html", ".htm", ".HTML", ".HTM")):
                out.add(name)
    return out


def in_saved_page_folder(root: Path, rel_path: str) -> bool:
    """Whether ``rel_path`` lies in the ``NAME_files/`` folder of a saved page (a sub-frame a
    browser saved there is part of the page, not an article)."""
    parts = rel_path.split("/")
    for depth, part in enumerate(parts[:-1]):
        if part.endswith("_files") and len(part) > len("_files"):
            folder = root.joinpath(*parts[:depth]) if depth else root
            names = {f"{part[: -len('_files')]}{suffix}" for suffix in (".html", ".htm", ".HTML", ".HTM")}
            if any((folder / name).is_file() for name in names):
                return True
    return False


def scan_library(root: Path, current: Mapping[str, tuple[int, int]] | None = None,
                 unchanged: list[str] | None = None) -> Iterator[Found]:
    """Yield every article file below ``root`` (hidden files and folders are skipped), each
    folder's entries by name.

    Symlinked folders are followed once each (loops are detected by device and inode).

    ``current`` maps paths to the (size, mtime_ns) a caller already knows them by: a plain
    file (not a symlink, nothing that can be a document) whose stat says the same is not
    yielded but its path appended to ``unchanged``. At 100,000 unchanged files that is most
    of a rescan: a Found each, and sorting them, cost more than the stats.
    """
    seen: set[tuple[int, int]] = set()
    try:
        info = root.stat()
        seen.add((info.st_dev, info.st_ino))
    except OSError:
        return
    base = root.resolve()
    readable, documents = READABLE_SUFFIXES, DOCUMENT_SUFFIXES  # (locals: the loops below are hot)
    plain = readable - documents  # the suffixes of files decided by their stat alone
    known = current if current is not None else {}
    keep = unchanged.append if unchanged is not None else None
    stack = [(root, "")]  # a folder and its path relative to root, "/"-joined ("" for root)
    while stack:
        folder, prefix = stack.pop()
        # First the files the caller knows, unchanged: the cheapest tests that decide, in
        # the order of the folder (this runs for every file of every rescan). The rest,
        # by name, below.
        rest = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    name = entry.name
                    rel = prefix + name
                    old = known.get(rel)
                    if old is not None and name[:1] != "." and not entry.is_symlink():
                        dot = name.rfind(".")
                        if dot > 0 and name[dot:].lower() in plain:
                            try:
                                if not entry.is_dir():
                                    info = entry.stat()
                                    if old == (info.st_size, info.st_mtime_ns):
                                        keep(rel)  # type: ignore[misc]
                                        continue
                            except OSError:
                                pass
                    rest.append(entry)
        except OSError:
            continue
        rest.sort(key=lambda e: e.name)
        page_folders = saved_page_folders({e.name for e in rest})  # (folders and pages are here)
        for entry in rest:
            # A Path is built only for folders and symlinks.
            name = entry.name
            if name[:1] == "." or name in page_folders:
                continue
            rel = prefix + name  # path.relative_to(root).as_posix(), without two more Paths
            try:
                is_dir = entry.is_dir()  # the target's, for a symlink
            except OSError:
                is_dir = False
            suffix = ""
            if not is_dir:
                suffix = _suffix(name)
                if suffix not in readable:
                    continue
            symlink = entry.is_symlink()
            path = Path(entry.path) if is_dir or symlink else None
            if symlink and not _leads_inside(base, path):
                # Nothing outside the library is ever read: the link is listed, not followed.
                yield Found(path, shown_name(rel), OUTSIDE_FOLDER if is_dir else OUTSIDE_FILE)
                continue
            if is_dir:
                try:
                    target = path.stat()
                except OSError:
                    continue
                key = (target.st_dev, target.st_ino)
                if key in seen:
                    continue  # a symlink loop or a folder linked twice
                seen.add(key)
                stack.append((path, rel + "/"))
                continue
            problem = ""
            if has_undecodable_bytes(rel):
                # Common in zip archives made on Big5 systems. The file cannot have a text
                # identity: it is listed with its problem, the rest of the library goes on.
                yield Found(entry.path, shown_name(rel), NOT_UTF8_NAME)
                continue
            info = None
            try:
                info = entry.stat()  # the target's, as Path.stat; kept for the catalog
            except FileNotFoundError:
                if symlink:
                    problem = "broken symlink: the target does not exist"
            except OSError as exc:
                if symlink:
                    problem = "symlink loop" if exc.errno == 40 else f"cannot follow symlink: {exc.strerror}"
            # Only these suffixes can be documents (a .html one beside its NAME_files/).
            document = not problem and suffix in documents and is_document_path(Path(entry.path))
            yield Found(entry.path, rel, problem, document=document, stat=info)
