"""Hostile articles in the real window: render time, longest UI stall, memory. Prints JSON.

    python tests/benchmarks/bench_hostile.py

Targets (issue #6): each rendering finishes within 5 s or falls back to plain text; the UI
never stalls more than 100 ms; memory stays under 3x the file size.

``rendering_peak_mb`` is what rendering the article takes (measured in a fresh process);
``rss_growth_mb`` is the whole window's growth with the article shown, which includes Qt's
layout of the displayed text (about 24 bytes per character).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CASES = {
    "deep_list_1000": "".join("  " * i + "- x\n" for i in range(1000)),
    "nested_quotes_3000": ">" * 3000 + " x\n",
    "bracket_storm_4000": "[" * 4000 + "x" + "]" * 4000,
    "emphasis_storm": "*" * 50000 + "x" + "*" * 50000,
    "line_10mb": "字" * 3_500_000,  # 10.5 MB of UTF-8 on one line
    "prose_2mb": "這是一段正常的文字，包含 **粗體** 與 [連結](http://example.org)。\n\n" * 22000,
    "nested_html_5000": "<div>" * 5000 + "x" + "</div>" * 5000,
}


RENDER_PEAK = """
import sys
sys.path.insert(0, sys.argv[2])
import psutil
from reader.library.reading import load_file
from reader.render import markdown_html
from pathlib import Path
article = load_file(Path(sys.argv[1]), "x.md").article
markdown_html.SUBPROCESS_CHARS = 10**12  # measure the formatting here, not in a helper process
before = psutil.Process().memory_info().rss
from reader.render.article import render_article
rendered = render_article(article)
# VmHWM: this process's peak (ru_maxrss would include the parent's, kept across exec).
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print((peak - before) / 1e6)
"""


def rendering_peak_mb(path: Path) -> float:
    """Peak memory the rendering itself takes (Markdown, sanitizer, plain text), measured in a
    fresh process so that nothing else is counted."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", RENDER_PEAK, str(path), str(ROOT)], capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def main() -> None:
    import psutil

    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.settings import Settings
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow
    from tests.benchmarks.heartbeat import Heartbeat

    work = Path(tempfile.mkdtemp(prefix="reader-hostile-"))
    library = work / "library"
    library.mkdir()
    for name, body in CASES.items():
        (library / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\n{body}", encoding="utf-8")
    app = make_app()
    paths = DataPaths(work / "data")
    window = MainWindow(paths, Settings(paths.settings_file), Library(library.resolve(), paths))
    window.resize(1280, 800)
    window.show()

    def settle(limit: float = 60.0) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            app.processEvents()
            if not window.busy:
                break
            time.sleep(0.002)

    settle()
    process = psutil.Process()
    results = {}
    for name in CASES:
        size = (library / f"{name}.md").stat().st_size
        heart = Heartbeat()
        rss_before = process.memory_info().rss
        heart.start()
        started = time.monotonic()
        window.open_path(f"{name}.md")
        end = time.monotonic() + 30
        while (window.current is None or window.current.path != f"{name}.md") and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
        opened = time.monotonic() - started
        # Until the pane has laid the whole article out (large ones are laid out in steps).
        while not window.pane.is_settled and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
        laid_out = time.monotonic() - started
        # Then jump to the last line and back, as Ctrl+End and Ctrl+Home would.
        bar = window.pane.verticalScrollBar()
        for value in (bar.maximum(), 0):
            bar.setValue(value)
            for _ in range(10):
                app.processEvents()
                time.sleep(0.002)
        stall = heart.stop()
        results[name] = {
            "file_mb": round(size / 1e6, 2),
            "open_s": round(opened, 2),
            "laid_out_s": round(laid_out, 2),
            "fallback": window.current.rendered.notice if window.current else "not opened",
            "max_ui_stall_ms": stall,
            "rss_growth_mb": round((process.memory_info().rss - rss_before) / 1e6, 1),
            "rendering_peak_mb": rendering_peak_mb(library / f"{name}.md"),
        }
    window.close()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
