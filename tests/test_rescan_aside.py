"""``reader search`` and ``reader list`` rescan in a child process while they search or list
what the catalog holds (reader.library.aside). Whatever the child finds, the output is the
one a rescan first would have given: an edit made just before is found, a new file listed,
a problem said once, and a child that cannot finish leaves the rescan to the command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")

OLD = 1_600_000_000_000_000_000


def _put(path: Path, text: str, mtime_ns: int = OLD) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    _put(root / "a.md", "---\ntitle: 甲文\n---\n\n主管機關應訂定辦法。\n")
    _put(root / "b.md", "---\ntitle: 乙文\n---\n\n個人資料保護。\n")
    return root


def _search(library: Path, data_dir: Path, query: str) -> tuple[list[str], str]:
    done = run_cli("search", query, "--library", str(library), "--json", "--no-expand", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return sorted(hit["path"] for hit in json.loads(done.stdout)["hits"]), done.stderr


def test_an_edit_made_just_before_a_search_is_found(library: Path, data_dir: Path) -> None:
    assert _search(library, data_dir, "主管機關") == (["a.md"], "")
    for step in range(3):
        word = ["洗錢防制", "資通安全", "數位發展"][step]
        _put(library / "a.md", f"---\ntitle: 甲文\n---\n\n改寫：{word}。\n", OLD + step + 1)
        assert _search(library, data_dir, word) == (["a.md"], "")
        assert _search(library, data_dir, "主管機關")[0] == []
    _put(library / "c.md", "---\ntitle: 丙文\n---\n\n新的主管機關。\n")
    (library / "b.md").unlink()
    assert _search(library, data_dir, "主管機關")[0] == ["c.md"]
    assert _search(library, data_dir, "個人資料")[0] == []


def test_a_new_file_is_listed_and_a_problem_said_once(library: Path, data_dir: Path) -> None:
    def listed() -> tuple[list[str], str]:
        done = run_cli("list", "--json", "--library", str(library), data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        return sorted(a["path"] for a in json.loads(done.stdout)["articles"]), done.stderr

    assert listed() == (["a.md", "b.md"], "")
    _put(library / "new.md", "---\ntitle: 新文\n---\n\n內文。\n")
    (library / "bad.md").write_bytes(b"\xff\xfe\x00\x00" * 3)
    for _ in range(2):  # found by the child, then known to the catalog
        paths, said = listed()
        assert paths == ["a.md", "b.md", "bad.md", "new.md"]
        assert said.count("bad.md") == 1, said


def _script(body: str, library: Path, data_dir: Path) -> subprocess.CompletedProcess:
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from reader.library.aside import RescanAside
        from reader.library.library import Library
        from reader.paths import DataPaths
        library = Library(Path({str(library)!r}).resolve(), DataPaths(Path({str(data_dir)!r})))
        PARENT = os.getpid()
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_child_says_whether_it_changed_the_catalog(library: Path, data_dir: Path) -> None:
    done = _script("""
        import threading
        from reader.library.catalog import Catalog
        def outcome():
            aside, notices = RescanAside.start(library)
            assert aside is not None and notices == []
            with aside:
                pass
            return aside.wait()
        print(outcome().wrote)  # the first rescan fills the catalog
        print(outcome().wrote)  # nothing changed
        os.utime(library.root / "a.md", ns=(1_600_000_000_000_000_009,) * 2)
        print(outcome().wrote)  # a changed mtime: read again
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        print(RescanAside.start(library)[0])  # never forked beside another thread
        stop.set()
        other.join()
    """, library, data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "True", "None"]


def _with_child(library: Path, data_dir: Path, child_rescan: str, *command: str) -> subprocess.CompletedProcess:
    """``reader COMMAND`` run in a process whose child's rescan begins with ``child_rescan``
    (a statement: a delay, a failure)."""
    return _script(f"""
        import time
        from reader.library.catalog import Catalog
        rescan = Catalog.rescan
        def child_first(self, *args, **kwargs):
            if os.getpid() != PARENT:
                {child_rescan}
            return rescan(self, *args, **kwargs)
        Catalog.rescan = child_first
        from reader.cli import main
        sys.exit(main({list(command)!r} + ["--library", str(library.root), "--data-dir", {str(data_dir)!r}]))
    """, library, data_dir)


def test_a_search_made_before_a_slow_child_changed_the_catalog_is_made_again(library: Path, data_dir: Path) -> None:
    assert _search(library, data_dir, "主管機關")[0] == ["a.md"]
    _put(library / "a.md", "---\ntitle: 甲文\n---\n\n改寫：洗錢防制。\n", OLD + 7)
    # (the search beside the child is long done when it writes)
    done = _with_child(library, data_dir, "time.sleep(1.5)", "search", "洗錢防制", "--json", "--no-expand")
    assert done.returncode == 0, done.stderr
    assert [hit["path"] for hit in json.loads(done.stdout)["hits"]] == ["a.md"]
    assert done.stderr == ""


def test_a_listing_made_before_a_slow_child_changed_the_catalog_is_made_again(library: Path, data_dir: Path) -> None:
    assert run_cli("list", "--library", str(library), data_dir=data_dir).returncode == 0
    _put(library / "new.md", "---\ntitle: 新文\n---\n\n內文。\n")
    _put(library / "a.md", "---\ntitle: 甲文改\n---\n\n內文。\n", OLD + 3)
    done = _with_child(library, data_dir, "time.sleep(1.5)", "list", "--json")
    assert done.returncode == 0, done.stderr
    titles = {a["path"]: a["title"] for a in json.loads(done.stdout)["articles"]}
    assert titles == {"a.md": "甲文改", "b.md": "乙文", "new.md": "新文"}


def test_a_child_that_cannot_finish_leaves_the_rescan_to_the_command(library: Path, data_dir: Path) -> None:
    assert _search(library, data_dir, "主管機關")[0] == ["a.md"]
    _put(library / "a.md", "---\ntitle: 甲文\n---\n\n改寫：洗錢防制。\n", OLD + 7)
    done = _with_child(library, data_dir, "raise RuntimeError('the child cannot finish')", "search", "洗錢防制", "--json")
    assert done.returncode == 0, done.stderr
    assert [hit["path"] for hit in json.loads(done.stdout)["hits"]] == ["a.md"]
    assert "Traceback" not in done.stderr


def test_a_catalog_rebuilt_empty_costs_no_re_indexing(library: Path, data_dir: Path) -> None:
    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.search.index import SearchIndex

    assert _search(library, data_dir, "主管機關")[0] == ["a.md"]
    lib = Library(library.resolve(), DataPaths(data_dir))

    def generation() -> int:
        index = SearchIndex(lib.index_dir)
        try:
            return index.open().latest_generation()
        finally:
            index.close()

    before = generation()
    lib.paths.catalog_db(lib.root).write_bytes(b"not a database" * 100)  # rebuilt empty, then filled by the child
    # (the search beside the slow child sees the empty catalog: it must not bring the index in
    # line with it, deleting every article to index them all again after the child)
    done = _with_child(library, data_dir, "time.sleep(1.5)", "search", "主管機關", "--json", "--no-expand")
    assert done.returncode == 0, done.stderr
    assert [hit["path"] for hit in json.loads(done.stdout)["hits"]] == ["a.md"]
    assert "rebuilt from the files" in done.stderr
    assert generation() == before
