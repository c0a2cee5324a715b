"""``reader import``: turn text, HTML and Markdown files into clean library articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reader.library import frontmatter
from reader.library.encodings import DecodeError, decode
from reader.library.model import ARTICLE_SUFFIXES
from reader.library.reading import article_from_text
from reader.settings import write_atomically


@dataclass
class ImportResult:
    source: Path
    target: Path | None = None
    status: str = ""  # imported | replaced | unchanged | failed
    problem: str = ""
    uncertain_encoding: str = ""


def target_name(source: Path) -> str:
    """The article's file name: the source's stem, made safe. Re-importing the same file
    (say with ``--encoding``) therefore replaces the earlier article and keeps its identity,
    so its annotations stay attached."""
    stem = re.sub(r'[\x00-\x1f/\\:*?"<>|]+', "_", source.stem).strip(" .") or "article"
    return stem[:120] + ".md"


def _expand(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")))
        else:
            files.append(item)
    return files


def convert_bytes(data: bytes, source: Path, encoding: str | None = None) -> tuple[str, str]:
    """(Markdown file text, uncertain encoding name or '') for the bytes of ``source``."""
    decoded = decode(data, encoding)
    if "\x00" in decoded.text:
        raise DecodeError("contains NUL bytes: binary data, not text")
    kind = ARTICLE_SUFFIXES.get(source.suffix.lower(), "text")
    article = article_from_text(decoded.text.lstrip("\ufeff"), kind, target_name(source))
    if kind == "markdown" and not decoded.uncertain and not article.problems:
        text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n")  # the user's Markdown, as written
        return (text if text.endswith("\n") else text + "\n"), ""
    out = frontmatter.dump(article)
    if decoded.uncertain:
        out = out.replace("\n---\n", f"\nencoding_uncertain: {decoded.encoding}\n---\n", 1)
        return out, decoded.encoding
    return out, ""


def import_files(inputs: list[Path], library: Path, encoding: str | None = None) -> list[ImportResult]:
    library.mkdir(parents=True, exist_ok=True)
    results = []
    for source in _expand(inputs):
        result = ImportResult(source)
        results.append(result)
        try:
            data = source.read_bytes()
        except OSError as exc:
            result.status, result.problem = "failed", f"cannot read: {exc.strerror or exc}"
            continue
        if not data.strip():
            result.status, result.problem = "failed", "empty file"
            continue
        try:
            text, result.uncertain_encoding = convert_bytes(data, source, encoding)
        except (DecodeError, LookupError) as exc:
            result.status, result.problem = "failed", str(exc)
            continue
        target = library / target_name(source)
        result.target = target
        if target.exists():
            if target.read_text(encoding="utf-8", errors="replace") == text:
                result.status = "unchanged"
                continue
            result.status = "replaced"
        else:
            result.status = "imported"
        write_atomically(target, text.encode("utf-8"))
    return results
