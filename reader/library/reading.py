"""Read one library file into an :class:`Article`, naming every problem instead of raising."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from reader.library import frontmatter
from reader.library.encodings import DecodeError, decode
from reader.library.model import ARTICLE_SUFFIXES, MAX_ARTICLE_BYTES, Article

ENCODING_UNCERTAIN = "encoding uncertain"
DISAPPEARED = "file disappeared while reading"


@dataclass
class LoadedFile:
    article: Article
    content_hash: str
    size: int
    mtime_ns: int
    encoding: str = ""


def text_to_markdown(text: str) -> tuple[str, str]:
    """(title, body) of a plain-text article: the first line is the title, the rest is prose.

    Characters Markdown would treat as markup are escaped so the text reads as written.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[start].strip() if start < len(lines) else ""
    if len(title) > 200:
        title, rest = "", lines[start:]
    else:
        rest = lines[start + 1 :]
    body = "\n".join(rest).strip("\n")
    body = re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", body)
    body = re.sub(r"(?m)^(\s*)(\d+)\.(\s)", r"\1\2\\.\3", body)  # "1. " stays text, not a list
    body = re.sub(r"(?m)^(\s*)([-+])(\s)", r"\1\\\2\3", body)
    return title, body


def article_from_text(text: str, kind: str, rel_path: str) -> Article:
    """Parse decoded file text of the given kind (markdown | text | html)."""
    from reader.search.folding import guess_lang

    if kind == "html":
        from reader.library.html_page import convert_html

        article = convert_html(text, rel_path)
    elif kind == "text":
        from reader.library.seed_page import convert_seed_page, looks_like_seed_page

        if looks_like_seed_page(text):
            article = convert_seed_page(text, rel_path)
        else:
            title, body = text_to_markdown(text)
            article = Article(path=rel_path, title=title, body=body)
    else:
        article = Article(path=rel_path)
        meta, body = frontmatter.split(text.lstrip("\ufeff"))
        article.body = body.strip("\n")
        if meta is not None:
            try:
                frontmatter.apply(meta, article)
            except frontmatter.FrontMatterError as exc:
                article.problems.append(str(exc))
            uncertain = re.search(r"(?m)^encoding_uncertain:\s*(\S+)", meta)
            if uncertain:
                article.problems.append(f"{ENCODING_UNCERTAIN} (imported as {uncertain.group(1)}; re-import with --encoding NAME)")
        if not article.title:
            heading = re.search(r"(?m)^#\s+(.+?)\s*#*\s*$", article.body)
            if heading:
                article.title = heading.group(1)
    if not article.title:
        article.title = Path(rel_path).stem
    if not article.lang:
        article.lang = guess_lang(article.title + article.body)
    return article


def load_file(path: Path, rel_path: str, encoding: str | None = None) -> LoadedFile:
    """Read and parse a file. Problems (empty, binary, too large, unreadable) are recorded on
    the article; only the article's title then comes from the file name."""
    placeholder = Article(path=rel_path, title=Path(rel_path).stem)
    try:
        info = path.stat()
    except OSError as exc:
        placeholder.problems.append(_os_problem(exc, path))
        return LoadedFile(placeholder, "", 0, 0)
    if not stat.S_ISREG(info.st_mode):
        placeholder.problems.append("not a regular file")
        return LoadedFile(placeholder, "", 0, info.st_mtime_ns)
    if info.st_size > MAX_ARTICLE_BYTES:
        placeholder.problems.append(f"too large ({info.st_size // (1024 * 1024)} MB; the limit is {MAX_ARTICLE_BYTES // (1024 * 1024)} MB)")
        return LoadedFile(placeholder, "", info.st_size, info.st_mtime_ns)
    try:
        data = path.read_bytes()
    except OSError as exc:
        placeholder.problems.append(_os_problem(exc, path))
        return LoadedFile(placeholder, "", info.st_size, info.st_mtime_ns)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        placeholder.problems.append("empty file")
        return LoadedFile(placeholder, digest, len(data), info.st_mtime_ns)
    try:
        decoded = decode(data, encoding)
    except DecodeError as exc:
        placeholder.problems.append(str(exc))
        return LoadedFile(placeholder, digest, len(data), info.st_mtime_ns)
    if "\x00" in decoded.text:
        placeholder.problems.append("contains NUL bytes: binary data, not text")
        return LoadedFile(placeholder, digest, len(data), info.st_mtime_ns)
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower(), "text")
    article = article_from_text(decoded.text, kind, rel_path)
    if decoded.uncertain:
        article.problems.append(f"{ENCODING_UNCERTAIN} (read as {decoded.encoding}; re-import with --encoding NAME)")
    return LoadedFile(article, digest, len(data), info.st_mtime_ns, decoded.encoding)


def _os_problem(exc: OSError, path: Path) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: cannot read the file"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink: the target does not exist" if os.path.islink(path) else DISAPPEARED
    if exc.errno == 40:  # ELOOP
        return "symlink loop"
    return f"cannot read: {exc.strerror or exc}"
