"""EPUB (a hand-built OCF zip), .mhtml (as Chrome saves it) and saved "complete" .html pages,
read through extraction and the real renderer."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.formats import (
    Limits,
    document_to_article,
    extract,
    extract_in_process,
    is_document,
)
from reader.library.formats.epub import DRM
from reader.render.article import render_article
from tests.test_formats_office import _bomb
from tests.test_formats_samples import make_epub, make_mhtml, make_saved_html


def rendered(path: Path, **kwargs):
    doc = extract(path, **kwargs)
    article = document_to_article(doc, path.name)
    return doc, article, render_article(article)


# -- EPUB -------------------------------------------------------------------------------------


def test_epub_chapters_in_spine_order_with_toc_titles_as_headings(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "book.epub", chapters=4)
    doc, article, page = rendered(book.path)
    assert not doc.problems
    assert article.title == "數位治理論文集" and article.authors == ["王大明", "李小華"] and article.date == "2023-11-02"
    text = FOOTNOTE_NUMBER.sub("", page.text)
    cursor = -1
    for title, paragraphs in book.chapters:
        assert "<h1 id=" in page.body_html and f">{title}</h1>" in page.body_html
        assert text.count(title) == 1
        assert text.index(title) > cursor
        cursor = text.index(title)
        for paragraph in paragraphs:
            assert text.count(paragraph) == 1 and text.index(paragraph) > cursor
            cursor = text.index(paragraph)
    assert text.count(book.footnote) == 1 and text.index(book.footnote) > cursor  # a footnote at the end
    assert "目錄" not in text  # the navigation document is not a chapter
    images = re.findall(r'src="reader-embedded/([^"]+)"', page.body_html)
    assert images and doc.resource(images[0]).data.startswith(b"\x89PNG")


FOOTNOTE_NUMBER = re.compile(r"(?<=。)\d(?=\n)")


@pytest.mark.parametrize("kind", ["content", "rights"])
def test_drm_protected_epubs_are_listed_as_such(tmp_path: Path, kind: str) -> None:
    book = make_epub(tmp_path / "drm.epub", encrypted=kind)
    doc = extract(book.path)
    assert doc.problems == [DRM] and not doc.blocks
    assert doc.metadata.title == "數位治理論文集"  # still listed by its title


def test_font_obfuscation_is_not_drm(tmp_path: Path) -> None:
    book = make_epub(tmp_path / "fonts.epub", encrypted="font")
    doc = extract(book.path)
    assert not doc.problems and doc.blocks


def test_a_zip_bomb_disguised_as_epub_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.epub"
    _bomb(path, "OEBPS/chapter.xhtml", b"application/epub+zip")
    started = time.monotonic()
    doc = extract_in_process(path, limits=Limits(memory_bytes=512 * 1024 * 1024, stall_s=20, time_s=30))
    assert time.monotonic() - started < 15
    assert "zip bomb" in doc.problems[0] and not doc.blocks


# -- MHTML --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("charset", "transfer"), [("big5", "quoted-printable"), ("utf-8", "base64"), ("big5", "base64"), ("utf-8", "8bit")])
def test_mhtml_is_decoded_with_its_declared_charset(tmp_path: Path, charset: str, transfer: str) -> None:
    sample = make_mhtml(tmp_path / "page.mhtml", charset, transfer)
    doc, article, page = rendered(sample.path)
    assert not doc.problems
    assert article.title == sample.title and article.authors == ["張雅婷"] and article.date == "2024-05-21"
    assert article.sources and article.sources[0].url == "https://news.example.tw/ai-law"
    for paragraph in sample.paragraphs:
        assert page.text.count(paragraph) == 1
    for chrome in sample.chrome:
        assert chrome not in page.text  # site navigation, sidebar and footer are gone
    assert "\ufffd" not in page.text
    images = re.findall(r'src="reader-embedded/([^"]+)"', page.body_html)
    assert len(images) == 1 and doc.resource(images[0]).data == sample.image


def test_mhtml_file_parts_and_remote_pictures_are_never_fetched(tmp_path: Path) -> None:
    sample = make_mhtml(tmp_path / "hostile.mhtml", "utf-8", "quoted-printable", hostile=True)
    doc, _, page = rendered(sample.path)
    for paragraph in sample.paragraphs:
        assert paragraph in page.text
    assert doc.problems == ["the archive names local files (file:) 2 times; they were not read"]
    assert all(r.data != b"ARCHIVED-LOCAL-PART" for r in doc.resources.values())
    assert len(doc.resources) == 1  # only the archived picture; not the file: part, not the remote one
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_bytes().strip():
        assert all(hostname.read_bytes() not in r.data for r in doc.resources.values())
    assert "file:" not in page.body_html and "example.invalid" not in page.body_html


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=st.sampled_from([b"", b"MIME-Version: 1.0\r\n", b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"]),
    content_type=st.sampled_from([
        b'Content-Type: multipart/related; type="text/html"; boundary="B"\r\n',
        b"Content-Type: multipart/related; boundary=\r\n",
        b'Content-Type: text/html; charset="no-such-charset"\r\n',
        b"Content-Type: text/html; charset=big5\r\nContent-Transfer-Encoding: base64\r\n",
        b"",
    ]),
    body=st.binary(max_size=600),
    parts=st.lists(st.tuples(st.sampled_from([b"text/html", b"image/png", b"text/plain", b"x/\xff"]), st.sampled_from([b"base64", b"quoted-printable", b"7bit", b"x"]), st.binary(max_size=200)), max_size=4),
)
def test_malformed_mhtml_only_ever_gives_problems(tmp_path: Path, head, content_type, body, parts) -> None:
    data = head + content_type + b"\r\n" + body
    for mime, transfer, payload in parts:
        data += b"\r\n--B\r\nContent-Type: " + mime + b"\r\nContent-Transfer-Encoding: " + transfer + b"\r\nContent-Location: file:///x\r\n\r\n" + payload
    if parts:
        data += b"\r\n--B--\r\n"
    path = tmp_path / "fuzz.mhtml"
    path.write_bytes(data)
    doc = extract(path)
    assert doc.problems or doc.blocks
    assert not doc.error_detail, doc.error_detail


# -- saved "complete" pages -----------------------------------------------------------------------


def test_a_saved_page_shows_pictures_from_its_files_folder_only(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (tmp_path / "outside.png").write_bytes(b"\x89PNG outside the library")
    sample = make_saved_html(library)
    (library / "ai-law_files" / "escape.png").symlink_to(tmp_path / "outside.png")
    html = sample.path.read_text(encoding="utf-8").replace("</article>", '<img src="ai-law_files/escape.png" alt="符號連結"></article>')
    sample.path.write_text(html, encoding="utf-8")
    assert is_document(sample.path)
    doc, article, page = rendered(sample.path, library=library)
    assert not doc.problems and article.title == sample.title
    for paragraph in sample.paragraphs:
        assert page.text.count(paragraph) == 1
    for chrome in sample.chrome:
        assert chrome not in page.text
    assert [r.data for r in doc.resources.values()] == [sample.image]  # not ../outside.png, not the symlink out
    assert page.body_html.count("<img") == 1


def test_a_plain_html_file_is_not_a_document(tmp_path: Path) -> None:
    page = tmp_path / "note.html"
    page.write_text("<p>hi</p>", encoding="utf-8")
    assert not is_document(page)
    assert is_document(tmp_path / "x.pdf") and is_document(tmp_path / "x.MHT") and is_document(tmp_path / "x.epub")
