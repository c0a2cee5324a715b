"""A rescan in a second process, while this one goes on with what the catalog holds now.

A rescan of 100,000 unchanged files spends most of its time waiting for the kernel's stat
(0.4 s of a 0.75 s rescan on a 2-core laptop-class machine) and almost always finds nothing.
``reader search`` and ``reader list`` start it in a forked child, meanwhile search or list
the catalog as it is, and keep that result when the child changed nothing; when it changed
something they do it again on the catalog it brought up to date, and when it could not
finish (or a fork is not safe here) they rescan themselves, as before. Either way the result
is the one a rescan first would have given.

Fork only where it is safe: Linux, a process with one thread, a catalog on disk (one kept in
memory must be rescanned by the process that holds it).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.library.catalog import ScanProgress


@dataclass
class AsideOutcome:
    wrote: bool  # the child changed the catalog: what was read before it finished is stale
    notices: list[str] = field(default_factory=list)  # the child's catalog's (a missing folder…)


class RescanAside:
    """A rescan of a library's catalog by a child process. :meth:`wait` says how it went;
    leaving the ``with`` block waits for it too (a child is never left behind)."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid, self._fd = pid, fd
        self._outcome: AsideOutcome | None = None
        self._done = False

    @classmethod
    def start(
        cls,
        library,
        on_problem: Callable[[str, str], None] | None = None,
        progress: Callable[[ScanProgress], None] | None = None,
    ) -> tuple[RescanAside | None, list[str]]:
        """(the child, or None when a fork is not safe here: rescan in this process; the
        notices of opening the catalog, which is brought up to date or rebuilt here first,
        so that two processes never do it at once). ``on_problem`` and ``progress`` run in
        the child (they print to the shared stderr).

        No SQLite connection may be open in this process: SQLite's state of a file open here
        would be the child's too (its locks among it), and the child's writes unsafe."""
        if not sys.platform.startswith("linux") or threading.active_count() != 1:
            return None, []
        catalog = library.catalog()
        catalog.close()
        if catalog.in_memory:  # (a catalog kept in memory is the process's own: none to share)
            return None, []
        for stream in (sys.stdout, sys.stderr):  # (so the child never writes this one's buffer)
            with contextlib.suppress(Exception):
                stream.flush()
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None, []
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None, []
        if pid == 0:  # the child: rescan, say what happened, and leave without cleaning up
            code = 1
            try:
                os.close(read_fd)
                child = library.catalog()
                child.rescan(on_problem=on_problem, progress=progress)
                if not child.in_memory:  # (changes kept in memory would be lost with it)
                    data = json.dumps({"wrote": child.writes > 0, "notices": child.notices}).encode("utf-8")
                    with os.fdopen(write_fd, "wb") as out:
                        out.write(data)
                    code = 0
            except BaseException:  # noqa: S110 (the parent rescans, and reports what fails)
                pass
            finally:
                with contextlib.suppress(Exception):
                    sys.stderr.flush()
                os._exit(code)
        os.close(write_fd)
        return cls(pid, read_fd), catalog.notices

    def wait(self) -> AsideOutcome | None:
        """Wait for the child: its outcome, or None when it did not finish its rescan."""
        if self._done:
            return self._outcome
        self._done = True
        chunks = []
        try:
            while chunk := os.read(self._fd, 65536):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._fd)
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            status = -1
        if status != 0 or not chunks:
            return None
        try:
            data = json.loads(b"".join(chunks).decode("utf-8"))
            wrote, notices = data["wrote"], data["notices"]
        except (ValueError, KeyError, TypeError):
            return None
        if not isinstance(wrote, bool) or not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
            return None
        self._outcome = AsideOutcome(wrote, notices)
        return self._outcome

    def __enter__(self) -> RescanAside:
        return self

    def __exit__(self, *exc_info) -> None:
        self.wait()
