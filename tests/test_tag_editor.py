"""The tag editor under the colour row of the annotations panel, in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from reader.annotations.store import AnnotationStore  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from tests.test_window import MOU, NIST, Harness, type_text  # noqa: E402


def highlight(window, words: str):
    text = window.pane.toPlainText()
    start = text.rindex(words)
    cursor = window.pane.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)
    return window.annotation_controller.highlight("yellow")


def test_tags_typed_are_completed_saved_shown_filtered_and_undone(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    harness.open(NIST)
    first = highlight(window, "攜手打造安全、可靠且可信賴之AI生態系")
    panel = window.annotations
    panel.list.setCurrentRow(panel.row_of(first.id))
    type_text(qtbot, panel.tag_edit, "定義, 安全")
    qtbot.keyClick(panel.tag_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.store.get(window.session.root, first.id).tags == ("定義", "安全"), timeout=5000)
    harness.open(MOU)
    second = highlight(window, "布萊切利公園")
    panel.list.setCurrentRow(panel.row_of(second.id))
    type_text(qtbot, panel.tag_edit, "定")  # completion offers the tag already used
    assert panel.tag_edit.completer.completionPrefix() == "定"
    assert panel.tag_edit.completer.completionCount() == 1
    assert panel.tag_edit.completer.currentCompletion() == "定義"
    panel.tag_edit.completer.activated.emit("定義")
    qtbot.keyClick(panel.tag_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.store.get(window.session.root, second.id).tags == ("定義",), timeout=5000)
    card = panel.model.index(panel.row_of(second.id), 0)
    assert "#定義" in " ".join(str(card.data(role) or "") for role in range(0, 300))
    # All annotations: the tag filter offers the new tag
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.filter_tag.findData("安全") >= 0, timeout=5000)
    panel.filter_tag.setCurrentIndex(panel.filter_tag.findData("安全"))
    qtbot.waitUntil(lambda: panel.library_card_count() == 1, timeout=5000)
    panel.tabs.setCurrentIndex(0)
    # Ctrl+Z gives the old tags back, and still undoes a delete after it
    panel.list.setCurrentRow(panel.row_of(second.id))
    window.annotation_controller.delete(second.id)
    window.annotation_controller.undo()
    assert window.session.store.get(window.session.root, second.id).tags == ("定義",)
    window.annotation_controller.undo()
    assert window.session.store.get(window.session.root, second.id).tags == ()
    window.close()
    store = AnnotationStore.open(DataPaths(data_dir))  # after a restart, in the database
    try:
        assert store.get(window.session.root if window.session else store.all()[0].library, first.id).tags == ("定義", "安全")
    finally:
        store.close()


@pytest.mark.parametrize("typed, words", [("x" * 201, "at most 200"), ("壞\t標籤", "control characters")])
def test_an_invalid_tag_shows_the_problem_and_saves_nothing(qtbot, data_dir: Path, sample_library: Path, typed: str, words: str) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    harness.open(NIST)
    item = highlight(window, "攜手打造安全、可靠且可信賴之AI生態系")
    panel = window.annotations
    panel.list.setCurrentRow(panel.row_of(item.id))
    panel.tag_edit.setFocus()
    panel.tag_edit.setText("好, " + typed.replace("\t", "\x07"))
    panel.tag_edit.setModified(True)
    panel.tag_edit.editingFinished.emit()
    assert panel.tag_problem.isVisible() and (words in panel.tag_problem.text())
    assert window.session.store.get(window.session.root, item.id).tags == ()  # nothing saved half
    assert panel.tag_edit.text().startswith("好, ")  # the text stays to be corrected
    window.close()


def test_a_tag_with_spaces_is_kept_whole_when_another_is_added(qtbot, data_dir: Path, sample_library: Path) -> None:
    """Tags may hold spaces (the CLI and imports keep them): the editor separates by commas
    only, so showing a tag and pressing Enter, or adding one, never splits it."""
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    harness.open(NIST)
    item = highlight(window, "攜手打造安全、可靠且可信賴之AI生態系")
    store = window.session.store
    store.set_tags(window.session.root, item.id, ["AI Seoul Summit"])
    window.annotation_controller.refresh()
    panel = window.annotations
    panel.list.setCurrentRow(panel.row_of(item.id))
    assert panel.tag_edit.text() == "AI Seoul Summit"
    qtbot.keyClick(panel.tag_edit, Qt.Key.Key_Return)  # unchanged: nothing split, nothing saved
    assert store.get(window.session.root, item.id).tags == ("AI Seoul Summit",)
    panel.tag_edit.setFocus()
    panel.tag_edit.end(False)
    type_text(qtbot, panel.tag_edit, "、定義")
    qtbot.keyClick(panel.tag_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.get(window.session.root, item.id).tags == ("AI Seoul Summit", "定義"), timeout=5000)
    window.close()


def test_undoing_tags_of_a_highlight_deleted_elsewhere_goes_on_to_older_undos(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    harness.open(NIST)
    older = highlight(window, "攜手打造安全、可靠且可信賴之AI生態系")
    tagged = highlight(window, "延伸閱讀")
    controller, store, root = window.annotation_controller, window.session.store, window.session.root
    controller.delete(older.id)
    controller.set_tags(tagged.id, ["定義"])
    store.delete(root, tagged.id)  # another window deletes it
    controller.undo()  # its tag change cannot be undone: said, and dropped
    assert "deleted in another window" in window.statusBar().currentMessage()
    controller.undo()  # the delete before it is undone, as ever
    assert store.get(root, older.id) is not None
    window.close()
