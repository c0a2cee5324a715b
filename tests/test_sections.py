"""Large Markdown is formatted section by section; the result must be the whole conversion's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.render import markdown_html, sections
from reader.render.plaintext import TextMap

BLOCKS = st.sampled_from(
    [
        "一般段落，含 **粗體**、*斜體*、`code` 與 [連結](http://example.org)。",
        "## 概述",
        "## 概述",
        "### 細節 AI 安全",
        "# 第一章",
        "- 項目\n- 項目\n\n    縮排的續段",
        "1. 第一\n2. 第二",
        "> 引文\n>\n> 第二段",
        "| 甲 | 乙 |\n|---|---|\n| 一 | 二 |",
        "```\n程式\n\n# 不是標題\n```",
        "~~~~\n\n## 也不是標題\n~~~~",
        "    縮排的程式碼\n\n    # 仍是程式碼",
        "標題二\n------",
        "AT&T 與 &amp; 與 \\# 跳脫",
        "段落標題\n====",
        "* 星號項目\n\n  續段",
        "2) 括號項目",
        "---",
        "***",
        "   縮排三格的段落",
        "\t定位字元開頭",
        "> 引文\n延續的懶惰行",
        "文字  \n換行",
        "1986. 年份開頭",
        "+ 加號項目",
        "![圖](images/a.png) 圖說",
    ]
)


def _whole(text: str) -> markdown_html.Rendered:
    saved = sections.SECTION_CHARS
    sections.SECTION_CHARS = 10**12
    try:
        return markdown_html._render(text)
    finally:
        sections.SECTION_CHARS = saved


@settings(max_examples=150, deadline=None)
@given(blocks=st.lists(BLOCKS, min_size=3, max_size=60), size=st.sampled_from([40, 150, 600]))
def test_sections_give_the_whole_conversion(blocks: list[str], size: int) -> None:
    text = "\n\n".join(blocks)
    saved = sections.SECTION_CHARS
    sections.SECTION_CHARS = size
    try:
        parted = markdown_html._render(text)
        cut = len(sections.sections(text, size))
    finally:
        sections.SECTION_CHARS = saved
    whole = _whole(text)
    assert parted.html == whole.html, cut
    assert parted.headings == whole.headings
    if cut > 1:
        assert parted.text == TextMap.build(whole.html).text


def test_articles_that_may_reach_across_sections_stay_whole() -> None:
    body = "## 一\n\n" + "文字。" * 50 + "\n\n## 二\n\n" + "文字。" * 50
    assert len(sections.sections(body, 100)) == 2
    for extra in ("\n\n[ref]: http://example.org", "\n\n註[^1]\n\n[^1]: 腳註", "\n\n<div>\n\n## 三\n\n</div>"):
        assert sections.sections(body + extra, 100) == [body + extra]
