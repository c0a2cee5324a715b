"""Extracted documents cached in the data folder, keyed by content hash and extractor version.

``<folder>/<hash[:2]>/<sha256>.<format>-<version>.json.gz``: a changed file has a new hash,
an improved extractor a new version, so either is extracted again (and annotations re-anchor
as after an edit). Entries are written atomically (a temporary file in the same folder,
fsync, rename). An entry that cannot be read back (damaged, truncated, another format) is
deleted and the file extracted again: the cache never makes a document fail. Documents whose
problem depends on this machine (no Tesseract yet, a time limit on a busy machine) are not
stored, so installing Tesseract is enough for the next scan to read the scans.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

from reader.library.formats.document import Document
from reader.library.formats.process import Limits

MAGIC = b"reader-extraction 1\n"
_ENTRY = re.compile(r"^([0-9a-f]{64})\.([a-z0-9]+)-(\d+)\.json\.gz$")


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
        return doc

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

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose content hash is not in ``keep`` (files gone from every
        library) and entries of older extractor versions. Returns how many were deleted."""
        from reader.library.formats.registry import FORMATS

        current = {f.name: f.version for f in FORMATS.values()}
        removed = 0
        if not self.folder.is_dir():
            return 0
        for bucket in self.folder.iterdir():
            if not bucket.is_dir():
                continue
            for entry in bucket.iterdir():
                match = _ENTRY.match(entry.name)
                stale = match is None or match.group(1) not in keep or current.get(match.group(2)) != int(match.group(3))
                if entry.name.startswith(".tmp-") or stale:
                    removed += self._discard(entry)
        return removed

    @staticmethod
    def _discard(entry: Path) -> int:
        try:
            entry.unlink()
            return 1
        except OSError:
            return 0
