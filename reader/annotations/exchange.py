"""Export and import of W3C Web Annotation JSON (round-trips exactly). Markdown, Word and CSV
exports, with citations, are :mod:`reader.exporting`."""

from __future__ import annotations

import json
from pathlib import Path

from reader.annotations.store import (
    ARTICLE_NOTE,
    HIGHLIGHT,
    Annotation,
    AnnotationStore,
    MergeReport,
)
from reader.annotations.validation import (
    CONTEXT,
    EPOCH,
    MAX_FILE_BYTES,
    READER_NS,
    InvalidFile,
    InvalidItem,
    parse_file,
    validate_item,
)
from reader.errors import os_problem

ImportError_ = InvalidFile  # the file as a whole is not an annotation export we can read


#: RFC 3778 (application/pdf fragment identifiers): ``page=N``, N the 1-based physical page.
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"


def page_selector(item: Annotation) -> dict | None:
    """The W3C ``FragmentSelector`` naming the PDF page of a highlight on a paged source
    (:class:`reader.annotations.service.PagedAnnotation`), else None. Import ignores it: the
    page is computed again from the position."""
    index = getattr(item, "page_index", None)
    if index is None:
        return None
    return {"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": f"page={index + 1}"}


def to_w3c(item: Annotation, color_names: dict[str, str]) -> dict:
    body = []
    if item.note:
        body.append({"type": "TextualBody", "value": item.note, "format": "text/markdown", "purpose": "commenting"})
    if item.kind == HIGHLIGHT:
        # The colour comes first: import reads a highlight's first tagging body as its colour.
        body.append({"type": "TextualBody", "value": color_names.get(item.color, item.color), "purpose": "tagging"})
    body += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in item.tags]
    target: dict = {"source": item.article}
    if item.quote is not None:
        selectors = [item.quote.to_json()]
        if item.position is not None:
            selectors.append(item.position.to_json())
        page = page_selector(item)
        if page is not None:
            selectors.append(page)
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


def read_annotation_file(path: Path) -> str:
    """The text of an annotation file: a regular file, at most :data:`MAX_FILE_BYTES`, UTF-8
    (a BOM is allowed). Raises :class:`ImportError_` naming the problem; a device or a FIFO
    is never opened for reading."""
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportError_("no such file", path) from None
    except OSError as exc:
        raise ImportError_(f"cannot read: {os_problem(exc)}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportError_("is a folder, not an annotation file", path)
    if not stat.S_ISREG(info.st_mode):
        raise ImportError_("is a device or other special file, not an annotation file", path)
    if info.st_size > MAX_FILE_BYTES:
        raise ImportError_(f"too large ({info.st_size // 2**20} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)", path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportError_(f"cannot read: {os_problem(exc)}", path) from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportError_(f"too large (the limit is {MAX_FILE_BYTES // 2**20} MB)", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_(f"not UTF-8 text (byte {exc.start}); annotation exports are UTF-8 JSON", path) from None


def import_json(store: AnnotationStore, text: str, library: str) -> MergeReport:
    """Merge an export into ``library``, item by item: every item is validated before anything
    is written; good ones are merged by id (a newer ``modified``, compared as instants, wins;
    importing the same file twice changes nothing); bad ones are named by index and id with
    the reason. Raises :class:`ImportError_` only when the file as a whole is unreadable."""
    import datetime as dt

    items = parse_file(text)
    colors = store.colors()
    color_keys = {c.name: c.key for c in colors}
    known = {c.key for c in colors}
    report = MergeReport()
    clock = dt.datetime.now(dt.timezone.utc)
    from reader.library.library import folder_of_key

    root = folder_of_key(library)
    accepted = {}
    for number, data in enumerate(items, 1):
        ident = data.get("id") if isinstance(data, dict) else None
        label = f"item {number}" + (f" ({_shown(ident)})" if isinstance(ident, str) and ident else "")
        try:
            checked = validate_item(data, library, root, color_keys, known, clock)
        except InvalidItem as exc:
            report.rejected.append(f"{label}: {exc}")
            continue
        except RecursionError:
            report.rejected.append(f"{label}: nested too deeply")
            continue
        report.notices += [f"{label}: {notice}" for notice in checked.notices]
        key = checked.annotation.id
        if key in accepted:
            report.notices.append(f"{label}: the id appears more than once in the file; the newer item is used")
            previous = accepted[key]
            if (checked.modified_at or EPOCH) <= (previous.modified_at or EPOCH):
                continue
        accepted[key] = checked
    return store.merge(list(accepted.values()), report)


def _shown(ident: str) -> str:
    return ident if len(ident) <= 80 else ident[:77] + "…"
