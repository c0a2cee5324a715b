"""Word (.docx): the WordprocessingML in the zip read with lxml.

What a reader of the printed document sees is body text: paragraphs, headings (Heading N /
Title styles or an outline level), lists (numbering, bullet or numbered), tables, quotations,
bold and italic, footnotes and endnotes (as footnotes), pictures. What Word keeps beside the
text is not: comments (comments.xml and their anchors), tracked deletions (``w:del``,
``w:moveFrom``), field codes (``w:instrText``), the fallback copy of alternate content.
Tracked insertions (``w:ins``, ``w:moveTo``) are text of the document as it now reads.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from reader.library.formats.document import (
    CODE,
    EMPHASIS,
    FOOTNOTE,
    HEADING,
    IMAGE,
    LIST_ITEM,
    PARAGRAPH,
    QUOTE,
    STRONG,
    SUBSCRIPT,
    SUPERSCRIPT,
    TABLE_ROW,
    Block,
    Document,
    ExtractionProblem,
    check_cancel,
)
from reader.library.formats.safety import SafeZip, parse_xml
from reader.library.formats.text import InlineBuilder, clean, iso_date, split_authors

VERSION = 1
SUFFIXES = (".docx",)
WHAT = "Word document"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_SKIP = {_w(n) for n in ("del", "moveFrom", "delText", "instrText", "commentRangeStart", "commentRangeEnd",
                         "commentReference", "proofErr", "bookmarkStart", "bookmarkEnd", "rPr", "pPr", "sectPr",
                         "delInstrText", "footnoteRef", "endnoteRef", "annotationRef", "lastRenderedPageBreak", "permStart", "permEnd")}
_FALSE = {"0", "false", "off", "none"}
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".bmp": "image/bmp", ".webp": "image/webp", ".tif": "image/tiff", ".tiff": "image/tiff"}


def _on(element) -> bool:
    if element is None:
        return False
    value = element.get(_w("val"))
    return value is None or value.lower() not in _FALSE


class _Styles:
    def __init__(self, root) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.numbering: dict[str, tuple[str, int]] = {}
        self.run_styles: dict[str, set[str]] = {}
        if root is None:
            return
        for style in root.iter(_w("style")):
            sid = style.get(_w("styleId")) or ""
            name = style.find(_w("name"))
            self.names[sid] = (name.get(_w("val")) if name is not None else sid) or sid
            based = style.find(_w("basedOn"))
            if based is not None:
                self.based[sid] = based.get(_w("val")) or ""
            ppr = style.find(_w("pPr"))
            if ppr is not None:
                outline = ppr.find(_w("outlineLvl"))
                if outline is not None and (outline.get(_w("val")) or "").isdigit():
                    self.outline[sid] = int(outline.get(_w("val")))
                num = ppr.find(_w("numPr"))
                if num is not None:
                    num_id = num.find(_w("numId"))
                    ilvl = num.find(_w("ilvl"))
                    if num_id is not None:
                        level = ilvl.get(_w("val")) if ilvl is not None else "0"
                        self.numbering[sid] = (num_id.get(_w("val")) or "", int(level) if (level or "").isdigit() else 0)
            rpr = style.find(_w("rPr"))
            if rpr is not None:
                styles = set()
                if _on(rpr.find(_w("b"))):
                    styles.add(STRONG)
                if _on(rpr.find(_w("i"))):
                    styles.add(EMPHASIS)
                self.run_styles[sid] = styles

    def chain(self, sid: str) -> list[str]:
        out, seen = [], set()
        while sid and sid not in seen and len(out) < 20:
            out.append(sid)
            seen.add(sid)
            sid = self.based.get(sid, "")
        return out

    def name(self, sid: str) -> str:
        return self.names.get(sid, sid).lower()


class _Numbering:
    def __init__(self, root) -> None:
        self.formats: dict[tuple[str, int], str] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, str]] = {}
        for item in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in item.iter(_w("lvl")):
                ilvl = lvl.get(_w("ilvl")) or "0"
                fmt = lvl.find(_w("numFmt"))
                levels[int(ilvl) if ilvl.isdigit() else 0] = (fmt.get(_w("val")) if fmt is not None else "decimal") or "decimal"
            abstract[item.get(_w("abstractNumId")) or ""] = levels
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            for level, fmt in abstract.get(ref.get(_w("val")) or "", {}).items():
                self.formats[(num.get(_w("numId")) or "", level)] = fmt

    def kind(self, num_id: str, level: int) -> str | None:
        """"bullet", "number", or None (numbering "none", or numId 0: not a list)."""
        if num_id in ("", "0"):
            return None
        fmt = self.formats.get((num_id, level), self.formats.get((num_id, 0), "decimal"))
        if fmt == "none":
            return None
        return "bullet" if fmt == "bullet" else "number"


class _Reader:
    def __init__(self, archive: SafeZip, doc: Document, cancel) -> None:
        self.archive = archive
        self.doc = doc
        self.cancel = cancel
        self.main = self._main_part()
        base = posixpath.dirname(self.main)
        self.rels = self._rels(self.main)
        self.styles = _Styles(self._part_by_type("styles", base))
        self.numbering = _Numbering(self._part_by_type("numbering", base))
        self.blocks: list[Block] = []

    def _main_part(self) -> str:
        if self.archive.has("_rels/.rels"):
            root = parse_xml(self.archive.read("_rels/.rels", 2_000_000), WHAT, "_rels/.rels")
            for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
                if (rel.get("Type") or "").endswith("/officeDocument"):
                    target = (rel.get("Target") or "").lstrip("/")
                    if self.archive.has(target):
                        return target
        if self.archive.has("word/document.xml"):
            return "word/document.xml"
        raise ExtractionProblem(f"not a {WHAT}: the archive has no word/document.xml")

    def _rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """rId -> (type suffix, zip path or URL, external)."""
        name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        out: dict[str, tuple[str, str, bool]] = {}
        if not self.archive.has(name):
            return out
        root = parse_xml(self.archive.read(name, 8_000_000), WHAT, name)
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(part), target)) if not target.startswith("/") else target.lstrip("/")
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], target, external)
        return out

    def _part_by_type(self, kind: str, base: str):
        for rel_type, target, external in self.rels.values():
            if rel_type == kind and not external and self.archive.has(target):
                return parse_xml(self.archive.read(target), WHAT, target)
        guess = posixpath.join(base, f"{kind}.xml")
        if self.archive.has(guess):
            return parse_xml(self.archive.read(guess), WHAT, guess)
        return None

    # -- body --------------------------------------------------------------------------------

    def read(self) -> None:
        root = parse_xml(self.archive.read(self.main), WHAT, self.main)
        body = root.find(_w("body"))
        if body is None:
            raise ExtractionProblem(f"damaged {WHAT}: the document has no body")
        self._container(body)
        for kind, prefix in (("footnotes", "fn"), ("endnotes", "en")):
            notes = self._part_by_type(kind, posixpath.dirname(self.main))
            if notes is None:
                continue
            tag = _w(kind[:-1])
            for note in notes.iter(tag):
                if (note.get(_w("type")) or "normal") != "normal":
                    continue
                builder = InlineBuilder()
                for paragraph in note.iter(_w("p")):
                    if builder.parts:
                        builder.add(" ")
                    self._runs(paragraph, builder, (), [])
                text, spans, _ = builder.result()
                self.blocks.append(Block(FOOTNOTE, text, spans=spans, note_id=f"{prefix}{note.get(_w('id'))}"))

    def _container(self, element) -> None:
        for child in element:
            check_cancel(self.cancel)
            tag = child.tag
            if tag == _w("p"):
                self._paragraph(child)
            elif tag == _w("tbl"):
                self._table(child)
            elif tag in (_w("sdt"), _w("customXml"), _w("sdtContent"), _w("ins"), _w("moveTo"), _w("txbxContent")):
                self._container(child)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                self._container(choice if choice is not None else child)

    def _paragraph_style(self, paragraph) -> tuple[str, int, bool, str]:
        """(kind, level, ordered, style name) of a paragraph."""
        ppr = paragraph.find(_w("pPr"))
        sid = ""
        num: tuple[str, int] | None = None
        outline = None
        if ppr is not None:
            style = ppr.find(_w("pStyle"))
            sid = (style.get(_w("val")) if style is not None else "") or ""
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                num_id = numpr.find(_w("numId"))
                ilvl = numpr.find(_w("ilvl"))
                level = (ilvl.get(_w("val")) if ilvl is not None else "0") or "0"
                num = ((num_id.get(_w("val")) if num_id is not None else "") or "", int(level) if level.isdigit() else 0)
            lvl = ppr.find(_w("outlineLvl"))
            if lvl is not None and (lvl.get(_w("val")) or "").isdigit():
                outline = int(lvl.get(_w("val")))
        chain = self.styles.chain(sid)
        names = [self.styles.name(s) for s in chain] or [""]
        name = names[0]
        for s in chain:
            if num is None and s in self.styles.numbering:
                num = self.styles.numbering[s]
            if outline is None and s in self.styles.outline:
                outline = self.styles.outline[s]
        heading = next((int(m.group(1)) for n in names if (m := re.fullmatch(r"heading\s*([1-9])", n))), None)
        if heading is None and any(n == "title" for n in names):
            heading = 1
        if heading is None and outline is not None and outline < 9:
            heading = outline + 1
        if heading is not None:
            return HEADING, min(6, heading), False, name
        if num is not None:
            kind = self.numbering.kind(*num)
            if kind is not None:
                return LIST_ITEM, min(num[1], 8), kind == "number", name
        if any(n in ("quote", "intense quote", "block text") for n in names):
            return QUOTE, 0, False, name
        if any("code" in n or n in ("html preformatted", "macro text", "plain text") for n in names):
            return CODE, 0, False, name
        return PARAGRAPH, 0, False, name

    def _paragraph(self, paragraph) -> None:
        kind, level, ordered, _ = self._paragraph_style(paragraph)
        builder = InlineBuilder(verbatim=kind == CODE)
        images: list[tuple[str, str]] = []
        extra: list = []
        self._runs(paragraph, builder, (), images, extra)
        text, spans, notes = builder.result()
        if text.strip():
            self.blocks.append(Block(kind, text, level=level, ordered=ordered, spans=spans, notes=notes))
        for name, alt in images:
            self.blocks.append(Block(IMAGE, alt, resource=name))
        for box in extra:
            self._container(box)

    def _run_styles(self, run, inherited: tuple[str, ...]) -> tuple[str, ...]:
        rpr = run.find(_w("rPr"))
        styles = set(inherited)
        if rpr is None:
            return tuple(sorted(styles))
        style = rpr.find(_w("rStyle"))
        if style is not None:
            sid = style.get(_w("val")) or ""
            for s in self.styles.chain(sid):
                styles |= self.styles.run_styles.get(s, set())
            name = self.styles.name(sid)
            if name in ("strong", "intense emphasis"):
                styles.add(STRONG)
            elif name in ("emphasis", "subtle emphasis"):
                styles.add(EMPHASIS)
        b = rpr.find(_w("b"))
        if b is not None:
            (styles.add if _on(b) else styles.discard)(STRONG)
        i = rpr.find(_w("i"))
        if i is not None:
            (styles.add if _on(i) else styles.discard)(EMPHASIS)
        align = rpr.find(_w("vertAlign"))
        if align is not None:
            value = align.get(_w("val"))
            if value == "superscript":
                styles.add(SUPERSCRIPT)
            elif value == "subscript":
                styles.add(SUBSCRIPT)
        return tuple(sorted(styles))

    def _runs(self, element, builder: InlineBuilder, styles: tuple[str, ...], images: list, extra: list | None = None, field: list | None = None) -> None:
        """Walk a paragraph's content in order. ``field`` tracks complex fields: the code
        (between begin and separate) is not text, the result is."""
        field = field if field is not None else []
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("r"):
                run_styles = self._run_styles(child, styles)
                for item in child:
                    itag = item.tag
                    if itag == _w("fldChar"):
                        kind = item.get(_w("fldCharType"))
                        if kind == "begin":
                            field.append("code")
                        elif kind == "separate" and field:
                            field[-1] = "result"
                        elif kind == "end" and field:
                            field.pop()
                        continue
                    if field and field[-1] == "code":
                        continue
                    if itag == _w("t"):
                        builder.add(item.text or "", run_styles)
                    elif itag in (_w("tab"), _w("ptab")):
                        builder.add(" ")
                    elif itag in (_w("br"), _w("cr")):
                        builder.add("\n" if builder.verbatim else " ")
                    elif itag == _w("noBreakHyphen"):
                        builder.add("-", run_styles)
                    elif itag == _w("sym"):
                        char = item.get(_w("char")) or ""
                        if re.fullmatch(r"[0-9A-Fa-f]{4}", char) and not char.upper().startswith("F0"):
                            builder.add(chr(int(char, 16)), run_styles)
                    elif itag == _w("footnoteReference"):
                        builder.note(f"fn{item.get(_w('id'))}")
                    elif itag == _w("endnoteReference"):
                        builder.note(f"en{item.get(_w('id'))}")
                    elif itag in (_w("drawing"), _w("pict"), _w("object")) or itag == f"{{{MC}}}AlternateContent":
                        self._drawing(item, images, extra)
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self._runs(choice, builder, styles, images, extra, field)
            elif tag == f"{{{M}}}oMath" or tag == f"{{{M}}}oMathPara":
                builder.add("".join(t.text or "" for t in child.iter(f"{{{M}}}t")), styles)
            else:
                # ins, moveTo, hyperlink, smartTag, sdt, sdtContent, fldSimple, customXml, dir…
                self._runs(child, builder, styles, images, extra, field)

    def _drawing(self, element, images: list, extra: list | None) -> None:
        choice_only = element
        if element.tag == f"{{{MC}}}AlternateContent":
            choice_only = element.find(f"{{{MC}}}Choice")
            if choice_only is None:
                return
        for blip in choice_only.iter(f"{{{A}}}blip", f"{{{V}}}imagedata"):
            rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}id") or ""
            alt = ""
            for props in choice_only.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
                alt = clean(props.get("descr") or props.get("title") or "")
            name = self._image(rid)
            if name:
                images.append((name, alt))
        if extra is not None:
            extra.extend(choice_only.iter(_w("txbxContent")))

    def _image(self, rid: str) -> str:
        rel = self.rels.get(rid)
        if rel is None or rel[2]:
            return ""  # missing, or an external (linked) picture: never fetched
        target = rel[1]
        mime = IMAGE_TYPES.get(posixpath.splitext(target)[1].lower())
        if mime is None or not self.archive.has(target):
            return ""
        return self.doc.add_resource(posixpath.basename(target), mime, self.archive.read(target, 50 * 1024 * 1024))

    def _table(self, table) -> None:
        first = True
        for row in table.iter(_w("tr")):
            if row.getparent() is not table:
                continue
            cells = []
            for cell in row.findall(_w("tc")):
                builder = InlineBuilder()
                for paragraph in cell.iter(_w("p")):
                    if builder.parts:
                        builder.add(" ")
                    self._runs(paragraph, builder, (), [])
                cells.append(builder.result()[0])
            if cells:
                self.blocks.append(Block(TABLE_ROW, cells=cells, header=first))
                first = False
        self.blocks.append(Block(PARAGRAPH, ""))  # ends the table (dropped before rendering)


def _core(archive: SafeZip, doc: Document) -> None:
    if not archive.has("docProps/core.xml"):
        return
    root = parse_xml(archive.read("docProps/core.xml", 2_000_000), WHAT, "docProps/core.xml")
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}

    def first(path: str) -> str:
        found = root.xpath(f"string({path})", namespaces=ns)
        return clean(str(found))

    meta = doc.metadata
    meta.title = first("//dc:title")
    meta.authors = split_authors(first("//dc:creator"))
    meta.date = iso_date(first("//dcterms:created")) or iso_date(first("//dcterms:modified"))
    meta.lang = first("//dc:language")
    meta.subject = first("//dc:subject")
    meta.keywords = [k for k in re.split(r"\s*[,;，；、]\s*", first("//cp:keywords")) if k]


def extract(path: Path, progress=None, cancel=None) -> Document:
    doc = Document("docx", extractor=f"docx/{VERSION}")
    with SafeZip(path, WHAT) as archive:
        if archive.has("EncryptedPackage") or archive.has("EncryptionInfo"):
            raise ExtractionProblem(f"password-protected {WHAT}")
        reader = _Reader(archive, doc, cancel)
        reader.read()
        _core(archive, doc)
    doc.blocks = _drop_table_ends(reader.blocks)
    if not doc.metadata.title:
        heading = next((b for b in doc.blocks if b.kind == HEADING), None)
        doc.metadata.title = heading.text if heading else ""
    if progress is not None:
        progress(1, 1)
    return doc


def _drop_table_ends(blocks: list[Block]) -> list[Block]:
    """Empty paragraphs were kept after tables so two tables in a row stay two; keep them
    only between table rows (they end a table), drop the rest."""
    out: list[Block] = []
    for k, block in enumerate(blocks):
        if block.kind == PARAGRAPH and not block.text:
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            if out and out[-1].kind == TABLE_ROW and nxt is not None and nxt.kind == TABLE_ROW:
                out.append(block)
            continue
        out.append(block)
    return out
