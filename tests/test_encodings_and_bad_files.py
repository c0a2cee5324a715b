"""Encodings are detected without replacement characters; bad files never stop a scan."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.library.encodings import decode
from reader.library.importing import import_files
from reader.library.reading import load_file
from tests.conftest import run_cli

TRADITIONAL = "美國國家標準暨技術研究院發布全球人工智慧安全機構合作策略願景目標，期能推動國際合作與資訊共享。"
SIMPLIFIED = "美国国家标准暨技术研究院发布全球人工智能安全机构合作策略愿景目标，期能推动国际合作与信息共享。"


@pytest.mark.parametrize(
    ("encoding", "text", "reported"),
    [
        ("utf-8", TRADITIONAL, "utf-8"),
        ("utf-8-sig", TRADITIONAL, "utf-8-sig"),
        ("utf-16", TRADITIONAL, "utf-16"),
        ("cp950", TRADITIONAL, "cp950"),
        ("gb18030", SIMPLIFIED, "gb18030"),
    ],
)
def test_each_encoding_is_read_exactly(encoding: str, text: str, reported: str) -> None:
    decoded = decode(("第一行\n" + text * 3).encode(encoding))
    assert decoded.text.lstrip("\ufeff") == "第一行\n" + text * 3
    assert decoded.encoding == reported
    assert not decoded.uncertain
    assert "\ufffd" not in decoded.text


def test_cp950_only_characters_are_decoded_with_cp950_not_big5() -> None:
    # 碁 and 銹 are in Microsoft's cp950 but not in strict Big5; the euro sign too.
    text = "圍碁與生銹的法律問題，歐元€計價。" * 4
    decoded = decode(text.encode("cp950"))
    assert decoded.text == text


def test_uncertain_encoding_is_flagged_and_reimport_fixes_it(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "short.txt"
    src.write_bytes("標題\n短文".encode("cp950"))  # too short to be sure of Big5 vs GB18030
    library = tmp_path / "lib"
    [result] = import_files([src], library)
    assert result.uncertain_encoding
    listed = json.loads(run_cli("list", "--library", str(library), "--json", data_dir=data_dir).stdout)
    assert any(p.startswith("encoding uncertain") for p in listed["articles"][0]["problems"])
    rerun = run_cli("import", str(src), "--library", str(library), "--encoding", "big5", data_dir=data_dir)
    assert rerun.returncode == 0, rerun.stderr
    article = load_file(library / "short.md", "short.md").article
    assert article.title == "標題" and "短文" in article.body
    assert article.problems == []


def _bad_library(root: Path) -> dict[str, str]:
    root.mkdir()
    (root / "good.md").write_text("---\ntitle: 好文章\n---\n\n內容", encoding="utf-8")
    (root / "empty.md").write_bytes(b"")
    (root / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (root / "nul.txt").write_bytes("有NUL".encode() + b"\x00\x00text")
    (root / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\n\n本文仍可閱讀", encoding="utf-8")
    (root / "broken-link.md").symlink_to(root / "nowhere.md")
    (root / "loop-a.md").symlink_to(root / "loop-b.md")
    (root / "loop-b.md").symlink_to(root / "loop-a.md")
    unreadable = root / "secret.md"
    unreadable.write_text("秘密", encoding="utf-8")
    unreadable.chmod(0)
    (root / "sub").mkdir()
    (root / "sub" / "back").symlink_to(root)  # a folder loop
    return {
        "empty.md": "empty file",
        "binary.md": "binary data, not text",
        "nul.txt": "binary data, not text",
        "bad-yaml.md": "invalid YAML front matter",
        "broken-link.md": "broken symlink",
        "loop-a.md": "symlink loop",
        "secret.md": "permission denied",
    }


def test_bad_files_are_named_and_everything_else_is_listed(tmp_path: Path, data_dir: Path) -> None:
    expected = _bad_library(tmp_path / "lib")
    result = run_cli("list", "--library", str(tmp_path / "lib"), "--json", data_dir=data_dir)
    assert result.returncode == 0
    listed = {a["path"]: a for a in json.loads(result.stdout)["articles"]}
    assert listed["good.md"]["title"] == "好文章" and listed["good.md"]["problems"] == []
    assert listed["bad-yaml.md"]["problems"] and "本文仍可閱讀" not in json.dumps(listed["bad-yaml.md"]["problems"])
    running_as_root = os.geteuid() == 0
    for name, problem in expected.items():
        if name == "secret.md" and running_as_root:
            continue  # root reads everything
        assert any(problem in p for p in listed[name]["problems"]), (name, listed[name])
        assert f"{name}: " in result.stderr and problem in result.stderr
    assert not any(p.startswith("sub/back") for p in listed)


def test_catalog_rescan_follows_add_change_delete(tmp_path: Path, data_dir: Path) -> None:
    from reader.library.library import Library
    from reader.paths import DataPaths

    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: 甲\n---\n本文", encoding="utf-8")
    (root / "b.md").write_text("---\ntitle: 乙\n---\n本文", encoding="utf-8")
    catalog = Library(root, DataPaths(data_dir)).catalog()
    first = catalog.rescan()
    assert sorted(first.added) == ["a.md", "b.md"]
    assert catalog.rescan().touched is False  # nothing re-parsed

    (root / "c.md").write_text("---\ntitle: 丙\n---\n", encoding="utf-8")
    (root / "a.md").write_text("---\ntitle: 甲（修訂）\n---\n新本文", encoding="utf-8")
    (root / "b.md").unlink()
    report = catalog.rescan()
    assert (report.added, report.changed, report.removed) == (["c.md"], ["a.md"], ["b.md"])
    titles = {e.article.path: e.article.title for e in catalog.entries()}
    assert titles == {"a.md": "甲（修訂）", "c.md": "丙"}
    catalog.close()


def test_damaged_catalog_is_rebuilt(tmp_path: Path, data_dir: Path, sample_library: Path) -> None:
    from reader.paths import DataPaths

    paths = DataPaths(data_dir)
    run_cli("list", "--library", str(sample_library), data_dir=data_dir)
    db = paths.catalog_db(sample_library.resolve())
    db.write_bytes(b"this is not a database" * 100)
    result = run_cli("list", "--library", str(sample_library), "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 2
