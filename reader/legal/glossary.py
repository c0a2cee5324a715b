"""Bilingual term pairs learned from the library's own glosses, and from the law list.

Two shapes of gloss are read, with full-width or half-width parentheses:

* ``中文（English[, ABBR]）``: 美國國家標準暨技術研究院（National Institute of Standards and
  Technology, NIST）, 合作備忘錄（MOU）, 先進人工智慧（frontier AI）;
* ``English（中文）``: NIST（美國國家標準暨技術研究院）.

The English side is the parenthesis (or the Latin words before it). The Chinese side has no
marked left edge, so it is found in three steps: the run of Han text before the parenthesis
up to punctuation or an enumerator (二、); then the part after the last word that cannot
start a term (verbs and particles such as 在 簽署 參與 將 的, a numeral with its measure word
一份 兩國 首屆; 及/與/、 only when the English is not itself a list); then, when a shorter tail
of it (three Han characters or more) is used elsewhere in the same article, that tail (雙方將共同開發先進人工智慧 ->
先進人工智慧). A gloss whose abbreviation spells the initials of its English name (NIST) or
whose Chinese is used again in the article counts for more.

A pair's confidence is ``(1 - Π(1 - q)) × agreement``: each article's gloss quality q (0.9,
0.8 or 0.6) combined, times the share of the English term's glosses that give this Chinese
(a term glossed two ways is less certain of each). The law list gives its pairs
(Personal Data Protection Act = 個人資料保護法) with confidence 1.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.search.variants import fold_chars

HIGH_CONFIDENCE = 0.75

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007"
_OPEN, _CLOSE = "(（", ")）"
#: The parenthesis: Latin content (with an optional abbreviation) or Han content.
_PAREN = re.compile(r"[(（](?P<body>[^()（）\n]{1,160})[)）]")
_LATIN_BODY = re.compile(r"^[A-Za-z][A-Za-z0-9 .,'’&:/+\-]*$")
_ABBR = re.compile(r"^[A-Z][A-Za-z0-9&+\-]{1,11}$")
_ENGLISH_BEFORE = re.compile(r"(?P<en>[A-Za-z][A-Za-z0-9.'’&\-]*(?: [A-Za-z0-9][A-Za-z0-9.'’&\-]*){0,8}) ?\Z")
_HAN_BODY = re.compile(rf"^[{_HAN}·‧・]{{2,30}}$")
#: What the Chinese run before a parenthesis may contain.
_RUN_CHAR = re.compile(rf"[{_HAN}A-Za-z0-9·‧・、]")
#: Words after which a term starts (the run is cut after the last one).
_STOPS = sorted(
    ["的", "之", "在", "於", "由", "對", "向", "以", "將", "為", "是", "係", "即", "亦", "也", "並", "且", "而", "等", "該", "此", "其", "所", "從", "自", "經", "據", "依", "如", "若", "把", "被", "讓", "使", "令", "有", "無", "就", "至", "及於", "包括", "包含", "稱為", "簡稱", "例如", "諸如", "透過", "藉由", "經由", "提出", "發布", "公布", "推出", "成立", "設立", "參與", "舉辦", "舉行", "召開", "簽署", "通過", "制定", "訂定", "採用", "建立", "擬定", "開發", "共同", "執行", "進行", "推動", "設置", "指派", "任命", "出任", "擔任", "表示", "指出", "強調", "認為", "宣布", "宣佈", "發表", "啟動", "加入", "組成", "包含了", "稱作", "名為", "號稱", "例如", "另", "與其", "以及", "至少", "屬於", "作為", "成為"],
    key=len,
    reverse=True,
)
#: Cut only when the English is no list; 暨 is not among them: it joins the parts of formal
#: names (國家標準暨技術研究院) far more often than phrases.
_CONJUNCTIONS = ("及", "與", "和", "、", "或", "以及")
_MEASURE = re.compile("(?:[一二三四五六七八九十兩幾數各][份個項次種件位場屆類套國批名家所條款點年月日天週]|[首第][屆次批位])")
_ENUMERATOR = re.compile(rf"(?:^|[^{_HAN}])[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class Gloss:
    """One gloss in one text: the Chinese term, the English term and/or its abbreviation."""

    zh: str
    en: str | None
    abbr: str | None
    start: int  # of the Chinese term (or the English one, for English（中文）)
    end: int  # after the closing parenthesis
    quality: float


@dataclass
class TermPair:
    zh: str
    en: str | None
    abbr: str | None
    articles: int  # articles that attest the pair (0: from the law list only)
    confidence: float
    sources: list[str] = field(default_factory=list)
    status: str = "learned"  # learned | confirmed | rejected | law list

    @property
    def usable(self) -> bool:
        """Confirmed, or confident enough to expand searches with."""
        return self.status == "confirmed" or (self.status != "rejected" and self.confidence >= HIGH_CONFIDENCE)

    def to_json(self) -> dict:
        return {"zh": self.zh, "en": self.en, "abbr": self.abbr, "articles": self.articles,
                "confidence": round(self.confidence, 3), "status": self.status}


def _initials(english: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", english)
    return "".join(w[0] for w in words if w[0].isupper() or w.lower() not in ("of", "and", "for", "the", "on", "in", "to"))


def _split_english(body: str) -> tuple[str | None, str | None] | None:
    """(English name, abbreviation) of a Latin parenthesis, or None when it is no gloss."""
    body = body.strip()
    # 「..., 下稱本策略願景」: keep the English before a Chinese remark.
    body = re.split(rf"[，,；;]\s*(?=[{_HAN}])", body)[0].strip()
    if not body or not _LATIN_BODY.match(body):
        return None
    if re.match(r"^(?:https?|www\.)", body, re.I) or re.fullmatch(r"[0-9 ./:\-]+", body):
        return None
    parts = [p.strip() for p in re.split(r"[,;]", body)]
    if len(parts) >= 2 and _ABBR.match(parts[-1]) and parts[-1].upper() == parts[-1]:
        name = ", ".join(parts[:-1]).strip()
        return (name or None), parts[-1]
    if _ABBR.match(body) and sum(c.isupper() for c in body) >= 2 and " " not in body:
        return None, body
    if len(body) < 3 or not re.search("[A-Za-z]{2}", body):
        return None
    return body, None


def _chinese_before(text: str, end: int, english: str) -> tuple[int, str, bool] | None:
    """The Chinese term ending at ``end``: (start, term, trimmed)."""
    if end > 0 and text[end - 1] in "」』\"”":
        opening = {"」": "「", "』": "『", '"': '"', "”": "“"}[text[end - 1]]
        begin = text.rfind(opening, max(0, end - 80), end - 1)
        if begin != -1 and re.search(f"[{_HAN}]", text[begin + 1 : end - 1]):
            return begin + 1, text[begin + 1 : end - 1], False
        return None
    list_like = bool(re.search(r",| and | & ", english))
    start = end
    while start > 0 and _RUN_CHAR.match(text[start - 1]) and end - start < 40:
        if text[start - 1] == "、" and not list_like:
            break
        start -= 1
    run = text[start:end]
    enumerators = list(_ENUMERATOR.finditer(run))
    if enumerators:  # 二、風險測試: the term starts after the last enumerator
        start += enumerators[-1].end()
        run = text[start:end]
    run_start, trimmed = start, False
    # The part after the last stop word (or numeral + measure word).
    cut = 0
    for stop in _STOPS:
        if not list_like or stop not in _CONJUNCTIONS:
            index = run.rfind(stop)
            while index > 0 and index + len(stop) >= len(run) - 1:
                index = run.rfind(stop, 0, index)
            if index >= 0 and index + len(stop) < len(run) - 1:
                cut = max(cut, index + len(stop))
    for measure in _MEASURE.finditer(run):
        if measure.end() < len(run) - 1:
            cut = max(cut, measure.end())
    if not list_like:
        for conjunction in _CONJUNCTIONS:
            index = run.rfind(conjunction)
            if index >= 0 and index + len(conjunction) < len(run) - 1:
                cut = max(cut, index + len(conjunction))
    if cut:
        run, start, trimmed = run[cut:], run_start + cut, True
    run = run.lstrip("、·‧・")
    if len(re.findall(f"[{_HAN}]", run)) < 2:
        return None
    return start, run, trimmed


#: Glosses read from one text at most (an article has tens; a hostile text stays bounded).
MAX_GLOSSES = 2_000


def extract_glosses(text: str) -> list[Gloss]:
    """The glosses of one text, in order."""
    out: list[Gloss] = []
    for match in _PAREN.finditer(text):
        if len(out) >= MAX_GLOSSES:
            break
        body = match.group("body")
        open_at, close_at = match.start(), match.end()
        split = _split_english(body)
        if split is not None:
            english, abbr = split
            found = _chinese_before(text, open_at, english or abbr or "")
            if found is None:
                continue
            start, zh, trimmed = found
            quality = 0.6 if trimmed else 0.8
            if english and abbr and _initials(english).upper().startswith(abbr.upper()[: max(2, len(abbr) - 1)]):
                quality = 0.9
            out.append(Gloss(zh, english, abbr, start, close_at, quality))
            continue
        body = body.strip()
        if _HAN_BODY.match(body):
            before = _ENGLISH_BEFORE.search(text, max(0, open_at - 80), open_at)
            if before is None:
                continue
            english = before.group("en").strip()
            if not (english[0].isupper() or _ABBR.match(english)):
                continue
            if _ABBR.match(english) and english.upper() == english:
                out.append(Gloss(body, None, english, before.start(), close_at, 0.8))
            else:
                out.append(Gloss(body, english, None, before.start(), close_at, 0.8))
    return _prefer_recurring(text, out)


def _prefer_recurring(text: str, glosses: list[Gloss]) -> list[Gloss]:
    """Where a shorter tail of a Chinese term is used again in the text, take that tail."""

    def twice(term: str) -> bool:
        first = text.find(term)
        return first != -1 and text.find(term, first + 1) != -1

    chosen: dict[str, tuple[str, bool]] = {}  # each distinct term is decided once
    out = []
    for gloss in glosses:
        zh = gloss.zh
        if zh not in chosen:
            best, recurs = zh, twice(zh)
            if not recurs:
                for cut in range(1, len(zh) - 2):
                    tail = zh[cut:]
                    if len(re.findall(f"[{_HAN}]", tail)) >= 3 and twice(tail):
                        best, recurs = tail, True
                        break
            chosen[zh] = (best, recurs)
        best, recurs = chosen[zh]
        quality = max(gloss.quality, 0.8) if recurs else gloss.quality
        out.append(Gloss(best, gloss.en, gloss.abbr, gloss.start + (len(zh) - len(best)), gloss.end, quality))
    return out


def _key(value: str | None) -> str:
    return " ".join(fold_chars(value or "").split())


class Glossary:
    def __init__(self, pairs: list[TermPair]) -> None:
        self.pairs = pairs
        self._by_term: dict[str, list[TermPair]] = {}
        for pair in pairs:
            for term in (pair.zh, pair.en, pair.abbr):
                if term:
                    self._by_term.setdefault(_key(term), []).append(pair)

    def lookup(self, term: str) -> list[TermPair]:
        """The pairs one of whose sides is ``term`` (folded: case, width, 臺/台 ...)."""
        return list(self._by_term.get(_key(term), []))

    def expansions(self, term: str) -> list[str]:
        """The other forms a search for ``term`` also looks for (usable pairs only): NIST ->
        美國國家標準暨技術研究院, National Institute of Standards and Technology."""
        return self._expansions_of(_key(term))

    def _expansions_of(self, key: str) -> list[str]:
        out: dict[str, None] = {}
        for pair in self._by_term.get(key, []):
            if not pair.usable:
                continue
            for other in (pair.zh, pair.en, pair.abbr):
                if other and _key(other) != key:
                    out[other] = None
        return list(out)

    def expansion_table(self) -> dict[str, list[str]]:
        """Folded term -> :meth:`expansions`, for every term that has some: all a search
        needs of the glossary (see :class:`Expansions`)."""
        table = {key: self._expansions_of(key) for key in self._by_term}
        return {key: others for key, others in table.items() if others}


class Expansions:
    """The expansions of a glossary without its pairs (:meth:`Glossary.expansion_table`):
    what a search uses, kept with the index so a search need not build the glossary."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    def expansions(self, term: str) -> list[str]:
        return list(self.table.get(_key(term), []))


def _merge_truncated(attested: dict[tuple[str, str], dict], per_english: dict[str, set[str]]) -> None:
    """A Chinese term that is the tail of a longer one glossing the same English (技術研究院 and
    美國國家標準暨技術研究院 for NIST) is the longer one cut short: its articles count for it."""
    for english, chinese in per_english.items():
        for short in sorted(chinese, key=len):
            longer = [zh for zh in chinese if zh != short and zh.endswith(short) and (zh, english) in attested]
            if not longer or (short, english) not in attested:
                continue
            target = attested[(max(longer, key=len), english)]
            entry = attested.pop((short, english))
            for article, quality in entry["q"].items():
                target["q"][article] = max(target["q"].get(article, 0.0), quality)
            target["sources"].extend(s for s in entry["sources"] if s not in target["sources"])
            target["abbr"] = target["abbr"] or entry["abbr"]
        per_english[english] = {zh for zh in chinese if (zh, english) in attested}


def law_pairs() -> list[TermPair]:
    """Official English name <-> name, for every law in the shipped list that has one."""
    from reader.legal.names import laws

    return [
        TermPair(law.short_name, law.english_name, None, 0, 1.0, ["law list"], "law list")
        for law in laws().values()
        if law.english_name and not law.abolished
    ]


def build_glossary(
    articles: Iterable[tuple[str, str]],
    *,
    with_laws: bool = True,
    confirmed: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
) -> Glossary:
    """The glossary of a library: ``articles`` are (id, text); ``confirmed`` and ``rejected``
    are the user's decisions, as (Chinese, English or abbreviation) pairs."""
    return glossary_of_glosses(((article_id, extract_glosses(text)) for article_id, text in articles),
                               with_laws=with_laws, confirmed=confirmed, rejected=rejected)


def glossary_of_glosses(
    articles: Iterable[tuple[str, list[Gloss]]],
    *,
    with_laws: bool = True,
    confirmed: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    edited: Iterable[TermEdit] = (),
) -> Glossary:
    """:func:`build_glossary` from glosses already extracted (the index keeps each
    article's, so a search does not read the library again)."""
    attested: dict[tuple[str, str], dict] = {}
    per_english: dict[str, set[str]] = {}
    for article_id, glosses in articles:
        seen_here: set[tuple[str, str]] = set()
        for gloss in glosses:
            other = gloss.en or gloss.abbr or ""
            key = (_key(gloss.zh), _key(other))
            entry = attested.setdefault(key, {"zh": gloss.zh, "en": gloss.en, "abbr": gloss.abbr, "q": {}, "sources": []})
            entry["en"] = entry["en"] or gloss.en
            entry["abbr"] = entry["abbr"] or gloss.abbr
            entry["q"][article_id] = max(entry["q"].get(article_id, 0.0), gloss.quality)
            if key not in seen_here:
                entry["sources"].append(article_id)
                seen_here.add(key)
            per_english.setdefault(key[1], set()).add(key[0])
    _merge_truncated(attested, per_english)
    decided_yes = {(_key(a), _key(b)) for a, b in confirmed}
    decided_no = {(_key(a), _key(b)) for a, b in rejected}
    edits = list(edited)
    pairs: list[TermPair] = []
    for key, entry in attested.items():
        miss = 1.0
        for quality in entry["q"].values():
            miss *= 1.0 - quality
        # Agreement: this English glossed by how many Chinese terms, weighted by articles.
        rivals = per_english.get(key[1], {key[0]})
        total = sum(len(attested[(zh, key[1])]["q"]) for zh in rivals)
        agreement = len(entry["q"]) / total if total else 1.0
        pair = TermPair(entry["zh"], entry["en"], entry["abbr"], len(entry["sources"]), (1.0 - miss) * agreement, entry["sources"])
        pair_keys = {key, (_key(entry["zh"]), _key(entry["en"])), (_key(entry["zh"]), _key(entry["abbr"]))}
        if pair_keys & decided_no:
            pair.status = "rejected"
        elif pair_keys & decided_yes:
            pair.status = "confirmed"
        edit = next((e for e in edits if e.source & pair_keys), None)
        if edit is not None and pair.status != "rejected":
            pair.zh, pair.en, pair.abbr, pair.status = edit.zh, edit.en, edit.abbr, "confirmed"
        pairs.append(pair)
    pairs.sort(key=lambda p: (-p.confidence, -p.articles, p.zh))
    if with_laws:
        pairs.extend(law_pairs())
    return Glossary(pairs)


# --- the user's decisions -----------------------------------------------------------------


@dataclass(frozen=True)
class TermEdit:
    """The user's correction of a learned pair (the Terms view's Edit): the pair learned as
    (``old_zh``, ``old_other``: its English or abbreviation) is shown and used as ``zh`` /
    ``en`` / ``abbr``, confirmed. Kept in terms.json under ``"edited"``."""

    old_zh: str
    old_other: str
    zh: str
    en: str | None
    abbr: str | None

    @property
    def source(self) -> set[tuple[str, str]]:
        return {(_key(self.old_zh), _key(self.old_other))}

    def to_json(self) -> dict:
        return {"from": [self.old_zh, self.old_other], "zh": self.zh, "en": self.en, "abbr": self.abbr}

DECISIONS_FILE = "terms.json"


def _decisions_data(path: Path, raw: bytes | None):
    """The parsed JSON of the decisions file (``raw``: its bytes, already read), or None when
    there is none. A damaged file raises :class:`reader.errors.DamagedData` naming it."""
    import json

    from reader.errors import from_os_error

    if raw is None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise from_os_error(exc, path) from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # (not UTF-8, not JSON, nested too deeply)
        raise _damaged(path, type(exc).__name__) from None


def _damaged(path: Path, what: str):
    from reader.errors import DamagedData

    return DamagedData(f"not a term decisions file ({what}); expected {{\"confirmed\": [[zh, en]], \"rejected\": [...]}}", path)


def load_decisions(path: Path, raw: bytes | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(confirmed, rejected) pairs from ``path`` (``{"confirmed": [[zh, en], ...],
    "rejected": [...]}``; ``raw``: its bytes, already read); none when the file does not
    exist. A damaged file raises :class:`reader.errors.DamagedData` naming it."""
    data = _decisions_data(path, raw)
    if data is None:
        return [], []
    try:
        out = []
        for name in ("confirmed", "rejected"):
            pairs = data.get(name, [])
            if not isinstance(pairs, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs
            ):
                raise ValueError(name)
            out.append([(a, b) for a, b in pairs])
    except (ValueError, AttributeError) as exc:
        raise _damaged(path, str(exc)) from None
    return out[0], out[1]


def load_edits(path: Path, raw: bytes | None = None) -> list[TermEdit]:
    """The user's edited pairs in ``path`` (``"edited": [{"from": [zh, other], "zh", "en",
    "abbr"}]``; ``raw``: its bytes, already read; none when the file or the key is missing).
    A damaged file raises :class:`reader.errors.DamagedData` naming it."""
    data = _decisions_data(path, raw)
    if data is None:
        return []
    try:
        items = data.get("edited", [])
        if not isinstance(items, list):
            raise ValueError("edited")
        out = []
        for item in items:
            source = item.get("from") if isinstance(item, dict) else None
            values = [item.get(k) for k in ("zh", "en", "abbr")] if isinstance(item, dict) else []
            if (not isinstance(source, list) or len(source) != 2 or not all(isinstance(x, str) for x in source)
                    or not isinstance(values[0], str) or not values[0].strip()
                    or not all(v is None or isinstance(v, str) for v in values[1:])):
                raise ValueError("edited")
            out.append(TermEdit(source[0], source[1], values[0], values[1] or None, values[2] or None))
    except (ValueError, AttributeError) as exc:
        raise _damaged(path, str(exc)) from None
    return out


def save_decisions(path: Path, confirmed: Iterable[tuple[str, str]], rejected: Iterable[tuple[str, str]],
                   edited: Iterable[TermEdit] | None = None) -> None:
    """Write the decisions (temp file + ``os.replace``); ``edited`` pairs too when given."""
    import json
    import os
    import tempfile

    data: dict = {"confirmed": [list(p) for p in confirmed], "rejected": [list(p) for p in rejected]}
    if edited is not None:
        data["edited"] = [e.to_json() for e in edited]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".terms-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
