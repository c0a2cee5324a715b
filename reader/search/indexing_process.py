"""Index a library in a separate process and report its progress through a queue.

The window indexes large batches this way. Whoosh is Python: while it indexes in a thread of
the window's process it holds the interpreter lock for milliseconds at a time, and the window
feels that as stalls while the user types. A separate process shares nothing with the window.
Small changes (a file edited on disk) are still indexed in a thread: starting a process costs
more than they do.
"""

from __future__ import annotations

import multiprocessing
import queue as queues
import time
from collections.abc import Callable
from pathlib import Path

from reader.errors import ReaderError
from reader.library.library import Library
from reader.paths import DataPaths
from reader.search.index import Cancelled, IndexBusy, SearchIndex

#: The child reports ("progress", done, total) at most this often, then ("done", outcome,
#: rebuilt reason) or ("error", message, "").
PROGRESS_EVERY_S = 0.1


def index_library(library: Library, notes: dict[str, str], rebuild: bool, progress: Callable[[int, int], None], cancel) -> tuple[str, str]:
    """Bring ``library``'s index up to date here: (outcome, message), the outcome being "ok",
    "cancelled" or "busy" (another process holds the index). The message says why the index
    was rebuilt, or why it could not be (fully) updated: a read-only data folder, a full disk
    (then the index stays as it was at its last commit, and searching goes on with it)."""
    index = SearchIndex(library.index_dir)
    catalog = library.catalog()
    try:
        index.open()
        reason = index.rebuilt_reason
        if rebuild and not index.read_only:
            index.rebuild()
        report = index.update(library, catalog, notes_for=notes, progress=progress, cancel=cancel, timeout=5.0, bulk=False)
        told = [reason or report.rebuilt_reason, *report.notices]
        return "ok", "\n".join(t for t in told if t)
    except Cancelled:
        return "cancelled", ""
    except IndexBusy:
        return "busy", ""
    except ReaderError as exc:  # a full disk, a read-only data folder: said, not raised
        return "ok", str(exc)
    finally:
        catalog.close()
        index.close()


def throttled(report: Callable[[int, int], None], every: float = PROGRESS_EVERY_S) -> Callable[[int, int], None]:
    """``report`` at most once per ``every`` seconds, and always for the first and last step:
    each report is work for whoever receives it (the window's thread, the queue)."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == 0 or done == total or now - last[0] >= every:
            last[0] = now
            report(done, total)

    return progress


def _child(root: str, data_dir: str, notes: dict[str, str], rebuild: bool, out, stop) -> None:
    # This process is a daemon of the window's (it dies with the window), and daemons may
    # not start processes; but a document the cache does not hold (a saved page, a scan
    # read once Tesseract is there) is extracted in a limited child of its own. Its children
    # are this process's daemons: they end with it.
    multiprocessing.current_process().daemon = False
    progress = throttled(lambda done, total: out.put(("progress", done, total)))
    try:
        outcome, reason = index_library(Library(Path(root), DataPaths(Path(data_dir))), notes, rebuild, progress, stop)
        out.put(("done", outcome, reason))
    except Exception as exc:  # reported to the parent, which shows it
        out.put(("error", f"{type(exc).__name__}: {exc}", ""))


def index_in_process(library: Library, notes: dict[str, str], rebuild: bool, progress: Callable[[int, int], None], cancel) -> tuple[str, str]:
    """Index ``library`` in a child process; returns (outcome, rebuilt reason).

    Runs in a worker thread of the parent, which only waits on the queue (without holding
    the interpreter lock), relays progress and passes a cancel on."""
    context = multiprocessing.get_context("spawn")  # never fork a threaded Qt process
    out = context.Queue()
    stop = context.Event()
    child = context.Process(target=_child, args=(str(library.root), str(library.paths.root), notes, rebuild, out, stop), daemon=True)
    child.start()
    try:
        while True:
            if cancel.is_set():
                stop.set()
            try:
                kind, first, second = out.get(timeout=0.1)
            except queues.Empty:
                if not child.is_alive() and out.empty():
                    raise RuntimeError(f"the indexing process stopped (exit code {child.exitcode})") from None
                continue
            if kind == "progress":
                progress(first, second)
            elif kind == "done":
                return first, second
            else:
                raise RuntimeError(first)
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.terminate()
