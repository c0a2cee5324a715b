"""What the reading pane and the exports need of an article read from a document.

A document-derived article (``Article.extracted``: a PDF, Word, OpenDocument, EPUB or saved
web page read in place) names its pictures ``reader-embedded/NAME``: they live in the
extracted document, not in the library. :func:`embedded_image` serves one (for the reading
pane); :func:`export_images` gives the HTML export a private folder holding them, so the
export embeds them as ``data:`` URIs by its one rule for library images
(:mod:`reader.render.resources`). :func:`pages_for` gives passages and exports a
``page_at(offset)`` for paged sources. Qt-free.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from reader.library.model import Article

RESOURCE_PREFIX = "reader-embedded/"  # reader.library.formats.RESOURCE_PREFIX (not imported: cheap)
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")reader-embedded/([^"]+)(")', re.IGNORECASE)


def embedded_image(article: Article | None, reference: str) -> tuple[str, bytes] | None:
    """(MIME type, bytes) of the picture ``reference`` (``reader-embedded/NAME``, as the
    article's HTML names it) when the article's document holds it and it really is an image
    of a type the reading pane shows (PNG, JPEG, GIF, BMP, WebP, SVG); else None."""
    from urllib.parse import unquote

    from reader.render.resources import IMAGE_TYPES, MAX_IMAGE_BYTES, _is_image

    if article is None or article.extracted is None or not reference.startswith(RESOURCE_PREFIX):
        return None
    resource = article.extracted.document.resource(unquote(reference[len(RESOURCE_PREFIX):]))
    if resource is None or resource.mime not in set(IMAGE_TYPES.values()) or len(resource.data) > MAX_IMAGE_BYTES:
        return None
    if not _is_image(resource.data, resource.mime):
        return None
    return resource.mime, resource.data


@contextlib.contextmanager
def export_images(article: Article, body_html: str) -> Iterator[tuple[str, Path | None]]:
    """(``body_html`` with its document pictures renamed, a folder holding them) for
    :func:`reader.render.export.export_page` (``library=folder, base=folder``); the folder is
    a private temporary one, removed afterwards (nothing is written into the library or the
    data folder). Without embedded pictures: (``body_html``, None)."""
    from reader.render.resources import IMAGE_TYPES

    if article.extracted is None or RESOURCE_PREFIX not in body_html:
        yield body_html, None
        return
    suffix_of = {mime: suffix for suffix, mime in reversed(list(IMAGE_TYPES.items()))}
    with tempfile.TemporaryDirectory(prefix="reader-export-") as folder:
        root = Path(folder)
        (root / "reader-embedded").mkdir()
        written: dict[str, str] = {}

        def rename(match: re.Match) -> str:
            reference = RESOURCE_PREFIX + match.group(2)
            if reference not in written:
                found = embedded_image(article, reference)
                if found is None:
                    return match.group(0)  # left out by the export, which says so
                mime, data = found
                name = f"{len(written) + 1}{suffix_of[mime]}"
                (root / "reader-embedded" / name).write_bytes(data)
                written[reference] = name
            return f"{match.group(1)}reader-embedded/{written[reference]}{match.group(3)}"

        yield _IMG_SRC.sub(rename, body_html), root


def pages_for(_path: str, rendered):
    """``page_at(offset)`` (the printed page label) of a rendered paged article, else None:
    the ``pages`` argument of :func:`reader.search.passages.passages` and of
    :func:`reader.exporting.export_annotations`."""
    pages = getattr(rendered, "pages", None)
    return pages.page_at if pages is not None else None


def search_text(article: Article) -> str:
    """The words of a document-derived article for the search index: every block's text as
    the reader shows it (headings, paragraphs, list items, table cells, quotations, picture
    descriptions), then its footnotes, one block per line. Taken from the document itself
    rather than from its Markdown, so footnotes (a PDF's citations) are searchable too."""
    from reader.library.formats.document import CODE, FOOTNOTE, HEADING, IMAGE, MARKDOWN, TABLE_ROW
    from reader.search.documents import markdown_search_text

    if article.extracted is None:
        return markdown_search_text(article.body)
    blocks = article.extracted.document.blocks
    title_dropped = bool(getattr(article.extracted.markdown, "title_dropped", False))
    out: list[str] = []
    first = True
    for block in blocks:
        if block.kind == FOOTNOTE:
            continue
        if first:
            first = False
            if title_dropped and block.kind == HEADING:
                continue  # the title, shown (and indexed) as the title, not as body text
        if block.kind == TABLE_ROW:
            out.append("\n".join(cell for cell in block.cells if cell))
        elif block.kind == MARKDOWN:
            out.append(markdown_search_text(block.text))
        elif block.kind in (CODE, IMAGE) or block.text:
            out.append(block.text)
    out += [block.text for block in blocks if block.kind == FOOTNOTE and block.text]
    return "\n".join(part for part in out if part)
