"""A full index can be cancelled and resumed (issue 15): what was committed before the
cancel stays searchable, the next update indexes only the rest, and the result is the
same as an index built in one go."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search import index as index_module
from reader.search.index import Cancelled, SearchIndex
from reader.search.searching import search


def test_a_cancelled_index_resumes_where_it_stopped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(index_module, "COMMIT_EVERY", 10)  # commits as a large library's would
    library_dir = tmp_path / "library"
    library_dir.mkdir()
    for n in range(35):
        (library_dir / f"{n:02}.md").write_text(f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n", encoding="utf-8")
    library = Library(library_dir.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 25:
            cancel.set()  # the user pressed Cancel (Ctrl+C in a terminal stops the same way)

    try:
        with pytest.raises(Cancelled):
            index.update(library, catalog, progress=progress, cancel=cancel, bulk=False)
        assert seen[0] == (0, 35)
        assert search(index, "資料治理", limit=None).total == 20  # the two commits before the cancel
        again: list[tuple[int, int]] = []
        report = index.update(library, catalog, progress=lambda d, t: again.append((d, t)), bulk=False)
        assert again[0] == (0, 15) and report.added == 15  # only what was not committed
        hits = search(index, "資料治理", limit=None)
        assert hits.total == 35 and len({h.path for h in hits.hits}) == 35
    finally:
        index.close()
        catalog.close()
