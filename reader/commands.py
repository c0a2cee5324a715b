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
