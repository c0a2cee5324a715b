"""The extraction cache (content hash + extractor version, atomic, self-healing) and the way a
document's blocks and pages survive Markdown and the real renderer."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library.formats import (
    Block,
    Document,
    ExtractionCache,
    document_to_article,
    document_to_markdown,
    extractor_for,
    page_map,
)
from reader.library.formats.cache import file_hash
from reader.library.formats.document import (
    FOOTNOTE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    STRONG,
    TABLE_ROW,
)
from reader.library.formats.text import collapse, join_lines
from reader.render.article import render_article
from tests.test_formats_samples import journal_article, make_docx, make_pdf


def test_the_cache_returns_what_was_extracted_and_heals_damage(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "a.pdf", article=journal_article(paragraphs=6))
    cache = ExtractionCache(tmp_path / "cache")
    first = cache.get_or_extract(sample.path, in_process=False)
    digest = file_hash(sample.path)
    entry = cache.entry_path(digest, extractor_for(sample.path))
    assert entry.is_file() and entry.name == f"{digest}.pdf-1.json.gz"
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".tmp-")]
    assert cache.get(digest, "pdf/1").to_json() == first.to_json()
    assert cache.get_or_extract(sample.path, digest).to_json() == first.to_json()
    for damage in (b"", b"\x1f\x8b garbage", gzip.compress(b"reader-extraction 1\nwrong"), gzip.compress(b"{}")):
        entry.write_bytes(damage)
        assert cache.get(digest, "pdf/1") is None and not entry.exists()  # a damaged entry is removed
        again = cache.get_or_extract(sample.path, digest, in_process=False)
        assert again.to_json() == first.to_json() and entry.is_file()


def test_a_new_extractor_version_extracts_again(tmp_path: Path) -> None:
    sample = make_docx(tmp_path / "a.docx")
    cache = ExtractionCache(tmp_path / "cache")
    digest = file_hash(sample.path)
    doc = cache.get_or_extract(sample.path, digest, in_process=False)
    older = Document.from_json(doc.to_json())
    older.extractor = "docx/0"
    older.blocks = [Block(PARAGRAPH, "an older extractor's text")]
    assert cache.put(digest, older)
    assert cache.get(digest, "docx/0").blocks[0].text == "an older extractor's text"
    assert cache.get_or_extract(sample.path, digest, in_process=False).to_json() == doc.to_json()
    assert cache.prune({digest}) == 1  # the docx/0 entry
    assert cache.get(digest, "docx/1") is not None
    assert cache.prune(set()) == 1 and cache.get(digest, "docx/1") is None


def test_transient_problems_are_not_cached_and_a_read_only_cache_is_harmless(tmp_path: Path) -> None:
    doc = Document("pdf", extractor="pdf/1", problems=["scanned PDF without a text layer: …"], transient=True)
    cache = ExtractionCache(tmp_path / "cache")
    assert not cache.put("a" * 64, doc)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert not ExtractionCache(blocked).put("b" * 64, Document("pdf", extractor="pdf/1"))


def _render(doc: Document):
    markdown = document_to_markdown(doc)
    article = document_to_article(doc, "x.pdf", markdown)
    text = render_article(article).text
    return markdown, text, page_map(doc, text, markdown)


def test_page_boundaries_survive_markdown_structure() -> None:
    blocks = [
        Block(HEADING, "第一章", level=1, page=0),
        Block(PARAGRAPH, "第一頁的段落，結尾跨頁到第二頁的文字。", page=0, breaks=[(11, 1)], notes=[(18, "n")]),
        Block(LIST_ITEM, "第二頁的清單項目", page=1),
        Block(TABLE_ROW, cells=["表頭甲", "表頭乙"], header=True, page=1),
        Block(TABLE_ROW, cells=["第三頁的儲存格", "值"], page=2),
        Block(QUOTE, "第三頁的引文 *星號* 與 [括號]", page=2),
        Block(PARAGRAPH, "1. 不是清單 # 也不是標題", page=3, spans=[(3, 5, STRONG)]),
        Block(FOOTNOTE, "第一頁的註腳。", note_id="n", page=0),
    ]
    doc = Document("pdf", blocks=blocks, page_labels=["i", "ii", "1", "2"])
    _, text, pages = _render(doc)
    expect = {
        "第一頁的段落": "i", "到第二頁的文字": "ii", "第二頁的清單項目": "ii", "表頭甲": "ii",
        "第三頁的儲存格": "1", "第三頁的引文 *星號* 與 [括號]": "1", "1. 不是清單 # 也不是標題": "2", "第一頁的註腳。": "i",
    }
    for phrase, label in expect.items():
        assert text.count(phrase) == 1, (phrase, text)
        assert pages.page_at(text.index(phrase)) == label, phrase
    assert pages.page_at(0) == "i" and pages.page_at(len(text)) == "i"  # the footnote list ends the text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("人工智慧法 abcXYZ019*_`[]()<>&#|\\~-+.!:;'\"=\u3000")), min_size=1, max_size=40), min_size=1, max_size=6))
def test_any_text_renders_as_written(texts: list[str]) -> None:
    """Markdown escaping: whatever a document says is what the reader sees, and each block's
    page is found."""
    blocks = [Block(PARAGRAPH, t, page=k) for k, t in enumerate(texts)]
    doc = Document("pdf", blocks=blocks, page_labels=[str(k + 1) for k in range(len(texts))])
    _, text, pages = _render(doc)
    shown = [collapse(t).strip() for t in texts if collapse(t).strip()]  # Markdown trims U+3000 too
    assert text == "\n".join(shown)
    offset = 0
    for k, t in enumerate(texts):
        if not collapse(t).strip():
            continue
        assert pages.page_index_at(offset) == k
        offset += len(collapse(t).strip()) + 1


@given(st.text(alphabet="人工ab -\u00ad", max_size=12), st.text(alphabet="人工ab -", max_size=12))
def test_line_joining_rules(first: str, second: str) -> None:
    joined = join_lines(first, second)
    assert joined.replace(" ", "").replace("-", "").replace("\u00ad", "") == (first + second).replace(" ", "").replace("-", "").replace("\u00ad", "")


def test_line_joining_examples() -> None:
    assert join_lines("人工智慧", "基本法") == "人工智慧基本法"
    assert join_lines("依據NIST", "框架") == "依據NIST框架"
    assert join_lines("the AI Seoul", "Summit") == "the AI Seoul Summit"
    assert join_lines("trustwor-", "thiness") == "trustworthiness"
    assert join_lines("socio-", "Technical") == "socio- Technical"
    assert join_lines("第三", "十九條") == "第三十九條"


def test_environment_has_no_leftover_temp_files(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "b.pdf", article=journal_article(paragraphs=4))
    cache = ExtractionCache(tmp_path / "cache")
    cache.get_or_extract(sample.path)
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []
    assert all(os.access(p, os.R_OK) for p in (tmp_path / "cache").rglob("*.json.gz"))
