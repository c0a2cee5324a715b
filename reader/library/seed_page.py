"""Clean a saved article page of the institute's site (the format of ``shared/seeds``).

Such a page is Markdown-like text: the title, the article body, then the site's furniture.
We keep the title, body, author credit, date (上稿時間), sources (資料來源), further reading
(延伸閱讀) and tags (文章標籤); navigation, event adverts (你可能會想參加), recommended articles
(推薦文章) and related links whose targets are missing (相關連結 ... ``(#)``) are dropped.
"""

from __future__ import annotations

import re

from reader.library.model import Article, Source

DATE_MARK = "上稿時間"
_SECTION = re.compile(r"^\s*(相關連結|你可能會想參加|上稿時間|資料來源|延伸閱讀|文章標籤|推薦文章)\s*[:：]?\s*(.*)$")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_CREDIT = re.compile(r"^[^\s-].{0,40}(編譯整理|編譯|整理|撰文|撰稿|撰|作者)\s*$")
_LINK = re.compile(r"^\s*[-*]\s*\[(?P<text>.*)\]\((?P<url>[^)]*)\)\s*$")
_URL = re.compile(r"<(https?://[^>\s]+)>|(https?://[^\s)）>]+)")


def looks_like_seed_page(text: str) -> bool:
    return any(line.strip().startswith(DATE_MARK) for line in text.splitlines())


def _paragraphs(lines: list[str]) -> list[str]:
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _plain(markdown_text: str) -> str:
    """Strip inline Markdown emphasis and escapes from a short piece of text."""
    text = re.sub(r"(\*\*|\*|__)(.+?)\1", r"\2", markdown_text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", text).strip()


def _source(paragraph: str) -> Source:
    match = _URL.search(paragraph)
    if not match:
        return Source(title=_plain(paragraph).rstrip("。."))
    url = match.group(1) or match.group(2)
    title = _plain(paragraph[: match.start()]).rstrip(" ,，、:：")
    return Source(title=title or url, url=url)


def convert_seed_page(text: str, path: str = "") -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    article = Article(path=path, title=lines[start].strip() if start < len(lines) else "")
    sections: dict[str, list[str]] = {"body": []}
    current = "body"
    for line in lines[start + 1 :]:
        match = _SECTION.match(line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
            if match.group(2):
                sections[current].append(match.group(2))
            continue
        sections.setdefault(current, []).append(line)

    body = _paragraphs(sections["body"])
    # The author credit stands alone just before 上稿時間, usually after the advert list.
    for name in ("你可能會想參加", "相關連結", "body"):
        kept = []
        for block in _paragraphs(sections.get(name, [])):
            if _CREDIT.match(block) and "\n" not in block and not article.authors:
                article.authors = [block.strip()]
            elif name == "body":
                kept.append(block)
        if name == "body":
            body = kept

    date = _DATE.search(" ".join(sections.get(DATE_MARK, [])))
    if date:
        year, month, day = date.groups()
        article.date = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")

    related = []
    for line in sections.get("相關連結", []):
        link = _LINK.match(line)
        if link and link.group("url").strip() not in ("", "#"):
            related.append(f"- [{link.group('text')}]({link.group('url').strip()})")
    if related:
        body += ["## 相關連結", "\n".join(related)]
    further = _paragraphs(sections.get("延伸閱讀", []))
    if further:
        body += ["## 延伸閱讀", *further]

    article.sources = [_source(p) for p in _paragraphs(sections.get("資料來源", []))]
    article.tags = [t.strip() for t in sections.get("文章標籤", []) if t.strip()]
    article.body = "\n\n".join(body)
    return article
