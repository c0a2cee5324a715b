"""Every path Reader uses comes from here.

State (catalog, index, annotations, settings) lives in a data folder outside the library so a
library can be read-only or synced by another tool. The data folder is, in order of precedence:
``--data-dir``, ``READER_DATA_DIR``, then the platform's user data folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "READER_DATA_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("reader", appauthor=False))


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def bundled_samples_dir() -> Path:
    """The sample collection shipped with the package (installed) or the repository (source)."""
    installed = PACKAGE_DIR / "sample_articles"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "articles"


def resources_dir() -> Path:
    installed = PACKAGE_DIR / "resources"
    if installed.is_dir() and any(installed.iterdir()):
        return installed
    return PACKAGE_DIR.parent / "resources"


def library_key(library: Path) -> str:
    """A stable, filesystem-safe key for a library, from its absolute path (the path's bytes:
    a folder name that is not valid UTF-8 has a key too)."""
    return hashlib.sha1(os.fsencode(str(library))).hexdigest()[:16]


READ_ONLY = "the data folder is read-only"


def read_only_problem(folder: Path) -> str:
    """Why nothing can be written in ``folder`` (or where it would be created), or "".

    Asks the file system (``access``, which also sees a read-only mount for root) and never
    writes a probe file."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    try:
        if os.statvfs(existing).f_flag & os.ST_RDONLY:
            return READ_ONLY
    except OSError:
        pass
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{READ_ONLY} (no permission to write)"
    return ""


@dataclass(frozen=True)
class DataPaths:
    """The layout of one data folder. Nothing is created until asked for."""

    root: Path

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def state_file(self) -> Path:
        """Window geometry and other UI state, kept apart from preferences."""
        return self.root / "state.json"

    @property
    def annotations_db(self) -> Path:
        return self.root / "annotations.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def samples_copy(self) -> Path:
        return self.root / "sample-articles"

    def library_state(self, library: Path) -> Path:
        return self.root / "libraries" / library_key(library)

    def catalog_db(self, library: Path) -> Path:
        return self.library_state(library) / "catalog.sqlite3"

    def index_dir(self, library: Path) -> Path:
        return self.library_state(library) / "index"

    @property
    def extracted_dir(self) -> Path:
        """Text extracted from the documents of every library (PDF, Word, EPUB, saved pages),
        keyed by content hash and extractor version: shared, since a file copied into two
        libraries is extracted once. A cache: anything in it may be deleted."""
        return self.root / "extracted"

    @property
    def logs_dir(self) -> Path:
        """Details of unexpected errors (a traceback for a bug report); never shown as such."""
        return self.root / "logs"

    def read_only_problem(self) -> str:
        """"" when the data folder can be written, else why not ("the data folder is read-only")."""
        return read_only_problem(self.root)

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def sample_library(paths: DataPaths) -> Path:
    """The bundled samples, or a copy in the data folder when the installed copy is read-only."""
    source = bundled_samples_dir()
    if os.access(source, os.W_OK):
        return source
    target = paths.samples_copy
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, target)
    return target
