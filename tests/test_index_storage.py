"""The index's files are read by position (os.pread): the same bytes as a seek and a read,
and the index a library opens really reads that way (reader.search.storage)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import SearchIndex
from reader.search.searching import search
from reader.search.storage import IndexStorage, PositionalFile

pytestmark = pytest.mark.skipif(not hasattr(os, "pread"), reason="os.pread is a POSIX call")

CONTENT = bytes(range(256)) * 40 + "個人資料保護法".encode()


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> IndexStorage:
    folder = tmp_path_factory.mktemp("storage")
    (folder / "data.bin").write_bytes(CONTENT)
    (folder / "empty.bin").write_bytes(b"")
    return IndexStorage(str(folder))


@settings(max_examples=200, deadline=None)
@given(position=st.integers(0, len(CONTENT) + 10), length=st.integers(0, 9000))
def test_a_positional_read_is_the_bytes_at_that_position(stored: IndexStorage, position: int, length: int) -> None:
    handle = stored.open_file("data.bin")
    try:
        handle.seek(5)
        assert handle.get(position, length) == CONTENT[position:position + length]
        assert handle.tell() == 5  # a positional read leaves the position alone
        assert handle.read(3) == CONTENT[5:8]
        assert handle.get_uint(0) == int.from_bytes(CONTENT[:4], "big")
    finally:
        handle.close()


def test_a_closed_file_is_not_read(stored: IndexStorage) -> None:
    """A closed file's descriptor number may be another file's by then: never read through it."""
    handle = stored.open_file("data.bin")
    handle.close()
    with open(os.devnull, "rb"), pytest.raises(ValueError):  # (the open likely reuses the number)
        handle.get(0, 4)


def test_an_empty_file_reads_as_empty(stored: IndexStorage) -> None:
    handle = stored.open_file("empty.bin")
    try:
        assert handle.get(0, 10) == b""
    finally:
        handle.close()


def test_a_library_index_reads_its_files_by_position(sample_library: Path, data_dir: Path) -> None:
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    try:
        index.update(library, catalog)
        searcher = index.searcher()
        assert isinstance(index.open().storage, IndexStorage)
        segment_files = [sub.reader()._terms._dbfile for sub, _ in searcher.leaf_searchers()]
        assert segment_files and all(isinstance(f, PositionalFile) for f in segment_files)
        assert [hit.path for hit in search(index, "布萊切利公園").hits] == ["001_5d55142517522224.md"]
        # Reopened from disk, as the next run of the program does.
        index.close()
        reopened = SearchIndex(library.index_dir)
        try:
            assert isinstance(reopened.open().storage, IndexStorage)
            assert [hit.path for hit in search(reopened, "布萊切利公園").hits] == ["001_5d55142517522224.md"]
        finally:
            reopened.close()
    finally:
        index.close()
        catalog.close()
