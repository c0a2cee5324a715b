"""The main window's size and place: restored from the window state, or on a first run
(or when the saved place is on no screen now) most of the available screen, the reading
pane taking most of the width. Kept apart from the preferences (see ui_state)."""

from __future__ import annotations

import base64

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from reader.ui.ui_state import JsonState

FIRST_SCREEN_SHARE = 0.9  # a first window takes this much of the available screen
FIRST_SIZE_CAP = (1600, 1000)  # but no more: lines and the list stay a comfortable size
FIRST_SPLIT = (0.24, 0.54, 0.22)  # list, reading pane, notes


def restore(window: QMainWindow, splitter: QSplitter, state: JsonState) -> None:
    """The saved geometry and splitter, else the first-run ones."""
    data = state.data
    restored = False
    if "geometry" in data:
        try:
            restored = window.restoreGeometry(QByteArray(base64.b64decode(data["geometry"])))
        except (TypeError, ValueError):
            restored = False
    if not restored or not visible_on_a_screen(window.frameGeometry()):
        first_geometry(window)
    else:
        keep_on_screen(window)
    split = False
    if "splitter" in data:
        try:
            split = splitter.restoreState(QByteArray(base64.b64decode(data["splitter"])))
        except (TypeError, ValueError):
            split = False
    if not split:
        first_split(splitter, max(window.width(), 600))


def first_split(splitter: QSplitter, width: int) -> None:
    """The panes' shares of a first window ``width`` wide: the reading pane takes most."""
    splitter.setSizes([round(width * share) for share in FIRST_SPLIT])


def save(window: QMainWindow, splitter: QSplitter, state: JsonState, before_full_screen: tuple | None = None) -> None:
    """Keep the window's place and the panes' split. Closed in distraction-free mode, the
    window keeps what it had before it went full screen (``before_full_screen``: its geometry
    and split then), so the next start is an ordinary window with its panels."""
    geometry, split = before_full_screen or (window.saveGeometry(), splitter.saveState())
    state.data["geometry"] = base64.b64encode(bytes(geometry)).decode()
    state.data["splitter"] = base64.b64encode(bytes(split)).decode()
    state.dirty = True
    state.save()


def first_geometry(window: QMainWindow) -> None:
    """About 90 % of the available screen, at most a comfortable reading size, centred."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(*FIRST_SIZE_CAP)
        return
    area = screen.availableGeometry()
    width = min(round(area.width() * FIRST_SCREEN_SHARE), FIRST_SIZE_CAP[0])
    height = min(round(area.height() * FIRST_SCREEN_SHARE), FIRST_SIZE_CAP[1])
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


def keep_on_screen(window: QMainWindow) -> None:
    """A saved window that is partly off its screen now (a smaller or missing monitor) is
    moved, and shrunk if need be, to lie wholly on the screen it overlaps most."""
    frame = window.frameGeometry()
    screens = QApplication.screens()
    if not screens:
        return
    area = max((s.availableGeometry() for s in screens), key=lambda a: _area(a.intersected(frame)))
    if area.contains(frame):
        return
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    window.resize(width, height)
    x = min(max(frame.x(), area.x()), area.x() + area.width() - width - extra_w)
    y = min(max(frame.y(), area.y()), area.y() + area.height() - height - extra_h)
    window.move(x, y)


def visible_on_a_screen(frame: QRect) -> bool:
    """Whether enough of ``frame`` is on a screen to be seen and grabbed."""
    for screen in QApplication.screens():
        seen = screen.availableGeometry().intersected(frame)
        if seen.width() >= 200 and seen.height() >= 150:
            return True
    return False


def _area(rect: QRect) -> int:
    return max(0, rect.width()) * max(0, rect.height())
