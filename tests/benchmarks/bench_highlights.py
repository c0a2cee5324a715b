"""Many highlights on one article in the real window: open time and memory. Prints JSON.

    python tests/benchmarks/bench_highlights.py [--counts 1000 10000 100000] [--profile N]

Target (the "Data safety" issue): an article with 100,000 highlights opens in under 3 s and
the window's process grows by under 400 MB.

Each count runs in a fresh process (so one case's memory does not hide in the next): a
library with one article of about 290,000 characters of law prose (shown whole, laid out in
steps), its highlights written as a W3C annotation file and merged through the real import
(``reader.annotations.exchange.import_json``), then the window opens the article.
``open_s`` runs from asking for the article until the pane has laid it out with its marks and
the annotations panel lists every highlight; ``rss_growth_mb`` is the window process's growth
over the same span; ``max_ui_stall_ms`` the longest the event loop waited meanwhile. The first
opening after an import re-attaches every highlight to the text and saves it (the imported
items carry no ``articleHash``); ``reopen_*`` is the same article opened again later (after
another article), as every later reading is. ``rescan_stall_ms`` is the longest stall of a
rescan of the folder (the window does one every 15 s). ``store_s`` is the part of the opening spent in
``AnnotationStore.update_anchors`` (reading, re-attaching and saving the highlights) and the
store calls the window makes after a change (``all``, ``search_texts``).
``--profile N`` prints the cProfile of opening the article with N highlights instead.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ARTICLE = "article.md"
OTHER = "other.md"
TEXT_CHARS = 290_000  # under the 300,000 above which an article is shown in parts
SENTENCE = "主管機關應就人工智慧系統之風險進行評估，並公告 NIST 與 TEVV 之相關標準；"


def article_text(chars: int = TEXT_CHARS) -> str:
    """Paragraphs of law-like prose, ``chars`` characters of plain text in all."""
    paragraph = SENTENCE * 8
    paragraphs, total = [], 0
    while total < chars:
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip()


def annotation_file(text: str, count: int, article: str = ARTICLE) -> str:
    """A W3C AnnotationCollection of ``count`` highlights spread evenly over ``text`` (the
    article's plain text), each three characters long, colours and notes varying."""
    from reader.annotations.selectors import describe

    colors = ["yellow", "green", "blue", "pink"]
    step = max(1, (len(text) - 4) // count)
    items = []
    start = 0
    for number in range(count):
        while text[start].isspace() or text[start + 2].isspace():
            start += 1
        quote, position = describe(text, start, start + 3)
        body = [{"type": "TextualBody", "value": colors[number % 4], "purpose": "tagging"}]
        if number % 10 == 0:
            body.insert(0, {"type": "TextualBody", "value": f"note {number}", "purpose": "commenting"})
        items.append({
            "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "id": f"urn:bench:{number}",
            "created": "2024-05-01T00:00:00Z", "modified": "2024-05-01T00:00:00Z", "motivation": "highlighting",
            "body": body,
            "target": {"source": article, "selector": [quote.to_json(), position.to_json()]},
        })
        start = min(len(text) - 4, start + step)
    return json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "items": items}, ensure_ascii=False)


def prepare(work: Path, count: int) -> tuple[Path, Path]:
    """A library with the article and a data folder holding ``count`` highlights on it."""
    from reader.annotations.exchange import import_json
    from reader.annotations.store import AnnotationStore
    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.render.article import render_article

    library, data = work / "library", work / "data"
    library.mkdir(parents=True)
    (library / ARTICLE).write_text(f"---\ntitle: 多重標註測試\n---\n\n{article_text()}\n", encoding="utf-8")
    (library / OTHER).write_text(f"---\ntitle: 另一篇\n---\n\n{SENTENCE * 4}\n", encoding="utf-8")
    paths = DataPaths(data)
    text = render_article(Library(library.resolve(), paths).load(ARTICLE)).text
    store = AnnotationStore.open(paths)
    try:
        report = import_json(store, annotation_file(text, count), str(library.resolve()))
    finally:
        store.close()
    if report.added != count:
        raise SystemExit(f"import added {report.added} of {count}: {report.rejected[:3]} {report.failure}")
    return library, data


def listed(panel) -> int:
    """How many highlights the annotations panel lists."""
    counter = getattr(panel, "highlight_count", None)
    return counter() if counter is not None else len(panel.items)


def measure(library: Path, data: Path, count: int, profile: bool = False) -> dict:
    """Open the article in a real window (in this process) and measure."""
    import psutil

    from reader.annotations.store import AnnotationStore
    from reader.library.library import Library
    from reader.paths import DataPaths
    from reader.settings import Settings
    from reader.ui.app import make_app
    from reader.ui.main_window import MainWindow
    from tests.benchmarks.heartbeat import Heartbeat

    store_time = [0.0]
    depth = [0]  # a store call may notify the window, which calls the store again: counted once
    for name in ("update_anchors", "all", "search_texts"):  # timed, not changed
        original = getattr(AnnotationStore, name)

        def timed(*args, _original=original, **kwargs):
            started = time.perf_counter()
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    store_time[0] += time.perf_counter() - started

        setattr(AnnotationStore, name, timed)
    app = make_app()
    paths = DataPaths(data)
    settings = Settings(paths.settings_file)
    window = MainWindow(paths, settings, Library(library.resolve(), paths))
    window.resize(1280, 800)
    window.show()
    window.periodic.stop()  # its rescans are measured apart (rescan_stall_ms), not inside an opening
    process = psutil.Process()

    def settle(limit: float = 300) -> None:
        end = time.monotonic() + limit
        while (window.busy or window.notes_index_timer.isActive()) and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)
        for _ in range(20):
            app.processEvents()

    def shown() -> bool:
        return (window.current is not None and window.current.path == ARTICLE and window.pane.is_settled
                and listed(window.annotations) == count)

    def open_article() -> dict:
        settle()
        rss_before = process.memory_info().rss
        store_time[0] = 0.0
        heart = Heartbeat()
        heart.start()
        started = time.monotonic()
        window.open_path(ARTICLE)
        end = time.monotonic() + 300
        while not shown() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
        opened = time.monotonic() - started
        stall = heart.stop()
        return {"open_s": round(opened, 2), "store_s": round(store_time[0], 2), "opened": shown(),
                "rss_growth_mb": round((process.memory_info().rss - rss_before) / 1e6, 1), "max_ui_stall_ms": stall}

    settle()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    first = open_article()
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    marks = len(window.pane.highlight_colors_at())
    painted = len(window.pane.extraSelections())
    window.open_path(OTHER)
    end = time.monotonic() + 60
    while (window.current is None or window.current.path != OTHER) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    if profiler is not None:
        profiler = cProfile.Profile()
        profiler.enable()
    again = open_article()
    if profiler is not None:
        profiler.disable()
        print("--- reopening ---", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    # The window rescans the folder every 15 s (and on every change on disk); what that costs
    # the event loop with this many highlights.
    settle()
    heart = Heartbeat()
    heart.start()
    window.session.refresh()
    settle()
    rescan_stall = heart.stop()
    window.close()
    return {
        "highlights": count,
        **first,
        **{f"reopen_{key}": value for key, value in again.items() if key != "opened"},
        "marks_in_text": marks,
        "extra_selections_painted": painted,
        "rescan_stall_ms": rescan_stall,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--profile", type=int, metavar="N", help="profile opening the article with N highlights")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one count
    args = parser.parse_args()
    if args.one or args.profile:
        count = args.one or args.profile
        with tempfile.TemporaryDirectory(prefix="reader-highlights-") as folder:
            library, data = prepare(Path(folder), count)
            result = measure(library, data, count, profile=bool(args.profile))
        print(json.dumps(result))
        return
    results = []
    for count in args.counts:
        out = subprocess.run([sys.executable, __file__, "--one", str(count)], capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            results.append({"highlights": count, "error": (out.stderr.strip().splitlines() or ["failed"])[-1]})
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(json.dumps({"article_chars": TEXT_CHARS, "target": {"open_s": 3, "rss_growth_mb": 400}, "results": results}, indent=2))


if __name__ == "__main__":
    main()
