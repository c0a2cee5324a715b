"""Shared fixtures: every data folder in tmp_path, Qt offscreen, the real sample articles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("READER_DATA_DIR", None)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "articles"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "tw-laws.jsonl.gz"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def sample_library(tmp_path: Path) -> Path:
    """A writable copy of the sample collection."""
    target = tmp_path / "library"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed pages are not at {SEEDS}")
    return SEEDS


def run_cli(*args: str, data_dir: Path, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m reader`` in a subprocess, as a user's script would."""
    env = dict(os.environ, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=input,
        timeout=120,
    )


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    """A folder on its own small file system (tmpfs), to fill up: ``small_disk(kib)`` gives it.

    Root can write to any folder whatever its mode bits, so a real size limit needs a mount;
    where mounting is not allowed the test is skipped with the reason.
    """
    mounted: list[Path] = []

    def make(kib: int, name: str = "disk") -> Path:
        target = tmp_path / name
        target.mkdir()
        if not _mount("-t", "tmpfs", "-o", f"size={kib}k,mode=0755", "tmpfs", str(target)):
            pytest.skip("cannot mount a small tmpfs here (needs root); the disk-full case is not tested")
        mounted.append(target)
        return target

    yield make
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """``read_only_folder(path)`` makes an existing folder read-only for everyone, root included
    (a read-only bind mount: mode bits do not stop root)."""
    mounted: list[Path] = []

    def make(folder: Path) -> Path:
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o555)
            mounted.append(folder)
            return folder
        if not (_mount("--bind", str(folder), str(folder)) and _mount("-o", "remount,ro,bind", str(folder))):
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
            pytest.skip("cannot make a read-only bind mount here; the read-only case is not tested")
        mounted.append(folder)
        return folder

    yield make
    for folder in reversed(mounted):
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o755)
        else:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def pytest_sessionfinish(session, exitstatus) -> None:
    """Qt's offscreen clipboard crashes the interpreter at exit while it holds data set from
    Python (the copy-with-citation tests): empty it while the application still exists."""
    if "PySide6.QtWidgets" in sys.modules:
        from reader.ui.app import clear_offscreen_clipboard

        clear_offscreen_clipboard()
