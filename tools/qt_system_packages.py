"""Which Debian/Ubuntu packages Qt's window needs: ``ldd`` of PySide6's platform plugins.

    python tools/qt_system_packages.py          # the apt-get line for X11 and Wayland
    python tools/qt_system_packages.py --check  # exit 1 and name every library not found

The README's system-library line and ``.ci/run`` come from this script's output. Run it on a
machine where the window starts (every library found) to derive the packages with
``dpkg -S``; a library not found is named with the package that ships it when known.
The GTK platform theme and other optional plugins are left out: Qt runs without them.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

# Plugins the window loads on X11 (xcb + GLX integration) and on Wayland, and the Qt
# libraries they sit on. The offscreen plugin needs only a subset of these.
PLUGINS = [
    "plugins/platforms/libqxcb.so",
    "plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "plugins/xcbglintegrations/libqxcb-egl-integration.so",
    "plugins/platforms/libqwayland.so",
    "plugins/wayland-shell-integration/libxdg-shell.so",
    "plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "lib/libQt6Core.so.6",
    "lib/libQt6Gui.so.6",
    "lib/libQt6Widgets.so.6",
    "lib/libQt6DBus.so.6",
]
# Libraries of the C runtime and toolchain: on every Debian system.
BASE = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5", "libselinux1", "libpcre2-8-0",
        "libffi8", "libmount1", "libblkid1", "libbsd0", "libmd0", "libsystemd0", "libcap2", "libgcrypt20",
        "libgpg-error0", "liblz4-1", "libexpat1", "libbrotli1", "libpng16-16", "libxau6", "libxdmcp6"}
# Sonames whose package cannot be asked of dpkg when the library is missing.
KNOWN = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-client.so.0": "libwayland-client0", "libwayland-egl.so.1": "libwayland-egl1",
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0", "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1", "libxcb-glx.so.0": "libxcb-glx0", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-util.so.1": "libxcb-util1", "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-randr.so": "libxcb-randr0",
}


def qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt"


def needed() -> dict[str, str | None]:
    """soname -> resolved path (None when not found) for every plugin's dependencies."""
    out: dict[str, str | None] = {}
    for rel in PLUGINS:
        path = qt_dir() / rel
        if not path.exists():
            continue
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            match = re.match(r"\s*(\S+)\s+=>\s+(not found|\S+)", line)
            if not match or match.group(1).startswith(("libQt6", "libpyside", "libshiboken", "libicu")):
                continue
            out[match.group(1)] = None if match.group(2) == "not found" else match.group(2)
    return out


def package_of(soname: str, path: str | None) -> str | None:
    if path is None:
        return KNOWN.get(soname)
    for candidate in (path, os.path.realpath(path)):
        found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True).stdout
        if found:
            return found.split(":")[0]
    return KNOWN.get(soname)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every library is found")
    args = parser.parse_args(argv)
    libraries = needed()
    missing = sorted(so for so, path in libraries.items() if path is None)
    if args.check:
        for soname in missing:
            print(f"not found: {soname} (package {KNOWN.get(soname, '?')})")
        return 1 if missing else 0
    packages = sorted({p for so, path in libraries.items() if (p := package_of(so, path)) and p not in BASE})
    if missing:
        print(f"# not found here: {', '.join(missing)}", file=sys.stderr)
    print("apt-get install " + " ".join(packages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
