"""Article details edited in the window, Qt-free: Markdown front matter rewritten atomically
(body, encoding, line endings and unknown keys kept), other formats and read-only files kept
in the data folder, hostile stored edits, two processes saving at once, and the edits used by
the catalog, ``reader list`` and citations."""

from __future__ import annotations

import codecs
import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.annotations.selectors import describe
from reader.annotations.store import AnnotationStore
from reader.citations import metadata
from reader.cli import main
from reader.library import frontmatter
from reader.library.library import Library
from reader.library.metadata_edits import (
    EDITS_NAME,
    EditsFile,
    MetadataProblem,
    SaveFailed,
    clean_changes,
    rewrite_front_matter,
)
from reader.library.reading import article_from_text
from reader.paths import DataPaths
from reader.render.article import render_article

MOU = "001_5d55142517522224.md"


def library_at(root: Path, data: Path) -> Library:
    return Library(root.resolve(), DataPaths(data))


def parsed(data: bytes, codec: str = "utf-8"):
    return article_from_text(data.decode(codec).lstrip("\ufeff"), "markdown", "x.md")


def body_bytes(data: bytes) -> bytes:
    """What follows the front matter's closing fence."""
    text = data.decode("utf-8")
    _meta, body = frontmatter.split(text.lstrip("\ufeff"))
    return body.encode("utf-8")


# Front matter round trips ---------------------------------------------------------------------
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff")
    | st.sampled_from(list(':"\'#-[]{}>|*&!%@`,?\n 「」：資料個人人工智慧'))
    | st.just("\n"),
    min_size=1, max_size=60,
)
_WORD = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")) | st.sampled_from(list(":'\"#定義個資法")), min_size=1, max_size=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_TEXT, tags=st.lists(_WORD, max_size=6), journal=_TEXT, crlf=st.booleans(), has_meta=st.booleans())
def test_front_matter_round_trips_any_title_and_tags(title: str, tags: list[str], journal: str, crlf: bool, has_meta: bool) -> None:
    try:
        changes = clean_changes({"title": title, "tags": tags, "journal": journal, "volume": "12"})
    except MetadataProblem:
        return  # an empty title after stripping: refused before any file is touched
    nl = "\r\n" if crlf else "\n"
    head = f"---{nl}title: Old{nl}custom_key: [1, 2]{nl}encoding_uncertain: cp950{nl}---{nl}" if has_meta else ""
    body = f"{nl}第一段：資料 \"quoted\"{nl}{nl}## 小節{nl}- item{nl}   trailing spaces   {nl}"
    original = (head + body).encode("utf-8")
    new = rewrite_front_matter(original, changes)
    assert new.endswith(body.encode("utf-8"))  # the body byte for byte
    assert body_bytes(new) == body_bytes(original) if has_meta else body_bytes(new) == original
    if crlf:
        header = new[: len(new) - len(body.encode("utf-8"))]
        assert b"\n" not in header.replace(b"\r\n", b"")  # CRLF kept throughout the header
    article = parsed(new)
    assert article.title == changes["title"]
    assert article.tags == changes["tags"]
    assert article.publication["journal"] == changes["journal"] if changes["journal"] else "journal" not in article.publication
    assert article.publication["volume"] == "12"
    if has_meta:
        meta_source, _ = frontmatter.split(new.decode("utf-8"))
        import yaml

        meta = yaml.safe_load(meta_source)
        assert meta["custom_key"] == [1, 2] and meta["encoding_uncertain"] == "cp950"  # unknown keys kept


@pytest.mark.parametrize("bom, codec", [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                        (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "cp950")])
def test_the_files_encoding_and_bom_are_kept(bom: bytes, codec: str) -> None:
    text = "---\ntitle: 舊標題\ntags: [甲]\n---\n\n" + "人工智慧與個人資料保護之研究，" * 20 + "\n"
    data = bom + text.encode(codec)
    new = rewrite_front_matter(data, clean_changes({"title": "新標題：個資法第6條", "authors": ["林允中"]}))
    assert new.startswith(bom)
    decoded = new[len(bom):].decode(codec)
    assert decoded.endswith("人工智慧與個人資料保護之研究，" * 20 + "\n")
    article = article_from_text(decoded, "markdown", "x.md")
    assert article.title == "新標題：個資法第6條" and article.authors == ["林允中"] and article.tags == ["甲"]


def test_an_encoding_that_cannot_hold_the_title_keeps_the_edit_in_the_data_folder(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    original = "---\ntitle: 舊\n---\n\n台灣的個人資料保護法規定蒐集個人資料應有特定目的，並符合法定要件。\n".encode("cp950")
    (root / "big5.md").write_bytes(original)
    library = library_at(root, tmp_path / "data")
    result = library.save_metadata("big5.md", {"title": "新標題 😀"})
    assert result.where == "data" and "cp950" in result.notice
    assert (root / "big5.md").read_bytes() == original  # not touched
    assert library.load("big5.md").title == "新標題 😀"


def test_saving_into_a_markdown_file_keeps_highlights_attached(sample_library: Path, data_dir: Path) -> None:
    library = library_at(sample_library, data_dir)
    paths = DataPaths(data_dir)
    article, digest = library.load_with_hash(MOU)
    text = render_article(article).text
    start = text.index("布萊切利公園")
    quote, position = describe(text, start, start + 6)
    store = AnnotationStore.open(paths)
    try:
        item = store.add_highlight(library.key, MOU, quote, position, "yellow", "", digest)
        before = (sample_library / MOU).read_bytes()
        result = library.save_metadata(MOU, {"title": "新標題", "journal": "科技法律透析", "pages": "45-60"})
        assert result.where == "file"
        after = (sample_library / MOU).read_bytes()
        assert after != before and body_bytes(after) == body_bytes(before)
        article, new_digest = library.load_with_hash(MOU)
        assert new_digest != digest and article.title == "新標題"
        items = store.update_anchors(library.key, MOU, render_article(article).text, new_digest)
        (again,) = [i for i in items if i.id == item.id]
        assert again.state == "exact" and again.position.start == start and not again.orphan
    finally:
        store.close()


# Where edits go -----------------------------------------------------------------------------------
def test_a_pdf_or_text_articles_edit_goes_to_the_data_folder(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "note.txt").write_text("純文字標題\n\n內文第一段。\n", encoding="utf-8")
    before = (root / "note.txt").read_bytes()
    library = library_at(root, tmp_path / "data")
    result = library.save_metadata("note.txt", {"title": "編輯過的標題", "journal": "月旦法學雜誌", "volume": "350"})
    assert result.where == "data"
    assert (root / "note.txt").read_bytes() == before
    stored = json.loads(result.path.read_text(encoding="utf-8"))
    assert stored["articles"]["note.txt"]["title"] == "編輯過的標題"
    loaded = library.load("note.txt")
    assert loaded.title == "編輯過的標題" and loaded.publication == {"journal": "月旦法學雜誌", "volume": "350"}
    catalog = library.catalog()
    try:
        catalog.rescan()
        assert [r.title for r in catalog.list_rows()] == ["編輯過的標題"]
        assert catalog.get("note.txt").article.title == "編輯過的標題"
    finally:
        catalog.close()
    cited = metadata(loaded)
    assert (cited.title, cited.journal, cited.volume, cited.csl_type) == ("編輯過的標題", "月旦法學雜誌", "350", "article-journal")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_markdown_file_is_not_touched(sample_library: Path, data_dir: Path) -> None:
    path = sample_library / MOU
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR)
    try:
        library = library_at(sample_library, data_dir)
        result = library.save_metadata(MOU, {"title": "唯讀檔案的新標題"})
        assert result.where == "data" and "read-only" in result.notice
        assert path.read_bytes() == before
        assert library.load(MOU).title == "唯讀檔案的新標題"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_an_earlier_data_folder_edit_does_not_hide_a_later_front_matter_edit(sample_library: Path, data_dir: Path) -> None:
    library = library_at(sample_library, data_dir)
    edits = library.metadata_edits()
    edits.save(MOU, clean_changes({"title": "舊的編輯", "journal": "甲刊"}))
    assert library.load(MOU).title == "舊的編輯"
    assert library.save_metadata(MOU, {"title": "寫入檔案"}).where == "file"
    article = library.load(MOU)
    assert article.title == "寫入檔案" and article.publication["journal"] == "甲刊"


def test_bad_values_are_refused_before_anything_is_written(sample_library: Path, data_dir: Path) -> None:
    library = library_at(sample_library, data_dir)
    before = (sample_library / MOU).read_bytes()
    for changes in ({"date": "July 2024"}, {"title": "   "}, {"journal": "a\x00b"}, {"tags": ["ok", "bad\x07"]}, {"nonsense": "x"}):
        with pytest.raises(MetadataProblem):
            library.save_metadata(MOU, changes)
    assert (sample_library / MOU).read_bytes() == before
    assert not (data_dir / "libraries").exists() or not list((data_dir / "libraries").glob(f"*/{EDITS_NAME}"))


# Hostile stored edits --------------------------------------------------------------------------
@pytest.mark.parametrize("content", [
    b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"articles": []}', b'{"format": "something else", "articles": {}}',
    b'{"articles": {"note.txt": {"title": 5}}}',  # (a newer Reader's file: never written over, below)
    b'{"articles": {"note.txt": {"tags": "not a list"}}}', b'{"articles": {"note.txt": {"date": "yesterday"}}}',
    b'{"articles": {"note.txt": {"title": "a\\u0000b"}}}', b"[" * 100_000,
])
def test_hostile_edit_files_are_ignored_with_a_notice_and_kept(tmp_path: Path, content: bytes, capsys) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "note.txt").write_text("原本的標題\n\n內文。\n", encoding="utf-8")
    data = tmp_path / "data"
    library = library_at(root, data)
    path = library.metadata_edits().path
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert library.load("note.txt").title == "原本的標題"  # never a crash; the bad edit is not used
    code = main(["list", "--library", str(root), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert code == 0 and "原本的標題" in out and "Traceback" not in err
    assert str(path) in err  # the notice names the file
    library.save_metadata("note.txt", {"title": "新的"})
    assert library.load("note.txt").title == "新的"
    whole_file_bad = content[:1] != b"{" or b"format" in content or b"version" in content or content == b'{"articles": []}'
    if whole_file_bad:
        assert path.with_name(EDITS_NAME + ".bad").read_bytes() == content  # never lost
    else:
        assert "note.txt" in json.loads(path.read_text(encoding="utf-8"))["articles"]


def test_a_bad_entry_does_not_hide_the_good_ones_and_survives_a_save(tmp_path: Path) -> None:
    path = tmp_path / EDITS_NAME
    path.write_text(json.dumps({"format": "reader-metadata-edits", "version": 1, "articles": {
        "good.pdf": {"title": "好的"}, "bad.pdf": {"title": ["a list"]}}}), encoding="utf-8")
    edits = EditsFile(path)
    assert edits.all() == {"good.pdf": {"title": "好的"}}
    assert any("wrong type" in n for n in edits.notices)
    edits.save("other.pdf", {"journal": "刊"})
    raw = json.loads(path.read_text(encoding="utf-8"))["articles"]
    assert raw["bad.pdf"] == {"title": ["a list"]}  # another Reader's (or a user's) entry stays
    assert raw["other.pdf"]["journal"] == "刊" and raw["good.pdf"]["title"] == "好的"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_folder_names_the_file(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "doc.txt").write_text("標題\n\n內文。\n", encoding="utf-8")
    data = tmp_path / "data"
    library = library_at(root, data)
    folder = library.metadata_edits().path.parent
    folder.mkdir(parents=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(SaveFailed) as caught:
            library.save_metadata("doc.txt", {"title": "新"})
        assert str(library.metadata_edits().path) in str(caught.value) and "permission denied" in str(caught.value)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert library.load("doc.txt").title == "標題"


def test_a_full_disk_names_the_file(tmp_path: Path, monkeypatch) -> None:
    """ENOSPC from the OS while the temporary file is written (a real full disk cannot be
    made without root): the message names the edits file, nothing is half written."""
    import errno

    from reader.library import metadata_edits

    root = tmp_path / "lib"
    root.mkdir()
    (root / "doc.txt").write_text("標題\n\n內文。\n", encoding="utf-8")
    library = library_at(root, tmp_path / "data")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(metadata_edits, "write_temp_file", full)
    with pytest.raises(SaveFailed) as caught:
        library.save_metadata("doc.txt", {"title": "新"})
    assert "the disk is full" in str(caught.value) and EDITS_NAME in str(caught.value)
    assert not library.metadata_edits().path.exists()


# Two Readers at once ----------------------------------------------------------------------------
def _save_many(root: str, data: str, name: str, count: int, start) -> None:
    start.wait()
    library = Library(Path(root), DataPaths(Path(data)))
    for n in range(count):
        library.save_metadata(f"{name}-{n}.txt", {"title": f"{name} {n}"})
        library.save_metadata("shared.txt", {"journal" if name == "a" else "volume": f"{name}{n}"})


def test_two_processes_saving_at_once_lose_no_edit(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    count = 15
    for name in ("a", "b"):
        for n in range(count):
            (root / f"{name}-{n}.txt").write_text(f"{name}\n\n內文。\n", encoding="utf-8")
    (root / "shared.txt").write_text("共用\n\n內文。\n", encoding="utf-8")
    data = tmp_path / "data"
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_save_many, args=(str(root.resolve()), str(data), name, count, start)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    library = library_at(root, data)
    edits = library.metadata_edits().all()
    for name in ("a", "b"):
        for n in range(count):
            assert edits[f"{name}-{n}.txt"]["title"] == f"{name} {n}"
    assert edits["shared.txt"]["journal"] == f"a{count - 1}" and edits["shared.txt"]["volume"] == f"b{count - 1}"


def _save_front_matter(root: str, data: str, key: str, count: int, start) -> None:
    start.wait()
    library = Library(Path(root), DataPaths(Path(data)))
    for n in range(count):
        library.save_metadata(MOU, {key: f"{key}-{n}"})


def test_two_processes_rewriting_one_front_matter_keep_both_fields(sample_library: Path, data_dir: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    count = 10
    workers = [context.Process(target=_save_front_matter, args=(str(sample_library.resolve()), str(data_dir), key, count, start))
               for key in ("journal", "issue")]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    article = library_at(sample_library, data_dir).load(MOU)
    assert article.publication["journal"] == f"journal-{count - 1}" and article.publication["issue"] == f"issue-{count - 1}"
    assert "布萊切利公園" in article.body


# The CLI and exports use the edits ------------------------------------------------------------------
def test_reader_list_and_the_markdown_export_use_a_data_folder_edit(sample_library: Path, data_dir: Path, capsys) -> None:
    library = library_at(sample_library, data_dir)
    library.metadata_edits().save(MOU, clean_changes({"title": "資料夾中的新標題", "journal": "月旦法學雜誌", "volume": "350", "pages": "45-60"}))
    args = ["--library", str(sample_library), "--data-dir", str(data_dir)]
    assert main(["list", "--json", *args]) == 0
    listed = json.loads(capsys.readouterr().out)["articles"]
    assert {a["path"]: a["title"] for a in listed}[MOU] == "資料夾中的新標題"
    article, digest = library.load_with_hash(MOU)
    text = render_article(article).text
    start = text.index("布萊切利公園")
    quote, position = describe(text, start, start + 6)
    store = AnnotationStore.open(DataPaths(data_dir))
    try:
        store.add_highlight(library.key, MOU, quote, position, "yellow", "", digest)
    finally:
        store.close()
    assert main(["annotations", "export", "--format", "markdown", *args]) == 0
    out = capsys.readouterr().out
    assert "資料夾中的新標題" in out and "月旦法學雜誌" in out and "350" in out


def test_keys_reader_does_not_own_keep_their_lines_and_comments() -> None:
    """Only the changed keys are written again: `lang: no` stays `no` (not false), 1.10 stays
    1.10, 0123 stays 0123, and comments stay (a whole-header YAML round trip changed them)."""
    source = ("---\n# 來源：司法院\ntitle: 舊標題\nlang: no\nversion: 1.10\nid: 0123\n"
              "tags:\n  - 隱私\n  - AI\nextra: {a: 1}  # 保留\n---\n\n內文。\n")
    out = rewrite_front_matter(source.encode("utf-8"), clean_changes({"title": "新標題：含冒號", "tags": ["隱私"]})).decode("utf-8")
    for line in ("# 來源：司法院\n", "lang: no\n", "version: 1.10\n", "id: 0123\n", "extra: {a: 1}  # 保留\n"):
        assert line in out
    assert out.endswith("---\n\n內文。\n")
    loaded = yaml.safe_load(frontmatter.split(out)[0])
    assert loaded["title"] == "新標題：含冒號" and loaded["tags"] == ["隱私"] and loaded["lang"] is False
    # A key that was not there is added; an emptied one is removed.
    out = rewrite_front_matter(out.encode("utf-8"), clean_changes({"journal": "月旦法學雜誌", "url": ""})).decode("utf-8")
    assert "journal: 月旦法學雜誌" in out and "lang: no\n" in out


def test_an_edits_file_that_cannot_be_read_or_is_newer_is_never_written_over(tmp_path: Path) -> None:
    newer = tmp_path / "a" / EDITS_NAME
    newer.parent.mkdir()
    original = json.dumps({"format": "reader-metadata-edits", "version": 99, "articles": {"x.pdf": {"title": "新版"}}})
    newer.write_text(original, encoding="utf-8")
    with pytest.raises(SaveFailed) as failed:
        EditsFile(newer).save("y.pdf", clean_changes({"title": "舊版的修改"}))
    assert str(newer) in str(failed.value) and "newer Reader" in str(failed.value)
    assert newer.read_text(encoding="utf-8") == original and not newer.with_name(EDITS_NAME + ".bad").exists()
    unreadable = tmp_path / "b" / EDITS_NAME
    unreadable.mkdir(parents=True)  # a folder where the file should be: reading it fails
    (unreadable / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(SaveFailed) as failed:
        EditsFile(unreadable).save("y.pdf", clean_changes({"title": "修改"}))
    assert "cannot be read" in str(failed.value) and (unreadable / "keep").exists()


def test_the_edits_file_is_read_once_per_change_not_per_article_opened(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "a.txt").write_text("甲\n\n內文。\n", encoding="utf-8")
    library = library_at(root, tmp_path / "data")
    assert library.metadata_edits() is library.metadata_edits()
    library.save_metadata("a.txt", {"title": "新甲"})
    edits = library.metadata_edits()
    first = edits._read()
    assert library.load("a.txt").title == "新甲" and edits._read() is first  # unchanged on disk: not parsed again
    other = library_at(root, tmp_path / "data")  # another Reader saves: this one sees it
    other.save_metadata("a.txt", {"title": "又改"})
    assert library.load("a.txt").title == "又改"
