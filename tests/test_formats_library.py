"""Documents read in place by the library, through the CLI a user runs: ``reader list``,
``index``, ``search``, ``export`` and ``annotations export`` on a folder of PDF, Word,
OpenDocument, EPUB, MHTML and saved pages, made here with the real producers
(:mod:`tests.test_formats_samples`).

The issue's "done when": a folder holding a multi-page Traditional-Chinese PDF (running
headers, page numbers), the same document as .docx and .odt, an EPUB, an .mhtml and a scanned
PDF shows six readable articles; each one's key sentences are found by ``reader search``; a
highlight on page 3 of the PDF exports with ``page=3``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.annotations.selectors import describe
from reader.annotations.service import open_article
from reader.annotations.store import AnnotationStore
from reader.library.library import Library
from reader.library.reading import document_version
from reader.paths import DataPaths
from reader.render.article import render_article
from tests.conftest import ROOT, run_cli
from tests.test_formats_samples import (
    AUTHORS,
    CHROME,
    DATE,
    FIRST_LABEL,
    JOURNAL_HEADER,
    TITLE,
    make_docx,
    make_epub,
    make_mhtml,
    make_odt,
    make_pdf,
    make_saved_html,
    make_scanned_pdf,
)

SCANNED_NO_OCR = "scanned PDF without a text layer: install tesseract-ocr and tesseract-ocr-chi-tra to read it"
SCAN_LINES = ["人工智慧基本法草案第三條", "主管機關應建立風險分級制度", "個人資料保護委員會得要求說明"]
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"
FOOTNOTE_REF = re.compile(r"(?<=[^\d\s])\d{1,3}(?=[。，])")
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def tesseract_reads_chinese() -> bool:
    if shutil.which("tesseract") is None:
        return False
    done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "chi_tra" in done.stdout + done.stderr


NO_TESSERACT = "tesseract with chi_tra is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-tra)"


def cli(*args: str, data_dir: Path, path_env: str | None = None) -> subprocess.CompletedProcess:
    """``run_cli``, with another PATH when asked (a machine without Tesseract)."""
    if path_env is None:
        return run_cli(*args, data_dir=data_dir)
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8", PATH=path_env)
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folder`` with its size and modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        out[path.relative_to(folder).as_posix()] = (info.st_size if path.is_file() else 0, info.st_mtime_ns)
    return out


@dataclass
class Shelf:
    library: Path
    data: Path
    pdf: object
    docx: object
    odt: object
    epub: object
    mhtml: object
    before: dict


@pytest.fixture(scope="module")
def shelf(tmp_path_factory) -> Shelf:
    """The issue's folder: the journal article as PDF (CID font, running header, page
    numbers, page labels from 39), .docx and .odt; an EPUB; an .mhtml; a scanned PDF."""
    library = tmp_path_factory.mktemp("documents")
    data = tmp_path_factory.mktemp("data")
    pdf = make_pdf(library / "journal.pdf")
    docx = make_docx(library / "journal.docx")
    odt = make_odt(library / "journal.odt")
    epub = make_epub(library / "book.epub")
    mhtml = make_mhtml(library / "page.mhtml")
    make_scanned_pdf(library / "scan.pdf", SCAN_LINES)
    return Shelf(library, data, pdf, docx, odt, epub, mhtml, tree(library))


def listed(shelf: Shelf) -> dict[str, dict]:
    result = ok(cli("list", "--library", str(shelf.library), "--json", data_dir=shelf.data))
    return {a["path"]: a for a in json.loads(result.stdout)["articles"]}


def hits(shelf: Shelf, query: str) -> set[str]:
    result = ok(cli("search", query, "--library", str(shelf.library), "--json", "--limit", "0", data_dir=shelf.data))
    return {h["path"] for h in json.loads(result.stdout)["hits"]}


def exported(shelf: Shelf, path: str, fmt: str) -> str:
    return ok(cli("export", path, "--library", str(shelf.library), "--format", fmt, data_dir=shelf.data)).stdout


# -- the six articles ----------------------------------------------------------------------


def test_six_readable_articles_with_their_metadata(shelf: Shelf) -> None:
    articles = listed(shelf)
    assert sorted(articles) == ["book.epub", "journal.docx", "journal.odt", "journal.pdf", "page.mhtml", "scan.pdf"]
    for path in ("journal.pdf", "journal.docx", "journal.odt"):
        assert (articles[path]["title"], articles[path]["authors"]) == (TITLE, AUTHORS), path
    assert articles["journal.docx"]["date"] == articles["journal.odt"]["date"] == DATE
    book = articles["book.epub"]
    assert (book["title"], book["authors"], book["date"]) == ("數位治理論文集", ["王大明", "李小華"], "2023-11-02")
    page = articles["page.mhtml"]
    assert (page["title"], page["authors"], page["date"]) == ("人工智慧基本法草案公告", ["張雅婷"], "2024-05-21")
    assert page["sources"] == [{"title": "人工智慧基本法草案公告", "url": "https://news.example.tw/ai-law"}]
    for path, article in articles.items():
        if path != "scan.pdf":
            assert article["problems"] == [], (path, article["problems"])
    text = ok(cli("list", "--library", str(shelf.library), data_dir=shelf.data)).stdout
    rows = {line.split("[", 1)[1].split("]", 1)[0]: line for line in text.splitlines()[2:]}
    assert rows["journal.docx"].startswith(f"{DATE}  {TITLE[:10]}")  # a long title is cut, ending in …
    assert rows["book.epub"].startswith("2023-11-02  數位治理論文集 ") and "王大明, 李小華" in rows["book.epub"]
    if not tesseract_reads_chinese():
        assert articles["scan.pdf"]["problems"] == [SCANNED_NO_OCR]
        pytest.skip(f"the scanned PDF is not read: {NO_TESSERACT}")
    assert articles["scan.pdf"]["problems"] == []


def test_key_sentences_are_found(shelf: Shelf) -> None:
    sentences = shelf.pdf.article.sentences()
    for sentence in sentences[:: max(1, len(sentences) // 4)]:
        assert {"journal.pdf", "journal.docx", "journal.odt"} <= hits(shelf, f'"{sentence}"'), sentence
    word = shelf.docx
    assert "journal.docx" in hits(shelf, word.inserted) and "journal.odt" in hits(shelf, word.inserted)
    for hidden in (word.deleted, word.comment):  # a tracked deletion, a comment: not body text
        assert not {"journal.docx", "journal.odt"} & hits(shelf, f'"{hidden}"'), hidden
    assert {"journal.docx", "journal.odt"} <= hits(shelf, f'"{word.list_items[1]}"')
    assert {"journal.docx", "journal.odt"} <= hits(shelf, word.table[1][1])
    for _title, paragraphs in shelf.epub.chapters:
        assert hits(shelf, f'"{paragraphs[-1]}"') == {"book.epub"}
    assert hits(shelf, f'"{shelf.epub.footnote}"') == {"book.epub"}
    for paragraph in shelf.mhtml.paragraphs:
        assert hits(shelf, f'"{paragraph}"') == {"page.mhtml"}
    assert not hits(shelf, f'"{CHROME[4]}"')  # the site's side bar is not the article
    assert not hits(shelf, f'"{JOURNAL_HEADER}"')  # nor a running header
    if not tesseract_reads_chinese():
        pytest.skip(f"the scanned PDF is not searched: {NO_TESSERACT}")
    for line in SCAN_LINES[:2]:
        assert hits(shelf, f'"{line}"') == {"scan.pdf"}, line


def test_phrases_wrapping_across_pdf_lines_and_pages_are_found(shelf: Shelf) -> None:
    sample = shelf.pdf
    body = [ln for ln in sample.lines if ln.kind == "body"]
    wrapped = []
    for line, after in zip(body, body[1:], strict=False):
        if line.page == after.page and not after.text.startswith("\u3000"):
            tail, head = line.text[-4:], after.text[:4]
            if HAN.match(tail) and HAN.match(head):
                wrapped.append(tail + head)
    assert len(wrapped) > 5
    for phrase in wrapped[:: len(wrapped) // 5][:5]:
        assert "journal.pdf" in hits(shelf, f'"{phrase}"'), phrase
    across_pages = [(end, start) for end, start, _page in sample.page_breaks() if HAN.match(end[-3:]) and HAN.match(start[:3])]
    assert across_pages, "the sample should wrap a phrase across a page"
    for end, start in across_pages:
        assert "journal.pdf" in hits(shelf, f'"{end[-3:]}{start[:3]}"')
    for word in sample.hyphenated:  # an English word hyphenated at a line end, rejoined
        assert "journal.pdf" in hits(shelf, word), word


def test_index_reports_every_article(shelf: Shelf) -> None:
    result = ok(cli("index", "--library", str(shelf.library), data_dir=shelf.data))
    assert f"{shelf.library}: 6 articles indexed" in result.stderr


def test_export_text_is_the_extracted_text_without_page_furniture(shelf: Shelf) -> None:
    text = exported(shelf, "journal.pdf", "text")
    plain = FOOTNOTE_REF.sub("", text)
    missing = [s for s in shelf.pdf.article.sentences() if plain.count(s) != 1]
    assert not missing, missing[:3]
    assert JOURNAL_HEADER not in text
    for page in range(shelf.pdf.pages):
        assert not re.search(rf"(?m)^{FIRST_LABEL + page}$", text)
    assert text == exported(shelf, "journal.pdf", "text")  # the same text every time (cached)


def test_export_markdown_prints_the_extracted_markdown(shelf: Shelf) -> None:
    markdown = exported(shelf, "journal.docx", "markdown")
    assert markdown.startswith("---\ntitle: " + TITLE)
    assert "# 壹、前言" in markdown and re.search(r"(?m)^\[\^n1\]: ", markdown)
    assert shelf.docx.inserted in markdown and shelf.docx.deleted not in markdown


def test_export_html_embeds_the_documents_pictures(shelf: Shelf) -> None:
    page = exported(shelf, "page.mhtml", "html")
    assert f'src="data:image/png;base64,{base64.b64encode(shelf.mhtml.image).decode()}"' in page
    for path in ("journal.docx", "journal.odt", "book.epub"):
        result = ok(cli("export", path, "--library", str(shelf.library), "--format", "html", data_dir=shelf.data))
        assert 'src="data:image/png;base64,' in result.stdout, path
        assert "reader-embedded/" not in result.stdout and "image-missing\"" not in result.stdout, path
        assert result.stderr == "", path


def test_nothing_is_written_into_the_library_and_extraction_is_cached(shelf: Shelf) -> None:
    listed(shelf)
    again = ok(cli("list", "--library", str(shelf.library), data_dir=shelf.data))
    assert "reading documents" not in again.stderr  # nothing is extracted a second time
    assert len(list((shelf.data / "extracted").rglob("*.json.gz"))) >= 5
    assert tree(shelf.library) == shelf.before


# -- pages kept ----------------------------------------------------------------------------


def test_a_highlight_on_page_3_exports_with_its_page(shelf: Shelf, tmp_path: Path) -> None:
    paths = DataPaths(shelf.data)
    library = Library(shelf.library.resolve(), paths)
    # As the window does: load, render, select the text of a line printed on page 3.
    article, content_hash = library.load_with_hash("journal.pdf")
    rendered = render_article(article)
    lines = [ln.text.strip("\u3000") for ln in shelf.pdf.lines if ln.kind == "body" and ln.page == 2]
    chosen = next(t for t in lines[1:] if HAN.match(re.sub(r"[，。、（）]", "", t)) and rendered.text.count(t) == 1)
    start = rendered.text.index(chosen)
    quote, position = describe(rendered.text, start, start + len(chosen))
    assert rendered.pages.page_at(start) == str(FIRST_LABEL + 2) and rendered.pages.page_index_at(start) == 2
    store = AnnotationStore.open(paths)
    try:
        store.add_highlight(str(library.root), "journal.pdf", quote, position, "yellow", "第三頁的筆記", content_hash)
        docx_text = render_article(library.load("journal.docx")).text
        docx_quote, docx_position = describe(docx_text, docx_text.index(chosen[:6]), docx_text.index(chosen[:6]) + 6)
        store.add_highlight(str(library.root), "journal.docx", docx_quote, docx_position, "green", "", library.load_with_hash("journal.docx")[1])
    finally:
        store.close()

    result = ok(cli("annotations", "export", "--library", str(shelf.library), "--article", "journal.pdf", data_dir=shelf.data))
    [item] = json.loads(result.stdout)["items"]
    selectors = item["target"]["selector"]
    assert selectors[0] == {"type": "TextQuoteSelector", "exact": chosen, "prefix": quote.prefix, "suffix": quote.suffix}
    assert selectors[1] == {"type": "TextPositionSelector", "start": start, "end": start + len(chosen)}
    assert selectors[2] == {"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": "page=3"}
    text = exported(shelf, "journal.pdf", "text")
    assert text[selectors[1]["start"] : selectors[1]["end"]] == chosen  # the positions index the exported text

    markdown = ok(cli("annotations", "export", "--library", str(shelf.library), "--format", "markdown", data_dir=shelf.data)).stdout
    assert f"> {chosen}\n\n— *黃 Yellow* · 頁 {FIRST_LABEL + 2}（" in markdown and ": 第三頁的筆記\n" in markdown
    assert f"，頁{FIRST_LABEL + 2}。" in markdown  # the citation carries the page
    everything = json.loads(ok(cli("annotations", "export", "--library", str(shelf.library), data_dir=shelf.data)).stdout)
    on_docx = [i for i in everything["items"] if i["target"]["source"] == "journal.docx"]
    assert [s["type"] for s in on_docx[0]["target"]["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]  # no pages

    # Import takes the page selector and ignores it (the page comes from the position).
    export_file = tmp_path / "annotations.json"
    export_file.write_text(result.stdout, encoding="utf-8")
    imported = ok(cli("annotations", "import", str(export_file), "--library", str(shelf.library), data_dir=shelf.data))
    assert imported.stderr.strip().endswith("0 added, 0 updated, 1 unchanged, 0 rejected")
    tampered = json.loads(result.stdout)
    tampered["items"][0]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000003"
    tampered["items"][0]["target"]["selector"][2]["value"] = "page=99"
    export_file.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    ok(cli("annotations", "import", str(export_file), "--library", str(shelf.library), data_dir=shelf.data))
    again = json.loads(ok(cli("annotations", "export", "--library", str(shelf.library), "--article", "journal.pdf", data_dir=shelf.data)).stdout)
    assert [i["target"]["selector"][2]["value"] for i in again["items"]] == ["page=3", "page=3"]


def test_a_new_extractor_version_reads_again_and_annotations_re_anchor(tmp_path: Path) -> None:
    """Annotations are anchored to the file's hash *and* the extractor's version: what an
    older extractor made (another version in the catalog, a highlight anchored to that
    version at an offset of its text) is read again and the highlight re-attached."""
    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    sample = make_pdf(library / "journal.pdf")
    ok(cli("list", "--library", str(library), data_dir=data))
    paths = DataPaths(data)
    lib = Library(library.resolve(), paths)
    article, current = lib.load_with_hash("journal.pdf")
    text = render_article(article).text
    file_hash = hashlib.sha256(sample.path.read_bytes()).hexdigest()
    assert current == document_version(file_hash, "pdf/1") != file_hash
    older = document_version(file_hash, "pdf/0")
    # The state an older Reader left: its catalog row, and a highlight on its text, whose
    # offsets were 7 characters off today's.
    catalog = sqlite3.connect(paths.catalog_db(library.resolve()))
    catalog.execute("UPDATE articles SET extractor = 'pdf/0', hash = ? WHERE path = 'journal.pdf'", (older,))
    catalog.commit()
    catalog.close()
    phrase = "依第四八項說明，立法者須以書面記錄"
    start = text.index(phrase)
    quote, position = describe(text, start, start + len(phrase))
    store = AnnotationStore.open(paths)
    shifted = type(position)(start + 7, start + 7 + len(phrase))
    made = store.add_highlight(str(lib.root), "journal.pdf", quote, shifted, "yellow", "", older)
    store.close()

    relisted = ok(cli("list", "--library", str(library), data_dir=data))
    assert "reading documents: 1/1 journal.pdf" in relisted.stderr  # the row of an older extractor is read again
    assert "reading documents" not in ok(cli("list", "--library", str(library), data_dir=data)).stderr
    exported_items = json.loads(ok(cli("annotations", "export", "--library", str(library), data_dir=data)).stdout)["items"]
    [item] = exported_items
    assert item["id"] == made.id
    assert item["target"]["selector"][1] == {"type": "TextPositionSelector", "start": start, "end": start + len(phrase)}
    assert item["target"]["selector"][2]["value"] == "page=3"
    store = AnnotationStore.open(paths)
    try:
        open_article(store, lib, "journal.pdf")  # as the window opens it: the new anchor is saved
        [saved] = store.for_article(str(lib.root), "journal.pdf")
    finally:
        store.close()
    assert (saved.position.start, saved.article_hash, saved.state) == (start, current, "moved")


# -- problems ------------------------------------------------------------------------------


def test_a_scanned_pdf_without_tesseract_is_named_then_read_once_tesseract_is_there(tmp_path: Path) -> None:
    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    make_scanned_pdf(library / "scan.pdf", SCAN_LINES)
    (library / "note.md").write_text("# 筆記\n\n掃描檔旁邊的筆記。\n", encoding="utf-8")
    no_tesseract = str(tmp_path / "empty-bin")
    first = cli("list", "--library", str(library), "--json", data_dir=data, path_env=no_tesseract)
    ok(first)
    articles = {a["path"]: a for a in json.loads(first.stdout)["articles"]}
    assert articles["scan.pdf"]["problems"] == [SCANNED_NO_OCR]
    assert articles["note.md"]["problems"] == []
    assert f"scan.pdf: {SCANNED_NO_OCR}" in first.stderr.splitlines()
    assert not list((data / "extracted").rglob("*.json.gz"))  # a problem of this machine is not cached
    again = cli("list", "--library", str(library), data_dir=data, path_env=no_tesseract)
    assert "reading documents" not in again.stderr  # not re-read while Tesseract is still missing
    searched = cli("search", "筆記", "--library", str(library), data_dir=data, path_env=no_tesseract)
    assert ok(searched).stdout.startswith("1 article\n")
    if not tesseract_reads_chinese():
        pytest.skip(NO_TESSERACT)
    now = {a["path"]: a for a in json.loads(ok(cli("list", "--library", str(library), "--json", data_dir=data)).stdout)["articles"]}
    assert now["scan.pdf"]["problems"] == []
    assert "scan.pdf" in ok(cli("search", f'"{SCAN_LINES[1]}"', "--library", str(library), data_dir=data)).stdout


def test_broken_encrypted_and_protected_files_are_listed_and_never_stop_the_library(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    (library / "note.md").write_text("# 筆記\n\n損壞檔案旁邊的筆記。\n", encoding="utf-8")
    (library / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    locked = canvas.Canvas(str(library / "locked.pdf"), encrypt=StandardEncryption("secret-user", "secret-owner"))
    locked.drawString(72, 720, "secret")
    locked.save()
    (library / "locked.docx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096)  # Word with a password
    good = make_odt(tmp_path / "good.odt").path.read_bytes()
    (library / "truncated.odt").write_bytes(good[: len(good) // 2])
    make_epub(library / "drm.epub", encrypted="rights")
    (library / "empty.epub").write_bytes(b"")
    with zipfile.ZipFile(library / "photos.docx", "w") as archive:
        archive.writestr("a.txt", "hello")

    result = ok(cli("list", "--library", str(library), "--json", data_dir=data))
    problems = {a["path"]: a["problems"] for a in json.loads(result.stdout)["articles"]}
    assert problems == {
        "note.md": [],
        "broken.pdf": ["damaged PDF: PDFium cannot read it"],
        "locked.pdf": ["encrypted PDF: it needs a password to open"],
        "locked.docx": [problems["locked.docx"][0]],
        "truncated.odt": ["damaged OpenDocument text: not a readable zip archive"],
        "drm.epub": ["DRM-protected EPUB: its chapters are encrypted, so Reader cannot read them"],
        "empty.epub": ["empty file"],
        "photos.docx": ["not a Word document: it is a zip archive of something else"],
    }
    assert problems["locked.docx"][0].startswith("password-protected")
    for path, found in problems.items():
        for problem in found:
            assert f"{path}: {problem}" in result.stderr.splitlines()
    listing = ok(cli("list", "--library", str(library), data_dir=data)).stdout
    rows = {line.split("[", 1)[1].split("]", 1)[0]: line for line in listing.splitlines()[2:]}
    assert rows["locked.pdf"].endswith("  ! encrypted PDF: it needs a password to open")
    assert "數位治理論文集 " in rows["drm.epub"]  # still listed by its title
    ok(cli("index", "--library", str(library), data_dir=data))
    assert ok(cli("search", "損壞檔案", "--library", str(library), data_dir=data)).stdout.startswith("1 article\n")
    assert ok(cli("export", "locked.pdf", "--library", str(library), "--format", "text", data_dir=data)).stdout == ""


# -- saved pages ---------------------------------------------------------------------------


def test_a_saved_page_is_read_with_its_files_folder_which_is_not_listed(tmp_path: Path) -> None:
    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    page = make_saved_html(library / "news")
    frame = library / "news" / "ai-law_files" / "frame.html"  # browsers save sub-frames there
    frame.write_text("<html><body><p>廣告框架的內容。</p></body></html>", encoding="utf-8")
    (library / "plain.html").write_text("<html><head><title>一般網頁</title></head><body><p>一般網頁的內容。</p></body></html>", encoding="utf-8")
    before = tree(library)
    articles = {a["path"]: a for a in json.loads(ok(cli("list", "--library", str(library), "--json", data_dir=data)).stdout)["articles"]}
    assert sorted(articles) == ["news/ai-law.html", "plain.html"]
    saved = articles["news/ai-law.html"]
    assert (saved["title"], saved["authors"], saved["date"], saved["problems"]) == (page.title, ["張雅婷"], "2024-05-21", [])
    assert hits_in(library, data, f'"{page.paragraphs[0]}"') == {"news/ai-law.html"}
    assert not hits_in(library, data, "廣告框架")
    assert not hits_in(library, data, f'"{CHROME[2]}"')  # site navigation is not the article
    html = ok(cli("export", "news/ai-law.html", "--library", str(library), "--format", "html", data_dir=data))
    assert f'src="data:image/png;base64,{base64.b64encode(page.image).decode()}"' in html.stdout
    assert "outside.png" not in html.stdout  # a picture outside the page's folder is never read
    assert tree(library) == before


def hits_in(library: Path, data: Path, query: str) -> set[str]:
    result = ok(cli("search", query, "--library", str(library), "--json", "--limit", "0", data_dir=data))
    return {h["path"] for h in json.loads(result.stdout)["hits"]}


def test_the_windows_indexing_process_reads_documents_the_cache_does_not_hold(tmp_path: Path) -> None:
    """The window indexes large batches in a child process (a daemon of the window); a saved
    page is never cached (its pictures are outside its hash), so that child extracts it in
    a limited child of its own."""
    import threading

    from reader.search.indexing_process import index_in_process

    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    page = make_saved_html(library)
    (library / "note.md").write_text("# 筆記\n\n旁邊的筆記。\n", encoding="utf-8")
    lib = Library(library.resolve(), DataPaths(data))
    catalog = lib.catalog()
    try:
        assert not catalog.rescan().problems
    finally:
        catalog.close()
    outcome, message = index_in_process(lib, {}, False, lambda done, total: None, threading.Event())
    assert (outcome, message) == ("ok", "")
    assert hits_in(library, data, f'"{page.paragraphs[1]}"') == {"ai-law.html"}


def test_documents_beyond_the_article_limit_are_read_and_the_document_limit_is_named(tmp_path: Path) -> None:
    """A scan with a text layer is easily larger than the 20 MB of a text article: a 22 MB
    PDF (a page-size photo of noise, as a scanner's JPEG, under its text layer) is read; a
    file beyond the documents' 500 MB (sparse here) is listed with the limit."""
    from PIL import Image
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    photo = tmp_path / "scan.jpg"
    Image.frombytes("L", (4000, 3600), os.urandom(4000 * 3600)).save(photo, quality=100)
    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    saved, rl_config.useA85 = rl_config.useA85, 0  # the JPEG as it is, not as ASCII85 text
    try:
        page = canvas.Canvas(str(library / "large.pdf"), pagesize=(595, 842))
        page.drawImage(str(photo), 0, 0, 595, 842)
        page.setFont("MSung-Light", 12)
        page.drawString(72, 700, "這份大型掃描文件的文字層仍然可以搜尋。")
        page.showPage()
        page.save()
    finally:
        rl_config.useA85 = saved
    assert (library / "large.pdf").stat().st_size > 20 * 1024 * 1024
    with open(library / "huge.pdf", "wb") as handle:
        handle.truncate(501 * 1024 * 1024)
    problems = {a["path"]: a["problems"] for a in json.loads(ok(cli("list", "--library", str(library), "--json", data_dir=data)).stdout)["articles"]}
    assert problems == {"large.pdf": [], "huge.pdf": ["too large (501 MB; the limit for documents is 500 MB)"]}
    assert hits_in(library, data, "大型掃描文件") == {"large.pdf"}


def test_a_cancelled_rescan_keeps_what_it_had_and_reads_the_rest_next_time(tmp_path: Path) -> None:
    """The window's cancel: extraction stops, documents not read are not listed yet (and
    known ones keep their rows), and the next rescan reads them."""
    import threading

    library, data = tmp_path / "library", tmp_path / "data"
    library.mkdir()
    make_docx(library / "a.docx")
    make_epub(library / "b.epub")
    (library / "note.md").write_text("# 筆記\n\n文字。\n", encoding="utf-8")
    lib = Library(library.resolve(), DataPaths(data))
    cancel = threading.Event()
    seen = []

    def progress(step) -> None:
        seen.append((step.documents_done, step.documents_total, step.path))
        cancel.set()  # the user cancels as soon as the first document is being read

    catalog = lib.catalog()
    try:
        report = catalog.rescan(progress=progress, cancel=cancel)
        assert report.cancelled and report.added == ["note.md"]
        assert [e.article.path for e in catalog.entries()] == ["note.md"]
    finally:
        catalog.close()
    assert seen == [(0, 2, "a.docx")]
    articles = json.loads(ok(cli("list", "--library", str(library), "--json", data_dir=data)).stdout)["articles"]
    assert sorted(a["path"] for a in articles) == ["a.docx", "b.epub", "note.md"]
