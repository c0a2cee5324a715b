"""Write reader/legal/data/laws.tsv.gz, the official list of Taiwan's laws and regulations
that reference recognition ships: pcode, name, English name, abolished flag. Facts about the
laws, never their texts.

    python tools/build_law_names.py [../shared/corpus/tw-laws.jsonl.gz]

The source is the public JSON split of the national laws database (mojLawSplitJSON shape;
JSON lines, gzipped or not). A law is abolished when its category is 廢止法規. The script also
checks reader/legal/data/aliases.tsv against the list: every alias must name a pcode that
exists and the full name written beside it must be that pcode's name (a renamed law is
reported, so the reviewed list is kept true).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "tw-laws.jsonl.gz"
OUTPUT = ROOT / "reader" / "legal" / "data" / "laws.tsv.gz"
ALIASES = ROOT / "reader" / "legal" / "data" / "aliases.tsv"


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def read_laws(path: Path) -> list[tuple[str, str, str, bool]]:
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for line in handle:
            if not line.strip():
                continue
            law = json.loads(line)
            pcode, name = _clean(law.get("pcode")), _clean(law.get("name"))
            if not pcode or not name:
                continue
            abolished = _clean(law.get("category")).startswith("廢止法規")
            rows.append((pcode, name, _clean(law.get("english_name")), abolished))
    rows.sort()
    return rows


def check_aliases(rows: list[tuple[str, str, str, bool]]) -> list[str]:
    names = {pcode: name for pcode, name, _, _ in rows}
    problems = []
    for number, line in enumerate(ALIASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            problems.append(f"aliases.tsv:{number}: expected alias<TAB>pcode<TAB>name")
            continue
        alias, pcode, name = parts[:3]
        if pcode not in names:
            problems.append(f"aliases.tsv:{number}: {alias}: no law {pcode}")
        elif names[pcode] != name:
            problems.append(f"aliases.tsv:{number}: {alias}: {pcode} is {names[pcode]}, not {name}")
    return problems


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    rows = read_laws(source)
    text = io.StringIO()
    text.write("# pcode\tname\tenglish_name\tabolished  (tools/build_law_names.py; facts, not texts)\n")
    for pcode, name, english, abolished in rows:
        text.write(f"{pcode}\t{name}\t{english}\t{int(abolished)}\n")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same list gives the same bytes.
    with gzip.GzipFile(OUTPUT, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(text.getvalue().encode("utf-8"))
    print(f"{OUTPUT}: {len(rows)} laws, {sum(r[3] for r in rows)} abolished, {OUTPUT.stat().st_size:,} bytes")
    problems = check_aliases(rows)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
