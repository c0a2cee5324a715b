"""File ▸ Export annotations… in the real window: the dialog's widgets set as a person would,
the save dialog answered, and the written file opened (python-docx, csv, json, Markdown).
The file is made by the same functions as ``reader annotations export``."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import docx
import pytest
from lxml import etree

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from reader.annotations.selectors import describe  # noqa: E402
from reader.cli import main  # noqa: E402
from reader.exporting.csv_export import ANNOTATION_COLUMNS  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from tests.test_window import MOU, NIST, Harness  # noqa: E402
from tests.test_window_citations import answer_file_dialog  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NIST_TITLE = "美國國家標準暨技術研究院"
MOU_TITLE = "英國與美國為人工智慧安全共同開發簽署合作備忘錄"
#: (article, quoted text, colour, note, tags)
MADE = [
    (NIST, "攜手打造安全、可靠且可信賴之AI生態系", "yellow", "定義：安全與可信賴", ["定義", "安全"]),
    (NIST, "延伸閱讀", "green", "", []),
    (MOU, "雙方將共同開發先進人工智慧", "pink", "合作的重點", ["定義", "合作"]),
    (MOU, "布萊切利公園", "green", "", ["地點"]),
]


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    window = h.start()
    session = window.session
    for path, words, color, note, tags in MADE:
        article, content_hash = session.library.load_with_hash(path)
        text = render_article(article).text
        start = text.index(words)
        quote, position = describe(text, start, start + len(words))
        session.store.add_highlight(session.root, path, quote, position, color, note, content_hash, tags)
    session.store.set_article_note(session.root, MOU, "整篇文章的筆記")
    yield h
    if h.window is not None:
        h.window.close()


def open_dialog(harness):
    window = harness.window
    file_menu = window.menuBar().actions()[0].menu()
    assert window.citations.export_action in file_menu.actions()
    window.citations.export_action.trigger()
    dialog = window.citations.export_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def set_format(dialog, fmt: str) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))


def check(widget, wanted: set[str]) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked
        item.setCheckState(state)


def export(harness, dialog, target: Path, replace: bool = True) -> None:
    answer_file_dialog(target, replace)
    with harness.qtbot.waitSignal(harness.window.citations.export_finished, timeout=20000):
        dialog.ok_button.click()


def footnotes(path: Path) -> list[str]:
    document = docx.Document(str(path))
    [part] = [p for p in document.part.package.parts if p.partname == "/word/footnotes.xml"]
    notes = etree.fromstring(part.blob)
    return ["".join(n.itertext()).strip() for n in notes.iter(W + "footnote") if int(n.get(W + "id")) > 0]


def test_word_export_of_the_open_article_has_quotes_and_real_footnotes(harness, tmp_path: Path) -> None:
    window = harness.window
    harness.open(MOU)
    dialog = open_dialog(harness)
    assert dialog.scope_current.isChecked() and not dialog.article_list.isEnabled()
    set_format(dialog, "docx")
    assert dialog.count_label.text() == "3 annotations will be exported."
    target = tmp_path / "out" / "備忘錄 notes.docx"
    target.parent.mkdir()
    export(harness, dialog, target)
    document = docx.Document(str(target))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == ["雙方將共同開發先進人工智慧", "布萊切利公園"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "整篇文章的筆記" in text and "合作的重點" in text and NIST_TITLE not in text
    notes = footnotes(target)
    assert len(notes) == 2 and all(f"〈{MOU_TITLE}〉" in n and "段" in n for n in notes)
    assert f"3 annotations exported to {target}" == window.statusBar().currentMessage()
    assert not list(target.parent.glob(".*.tmp"))


def test_csv_of_the_library_keeps_only_the_checked_colours(harness, tmp_path: Path) -> None:
    dialog = open_dialog(harness)
    assert not dialog.scope_current.isEnabled() and dialog.scope_library.isChecked()  # no article open
    set_format(dialog, "csv")
    check(dialog.color_list, {"green"})
    assert dialog.count_label.text() == "2 annotations will be exported."
    target = tmp_path / "green.csv"
    export(harness, dialog, target)
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ANNOTATION_COLUMNS
    assert sorted(r["quote"] for r in rows) == ["布萊切利公園", "延伸閱讀"]
    assert {r["colour"] for r in rows} == {"綠 Green"}
    assert all(r["citation"] for r in rows)


def test_json_of_chosen_articles_and_a_tag_imports_back(harness, tmp_path: Path, sample_library: Path) -> None:
    dialog = open_dialog(harness)
    dialog.scope_chosen.click()
    assert dialog.article_list.isEnabled()
    dialog.article_filter.setText("備忘錄")
    shown = [dialog.article_list.item(r) for r in range(dialog.article_list.count()) if not dialog.article_list.item(r).isHidden()]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in shown] == [MOU]
    shown[0].setCheckState(Qt.CheckState.Checked)
    check(dialog.tag_list, {"定義"})
    set_format(dialog, "json")
    assert not dialog.style_box.isEnabled()  # JSON has no citations
    assert dialog.count_label.text() == "1 annotation will be exported."
    target = tmp_path / "defined.json"
    export(harness, dialog, target)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["total"] == 1
    [item] = exported["items"]
    assert item["target"]["source"] == MOU and item["target"]["selector"][0]["exact"] == "雙方將共同開發先進人工智慧"
    fresh = tmp_path / "fresh-data"
    assert main(["annotations", "import", str(target), "--library", str(sample_library), "--data-dir", str(fresh)]) == 0
    from reader.annotations.store import AnnotationStore
    from reader.paths import DataPaths

    store = AnnotationStore.open(DataPaths(fresh))
    try:
        [back] = store.all()
        assert back.quote.exact == "雙方將共同開發先進人工智慧" and list(back.tags) == ["定義", "合作"] and back.note == "合作的重點"
    finally:
        store.close()


def test_markdown_of_the_library_is_grouped_by_article_in_the_chosen_style(harness, tmp_path: Path) -> None:
    dialog = open_dialog(harness)
    set_format(dialog, "markdown")
    dialog.style_box.setCurrentIndex(dialog.style_box.findData("apa"))
    target = tmp_path / "all.md"
    export(harness, dialog, target)
    text = target.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == 2 and any(MOU_TITLE in h for h in headings) and any(NIST_TITLE in h for h in headings)
    mou = text.index(f"## {MOU_TITLE}")
    nist = next(text.index(h) for h in headings if NIST_TITLE in h)
    first, second = sorted([(mou, MOU), (nist, NIST)])
    section = text[first[0]:second[0]]
    for path, words, *_ in MADE:
        assert (words in section) == (path == first[1])
    assert "para. " in text and "(林允中 編譯整理, 2024" in text  # APA, with locators


def test_a_read_only_folder_or_the_data_folder_is_refused_with_the_file_named(harness, tmp_path: Path, read_only_folder) -> None:
    window, qtbot = harness.window, harness.qtbot
    locked = tmp_path / "locked"
    locked.mkdir()
    read_only_folder(locked)
    dialog = open_dialog(harness)
    set_format(dialog, "docx")
    target = locked / "notes.docx"
    answer_file_dialog(target)
    with qtbot.waitSignal(window.citations.export_failed, timeout=20000) as failed:
        dialog.ok_button.click()
    box = window.citations.message_box
    assert box is not None and box.isVisible()
    assert str(target) in box.text() and "nothing was written" in box.text()
    assert str(target) in failed.args[0]
    assert not target.exists() and os.listdir(locked) == []
    # Inside the data folder: refused before anything is computed.
    dialog = open_dialog(harness)
    inside = window.paths.root / "export.md"
    answer_file_dialog(inside)
    with qtbot.waitSignal(window.citations.export_failed, timeout=20000):
        dialog.ok_button.click()
    assert "data folder" in window.citations.message_box.text() and not inside.exists()


def test_an_existing_file_is_replaced_only_when_the_save_dialog_says_so(harness, tmp_path: Path) -> None:
    window, qtbot = harness.window, harness.qtbot
    target = tmp_path / "keep.md"
    target.write_text("my own notes", encoding="utf-8")
    dialog = open_dialog(harness)
    set_format(dialog, "markdown")
    answer_file_dialog(target, replace=False)
    with qtbot.assertNotEmitted(window.citations.export_finished, wait=300):
        dialog.ok_button.click()
    assert target.read_text(encoding="utf-8") == "my own notes"
    dialog = open_dialog(harness)
    set_format(dialog, "markdown")
    export(harness, dialog, target, replace=True)
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_the_suggested_file_name_is_safe(harness) -> None:
    from reader.ui.citation_actions import safe_file_name

    assert safe_file_name('a/b:c*?"<>|d') == "a b c d"
    assert safe_file_name("...") == "annotations"
    harness.open(MOU)
    dialog = open_dialog(harness)
    set_format(dialog, "docx")
    name = harness.window.citations.suggested_name(dialog.choice())
    assert name == f"{MOU_TITLE} annotations.docx"
    dialog.reject()


def test_a_full_disk_leaves_nothing_half_written(harness, tmp_path: Path, small_disk) -> None:
    window, qtbot = harness.window, harness.qtbot
    disk = small_disk(64)
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)  # fill it up
    try:
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    dialog = open_dialog(harness)
    set_format(dialog, "docx")
    target = disk / "notes.docx"
    answer_file_dialog(target)
    with qtbot.waitSignal(window.citations.export_failed, timeout=20000) as failed:
        dialog.ok_button.click()
    assert str(target) in failed.args[0] and "nothing was written" in failed.args[0]
    assert sorted(os.listdir(disk)) == ["filler"]


def test_in_chinese_the_dialog_and_the_document_speak_chinese(harness, tmp_path: Path) -> None:
    from reader.ui.app import make_app
    from reader.ui.i18n import set_language
    from tests.test_translations import english_words, widget_texts

    window = harness.window
    app = make_app()
    window.set_language("zh_TW")
    try:
        harness.open(MOU)
        dialog = open_dialog(harness)
        texts = widget_texts(dialog, skip=(dialog.article_list, dialog.tag_list))  # titles and tags are the user's
        english = [(where, text) for where, text in texts if english_words(text.replace("docx", "").replace("W3C Web Annotation", ""))]
        assert english == []
        assert dialog.count_label.text() == "將匯出 3 則註記。"
        set_format(dialog, "docx")
        target = tmp_path / "中文.docx"
        export(harness, dialog, target)
        document = docx.Document(str(target))
        lines = [p.text for p in document.paragraphs]
        assert lines[0] == "註記" and lines[1] == "引註格式：臺灣法學期刊（作者，〈篇名〉，《刊名》，卷期，頁碼，年份）"
        assert "文章筆記：整篇文章的筆記" in lines
        assert window.statusBar().currentMessage() == f"已將 3 則註記匯出至 {target}"
    finally:
        window.set_language("en")
        set_language(app, "en")
