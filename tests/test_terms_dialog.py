"""Library ▸ Terms… (issue 14): the learned pairs, confirmed, edited or rejected, kept in terms.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from reader.legal.glossary import load_decisions, load_edits  # noqa: E402
from reader.ui.terms_dialog import TermsDialog  # noqa: E402
from tests.test_window import Harness  # noqa: E402


@pytest.fixture
def harness(qtbot, data_dir: Path, sample_library: Path):
    h = Harness(qtbot, data_dir, sample_library)
    h.start()
    yield h
    if h.window is not None:
        h.window.close()


def open_terms(harness) -> TermsDialog:
    window = harness.window
    harness.qtbot.waitUntil(lambda: not window.busy, timeout=15000)
    window.show_terms()
    dialog = window.terms_dialog
    harness.qtbot.waitUntil(lambda: dialog.model.rowCount() > 0 or "terms.json" in dialog.status.text(), timeout=8000)
    return dialog


def select(dialog: TermsDialog, other: str) -> int:
    row = next(r for r, p in enumerate(dialog.model.pairs) if (p.abbr or p.en) == other)
    dialog.select_row(row)
    return row


def status_of(dialog: TermsDialog, other: str) -> str:
    return next(p.status for p in dialog.model.pairs if (p.abbr or p.en) == other)


def test_lists_filters_and_confirms_and_rejects_persistently(harness, qtmodeltester) -> None:
    dialog = open_terms(harness)
    qtmodeltester.check(dialog.model)
    assert any(p.zh == "美國國家標準暨技術研究院" and p.abbr == "NIST" for p in dialog.model.pairs)
    harness.qtbot.keyClicks(dialog.filter, "NIST")
    assert 1 <= dialog.proxy.rowCount() < dialog.model.rowCount()
    dialog.filter.clear()
    mou = dialog.model.pairs[select(dialog, "MOU")].zh
    changed = []
    dialog.terms_changed.connect(lambda: changed.append(1))
    harness.qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: status_of(dialog, "MOU") == "rejected", timeout=8000)
    select(dialog, "NIST")
    harness.qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: status_of(dialog, "NIST") == "confirmed", timeout=8000)
    assert len(changed) == 2
    confirmed, rejected = load_decisions(harness.data_dir / "terms.json")
    assert ("美國國家標準暨技術研究院", "National Institute of Standards and Technology") in confirmed
    assert rejected == [(mou, "MOU")]
    dialog.close()
    dialog = open_terms(harness)  # opened again: the decisions are read back
    assert status_of(dialog, "NIST") == "confirmed" and status_of(dialog, "MOU") == "rejected"
    rejected_row = next(p for p in dialog.model.pairs if p.status == "rejected")
    assert not rejected_row.usable


def test_an_edit_is_kept_and_shown(harness) -> None:
    dialog = open_terms(harness)
    row = select(dialog, "MOU")
    assert dialog.apply_edit(dialog.model.pairs[row], "合作備忘錄", "Memorandum of Understanding", "MOU")
    assert load_edits(harness.data_dir / "terms.json")[0].zh == "合作備忘錄"
    harness.qtbot.waitUntil(lambda: any(p.en == "Memorandum of Understanding" for p in dialog.model.pairs), timeout=8000)
    edited = next(p for p in dialog.model.pairs if p.en == "Memorandum of Understanding")
    assert edited.status == "confirmed" and edited.usable
    assert load_edits(harness.data_dir / "terms.json")[0].en == "Memorandum of Understanding"
    assert not dialog.apply_edit(edited, "", "", "")  # nothing to keep: said, not saved
    assert "needs" in dialog.status.text()


def test_a_damaged_terms_file_is_said_not_a_crash(harness) -> None:
    (harness.data_dir / "terms.json").write_text("{damaged", encoding="utf-8")
    dialog = open_terms(harness)
    harness.qtbot.waitUntil(lambda: "terms.json" in dialog.status.text(), timeout=8000)
    assert dialog.model.rowCount() > 0  # the learned pairs are still listed
    assert not dialog.confirm_button.isEnabled() and not dialog.reject_button.isEnabled()
    assert not dialog.decide("confirmed")
    assert (harness.data_dir / "terms.json").read_text(encoding="utf-8") == "{damaged"  # never overwritten


def test_a_bad_edited_entry_is_damaged_data(tmp_path: Path) -> None:
    from reader.errors import DamagedData

    path = tmp_path / "terms.json"
    path.write_text(json.dumps({"confirmed": [], "rejected": [], "edited": [{"from": ["a"], "zh": 3}]}), encoding="utf-8")
    with pytest.raises(DamagedData, match="terms.json"):
        load_edits(path)
    assert load_decisions(path) == ([], [])
