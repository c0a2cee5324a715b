"""The annotations panel in the real window: cards with their locator and badge, the grouped
and filtered "All annotations", keyboard use, one write and one refresh per change, Ctrl+Z
wherever the focus is, and "Open original"."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QUrl  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from reader.annotations.store import AnnotationStore  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.ui.annotation_models import (  # noqa: E402
    GROUP,
    NOTE,
    BadgeRole,
    ColorRole,
    KindRole,
    LocatorRole,
    NoteRole,
    QuoteRole,
)
from tests.test_window import Harness, type_text  # noqa: E402

LAW = "law.md"
OTHER = "other.md"
LAW_TEXT = """---
title: 人工智慧基本法草案
tags: [法規]
---

# 第一章 總則

第一條：為促進人工智慧之研發與應用，特制定本法。

第二條：本法所稱主管機關，在中央為數位發展部。

# 第二章 罰則

第十條：違反第五條規定者，處新臺幣十萬元以上罰鍰。

第十一條：情節重大者，得按次處罰。
"""
OTHER_TEXT = """---
title: 資料治理概論
tags: [資料]
---

資料治理是組織管理資料的方法。

良好的資料治理包含品質、安全與隱私。
"""


@pytest.fixture
def harness(qtbot, tmp_path: Path, data_dir: Path):
    library = tmp_path / "library"
    library.mkdir()
    (library / LAW).write_text(LAW_TEXT, encoding="utf-8")
    (library / OTHER).write_text(OTHER_TEXT, encoding="utf-8")
    h = Harness(qtbot, data_dir, library)
    h.start()
    yield h
    h.window.close()


def select(window, words: str) -> None:
    text = window.pane.document().toPlainText()
    start = text.index(words)
    cursor = QTextCursor(window.pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)


def press_h(harness, words: str) -> None:
    window = harness.window
    select(window, words)
    window.pane.setFocus()
    harness.qtbot.keyClick(window.pane, Qt.Key.Key_H)


def cards(view) -> list[dict]:
    model = view.model()
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        out.append({"kind": index.data(KindRole), "quote": index.data(QuoteRole), "note": index.data(NoteRole),
                    "place": index.data(LocatorRole), "badge": index.data(BadgeRole), "color": index.data(ColorRole),
                    "text": index.data(Qt.ItemDataRole.DisplayRole)})
    return out


def test_pressing_h_writes_once_and_refreshes_once(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(LAW)
    controller = window.annotation_controller
    notices, refreshes, resets = [], [], []
    window.session.annotations_changed.connect(notices.append)  # one per write to the store
    controller.refreshed.connect(lambda: refreshes.append(1))
    window.library_model.modelReset.connect(lambda: resets.append(1))
    press_h(harness, "數位發展部")
    assert notices == [LAW]
    assert len(refreshes) == 1
    assert resets == []  # the article list is not reloaded, only its count changes
    assert window.library_model.rows[window.library_model.row_of(LAW)].highlights == 1
    # A note: one write, one refresh, after the typing pauses.
    notices.clear()
    refreshes.clear()
    type_text(qtbot, window.annotations.note, "主管")
    qtbot.waitUntil(lambda: bool(notices), timeout=3000)
    qtbot.wait(50)
    assert notices == [LAW] and len(refreshes) == 1


def test_cards_show_colour_quote_note_locator_and_badge(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(LAW)
    press_h(harness, "數位發展部")
    select(window, "十萬元以上罰鍰")
    window.highlight_selection("green")
    assert [c["quote"] for c in cards(window.annotations.list)] == ["數位發展部", "十萬元以上罰鍰"]
    assert [c["place"] for c in cards(window.annotations.list)] == ["第一章 總則", "第二章 罰則"]
    assert [c["color"] for c in cards(window.annotations.list)] == ["#ffe066", "#8ce99a"]
    assert [c["badge"] for c in cards(window.annotations.list)] == ["", ""]
    # The article changes on disk: one highlight moves, one is gone (detached, listed last).
    path = harness.library / LAW
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("第一條：", "第零條：新增的條文。\n\n第一條：").replace("第十條：違反第五條規定者，處新臺幣十萬元以上罰鍰。", "第十條：刪除。"), encoding="utf-8")
    harness.open(OTHER)
    harness.open(LAW)
    qtbot.waitUntil(lambda: [c["badge"] for c in cards(window.annotations.list)] == ["moved", "detached"], timeout=5000)
    shown = cards(window.annotations.list)
    assert shown[0]["place"] == "第一章 總則" and shown[1]["place"] == ""
    window.annotations.list.setCurrentRow(1)
    assert window.annotations.reattach_button.isVisible()


def test_the_cards_are_painted(harness) -> None:
    """A card as the reader sees it: its colour bar in the highlight's colour."""
    window = harness.window
    harness.open(LAW)
    press_h(harness, "數位發展部")
    view = window.annotations.list
    rect = view.visualRect(view.model().index(0, 0))
    image = view.viewport().grab().toImage()
    bar = [image.pixelColor(x, rect.center().y()).name() for x in range(rect.left(), rect.left() + 20)]
    assert "#ffe066" in bar


def test_ctrl_z_undoes_a_delete_even_from_the_note_editor(harness, data_dir: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(LAW)
    press_h(harness, "數位發展部")
    press_h(harness, "按次處罰")
    panel = window.annotations
    panel.list.setCurrentRow(0)
    deleted = panel.current()
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [a.quote.exact for a in panel.items] == ["按次處罰"]
    hint = window.statusBar().currentMessage()
    assert "Ctrl+Z" in hint and "deleted" in hint
    # The focus goes into the note editor (of the highlight left), as it would after a click.
    panel.note.setFocus()
    qtbot.waitUntil(panel.note.hasFocus, timeout=2000)
    qtbot.keyClick(panel.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.quote.exact for a in panel.items] == ["數位發展部", "按次處罰"]
    assert panel.current().id == deleted.id  # selected again
    store = AnnotationStore.open(DataPaths(data_dir))  # and saved
    try:
        assert store.get(deleted.library, deleted.id) is not None
    finally:
        store.close()
    # Typing in the editor: Ctrl+Z undoes the typing first, not another delete.
    type_text(qtbot, panel.note, "abc")
    qtbot.keyClick(panel.note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.note.toPlainText() != "abc"
    assert len(panel.items) == 2


def test_ctrl_z_from_the_filter_box_and_the_search_box(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(LAW)
    press_h(harness, "數位發展部")
    window.annotations.list.setCurrentRow(0)
    window.annotations.list.setFocus()
    qtbot.keyClick(window.annotations.list, Qt.Key.Key_Delete)  # Del on a card deletes it
    assert window.annotations.items == []
    window.list_panel.search_box.setFocus()
    qtbot.waitUntil(window.list_panel.search_box.hasFocus, timeout=2000)
    qtbot.keyClick(window.list_panel.search_box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.quote.exact for a in window.annotations.items] == ["數位發展部"]


def test_keyboard_moves_through_the_cards_and_enter_jumps(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    window.resize(1280, 420)
    harness.open(LAW)
    press_h(harness, "為促進人工智慧")
    press_h(harness, "得按次處罰")
    pane, view = window.pane, window.annotations.list
    pane.verticalScrollBar().setValue(0)
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.annotations.current().quote.exact == "得按次處罰"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.document().toPlainText()[pane.textCursor().position():].startswith("得按次處罰"), timeout=3000)


def test_all_annotations_grouped_by_article_with_article_notes_as_notes(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(OTHER)
    press_h(harness, "品質、安全與隱私")
    type_text(qtbot, window.annotations.article_note, "整篇的重點")
    qtbot.waitUntil(lambda: window.session.store.article_note(window.session.root, OTHER) is not None, timeout=3000)
    harness.open(LAW)
    press_h(harness, "數位發展部")
    press_h(harness, "按次處罰")
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    shown = cards(panel.all_list)
    assert [c["kind"] for c in shown] == [GROUP, "card", "card", GROUP, NOTE, "card"]
    assert [c["text"] for c in shown if c["kind"] == GROUP] == ["人工智慧基本法草案", "資料治理概論"]  # each title once
    note = shown[4]
    assert note["text"] == "Article note\n✎ 整篇的重點" and "「」" not in note["text"]
    assert note["quote"] == "" and note["color"] == ""
    assert panel.library_status.text() == "4 annotations"
    # Enter on a card of another article opens it there.
    view = panel.all_list
    view.setFocus()
    view.setCurrentIndex(view.model().index(5, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == OTHER, timeout=5000)
    pane = window.pane
    qtbot.waitUntil(lambda: pane.document().toPlainText()[pane.textCursor().position():].startswith("品質、安全與隱私"), timeout=3000)


def test_filtering_waits_for_a_pause_and_keeps_the_group_titles(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(OTHER)
    press_h(harness, "品質、安全與隱私")
    harness.open(LAW)
    press_h(harness, "數位發展部")
    select(window, "按次處罰")
    window.highlight_selection("green")
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    view = panel.all_list
    assert view.count() == 5
    type_text(qtbot, panel.filter_text, "隱私")
    assert view.count() == 5  # not on every keystroke
    assert panel.filter_timer.isActive()
    qtbot.waitUntil(lambda: view.count() == 2, timeout=2000)
    assert [c["text"] for c in cards(view)][0] == "資料治理概論"
    assert panel.library_status.text() == "1 of 3 annotations"
    panel.filter_text.clear()
    panel.filter_color.setCurrentIndex(panel.filter_color.findData("green"))
    qtbot.waitUntil(lambda: [c["quote"] for c in cards(view)] == [None, "按次處罰"], timeout=2000)
    panel.filter_color.setCurrentIndex(0)
    panel.filter_tag.setCurrentIndex(panel.filter_tag.findData("資料"))  # the article's tags
    qtbot.waitUntil(lambda: [c["quote"] for c in cards(view)] == [None, "品質、安全與隱私"], timeout=2000)
    # A highlight's own tags: shown on its card and filtered by too.
    tagged = next(a for a in window.annotations.items if a.quote.exact == "數位發展部")
    window.session.store.set_tags(window.session.root, tagged.id, ["主管機關"])
    qtbot.waitUntil(lambda: panel.filter_tag.findData("主管機關") >= 0, timeout=3000)
    panel.filter_tag.setCurrentIndex(panel.filter_tag.findData("主管機關"))
    qtbot.waitUntil(lambda: [c["quote"] for c in cards(view)] == [None, "數位發展部"], timeout=2000)
    assert "#主管機關" in view.model().index(1, 0).data(Qt.ItemDataRole.AccessibleDescriptionRole)


def test_the_panel_models_pass_the_model_tester(harness, qtmodeltester) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(OTHER)
    press_h(harness, "品質、安全與隱私")
    type_text(qtbot, window.annotations.article_note, "整篇")
    qtbot.waitUntil(lambda: window.session.store.article_note(window.session.root, OTHER) is not None, timeout=3000)
    harness.open(LAW)
    press_h(harness, "數位發展部")
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.library_model)
    qtmodeltester.check(panel.library_proxy)
    panel.filter_text.setText("隱私")
    panel.filter_timer.timeout.emit()
    qtmodeltester.check(panel.library_proxy)


def test_rows_and_cards_speak_to_screen_readers(harness) -> None:
    window = harness.window
    harness.open(LAW)
    press_h(harness, "數位發展部")
    card = window.annotations.list.model().index(0, 0)
    assert card.data(Qt.ItemDataRole.AccessibleTextRole) == "Yellow: 數位發展部"
    description = card.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert "第一章 總則" in description and description[-10:].startswith("20")  # the date
    row = window.list_panel.view.model().index(0, 0)
    assert row.data(Qt.ItemDataRole.AccessibleTextRole) in ("人工智慧基本法草案", "資料治理概論")
    assert row.data(Qt.ItemDataRole.AccessibleDescriptionRole)


def test_open_original_opens_the_source_file(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    opened: list[QUrl] = []
    window.open_external = opened.append
    assert not window.open_original_action.isEnabled()  # no article open yet
    harness.open(LAW)
    assert window.open_original_action.isEnabled()
    window.open_original_action.trigger()
    assert opened == [QUrl.fromLocalFile(str((harness.library / LAW).resolve()))]
    # From the article list's context menu too (the row's own file).
    view = window.list_panel.view
    model = view.model()
    from reader.ui.article_models import PathRole

    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(PathRole) == OTHER)
    view.open_original_requested.emit(model.index(row, 0).data(PathRole))
    assert opened[-1] == QUrl.fromLocalFile(str((harness.library / OTHER).resolve()))
    assert opened[-1].toLocalFile().endswith(OTHER)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert opened[-1].toLocalFile().endswith(LAW)


def test_enter_on_an_article_title_in_all_annotations_opens_it(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    harness.open(OTHER)
    press_h(harness, "品質、安全與隱私")
    harness.open(LAW)
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    view = panel.all_list
    group = next(r for r in range(view.count()) if view.item(r).data(KindRole) == GROUP and view.item(r).text() == "資料治理概論")
    view.setFocus()
    view.setCurrentRow(group)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None and window.current.path == OTHER, timeout=5000)
