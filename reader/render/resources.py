"""Which files an article may show: the one rule for the reading pane and the HTML export.

An article names images by relative references (``images/chart.png``). Only these are ever
read: a reference without a scheme, host or absolute path, that resolves (after following
symlinks) to a regular file inside the library, with an image file type, no larger than
:data:`MAX_IMAGE_BYTES`. Everything else an article might name (remote images, ``file:``,
``..`` leading out, absolute paths, symlinks leading out, devices and FIFOs) is refused
without being opened. The reading pane's document (``reader.ui.article_document``) loads what
this allows; the HTML export embeds it as a ``data:`` URI.
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
IMAGE_SUFFIXES = frozenset(IMAGE_TYPES)
MAX_IMAGE_BYTES = 8 * 1024 * 1024


def reference_path(reference: str) -> str | None:
    """The relative file path a reference names (percent-decoded, without query and
    fragment), or None when it has a scheme or host, or is absolute or empty."""
    reference = (reference or "").strip()
    if not reference:
        return None
    try:
        parts = urlsplit(reference)
    except ValueError:  # e.g. an unbalanced "[" where a host would be
        return None
    if parts.scheme or parts.netloc or reference.startswith(("//", "\\\\")):
        return None
    path = unquote(parts.path)
    if not path or path.startswith(("/", "\\")) or ":" in path.split("/")[0]:
        return None
    return path


def library_image(library: Path | None, base: Path | None, reference: str) -> Path | None:
    """The image file inside ``library`` that ``reference`` (relative to the folder ``base``
    of the article) names, or None when the article may not show it."""
    if library is None or base is None:
        return None
    path = reference_path(reference)
    if path is None:
        return None
    try:
        target = (base / path).resolve(strict=True)
        target.relative_to(library.resolve())
        info = target.stat()
    except (OSError, ValueError, RuntimeError):  # missing, outside, a loop, a NUL in the name
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_IMAGE_BYTES or target.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return target


def _is_image(data: bytes, mime: str) -> bool:
    """Whether ``data`` is what its file type says (so a data: URI never lies about it)."""
    if mime == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if mime == "image/gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    if mime == "image/bmp":
        return data.startswith(b"BM")
    if mime == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    if mime == "image/svg+xml":
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return head.startswith(b"<") and b"<svg" in data[:65536].lower()
    return False


def image_data_uri(library: Path | None, base: Path | None, reference: str) -> str | None:
    """``reference``'s image as a ``data:`` URI, when the article may show it and the file
    holds an image of its type; else None."""
    target = library_image(library, base, reference)
    if target is None:
        return None
    mime = IMAGE_TYPES[target.suffix.lower()]
    # Opened without following a symlink put there since, nor waiting on a FIFO; checked again.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(target, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_IMAGE_BYTES or not _is_image(data, mime):
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
