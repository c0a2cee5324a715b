"""The index's files on disk, read by position with one system call a read.

Whoosh reads its term tables, postings and columns by position (``StructFile.get``) through
a buffered file: a seek, then a read that refills the 8 KB buffer, about 5 µs each. A search
does hundreds of them (a term's lookup in the hash table is several), so on 10,000 articles
that was 2–3 ms of a phrase query. ``os.pread`` does the same read in one call (about 1.6 µs)
without moving the file's position. The files are not memory-mapped: the pages a search
touches would count in the window's resident memory (a 10,000-article index put 100 MB more
in RSS), where the kernel's page cache holds them anyway.

Everything else (writing, the files' format, their names) is Whoosh's own ``FileStorage``.
"""

from __future__ import annotations

import os

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


class PositionalFile(StructFile):
    """A StructFile whose positional reads are ``os.pread`` calls.

    Unlike the base class's ``get``, it leaves the file's position where it was; Whoosh's
    readers never read on after a ``get`` (they pass every position)."""

    def __init__(self, fileobj, name=None, onclose=None) -> None:
        super().__init__(fileobj, name=name, onclose=onclose)
        self._fd = fileobj.fileno()

    def get(self, position: int, length: int) -> bytes:
        if self.is_closed:  # (its descriptor number may belong to another file by now)
            raise ValueError(f"read of closed file {self._name}")
        data = os.pread(self._fd, length, position)
        while len(data) < length:  # a long read may come back in parts; stop at the end
            more = os.pread(self._fd, length - len(data), position + len(data))
            if not more:
                break
            data += more
        return data


class IndexStorage(FileStorage):
    """Whoosh's file storage, with :class:`PositionalFile` for the files it opens to read
    (where the platform has ``os.pread``)."""

    def open_file(self, name, **kwargs):
        if not hasattr(os, "pread"):
            return super().open_file(name, **kwargs)
        return PositionalFile(open(self._fpath(name), "rb"), name=name, **kwargs)


def open_index(folder: str, readonly: bool = False):
    """``whoosh.index.open_dir`` on :class:`IndexStorage`."""
    return IndexStorage(folder, readonly=readonly).open_index()


def create_index(folder: str, schema):
    """``whoosh.index.create_in`` on :class:`IndexStorage`."""
    return IndexStorage(folder).create_index(schema)
