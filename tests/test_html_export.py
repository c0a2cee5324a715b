"""``reader export --format html`` writes a self-contained page: opened in a browser, it loads
nothing. Images inside the library are embedded as data: URIs by the reading pane's rule
(regular files inside the library after following symlinks, image types, the size cap);
everything else that would load a resource is left out."""

from __future__ import annotations

import base64
import os
import zlib
from pathlib import Path

import lxml.html
import pytest

from reader.library.model import Article
from reader.render.article import render_article
from reader.render.export import article_page
from reader.render.resources import MAX_IMAGE_BYTES, library_image
from tests.conftest import run_cli
from tests.test_hostile_articles import hostile_library

#: Attributes with which an element makes a browser fetch something.
FETCHING = {"src", "srcset", "imagesrcset", "poster", "background", "lowsrc", "dynsrc", "data", "codebase", "archive", "ping", "xlink:href", "action", "formaction", "longdesc", "manifest"}


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


INSIDE = png(3, 2, (200, 30, 30))
SECOND = png(2, 2, (30, 200, 30))
SECRET = png(2, 3, (1, 2, 3))


def library_with_images(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    (root / "notes" / "img").mkdir(parents=True)
    (root / "shared").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(SECRET)
    (root / "notes" / "img" / "chart.png").write_bytes(INSIDE)
    (root / "shared" / "圖 二.png").write_bytes(SECOND)
    (root / "notes" / "img" / "escape.png").symlink_to(outside / "secret.png")
    (root / "notes" / "img" / "inner.png").symlink_to(root / "notes" / "img" / "chart.png")  # stays inside
    (root / "notes" / "img" / "fake.png").write_text("<html>not an image</html>", encoding="utf-8")
    (root / "notes" / "img" / "notes.txt").write_bytes(INSIDE)  # an image's bytes, not an image file type
    (root / "notes" / "img" / "huge.png").write_bytes(INSIDE + b"\0" * MAX_IMAGE_BYTES)
    os.mkfifo(root / "notes" / "img" / "fifo.png")
    (root / "notes" / "article.md").write_text(
        f"""---
title: 圖片與外部資源
---

正文開始 <img src="../../outside/secret.png" alt="秘密"> 與 ![圖表](img/chart.png "圖表") 再一次 ![again](img/chart.png)。

![共用](../shared/%E5%9C%96%20%E4%BA%8C.png) ![內部連結](img/inner.png) ![逃出](img/escape.png)
![假](img/fake.png) ![文字](img/notes.txt) ![太大](img/huge.png) ![管道](img/fifo.png)
![遠端](http://127.0.0.1:9/remote.png) ![協定](//127.0.0.1:9/x.png) ![檔案](file://{outside}/secret.png)
![絕對]({outside}/secret.png) ![上層](../../outside/secret.png)

<img src="img/chart.png" srcset="../../outside/secret.png 2x, http://127.0.0.1:9/x.png 3x">
<picture><source srcset="../../outside/secret.png"><img src="img/chart.png" alt="picture"></picture>
<p style="background: url(../../outside/secret.png)">有樣式的段落</p>
<video poster="../../outside/secret.png" src="x.mp4"></video>
<table background="../../outside/secret.png"><tr><td>表格</td></tr></table>

正文結束。
""",
        encoding="utf-8",
    )
    return root


def fetching_attributes(page: str) -> list[tuple[str, str, str]]:
    doc = lxml.html.document_fromstring(page)
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower() in FETCHING or (name.lower() == "style" and "url(" in value.replace(" ", "").lower()):
                found.append((element.tag, name, value))
    return found


def embedded_images(page: str) -> list[bytes]:
    doc = lxml.html.document_fromstring(page)
    out = []
    for img in doc.iter("img"):
        src = img.get("src")
        assert src is not None and src.startswith("data:image/png;base64,"), src
        out.append(base64.b64decode(src.split(",", 1)[1]))
    return out


def test_the_exported_page_embeds_library_images_and_loads_nothing(tmp_path: Path, data_dir: Path) -> None:
    library = library_with_images(tmp_path)
    result = run_cli("export", "notes/article.md", "--library", str(library), "--format", "html", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page = result.stdout
    # Every resource-loading attribute left is an embedded image: nothing points outside the page.
    for tag, name, value in fetching_attributes(page):
        assert tag == "img" and name == "src" and value.startswith("data:image/png;base64,"), (tag, name, value[:80])
    # The images the article may show, in order, with the library files' own bytes.
    assert embedded_images(page) == [INSIDE, INSIDE, SECOND, INSIDE, INSIDE, INSIDE]
    assert base64.b64encode(SECRET).decode() not in page and "secret" not in page
    doc = lxml.html.document_fromstring(page)
    assert not doc.xpath("//link|//script|//video|//source|//picture/source|//object|//embed|//iframe")
    [style] = doc.xpath("//style")
    assert "url(" not in style.text and "@import" not in style.text
    # What was left out says so where it was, with its description; the text is all there.
    missing = [span.text_content() for span in doc.find_class("image-missing")]
    assert "〔圖片未顯示 image not shown: 秘密〕" in missing
    assert sum("逃出" in m or "假" in m or "文字" in m or "太大" in m or "管道" in m for m in missing) == 5
    assert len(missing) == 11
    text = doc.text_content()
    assert "正文開始" in text and "有樣式的段落" in text and "表格" in text and "正文結束" in text
    assert "notes/article.md: 11 images left out of the page" in result.stderr


def test_highlights_and_notes_stay_in_the_self_contained_page(tmp_path: Path, data_dir: Path) -> None:
    library = library_with_images(tmp_path)
    article = Article(path="notes/article.md", title="t", body="前文 ![圖表](img/chart.png) 重點句子在此。 ![x](../../outside/secret.png)")
    rendered = render_article(article)
    start = rendered.text.index("重點句子")
    hostile_color = "red; background-image: url(../../outside/secret.png)"
    page = article_page(article, rendered, [(start, start + 4, hostile_color, "筆記")], library=library, base=library / "notes")
    doc = lxml.html.document_fromstring(page)
    [mark] = doc.iter("mark")
    assert mark.text == "重點句子" and mark.get("style") == "background-color: #ffe066"
    assert doc.get_element_by_id("note-1").text_content().startswith("筆記")
    assert embedded_images(page) == [INSIDE]
    assert fetching_attributes(page) == [("img", "src", doc.xpath("//img")[0].get("src"))]


def test_without_a_library_no_image_is_embedded(tmp_path: Path) -> None:
    article = Article(path="a.md", title="t", body="![x](img/chart.png) 文字")
    page = article_page(article, render_article(article), [])
    assert not lxml.html.document_fromstring(page).xpath("//img")
    assert "image not shown" in page


def test_the_hostile_article_exports_without_any_outside_resource(tmp_path: Path, data_dir: Path) -> None:
    library = hostile_library(tmp_path / "lib", 9)
    result = run_cli("export", "hostile.md", "--library", str(library), "--format", "html", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    [only] = embedded_images(page)
    assert only == (library / "images" / "ok.png").read_bytes()
    assert [(t, n) for t, n, _ in fetching_attributes(page)] == [("img", "src")]
    doc = lxml.html.document_fromstring(page)
    for element in doc.iter("a"):
        assert not element.get("href", "").lower().startswith(("javascript:", "vbscript:", "file:", "data:")), element.get("href")
    assert "正文結束" in doc.text_content()


REFERENCES = [
    "img/chart.png", "./img/chart.png", "img/inner.png", "../shared/%E5%9C%96%20%E4%BA%8C.png", "../shared/圖 二.png",
    "img/chart.png?x=1#y", "img/escape.png", "img/fake.png", "img/notes.txt", "img/huge.png", "img/fifo.png",
    "../../outside/secret.png", "/etc/passwd", "file:///etc/passwd", "http://127.0.0.1:9/x.png", "//127.0.0.1:9/x.png",
    "C:/x.png", "img/missing.png", "data:image/png;base64,AAAA", "%2e%2e/%2e%2e/outside/secret.png", "",
]


@pytest.mark.parametrize("reference", REFERENCES)
def test_the_pane_and_the_export_follow_one_rule(tmp_path: Path, reference: str) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QUrl

    from reader.ui.article_document import safe_image_path

    library = library_with_images(tmp_path)
    base = library / "notes"
    allowed = library_image(library, base, reference)
    assert safe_image_path(library, base, QUrl(reference)) == allowed
    inside = {"img/chart.png", "./img/chart.png", "img/inner.png", "img/chart.png?x=1#y"}
    if reference in inside:
        assert allowed == (library / "notes" / "img" / "chart.png").resolve()
    elif reference.startswith("../shared/"):
        assert allowed == (library / "shared" / "圖 二.png").resolve()
    elif reference == "img/fake.png":  # a file the rule allows; its bytes decide (not an image: not shown)
        assert allowed == (library / "notes" / "img" / "fake.png").resolve()
    else:
        assert allowed is None
