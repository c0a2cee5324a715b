"""``reader annotations export --format markdown|docx|csv|json --style STYLE`` through the real
CLI (``reader.cli.main``): a copy of the sample articles, real annotations imported from a
W3C file, and the files read back (python-docx, csv, json). Hostile styles and outputs get
one message naming the file, the exit code of ``reader/errors.py`` and no traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from lxml import etree

from reader.annotations.selectors import describe
from reader.citations import citation, metadata
from reader.citations.styles import SHIPPED_DIR
from reader.cli import main
from reader.exporting.csv_export import ANNOTATION_COLUMNS, unguard
from reader.library.library import Library
from reader.locator import Locator
from reader.paths import DataPaths
from reader.render.article import render_article

A, B = "000_bd272dec8418f04b.md", "001_5d55142517522224.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: (article, quoted text, colour key, note, tags)
MADE = [
    (A, "攜手打造安全、可靠且可信賴之AI生態系", "yellow", "定義：安全與可信賴", ["定義", "安全"]),
    (A, "延伸閱讀", "green", "", []),
    (B, "雙方將共同開發先進人工智慧", "pink", "合作的重點", ["定義", "合作"]),
]


#: A CSL file whose title expands to 10^10 characters ("billion laughs").
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE style [<!ENTITY a0 "xxxxxxxxxx">'
    + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    + ']><style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><title>&a9;</title></info>'
    '<citation><layout><text variable="title"/></layout></citation></style>'
)


class Shelf:
    def __init__(self, library: Path, data: Path, capsys) -> None:
        self.library, self.data, self.capsys = library, data, capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        code = main([*args, "--library", str(self.library), "--data-dir", str(self.data)])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err and "Traceback" not in out
        return code, out, err

    def export(self, *args: str) -> str:
        code, out, err = self.run("annotations", "export", *args)
        assert code == 0, err
        return out


@pytest.fixture
def shelf(sample_library: Path, data_dir: Path, tmp_path: Path, capsys) -> Shelf:
    """The sample articles copied to tmp_path, with three highlights and a note on an
    article imported from a W3C annotation file, as a user would bring them in."""
    library = Library(sample_library.resolve(), DataPaths(data_dir))
    items = []
    for number, (path, snippet, color, note, tags) in enumerate(MADE, 1):
        text = render_article(library.load(path)).text
        start = text.index(snippet)
        quote, position = describe(text, start, start + len(snippet))
        body = ([{"type": "TextualBody", "value": note, "purpose": "commenting"}] if note else [])
        body += [{"type": "TextualBody", "value": color, "purpose": "tagging"}]
        body += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in tags]
        items.append({
            "@context": CONTEXT, "type": "Annotation", "id": f"urn:x:{number}",
            "created": f"2024-08-0{number}T10:00:00Z", "modified": f"2024-08-0{number}T10:00:00Z",
            "body": body, "target": {"source": path, "selector": [quote.to_json(), position.to_json()]},
            "reader:state": {"color": color},
        })
    items.append({
        "@context": CONTEXT, "type": "Annotation", "id": "urn:x:note", "motivation": "commenting",
        "created": "2024-08-05T10:00:00Z", "modified": "2024-08-05T10:00:00Z",
        "body": [{"type": "TextualBody", "value": "整篇文章的筆記"}], "target": {"source": B},
    })
    source = tmp_path / "annotations.json"
    source.write_text(json.dumps({"type": "AnnotationCollection", "items": items}, ensure_ascii=False), encoding="utf-8")
    shelf = Shelf(sample_library, data_dir, capsys)
    code, _, err = shelf.run("annotations", "import", str(source))
    assert code == 0 and "4 added, 0 updated, 0 unchanged, 0 rejected" in err
    return shelf


def _cited(shelf: Shelf, path: str, snippet: str, style: str = "taiwan-law-journal") -> str:
    library = Library(shelf.library.resolve(), DataPaths(shelf.data))
    rendered = render_article(library.load(path))
    where = Locator.for_rendered(rendered).at(rendered.text.index(snippet))
    return citation(metadata(library.load(path)), style, where).text


def test_markdown_is_grouped_by_article_with_quote_note_tags_and_located_citation(shelf: Shelf) -> None:
    text = shelf.export("--format", "markdown")
    library = Library(shelf.library.resolve(), DataPaths(shelf.data))
    title_a, title_b = library.load(A).title, library.load(B).title
    assert text.startswith("# Annotations\n")
    assert f"## {title_a}" in text and f"## {title_b}" in text
    section_a = text[text.index(f"## {title_a}"):]
    section_a = section_a[: section_a.index("## ", 3)] if "## " in section_a[3:] else section_a
    assert "> 攜手打造安全、可靠且可信賴之AI生態系" in section_a and "> 延伸閱讀" in section_a
    assert "— *黃 Yellow* · #定義 #安全 · 第 1 段: 定義：安全與可信賴" in text
    assert "— *綠 Green* · 延伸閱讀" in text  # inside a heading: the heading is the locator
    assert "— *粉紅 Pink* · #定義 #合作 · 第 1 段: 合作的重點" in text
    assert _cited(shelf, A, "攜手打造安全") in text and "第1段" in _cited(shelf, A, "攜手打造安全")
    assert _cited(shelf, B, "雙方將共同開發") in text
    assert "**Note on the article:**" in text and "整篇文章的筆記" in text
    assert "Citation style: 臺灣法學期刊" in text


def test_docx_opens_in_python_docx_with_a_real_footnote_per_quote(shelf: Shelf, tmp_path: Path) -> None:
    target = tmp_path / "annotations.docx"
    code, out, err = shelf.run("annotations", "export", "--format", "docx", "-o", str(target))
    assert code == 0 and out == "" and f"{target}: 4 annotations exported" in err
    document = docx.Document(str(target))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == ["攜手打造安全、可靠且可信賴之AI生態系", "延伸閱讀", "雙方將共同開發先進人工智慧"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "#定義 #安全" in text and "定義：安全與可信賴" in text and "整篇文章的筆記" in text
    [part] = [p for p in document.part.package.parts if p.partname == "/word/footnotes.xml"]
    assert part.content_type.endswith("wordprocessingml.footnotes+xml")
    notes = etree.fromstring(part.blob)
    texts = ["".join(n.itertext()).strip() for n in notes.iter(W + "footnote") if int(n.get(W + "id")) > 0]
    assert texts == [_cited(shelf, A, "攜手打造安全"), _cited(shelf, A, "延伸閱讀"), _cited(shelf, B, "雙方將共同開發")]


def test_csv_has_one_row_per_annotation_with_its_tags(shelf: Shelf) -> None:
    text = shelf.export("--format", "csv", "--style", "apa")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == ANNOTATION_COLUMNS
    assert len(rows) == 4
    by_quote = {r["quote"]: r for r in rows}
    first = by_quote["攜手打造安全、可靠且可信賴之AI生態系"]
    assert (first["article"], first["note"], first["colour"], first["tags"], first["locator"]) == (A, "定義：安全與可信賴", "黃 Yellow", "定義; 安全", "第 1 段")
    assert first["citation"] == _cited(shelf, A, "攜手打造安全", "apa") and "para. 1" in first["citation"]
    assert by_quote["雙方將共同開發先進人工智慧"]["tags"] == "定義; 合作"
    assert unguard(by_quote[""]["note"]) == "整篇文章的筆記"


def test_json_stays_the_default_and_filters_apply_to_every_format(shelf: Shelf) -> None:
    default = shelf.export()
    assert shelf.export("--format", "json") == default
    everything = json.loads(default)
    assert everything["total"] == 4
    tagged = json.loads(shelf.export("--tag", "定義"))
    assert sorted(i["id"] for i in tagged["items"]) == ["urn:x:1", "urn:x:3"]
    assert [i["id"] for i in json.loads(shelf.export("--tag", "合作", "--tag", "安全"))["items"]] == ["urn:x:1", "urn:x:3"]
    assert [i["id"] for i in json.loads(shelf.export("--color", "green"))["items"]] == ["urn:x:2"]
    assert [i["id"] for i in json.loads(shelf.export("--color", "粉紅"))["items"]] == ["urn:x:3"]  # by the name shown
    assert [i["id"] for i in json.loads(shelf.export("--color", "Yellow", "--tag", "定義"))["items"]] == ["urn:x:1"]
    assert sorted(i["id"] for i in json.loads(shelf.export("--article", B))["items"]) == ["urn:x:3", "urn:x:note"]
    markdown = shelf.export("--format", "markdown", "--tag", "合作")
    assert "雙方將共同開發先進人工智慧" in markdown and "攜手打造安全" not in markdown
    rows = list(csv.DictReader(io.StringIO(shelf.export("--format", "csv", "--article", A, "--color", "yellow")[1:])))
    assert [r["quote"] for r in rows] == ["攜手打造安全、可靠且可信賴之AI生態系"]


def test_the_styles_shipped_and_a_users_own_csl_file(shelf: Shelf, tmp_path: Path) -> None:
    chicago = shelf.export("--format", "markdown", "--style", "chicago")
    assert _cited(shelf, A, "攜手打造安全", "chicago") in chicago
    apa = shelf.export("--format", "markdown", "--style", "apa")
    assert "para. 1" in apa
    own = tmp_path / "my-style.csl"
    text = (SHIPPED_DIR / "taiwan-law-journal.csl").read_text(encoding="utf-8")
    own.write_text(text.replace("<title>", "<title>我的樣式 ", 1), encoding="utf-8")
    mine = shelf.export("--format", "markdown", "--style", str(own))
    assert "Citation style: 我的樣式" in mine and _cited(shelf, A, "攜手打造安全") in mine


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_text("這不是 XML", encoding="utf-8"), "not a citation style: the XML cannot be read"),
        (lambda p: p.write_bytes(b"<style>" + b" " * (3 * 2**20) + b"</style>"), "not a citation style: larger than 2 MB"),
        (lambda p: p.write_text("<html xmlns='http://www.w3.org/1999/xhtml'/>", encoding="utf-8"), "the file is XML but not CSL"),
        (lambda p: p.write_text(LAUGHS, encoding="utf-8"), "the XML cannot be read"),
        (lambda p: os.mkfifo(p), "a device or other special file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: None, "cannot read the style"),
    ],
    ids=["not-xml", "huge", "xml-not-csl", "billion-laughs", "fifo", "folder", "missing"],
)
def test_a_style_file_that_is_no_style_is_named_with_its_problem(shelf: Shelf, tmp_path: Path, make, problem) -> None:
    style = tmp_path / "bad.csl"
    make(style)
    code, out, err = shelf.run("annotations", "export", "--format", "markdown", "--style", str(style))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"reader: {style}: ") and problem in err


def test_output_safety_applies_to_every_format(shelf: Shelf, tmp_path: Path) -> None:
    database = shelf.data / "annotations.sqlite3"
    before = database.read_bytes()
    for fmt in ("json", "markdown", "docx", "csv"):
        code, _, err = shelf.run("annotations", "export", "--format", fmt, "-o", str(database), "--force")
        assert code == 2 and f"reader: {database}: is inside Reader's data folder" in err
    assert database.read_bytes() == before
    linked = tmp_path / "elsewhere.sqlite3"
    os.link(database, linked)  # the database reached by another name
    code, _, err = shelf.run("annotations", "export", "--format", "docx", "-o", str(linked), "--force")
    assert code == 2 and "is a file of Reader's data folder" in err
    existing = tmp_path / "notes.md"
    existing.write_text("mine", encoding="utf-8")
    code, _, err = shelf.run("annotations", "export", "--format", "markdown", "-o", str(existing))
    assert code == 2 and f"reader: {existing}: already exists; add --force to replace it" in err
    assert existing.read_text(encoding="utf-8") == "mine"
    code, _, err = shelf.run("annotations", "export", "--format", "markdown", "-o", str(existing), "--force")
    assert code == 0 and existing.read_text(encoding="utf-8").startswith("# Annotations")
    code, _, err = shelf.run("annotations", "export", "--format", "csv", "-o", str(tmp_path))
    assert code == 2 and "is a folder" in err
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM annotations").fetchone()[0] == 4


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--tag", "x" * 2**20], "--tag: a tag is longer than 200 characters (1,048,576)"),
        (["--tag", "定義\x1b[31m"], "--tag: a tag has a control character (U+001B)"),
        (["--tag", "   "], "--tag: the tag is empty"),
        (["--color", "purple"], "--color: no colour 'purple'; the colours are yellow (黃 Yellow)"),
        (["--style", "nonesuch"], "no citation style named 'nonesuch'"),
        (["--article", "../outside.md"], "outside.md"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_exit_2(shelf: Shelf, args: list[str], problem: str) -> None:
    code, out, err = shelf.run("annotations", "export", "--format", "markdown", *args)
    assert code == 2 and out == ""
    assert problem in err and err.count("\n") == 1 and len(err) < 400 and "\x1b" not in err


def test_a_docx_export_is_written_to_a_pipe_as_bytes_and_refused_on_a_terminal(shelf: Shelf, tmp_path: Path, monkeypatch) -> None:
    piped = subprocess.run(
        [sys.executable, "-m", "reader", "annotations", "export", "--format", "docx",
         "--library", str(shelf.library), "--data-dir", str(shelf.data)],
        capture_output=True, timeout=120, env=dict(os.environ, PYTHONIOENCODING="utf-8"), check=False)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK") and b"Traceback" not in piped.stderr
    (tmp_path / "piped.docx").write_bytes(piped.stdout)
    assert [p.text for p in docx.Document(str(tmp_path / "piped.docx")).paragraphs][0] == "Annotations"
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = shelf.run("annotations", "export", "--format", "docx")
    assert code == 2 and out == "" and "-o FILE.docx" in err


def test_an_export_with_no_annotations_yet_is_an_empty_file_of_its_format(sample_library: Path, data_dir: Path, tmp_path: Path, capsys) -> None:
    shelf = Shelf(sample_library, data_dir, capsys)
    assert json.loads(shelf.export())["total"] == 0
    assert shelf.export("--format", "markdown").startswith("# Annotations")
    target = tmp_path / "empty.docx"
    code, _, _ = shelf.run("annotations", "export", "--format", "docx", "-o", str(target))
    assert code == 0 and docx.Document(str(target)).paragraphs[0].text == "Annotations"


def test_annotations_tags_lists_the_tags_in_use_with_counts(shelf: Shelf) -> None:
    code, out, _ = shelf.run("annotations", "tags", "--json")
    assert code == 0
    assert json.loads(out)["tags"] == [{"tag": "合作", "count": 1}, {"tag": "安全", "count": 1}, {"tag": "定義", "count": 2}]
    code, out, _ = shelf.run("annotations", "tags")
    assert code == 0 and out.splitlines() == ["合作  1", "安全  1", "定義  2"]


def test_pages_of_a_paged_source_cite_their_printed_number(sample_library: Path, data_dir: Path) -> None:
    """A PDF's page labels ("41") locate its highlights (頁 41); a label that is no number
    ("iv", front matter) leaves the paragraph to locate them. An article without pages: None."""
    from dataclasses import replace

    from reader.exporting.command import document_pages
    from reader.library.formats.to_markdown import PageMap

    library = Library(sample_library.resolve(), DataPaths(data_dir))
    rendered = render_article(library.load(A))
    assert document_pages(A, rendered) is None
    middle = len(rendered.text) // 2
    paged = replace(rendered, pages=PageMap(starts=[0, middle], pages=[0, 1], labels=["iv", "41"]))
    page_at = document_pages(A, paged)
    assert page_at(0) is None and page_at(middle) == 41 and page_at(len(rendered.text)) == 41
    where = Locator.for_rendered(paged, page_at).at(middle + 1)
    assert where.page == 41 and where.label() == "頁 41"
