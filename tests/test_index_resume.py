"""A full index can be cancelled and resumed (issue 15): what was committed before the
cancel stays searchable, the next update indexes only the rest, and the result is the
same as an index built in one go."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
        if done == 35:
            cancel.set()  # the user pressed Cancel (Ctrl+C in a terminal stops the same way)

    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(45)}
    with indexed_library(tmp_path, articles, update=False) as (library, catalog, index):
        with pytest.raises(Cancelled):
            index.update(library, catalog, progress=progress, cancel=cancel, bulk=False)
        assert seen[0] == (0, 45)
        # The commits before the cancel: after 10 articles, then after 20 more.
        assert search(index, "資料治理", limit=None).total == 30
        again: list[tuple[int, int]] = []
        report = index.update(library, catalog, progress=lambda d, t: again.append((d, t)), bulk=False)
        assert again[0] == (0, 15) and report.added == 15  # only what was not committed
        hits = search(index, "資料治理", limit=None)
        assert hits.total == 45 and len({h.path for h in hits.hits}) == 45


def test_a_long_build_commits_in_growing_steps(tmp_path: Path, monkeypatch) -> None:
    """Commits after 10, 20 more, 40 more, then 40 at a time (COMMIT_GROWTH 4): 7 segments
    for 200 articles where a commit every 10 made 20, each a lookup for every query term."""
    monkeypatch.setattr(index_module, "COMMIT_EVERY", 10)
    articles = {f"{n:03}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(200)}
    with indexed_library(tmp_path, articles, update=False) as (library, catalog, index):
        index.update(library, catalog, bulk=False)
        sizes = sorted(s.doc_count() for s in index.open()._segments())
        assert sizes == [10, 10, 20, 40, 40, 40, 40], sizes
        assert search(index, "資料治理", limit=None).total == 200


def test_an_edit_never_rewrites_a_large_segment(tmp_path: Path) -> None:
    """One article of a large segment edited: the commit adds a segment of one article and
    leaves the large one as it is, its edited article marked dead. (A policy that rewrote
    segments under 2,000 live articles spent 45 s on one edit at 10,000 articles.)"""
    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(index_module.MERGE_LIMIT + 6)}
    with indexed_library(tmp_path, articles) as (library, catalog, index):
        (large,) = index.open()._segments()
        path = library.root / "00.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n修訂一次。\n", encoding="utf-8")
        catalog.rescan(only={path.name})
        index.update(library, catalog, only={path.name})
        segments = {s.segment_id(): s.doc_count() for s in index.open()._segments()}
        assert segments.pop(large.segment_id()) == len(articles) - 1
        assert list(segments.values()) == [1]
        assert search(index, "修訂一次", limit=None).total == 1
        assert search(index, "資料治理", limit=None).total == len(articles)


def test_single_edits_merge_in_tiers(tmp_path: Path, monkeypatch) -> None:
    """Forty single edits of five articles: the small segments they make are merged four of a tier at a time,
    so few wait at any moment, and the large segment is never rewritten."""
    monkeypatch.setattr(index_module, "MERGE_LIMIT", 16)  # tiers [1, 4) and [4, 16)
    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理。\n" for n in range(30)}
    with indexed_library(tmp_path, articles) as (library, catalog, index):
        (large,) = index.open()._segments()
        most = 0
        for n in range(40):
            path = library.root / f"{n % 5:02}.md"  # the large one keeps 25 live
            path.write_text(path.read_text(encoding="utf-8") + f"\n修訂{n}次。\n", encoding="utf-8")
            catalog.rescan(only={path.name})
            index.update(library, catalog, only={path.name})
            segments = index.open()._segments()
            assert large.segment_id() in {s.segment_id() for s in segments}
            small = [s.doc_count() for s in segments if s.segment_id() != large.segment_id()]
            most = max(most, len(small))
            assert len(small) <= 2 * 3 + 2, small  # three waiting per tier, and those at the limit
        assert most >= 3  # edits did wait to be merged (the policy is not "merge everything")
        assert search(index, "資料治理", limit=None).total == 30
        assert search(index, "修訂39次", limit=None).total == 1


class _Segment:
    def __init__(self, live: int, dead: int = 0) -> None:
        self.live, self.dead = live, dead

    def doc_count(self) -> int:
        return self.live

    def doc_count_all(self) -> int:
        return self.live + self.dead


@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 50)), max_size=30), st.integers(0, 70))
def test_the_merge_plan_copies_little_and_loses_no_segment(sizes, new_articles) -> None:
    segments = [_Segment(live, dead) for live, dead in sizes]
    kept, merged = index_module.merge_plan(segments, new_articles)
    assert {id(s) for s in kept} | {id(s) for s in merged} == {id(s) for s in segments if s.live}
    assert not {id(s) for s in kept} & {id(s) for s in merged}
    if merged:
        assert new_articles + sum(s.live for s in merged) <= index_module.MERGE_LIMIT
    assert all(s in kept for s in segments if s.live >= index_module.MERGE_LIMIT)  # never rewritten
    smallest = [s for s in kept if s.live < index_module.MERGE_FAN]
    if new_articles + sum(s.live for s in segments if 0 < s.live < index_module.MERGE_FAN) <= index_module.MERGE_LIMIT:
        assert len(smallest) < index_module.MERGE_FAN  # a full lowest tier is merged


def test_an_index_edited_through_keeps_no_dead_copies(tmp_path: Path, monkeypatch) -> None:
    """Every article edited again and again (a folder moved, notes on everything): the
    segments the edits empty are dropped and mostly dead ones rewritten, so the index does
    not grow a dead copy of the library with each round."""
    monkeypatch.setattr(index_module, "MERGE_LIMIT", 8)
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


def test_articles_edited_out_of_a_large_segment_are_never_found(tmp_path: Path) -> None:
    """The postings of a segment's dead articles are dropped however a term is read: whole
    lists (exact sets, ranking), positions of every document or of some, and while typing."""
    from reader.search.searching import window_search

    articles = {f"{n:02}.md": f"---\ntitle: 文章{n}\n---\n\n第{n}篇談資料治理與個人資料保護。\n" for n in range(40)}
    with indexed_library(tmp_path, articles) as (library, catalog, index):
        for n in range(0, 40, 3):  # 14 articles lose the words, in their old segment's place
            path = library.root / f"{n:02}.md"
            path.write_text(f"---\ntitle: 文章{n}\n---\n\n第{n}篇改談別的事。\n", encoding="utf-8")
            catalog.rescan(only={path.name})
            index.update(library, catalog, only={path.name})
        assert any(s.deleted_count() for s in index.open()._segments())
        live = {f"{n:02}.md" for n in range(40) if n % 3}
        for query in ("治", "資料", "資料治理", "個人資料保護", "治理 保護", "資料治理與個"):
            found = search(index, query, limit=None)
            assert {h.path for h in found.hits} == live and found.total == len(live), query
        for prefix in ("資", "資料", "資料治", "資料治理"):
            assert window_search(index, prefix).total == len(live), prefix
        assert {h.path for h in search(index, "改談", limit=None).hits} == set(articles) - live
