"""Extraction speed and fidelity; prints JSON.

    python tests/benchmarks/bench_extract.py [--pages 300]
    python tests/benchmarks/bench_extract.py --compare [--pandoc PATH]

The default run generates a Traditional-Chinese journal PDF of ``--pages`` pages (running
header, page numbers, footnotes, two-column pages; the CID font MSung-Light) and measures
text-layer pages per second per core, in this process and through the extraction process
(spawn, memory limit), with the child's peak memory.

``--compare`` measures the candidate libraries on the same generated documents: for PDFs
pypdfium2 (PDFium; ours lays out its characters) and pypdf; for Word/OpenDocument/EPUB our
zip+lxml readers, mammoth, odfpy and pandoc (``--pandoc``: a pandoc binary, e.g. from
pypandoc-binary). Fidelity is the share of source sentences found exactly once; for Word
files also whether a tracked deletion or a comment leaked into the text.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reader.library.formats import document_to_article, extract, extract_in_process, page_map  # noqa: E402
from reader.render.article import render_article  # noqa: E402
from tests.test_formats_samples import journal_article, make_docx, make_epub, make_odt, make_pdf  # noqa: E402


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sentence_fidelity(text: str, sentences: list[str], squash: bool = False) -> float:
    """Share of ``sentences`` found exactly once (``squash``: white space ignored on both sides)."""
    if squash:
        text = _squash(text)
        sentences = [_squash(s) for s in sentences]
    text = re.sub(r"\[\d{1,4}\]|(?<=[^\d\s])\d{1,4}(?=[。，])", "", text)  # footnote references: 5 or [5]
    return sum(1 for s in sentences if text.count(s) == 1) / max(1, len(sentences))


def rendered_text(path: Path) -> tuple[str, object]:
    doc = extract(path)
    article = document_to_article(doc, path.name)
    return render_article(article).text, doc


def bench_pdf(pages: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    paragraphs = max(4, int(pages * 7.3))
    article = journal_article(paragraphs=paragraphs, per_paragraph=4)
    sample = make_pdf(folder / "long.pdf", font="cid", article=article, two_column=tuple(range(2, pages * 2, 10)))
    started = time.perf_counter()
    cpu0 = time.process_time()
    doc = extract(sample.path)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    text = render_article(document_to_article(doc, "long.pdf")).text
    pm = page_map(doc, text)
    peak = [0]

    def watch(child_pid_holder: list) -> None:
        import psutil

        while not done.is_set():
            for child in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    peak[0] = max(peak[0], child.memory_info().rss)
            time.sleep(0.05)

    done = threading.Event()
    watcher = threading.Thread(target=watch, args=([],), daemon=True)
    watcher.start()
    started = time.perf_counter()
    child_doc = extract_in_process(sample.path)
    child_wall = time.perf_counter() - started
    done.set()
    watcher.join()
    return {
        "pages": sample.pages,
        "characters": len(text),
        "in_process_s": round(wall, 2),
        "pages_per_s_per_core": round(sample.pages / cpu, 1),
        "pages_per_s_wall": round(sample.pages / wall, 1),
        "extraction_process_s": round(child_wall, 2),
        "extraction_process_pages_per_s": round(sample.pages / child_wall, 1),
        "extraction_process_peak_rss_mb": round(peak[0] / 1e6, 1),
        "sentences_exactly_once": round(sentence_fidelity(text, article.sentences()), 4),
        "page_boundaries_found": len(pm.starts) if pm else 0,
        "same_result_in_child": child_doc.to_json() == doc.to_json(),
        "target_pages_per_s_per_core": 5,
    }


def _time(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def compare(pandoc: str | None) -> dict:
    import pypdf
    import pypdfium2 as pdfium

    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    article = journal_article(paragraphs=60, per_paragraph=4)
    sentences = article.sentences()
    out: dict = {"pdf": {}, "docx": {}, "odt": {}, "epub": {}}
    for font in ("cid", "ttf"):
        sample = make_pdf(folder / f"{font}.pdf", font=font, article=article)
        pages = sample.pages

        def pdfium_raw(p=sample.path):
            pdf = pdfium.PdfDocument(str(p))
            text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
            pdf.close()
            return text

        def pypdf_text(p=sample.path):
            return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(p)).pages)

        def ours(p=sample.path):
            return rendered_text(p)[0]

        for name, fn in (("pypdfium2 get_text_range", pdfium_raw), ("pypdf extract_text", pypdf_text), ("Reader (pypdfium2 + layout)", ours)):
            seconds, text = _time(fn)
            out["pdf"].setdefault(name, {})[font] = {
                "pages_per_s": round(pages / seconds, 1),
                "sentences_ignoring_white_space": round(sentence_fidelity(text, sentences, squash=True), 3),
                "sentences_as_text": round(sentence_fidelity(text, sentences), 3),
                "running_header_left": text.count("科技法律評論"),
                "kangxi_or_compat": sum(1 for c in text if 0x2F00 <= ord(c) <= 0x2FDF or 0xF900 <= ord(c) <= 0xFAFF),
            }
    word = make_docx(folder / "a.docx", article)
    odt_sample = make_odt(folder / "a.odt", article)
    book = make_epub(folder / "a.epub", chapters=4)
    book_sentences = [s for _, ps in book.chapters for s in ps]

    def word_checks(text: str, sample) -> dict:
        return {
            "sentences": round(sentence_fidelity(text, sentences), 3),
            "deletion_leaked": sample.deleted in text,
            "comment_leaked": sample.comment in text,
            "insertion_kept": sample.inserted in text,
            "footnote_kept": article.footnotes[0] in text,
        }

    def mammoth_text():
        import mammoth

        with word.path.open("rb") as handle:
            html = mammoth.convert_to_html(handle).value
        from reader.render.plaintext import html_to_text

        return html_to_text(html)

    def odfpy_text():
        from odf import teletype
        from odf import text as odf_text
        from odf.opendocument import load

        document = load(str(odt_sample.path))
        return "\n".join(teletype.extractText(p) for p in document.getElementsByType(odf_text.P) + document.getElementsByType(odf_text.H))

    candidates = {
        "docx": [("Reader (zip + lxml)", lambda: rendered_text(word.path)[0]), ("mammoth", mammoth_text)],
        "odt": [("Reader (zip + lxml)", lambda: rendered_text(odt_sample.path)[0]), ("odfpy teletype", odfpy_text)],
        "epub": [("Reader (zip + lxml)", lambda: rendered_text(book.path)[0])],
    }
    if pandoc:
        def run_pandoc(path: Path, source: str) -> str:
            return subprocess.run([pandoc, "-f", source, "-t", "plain", "--wrap=none", str(path)], capture_output=True, text=True, check=True).stdout

        candidates["docx"].append(("pandoc", lambda: run_pandoc(word.path, "docx")))
        candidates["odt"].append(("pandoc", lambda: run_pandoc(odt_sample.path, "odt")))
        candidates["epub"].append(("pandoc", lambda: run_pandoc(book.path, "epub")))
    for kind, items in candidates.items():
        for name, fn in items:
            seconds, text = _time(fn)
            if kind == "epub":
                result = {"sentences": round(sentence_fidelity(text, book_sentences), 3), "toc_titles": sum(1 for t, _ in book.chapters if t in text)}
            else:
                result = word_checks(text, word if kind == "docx" else odt_sample)
            result["ms"] = round(seconds * 1000, 1)
            out[kind][name] = result
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--pandoc", default=None, help="a pandoc executable for --compare")
    args = parser.parse_args()
    result = compare(args.pandoc) if args.compare else bench_pdf(args.pages)
    result["max_rss_mb_parent"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
