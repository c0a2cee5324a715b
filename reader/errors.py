"""One error hierarchy with user-facing text, mapped at the edges (database, files, parsers).

Every error a user can meet is a :class:`ReaderError`: its text names the file and the
problem, in words a user understands (``/data/annotations.sqlite3: the disk is full``). The
CLI prints it as ``reader: <text>`` and exits with :attr:`ReaderError.exit_code`; the window
shows it in a message. Nothing else should reach a user; :func:`from_os_error` turns the
operating system's errors into this shape at the place they happen.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class ReaderError(Exception):
    """A failure the user must be told about. ``str(error)`` is the whole message."""

    exit_code = 1

    def __init__(self, problem: str, path: str | os.PathLike[str] | None = None) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class UsageError(ReaderError):
    """The command was given something it cannot use (exit code 2)."""

    exit_code = 2




class OutsideLibrary(UsageError):
    """A path that is not inside the library (``..``, absolute, or a symlink leading out)."""


class DataFolderError(ReaderError):
    """The data folder cannot be written (read-only, full disk) or read."""


class DamagedData(ReaderError):
    """A database or state file is damaged and could not be recovered."""


class RefusedOutput(UsageError):
    """An output path that would destroy something (the database, a device, an existing file)."""


_OS_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ELOOP: "symlink loop",
    errno.EIO: "input/output error (the disk may be failing)",
}


def os_problem(exc: OSError) -> str:
    """The user-facing words for an operating-system error."""
    return _OS_PROBLEMS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def from_os_error(exc: OSError, path: str | os.PathLike[str] | None = None, outcome: str = "") -> ReaderError:
    """A :class:`DataFolderError` naming the file and the problem of ``exc``, and what that
    meant (``outcome``: "nothing was written")."""
    where = path if path is not None else exc.filename
    problem = os_problem(exc)
    return DataFolderError(f"{problem}; {outcome}" if outcome else problem, where)


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "database or disk is full" in text or "disk is full" in text or "no space left" in text


def describe_database_error(exc: BaseException, path: Path) -> ReaderError:
    """An sqlite3 error at ``path`` in the user's words."""
    text = str(exc).lower()
    if is_disk_full(exc):
        return DataFolderError("the disk is full; nothing was changed", path)
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return DataFolderError("the data folder is read-only; nothing was changed", path)
    if "unable to open" in text:
        return DataFolderError("cannot open the database (is the folder readable and writable?)", path)
    if "locked" in text or "busy" in text:
        return DataFolderError("the database is busy in another Reader; try again", path)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DamagedData("the database is damaged", path)
    return DataFolderError(f"database error: {exc}", path)
