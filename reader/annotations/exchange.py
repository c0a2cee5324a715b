"""Export and import: W3C Web Annotation JSON (round-trips exactly) and Markdown for papers."""

from __future__ import annotations

import json
from dataclasses import dataclass

from reader.annotations.selectors import from_json
from reader.annotations.store import ARTICLE_NOTE, HIGHLIGHT, Annotation, AnnotationStore
from reader.library.model import Article

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
READER_NS = "reader:state"


class ImportError_(ValueError):
    """The file is not an annotation export we can read; the message says why."""


def to_w3c(item: Annotation, color_names: dict[str, str]) -> dict:
    body = []
    if item.note:
        body.append({"type": "TextualBody", "value": item.note, "format": "text/markdown", "purpose": "commenting"})
    if item.kind == HIGHLIGHT:
        body.append({"type": "TextualBody", "value": color_names.get(item.color, item.color), "purpose": "tagging"})
    target: dict = {"source": item.article}
    if item.quote is not None:
        selectors = [item.quote.to_json()]
        if item.position is not None:
            selectors.append(item.position.to_json())
        target["selector"] = selectors
    return {
        "@context": CONTEXT,
        "type": "Annotation",
        "id": item.id,
        "created": item.created,
        "modified": item.modified,
        "motivation": "commenting" if item.kind == ARTICLE_NOTE or (item.note and item.quote is None) else "highlighting",
        "body": body,
        "target": target,
        READER_NS: {
            "kind": item.kind,
            "state": item.state,
            "score": item.score,
            "color": item.color,
            "library": item.library,
            "articleHash": item.article_hash,
        },
    }


def export_json(items: list[Annotation], color_names: dict[str, str]) -> str:
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "Reader annotations",
        "total": len(items),
        "items": [to_w3c(item, color_names) for item in items],
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def from_w3c(data: dict, library: str, color_keys: dict[str, str]) -> Annotation:
    if data.get("type") != "Annotation" or not data.get("id"):
        raise ImportError_("an item is not a W3C Annotation with an id")
    target = data.get("target") or {}
    if isinstance(target, str):
        target = {"source": target}
    source = target.get("source")
    if not source:
        raise ImportError_(f"{data['id']}: the target has no source")
    quote, position = from_json(target.get("selector") or [])
    state = data.get(READER_NS) or {}
    note = ""
    color = state.get("color", "")
    for body in data.get("body") or []:
        if body.get("purpose") == "tagging":
            color = color or color_keys.get(body.get("value", ""), "yellow")
        elif body.get("type") == "TextualBody":
            note = body.get("value", "")
    kind = state.get("kind") or (HIGHLIGHT if quote is not None else ARTICLE_NOTE)
    return Annotation(
        id=data["id"], library=library, article=source, kind=kind, color=color if kind == HIGHLIGHT else "",
        quote=quote, position=position, note=note, state=state.get("state", "exact"),
        score=float(state.get("score", 100.0)), created=data.get("created", ""),
        modified=data.get("modified", data.get("created", "")), article_hash=state.get("articleHash", ""),
    )


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def import_json(store: AnnotationStore, text: str, library: str) -> ImportReport:
    """Merge by id: a newer ``modified`` wins; importing the same file twice changes nothing."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ImportError_(f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    items = data.get("items") if isinstance(data, dict) and data.get("type") == "AnnotationCollection" else data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise ImportError_("expected an AnnotationCollection or a list of Annotations")
    color_keys = {c.name: c.key for c in store.colors()}
    report = ImportReport()
    incoming = [from_w3c(item, library, color_keys) for item in items]
    for item in incoming:
        existing = store.get(item.id)
        if existing is None:
            store.put(item)
            report.added += 1
        elif item.modified > existing.modified:
            store.put(item)
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def export_markdown(items: list[Annotation], articles: dict[str, Article], color_names: dict[str, str]) -> str:
    """Grouped by article: title, date and source URL, then quotes as blockquotes."""
    out: list[str] = ["# Annotations", ""]
    by_article: dict[str, list[Annotation]] = {}
    for item in items:
        by_article.setdefault(item.article, []).append(item)
    for path in sorted(by_article, key=lambda p: (articles[p].title if p in articles else p)):
        article = articles.get(path)
        title = article.title if article else path
        out.append(f"## {title}")
        out.append("")
        details = [f"`{path}`"]
        if article and article.date:
            details.append(article.date)
        if article and article.sources and article.sources[0].url:
            details.append(f"<{article.sources[0].url}>")
        out.append(" · ".join(details))
        out.append("")
        group = sorted(by_article[path], key=lambda a: (a.kind != ARTICLE_NOTE, a.position.start if a.position else 0))
        for item in group:
            if item.kind == ARTICLE_NOTE:
                if item.note:
                    out += ["**Note on the article:** " + item.note, ""]
                continue
            quote = item.quote.exact if item.quote else ""
            out += ["> " + line for line in quote.splitlines() or [""]]
            label = color_names.get(item.color, item.color)
            state = "" if item.state in ("exact", "moved") else f" ({item.state})"
            out.append("")
            out.append(f"— *{label}*{state}" + (f": {item.note}" if item.note else ""))
            out.append("")
    return "\n".join(out).rstrip() + "\n"
