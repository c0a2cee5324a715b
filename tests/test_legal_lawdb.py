"""The offline law library (issue 14): import of the mojLawSplitJSON shape in every container,
validation item by item, atomic replacement, provision lookup, and malformed input."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.legal.lawdb import LAWS_DB, import_laws, imported_laws, law_provisions, provision_text
from reader.legal.references import find_references
from tests.conftest import CORPUS


def law(pcode: str = "I0050021", name: str = "個人資料保護法", **extra) -> dict:
    data = {
        "pcode": pcode, "name": name, "english_name": "Personal Data Protection Act", "category": "行政",
        "updated": "20230531",
        "articles": [
            {"heading": "第 一 章 總則"},
            {"no": "第 1 條", "text": "為規範個人資料之蒐集、處理及利用，特制定本法。"},
            {"no": "第 6 條", "text": "有關病歷、醫療、基因……之個人資料，不得蒐集、處理或利用。"},
            {"no": "第 6-1 條", "text": "測試用之第六條之一。"},
        ],
    }
    data.update(extra)
    return data


def write_jsonl(path: Path, items: list, *, gz: bool = False) -> Path:
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    if gz:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_import_json_lines_and_look_up_a_provision(tmp_path: Path, data_dir: Path) -> None:
    report = import_laws(write_jsonl(tmp_path / "laws.jsonl", [law(), law("A0000001", "中華民國憲法")]), data_dir)
    assert (report.added, report.updated, report.unchanged, report.rejected) == (2, 0, 0, [])
    assert report.provisions == 6 and "2 laws imported" in report.summary()
    name, english, text = provision_text(data_dir, "I0050021", "6")
    assert (name, english) == ("個人資料保護法", "Personal Data Protection Act") and text.startswith("有關病歷")
    assert provision_text(data_dir, "I0050021", "第6條之1")[2] == "測試用之第六條之一。"
    assert provision_text(data_dir, "I0050021", "6-1") == provision_text(data_dir, "I0050021", "6之1")
    assert provision_text(data_dir, "I0050021", "99") is None
    assert provision_text(data_dir, "X0000000", "1") is None
    name, english, provisions = law_provisions(data_dir, "I0050021")
    assert [p.heading or p.key for p in provisions] == ["第 一 章 總則", "1", "6", "6-1"]
    assert set(imported_laws(data_dir)) == {"I0050021", "A0000001"}


def test_a_statute_reference_finds_its_text(tmp_path: Path, data_dir: Path) -> None:
    import_laws(write_jsonl(tmp_path / "laws.jsonl", [law()]), data_dir)
    ref = find_references("依個資法第六條規定")[0]
    assert provision_text(data_dir, ref.pcode, ref.article)[2].startswith("有關病歷")


@pytest.mark.parametrize("container", ["array", "array.gz", "jsonl.gz", "object-per-file", "pretty"])
def test_every_container(tmp_path: Path, data_dir: Path, container: str) -> None:
    items = [law(), law("A0000001", "中華民國憲法")]
    if container == "array":
        (tmp_path / "laws.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        source = tmp_path / "laws.json"
    elif container == "array.gz":
        source = tmp_path / "laws.json.gz"
        source.write_bytes(gzip.compress(json.dumps(items).encode()))
    elif container == "jsonl.gz":
        source = write_jsonl(tmp_path / "laws.jsonl.gz", items, gz=True)
    elif container == "object-per-file":
        source = tmp_path / "folder"
        (source / "sub").mkdir(parents=True)
        for item in items:
            (source / "sub" / f"{item['pcode']}.json").write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
        (source / "README.md").write_text("not a law file", encoding="utf-8")
    else:
        source = tmp_path / "law.json"
        source.write_text(json.dumps(items[0], ensure_ascii=False, indent=2), encoding="utf-8")
        items = items[:1]
    report = import_laws(source, data_dir)
    assert report.rejected == [] and report.added == len(items)


def test_bad_items_are_named_and_the_others_imported(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "laws.jsonl"
    lines = [
        json.dumps(law(), ensure_ascii=False),
        "{not json",
        json.dumps([1, 2]),
        json.dumps(law("B0000001", "")),
        json.dumps(law("C0000001", "中華民國刑法", articles=[{"no": "第 1 條", "text": 5}])),
        json.dumps({"name": "沒有代碼"}, ensure_ascii=False),
        json.dumps(law("I0050021", "重複")),
        json.dumps(law("D0000001", "測試法", articles="none")),
        json.dumps(law("E0000001", "好法")),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_laws(source, data_dir)
    assert report.added == 2
    problems = "\n".join(report.rejected)
    assert len(report.rejected) == 7, problems
    assert f"{source}:2: is not JSON" in problems
    assert f"{source}:3: a law must be a JSON object, not list" in problems
    assert f"{source}:4 (B0000001): \"name\" is empty" in problems
    assert f"{source}:5 (C0000001): articles[0]: \"text\" is not a string" in problems
    assert f"{source}:6: \"pcode\" is missing" in problems
    assert f"{source}:7 (I0050021): the law appears twice" in problems
    assert f"{source}:8 (D0000001): \"articles\" is missing or not a list" in problems


def test_a_second_import_updates_and_keeps_the_other_laws(tmp_path: Path, data_dir: Path) -> None:
    import_laws(write_jsonl(tmp_path / "a.jsonl", [law(), law("A0000001", "中華民國憲法")]), data_dir)
    changed = law(articles=[{"no": "第 6 條", "text": "新的條文。"}])
    report = import_laws(write_jsonl(tmp_path / "b.jsonl", [changed, law("A0000001", "中華民國憲法")]), data_dir)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert provision_text(data_dir, "I0050021", "6")[2] == "新的條文。"
    report = import_laws(write_jsonl(tmp_path / "c.jsonl", [law("J0070017", "著作權法")]), data_dir)
    assert set(imported_laws(data_dir)) == {"I0050021", "A0000001", "J0070017"}
    assert [p.name for p in data_dir.iterdir()] == [LAWS_DB]  # no temporary file, no journal left


def test_nothing_changes_when_the_import_cannot_be_written(tmp_path: Path, data_dir: Path) -> None:
    """A file-size limit makes the disk 'full' for the import (a real EFBIG from the OS): the
    library imported before stays as it was, no temporary file is left, the user is told."""
    import subprocess
    import sys

    import_laws(write_jsonl(tmp_path / "a.jsonl", [law()]), data_dir)
    before = (data_dir / LAWS_DB).read_bytes()
    big = [law(f"Z{n:07d}", f"測試法{n}", articles=[{"no": "第 1 條", "text": "條文" * 400}]) for n in range(300)]
    source = write_jsonl(tmp_path / "big.jsonl", big)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 65536}, {len(before) + 65536}))\n"
        "from reader.errors import ReaderError\n"
        "from reader.legal.lawdb import import_laws\n"
        "try:\n"
        f"    import_laws({str(source)!r}, {str(data_dir)!r})\n"
        "except ReaderError as exc:\n"
        "    print(exc); sys.exit(1)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert result.returncode == 1, result.stderr
    assert "nothing was changed" in result.stdout and ("disk is full" in result.stdout or "is the disk full" in result.stdout)
    assert (data_dir / LAWS_DB).read_bytes() == before
    assert [p.name for p in data_dir.iterdir()] == [LAWS_DB]


def test_missing_source_and_damaged_files(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        import_laws(tmp_path / "nowhere.jsonl", data_dir)
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b" + b"garbage" * 10)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"pcode": "A1", "name": "\xff\xfe"}\n')
    folder = tmp_path / "folder"
    folder.mkdir()
    for path in (bad, latin):
        path.rename(folder / path.name)
    report = import_laws(folder, data_dir)
    assert report.imported == 0 and len(report.rejected) == 2
    assert any("bad.jsonl.gz: is damaged or not gzip data" in r for r in report.rejected)
    assert any("latin.jsonl: is not UTF-8 text" in r for r in report.rejected)


def test_a_damaged_library_is_replaced_by_the_import(tmp_path: Path, data_dir: Path) -> None:
    (data_dir / LAWS_DB).write_bytes(b"this is not a database" * 100)
    report = import_laws(write_jsonl(tmp_path / "a.jsonl", [law()]), data_dir)
    assert report.added == 1 and provision_text(data_dir, "I0050021", "1") is not None
    with sqlite3.connect(data_dir / LAWS_DB) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
_LAWISH = st.fixed_dictionaries(
    {},
    optional={
        "pcode": st.one_of(st.text(max_size=10), st.sampled_from(["A0000001", "B0000002", "C0000003"]), _JSON),
        "name": st.one_of(st.text(max_size=10), _JSON),
        "english_name": st.one_of(st.text(max_size=10), st.none(), _JSON),
        "category": st.one_of(st.sampled_from(["行政", "廢止法規＞內政部"]), _JSON),
        "updated": st.one_of(st.text(max_size=8), st.integers(), _JSON),
        "articles": st.one_of(
            st.lists(st.one_of(
                st.fixed_dictionaries({"no": st.sampled_from(["第 1 條", "第 2-1 條", "3", "第 x 條"]), "text": st.text(max_size=20)}),
                st.fixed_dictionaries({"heading": st.text(max_size=10)}),
                _JSON,
            ), max_size=4),
            _JSON,
        ),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=st.lists(st.one_of(_LAWISH, _JSON), max_size=6), garbage=st.lists(st.binary(max_size=20), max_size=2))
def test_malformed_input_is_named_item_by_item_never_raised(tmp_path: Path, items: list, garbage: list) -> None:
    data_dir = tmp_path / f"data-{abs(hash(repr(items))) % 10**9}"
    source = tmp_path / f"input-{abs(hash(repr(items) + repr(garbage))) % 10**9}.jsonl"
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    raw = "\n".join(lines).encode("utf-8") + b"".join(b"\n" + g.replace(b"\n", b" ") for g in garbage)
    source.write_bytes(raw)
    report = import_laws(source, data_dir)  # never raises for what is in the file
    for problem in report.rejected:
        assert problem.startswith(str(source))
    # Every item is either imported or named: count the items as the format defines them.
    try:
        lines = [line for line in raw.decode("utf-8").split("\n") if line.strip()]  # JSON lines end at \n only
    except UnicodeDecodeError:
        assert any("is not UTF-8 text" in r for r in report.rejected)
        return
    expected = 0
    if lines:
        try:
            first = json.loads(lines[0])
        except ValueError:
            first = None
        if isinstance(first, dict) and lines[0].lstrip().startswith("{"):
            expected = len(lines)  # JSON lines: one item a line
        else:
            try:
                whole = json.loads("\n".join(lines))
            except ValueError:
                whole = None
                expected = 1  # the file is named
            else:
                expected = len(whole) if isinstance(whole, list) else 1
    assert report.imported + len(report.rejected) == expected, report.rejected
    # What was imported reads back.
    for pcode in imported_laws(data_dir):
        assert law_provisions(data_dir, pcode) is not None


def test_the_shared_corpus_imports_whole(tmp_path: Path, data_dir: Path) -> None:
    """The done-when: after importing ../shared/corpus/tw-laws.jsonl.gz a reference shows its
    provision (a tenth of the corpus and the laws cited here, to keep the suite quick)."""
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    keep = {"I0050021", "C0010001", "J0070017"}
    part = tmp_path / "part.jsonl.gz"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as source, gzip.open(part, "wt", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number % 10 == 0 or json.loads(line)["pcode"] in keep:
                target.write(line)
    report = import_laws(part, data_dir)
    assert report.rejected == [] and report.imported > 1000
    ref = find_references("依個人資料保護法（下稱個資法）§6")[0]
    name, english, text = provision_text(data_dir, ref.pcode, ref.article)
    assert (name, english) == ("個人資料保護法", "Personal Data Protection Act") and "病歷" in text
    ref = find_references("刑訴法第159條之1")[0]
    assert provision_text(data_dir, ref.pcode, ref.article)[2].startswith("被告以外之人")


def test_laws_show_by_short_name(tmp_path: Path, data_dir: Path) -> None:
    from reader.errors import UsageError
    from reader.legal.lawdb import lookup_provision

    with pytest.raises(ReaderError, match="no laws are imported"):
        lookup_provision(data_dir, "個資法", "6")
    import_laws(write_jsonl(tmp_path / "a.jsonl", [law()]), data_dir)
    assert lookup_provision(data_dir, "個資法") == ("個人資料保護法", "Personal Data Protection Act", None)
    assert lookup_provision(data_dir, "個人資料保護法", "第六條")[2].startswith("有關病歷")
    with pytest.raises(UsageError, match="no article"):
        lookup_provision(data_dir, "個資法", "99")
    with pytest.raises(UsageError, match="no imported law"):
        lookup_provision(data_dir, "刑法", "1")
