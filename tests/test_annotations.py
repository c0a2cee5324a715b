"""Annotations: anchoring through edits, the durable store, export/import, migration, recovery."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.annotations import backups
from reader.annotations.anchoring import FUZZY, MOVED, ORPHAN, anchor
from reader.annotations.exchange import export_json, import_json
from reader.annotations.selectors import describe
from reader.annotations.service import open_article
from reader.annotations.store import AnnotationStore
from reader.library.library import Library
from reader.paths import DataPaths
from tests.conftest import run_cli

MOU = "001_5d55142517522224.md"
TEXT = (
    "第一段說明背景。人工智慧安全是國際合作的重點。\n"
    "第二段討論標準。各國應制定人工智慧安全測試方法，並分享資訊。\n"
    "第三段是結論。"
)


def _selection(text: str, words: str, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return describe(text, start, start + len(words))


def test_text_inserted_before_moves_the_highlight() -> None:
    quote, position = _selection(TEXT, "制定人工智慧安全測試方法")
    edited = "新增的第零段，放在最前面。\n" + TEXT
    found = anchor(edited, quote, position)
    assert found.state == MOVED
    assert edited[found.start : found.end] == "制定人工智慧安全測試方法"


def test_typo_fixed_inside_the_quote_is_a_fuzzy_match() -> None:
    quote, position = _selection(TEXT, "制定人工智慧安全測試方法")
    edited = TEXT.replace("制定人工智慧安全測試方法", "制定人工智能安全測試方法")
    found = anchor(edited, quote, position)
    assert found.state == FUZZY and 80 <= found.score < 100
    assert edited[found.start : found.end] == "制定人工智能安全測試方法"


def test_paragraph_moved_keeps_the_highlight() -> None:
    quote, position = _selection(TEXT, "人工智慧安全是國際合作的重點")
    lines = TEXT.split("\n")
    edited = "\n".join([lines[1], lines[2], lines[0]])
    found = anchor(edited, quote, position)
    assert edited[found.start : found.end] == "人工智慧安全是國際合作的重點"


def test_deleted_quote_becomes_an_orphan() -> None:
    quote, position = _selection(TEXT, "各國應制定人工智慧安全測試方法")
    edited = TEXT.replace("各國應制定人工智慧安全測試方法，並分享資訊。", "（本段已刪除）")
    assert anchor(edited, quote, position).state == ORPHAN


def test_repeated_phrase_chooses_the_occurrence_by_context() -> None:
    quote, position = _selection(TEXT, "人工智慧安全", nth=1)  # the one in the second paragraph
    edited = "前言。\n" + TEXT.replace("第一段說明背景。", "第一段說明背景，並補充更多的文字。")
    found = anchor(edited, quote, position)
    second = edited.index("人工智慧安全", edited.index("第二段"))
    assert found.start == second


@pytest.fixture
def store(data_dir: Path):
    store = AnnotationStore.open(DataPaths(data_dir))
    yield store
    store.close()


def test_store_keeps_everything_across_reopen(store: AnnotationStore, data_dir: Path) -> None:
    quote, position = _selection(TEXT, "人工智慧安全")
    made = store.add_highlight("/lib", "a.md", quote, position, color="green", note="定義")
    store.set_article_note("/lib", "a.md", "整篇的筆記")
    store.close()
    reopened = AnnotationStore.open(DataPaths(data_dir))
    [again] = reopened.for_article("/lib", "a.md")
    assert (again.id, again.color, again.note, again.quote, again.position) == (made.id, "green", "定義", quote, position)
    assert reopened.article_note("/lib", "a.md").note == "整篇的筆記"
    reopened.close()


def test_delete_and_undo(store: AnnotationStore) -> None:
    quote, position = _selection(TEXT, "人工智慧安全")
    made = store.add_highlight("/lib", "a.md", quote, position)
    removed = store.delete("/lib", made.id)
    assert store.for_article("/lib", "a.md") == []
    store.put(removed)
    assert store.for_article("/lib", "a.md") == [made]


def test_export_import_round_trip_and_merge_by_modified(store: AnnotationStore, data_dir: Path, tmp_path: Path) -> None:
    quote, position = _selection(TEXT, "人工智慧安全")
    made = store.add_highlight("/lib", "a.md", quote, position, note="重點")
    store.set_article_note("/lib", "a.md", "全文筆記")
    names = {c.key: c.name for c in store.colors()}
    exported = export_json(store.all("/lib"), names)
    data = json.loads(exported)
    [item] = [i for i in data["items"] if i["motivation"] == "highlighting" or i["target"].get("selector")]
    assert item["type"] == "Annotation" and item["id"] == made.id
    assert {s["type"] for s in item["target"]["selector"]} == {"TextQuoteSelector", "TextPositionSelector"}
    assert {"type": "TextualBody", "value": "黃 Yellow", "purpose": "tagging"} in item["body"]

    other = AnnotationStore.open(DataPaths(tmp_path / "other"))
    first = import_json(other, exported, "/lib")
    assert (first.added, first.updated) == (2, 0)
    assert import_json(other, exported, "/lib").unchanged == 2  # idempotent
    assert export_json(other.all("/lib"), names) == exported  # round-trips exactly

    store.set_note("/lib", made.id, "較新的筆記")
    newer = export_json(store.all("/lib"), names)
    older = export_json(other.all("/lib"), names)
    assert import_json(other, newer, "/lib").updated == 1
    assert other.get("/lib", made.id).note == "較新的筆記"
    assert import_json(other, older, "/lib").updated == 0  # an older export does not win
    assert other.get("/lib", made.id).note == "較新的筆記"
    other.close()


def test_migration_from_the_first_schema_keeps_data_and_backs_up(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    conn = sqlite3.connect(paths.annotations_db)
    conn.executescript(
        """CREATE TABLE annotations (id TEXT PRIMARY KEY, library TEXT NOT NULL, article TEXT NOT NULL,
           kind TEXT NOT NULL CHECK (kind IN ('highlight', 'article_note')), color TEXT NOT NULL DEFAULT 'yellow',
           exact TEXT, prefix TEXT, suffix TEXT, start INTEGER, end INTEGER, note TEXT NOT NULL DEFAULT '',
           state TEXT NOT NULL DEFAULT 'exact', created TEXT NOT NULL, modified TEXT NOT NULL);
           CREATE INDEX annotations_article ON annotations (library, article);
           INSERT INTO annotations VALUES ('urn:uuid:1', '/lib', 'a.md', 'highlight', 'blue', '安全', '人工智慧', '是', 12, 14, '舊筆記', 'exact', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
           PRAGMA user_version = 1;"""
    )
    conn.close()
    store = AnnotationStore.open(paths)
    [item] = store.all("/lib")
    assert (item.note, item.color, item.quote.exact, item.score) == ("舊筆記", "blue", "安全", 100.0)
    assert any("before-v2" in p.name for p in backups.backups(paths.backups_dir))
    store.close()


def test_damaged_database_is_restored_from_the_newest_backup(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)  # the first open makes the daily backup
    quote, position = _selection(TEXT, "人工智慧安全")
    store.add_highlight("/lib", "a.md", quote, position, note="備份前")
    backups.make_backup(store.conn, paths.backups_dir)
    store.close()
    raw = bytearray(paths.annotations_db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    paths.annotations_db.write_bytes(bytes(raw))
    reopened = AnnotationStore.open(paths)
    assert reopened.messages and "restored the backup of" in reopened.messages[0]
    assert [a.note for a in reopened.all("/lib")] == ["備份前"]
    assert list(data_dir.glob("annotations.damaged-*"))
    reopened.close()


def test_database_from_a_newer_version_opens_read_only(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    AnnotationStore.open(paths).close()
    conn = sqlite3.connect(paths.annotations_db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    store = AnnotationStore.open(paths)
    assert store.read_only and "newer version" in store.messages[0]
    quote, position = _selection(TEXT, "人工智慧安全")
    with pytest.raises(Exception, match="read-only"):
        store.add_highlight("/lib", "a.md", quote, position)
    store.close()


def test_backups_rotate_to_fourteen(store: AnnotationStore, data_dir: Path) -> None:
    folder = DataPaths(data_dir).backups_dir
    for _ in range(20):
        backups.make_backup(store.conn, folder)
    kept = backups.backups(folder)
    assert len(kept) == 14 and all(backups.integrity_ok(p) for p in kept)


def _highlighted(sample_library: Path, data_dir: Path, words: str, **fields):
    """(library, open store) with one highlight of ``words`` in the MOU article."""
    paths = DataPaths(data_dir)
    library = Library(sample_library.resolve(), paths)
    store = AnnotationStore.open(paths)
    _, rendered, content_hash, _ = open_article(store, library, MOU)
    quote, position = _selection(rendered.text, words)
    store.add_highlight(str(library.root), MOU, quote, position, article_hash=content_hash, **fields)
    return library, store


def test_highlight_survives_a_paragraph_inserted_in_the_article_file(sample_library: Path, data_dir: Path) -> None:
    _library, store = _highlighted(sample_library, data_dir, "布萊切利公園", note="會議地點")
    store.close()

    path = sample_library / MOU
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n\n英國技術大臣", "\n\n這是新插入的一段文字，放在文章最前面。\n\n英國技術大臣", 1), encoding="utf-8")

    exported = json.loads(run_cli("annotations", "export", "--library", str(sample_library), data_dir=data_dir).stdout)
    [item] = exported["items"]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    plain = run_cli("export", MOU, "--library", str(sample_library), "--format", "text", data_dir=data_dir).stdout
    start, end = selectors["TextPositionSelector"]["start"], selectors["TextPositionSelector"]["end"]
    assert plain[start:end] == "布萊切利公園"
    assert item["reader:state"]["state"] == "moved"
    html = run_cli("export", MOU, "--library", str(sample_library), "--format", "html", data_dir=data_dir).stdout
    assert "布萊切利公園</mark>" in html and "會議地點" in html and 'href="#note-1"' in html


def test_renamed_article_keeps_its_annotations(sample_library: Path, data_dir: Path) -> None:
    library, store = _highlighted(sample_library, data_dir, "布萊切利公園")
    (sample_library / MOU).rename(sample_library / "renamed.md")
    catalog = library.catalog()
    catalog.rescan()
    present = {e.article.path: e.content_hash for e in catalog.entries()}
    assert store.follow_renames(str(library.root), present) == 1
    assert [a.article for a in store.all(str(library.root))] == ["renamed.md"]
    catalog.close()
    store.close()


def test_markdown_export_groups_by_article(sample_library: Path, data_dir: Path) -> None:
    _library, store = _highlighted(sample_library, data_dir, "聯合測試演習", color="pink", note="實務重點")
    store.rename_color("pink", "義務")
    store.close()
    out = run_cli("annotations", "export", "--library", str(sample_library), "--format", "markdown", data_dir=data_dir).stdout
    assert "## 英國與美國為人工智慧安全共同開發簽署合作備忘錄" in out
    assert "> 聯合測試演習" in out and "— *義務* · 第 4 段: 實務重點" in out and "2024-07" in out
    assert "〈英國與美國為人工智慧安全共同開發簽署合作備忘錄〉，2024年7月，第4段。" in out  # the citation, located
