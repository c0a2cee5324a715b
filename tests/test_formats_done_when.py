"""Issue 12's "done when", as one user would check it, through the real CLI
(:func:`reader.cli.main`) and the real window (MainWindow, offscreen):

A folder holding a multi-page Traditional-Chinese PDF (with running headers and page
numbers), the same document as .docx and .odt, an EPUB, an .mhtml and a scanned PDF shows six
readable articles. Each of their key sentences is found by ``reader search``. A highlight on
page 3 of the PDF exports with ``page=3``.

The documents are made here with the real producers (reportlab, python-docx, the ODF XML,
the EPUB zip, the MIME package, Pillow; :mod:`tests.test_formats_samples`). Only the scanned
PDF's reading needs Tesseract with Traditional Chinese; without it, the scan must be listed
with its problem, and the test is skipped at the end, saying so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from reader.cli import main  # noqa: E402
from reader.library.formats import ocr  # noqa: E402
from reader.ui.article_models import PathRole  # noqa: E402
from tests.test_formats_samples import (  # noqa: E402
    AUTHORS,
    FIRST_LABEL,
    JOURNAL_HEADER,
    TITLE,
    make_docx,
    make_epub,
    make_mhtml,
    make_odt,
    make_pdf,
    make_scanned_pdf,
)
from tests.test_window import Harness  # noqa: E402

SCAN_LINES = ["人工智慧基本法草案第三條", "主管機關應建立風險分級制度", "個人資料保護委員會得要求說明"]
SCANNED_NO_OCR = "scanned PDF without a text layer: install tesseract-ocr and tesseract-ocr-chi-tra to read it"
HAN_LINE = re.compile(r"[\u4e00-\u9fff]+")
SIX = ["book.epub", "journal.docx", "journal.odt", "journal.pdf", "page.mhtml", "scan.pdf"]


def reader(capsys, data: Path, *args: str) -> str:
    """``reader ARGS`` in this process; its stdout (it must succeed and name no traceback)."""
    capsys.readouterr()
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    return out


def plain_sentences(article) -> list[str]:
    """The article's Chinese body sentences that carry no footnote reference (a reference
    is a number inside the sentence, which the reader sees as written)."""
    from tests.test_formats_samples import Para

    out = []
    for block in article.blocks:
        if isinstance(block, Para) and block.lang == "zh":
            out += [s.strip() for s in re.findall(r"[^。]+。", block.text) if "{fn:" not in s]
    return out


def search_hits(capsys, data: Path, library: Path, query: str) -> set[str]:
    found = json.loads(reader(capsys, data, "search", query, "--library", str(library), "--json", "--limit", "0"))
    return {hit["path"] for hit in found["hits"]}


def test_six_readable_articles_found_by_search_and_a_page_3_highlight(qtbot, capsys, tmp_path: Path, data_dir: Path) -> None:
    library = tmp_path / "documents"
    library.mkdir()
    pdf = make_pdf(library / "journal.pdf")  # CID font, running header, page numbers, labels from 39
    make_docx(library / "journal.docx")
    make_odt(library / "journal.odt")
    epub = make_epub(library / "book.epub")
    mhtml = make_mhtml(library / "page.mhtml")  # Big5, quoted-printable
    make_scanned_pdf(library / "scan.pdf", SCAN_LINES, pages=2)
    can_ocr = not ocr.missing_problem()
    assert pdf.pages >= 4

    # What each article must show and be found by: sentences from the start, middle and end
    # of the journal article (the PDF's first and third pages among them), the EPUB's
    # chapters, the saved page's paragraphs, the scan's lines.
    sentences = plain_sentences(pdf.article)
    page_3 = [ln.text.strip("\u3000") for ln in pdf.lines if ln.kind == "body" and ln.page == 2]
    journal_keys = sentences[:: max(1, len(sentences) // 6)][:6] + [sentences[-1]]
    keys = {
        "journal.pdf": journal_keys,
        "journal.docx": journal_keys,
        "journal.odt": journal_keys,
        "book.epub": [paragraphs[-1] for _title, paragraphs in epub.chapters],
        "page.mhtml": list(mhtml.paragraphs),
        "scan.pdf": SCAN_LINES,
    }

    # -- reader list: six articles, with their titles and no problems ----------------------
    listed = json.loads(reader(capsys, data_dir, "list", "--library", str(library), "--json"))["articles"]
    articles = {a["path"]: a for a in listed}
    assert sorted(articles) == SIX
    for path in ("journal.pdf", "journal.docx", "journal.odt"):
        assert (articles[path]["title"], articles[path]["authors"]) == (TITLE, AUTHORS), path
    assert articles["book.epub"]["title"] == "數位治理論文集"
    assert articles["page.mhtml"]["title"] == mhtml.title
    for path in SIX:
        if path != "scan.pdf":
            assert articles[path]["problems"] == [], (path, articles[path]["problems"])
    assert articles["scan.pdf"]["problems"] == ([] if can_ocr else [SCANNED_NO_OCR])

    # -- reader export --format text: readable, without the page furniture ------------------
    for path in SIX if can_ocr else SIX[:-1]:
        text = reader(capsys, data_dir, "export", path, "--library", str(library), "--format", "text")
        assert "\ufffd" not in text, path  # no undecodable characters
        for key in keys[path]:
            assert key in text, (path, key)
    pdf_text = reader(capsys, data_dir, "export", "journal.pdf", "--library", str(library), "--format", "text")
    assert JOURNAL_HEADER not in pdf_text
    assert not re.search(rf"(?m)^\s*({'|'.join(str(FIRST_LABEL + k) for k in range(pdf.pages))})\s*$", pdf_text)

    # -- reader search: every key sentence, in the articles that hold it --------------------
    reader(capsys, data_dir, "index", "--library", str(library))
    for path in SIX if can_ocr else SIX[:-1]:
        for key in keys[path]:
            assert path in search_hits(capsys, data_dir, library, f'"{key}"'), (path, key)
    assert not search_hits(capsys, data_dir, library, f'"{JOURNAL_HEADER}"')  # a running header is not text

    # -- the window: six rows, each opens with its text readable -----------------------------
    harness = Harness(qtbot, data_dir, library, articles=6)
    window = harness.start()
    try:
        model = window.list_panel.view.model()
        rows = {model.index(r, 0).data(PathRole): model.index(r, 0).data() for r in range(model.rowCount())}
        assert sorted(rows) == SIX
        assert rows["journal.pdf"] == rows["journal.docx"] == rows["journal.odt"] == TITLE
        for path in SIX:
            harness.open(path)
            qtbot.waitUntil(lambda: window.pane.is_settled, timeout=10000)
            shown = window.pane.toPlainText()
            assert "\ufffd" not in shown, path
            if path == "scan.pdf" and not can_ocr:
                continue
            for key in keys[path]:
                assert key in shown, (path, key)
            assert JOURNAL_HEADER not in shown, path

        # A highlight made on the PDF's third page (printed 頁 41): select a line there, press H.
        harness.open("journal.pdf")
        pane = window.pane
        qtbot.waitUntil(lambda: pane.is_settled, timeout=10000)
        text = window.current.rendered.text
        chosen = next(t for t in page_3[1:] if HAN_LINE.fullmatch(re.sub(r"[，。、（）]", "", t)) and text.count(t) == 1)
        start = text.index(chosen)
        assert window.current.rendered.pages.page_at(start) == str(FIRST_LABEL + 2)
        qs, qe = pane.mapping.plain_range_to_qt(start, start + len(chosen))
        cursor = QTextCursor(pane.document())
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.MoveMode.KeepAnchor)
        pane.setTextCursor(cursor)
        pane.ensureCursorVisible()
        above = [label for position, label in pane.page_margin.labels if position <= qs]
        assert above[-1] == str(FIRST_LABEL + 2)  # the margin shows the printed page above it
        pane.setFocus()
        qtbot.keyClick(pane, Qt.Key.Key_H)
        qtbot.waitUntil(lambda: len(window.session.store.all(window.session.root)) == 1, timeout=5000)
    finally:
        window.close()

    # -- reader annotations export: the highlight names page=3 -------------------------------
    exported = json.loads(reader(capsys, data_dir, "annotations", "export", "--library", str(library), "--article", "journal.pdf"))
    [item] = exported["items"]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == chosen
    assert selectors["FragmentSelector"] == {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778", "value": "page=3"}
    position = selectors["TextPositionSelector"]
    assert pdf_text[position["start"] : position["end"]] == chosen  # the export text is what it indexes
    if not can_ocr:
        pytest.skip(f"the scanned PDF was listed with its problem but not read: {ocr.missing_problem()}")
