"""The engines users compare us with, on the same corpus and queries (bench_search --peers).

* SQLite FTS5 with the trigram tokenizer (the standard library's sqlite3): the class of
  calibre's full-text search. Parts of fewer than three characters cannot use the trigram
  index and are matched with LIKE, as FTS5 itself documents.
* tantivy (``pip install tantivy``; skipped when it is not installed) with the same CJK
  analysis as ours: Han runs as bigrams (single characters in a field of their own), words
  lower-cased, all after our folding.

Both return the top 20 with a snippet and the exact number of matches, as our search does.
They are measurement only: nothing here is a product dependency.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from reader.search.analysis import _HAN
from reader.search.folding import fold

_RUN = re.compile(rf"[{_HAN}]+|[0-9A-Za-z]+")
_HAN_RUN = re.compile(rf"[{_HAN}]+")


def article_texts(library: Path) -> list[tuple[str, str, str]]:
    """(path, title, body) of every Markdown article (front matter split off)."""
    out = []
    for path in sorted(library.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        title, body = path.stem, text
        if text.startswith("---"):
            _, front, body = text.split("---", 2)
            for line in front.splitlines():
                if line.startswith("title:"):
                    title = line.split(":", 1)[1].strip().strip("'\"")
        out.append((path.relative_to(library).as_posix(), title, body))
    return out


def query_parts(query: str) -> tuple[list[str], bool]:
    """The parts of a benchmark query (all required) and whether it is one quoted phrase."""
    phrase = query.startswith('"') and query.endswith('"')
    text = query.strip('"')
    return ([text] if phrase else text.split()), phrase


@dataclass
class PeerResult:
    total: int
    shown: int


class Fts5:
    name = "sqlite_fts5_trigram"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None

    def build(self, articles: list[tuple[str, str, str]]) -> float:
        self.path.unlink(missing_ok=True)
        start = time.perf_counter()
        db = sqlite3.connect(self.path)
        db.execute("CREATE VIRTUAL TABLE t USING fts5(path UNINDEXED, title, body, tokenize='trigram')")
        with db:
            db.executemany("INSERT INTO t VALUES (?, ?, ?)", articles)
        db.close()
        return time.perf_counter() - start

    def open(self) -> None:
        self.db = sqlite3.connect(self.path)

    def size(self) -> int:
        return self.path.stat().st_size

    def search(self, query: str) -> PeerResult:
        parts, _phrase = query_parts(query)
        matched = [p for p in parts if len(p) >= 3]
        liked = [p for p in parts if len(p) < 3]
        where, args = [], []
        if matched:
            where.append("t MATCH ?")
            args.append(" AND ".join('"' + p.replace('"', '""') + '"' for p in matched))
        for part in liked:
            where.append("(title LIKE ? OR body LIKE ?)")
            args += [f"%{part}%"] * 2
        clause = " AND ".join(where)
        total = self.db.execute(f"SELECT count(*) FROM t WHERE {clause}", args).fetchone()[0]
        if matched:
            rows = self.db.execute(
                f"SELECT path, snippet(t, 2, '<mark>', '</mark>', '…', 20) FROM t WHERE {clause} ORDER BY rank LIMIT 20", args
            ).fetchall()
        else:  # no MATCH, no rank and no snippet(): the first 20, with a window of text
            rows = self.db.execute(f"SELECT path, substr(body, instr(body, ?) - 20, 60) FROM t WHERE {clause} LIMIT 20",
                                   [liked[0], *args]).fetchall()
        return PeerResult(total, len(rows))


def _han_bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> tuple[str, str]:
    """(bigrams and words, single characters) of ``text``, space-separated, folded as ours."""
    folded = fold(text)
    grams, chars = [], []
    for run in _RUN.findall(folded):
        if _HAN_RUN.fullmatch(run):
            grams += _han_bigrams(run)
            chars += list(run)
        else:
            grams.append(run.lower())
    return " ".join(grams), " ".join(chars)


class Tantivy:
    name = "tantivy_cjk_bigrams"

    def __init__(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("path", stored=True, tokenizer_name="raw")
        builder.add_text_field("body", stored=True)
        builder.add_text_field("grams", tokenizer_name="whitespace")
        builder.add_text_field("chars", tokenizer_name="whitespace", index_option="freq")
        self.schema = builder.build()
        self.index = None
        self.searcher = None

    def build(self, articles: list[tuple[str, str, str]]) -> float:
        import shutil

        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        start = time.perf_counter()
        index = self.tantivy.Index(self.schema, path=str(self.path))
        writer = index.writer(heap_size=200_000_000, num_threads=2)
        for path, title, body in articles:
            grams, chars = tokens(title + "\n" + body)
            writer.add_document(self.tantivy.Document(path=path, body=body, grams=grams, chars=chars))
        writer.commit()
        writer.wait_merging_threads()
        return time.perf_counter() - start

    def open(self) -> None:
        self.index = self.tantivy.Index.open(str(self.path))
        self.searcher = self.index.searcher()

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def _part(self, text: str):
        query = self.tantivy.Query
        grams, chars = tokens(text)
        words = grams.split()
        if not words:
            return query.empty_query()
        if len(words) == 1 and len(chars.split()) == 1:
            return query.term_query(self.schema, "chars", chars)
        if len(words) == 1:
            return query.term_query(self.schema, "grams", words[0])
        return query.phrase_query(self.schema, "grams", words)

    def search(self, query: str) -> PeerResult:
        parts, _phrase = query_parts(query)
        subs = [self._part(p) for p in parts]
        tq = subs[0] if len(subs) == 1 else self.tantivy.Query.boolean_query(
            [(self.tantivy.Occur.Must, s) for s in subs])
        found = self.searcher.search(tq, 20, count=True)
        generator = self.tantivy.SnippetGenerator.create(self.searcher, tq, self.schema, "body")
        shown = 0
        for _score, address in found.hits:
            generator.snippet_from_doc(self.searcher.doc(address)).to_html()
            shown += 1
        return PeerResult(found.count, shown)


def peers(workdir: Path) -> list:
    """The peer engines that can run here (tantivy only when installed)."""
    out: list = [Fts5(workdir / "fts5.sqlite")]
    with contextlib.suppress(ImportError):
        out.append(Tantivy(workdir / "tantivy"))
    return out
