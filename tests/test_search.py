"""Search on the sample collection: what the issue promises, through the real CLI and index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import IndexBusy, SearchIndex
from reader.search.searching import search
from tests.conftest import run_cli

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"


@pytest.fixture
def indexed(sample_library: Path, data_dir: Path):
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    yield library, catalog, index
    index.close()
    catalog.close()


def paths_for(index: SearchIndex, query: str) -> list[str]:
    return sorted(hit.path for hit in search(index, query, limit=0).hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("TEVV", [NIST]),
        ("ＮＩＳＴ", [NIST]),
        ("布萊切利", [MOU]),
        ("资讯", [MOU]),  # Simplified query, Traditional text
        ("ai", [NIST, MOU]),
        ("AI安全", [NIST]),
        ("TEVV方法", [NIST]),
        ("机构", [NIST, MOU]),  # 機構 in both
        ("evaluations", [NIST, MOU]),  # stem: NIST has "Evaluation", MOU "evaluations"
        ("智", [NIST, MOU]),
        ("AI Seoul", [NIST]),
        ('"AI Seoul Summit"', [NIST]),
        ('"Seoul AI"', []),
        ("NIST OR 布萊切利", [NIST, MOU]),
        ("AI -NIST", [MOU]),
        ("AI NOT TEVV", [MOU]),
        ("(TEVV OR MOU) 首爾", [NIST]),
        ("title:備忘錄", [MOU]),
        ("tag:人工智慧監管", [MOU]),
        ("author:林允中", [MOU]),
        ("date:2024-08", [NIST]),
        ("date:2024", [NIST, MOU]),
        ("date:2024-05..2024-07", [MOU]),
        ("2024年5月21日", [NIST]),
        ("不存在的詞語", []),
    ],
)
def test_query_forms(indexed, query: str, expected: list[str]) -> None:
    _, _, index = indexed
    assert paths_for(index, query) == expected


def test_malformed_query_falls_back_to_words_and_says_so(indexed) -> None:
    _, _, index = indexed
    result = search(index, '(TEVV AND "方法')
    assert result.fallback and "searched as words" in result.message
    assert [h.path for h in result.hits] == [NIST]


def test_title_matches_rank_above_body_matches(indexed) -> None:
    _, _, index = indexed
    hits = search(index, "備忘錄 OR 標準").hits
    assert hits[0].path == MOU  # 備忘錄 is in the MOU title; 標準 only in bodies


def test_snippet_marks_the_original_characters(indexed) -> None:
    _, _, index = indexed
    [hit] = search(index, "资讯").hits
    assert "<mark>資訊</mark>" in hit.snippet
    [hit] = search(index, "ＮＩＳＴ").hits
    assert "<mark>NIST</mark>" in hit.snippet


def test_cli_search_json(sample_library: Path, data_dir: Path) -> None:
    result = run_cli("search", "布萊切利", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "布萊切利" and data["total"] == 1
    [hit] = data["hits"]
    assert set(hit) == {"path", "title", "date", "score", "snippet"}
    assert hit["path"] == MOU and hit["date"] == "2024-07" and "<mark>布萊切利</mark>" in hit["snippet"]
    everything = json.loads(run_cli("search", "ai", "--library", str(sample_library), "--json", "--limit", "0", data_dir=data_dir).stdout)
    assert everything["total"] == 2 and len(everything["hits"]) == 2
    assert everything["hits"][0]["score"] >= everything["hits"][1]["score"]


def test_incremental_update_add_change_delete(indexed) -> None:
    library, catalog, index = indexed
    root = library.root
    (root / "new.md").write_text("---\ntitle: 新文章\n---\n\n量子運算與隱私保護。", encoding="utf-8")
    (root / NIST).write_text((root / NIST).read_text(encoding="utf-8").replace("TEVV", "T E V V"), encoding="utf-8")
    (root / MOU).unlink()
    catalog.rescan()
    report = index.update(library, catalog)
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert paths_for(index, "量子運算") == ["new.md"]
    assert paths_for(index, "TEVV") == []
    assert paths_for(index, "布萊切利") == []
    assert index.update(library, catalog).changed is False


def test_damaged_index_is_rebuilt_with_a_message(sample_library: Path, data_dir: Path) -> None:
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    index_dir = DataPaths(data_dir).index_dir(sample_library.resolve())
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:40])  # truncated
    result = run_cli("search", "TEVV", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == [NIST]
    index = run_cli("index", "--library", str(sample_library), data_dir=data_dir)
    assert "Traceback" not in index.stderr


def test_index_of_another_format_is_rebuilt(indexed) -> None:
    library, catalog, index = indexed
    index.close()
    (library.index_dir / "reader-index.json").write_text('{"format": 0}', encoding="utf-8")
    reopened = SearchIndex(library.index_dir)
    reopened.open()
    assert "format 0" in reopened.rebuilt_reason
    report = reopened.update(library, catalog)
    assert report.added == 2 and "format 0" in report.rebuilt_reason
    assert paths_for(reopened, "TEVV") == [NIST]
    reopened.close()


def test_a_second_writer_is_told_the_index_is_busy(indexed, sample_library: Path, data_dir: Path) -> None:
    library, _, index = indexed
    writer = index.writer()
    try:
        with pytest.raises(IndexBusy):
            SearchIndex(library.index_dir).writer(timeout=0.2)
        result = run_cli("index", "--library", str(sample_library), "--rebuild", data_dir=data_dir)
        assert "LockError" not in result.stderr
        search_while_busy = run_cli("search", "TEVV", "--library", str(sample_library), "--json", data_dir=data_dir)
        assert json.loads(search_while_busy.stdout)["total"] == 1
    finally:
        writer.cancel()


def test_the_shipped_folding_table_is_current() -> None:
    import json
    import unicodedata

    from reader.search.folding import TABLE_FILE, compute_table

    shipped = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    if shipped["unicode"] != unicodedata.unidata_version:
        pytest.skip(f"the table follows Unicode {shipped['unicode']}, this Python {unicodedata.unidata_version}")
    table, _ = compute_table()
    assert shipped["table"] == {chr(cp): v for cp, v in table.items()}, "run tools/make_fold_table.py"
