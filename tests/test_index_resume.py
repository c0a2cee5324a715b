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


def test_edits_merge_only_small_segments(tmp_path: Path, monkeypatch) -> None:
    """Single edits each add a segment; commits merge the small ones into one and never
    rewrite a large one (Whoosh's own policy once spent minutes merging 50,000 articles)."""
    monkeypatch.setattr(index_module, "TINY_SEGMENT", 20)
    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(30)}
    with indexed_library(tmp_path, articles) as (library, catalog, index):
        def segments() -> list[int]:
            return sorted(s.doc_count_all() for s in index.open()._segments())

        assert segments() == [30]
        large = index.open()._segments()[0].segment_id()
        for n in range(5):
            path = library.root / f"{n:02}.md"
            path.write_text(path.read_text(encoding="utf-8") + f"\n修訂{n}次。\n", encoding="utf-8")
            catalog.rescan(only={path.name})
            index.update(library, catalog, only={path.name})
            assert len(segments()) <= 2  # the large one and one made of the edits
        assert large in {s.segment_id() for s in index.open()._segments()}
        assert search(index, "資料治理", limit=None).total == 30
        assert search(index, "修訂", limit=None).total == 5


def test_an_index_edited_through_keeps_no_dead_copies(tmp_path: Path, monkeypatch) -> None:
    """Every article edited again and again (a folder moved, notes on everything): the
    segments the edits empty are dropped and mostly dead ones rewritten, so the index does
    not grow a dead copy of the library with each round."""
    monkeypatch.setattr(index_module, "TINY_SEGMENT", 5)
    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(20)}
    with indexed_library(tmp_path, articles) as (library, catalog, index):
        for round_ in range(3):
            for n in range(20):
                path = library.root / f"{n:02}.md"
                path.write_text(path.read_text(encoding="utf-8") + f"\n第{round_}輪修訂。\n", encoding="utf-8")
            catalog.rescan()
            index.update(library, catalog, bulk=False)
            segments = index.open()._segments()
            assert sum(s.doc_count_all() for s in segments) <= 2 * 20, [(s.doc_count_all(), s.doc_count()) for s in segments]
        assert search(index, "資料治理", limit=None).total == 20
        assert search(index, "第2輪修訂", limit=None).total == 20
