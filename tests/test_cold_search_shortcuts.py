"""What a cold ``reader search`` skips, and when it must not (issue 15).

- A rescan decides a plain file by its stat alone, without building anything for it: the
  catalog it leaves must be the one a rescan from nothing makes, whatever happened to the
  folder (an oracle over random changes).
- An index update that has nothing to do says so from a digest of what it would compare
  (the catalog's versions, the notes, the edits) kept with the index generation: any change
  to one of them, or a record that is not this index's, makes it compare everything.
- A search's expansions are kept with the index, per generation, decisions file and law
  list: a rejected pair, a new article's gloss, a damaged decisions file are all seen.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.catalog import Catalog
from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.expansion import EXPANSIONS_FILE, search_glossary
from reader.search.index import IN_STEP_FILE, VERSIONS_FILE, SearchIndex
from reader.search.searching import search
from tests.conftest import SAMPLES, run_cli

OLD = 1_600_000_000_000_000_000  # an mtime long before any scan (not "racy": see RACY_NS)


def _article(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def _put(path: Path, text: str, mtime_ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def _state(catalog: Catalog) -> dict[str, tuple]:
    return {e.article.path: (e.article.title, e.content_hash, tuple(e.article.problems), e.size, e.mtime_ns)
            for e in catalog.entries()}


# --- the rescan's stat-only path ------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "same_size", "resize", "delete", "rename", "to_folder", "link", "hide", "touch"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(OPS, min_size=1, max_size=4))
def test_a_rescan_after_any_changes_leaves_the_catalog_a_rescan_from_nothing_makes(batches) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        root.mkdir()
        clock = [OLD]

        def tick() -> int:
            clock[0] += 1_000_000_007  # each write its own mtime, all long past
            return clock[0]

        for n in range(4):
            _put(root / f"{n}.md", _article(f"標題{n}", f"內文{n}。"), tick())
        kept = Catalog(Path(tmp) / "kept.sqlite3", root)
        kept.rescan()
        for step, batch in enumerate(batches):
            for op, n in batch:
                name = root / f"{n}.md"
                if op == "add" and not name.is_dir():
                    _put(name, _article(f"新{n}-{step}", "新的內文。"), tick())
                elif op == "same_size" and name.is_file() and not name.is_symlink():
                    text = name.read_text(encoding="utf-8")
                    # Same length, other content, another mtime (an editor saving in place).
                    _put(name, text[:-2] + ("乙" if text[-2] != "乙" else "丙") + "\n", tick())
                elif op == "resize" and name.is_file() and not name.is_symlink():
                    _put(name, name.read_text(encoding="utf-8") + "多一段。\n", tick())
                elif op == "delete" and (name.is_file() or name.is_symlink()):
                    name.unlink()
                elif op == "rename" and name.is_file() and not name.is_symlink():
                    name.rename(root / f"r{n}-{step}.md")
                elif op == "to_folder" and name.is_file() and not name.is_symlink():
                    name.unlink()
                    _put(name / "inside.md", _article("資料夾內", "內文。"), tick())
                elif op == "link" and not name.exists() and not name.is_symlink():
                    targets = sorted(p for p in root.glob("*.md") if p.is_file() and not p.is_symlink())
                    if targets:
                        name.symlink_to(targets[0].name)
                elif op == "hide" and name.is_file() and not name.is_symlink():
                    name.rename(root / f".{n}.md")
                elif op == "touch" and name.is_file() and not name.is_symlink():
                    stamp = tick()
                    os.utime(name, ns=(stamp, stamp))
            kept.rescan()
            fresh = Catalog(Path(tmp) / f"fresh{step}.sqlite3", root)
            fresh.rescan()
            assert _state(kept) == _state(fresh)
            fresh.close()
        kept.close()


def test_a_file_with_a_problem_is_reported_at_every_rescan(tmp_path: Path) -> None:
    root = tmp_path / "library"
    _put(root / "good.md", _article("好", "內文。"), OLD)
    (root / "bad.md").write_bytes(b"\xff\xfe\x00\x00" * 3)  # not text
    os.utime(root / "bad.md", ns=(OLD, OLD))
    catalog = Catalog(tmp_path / "c.sqlite3", root)
    first = catalog.rescan()
    again = catalog.rescan()
    assert [p for p, _ in first.problems] == [p for p, _ in again.problems] == ["bad.md"]
    assert again.unchanged == 2 and not again.touched


def test_a_stale_row_of_a_file_that_became_a_folder_is_removed(tmp_path: Path) -> None:
    root = tmp_path / "library"
    _put(root / "a.md", _article("甲", "內文。"), OLD)
    catalog = Catalog(tmp_path / "c.sqlite3", root)
    catalog.rescan()
    (root / "a.md").unlink()
    _put(root / "a.md" / "b.md", _article("乙", "內文。"), OLD)
    report = catalog.rescan()
    assert report.removed == ["a.md"] and report.added == ["a.md/b.md"]


# --- the index update that has nothing to do ------------------------------------------------

@pytest.fixture
def indexed(tmp_path: Path):
    root = tmp_path / "library"
    _put(root / "a.md", _article("甲文", "主管機關應訂定辦法。"), OLD)
    _put(root / "b.md", _article("乙文", "個人資料保護。"), OLD)
    library = Library(root.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog, notes_for={})
    assert index.update(library, catalog, notes_for={}).changed is False  # compared: in step
    yield library, catalog, index
    index.close()
    catalog.close()


def _paths(index: SearchIndex, query: str) -> list[str]:
    return sorted(hit.path for hit in search(index, query, limit=0).hits)


def test_a_new_note_is_indexed_though_nothing_else_changed(indexed) -> None:
    library, catalog, index = indexed
    assert (index.dir / IN_STEP_FILE).exists()
    report = index.update(library, catalog, notes_for={"b.md": "我的筆記提到洗錢防制"})
    assert report.updated == 1
    assert _paths(index, "note:洗錢防制") == ["b.md"]
    report = index.update(library, catalog, notes_for={})  # the note deleted again
    assert report.updated == 1 and _paths(index, "note:洗錢防制") == []


def test_a_changed_article_is_indexed_when_another_catalog_changed_it(indexed) -> None:
    library, catalog, index = indexed
    _put(library.root / "a.md", _article("甲文", "改寫後提到洗錢防制。"), OLD + 5)
    other = library.catalog()  # another process's rescan
    other.rescan()
    other.close()
    assert index.update(library, catalog, notes_for={}).updated == 1
    assert _paths(index, "洗錢防制") == ["a.md"]


def test_an_edited_title_is_indexed(indexed) -> None:
    library, catalog, index = indexed
    library.metadata_edits().save("a.md", {"title": "編輯後的標題"})
    assert index.update(library, catalog, notes_for={}).updated == 1
    assert _paths(index, "title:編輯後") == ["a.md"]


def test_the_record_is_trusted_only_for_its_own_generation_and_inputs(indexed) -> None:
    library, catalog, index = indexed
    # With the record, the manifest is not even read: its damage goes unnoticed...
    (index.dir / VERSIONS_FILE).write_text("{damaged", encoding="utf-8")
    report = index.update(library, catalog, notes_for={})
    assert report.notices == [] and not report.changed
    # ...until something changed: then everything is compared, and the damage is said.
    _put(library.root / "c.md", _article("丙文", "新文章談洗錢防制。"), OLD + 9)
    catalog.rescan()
    report = index.update(library, catalog, notes_for={})
    assert report.added == 1 and any("damaged" in n for n in report.notices)
    assert _paths(index, "洗錢防制") == ["c.md"]


@pytest.mark.parametrize("record", ["{damaged", '{"in_step": 7}', '{"in_step": "0:0000"}', "[]"])
def test_a_forged_or_damaged_record_only_costs_a_full_comparison(indexed, record: str) -> None:
    library, catalog, index = indexed
    # The article changes behind the catalog's back of this update (no rescan is needed:
    # the catalog row changes), and the record is replaced.
    _put(library.root / "a.md", _article("甲文", "提到洗錢防制。"), OLD + 3)
    catalog.rescan()
    (index.dir / IN_STEP_FILE).write_text(record, encoding="utf-8")
    assert index.update(library, catalog, notes_for={}).updated == 1
    assert _paths(index, "洗錢防制") == ["a.md"]


def test_a_function_for_notes_always_compares(indexed) -> None:
    library, catalog, index = indexed
    report = index.update(library, catalog, notes_for=lambda path: "函式給的筆記" if path == "a.md" else "")
    assert report.updated == 1 and _paths(index, "note:函式給的筆記") == ["a.md"]


# --- the expansions kept with the index -----------------------------------------------------

def _json(done) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    lib = tmp_path / "samples"
    shutil.copytree(SAMPLES, lib)
    return lib


def test_a_pair_rejected_after_a_search_is_not_used_by_the_next(samples: Path, data_dir: Path) -> None:
    from reader.legal.glossary import save_decisions

    first = _json(run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir))
    assert first["expansions"] and any(data_dir.glob(f"libraries/*/index/{EXPANSIONS_FILE}"))
    save_decisions(data_dir / "terms.json", [], [("美國國家標準暨技術研究院", "NIST")])
    assert _json(run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir))["expansions"] == []
    (data_dir / "terms.json").unlink()
    assert _json(run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir))["expansions"] == first["expansions"]


def test_a_damaged_decisions_file_is_said_at_every_search(samples: Path, data_dir: Path) -> None:
    (data_dir / "terms.json").write_text("{damaged", encoding="utf-8")
    for _ in range(2):
        done = run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir)
        assert done.returncode == 0 and "terms.json" in done.stderr
        assert _json(done)["expansions"]  # the learned terms still expand


def test_a_new_articles_gloss_expands_the_next_search(samples: Path, data_dir: Path) -> None:
    assert _json(run_cli("search", "FSC", "--library", str(samples), "--json", data_dir=data_dir))["expansions"] == []
    text = _article("金融監理", "金融監督管理委員會（Financial Supervisory Commission, FSC）發布指引。金融監督管理委員會表示……")
    (samples / "fsc.md").write_text(text, encoding="utf-8")
    found = _json(run_cli("search", "FSC", "--library", str(samples), "--json", data_dir=data_dir))
    assert found["expansions"] and "金融監督管理委員會" in found["expansions"][0]["also"]


@pytest.mark.parametrize("kept", ["{damaged", '{"key": "x", "table": {}}', "KEY_WITH_BAD_TABLE"])
def test_a_kept_table_of_another_key_or_shape_is_built_again(tmp_path: Path, kept: str) -> None:
    library = Library(SAMPLES.resolve(), DataPaths(tmp_path / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    expected = search_glossary(index, tmp_path / "data").expansions("NIST")
    path = index.dir / EXPANSIONS_FILE
    if kept == "KEY_WITH_BAD_TABLE":
        key = json.loads(path.read_text(encoding="utf-8"))["key"]
        kept = json.dumps({"key": key, "table": {"nist": "not a list"}})
    path.write_text(kept, encoding="utf-8")
    assert expected and search_glossary(index, tmp_path / "data").expansions("NIST") == expected
    index.close()
    catalog.close()


# --- hostile cache files (found by review) --------------------------------------------------

@pytest.mark.parametrize("name", [IN_STEP_FILE, VERSIONS_FILE, EXPANSIONS_FILE])
def test_a_cache_file_nested_too_deeply_is_only_a_cache(samples: Path, data_dir: Path, name: str) -> None:
    assert _json(run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir))["total"] == 1
    (folder,) = data_dir.glob("libraries/*/index")
    (folder / name).write_text('{"key": ' + "[" * 200_000, encoding="utf-8")
    if name == VERSIONS_FILE:
        (folder / IN_STEP_FILE).unlink(missing_ok=True)  # (else the versions are not read at all)
    for _ in range(2):
        done = run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert _json(done)["total"] == 1 and _json(done)["expansions"]
    assert run_cli("index", "--library", str(samples), data_dir=data_dir).returncode == 0


def test_a_decisions_file_nested_too_deeply_is_named_and_the_search_goes_on(samples: Path, data_dir: Path) -> None:
    (data_dir / "terms.json").write_text("[" * 200_000, encoding="utf-8")
    done = run_cli("search", "NIST", "--library", str(samples), "--json", data_dir=data_dir)
    assert done.returncode == 0 and "terms.json" in done.stderr and "Traceback" not in done.stderr
    assert _json(done)["expansions"]  # the learned terms


def test_the_kept_expansions_are_made_from_the_decisions_their_key_names(tmp_path: Path, monkeypatch) -> None:
    from reader.legal.glossary import save_decisions
    from reader.search import expansion

    data = tmp_path / "data"
    data.mkdir()
    library = Library(SAMPLES.resolve(), DataPaths(data))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    nist = search_glossary(index, data).expansions("NIST")
    assert nist
    # The Terms view rejects the pair while a search builds the table (between reading the
    # decisions for the key and building): the table is of the bytes the key names.
    build = expansion.index_glossary

    def saved_meanwhile(*args, **kwargs):
        save_decisions(data / "terms.json", [], [("美國國家標準暨技術研究院", "NIST")])
        return build(*args, **kwargs)

    (index.dir / EXPANSIONS_FILE).unlink()  # (so that this search builds its table)
    monkeypatch.setattr(expansion, "index_glossary", saved_meanwhile)
    assert search_glossary(index, data).expansions("NIST") == nist  # as the decisions were when it began
    assert (data / "terms.json").exists()
    monkeypatch.setattr(expansion, "index_glossary", build)
    assert search_glossary(index, data).expansions("NIST") == []  # the rejection, once searched again
    (data / "terms.json").unlink()  # undone: the file says what it said when the race began
    assert search_glossary(index, data).expansions("NIST") == nist
    index.close()
    catalog.close()


def test_the_scans_document_suffixes_are_the_formats() -> None:
    # (kept apart so that a rescan need not import every format's module)
    from reader.library.formats import DOCUMENT_SUFFIXES
    from reader.library.formats.web import HTML_SUFFIXES
    from reader.library.model import DOCUMENT_SUFFIXES as SCANNED

    assert frozenset(DOCUMENT_SUFFIXES) | {s.lower() for s in HTML_SUFFIXES} == SCANNED
