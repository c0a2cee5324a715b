"""What a new user meets: the welcome page of an empty reading pane, the read-only sample
collection (imports go to the user's own library), and an honest summary of an import."""

from __future__ import annotations

import html
from pathlib import Path

from reader.library.importing import FAILED, IMPORTED, IN_LIBRARY, UNCHANGED, UPDATED
from reader.paths import DataPaths, bundled_samples_dir
from reader.ui.i18n import tr


def is_sample_collection(paths: DataPaths, folder: Path) -> bool:
    """Whether ``folder`` is the bundled sample collection (or its copy in the data folder)."""
    try:
        return folder.resolve() in (bundled_samples_dir().resolve(), paths.samples_copy.resolve())
    except OSError:
        return False


def user_library_dir() -> Path:
    """The user's own library: ``Reader Library`` in their Documents folder."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return (Path(documents) if documents else Path.home() / "Documents") / "Reader Library"


def import_summary(report) -> str:
    """"1 imported, 2 already in the library, 1 failed: name: reason", translated."""
    labels = ((IMPORTED, tr("{n} imported")), (UPDATED, tr("{n} updated")), (UNCHANGED, tr("{n} unchanged")),
              (IN_LIBRARY, tr("{n} already in the library")))
    parts = [label.replace("{n}", str(report.count(status))) for status, label in labels if report.count(status)]
    failed = [r for r in report.results if r.status == FAILED]
    if len(failed) == 1:
        parts.append(tr("1 failed: {reason}").replace("{reason}", f"{failed[0].source.name}: {failed[0].problem}"))
    elif failed:
        parts.append(tr("{n} failed").replace("{n}", str(len(failed))))
    if not parts:
        return tr("Nothing to import: no articles or documents were found.")
    return tr(", ").join(parts)


def first_opened(report, root: Path) -> str:
    """The library path of the article to open after an import: the first it made (else
    one it found already there); "" when none."""
    done = [r for r in report.results if r.target is not None and r.status in (IMPORTED, UPDATED)]
    done = done or [r for r in report.results if r.target is not None and r.status in (IN_LIBRARY, UNCHANGED)]
    if not done:
        return ""
    try:
        return done[0].target.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return ""


def welcome_html(sample: bool) -> str:
    """No article open: a short welcome in the interface language instead of an empty page."""
    lines = [
        tr("Choose an article in the list to read it (Enter opens, j / k the next and previous)."),
        tr("Open a library, a folder of articles: File ▸ Open library… (Ctrl+O)."),
        tr("Import text, HTML and Markdown files, PDF, Word, OpenDocument, EPUB and saved pages: "
           "File ▸ Import files…, or drop them on the window."),
        tr("Search with Ctrl+K: all the words must occur; OR, NOT or -word, \"exact phrase\", "
           "title: tag: author: note: and date:2024 narrow it."),
        tr("Select text and press H to highlight it; Ctrl+F finds in the article; Esc goes back to the list. "
           "Help ▸ Keyboard shortcuts lists every key."),
    ]
    if sample:
        lines.append(tr("This is the sample collection, which is read-only: importing creates your own "
                        "library, “Reader Library” in your Documents folder, and opens it."))
    items = "".join(f"<li style='margin-bottom:0.6em'>{html.escape(line)}</li>" for line in lines)
    return f"<h2>{html.escape(tr('Welcome to Reader'))}</h2><ul>{items}</ul>"
