"""Citations in CSL styles (the Citation Style Language Zotero uses), rendered by citeproc-py.

Entry points::

    from reader.citations import cite, citation, copy_with_citation, metadata, available_styles

    meta = metadata(article, {"journal": "月旦法學雜誌", "volume": "350", "pages": "45-60"})
    plain, html = cite(meta, "taiwan-law-journal", location)     # location: reader.locator.Location
    plain, html = copy_with_citation(quote, meta, "apa", location)
    styles, problems = available_styles(user_styles_dir(paths.root))
    made = quote_span(article, rendered, start, end, "apa")   # "Copy with citation" of a span
"""

from reader.citations.metadata import CitationMeta, metadata
from reader.citations.quote import (
    QuotedCitation,
    quote_annotation,
    quote_from_library,
    quote_span,
    quote_unplaced,
)
from reader.citations.render import Citation, citation, cite, copy_with_citation, csl_locator
from reader.citations.styles import (
    DEFAULT_STYLE,
    StyleInfo,
    StyleProblem,
    add_user_style,
    available_styles,
    find_style,
    user_styles_dir,
)

__all__ = [
    "DEFAULT_STYLE", "Citation", "CitationMeta", "QuotedCitation", "StyleInfo", "StyleProblem", "add_user_style",
    "available_styles", "citation", "cite", "copy_with_citation", "csl_locator", "find_style", "metadata", "quote_annotation",
    "quote_from_library", "quote_span", "quote_unplaced", "user_styles_dir",
]
