"""Extraction in a separate, spawned process with a memory limit and time limits.

Like the large-Markdown formatter (reader.render.markdown_html), and for the same reasons
plus one: PDFium and the XML parsers are C code reading files nobody checked. The child sets
``RLIMIT_AS`` on itself before it imports any reader, so a file that makes a parser allocate
without end fails there (MemoryError, or the child dies) instead of taking the machine's
memory; ``RLIMIT_CORE`` 0 so a crash leaves no core file. The parent (a worker thread of the
window, or the CLI) waits on a queue without holding the interpreter lock, relays progress,
passes a cancel on, and stops the child when it makes no progress for ``stall_s`` (a PDF whose
page tree loops, a decompression that never ends) or runs past ``time_s``. Every way the
child can end becomes a Document: nothing is raised for a bad file, only :class:`Cancelled`.
"""

from __future__ import annotations

import multiprocessing
import queue as queues
import time
from dataclasses import dataclass
from pathlib import Path

from reader.library.formats.document import Cancelled, Document

#: The child reports progress at most this often.
PROGRESS_EVERY_S = 0.1


@dataclass
class Limits:
    memory_bytes: int = 2 * 1024 * 1024 * 1024  # address space of the child (PDFium reserves some)
    stall_s: float = 120.0  # no progress for this long: stopped (an OCR page may take a minute)
    time_s: float = 3 * 3600.0  # the whole extraction, however it progresses
    start_s: float = 60.0  # until the child's first word (its imports, on a busy machine)


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no limit to set
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _child(path: str, library: str | None, memory_bytes: int, out, stop) -> None:
    _limit_memory(memory_bytes)
    out.put(("started", 0, 0))
    try:
        from reader.library.formats import extract

        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                out.put(("progress", done, total))

        doc = extract(Path(path), progress, stop, Path(library) if library else None)
        out.put(("done", doc.to_json(), (doc.transient, doc.error_detail)))
    except Cancelled:
        out.put(("cancelled", 0, 0))
    except MemoryError:
        out.put(("memory", 0, 0))
    except BaseException as exc:  # reported to the parent, which names it for the file
        out.put(("error", f"{type(exc).__name__}: {exc}"[:500], 0))


def extract_in_process(path: Path, progress=None, cancel=None, limits: Limits | None = None, library: Path | None = None) -> Document:
    """:func:`reader.library.formats.extract` in a spawned child within ``limits``."""
    from reader.library.formats import problem_document

    limits = limits or Limits()
    path = Path(path)
    context = multiprocessing.get_context("spawn")  # never fork a threaded (Qt) process
    out = context.Queue()
    stop = context.Event()
    child = context.Process(
        target=_child, args=(str(path), str(library) if library else None, limits.memory_bytes, out, stop), daemon=True
    )
    started = time.monotonic()
    child.start()
    last_word = started
    heard = False
    try:
        while True:
            if cancel is not None and cancel.is_set():
                stop.set()
                child.join(timeout=2.0)
                raise Cancelled()
            try:
                message = out.get(timeout=0.1)
            except queues.Empty:
                now = time.monotonic()
                if not child.is_alive():
                    try:
                        message = out.get(timeout=0.5)
                    except queues.Empty:
                        code = child.exitcode or 0
                        how = f"signal {-code}" if code < 0 else f"exit code {code}"
                        return problem_document(
                            path,
                            f"refused: reading it stopped the reader ({how}); the file is damaged, "
                            f"or needs more than the {limits.memory_bytes // (1024 * 1024)} MB memory limit",
                        )
                elif not heard and now - started > limits.start_s:
                    return problem_document(path, "could not be read: the reader did not start in time", transient=True)
                elif heard and now - last_word > limits.stall_s:
                    return problem_document(path, f"refused: reading it made no progress for {limits.stall_s:g} s (the file may loop or be damaged)")
                elif now - started > limits.time_s:
                    return problem_document(path, f"refused: reading it took longer than {limits.time_s:g} s", transient=True)
                else:
                    continue
            kind, first, second = message
            heard = True
            last_word = time.monotonic()
            if kind == "progress":
                if progress is not None:
                    progress(first, second)
            elif kind == "done":
                doc = Document.from_json(first)
                doc.transient, doc.error_detail = second
                return doc
            elif kind == "cancelled":
                raise Cancelled()
            elif kind == "memory":
                return problem_document(path, f"refused: reading it needs more than the {limits.memory_bytes // (1024 * 1024)} MB memory limit")
            elif kind == "error":
                doc = problem_document(path, "could not be read (the reader failed)")
                doc.error_detail = first
                return doc
    finally:
        child.join(timeout=1.0)
        if child.is_alive():
            child.terminate()
            child.join(timeout=5)
            if child.is_alive():
                child.kill()
                child.join(timeout=5)
        out.close()
        out.join_thread()
