"""Write reader/search/fold_table.json: the per-character folding table (NFKC, lower case,
Traditional -> Simplified), so that starting Reader does not spend 0.4 s computing it and
every Python version folds (and so indexes) the same way.

    python tools/make_fold_table.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.search.folding import TABLE_FILE, compute_table  # noqa: E402


def main() -> None:
    table, version = compute_table()
    data = {"unicode": version, "table": {chr(cp): value for cp, value in sorted(table.items())}}
    TABLE_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{TABLE_FILE}: {len(table)} characters (Unicode {version})")


if __name__ == "__main__":
    main()
