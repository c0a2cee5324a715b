"""Which extractor reads a file: by its suffix, confirmed (or corrected) by its first bytes.

A file whose contents are another known format than its suffix says (a PDF saved as
``.docx``) is read as what it is; one whose contents match no format is listed with a
problem. A ``.html`` page is a *document* here only when a browser saved it "complete",
with its ``NAME_files/`` folder beside it; other ``.html`` files stay with the importer.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.library.formats import docx, epub, odt, pdf, web
from reader.library.formats.safety import OLE2_MAGIC


@dataclass(frozen=True)
class Format:
    name: str
    what: str  # in a user's words, for problems
    suffixes: tuple[str, ...]
    version: int
    extract: Callable[..., object]

    @property
    def extractor(self) -> str:
        return f"{self.name}/{self.version}"


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "PDF", pdf.SUFFIXES, pdf.VERSION, pdf.extract),
    "docx": Format("docx", "Word document", docx.SUFFIXES, docx.VERSION, docx.extract),
    "odt": Format("odt", "OpenDocument text", odt.SUFFIXES, odt.VERSION, odt.extract),
    "epub": Format("epub", "EPUB", epub.SUFFIXES, epub.VERSION, epub.extract),
    "mhtml": Format("mhtml", "web archive (.mhtml)", web.MHTML_SUFFIXES, web.VERSION, web.extract_mhtml),
    "html": Format("html", "saved web page", web.HTML_SUFFIXES, web.VERSION, web.extract_saved_html),
}

#: Suffixes that are always documents (``.html`` only with a ``_files/`` folder: see :func:`format_of`).
DOCUMENT_SUFFIXES: dict[str, str] = {s: f.name for f in FORMATS.values() if f.name != "html" for s in f.suffixes}


def sniff(path: Path) -> str | None:
    """The format the file's first bytes show, or None. ``"ole"`` is an OLE2 container (a
    password-protected Office file, or a pre-2007 .doc)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist()[:50_000])
                mimetype = b""
                if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                    mimetype = archive.read("mimetype").strip()
        except Exception:  # BadZipFile, a damaged member's decompressor error…
            return "damaged-zip"
        if mimetype == b"application/epub+zip" or "META-INF/container.xml" in names and not mimetype:
            return "epub"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            return "odt"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"mime-version:" in lowered[:2048] or b"content-type: multipart/related" in lowered[:2048] or lowered.startswith(b"from: <saved by"):
        return "mhtml"
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered[:1024]:
        return "html"
    return None


def format_of(path: Path) -> Format | None:
    """The format that should read ``path`` by its name alone (None: not a document)."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return FORMATS[DOCUMENT_SUFFIXES[suffix]]
    if suffix in web.HTML_SUFFIXES and web.saved_page_folder(path) is not None:
        return FORMATS["html"]
    return None


def detect(path: Path) -> tuple[Format | None, str]:
    """(format to read ``path`` with, problem). The suffix proposes, the contents decide."""
    expected = format_of(path)
    if expected is None:
        return None, "not a document Reader can read"
    actual = sniff(path)
    if actual == expected.name:
        return expected, ""
    if actual == "ole" and expected.name in ("docx", "odt"):
        return expected, ""  # the extractor names it (password-protected)
    if actual == "damaged-zip" and expected.name in ("docx", "odt", "epub"):
        return expected, ""  # the extractor names the damage
    if actual in FORMATS and actual not in ("html",) and expected.name != "html":
        return FORMATS[actual], ""
    if expected.name in ("mhtml", "html") and actual in (None, "html", "mhtml"):
        return (FORMATS[actual] if actual in ("mhtml", "html") else expected), ""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        return None, "empty file"
    if actual == "zip":
        return None, f"not a {expected.what}: it is a zip archive of something else"
    return None, f"not a {expected.what}: the file's contents are not a {path.suffix.lower()}"
