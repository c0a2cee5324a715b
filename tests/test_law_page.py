"""A law's page (issue 14): its provisions in order, each with the library's articles citing
it, from the imported law text and the index's ref field; in the window from the References
panel, where a click opens a citing article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.legal.law_page import article_label, law_page
from reader.legal.lawdb import import_laws
from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import SearchIndex

PDPA = "I0050021"
FIRST = "---\ntitle: 個資法的測試\ndate: 2024-05-01\n---\n\n依個人資料保護法（下稱個資法）第6條第1項規定，病歷不得蒐集。\n\n同法第6條另有但書。\n"
SECOND = "---\ntitle: 第二篇評論\ndate: 2024-06-01\n---\n\n個資法第六條與個人資料保護法第 20 條之適用。\n"
OTHER = "---\ntitle: 無關\ndate: 2024-07-01\n---\n\n民法第184條。\n"


def law_line() -> str:
    return json.dumps({
        "pcode": PDPA, "name": "個人資料保護法", "english_name": "Personal Data Protection Act",
        "articles": [{"heading": "第 一 章 總則"}, {"no": "第 1 條", "text": "為規範個人資料之蒐集、處理及利用，特制定本法。"},
                     {"no": "第 6 條", "text": "有關病歷、醫療、基因之個人資料，不得蒐集、處理或利用。"},
                     {"no": "第 20 條", "text": "非公務機關對個人資料之利用，應於蒐集之特定目的必要範圍內為之。"}],
    }, ensure_ascii=False) + "\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "first.md").write_text(FIRST, encoding="utf-8")
    (root / "second.md").write_text(SECOND, encoding="utf-8")
    (root / "other.md").write_text(OTHER, encoding="utf-8")
    return root


def _index(library: Path, data_dir: Path) -> SearchIndex:
    lib = Library(library.resolve(), DataPaths(data_dir))
    catalog = lib.catalog()
    catalog.rescan()
    index = SearchIndex(lib.index_dir)
    index.update(lib, catalog)
    catalog.close()
    return index


def _import(data_dir: Path) -> None:
    source = data_dir.parent / "laws.jsonl"
    source.write_text(law_line(), encoding="utf-8")
    import_laws(source, data_dir)


def test_every_provision_in_order_with_the_articles_citing_it(library: Path, data_dir: Path) -> None:
    _import(data_dir)
    index = _index(library, data_dir)
    try:
        page = law_page(index, data_dir, PDPA)
    finally:
        index.close()
    assert (page.name, page.english_name, page.imported) == ("個人資料保護法", "Personal Data Protection Act", True)
    assert [(e.no, e.heading) for e in page.entries] == [("第 一 章 總則", True), ("第 1 條", False), ("第 6 條", False), ("第 20 條", False)]
    citing = {e.no: [a.title for a in e.citing] for e in page.entries if not e.heading}
    assert citing == {"第 1 條": [], "第 6 條": ["個資法的測試", "第二篇評論"], "第 20 條": ["第二篇評論"]}
    assert page.entries[2].text.startswith("有關病歷")
    assert sorted(a.path for a in page.citing_law) == ["first.md", "second.md"] and page.cited_provisions == 2


def test_without_the_import_the_cited_provisions_are_listed_without_text(library: Path, data_dir: Path) -> None:
    index = _index(library, data_dir)
    try:
        page = law_page(index, data_dir, PDPA, name="個人資料保護法")
        nothing = law_page(index, data_dir, "NO-SUCH-LAW", name="無此法")
    finally:
        index.close()
    assert not page.imported and page.name == "個人資料保護法"
    assert [(e.no, e.text, len(e.citing)) for e in page.entries] == [("第 6 條", "", 2), ("第 20 條", "", 1)]
    assert nothing.entries == [] and nothing.citing_law == []


def test_article_labels() -> None:
    assert article_label("6") == "第 6 條" and article_label("12-1") == "第 12 條之 1"


def test_the_window_shows_the_page_and_opens_a_citing_article(qtbot, library: Path, data_dir: Path) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QUrl

    from tests.test_window import Harness

    _import(data_dir)
    harness = Harness(qtbot, data_dir, library)
    window = harness.start()
    qtbot.waitUntil(lambda: not window.busy, timeout=15000)
    harness.open("first.md")
    panel = window.references_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=5000)
    assert not panel.law_button.isEnabled()
    law = panel.model.index(0, 0)
    provision = panel.model.index(1, 0, law)  # 第6條
    panel.view.setCurrentIndex(provision)
    assert panel.law_button.isEnabled()
    panel.law_button.click()
    dialog = window.law_page
    qtbot.waitUntil(lambda: dialog.page is not None, timeout=8000)
    text = dialog.browser.toPlainText()
    assert "個人資料保護法" in text and "Personal Data Protection Act" in text
    assert "有關病歷、醫療、基因之個人資料" in text and "第二篇評論" in text
    assert dialog.status.text().startswith("2 of 3")
    href = next(f for f in _anchors(dialog.browser) if "second" in f)
    dialog.browser.anchorClicked.emit(QUrl(href))
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == "second.md", timeout=5000)
    dialog.close()
    window.close()


def _anchors(browser) -> list[str]:
    """The link targets in the browser's document, as a click would give them."""
    doc = browser.document()
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                out.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return out
