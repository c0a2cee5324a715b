"""Property: over generated folder trees (names that collide case-insensitively or after
normalization, odd Unicode, one stem with several suffixes, the user's own files in the
library), importing never replaces a file it did not make, gives every source its own file
or a named failure, and importing again changes nothing."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library.importing import FAILED, IMPORTED, UNCHANGED, UPDATED, convert_bytes, run_import

STEMS = [
    "report", "Report", "REPORT", "résumé", unicodedata.normalize("NFD", "résumé"), "報告", "報告 2024",
    "ß", "ss", "ǅ", "a:b", "a_b", "trailing.", " spaced ", "emoji😀", "\u202eevil", "x.y", "report-2",
    "長" * 80, "長" * 82, "ﾚﾎﾟｰﾄ",
]  # fmt: skip
SUFFIXES = [".txt", ".TXT", ".html", ".htm", ".md", ".markdown"]
FOLDERS = ["2023", "Sub", "sub", "報告", "résumé"]

names = st.tuples(st.sampled_from(STEMS), st.sampled_from(SUFFIXES))
paths = st.tuples(st.lists(st.sampled_from(FOLDERS), max_size=2), names)
words = st.text(alphabet="人工智慧安全法規評估 NISTabc，。", min_size=1, max_size=30)


def _content(suffix: str, title: str, body: str) -> bytes:
    if suffix in (".html", ".htm"):
        return f"<html><body><article><h1>{title}</h1><p>{body}</p></article></body></html>".encode()
    if suffix in (".md", ".markdown"):
        return f"# {title}\n\n{body}\n".encode()
    return f"{title}\n{body}\n".encode()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _key(rel: str) -> str:
    return unicodedata.normalize("NFC", rel).casefold()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sources=st.lists(st.tuples(paths, words), min_size=1, max_size=8),
    own=st.lists(st.tuples(st.lists(st.sampled_from(FOLDERS), max_size=1), st.sampled_from(STEMS)), max_size=4),
    edit=st.sets(st.integers(0, 7), max_size=3),
)
def test_import_never_replaces_and_reimport_is_idempotent(sources, own, edit) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        src, lib, record = base / "src", base / "lib", base / "data" / "imports.json"
        made: dict[Path, bytes] = {}
        parts: dict[Path, tuple[str, str, str]] = {}
        for (folders, (stem, suffix)), body in sources:
            path = src.joinpath(*folders, stem.strip() + suffix)
            if path.name.startswith(".") or _key(str(path)) in {_key(str(p)) for p in made}:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            parts[path] = (suffix, stem.strip() or "題", body)
            made[path] = _content(*parts[path])
            path.write_bytes(made[path])
        users: dict[str, bytes] = {}
        for i, (folders, stem) in enumerate(own):
            path = lib.joinpath(*folders, convert_name(stem))
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_bytes(f"# 使用者自己的 {i}\n".encode())
                users[path.relative_to(lib).as_posix()] = path.read_bytes()

        first = run_import([src], lib, record=record).results

        by_source = {r.source: r for r in first}
        assert set(by_source) == set(made)  # every source is reported, once
        done = [r for r in first if r.status != FAILED]
        assert all(r.problem for r in first if r.status == FAILED)
        assert {r.status for r in done} <= {IMPORTED}
        targets = [_key(r.target.relative_to(lib).as_posix()) for r in done]
        assert len(targets) == len(set(targets))  # distinct files, even on a case-insensitive disk
        after = _files(lib)
        for rel, data in users.items():
            assert after[rel] == data  # the user's files are never replaced
        for r in done:
            assert r.target.read_bytes() == convert_bytes(made[r.source], r.source)[0].encode("utf-8")
        assert set(after) == set(users) | {r.target.relative_to(lib).as_posix() for r in done}  # nothing else

        again = run_import([src], lib, record=record).results
        assert [(r.source, r.status, r.target) for r in again if r.status != FAILED] == [(r.source, UNCHANGED, r.target) for r in done]
        assert _files(lib) == after

        changed = [r for i, r in enumerate(done) if i in edit]
        for r in changed:
            suffix, title, body = parts[r.source]
            r.source.write_bytes(_content(suffix, title, body + " 修訂"))
        third = {r.source: r for r in run_import([src], lib, record=record).results}
        final = _files(lib)
        assert set(final) == set(after)  # an update never makes a new file
        for r in done:
            assert third[r.source].target == r.target
            assert third[r.source].status == (UPDATED if r in changed else UNCHANGED)
        for rel, data in users.items():
            assert final[rel] == data


def convert_name(stem: str) -> str:
    from reader.library.importing import target_name

    return target_name(Path(stem + ".txt"))
