"""An article with thousands of highlights in the real window: the annotations panel lists
them all in reading order (the detached ones last), a click on one jumps to it, and the marks
are painted in the text wherever the reader scrolls. (Its speed is measured by
tests/benchmarks/bench_highlights.py, not here.)"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QTextCursor  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from reader.ui.annotation_models import BadgeRole  # noqa: E402
from tests.conftest import run_cli  # noqa: E402
from tests.test_window import Harness  # noqa: E402

ARTICLE = "many.md"
COUNT = 3_000
DETACHED = 3
COLORS = {"yellow": "#ffe066", "green": "#8ce99a", "blue": "#a5d8ff", "pink": "#fcc2d7"}


def sentence(number: int) -> str:
    return f"第{number}條：主管機關應就人工智慧系統之風險進行評估並公告相關標準。"


def write_library(root: Path) -> Path:
    root.mkdir()
    paragraphs = ["".join(sentence(n) for n in range(k, k + 10)) for k in range(0, COUNT, 10)]
    (root / ARTICLE).write_text("---\ntitle: 三千則標註\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return root


def annotation_file(path: Path, library: Path, data_dir: Path) -> list[dict]:
    """COUNT highlights, one on each "第N條" (in a shuffled order in the file), and DETACHED
    whose quote is nowhere in the article."""
    text = render_article(Library(library.resolve(), DataPaths(data_dir)).load(ARTICLE)).text
    items = []
    for number in range(COUNT):
        exact = f"第{number}條"
        start = text.index(exact + "：")
        color = list(COLORS)[number % 4]
        body = [{"type": "TextualBody", "value": color, "purpose": "tagging"}]
        if number % 100 == 0:
            body.insert(0, {"type": "TextualBody", "value": f"筆記{number}", "purpose": "commenting"})
        items.append({
            "type": "Annotation", "id": f"urn:test:{number}", "created": "2024-05-01T00:00:00Z",
            "modified": "2024-05-01T00:00:00Z", "body": body,
            "target": {"source": ARTICLE, "selector": [
                {"type": "TextQuoteSelector", "exact": exact, "prefix": text[max(0, start - 32) : start], "suffix": text[start + len(exact) : start + len(exact) + 32]},
                {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
            ]},
        })
    for number in range(DETACHED):
        items.append({
            "type": "Annotation", "id": f"urn:test:gone-{number}", "modified": "2024-05-01T00:00:00Z",
            "target": {"source": ARTICLE, "selector": [{"type": "TextQuoteSelector", "exact": f"已刪除的段落{number}"}]},
        })
    random.Random(3).shuffle(items)
    path.write_text(json.dumps({"type": "AnnotationCollection", "items": items}, ensure_ascii=False), encoding="utf-8")
    return items


@pytest.fixture
def harness(qtbot, tmp_path: Path, data_dir: Path):
    library = write_library(tmp_path / "library")
    file = tmp_path / "highlights.json"
    annotation_file(file, library, data_dir)
    imported = run_cli("annotations", "import", str(file), "--library", str(library), data_dir=data_dir)
    assert imported.returncode == 0, imported.stderr
    assert f"{COUNT + DETACHED} added" in imported.stderr
    h = Harness(qtbot, data_dir, library, articles=1)
    h.start()
    h.open(ARTICLE)
    window = h.window
    qtbot.waitUntil(lambda: window.pane.is_settled and len(window.annotations.items) == COUNT + DETACHED, timeout=60_000)
    yield h
    h.window.close()


def visible_range(pane) -> tuple[int, int]:
    viewport = pane.viewport()
    first = pane.cursorForPosition(QPoint(0, 0)).position()
    last = pane.cursorForPosition(QPoint(viewport.width(), viewport.height())).position()
    return first, last


def qt_range(window, number: int) -> tuple[int, int]:
    text = window.current.rendered.text
    start = text.index(f"第{number}條：")
    return window.pane.mapping.plain_range_to_qt(start, start + len(f"第{number}條"))


def painted_color_share(pane, start: int, end: int, css: str) -> float:
    """How much of the background of the characters from ``start`` to ``end``, as painted in
    the pane, is ``css``."""
    image = pane.viewport().grab().toImage()
    want = QColor(css).name()
    hits = total = 0
    cursor = QTextCursor(pane.document())
    for position in range(start, end):
        cursor.setPosition(position)
        left = pane.cursorRect(cursor)
        cursor.setPosition(position + 1)
        right = pane.cursorRect(cursor)
        if right.top() != left.top():
            continue  # the character begins a new line: measured from its own start
        for x in range(max(0, left.right() + 1), min(image.width(), right.left())):
            for y in range(max(0, left.top() + 1), min(image.height(), left.bottom() - 1)):
                total += 1
                hits += image.pixelColor(x, y).name() == want
    return hits / max(1, total)


def test_the_panel_lists_every_highlight_in_reading_order(harness) -> None:
    window = harness.window
    listed = window.annotations.list
    assert listed.count() == COUNT + DETACHED  # a card each, the detached ones last
    rows = [listed.item(r).text() for r in range(listed.count())]
    for number in range(COUNT):
        head, quote, *note = rows[number].split("\n")
        assert quote == f"「第{number}條」", rows[number]
        assert head == window.annotations.color_name(list(COLORS)[number % 4])
        assert note == ([f"✎ 筆記{number}"] if number % 100 == 0 else [])
    assert sorted(rows[COUNT:]) == [f"{window.annotations.color_name('yellow')}  ·  detached\n「已刪除的段落{n}」" for n in range(DETACHED)]
    assert [listed.item(COUNT + n).data(BadgeRole) for n in range(DETACHED)] == ["detached"] * DETACHED
    assert not window.annotations.empty.isVisible()
    # The marks are in the text: every attached highlight, each in its colour.
    assert window.pane.highlight_colors_at() == [COLORS[list(COLORS)[n % 4]] for n in range(COUNT)]


def test_a_click_in_the_list_jumps_to_the_highlight_and_it_is_marked(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    listed, pane = window.annotations.list, window.pane
    for number in (2_345, 17, COUNT - 1):
        item = listed.item(number)
        listed.scrollTo(item.index())
        qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=listed.visualItemRect(item).center())
        start, end = qt_range(window, number)
        qtbot.waitUntil(lambda s=start, e=end: visible_range(pane)[0] <= s and e <= visible_range(pane)[1], timeout=5_000)
        assert window.annotations.current().id == f"urn:test:{number}"
        css = COLORS[list(COLORS)[number % 4]]
        assert (start, end, css) in pane.shown_marks()
        assert painted_color_share(pane, start, end, css) > 0.3  # what the reader sees behind the words


def test_marks_follow_the_reader_through_the_whole_article(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    pane = window.pane
    bar = pane.verticalScrollBar()
    assert len(pane.extraSelections()) < COUNT / 2  # only around the view: the rest are ranges
    for value in (bar.maximum(), bar.maximum() // 2, 0, bar.maximum() // 3):
        bar.setValue(value)
        qtbot.wait(10)
        first, last = visible_range(pane)
        shown = {(s, e) for s, e, _c in pane.shown_marks()}
        in_view = [n for n in range(COUNT) if first <= qt_range(window, n)[0] and qt_range(window, n)[1] <= last]
        assert in_view, value
        assert all(qt_range(window, n) in shown for n in in_view), value
    # The last highlight, at the very end, is painted there.
    bar.setValue(bar.maximum())
    start, end = qt_range(window, COUNT - 1)
    qtbot.waitUntil(lambda: (start, end, COLORS[list(COLORS)[(COUNT - 1) % 4]]) in pane.shown_marks(), timeout=3_000)


def test_deleting_one_of_thousands_updates_the_list_and_the_marks(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    listed = window.annotations.list
    listed.setCurrentRow(1_000)
    assert window.annotations.current().id == "urn:test:1000"
    window.annotations.delete_button.click()
    qtbot.waitUntil(lambda: len(window.annotations.items) == COUNT + DETACHED - 1, timeout=10_000)
    assert "「第1000條」" not in [listed.item(r).text().split("\n")[1] for r in range(995, 1_005)]
    assert window.annotations.current().id == "urn:test:1001"  # the next one, for the keyboard
    assert listed.viewport().rect().intersects(listed.visualItemRect(listed.item(1_000)))  # the list stays there
    assert len(window.pane.highlight_colors_at()) == COUNT - 1


def test_a_note_typed_far_down_the_list_keeps_the_list_where_it_is(harness) -> None:
    from tests.test_window import type_text

    window, qtbot = harness.window, harness.qtbot
    listed = window.annotations.list
    item = listed.item(2_000)
    listed.scrollTo(item.index())
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=listed.visualItemRect(item).center())
    scrolled = listed.verticalScrollBar().value()
    assert scrolled > 0
    type_text(qtbot, window.annotations.note, "重要")
    qtbot.waitUntil(lambda: "\n✎ 重要" in listed.item(2_000).text(), timeout=5_000)  # saved, and the list shows it
    assert window.annotations.current().id == "urn:test:2000"
    assert listed.verticalScrollBar().value() == scrolled
    assert listed.viewport().rect().contains(listed.visualItemRect(listed.item(2_000)))


def test_all_annotations_lists_and_filters_thousands(harness) -> None:
    window, qtbot = harness.window, harness.qtbot
    panel = window.annotations
    panel.tabs.setCurrentIndex(1)
    assert panel.all_list.count() == 1 + COUNT + DETACHED  # the article's title once, then its cards
    assert panel.all_list.item(0).text() == "三千則標註"
    panel.filter_text.setText("第2999條")
    qtbot.waitUntil(lambda: panel.all_list.count() == 2, timeout=3000)  # after a pause in the typing
    assert "「第2999條」" in panel.all_list.item(1).text()
    panel.filter_text.setText("")
    panel.filter_color.setCurrentIndex(panel.filter_color.findData("green"))
    qtbot.waitUntil(lambda: panel.library_card_count() == COUNT // 4, timeout=3000)
    item = panel.all_list.item(panel.all_list.count() - 1)

    def scrolled_to_it() -> bool:  # rows are laid out in steps: scroll again until it is there
        panel.all_list.scrollTo(item.index())
        return panel.all_list.viewport().rect().contains(panel.all_list.visualItemRect(item).center())

    qtbot.waitUntil(scrolled_to_it, timeout=5000)
    qtbot.mouseClick(panel.all_list.viewport(), Qt.MouseButton.LeftButton, pos=panel.all_list.visualItemRect(item).center())
    start, _end = qt_range(window, 2_997)  # the last green one
    qtbot.waitUntil(lambda: visible_range(window.pane)[0] <= start <= visible_range(window.pane)[1], timeout=5_000)


def test_the_panel_models_pass_the_model_tester(harness, qtmodeltester) -> None:
    panel = harness.window.annotations
    qtmodeltester.check(panel.model)
    panel.tabs.setCurrentIndex(1)
    qtmodeltester.check(panel.library_model)
    panel.filter_color.setCurrentIndex(panel.filter_color.findData("green"))
    panel.filter_timer.timeout.emit()
    qtmodeltester.check(panel.library_proxy)
