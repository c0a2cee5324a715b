"""A rescan's new and changed articles are indexed in the indexing process when they are many
or when they are few but long: one 300-page PDF indexed on a thread held the interpreter long
enough to stall the window for 89-136 ms (tests/benchmarks/bench_extract_window.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from reader.library.catalog import Catalog  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.ui.session import PROCESS_INDEX_BYTES, PROCESS_INDEX_MIN, index_weight  # noqa: E402


def _article(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: 2024-05-17\n---\n\n{body}\n"


def _scan(tmp_path: Path, library: Path):
    catalog = Catalog(DataPaths(tmp_path / "data").catalog_db(library), library)
    return catalog, catalog.rescan()


def test_a_few_short_articles_are_indexed_on_the_thread(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    for n in range(3):
        (library / f"{n}.md").write_text(_article(f"短文{n}", "個人資料保護法第六條。"), encoding="utf-8")
    catalog, report = _scan(tmp_path, library)
    try:
        assert index_weight(catalog, report) == 3
    finally:
        catalog.close()


def test_one_long_article_goes_to_the_indexing_process(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "short.md").write_text(_article("短文", "一段。"), encoding="utf-8")
    paragraph = "人工智慧基本法草案規定風險分級與透明度義務。" * 20
    long_body = "\n\n".join(paragraph for _ in range(PROCESS_INDEX_BYTES // len(paragraph.encode()) + 1))
    (library / "long.md").write_text(_article("長文", long_body), encoding="utf-8")
    catalog, report = _scan(tmp_path, library)
    try:
        assert sorted(report.added) == ["long.md", "short.md"]
        assert index_weight(catalog, report) >= PROCESS_INDEX_MIN
    finally:
        catalog.close()


def test_a_changed_long_article_counts_too_and_many_count_as_many(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    big = library / "long.md"
    big.write_text(_article("長文", "短。"), encoding="utf-8")
    for n in range(PROCESS_INDEX_MIN + 5):
        (library / f"{n:03}.md").write_text(_article(f"短文{n}", "一段。"), encoding="utf-8")
    catalog, report = _scan(tmp_path, library)
    try:
        assert index_weight(catalog, report) == PROCESS_INDEX_MIN + 6  # many: their number
        before = big.stat().st_mtime_ns
        big.write_text(_article("長文", "很長的一段。" * (PROCESS_INDEX_BYTES // 10)), encoding="utf-8")
        os.utime(big, ns=(before + 2_000_000_000, before + 2_000_000_000))
        report = catalog.rescan()
        assert report.changed == ["long.md"]
        assert index_weight(catalog, report) >= PROCESS_INDEX_MIN
    finally:
        catalog.close()
