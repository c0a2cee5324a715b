"""Passages benchmark: time to the first screen, the first 100 passages and the full count,
for the query classes of bench_search.py. Prints JSON.

    python tests/benchmarks/bench_passages.py --articles 10000 [--workdir DIR] [--queries 10]

Targets (issue #13), at 10,000 articles: first screen <= 100 ms, full count <= 500 ms for a
2-character query. "first_screen" is the first 25 passages (what a window shows at once),
"first_100" the first 100, each measured from the query (parsing, the exact result set and
its ranking included) to the passages built with their offsets, text and locator;
"count" is from the query to the exact number of passages of the whole library.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.search.analysis import _HAN  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402
from reader.search.passages import passages  # noqa: E402
from tests.generate import bench_library  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "tw-laws.jsonl.gz"
SCREEN = 25


def sample_queries(library: Path, rng: random.Random, n: int) -> dict[str, list[str]]:
    files = sorted(library.glob("*.md"))
    texts = [rng.choice(files).read_text(encoding="utf-8").split("---", 2)[-1] for _ in range(200)]
    runs = [r for t in texts for r in re.findall(rf"[{_HAN}]+", t) if len(r) >= 8]

    def han(lo: int, hi: int, count: int) -> list[str]:
        out = []
        for _ in range(count):
            run = rng.choice(runs)
            length = rng.randint(lo, hi)
            start = rng.randrange(len(run) - length + 1)
            out.append(run[start : start + length])
        return out

    return {
        "1 char": han(1, 1, n - 2) + ["的", "法"],
        "2 chars": han(2, 2, n - 2) + ["安全", "機關"],
        "2-4 chars": han(2, 4, n),
        "5-8 chars": han(5, 8, n),
        "english": rng.choices(["NIST", "TEVV", "GDPR", "Seoul", "evaluation", "OECD", "ChatGPT", "risk", "management", "frontier"], k=n),
        "multi-word": [f"{a} {b}" for a, b in zip(han(2, 3, n), rng.choices(["NIST", "GDPR", "AI", "主管機關", "罰鍰"], k=n), strict=True)],
        "phrase": [f'"{q}"' for q in han(3, 6, n - 2)] + ['"AI Seoul Summit"', '"risk management"'],
    }


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def time_class(index: SearchIndex, library: Library, queries: list[str]) -> dict:
    screen, first, count, totals, articles = [], [], [], [], []
    for query in queries:
        start = time.perf_counter()
        found = passages(index, library, query)
        found.first(SCREEN)
        screen.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = passages(index, library, query)
        found.first(100)
        first.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = passages(index, library, query)
        total = found.count()
        count.append((time.perf_counter() - start) * 1000)
        totals.append(total or 0)
        articles.append(len(found))
    return {
        "queries": len(queries),
        "first_screen": _stats(screen),
        "first_100": _stats(first),
        "count": _stats(count),
        "passages_p50": int(statistics.median(totals)),
        "passages_max": max(totals),
        "articles_p50": int(statistics.median(articles)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--queries", type=int, default=10, help="queries per class")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(json.dumps({"skipped": f"the corpus is not at {CORPUS}"}))
        return
    lib_dir, data = bench_library(CORPUS, args.workdir, args.articles, "reader-bench-passages-")
    library = Library(lib_dir, DataPaths(data))
    catalog = library.catalog()
    catalog.rescan()
    index = SearchIndex(library.index_dir)
    start = time.perf_counter()
    report = index.update(library, catalog)
    index_s = time.perf_counter() - start
    catalog.close()
    queries = sample_queries(lib_dir, random.Random(5), max(4, args.queries))
    passages(index, library, "主管機關").count()  # open the index's files once
    classes = {name: time_class(index, library, items) for name, items in queries.items()}
    index.close()
    print(json.dumps({
        "articles": args.articles,
        "indexed_now": report.added + report.updated,
        "index_s": round(index_s, 1),
        "targets": {"first_screen_ms": 100, "two_char_count_ms": 500},
        "classes": classes,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
