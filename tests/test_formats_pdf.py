"""PDF text that reads like the original: generated journal PDFs (CID and embedded TrueType
fonts), read through extraction, Markdown and the real renderer (``reader export --format
text`` is ``render_article(...).text``), checked sentence by sentence and page by page."""

from __future__ import annotations

import re
import shutil
import threading
import time
import zlib
from pathlib import Path

import pytest

from reader.library.formats import (
    Cancelled,
    Limits,
    document_to_article,
    document_to_markdown,
    extract,
    extract_in_process,
    page_map,
)
from reader.library.formats.pdf import SCANNED_NO_OCR
from reader.render.article import render_article
from tests.test_formats_samples import (
    FIRST_LABEL,
    JOURNAL_HEADER,
    TITLE,
    journal_article,
    make_pdf,
    make_scanned_pdf,
    ttf_font,
)

FOOTNOTE_REF = re.compile(r"(?<=[^\d\s])\d{1,3}(?=[。，])")


def rendered(path: Path):
    doc = extract(path)
    markdown = document_to_markdown(doc)
    article = document_to_article(doc, path.name, markdown)
    text = render_article(article).text
    return doc, article, text, page_map(doc, text, markdown)


@pytest.fixture(scope="module", params=["cid", "ttf"])
def journal(request, tmp_path_factory):
    if request.param == "ttf" and ttf_font() is None:
        pytest.skip("no embeddable TrueType CJK font (apt-get install fonts-arphic-uming)")
    folder = tmp_path_factory.mktemp(f"pdf-{request.param}")
    sample = make_pdf(folder / "journal.pdf", font=request.param)
    doc, article, text, pages = rendered(sample.path)
    return sample, doc, article, text, pages


def body_text(text: str) -> str:
    """The rendered text without footnote reference numbers (superscripts in the source)."""
    return FOOTNOTE_REF.sub("", text)


def test_every_sentence_appears_exactly_once(journal) -> None:
    sample, doc, _, text, _ = journal
    assert not doc.problems
    plain = body_text(text)
    sentences = sample.article.sentences()
    missing = [s for s in sentences if plain.count(s) != 1]
    assert not missing, missing[:3]
    # and in the order of the source, columns included
    positions = [plain.index(s) for s in sentences]
    assert positions == sorted(positions)


def test_running_headers_and_page_numbers_are_gone(journal) -> None:
    sample, _, _, text, _ = journal
    assert JOURNAL_HEADER not in text and "科技法律評論" not in text
    for page in range(sample.pages):
        assert not re.search(rf"(?m)^{FIRST_LABEL + page}$", text)
        assert f"{FIRST_LABEL + page}\n" not in text.replace("頁", "")


def test_phrases_wrapped_across_lines_and_pages_are_joined(journal) -> None:
    sample, _, _, text, _ = journal
    plain = body_text(text)
    body_lines = [ln for ln in sample.lines if ln.kind == "body"]
    joined = 0
    for first, second in zip(body_lines, body_lines[1:], strict=False):
        if second.text.startswith("\u3000") or first.text.endswith("-"):
            continue
        a = FOOTNOTE_REF.sub("", first.text)[-4:]
        b = FOOTNOTE_REF.sub("", second.text)[:4]
        english = re.search(r"[A-Za-z]$", a) and re.match(r"[A-Za-z]", b)
        phrase = a + " " + b if english else a + b  # English lines join with one space, Han with none
        assert phrase in plain, (first.text, second.text)
        joined += 1
    assert joined > 50
    breaks = sample.page_breaks()
    assert breaks
    for end, start, _ in breaks:
        assert FOOTNOTE_REF.sub("", end)[-6:] + start[:6] in plain


def test_hyphenated_words_are_rejoined(journal) -> None:
    sample, _, _, text, _ = journal
    assert sample.hyphenated
    for word in sample.hyphenated:
        assert word in text
    assert not re.search(r"[a-z]- [a-z]", text)


def test_headings_are_recognised_by_size_and_weight(journal) -> None:
    sample, doc, article, _, _ = journal
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    texts = [t for _, t in headings]
    assert texts[0] == TITLE  # the largest type, wrapped over two lines, is one heading
    for section in ("壹、前言", "貳、風險評估的法制基礎", "參、比較法的觀察", "肆、結論與建議"):
        assert section in texts
    assert "Abstract" in texts  # bold at body size
    levels = dict((t, lv) for lv, t in headings)
    assert levels[TITLE] < levels["壹、前言"] < levels["Abstract"]
    assert article.title == TITLE
    assert article.authors == ["陳怡君", "林志明"]
    rendered_html = render_article(article).body_html
    assert "<h2" in rendered_html and "壹、前言</h2>" in rendered_html


def test_footnotes_become_footnotes(journal) -> None:
    sample, doc, _, text, _ = journal
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [n.text for n in notes] == sample.article.footnotes[: len(notes)] and len(notes) == len(sample.article.footnotes)
    last_sentence = body_text(text).rindex(sample.article.sentences()[-1])
    for note in sample.article.footnotes:
        assert text.count(note) == 1
        assert text.index(note) > last_sentence  # in the footnote list, not mid-sentence
    html = render_article(document_to_article(doc, "journal.pdf")).body_html
    assert html.count('class="footnote-ref"') or html.count("fnref") >= len(notes)


def test_page_labels_and_page_at(journal) -> None:
    sample, doc, _, text, pages = journal
    assert doc.page_labels == [str(FIRST_LABEL + k) for k in range(sample.pages)]
    assert pages is not None
    plain_offsets = body_text(text)
    assert len(plain_offsets) <= len(text)
    for line in sample.lines:
        if line.kind != "body" or line.text.startswith("\u3000") or len(line.text) < 12:
            continue
        probe = line.text[2:10]
        if FOOTNOTE_REF.search(probe) or text.count(probe) != 1:
            continue
        offset = text.index(probe)
        assert pages.page_at(offset) == str(FIRST_LABEL + line.page), line
        assert pages.page_index_at(offset) == line.page
    for number, note in enumerate(sample.article.footnotes):
        drawn = next(ln for ln in sample.lines if ln.kind == "footnote" and ln.text.startswith(f"{number + 1} "))
        assert pages.page_at(text.index(note)) == str(FIRST_LABEL + drawn.page)
    assert [label for _, label in pages.boundaries()][: sample.pages] == doc.page_labels


def test_page_map_survives_a_round_trip(journal) -> None:
    from reader.library.formats import PageMap

    _, _, _, _, pages = journal
    again = PageMap.from_json(pages.to_json())
    assert again == pages


def test_a_pdf_without_page_labels_uses_page_indexes(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "plain.pdf", page_labels=False, metadata=False, article=journal_article(paragraphs=14))
    doc, article, text, pages = rendered(sample.path)
    assert doc.page_labels == [str(k + 1) for k in range(sample.pages)]
    assert article.title == TITLE  # no Info title: the first heading
    last = sample.article.sentences()[-1]
    assert pages.page_at(body_text(text).index(last)) == str(sample.pages)


def test_kangxi_radicals_and_compatibility_ideographs_are_normalised(tmp_path: Path) -> None:
    found = ttf_font()
    if found is None:
        pytest.skip("no embeddable TrueType CJK font (apt-get install fonts-arphic-uming)")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("KangxiTest", str(found[0]), subfontIndex=found[1]))
    path = tmp_path / "kangxi.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("KangxiTest", 12)
    # ⽅ is KANGXI RADICAL SQUARE (U+2F45), 林 here is U+F9F4 (a compatibility ideograph)
    c.drawString(72, 700, "本文之研究\u2f45法與\uf9f4業政策相關。")
    c.showPage()
    c.save()
    doc = extract(path)
    assert doc.blocks[0].text == "本文之研究方法與林業政策相關。"


def test_encrypted_and_broken_pdfs_are_named(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt=StandardEncryption("secret-user", "secret-owner"))
    c.drawString(72, 700, "classified")
    c.showPage()
    c.save()
    doc = extract(locked)
    assert doc.problems == ["encrypted PDF: it needs a password to open"] and not doc.blocks

    good = make_pdf(tmp_path / "good.pdf", article=journal_article(paragraphs=4))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.path.read_bytes()[:1500])
    assert extract(broken).problems and not extract(broken).blocks
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all", encoding="utf-8")
    assert extract(fake).problems == ["not a PDF file (no %PDF header)"] or extract(fake).problems[0].startswith("not a PDF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert extract(empty).problems == ["empty file"]


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


HOSTILE_LIMITS = Limits(memory_bytes=1024 * 1024 * 1024, stall_s=20.0, time_s=40.0)


def test_a_page_tree_that_loops_is_refused_within_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "loop.pdf"
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",  # the tree contains itself
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ]))
    started = time.monotonic()
    doc = extract_in_process(path, limits=HOSTILE_LIMITS)
    assert time.monotonic() - started < HOSTILE_LIMITS.time_s
    assert doc.problems and not doc.blocks
    assert doc.problems == ["damaged PDF: none of its pages can be read (a broken or looping page tree)"]


def test_a_huge_content_stream_is_refused_within_the_limits(tmp_path: Path) -> None:
    """A page whose content stream inflates to 2 GB of drawing operators (from 2 MB)."""
    chunk = b"0 0 m 1 1 l S\n" * 100_000
    compressor = zlib.compressobj(9)
    stream = b"".join(compressor.compress(chunk) for _ in range(1500)) + compressor.flush()
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream",
    ]))
    started = time.monotonic()
    doc = extract_in_process(path, limits=HOSTILE_LIMITS)
    assert time.monotonic() - started < HOSTILE_LIMITS.time_s + 5
    assert len(doc.problems) == 1 and doc.problems[0].startswith("refused: ") and not doc.blocks


def test_progress_and_cancellation(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "long.pdf", article=journal_article(paragraphs=40))
    seen: list[tuple[int, int]] = []
    extract(sample.path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (sample.pages, sample.pages) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    cancel = threading.Event()

    def stop_at_first(done: int, total: int) -> None:
        cancel.set()

    with pytest.raises(Cancelled):
        extract(sample.path, progress=stop_at_first, cancel=cancel)
    started = time.monotonic()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        extract_in_process(sample.path, cancel=cancel)
    assert time.monotonic() - started < 10


def test_the_extraction_process_gives_the_same_document(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "same.pdf", article=journal_article(paragraphs=10))
    progress: list[tuple[int, int]] = []
    child = extract_in_process(sample.path, progress=lambda d, t: progress.append((d, t)))
    assert child.to_json() == extract(sample.path).to_json()
    assert progress and progress[-1] == (sample.pages, sample.pages)


# -- scanned PDFs ---------------------------------------------------------------------------

SCAN_LINES = ["人工智慧基本法草案總說明", "行政院國家科學及技術委員會", "數位發展部應建立風險分級框架", "個人資料保護委員會負責監督"]


def test_scanned_pdf_without_tesseract_is_named(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "scan.pdf"
    make_scanned_pdf(path, SCAN_LINES[:1], dpi=100)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    doc = extract(path)
    assert doc.problems == [SCANNED_NO_OCR]
    assert doc.transient  # not cached: installing Tesseract is enough
    assert not doc.blocks


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-tra)")
def test_ocr_of_a_scanned_traditional_chinese_page_finds_its_key_phrases(tmp_path: Path) -> None:
    from reader.library.formats import ocr

    if ocr.missing_problem():
        pytest.skip(f"Tesseract lacks a language: {ocr.missing_problem()}")
    path = tmp_path / "scan.pdf"
    make_scanned_pdf(path, SCAN_LINES, pages=2)
    seen: list[tuple[int, int]] = []
    doc = extract(path, progress=lambda d, t: seen.append((d, t)))
    assert doc.ocr_pages == [0, 1] and not doc.problems
    text = render_article(document_to_article(doc, "scan.pdf")).text
    for phrase in ("人工智慧基本法草案", "國家科學及技術委員會", "風險分級", "個人資料保護委員會"):
        assert text.count(phrase) == 2, (phrase, text)  # once per page, no space inside
    assert not re.search(r"(?m)^\s*[12]\s*$", text)  # the scanned page numbers are gone
    assert seen[-1] == (2, 2) and (1, 2) in seen  # pages finished of the pages: one, then both recognised
    assert all(done == 0 for done, _ in seen[: seen.index((1, 2))])  # a scanned page is done once recognised
    pages = page_map(doc, text)
    assert pages.page_at(text.rindex("風險分級")) == "2" and pages.page_at(text.index("風險分級")) == "1"


def test_ocr_slips_in_chinese_text_are_corrected() -> None:
    from reader.library.formats.ocr import correct

    assert correct("依第五00項說明,法院(含智慧財產法院)得要求;") == "依第五〇〇項說明，法院（含智慧財產法院）得要求；"
    assert correct("NIST AI 100-1 (2023), p. 10") == "NIST AI 100-1 (2023), p. 10"


XMP_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">人工智慧基本法草案評析</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>王小明</rdf:li><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>
<xmp:CreateDate>2024-05-17T09:30:00+08:00</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="r"?>"""


def _xmp_pdf(info: bytes = b"") -> bytes:
    """One page of Helvetica text, an uncompressed XMP packet as the catalog's /Metadata,
    and ``info`` as the Info dictionary (none when empty)."""
    content = b"BT /F1 12 Tf 72 720 Td (Risk management and evaluation.) Tj ET"
    xmp = XMP_PACKET.encode("utf-8")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n".encode() + xmp + b"\nendstream",
    ]
    if info:
        objects.append(info)
    data = _pdf(objects)
    if info:
        data = data.replace(b"/Root 1 0 R >>", f"/Root 1 0 R /Info {len(objects)} 0 R >>".encode())
    return data


def test_title_authors_and_date_come_from_xmp_when_the_info_dictionary_has_none(tmp_path: Path) -> None:
    path = tmp_path / "xmp.pdf"
    path.write_bytes(_xmp_pdf())
    doc, article, text, _pages = rendered(path)
    assert not doc.problems
    assert article.title == "人工智慧基本法草案評析"
    assert article.authors == ["王小明", "Jane Doe"]
    assert article.date.startswith("2024-05-17")
    assert "Risk management and evaluation." in text


def test_a_producers_placeholder_title_gives_way_to_the_xmp_title(tmp_path: Path) -> None:
    path = tmp_path / "placeholder.pdf"
    path.write_bytes(_xmp_pdf(b"<< /Title (Microsoft Word - draft3.docx) /Author (Jane Doe) >>"))
    _doc, article, _text, _pages = rendered(path)
    assert article.title == "人工智慧基本法草案評析"
    assert article.authors == ["Jane Doe"]  # the Info dictionary's author stays first
