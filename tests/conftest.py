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
