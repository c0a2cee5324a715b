"""The real window on a real X display (Xvfb), with the system libraries the README lists.

The rest of the suite runs Qt offscreen, which needs far fewer libraries than the xcb
platform plugin: this is the test that catches a README (or a machine) that cannot start the
window a user sees. It skips, saying why, only where neither a display nor Xvfb is at hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("PySide6")


def _display_works(env: dict) -> bool:
    if not shutil.which("xdpyinfo"):
        return bool(env.get("DISPLAY"))
    return subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def x_display():
    """A DISPLAY to draw on: the one CI started (.ci/run), else an Xvfb of our own."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    if env.get("DISPLAY") and _display_works(env):
        yield env["DISPLAY"]
        return
    if not shutil.which("Xvfb"):
        pytest.skip("no X display and no Xvfb (apt-get install xvfb): the real-window smoke test needs one")
    for number in range(91, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env["DISPLAY"] = f":{number}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _display_works(env):
        time.sleep(0.1)
    yield env["DISPLAY"]
    server.terminate()
    server.wait(timeout=10)


def _env(display: str, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "READER_DATA_DIR")}
    env.update(DISPLAY=display, READER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    return env


def test_the_xcb_platform_plugin_finds_every_library() -> None:
    """ldd of the X11 and Wayland plugins: the README's apt-get line leaves nothing out."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "qt_system_packages.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_real_window_opens_searches_highlights_and_quits_on_xcb(x_display: str, sample_library: Path, data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "real_window" / "xcb_driver.py"), str(sample_library), str(data_dir)],
        env=_env(x_display, data_dir), capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "platform": "xcb", "shown": True, "exposed": True, "articles": 2, "searched": True,
        "hit": "001_5d55142517522224.md", "opened": True, "highlighted": True, "quote": "布萊切利公園", "closed": True,
    }
    assert "Could not load the Qt platform plugin" not in result.stderr


def test_the_readme_command_brings_up_a_window_on_x(x_display: str, sample_library: Path, data_dir: Path, tmp_path: Path) -> None:
    """`reader --library DIR`, as a new user types it: a top-level "Reader" window appears."""
    env = _env(x_display, data_dir)
    process = subprocess.Popen([sys.executable, "-m", "reader", "--library", str(sample_library)], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        found = False
        while time.monotonic() < deadline and process.poll() is None and not found:
            tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True).stdout if shutil.which("xwininfo") else ""
            found = '"Reader' in tree or "Reader" in tree.split("children")[-1]
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()[1]
        assert found or not shutil.which("xwininfo")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert "Could not load the Qt platform plugin" not in stderr and "Traceback" not in stderr
