"""Command line: the GUI by default, and subcommands that never import Qt (so they start fast).

Exit codes: 0 done, 1 the operation failed, 2 usage error or missing library folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys

from reader import __version__
from reader.errors import ReaderError, describe_database_error, from_os_error
from reader.library.library import Library, resolve_library
from reader.paths import DataPaths, resolve_data_dir
from reader.settings import Settings


def _common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Subparsers use SUPPRESS so that a value given before the subcommand is not reset.
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="DIR", default=default, help="where Reader keeps its state (also READER_DATA_DIR)")
    parser.add_argument("--library", metavar="DIR", default=default, help="the library folder to use")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="An offline reader for collections of articles.")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    _common(parser, top=True)
    gui = parser.add_argument_group("window")
    gui.add_argument("--screenshot", metavar="FILE.png", help="lay out the window, save a PNG and exit")
    gui.add_argument("--open", metavar="PATH", dest="open_path", help="article to open (path in the library)")
    gui.add_argument("--search", metavar="QUERY", help="search to run in the window")
    gui.add_argument("--theme", choices=["light", "dark", "sepia", "system"], help="colour theme")
    gui.add_argument("--size", metavar="WxH", default="1280x800", help="window size for --screenshot")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="print the catalog of a library")
    _common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("import", help="convert text, HTML and Markdown files into library articles")
    _common(p)
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--encoding", metavar="NAME", help="decode the files with this encoding (e.g. cp950, gb18030)")

    p = sub.add_parser("index", help="bring the search index up to date")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")

    p = sub.add_parser("search", help="search the library")
    _common(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, help="number of hits; 0 means all")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="print an article as text, HTML or Markdown")
    _common(p)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--format", choices=["text", "html", "markdown"], required=True)

    p = sub.add_parser("annotations", help="export or import highlights and notes")
    _common(p)
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = asub.add_parser("export", help="export annotations")
    _common(e)
    e.add_argument("--format", choices=["json", "markdown"], default="json")
    e.add_argument("--article", metavar="PATH")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    e.add_argument("--force", action="store_true", help="with -o: replace FILE if it exists")
    i = asub.add_parser("import", help="merge annotations from an export")
    _common(i)
    i.add_argument("file", metavar="FILE")

    p = sub.add_parser("doctor", help="check the data folder and the library")
    _common(p)
    p.add_argument("--repair", action="store_true", help="rebuild what can be rebuilt")
    return parser


def _ensure_utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    _ensure_utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = DataPaths(resolve_data_dir(args.data_dir))
    try:
        if args.command is None:
            from reader.ui.app import run_gui

            return run_gui(args, paths)
        from reader import commands

        handler = getattr(commands, f"cmd_{args.command}")
        code = handler(args, paths)
        sys.stdout.flush()
        return code
    except ReaderError as exc:
        return _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        return _closed_pipe()
    except OSError as exc:
        return _fail(str(from_os_error(exc)), 1)
    except sqlite3.Error as exc:
        return _fail(str(describe_database_error(exc, paths.root)), 1)
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        return _fail("the input is nested too deeply to process", 1)
    except MemoryError:
        return _fail("not enough memory to finish", 1)
    except Exception as exc:  # the last edge: a bug must still not print a traceback at a user
        return _fail(_report_bug(exc, paths), 1)


def _fail(message: str, code: int) -> int:
    with contextlib.suppress(BrokenPipeError, OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(BrokenPipeError, OSError, ValueError):
        print(f"reader: {message}", file=sys.stderr)
    return code


def _closed_pipe() -> int:
    """The reader of our output went away (``reader search … | head -1``): end quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _report_bug(exc: BaseException, paths: DataPaths) -> str:
    """Keep the traceback in the data folder for a bug report; tell the user where."""
    import datetime as dt
    import traceback

    text = "".join(traceback.format_exception(exc))
    message = f"unexpected error ({type(exc).__name__}: {exc})"
    try:
        folder = paths.root / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"error-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        log.write_text(text, encoding="utf-8")
        return f"{message}; details were saved in {log}"
    except OSError:
        return message


def open_library(args: argparse.Namespace, paths: DataPaths) -> Library:
    settings = Settings(paths.settings_file)
    return resolve_library(paths, getattr(args, "library", None), settings)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
