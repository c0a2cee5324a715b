"""Word (.docx): the Markdown export's content, with each citation as a real footnote.

Written as WordprocessingML directly (python-docx, which reads these files, has no footnote
API): a main document, styles (Title, Heading 1, Quote, Footnote Text, Footnote Reference,
and two of ours), settings naming the footnote separators, and ``word/footnotes.xml`` with
one footnote per quote (the citation with its locator; for an in-text style the reference
entry followed by the parenthetical citation). Chinese text is set in PMingLiU (新細明體)
and tagged zh-TW, Latin text in Times New Roman. The archive's timestamps are fixed: given
the same ``created`` time, the same export makes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser
from xml.sax.saxutils import escape as _xml_escape

from reader.exporting.entries import ARTICLE_NOTE, PASSAGE, Built, Entry, summary

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: Characters XML 1.0 cannot hold (Word refuses a file that has them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _text(value: str) -> str:
    return _xml_escape(_NOT_XML.sub("", value or ""))


def _attr(value: str) -> str:
    return _xml_escape(_NOT_XML.sub("", value or ""), {'"': "&quot;"})


Run = tuple[str, frozenset]  # text, formats (i, b, sup, sub)


class _Runs(HTMLParser):
    """citeproc-py's HTML (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, small caps) as runs."""

    TAGS = {"i": "i", "em": "i", "b": "b", "strong": "b", "sup": "sup", "sub": "sub"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(self.TAGS.get(tag, ""))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if data:
            self.runs.append((data, frozenset(f for f in self.stack if f)))


def html_runs(markup: str) -> list[Run]:
    parser = _Runs()
    parser.feed(markup)
    parser.close()
    return parser.runs


def _run(text: str, formats: frozenset = frozenset(), style: str = "") -> str:
    props = []
    if style:
        props.append(f'<w:rStyle w:val="{style}"/>')
    if "b" in formats:
        props.append("<w:b/>")
    if "i" in formats:
        props.append("<w:i/>")
    if "sup" in formats:
        props.append('<w:vertAlign w:val="superscript"/>')
    elif "sub" in formats:
        props.append('<w:vertAlign w:val="subscript"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    pieces = []
    for number, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        if number:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:t xml:space="preserve">{_text(line)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>" if pieces else ""


def _paragraph(runs: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{runs}</w:p>"


def _footnote_reference(number: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'


def _footnote(number: int, markup: str) -> str:
    runs = "".join(_run(text, formats) for text, formats in html_runs(markup))
    return (
        f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{runs}</w:p></w:footnote>'
    )


def _spaced(label: str) -> str:
    """A label and the space before what follows it (none after a full-width colon)."""
    return label if label.endswith(("：", "　")) else label + " "


def _details(entry: Entry, built: Built) -> str:
    parts = []
    if entry.color:
        parts.append(entry.color)
    if entry.tags:
        parts.append(" ".join("#" + t for t in entry.tags))
    if entry.locator_text:
        parts.append(entry.locator_text)
    if entry.detached:
        parts.append(built.label("detached"))
    return " · ".join(parts)


def _quote_runs(entry: Entry) -> str:
    quote = " ".join(entry.quote.split()) if entry.kind != PASSAGE else entry.quote
    if entry.kind == PASSAGE and entry.match and entry.match_at is not None:
        at = entry.match_at
        end = at + len(entry.match)
        return _run(quote[:at]) + _run(quote[at:end], frozenset({"b"})) + _run(quote[end:])
    return _run(quote)


def document_parts(built: Built) -> tuple[str, str]:
    """(word/document.xml, word/footnotes.xml)."""
    body: list[str] = [_paragraph(_run(built.title), "Title")]
    if built.kind == "passages":
        body.append(_paragraph(_run(summary(built))))
    body.append(_paragraph(_run(built.label("citation_style", style=built.style.title)), "Details"))
    notes: list[str] = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    number = 0
    for group in built.groups:
        body.append(_paragraph(_run(group.title), "Heading1"))
        where = " · ".join([group.path] + ([group.date] if group.date else []) + ([group.url] if group.url else []))
        body.append(_paragraph(_run(where), "Details"))
        if group.reference is not None and group.reference.reference_html:
            body.append(_paragraph("".join(_run(t, f) for t, f in html_runs(group.reference.reference_html)), "Reference"))
        for entry in group.entries:
            if entry.kind == ARTICLE_NOTE:
                if entry.note:
                    body.append(_paragraph(_run(_spaced(built.label("article_note")), frozenset({"b"})) + _run(entry.note)))
                continue
            runs = _quote_runs(entry)
            if entry.citation is not None:
                number += 1
                runs += _footnote_reference(number)
                notes.append(_footnote(number, entry.citation.footnote_html))
            body.append(_paragraph(runs, "Quote"))
            details = _details(entry, built)
            if details:
                body.append(_paragraph(_run(details), "Details"))
            if entry.note:
                body.append(_paragraph(_run(entry.note)))
    section = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" xmlns:r="{R_NS}"><w:body>{"".join(body)}{section}</w:body></w:document>'
    )
    footnotes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W}" xmlns:r="{R_NS}">{"".join(notes)}</w:footnotes>'
    )
    return document, footnotes


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"""

_DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL}/settings" Target="settings.xml"/><Relationship Id="rId3" Type="{REL}/footnotes" Target="footnotes.xml"/><Relationship Id="rId4" Type="{REL}/fontTable" Target="fontTable.xml"/></Relationships>"""

# The fonts described, so that a word processor without PMingLiU (新細明體, on every Windows
# with Traditional Chinese) substitutes a serif Traditional Chinese font (a Ming typeface,
# as Taiwanese law journals are set), not a sans one.
_FONT_TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W}"><w:font w:name="PMingLiU"><w:altName w:val="新細明體"/><w:panose1 w:val="02020500000000000000"/><w:charset w:val="88"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="compressPunctuation"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"""

_FONTS = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="PMingLiU" w:cs="Times New Roman"/>'
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{_FONTS}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-TW" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:right="567"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Details"><w:name w:val="Reader Details"/><w:basedOn w:val="Normal"/><w:rPr><w:color w:val="666666"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Reference"><w:name w:val="Reader Reference"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"""


def _core(title: str, created: dt.datetime) -> str:
    stamp = created.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>Reader</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Reader</Application></Properties>"""


def write(built: Built, created: dt.datetime | None = None) -> bytes:
    document, footnotes = document_parts(built)
    created = created or dt.datetime.now(dt.timezone.utc)
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _core(built.title, created)),
        ("docProps/app.xml", _APP),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/styles.xml", _STYLES),
        ("word/settings.xml", _SETTINGS),
        ("word/footnotes.xml", footnotes),
        ("word/fontTable.xml", _FONT_TABLE),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
