"""Collect every tr("...") of reader/ui into resources/i18n/reader_zh_TW.ts, keep existing
translations, then compile the .qm with pyside6-lrelease.

    python tools/update_translations.py [NEW.tsv ...]

Each NEW.tsv holds new translations, one "English<TAB>中文" per line; they are added to (or
replace) the existing ones.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "reader_zh_TW.ts"
CONTEXT = "Reader"


def collect() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "reader" / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tr" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value not in found:
                    found.append(arg.value)
        # The shortcut table is translated where it is shown.
        if path.name == "dialogs.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SHORTCUTS":
                    for item in node.value.elts:
                        text = item.elts[1].value
                        if text not in found:
                            found.append(text)
    return found


def existing() -> dict[str, str]:
    if not TS.exists():
        return {}
    root = ET.parse(TS).getroot()
    out = {}
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is not None and translation.text and translation.get("type") != "unfinished":
            out[source] = translation.text
    return out


def write(strings: list[str], translations: dict[str, str]) -> list[str]:
    root = ET.Element("TS", version="2.1", language="zh_TW")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    missing = []
    for source in strings:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if source in translations:
            translation.text = translations[source]
        else:
            translation.set("type", "unfinished")
            missing.append(source)
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return missing


def read_tsv(path: Path) -> dict[str, str]:
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        source, tab, text = line.partition("\t")
        if not tab or not text.strip():
            raise SystemExit(f"{path}:{number}: expected English<TAB>translation")
        found[source] = text.strip()
    return found


def main(argv: list[str]) -> int:
    translations = existing()
    for name in argv:
        translations.update(read_tsv(Path(name)))
    missing = write(collect(), translations)
    for source in missing:
        print(f"untranslated: {source}", file=sys.stderr)
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        print("pyside6-lrelease not found; the .qm was not compiled", file=sys.stderr)
        return 1
    subprocess.run([lrelease, str(TS), "-qm", str(TS.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
