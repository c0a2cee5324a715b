"""What an article is, independent of where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

ARTICLE_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html"}
#: The suffixes of documents (reader.library.formats: its DOCUMENT_SUFFIXES and saved pages'),
#: here for the scan, which must not import every format's module to tell a file's kind
#: (a CLI rescan's critical path; tests/test_cold_search_shortcuts.py checks they agree).
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".odt", ".epub", ".mhtml", ".mht", ".html", ".htm"})

#: Files larger than this are listed with a problem rather than opened.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
#: The same for documents read in place (PDF, Word, EPUB…): a scanned PDF is easily 100 MB,
#: and a document is never read into memory whole to hash it (it is streamed).
MAX_DOCUMENT_BYTES = 500 * 1024 * 1024
#: Where the article itself was published, besides title, authors and date (front-matter
#: keys, and fields of the metadata the reader edits; citations use them).
PUBLICATION_FIELDS = ("url", "journal", "volume", "issue", "pages")


@dataclass
class Extracted:
    """Where a document-derived article came from: the extracted document
    (:class:`reader.library.formats.Document`: its blocks, page labels and embedded images)
    and its Markdown with the anchors that find its pages in the rendered text."""

    document: Any
    markdown: Any  # reader.library.formats.MarkdownText
    file_hash: str = ""  # SHA-256 of the file (the extraction cache's key)


@dataclass
class Source:
    title: str
    url: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url}


@dataclass
class Article:
    """One article: metadata plus its body as Markdown.

    ``path`` is the identity: the POSIX path relative to the library root.
    """

    path: str
    title: str = ""
    date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    lang: str = ""
    body: str = ""  # Markdown
    problems: list[str] = field(default_factory=list)
    #: The article's own address and publication (``url``, ``journal``, ``volume``,
    #: ``issue``, ``pages``: texts), from its front matter or the reader's edits.
    publication: dict[str, str] = field(default_factory=dict)
    #: Set for an article read from a document (PDF, Word, EPUB, saved page); never stored.
    extracted: Extracted | None = field(default=None, repr=False, compare=False)

    @property
    def paged(self) -> bool:
        """Whether the article comes from a paged source (a PDF): its offsets have pages."""
        return self.extracted is not None and bool(getattr(self.extracted.document, "paged", False))

    @property
    def source_label(self) -> str:
        """The site of the first source with a URL ("commerce.gov"), for the article list."""
        for source in self.sources:
            host = urlparse(source.url).hostname if source.url else ""
            if host:
                return host.removeprefix("www.")
        return ""

    def meta_dict(self) -> dict:
        return {
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "authors": list(self.authors),
            "tags": list(self.tags),
            "sources": [s.to_dict() for s in self.sources],
            "problems": list(self.problems),
        }
