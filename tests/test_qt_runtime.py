"""The Qt binding we install must survive a long session of signal emits.

PySide6 6.12.0 decremented the refcount of True/False on every ``Signal.emit()`` under
Python 3.11; after a few thousand emits (indexing progress, search results) the interpreter
aborted. This runs the pattern in a subprocess, as a crash would take pytest down with it.
"""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    progress = Signal(int, int)
    result = Signal(object)
emitter = Emitter()
emitter.progress.connect(lambda done, total: None)
emitter.result.connect(lambda value: None)
for number in range(50_000):
    emitter.progress.emit(number, 50_000)
    emitter.result.emit(None)
print("alive")
"""


def test_many_signal_emits_do_not_crash_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "alive"


def test_offscreen_exit_with_data_on_the_clipboard_does_not_crash() -> None:
    """Qt's offscreen clipboard segfaulted at exit while holding data set from Python (a copy
    with citation during a screenshot or a test run); make_app empties it at exit."""
    code = (
        "from PySide6.QtCore import QMimeData\n"
        "from reader.ui.app import make_app\n"
        "app = make_app()\n"
        "m = QMimeData(); m.setText('引文'); m.setHtml('<b>引文</b>')\n"
        "app.clipboard().setMimeData(m)\n"
        "print(app.clipboard().text())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    assert done.stdout.strip() == "引文"
