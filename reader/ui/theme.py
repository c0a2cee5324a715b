"""Application palettes for the light, dark and sepia themes ("system" follows the OS)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from reader.render.themes import THEMES


def resolve_theme(setting: str) -> str:
    if setting in THEMES:
        return setting
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def palette_for(theme: str) -> QPalette:
    c = THEMES.get(theme, THEMES["light"])
    panel = {"light": "#f0f0ee", "dark": "#2b2d31", "sepia": "#eadfc6"}[theme]
    base = {"light": "#ffffff", "dark": "#25272b", "sepia": "#f7f0de"}[theme]
    alternate = {"light": "#f6f6f4", "dark": "#2e3035", "sepia": "#efe5cf"}[theme]
    highlight = {"light": "#2f6fde", "dark": "#3d6fc4", "sepia": "#a0622d"}[theme]
    palette = QPalette()
    role = QPalette.ColorRole
    palette.setColor(role.Window, QColor(panel))
    palette.setColor(role.WindowText, QColor(c["fg"]))
    palette.setColor(role.Base, QColor(base))
    palette.setColor(role.AlternateBase, QColor(alternate))
    palette.setColor(role.Text, QColor(c["fg"]))
    palette.setColor(role.Button, QColor(panel))
    palette.setColor(role.ButtonText, QColor(c["fg"]))
    palette.setColor(role.Highlight, QColor(highlight))
    palette.setColor(role.HighlightedText, QColor("#ffffff"))
    palette.setColor(role.PlaceholderText, QColor(c["muted"]))
    palette.setColor(role.ToolTipBase, QColor(base))
    palette.setColor(role.ToolTipText, QColor(c["fg"]))
    palette.setColor(role.Link, QColor(c["link"]))
    # Keep the selected article visible when the list does not have focus.
    palette.setColor(QPalette.ColorGroup.Inactive, role.Highlight, QColor(highlight).darker(115 if theme == "light" else 100))
    palette.setColor(QPalette.ColorGroup.Inactive, role.HighlightedText, QColor("#ffffff"))
    for group in (QPalette.ColorGroup.Disabled,):
        palette.setColor(group, role.Text, QColor(c["muted"]))
        palette.setColor(group, role.WindowText, QColor(c["muted"]))
        palette.setColor(group, role.ButtonText, QColor(c["muted"]))
    return palette
