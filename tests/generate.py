"""Generate realistic libraries from real Traditional-Chinese law prose (shared/corpus).

Articles are made of consecutive law articles, titled like news, with English terms mixed in
the way the sample articles do (NIST, TEVV, AI Seoul Summit, GDPR; full-width now and then).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path

TERMS = [
    "NIST", "TEVV", "AI Seoul Summit", "GDPR", "AI", "Bletchley Park", "frontier AI",
    "model evaluations", "AI Safety Institute", "ISO 27001", "OECD", "ChatGPT", "ＮＩＳＴ",
    "ＡＩ", "risk management", "evaluation", "Test, Evaluation, Validation, and Verification",
]
TITLES = ["{name}修正重點解析", "{name}與AI治理的新趨勢", "從{name}看數位政策", "{name}實務問答", "解讀{name}"]


def corpus_laws(corpus: Path) -> Iterator[dict]:
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            law = json.loads(line)
            if law.get("articles"):
                yield law


def generate_library(corpus: Path, target: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` Markdown articles of 2-6 KB into ``target``; returns their paths."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    laws = corpus_laws(corpus)
    while len(written) < count:
        try:
            law = next(laws)
        except StopIteration:
            laws = corpus_laws(corpus)
            continue
        texts = [a["text"] for a in law["articles"] if a.get("text")]
        if not texts:
            continue
        size = rng.randint(2000, 6000)
        paragraphs, total = [], 0
        start = rng.randrange(len(texts))
        for text in texts[start:] + texts[:start]:
            if rng.random() < 0.5:
                cut = rng.randrange(len(text) + 1)
                text = text[:cut] + rng.choice(TERMS) + text[cut:]
            paragraphs.append(text.replace("\n", ""))
            total += len(text.encode("utf-8"))
            if total >= size:
                break
        index = len(written)
        year, month = 2015 + index % 10, 1 + index % 12
        title = rng.choice(TITLES).format(name=law["name"])
        tags = rng.sample(["人工智慧", "個人資料", "資訊安全", "數位治理", "GDPR", law.get("category", "法規")], 2)
        meta = {"title": title, "date": f"{year}-{month:02d}", "tags": tags, "authors": ["編輯部"]}
        body = "\n\n".join(paragraphs)
        path = target / f"{index:05d}.md"
        front = "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"
        path.write_text(front + body + "\n", encoding="utf-8")
        written.append(path)
    return written


def bench_library(corpus: Path, workdir: Path | None, count: int, prefix: str) -> tuple[Path, Path]:
    """(library, data folder) for a benchmark: ``count`` generated articles in ``workdir``
    (kept between runs; generated again only when the count differs) or in a new temp folder."""
    import tempfile

    work = workdir or Path(tempfile.mkdtemp(prefix=prefix))
    library = (work / "library").resolve()
    if not library.exists() or len(list(library.glob("*.md"))) != count:
        generate_library(corpus, library, count)
    return library, work / "data"
