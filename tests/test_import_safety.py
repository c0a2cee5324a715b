"""Import never overwrites: every source gets its own article, re-imports update only what
they made, special files are refused unread, deep HTML keeps its text, a full disk is told."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from reader.library.importing import RECORD_NAME
from reader.paths import DataPaths
from tests.conftest import run_cli


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _files(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (hidden ones too: no temporary file may be left)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _record(data_dir: Path, library: Path) -> Path:
    return DataPaths(data_dir).library_state(library.resolve()) / RECORD_NAME


def _import(*args: str, data_dir: Path, library: Path):
    return run_cli("import", *args, "--library", str(library), data_dir=data_dir)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


# --- 1. one article per source; the user's own files are never replaced ------------------------


def test_folder_import_mirrors_subfolders_and_keeps_the_users_file(tmp_path: Path, data_dir: Path) -> None:
    src, lib = tmp_path / "src", tmp_path / "lib"
    (src / "2023").mkdir(parents=True)
    (src / "2024").mkdir()
    (src / "2023" / "report.txt").write_text("二〇二三年報告\n去年的內容", encoding="utf-8")
    (src / "2024" / "report.txt").write_text("二〇二四年報告\n今年的內容", encoding="utf-8")
    (src / "2024" / "report.html").write_text("<html><body><article><h1>網頁報告</h1><p>網頁的內容</p></article></body></html>", encoding="utf-8")
    (src / "report.txt").write_text("頂層報告\n頂層的內容", encoding="utf-8")
    lib.mkdir()
    own = "---\ntitle: 我自己的報告\n---\n\n使用者自己寫的筆記\n"
    (lib / "report.md").write_text(own, encoding="utf-8")

    result = _import(str(src), data_dir=data_dir, library=lib)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert _lines(result.stdout) == [
        f"imported: {src / 'report.txt'} -> {lib / 'report-2.md'}",
        f"imported: {src / '2023' / 'report.txt'} -> {lib / '2023' / 'report.md'}",
        f"imported: {src / '2024' / 'report.html'} -> {lib / '2024' / 'report.md'}",
        f"imported: {src / '2024' / 'report.txt'} -> {lib / '2024' / 'report-2.md'}",
    ]
    assert result.stderr.strip() == "4 articles imported"
    files = _files(lib)
    assert sorted(files) == ["2023/report.md", "2024/report-2.md", "2024/report.md", "report-2.md", "report.md"]
    assert files["report.md"].decode() == own
    assert "去年的內容" in files["2023/report.md"].decode()
    assert "網頁的內容" in files["2024/report.md"].decode()
    assert "今年的內容" in files["2024/report-2.md"].decode()
    assert "頂層的內容" in files["report-2.md"].decode()
    assert not any(name.endswith(RECORD_NAME) for name in files)  # the record is in the data folder
    assert _record(data_dir, lib).is_file()


def test_names_that_differ_only_in_case_get_distinct_files(tmp_path: Path, data_dir: Path) -> None:
    src, lib = tmp_path / "src", tmp_path / "lib"
    src.mkdir()
    (src / "Report.txt").write_text("大寫\n一", encoding="utf-8")
    (src / "report.txt").write_text("小寫\n二", encoding="utf-8")
    result = _import(str(src), data_dir=data_dir, library=lib)
    assert result.returncode == 0, result.stderr
    # On a case-insensitive disk (a library synced to macOS or Windows) these stay two files.
    assert sorted(_files(lib)) == ["Report.md", "report-2.md"]


def test_files_given_one_by_one_go_to_the_root_and_a_taken_name_is_not_reused(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "note.txt").write_text(f"筆記 {folder}\n內容 {folder}", encoding="utf-8")
    first = _import(str(tmp_path / "a" / "note.txt"), str(tmp_path / "b" / "note.txt"), data_dir=data_dir, library=lib)
    assert first.returncode == 0, first.stderr
    assert _lines(first.stdout) == [
        f"imported: {tmp_path / 'a' / 'note.txt'} -> {lib / 'note.md'}",
        f"imported: {tmp_path / 'b' / 'note.txt'} -> {lib / 'note-2.md'}",
    ]
    again = _import(str(tmp_path / "b" / "note.txt"), data_dir=data_dir, library=lib)
    assert _lines(again.stdout) == [f"unchanged: {tmp_path / 'b' / 'note.txt'} -> {lib / 'note-2.md'}"]
    assert again.stderr.strip() == "1 article unchanged"


# --- re-imports update only the article made from the same source ----------------------------


def test_reimport_updates_the_same_article_with_its_permissions(tmp_path: Path, data_dir: Path) -> None:
    src, lib = tmp_path / "src", tmp_path / "lib"
    (src / "sub").mkdir(parents=True)
    source = src / "sub" / "law.txt"
    source.write_text("個資法修正\n第一版", encoding="utf-8")
    assert _import(str(src), data_dir=data_dir, library=lib).returncode == 0
    article = lib / "sub" / "law.md"
    assert stat.S_IMODE(article.stat().st_mode) == 0o666 & ~_umask()  # not tempfile's 0600
    article.chmod(0o640)

    source.write_text("個資法修正\n第二版", encoding="utf-8")
    result = _import(str(src), data_dir=data_dir, library=lib)

    assert result.returncode == 0, result.stderr
    assert _lines(result.stdout) == [f"updated: {source} -> {article}"]
    assert result.stderr.strip() == "1 article updated"
    assert "第二版" in article.read_text(encoding="utf-8")
    assert stat.S_IMODE(article.stat().st_mode) == 0o640
    assert sorted(_files(lib)) == ["sub/law.md"]


def test_an_article_edited_in_the_library_is_not_replaced_by_a_reimport(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    source = tmp_path / "memo.txt"
    source.write_text("備忘錄\n原文", encoding="utf-8")
    assert _import(str(source), data_dir=data_dir, library=lib).returncode == 0
    article = lib / "memo.md"
    edited = article.read_text(encoding="utf-8") + "\n我在閱讀器外加的段落\n"
    article.write_text(edited, encoding="utf-8")
    source.write_text("備忘錄\n新版原文", encoding="utf-8")

    result = _import(str(source), data_dir=data_dir, library=lib)

    assert result.returncode == 1
    assert f"{source}: {article} was changed in the library since it was imported from this file; it is kept as it is" in result.stderr
    assert result.stderr.strip().endswith("1 article failed")
    assert article.read_text(encoding="utf-8") == edited
    assert sorted(_files(lib)) == ["memo.md"]


def test_encoding_fix_is_kept_by_later_reimports(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    source = tmp_path / "short.txt"
    source.write_bytes("標題\n短文".encode("cp950"))  # too short to tell Big5 from GB18030
    first = _import(str(source), data_dir=data_dir, library=lib)
    assert "encoding uncertain" in first.stdout
    fixed = _import(str(source), "--encoding", "cp950", data_dir=data_dir, library=lib)
    assert _lines(fixed.stdout) == [f"updated: {source} -> {lib / 'short.md'}"]
    text = (lib / "short.md").read_text(encoding="utf-8")
    assert "短文" in text and "encoding_uncertain" not in text
    # Importing the folder's files again later must not undo the fix with a new guess.
    later = _import(str(source), data_dir=data_dir, library=lib)
    assert _lines(later.stdout) == [f"unchanged: {source} -> {lib / 'short.md'}"]
    assert (lib / "short.md").read_text(encoding="utf-8") == text
    assert sorted(_files(lib)) == ["short.md"]


def test_unknown_encoding_is_a_usage_error(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("標題\n內容", encoding="utf-8")
    result = _import(str(source), "--encoding", "no-such-codec", data_dir=data_dir, library=tmp_path / "lib")
    assert result.returncode == 2
    assert result.stderr.strip() == "reader: --encoding no-such-codec: unknown encoding (try cp950, big5, gb18030, utf-8)"


# --- 2. an article already in the library is never rewritten ---------------------------------


def test_library_articles_are_already_in_the_library(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "2024").mkdir(parents=True)
    own = "---\ntitle: 我的筆記\ndate: May 2024\nx-reviewed: yes\n---\n\n本文\r\n"
    (lib / "2024" / "own.md").write_text(own, encoding="utf-8", newline="")
    (lib / "page.html").write_text("<html><body><p>原頁</p></body></html>", encoding="utf-8")
    before = _files(lib)

    one = _import(str(lib / "2024" / "own.md"), data_dir=data_dir, library=lib)
    whole = _import(str(lib), data_dir=data_dir, library=lib)

    assert one.returncode == 0, one.stderr
    assert _lines(one.stdout) == [f"already in the library: {lib / '2024' / 'own.md'} -> {lib / '2024' / 'own.md'}"]
    assert one.stderr.strip() == "1 article already in the library"
    assert whole.returncode == 0, whole.stderr
    assert whole.stderr.strip() == "2 articles already in the library"
    assert _files(lib) == before


# --- 3. only regular files are read, and never more than the limit ---------------------------


def test_devices_fifos_and_sockets_are_refused_unread(tmp_path: Path, data_dir: Path) -> None:
    src, lib = tmp_path / "src", tmp_path / "lib"
    src.mkdir()
    os.mkfifo(src / "pipe.txt")
    (src / "good.txt").write_text("好文章\n內容", encoding="utf-8")
    sock = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    try:
        os.chdir(src)  # a socket's path must be short
        sock.bind("sock.md")
    except OSError:
        pytest.skip("cannot make a Unix socket here")
    finally:
        os.chdir(here)
    fifo = tmp_path / "alone.fifo"
    os.mkfifo(fifo)
    try:
        result = _import("/dev/zero", str(fifo), str(src), data_dir=data_dir, library=lib)
    finally:
        sock.close()

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problem = "not a regular file: only regular files are imported"
    assert f"/dev/zero: a character device, {problem}" in result.stderr
    assert f"{fifo}: a FIFO (named pipe), {problem}" in result.stderr
    assert f"{src / 'pipe.txt'}: a FIFO (named pipe), {problem}" in result.stderr
    assert f"{src / 'sock.md'}: a socket, {problem}" in result.stderr
    assert result.stderr.strip().endswith("1 article imported, 4 failed")
    assert sorted(_files(lib)) == ["good.md"]


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path, data_dir: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: 21 MB that take no room
    result = _import(str(big), data_dir=data_dir, library=tmp_path / "lib")
    assert result.returncode == 1
    assert f"{big}: too large (21 MB; the limit is 20 MB)" in result.stderr
    assert _files(tmp_path / "lib") == {}


# --- 4. deep HTML keeps its text ---------------------------------------------------------------

PARAGRAPH = "第{}段：人工智慧安全評估的要求。"


def _deep_page(depth: int) -> str:
    body = "".join(f"<div><p>{PARAGRAPH.format(i)}</p>" for i in range(depth)) + "最深處的結論" + "</div>" * depth
    return f"<html><head><title>巢狀 {depth} 層</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("depth", [300, 1000, 5000])
def test_deep_html_keeps_its_text_when_imported(depth: int, tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "deep.html"
    source.write_text(_deep_page(depth), encoding="utf-8")
    lib = tmp_path / "lib"
    result = _import(str(source), data_dir=data_dir, library=lib)
    assert result.returncode == 0, result.stderr
    text = run_cli("export", "deep.md", "--library", str(lib), "--format", "text", data_dir=data_dir)
    assert text.returncode == 0, text.stderr
    for i in range(depth):
        assert PARAGRAPH.format(i) in text.stdout, i
    assert "最深處的結論" in text.stdout


@pytest.mark.parametrize("depth", [300, 1000, 5000])
def test_deep_html_keeps_its_text_when_read_in_place(depth: int, tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "deep.html").write_text(_deep_page(depth), encoding="utf-8")
    listed = run_cli("list", "--library", str(lib), "--json", data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    [article] = json.loads(listed.stdout)["articles"]
    assert article["title"] == f"巢狀 {depth} 層" and article["problems"] == []
    text = run_cli("export", "deep.html", "--library", str(lib), "--format", "text", data_dir=data_dir)
    assert text.returncode == 0, text.stderr
    assert sum(PARAGRAPH.format(i) in text.stdout for i in range(depth)) == depth
    assert "最深處的結論" in text.stdout


def test_deep_unclosed_inline_and_list_nesting_keep_their_text() -> None:
    from reader.library.html_page import convert_html

    for opening, closing in (("<ul><li>", "</li></ul>"), ("<b>", "</b>"), ("<blockquote>", "</blockquote>"), ("<div>", "")):
        depth = 3000
        page = "<html><body>" + "".join(f"{opening}項目{i}；" for i in range(depth)) + "末尾" + closing * depth + "</body></html>"
        body = convert_html(page, "x.html").body
        assert all(f"項目{i}；" in body for i in range(depth)), opening
        assert "末尾" in body


# --- 5. a full disk is told, file by file -----------------------------------------------------


def test_full_disk_reports_what_was_written_and_leaves_nothing_partial(tmp_path: Path, data_dir: Path, small_disk) -> None:
    lib = small_disk(160)
    src = tmp_path / "src"
    (src / "later").mkdir(parents=True)
    sources = []
    for i in range(6):
        folder = src if i < 4 else src / "later"
        path = folder / f"a{i}.txt"
        path.write_text(f"文章{i}\n" + f"第{i}篇的內容。" * 3000, encoding="utf-8")  # about 36 kB as UTF-8
        sources.append(path)

    result = _import(str(src), data_dir=data_dir, library=lib)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    written = [line.split(" -> ")[1] for line in _lines(result.stdout)]
    assert all(line.startswith("imported: ") for line in _lines(result.stdout))
    assert 1 <= len(written) < 6
    failed = [s for s in sources if f"{s}: " in result.stderr]
    assert len(written) + len(failed) == 6
    for source in failed:
        line = next(x for x in result.stderr.splitlines() if x.startswith(f"{source}: "))
        assert line.endswith("the disk is full") or line.endswith(f"not written: the disk is full ({lib})"), line
    assert f"{len(written)} article{'s' if len(written) != 1 else ''} imported, {len(failed)} failed; {lib}: the disk is full" in result.stderr
    on_disk = _files(lib)
    assert sorted(on_disk) == sorted(Path(w).relative_to(lib).as_posix() for w in written)  # no temporary files
    assert not (lib / "later").exists() or any((lib / "later").iterdir())  # no empty folder left
    for name, data in on_disk.items():
        assert f"第{Path(name).stem[1:]}篇的內容。" * 3000 in data.decode("utf-8")  # every written file is whole


# --- the record of imports --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "notice"),
    [
        (b"{not json", "the record of earlier imports is damaged (not valid JSON); it was moved to"),
        (b'["a list"]', "the record of earlier imports is damaged (not a record of imports); it was moved to"),
        (b'{"format": 1, "sources": {"/x/a.txt": 5, "relative.txt": {"article": "../../etc/passwd", "sha256": "00"}}}',
         "2 entries of the record of earlier imports could not be understood and are ignored"),
    ],
)
def test_a_damaged_record_falls_back_to_content_with_a_notice(damage: bytes, notice: str, tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    source = tmp_path / "a.txt"
    source.write_text("標題\n內容", encoding="utf-8")
    assert _import(str(source), data_dir=data_dir, library=lib).returncode == 0
    record = _record(data_dir, lib)
    record.write_bytes(damage)

    result = _import(str(source), data_dir=data_dir, library=lib)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{record}: " in result.stderr and notice in result.stderr
    assert _lines(result.stdout) == [f"unchanged: {source} -> {lib / 'a.md'}"]  # recognised by its content
    assert sorted(_files(lib)) == ["a.md"]
    assert json.loads(record.read_text(encoding="utf-8"))["sources"][str(source.resolve())]["article"] == "a.md"


def test_summary_counts_every_status(tmp_path: Path, data_dir: Path) -> None:
    src, lib = tmp_path / "src", tmp_path / "lib"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.txt").write_text(f"{name} 標題\n內容", encoding="utf-8")
    assert _import(str(src), data_dir=data_dir, library=lib).returncode == 0
    (src / "a.txt").write_text("a 標題\n新內容", encoding="utf-8")
    (src / "d.txt").write_text("d 標題\n內容", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (lib / "mine.md").write_text("# 我的\n", encoding="utf-8")

    result = _import(str(src), str(lib / "mine.md"), data_dir=data_dir, library=lib)

    assert result.returncode == 1
    assert f"{src / 'empty.txt'}: empty file" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "1 article imported, 1 updated, 2 unchanged, 1 already in the library, 1 failed"


def test_a_record_that_cannot_be_saved_is_told_and_the_articles_stay(tmp_path: Path, data_dir: Path, read_only_folder) -> None:
    lib = tmp_path / "lib"
    source = tmp_path / "a.txt"
    source.write_text("標題\n內容", encoding="utf-8")
    read_only_folder(data_dir)
    result = _import(str(source), data_dir=data_dir, library=lib)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _lines(result.stdout) == [f"imported: {source} -> {lib / 'a.md'}"]
    assert f"{_record(data_dir, lib)}: cannot save the record of this import (the file system is read-only)" in result.stderr
    assert sorted(_files(lib)) == ["a.md"]


def test_an_empty_folder_says_there_is_nothing_to_import(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "picture.png").write_bytes(b"\x89PNG")
    result = _import(str(tmp_path / "src"), data_dir=data_dir, library=tmp_path / "lib")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "nothing to import: no .md, .markdown, .txt, .html, .htm, .pdf, .docx, .odt, .epub, .mhtml, .mht files were found"


def test_a_short_page_keeps_its_tables(tmp_path: Path, data_dir: Path) -> None:
    """readability scored the tables of a short page as clutter and dropped them silently."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>前言段落</p><table><tr><td>第一格內容</td><td>第二格內容</td></tr></table>"
                    "<p>結語段落</p></body></html>", encoding="utf-8")
    library = tmp_path / "lib"
    result = run_cli("import", str(page), "--library", str(library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    text = run_cli("export", "page.md", "--library", str(library), "--format", "text", data_dir=data_dir).stdout
    assert "第一格內容" in text and "第二格內容" in text and "前言段落" in text and "結語段落" in text


def test_an_html_file_with_no_document_is_named_not_a_traceback(tmp_path: Path, data_dir: Path) -> None:
    """Hypothesis found ``<?``: lxml raised "Document is empty" out of the importer."""
    page = tmp_path / "odd.html"
    page.write_bytes(b"<?")
    result = run_cli("import", str(page), "--library", str(tmp_path / "lib"), data_dir=data_dir)
    assert "Traceback" not in result.stderr and "odd.html" in result.stderr + result.stdout
