"""The command line as a person at a terminal meets it: pipes, counts, columns, help, dashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from tests.conftest import ROOT, run_cli

NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def test_a_closed_pipe_ends_quietly(data_dir: Path, sample_library: Path) -> None:
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    command = f"{sys.executable} -m reader search 人工智慧 --library {sample_library} --limit 0 | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=env, cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.stdout == "2 articles\n"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
    assert result.returncode == 0, result.stderr


def test_counts_are_singular_and_plural(data_dir: Path, sample_library: Path, tmp_path: Path) -> None:
    one = run_cli("search", "布萊切利", "--library", str(sample_library), data_dir=data_dir)
    assert one.stdout.splitlines()[0] == "1 article"
    two = run_cli("search", "人工智慧", "--library", str(sample_library), data_dir=data_dir)
    assert two.stdout.splitlines()[0] == "2 articles"
    indexed = run_cli("index", "--library", str(sample_library), data_dir=data_dir)
    assert f"{sample_library.resolve()}: 2 articles indexed" in indexed.stderr

    single = tmp_path / "single"
    single.mkdir()
    source = tmp_path / "one.txt"
    source.write_text("唯一的文章\n\n內容。", encoding="utf-8")
    imported = run_cli("import", str(source), "--library", str(single), data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.splitlines()[-1] == "1 article imported"
    listed = run_cli("list", "--library", str(single), data_dir=data_dir)
    assert listed.stdout.splitlines()[0] == f"{single.resolve()}  (1 article)"
    assert run_cli("index", "--library", str(single), data_dir=data_dir).stderr.splitlines()[-1].startswith(
        f"{single.resolve()}: 1 article indexed")


def test_plain_list_shows_every_field_in_aligned_columns(data_dir: Path, sample_library: Path) -> None:
    (sample_library / "broken.html").write_bytes(b"<html><body>\x00\x00\x00</body></html>")
    result = run_cli("list", "--library", str(sample_library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{sample_library.resolve()}  (3 articles)"
    header, rows = lines[1], lines[2:]
    assert header.split() == ["date", "title", "authors", "tags", "path", "problems"]
    mou = next(line for line in rows if f"[{MOU}]" in line)
    assert mou.startswith("2024-07  英國與美國為人工智慧安全")
    assert "林允中 編譯整理" in mou and "人工智慧, 巨量資料" in mou
    broken = next(line for line in rows if "[broken.html]" in line)
    assert "! " in broken  # its problem is shown
    # Every column starts at the same terminal cell on every line (Han characters take two).
    for column in ("authors", "tags", "path"):
        start = cells(header[:header.index(column)])
        for line in rows:
            index = next(i for i in range(len(line) + 1) if cells(line[:i]) >= start)
            assert cells(line[:index]) == start, (column, line)
            assert line[index - 2:index] == "  " and line[index] != " ", (column, line)

def test_json_list_is_unchanged(data_dir: Path, sample_library: Path) -> None:
    data = json.loads(run_cli("list", "--library", str(sample_library), "--json", data_dir=data_dir).stdout)
    assert set(data) == {"library", "articles"}
    assert set(data["articles"][0]) == {"path", "title", "date", "authors", "tags", "sources", "problems"}


def test_search_help_explains_the_syntax_and_the_json(data_dir: Path) -> None:
    text = run_cli("search", "--help", data_dir=data_dir).stdout
    for part in ("OR", "NOT", "-word" if "-word" in text else "-美國", "parentheses", '"AI Seoul Summit"', "title:",
                 "tag:", "author:", "note:", "date:2024-05..2024-08", "Limits", "--limit 0", "-- -的"):
        assert part in text, part
    assert '{"query": "...", "total": N,' in text
    assert '"hits": [{"path": "...", "title": "...", "date": "...", "score": 1.0, "snippet": "..."}]' in text


def test_a_query_starting_with_a_dash(data_dir: Path, sample_library: Path) -> None:
    failed = run_cli("search", "-的", "--library", str(sample_library), data_dir=data_dir)
    assert failed.returncode == 2
    assert 'a query that starts with "-" goes after "--", e.g.: reader search -- -的' in failed.stderr
    worked = run_cli("search", "--library", str(sample_library), "--json", "--", "-布萊切利", data_dir=data_dir)
    assert worked.returncode == 0, worked.stderr
    data = json.loads(worked.stdout)
    assert data["query"] == "-布萊切利"
    assert [hit["path"] for hit in data["hits"]] == [NIST]  # NOT 布萊切利: the other article
    several = run_cli("search", "ai", "安全", "--library", str(sample_library), data_dir=data_dir)
    assert several.returncode == 2
    assert "goes in quotes" in several.stderr


def test_importing_into_the_sample_collection_goes_to_the_users_library(data_dir: Path, tmp_path: Path) -> None:
    from reader.paths import bundled_samples_dir

    samples = bundled_samples_dir()
    before = sorted(p.name for p in samples.iterdir())
    source = tmp_path / "mine.txt"
    source.write_text("我的文章\n\n內容。", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8", HOME=str(home))
    env.pop("XDG_DOCUMENTS_DIR", None)
    result = subprocess.run([sys.executable, "-m", "reader", "import", str(source), "--library", str(samples)],
                            env=env, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    mine = home / "Documents" / "Reader Library"
    assert (mine / "mine.md").is_file()
    assert sorted(p.name for p in samples.iterdir()) == before  # nothing written into the samples
    assert f"the sample collection is read-only: imported into your library {mine}" in result.stderr
    assert "1 article imported" in result.stderr
    # It is now the library Reader uses.
    listed = subprocess.run([sys.executable, "-m", "reader", "list", "--json"], env=env, cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert [a["path"] for a in json.loads(listed.stdout)["articles"]] == ["mine.md"]
