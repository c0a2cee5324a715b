"""PDF: the text layer read with pypdfium2 (PDFium), laid out again into a reader's text.

PDFium gives every character with its box, baseline, font size and font; everything else is
done here from that geometry:

* characters become lines (same baseline, no jump back, no gap wider than a column gutter);
  raised small digits are superscripts (footnote references);
* a page with two columns (most lines end left of the middle or start right of it) is read
  left column, then right column, between the lines that span both;
* running headers and footers (lines in the top or bottom band whose text, digits aside,
  repeats on several pages) and page numbers are dropped;
* footnotes: the run of smaller lines at the foot of a page that starts with a number becomes
  footnotes, linked to the superscript numbers of that page;
* headings: lines clearly larger than the body text, or bold lines at body size that end
  without a full stop; levels follow the sizes;
* lines join into paragraphs unless a cue separates them (a larger gap, a first-line indent,
  a short last line, a change of size); Han text joins without a space, English with one, and
  a word hyphenated at a line end is rejoined. A paragraph that runs on over a page or
  column break stays one paragraph and records where the new page starts inside it.

Pages without any text but with pictures are scanned pages: they are recognised with
Tesseract (:mod:`.ocr`) and go through the same layout. Page labels come from /PageLabels,
else the 1-based page index.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reader.library.formats import ocr
from reader.library.formats.document import (
    FOOTNOTE,
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    SUPERSCRIPT,
    Block,
    Document,
    ExtractionProblem,
    Metadata,
    check_cancel,
)
from reader.library.formats.text import (
    clean,
    is_cjk,
    iso_date,
    join_lines,
    normalise_ideographs,
    split_authors,
)

VERSION = 1
SUFFIXES = (".pdf",)

#: Top and bottom share of the page where running headers, footers and page numbers live.
BAND = 0.09
#: A header/footer text (digits aside) repeating on this share of pages (and on 2 or more) is dropped.
REPEAT_SHARE = 0.3

SCANNED_NO_OCR = "scanned PDF without a text layer: install tesseract-ocr and tesseract-ocr-chi-tra to read it"


@dataclass
class Line:
    page: int
    text: str
    x0: float
    x1: float
    base: float  # baseline, PDF units from the page's bottom
    size: float
    bold: bool = False
    sups: list[tuple[int, int]] = field(default_factory=list)  # superscript ranges in text
    column: int = 0  # 0 single / left, 1 right, -1 spanning
    left: float = 0.0  # the column's edges
    right: float = 0.0
    role: str = "body"  # body | band | footnote | heading
    ocr: bool = False

    @property
    def top(self) -> float:
        return self.base + 0.8 * self.size


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    generated: bool


class _Pdfium:
    """The few PDFium calls used, with reusable out-parameters."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.l, self.r, self.b, self.t = (ctypes.c_double() for _ in range(4))
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.name = ctypes.create_string_buffer(256)
        self.bold_cache: dict[int, bool] = {}

    def chars(self, textpage) -> list[_Char]:
        raw = self.raw
        out: list[_Char] = []
        self.bold_cache.clear()  # keyed by object address: only valid while the page is open
        count = raw.FPDFText_CountChars(textpage)
        for i in range(count):
            code = raw.FPDFText_GetUnicode(textpage, i)
            generated = bool(raw.FPDFText_IsGenerated(textpage, i))
            if generated and code != 32:
                continue  # PDFium's own line breaks: we make our own
            if code == 0xFFFE or code == 0:
                continue
            raw.FPDFText_GetCharOrigin(textpage, i, self.ox, self.oy)
            if generated:
                out.append(_Char(" ", self.ox.value, self.ox.value, self.oy.value, 0.0, False, True))
                continue
            raw.FPDFText_GetCharBox(textpage, i, self.l, self.r, self.b, self.t)
            size = raw.FPDFText_GetFontSize(textpage, i)
            obj = raw.FPDFText_GetTextObject(textpage, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            bold = self.bold_cache.get(key)
            if bold is None:
                bold = self._bold(obj)
                self.bold_cache[key] = bold
            try:
                ch = chr(code)
            except ValueError:
                continue
            out.append(_Char(ch, self.l.value, self.r.value, self.oy.value, size, bold, False))
        return out

    def _bold(self, obj) -> bool:
        raw = self.raw
        if not obj:
            return False
        if raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_FILL_STROKE:
            return True  # "fake bold": filled and stroked
        font = raw.FPDFTextObj_GetFont(obj)
        if not font:
            return False
        if raw.FPDFFont_GetWeight(font) >= 600:
            return True
        length = raw.FPDFFont_GetBaseFontName(font, self.name, len(self.name))
        name = self.name.raw[: max(0, min(length, len(self.name)) - 1)].decode("latin-1", "replace").lower()
        return any(word in name for word in ("bold", "black", "heavy", "semibold", "demi"))

    def has_images(self, page) -> bool:
        raw = self.raw
        count = raw.FPDFPage_CountObjects(page)
        return any(raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, k)) == raw.FPDF_PAGEOBJ_IMAGE for k in range(min(count, 10_000)))


def _lines_of(chars: list[_Char], page: int) -> list[Line]:
    """Characters (in PDFium's order) grouped into lines."""
    lines: list[Line] = []
    current: list[_Char] = []

    def flush() -> None:
        while current and current[-1].generated:
            current.pop()
        if current:
            line = _make_line(current, page)
            if line is not None:
                lines.append(line)
        current.clear()

    base = size = x_end = 0.0
    for char in chars:
        if char.generated:
            if current:
                current.append(char)
            continue
        if not current:
            current.append(char)
            base, size, x_end = char.y, char.size or 1.0, char.x1
            continue
        ref = max(size, char.size, 1.0)
        dy = char.y - base
        same = abs(dy) <= 0.45 * ref
        small = char.size < 0.8 * size
        if not same and small and -0.35 * size <= dy <= 0.75 * size:
            same = True  # a superscript or subscript of this line
        if same and char.x0 < x_end - 0.6 * ref:
            same = False  # went back: a new line (or a column read across)
        if same and char.x0 - x_end > 1.2 * ref:
            same = False  # a gutter between two columns
        if not same:
            flush()
            current.append(char)
            base, size, x_end = char.y, char.size or 1.0, char.x1
            continue
        current.append(char)
        x_end = max(x_end, char.x1)
        if not small and char.size > size:
            size = char.size
    flush()
    return lines


def _make_line(chars: list[_Char], page: int) -> Line | None:
    real = [c for c in chars if not c.generated]
    if not real:
        return None
    sizes = [c.size for c in real if c.ch.strip()]
    if not sizes:
        return None
    size = max(sizes)
    normal = [c for c in real if c.size >= 0.8 * size]
    base = statistics.median(c.y for c in normal) if normal else real[0].y
    text_parts: list[str] = []
    sups: list[tuple[int, int]] = []
    offset = 0
    previous = ""
    for char in chars:
        ch = char.ch
        if char.generated or ch in " \t\u00a0":
            if text_parts and text_parts[-1] != " ":
                text_parts.append(" ")
                offset += 1
            continue
        if text_parts and text_parts[-1] == " " and (is_cjk(ch) or is_cjk(previous)):
            text_parts.pop()  # PDFium's word spaces between Han characters are not text
            offset -= 1
        is_sup = char.size < 0.8 * size and char.y > base + 0.15 * size
        if is_sup:
            if sups and sups[-1][1] == offset:
                sups[-1] = (sups[-1][0], offset + len(ch))
            else:
                sups.append((offset, offset + len(ch)))
        text_parts.append(ch)
        offset += len(ch)
        previous = ch
    text = "".join(text_parts).rstrip(" ")
    if not text.strip():
        return None
    lead = len(text) - len(text.lstrip(" "))
    if lead:
        text = text[lead:]
        sups = [(a - lead, b - lead) for a, b in sups if a >= lead]
    bold = sum(1 for c in real if c.bold) >= 0.8 * len(real)
    visible = [c for c in real if c.ch.strip()]
    return Line(page, text, min(c.x0 for c in visible), max(c.x1 for c in visible), base, size, bold, sups)


def _order(lines: list[Line]) -> list[Line]:
    """Reading order: by baseline; on a two-column page, left column then right column
    between lines that span both."""
    if not lines:
        return lines
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    width = max(right_edge - left_edge, 1.0)
    mid = (left_edge + right_edge) / 2
    left = [ln for ln in lines if ln.x1 <= mid + 0.02 * width]
    right = [ln for ln in lines if ln.x0 >= mid - 0.02 * width and ln not in left]
    two = len(left) >= 4 and len(right) >= 4 and len(left) + len(right) >= 0.6 * len(lines)

    def by_y(items: list[Line]) -> list[Line]:
        return sorted(items, key=lambda ln: (-round(ln.base), ln.x0))

    if not two:
        ordered = by_y(lines)
        for ln in ordered:
            ln.column = 0
        _column_edges(ordered)
        return ordered
    left_ids = {id(ln) for ln in left}
    right_ids = {id(ln) for ln in right}
    spanning = by_y([ln for ln in lines if id(ln) not in left_ids and id(ln) not in right_ids])
    for ln in lines:
        ln.column = 0 if id(ln) in left_ids else 1 if id(ln) in right_ids else -1
    segments: list[list[Line]] = [[] for _ in range(len(spanning) + 1)]
    for ln in lines:
        if ln.column >= 0:
            above = sum(1 for s in spanning if s.base > ln.base)
            segments[above].append(ln)
    ordered: list[Line] = []
    for k, segment in enumerate(segments):
        ordered += by_y([ln for ln in segment if ln.column == 0])
        ordered += by_y([ln for ln in segment if ln.column == 1])
        if k < len(spanning):
            ordered.append(spanning[k])
    _column_edges(ordered)
    return ordered


def _column_edges(lines: list[Line]) -> None:
    for column in (-1, 0, 1):
        members = [ln for ln in lines if ln.column == column]
        if not members:
            continue
        xs = sorted(ln.x0 for ln in members)
        ends = sorted(ln.x1 for ln in members)
        left = xs[len(xs) // 10]
        right = ends[(3 * len(ends)) // 4]  # ragged or justified, most full lines end about here
        for ln in members:
            ln.left, ln.right = left, right


_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|·•]*(?:(?:page|p\.|頁|第)\s*)?(?:\d{1,5}|[ivxlcdm]{1,8}|[〇一二三四五六七八九十百]{1,6})"
    r"(?:\s*(?:/|of|／)\s*\d{1,5})?\s*(?:頁)?[\s\-–—|·•]*$",
    re.IGNORECASE,
)


def _band_key(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", text))


def _drop_running(pages: list[list[Line]], heights: list[float]) -> None:
    """Mark running headers, footers and page numbers (role "band")."""
    counts: Counter[str] = Counter()
    candidates: list[list[tuple[Line, str]]] = []
    for lines, height in zip(pages, heights, strict=True):
        found = []
        for ln in lines:
            if ln.base >= height * (1 - BAND) or ln.top <= height * BAND:
                found.append((ln, _band_key(ln.text)))
        candidates.append(found)
        for key in {key for _, key in found}:
            counts[key] += 1
    total = len(pages)
    for found in candidates:
        for ln, key in found:
            repeated = counts[key] >= 2 and counts[key] >= REPEAT_SHARE * total
            if repeated or _PAGE_NUMBER.match(ln.text):
                ln.role = "band"


_MARKER = re.compile(r"^(?:\*+|†|‡|註?\s*\d{1,3})")


def _body_size(pages: list[list[Line]]) -> float:
    """The size of most of the text (weighted by characters)."""
    sized: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.role == "body":
                sized[round(ln.size * 2) / 2] += len(ln.text)
    return sized.most_common(1)[0][0] if sized else 10.0


def _footnotes(lines: list[Line], body_size: float, height: float) -> list[Line]:
    """The footnote lines of a page, top to bottom (marked role "footnote"): the smaller lines
    below all body-size text in the lower half of the page, when the first starts with a
    number (or *, †)."""
    body = [ln for ln in lines if ln.role == "body" and ln.size >= 0.92 * body_size]
    if not body:
        return []
    lowest = min(ln.base for ln in body)
    run = sorted(
        (ln for ln in lines if ln.role == "body" and ln.size < 0.9 * body_size and ln.top < lowest and ln.base < 0.5 * height),
        key=lambda ln: (-round(ln.base), ln.x0),
    )
    while run and not _MARKER.match(run[0].text):
        run.pop(0)
    for ln in run:
        ln.role = "footnote"
    return run


_BULLET = re.compile(r"^[•●○■□◆◇▪‧・∙◦]\s*")
_ENUMERATION = re.compile(r"^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、]|[（(]\d{1,3}[)）]|\d{1,3}[.、)]\s)")


@dataclass
class _Open:
    block: Block
    last: Line
    size: float


def _layout(pages: list[list[Line]], body_size: float) -> list[Block]:
    """Blocks from the ordered lines (body and footnote lines) of every page."""
    pitches = []
    for lines in pages:
        body = [ln for ln in lines if ln.role == "body" and abs(ln.size - body_size) < 0.5]
        for a, b in zip(body, body[1:], strict=False):
            if a.column == b.column and 0 < a.base - b.base < 3 * body_size:
                pitches.append(a.base - b.base)
    pitch = statistics.median(pitches) if pitches else 1.3 * body_size

    blocks: list[Block] = []
    heading_sizes: dict[int, float] = {}  # id(block) -> size
    bold_headings: set[int] = set()
    current: _Open | None = None
    footnotes: list[Block] = []

    for lines in pages:
        page_notes: dict[str, str] = {}
        foot = [ln for ln in lines if ln.role == "footnote"]
        note: Block | None = None
        for ln in foot:
            match = _MARKER.match(ln.text)
            if match:
                marker = re.sub(r"\D", "", match.group(0)) or match.group(0)
                note_id = f"p{ln.page + 1}-{marker}"
                note = Block(FOOTNOTE, clean(ln.text[match.end():]), note_id=note_id, page=ln.page)
                footnotes.append(note)
                page_notes[marker] = note_id
            elif note is not None:
                note.text = join_lines(note.text, clean(ln.text))
        for ln in lines:
            if ln.role != "body":
                continue
            text, spans, notes = _inline(ln, page_notes)
            is_heading = ln.size >= 1.15 * body_size or (
                ln.bold and ln.size >= 0.95 * body_size and len(text) <= 80 and not re.search(r"[。．.！？!?；;：:]$", text)
            )
            if is_heading:
                if (
                    current is not None
                    and current.block.kind == HEADING
                    and abs(current.size - ln.size) < 0.5
                    and current.last.page == ln.page
                    and 0 < current.last.base - ln.base < 2.0 * ln.size
                ):
                    current.block.text = join_lines(current.block.text, text)
                    current.last = ln
                    continue
                block = Block(HEADING, text, level=2, page=ln.page)
                blocks.append(block)
                if ln.size >= 1.15 * body_size:
                    heading_sizes[id(block)] = round(ln.size * 2) / 2
                else:
                    bold_headings.add(id(block))
                current = _Open(block, ln, ln.size)
                continue
            starts_list = bool(_BULLET.match(text))
            if current is not None and current.block.kind != HEADING and not starts_list and not _ENUMERATION.match(text) and _continues(current.last, ln, pitch):
                block = current.block
                joined = join_lines(block.text, text)
                start = len(joined) - len(text.lstrip(" "))
                block.text = joined
                block.spans += [(a + start, b + start, s) for a, b, s in spans]
                block.notes += [(a + start, n) for a, n in notes]
                if ln.page != current.last.page:
                    block.breaks.append((start, ln.page))
                current.last = ln
                continue
            if starts_list:
                stripped = _BULLET.sub("", text)
                cut = len(text) - len(stripped)
                block = Block(LIST_ITEM, stripped, page=ln.page,
                              spans=[(max(0, a - cut), b - cut, s) for a, b, s in spans if b > cut],
                              notes=[(max(0, a - cut), n) for a, n in notes])
            else:
                block = Block(PARAGRAPH, text, page=ln.page, spans=spans, notes=notes)
            blocks.append(block)
            current = _Open(block, ln, ln.size)
        # Footnotes nobody refers to (an author's note marked "*"): referred to from the
        # page's last block, so they are shown rather than lost.
        referred = {n for b in blocks for _, n in b.notes}
        for note_block in footnotes:
            if note_block.page == (lines[0].page if lines else -1) and note_block.note_id not in referred:
                target = next((b for b in reversed(blocks) if b.kind != HEADING), None)
                if target is not None:
                    target.notes.append((len(target.text), note_block.note_id))
                else:
                    blocks.append(Block(PARAGRAPH, note_block.text, page=note_block.page))
                    note_block.note_id = ""

    sizes = sorted(set(heading_sizes.values()), reverse=True)
    for block in blocks:
        if id(block) in heading_sizes:
            block.level = min(6, sizes.index(heading_sizes[id(block)]) + 1)
        elif id(block) in bold_headings:
            block.level = min(6, len(sizes) + 1)
    return blocks + [n for n in footnotes if n.note_id]


def _continues(prev: Line, line: Line, pitch: float) -> bool:
    """Whether ``line`` goes on the paragraph that ``prev`` ended so far."""
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > 0.12 * size:
        return False
    if line.x0 > line.left + 0.8 * line.size:
        return False  # first-line indent
    if prev.right - prev.x1 > _room_needed(line.text, prev.size):
        return False  # the next line's first word would have fit: the previous line ended its paragraph
    same_flow = prev.page == line.page and prev.column == line.column
    if same_flow:
        gap = prev.base - line.base
        if gap > 1.6 * pitch or gap < 0:
            return False
    return True


def _room_needed(text: str, size: float) -> float:
    """Room the first word of ``text`` (one Han character, or a Latin word) needs on the line
    before, with a margin: when the line before had that much room left, it ended a paragraph."""
    if not text:
        return 2.2 * size
    if is_cjk(text[0]):
        return 2.2 * size
    word = re.match(r"[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", text)
    length = len(word.group(0)) if word else 1
    return (0.62 * length + 1.5) * size


def _inline(line: Line, page_notes: dict[str, str]) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, str]]]:
    """A line's text with footnote references taken out (as notes) and other superscripts
    kept as styled text."""
    text = line.text
    spans: list[tuple[int, int, str]] = []
    notes: list[tuple[int, str]] = []
    out = []
    cursor = 0
    removed = 0
    for a, b in line.sups:
        marker = text[a:b].strip()
        out.append(text[cursor:a])
        if marker.isdigit() and marker in page_notes:
            notes.append((a - removed, page_notes[marker]))
            removed += b - a
        else:
            out.append(text[a:b])
            spans.append((a - removed, b - removed, SUPERSCRIPT))
        cursor = b
    out.append(text[cursor:])
    plain = "".join(out)
    cleaned = normalise_ideographs(plain)
    return cleaned, spans, notes


# -- metadata -----------------------------------------------------------------------------------

_XMP = re.compile(rb"<x:xmpmeta.{0,200000}?</x:xmpmeta>", re.DOTALL)


def _xmp(data: bytes) -> Metadata:
    """Title, creators and date of an uncompressed XMP packet (most are stored uncompressed)."""
    meta = Metadata()
    match = _XMP.search(data[:20_000_000])
    if not match:
        return meta
    from lxml import etree

    try:
        root = etree.fromstring(match.group(0), parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:
        return meta
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xmp": "http://ns.adobe.com/xap/1.0/"}
    titles = root.xpath("//dc:title//rdf:li/text()", namespaces=ns)
    meta.title = clean(titles[0]) if titles else ""
    meta.authors = [clean(a) for a in root.xpath("//dc:creator//rdf:li/text()", namespaces=ns) if a.strip()]
    dates = root.xpath("//xmp:CreateDate/text() | //@xmp:CreateDate | //dc:date//rdf:li/text()", namespaces=ns)
    meta.date = iso_date(str(dates[0])) if dates else ""
    return meta


def _metadata(pdf, path: Path) -> Metadata:
    info = {}
    try:
        info = pdf.get_metadata_dict()
    except Exception:  # PDFium cannot decode an odd Info dictionary: there is no metadata then
        info = {}
    meta = Metadata(
        title=clean(info.get("Title", "") or ""),
        authors=split_authors(clean(info.get("Author", "") or "")),
        date=iso_date(info.get("CreationDate", "") or ""),
        subject=clean(info.get("Subject", "") or ""),
        keywords=[k for k in re.split(r"\s*[,;，；、]\s*", clean(info.get("Keywords", "") or "")) if k],
    )
    if meta.date.startswith("2000-01-01") and "ReportLab" in (info.get("Producer") or ""):
        meta.date = ""  # reportlab's "invariant" placeholder date
    try:
        with path.open("rb") as handle:
            xmp = _xmp(handle.read(20_000_000))
    except OSError:
        xmp = Metadata()
    # A producer's placeholder is not a title: the XMP title (or the first heading) wins over it.
    meta.title = next((t for t in (meta.title, xmp.title) if t and not _PLACEHOLDER_TITLE.fullmatch(t)), "")
    meta.authors = meta.authors or xmp.authors
    meta.date = meta.date or xmp.date
    return meta


_PLACEHOLDER_TITLE = re.compile(r"(?i)(untitled|microsoft word - .*|.*\.(docx?|pdf|indd))")


# -- the extractor ------------------------------------------------------------------------------


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ExtractionProblem(f"cannot read: {exc.strerror or exc}") from exc
    if b"%PDF-" not in head:
        raise ExtractionProblem("not a PDF file (no %PDF header)")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise ExtractionProblem("encrypted PDF: it needs a password to open") from exc
        if "security" in message:
            raise ExtractionProblem("PDF with an unsupported security handler (DRM)") from exc
        raise ExtractionProblem("damaged PDF: PDFium cannot read it") from exc


def extract(path: Path, progress=None, cancel=None, ocr_languages: str = ocr.LANGUAGES) -> Document:
    pdf = _open(path)
    try:
        return _extract(pdf, path, progress, cancel, ocr_languages)
    finally:
        pdf.close()


def _extract(pdf, path: Path, progress, cancel, ocr_languages: str) -> Document:
    doc = Document("pdf", extractor=f"pdf/{VERSION}")
    count = len(pdf)
    if count == 0:
        raise ExtractionProblem("damaged PDF: it has no pages (its page tree is broken)")
    api = _Pdfium()
    pages: list[list[Line]] = []
    heights: list[float] = []
    scanned: list[int] = []
    for index in range(count):
        check_cancel(cancel)
        label = ""
        try:
            label = pdf.get_page_label(index) or ""
        except Exception:  # an unreadable /PageLabels entry: the index stands in
            label = ""
        doc.page_labels.append(clean(label) or str(index + 1))
        try:
            page = pdf[index]
        except Exception as exc:  # PDFium refuses this page (a broken page object)
            doc.problems.append(f"page {index + 1} is damaged and was skipped")
            pages.append([])
            heights.append(842.0)
            del exc
            continue
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                chars = api.chars(textpage)
            finally:
                textpage.close()
            lines = _lines_of(chars, index)
            if not lines and api.has_images(page):
                scanned.append(index)
        finally:
            page.close()
        heights.append(height or 842.0)
        pages.append(lines)
        if progress is not None:
            # Pages finished of the document's pages: a scanned page is finished once it
            # is recognised, below (reported even so: the parent's stall watch hears it).
            progress(index + 1 - len(scanned), count)
    damaged = sum(1 for p in doc.problems if p.startswith("page "))
    if damaged == count:
        raise ExtractionProblem("damaged PDF: none of its pages can be read (a broken or looping page tree)")
    if damaged > 3:
        doc.problems = [p for p in doc.problems if not p.startswith("page ")] + [f"{damaged} damaged pages were skipped"]
    if scanned:
        missing = ocr.missing_problem(ocr_languages)
        if missing:
            doc.transient = True
            if len(scanned) == count:
                doc.problems.append(SCANNED_NO_OCR)
            else:
                doc.problems.append(
                    f"{len(scanned)} scanned pages without a text layer were not read: install tesseract-ocr and tesseract-ocr-chi-tra to read them"
                )
        else:
            for done, index in enumerate(scanned):
                check_cancel(cancel)
                page = pdf[index]
                try:
                    pages[index] = ocr.recognise_page(page, index, heights[index], ocr_languages, cancel)
                finally:
                    page.close()
                doc.ocr_pages.append(index)
                if progress is not None:
                    progress(count - len(scanned) + done + 1, count)
    body_size = _body_size(pages)
    _drop_running(pages, heights)
    ordered = []
    for lines, height in zip(pages, heights, strict=True):
        notes = _footnotes(lines, body_size, height)
        ordered.append(_order([ln for ln in lines if ln.role == "body"]) + notes)
    doc.blocks = _layout(ordered, body_size)
    for block in doc.blocks:
        block.text = block.text.strip()
    doc.blocks = [b for b in doc.blocks if b.text or b.kind == FOOTNOTE]
    doc.metadata = _metadata(pdf, path)
    if not doc.metadata.title:
        first = next((b for b in doc.blocks if b.kind == HEADING), None)
        doc.metadata.title = first.text if first is not None else ""
    if not doc.blocks and not doc.problems:
        doc.problems.append("the PDF has no text (it may be empty, or its text is drawn as shapes)")
    return doc
