"""Search benchmark: build a realistic library, index it, time queries. Prints JSON.

    python tests/benchmarks/bench_search.py --articles 10000 [--workdir DIR]

Targets at 10,000 articles (issue #3): p95 <= 20 ms per query class, >= 150 articles/s full
index, one changed article searchable <= 300 ms, peak RSS while indexing <= 400 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reader.library.library import Library  # noqa: E402
from reader.paths import DataPaths  # noqa: E402
from reader.search.analysis import _HAN  # noqa: E402
from reader.search.index import SearchIndex  # noqa: E402
from reader.search.searching import search  # noqa: E402
from tests.generate import bench_library  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "tw-laws.jsonl.gz"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def sample_queries(library: Path, rng: random.Random) -> dict[str, list[str]]:
    files = sorted(library.glob("*.md"))
    texts = [rng.choice(files).read_text(encoding="utf-8").split("---", 2)[-1] for _ in range(200)]
    runs = [r for t in texts for r in re.findall(rf"[{_HAN}]+", t) if len(r) >= 8]

    def han(lo: int, hi: int, n: int) -> list[str]:
        out = []
        for _ in range(n):
            run = rng.choice(runs)
            length = rng.randint(lo, hi)
            start = rng.randrange(len(run) - length + 1)
            out.append(run[start : start + length])
        return out

    return {
        "1 char": han(1, 1, 40),
        "2-4 chars": han(2, 4, 40),
        "5-8 chars": han(5, 8, 40),
        "english": rng.choices(["NIST", "TEVV", "GDPR", "Seoul", "evaluation", "OECD", "ChatGPT", "risk", "management", "frontier"], k=40),
        "multi-word": [f"{a} {b}" for a, b in zip(han(2, 3, 40), rng.choices(["NIST", "GDPR", "AI", "主管機關", "罰鍰"], k=40), strict=False)],
        "phrase": [f'"{q}"' for q in han(3, 6, 20)] + ['"AI Seoul Summit"', '"risk management"'] * 10,
    }


def time_queries(index: SearchIndex, queries: dict[str, list[str]], cold_cache: bool = False) -> dict[str, dict[str, float]]:
    """p50/p95/max per class. ``cold_cache``: every query starts with no decoded postings
    (as the first query after a commit); otherwise queries share the searcher's cache as
    the keystrokes and searches between two commits do."""
    out = {}
    for name, items in queries.items():
        times = []
        for query in items:
            if cold_cache:  # the posting lists; field lengths stay (read once per commit)
                cache = getattr(index.searcher(), "reader_posting_cache", None)
                if cache is not None:
                    cache.clear()
            start = time.perf_counter()
            search(index, query, limit=20)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "max_ms": round(times[-1], 2),
        }
    return out


def cold_open(library: Path, data: Path) -> float:
    code = (
        "import time; t=time.perf_counter();"
        "from pathlib import Path;"
        "from reader.search.index import SearchIndex; from reader.search.searching import search;"
        "from reader.paths import DataPaths;"
        f"ix=SearchIndex(DataPaths(Path({str(data)!r})).index_dir(Path({str(library)!r})));"
        "search(ix, '主管機關'); print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--queries-only", action="store_true",
                        help="time the queries on the index already built in --workdir (no scan, no indexing)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(json.dumps({"skipped": f"the corpus is not at {CORPUS}"}))
        return
    lib_dir, data = bench_library(CORPUS, args.workdir, args.articles, "reader-bench-")
    library = Library(lib_dir, DataPaths(data))
    if args.queries_only:
        index = SearchIndex(library.index_dir)
        queries = sample_queries(lib_dir, random.Random(5))
        print(json.dumps({
            "articles": args.articles,
            "query_latency_cold_cache": time_queries(index, queries, cold_cache=True),
            "query_latency_shared_cache": time_queries(index, queries),
        }, indent=2))
        return
    catalog = library.catalog()
    start = time.perf_counter()
    catalog.rescan()
    scan_s = time.perf_counter() - start
    index = SearchIndex(library.index_dir)
    index.rebuild()
    rss_before = rss_mb()
    start = time.perf_counter()
    index.update(library, catalog)
    index_s = time.perf_counter() - start
    rss_indexing = rss_mb()

    queries = sample_queries(lib_dir, random.Random(5))
    latencies = time_queries(index, queries)

    target = sorted(lib_dir.glob("*.md"))[len(queries) % args.articles]
    target.write_text(target.read_text(encoding="utf-8") + "\n\n獨一無二的新增段落XYZZY。\n", encoding="utf-8")
    start = time.perf_counter()
    rel = target.relative_to(lib_dir).as_posix()
    catalog.rescan(only={rel})  # what the window does when its watcher names the file
    index.update(library, catalog, only={rel})
    found = search(index, "獨一無二的新增段落").total
    update_ms = (time.perf_counter() - start) * 1000
    target.write_text(target.read_text(encoding="utf-8") + "\n\n第二次修改QWERTY。\n", encoding="utf-8")
    start = time.perf_counter()
    catalog.rescan()  # a full rescan: stat every file
    index.update(library, catalog)
    found_again = search(index, "第二次修改").total
    full_update_ms = (time.perf_counter() - start) * 1000
    index.close()
    catalog.close()

    print(json.dumps({
        "articles": args.articles,
        "library_mb": round(dir_size(lib_dir) / 1e6, 1),
        "catalog_scan_s": round(scan_s, 2),
        "index_s": round(index_s, 2),
        "articles_per_s": round(args.articles / index_s, 1),
        "index_mb": round(dir_size(library.index_dir) / 1e6, 1),
        "cold_open_first_query_s": round(cold_open(lib_dir, data), 3),
        "query_latency": latencies,
        "one_changed_article_searchable_ms": round(update_ms, 1),
        "changed_article_found": found == 1 and found_again == 1,
        "one_changed_article_with_full_rescan_ms": round(full_update_ms, 1),
        "peak_rss_mb_before_indexing": round(rss_before, 1),
        "peak_rss_mb_indexing": round(rss_indexing, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
