"""Writing a command's output to a file the user named, without destroying anything.

``-o FILE`` refuses folders, devices and other special files, anything inside Reader's data
folder (the annotations database, its backups), and an existing file unless ``force`` is
given; the file is written atomically (a crash leaves the old file or the new one) with the
permissions a new file of the user's gets, or the replaced file's own.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reader.errors import RefusedOutput, from_os_error
from reader.fileio import fsync_folder, write_temp_file


def check_output_path(target: Path, data_dir: Path, force: bool = False) -> Path:
    """The resolved path to write, or :class:`RefusedOutput` naming why not."""
    shown = str(target)
    try:
        resolved = target.expanduser().resolve()
    except (OSError, RuntimeError):
        raise RefusedOutput("cannot resolve the output path (a symlink loop?)", shown) from None
    data = data_dir.resolve()
    if resolved == data or data in resolved.parents:
        raise RefusedOutput("is inside Reader's data folder (the annotations database and its backups live there); choose another file", shown)
    try:
        info = os.stat(resolved)
    except FileNotFoundError:
        if not resolved.parent.is_dir():
            raise RefusedOutput("the folder to write into does not exist", shown) from None
        return resolved
    except OSError as exc:
        raise from_os_error(exc, shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise RefusedOutput("is a folder; give a file name", shown)
    if not stat.S_ISREG(info.st_mode):
        raise RefusedOutput("is a device or other special file, not a regular file; nothing was written", shown)
    if _is_data_file(info, data):  # the same file reached another way (a bind mount, a hard link)
        raise RefusedOutput("is a file of Reader's data folder (the annotations database or a backup); choose another file", shown)
    if not force:
        raise RefusedOutput("already exists; add --force to replace it", shown)
    return resolved


def _is_data_file(info: os.stat_result, data: Path) -> bool:
    try:
        candidates = [data / "annotations.sqlite3", data / "annotations.sqlite3-wal", *(data / "backups").glob("*")]
        return any((c.stat().st_dev, c.stat().st_ino) == (info.st_dev, info.st_ino) for c in candidates if c.exists())
    except OSError:
        return False


def write_output(target: Path, data: bytes, data_dir: Path, force: bool = False) -> Path:
    """Check ``target`` (see :func:`check_output_path`) and write ``data`` to it atomically."""
    path = check_output_path(target, data_dir, force)
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    tmp = None
    try:
        tmp = write_temp_file(path.parent, path.name, data, old)
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise from_os_error(exc, target, "nothing was written") from None
    return path
