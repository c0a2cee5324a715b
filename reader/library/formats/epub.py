"""EPUB 2 and 3: the OCF zip, its package (OPF), navigation (nav document or NCX) and chapters.

Chapters are read in spine order (the manifest's order means nothing). The table of
contents supplies headings: a chapter whose TOC title is not already its first heading gets
that title as a heading, at the TOC's depth. Footnotes (``epub:type="footnote"`` targets of
``noteref`` links) become footnotes; pictures are served from the book.

DRM: an ``META-INF/encryption.xml`` that encrypts anything but fonts (font obfuscation, by
the IDPF or Adobe algorithm, is not DRM), a ``META-INF/rights.xml`` (Adobe ADEPT) or a
Readium LCP licence means the text cannot be read: the book is listed as DRM-protected.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from reader.library.formats.document import (
    HEADING,
    Block,
    Document,
    ExtractionProblem,
    check_cancel,
)
from reader.library.formats.htmlblocks import EPUB_NS, HtmlBlocks
from reader.library.formats.safety import SafeZip, parse_xml
from reader.library.formats.text import clean, collapse, iso_date

VERSION = 1
SUFFIXES = (".epub",)
WHAT = "EPUB"
DRM = "DRM-protected EPUB: its chapters are encrypted, so Reader cannot read them"

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
ENC = "http://www.w3.org/2001/04/xmlenc#"
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2", ".eot")
IMAGE_MIME = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
XHTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


def _drm(archive: SafeZip) -> str:
    if archive.has("META-INF/rights.xml") or archive.has("META-INF/license.lcpl"):
        return DRM
    if not archive.has("META-INF/encryption.xml"):
        return ""
    root = parse_xml(archive.read("META-INF/encryption.xml", 4_000_000), WHAT, "META-INF/encryption.xml")
    for data in root.iter(f"{{{ENC}}}EncryptedData"):
        method = data.find(f"{{{ENC}}}EncryptionMethod")
        algorithm = method.get("Algorithm") if method is not None else ""
        reference = data.find(f".//{{{ENC}}}CipherReference")
        uri = unquote(reference.get("URI") or "") if reference is not None else ""
        if algorithm in FONT_OBFUSCATION or uri.lower().endswith(FONT_SUFFIXES):
            continue
        return DRM
    return ""


def _parse_page(data: bytes, name: str):
    """An XHTML document; an HTML parser for books whose "XHTML" is not XML (``&nbsp;``)."""
    try:
        return parse_xml(data, WHAT, name)
    except ExtractionProblem:
        import lxml.html

        try:
            return lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(huge_tree=False, no_network=True))
        except (ValueError, Exception) as exc:  # lxml's ParserError: an empty or unreadable page
            raise ExtractionProblem(f"damaged {WHAT}: {name[:80]} cannot be read") from exc


class _Book:
    def __init__(self, archive: SafeZip, doc: Document, cancel) -> None:
        self.archive, self.doc, self.cancel = archive, doc, cancel
        self.opf_path = self._rootfile()
        self.opf = parse_xml(archive.read(self.opf_path, 16_000_000), WHAT, self.opf_path)
        base = posixpath.dirname(self.opf_path)
        self.manifest: dict[str, tuple[str, str, str]] = {}  # id -> (zip path, media type, properties)
        for item in self.opf.iter(f"{{{OPF}}}item"):
            href = unquote(item.get("href") or "")
            self.manifest[item.get("id") or ""] = (posixpath.normpath(posixpath.join(base, href)), item.get("media-type") or "", item.get("properties") or "")
        spine = self.opf.find(f"{{{OPF}}}spine")
        self.spine = [ref.get("idref") or "" for ref in (spine.iter(f"{{{OPF}}}itemref") if spine is not None else [])]
        self.ncx_id = spine.get("toc") if spine is not None else None
        self.by_path = {path: mime for path, mime, _ in self.manifest.values()}

    def _rootfile(self) -> str:
        if self.archive.has("META-INF/container.xml"):
            root = parse_xml(self.archive.read("META-INF/container.xml", 1_000_000), WHAT, "META-INF/container.xml")
            for rootfile in root.iter(f"{{{CONTAINER}}}rootfile"):
                path = unquote(rootfile.get("full-path") or "")
                if self.archive.has(path):
                    return path
        opfs = [n for n in self.archive.names() if n.lower().endswith(".opf")]
        if opfs:
            return opfs[0]
        raise ExtractionProblem(f"damaged {WHAT}: it has no package document (content.opf)")

    def metadata(self) -> None:
        meta = self.doc.metadata
        titles = [clean(t.text or "") for t in self.opf.iter(f"{{{DC}}}title") if (t.text or "").strip()]
        meta.title = titles[0] if titles else ""
        meta.authors = [clean(c.text or "") for c in self.opf.iter(f"{{{DC}}}creator") if (c.text or "").strip()]
        dates = [d.text or "" for d in self.opf.iter(f"{{{DC}}}date") if (d.text or "").strip()]
        meta.date = iso_date(dates[0]) if dates else ""
        langs = [x.text or "" for x in self.opf.iter(f"{{{DC}}}language") if (x.text or "").strip()]
        meta.lang = clean(langs[0]) if langs else ""
        meta.keywords = [clean(s.text or "") for s in self.opf.iter(f"{{{DC}}}subject") if (s.text or "").strip()]

    def toc(self) -> tuple[list[tuple[str, str, int]], str]:
        """[(zip path, fragment, depth) with title…] and the nav document's path."""
        nav_path = next((p for p, _, props in self.manifest.values() if "nav" in props.split()), "")
        entries: list[tuple[str, str, str, int]] = []
        if nav_path and self.archive.has(nav_path):
            root = _parse_page(self.archive.read(nav_path), nav_path)
            navs = [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == "nav"]
            toc = next((n for n in navs if "toc" in (n.get(f"{{{EPUB_NS}}}type") or n.get("epub:type") or "").split()), navs[0] if navs else None)
            if toc is not None:
                self._nav_entries(toc, posixpath.dirname(nav_path), 0, entries)
        if not entries and self.ncx_id and self.ncx_id in self.manifest:
            ncx_path = self.manifest[self.ncx_id][0]
            if self.archive.has(ncx_path):
                root = parse_xml(self.archive.read(ncx_path), WHAT, ncx_path)
                nav_map = root.find(f"{{{NCX}}}navMap")
                if nav_map is not None:
                    self._ncx_entries(nav_map, posixpath.dirname(ncx_path), 0, entries)
        return entries, nav_path

    def _nav_entries(self, element, base: str, depth: int, out: list) -> None:
        for child in element:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "li":
                link = next((e for e in child if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] in ("a", "span")), None)
                if link is not None and link.get("href"):
                    path, _, fragment = unquote(link.get("href") or "").partition("#")
                    out.append((posixpath.normpath(posixpath.join(base, path)), fragment, clean("".join(link.itertext())), depth))
                for sub in child:
                    if isinstance(sub.tag, str) and sub.tag.rsplit("}", 1)[-1] == "ol":
                        self._nav_entries(sub, base, depth + 1, out)
            elif tag in ("ol", "nav"):
                self._nav_entries(child, base, depth, out)

    def _ncx_entries(self, element, base: str, depth: int, out: list) -> None:
        for point in element.findall(f"{{{NCX}}}navPoint"):
            label = point.find(f"{{{NCX}}}navLabel/{{{NCX}}}text")
            content = point.find(f"{{{NCX}}}content")
            if content is not None and content.get("src"):
                path, _, fragment = unquote(content.get("src") or "").partition("#")
                out.append((posixpath.normpath(posixpath.join(base, path)), fragment, clean(label.text or "") if label is not None else "", depth))
            self._ncx_entries(point, base, depth + 1, out)

    def image(self, chapter: str, src: str) -> str:
        if not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("/"):
            return ""  # remote or absolute: never fetched
        path = posixpath.normpath(posixpath.join(posixpath.dirname(chapter), unquote(src.split("#")[0])))
        mime = self.by_path.get(path, "")
        if mime not in IMAGE_MIME or not self.archive.has(path):
            return ""
        return self.doc.add_resource(posixpath.basename(path), mime, self.archive.read(path, 50 * 1024 * 1024))

    def chapters(self, progress) -> None:
        entries, nav_path = self.toc()
        by_file: dict[str, list[tuple[str, str, int]]] = {}
        for path, fragment, title, depth in entries:
            if title:
                by_file.setdefault(path, []).append((fragment, title, depth))
        items = [self.manifest[i] for i in self.spine if i in self.manifest]
        items = [it for it in items if it[1] in XHTML_TYPES or it[0].lower().endswith((".xhtml", ".html", ".htm"))]
        notes: list[Block] = []
        for number, (path, _, _) in enumerate(items):
            check_cancel(self.cancel)
            if path == nav_path or not self.archive.has(path):
                continue
            root = _parse_page(self.archive.read(path), path)
            converter = HtmlBlocks(path, lambda src, chapter=path: self.image(chapter, src))
            converter.convert(root)
            blocks = converter.blocks
            inserts: list[tuple[int, Block]] = []
            for fragment, title, depth in by_file.get(path, []):
                at = converter.ids.get(fragment, None) if fragment else 0
                if at is None:
                    continue
                target = next((b for b in blocks[at:] if b.text or b.cells), None)
                if target is not None and target.kind == HEADING and collapse(target.text) == collapse(title):
                    target.level = min(6, depth + 1)
                    continue
                inserts.append((at, Block(HEADING, title, level=min(6, depth + 1))))
            for at, heading in sorted(inserts, key=lambda x: x[0], reverse=True):
                blocks.insert(at, heading)
            self.doc.blocks += blocks
            notes += converter.notes
            if progress is not None:
                progress(number + 1, len(items))
        self.doc.blocks += notes


def extract(path: Path, progress=None, cancel=None) -> Document:
    from reader.library.formats.docx import _drop_table_ends

    doc = Document("epub", extractor=f"epub/{VERSION}")
    with SafeZip(path, WHAT) as archive:
        if archive.has("mimetype"):
            mimetype = archive.read("mimetype", 200).strip()
            if mimetype and mimetype != b"application/epub+zip":
                raise ExtractionProblem(f"not an EPUB: its mimetype is {mimetype[:60].decode('ascii', 'replace')}")
        problem = _drm(archive)
        book = _Book(archive, doc, cancel)
        book.metadata()
        if problem:
            doc.problems.append(problem)
            return doc
        book.chapters(progress)
    doc.blocks = _drop_table_ends(doc.blocks)
    if not doc.metadata.title:
        heading = next((b for b in doc.blocks if b.kind == HEADING), None)
        doc.metadata.title = heading.text if heading else ""
    if not any(b.text or b.cells for b in doc.blocks):
        doc.problems.append("the EPUB has no readable text")
    return doc
