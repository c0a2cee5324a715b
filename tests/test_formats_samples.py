"""Real-looking test documents, made with the real libraries, and what they should read as.

One article (a Traditional-Chinese journal article on AI governance with English terms,
footnotes, a list, a table, a quotation) is written as a paged PDF (reportlab: a CID font,
MSung-Light / Adobe-CNS1, not embedded, or an embedded TrueType font), as .docx
(python-docx), .odt (odfpy), .epub (a hand-built zip), .mhtml (the email package) and a saved
.html page with its ``_files/`` folder; a scanned page is a picture of Chinese text (Pillow).

The PDF is laid out here, line by line, like a journal: running header, page number footer,
/PageLabels starting at 39, 2-em paragraph indents, footnotes at the foot of their page, a
two-column page, English words hyphenated at line ends. The layout records what it drew so
tests know which phrase wrapped across a line or a page.

The tests at the end check the generators themselves (a CID font really is not embedded…).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_TC_INDEX = 3  # "Noto Sans CJK TC" in that collection
#: An embeddable TrueType CJK font (reportlab cannot embed CFF-outline fonts such as Noto CJK).
TTF_CANDIDATES = [
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 1),  # AR PL UMing TW (fonts-arphic-uming)
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),  # fonts-wqy-zenhei
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),  # fonts-wqy-microhei
]

JOURNAL_HEADER = "科技法律評論　第21卷第2期"
FIRST_LABEL = 39

TITLE = "人工智慧治理的風險評估框架：以NIST與AI Seoul Summit為中心"
AUTHORS = ["陳怡君", "林志明"]
DATE = "2024-06-15"


def ttf_font() -> tuple[Path, int] | None:
    for path, index in TTF_CANDIDATES:
        if path.is_file():
            return path, index
    return None


def cjk_image_font(size: int):
    from PIL import ImageFont

    if NOTO_CJK.is_file():
        return ImageFont.truetype(str(NOTO_CJK), size, index=NOTO_TC_INDEX)
    found = ttf_font()
    if found is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-arphic-uming)")
    return ImageFont.truetype(str(found[0]), size, index=found[1])


# -- the article's words -------------------------------------------------------------------

_SUBJECTS = [
    "主管機關", "立法者", "數位發展部", "法院", "開發者", "部署者", "獨立稽核機構", "學者",
    "國家科學及技術委員會", "公平交易委員會", "個人資料保護委員會", "監理沙盒的參與者",
]
_VERBS = [
    "應當審慎評估", "必須事前揭露", "得要求補充說明", "宜定期檢視", "應建立機制處理",
    "須以書面記錄", "應進行第三方驗證", "不得任意排除",
]
_OBJECTS = [
    "高風險人工智慧系統的訓練資料來源", "模型於部署後的效能衰退", "演算法歧視的可能影響",
    "生成式模型產出內容的可追溯性", "跨境資料傳輸的法律依據", "風險管理框架所列的控制措施",
    "TEVV（測試、評估、驗證與確認）的結果", "NIST AI RMF所稱的可信賴特徵",
    "AI Seoul Summit承諾的前沿模型安全框架", "使用者申訴與救濟的管道",
]
_TAILS = [
    "以確保其符合比例原則", "並於年度報告中說明", "以利外部監督", "避免造成不可逆的損害",
    "並兼顧營業秘密的保護", "以回應社會的信賴", "且應保存相關紀錄五年", "並公開其評估方法",
]
_CN_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(n))


def sentences_zh(count: int, seed: int = 7, start: int = 1) -> list[str]:
    """``count`` distinct sentences: each carries its own number (第…項), so none repeats."""
    rng = random.Random(seed)
    out = []
    for i in range(start, start + count):
        out.append(
            f"依第{chinese_number(i)}項說明，{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}"
            f"{rng.choice(_OBJECTS)}，{rng.choice(_TAILS)}。"
        )
    return out


ENGLISH = [
    "The framework treats trustworthiness as a socio-technical property rather than a purely technical one.",
    "Independent evaluation requires documentation that regulators can actually verify.",
    "Accountability mechanisms must remain effective after deployment, not only before it.",
    "International coordination after the AI Seoul Summit remains voluntary and uneven.",
]


@dataclass
class Para:
    """A paragraph: text with footnote references ``{fn:N}`` (N indexes ``footnotes``)."""

    text: str
    lang: str = "zh"


@dataclass
class Heading:
    text: str
    level: int = 2
    bold_only: bool = False  # drawn bold at body size (a heading by weight, not size)


@dataclass
class Article:
    title: str
    authors: list[str]
    blocks: list  # Para | Heading
    footnotes: list[str]

    def sentences(self) -> list[str]:
        """Every sentence of the body (not headings, not footnotes), as a reader sees it."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Para):
                text = re.sub(r"\{fn:\d+\}", "", block.text)
                if block.lang == "zh":
                    out += [s for s in re.findall(r"[^。]+。", text)]
                else:
                    out += [s for s in re.findall(r"[^.]+\.", text)]
        return [s.strip() for s in out]


def journal_article(paragraphs: int = 22, per_paragraph: int = 4, seed: int = 7) -> Article:
    """The article: headings, Chinese paragraphs with footnotes, an English abstract."""
    rng = random.Random(seed)
    sentences = sentences_zh(paragraphs * per_paragraph, seed)
    footnotes: list[str] = []
    blocks: list = [Heading("Abstract", 2, bold_only=True), Para(" ".join(ENGLISH), lang="en")]
    sections = ["壹、前言", "貳、風險評估的法制基礎", "參、比較法的觀察", "肆、結論與建議"]
    per_section = max(1, paragraphs // len(sections))
    for p in range(paragraphs):
        if p % per_section == 0 and p // per_section < len(sections):
            blocks.append(Heading(sections[p // per_section], 2))
        chunk = sentences[p * per_paragraph : (p + 1) * per_paragraph]
        if p % 3 == 1:
            number = len(footnotes)
            footnotes.append(f"參見第{chinese_number(number + 1)}號註釋所引文獻，NIST AI 100-1（2023年），頁{rng.randint(3, 40)}。")
            chunk[1] = chunk[1][:-1] + "{fn:" + str(number) + "}。"
        blocks.append(Para("".join(chunk)))
    return Article(TITLE, AUTHORS, blocks, footnotes)


# -- PDF ------------------------------------------------------------------------------------

A4 = (595.0, 842.0)
LEFT, RIGHT, TOP = 72.0, 523.0, 770.0
BODY_SIZE, LEADING = 11.0, 17.0
FOOT_SIZE, FOOT_LEADING = 8.0, 11.0
FOOTNOTE_TOP = 125.0  # footnotes are drawn from here down; the body stops above it
BODY_BOTTOM = FOOTNOTE_TOP + 20
HEADER_Y, FOOTER_Y = 800.0, 40.0
GUTTER = 20.0
_CLOSING = set("，。、；：」』）》〉！？,.;:)!?")


@dataclass
class DrawnLine:
    page: int  # 0-based
    text: str  # what was drawn (a hyphenated word ends with "-")
    x: float
    y: float
    kind: str  # "body", "heading", "title", "footnote", "header", "footer", "author"


@dataclass
class PdfSample:
    path: Path
    article: Article
    lines: list[DrawnLine] = field(default_factory=list)
    pages: int = 0
    hyphenated: list[str] = field(default_factory=list)  # words split at a line end
    two_column_pages: list[int] = field(default_factory=list)

    def page_breaks(self) -> list[tuple[str, str, int]]:
        """(end of a page's last body line, start of the next page's first body line, next
        page) wherever one paragraph goes on across a page."""
        out = []
        for page in range(self.pages - 1):
            last = [ln for ln in self.lines if ln.page == page and ln.kind == "body"]
            first = [ln for ln in self.lines if ln.page == page + 1 and ln.kind in ("body", "heading")]
            if last and first and first[0].kind == "body" and not first[0].text.startswith("\u3000"):
                out.append((last[-1].text, first[0].text, page + 1))
        return out


def _tokens(text: str) -> list[str]:
    """Han characters one by one, Latin words whole, spaces, footnote references."""
    return re.findall(r"\{fn:\d+\}|[A-Za-z0-9][A-Za-z0-9\-–.,;:!?()'’%/]*|\s|.", text)


class _Layout:
    def __init__(self, canvas, font: str, sample: PdfSample, two_column: set[int], bold_font: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.c, self.font, self.sample, self.two_column = canvas, font, sample, two_column
        self.bold_font = bold_font
        self.width = lambda s, size, f=None: stringWidth(s, f or font, size)
        self.page = 0
        self.frames: list[tuple[float, float]] = []
        self.frame = 0
        self.y = TOP
        self.page_footnotes: list[tuple[int, str]] = []
        self.footnote_number = 0
        self._start_page()

    def _start_page(self) -> None:
        if self.page in self.two_column:
            mid = (LEFT + RIGHT) / 2
            self.frames = [(LEFT, mid - GUTTER / 2), (mid + GUTTER / 2, RIGHT)]
            self.sample.two_column_pages.append(self.page)
        else:
            self.frames = [(LEFT, RIGHT)]
        self.frame = 0
        self.y = TOP
        self.page_footnotes = []

    def _finish_page(self) -> None:
        c = self.c
        c.setFont(self.font, 9)
        c.drawString(LEFT, HEADER_Y, JOURNAL_HEADER)
        self._record(JOURNAL_HEADER, LEFT, HEADER_Y, "header")
        label = str(FIRST_LABEL + self.page)
        c.drawCentredString((LEFT + RIGHT) / 2, FOOTER_Y, label)
        self._record(label, (LEFT + RIGHT) / 2, FOOTER_Y, "footer")
        if self.page_footnotes:
            c.setLineWidth(0.5)
            c.line(LEFT, FOOTNOTE_TOP + 8, LEFT + 120, FOOTNOTE_TOP + 8)
            y = FOOTNOTE_TOP - FOOT_SIZE
            for number, text in self.page_footnotes:
                for k, line in enumerate(self._wrap_plain(text, RIGHT - LEFT - 12, FOOT_SIZE)):
                    c.setFont(self.font, FOOT_SIZE)
                    if k == 0:
                        c.drawString(LEFT, y, str(number))
                    c.drawString(LEFT + 12, y, line)
                    self._record((f"{number} " if k == 0 else "") + line, LEFT, y, "footnote")
                    y -= FOOT_LEADING
        c.showPage()
        self.page += 1
        self.sample.pages = self.page

    def _record(self, text: str, x: float, y: float, kind: str) -> None:
        self.sample.lines.append(DrawnLine(self.page, text, x, y, kind))

    def _wrap_plain(self, text: str, width: float, size: float) -> list[str]:
        lines, current = [], ""
        for token in _tokens(text):
            if self.width(current + token, size) > width and current:
                lines.append(current.rstrip())
                current = token.lstrip()
            else:
                current += token
        if current:
            lines.append(current)
        return lines

    def _next_frame(self) -> None:
        if self.frame + 1 < len(self.frames):
            self.frame += 1
            self.y = TOP
        else:
            self._finish_page()
            self._start_page()

    def _need(self, height: float) -> None:
        if self.y - height < BODY_BOTTOM:
            self._next_frame()

    def title(self, text: str, authors: list[str]) -> None:
        self.c.setFont(self.font, 18)
        for line in self._wrap_plain(text, RIGHT - LEFT, 18):
            self.c.drawString(LEFT, self.y, line)
            self._record(line, LEFT, self.y, "title")
            self.y -= 26
        self.c.setFont(self.font, 12)
        line = "、".join(authors)
        self.c.drawString(LEFT, self.y, line)
        self._record(line, LEFT, self.y, "author")
        self.y -= 30

    def heading(self, heading: Heading) -> None:
        size = BODY_SIZE if heading.bold_only else 14.0
        font = self.bold_font if heading.bold_only else self.font
        self._need(size + LEADING * 3)  # never a heading alone at a frame's foot
        self.y -= 6
        self.c.setFont(font, size)
        x0 = self.frames[self.frame][0]
        self.c.drawString(x0, self.y, heading.text)
        self._record(heading.text, x0, self.y, "heading")
        self.y -= LEADING + 6

    def paragraph(self, para: Para, footnotes: list[str]) -> None:
        tokens = _tokens(para.text)
        indent = 2 * BODY_SIZE
        while tokens:
            self._need(LEADING)
            x0, x1 = self.frames[self.frame]
            x = x0 + indent
            drawn = "\u3000\u3000" if indent else ""
            line_tokens: list[tuple[str, float]] = []
            while tokens:
                token = tokens[0]
                if token.startswith("{fn:"):
                    w = self.width("9", 6.5)
                    line_tokens.append((token, x))
                    x += w
                    tokens.pop(0)
                    continue
                if token == " " and not line_tokens:
                    tokens.pop(0)
                    continue
                w = self.width(token, BODY_SIZE)
                if x + w <= x1 or not line_tokens or (token in _CLOSING and x + w <= x1 + BODY_SIZE):
                    line_tokens.append((token, x))
                    x += w
                    tokens.pop(0)
                    continue
                if re.fullmatch(r"[A-Za-z]{8,}[.,;:]?", token):
                    room = x1 - x - self.width("-", BODY_SIZE)
                    cut = 0
                    for k in range(3, len(token) - 3):
                        if self.width(token[:k], BODY_SIZE) <= room and token[k].isalpha():
                            cut = k
                    if cut:
                        line_tokens.append((token[:cut] + "-", x))
                        tokens[0] = token[cut:]
                        self.sample.hyphenated.append(token.rstrip(".,;:"))
                break
            while line_tokens and line_tokens[-1][0] == " ":
                line_tokens.pop()
            # One text run per stretch between footnote references, as typesetters write lines.
            run, run_x = "", None
            for token, tx in line_tokens + [("{end}", x)]:
                if token.startswith("{"):
                    if run:
                        self.c.setFont(self.font, BODY_SIZE)
                        self.c.drawString(run_x, self.y, run)
                        drawn += run
                    run, run_x = "", None
                    if token.startswith("{fn:"):
                        self.footnote_number += 1
                        number = self.footnote_number
                        self.page_footnotes.append((number, footnotes[int(token[4:-1])]))
                        self.c.setFont(self.font, 6.5)
                        self.c.drawString(tx, self.y + 4.5, str(number))
                        drawn += str(number)
                    continue
                if run_x is None:
                    run_x = tx
                run += token
            self._record(drawn, x0, self.y, "body")
            self.y -= LEADING
            indent = 0.0

    def finish(self) -> None:
        self._finish_page()


def make_pdf(
    path: Path,
    font: str = "cid",
    article: Article | None = None,
    page_labels: bool = True,
    two_column: tuple[int, ...] = (2,),
    metadata: bool = True,
) -> PdfSample:
    """Lay ``article`` out as a journal PDF. ``font``: "cid" (MSung-Light, Adobe-CNS1, not
    embedded) or "ttf" (an embedded TrueType CJK font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as rl_canvas

    article = article or journal_article()
    if font == "cid":
        pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
        name = "MSung-Light"
    else:
        from reportlab.pdfbase.ttfonts import TTFont

        found = ttf_font()
        if found is None:
            pytest.skip("no embeddable TrueType CJK font (apt-get install fonts-arphic-uming)")
        name = "ReaderTestTTF"
        pdfmetrics.registerFont(TTFont(name, str(found[0]), subfontIndex=found[1]))
    c = rl_canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if metadata:
        c.setTitle(article.title)
        c.setAuthor("; ".join(article.authors))
        c.setSubject("人工智慧治理")
    if page_labels:
        c.addPageLabel(0, style="D", start=FIRST_LABEL)
    sample = PdfSample(path, article)
    layout = _Layout(c, name, sample, set(two_column), "Helvetica-Bold")
    layout.title(article.title, article.authors)
    for block in article.blocks:
        if isinstance(block, Heading):
            layout.heading(block)
        else:
            layout.paragraph(block, article.footnotes)
    layout.finish()
    c.save()
    return sample


def make_scanned_pdf(path: Path, lines: list[str], pages: int = 1, dpi: int = 200) -> None:
    """A PDF whose pages are only pictures of ``lines`` (no text layer), like a scanner's."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    c = rl_canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = int(A4[0] / 72 * dpi), int(A4[1] / 72 * dpi)
    font = cjk_image_font(int(14 / 72 * dpi))
    for page in range(pages):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        y = int(1.2 * dpi)
        for line in lines:
            draw.text((int(1.0 * dpi), y), line, font=font, fill=0)
            y += int(0.45 * dpi)
        draw.text((width // 2, height - int(0.6 * dpi)), str(page + 1), font=font, fill=0)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        buffer.seek(0)
        c.drawImage(ImageReader(buffer), 0, 0, A4[0], A4[1])
        c.showPage()
    c.save()


# -- DOCX -----------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a0e2e1d50000000049454e44ae426082"
)


def png_image(text: str = "圖", size: tuple[int, int] = (120, 60)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (230, 240, 255))
    ImageDraw.Draw(image).text((10, 10), text, font=cjk_image_font(24), fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class WordSample:
    path: Path
    article: Article
    inserted: str  # a tracked insertion: body text
    deleted: str  # a tracked deletion: not body text
    comment: str  # a comment: not body text
    list_items: list[str]
    table: list[list[str]]
    quote: str
    emphasis: str
    endnote: str = ""


LIST_ITEMS = ["透明性：揭露模型的用途與限制。", "可問責性：明確界定開發者與部署者的責任。", "安全性：部署前完成紅隊測試（red teaming）。"]
TABLE = [["機關", "職掌", "依據"], ["數位發展部", "資料治理與數位韌性", "數位發展部組織法"], ["國科會", "人工智慧基本法草案研擬", "科學技術基本法"]]
QUOTE = "「人工智慧的治理，不在於限制創新，而在於讓信賴成為可能。」"
INSERTED = "本段係修正草案新增的文字。"
DELETED = "本句已於審查會議中刪除。"
COMMENT = "請法務處確認此段引文的出處。"
EMPHASIS = "風險分級"
ENDNOTE = "本文為作者個人意見，不代表任何機關立場。"


def make_docx(path: Path, article: Article | None = None) -> WordSample:
    """A Word file: core properties, headings, paragraphs with footnotes (the footnotes part
    is added to the package by hand: python-docx writes none), a list, a table, emphasis, a
    picture, a comment, a tracked insertion and a tracked deletion, an endnote."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Inches

    article = article or journal_article()
    document = docx.Document()
    props = document.core_properties
    props.title = article.title
    props.author = "; ".join(article.authors)
    import datetime

    props.created = datetime.datetime(2024, 6, 15, 9, 0, 0)
    document.add_heading(article.title, level=0)
    footnote_refs: list[tuple[int, str]] = []
    emphasis_done = False
    for block in article.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level - 1 if block.level > 1 else 1)
            continue
        paragraph = document.add_paragraph()
        pieces = re.split(r"(\{fn:\d+\})", block.text)
        for piece in pieces:
            match = re.fullmatch(r"\{fn:(\d+)\}", piece)
            if match:
                number = len(footnote_refs) + 1
                footnote_refs.append((number, article.footnotes[int(match.group(1))]))
                run = paragraph.add_run()
                run._r.append(parse_xml(f'<w:rPr xmlns:w="{W}"><w:vertAlign w:val="superscript"/></w:rPr>'))
                run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W}" w:id="{number}"/>'))
                continue
            if not emphasis_done and EMPHASIS in piece:
                before, after = piece.split(EMPHASIS, 1)
                paragraph.add_run(before)
                paragraph.add_run(EMPHASIS).bold = True
                paragraph.add_run(after)
                emphasis_done = True
            elif piece:
                paragraph.add_run(piece)
    if not emphasis_done:
        paragraph = document.add_paragraph()
        paragraph.add_run(EMPHASIS).bold = True
        paragraph.add_run("為本文的核心概念。")
    for item in LIST_ITEMS:
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for k, cell in enumerate(row):
            table.cell(r, k).text = cell
    document.add_paragraph(QUOTE, style="Quote")
    # A tracked insertion and a tracked deletion in one paragraph, and a comment on it.
    tracked = document.add_paragraph("修正說明：")
    tracked._p.append(parse_xml(
        f'<w:ins xmlns:w="{W}" w:id="901" w:author="審查委員" w:date="2024-05-01T00:00:00Z">'
        f"<w:r><w:t>{INSERTED}</w:t></w:r></w:ins>"
    ))
    tracked._p.append(parse_xml(
        f'<w:del xmlns:w="{W}" w:id="902" w:author="審查委員" w:date="2024-05-01T00:00:00Z">'
        f"<w:r><w:delText>{DELETED}</w:delText></w:r></w:del>"
    ))
    document.add_comment(tracked.runs[0], text=COMMENT, author="法務處")
    endnote_paragraph = document.add_paragraph("作者說明。")
    run = endnote_paragraph.add_run()
    run._r.append(parse_xml(f'<w:endnoteReference xmlns:w="{W}" w:id="1"/>'))
    picture = io.BytesIO(png_image("圖一"))
    document.add_picture(picture, width=Inches(1.5))
    document.add_paragraph("圖一：風險管理框架的四項功能。")
    document.save(str(path))
    _add_notes_parts(path, footnote_refs, [(1, ENDNOTE)])
    return WordSample(path, article, INSERTED, DELETED, COMMENT, LIST_ITEMS, TABLE, QUOTE, EMPHASIS, ENDNOTE)


def _add_notes_parts(path: Path, footnotes: list[tuple[int, str]], endnotes: list[tuple[int, str]]) -> None:
    """Add word/footnotes.xml and word/endnotes.xml (with their relationships and content
    types) to a saved .docx, as Word writes them."""
    def notes_xml(tag: str, notes: list[tuple[int, str]]) -> str:
        body = "".join(
            f'<w:{tag} w:id="{number}"><w:p><w:r><w:{tag}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{tag}>'
            for number, text in notes
        )
        separators = (
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
        )
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag}s xmlns:w="{W}">{separators}{body}</w:{tag}s>'

    with zipfile.ZipFile(path) as source:
        items = {info.filename: source.read(info) for info in source.infolist()}
    rels = items["word/_rels/document.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
        '<Relationship Id="rIdEn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>'
        "</Relationships>",
    )
    types = items["[Content_Types].xml"].decode().replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
        '<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/>'
        "</Types>",
    )
    items["word/_rels/document.xml.rels"] = rels.encode()
    items["[Content_Types].xml"] = types.encode()
    items["word/footnotes.xml"] = notes_xml("footnote", footnotes).encode()
    items["word/endnotes.xml"] = notes_xml("endnote", endnotes).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)


# -- ODT ------------------------------------------------------------------------------------


def make_odt(path: Path, article: Article | None = None) -> WordSample:
    """The same article as OpenDocument text (odfpy): meta, headings, footnotes (text:note),
    a list, a table, emphasis, a picture, an annotation and tracked changes."""
    from odf import dc, draw, meta, table, text
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties

    article = article or journal_article()
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=article.title))
    document.meta.addElement(dc.Creator(text="; ".join(article.authors)))
    document.meta.addElement(dc.Date(text="2024-06-15T09:00:00"))
    document.meta.addElement(meta.InitialCreator(text=article.authors[0]))
    strong = Style(name="Strong", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(strong)
    body = document.text
    changes = text.TrackedChanges()
    for change_id, kind in (("ct1", "insertion"), ("ct2", "deletion")):
        region = text.ChangedRegion(check_grammar=False)
        region.setAttrNS(text.TEXTNS, "id", change_id)
        element = text.Insertion() if kind == "insertion" else text.Deletion()
        info = __import__("odf.office", fromlist=["ChangeInfo"]).ChangeInfo()
        info.addElement(dc.Creator(text="審查委員"))
        info.addElement(dc.Date(text="2024-05-01T00:00:00"))
        element.addElement(info)
        if kind == "deletion":
            element.addElement(text.P(text=DELETED))
        region.addElement(element)
        changes.addElement(region)
    body.addElement(changes)
    body.addElement(text.H(outlinelevel=1, text=article.title))
    emphasis_done = False
    for block in article.blocks:
        if isinstance(block, Heading):
            body.addElement(text.H(outlinelevel=block.level, text=block.text))
            continue
        paragraph = text.P()
        for piece in re.split(r"(\{fn:\d+\})", block.text):
            match = re.fullmatch(r"\{fn:(\d+)\}", piece)
            if match:
                number = int(match.group(1)) + 1
                note = text.Note(id=f"ftn{number}", noteclass="footnote")
                note.addElement(text.NoteCitation(text=str(number)))
                note_body = text.NoteBody()
                note_body.addElement(text.P(text=article.footnotes[int(match.group(1))]))
                note.addElement(note_body)
                paragraph.addElement(note)
            elif not emphasis_done and EMPHASIS in piece:
                before, after = piece.split(EMPHASIS, 1)
                paragraph.addText(before)
                paragraph.addElement(text.Span(stylename=strong, text=EMPHASIS))
                paragraph.addText(after)
                emphasis_done = True
            elif piece:
                paragraph.addText(piece)
        body.addElement(paragraph)
    if not emphasis_done:
        paragraph = text.P()
        paragraph.addElement(text.Span(stylename=strong, text=EMPHASIS))
        paragraph.addText("為本文的核心概念。")
        body.addElement(paragraph)
    items = text.List()
    for item in LIST_ITEMS:
        li = text.ListItem()
        li.addElement(text.P(text=item))
        items.addElement(li)
    body.addElement(items)
    grid = table.Table(name="機關職掌")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=len(TABLE[0])))
    for row in TABLE:
        tr = table.TableRow()
        for cell in row:
            tc = table.TableCell()
            tc.addElement(text.P(text=cell))
            tr.addElement(tc)
        grid.addElement(tr)
    body.addElement(grid)
    quote = Style(name="Quotations", family="paragraph")
    document.styles.addElement(quote)
    body.addElement(text.P(stylename=quote, text=QUOTE))
    tracked = text.P(text="修正說明：")
    tracked.addElement(text.ChangeStart(changeid="ct1"))
    tracked.addText(INSERTED)
    tracked.addElement(text.ChangeEnd(changeid="ct1"))
    tracked.addElement(text.Change(changeid="ct2"))
    annotation = __import__("odf.office", fromlist=["Annotation"]).Annotation()
    annotation.addElement(dc.Creator(text="法務處"))
    annotation.addElement(text.P(text=COMMENT))
    tracked.addElement(annotation)
    body.addElement(tracked)
    endnote_paragraph = text.P(text="作者說明。")
    note = text.Note(id="edn1", noteclass="endnote")
    note.addElement(text.NoteCitation(text="i"))
    note_body = text.NoteBody()
    note_body.addElement(text.P(text=ENDNOTE))
    note.addElement(note_body)
    endnote_paragraph.addElement(note)
    body.addElement(endnote_paragraph)
    href = document.addPicture("Pictures/figure1.png", "image/png", png_image("圖一"))
    frame = draw.Frame(width="3cm", height="1.5cm", anchortype="paragraph")
    frame.addElement(draw.Image(href=href))
    picture = text.P()
    picture.addElement(frame)
    body.addElement(picture)
    body.addElement(text.P(text="圖一：風險管理框架的四項功能。"))
    document.save(str(path))
    return WordSample(path, article, INSERTED, DELETED, COMMENT, LIST_ITEMS, TABLE, QUOTE, EMPHASIS, ENDNOTE)


# -- EPUB -----------------------------------------------------------------------------------


@dataclass
class EpubSample:
    path: Path
    chapters: list[tuple[str, list[str]]]  # (TOC title, paragraphs) in spine order
    footnote: str


def make_epub(path: Path, chapters: int = 3, encrypted: str = "", manifest_order_reversed: bool = True) -> EpubSample:
    """An EPUB 3 book by hand (the OCF zip, OPF, nav and XHTML chapters). The manifest lists
    the chapters in reverse so that only the spine gives the reading order; chapter titles
    exist only in the navigation document (so the TOC must supply the headings). The first
    chapter has an EPUB footnote (epub:type noteref/footnote) and a picture.
    ``encrypted``: "" | "content" (encryption.xml naming a chapter) | "font" (only a font:
    obfuscation, not DRM) | "rights" (META-INF/rights.xml, Adobe ADEPT)."""
    sentences = sentences_zh(chapters * 3, seed=11, start=200)
    chapter_data = []
    for k in range(chapters):
        chapter_data.append((f"第{chinese_number(k + 1)}章　{['緒論', '比較法分析', '立法建議', '結語'][k % 4]}", sentences[k * 3 : k * 3 + 3]))
    footnote = "參見行政院107年函釋。"
    files: dict[str, bytes] = {}
    ids = [f"ch{k + 1}" for k in range(chapters)]
    for k, (_title, paragraphs) in enumerate(chapter_data):
        extra = ""
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        if k == 0:
            body = body.replace("</p>", '<a epub:type="noteref" href="#n1">1</a></p>', 1)
            extra = f'<aside epub:type="footnote" id="n1"><p>{footnote}</p></aside><p><img src="../images/fig.png" alt="示意圖"/></p>'
        files[f"OEBPS/text/{ids[k]}.xhtml"] = (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="zh-Hant">'
            f"<head><title>{ids[k]}</title></head><body><section>{body}{extra}</section></body></html>"
        ).encode()
    nav_items = "".join(f'<li><a href="text/{ids[k]}.xhtml">{title}</a></li>' for k, (title, _) in enumerate(chapter_data))
    files["OEBPS/nav.xhtml"] = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<head><title>目錄</title></head><body><nav epub:type="toc"><h1>目錄</h1><ol>{nav_items}</ol></nav></body></html>'
    ).encode()
    files["OEBPS/images/fig.png"] = png_image("示意")
    manifest = [f'<item id="{i}" href="text/{i}.xhtml" media-type="application/xhtml+xml"/>' for i in ids]
    if manifest_order_reversed:
        manifest.reverse()
    manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
    manifest.append('<item id="fig" href="images/fig.png" media-type="image/png"/>')
    spine = "".join(f'<itemref idref="{i}"/>' for i in ids)
    files["OEBPS/content.opf"] = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="uid">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>'
        f"<dc:title>數位治理論文集</dc:title><dc:creator>王大明</dc:creator><dc:creator>李小華</dc:creator>"
        "<dc:date>2023-11-02</dc:date><dc:language>zh-TW</dc:language></metadata>"
        f"<manifest>{''.join(manifest)}</manifest><spine>{spine}</spine></package>"
    ).encode()
    files["META-INF/container.xml"] = (
        b'<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        b'<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
    )
    if encrypted in ("content", "font"):
        target = "OEBPS/text/ch1.xhtml" if encrypted == "content" else "OEBPS/fonts/a.otf"
        algorithm = "http://www.w3.org/2001/04/xmlenc#aes128-cbc" if encrypted == "content" else "http://www.idpf.org/2008/embedding"
        files["META-INF/encryption.xml"] = (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
            f'<enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>'
            f'<enc:CipherData><enc:CipherReference URI="{target}"/></enc:CipherData></enc:EncryptedData></encryption>'
        ).encode()
    if encrypted == "rights":
        files["META-INF/rights.xml"] = b'<adept:rights xmlns:adept="http://ns.adobe.com/adept"/>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")  # stored, first
        for name, data in files.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return EpubSample(path, chapter_data, footnote)


# -- saved web pages ------------------------------------------------------------------------


@dataclass
class PageSample:
    path: Path
    title: str
    paragraphs: list[str]
    chrome: list[str]  # site navigation and footer text that must not be body text
    image_name: str = ""
    image: bytes = b""


def _page_html(title: str, paragraphs: list[str], image_src: str, charset: str, extra_img: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="{charset}"><title>{title} - 科技政策觀測站</title>'
        f'<meta property="og:title" content="{title}"><meta name="author" content="張雅婷">'
        '<meta property="article:published_time" content="2024-05-21T08:00:00+08:00"></head><body>'
        '<header><nav><a href="/">首頁</a> | <a href="/news">最新消息</a> | <a href="/about">關於我們</a></nav></header>'
        f'<main><article><h1>{title}</h1>{body}<figure><img src="{image_src}" alt="會議照片"><figcaption>會議現場。</figcaption></figure>{extra_img}</article></main>'
        "<aside><h3>熱門文章</h3><ul><li>側欄推薦文章一</li></ul></aside>"
        "<footer><p>版權所有 &copy; 2024 科技政策觀測站</p></footer></body></html>"
    )


CHROME = ["首頁", "最新消息", "關於我們", "熱門文章", "側欄推薦文章一", "版權所有"]


def make_mhtml(path: Path, charset: str = "big5", transfer: str = "quoted-printable", hostile: bool = False) -> PageSample:
    """A single-file page as Chrome saves it ("Saved by Blink": multipart/related, the HTML
    part in ``charset`` with ``transfer`` encoding, the picture as a base64 part), written
    with the email package's header and transfer encoders. ``hostile`` adds a part and a
    reference that name local files (``file:``) and a remote picture not in the archive."""
    import base64
    import quopri
    from email.header import Header

    title = "人工智慧基本法草案公告"
    paragraphs = sentences_zh(4, seed=21, start=311)  # no 〇: Big5 has no U+3007
    image = png_image("照片")
    extra = ""
    if hostile:
        extra = '<img src="file:///etc/hostname" alt="本機"><img src="https://example.invalid/track.png" alt="遠端">'
    html = _page_html(title, paragraphs, "img/photo.png", charset, extra)
    raw = html.encode("cp950" if charset.lower() == "big5" else charset)
    if transfer == "quoted-printable":
        body = quopri.encodestring(raw).decode("ascii")
    elif transfer == "base64":
        body = base64.encodebytes(raw).decode("ascii")
    else:
        body, transfer = raw.decode("latin-1"), "8bit"
    boundary = "----MultipartBoundary--Zq3x9Yb1c2----"
    parts = [
        f'Content-Type: text/html; charset="{charset}"\r\nContent-Transfer-Encoding: {transfer}\r\n'
        f"Content-Location: https://news.example.tw/ai-law\r\n\r\n{body}",
        "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Location: https://news.example.tw/img/photo.png\r\n\r\n{base64.encodebytes(image).decode('ascii')}",
    ]
    if hostile:
        parts.append(
            "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: file:///etc/hostname\r\n\r\n"
            + base64.encodebytes(b"ARCHIVED-LOCAL-PART").decode("ascii")
        )
    head = (
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example.tw/ai-law\r\n"
        f"Subject: {Header(title, 'utf-8').encode()}\r\nDate: Tue, 21 May 2024 08:00:00 +0800\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
    )
    text = head + "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    path.write_bytes(text.encode("latin-1"))
    return PageSample(path, title, paragraphs, CHROME, "photo.png", image)


def make_saved_html(folder: Path, name: str = "ai-law") -> PageSample:
    """A page saved "complete": ``NAME.html`` beside ``NAME_files/`` with its picture."""
    title = "行政院會通過數位中介服務法草案"
    paragraphs = sentences_zh(4, seed=31, start=400)
    image = png_image("現場")
    files = folder / f"{name}_files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "photo.png").write_bytes(image)
    html = _page_html(title, paragraphs, f"./{name}_files/photo.png", "utf-8", '<img src="../outside.png" alt="外部">')
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return PageSample(path, title, paragraphs, CHROME, "photo.png", image)


# -- checks of the generators themselves ---------------------------------------------------


def test_cid_pdf_uses_a_non_embedded_cns1_font(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "a.pdf", font="cid")
    data = sample.path.read_bytes()
    assert b"/MSung-Light" in data and b"Adobe" in data and b"CNS1" in data
    assert b"/FontFile" not in data  # not embedded
    assert sample.pages >= 4 and sample.two_column_pages and sample.hyphenated
    assert sample.page_breaks(), "the article should run a paragraph across a page"


def test_ttf_pdf_embeds_its_font(tmp_path: Path) -> None:
    sample = make_pdf(tmp_path / "b.pdf", font="ttf")
    assert b"/FontFile2" in sample.path.read_bytes()


def test_article_sentences_are_distinct() -> None:
    sentences = journal_article().sentences()
    assert len(sentences) == len(set(sentences)) > 40
