"""Library ▸ Edit article details… in the real window: a Markdown article's front matter,
a PDF's edit in the data folder that survives a restart, and a citation that uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDialogButtonBox  # noqa: E402

from reader.cli import main  # noqa: E402
from reader.library import frontmatter  # noqa: E402
from tests.test_window import MOU, Harness  # noqa: E402


def open_dialog(harness: Harness, path: str):
    window, qtbot = harness.window, harness.qtbot
    window.edit_article_details(path)
    qtbot.waitUntil(lambda: getattr(window, "metadata_dialog", None) is not None and window.metadata_dialog.isVisible()
                    and window.metadata_dialog.path == path, timeout=10000)
    return window.metadata_dialog


def save(harness: Harness, dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    harness.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)


def titles(window) -> list[str]:
    model = window.list_panel.view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_a_markdown_articles_details_go_to_its_front_matter_and_its_citation(qtbot, data_dir: Path, sample_library: Path, capsys) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    window = harness.start()
    harness.open(MOU)
    window.edit_details_action.trigger()  # the menu's action edits the open article
    qtbot.waitUntil(lambda: getattr(window, "metadata_dialog", None) is not None and window.metadata_dialog.isVisible(), timeout=10000)
    dialog = window.metadata_dialog
    assert dialog.path == MOU and dialog.fields["title"].text().startswith("英國與美國")
    dialog.fields["title"].setText("英美 AI 安全合作：備忘錄")
    dialog.fields["journal"].setText("科技法律透析")
    dialog.fields["volume"].setText("36")
    dialog.fields["issue"].setText("7")
    save(harness, dialog)
    qtbot.waitUntil(lambda: "英美 AI 安全合作：備忘錄" in titles(window), timeout=10000)
    meta_source, _ = frontmatter.split((sample_library / MOU).read_text(encoding="utf-8"))
    assert "英美 AI 安全合作：備忘錄" in meta_source and "journal: 科技法律透析" in meta_source
    # a highlight, then its citation from the CLI uses the new title and journal
    qtbot.waitUntil(lambda: window.current is not None and window.current.article.title == "英美 AI 安全合作：備忘錄", timeout=10000)
    from PySide6.QtGui import QTextCursor

    text = window.pane.toPlainText()
    start = text.index("布萊切利公園")
    cursor = window.pane.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + 6, QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)
    assert window.annotation_controller.highlight("yellow") is not None
    window.close()
    capsys.readouterr()
    assert main(["annotations", "export", "--format", "markdown", "--library", str(sample_library), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "英美 AI 安全合作：備忘錄" in out and "科技法律透析" in out


def test_a_bad_date_is_shown_and_nothing_is_saved(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library)
    harness.start()
    before = (sample_library / MOU).read_bytes()
    dialog = open_dialog(harness, MOU)
    dialog.fields["date"].setText("July 2024")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "YYYY" in dialog.problem.text() and dialog.problem.isVisible()
    assert dialog.fields["date"].text() == "July 2024"  # kept to be corrected
    assert (sample_library / MOU).read_bytes() == before
    harness.window.close()


def test_a_pdf_articles_details_are_kept_in_the_data_folder_across_a_restart(qtbot, data_dir: Path, sample_library: Path) -> None:
    from tests.test_formats_samples import make_pdf

    make_pdf(sample_library / "journal.pdf")
    before = (sample_library / "journal.pdf").read_bytes()
    harness = Harness(qtbot, data_dir, sample_library, articles=3)
    window = harness.start()
    dialog = open_dialog(harness, "journal.pdf")
    assert "data folder" in dialog.where.text()
    dialog.fields["title"].setText("PDF 的新標題")
    dialog.fields["journal"].setText("月旦法學雜誌")
    save(harness, dialog)
    qtbot.waitUntil(lambda: "PDF 的新標題" in titles(window), timeout=10000)
    assert (sample_library / "journal.pdf").read_bytes() == before
    # The index follows the edit kept in the data folder: title: finds the new title.
    qtbot.waitUntil(lambda: not window.session.indexing and not window.busy, timeout=20000)
    window.list_panel.search_box.setText("title:新標題")
    qtbot.waitUntil(lambda: window.results_model.query == "title:新標題", timeout=10000)
    assert [row.path for row in window.results_model.rows] == ["journal.pdf"]
    window = harness.restart()
    assert "PDF 的新標題" in titles(window)
    dialog = open_dialog(harness, "journal.pdf")
    assert dialog.fields["title"].text() == "PDF 的新標題" and dialog.fields["journal"].text() == "月旦法學雜誌"
    window.close()


def test_a_read_only_data_folder_keeps_the_typed_values(qtbot, data_dir: Path, sample_library: Path, monkeypatch) -> None:
    """The save fails (ENOSPC from the OS: a full disk cannot be made without root): the
    dialog stays open with the message naming the file and what was typed."""
    import errno

    from reader.library import metadata_edits

    harness = Harness(qtbot, data_dir, sample_library)
    harness.start()
    dialog = open_dialog(harness, MOU)

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(metadata_edits, "write_temp_file", full)
    dialog.fields["title"].setText("存不進去的標題")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=10000)
    assert "the disk is full" in dialog.problem.text() and MOU in dialog.problem.text()
    assert dialog.isVisible() and dialog.fields["title"].text() == "存不進去的標題"
    harness.window.close()


def test_a_dialog_closed_while_its_save_runs_and_replaced_gives_no_error(qtbot, data_dir: Path, sample_library: Path) -> None:
    harness = Harness(qtbot, data_dir, sample_library, articles=2)
    window = harness.start()
    first = open_dialog(harness, MOU)
    first.fields["title"].setText("儲存途中關閉")
    saved = []
    window.session.catalog_changed.connect(lambda *_: saved.append(True))
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    first.close()  # Esc while the save runs on the worker
    second = open_dialog(harness, MOU)  # Ctrl+I again: the first dialog is deleted
    qtbot.waitUntil(lambda: bool(saved) and "儲存途中關閉" in titles(window), timeout=10000)
    qtbot.wait(50)
    assert second.isVisible()  # the new dialog is left alone by the first one's save
    assert window.statusBar().currentMessage()
    second.close()
    window.close()
