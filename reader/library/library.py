"""A library: a folder of articles plus its state in the data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader.errors import UsageError
from reader.library.catalog import Catalog
from reader.library.model import Article
from reader.library.reading import load_file
from reader.paths import DataPaths, sample_library
from reader.settings import Settings


class LibraryNotFound(UsageError):
    pass


@dataclass
class Library:
    root: Path
    paths: DataPaths

    def catalog(self) -> Catalog:
        return Catalog(self.paths.catalog_db(self.root), self.root)

    @property
    def index_dir(self) -> Path:
        return self.paths.index_dir(self.root)

    def file_path(self, rel_path: str) -> Path:
        return self.root / rel_path

    def load(self, rel_path: str) -> Article:
        """Read one article fully (body included). Problems are recorded on the article."""
        return load_file(self.file_path(rel_path), rel_path).article

    def load_with_hash(self, rel_path: str) -> tuple[Article, str]:
        """The article and the SHA-256 of its file (the version annotations are anchored to)."""
        loaded = load_file(self.file_path(rel_path), rel_path)
        return loaded.article, loaded.content_hash


def resolve_library(paths: DataPaths, requested: str | None, settings: Settings | None = None) -> Library:
    """The library to use: the one asked for, else the last one opened, else the samples."""
    if requested:
        root = Path(requested).expanduser().resolve()
        if not root.is_dir():
            raise LibraryNotFound(f"{requested}: no such library folder")
        return Library(root, paths)
    if settings is not None:
        last = settings.get("library")
        if last and Path(last).is_dir():
            return Library(Path(last), paths)
    return Library(sample_library(paths).resolve(), paths)
