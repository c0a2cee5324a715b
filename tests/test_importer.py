"""Importing the seed pages and other files produces clean library articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.library.importing import import_files
from reader.library.reading import load_file
from tests.conftest import SAMPLES, run_cli

NIST = "000_bd272dec8418f04b"
MOU = "001_5d55142517522224"
ADVERT_TEXT = ["你可能會想參加", "新創採購", "說明會", "推薦文章", "相關連結", "科技法制變革論壇"]


def test_import_of_seeds_reproduces_the_sample_collection(seeds: Path, tmp_path: Path, data_dir: Path) -> None:
    target = tmp_path / "new-library"
    result = run_cli("import", str(seeds / f"{NIST}.txt"), str(seeds / f"{MOU}.txt"), "--library", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    produced = sorted(p.name for p in target.iterdir())
    assert produced == sorted(p.name for p in SAMPLES.glob("*.md"))
    for name in produced:
        assert (target / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_nist_seed_metadata_and_clean_body(seeds: Path, tmp_path: Path) -> None:
    [result] = import_files([seeds / f"{NIST}.txt"], tmp_path)
    article = load_file(result.target, result.target.name).article
    assert article.title == "美國國家標準暨技術研究院發布「全球AI安全機構合作策略願景目標」，期能推動全球AI安全合作"
    assert article.date == "2024-08"
    assert article.authors == []
    assert article.tags == []
    assert [s.url for s in article.sources] == [
        "https://www.commerce.gov/news/press-releases/2024/05/us-secretary-commerce-gina-raimondo-releases-strategic-vision-ai-safety",
        "https://www.nist.gov/system/files/documents/2024/05/21/AISI-vision-21May2024.pdf",
    ]
    assert article.sources[0].title.startswith("U.S. Secretary of Commerce Gina Raimondo Releases Strategic Vision")
    for advert in ADVERT_TEXT:
        assert advert not in article.body
    assert "上稿時間" not in article.body and "資料來源" not in article.body
    assert article.body.startswith("美國國家標準暨技術研究院（National Institute of Standards and Technology, NIST）")


def test_mou_seed_keeps_author_tags_sources_and_numbered_list(seeds: Path, tmp_path: Path) -> None:
    [result] = import_files([seeds / f"{MOU}.txt"], tmp_path)
    article = load_file(result.target, result.target.name).article
    assert article.title == "英國與美國為人工智慧安全共同開發簽署合作備忘錄"
    assert article.date == "2024-07"
    assert article.authors == ["林允中 編譯整理"]
    assert article.tags == ["人工智慧", "巨量資料", "資料運用", "人工智慧監管", "人工智慧風險管理"]
    assert len(article.sources) == 3
    assert article.sources[2].url == "https://questions-statements.parliament.uk/written-statements/detail/2024-04-16/hcws409"
    assert "\n1. 制定模型評估的共用框架" in article.body and "\n5. 在其活動範圍內" in article.body
    for advert in ADVERT_TEXT:
        assert advert not in article.body
    assert "林允中" not in article.body


def test_reimport_is_unchanged(seeds: Path, tmp_path: Path) -> None:
    import_files([seeds], tmp_path)
    again = import_files([seeds], tmp_path)
    assert [r.status for r in again] == ["unchanged", "unchanged"]


def test_plain_text_html_and_markdown_imports(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "note.txt").write_text("資料治理筆記\n\n第一段 *不是* 強調。\n1. 不是清單\n", encoding="utf-8")
    (src / "page.html").write_text(
        "<html><head><title>Site | 頁面</title><meta name='author' content='王小明'>"
        "<meta property='article:published_time' content='2024-05-02T10:00:00Z'>"
        "<script>alert(1)</script></head><body><nav><a href='/'>首頁</a> <a href='/x'>關於我們</a></nav>"
        "<article><h1>個人資料保護的新趨勢</h1><p>" + "歐盟GDPR對個人資料的保護要求日益嚴格，企業必須建立完善的資料治理制度。" * 6
        + "</p><p>第二段：<strong>重要</strong>的<a href='https://example.org/x'>連結</a>。</p></article>"
        "<footer>版權所有 廣告</footer></body></html>",
        encoding="utf-8",
    )
    (src / "own.md").write_text("---\ntitle: 我的筆記\ntags: [a]\n---\n\n內容\n", encoding="utf-8")
    results = {r.source.name: r for r in import_files([src], tmp_path / "lib")}
    assert {r.status for r in results.values()} == {"imported"}
    text = load_file(results["note.txt"].target, "note.md").article
    assert text.title == "資料治理筆記"
    page = load_file(results["page.html"].target, "page.md").article
    assert page.title == "個人資料保護的新趨勢"
    assert page.authors == ["王小明"] and page.date == "2024-05-02"
    assert "GDPR" in page.body and "[連結](https://example.org/x)" in page.body
    assert "alert" not in page.body and "首頁" not in page.body
    assert results["own.md"].target.read_text(encoding="utf-8") == "---\ntitle: 我的筆記\ntags: [a]\n---\n\n內容\n"


def test_import_failure_names_the_file_and_continues(tmp_path: Path, data_dir: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.md").write_bytes(bytes(range(256)) * 4)
    (src / "good.txt").write_text("好的文章\n內容", encoding="utf-8")
    result = run_cli("import", str(src), "--library", str(tmp_path / "lib"), data_dir=data_dir)
    assert result.returncode == 1
    assert f"{src / 'empty.txt'}: empty file" in result.stderr
    assert f"{src / 'binary.md'}: binary data, not text" in result.stderr
    assert (tmp_path / "lib" / "good.md").exists()


def test_list_json_of_the_sample_collection(data_dir: Path) -> None:
    result = run_cli("list", "--library", "articles", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["library"] == str(SAMPLES)
    by_path = {a["path"]: a for a in data["articles"]}
    assert set(by_path) == {f"{NIST}.md", f"{MOU}.md"}
    mou = by_path[f"{MOU}.md"]
    assert set(mou) == {"path", "title", "date", "authors", "tags", "sources", "problems"}
    assert mou["date"] == "2024-07" and mou["authors"] == ["林允中 編譯整理"]
    assert mou["sources"][0] == {
        "title": "The Bletchley Declaration(2023, November 1), The Bletchley Declaration by Countries Attending the AI Safety Summit 1-2 November 2023, GOV.UK",
        "url": "https://www.gov.uk/government/publications/ai-safety-summit-2023-the-bletchley-declaration/the-bletchley-declaration-by-countries-attending-the-ai-safety-summit-1-2-november-2023",
    }
    assert by_path[f"{NIST}.md"]["problems"] == []


def test_missing_library_is_a_usage_error(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli("list", "--library", str(tmp_path / "nope"), data_dir=data_dir)
    assert result.returncode == 2
    assert "no such library folder" in result.stderr


@pytest.mark.parametrize("entry", ["python -m reader", "reader"])
def test_no_library_opens_the_bundled_samples(entry: str, data_dir: Path) -> None:
    import shutil
    import subprocess
    import sys

    if entry == "reader":
        exe = shutil.which("reader")
        if exe is None:
            pytest.skip("the reader script is not installed (pip install .)")
        cmd = [exe, "list", "--json"]
    else:
        cmd = [sys.executable, "-m", "reader", "list", "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env={**__import__("os").environ, "READER_DATA_DIR": str(data_dir)}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["articles"]) == 2
