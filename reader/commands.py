"""The CLI subcommands. Each takes the parsed arguments and the data paths, returns an exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli import columns, elide, open_library, plural, print_json
from reader.errors import UsageError
from reader.library.catalog import print_problem
from reader.library.importing import FAILED, record_path, run_import
from reader.paths import DataPaths
from reader.settings import Settings


def cmd_list(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.library.catalog import print_notices

    library = open_library(args, paths)
    articles, notices = _listing_after_rescan(library)
    print_notices(Settings(paths.settings_file).notices, notices)
    # Newest first, then by path (descending): two stable sorts.
    articles.sort(key=lambda a: a["path"], reverse=True)
    articles.sort(key=lambda a: a["date"] or "", reverse=True)
    if args.json:
        from reader.memory import building_many

        with building_many():
            print_json({"library": library.key, "articles": articles})
        return 0
    print(f"{library.root}  ({plural(len(articles), 'article')})")
    if not articles:
        return 0
    # Columns by display width (a Han character takes two cells); the problems come last,
    # so a long one never pushes the others out of line.
    rows = [["date", "title", "authors", "tags", "path", "problems"]]
    for a in articles:
        rows.append([a["date"] or "-", a["title"] or "-", ", ".join(a["authors"]) or "-", ", ".join(a["tags"]) or "-",
                     f"[{a['path']}]", ("! " + "; ".join(a["problems"])) if a["problems"] else ""])
    for line in columns(rows, caps=[10, 44, 20, 24, 0, 0]):
        print(line)
    return 0


def _listing_after_rescan(library) -> tuple[list[dict], list[str]]:
    """(the catalog's listing once it is in line with the folder, the notices): listed while
    a child process rescans (reader.library.aside), listed again only when that changed
    something."""
    from reader.library.aside import RescanAside

    aside, notices = RescanAside.start(library, on_problem=print_problem, progress=_extraction_printer())
    catalog = library.catalog()
    try:
        if aside is not None:
            with aside:
                articles = catalog.listing()
            outcome = aside.wait()
            if outcome is not None:
                if outcome.wrote:
                    articles = catalog.listing()
                return articles, notices + outcome.notices + catalog.notices
        catalog.rescan(on_problem=print_problem, progress=_extraction_printer())
        return catalog.listing(), notices + catalog.notices
    finally:
        catalog.close()


def _extraction_printer():
    """Progress of reading documents (PDF, Word, EPUB…) on stderr: one line per new or
    changed document (unchanged ones are not read again), and the pages of a long one every
    few seconds."""
    import time

    from reader.library.catalog import printable_path

    state = {"path": "", "said": 0.0}

    def progress(step) -> None:
        now = time.monotonic()
        if step.path and step.path != state["path"]:
            state["path"], state["said"] = step.path, now
            print(f"reading documents: {step.documents_done + 1}/{step.documents_total} {printable_path(step.path)}", file=sys.stderr, flush=True)
        elif step.path and step.pages_total and now - state["said"] >= 5.0:
            state["said"] = now
            print(f"reading documents: {printable_path(step.path)}: page {step.pages_done}/{step.pages_total}", file=sys.stderr, flush=True)

    return progress


def cmd_import(args: argparse.Namespace, paths: DataPaths) -> int:
    """Import files and folders (see reader.library.importing: import never overwrites).
    One line per source on stdout (``imported: SRC -> TARGET``), each failure as ``SRC:
    problem`` on stderr, then a summary on stderr; exit 1 if any source failed."""
    import codecs
    import os
    import re

    target = getattr(args, "library", None)
    if not target:
        last = Settings(paths.settings_file).get("library")
        if not last:
            raise UsageError("import: say where to with --library DIR")
        target = last
    library = Path(target).expanduser().resolve()
    redirected = is_sample_collection(paths, library)
    if redirected:
        # The bundled sample collection is read-only (it may live inside the installed
        # package): the articles go to the user's own library, made when there is none.
        library = user_library_dir()
    inputs = [Path(p) for p in args.inputs]
    missing = [str(p) for p in inputs if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder")
    if args.encoding:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise UsageError(f"--encoding {args.encoding}: unknown encoding (try cp950, big5, gb18030, utf-8)") from None

    def shown(path: Path | None) -> str:
        # A file name may hold a newline or bytes that are not UTF-8: one line per file, always.
        text = str(path)
        text = re.sub(r"[\x00-\x1f\x7f]", lambda m: ascii(m.group())[1:-1], text)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")

    def tell(result) -> None:
        if result.status == FAILED:
            print(f"{shown(result.source)}: {result.problem}", file=sys.stderr, flush=True)
            return
        note = ""
        if result.uncertain_encoding:
            note = f"  (encoding uncertain: read as {result.uncertain_encoding}; re-import with --encoding NAME)"
        elif result.remembered_encoding and result.status != "unchanged":
            note = f"  (read as {result.remembered_encoding}, the --encoding of its earlier import)"
        print(f"{result.status}: {shown(result.source)} -> {shown(result.target)}{note}", flush=True)

    report = run_import(inputs, library, args.encoding, record_path(paths, library), on_result=tell)
    for notice in report.notices:
        print(notice, file=sys.stderr)
    summary = report.summary()
    if report.disk_full is not None:
        summary += (f"; {shown(report.disk_full)}: the disk is full: the files listed as imported or updated were"
                    " written, the failed ones were not")
    print(summary, file=sys.stderr)
    if redirected:
        print(f"the sample collection is read-only: imported into your library {shown(library)} instead"
              " (now the library Reader opens)", file=sys.stderr)
        if library.is_dir():
            Settings(paths.settings_file).set("library", str(library))
    return 0 if report.ok else 1


def is_sample_collection(paths: DataPaths, folder: Path) -> bool:
    """Whether ``folder`` is the bundled sample collection (or its copy in the data folder)."""
    from reader.paths import bundled_samples_dir

    try:
        folder = folder.resolve()
        return folder in (bundled_samples_dir().resolve(), paths.samples_copy.resolve())
    except OSError:
        return False


def user_library_dir() -> Path:
    """The user's own library when none was named: ``Reader Library`` in their Documents."""
    try:
        import platformdirs

        documents = Path(platformdirs.user_documents_dir())
    except Exception:  # no platformdirs, or no answer: the conventional folder
        documents = Path.home() / "Documents"
    return documents / "Reader Library"


def _progress_printer(label: str):
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        if total and (done == total or done - state["last"] >= max(1, total // 20)):
            state["last"] = done
            print(f"{label}: {done}/{total}", file=sys.stderr)

    return progress


def refresh_index(library, rebuild: bool = False, quiet: bool = False, timeout: float = 0.0, rescan: bool = True,
                  look_only: bool = False):
    """Rescan the catalog (unless not ``rescan``) and bring the index up to date (only see
    what there is to do when ``look_only``: ``report.pending``); returns (SearchIndex, report).

    ``report.notices`` holds what the caller should say: a rebuilt catalog, a catalog or
    index kept in memory, changes a read-only data folder kept out of the index. A full
    disk raises :class:`reader.search.index.IndexWriteFailed` (what was committed stays)."""
    from reader.search.index import SearchIndex

    catalog = library.catalog()
    index = SearchIndex(library.index_dir)
    try:
        if rescan:
            catalog.rescan(on_problem=None if quiet else print_problem)
        index.open()
        if rebuild:
            index.rebuild(timeout)
        if index.rebuilt_reason and not quiet:
            print(f"{library.index_dir}: {index.rebuilt_reason}", file=sys.stderr)
        report = index.update(
            library,
            catalog,
            notes_for=_notes_provider(library),
            progress=None if quiet else _progress_printer("indexing"),
            timeout=timeout,
            look_only=look_only,
        )
    except BaseException:
        index.close()
        raise
    finally:
        catalog.close()
    report.notices[:0] = catalog.notices
    return index, report


def _notes_provider(library):
    """Annotation text (quotes and notes) per article, for the ``note:`` field."""
    try:
        from reader.annotations.store import AnnotationStore
    except ImportError:
        return None
    store = AnnotationStore.open_for_reading(library.paths)
    if store is None:
        return None
    texts = store.search_texts(library.key)
    store.close()
    return texts


def cmd_index(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.errors import DataFolderError
    from reader.library.catalog import print_notices
    from reader.search.index import IndexBusy

    library = open_library(args, paths)
    print_notices(Settings(paths.settings_file).notices)
    read_only = paths.read_only_problem()
    if read_only:
        raise DataFolderError(f"{read_only}; the search index cannot be updated (reader list and reader search still"
                              " work on what is there)", paths.root)
    try:
        index, report = refresh_index(library, rebuild=args.rebuild, timeout=5.0)
    except IndexBusy as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    print_notices(report.notices)
    count = index.doc_count()
    index.close()
    if report.not_written:
        print(f"reader: {library.index_dir}: {plural(report.not_written, 'changed article')} could not be indexed", file=sys.stderr)
        return 1
    print(f"{library.root}: {plural(count, 'article')} indexed ({report.added} added, {report.updated} updated, {report.removed} removed)", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace, paths: DataPaths) -> int:
    import contextlib
    import io

    from reader.library.aside import RescanAside
    from reader.library.catalog import print_notices

    if args.limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    library = open_library(args, paths)
    settings = Settings(paths.settings_file)
    print_notices(settings.notices)
    told: set[str] = set()  # notices said once, though the catalog is opened more than once
    # Searched while a child process rescans (reader.library.aside), and again only when that
    # changed the catalog; what the first search said is kept back until it is known to
    # stand. Where no child can run, the rescan comes first, as always. (The child starts
    # before the search's own modules are imported: that too happens beside its rescan.)
    aside = None
    if not args.passages:
        aside, notices = RescanAside.start(library)
        print_notices(notices)
        told.update(notices)

    from reader.annotations.tag_search import tag_resolver
    from reader.search.postings import set_budget
    from reader.search.searching import search

    set_budget(settings.get("search_cache_mb"))
    if args.passages:
        index, _ = _searchable_index(library, True, told)
        glossary = None if getattr(args, "no_expand", False) else _search_glossary(index, paths)
        return _print_passages(index, library, args, glossary)

    def searched(rescan: bool, look_only: bool = False):
        """(the result, the tag resolver), or None when ``look_only`` found the index behind
        the catalog (then nothing was searched)."""
        index, behind = _searchable_index(library, rescan, told, look_only)
        try:
            if behind:
                return None
            glossary = None if getattr(args, "no_expand", False) else _search_glossary(index, paths)
            resolver = tag_resolver(library.paths, library.key)  # htag: from the annotations database
            return search(index, args.query, limit=args.limit or None, glossary=glossary, htag_paths=resolver), resolver
        finally:
            index.close()

    if aside is None:
        result, resolver = searched(rescan=True)
    else:
        # The first search indexes nothing: the catalog it reads may be about to change (an
        # index brought in line with a catalog rebuilt empty would lose every article).
        said, shown = io.StringIO(), set(told)
        try:
            with aside, contextlib.redirect_stderr(said):
                first = searched(rescan=False, look_only=True)
        except BaseException:
            sys.stderr.write(said.getvalue())
            raise
        outcome = aside.wait()
        notices = [n for n in outcome.notices if n not in shown] if outcome is not None else []
        print_notices(notices)
        if outcome is None or outcome.wrote or first is None:
            told.clear()  # (the first search's notices were kept back: the second says its own)
            told.update(shown, notices)
            result, resolver = searched(rescan=outcome is None)
        else:
            sys.stderr.write(said.getvalue())
            result, resolver = first
    for line in resolver.messages:
        print(f"reader: {line}", file=sys.stderr)
    _tell_expansions(getattr(result, "expansions", []))
    if getattr(result, "rejected", False):
        # Not searched at all: an empty result would read as "nowhere in the library".
        raise UsageError(result.message)
    if result.message:
        print(result.message, file=sys.stderr)
    if args.json:
        print_json({
            "query": result.query,
            "total": result.total,
            "hits": [{"path": h.path, "title": h.title, "date": h.date, "score": h.score, "snippet": h.snippet} for h in result.hits],
            "expansions": [e.to_json() for e in getattr(result, "expansions", [])],
        })
        return 0
    if not result.hits:
        print("No results.")
        return 0
    print(plural(result.total, "article") + (f" (showing the best {len(result.hits)})" if len(result.hits) < result.total else ""))
    import html as _html
    import re as _re

    for hit in result.hits:
        snippet = _html.unescape(_re.sub(r"</?mark>", "**", hit.snippet))
        print(f"\n{hit.title}  [{hit.path}]  {hit.date}\n  {snippet}")
    return 0


def _searchable_index(library, rescan: bool, told: set[str], look_only: bool = False):
    """(the library's index brought up to date with its catalog, rescanned first when
    ``rescan``; its last commit when another Reader is indexing or the disk is full, whether
    it is behind the catalog). ``look_only``: nothing is written; when the index is behind,
    it is left so. Notices in ``told`` are not said again."""
    from reader.errors import DataFolderError
    from reader.library.catalog import print_notices
    from reader.search.index import IndexBusy, SearchIndex

    try:
        index, report = refresh_index(library, quiet=True, timeout=2.0, rescan=rescan, look_only=look_only)
        print_notices([n for n in report.notices if n not in told])
        told.update(report.notices)
        return index, bool(report.pending)
    except IndexBusy:
        # Someone else is indexing: search what was last committed.
        return SearchIndex(library.index_dir), False
    except DataFolderError as exc:
        # A full disk: the index could not be brought up to date; search its last commit.
        print(f"reader: {exc}", file=sys.stderr)
        print(f"reader: searching what the index held before ({library.index_dir})", file=sys.stderr)
        return SearchIndex(library.index_dir), False


def _search_glossary(index, paths: DataPaths):
    """The glossary a search expands its terms with (issue 14); a damaged decisions file is
    reported and left out, never a reason not to search."""
    from reader.errors import ReaderError
    from reader.search.expansion import search_glossary

    try:
        return search_glossary(index, paths.root)
    except ReaderError as exc:
        print(f"reader: {exc}; searching with the learned terms only", file=sys.stderr)
        return search_glossary(index, None)


def _tell_expansions(expansions) -> None:
    """Expansion is never silent: each expanded term, on stderr."""
    for expansion in expansions:
        print(f"expanded: {expansion.describe()} (--no-expand searches only what you typed)", file=sys.stderr)


def _print_passages(index, library, args: argparse.Namespace, glossary=None) -> int:
    """``reader search QUERY --passages``: every occurrence, from the search's own matcher."""
    from reader.library.documents import pages_for
    from reader.search.passages import passages

    if not 0 <= args.context <= 1000:
        raise UsageError("--context must be from 0 to 1000 characters")
    try:
        from reader.annotations.tag_search import tag_resolver

        resolver = tag_resolver(library.paths, library.key)  # htag:, as the search answers it
        found = passages(index, library, args.query, context=args.context, pages=pages_for, glossary=glossary, htag_paths=resolver)
        if getattr(found, "rejected", False):
            raise UsageError(found.message)
        _tell_expansions(getattr(found, "expansions", []))
        if found.message:
            print(found.message, file=sys.stderr)
        data = found.to_json()
    finally:
        index.close()
    if args.json:
        print_json(data)
        return 0
    import html as _html
    import re as _re

    total, articles = data["total_passages"], data["total_articles"]
    print(f"{total:,} passage{'s' if total != 1 else ''} in {articles:,} article{'s' if articles != 1 else ''}")
    for article in data["articles"]:
        print(f"\n{article['title']}  [{article['path']}]")
        for passage in article["passages"]:
            where = [f"p. {passage['page']}"] if passage.get("page") else []
            where += [f"¶{passage['paragraph']}"] if passage.get("paragraph") else []
            where += [passage["heading"]] if passage.get("heading") else []
            text = _html.unescape(_re.sub(r"</?mark>", "**", passage["text"]))
            print(f"  {passage['start']}–{passage['end']}  {' · '.join(where)}\n    {text}")
    return 0


def _article_path(library, path: str) -> str:
    """Accept a path relative to the library, or a file path inside it."""
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        try:
            return candidate.resolve().relative_to(library.root).as_posix()
        except ValueError:
            raise UsageError(f"{path}: not an article of the library {library.root}") from None
    from reader.library.library import confine

    rel = confine(library.root, path)  # OutsideLibrary (exit 2) for .., absolute, symlinks out
    if not (library.root / rel).is_file():
        raise UsageError(f"{path}: no such article in {library.root}")
    return rel


def cmd_export(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.annotations.service import highlight_ranges, open_article
    from reader.annotations.store import AnnotationStore
    from reader.library import frontmatter
    from reader.render.article import render_article
    from reader.render.export import export_page

    library = open_library(args, paths)
    rel = _article_path(library, args.path)
    if args.format == "markdown":
        source = library.file_path(rel)
        # A document (PDF, Word…) prints the Markdown extracted from it, with its metadata.
        if source.suffix.lower() in (".md", ".markdown"):
            sys.stdout.write(source.read_text(encoding="utf-8", errors="replace"))
        else:
            sys.stdout.write(frontmatter.dump(library.load(rel)))
        return 0
    store = AnnotationStore.open_for_reading(paths)
    if store is None:
        article = library.load(rel)
        rendered, items = render_article(article), []
    else:
        article, rendered, _, items = open_article(store, library, rel)
    if args.format == "text":
        sys.stdout.write(rendered.text)
        return 0
    colors = {c.key: c.color for c in store.colors()} if store else {}
    ranges = [(s, e, colors.get(a.color, "#ffe066"), a.note) for s, e, a in highlight_ranges(rendered, items)]
    # Self-contained: the article's images inside the library are embedded, nothing else is kept.
    if article.extracted is not None:
        # A document's pictures are in the document: given to the export from a private
        # folder, by the same rule (image types, sizes) as a library's image files.
        from dataclasses import replace

        from reader.library.documents import export_images

        with export_images(article, rendered.body_html) as (body_html, folder):
            page, left_out = export_page(article, replace(rendered, body_html=body_html), ranges, library=folder, base=folder)
    else:
        page, left_out = export_page(article, rendered, ranges, library=library.root, base=library.file_path(rel).parent)
    sys.stdout.write(page)
    if left_out:
        count = len(left_out)
        print(f"{rel}: {count} image{'s' if count != 1 else ''} left out of the page (only image files inside the library"
              " are embedded)", file=sys.stderr)
    return 0


def cmd_annotations(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.annotations.exchange import ImportError_, import_json, read_annotation_file
    from reader.annotations.service import (
        attach_library,
        current_annotations,
        has_gone_libraries,
        library_hashes,
    )
    from reader.annotations.store import AnnotationStore
    from reader.errors import DataFolderError

    library = open_library(args, paths)
    root = library.key
    if args.action == "import":
        source = Path(args.file)
        try:
            text = read_annotation_file(source)
        except ImportError_ as exc:
            raise UsageError(exc.problem, source) from None
        store = AnnotationStore.open(paths)
        try:
            for message in store.messages:
                print(message, file=sys.stderr)
            if store.read_only:
                raise DataFolderError(f"nothing was imported: {store.read_only_reason}", source)
            for message in attach_library(store, library, library_hashes(library)):
                print(message, file=sys.stderr)
            try:
                report = import_json(store, text, root)
            except ImportError_ as exc:
                print(f"reader: {source}: {exc}; nothing was imported", file=sys.stderr)
                return 1
        finally:
            store.close()
        for line in report.rejected:
            print(f"{source}: rejected {line}", file=sys.stderr)
        for line in report.notices:
            print(f"{source}: {line}", file=sys.stderr)
        if report.failure:
            print(f"reader: {report.failure}; {plural(report.not_written, 'item')} not written", file=sys.stderr)
        print(f"{source}: {report.summary()}", file=sys.stderr)
        return 1 if report.failure or report.rejected else 0

    if args.action == "tags":
        return _print_tags(args, paths, library, root)
    from reader.exporting import command as annotation_export

    # The style, the filters and -o are checked before anything is opened or computed.
    request = annotation_export.request_from(args, paths)
    chosen_articles = {_article_path(library, a) for a in args.article} if args.article else None
    store = AnnotationStore.open_for_reading(paths)  # DamagedData when it cannot be read
    items = []
    colors = {}
    if store is not None:
        renamed = any(not library.contains(a) or not library.file_path(a).exists() for a in store.counts(root))
        if not store.read_only or renamed or has_gone_libraries(store, library):
            told = store.messages
            store.close()
            store = AnnotationStore.open(paths)  # a moved library is given its annotations
            store.messages[:0] = told
            if not store.read_only:
                for message in attach_library(store, library, library_hashes(library)):
                    print(message, file=sys.stderr)
        for message in store.messages:
            print(message, file=sys.stderr)
        try:
            # Positions point at today's text, computed without writing (an export running
            # beside an import or the window never overwrites their changes).
            items = current_annotations(store, library, store.all(root))
            colors = {c.key: c.name for c in store.colors()}
        finally:
            store.close()
    if chosen_articles is not None:
        items = [i for i in items if i.article in chosen_articles]
    data, count = annotation_export.export_bytes(request, library, items, colors)
    annotation_export.write(request, data, count, paths.root)
    return 0


def _print_tags(args: argparse.Namespace, paths: DataPaths, library, root: str) -> int:
    """``reader annotations tags``: the tags in use in the library (for --tag and htag:)."""
    from reader.annotations.store import AnnotationStore

    store = AnnotationStore.open_for_reading(paths)  # DamagedData when it cannot be read
    counts: dict[str, int] = {}
    if store is not None:
        try:
            for message in store.messages:
                print(message, file=sys.stderr)
            counts = store.tag_counts(root)
        finally:
            store.close()
    if args.json:
        print_json({"library": root, "tags": [{"tag": tag, "count": n} for tag, n in counts.items()]})
        return 0
    if not counts:
        print("No tags yet.")
        return 0
    for line in columns([[tag, str(n)] for tag, n in counts.items()]):
        print(line)
    return 0


# --- references, terms and laws (issue 14) ---------------------------------------------------

def cmd_refs(args: argparse.Namespace, paths: DataPaths) -> int:
    """``reader refs PATH [--json]``: the article's references, offsets into its exported text."""
    from reader.legal.lawdb import imported_laws, provision_text
    from reader.legal.references import find_references
    from reader.render.article import render_article

    library = open_library(args, paths)
    rel = _article_path(library, args.path)
    text = render_article(library.load(rel)).text  # what `reader export --format text` prints
    refs = find_references(text)
    laws = imported_laws(paths.root) if any(r.kind == "statute" for r in refs) else {}
    rows = []
    for ref in refs:
        row = {"kind": ref.kind, "law": ref.law, "article": ref.article, "paragraph": ref.paragraph,
               "item": ref.item, "start": ref.start, "end": ref.end, "text": ref.text}
        if ref.kind == "statute" and ref.pcode in laws and ref.article:
            found = provision_text(paths.root, ref.pcode, ref.article)
            if found is not None:
                row["provision_text"] = found[2]
        rows.append((ref, row))
    if args.json:
        print_json([row for _, row in rows])
        return 0
    if not rows:
        print(f"{rel}: no references")
        return 0
    print(f"{rel}: {plural(len(rows), 'reference')}")
    table = [[f"{ref.start}–{ref.end}", ref.kind, ref.label, ref.text.replace(chr(10), ' ')] for ref, _ in rows]
    for line in columns(table, caps=[0, 0, 40, 40]):
        print("  " + line)
    if laws:
        for ref, row in rows:
            if "provision_text" in row:
                print(f"\n{ref.label}\n  {row['provision_text']}")
    return 0


def cmd_terms(args: argparse.Namespace, paths: DataPaths) -> int:
    """``reader terms [--json]``: the pairs learned from the library's glosses and the
    confirmed ones (terms.json in the data folder), most certain first."""
    from reader.search.expansion import index_glossary

    library = open_library(args, paths)
    index, report = refresh_index(library, quiet=True, timeout=2.0)
    try:
        glossary = index_glossary(index, paths.root, with_laws=False)
    finally:
        index.close()
    pairs = [p for p in glossary.pairs if p.status in ("learned", "confirmed")]
    if args.json:
        print_json([dict(p.to_json(), usable=p.usable) for p in pairs])
        return 0
    if not pairs:
        print("No term pairs: the library's articles gloss no terms (中文（English）).")
        return 0
    rows = [["中文", "English", "abbr", "articles", "confidence", "status"]]
    for pair in pairs:
        status = pair.status + ("" if pair.usable else " (not used)")
        rows.append([pair.zh, pair.en or "-", pair.abbr or "-", str(pair.articles), f"{pair.confidence:.2f}", status])
    for line in columns(rows, caps=[24, 48, 12, 0, 0, 0]):
        print(line)
    return 0


def cmd_laws(args: argparse.Namespace, paths: DataPaths) -> int:
    """``reader laws import FILE_OR_DIR`` and ``reader laws show LAW [ART]``."""
    from reader.legal.lawdb import import_laws, law_provisions, lookup_provision

    if args.action == "import":
        report = import_laws(args.source, paths.root)
        if not report.imported:
            for line in report.rejected[1:]:
                print(f"reader: {line}", file=sys.stderr)
            first = report.rejected[0] if report.rejected else (
                f"{args.source}: no laws in it (expected the JSON of mojLawSplitJSON: objects with pcode, name,"
                " english_name and articles)")
            raise UsageError(f"{first}; nothing was imported")
        for line in report.rejected:
            print(f"reader: {line}", file=sys.stderr)
        print(f"{args.source}: {report.summary()} -> {report.database}", file=sys.stderr)
        return 1 if report.rejected else 0
    name, english, text = lookup_provision(paths.root, args.law, args.article)
    print(name)
    if english:
        print(english)
    if text is not None:
        print(f"\n{text}")
        return 0
    from reader.legal.names import resolve_law

    found = resolve_law(args.law)
    listing = law_provisions(paths.root, found.pcode) if found else None
    if listing:
        print()
        for provision in listing[2]:
            if provision.heading and not provision.text:
                print(provision.heading)
            else:
                first = (provision.text or "").splitlines()[0] if provision.text else ""
                print(f"  {provision.no or ''}  {elide(first, 60)}")
    return 0


def cmd_doctor(args: argparse.Namespace, paths: DataPaths) -> int:
    from reader.doctor import check, repair
    from reader.errors import DataFolderError

    library = open_library(args, paths)
    report = check(paths, library)
    failed: list[str] = []
    if args.repair and report.problems:
        for line in report.lines:
            print(line)
        read_only = paths.read_only_problem()
        if read_only:
            sys.stdout.flush()
            raise DataFolderError(f"{read_only}; nothing was repaired (the problems above are left as they are)", paths.root)
        done, failed = repair(paths, library)
        for line in done:
            print(f"repaired {line}")
        for line in failed:
            print(f"reader: could not repair: {line}", file=sys.stderr)
        report = check(paths, library)
    for line in report.lines:
        print(line)
    print("healthy" if not report.problems else plural(report.problems, "problem") + ("" if args.repair else "; run reader doctor --repair"))
    return 0 if not report.problems and not failed else 1


