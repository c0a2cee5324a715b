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
from reader.library.model import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    MAX_DOCUMENT_BYTES,
    Article,
    Extracted,
)

ENCODING_UNCERTAIN = "encoding uncertain"
DISAPPEARED = "file disappeared while reading"


@dataclass
class LoadedFile:
    article: Article
    #: The version annotations are anchored to and the index and catalog compare: the
    #: file's SHA-256, for a document that of the file's hash and the extractor's version
    #: (:func:`document_version`), so an improved extractor re-anchors as an edit does.
    content_hash: str
    size: int
    mtime_ns: int
    encoding: str = ""
    extractor: str = ""  # documents: "pdf/1", the extractor that read it
    transient: bool = False  # documents: the problem depends on this machine (no Tesseract yet)


@dataclass
class DocumentSource:
    """How a library reads its documents (PDF, Word, OpenDocument, EPUB, saved pages).

    ``cache_dir``: the extraction cache (``DataPaths.extracted_dir``; None: extracted every
    time); ``store``: new extractions are written to it (``reader doctor`` only reads it);
    ``library``: the library folder (a saved page's pictures must be inside it);
    ``logs_dir``: where a reader's traceback on an odd file is saved; ``in_process``: in a
    child process with time and memory limits (False: here, for tests and benchmarks)."""

    cache_dir: Path | None = None
    library: Path | None = None
    logs_dir: Path | None = None
    store: bool = True
    in_process: bool = True
    limits: object = None  # reader.library.formats.Limits


def document_version(file_hash: str, extractor: str) -> str:
    """What a document's annotations are anchored to: its file and the extractor's version
    (a new version may extract other text, so annotations re-anchor as after an edit)."""
    if not file_hash:
        return ""
    return hashlib.sha256(f"reader-document\n{file_hash}\n{extractor}".encode("ascii", "replace")).hexdigest()


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


def load_file(
    path: Path,
    rel_path: str,
    encoding: str | None = None,
    documents: DocumentSource | None = None,
    progress=None,
    cancel=None,
) -> LoadedFile:
    """Read and parse a file. Problems (empty, binary, too large, unreadable) are recorded on
    the article; only the article's title then comes from the file name.

    A document (:func:`reader.library.scanning.is_document_path`) is extracted through
    ``documents`` (its cache); ``progress(done, total)`` and ``cancel`` (an Event) reach the
    extraction, and a set cancel raises :class:`reader.library.formats.Cancelled`."""
    from reader.library.scanning import is_document_path

    placeholder = Article(path=rel_path, title=Path(rel_path).stem)
    try:
        info = path.stat()
    except OSError as exc:
        placeholder.problems.append(_os_problem(exc, path))
        return LoadedFile(placeholder, "", 0, 0)
    if not stat.S_ISREG(info.st_mode):
        placeholder.problems.append("not a regular file")
        return LoadedFile(placeholder, "", 0, info.st_mtime_ns)
    if is_document_path(path):
        return load_document(path, rel_path, info, documents or DocumentSource(), progress, cancel)
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


def load_document(path: Path, rel_path: str, info: os.stat_result, source: DocumentSource, progress=None, cancel=None) -> LoadedFile:
    """A document read in place: extracted (or taken from the cache), as an article whose
    body is the extracted Markdown and whose ``extracted`` keeps the document (pages,
    pictures). Nothing is ever written next to the file."""
    from reader.library.formats import document_to_article, document_to_markdown
    from reader.library.formats.cache import file_hash

    placeholder = Article(path=rel_path, title=Path(rel_path).stem)
    if info.st_size > MAX_DOCUMENT_BYTES:
        mib = 1024 * 1024
        placeholder.problems.append(f"too large ({info.st_size // mib} MB; the limit for documents is {MAX_DOCUMENT_BYTES // mib} MB)")
        return LoadedFile(placeholder, "", info.st_size, info.st_mtime_ns)
    try:
        digest = file_hash(path)  # streamed: a large scan is never held in memory to hash it
    except OSError as exc:
        placeholder.problems.append(_os_problem(exc, path))
        return LoadedFile(placeholder, "", info.st_size, info.st_mtime_ns, transient=True)
    doc = _extract(path, digest, source, progress, cancel)
    markdown = document_to_markdown(doc)
    article = document_to_article(doc, rel_path, markdown)
    article.extracted = Extracted(doc, markdown, digest)
    if doc.error_detail:
        log = _save_error_detail(source.logs_dir, path, doc.error_detail)
        if log is not None and article.problems:
            article.problems[-1] += f"; details were saved in {log}"
    # What this machine could not read yet (a scan before Tesseract is installed) is another
    # version than the full reading: the index and the annotations take the full one as a change.
    version = document_version(digest, doc.extractor + (" incomplete" if doc.transient else ""))
    return LoadedFile(article, version, info.st_size, info.st_mtime_ns, extractor=doc.extractor, transient=doc.transient)


def _extract(path: Path, digest: str, source: DocumentSource, progress, cancel):
    from reader.library.formats import ExtractionCache, extract, extract_in_process, extractor_for

    library = source.library
    cache = ExtractionCache(source.cache_dir) if source.cache_dir is not None else None
    if cache is not None and source.store:
        return cache.get_or_extract(path, digest, progress, cancel, source.in_process, source.limits, library)
    extractor = extractor_for(path)
    if cache is not None and not extractor.startswith("html/"):
        cached = cache.get(digest, extractor)
        if cached is not None:
            return cached
    if source.in_process:
        return extract_in_process(path, progress, cancel, source.limits, library)
    return extract(path, progress, cancel, library)


def _save_error_detail(folder: Path | None, path: Path, detail: str) -> Path | None:
    """Keep a reader's traceback for a bug report (never shown); the file's name, or None."""
    import datetime as dt

    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        log = folder / f"extract-{stamp}-{hashlib.sha1(os.fsencode(path)).hexdigest()[:8]}.txt"
        log.write_text(f"{path}\n\n{detail}", encoding="utf-8", errors="backslashreplace")
        return log
    except OSError:
        return None


def _os_problem(exc: OSError, path: Path) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: cannot read the file"
    if isinstance(exc, FileNotFoundError):
        return "broken symlink: the target does not exist" if os.path.islink(path) else DISAPPEARED
    if exc.errno == 40:  # ELOOP
        return "symlink loop"
    return f"cannot read: {exc.strerror or exc}"
