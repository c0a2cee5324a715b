"""Extracted documents cached in the data folder, keyed by content hash and extractor version.

``<folder>/<hash[:2]>/<sha256>.<format>-<version>.json.gz``: a changed file has a new hash,
an improved extractor a new version, so either is extracted again (and annotations re-anchor
as after an edit). Entries are written atomically (a temporary file in the same folder,
fsync, rename). An entry that cannot be read back (damaged, truncated, another format) is
deleted and the file extracted again: the cache never makes a document fail. Documents whose
problem depends on this machine (no Tesseract yet, a time limit on a busy machine) are not
stored, so installing Tesseract is enough for the next scan to read the scans.

Pruning (:meth:`ExtractionCache.prune`, run by :meth:`ExtractionCache.prune_now` at most once
a day after a full rescan, and by ``reader doctor --repair``). An entry's mtime is its last
use: writing sets it, reading refreshes it (at most every few minutes; atime is unreliable on
relatime/noatime mounts). The policy:

* an entry used in the last hour is in use and is never removed, by any rule (an open
  article, a scan in another process that has not stored its catalog row yet);
* an entry of an extractor version this Reader does not have goes (nothing can read it);
* an entry no file of any known library uses (its content hash is in no catalog of the data
  folder) goes once it has not been used for a day (a file moved between two libraries is
  still found by the second one's scan);
* an entry not used for 180 days goes, used or not (catalogs of libraries that are gone);
* beyond 500 MB, the least recently used entries go until the cache fits.

Removal is an unlink: on POSIX another process that has opened the entry reads it to the end,
and one that opens it just after finds it missing and extracts the file again. Temporary
files of a write under way are left alone (a write takes seconds; only those older than an
hour, left by a crash, are removed). A read-only or full data folder removes what it can and
never raises.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reader.library.formats.document import Document
from reader.library.formats.process import Limits

MAGIC = b"reader-extraction 1\n"
_ENTRY = re.compile(r"^([0-9a-f]{64})\.([a-z0-9]+)-(\d+)\.json\.gz$")
_HOUR = 3600.0
_DAY = 24 * _HOUR
#: Reading an entry refreshes its mtime (its last use) when it is older than this.
TOUCH_AFTER_S = 600.0
#: The stamp whose mtime says when the cache was last pruned.
STAMP = ".pruned"


@dataclass(frozen=True)
class PrunePolicy:
    """What :meth:`ExtractionCache.prune` removes (see the module's docstring)."""

    in_use_s: float = _HOUR  # used more recently than this: never removed
    orphan_after_s: float = _DAY  # in no catalog and unused for this long: removed
    max_idle_s: float | None = 180 * _DAY  # unused for this long: removed
    max_bytes: int | None = 500 * 1024 * 1024  # then least recently used first
    every_s: float = _DAY  # automatic pruning at most this often


#: ``prune(keep)`` with no policy: what is stale is removed at once (as before; tests, tools).
IMMEDIATE = PrunePolicy(in_use_s=0.0, orphan_after_s=0.0, max_idle_s=None, max_bytes=None)
#: Temporary files older than this were left by a crash.
STALE_TEMP_S = _HOUR


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ExtractionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def entry_path(self, content_hash: str, extractor: str) -> Path:
        name, _, version = extractor.partition("/")
        return self.folder / content_hash[:2] / f"{content_hash}.{name}-{version or '0'}.json.gz"

    def get(self, content_hash: str, extractor: str) -> Document | None:
        """The stored document, or None (missing, or damaged: then the entry is removed)."""
        entry = self.entry_path(content_hash, extractor)
        try:
            raw = gzip.decompress(entry.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, gzip.BadGzipFile):
            self._discard(entry)
            return None
        header = MAGIC + f"{content_hash}\n{extractor}\n".encode("ascii")
        if not raw.startswith(header):
            self._discard(entry)
            return None
        try:
            doc = Document.from_json(raw[len(header):])
        except (ValueError, KeyError, TypeError, AttributeError):
            self._discard(entry)
            return None
        if doc.extractor != extractor:
            self._discard(entry)
            return None
        self._touch(entry)
        return doc

    @staticmethod
    def _touch(entry: Path) -> None:
        """Mark ``entry`` used now (its mtime), unless it was a moment ago; a read-only or
        full data folder, or an entry another process just pruned, is no matter."""
        with contextlib.suppress(OSError):
            if time.time() - entry.stat().st_mtime > TOUCH_AFTER_S:
                os.utime(entry)

    def put(self, content_hash: str, doc: Document) -> bool:
        """Store ``doc`` atomically; False when it was not stored (transient, or the data
        folder cannot be written: the cache is only a cache)."""
        if doc.transient or not doc.extractor or not re.fullmatch(r"[0-9a-f]{64}", content_hash):
            return False
        entry = self.entry_path(content_hash, doc.extractor)
        data = gzip.compress(MAGIC + f"{content_hash}\n{doc.extractor}\n".encode("ascii") + doc.to_json(), compresslevel=6, mtime=0)
        temp = None
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=entry.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, entry)
            temp = None
            return True
        except OSError:
            return False
        finally:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)

    def get_or_extract(
        self,
        path: Path,
        content_hash: str | None = None,
        progress=None,
        cancel=None,
        in_process: bool = True,
        limits: Limits | None = None,
        library: Path | None = None,
    ) -> Document:
        """The cached document of ``path``, else extract it (in a child process unless
        ``in_process`` is False) and store it. Raises only Cancelled."""
        from reader.library.formats import (
            extract,
            extract_in_process,
            extractor_for,
            problem_document,
        )

        path = Path(path)
        if content_hash is None:
            try:
                content_hash = file_hash(path)
            except OSError as exc:
                from reader.errors import os_problem

                return problem_document(path, f"cannot read: {os_problem(exc)}", transient=True)
        extractor = extractor_for(path)
        if extractor.startswith("html/"):
            # A saved page's pictures live in its NAME_files/ folder, which the page's hash
            # does not cover; reading it again is cheap, so it is never cached.
            return extract_in_process(path, progress, cancel, limits, library) if in_process else extract(path, progress, cancel, library)
        cached = self.get(content_hash, extractor)
        if cached is not None:
            return cached
        if in_process:
            doc = extract_in_process(path, progress, cancel, limits, library)
        else:
            doc = extract(path, progress, cancel, library)
        if doc.extractor == extractor:
            self.put(content_hash, doc)
        return doc

    def prune(self, keep: set[str] | None, policy: PrunePolicy = IMMEDIATE, now: float | None = None) -> int:
        """Remove what ``policy`` says is no longer worth keeping; ``keep``: the content
        hashes some library's file has (None: not known, then no entry counts as unused).
        Returns how many entries were removed. Never raises for the file system."""
        from reader.library.formats.registry import FORMATS

        current = {f.name: f.version for f in FORMATS.values()}
        now = time.time() if now is None else now
        removed = 0
        survivors: list[tuple[float, int, Path]] = []  # (last use, size, entry)
        total = 0
        try:
            buckets = [b for b in self.folder.iterdir() if not b.name.startswith(".") and b.is_dir()]
        except OSError:
            return 0
        for bucket in buckets:
            try:
                names = list(bucket.iterdir())
            except OSError:
                continue
            for entry in names:
                try:
                    info = entry.stat()
                except OSError:
                    continue
                idle = now - info.st_mtime
                if entry.name.startswith(".tmp-"):
                    if idle > max(STALE_TEMP_S, policy.in_use_s):
                        removed += self._discard(entry)
                    continue
                if idle < policy.in_use_s:
                    total += info.st_size
                    continue
                match = _ENTRY.match(entry.name)
                stale = (
                    match is None
                    or current.get(match.group(2)) != int(match.group(3))
                    or (keep is not None and match.group(1) not in keep and idle >= policy.orphan_after_s)
                    or (policy.max_idle_s is not None and idle > policy.max_idle_s)
                )
                if stale and self._discard_unused(entry, now - policy.in_use_s):
                    removed += 1
                else:
                    survivors.append((info.st_mtime, info.st_size, entry))
                    total += info.st_size
        if policy.max_bytes is not None and total > policy.max_bytes:
            for _, size, entry in sorted(survivors, key=lambda item: item[0]):
                if total <= policy.max_bytes:
                    break
                if self._discard_unused(entry, now - policy.in_use_s):
                    removed += 1
                    total -= size
        return removed

    def due(self, policy: PrunePolicy = PrunePolicy()) -> bool:
        """Whether automatic pruning is due: the cache exists and was last pruned more than
        ``policy.every_s`` ago, or never."""
        try:
            return time.time() - (self.folder / STAMP).stat().st_mtime >= policy.every_s
        except FileNotFoundError:
            return self.folder.is_dir()
        except OSError:
            return False

    def prune_now(self, keep: set[str] | None, policy: PrunePolicy = PrunePolicy()) -> int:
        """:meth:`prune` by ``policy``, and note when (the stamp :meth:`due` reads). The stamp
        is written first, so a second process scanning meanwhile does not walk it again."""
        if not self.folder.is_dir():
            return 0
        with contextlib.suppress(OSError):  # read-only or full: prune what can be pruned
            (self.folder / STAMP).touch()
        return self.prune(keep, policy)

    def _discard_unused(self, entry: Path, used_before: float) -> bool:
        """Remove ``entry`` unless it was used since ``used_before`` (another process may have
        read it since it was looked at)."""
        try:
            if entry.stat().st_mtime > used_before:
                return False
        except OSError:
            return False
        return bool(self._discard(entry))

    @staticmethod
    def _discard(entry: Path) -> int:
        try:
            entry.unlink()
            return 1
        except OSError:
            return 0
