"""Word (.docx, python-docx) and OpenDocument (.odt, odfpy) read through extraction and the
real renderer: the same article as the PDF tests, plus lists, a table, a quotation, emphasis,
footnotes and an endnote, a picture, a comment and tracked changes."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.formats import Limits, document_to_article, extract, extract_in_process
from reader.library.formats.safety import MAX_TOTAL_BYTES
from reader.render.article import render_article
from tests.test_formats_samples import TITLE, make_docx, make_odt

FOOTNOTE_REF = re.compile(r"(?<=[^\d\s])\d{1,3}(?=[。，])")


@pytest.fixture(scope="module", params=["docx", "odt"])
def office(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    make = make_docx if request.param == "docx" else make_odt
    sample = make(folder / f"draft.{request.param}")
    doc = extract(sample.path)
    article = document_to_article(doc, sample.path.name)
    rendered = render_article(article)
    return sample, doc, article, rendered


def test_every_sentence_appears_exactly_once(office) -> None:
    sample, doc, _, rendered = office
    assert not doc.problems
    plain = FOOTNOTE_REF.sub("", rendered.text)
    sentences = sample.article.sentences()
    assert [s for s in sentences if plain.count(s) != 1] == []
    assert [plain.index(s) for s in sentences] == sorted(plain.index(s) for s in sentences)


def test_comments_and_deletions_are_not_body_text_insertions_are(office) -> None:
    sample, _, _, rendered = office
    assert sample.comment not in rendered.text
    assert sample.deleted not in rendered.text
    assert "修正說明：" + sample.inserted in rendered.text


def test_structure_survives(office) -> None:
    sample, doc, article, rendered = office
    html = rendered.body_html
    assert article.title == TITLE and article.authors == ["陳怡君", "林志明"] and article.date == "2024-06-15"
    assert "壹、前言</h" in html and "Abstract</h" in html
    for item in sample.list_items:
        assert f"<li>{item}</li>" in html
    for row in sample.table:
        assert "\n".join(row) in rendered.text  # one cell per line, in order
    assert "<table>" in html and "<th>機關</th>" in html
    assert f"<blockquote>\n<p>{sample.quote}</p>\n</blockquote>" in html
    assert f"<strong>{sample.emphasis}</strong>" in html


def test_footnotes_and_endnotes_are_footnotes(office) -> None:
    sample, doc, _, rendered = office
    text = rendered.text
    last = FOOTNOTE_REF.sub("", text).rindex(sample.article.sentences()[-1])
    for note in [*sample.article.footnotes, sample.endnote]:
        assert text.count(note) == 1 and text.index(note) > last
    assert rendered.body_html.count('href="#fn:') == len(sample.article.footnotes) + 1


def test_pictures_are_served_from_the_document(office) -> None:
    sample, doc, _, rendered = office
    images = re.findall(r'<img alt="[^"]*" src="reader-embedded/([^"]+)"', rendered.body_html)
    assert len(images) == 1
    resource = doc.resource("reader-embedded/" + images[0])
    assert resource is not None and resource.mime == "image/png" and resource.data.startswith(b"\x89PNG")


def _bomb(path: Path, inner: str, mimetype: bytes | None = None) -> None:
    """A zip whose one member inflates to 1 GB from about 1 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        with archive.open(inner, "w", force_zip64=True) as member:
            block = b"<w:t>" + b"A" * (1 << 20) + b"</w:t>"
            for _ in range(1024):
                member.write(block)


def test_a_zip_bomb_disguised_as_docx_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    _bomb(path, "word/document.xml")
    assert path.stat().st_size < 10 * 1024 * 1024
    started = time.monotonic()
    doc = extract_in_process(path, limits=Limits(memory_bytes=512 * 1024 * 1024, stall_s=20, time_s=30))
    assert time.monotonic() - started < 15
    assert len(doc.problems) == 1 and "zip bomb" in doc.problems[0] and not doc.blocks


def test_many_small_members_adding_up_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        piece = b" " * (64 * 1024 * 1024)
        for k in range(MAX_TOTAL_BYTES // len(piece) + 1):
            archive.writestr(f"Pictures/{k}.xml", piece)
    doc = extract(path)
    assert doc.problems and "would expand" in doc.problems[0]


def test_broken_encrypted_and_mislabelled_files_are_named(tmp_path: Path) -> None:
    sample = make_docx(tmp_path / "good.docx")
    data = sample.path.read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(data[: len(data) // 2])
    assert extract(truncated).problems == ["damaged Word document: not a readable zip archive"]
    encrypted = tmp_path / "locked.docx"
    encrypted.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4096)  # how Word saves with a password
    assert extract(encrypted).problems[0].startswith("password-protected")
    not_word = tmp_path / "photos.docx"
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert extract(not_word).problems == ["not a Word document: it is a zip archive of something else"]
    renamed = tmp_path / "really-a-word-file.odt"
    renamed.write_bytes(data)
    doc = extract(renamed)
    assert doc.format == "docx" and not doc.problems  # read as what it is
    no_xml = tmp_path / "bad-xml.docx"
    with zipfile.ZipFile(no_xml, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    assert extract(no_xml).problems[0].startswith("damaged Word document")


def test_xml_entities_are_never_expanded(tmp_path: Path) -> None:
    lol = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    body = lol + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>前&c;後</w:t></w:r></w:p></w:body></w:document>'
    path = tmp_path / "lol.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", body)
    doc = extract(path)
    assert "AAAA" not in doc.text()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_office_zips_only_ever_give_problems(tmp_path: Path, data) -> None:
    """Random damage to a real .docx/.odt (bytes flipped, cut, members replaced): a document
    or a named problem, never an exception."""
    kind = data.draw(st.sampled_from(["docx", "odt"]))
    source = tmp_path / f"source.{kind}"
    if not source.exists():
        (make_docx if kind == "docx" else make_odt)(source)
    raw = bytearray(source.read_bytes())
    how = data.draw(st.sampled_from(["flip", "cut", "member"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 20))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    elif how == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(bytes(raw))) as original, zipfile.ZipFile(buffer, "w") as copy:
            victim = data.draw(st.sampled_from(original.namelist()))
            for info in original.infolist():
                payload = original.read(info)
                if info.filename == victim:
                    payload = data.draw(st.binary(max_size=300)) if data.draw(st.booleans()) else payload[: len(payload) // 2]
                copy.writestr(info.filename, payload)
        raw = bytearray(buffer.getvalue())
    target = tmp_path / f"damaged.{kind}"
    target.write_bytes(bytes(raw))
    doc = extract(target)
    assert doc.problems or doc.blocks
    assert not doc.error_detail, doc.error_detail
