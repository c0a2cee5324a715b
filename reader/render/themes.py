"""Colour themes and the reading stylesheet: CJK-first fonts, 1.8 line height, a calm measure."""

from __future__ import annotations

THEMES = {
    "light": {"bg": "#fbfbf9", "fg": "#1f2328", "muted": "#656d76", "link": "#0b57d0", "rule": "#d8dee4", "code": "#f2f2ef", "mark_text": "#1f2328", "note": "#c2185b"},
    "dark": {"bg": "#1e1f22", "fg": "#dcdcdc", "muted": "#9a9ea6", "link": "#7cacf8", "rule": "#3a3d42", "code": "#2a2c30", "mark_text": "#111111", "note": "#f48fb1"},
    "sepia": {"bg": "#f4ecd8", "fg": "#3b2f22", "muted": "#7a6a55", "link": "#8a4b12", "rule": "#d9cbb0", "code": "#ece2cb", "mark_text": "#3b2f22", "note": "#ad1457"},
}
FONT_STACK = '"Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", "Heiti TC", sans-serif'


def stylesheet(theme: str = "light", font_px: int = 17) -> str:
    c = THEMES.get(theme, THEMES["light"])
    return f"""
body {{ background: {c['bg']}; color: {c['fg']}; font-family: {FONT_STACK}; font-size: {font_px}px; line-height: 1.8; }}
h1 {{ font-size: 1.6em; line-height: 1.4; margin: 0 0 0.4em 0; font-weight: 600; }}
h2 {{ font-size: 1.3em; line-height: 1.4; margin: 1.4em 0 0.5em 0; font-weight: 600; }}
h3, h4, h5, h6 {{ font-size: 1.1em; margin: 1.2em 0 0.4em 0; font-weight: 600; }}
p {{ margin: 0 0 1em 0; }}
a {{ color: {c['link']}; text-decoration: none; }}
li {{ margin: 0 0 0.4em 0; }}
blockquote {{ color: {c['muted']}; margin: 0 0 1em 1.2em; }}
pre, code {{ font-family: "Noto Sans Mono CJK TC", "DejaVu Sans Mono", monospace; background: {c['code']}; }}
table {{ border-collapse: collapse; margin: 0 0 1em 0; }}
td, th {{ border: 1px solid {c['rule']}; padding: 4px 8px; }}
.meta {{ color: {c['muted']}; font-size: 0.85em; margin: 0 0 0.3em 0; }}
.tags {{ color: {c['muted']}; font-size: 0.85em; margin: 0 0 1.2em 0; }}
.sources {{ color: {c['muted']}; font-size: 0.85em; }}
.notice {{ color: {c['muted']}; font-style: italic; }}
mark {{ color: {c['mark_text']}; }}
hr {{ color: {c['rule']}; }}
"""
