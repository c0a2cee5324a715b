"""``reader list`` and the rescan under it, made fast for 100,000 articles: the JSON is the
standard library's, byte for byte; nothing shared between rows leaks from one entry to
another; the order and the names the scan finds are as before."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.jsontext import dumps
from reader.library.scanning import has_undecodable_bytes

TEXTS = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True, allow_infinity=True) | TEXTS
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_json_printed_is_the_standard_librarys_byte_for_byte(value) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["path", "title", "authors", "會", ""]), min_size=1, max_size=4, unique=True).flatmap(
    lambda keys: st.lists(st.fixed_dictionaries({key: VALUES for key in keys}) | VALUES, min_size=2, max_size=5)))
def test_a_list_of_records_with_the_same_keys_is_the_standard_librarys_too(records) -> None:
    # (reader list's articles: each key written once for all; any other list as before)
    assert dumps(records) == json.dumps(records, ensure_ascii=False, indent=2)
    assert dumps({"articles": records}) == json.dumps({"articles": records}, ensure_ascii=False, indent=2)


def test_what_the_fast_writer_does_not_know_goes_to_the_standard_library() -> None:
    odd = {"a": {1: "one", None: [1.5, math.inf]}, "b": [{"x": ("y", "z")}], "c": []}
    assert dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)
    loop: list = []
    loop.append(loop)
    for bad in (loop, {"s": {1, 2}}):
        try:
            json.dumps(bad, ensure_ascii=False, indent=2)
        except (ValueError, TypeError) as expected:
            kind = type(expected)
        try:
            dumps(bad)
        except kind:
            continue
        raise AssertionError("the fast writer accepted what json refuses")


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=20))
def test_a_name_has_undecodable_bytes_exactly_when_it_holds_an_escaped_byte(name: str) -> None:
    assert has_undecodable_bytes(name) == any("\udc80" <= ch <= "\udcff" for ch in name)


def _article(folder, name: str, title: str, date: str, tags: str) -> None:
    (folder / name).write_text(f"---\ntitle: {title}\ndate: {date}\ntags: [{tags}]\nauthors: [編輯部]\n---\n\n內文。\n", encoding="utf-8")


def test_list_json_orders_newest_first_then_by_path_and_rows_share_no_lists(tmp_path, capsys) -> None:
    library, data = tmp_path / "lib", tmp_path / "data"
    (library / "sub").mkdir(parents=True)
    _article(library, "a.md", "甲", "2024-05", "人工智慧, 隱私")
    _article(library, "b.md", "乙", "2024-05", "人工智慧, 隱私")
    _article(library / "sub", "c.md", "丙", "2025-01", "人工智慧, 隱私")
    (library / "d.md").write_text("沒有日期的文章。\n", encoding="utf-8")
    args = ["--library", str(library), "--data-dir", str(data)]
    for _ in range(2):  # the first call fills the catalog, the second reads it back
        assert main(["list", "--json", *args]) == 0
        listed = json.loads(capsys.readouterr().out)["articles"]
        assert [a["path"] for a in listed] == ["sub/c.md", "b.md", "a.md", "d.md"]
        assert [a["tags"] for a in listed[:3]] == [["人工智慧", "隱私"]] * 3

    from reader.library.library import Library
    from reader.paths import DataPaths

    catalog = Library(library, DataPaths(data)).catalog()
    try:
        tagged = [entry.article for entry in catalog.entries() if entry.article.tags]
        assert len(tagged) == 3 and all(a.tags == ["人工智慧", "隱私"] and a.authors == ["編輯部"] for a in tagged)
        tagged[1].tags.append("只在乙")  # equal values are parsed once, never shared
        tagged[1].authors.append("只在乙")
        for other in (tagged[0], tagged[2]):
            assert other.tags == ["人工智慧", "隱私"] and other.authors == ["編輯部"]
    finally:
        catalog.close()


def test_list_json_shows_edits_and_damaged_rows_as_the_entries_read_them(tmp_path, capsys) -> None:
    import os
    import sqlite3

    from reader.library.library import Library
    from reader.paths import DataPaths

    library, data = tmp_path / "lib", tmp_path / "data"
    library.mkdir()
    _article(library, "a.md", "甲", "2024-05", "人工智慧")
    _article(library, "b.md", "乙", "2024-06", "隱私")
    (library / "c.md").write_text("---\ntitle: 丙\nsources:\n  - title: 來源\n    url: https://example.org/x\n---\n\n內文。\n", encoding="utf-8")
    for path in library.iterdir():
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))  # not "racy": kept as read
    args = ["list", "--json", "--library", str(library), "--data-dir", str(data)]
    assert main(args) == 0
    capsys.readouterr()
    lib = Library(library, DataPaths(data))
    lib.metadata_edits().save("b.md", {"title": "乙（編輯後）", "tags": ["改過"], "date": "2025-01"})
    conn = sqlite3.connect(lib.catalog().db_path)
    conn.execute("UPDATE articles SET tags = '{not json' WHERE path = 'a.md'")
    conn.commit()
    conn.close()
    assert main(args) == 0
    listed = {a["path"]: a for a in json.loads(capsys.readouterr().out)["articles"]}
    assert listed["b.md"]["title"] == "乙（編輯後）" and listed["b.md"]["tags"] == ["改過"] and listed["b.md"]["date"] == "2025-01"
    assert listed["a.md"]["tags"] == [] and listed["a.md"]["title"] == "甲"  # the damaged value read as empty
    assert listed["c.md"]["sources"] == [{"title": "來源", "url": "https://example.org/x"}]
    assert list(listed) == ["b.md", "a.md", "c.md"]  # the edited date counts for the order



@given(st.text(alphabet=st.sampled_from("ab.MDmdtxTXhHlL_ 文"), min_size=1, max_size=12).filter(lambda n: not n.startswith(".")))
def test_the_scan_reads_a_file_names_suffix_as_splitext_does(name: str) -> None:
    import os

    from reader.library.scanning import _suffix

    assert _suffix(name) == os.path.splitext(name)[1].lower()
