"""Command line: the GUI by default, and subcommands that never import Qt (so they start fast).

Exit codes: 0 done, 1 the operation failed, 2 usage error or missing library folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import unicodedata

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


SEARCH_HELP = """\
query syntax:
  words separated by spaces must all occur:   ai 安全
  either word:                                ai OR 人工智慧
  leave out a word:                           ai NOT 美國   (or: ai -美國)
  group with parentheses:                     (ai OR 人工智慧) 安全
  an exact phrase:                            "AI Seoul Summit"
  in one field:                               title:安全  tag:政策  author:王  note:重要
  by date:                                    date:2024  date:2024-05..2024-08
  tagged highlights or notes:                 htag:定義   (a tag nobody used finds nothing)
  articles citing a provision:                law:個資法 art:6  (para:1 item:2; art:6-1;
                                              the law by name, short name or pcode)
  Han text of any length matches exactly where it occurs; full-width and simplified
  forms match too (ＮＩＳＴ = NIST, 机构 = 機構), and so do variant characters (硏究 =
  研究), legal numbering written any way (第3條 = 第三條 = 第 3 條, 30日 = 三十日), and
  English inflections (evaluations = evaluation; never organic = organization).
  Full-width syntax works: title：  －GDPR  （5G OR 6G）  “AI 安全”  「人工智慧」.
  Terms the library glosses are also searched as their other forms (NIST also finds
  美國國家標準暨技術研究院); Reader says which on stderr, --no-expand turns it off.
  A query that cannot be parsed is searched as plain words, and Reader says so on stderr.
  A query that starts with "-" goes after "--":  reader search -- -的
  Limits: at most 2,000 characters, 200 words, and parentheses or NOT nested 50 deep;
  a query beyond them is not searched (exit 2, saying why).

output:
  the number of articles found, then for each hit its title, [path], date and a
  snippet with the matches in **bold**. --limit N shows the N best (default 20;
  --limit 0 shows every hit). With --json:
    {"query": "...", "total": N,
     "hits": [{"path": "...", "title": "...", "date": "...", "score": 1.0, "snippet": "..."}],
     "expansions": [{"term": "NIST", "also": ["美國國家標準暨技術研究院", "..."]}]}
  where "total" counts every matching article and the snippet marks matches as <mark>...</mark>.
"""


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 article``, ``2 articles``."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def elide(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, ending in "…" when cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for char in text:
        cell = display_width(char)
        if used + cell > width - 1:
            break
        out, used = out + char, used + cell
    return out + "…"


def columns(rows: list[list[str]], caps: list[int] | None = None, gap: str = "  ") -> list[str]:
    """Rows of cells aligned in columns by display width (CJK counts double). A column is as
    wide as its widest cell, at most its cap (a longer cell is cut, ending in "…"; a cap of
    0 never cuts). The last column is not padded."""
    if not rows:
        return []
    if caps:
        rows = [[elide(cell, caps[i]) if i < len(caps) and caps[i] else cell for i, cell in enumerate(row)] for row in rows]
    count = max(len(r) for r in rows)
    widths = []
    for i in range(count):
        widest = max((display_width(r[i]) for r in rows if i < len(r)), default=0)
        cap = caps[i] if caps and i < len(caps) and caps[i] else widest
        widths.append(min(widest, cap))
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = max(0, widths[i] - display_width(cell)) if i < len(row) - 1 else 0
            cells.append(cell + " " * pad)
        lines.append(gap.join(cells).rstrip())
    return lines


class SubcommandParser(argparse.ArgumentParser):
    """A subcommand's parser. ``reader search -的`` is read by argparse as an option: the
    search parser (``dash_hint``) says how to search for it."""

    dash_hint = False

    def error(self, message: str):  # type: ignore[override]
        if not self.dash_hint:
            super().error(message)
        if "required: query" in message or any(word.startswith("-") for word in message.split(": ", 1)[-1].split()):
            message += '\na query that starts with "-" goes after "--", e.g.: reader search -- -的'
        elif message.startswith("unrecognized arguments"):
            message += '\na query of several words goes in quotes, e.g.: reader search "ai 安全"'
        super().error(message + "\n(reader search --help explains the query syntax)")


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=SubcommandParser)

    p = sub.add_parser("list", help="print the catalog of a library")
    _common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("import", help="convert text, HTML and Markdown files into library articles",
                       description="Convert text, HTML and Markdown files into articles of a library (never"
                       " overwriting). The bundled sample collection is read-only: importing into it (or into the"
                       " last library, when that is the samples) goes to \"Reader Library\" in your Documents"
                       " folder instead, which then becomes the library Reader opens.")
    _common(p)
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR")
    p.add_argument("--encoding", metavar="NAME", help="decode the files with this encoding (e.g. cp950, gb18030)")

    p = sub.add_parser("index", help="bring the search index up to date")
    _common(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")

    p = sub.add_parser("search", help="search the library", description="Search the library (the index is brought up"
                       " to date first).", epilog=SEARCH_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.dash_hint = True
    _common(p)
    p.add_argument("query", help='the query (see below); one that starts with "-" goes after "--"')
    p.add_argument("--limit", type=int, default=20, help="number of hits; 0 means all")
    p.add_argument("--json", action="store_true", help="machine-readable output (see below)")
    p.add_argument("--passages", action="store_true", help="every occurrence, grouped by article, with its context and locator")
    p.add_argument("--context", type=int, default=40, metavar="N", help="with --passages: characters of context on either side (default 40)")
    p.add_argument("--no-expand", action="store_true", help="do not also search the glossary's other forms of a term")

    p = sub.add_parser("export", help="print an article as text, HTML or Markdown")
    _common(p)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--format", choices=["text", "html", "markdown"], required=True)

    p = sub.add_parser("refs", help="list the statutes, interpretations and decisions an article cites",
                       description="List the references of an article, with offsets into `reader export PATH --format"
                       " text`. With --json: [{\"kind\": \"statute|interpretation|judgment|decision|instrument\", \"law\","
                       " \"article\", \"paragraph\", \"item\", \"start\", \"end\", \"text\"}], statutes with"
                       " \"provision_text\" once laws are imported (reader laws import).")
    _common(p)
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("terms", help="list the bilingual term pairs learned from the library's glosses")
    _common(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("laws", help="import and show Taiwan's laws (the offline law library)")
    _common(p)
    lsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    li = lsub.add_parser("import", help="import laws in the JSON of mojLawSplitJSON (files, folders, JSON lines, .gz)")
    _common(li)
    li.add_argument("source", metavar="FILE_OR_DIR")
    ls = lsub.add_parser("show", help="print a law's name, English name and a provision's text")
    _common(ls)
    ls.add_argument("law", metavar="LAW", help="name, short name (個資法) or pcode")
    ls.add_argument("article", metavar="ART", nargs="?", help="article number: 6, 6-1, 第6條之1")

    p = sub.add_parser("annotations", help="export or import highlights and notes")
    _common(p)
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = asub.add_parser("export", help="export annotations", description="Export highlights and notes: W3C Web"
                        " Annotation JSON (the default; `reader annotations import` reads it back), or Markdown, Word"
                        " (.docx, citations as footnotes) or CSV, grouped by article with each quote's citation and"
                        " locator (頁 N for paged sources, else the paragraph or heading).")
    _common(e)
    e.add_argument("--format", choices=["json", "markdown", "docx", "csv"], default="json",
                   help="json (default), markdown, docx (needs -o unless the output is redirected) or csv")
    e.add_argument("--style", metavar="STYLE", help="citation style of markdown, docx and csv: taiwan-law-journal"
                   " (default), apa, chicago, chicago-author-date, a style in <data folder>/csl, or a path to a .csl file")
    e.add_argument("--article", metavar="PATH", action="append", help="only this article's annotations (may be repeated)")
    e.add_argument("--color", metavar="COLOUR", action="append", help="only highlights of this colour, by key or name"
                   " (may be repeated; notes on articles have no colour and are left out)")
    e.add_argument("--tag", metavar="TAG", action="append", help="only annotations with this tag (may be repeated: any of them)")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    e.add_argument("--force", action="store_true", help="with -o: replace FILE if it exists")
    i = asub.add_parser("import", help="merge annotations from an export")
    _common(i)
    i.add_argument("file", metavar="FILE")
    t = asub.add_parser("tags", help="list the tags on highlights and notes, with how many carry each")
    _common(t)
    t.add_argument("--json", action="store_true", help='machine-readable: {"library", "tags": [{"tag", "count"}]}')

    p = sub.add_parser("doctor", help="check the data folder and the library")
    _common(p)
    p.add_argument("--repair", action="store_true", help="rebuild what can be rebuilt")
    return parser


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._subparsers._group_actions:  # noqa: SLF001 (argparse has no public lookup)
        if name in getattr(action, "choices", {}):
            return action.choices[name]
    return parser


def _ensure_utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    _ensure_utf8_output()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # An unknown option after a subcommand is reported by that subcommand's parser
        # (the search parser then says how to search for a word that starts with "-").
        message = "unrecognized arguments: " + " ".join(extra)
        if args.command == "search":
            _subparser(parser, "search").error(message)
        parser.error(message)
    paths = DataPaths(resolve_data_dir(args.data_dir))
    try:
        if args.command is None:
            problem = _no_display(args)
            if problem:
                return _fail(problem, 2)
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


def _no_display(args) -> str | None:
    """Why the window cannot open here, before Qt aborts with a message about plugins and
    libraries: on a Unix desktop (not macOS) with neither an X nor a Wayland display and no
    Qt platform chosen. A screenshot needs no screen: it is drawn offscreen instead."""
    if os.name != "posix" or sys.platform == "darwin" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "wayland-0")):
        return None  # a Wayland session's default display, which Qt finds unnamed
    if getattr(args, "screenshot", None):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    return (
        "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): "
        "start reader from a desktop session, or use its commands here "
        "(reader list, reader search QUERY, reader --screenshot FILE.png; reader --help lists them)"
    )


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
    from reader import jsontext

    sys.stdout.write(jsontext.dumps(data) + "\n")
