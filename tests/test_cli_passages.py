"""``reader search QUERY --passages``: every occurrence, at offsets into the exported text."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_every_occurrence_of_a_query_is_listed_at_its_offsets(sample_library: Path, data_dir: Path) -> None:
    result = run_cli("search", "安全", "--passages", "--json", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total_articles", "total_passages", "articles"}
    expected = 0
    for article in data["articles"]:
        text = run_cli("export", article["path"], "--format", "text", "--library", str(sample_library), data_dir=data_dir).stdout
        expected += text.count("安全")
        for passage in article["passages"]:
            assert text[passage["start"] : passage["end"]] == "安全"
            assert "<mark>安全</mark>" in passage["text"] and "page" not in passage
        assert len(article["passages"]) == text.count("安全")
    assert data["total_passages"] == expected == sum(len(a["passages"]) for a in data["articles"])
    assert data["total_articles"] == 2


def test_passages_in_plain_text_count_and_locate(sample_library: Path, data_dir: Path) -> None:
    result = run_cli("search", "TEVV", "--passages", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.endswith("in 1 article") and "passage" in first
    assert "**TEVV**" in result.stdout and "¶" in result.stdout
