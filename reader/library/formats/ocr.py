"""Scanned pages recognised with the system's Tesseract (``tesseract`` on the PATH).

The page is rendered by PDFium to a grayscale picture (PGM: no imaging library needed),
Tesseract reads it with Traditional Chinese and English and answers in TSV (every word with
its box), and the words become :class:`reader.library.formats.pdf.Line` objects in PDF units,
so recognised pages go through the same layout as text pages (paragraphs, running headers,
page numbers). Tesseract runs as a child process, one thread (``OMP_THREAD_LIMIT=1``), killed
at once when the caller cancels or after :data:`PAGE_TIME_LIMIT_S`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from reader.library.formats.document import Cancelled, ExtractionProblem
from reader.library.formats.text import clean, join_words

LANGUAGES = "chi_tra+eng"
DPI = 300
PAGE_TIME_LIMIT_S = 180.0
MISSING = "install tesseract-ocr and tesseract-ocr-chi-tra to read it"


@functools.lru_cache(maxsize=4)
def _languages(executable: str) -> frozenset[str]:
    try:
        done = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (done.stdout + done.stderr).splitlines()[1:] if line.strip())


def tesseract() -> str | None:
    return shutil.which("tesseract")


def missing_problem(languages: str = LANGUAGES) -> str:
    """Why OCR cannot run here ("" when it can): no Tesseract, or a language's data missing."""
    executable = tesseract()
    if executable is None:
        return MISSING
    have = _languages(executable)
    lacking = [lang for lang in languages.split("+") if lang not in have]
    if lacking:
        return f"Tesseract has no {'/'.join(lacking)} language data: install tesseract-ocr-{lacking[0].replace('_', '-')}"
    return ""


def render_pgm(page, dpi: int = DPI) -> bytes:
    """The page as an 8-bit grayscale PGM picture."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = bytes(bitmap.buffer)
    finally:
        bitmap.close()
    if stride == width:
        pixels = buffer[: width * height]
    else:
        pixels = b"".join(buffer[row * stride : row * stride + width] for row in range(height))
    return f"P5 {width} {height} 255\n".encode("ascii") + pixels


def run_tesseract(image: bytes, languages: str = LANGUAGES, cancel=None, time_limit: float = PAGE_TIME_LIMIT_S, psm: int = 3) -> str:
    """Tesseract's TSV for a picture (PGM or PNG bytes)."""
    executable = tesseract()
    if executable is None:
        raise ExtractionProblem(f"scanned page without a text layer: {MISSING}")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="reader-ocr-") as folder:
        source = Path(folder) / "page.pgm"
        source.write_bytes(image)
        process = subprocess.Popen(
            [executable, str(source), "stdout", "-l", languages, "--psm", str(psm), "-c", "preserve_interword_spaces=1", "tsv"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        started = time.monotonic()
        try:
            while True:
                try:
                    out, err = process.communicate(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    if cancel is not None and cancel.is_set():
                        raise Cancelled() from None
                    if time.monotonic() - started > time_limit:
                        raise ExtractionProblem("text recognition (OCR) of a page took too long") from None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionProblem(f"text recognition (OCR) failed: {detail[-1] if detail else 'Tesseract stopped'}")
    return out.decode("utf-8", "replace")


_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT_NEAR_HAN = re.compile(f"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")
_NUMERALS = "〇一二三四五六七八九十百千"
_ZERO_IN_NUMERAL = re.compile(f"(?<=[{_NUMERALS}])[0Oo]+(?=[0Oo]*[{_NUMERALS}項條號款章節年])")


def correct(text: str) -> str:
    """Tesseract's usual slips in Chinese text: ASCII punctuation beside Han characters as the
    full-width marks Chinese text uses (，；：), and 〇 read as the digit 0 inside a Chinese
    numeral (第五〇〇項)."""
    text = _PUNCT_NEAR_HAN.sub(lambda m: _FULL_WIDTH[m.group(0)], text)
    return _ZERO_IN_NUMERAL.sub(lambda m: "〇" * len(m.group(0)), text)


def tsv_lines(tsv: str) -> list[tuple[str, int, int, int, int, tuple[int, int]]]:
    """(text, left, top, right, bottom, (block, paragraph)) of each recognised line, in pixels."""
    lines: dict[tuple[int, int, int], list] = {}
    order: list[tuple[int, int, int]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        try:
            block, par, line = int(cells[2]), int(cells[3]), int(cells[4])
            left, top, width, height = (int(c) for c in cells[6:10])
            conf = float(cells[10])
        except ValueError:
            continue
        word = cells[11]
        if not word.strip() or conf < 0:
            continue
        key = (block, par, line)
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append((word, left, top, left + width, top + height))
    out = []
    for key in order:
        words = lines[key]
        text = correct(clean(join_words([w[0] for w in words])))
        if text:
            out.append((text, min(w[1] for w in words), min(w[2] for w in words), max(w[3] for w in words), max(w[4] for w in words), key[:2]))
    return out


def recognise_page(page, index: int, height_pt: float, languages: str = LANGUAGES, cancel=None, dpi: int = DPI) -> list:
    """The lines of a scanned page, as :class:`reader.library.formats.pdf.Line`."""
    from reader.library.formats.pdf import Line

    tsv = run_tesseract(render_pgm(page, dpi), languages, cancel)
    scale = 72 / dpi
    lines = []
    heights = [bottom - top for _, _, top, _, bottom, _ in tsv_lines(tsv)]
    typical = sorted(heights)[len(heights) // 2] if heights else 1
    for text, left, top, right, bottom, _ in tsv_lines(tsv):
        # A line's box is as tall as its tallest glyph; a line of small glyphs (digits) is not
        # small type, so the size is the page's typical line height unless clearly larger.
        height = bottom - top
        size = (height if height > 1.25 * typical else typical) * scale
        lines.append(Line(index, text, left * scale, right * scale, height_pt - bottom * scale, size, ocr=True))
    return lines
