"""Guards for archives and XML from unknown files: zip bombs, encrypted members, entity tricks.

A .docx, .odt or .epub is a zip. Before anything is inflated the central directory is
checked: the number of members, every declared uncompressed size, their total, and the ratio
of uncompressed to compressed size. Python's zipfile never inflates a member beyond its
declared size (and checks the CRC), so checking the declarations bounds the real work. XML
is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from reader.library.formats.document import ExtractionProblem

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
#: Text and XML compress well (10:1 to 30:1 is ordinary, 100:1 happens in huge repetitive
#: tables); beyond this a large member is a bomb.
MAX_RATIO = 200
RATIO_FROM_BYTES = 2 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


class SafeZip:
    """A zip archive whose declared sizes have been checked; members read within limits."""

    def __init__(self, path: Path, what: str) -> None:
        self.what = what  # "Word document", "EPUB"… for the problems
        try:
            with path.open("rb") as handle:
                head = handle.read(8)
        except OSError as exc:
            raise ExtractionProblem(f"cannot read: {exc.strerror or exc}") from exc
        if head.startswith(OLE2_MAGIC):
            raise ExtractionProblem(f"password-protected or legacy {what}: it is an encrypted (or pre-2007) container, not a zip archive")
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            raise ExtractionProblem(f"damaged {what}: not a readable zip archive") from exc
        if len(infos) > MAX_MEMBERS:
            raise ExtractionProblem(f"refused {what}: {len(infos):,} archive members (the limit is {MAX_MEMBERS:,})")
        total = 0
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES:
                raise ExtractionProblem(f"refused {what}: {info.filename[:80]} would expand to {_mb(info.file_size)} (a zip bomb?)")
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise ExtractionProblem(
                    f"refused {what}: {info.filename[:80]} would expand {info.file_size // max(1, info.compress_size):,} times, to {_mb(info.file_size)} (a zip bomb)"
                )
            self.infos.setdefault(info.filename, info)
        if total > MAX_TOTAL_BYTES:
            raise ExtractionProblem(f"refused {what}: its contents would expand to {_mb(total)} (the limit is {_mb(MAX_TOTAL_BYTES)}; a zip bomb?)")

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, name: str) -> bool:
        return name in self.infos

    def size(self, name: str) -> int:
        info = self.infos.get(name)
        return info.file_size if info else 0

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise ExtractionProblem(f"damaged {self.what}: {name[:80]} is missing")
        if info.flag_bits & 0x1:
            raise ExtractionProblem(f"encrypted {self.what}: its contents are password-protected")
        if info.file_size > limit:
            raise ExtractionProblem(f"refused {self.what}: {name[:80]} is too large ({_mb(info.file_size)})")
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, RuntimeError) as exc:
            # zlib.error is raised through these; RuntimeError for encryption
            raise ExtractionProblem(f"damaged {self.what}: {name[:80]} cannot be unpacked") from exc
        except Exception as exc:  # zlib.error and other decompressor errors of a damaged member
            raise ExtractionProblem(f"damaged {self.what}: {name[:80]} cannot be unpacked") from exc
        if len(data) > limit:
            raise ExtractionProblem(f"refused {self.what}: {name[:80]} is larger than it says")
        return data


def xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, what: str, name: str = ""):
    """The root element of ``data``; a damaged file's problem otherwise."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionProblem(f"damaged {what}: {name or 'its XML'} is not well-formed XML") from exc
    if root is None:
        raise ExtractionProblem(f"damaged {what}: {name or 'its XML'} is empty")
    return root
