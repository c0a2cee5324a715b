"""A full index can be cancelled and resumed (issue 15): what was committed before the
cancel stays searchable, the next update indexes only the rest, and the result is the
same as an index built in one go."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.search import index as index_module
from reader.search.index import Cancelled
from reader.search.searching import search
from tests.indexed import indexed_library


def test_a_cancelled_index_resumes_where_it_stopped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(index_module, "COMMIT_EVERY", 10)  # commits as a large library's would
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 25:
            cancel.set()  # the user pressed Cancel (Ctrl+C in a terminal stops the same way)

    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(35)}
    with indexed_library(tmp_path, articles, update=False) as (library, catalog, index):
        with pytest.raises(Cancelled):
            index.update(library, catalog, progress=progress, cancel=cancel, bulk=False)
        assert seen[0] == (0, 35)
        assert search(index, "資料治理", limit=None).total == 20  # the two commits before the cancel
        again: list[tuple[int, int]] = []
        report = index.update(library, catalog, progress=lambda d, t: again.append((d, t)), bulk=False)
        assert again[0] == (0, 15) and report.added == 15  # only what was not committed
        hits = search(index, "資料治理", limit=None)
        assert hits.total == 35 and len({h.path for h in hits.hits}) == 35
