"""The CLI subcommands. Each takes the parsed arguments and the data paths, returns an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli import UsageError, open_library, print_json
from reader.library.catalog import print_problem
from reader.library.importing import import_files
from reader.paths import DataPaths
from reader.settings import Settings


def cmd_list(args: argparse.Namespace, paths: DataPaths) -> int:
    library = open_library(args, paths)
    catalog = library.catalog()
    try:
        catalog.rescan(on_problem=print_problem)
        entries = catalog.entries()
    finally:
        catalog.close()
    entries.sort(key=lambda e: (e.article.date or "", e.article.path), reverse=True)
    if args.json:
        print_json({"library": str(library.root), "articles": [e.article.meta_dict() for e in entries]})
        return 0
    print(f"{library.root}  ({len(entries)} articles)")
    for entry in entries:
        a = entry.article
        flag = "  ! " + "; ".join(a.problems) if a.problems else ""
        print(f"{a.date or '       ':10}  {a.title}  [{a.path}]{flag}")
    return 0


def cmd_import(args: argparse.Namespace, paths: DataPaths) -> int:
    target = getattr(args, "library", None)
    if not target:
        last = Settings(paths.settings_file).get("library")
        if not last:
            raise UsageError("import: say where to with --library DIR")
        target = last
    library = Path(target).expanduser().resolve()
    inputs = [Path(p) for p in args.inputs]
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    failed = 0
    for result in import_files(inputs, library, args.encoding):
        if result.status == "failed":
            failed += 1
            print(f"{result.source}: {result.problem}", file=sys.stderr)
            continue
        note = ""
        if result.uncertain_encoding:
            note = f"  (encoding uncertain: read as {result.uncertain_encoding}; re-import with --encoding NAME)"
        print(f"{result.status}: {result.source} -> {result.target}{note}")
    return 1 if failed else 0


def _progress_printer(label: str):
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        if total and (done == total or done - state["last"] >= max(1, total // 20)):
            state["last"] = done
            print(f"{label}: {done}/{total}", file=sys.stderr)

    return progress


def refresh_index(library, rebuild: bool = False, quiet: bool = False, timeout: float = 0.0):
    """Rescan the catalog and bring the index up to date; returns (SearchIndex, report)."""
    from reader.search.index import SearchIndex

    catalog = library.catalog()
    try:
        catalog.rescan(on_problem=None if quiet else print_problem)
        index = SearchIndex(library.index_dir)
        index.open()
        if rebuild:
            index.rebuild(timeout)
        if index.rebuilt_reason and not quiet:
            print(f"{library.index_dir}: {index.rebuilt_reason}", file=sys.stderr)
        report = index.update(
            library,
            catalog,
            notes_for=_notes_provider(library),
            progress=None if quiet else _progress_printer("indexing"),
            timeout=timeout,
        )
    finally:
        catalog.close()
    return index, report


def _notes_provider(library):
    """Annotation text (quotes and notes) per article, for the ``note:`` field."""
    try:
        from reader.annotations.store import AnnotationStore
    except ImportError:
        return None
    store = AnnotationStore.open_for_reading(library.paths)
    if store is None:
        return None
    texts = store.search_texts(str(library.root))
    store.close()
    return lambda path: texts.get(path, "")


def cmd_index(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.search.index import IndexBusy

    library = open_library(args, paths)
    try:
        index, report = refresh_index(library, rebuild=args.rebuild, timeout=5.0)
    except IndexBusy as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    count = index.doc_count()
    index.close()
    print(f"{library.root}: {count} articles indexed ({report.added} added, {report.updated} updated, {report.removed} removed)", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.search.index import IndexBusy, SearchIndex
    from reader.search.searching import search

    if args.limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    library = open_library(args, paths)
    try:
        index, _ = refresh_index(library, quiet=True, timeout=2.0)
    except IndexBusy:
        # Someone else is indexing: search what was last committed.
        index = SearchIndex(library.index_dir)
    result = search(index, args.query, limit=args.limit or None)
    index.close()
    if result.message:
        print(result.message, file=sys.stderr)
    if args.json:
        print_json({
            "query": result.query,
            "total": result.total,
            "hits": [{"path": h.path, "title": h.title, "date": h.date, "score": h.score, "snippet": h.snippet} for h in result.hits],
        })
        return 0
    if not result.hits:
        print("No results.")
        return 0
    print(f"{result.total} articles" + (f" (showing {len(result.hits)})" if len(result.hits) < result.total else ""))
    import html as _html
    import re as _re

    for hit in result.hits:
        snippet = _html.unescape(_re.sub(r"</?mark>", "**", hit.snippet))
        print(f"\n{hit.title}  [{hit.path}]  {hit.date}\n  {snippet}")
    return 0
