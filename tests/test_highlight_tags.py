"""Tags on highlights (issue 13): the store (schema v4), W3C ``tagging`` bodies in and out,
validation of hostile tags, merge semantics, and the migration of a real v3 database.

Everything runs on a real SQLite file in tmp_path and the real sample articles; exports and
imports go through the real CLI (``reader.cli.main``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader import db
from reader.annotations import backups
from reader.annotations.exchange import export_json, import_json
from reader.annotations.selectors import describe
from reader.annotations.store import MIGRATIONS, AnnotationStore
from reader.annotations.tag_search import tag_resolver
from reader.annotations.validation import MAX_TAG_CHARS, InvalidTag, clean_tags
from reader.cli import main
from reader.library.library import Library
from reader.paths import DataPaths
from reader.render.article import render_article

A, B = "000_bd272dec8418f04b.md", "001_5d55142517522224.md"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _highlight(store: AnnotationStore, library: Library, path: str, snippet: str, **kwargs):
    text = render_article(library.load(path)).text
    start = text.index(snippet)
    quote, position = describe(text, start, start + len(snippet))
    return store.add_highlight(library.key, path, quote, position, article_hash=library.load_with_hash(path)[1], **kwargs)


@pytest.fixture
def shelf(sample_library: Path, data_dir: Path):
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    store = AnnotationStore.open(library.paths)
    yield library, store
    store.close()


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# The store ------------------------------------------------------------------------------------
def test_tags_are_set_listed_filtered_and_survive_reopening(shelf) -> None:
    library, store = shelf
    first = _highlight(store, library, A, "攜手打造安全")
    second = _highlight(store, library, B, "雙方將共同開發先進人工智慧")
    tagged = store.set_tags(library.key, first.id, [" 定義 ", "AI", "ai", "", "安全"])
    assert tagged.tags == ("定義", "AI", "安全")  # trimmed; empty and repeated (AI = ai) left out
    assert tagged.revision > first.revision and tagged.modified >= first.modified
    store.set_tags(library.key, second.id, ["定義"])
    store.close()

    reopened = AnnotationStore.open(library.paths)
    try:
        assert reopened.get(library.key, first.id).tags == ("定義", "AI", "安全")
        assert reopened.tag_counts(library.key) == {"AI": 1, "安全": 1, "定義": 2}
        assert reopened.all_tags() == ["AI", "安全", "定義"]
        assert [a.id for a in reopened.with_tag(library.key, "定義")] == [first.id, second.id]
        assert [a.id for a in reopened.with_tag(library.key, "ai")] == [first.id]
        assert reopened.paths_with_tag(library.key, "定義") == {A, B}
        assert reopened.paths_with_tag(library.key, "安全") == {A}
        assert reopened.paths_with_tag("/another/library", "定義") == set()
        # Tags ride along with everything else the row carries: re-anchoring keeps them.
        [item] = [i for i in reopened.all(library.key) if i.id == first.id]
        assert item.tags == ("定義", "AI", "安全")
        reopened.set_tags(library.key, first.id, [])
        assert reopened.get(library.key, first.id).tags == ()
        assert reopened.tag_counts(library.key) == {"定義": 1}
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("tags", "problem"),
    [
        (["x" * 2**20], f"longer than {MAX_TAG_CHARS} characters (1,048,576)"),
        (["好\x07"], "control character (U+0007)"),
        (["一\n二"], "control character (U+000A)"),
        (["line\u2028sep"], "control character (U+2028)"),
        ([42], "a tag is a number, not a text"),
        ([None], "a tag is null, not a text"),
        ([["nested"]], "a tag is a list, not a text"),
        ("定義", "tags must be a list of texts"),
        (["\ud800"], "lone surrogates"),
        ([f"t{n}" for n in range(101)], "more than 100 tags"),
    ],
)
def test_hostile_tags_are_refused_with_the_problem_and_nothing_changes(shelf, tags, problem) -> None:
    library, store = shelf
    made = _highlight(store, library, A, "攜手打造安全")
    store.set_tags(library.key, made.id, ["原本"])
    with pytest.raises(InvalidTag) as caught:
        store.set_tags(library.key, made.id, tags)
    assert problem in str(caught.value) and len(str(caught.value)) < 200
    assert caught.value.exit_code == 2
    check = sqlite3.connect(library.paths.annotations_db)
    assert check.execute("SELECT tags FROM annotations").fetchall() == [('["原本"]',)]
    check.close()


def test_clean_tags_normalises_unicode_so_one_tag_is_one() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert clean_tags([composed, decomposed, "CAFÉ"]) == (composed,)


# Migration ------------------------------------------------------------------------------------
def _v3_database(paths: DataPaths) -> list[tuple]:
    """A schema-3 database made by the code path that made them (the first three migrations,
    which never change), holding three rows written as a v3 Reader wrote them."""
    paths.root.mkdir(parents=True, exist_ok=True)
    conn = db.connect(paths.annotations_db, durable=True)
    db.migrate(conn, MIGRATIONS[:3])
    assert db.schema_version(conn) == 3
    rows = [
        ("/lib", "urn:uuid:1", "a.md", "highlight", "blue", "安全", "人工智慧", "是", 12, 14, "舊筆記", "exact",
         "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", 100.0, "ab12", 3),
        ("/lib", "urn:uuid:2", "a.md", "article_note", "", None, None, None, None, None, "整篇的筆記", "exact",
         "2024-01-02T00:00:00.000Z", "2024-01-02T00:00:00.000Z", 100.0, "", 1),
        ("/other", "urn:uuid:1", "b.md", "highlight", "pink", "孤兒", "", "", None, None, "", "orphan",
         "2024-01-03T00:00:00.000Z", "2024-01-03T00:00:00.000Z", 0.0, "cd34", 7),
    ]
    with db.transaction(conn):
        conn.executemany(
            """INSERT INTO annotations (library, id, article, kind, color, exact, prefix, suffix, start, end, note,
                   state, created, modified, score, article_hash, revision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return rows


_V3_SELECT = """SELECT library, id, article, kind, color, exact, prefix, suffix, start, end, note, state, created,
                modified, score, article_hash, revision FROM annotations ORDER BY library, id"""


def test_a_v3_database_migrates_to_v4_keeping_every_row_and_backs_up_first(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    rows = _v3_database(paths)
    store = AnnotationStore.open(paths)
    try:
        assert db.schema_version(store.conn) == 4 == len(MIGRATIONS)
        assert [tuple(r) for r in store.conn.execute(_V3_SELECT)] == sorted(rows, key=lambda r: (r[0], r[1]))
        assert {r[0] for r in store.conn.execute("SELECT tags FROM annotations")} == {"[]"}
        assert [(a.id, a.tags, a.note) for a in store.all("/lib")] == [("urn:uuid:2", (), "整篇的筆記"), ("urn:uuid:1", (), "舊筆記")]
        [backup] = [p for p in backups.backups(paths.backups_dir) if "before-v4" in p.name]
        old = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        assert old.execute("PRAGMA user_version").fetchone()[0] == 3
        assert len(old.execute("SELECT * FROM annotations").fetchall()) == 3
        old.close()
        # The migrated rows take tags like new ones.
        store.set_tags("/lib", "urn:uuid:1", ["定義"])
        assert store.get("/lib", "urn:uuid:1").note == "舊筆記"
    finally:
        store.close()


def test_a_v3_database_in_a_read_only_folder_is_read_without_tags(data_dir: Path, read_only_folder) -> None:
    paths = DataPaths(data_dir)
    rows = _v3_database(paths)
    read_only_folder(data_dir)
    store = AnnotationStore.open_for_reading(paths)
    assert store is not None
    try:
        assert db.schema_version(store.conn) == 3  # not migrated: it cannot be written
        items = store.all("/lib")
        assert {(a.id, a.note, a.tags) for a in items} == {("urn:uuid:1", "舊筆記", ()), ("urn:uuid:2", "整篇的筆記", ())}
        assert store.tag_counts() == {} and store.with_tag("/lib", "x") == [] and store.paths_with_tag("/lib", "x") == set()
        assert len(rows) == 3
    finally:
        store.close()


# W3C JSON: export, import, merge --------------------------------------------------------------
def test_tags_are_exported_as_tagging_bodies_after_the_colour(shelf) -> None:
    library, store = shelf
    made = _highlight(store, library, A, "攜手打造安全", note="筆記")
    store.set_tags(library.key, made.id, ["定義", "黃 Yellow"])  # a tag may have a colour's name
    colors = {c.key: c.name for c in store.colors()}
    [item] = json.loads(export_json(store.all(library.key), colors))["items"]
    assert item["body"] == [
        {"type": "TextualBody", "value": "筆記", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "黃 Yellow", "purpose": "tagging"},
        {"type": "TextualBody", "purpose": "tagging", "value": "定義"},
        {"type": "TextualBody", "purpose": "tagging", "value": "黃 Yellow"},
    ]


def test_export_of_untagged_annotations_is_byte_for_byte_what_it_was(shelf, capsys) -> None:
    """The JSON of an annotation without tags, written out by hand as Reader wrote it before
    tags: the default export must not change by a byte."""
    library, store = shelf
    made = _highlight(store, library, A, "攜手打造安全", note="筆記")
    expected = {
        "@context": CONTEXT, "type": "AnnotationCollection", "label": "Reader annotations", "total": 1,
        "items": [{
            "@context": CONTEXT, "type": "Annotation", "id": made.id, "created": made.created, "modified": made.modified,
            "motivation": "highlighting",
            "body": [
                {"type": "TextualBody", "value": "筆記", "format": "text/markdown", "purpose": "commenting"},
                {"type": "TextualBody", "value": "黃 Yellow", "purpose": "tagging"},
            ],
            "target": {"source": A, "selector": [made.quote.to_json(), made.position.to_json()]},
            "reader:state": {"kind": "highlight", "state": "exact", "score": 100.0, "color": "yellow",
                             "library": library.key, "articleHash": made.article_hash},
        }],
    }
    code, out, _ = _cli(capsys, "annotations", "export", "--library", str(library.root), "--data-dir", str(library.paths.root))
    assert code == 0
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    code, same, _ = _cli(capsys, "annotations", "export", "--format", "json", "--library", str(library.root), "--data-dir", str(library.paths.root))
    assert same == out


def test_tags_round_trip_through_export_and_import_into_a_fresh_data_folder(shelf, tmp_path: Path, capsys) -> None:
    library, store = shelf
    first = _highlight(store, library, A, "攜手打造安全", color="green", note="定義的筆記")
    store.set_tags(library.key, first.id, ["定義", "綠 Green", "AI 安全"])
    second = _highlight(store, library, B, "雙方將共同開發先進人工智慧")
    note = store.set_article_note(library.key, B, "整篇")
    store.set_tags(library.key, note.id, ["待讀"])
    store.close()
    exported = tmp_path / "export.json"
    code, _, err = _cli(capsys, "annotations", "export", "--library", str(library.root), "--data-dir", str(library.paths.root), "-o", str(exported))
    assert code == 0 and "3 annotations exported" in err

    fresh = tmp_path / "fresh-data"
    code, _, err = _cli(capsys, "annotations", "import", str(exported), "--library", str(library.root), "--data-dir", str(fresh))
    assert code == 0 and "3 added, 0 updated, 0 unchanged, 0 rejected" in err
    other = AnnotationStore.open(DataPaths(fresh))
    try:
        by_id = {a.id: a for a in other.all(library.key)}
        assert by_id[first.id].tags == ("定義", "綠 Green", "AI 安全") and by_id[first.id].color == "green"
        assert by_id[second.id].tags == () and by_id[second.id].color == "yellow"
        assert by_id[note.id].tags == ("待讀",)
    finally:
        other.close()
    again = tmp_path / "again.json"
    _cli(capsys, "annotations", "export", "--library", str(library.root), "--data-dir", str(fresh), "-o", str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")  # nothing lost or changed
    code, _, err = _cli(capsys, "annotations", "import", str(exported), "--library", str(library.root), "--data-dir", str(fresh))
    assert "0 added, 0 updated, 3 unchanged, 0 rejected" in err


def _item(ident: str, modified: str, tags: list, color_body: str | None = "黃 Yellow", state: bool = True) -> dict:
    body = [{"type": "TextualBody", "value": color_body, "purpose": "tagging"}] if color_body is not None else []
    body += [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags]
    item = {
        "@context": CONTEXT, "type": "Annotation", "id": ident, "created": "2024-01-01T00:00:00Z", "modified": modified,
        "body": body,
        "target": {"source": A, "selector": [{"type": "TextQuoteSelector", "exact": "攜手打造安全"}]},
    }
    if state:
        item["reader:state"] = {"color": "yellow"}
    return item


def test_a_newer_item_replaces_the_tags_an_older_one_changes_nothing(shelf) -> None:
    library, store = shelf
    doc = lambda *items: json.dumps({"type": "AnnotationCollection", "items": list(items)}, ensure_ascii=False)  # noqa: E731
    assert import_json(store, doc(_item("urn:x:1", "2024-03-01T00:00:00Z", ["甲", "乙"])), library.key).added == 1
    report = import_json(store, doc(_item("urn:x:1", "2024-02-01T00:00:00Z", ["舊"])), library.key)
    assert (report.updated, report.unchanged) == (0, 1)
    assert store.get(library.key, "urn:x:1").tags == ("甲", "乙")
    report = import_json(store, doc(_item("urn:x:1", "2024-04-01T00:00:00+08:00", ["丙"])), library.key)
    assert report.updated == 1 and store.get(library.key, "urn:x:1").tags == ("丙",)
    report = import_json(store, doc(_item("urn:x:1", "2024-05-01T00:00:00Z", [])), library.key)
    assert report.updated == 1 and store.get(library.key, "urn:x:1").tags == ()  # a newer item without tags removes them
    report = import_json(store, doc(_item("urn:x:1", "2024-05-01T00:00:00Z", [])), library.key)
    assert (report.updated, report.unchanged) == (0, 1)


def test_another_tools_tagging_bodies_are_tags_and_a_colour_name_is_the_colour(shelf) -> None:
    library, store = shelf
    hypothesis_like = _item("urn:x:h", "2024-03-01T00:00:00Z", ["定義", "法規"], color_body=None, state=False)
    coloured = _item("urn:x:c", "2024-03-01T00:00:00Z", ["定義"], color_body="綠 Green", state=False)
    text = json.dumps([hypothesis_like, coloured], ensure_ascii=False)
    assert import_json(store, text, library.key).added == 2
    assert (store.get(library.key, "urn:x:h").color, store.get(library.key, "urn:x:h").tags) == ("yellow", ("定義", "法規"))
    assert (store.get(library.key, "urn:x:c").color, store.get(library.key, "urn:x:c").tags) == ("green", ("定義",))


def test_hostile_tag_bodies_are_rejected_by_item_and_the_good_ones_imported(shelf, tmp_path: Path, capsys) -> None:
    library, store = shelf
    store.close()
    bad = [
        _item("urn:x:huge", "2024-03-01T00:00:00Z", ["x" * 2**20]),
        _item("urn:x:bell", "2024-03-01T00:00:00Z", ["好\x07"]),
        _item("urn:x:number", "2024-03-01T00:00:00Z", [12]),
        _item("urn:x:object", "2024-03-01T00:00:00Z", [{"value": "x"}]),
    ]
    good = _item("urn:x:good", "2024-03-01T00:00:00Z", ["定義"])
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"type": "AnnotationCollection", "items": [*bad, good]}, ensure_ascii=False), encoding="utf-8")
    code, _, err = _cli(capsys, "annotations", "import", str(path), "--library", str(library.root), "--data-dir", str(library.paths.root))
    assert code == 1  # some items were rejected
    assert "1 added, 0 updated, 0 unchanged, 4 rejected" in err
    lines = err.splitlines()
    for number, (ident, problem) in enumerate(
            [("urn:x:huge", "longer than 200 characters"), ("urn:x:bell", "control character (U+0007)"),
             ("urn:x:number", "a tag is a number, not a text"), ("urn:x:object", "a tag is a value, not a text")], 1):
        [line] = [line for line in lines if f"({ident})" in line]
        assert f"item {number} ({ident})" in line and "tagging" in line and problem in line
        assert len(line) < 400  # the megabyte is not printed back
    reopened = AnnotationStore.open(library.paths)
    try:
        assert [(a.id, a.tags) for a in reopened.all(library.key)] == [("urn:x:good", ("定義",))]
    finally:
        reopened.close()


# htag: ----------------------------------------------------------------------------------------
def test_the_htag_resolver_answers_article_paths_from_the_store(shelf) -> None:
    library, store = shelf
    assert tag_resolver(library.paths, library.key)("定義") == frozenset()
    first = _highlight(store, library, A, "攜手打造安全")
    store.set_tags(library.key, first.id, ["定義", "AI"])
    resolver = tag_resolver(library.paths, library.key)
    assert resolver("定義") == {A} and resolver(" ai ") == {A} and resolver("沒有") == frozenset()
    assert tag_resolver(library.paths, "/elsewhere")("定義") == frozenset()


# Nothing is lost: tags ride along wherever a row goes ---------------------------------------
def test_tags_survive_re_anchoring_an_edited_article_and_the_export_of_it(shelf) -> None:
    from reader.annotations.service import current_annotations, open_article

    library, store = shelf
    made = _highlight(store, library, A, "攜手打造安全", note="筆記")
    store.set_tags(library.key, made.id, ["定義"])
    path = library.file_path(A)
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\n新加的第一段。\n\n", 1), encoding="utf-8")
    exported = current_annotations(store, library, store.all(library.key))  # computed, not written
    assert [(a.id, a.tags, a.position.start != made.position.start) for a in exported] == [(made.id, ("定義",), True)]
    _article, _rendered, _hash, items = open_article(store, library, A)  # re-anchored and saved
    assert store.anchors_written == 1
    assert [(a.id, a.tags, a.note) for a in items] == [(made.id, ("定義",), "筆記")]
    assert store.get(library.key, made.id).tags == ("定義",)


def test_undoing_a_delete_brings_the_tags_back(shelf) -> None:
    library, store = shelf
    made = store.set_tags(library.key, _highlight(store, library, A, "攜手打造安全").id, ["定義", "待查"])
    removed = store.delete(library.key, made.id)
    assert store.tag_counts(library.key) == {}
    store.put(removed)
    assert store.get(library.key, made.id).tags == ("定義", "待查")


def test_tagged_annotations_made_after_the_last_backup_are_recovered_from_a_damaged_file(data_dir: Path) -> None:
    from reader.annotations.selectors import TextPosition, TextQuote

    paths = DataPaths(data_dir)
    store = AnnotationStore.open(paths)
    before = store.add_highlight("/lib", "a.md", TextQuote("備份前"), TextPosition(0, 3), tags=["舊標籤"])
    backups.make_backup(store.conn, paths.backups_dir)
    after = store.add_highlight("/lib", "a.md", TextQuote("備份後"), TextPosition(5, 8), tags=["新標籤", "定義"])
    store.set_tags("/lib", before.id, ["改過的標籤"])
    index_page = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations_article'").fetchone()[0]
    page_size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    with open(paths.annotations_db, "r+b") as handle:  # damage the index: quick_check fails
        handle.seek((index_page - 1) * page_size)
        handle.write(b"\x00\xff" * (page_size // 2))
    reopened = AnnotationStore.open(paths)
    try:
        assert any("restored the backup" in m for m in reopened.messages)
        assert reopened.get("/lib", after.id).tags == ("新標籤", "定義")
        assert reopened.get("/lib", before.id).tags == ("改過的標籤",)  # the newer edit, not the backup's
    finally:
        reopened.close()
