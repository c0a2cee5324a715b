"""Crashes and concurrency: SIGKILL in the middle of saves and index commits, two writers,
two windows, a full disk. Nothing committed is lost; nothing is corrupted.

The loops run a few times in CI; ``pytest -m slow`` runs them hundreds of times.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.annotations.store import AnnotationStore
from reader.paths import DataPaths
from tests.conftest import ROOT, run_cli

WRITER = r"""
import sys
from pathlib import Path
from reader.annotations.selectors import TextPosition, TextQuote
from reader.annotations.store import AnnotationStore
from reader.paths import DataPaths

store = AnnotationStore.open(DataPaths(Path(sys.argv[1])))
n = 0
while True:
    n += 1
    item = store.add_highlight("/lib", f"a{n % 7}.md", TextQuote("人工智慧安全" * (1 + n % 5), "前", "後"), TextPosition(n, n + 6), note="筆記" * (n % 30))
    print(item.id, flush=True)
    if n % 3 == 0:
        store.set_note("/lib", item.id, "修改後的筆記")
"""


def kill_saves_once(data_dir: Path, rng: random.Random) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir)], stdout=subprocess.PIPE, text=True, env=env)
    committed = []
    wanted = rng.randint(1, 40)
    while len(committed) < wanted:
        line = child.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    time.sleep(rng.random() * 0.02)  # land somewhere inside the next transaction
    child.send_signal(signal.SIGKILL)
    child.wait()
    for line in child.stdout:
        committed.append(line.strip())
    child.stdout.close()
    conn = sqlite3.connect(DataPaths(data_dir).annotations_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT id FROM annotations")}
    conn.close()
    missing = [i for i in committed if i and i not in stored]
    assert missing == []
    return len(committed)


def test_sigkill_during_annotation_saves_loses_nothing_committed(data_dir: Path) -> None:
    rng = random.Random(11)
    total = sum(kill_saves_once(data_dir, rng) for _ in range(5))
    assert total > 5
    store = AnnotationStore.open(DataPaths(data_dir))  # and it opens cleanly afterwards
    assert not store.messages
    store.close()


@pytest.mark.slow
def test_sigkill_during_annotation_saves_many_times(data_dir: Path) -> None:
    rng = random.Random(12)
    for _ in range(200):
        kill_saves_once(data_dir, rng)


def _library(root: Path, count: int) -> Path:
    root.mkdir()
    rng = random.Random(5)
    words = ["人工智慧", "安全", "個人資料", "主管機關", "罰鍰", "NIST", "TEVV", "測試", "評估", "合作", "標準", "GDPR"]
    for n in range(count):
        body = "。".join("".join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(60))
        (root / f"{n:04d}.md").write_text(f"---\ntitle: 文章{n}\ndate: 2024-{1 + n % 12:02d}\n---\n\n{body}。\n", encoding="utf-8")
    return root


QUERIES = ["人工智慧", "安全", "NIST", "主管機關罰鍰", "TEVV測試", "智", "GDPR 評估", '"標準合作"']


def _answers(library: Path, data_dir: Path) -> dict[str, list[str]]:
    """What the next start answers: the same code path as ``reader search`` (open or rebuild
    the index, bring it up to date, search), in this process to keep the loop fast."""
    from reader.commands import refresh_index
    from reader.library.library import Library
    from reader.search.searching import search

    index, _ = refresh_index(Library(library.resolve(), DataPaths(data_dir)), quiet=True, timeout=30)
    try:
        return {q: sorted(h.path for h in search(index, q, limit=0, with_snippets=False).hits) for q in QUERIES}
    finally:
        index.close()


def kill_index_once(library: Path, data_dir: Path, rng: random.Random) -> None:
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "index", "--library", str(library), "--rebuild"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, start_new_session=True,
    )
    time.sleep(0.3 + rng.random() * 2.5)
    with __import__("contextlib").suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)  # the whole process group: writer and helpers
    child.wait()


def test_sigkill_during_index_commits_then_search_equals_a_fresh_rebuild(tmp_path: Path) -> None:
    library = _library(tmp_path / "lib", 450)
    fresh = _answers(library, tmp_path / "fresh")
    rng = random.Random(3)
    data_dir = tmp_path / "crashed"
    for _ in range(3):
        kill_index_once(library, data_dir, rng)
        assert _answers(library, data_dir) == fresh


@pytest.mark.slow
def test_sigkill_during_index_commits_many_times(tmp_path: Path) -> None:
    library = _library(tmp_path / "lib", 450)
    fresh = _answers(library, tmp_path / "fresh")
    rng = random.Random(4)
    for _ in range(40):
        kill_index_once(library, tmp_path / "crashed", rng)
        assert _answers(library, tmp_path / "crashed") == fresh


def test_two_index_writers_at_once_never_corrupt_or_show_a_lock_error(tmp_path: Path) -> None:
    library = _library(tmp_path / "lib", 300)
    data_dir = tmp_path / "data"
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "reader", "index", "--library", str(library), "--rebuild"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    time.sleep(0.4)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    outputs = [p.communicate(timeout=300)[1] for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert all(code in (0, 1) for code in codes) and 0 in codes
    for output in outputs:
        assert "Traceback" not in output and "LockError" not in output
    if 1 in codes:
        assert "another Reader is updating this index" in outputs[codes.index(1)]
    assert _answers(library, data_dir) == _answers(library, tmp_path / "fresh")


def test_deleted_wal_loses_no_committed_annotation(data_dir: Path) -> None:
    from reader.annotations.selectors import TextPosition, TextQuote

    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)
    made = store.add_highlight("/lib", "a.md", TextQuote("安全"), TextPosition(0, 2), note="留下")
    Path(f"{paths.annotations_db}-wal").unlink(missing_ok=True)
    store.close()
    Path(f"{paths.annotations_db}-wal").unlink(missing_ok=True)
    reopened = AnnotationStore.open(paths)
    assert reopened.get("/lib", made.id).note == "留下"
    reopened.close()


def test_truncated_segment_is_detected_and_rebuilt(tmp_path: Path) -> None:
    library = _library(tmp_path / "lib", 40)
    data_dir = tmp_path / "data"
    expected = _answers(library, tmp_path / "fresh")
    assert run_cli("index", "--library", str(library), data_dir=data_dir).returncode == 0
    index_dir = DataPaths(data_dir).index_dir(library.resolve())
    for segment in index_dir.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 3])
    result = run_cli("search", "人工智慧", "--library", str(library), "--json", "--limit", "0", data_dir=data_dir)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)["hits"]) == len(expected["人工智慧"])
    assert _answers(library, data_dir) == expected
