"""reader doctor, odd file names, and files deleted while the index is being built."""

from __future__ import annotations

import json
from pathlib import Path

from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import SearchIndex
from reader.search.searching import search
from tests.conftest import run_cli


def test_doctor_reports_and_repairs(sample_library: Path, data_dir: Path) -> None:
    assert run_cli("index", "--library", str(sample_library), data_dir=data_dir).returncode == 0
    healthy = run_cli("doctor", "--library", str(sample_library), data_dir=data_dir)
    assert healthy.returncode == 0 and healthy.stdout.strip().endswith("healthy")
    (sample_library / "empty.md").write_bytes(b"")
    index_dir = DataPaths(data_dir).index_dir(sample_library.resolve())
    (index_dir / "reader-index.json").write_text('{"format": -1}', encoding="utf-8")
    sick = run_cli("doctor", "--library", str(sample_library), data_dir=data_dir)
    assert sick.returncode == 1
    assert "PROBLEM  index:" in sick.stdout and "empty.md: empty file" in sick.stdout
    repaired = run_cli("doctor", "--library", str(sample_library), "--repair", data_dir=data_dir)
    assert repaired.returncode == 0, repaired.stdout
    assert "repaired index rebuilt" in repaired.stdout and repaired.stdout.strip().endswith("healthy")


def test_odd_file_names_are_listed_on_one_line(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "line\nbreak.md").write_bytes(b"")
    (root / "é\u200b\u202e名稱.md").write_text("---\ntitle: 奇怪的名稱\n---\n內容", encoding="utf-8")
    result = run_cli("list", "--library", str(root), "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert "line\\nbreak.md: empty file" in result.stderr
    titles = sorted(a["title"] for a in json.loads(result.stdout)["articles"])
    assert titles == ["line\nbreak", "奇怪的名稱"]


def test_a_file_deleted_while_indexing_is_not_indexed(tmp_path: Path, data_dir: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(5):
        (root / f"{n}.md").write_text(f"---\ntitle: 文章{n}\n---\n\n獨特內容{n}號", encoding="utf-8")
    library = Library(root.resolve(), DataPaths(data_dir))
    catalog = library.catalog()
    catalog.rescan()
    (root / "3.md").unlink()  # gone after the catalog saw it, before the index reads it
    index = SearchIndex(library.index_dir)
    report = index.update(library, catalog)
    assert report.added == 4
    assert search(index, "獨特內容3號").total == 0
    assert search(index, "獨特內容4號").total == 1
    catalog.rescan()
    assert index.update(library, catalog).changed is False
    index.close()
    catalog.close()
