"""The library search and Ctrl+F: results in the article list, marks in the reading pane.

The search box asks (debounced, in :class:`~reader.ui.article_list.SearchBox`); the session
searches on a worker and drops stale results; this controller shows what comes back, marks
the query's words in the open article, and keeps those marks until the search is cleared
(closing Ctrl+F's find bar brings them back).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal

from reader.ui.article_models import ArticleFilterProxy, ArticleRow, PathRole, SearchResultsModel
from reader.ui.find_bar import FindBar, FoldedText
from reader.ui.i18n import articles_text, tr
from reader.ui.session import LibrarySession, OpenedArticle

#: A window nobody has searched in for this long gives back its decoded postings.
IDLE_FREE_MS = 10 * 60 * 1000


class SearchController(QObject):
    open_requested = Signal(QModelIndex)  # Enter in the search box: open the top hit
    results_shown = Signal()
    message = Signal(str, int)  # for the status bar: text, milliseconds
    expansions_changed = Signal()  # a chip was removed: the same query means other matches

    def __init__(self, list_panel, library_proxy: ArticleFilterProxy, results: SearchResultsModel, pane,
                 find_bar: FindBar, parent=None) -> None:
        super().__init__(parent)
        self.list_panel, self.library_proxy, self.results, self.pane, self.find_bar = list_panel, library_proxy, results, pane, find_bar
        self.session: LibrarySession | None = None
        self.article: OpenedArticle | None = None
        self.pending_marks = ""  # the query whose words the article opened from a hit shows
        self._open_top_hit = False
        self._folded: FoldedText | None = None  # the text Ctrl+F searches, folded once
        # Glossary expansion (issue 14): the terms whose chip the reader removed, for this query.
        self.no_expand: set[str] = set()
        self._expanded_query = ""
        self.mark_query = ""  # what the article opened from a hit marks: the query and its expansions
        list_panel.expansions.removed.connect(self.drop_expansion)
        results.snippets_wanted.connect(self.fetch_snippets)
        # Decoded postings are given back when nobody has searched for a while.
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_FREE_MS)
        self.idle.timeout.connect(lambda: self.session is not None and self.session.free_search_memory())
        box = list_panel.search_box
        box.search_requested.connect(self.run)
        box.cleared.connect(self.clear)
        box.open_top_requested.connect(self.open_top_hit)
        find_bar.query_changed.connect(self.find)
        find_bar.step_requested.connect(self.step)
        find_bar.closed.connect(self.close_find)

    @property
    def searching(self) -> bool:
        """Whether the list shows search results (else the library)."""
        return self.list_panel.view.model() is self.results

    def set_session(self, session: LibrarySession) -> None:
        self.session = session
        self.article = None
        session.search_finished.connect(lambda _generation, result: self.show_results(result))
        session.snippets_found.connect(self.results.fill_snippets)
        session.snippets_dropped.connect(self.results.forget_asked)

    def opening(self, index: QModelIndex) -> None:
        """An article is being opened from the list: from a hit, it shows the query's words."""
        from_hit = self.searching and bool(index.data(PathRole))
        self.pending_marks = (self.mark_query or self.results.query) if from_hit else ""
        if from_hit:
            self.list_panel.search_box.commit()  # opening a hit: the search counts for the history

    def show_article(self, opened: OpenedArticle) -> None:
        """An article was opened (or built again): its search and find marks."""
        self.article = opened
        if self.pending_marks:
            self.mark(self.pending_marks)
        if self.find_bar.isVisible():
            self.find(self.find_bar.line.text())

    # The library search ---------------------------------------------------------------------
    def run(self, query: str) -> None:
        self._open_top_hit = False  # Enter was for the text before this one
        if query != self._expanded_query:  # a new query: every term expands again
            self._expanded_query = query
            self.no_expand = set()
        if self.session is not None:
            self.session.search(query, frozenset(self.no_expand))
            self.idle.start()

    def fetch_snippets(self, paths: list[str]) -> None:
        """Snippets for the hits the list has just shown (made as their rows come into view)."""
        if self.session is not None and self.results.query:
            self.session.snippets(self.results.query, paths, frozenset(self.no_expand))

    def drop_expansion(self, term: str) -> None:
        """A chip's ×: search ``term`` only as typed (until the query changes)."""
        self.no_expand.add(term)
        self.list_panel.expansions.set_expansions([c for c in self._shown_expansions if c.term != term])
        query = self.list_panel.search_box.text().strip()
        if query:
            self.run(query)
        self.expansions_changed.emit()

    def rerun(self) -> None:
        """Search again for what the box holds (the index or the language changed)."""
        query = self.list_panel.search_box.text().strip()
        if query and self.searching:
            self.run(query)

    def show_results(self, result) -> None:
        session = self.session
        counts = session.store.counts(session.root)  # once, not once per hit
        rows = [ArticleRow(path=h.path, title=h.title, date=h.date, snippet=h.snippet, snippet_pending=h.snippet_pending,
                           highlights=counts.get(h.path, 0), last_read=session.reading.last_read(h.path))
                for h in result.hits]
        self.results.query = result.query
        self.results.total = result.total
        self.results.set_rows(rows)
        self._show_expansions(result)
        self.list_panel.view.setModel(self.results)
        self.list_panel.set_search_mode(True)
        parts = []
        if result.message:
            parts.append(tr("Query not understood; searched as words."))
        if result.total == 0:
            parts.append(tr("No results for “{q}”.").replace("{q}", result.query))
        else:
            count = articles_text(result.total)
            if len(rows) < result.total:
                count += " " + tr("(showing the best {n})").replace("{n}", str(len(rows)))
            parts.append(count)
        self.list_panel.status.setText("  ".join(parts))
        self.list_panel.status.show()
        self.results_shown.emit()
        if self._open_top_hit:
            self._open_top_hit = False  # (with no hits, Enter is spent: a later search opens nothing)
            if rows:
                self.open_top_hit()

    _shown_expansions: list = []
    _mark_source = ""  # the query mark_query was made for

    def _show_expansions(self, result) -> None:
        """The chips of ``result``'s expansions, and the marks an opened hit shows with them."""
        expansions = list(getattr(result, "expansions", []) or [])
        same_query = self._mark_source == result.query
        self._mark_source = result.query
        self._shown_expansions = expansions
        self.list_panel.expansions.set_expansions(expansions)
        also = [a for e in expansions for a in e.also if '"' not in a]
        self.mark_query = f'({result.query}) OR ' + " OR ".join(f'"{a}"' for a in also) if also else result.query
        if same_query and self.pending_marks and self.article is not None and self.pending_marks != self.mark_query:
            self.pending_marks = self.mark_query  # the open hit's marks follow the expansions
            self.mark(self.pending_marks)

    def clear(self) -> None:
        self.list_panel.expansions.set_expansions([])
        self._shown_expansions = []
        self.no_expand = set()
        self._expanded_query = ""
        self.mark_query = self._mark_source = ""
        if self.session is not None:
            self.session.clear_search()  # results still coming are dropped
        self.list_panel.view.setModel(self.library_proxy)
        self.list_panel.set_search_mode(False)
        self.list_panel.status.hide()
        self.pending_marks = ""
        self._open_top_hit = False
        if self.article is not None:
            self.pane.set_matches([], "search")
        self.results_shown.emit()

    def open_top_hit(self) -> None:
        """Enter in the search box: open the best hit (once the search for the text is done)."""
        query = self.list_panel.search_box.text().strip()
        if not query:
            return
        shown = self.searching and self.results.query == query
        if not shown or (self.session is not None and self.session.search_busy):
            self._open_top_hit = True  # show_results opens it
            return
        if self.results.rowCount():
            index = self.results.index(0, 0)
            self.list_panel.view.setCurrentIndex(index)
            self.open_requested.emit(index)
            self.pane.setFocus()

    def mark(self, query: str) -> None:
        """Mark the words of ``query`` in the open article, its title too."""
        if self.article is not None:
            self.pane.mark_search(query)

    # Find in the article ------------------------------------------------------------------------
    def find(self, text: str) -> None:
        if self.article is None:
            return
        # The whole article when it is shown in parts, else the document as shown (header too).
        parted = bool(self.pane.part_count)
        source = self.article.rendered if parted else self.pane.built
        if self._folded is None or self._folded.source is not source:
            haystack = self.article.rendered.text if parted else self.pane.document().toPlainText()
            self._folded = FoldedText(haystack, source)
        spans = self._folded.find(text) if text.strip() else []
        mapping = self.pane.mapping
        if not parted and mapping is not None:
            spans = [(mapping.to_qt(s), mapping.to_qt(e)) for s, e in spans]
        total = self.pane.set_matches(spans, "find", plain=parted)
        self.find_bar.show_count(1 if total else 0, total)

    def step(self, forward: bool) -> None:
        """F3 / Shift+F3: the next or previous match, "n / N" in the find bar and status bar."""
        current, total = self.pane.step_match(forward)
        if self.find_bar.isVisible():
            self.find_bar.show_count(current, total)
        if total:
            self.message.emit(f"{current} / {total}", 5000)
        else:
            self.message.emit(tr("No matches"), 3000)

    def close_find(self) -> None:
        self.find_bar.hide()
        self.pane.set_matches([], "find")
        if self.article is not None and self.searching and self.pending_marks:
            # The library search is still on: its marks come back, where the reader is.
            bar = self.pane.verticalScrollBar()
            value = bar.value()
            self.mark(self.pending_marks)
            bar.setValue(value)
        self.pane.setFocus()
