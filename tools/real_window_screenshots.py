"""Screenshots of the REAL window (xcb under Xvfb at 1366x768), captured with `import -window root`.

    DISPLAY=:99 python tools/real_window_screenshots.py resources/screenshots  (under Xvfb 1366x768 with a window manager)
    DISPLAY=:99 python tools/real_window_screenshots.py resources/screenshots --passages  (only the passages view:
        passages-light.png and passages-dark.png, a search for 安全 over the sample collection, a passage opened)
"""
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.library.library import Library, resolve_library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.settings import Settings  # noqa: E402
from reader.ui.app import make_app  # noqa: E402
from reader.ui.i18n import (
    pick_language,  # noqa: E402
    set_language,  # noqa: E402
)
from reader.ui.main_window import MainWindow  # noqa: E402

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ONLY_PASSAGES = "--passages" in sys.argv[1:]
OUT = Path(ARGS[0] if ARGS else "/tmp/shots/out")
BASE = Path("/tmp/shots/work")
NIST = "000_bd272dec8418f04b.md"
MOU = "001_5d55142517522224.md"
app = make_app()
print("platform", QGuiApplication.platformName())


def pump(seconds=0.3):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait(cond, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    raise SystemExit("timeout")


def grab(name):
    pump(0.6)
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run(["import", "-window", "root", str(OUT / f"{name}.png")], check=True)
    print("shot", name)


def select(window, words):
    text = window.pane.document().toPlainText()
    start = text.index(words)
    cursor = QTextCursor(window.pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    window.pane.setTextCursor(cursor)


def data_dir(name, language):
    d = BASE / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    (d / "settings.json").write_text(json.dumps({"language": language}))
    return d


def window_for(d, library=None, theme=None):
    paths = DataPaths(d)
    settings = Settings(paths.settings_file)
    set_language(app, pick_language(settings.get("language")))
    lib = Library(Path(library).resolve(), paths) if library else resolve_library(paths, None, settings)
    w = MainWindow(paths, settings, lib, theme=theme)
    w.show()
    w.activateWindow()
    wait(lambda: not w.busy and w.library_model.rowCount() >= 2)
    return w


def open_path(w, path):
    w.open_path(path)
    wait(lambda: w.current is not None and w.current.path == path and w.pane.is_settled)
    pump(0.5)


def passages_shots(language="zh_TW"):
    """The passages view open below the article on a search for 安全, the 3rd passage opened
    (its match selected in the article), in the light and the dark theme."""
    from reader.ui.passages_view import PASSAGE, KindRole

    lib = BASE / "passages-library"
    shutil.rmtree(lib, ignore_errors=True)
    shutil.copytree(Path(__file__).resolve().parent.parent / "articles", lib)
    w = window_for(data_dir("passages", language), lib, theme="light")
    w.passages_controller.set_visible(True)
    w.list_panel.search_box.setText("安全")
    w.run_search("安全")
    w.passages_controller.query_changed("安全")
    wait(lambda: w.passages.query == "安全" and not w.passages.busy and w.passages.model.rowCount() > 3 and not w.busy)
    model = w.passages.model
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(KindRole) == PASSAGE]
    index = model.index(rows[2], 0)
    w.passages.tree.setCurrentIndex(index)
    w.passages.tree.setFocus()
    QTest.keyClick(w.passages.tree, Qt.Key.Key_Return)
    wait(lambda: w.current is not None and w.pane.is_settled and w.pane.textCursor().hasSelection())
    w.passages.tree.setFocus()
    pump(1)
    grab("passages-light")
    w.apply_theme("dark", save=False)
    pump(1)
    QTest.keyClick(w.passages.tree, Qt.Key.Key_Return)  # built again in the new theme: select it again
    wait(lambda: w.pane.is_settled and w.pane.textCursor().hasSelection())
    w.passages.tree.setFocus()
    pump(1)
    grab("passages-dark")
    w.apply_theme("light", save=False)
    w.close()
    pump()


if ONLY_PASSAGES:
    passages_shots()
    print("done")
    sys.exit(0)

# 1. First launch: no library chosen, the sample collection and the welcome page.
for language in ("zh_TW", "en"):
    w = window_for(data_dir(f"first-{language}", language))
    grab(f"01-first-launch-{language}")
    w.close()
    pump()

# 2. A library with highlights and notes.
lib = BASE / "library"
shutil.rmtree(lib, ignore_errors=True)
shutil.copytree(Path(__file__).resolve().parent.parent / "articles", lib)
d = data_dir("reading", "en")
w = window_for(d, lib, theme="light")
open_path(w, MOU)
for words, color, note in (("英國技術大臣", "green", "Who signed: the UK side."),
                           ("布萊切利公園", "yellow", "首屆人工智慧安全高峰會的地點。"),
                           ("國政府將如何在人工智慧安全方面匯集技術知識、資訊和人才", "pink", "")):
    select(w, words)
    item = w.annotation_controller.highlight(color)
    if note and item is not None:
        w.annotation_controller.save_note(item.id, note)
    pump(0.2)
w.annotation_controller.save_article_note("英美合作的第一份正式文件；與 NIST 的 AI RMF 比較。")
open_path(w, NIST)
select(w, "TEVV")
item = w.annotation_controller.highlight("orange")
w.annotation_controller.save_note(item.id, "測試、評估、驗證與確認")
open_path(w, MOU)
w.pane.setTextCursor(QTextCursor(w.pane.document()))
grab("02-article-light-en")
w.apply_theme("dark", save=False)
pump(1)
grab("03-article-dark-en")
w.close()
pump()

(d / "settings.json").write_text(json.dumps({"language": "zh_TW"}))
w = window_for(d, lib, theme="light")
open_path(w, MOU)
grab("04-article-light-zh_TW")
tabs = w.annotations.tabs if hasattr(w.annotations, "tabs") else None
if tabs is not None:
    tabs.setCurrentIndex(1)
    pump(1.5)
    grab("05-all-annotations-light-zh_TW")
    tabs.setCurrentIndex(0)
w.apply_theme("dark", save=False)
pump(1)
grab("06-article-dark-zh_TW")
if tabs is not None:
    tabs.setCurrentIndex(1)
    pump(1.5)
    grab("07-all-annotations-dark-zh_TW")
    tabs.setCurrentIndex(0)
w.apply_theme("light", save=False)
pump(0.5)

# Preferences (modal): shoot it while open, then close it.
def shoot_dialog():
    grab("08-preferences-zh_TW")
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        dialog.reject()


QTimer.singleShot(1200, shoot_dialog)
w.show_preferences()
pump()

# Distraction-free.
w.toggle_distraction_free()
pump(1.5)
grab("09-distraction-free-zh_TW")
w.toggle_distraction_free()
pump(0.5)

# A library search with its marks.
w.list_panel.search_box.setText("安全")
w.run_search("安全")
wait(lambda: not w.busy)
pump(1)
grab("10-search-zh_TW")
w.close()
pump()

# The passages view (issue 13).
passages_shots()
print("done")
