"""Hostile articles: nothing is read outside the library, nothing is fetched, nothing hangs."""

from __future__ import annotations

import base64
import http.server
import os
import threading
import time
from pathlib import Path

import pytest

from reader.library.model import Article
from reader.render.article import render_article
from tests.test_window import Harness

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class CountingServer:
    """A loopback HTTP server that counts every request it receives (there must be none)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *_args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    s = CountingServer()
    yield s
    s.close()


def hostile_library(root: Path, port: int) -> Path:
    root.mkdir()
    (root / "images").mkdir()
    (root / "images" / "ok.png").write_bytes(PNG)
    outside = root.parent / "outside.png"
    outside.write_bytes(PNG)
    (root / "images" / "escape.png").symlink_to(outside)
    os.mkfifo(root / "images" / "fifo.png")
    (root / "images" / "huge.png").write_bytes(b"\x89PNG" + b"\0" * (9 * 1024 * 1024))
    url = f"http://127.0.0.1:{port}"
    big_data = "data:image/png;base64," + base64.b64encode(b"\0" * 100_000).decode()
    body = f"""---
title: 惡意文章
---

正文開始。

![abs](/etc/passwd) ![file](file:///etc/passwd) ![up](../outside.png) ![dev](/dev/zero)
![fifo](images/fifo.png) ![escape](images/escape.png) ![huge](images/huge.png)
![remote]({url}/remote.png) ![data]({big_data}) ![ok](images/ok.png)

<img src="/dev/zero"> <img src="{url}/img.png" onerror="alert(1)"> <img src="//127.0.0.1:{port}/proto.png">
<iframe src="{url}/frame"></iframe>
<object data="{url}/object"></object><embed src="{url}/embed">
<script>fetch("{url}/script")</script>
<style>body {{ background: url({url}/css.png) }}</style>
<link rel="stylesheet" href="{url}/link.css">
<meta http-equiv="refresh" content="0;url={url}/meta">
<svg><script>alert(1)</script><image href="{url}/svg.png"/></svg>
<p style="background-image: url({url}/style.png)" onclick="alert(1)">點我</p>

[js](javascript:alert(1)) [vb](vbscript:msgbox) [file](file:///etc/passwd) [data](data:text/html,hi) [web]({url}/page)

正文結束。
"""
    (root / "hostile.md").write_text(body, encoding="utf-8")
    return root


def test_the_sanitizer_removes_active_content(tmp_path: Path) -> None:
    body = hostile_library(tmp_path / "lib", 9).joinpath("hostile.md").read_text(encoding="utf-8").split("---", 2)[2]
    import lxml.html

    rendered = render_article(Article(path="hostile.md", body=body))
    assert not rendered.notice
    root = lxml.html.fragment_fromstring(rendered.body_html, create_parent="div")
    tags = {element.tag for element in root.iter() if isinstance(element.tag, str)}
    assert not tags & {"script", "iframe", "object", "embed", "style", "link", "meta", "svg", "image"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on") and name != "style", (element.tag, name)
            if name in ("src", "href"):
                assert not value.lower().startswith(("javascript:", "vbscript:", "file:", "data:", "/", "//")), value
    assert [img.get("src") for img in root.iter("img") if img.get("src")] == ["../outside.png", "images/fifo.png", "images/escape.png", "images/huge.png", "images/ok.png"]


def test_the_pane_loads_only_images_inside_the_library(qtbot, tmp_path: Path, data_dir: Path, server: CountingServer) -> None:
    from PySide6.QtCore import QUrl

    library = hostile_library(tmp_path / "lib", server.port)
    opened: list[str] = []
    harness = Harness(qtbot, data_dir, library, articles=1)
    try:
        window = harness.start()
        window.open_external = lambda url: opened.append(url.toString())  # the system browser
        harness.open("hostile.md")
        qtbot.wait(300)
        log = dict(window.pane.resource_log)
        loaded = [url for url, what in window.pane.resource_log if what == "image"]
        assert loaded == ["images/ok.png"]
        for name in ("images/fifo.png", "images/escape.png", "images/huge.png", "../outside.png"):
            assert log.get(name, "refused") == "refused", name
        assert "正文結束" in window.pane.toPlainText()
        # Links: web links open only on a click; nothing else is ever opened.
        for target in ("javascript:alert(1)", "vbscript:msgbox", "file:///etc/passwd", "data:text/html,hi"):
            window.follow_link(QUrl(target))
        assert opened == []
        window.follow_link(QUrl(f"http://127.0.0.1:{server.port}/page"))
        assert opened == [f"http://127.0.0.1:{server.port}/page"]
        time.sleep(0.2)
        assert server.requests == []  # rendering never touched the network
    finally:
        if harness.window is not None:
            harness.window.close()


@pytest.mark.parametrize(
    ("name", "markdown"),
    [
        ("deep list", "".join("  " * i + "- x\n" for i in range(1000))),
        ("deep quotes", ">" * 3000 + " x\n"),
        ("bracket storm", "[" * 4000 + "x" + "]" * 4000),
        ("emphasis storm", "*" * 50000 + "x" + "*" * 50000),
        ("10 MB line", "字" * 10_000_000),
        ("nested html", "<div>" * 5000 + "x" + "</div>" * 5000),
    ],
    ids=lambda value: value if len(value) < 30 else "",
)
def test_hostile_markdown_finishes_quickly(name: str, markdown: str) -> None:
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    rendered = render_article(Article(path="x.md", body=markdown))
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5.0, name
    assert "x" in rendered.text or "字" in rendered.text  # the words are still there to read
    assert peak < 3 * len(markdown.encode("utf-8")) + 20_000_000, name


def test_a_slow_large_document_falls_back_in_time(monkeypatch) -> None:
    from reader.render import markdown_html

    # Well-formed but large: formatted in a separate process, within the time limit.
    text = "這是一段正常的文字，包含 **粗體** 與 [連結](http://example.org)。\n\n" * 8000
    start = time.perf_counter()
    rendered = markdown_html.render_markdown(text)
    assert time.perf_counter() - start < markdown_html.TIME_LIMIT_S + 3
    assert "<strong>粗體</strong>" in rendered.html or rendered.notice


def test_files_over_the_size_cap_are_listed_as_too_large(tmp_path: Path, data_dir: Path) -> None:
    import json

    from tests.conftest import run_cli

    root = tmp_path / "lib"
    root.mkdir()
    with open(root / "huge.md", "wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"x")
    (root / "fine.md").write_text("# 好\n內容", encoding="utf-8")
    result = run_cli("list", "--library", str(root), "--json", data_dir=data_dir)
    listed = {a["path"]: a for a in json.loads(result.stdout)["articles"]}
    assert any("too large" in p for p in listed["huge.md"]["problems"])
    assert listed["fine.md"]["problems"] == []
    assert "huge.md: too large" in result.stderr
