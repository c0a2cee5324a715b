"""References in the window (issue 14): links in the pane, the References panel, tooltips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from reader.legal.lawdb import import_laws  # noqa: E402
from reader.ui.reference_links import ref_number  # noqa: E402
from tests.test_window import Harness  # noqa: E402

ARTICLE = """---
title: 個資法的測試
date: 2024-05-01
---

依個人資料保護法（下稱個資法）第6條第1項規定，病歷不得蒐集。

同法第6條另有但書；個資法第六條與§6 是同一條。另見釋字第748號。
"""


def law_line() -> str:
    return json.dumps({
        "pcode": "I0050021", "name": "個人資料保護法", "english_name": "Personal Data Protection Act",
        "category": "行政", "updated": "20230531",
        "articles": [{"no": "第 6 條", "text": "有關病歷、醫療、基因之個人資料，不得蒐集、處理或利用。"}],
    }, ensure_ascii=False) + "\n"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "pdpa.md").write_text(ARTICLE, encoding="utf-8")
    (root / "other.md").write_text("# 別篇\n\n無關的文字。\n", encoding="utf-8")
    return root


def start(qtbot, data_dir: Path, library: Path, laws: bool = False):
    if laws:
        source = data_dir.parent / "laws.jsonl"
        source.write_text(law_line(), encoding="utf-8")
        import_laws(source, data_dir)
    harness = Harness(qtbot, data_dir, library)
    window = harness.start()
    harness.open("pdpa.md")
    qtbot.waitUntil(lambda: window.references_panel.model.rowCount() > 0, timeout=5000)
    return harness, window


def test_panel_lists_the_law_with_counts_and_passes_the_model_tester(qtbot, qtmodeltester, data_dir, library) -> None:
    harness, window = start(qtbot, data_dir, library)
    model = window.references_panel.model
    qtmodeltester.check(model)
    top = model.index(0, 0)
    assert top.data() == "個人資料保護法" and model.index(0, 1).data() == "4"
    children = [(model.index(r, 0, top).data(), model.index(r, 1, top).data()) for r in range(model.rowCount(top))]
    assert children == [("個人資料保護法第6條第1項", "1"), ("個人資料保護法第6條", "3")]
    assert model.index(1, 0).data() == "釋字第748號"
    tab = window.annotations.tabs
    assert tab.indexOf(window.references_panel) == 2 and tab.tabText(2) == "References"
    window.close()


def test_links_are_formats_over_unchanged_text(qtbot, data_dir, library) -> None:
    harness, window = start(qtbot, data_dir, library)
    pane = window.pane
    text = window.current.rendered.text
    refs = window.current.references.refs
    assert pane.mapping.plain == text  # the plain text is the article's, unchanged
    for number, ref in enumerate(refs):
        qs, qe = pane.mapping.plain_range_to_qt(ref.start, ref.end)
        cursor = QTextCursor(pane.document())
        cursor.setPosition(qs + 1)
        fmt = cursor.charFormat()
        assert fmt.isAnchor() and ref_number(fmt.anchorHref()) == number
        assert pane.document().toPlainText()[qs:qe] == ref.text
    window.close()


def test_clicking_steps_through_occurrences_and_a_link_selects_its_node(qtbot, data_dir, library) -> None:
    harness, window = start(qtbot, data_dir, library)
    panel, pane = window.references_panel, window.pane
    model = panel.model
    child = model.index(1, 0, model.index(0, 0))  # 個人資料保護法第6條, three times
    rect = panel.view.visualRect(child)
    window.annotations.tabs.setCurrentWidget(panel)
    seen = []
    for _ in range(4):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        seen.append(pane.textCursor().selectedText())
    assert seen == ["同法第6條", "個資法第六條", "§6", "同法第6條"]  # wraps
    assert "2 / 3" in window.statusBar().currentMessage() or "1 / 3" in window.statusBar().currentMessage()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert pane.textCursor().selectedText() == "個資法第六條"
    assert window.statusBar().currentMessage() == "Occurrence 2 / 3"
    window.follow_link(QUrl("ref:0"))
    assert panel.view.currentIndex().data() == "個人資料保護法第6條第1項"
    assert pane.textCursor().selectedText() == "個人資料保護法（下稱個資法）第6條第1項"
    assert "The provision's text is shown after `reader laws import`." in panel.detail.text()
    window.close()


def link_position(window, number: int) -> QPoint:
    pane = window.pane
    ref = window.current.references.refs[number]
    qs, _ = pane.mapping.plain_range_to_qt(ref.start, ref.end)
    cursor = QTextCursor(pane.document())
    cursor.setPosition(qs + 1)
    pane.setTextCursor(cursor)
    pane.ensureCursorVisible()
    return pane.cursorRect(cursor).center()


def test_tooltip_without_and_with_the_law_library(qtbot, data_dir, library, tmp_path) -> None:
    harness, window = start(qtbot, data_dir, library)
    tip = window.pane.reference_tooltip_at(link_position(window, 1))
    assert "個人資料保護法第6條" in tip and "Personal Data Protection Act" in tip
    assert "reader laws import" in tip and "有關病歷" not in tip
    window.close()

    other = tmp_path / "data2"
    other.mkdir()
    harness, window = start(qtbot, other, library, laws=True)
    tip = window.pane.reference_tooltip_at(link_position(window, 1))
    assert "有關病歷、醫療、基因之個人資料" in tip and "Personal Data Protection Act" in tip
    assert "reader laws import" not in tip
    interpretation = next(k for k, r in enumerate(window.current.references.refs) if r.kind == "interpretation")
    assert "釋字第748號" in window.pane.reference_tooltip_at(link_position(window, interpretation))
    window.close()


def test_find_every_article_citing_this(qtbot, data_dir, library) -> None:
    harness, window = start(qtbot, data_dir, library)
    panel = window.references_panel
    panel.view.setCurrentIndex(panel.model.index(1, 0, panel.model.index(0, 0)))
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    assert window.list_panel.search_box.text() == "law:個人資料保護法 art:6"
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=8000)
    assert window.results_model.rows[0].path == "pdpa.md"
    window.close()


def test_a_damaged_law_library_is_said_and_links_stay(qtbot, data_dir, library) -> None:
    (data_dir / "laws.sqlite3").write_bytes(b"not a database at all" * 100)
    harness, window = start(qtbot, data_dir, library)
    assert window.references_panel.model.rowCount() == 2
    assert "laws.sqlite3" in window.statusBar().currentMessage()
    window.close()


def test_a_help_event_over_a_link_shows_the_tooltip(qtbot, data_dir, library) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    harness, window = start(qtbot, data_dir, library)
    pos = link_position(window, 1)
    viewport = window.pane.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)  # where Qt sends it
    qtbot.waitUntil(lambda: "個人資料保護法第6條" in QToolTip.text(), timeout=3000)
    assert "reader laws import" in QToolTip.text()
    QToolTip.hideText()
    window.close()
