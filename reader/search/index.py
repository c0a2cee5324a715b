"""The search index of one library: open (or rebuild), update incrementally, one writer.

The index is a cache of the articles. It carries a format file; an index of another format,
or one that fails to open, is deleted and rebuilt from the articles. Only one process or
thread writes at a time: Whoosh's lock is taken with a timeout and a busy index is reported
as :class:`IndexBusy`, never as a raw ``LockError``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import scoring

from reader.library.catalog import Catalog
from reader.library.library import Library
from reader.library.reading import DISAPPEARED
from reader.search.documents import field_texts, pack_texts
from reader.search.schema import INDEX_FORMAT, make_schema

FORMAT_FILE = "reader-index.json"
VERSIONS_FILE = "reader-versions.json"
COMMIT_EVERY = 5000  # searching sees progress; each commit of a bulk writer adds 2 segments
BULK_THRESHOLD = 400
Progress = Callable[[int, int], None]  # (done, total)
NotesProvider = Callable[[str], str]  # rel path -> annotation text to index


class IndexBusy(Exception):
    """Another writer holds the index."""


class Cancelled(Exception):
    pass


@dataclass
class UpdateReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt_reason: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _version_key(content_hash: str, notes: str) -> str:
    if not notes:
        return content_hash
    return content_hash + ":" + hashlib.sha1(notes.encode("utf-8")).hexdigest()[:12]


def _try_open(folder: Path):
    """(index, None) or (None, the error's name). Whoosh leaves the TOC file open when it
    fails to parse it; the warning that file raises when collected is expected here."""
    import gc
    import warnings

    from whoosh import index as windex

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = windex.open_dir(str(folder))
            with ix.searcher() as probe:  # touches the TOC and every segment
                probe.doc_count()
                for name in ("path", "chars"):
                    probe.reader().field_length(name)
            return ix, None
        except Exception as exc:  # damaged, truncated, or pickled by another version
            failure = type(exc).__name__
        gc.collect()
    return None, failure


class SearchIndex:
    """Owns the Whoosh index of one library; thread-safe for one writer and many readers."""

    def __init__(self, index_dir: Path) -> None:
        self.dir = index_dir
        self.rebuilt_reason = ""
        self._ix = None
        self._searcher = None
        self._lock = threading.RLock()

    # Opening -------------------------------------------------------------------------------
    def open(self):
        """Open the index, creating or rebuilding it (empty) when needed. Returns the index."""

        with self._lock:
            if self._ix is not None:
                return self._ix
            reason = self._check_format()
            if not reason:
                ix, failure = _try_open(self.dir)
                if ix is not None:
                    self._ix = ix
                    return ix
                reason = f"the index could not be opened ({failure}); rebuilding"
            self._create(reason)
            return self._ix

    def _check_format(self) -> str:
        marker = self.dir / FORMAT_FILE
        if not self.dir.exists() or not any(self.dir.iterdir()):
            return "new"
        try:
            fmt = json.loads(marker.read_text(encoding="utf-8")).get("format")
        except (OSError, ValueError):
            return "the index has no format marker; rebuilding"
        if fmt != INDEX_FORMAT:
            return f"the index was written in format {fmt}, this Reader uses {INDEX_FORMAT}; rebuilding"
        return ""

    def _create(self, reason: str) -> None:
        from whoosh import index as windex

        if self.dir.exists():
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._ix = windex.create_in(str(self.dir), make_schema())
        (self.dir / FORMAT_FILE).write_text(json.dumps({"format": INDEX_FORMAT}), encoding="utf-8")
        self.rebuilt_reason = "" if reason == "new" else reason

    def rebuild(self, timeout: float = 0.0) -> None:
        """Empty the index under the writer lock (another writer makes this IndexBusy)."""
        from whoosh.writing import CLEAR

        with self._lock:
            writer = self.writer(timeout)
            writer.commit(mergetype=CLEAR)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    # Reading -------------------------------------------------------------------------------
    def searcher(self):
        """A searcher on the last committed state (refreshed if a commit happened since)."""
        with self._lock:
            ix = self.open()
            if self._searcher is not None and not self._searcher.up_to_date():
                # Not Searcher.refresh(): it fails when the old reader was empty.
                self._searcher.close()
                self._searcher = None
            if self._searcher is None:
                self._searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
            return self._searcher

    def indexed_versions(self) -> dict[str, str]:
        """Path -> indexed version. Read from a manifest written after each commit when it
        matches the index generation; otherwise from the stored fields (slow, always right)."""
        ix = self.open()
        generation = ix.latest_generation()
        try:
            manifest = json.loads((self.dir / VERSIONS_FILE).read_text(encoding="utf-8"))
            if manifest.get("generation") == generation:
                return manifest["versions"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        out = {}
        reader = self.searcher().reader()
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            out[stored["path"]] = stored.get("hash", "")
        return out

    def _write_manifest(self, versions: dict[str, str]) -> None:
        from reader.settings import write_atomically

        data = {"generation": self.open().latest_generation(), "versions": versions}
        write_atomically(self.dir / VERSIONS_FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    # Writing -------------------------------------------------------------------------------
    def writer(self, timeout: float = 0.0, bulk: bool = False):
        """A writer; ``bulk`` uses both cores (two writer processes, one segment each)."""
        from whoosh.index import LockError

        ix = self.open()
        try:
            if bulk and (os.cpu_count() or 1) > 1:
                from whoosh.multiproc import MpWriter

                return MpWriter(ix, procs=2, limitmb=128, multisegment=True, timeout=timeout, delay=0.1, compound=False)
            # compound=False: Whoosh copies every sub-file of a compound segment into memory
            # when it opens it (hundreds of MB at 10,000 articles); plain files are read lazily.
            # A small pool: Whoosh sorts it holding the GIL, which would stall the window.
            return ix.writer(limitmb=24, timeout=timeout, delay=0.1, compound=False)
        except LockError as exc:
            raise IndexBusy(f"{self.dir}: another Reader is updating this index; try again when it has finished") from exc

    def update(
        self,
        library: Library,
        catalog: Catalog,
        notes_for: NotesProvider | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        timeout: float = 0.0,
        only: set[str] | None = None,
        bulk: bool | None = None,
    ) -> UpdateReport:
        """Index what the catalog has that the index lacks or has in another version, and
        remove what the catalog no longer has. Commits every ``COMMIT_EVERY`` articles so that
        searching sees progress and a crash loses little. ``only`` limits the work to some
        paths (annotation text changed). ``bulk`` (default: when there is much to do) uses two
        writer processes; the window passes False, as forking a threaded Qt process is unsafe
        and a cancelled multi-process writer leaves its helpers behind."""
        report = UpdateReport(rebuilt_reason=self.rebuilt_reason)
        self.rebuilt_reason = ""
        notes_for = notes_for or (lambda _path: "")
        indexed = self.indexed_versions()
        entries = {e.article.path: e for e in catalog.entries()}
        todo = []
        for path, entry in entries.items():
            if only is not None and path not in only:
                continue
            notes = notes_for(path)
            version = _version_key(entry.content_hash, notes)
            if indexed.get(path) != version:
                todo.append((path, entry, notes, version))
        stale = [p for p in indexed if p not in entries and (only is None or p in only)]
        total = len(todo) + len(stale)
        if progress:
            progress(0, total)
        if not total:
            return report
        if bulk is None:
            bulk = len(todo) >= BULK_THRESHOLD
        writer = self.writer(timeout, bulk=bulk)
        done = 0
        try:
            for path in stale:
                writer.delete_by_term("path", path)
                indexed.pop(path, None)
                report.removed += 1
                done += 1
            for path, _entry, notes, version in todo:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                article = library.load(path)
                if DISAPPEARED in article.problems:
                    # Deleted since the catalog saw it: not indexed; the next rescan drops it.
                    writer.delete_by_term("path", path)
                    indexed.pop(path, None)
                    done += 1
                    continue
                texts = field_texts(article, notes)
                writer.update_document(
                    path=path,
                    hash=version,
                    date=article.date or "",
                    texts=pack_texts(texts),
                    chars="\n".join(texts.values()),
                    tchars=texts["title"] + "\n" + texts["tags"],
                    **texts,
                )
                if path in indexed:
                    report.updated += 1
                else:
                    report.added += 1
                indexed[path] = version
                done += 1
                if progress:
                    progress(done, total)
                if done % COMMIT_EVERY == 0 and done < total:
                    writer.commit()
                    self._write_manifest(indexed)
                    writer = self.writer(timeout=30, bulk=bulk)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._write_manifest(indexed)
        return report
