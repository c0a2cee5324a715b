"""``htag:定義`` in a search: the articles whose highlights (or article notes) carry a tag.

The search index does not hold annotation tags (they change far more often than articles);
an ``htag:`` leaf is answered from the annotations database instead, as a set of article
paths, which the search intersects with the rest of the query. Qt-free; nothing here
raises: a library with no annotations, or a database that cannot be read, has no tagged
articles (and :attr:`TagResolver.messages` says why).
"""

from __future__ import annotations

from reader.annotations.store import AnnotationStore, tags_of_json
from reader.annotations.validation import tag_key
from reader.errors import ReaderError
from reader.paths import DataPaths


class TagResolver:
    """``resolver(tag) -> frozenset of article paths`` for one library. The database is read
    once, when first asked, then answered from memory (a search asks once per leaf)."""

    def __init__(self, paths: DataPaths, library_key: str) -> None:
        self.paths = paths
        self.library_key = library_key
        self.messages: list[str] = []
        self._by_tag: dict[str, frozenset[str]] | None = None

    def _load(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        try:
            store = AnnotationStore.open_for_reading(self.paths)
        except (ReaderError, OSError) as exc:
            self.messages.append(f"htag: annotations cannot be read ({exc})")
            return {}
        if store is None:
            return {}
        try:
            self.messages += store.messages
            for _library, article, text in store.tagged_rows(self.library_key):
                for tag in tags_of_json(text):
                    found.setdefault(tag_key(tag), set()).add(article)
        except Exception as exc:  # sqlite3 errors of a damaged file: no tags, said once
            self.messages.append(f"htag: annotations cannot be read ({exc})")
            return {}
        finally:
            store.close()
        return {key: frozenset(paths) for key, paths in found.items()}

    def __call__(self, tag: str) -> frozenset[str]:
        if self._by_tag is None:
            self._by_tag = self._load()
        return self._by_tag.get(tag_key(tag.strip()), frozenset())


def tag_resolver(paths: DataPaths, library_key: str) -> TagResolver:
    """The ``htag_paths`` a search takes for ``library_key`` (``Library.key``)."""
    return TagResolver(paths, library_key)
