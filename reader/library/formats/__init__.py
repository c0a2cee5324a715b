"""Documents users keep as they are: PDF (OCR for scans), Word, OpenDocument, EPUB, saved pages.

Entry points (Qt-free; none raises for a bad file, every problem is named in
``Document.problems``):

``extract(path, progress=None, cancel=None, library=None) -> Document``
    In this process. ``progress(done, total)``; ``cancel`` is a ``threading.Event`` (or
    anything with ``is_set()``); a set cancel raises :class:`Cancelled`.
``extract_in_process(path, progress=None, cancel=None, limits=Limits(), library=None) -> Document``
    The same in a spawned child with a memory limit (RLIMIT_AS) and time limits: what the
    library should use for files it did not make (hostile PDFs exist).
``ExtractionCache(folder).get_or_extract(path, content_hash=None, progress=None, cancel=None, ...)``
    Cached by content hash and extractor version.
``document_to_markdown(doc) -> MarkdownText`` / ``document_to_article(doc, rel_path) -> Article``
    For the existing renderer.
``page_map(doc, rendered_text) -> PageMap | None``
    ``PageMap.page_at(offset) -> label`` over ``render_article(article).text``.
``is_document(path)``, ``DOCUMENT_SUFFIXES``
    For the scanner.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from reader.library.formats.cache import ExtractionCache
from reader.library.formats.document import (
    RESOURCE_PREFIX,
    Block,
    Cancelled,
    Document,
    ExtractionProblem,
    Metadata,
    Resource,
)
from reader.library.formats.process import Limits, extract_in_process
from reader.library.formats.registry import DOCUMENT_SUFFIXES, FORMATS, Format, detect, format_of
from reader.library.formats.to_markdown import MarkdownText, PageMap, document_to_markdown, page_map

__all__ = [
    "DOCUMENT_SUFFIXES", "FORMATS", "RESOURCE_PREFIX", "Block", "Cancelled", "Document", "ExtractionCache",
    "ExtractionProblem", "Format", "Limits", "MarkdownText", "Metadata", "PageMap", "Resource", "detect",
    "document_to_article", "document_to_markdown", "extract", "extract_in_process", "extractor_for",
    "format_of", "is_document", "page_map",
]


def is_document(path: Path) -> bool:
    """Whether the library should read ``path`` through this package (by its name; a
    ``.html`` only when saved with its ``NAME_files/`` folder)."""
    return format_of(path) is not None


def extractor_for(path: Path) -> str:
    """The extractor (``"pdf/1"``) that would read ``path``: part of the cache key."""
    found, _ = detect(path)
    return found.extractor if found is not None else "none/0"


def problem_document(path: Path, problem: str, fmt: Format | None = None, transient: bool = False) -> Document:
    found = fmt or format_of(path)
    doc = Document(found.name if found else path.suffix.lower().lstrip("."), extractor=found.extractor if found else "none/0")
    doc.problems.append(problem)
    doc.transient = transient
    return doc


def extract(path: Path, progress=None, cancel=None, library: Path | None = None) -> Document:
    """Read ``path`` here. Raises only :class:`Cancelled`."""
    path = Path(path)
    try:
        if not path.is_file():
            return problem_document(path, "not a regular file" if path.exists() else "file disappeared while reading")
        fmt, problem = detect(path)
        if fmt is None:
            return problem_document(path, problem)
        if fmt.name == "html":
            doc = fmt.extract(path, progress, cancel, library=library)
        else:
            doc = fmt.extract(path, progress, cancel)
        doc.extractor = fmt.extractor
        return doc
    except Cancelled:
        raise
    except ExtractionProblem as exc:
        return problem_document(path, exc.problem, fmt if "fmt" in locals() else None)
    except MemoryError:
        return problem_document(path, "too large: reading it needs more memory than the limit allows")
    except RecursionError:
        return problem_document(path, "nested too deeply to read")
    except OSError as exc:
        from reader.errors import os_problem

        return problem_document(path, f"cannot read: {os_problem(exc)}", transient=True)
    except Exception as exc:  # a reader's bug on an odd file: named, never a traceback for the user
        found = locals().get("fmt")
        doc = problem_document(path, f"could not be read (the {found.what if found else 'document'} reader failed: {type(exc).__name__})", found)
        doc.error_detail = traceback.format_exc()
        return doc


def document_to_article(doc: Document, rel_path: str, markdown: MarkdownText | None = None):
    """An :class:`reader.library.model.Article` (body = Markdown) for the renderer and the
    catalog: the title, authors, date and keywords (as tags) from the document's metadata,
    else the first heading, else the file name."""
    from reader.library.model import Article, Source
    from reader.search.folding import guess_lang

    markdown = markdown or document_to_markdown(doc)
    meta = doc.metadata
    article = Article(
        path=rel_path,
        title=doc.title or Path(rel_path).stem,
        date=meta.date,
        authors=list(meta.authors),
        tags=list(meta.keywords),
        sources=[Source(meta.title or doc.title, meta.source_url)] if meta.source_url else [],
        body=markdown.markdown,
        problems=list(doc.problems),
    )
    article.lang = guess_lang(article.title + markdown.markdown[:20000])
    return article
