"""Importing documents (PDF, Word, OpenDocument, EPUB, saved pages) copies them into the
library as they are, where the library reads them. Before, `reader import journal.pdf` and a
PDF dropped on the window said "nothing to import", and the Import dialog did not offer them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.library import importing
from reader.library.importing import FAILED, IMPORTED, UNCHANGED, run_import
from tests.conftest import run_cli
from tests.test_formats_samples import make_docx, make_pdf


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "Journal 2024.PDF"
    path.parent.mkdir()
    make_pdf(path)
    return path


def test_reader_import_copies_a_pdf_and_lists_it(pdf: Path, tmp_path: Path, data_dir: Path) -> None:
    library = tmp_path / "lib"
    result = run_cli("import", str(pdf), "--library", str(library), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "1 article imported" in result.stderr
    copied = library / "Journal 2024.pdf"
    assert copied.read_bytes() == pdf.read_bytes()  # the document itself, not a conversion
    listed = json.loads(run_cli("list", "--library", str(library), "--json", data_dir=data_dir).stdout)["articles"]
    assert [a["path"] for a in listed] == ["Journal 2024.pdf"]
    assert listed[0]["title"].startswith("人工智慧治理") and listed[0]["problems"] == []
    found = json.loads(run_cli("search", "--library", str(library), "資料", "--json", data_dir=data_dir).stdout)
    assert found["total"] == 1
    # Again: the same source is that article already.
    again = run_cli("import", str(pdf), "--library", str(library), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip().endswith("1 article unchanged") and "could not be understood" not in again.stderr, again.stderr
    assert sorted(p.name for p in library.iterdir()) == ["Journal 2024.pdf"]


def test_a_taken_name_gets_the_next_one_and_folders_are_mirrored(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "2024").mkdir(parents=True)
    make_pdf(src / "2024" / "report.pdf")
    make_docx(src / "2024" / "memo.docx")
    (src / "2024" / "memo.txt").write_text("備忘錄\n\n內容。", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "report.pdf").write_bytes(b"%PDF-1.4\n% another report, not a real one\n")
    library = tmp_path / "lib"
    (library / "2024").mkdir(parents=True)
    (library / "2024" / "report.pdf").write_bytes(b"the user's own file")
    report = run_import([src, other], library)
    by_source = {r.source.name if r.source.parent != other else "other/" + r.source.name: r for r in report.results}
    assert {name: r.status for name, r in by_source.items()} == {
        "report.pdf": IMPORTED, "memo.docx": IMPORTED, "memo.txt": IMPORTED, "other/report.pdf": IMPORTED}
    assert (library / "2024" / "report.pdf").read_bytes() == b"the user's own file"  # never replaced
    assert (library / "2024" / "report-2.pdf").read_bytes() == (src / "2024" / "report.pdf").read_bytes()
    assert (library / "2024" / "memo.docx").read_bytes() == (src / "2024" / "memo.docx").read_bytes()
    assert (library / "2024" / "memo.md").is_file()
    assert (library / "report.pdf").read_bytes() == (other / "report.pdf").read_bytes()


def test_a_document_over_the_limit_or_empty_is_refused_by_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(importing, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    big = tmp_path / "big.epub"
    big.write_bytes(b"PK" + b"\0" * (2 * 1024 * 1024))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    report = run_import([big, empty], tmp_path / "lib")
    problems = {r.source.name: (r.status, r.problem) for r in report.results}
    assert problems == {"big.epub": (FAILED, "too large (2 MB; the limit is 1 MB)"), "empty.pdf": (FAILED, "empty file")}
    assert not any((tmp_path / "lib").iterdir())


def test_an_edited_copy_is_kept_and_an_unchanged_one_is_recognised(pdf: Path, tmp_path: Path, data_dir: Path) -> None:
    library = tmp_path / "lib"
    record = tmp_path / "imports.json"
    assert [r.status for r in run_import([pdf], library, record=record).results] == [IMPORTED]
    assert [r.status for r in run_import([pdf], library, record=record).results] == [UNCHANGED]
    (library / "Journal 2024.pdf").write_bytes(b"%PDF-1.4 annotated by the user\n")
    pdf.write_bytes(pdf.read_bytes() + b"\n% a new version\n")
    result = run_import([pdf], library, record=record).results[0]
    assert result.status == FAILED and "was changed in the library since it was imported" in result.problem
    assert (library / "Journal 2024.pdf").read_bytes() == b"%PDF-1.4 annotated by the user\n"


def test_a_pdf_dropped_on_the_window_is_imported_and_opened(qtbot, pdf: Path, data_dir: Path, sample_library: Path) -> None:
    pytest.importorskip("PySide6")
    from tests.test_first_run import drop, finish, start

    window = start(qtbot, data_dir, sample_library)
    drop(window, pdf, qtbot=qtbot)
    assert window.import_message.endswith("1 imported"), window.import_message
    assert (sample_library / "Journal 2024.pdf").read_bytes() == pdf.read_bytes()
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "Journal 2024.pdf", timeout=20000)
    qtbot.waitUntil(lambda: "人工智慧治理的風險評估框架" in window.pane.toPlainText(), timeout=20000)
    finish(qtbot, window)


def test_an_articles_link_to_a_document_of_the_library_opens_it(qtbot, pdf: Path, data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QUrl

    from tests.test_first_run import finish, start

    library = tmp_path / "lib"
    library.mkdir()
    (library / "index.md").write_text("---\ntitle: 目錄\n---\n\n見[期刊](journal.pdf)。\n", encoding="utf-8")
    (library / "journal.pdf").write_bytes(pdf.read_bytes())
    window = start(qtbot, data_dir, library)
    window.open_path("index.md")
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "index.md", timeout=20000)
    window.follow_link(QUrl("journal.pdf"))
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "journal.pdf", timeout=20000)
    finish(qtbot, window)


def test_a_document_over_the_article_limit_is_recognised_on_reimport(tmp_path: Path, monkeypatch) -> None:
    """The copy in the library was compared under the 20 MB article limit: a larger document
    was "no longer a regular file" with a record, and copied again as -2, -3 without one."""
    # The article limit made small, wherever it applies (its use as a default argument too).
    monkeypatch.setattr(importing, "MAX_ARTICLE_BYTES", 1024)
    monkeypatch.setattr(importing.read_regular_file, "__defaults__", (1024,))
    doc = tmp_path / "big.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + b"0" * 4096)
    library, record = tmp_path / "lib", tmp_path / "imports.json"
    statuses = [run_import([doc], library, record=record).results[0].status for _ in range(2)]
    statuses += [run_import([doc], library).results[0].status for _ in range(2)]
    assert statuses == [IMPORTED, UNCHANGED, UNCHANGED, UNCHANGED]
    assert sorted(p.name for p in library.iterdir()) == ["big.pdf"]


def test_a_record_entry_of_another_kind_of_file_is_not_overwritten(tmp_path: Path) -> None:
    """One file imported under two names (a symlink note.txt to note.mht): the record's entry
    for the .mht copy must not turn that copy into Markdown."""
    src = tmp_path / "src"
    src.mkdir()
    page = src / "note.mht"
    page.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<html><body><p>\xe5\x85\xa7\xe5\xae\xb9</p></body></html>\r\n")
    library, record = tmp_path / "lib", tmp_path / "imports.json"
    assert run_import([page], library, record=record).results[0].status == IMPORTED
    alias = tmp_path / "note.txt"
    alias.symlink_to(page)
    result = run_import([alias], library, record=record).results[0]
    assert result.status == IMPORTED and result.target.name == "note.md"
    assert (library / "note.mht").read_bytes() == page.read_bytes()


def test_a_name_that_is_only_a_suffix_is_a_document(tmp_path: Path) -> None:
    doc = tmp_path / ".pdf"
    make_pdf(doc)
    result = run_import([doc], tmp_path / "lib").results[0]
    assert result.status == IMPORTED and result.target.name == "document.pdf"
    assert result.target.read_bytes() == doc.read_bytes()


def test_a_saved_pages_folder_is_not_imported_apart_from_its_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "page_files").mkdir(parents=True)
    (src / "page.html").write_text("<html><head><title>頁面</title></head><body><p>正文內容。</p></body></html>", encoding="utf-8")
    (src / "page_files" / "frame.html").write_text("<html><body><p>框架</p></body></html>", encoding="utf-8")
    make_pdf(src / "page_files" / "embedded.pdf")
    report = run_import([src], tmp_path / "lib")
    assert [(r.source.name, r.status) for r in report.results] == [("page.html", IMPORTED)]
