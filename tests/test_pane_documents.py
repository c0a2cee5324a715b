"""Documents in the window: a Word file's picture in the reading pane, a PDF's page labels
in its margin, extraction in the background with progress and cancellation, imports off
the UI thread, and failures told in one line. Documents are made with the real producers
(python-docx, Pillow, reportlab) in tmp_path; the session and pane are the window's own."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QColor, QImage  # noqa: E402

from reader.errors import ReaderError  # noqa: E402
from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.themes import THEMES  # noqa: E402
from reader.ui.app import make_app  # noqa: E402
from reader.ui.reading_pane import ReadingPane, page_label_text  # noqa: E402
from reader.ui.session import LibrarySession  # noqa: E402
from reader.ui.workers import TaskRunner, error_line  # noqa: E402
from tests.test_formats_samples import FIRST_LABEL, make_epub, make_mhtml, make_odt, make_pdf  # noqa: E402

PICTURE_RGB = (214, 40, 40)  # a red no theme has


def make_docx_with_picture(path: Path, size: tuple[int, int] = (240, 120)) -> None:
    """A Word file with a heading, two paragraphs and a red PNG picture between them."""
    import docx
    from docx.shared import Inches
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", size, PICTURE_RGB).save(picture, "PNG")
    picture.seek(0)
    document = docx.Document()
    document.core_properties.title = "風險管理框架圖解"
    document.add_heading("風險管理框架圖解", level=0)
    document.add_paragraph("下圖為風險管理框架的四項功能：治理、映射、衡量與管理。")
    document.add_picture(picture, width=Inches(2.5))
    document.add_paragraph("圖一之後的說明文字。")
    document.save(str(path))


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def shelf(qtbot, tmp_path: Path, data_dir: Path):
    """``shelf(files)``: a library folder with those documents, its session and a pane at
    the screenshot size's reading width; the session is closed afterwards."""
    make_app()
    made: list[LibrarySession] = []

    def make(**documents) -> tuple[LibrarySession, ReadingPane]:
        root = tmp_path / "library"
        root.mkdir(exist_ok=True)
        for name, maker in documents.items():
            maker(root / name.replace("_", "."))
        paths = DataPaths(data_dir)
        session = LibrarySession(paths, Library(root.resolve(), paths))
        made.append(session)
        pane = ReadingPane()
        qtbot.addWidget(pane)
        pane.resize(900, 700)
        pane.show()
        return session, pane

    yield make
    for session in made:
        session.close()


def open_in(qtbot, session: LibrarySession, pane: ReadingPane, path: str):
    with qtbot.waitSignal(session.article_loaded, timeout=30000) as blocker:
        session.open_article(path, pane.document_style())
    opened = blocker.args[0]
    pane.show_document(opened.document, opened.rendered)
    qtbot.waitUntil(lambda: pane.is_settled, timeout=10000)
    return opened


def pixels(image: QImage, color: tuple[int, int, int], tolerance: int = 12) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if all(abs(v - w) <= tolerance for v, w in zip((c.red(), c.green(), c.blue()), color, strict=True)):
                count += 1
    return count


# -- pictures of documents ---------------------------------------------------------------------
def test_a_word_files_picture_is_shown_in_the_pane(qtbot, shelf) -> None:
    session, pane = shelf(figure_docx=make_docx_with_picture)
    opened = open_in(qtbot, session, pane, "figure.docx")
    assert "reader-embedded/" in opened.rendered.body_html or opened.document.parts
    shown = pane.grab().toImage()
    assert [kind for url, kind in pane.resource_log if url.startswith("reader-embedded/")] == ["image"]
    # The picture itself, not the "image not shown" placeholder: its red is on the screen.
    assert pixels(shown, PICTURE_RGB) > 500


@pytest.mark.parametrize("name, maker", [("book.epub", make_epub), ("page.mhtml", make_mhtml), ("journal.odt", make_odt)])
def test_pictures_of_epub_mhtml_and_odt_are_shown_from_the_document(qtbot, shelf, name, maker) -> None:
    session, pane = shelf(**{name.replace(".", "_"): maker})
    opened = open_in(qtbot, session, pane, name)
    assert "reader-embedded/" in opened.rendered.body_html
    pane.document().documentLayout().documentSize()  # every picture is asked for
    kinds = [kind for url, kind in pane.resource_log if url.startswith("reader-embedded/")]
    assert kinds and set(kinds) == {"image"}


def test_a_picture_too_large_to_decode_is_refused(qtbot, shelf) -> None:
    # 7000 × 7000 pixels is 49 million: over the pane's limit, yet a small PNG file.
    session, pane = shelf(huge_docx=lambda p: make_docx_with_picture(p, size=(7000, 7000)))
    open_in(qtbot, session, pane, "huge.docx")
    pane.grab()
    assert [kind for url, kind in pane.resource_log if url.startswith("reader-embedded/")] == ["refused"]
    assert pixels(pane.grab().toImage(), PICTURE_RGB) == 0


def test_an_article_that_is_no_document_cannot_reach_a_pictures_name(qtbot, shelf, tmp_path: Path) -> None:
    def markdown(path: Path) -> None:
        path.with_suffix(".md").write_text("# 圖\n\n![x](reader-embedded/image1.png)\n", encoding="utf-8")

    session, pane = shelf(note_x=markdown)
    open_in(qtbot, session, pane, "note.md")
    pane.grab()
    assert [kind for _url, kind in pane.resource_log] == ["refused"]


# -- page labels ------------------------------------------------------------------------------
def test_a_pdfs_page_labels_are_in_the_margin_where_each_page_starts(qtbot, shelf) -> None:
    session, pane = shelf(journal_pdf=make_pdf)
    opened = open_in(qtbot, session, pane, "journal.pdf")
    pages = opened.rendered.pages
    assert pages is not None
    wanted = [label for _offset, label in pages.boundaries()]
    assert wanted[0] == str(FIRST_LABEL)
    margin = pane.page_margin
    assert margin.isVisible()
    # Each page once where it starts (the footnotes at the end carry their pages' labels too).
    assert [label for _position, label in margin.labels] == [w for k, w in enumerate(wanted) if k == 0 or wanted[k - 1] != w]
    assert [label for _position, label in margin.labels][:4] == [str(FIRST_LABEL + k) for k in range(4)]
    # The margin is wide enough for the label and lies beside the text, not over it.
    assert pane.viewportMargins().left() >= margin.needed_width() > 0
    assert margin.geometry().right() < pane.viewport().geometry().left()
    # At the top: the first page's label, on the first line of the body.
    shown = margin.visible_labels()
    assert [label for _box, label in shown][:1] == [str(FIRST_LABEL)]
    first_line = pane.cursorRect(pane.textCursor()).height()
    assert first_line > 0
    # Scrolled to where the third page starts, its label is in view, on that line.
    offset, label = pages.boundaries()[2]
    pane.scroll_to_plain(offset)
    qtbot.waitUntil(lambda: label in [text for _box, text in margin.visible_labels()], timeout=3000)
    box = next(b for b, text in margin.visible_labels() if text == label)
    qs, _ = pane.mapping.plain_range_to_qt(offset, offset + 1)
    cursor = pane.textCursor()
    cursor.setPosition(qs)
    line = pane.cursorRect(cursor)
    assert abs(box.center().y() - (line.center().y() + pane.viewport().y() - margin.y())) <= 1
    # And it is painted: text in the theme's label colour in that box of the margin.
    image = margin.grab().toImage()
    color = margin.color()
    drawn = [image.pixelColor(x, y) for y in range(max(0, box.top()), min(image.height(), box.bottom())) for x in range(image.width())]
    assert any(contrast(c, QColor(THEMES["light"]["bg"])) > 3 for c in drawn)
    assert color.name() == THEMES["light"]["muted"]
    # In a narrow pane the labels take the room they need; the text moves over for them.
    pane.resize(pane.measure_px() + 20, 700)
    qtbot.waitUntil(lambda: pane.viewportMargins().left() == margin.needed_width(), timeout=3000)
    assert pane.viewportMargins().right() < margin.needed_width()
    # Another article without pages: the labels and their room go.
    needed = margin.needed_width()
    pane.clear_article()
    assert not margin.isVisible()
    assert pane.viewportMargins().left() == pane.viewportMargins().right() < needed


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_page_labels_keep_four_and_a_half_to_one_in_every_theme(qtbot, theme) -> None:
    make_app()
    pane = ReadingPane()
    qtbot.addWidget(pane)
    pane.apply_theme(theme)
    assert contrast(pane.page_margin.color(), QColor(THEMES[theme]["bg"])) >= 4.5


def test_page_labels_speak_the_interface_language(qtbot) -> None:
    from reader.ui.i18n import set_language

    app = make_app()
    assert page_label_text("39") == "p. 39"
    set_language(app, "zh_TW")
    try:
        assert page_label_text("39") == "頁 39"
    finally:
        set_language(app, "en")


def test_an_article_without_pages_has_no_margin_labels(qtbot, shelf) -> None:
    session, pane = shelf(figure_docx=make_docx_with_picture)
    open_in(qtbot, session, pane, "figure.docx")
    assert not pane.page_margin.isVisible() and pane.page_margin.labels == []


# -- extraction in the background ---------------------------------------------------------------
def three_pdfs(root: Path) -> None:
    for k in range(3):
        make_pdf(root / f"journal{k}.pdf")


def test_extraction_reports_progress_and_lists_the_documents(qtbot, shelf) -> None:
    session, _pane = shelf(a_pdf=lambda p: three_pdfs(p.parent))
    steps: list[tuple[int, int, str]] = []
    session.extraction_progress.connect(lambda done, total, path: steps.append((done, total, path)))
    with qtbot.waitSignal(session.extraction_finished, timeout=60000) as finished, \
            qtbot.waitSignal(session.catalog_changed, timeout=60000) as listed:
        session.refresh(index=False)
    assert finished.args == [""]
    assert steps and steps[-1][0] == steps[-1][1] == 3
    assert {path for _d, _t, path in steps if path} <= {f"journal{k}.pdf" for k in range(3)}
    assert {row.path for row in listed.args[0]} == {f"journal{k}.pdf" for k in range(3)}
    assert not session.extracting and not session.busy


def test_cancelling_stops_the_extraction_and_the_next_update_reads_the_rest(qtbot, shelf) -> None:
    session, _pane = shelf(a_pdf=lambda p: three_pdfs(p.parent))
    indexed: list[str] = []
    session.index_finished.connect(indexed.append)
    with qtbot.waitSignal(session.extraction_finished, timeout=60000) as finished:
        session.refresh()
        session.cancel_indexing()  # the window's cancel button, before a document is read
    assert finished.args[0].startswith("Reading documents cancelled")
    assert not session.indexing and not session.busy
    qtbot.wait(100)
    assert indexed == []  # the cancel stopped it all: no indexing started after it
    assert len(session.catalog.list_rows()) < 3
    # The automatic scans that follow (the window's timer, the file watcher) read none:
    # the reader said stop.
    steps: list[int] = []
    session.extraction_progress.connect(lambda done, _total, _path: steps.append(done))
    session.refresh(index=False)
    qtbot.waitUntil(lambda: not session.busy, timeout=30000)
    qtbot.wait(50)
    assert steps == [] and len(session.catalog.list_rows()) < 3
    # Library ▸ Update index reads the rest.
    with qtbot.waitSignal(session.extraction_finished, timeout=60000) as finished:
        session.resume_extraction()
    assert finished.args == [""] and steps and steps[-1] == 3
    qtbot.waitUntil(lambda: not session.busy, timeout=30000)
    assert len(session.catalog.list_rows()) == 3


SCAN_LINES = ["人工智慧基本法草案第三條", "主管機關應建立風險分級制度"]


def needs_ocr() -> None:
    from reader.library.formats import ocr

    if ocr.missing_problem():
        pytest.skip(f"OCR is not tested here: {ocr.missing_problem()}")


def our_ocr_processes(temp: Path) -> list[str]:
    """Command lines of running processes that use ``temp`` (the extraction child's
    Tesseract reads its page picture from there)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if str(temp) in line:
                found.append(line)
    return found


def test_a_scans_ocr_is_reported_page_by_page(qtbot, shelf) -> None:
    """A scan is recognised in the background page by page: the session reports each page
    Tesseract has finished (1/3, 2/3, 3/3) for the window's progress."""
    from tests.test_formats_samples import make_scanned_pdf

    needs_ocr()
    session, _pane = shelf(scan_pdf=lambda p: make_scanned_pdf(p, SCAN_LINES, pages=3))
    pages: list[tuple[str, int, int]] = []
    session.extraction_page_progress.connect(lambda path, done, total: pages.append((path, done, total)))
    with qtbot.waitSignal(session.extraction_finished, timeout=120000) as finished:
        session.refresh(index=False)
    assert finished.args == [""]
    assert {path for path, _d, _t in pages} == {"scan.pdf"} and {total for _p, _d, total in pages} == {3}
    done = [d for _p, d, _t in pages]
    assert done == sorted(done) and {1, 2, 3} <= set(done), pages  # each recognised page, in order
    [row] = session.catalog.list_rows()
    assert (row.path, row.problems) == ("scan.pdf", [])


def test_cancelling_stops_ocr_in_the_middle_of_a_scan_and_stores_nothing(qtbot, shelf, data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """Cancel while page 2 of a 6-page scan is being recognised: the extraction process and
    its Tesseract are stopped at once (no further page is reported, none is left running),
    no cache entry or catalog row is left of the half-read scan, and the next update reads
    it whole."""
    import multiprocessing

    from tests.test_formats_samples import make_scanned_pdf

    needs_ocr()
    temp = tmp_path / "child-temp"  # the extraction child's temporary folder (it inherits TMPDIR)
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    session, _pane = shelf(scan_pdf=lambda p: make_scanned_pdf(p, SCAN_LINES, pages=6))
    pages: list[int] = []
    at_cancel: list[int] = []

    def page_done(_path: str, done: int, _total: int) -> None:
        pages.append(done)
        if done >= 1 and not at_cancel:
            at_cancel.append(done)
            session.cancel_extraction()  # the window's cancel button, while the next page is read

    session.extraction_page_progress.connect(page_done)
    with qtbot.waitSignal(session.extraction_finished, timeout=120000) as finished:
        session.refresh(index=False)
    assert finished.args[0].startswith("Reading documents cancelled")
    qtbot.waitUntil(lambda: not session.busy, timeout=30000)
    assert at_cancel and max(pages) <= at_cancel[0] + 1 < 6, pages  # stopped mid-document
    assert multiprocessing.active_children() == []  # the extraction process is gone
    assert our_ocr_processes(temp) == [] and list(temp.iterdir()) == []  # so is its Tesseract
    assert list((data_dir / "extracted").rglob("*.json.gz")) == []  # no half entry
    assert session.catalog.list_rows() == []  # not listed half-read
    with qtbot.waitSignal(session.extraction_finished, timeout=180000) as finished:
        session.resume_extraction()
    assert finished.args == [""]
    qtbot.waitUntil(lambda: not session.busy, timeout=60000)
    [row] = session.catalog.list_rows()
    assert (row.path, row.problems) == ("scan.pdf", [])
    assert len(list((data_dir / "extracted").rglob("*.json.gz"))) == 1


# -- intents -----------------------------------------------------------------------------------
def test_clear_search_drops_results_still_on_the_way(qtbot, shelf) -> None:
    session, _pane = shelf(a_pdf=make_pdf)
    with qtbot.waitSignal(session.index_finished, timeout=60000):
        session.refresh()
    results = []
    session.search_finished.connect(lambda generation, result: results.append(generation))
    with qtbot.waitSignal(session.search_finished, timeout=10000):
        session.search("人工智慧")
    assert len(results) == 1
    session.search("人工智慧")
    session.clear_search()
    qtbot.waitUntil(lambda: not session.searches.busy, timeout=10000)
    qtbot.wait(50)  # a late result would be delivered by now
    assert len(results) == 1


def test_import_runs_on_the_worker_and_reports(qtbot, shelf, tmp_path: Path) -> None:
    session, _pane = shelf()
    source = tmp_path / "outside" / "memo.txt"
    source.parent.mkdir()
    source.write_text("備忘錄\n\n主管機關應建立風險分級制度。\n", encoding="utf-8")
    ui_thread = threading.current_thread()
    seen_threads = []
    session.background.run(lambda: seen_threads.append(threading.current_thread()), lambda _r: None)
    with qtbot.waitSignal(session.import_finished, timeout=30000) as blocker:
        session.import_files([source])
    report = blocker.args[0]
    assert [r.status for r in report.results] == ["imported"]
    assert report.results[0].target.is_file() and report.results[0].target.parent == session.library.root
    assert seen_threads and seen_threads[0] is not ui_thread  # the runner imports run on


def test_an_import_into_a_folder_that_cannot_be_made_says_so_in_one_line(qtbot, shelf, tmp_path: Path) -> None:
    session, _pane = shelf()
    blocker_file = tmp_path / "not-a-folder"
    blocker_file.write_text("x", encoding="utf-8")
    source = tmp_path / "memo.txt"
    source.write_text("備忘錄\n", encoding="utf-8")
    with qtbot.waitSignal(session.import_failed, timeout=30000) as blocker:
        session.import_files([source], blocker_file / "library")
    line = blocker.args[0]
    assert "\n" not in line and "Traceback" not in line
    assert str(blocker_file / "library") in line


# -- failures ----------------------------------------------------------------------------------
def test_task_runner_hands_the_exception_itself_to_the_failure_callback(qtbot) -> None:
    make_app()
    runner = TaskRunner(1)
    errors: list[BaseException] = []

    def job():
        raise ReaderError("the disk is full", "/data/annotations.sqlite3")

    runner.run(job, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ReaderError) and errors[0].__traceback__ is not None
    assert error_line(errors[0]) == "/data/annotations.sqlite3: the disk is full"
    assert error_line(OSError("first line\nsecond line")) == "OSError: first line"
    assert error_line(ValueError()) == "ValueError"


def test_an_article_that_fails_to_open_is_told_in_one_line(qtbot, shelf) -> None:
    session, pane = shelf()
    lines: list[str] = []
    session.message.connect(lines.append)
    session.open_article("../outside.md", pane.document_style())
    qtbot.waitUntil(lambda: bool(lines), timeout=10000)
    # The library's own words, naming the article once, on one line: no traceback.
    assert lines == ["../outside.md: the path leaves the library (..)"]


def test_the_library_folders_are_walked_on_the_worker(qtbot, shelf, tmp_path: Path) -> None:
    session, _pane = shelf()
    root = session.library.root
    (root / "2024" / "判決").mkdir(parents=True)
    (root / ".git" / "objects").mkdir(parents=True)
    with qtbot.waitSignal(session.folders_listed, timeout=10000) as blocker:
        session.list_folders()
    assert sorted(blocker.args[0]) == sorted([str(root), str(root / "2024"), str(root / "2024" / "判決")])


def test_a_highlight_made_in_the_window_on_page_3_is_on_page_3(qtbot, tmp_path: Path, data_dir: Path) -> None:
    """The issue's check, in the window: select a line printed on the PDF's third page (its
    printed label 41), press H; the margin said "p. 41" above it, and the export names page=3."""
    import json
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from tests.conftest import run_cli
    from tests.test_window import Harness

    folder = tmp_path / "documents"
    folder.mkdir()
    sample = make_pdf(folder / "journal.pdf")
    harness = Harness(qtbot, data_dir, folder, articles=1)
    window = harness.start()
    try:
        harness.open("journal.pdf")
        pane = window.pane
        qtbot.waitUntil(lambda: pane.is_settled, timeout=10000)
        text = window.current.rendered.text
        lines = [ln.text.strip("\u3000") for ln in sample.lines if ln.kind == "body" and ln.page == 2]
        chosen = next(t for t in lines[1:] if re.fullmatch(r"[\u4e00-\u9fff]+", re.sub(r"[，。、（）]", "", t)) and text.count(t) == 1)
        start = text.index(chosen)
        qs, qe = pane.mapping.plain_range_to_qt(start, start + len(chosen))
        cursor = QTextCursor(pane.document())
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
        pane.setTextCursor(cursor)
        pane.ensureCursorVisible()
        # The page label the reader sees last above the selection is the third page's.
        above = [label for position, label in pane.page_margin.labels if position <= qs]
        assert above[-1] == str(FIRST_LABEL + 2)
        pane.setFocus()
        qtbot.keyClick(pane, Qt.Key.Key_H)
        store = window.session.store
        qtbot.waitUntil(lambda: len(store.all(window.session.root)) == 1, timeout=5000)
    finally:
        window.close()
    exported = json.loads(run_cli("annotations", "export", "--library", str(folder), "--article", "journal.pdf", data_dir=data_dir).stdout)
    [item] = exported["items"]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == chosen
    assert selectors["FragmentSelector"]["value"] == "page=3"


def test_the_window_status_bar_shows_a_scan_read_page_by_page(qtbot, tmp_path: Path) -> None:
    from reader.settings import Settings
    from reader.ui.main_window import MainWindow
    from tests.test_formats_samples import make_scanned_pdf

    needs_ocr()
    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    make_scanned_pdf(library / "scan.pdf", SCAN_LINES, pages=3)
    make_app()
    paths = DataPaths(data)
    window = MainWindow(paths, Settings(paths.settings_file), Library(library.resolve(), paths))
    qtbot.addWidget(window)
    seen: list[str] = []
    window.statusBar().messageChanged.connect(seen.append)
    window.show()
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 1 and not window.busy, timeout=120000)
    assert "Reading scan.pdf: page 2 / 3" in seen, seen
