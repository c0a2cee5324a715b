"""Search benchmark: build a realistic library, index it, time queries. Prints JSON.

    python tests/benchmarks/bench_search.py --articles 10000 [--workdir DIR] [--passes 3] [--peers]

Query latencies are per class (p50/p95/max), the median of ``--passes`` passes. The typing
burst types ten words prefix by prefix (人 → 人工 → 人工智 → 人工智慧) through the window's own
search call (:func:`reader.search.searching.window_search`). ``--peers`` takes the same corpus
and queries through SQLite FTS5 trigram and, when the ``tantivy`` package is installed,
tantivy with the same CJK bigrams (tests/benchmarks/peers.py), and prints the ratios.

Targets at 10,000 articles (issue #15): p95 <= 20 ms and p50 <= 5 ms per query class, <= 30 ms
p95 per keystroke, >= 250 articles/s full index, one changed article searchable <= 200 ms,
index <= 200 MB, peak RSS while searching <= 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
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
from reader.search.searching import search, window_search  # noqa: E402
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
            if cold_cache:
                clear_cache(index)
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


#: Ten words typed prefix by prefix: 48 keystrokes.
TYPED_WORDS = ["人工智慧", "個人資料保護法", "主管機關", "風險管理", "資訊安全", "數位發展部", "國家安全",
               "智慧財產權", "行政程序法", "中華民國憲法"]


def clear_cache(index: SearchIndex) -> None:
    """Drop the decoded posting lists (the field lengths stay: read once per commit)."""
    cache = getattr(index.searcher(), "reader_posting_cache", None)
    if cache is not None:
        cache.clear()


def typing_burst(index: SearchIndex, glossary) -> dict[str, float]:
    """Each keystroke's search through the window's own call; every word starts with a cold
    posting cache (a burst shares it: the window's searcher stays between keystrokes)."""
    times, words = [], []
    for word in TYPED_WORDS:
        clear_cache(index)
        spent = 0.0
        for end in range(1, len(word) + 1):
            start = time.perf_counter()
            window_search(index, word[:end], glossary=glossary)
            took = (time.perf_counter() - start) * 1000
            times.append(took)
            spent += took
        words.append(spent)
    times.sort()
    return {
        "keystrokes": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
        "per_word_ms_max": round(max(words), 1),
    }


def median_of(passes: list[dict]) -> dict:
    """The median of each number over passes (nested dicts of the same shape)."""
    first = passes[0]
    if isinstance(first, dict):
        return {key: median_of([p[key] for p in passes]) for key in first}
    if isinstance(first, (int, float)):
        return round(statistics.median(passes), 2)
    return first


def time_peer(peer, queries: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    out = {}
    for name, items in queries.items():
        times = []
        for query in items:
            start = time.perf_counter()
            peer.search(query)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(len(times) * 0.95) - 1], 3)}
    return out


def side_by_side(lib_dir: Path, work: Path, queries, ours: dict, passes: int, articles: int) -> dict:
    """The peers on the same corpus and queries, and our time over theirs per class."""
    from tests.benchmarks.peers import article_texts, peers

    work.mkdir(parents=True, exist_ok=True)
    texts = article_texts(lib_dir)
    out = {}
    for peer in peers(work):
        build_s = peer.build(texts)
        peer.open()
        latency = median_of([time_peer(peer, queries) for _ in range(passes)])
        out[peer.name] = {
            "articles_per_s": round(articles / build_s, 1),
            "index_mb": round(peer.size() / 1e6, 1),
            "query_latency": latency,
            "ours_over_theirs": {
                name: {stat: round(ours[name][stat] / max(latency[name][stat], 1e-3), 1) for stat in ("p50_ms", "p95_ms")}
                for name in latency
            },
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
    parser.add_argument("--passes", type=int, default=3, help="query passes; each figure is their median")
    parser.add_argument("--peers", action="store_true", help="also time SQLite FTS5 trigram and tantivy (if installed)")
    parser.add_argument("--queries-only", action="store_true",
                        help="time the queries on the index already built in --workdir (no scan, no indexing)")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(json.dumps({"skipped": f"the corpus is not at {CORPUS}"}))
        return
    print(f"library of {args.articles} articles…", file=sys.stderr, flush=True)
    lib_dir, data = bench_library(CORPUS, args.workdir, args.articles, "reader-bench-")
    library = Library(lib_dir, DataPaths(data))
    queries = sample_queries(lib_dir, random.Random(5))
    report: dict = {"articles": args.articles, "cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]}
    if not args.queries_only:
        report.update(build(library, lib_dir, args.articles))
    index = SearchIndex(library.index_dir)
    from reader.search.expansion import index_glossary

    print("queries…", file=sys.stderr, flush=True)
    glossary = index_glossary(index, data)
    cold = median_of([time_queries(index, queries, cold_cache=True) for _ in range(args.passes)])
    report["query_latency_cold_cache"] = cold
    report["query_latency_shared_cache"] = median_of([time_queries(index, queries) for _ in range(args.passes)])
    report["typing_burst"] = median_of([typing_burst(index, glossary) for _ in range(args.passes)])
    report["peak_rss_mb_searching"] = round(rss_mb(), 1)
    if not args.queries_only:
        report.update(changes(library, lib_dir, index, args.articles, len(queries)))
        report["cold_open_first_query_s"] = round(cold_open(lib_dir, data), 3)
    index.close()
    if args.peers:
        print(json.dumps(report, ensure_ascii=False), file=sys.stderr)  # ours, should a peer fail
        print("peers…", file=sys.stderr, flush=True)
        report["peers"] = side_by_side(lib_dir, lib_dir.parent / "peers", queries, cold, args.passes, args.articles)
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2, ensure_ascii=False))


def build(library: Library, lib_dir: Path, articles: int) -> dict:
    catalog = library.catalog()
    start = time.perf_counter()
    catalog.rescan()
    scan_s = time.perf_counter() - start
    index = SearchIndex(library.index_dir)
    index.rebuild()
    rss_before = rss_mb()
    print("indexing…", file=sys.stderr, flush=True)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 10:
            last[0] = time.monotonic()
            print(f"  indexed {done}/{total}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    index.update(library, catalog, progress=progress)
    index_s = time.perf_counter() - start
    index.close()
    catalog.close()
    return {
        "library_mb": round(dir_size(lib_dir) / 1e6, 1),
        "catalog_scan_s": round(scan_s, 2),
        "index_s": round(index_s, 2),
        "articles_per_s": round(articles / index_s, 1),
        "index_mb": round(dir_size(library.index_dir) / 1e6, 1),
        "peak_rss_mb_before_indexing": round(rss_before, 1),
        "peak_rss_mb_indexing": round(rss_mb(), 1),
    }


#: Single edits timed: the first pays for what a process loads at its first commit.
EDITS = 5


def changes(library: Library, lib_dir: Path, index: SearchIndex, articles: int, seed: int) -> dict:
    """One article changed at a time, as the window's watcher reports it, until a search
    finds it: EDITS edits of different articles (the median, the first, the slowest)."""
    catalog = library.catalog()
    files = sorted(lib_dir.glob("*.md"))
    times, found = [], []
    for edit in range(EDITS):
        target = files[(seed + edit * 7919) % articles]
        marker = f"獨一無二的第{edit}段新增XYZZY"
        target.write_text(target.read_text(encoding="utf-8") + f"\n\n{marker}。\n", encoding="utf-8")
        start = time.perf_counter()
        rel = target.relative_to(lib_dir).as_posix()
        catalog.rescan(only={rel})  # what the window does when its watcher names the file
        index.update(library, catalog, only={rel})
        found.append(search(index, marker).total == 1)
        times.append((time.perf_counter() - start) * 1000)
    target = files[seed % articles]
    target.write_text(target.read_text(encoding="utf-8") + "\n\n第二次修改QWERTY。\n", encoding="utf-8")
    start = time.perf_counter()
    catalog.rescan()  # a full rescan: stat every file
    index.update(library, catalog)
    found.append(search(index, "第二次修改QWERTY").total == 1)
    full_update_ms = (time.perf_counter() - start) * 1000
    catalog.close()
    return {
        "one_changed_article_searchable_ms": round(statistics.median(times), 1),
        "one_changed_article_first_ms": round(times[0], 1),
        "one_changed_article_max_ms": round(max(times), 1),
        "changed_article_found": all(found),
        "one_changed_article_with_full_rescan_ms": round(full_update_ms, 1),
        "segments": len(index.open()._segments()),
    }


if __name__ == "__main__":
    main()
