"""The window opening an article with 2,000 references; prints JSON.

    python tests/benchmarks/bench_refs_window.py [--refs 2000]

A 10 ms QTimer heartbeat on the UI thread measures the longest stall (beyond the interval)
from the click that opens the article until its References panel is filled and its links
drawn; also the time that takes. Target (issue 14 window side): no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TARGET_MS = 50
PARAGRAPH = "依個人資料保護法（下稱個資法）第6條第1項規定，同法第6條及個資法第六條、§6 另有說明；見釋字第748號。\n\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--refs", type=int, default=2000)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.settings import Settings
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow
    from tests.benchmarks.heartbeat import Heartbeat

    with tempfile.TemporaryDirectory() as tmp:
        library, data = Path(tmp) / "lib", Path(tmp) / "data"
        library.mkdir()
        data.mkdir()
        per = 5
        (library / "refs.md").write_text("# 引用很多的文章\n\n" + PARAGRAPH * (args.refs // per), encoding="utf-8")
        app = make_app()
        paths = DataPaths(data)
        window = MainWindow(paths, Settings(paths.settings_file), Library(library.resolve(), paths))
        window.resize(1280, 800)
        window.show()
        while window.busy or window.library_model.rowCount() < 1:
            app.processEvents()
        heart = Heartbeat()
        heart.start()
        began = time.perf_counter()
        window.open_path("refs.md")
        while window.current is None or window.busy or not window.pane.is_settled:
            app.processEvents()
        elapsed = time.perf_counter() - began
        for _ in range(20):  # a few beats after
            app.processEvents()
            time.sleep(0.01)
        stall = heart.stop()
        refs = len(window.current.references.refs)
        result = {"references": refs, "open_ms": round(elapsed * 1000), "longest_stall_ms": stall,
                  "target_ms": TARGET_MS, "ok": stall <= TARGET_MS,
                  "panel_rows": window.references_panel.model.rowCount()}
        window.close()
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
