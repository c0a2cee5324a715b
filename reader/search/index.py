"""The search index of one library: open (or rebuild), update incrementally, one writer.

The index is a cache of the articles. It carries a format file; an index of another format,
or one that fails to open, is deleted and rebuilt from the articles. Only one process or
thread writes at a time: Whoosh's lock is taken with a timeout and a busy index is reported
as :class:`IndexBusy`, never as a raw ``LockError``.

When the data folder is read-only the index is opened for reading only and never changed;
one that cannot be opened is then built in memory for this run. When writing fails (a full
disk) the files of the unfinished commit are removed, the index stays as it was at its last
commit, and :class:`IndexWriteFailed` says how far the run got.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import scoring
from whoosh.multiproc import MpWriter, SubWriterTask

from reader.errors import DataFolderError, from_os_error, is_disk_full
from reader.library.catalog import Catalog
from reader.library.library import Library
from reader.library.reading import DISAPPEARED
from reader.library.scanning import NOT_UTF8_NAME
from reader.paths import read_only_problem
from reader.search.codec import ArrayCodec
from reader.search.documents import field_texts, pack_heading, pack_texts
from reader.search.folding import fold
from reader.search.pool import use_term_pool
from reader.search.schema import INDEX_FORMAT, Folded, make_schema

FORMAT_FILE = "reader-index.json"
VERSIONS_FILE = "reader-versions.json"
#: What the index was last found to hold everything of: the index generation and a digest of
#: the catalog's versions, the notes and the edits (see SearchIndex.update).
IN_STEP_FILE = "reader-in-step.json"
#: A long update commits after COMMIT_EVERY articles, then after twice as many, and so on up
#: to COMMIT_GROWTH times as many: searching sees progress early and a cancel or crash loses
#: little, while a 100,000-article build makes 7 commits instead of 20. Each commit of a
#: bulk writer adds 2 segments, which are never merged again (too costly in Whoosh), and each
#: segment costs every query term a lookup: at 10,000 articles 7 segments instead of 4 made
#: queries about a fifth slower.
COMMIT_EVERY = 5000
COMMIT_GROWTH = 4
BULK_THRESHOLD = 400
Progress = Callable[[int, int], None]  # (done, total)
#: rel path -> annotation text to index. A mapping lets an update that has nothing to do
#: see so without comparing every article (a function: it compares them all).
NotesProvider = Callable[[str], str] | Mapping[str, str]


class IndexBusy(Exception):
    """Another writer holds the index."""


class Cancelled(Exception):
    pass


class IndexWriteFailed(DataFolderError):
    """Writing the index failed (full disk, I/O error); the text says what was committed."""


class _HelperFailed(Exception):
    """A writer process of a bulk update stopped; ``disk_full`` when that was the reason."""

    def __init__(self, disk_full: bool) -> None:
        super().__init__("the disk is full" if disk_full else "a writer process stopped")
        self.disk_full = disk_full


@dataclass
class UpdateReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt_reason: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    not_written: int = 0  # changes that could not be indexed (read-only data folder)
    pending: int = 0  # changes a ``look_only`` update found and left (see SearchIndex.update)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _version_key(content_hash: str, notes: str) -> str:
    if not notes:
        return content_hash
    return content_hash + ":" + hashlib.sha1(notes.encode("utf-8")).hexdigest()[:12]


def _metadata_edits(library) -> dict[str, dict]:
    """The article details edited in the window and kept in the data folder (a PDF's title):
    part of an article's indexed version, so that title: and author: find the edits."""
    edits_file = getattr(library, "metadata_edits", None)
    if edits_file is None:
        return {}
    try:
        return edits_file().all()
    except (OSError, ValueError):
        return {}


def _edits_stamp(edit: dict | None) -> str:
    if not edit:
        return ""
    return "\x00edits:" + json.dumps({k: v for k, v in edit.items() if k != "modified"}, sort_keys=True, ensure_ascii=False, default=str)


def _try_open(folder: Path, read_only: str = ""):
    """(index, None) or (None, the error's name). Whoosh leaves the TOC file open when it
    fails to parse it; the warning that file raises when collected is expected here."""
    import gc
    import warnings

    from reader.search.storage import open_index

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = open_index(str(folder), readonly=bool(read_only))
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
        self.notices: list[str] = []  # a damaged manifest, an index kept in memory
        self.read_only = ""  # why the index on disk must not be changed ("" when it may)
        self.in_memory = False  # built in memory for this run (read-only and unusable on disk)
        self._ix = None
        self._searcher = None
        self._lock = threading.RLock()

    # Opening -------------------------------------------------------------------------------
    def open(self):
        """Open the index, creating or rebuilding it (empty) when needed. Returns the index."""

        with self._lock:
            if self._ix is not None:
                return self._ix
            self.read_only = read_only_problem(self.dir)
            reason = self._check_format()
            if not reason:
                ix, failure = _try_open(self.dir, self.read_only)
                if ix is not None and set(ix.schema.names()) == set(make_schema().names()):
                    self._ix = ix
                    return ix
                if ix is not None:  # a format marker that does not tell (a development build)
                    ix.close()
                    failure = "its fields are not this Reader's"
                reason = f"the index could not be opened ({failure}); rebuilding"
            if self.read_only:
                self._create_in_memory(reason)
            else:
                self._create(reason)
            return self._ix

    def _check_format(self) -> str:
        marker = self.dir / FORMAT_FILE
        try:
            if not self.dir.is_dir() or not any(self.dir.iterdir()):
                return "new"
            fmt = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "the index has no format marker; rebuilding"
        if not isinstance(fmt, dict) or "format" not in fmt:
            return "the index's format marker is damaged; rebuilding"
        if fmt["format"] != INDEX_FORMAT:
            return f"the index was written in format {str(fmt['format'])[:20]}, this Reader uses {INDEX_FORMAT}; rebuilding"
        return ""

    def _create(self, reason: str) -> None:
        from reader.search.storage import create_index

        try:
            if self.dir.exists():
                shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True, exist_ok=True)
            self._ix = create_index(str(self.dir), make_schema())
            (self.dir / FORMAT_FILE).write_text(json.dumps({"format": INDEX_FORMAT}), encoding="utf-8")
        except OSError as exc:
            # Half a new index has no format marker: the next run starts it again.
            self._ix = None
            with contextlib.suppress(OSError):
                (self.dir / FORMAT_FILE).unlink(missing_ok=True)
            raise from_os_error(exc, self.dir, "the index could not be created; nothing was indexed") from None
        self.rebuilt_reason = "" if reason == "new" else reason

    def _create_in_memory(self, reason: str) -> None:
        """The data folder is read-only and its index unusable: build one for this run."""
        from whoosh.filedb.filestore import RamStorage

        self._ix = RamStorage().create_index(make_schema())
        self.in_memory = True
        why = "there is no index" if reason == "new" else reason.removesuffix("; rebuilding")
        self.notices.append(f"{self.dir}: {self.read_only} and {why}; an index is built in memory for this run (nothing is written)")

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

    def free_caches(self) -> None:
        """Drop the decoded postings the current searcher holds (an idle window gives the
        memory back; the next search decodes what it needs again)."""
        from reader.search.postings import kept_on, posting_cache

        with self._lock:
            searcher = self._searcher
        if searcher is not None:
            posting_cache(searcher).clear()
            kept_on(searcher, "headings", dict).clear()

    def indexed_versions(self) -> dict[str, str]:
        """Path -> indexed version. Read from a manifest written after each commit when it
        matches the index generation; otherwise from the stored fields (slow, always right).
        A manifest of the wrong shape is said in :attr:`notices` and written again."""
        ix = self.open()
        generation = ix.latest_generation()
        manifest = self.manifest_problem(generation)
        if isinstance(manifest, dict):
            return manifest
        out = {}
        reader = self.searcher().reader()
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            out[stored["path"]] = stored.get("hash", "")
        if manifest:
            self.notices.append(f"{self.dir / VERSIONS_FILE}: {manifest}; the versions were read from the index itself")
            if not self.read_only and not self.in_memory:
                self._write_manifest_quietly(out)
        return out

    def diagnose(self) -> tuple[str, dict[str, str] | None]:
        """For ``reader doctor``, changing nothing: what is wrong with the index on disk ("" when
        nothing is), and its path -> version map when it can be read."""
        reason = self._check_format()
        if reason == "new":
            return "", {}
        if reason:
            return reason.removesuffix("; rebuilding"), None
        ix, failure = _try_open(self.dir, "read only")
        if ix is None:
            return f"the index could not be opened ({failure})", None
        try:
            manifest = self.manifest_problem(ix.latest_generation())
            if isinstance(manifest, dict):
                return "", manifest
            with ix.searcher() as searcher:
                reader = searcher.reader()
                versions = {reader.stored_fields(n)["path"]: reader.stored_fields(n).get("hash", "") for n in reader.all_doc_ids()}
            return manifest, versions
        finally:
            ix.close()

    def manifest_problem(self, generation: int | None = None) -> dict[str, str] | str:
        """The manifest's versions when it is usable; else what is wrong with it ("" when it
        is only missing or of an older generation, which is normal after a crash)."""
        if self.in_memory:
            return ""
        if generation is None:
            generation = self.open().latest_generation()
        try:
            manifest = json.loads((self.dir / VERSIONS_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return ""
        except (OSError, ValueError, RecursionError):
            return "the list of indexed versions is damaged (not JSON)"
        if not isinstance(manifest, dict) or not isinstance(manifest.get("generation"), int) or not isinstance(manifest.get("versions"), dict):
            return "the list of indexed versions has the wrong shape"
        versions = manifest["versions"]
        if not all(isinstance(v, str) for v in versions.values()):
            return "the list of indexed versions holds values of the wrong type"
        if manifest["generation"] != generation:
            return ""
        return versions

    def _write_manifest(self, versions: dict[str, str]) -> None:
        from reader.settings import write_atomically

        if self.in_memory:
            return
        data = {"generation": self.open().latest_generation(), "versions": versions}
        write_atomically(self.dir / VERSIONS_FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _write_manifest_quietly(self, versions: dict[str, str]) -> None:
        """The manifest only saves time: when it cannot be written (full disk) the stale one
        is removed, and the next run reads the versions from the index."""
        try:
            self._write_manifest(versions)
        except OSError:
            with contextlib.suppress(OSError):
                (self.dir / VERSIONS_FILE).unlink(missing_ok=True)

    def _in_step_key(self, catalog: Catalog, notes: Mapping[str, str], edits: dict[str, dict]) -> str | None:
        """What says this index holds everything it should: its generation and a digest of
        the catalog's versions, the notes and the edits. None for an index in memory."""
        if self.in_memory:
            return None
        digest = hashlib.blake2b(catalog.versions_digest().encode(), digest_size=16)
        for path in sorted(set(notes) | set(edits)):
            note, edit = notes.get(path, ""), _edits_stamp(edits.get(path))
            if note or edit:
                digest.update(json.dumps([path, note, edit], ensure_ascii=False).encode("utf-8", "surrogatepass"))
        try:  # (the segments' own names: a generation number comes again after a rebuild)
            ix = self.open()
            segments = ",".join(sorted(segment.segment_id() for segment in ix._segments()))
        except Exception:  # an index Whoosh cannot list: compare everything
            return None
        return f"{ix.latest_generation()}:{segments}:{digest.hexdigest()}"

    def _read_in_step(self) -> str | None:
        try:
            data = json.loads((self.dir / IN_STEP_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        return data.get("in_step") if isinstance(data, dict) and isinstance(data.get("in_step"), str) else None

    def _write_in_step(self, key: str) -> None:
        """Kept only to save time: a read-only or full disk leaves it unwritten."""
        from reader.settings import write_atomically

        if self.read_only:
            return
        with contextlib.suppress(OSError):
            write_atomically(self.dir / IN_STEP_FILE, json.dumps({"in_step": key}).encode("utf-8"))

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    # Writing -------------------------------------------------------------------------------
    def writer(self, timeout: float = 0.0, bulk: bool = False):
        """A writer; ``bulk`` uses both cores (two writer processes, one segment each)."""
        from whoosh.index import LockError

        ix = self.open()
        if self.read_only and not self.in_memory:
            raise DataFolderError(f"{self.read_only}; the index cannot be changed", self.dir)
        try:
            if bulk and not self.in_memory and (os.cpu_count() or 1) > 1:
                writer = _CheckedMpWriter(ix, procs=2, limitmb=128, multisegment=True, timeout=timeout, delay=0.1,
                                          compound=False, codec=ArrayCodec())
            else:
                # compound=False: Whoosh copies every sub-file of a compound segment into memory
                # when it opens it (hundreds of MB at 10,000 articles); plain files are read lazily.
                # A small pool: writing it out holds the GIL, which would stall the window.
                # ArrayCodec: posting blocks NumPy reads at once (reader.search.codec).
                writer = ix.writer(limitmb=24, timeout=timeout, delay=0.1, compound=False, codec=ArrayCodec())
            use_term_pool(writer)  # postings grouped by term (reader.search.pool)
            return writer
        except LockError as exc:
            raise IndexBusy(f"{self.dir}: another Reader is updating this index; try again when it has finished") from exc
        except OSError as exc:
            raise from_os_error(exc, self.dir, "the index was not changed") from None

    def _abandon(self, writer) -> None:
        """Give up an unfinished commit: stop its helper processes, remove its files (a full
        disk needs the space back) and release the lock. The last commit stays as it was."""
        for task in getattr(writer, "tasks", []):
            if isinstance(task, SubWriterTask):
                with contextlib.suppress(Exception):
                    task.terminate()
                    task.join(5)
        try:
            writer.cancel()
        except Exception:  # closing the half-written segment can fail again on a full disk
            with contextlib.suppress(Exception):
                writer.temp_storage().destroy()
            with contextlib.suppress(Exception):
                if writer.writelock:
                    writer.writelock.release()
        if not self.in_memory:
            self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """Files no commit refers to (an unfinished segment, a temporary TOC, the writer's
        temporary folder), removed under the writer lock so no other writer is at work."""
        from whoosh.index import TOC, clean_files

        ix = self._ix
        if ix is None:
            return
        storage, name = ix.storage, ix.indexname
        try:
            lock = storage.lock(name + "_WRITELOCK")
            if not lock.acquire(False):
                return  # another writer started: its first commit cleans up
        except OSError:
            return
        try:
            generation = ix.latest_generation()
            segments = TOC.read(storage, name, generation).segments if generation >= 0 else []
            clean_files(storage, name, generation, segments)
            for leftover in self.dir.glob(f"_{name}_*.toc.*"):
                leftover.unlink(missing_ok=True)
            shutil.rmtree(self.dir / f"{name}.tmp", ignore_errors=True)
        except Exception:  # the index itself is fine; leftovers go at the next commit
            pass
        finally:
            with contextlib.suppress(Exception):
                lock.release()

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
        look_only: bool = False,
    ) -> UpdateReport:
        """Index what the catalog has that the index lacks or has in another version, and
        remove what the catalog no longer has. Commits after ``COMMIT_EVERY`` articles and
        then in growing steps (see there) so that searching sees progress and a crash loses
        little. ``only`` limits the work to some paths (annotation text changed). ``bulk`` (default: when there is much to do) uses two
        writer processes; the window passes False, as forking a threaded Qt process is unsafe
        and a cancelled multi-process writer leaves its helpers behind. ``look_only``: count
        what there is to do in ``pending`` and index or remove nothing (a search made beside a
        rescan, on a catalog that may be about to change, must not re-index after it); that
        the index holds everything is still recorded, when it does."""
        report = UpdateReport(rebuilt_reason=self.rebuilt_reason)
        self.rebuilt_reason = ""
        edits = _metadata_edits(library)
        in_step = notes_src = None
        if notes_for is None or isinstance(notes_for, Mapping):
            notes_src = notes_for or {}
            notes_for = lambda path: notes_src.get(path, "")  # noqa: E731
            if only is None:
                # Nothing changed since the index was last found to hold everything: done,
                # without reading 100,000 versions from the catalog and the index (0.3 s).
                in_step = self._in_step_key(catalog, notes_src, edits)
                if in_step is not None and in_step == self._read_in_step():
                    if progress:
                        progress(0, 0)
                    return report
        indexed = self.indexed_versions()
        report.notices += self.notices
        self.notices = []
        # Versions from the catalog's hashes alone; entries are built only for what changed
        # (for 10,000 unchanged articles that was 0.4 s of every reader search).
        hashes = catalog.content_hashes(only)
        changed = []
        for path, digest in sorted(hashes.items()):
            notes = notes_for(path)
            edit = edits.get(path) if edits else None
            # (the version of an article without notes or edits is its hash: 100,000 a call)
            version = _version_key(digest, notes + _edits_stamp(edit)) if notes or edit else digest
            if indexed.get(path) != version:
                changed.append((path, notes, version))
        entries = {e.article.path: e for e in catalog.entries({path for path, _, _ in changed})} if changed else {}
        todo = [(path, entries[path], notes, version) for path, notes, version in changed if path in entries]
        stale = [p for p in indexed if p not in hashes and (only is None or p in only)]
        total = len(todo) + len(stale)
        if total and look_only:
            report.pending = total
            return report
        if total and self.read_only and not self.in_memory:
            # Searching what was indexed before is all a read-only data folder allows.
            report.not_written = total
            report.notices.append(f"{self.dir}: {self.read_only}; {total} changed article(s) could not be indexed, searching what was indexed before")
            return report
        if progress:
            progress(0, total)
        if not total:
            if in_step is not None and in_step == self._in_step_key(catalog, notes_src, edits):
                # (the catalog did not change while it was compared)
                self._write_in_step(in_step)
            return report
        if bulk is None:
            bulk = len(todo) >= BULK_THRESHOLD
        writer = self.writer(timeout, bulk=bulk)
        committing = None
        done = committed = 0
        chunk = COMMIT_EVERY
        next_commit = chunk
        try:
            for path in stale:
                writer.delete_by_term("path", path)
                indexed.pop(path, None)
                report.removed += 1
                done += 1
            for path, entry, notes, version in todo:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if NOT_UTF8_NAME in entry.article.problems:
                    article = entry.article  # no text identity to open it by: its name only
                else:
                    article = library.load(path)
                if DISAPPEARED in article.problems:
                    # Deleted since the catalog saw it: not indexed; the next rescan drops it.
                    writer.delete_by_term("path", path)
                    indexed.pop(path, None)
                    done += 1
                    continue
                texts = field_texts(article, notes)
                if article.extracted is not None:
                    # A document (PDF, Word, EPUB…): its own text, footnotes included.
                    from reader.library.documents import search_text

                    texts["body"] = search_text(article)
                from reader.legal.glossary import extract_glosses  # here: a search never needs it

                # Folded once: folding works per field (nothing folds across a line break).
                folded = {name: Folded(fold(value)) for name, value in texts.items()}
                extra: dict[str, str] = {}
                glosses = [(g.zh, g.en, g.abbr, g.quality) for g in extract_glosses(texts["body"])]
                if glosses:
                    extra["glossed"] = "yes"
                writer.update_document(
                    path=path,
                    hash=version,
                    date=article.date or "",
                    heading=pack_heading(path, texts["title"], article.date or ""),
                    texts=pack_texts(texts),
                    ftexts=pack_texts(folded),
                    chars=Folded("\n".join(folded.values())),
                    tchars=Folded(folded["title"] + "\n" + folded["tags"]),
                    ref=texts["title"] + "\n\n" + texts["body"],  # its references (schema.RefTerms)
                    glosses=glosses,
                    **extra,
                    **folded,
                )
                if path in indexed:
                    report.updated += 1
                else:
                    report.added += 1
                indexed[path] = version
                done += 1
                if progress:
                    progress(done, total)
                if done >= next_commit and done < total:
                    committing, writer = writer, None
                    _commit(committing)
                    committed = done
                    chunk = min(chunk * 2, COMMIT_EVERY * COMMIT_GROWTH)
                    next_commit = done + chunk
                    self._write_manifest_quietly(indexed)
                    writer = self.writer(timeout=30, bulk=bulk)
            committing, writer = writer, None
            _commit(committing)
            committed = done
        except BaseException as exc:
            failed = writer if writer is not None else committing
            if failed is not None and not getattr(failed, "is_closed", False):
                self._abandon(failed)
            if isinstance(exc, (OSError, _HelperFailed)) or is_disk_full(exc):
                raise self._write_failure(exc, committed, total) from None
            raise
        self._write_manifest_quietly(indexed)
        return report

    def _write_failure(self, exc: BaseException, committed: int, total: int) -> IndexWriteFailed:
        """What a user needs to know when writing stopped: why, and what is searchable."""
        if isinstance(exc, _HelperFailed):
            problem = "the disk is full" if exc.disk_full else "a writer process stopped"
        elif isinstance(exc, OSError):
            problem = from_os_error(exc).problem
        else:
            problem = "the disk is full"
        try:
            self.close()
            searchable = f"search works on the {self.doc_count()} article(s) of the index's last commit"
        except Exception:  # the index is rebuilt at the next run
            searchable = "the index is rebuilt at the next run"
        if committed:
            done = f"{committed} of the {total} changed article(s) were committed and are searchable, {total - committed} were not written"
        else:
            done = f"none of the {total} changed article(s) were written"
        again = "Free some space and run reader index again" if "full" in problem or "quota" in problem else "Run reader index again"
        return IndexWriteFailed(f"{problem}; indexing stopped: {done}; {searchable}. {again}", self.dir)


#: The merge policy of every commit (:func:`merge_tiny`). Whoosh copies a segment posting by
#: posting, about 20 ms an article here (a 2,000-article segment took 45 s), so a commit
#: merges only segments of fewer than MERGE_LIMIT live articles, in tiers: segments of
#: [1, 4), [4, 16), [16, 64) articles, MERGE_FAN of one tier at once (with the commit's
#: own new articles). Single edits then cost a few copies each on average, no commit copies
#: more than MERGE_LIMIT articles, and at most MERGE_FAN - 1 small segments wait per tier.
#: Whoosh's own policy (MERGE_SMALL) merged every segment at once when they added up to its
#: threshold: at 55,000 articles a commit spent over 10 minutes rewriting 50,000 articles.
MERGE_FAN = 4
MERGE_LIMIT = 64


def _tier(live: int) -> int:
    tier = 0
    while live >= MERGE_FAN:
        live //= MERGE_FAN
        tier += 1
    return tier


def merge_plan(segments, new_articles: int = 0) -> tuple[list, list]:
    """(segments kept as they are, segments merged into the commit's new one) for a commit
    adding ``new_articles``: emptied segments are in neither (the commit drops them)."""
    kept, tiers = [], {}
    for segment in segments:
        live = segment.doc_count()
        if live == 0:
            continue  # nothing left in it: the commit no longer lists it, its files go
        if live >= MERGE_LIMIT:
            kept.append(segment)
        else:
            tiers.setdefault(_tier(live), []).append(segment)
    merged: list = []
    carry = new_articles  # what the new segment holds so far
    for tier in sorted(tiers):
        group = tiers[tier]
        joining = len(group) + (1 if carry and _tier(carry) == tier else 0)
        size = carry + sum(s.doc_count() for s in group)
        if joining >= MERGE_FAN and size <= MERGE_LIMIT:
            merged += group
            carry = size
        else:
            kept += group
    return kept, merged


def merge_tiny(writer, segments):
    """Whoosh merge policy (see MERGE_LIMIT): the live articles of the segments
    :func:`merge_plan` picks are copied into the segment being written."""
    from whoosh.reading import SegmentReader

    kept, merged = merge_plan(segments, getattr(writer, "docnum", 0))
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)  # the live articles only
        reader.close()
    return kept


def _commit(writer) -> None:
    writer.commit(mergetype=merge_tiny)


class _QuietSubWriter(SubWriterTask):
    """A bulk writer's helper process that ends with an exit code instead of printing a
    traceback: 28 when the disk is full, 1 for anything else."""

    def run(self) -> None:
        try:
            super().run()
        except BaseException as exc:
            raise SystemExit(28 if is_disk_full(exc) else 1) from None

    def _process_file(self, filename, doc_count) -> None:
        use_term_pool(self.writer)  # Whoosh's run() makes the writer; before its first document
        super()._process_file(filename, doc_count)


class _CheckedMpWriter(MpWriter):
    """Whoosh's MpWriter commits without the segment of a helper process that died, and the
    articles it held would silently be missing. This one refuses to commit then."""

    def _new_task(self):
        task = _QuietSubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self):
        """Whoosh's, with a put that notices dead helpers (a blocking put on the full job
        queue of dead helpers would wait for ever)."""
        import pickle
        import queue

        from whoosh.util import random_name

        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as handle:
            for item in self.docbuffer:
                pickle.dump(item, handle, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        job = (filename, len(self.docbuffer))
        while True:
            self._check_tasks(alive_only=True)
            try:
                self.jobqueue.put(job, timeout=0.5)
                break
            except queue.Full:
                continue
        self.docbuffer = []

    def commit(self, *args, **kwargs):
        self._check_tasks(alive_only=True)
        super().commit(*args, **kwargs)

    def _commit_toc(self, segments):
        self._check_tasks(alive_only=False)
        super()._commit_toc(segments)

    def _check_tasks(self, alive_only: bool) -> None:
        for task in self.tasks:
            code = task.exitcode
            if code is not None and (code != 0 or alive_only):
                raise _HelperFailed(disk_full=code == 28)
