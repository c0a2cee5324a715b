"""Passages view benchmark: the longest UI stall while the view fills with N passages. Prints JSON.

    python tests/benchmarks/bench_passages_view.py [--passages 20000] [--workdir DIR]

A generated library (articles of paragraphs holding 安全, real index) is searched by the real
:class:`reader.ui.passages_view.PassagesView` on its worker, shown (offscreen) with its delegate
painting; a 10 ms QTimer heartbeat (heartbeat.py) measures how late the event loop gets.
Target (issue #13): 20,000 passages without a stall over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from heartbeat import Heartbeat  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402
from reader.search.passages import passages  # noqa: E402
from reader.ui.passages_view import PassagesView  # noqa: E402

PER_ARTICLE = 50
SENTENCES = ["資通安全是國家的責任", "公務機關應訂定資通安全維護計畫", "資料安全與隱私保護並重", "主管機關得檢查其安全措施"]


def make_library(folder: Path, total: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    articles = max(1, total // PER_ARTICLE)
    for n in range(articles):
        lines = [f"---\ntitle: 第 {n} 篇：資通安全\ndate: 2024-{n % 12 + 1:02d}\n---\n", "# 總則\n"]
        for p in range(PER_ARTICLE):
            lines.append(f"第{p + 1}條：{SENTENCES[(n + p) % len(SENTENCES)]}，並應每年檢討。\n")
        (folder / f"a{n:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-passages-view-"))
    folder = work / f"lib-{args.passages}"
    if not folder.is_dir():
        make_library(folder, args.passages)
    library = Library(folder.resolve(), DataPaths(work / "data"))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    index.update(library, catalog)
    catalog.close()

    app = QApplication.instance() or QApplication([])
    view = PassagesView(lambda query, order: passages(index, library, query, order=order))
    view.resize(1000, 700)
    view.show()
    app.processEvents()
    first_rows: list[float] = []
    view.model.rowsInserted.connect(lambda *_: first_rows.append(time.perf_counter()) if not first_rows else None)
    loop = QEventLoop()
    view.finished.connect(lambda *_: loop.quit())
    QTimer.singleShot(600_000, loop.quit)
    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    view.search("安全")
    loop.exec()
    elapsed = time.perf_counter() - start
    # Keep beating a moment: scrolling to the end paints the last rows.
    view.tree.scrollToBottom()
    end = QEventLoop()
    QTimer.singleShot(200, end.quit)
    end.exec()
    stall = beat.stop()
    print(json.dumps({
        "passages": view.model.passage_count,
        "articles": len(view.model.groups),
        "longest_stall_ms": stall,
        "first_rows_ms": round((first_rows[0] - start) * 1000, 1) if first_rows else None,
        "all_rows_ms": round(elapsed * 1000, 1),
        "ticks": len(beat.gaps),
        "target_ms": 50,
    }, indent=2))
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
