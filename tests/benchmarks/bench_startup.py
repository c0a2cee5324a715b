"""Startup and responsiveness benchmark of the window. Prints JSON.

    python tests/benchmarks/bench_startup.py --articles 10000 [--workdir DIR]

Measures, in a fresh process on an indexed library: process start to the window painted with
the list filled (target <= 700 ms at 10,000 articles), to the first search result shown, the
longest event-loop stall while typing a query during a full re-index (target <= 50 ms), and
peak RSS (target <= 250 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "tw-laws.jsonl.gz"


def child(library: str, data: str, started: float) -> None:
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.settings import Settings
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow
    from tests.benchmarks.heartbeat import Heartbeat

    app = make_app()
    paths = DataPaths(Path(data))
    window = MainWindow(paths, Settings(paths.settings_file), Library(Path(library), paths))
    window.resize(1280, 800)
    window.show()
    window.repaint()
    app.processEvents()
    painted = time.time() - started
    rows = window.library_model.rowCount()

    def wait(condition, limit=60.0):
        end = time.monotonic() + limit
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)

    wait(lambda: not window.busy)
    t0 = time.time()
    window.run_search("主管機關")
    wait(lambda: window.results_model.rowCount() > 0)
    first_result = time.time() - t0
    rss_before_reindex = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Type a query, one character every 80 ms, while 1,500 edited articles are re-indexed.
    window.clear_search()
    for path in sorted(Path(library).glob("*.md"))[:1500]:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\n")
    window.session.refresh()
    wait(lambda: window.session.indexing, 30)
    heart = Heartbeat()
    heart.start()
    box = window.list_panel.search_box
    box.setFocus()
    for char in "個人資料保護法":
        event = QInputMethodEvent("", [])
        event.setCommitString(char)
        QApplication.sendEvent(box, event)
        end = time.monotonic() + 0.08
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)
    wait(lambda: window.results_model.rowCount() > 0, 30)
    typing_stall = heart.stop()
    indexing_during_typing = window.session.indexing
    wait(lambda: not window.busy, 300)  # leave the index complete for the next run
    window.close()
    print(json.dumps({
        "articles": rows,
        "start_to_window_with_list_ms": round(painted * 1000),
        "first_search_result_ms": round(first_result * 1000),
        "max_event_loop_stall_while_typing_during_indexing_ms": typing_stall,
        "indexing_was_running_while_typing": indexing_during_typing,
        "peak_rss_mb_start_and_search": round(rss_before_reindex, 1),
        "peak_rss_mb_including_reindex": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--child", nargs=3, metavar=("LIBRARY", "DATA", "STARTED"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], float(args.child[2]))
        return
    if not CORPUS.exists():
        print(json.dumps({"skipped": f"the corpus is not at {CORPUS}"}))
        return
    from reader.commands import refresh_index
    from reader.library.library import Library
    from reader.paths import DataPaths
    from tests.generate import bench_library

    library, data = bench_library(CORPUS, args.workdir, args.articles, "reader-startup-")
    index, _ = refresh_index(Library(library, DataPaths(data)), quiet=True, timeout=30)
    index.close()
    runs = []
    for _ in range(3):
        started = time.time()
        out = subprocess.run([sys.executable, __file__, "--child", str(library), str(data), repr(started)],
                             capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if not lines:
            print(out.stderr, file=sys.stderr)
            raise SystemExit(1)
        runs.append(json.loads(lines[-1]))
    best = min(runs, key=lambda r: r["start_to_window_with_list_ms"])
    best["start_to_window_with_list_ms_all_runs"] = [r["start_to_window_with_list_ms"] for r in runs]
    best["typing_stall_ms_all_runs"] = [r["max_event_loop_stall_while_typing_during_indexing_ms"] for r in runs]
    print(json.dumps(best, indent=2))


if __name__ == "__main__":
    main()
