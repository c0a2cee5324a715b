"""YAML front matter: split it from a Markdown body, validate it, and write it back."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from reader.library.model import PUBLICATION_FIELDS, Article, Source

_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class FrontMatterError(ValueError):
    pass


#: libyaml's parser when PyYAML has it: 86 µs for an article's front matter, 420 µs in Python
#: (a tenth of scanning and of indexing a library).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


#: Where the two parsers differ (tests/test_frontmatter_loader.py): libyaml reads a lone
#: tag ``!`` as "" (Python: null), takes tabs the Python parser rejects, and treats byte
#: order marks and the rarer line breaks (NEL, LS, PS) its own way, and cannot take a lone
#: surrogate (a text decoded as UTF-7 can hold one). Front matter with these characters goes
#: to the Python parser.
_PYTHON_ONLY = re.compile("[!\t\ufeff\x85\u2028\u2029\ud800-\udfff]")


def load_yaml(source: str):
    """``yaml.safe_load``, with libyaml's parser when it has one. What libyaml rejects is read
    again by the Python parser, whose verdict (and line numbers) stand."""
    if _FAST_LOADER is not None and not _PYTHON_ONLY.search(source):
        try:
            return yaml.load(source, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
        except (yaml.YAMLError, UnicodeError):
            pass
    return yaml.safe_load(source)


def split(text: str) -> tuple[str | None, str]:
    """Return (front matter source or None, body)."""
    match = _FENCE.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def _as_list(value: object, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise FrontMatterError(f"'{field}' must be a list of strings")


def normalize_date(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _DATE.match(text):
        return text
    raise FrontMatterError(f"'date' must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")


def apply(meta_source: str, article: Article) -> None:
    """Fill ``article`` from front matter; raise FrontMatterError with a readable reason."""
    try:
        meta = load_yaml(meta_source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise FrontMatterError(f"invalid YAML front matter{where}") from exc
    if meta is None:
        return
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter is not a mapping of fields")
    if meta.get("title") is not None:
        article.title = str(meta["title"]).strip()
    article.date = normalize_date(meta.get("date"))
    article.authors = _as_list(meta.get("authors", meta.get("author")), "authors")
    article.tags = _as_list(meta.get("tags"), "tags")
    article.lang = str(meta.get("lang") or "")
    for key in PUBLICATION_FIELDS:  # a value of another shape (a mapping) is not a text: left out
        value = meta.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            article.publication[key] = str(value).strip()
    sources = meta.get("sources") or []
    if not isinstance(sources, list):
        raise FrontMatterError("'sources' must be a list of {title, url}")
    for item in sources:
        if isinstance(item, str):
            article.sources.append(Source(title=item))
        elif isinstance(item, dict):
            article.sources.append(Source(title=str(item.get("title") or ""), url=str(item.get("url") or "")))
        else:
            raise FrontMatterError("'sources' must be a list of {title, url}")


def dump(article: Article) -> str:
    """The article as a Markdown file with front matter; stable output for identical input."""
    meta: dict[str, object] = {"title": article.title}
    if article.date:
        meta["date"] = article.date
    if article.authors:
        meta["authors"] = list(article.authors)
    meta["tags"] = list(article.tags)
    if article.sources:
        meta["sources"] = [s.to_dict() for s in article.sources]
    if article.lang:
        meta["lang"] = article.lang
    for key in PUBLICATION_FIELDS:
        if article.publication.get(key):
            meta[key] = article.publication[key]
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    body = article.body.strip("\n")
    return f"---\n{header}---\n\n{body}\n"
