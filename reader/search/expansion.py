"""Term expansion from the library's glossary (issue 14): NIST also finds 美國國家標準暨技術研究院.

A query word or phrase that is one side of a usable pair (confirmed, or learned with high
confidence; see :mod:`reader.legal.glossary`) is searched as itself OR the pair's other
sides, each as a phrase. Expansion is never silent: :func:`expand` returns what it did, and
the CLI and the window show it (``--no-expand`` turns it off).

The glossary is built from the glosses the index keeps for each article (no article is read
again), with the user's decisions from ``terms.json`` in the data folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from reader.legal.glossary import (
    DECISIONS_FILE,
    Expansions,
    Gloss,
    Glossary,
    glossary_of_glosses,
    load_decisions,
    load_edits,
)
from reader.search.query import Leaf, Node, Op
from reader.search.schema import INDEX_FORMAT


@dataclass(frozen=True)
class Expansion:
    """One query term and what it was also searched as."""

    term: str
    also: tuple[str, ...]

    def to_json(self) -> dict:
        return {"term": self.term, "also": list(self.also)}

    def describe(self) -> str:
        return f"{self.term} → also {', '.join(self.also)}"


def index_glossary(search_index, data_dir: Path | None = None, with_laws: bool = True, decisions: bytes | None = None) -> Glossary:
    """The glossary of the indexed articles (and the law list), with the decisions kept in
    ``data_dir``/terms.json when given (``decisions``: that file's bytes, already read)."""
    confirmed: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    edited: list = []
    if data_dir is not None:
        path = Path(data_dir) / DECISIONS_FILE
        if decisions is None:
            decisions = _decisions_bytes(data_dir)  # (None when unreadable: load_decisions says why)
        confirmed, rejected = load_decisions(path, decisions)
        edited = load_edits(path, decisions)  # the Terms view's corrections
    reader = search_index.searcher().reader()
    articles = []
    docs = reader.postings("glossed", "yes").all_ids() if ("glossed", "yes") in reader else []
    for doc in docs:
        stored = reader.stored_fields(doc)
        glosses = stored.get("glosses") or []
        if glosses:
            articles.append((stored["path"], [Gloss(zh, en, abbr, 0, 0, quality) for zh, en, abbr, quality in glosses]))
    return glossary_of_glosses(articles, with_laws=with_laws, confirmed=confirmed, rejected=rejected, edited=edited)


#: The expansions a search uses, kept in the index folder per index generation (building the
#: glossary took 0.2 s of every ``reader search`` at 100,000 articles). Raise the format when
#: the glossary's rules change.
EXPANSIONS_FILE = "reader-expansions.json"
EXPANSIONS_FORMAT = 1


def search_glossary(search_index, data_dir: Path | None = None) -> Expansions:
    """What a search expands its terms with: :func:`index_glossary`'s expansions, taken
    from the index folder when they were made for this index generation, these decisions
    (``data_dir``/terms.json) and this law list; else built and kept there. A damaged
    decisions file raises :class:`reader.errors.DamagedData`, every time."""
    decisions = _decisions_bytes(data_dir)
    key = "" if search_index.in_memory or decisions is None else _expansions_key(search_index, data_dir is not None, decisions)
    kept = _read_expansions(search_index.dir / EXPANSIONS_FILE, key) if key else None
    if kept is not None:
        return kept
    # (the decisions read once: what is kept is made from the bytes its key names)
    expansions = Expansions(index_glossary(search_index, data_dir, decisions=decisions if data_dir is not None else None).expansion_table())
    if key and not search_index.read_only:
        from reader.settings import write_atomically

        data = json.dumps({"key": key, "table": expansions.table}, ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError):  # only saves time
            write_atomically(search_index.dir / EXPANSIONS_FILE, data)
    return expansions


def _decisions_bytes(data_dir: Path | None) -> bytes | None:
    """The decisions file's bytes (b"{}" when there is none, or no data folder); None when
    it cannot be read."""
    if data_dir is None:
        return b"{}"
    try:
        return (Path(data_dir) / DECISIONS_FILE).read_bytes()
    except FileNotFoundError:
        return b"{}"
    except OSError:
        return None


def _expansions_key(search_index, with_decisions: bool, decisions: bytes) -> str:
    """The index generation, the decisions' and the law list's digests (without a data
    folder, no decisions at all: a key no decisions file has)."""
    from reader.legal.names import law_list_digest

    generation = search_index.open().latest_generation()
    digest = hashlib.blake2b(b"file:" + decisions if with_decisions else b"none", digest_size=16).hexdigest()
    return f"{EXPANSIONS_FORMAT}:{INDEX_FORMAT}:{generation}:{digest}:{law_list_digest()}"


def _read_expansions(path: Path, key: str) -> Expansions | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    table = data.get("table") if isinstance(data, dict) and data.get("key") == key else None
    if not isinstance(table, dict) or not all(
        isinstance(others, list) and all(isinstance(o, str) for o in others) for others in table.values()
    ):
        return None
    return Expansions(table)


def expand(root: Node | None, glossary: Glossary, skip: frozenset[str] | set[str] = frozenset()) -> tuple[Node | None, list[Expansion]]:
    """``root`` with each word or phrase of the body (or every field) that the glossary
    knows searched as itself OR its other forms, and the expansions made, in query order.
    A term in ``skip`` (as :attr:`Expansion.term` gives it: the window's chip the reader
    removed) is searched only as typed, and is not among the expansions."""
    made: dict[str, Expansion] = {}

    def walk(node: Node) -> Node:
        if isinstance(node, Leaf):
            if node.field not in (None, "body") or node.text in skip:
                return node
            others = glossary.expansions(node.text)
            if not others:
                return node
            made.setdefault(node.text, Expansion(node.text, tuple(others)))
            return Op("or", [node] + [Leaf(other, node.field, True) for other in others])
        if isinstance(node, Op):
            return Op(node.kind, [walk(child) for child in node.children])
        return node

    if root is None:
        return None, []
    return walk(root), list(made.values())
