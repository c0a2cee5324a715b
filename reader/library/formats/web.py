"""Saved web pages: single-file ``.mhtml``/``.mht`` archives and "complete" ``.html`` saves.

Both go through the HTML importer's cleaning (:func:`reader.library.html_page.convert_html`:
readability, site chrome removed, markdownify), so a page reads the same whether imported or
read in place. That importer drops pictures; here each ``<img>`` that can be served safely is
replaced by a placeholder before conversion and by a Markdown image of the embedded resource
after it.

The sandbox: nothing is fetched. An MHTML page's pictures come only from the archive's own
parts; parts and references that name local files (``file:``) are never used, and remote
references that the archive does not hold are dropped. A saved page's pictures come only
from its ``NAME_files/`` folder (after resolving symlinks), never from elsewhere on disk.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import html as html_lib
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from reader.library.formats.document import (
    MARKDOWN,
    RESOURCE_PREFIX,
    Block,
    Document,
    ExtractionProblem,
)
from reader.library.formats.text import clean, iso_date, split_authors

VERSION = 1
MHTML_SUFFIXES = (".mhtml", ".mht")
HTML_SUFFIXES = (".html", ".htm")
MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_MIME = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
IMAGE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
_CODEC_FOR = {"big5": "cp950", "big5hkscs": "big5hkscs", "gb2312": "gb18030", "gbk": "gb18030", "ascii": "utf_8"}
_TOKEN = "\ue000{}\ue001"
_TOKEN_RE = re.compile("\ue000(\\d+)\ue001")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip('"').lower()).name.replace("-", "_")
    except (LookupError, ValueError):
        return None
    return _CODEC_FOR.get(name, name)


def _meta_charset(data: bytes) -> str | None:
    match = re.search(rb"<meta[^>]{0,200}charset\s*=\s*[\"']?([A-Za-z0-9_\-]{2,20})", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


def decode_page(data: bytes, declared: str | None) -> tuple[str, str]:
    """(text, problem) of a page's bytes: the declared charset (Big5 as cp950), else the
    page's own <meta charset>, else the importer's detection. Never replaces characters."""
    from reader.library.encodings import DecodeError, decode

    for charset in (declared, _meta_charset(data)):
        codec = _codec(charset)
        if codec is None:
            continue
        try:
            return data.decode(codec), ""
        except UnicodeDecodeError:
            continue
    try:
        decoded = decode(data)
    except DecodeError as exc:
        return "", f"the page's text cannot be decoded ({exc})"
    problem = f"encoding uncertain (read as {decoded.encoding})" if decoded.uncertain else ""
    return decoded.text, problem


def _convert(doc: Document, page: str, resolve) -> None:
    """Clean ``page`` into Markdown with the importer; ``resolve(src) -> (resource name, alt)``
    or None for each picture."""
    import lxml.html

    from reader.library.html_page import convert_html

    alts: list[tuple[str, str]] = []
    text = page
    if "<img" in page.lower():
        try:
            tree = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
        except (ValueError, Exception):  # lxml's ParserError for a page with no elements
            tree = None
        if tree is not None:
            for image in list(tree.iter("img")):
                found = resolve(image.get("src") or "")
                if found is None:
                    image.drop_tree()
                    continue
                alts.append((found, clean(image.get("alt") or "")))
                tail = image.tail
                image.clear()
                image.tag = "span"
                image.text = _TOKEN.format(len(alts) - 1)
                image.tail = tail
            text = lxml.html.tostring(tree, encoding="unicode")
    from lxml.etree import ParserError

    try:
        article = convert_html(text, "")
    except ParserError:  # convert_html raises on a page with no elements at all ("<html")
        doc.problems.append("the page has no readable text")
        return
    body = article.body
    if alts:
        from reader.library.formats.to_markdown import escape

        def image(match: re.Match) -> str:
            name, alt = alts[int(match.group(1))]
            return f"![{escape(alt)}]({RESOURCE_PREFIX}{name})"

        body = _TOKEN_RE.sub(image, body)
    body = body.replace("\ue000", "").replace("\ue001", "")
    doc.blocks = [Block(MARKDOWN, body)] if body.strip() else []
    meta = doc.metadata
    meta.title = article.title or _og(page, "og:title")
    meta.authors = article.authors or split_authors(_og(page, "article:author"))
    meta.date = article.date or iso_date(_og(page, "article:published_time"))
    meta.keywords = list(article.tags)
    meta.source_url = meta.source_url or _og(page, "og:url")
    if not doc.blocks:
        doc.problems.append("the page has no readable text")


def _og(page: str, name: str) -> str:
    pattern = rf'<meta[^>]{{0,300}}?(?:property|name)\s*=\s*["\']{re.escape(name)}["\'][^>]{{0,300}}?content\s*=\s*["\']([^"\']{{0,500}})'
    match = re.search(pattern, page[:200_000], re.I)
    if not match:
        reverse = rf'<meta[^>]{{0,300}}?content\s*=\s*["\']([^"\']{{0,500}})["\'][^>]{{0,300}}?(?:property|name)\s*=\s*["\']{re.escape(name)}["\']'
        match = re.search(reverse, page[:200_000], re.I)
    return clean(html_lib.unescape(match.group(1))) if match else ""


# -- MHTML ------------------------------------------------------------------------------------


def _location(part) -> str:
    return (part.get("Content-Location", "") or "").strip()


def _content_id(part) -> str:
    return (part.get("Content-ID", "") or "").strip().strip("<>")


def extract_mhtml(path: Path, progress=None, cancel=None) -> Document:
    doc = Document("mhtml", extractor=f"mhtml/{VERSION}")
    try:
        size = path.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            raise ExtractionProblem(f"refused web archive: {size // (1024 * 1024)} MB (the limit is {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionProblem(f"cannot read: {exc.strerror or exc}") from exc
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        parts = [p for p in message.walk() if not p.is_multipart()][:5000]
        root = _root_part(message, parts)
    except ExtractionProblem:
        raise
    except Exception as exc:  # the email package on a malformed archive: a damaged file
        raise ExtractionProblem("damaged web archive (.mhtml): its MIME structure cannot be read") from exc
    if root is None:
        raise ExtractionProblem("not a web archive: no HTML page in the .mhtml")
    page_location = _location(root) or (message.get("Snapshot-Content-Location", "") or "").strip()
    doc.metadata.source_url = page_location if page_location.startswith(("http://", "https://")) else ""
    try:
        payload = root.get_payload(decode=True) or b""
        charset = root.get_content_charset()
    except Exception as exc:  # an undecodable transfer encoding
        raise ExtractionProblem("damaged web archive (.mhtml): the page cannot be unpacked") from exc
    page, problem = decode_page(payload, charset)
    if problem:
        doc.problems.append(problem)
        if not page:
            return doc
    served: dict[str, object] = {}
    local_parts = 0
    for part in parts:
        if part is root:
            continue
        location, cid = _location(part), _content_id(part)
        if location.lower().startswith("file:"):
            local_parts += 1
            continue  # a part that names a local file is never used
        if part.get_content_type() not in IMAGE_MIME:
            continue
        if location:
            served[location] = part
        if cid:
            served[f"cid:{cid}"] = part
    local_refs = 0

    def resolve(src: str) -> str | None:
        nonlocal local_refs
        src = src.strip()
        if not src:
            return None
        full = urljoin(page_location, src) if page_location and not src.lower().startswith(("cid:", "data:")) else src
        if src.lower().startswith("file:") or full.lower().startswith("file:"):
            local_refs += 1
            return None
        part = served.get(src) or served.get(full)
        if part is None:
            return None  # remote and not in the archive: never fetched
        try:
            image = part.get_payload(decode=True) or b""
        except Exception:  # a damaged base64 part: the picture is left out
            return None
        if not image or len(image) > MAX_IMAGE_BYTES:
            return None
        name = urlsplit(full).path.rsplit("/", 1)[-1] or "image"
        return doc.add_resource(name, part.get_content_type(), image)

    _convert(doc, page, resolve)
    if local_parts or local_refs:
        doc.problems.append(f"the archive names local files (file:) {local_parts + local_refs} times; they were not read")
    if progress is not None:
        progress(1, 1)
    return doc


def _root_part(message, parts):
    if not message.is_multipart():
        return message if message.get_content_type() in ("text/html", "application/xhtml+xml") else None
    start = (message.get_param("start") or "") if hasattr(message, "get_param") else ""
    if isinstance(start, tuple):
        start = start[-1]
    start = str(start).strip().strip("<>")
    if start:
        for part in parts:
            if _content_id(part) == start or _location(part) == start:
                return part
    return next((p for p in parts if p.get_content_type() in ("text/html", "application/xhtml+xml")), None)


# -- saved "complete" pages ----------------------------------------------------------------------


def saved_page_folder(path: Path) -> Path | None:
    """The ``NAME_files/`` folder a browser saved beside ``NAME.html``, if there is one."""
    if path.suffix.lower() not in HTML_SUFFIXES:
        return None
    folder = path.with_name(path.stem + "_files")
    return folder if folder.is_dir() else None


def extract_saved_html(path: Path, progress=None, cancel=None, library: Path | None = None) -> Document:
    from reader.library.model import MAX_ARTICLE_BYTES

    doc = Document("html", extractor=f"html/{VERSION}")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ExtractionProblem(f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_ARTICLE_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionProblem(f"cannot read: {exc.strerror or exc}") from exc
    page, problem = decode_page(data, None)
    if problem:
        doc.problems.append(problem)
        if not page:
            return doc
    folder = saved_page_folder(path)
    try:
        allowed = folder.resolve(strict=True) if folder is not None else None
        root = library.resolve(strict=True) if library is not None else None
    except OSError:
        allowed = root = None
    total = [0]

    def resolve(src: str) -> str | None:
        if allowed is None:
            return None
        src = unquote(src.split("#", 1)[0].split("?", 1)[0]).strip()
        if not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith(("/", "\\")):
            return None  # remote, data:, file: or absolute: never read
        try:
            target = (path.parent / src).resolve(strict=True)
            target.relative_to(allowed)
            if root is not None:
                target.relative_to(root)
            info = target.stat()
        except (OSError, ValueError, RuntimeError):
            return None
        mime = IMAGE_SUFFIXES.get(target.suffix.lower())
        if mime is None or not target.is_file() or info.st_size > MAX_IMAGE_BYTES or total[0] + info.st_size > 10 * MAX_IMAGE_BYTES:
            return None
        try:
            image = target.read_bytes()
        except OSError:
            return None
        total[0] += len(image)
        return doc.add_resource(target.name, mime, image)

    _convert(doc, page, resolve)
    if progress is not None:
        progress(1, 1)
    return doc
