"""A library folder written from texts, its catalog scanned and its index built: the setup
of tests that search real indexes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.library.catalog import Catalog
from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import SearchIndex


@contextmanager
def indexed_library(root: Path, articles: dict[str, str], update: bool = True) -> Iterator[tuple[Library, Catalog, SearchIndex]]:
    """(library, catalog, index) of ``articles`` (file name -> text) in ``root``/library,
    with ``root``/data; indexed unless ``update`` is False. Closed on leaving."""
    folder = root / "library"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = Library(folder.resolve(), DataPaths(root / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    try:
        if update:
            index.update(library, catalog)
        yield library, catalog, index
    finally:
        index.close()
        catalog.close()
