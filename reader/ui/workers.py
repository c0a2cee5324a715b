"""Run a job off the UI thread and deliver its result on the UI thread.

Jobs never touch widgets: they take plain values and return plain values. The result comes
back through a queued signal, so handlers run on the main thread. A job that raises hands
its exception object (traceback attached) to the failure callback; :func:`error_line` makes
the one line a user is shown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], carrier: _Carrier) -> None:
        super().__init__()
        self.fn = fn
        self.carrier = carrier
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the UI, never raised in a worker thread
            outcome, value = self.carrier.failed, exc
        else:
            outcome, value = self.carrier.done, result
        # The window may be gone by the time a late job ends (closing): nobody is listening.
        with contextlib.suppress(RuntimeError):
            outcome.emit(value)


class TaskRunner(QObject):
    """A small pool for background jobs; ``threads=1`` keeps jobs in order (searches)."""

    def __init__(self, threads: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._carriers: set[_Carrier] = set()
        self.stopped = False  # set when the owner closes: late results are dropped

    def stop(self) -> None:
        """Deliver no more results: what its owner would act on (a database) is closing."""
        self.stopped = True

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None] | None = None) -> None:
        carrier = _Carrier()
        self._carriers.add(carrier)

        def finish(result: Any) -> None:
            self._carriers.discard(carrier)
            if not self.stopped:
                on_done(result)

        def fail(error: Exception) -> None:
            self._carriers.discard(carrier)
            if on_error is not None and not self.stopped:
                on_error(error)

        carrier.done.connect(finish)
        carrier.failed.connect(fail)
        self.pool.start(_Job(fn, carrier))

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._carriers)


def error_line(error: BaseException) -> str:
    """The one line a user is shown for a failed job: a ReaderError's own text (it names the
    file and the problem), else the kind of error and its first line; never a traceback."""
    from reader.errors import ReaderError

    text = str(error).strip()
    if not isinstance(error, ReaderError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text.splitlines()[0] if text else type(error).__name__
