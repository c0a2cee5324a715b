"""Statute, constitutional and court references in Traditional Chinese legal writing.

:func:`find_references` recognises

* **statutes**, from the official names of Taiwan's laws and regulations and the reviewed
  short names (個資法, 刑法, 民訴法 ...), by a longest-match lookup over those names (never a
  pattern such as "anything ending in 法", which takes 依本法 or 本基金為預算法 for law names),
  with the numbering to the level given: 第6條, 第6條之1, 第 6-1 條, 第6條第1項第2款第3目, §6,
  Art. 6, lists (第6條、第7條, 第6條第1項、第2項) and ranges (第6條至第8條);
* 同法 / 前揭法 / 該法 (the law cited last), 本法 / 本條例 (a 「下稱本法」 definition, else the
  law the caller names as the text's own), 同條第2項 (the article cited last), and
  definitions 個人資料保護法（下稱個資法）, after which 個資法 means that law;
* a bare 第X條 (依第6條) as the law cited last in the same paragraph, else the text's own;
* **instruments**: the reviewed EU and international list (GDPR Art. 6(1)(a), AI Act, DSA,
  DMA, NIS2, the Council of Europe AI Convention ...);
* constitutional **interpretations** (釋字第748號, 司法院大法官釋字第七四八號解釋) and
  **judgments** (憲法法庭112年憲判字第1號判決, 113年憲裁字第1號);
* court **decisions** (最高法院112年度台上字第123號民事判決, 臺灣高等法院臺中分院 ...).

Offsets are into the text as given. Matching runs on the character folding of
:mod:`reader.search.variants` (so 台/臺, simplified and full-width text are found as well) and
maps back through its offsets.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import asdict, dataclass, field

from reader.legal import names as _names
from reader.search.numbering import han_number
from reader.search.variants import fold_chars, fold_chars_with_offsets

KINDS = ("statute", "interpretation", "judgment", "decision", "instrument")


@dataclass(frozen=True)
class Reference:
    """One citation. For statutes and instruments ``law`` is the name (the official name of a
    Taiwanese law, the short name of an instrument) and ``pcode`` the law's code (an
    instrument's id, such as ``EU-GDPR``); ``article`` is ``"6"`` or ``"6-1"`` (第6條之1),
    ``paragraph`` 項 (or the ``(1)`` of Art. 6(1)), ``item`` 款 (or ``(a)``), ``subitem`` 目.
    Interpretations, judgments and decisions carry ``number`` (and ``year``, ``case`` such as
    ``台上`` or ``憲判``, ``ruling`` such as 民事判決), with ``law`` the issuing body."""

    kind: str
    law: str | None
    pcode: str | None
    article: str | None
    paragraph: str | None
    item: str | None
    start: int
    end: int
    text: str
    subitem: str | None = None
    number: str | None = None
    year: str | None = None
    case: str | None = None
    ruling: str | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("law", "article", "paragraph", "item")}

    @property
    def label(self) -> str:
        """How the References panel names what is cited: 個人資料保護法第6條第1項第2款,
        GDPR Art. 6(1)(a), 釋字第748號, 憲法法庭112年憲判字第1號判決, 最高法院112年度台上字第123號."""
        if self.kind == "interpretation":
            return f"釋字第{self.number}號"
        if self.kind == "judgment":
            return f"憲法法庭{self.year}年{self.case}字第{self.number}號{self.ruling or ''}"
        if self.kind == "decision":
            return f"{self.law or ''}{self.year}年度{self.case or ''}字第{self.number}號{self.ruling or ''}"
        name = self.law or self.pcode or ""
        if not self.article:
            return name
        if self.kind == "instrument":
            out = f"{name} Art. {self.article}"
            out += f"({self.paragraph})" if self.paragraph else ""
            out += f"({self.item})" if self.item else ""
            return out
        main, _, sub = self.article.partition("-")
        out = f"{name}第{main}條" + (f"之{sub}" if sub else "")
        out += f"第{self.paragraph}項" if self.paragraph else ""
        out += f"第{self.item}款" if self.item else ""
        out += f"第{self.subitem}目" if self.subitem else ""
        return out

    @property
    def key(self) -> str | None:
        """What it cites, without the numbering: a pcode, an instrument id, 釋字748 ..."""
        if self.kind in ("statute", "instrument"):
            return self.pcode
        if self.kind == "interpretation":
            return f"釋字{self.number}"
        if self.kind == "judgment":
            return f"{self.year}{self.case}{self.number}"
        return f"{self.law or ''}{self.year}{self.case}{self.number}"


# --- the patterns (on folded text: Simplified forms, NFKC, lower case) ---------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3005-\u3007"
_NUMERALS = "〇零一二三四五六七八九十百千两廿卅壹贰叁参肆伍陆柒捌玖拾佰仟"
NUM = rf"(?:[0-9]+|[{_NUMERALS}]+)"
#: A number that starts a pattern: tried from its first character only (linear on a line of
#: 100,000 digits, where a plain [0-9]+ would be tried from each of them).
NUM_START = rf"(?<![0-9{_NUMERALS}])(?=(?P<start_run>[0-9]+|[{_NUMERALS}]+))(?P=start_run)"
_S = r"[ \t\u00a0]*"
_ART_ZH = rf"第{_S}(?P<a>{NUM}){_S}(?:-{_S}(?P<a2>[0-9]+){_S})?条(?:{_S}之{_S}(?P<a3>{NUM})(?![0-9]))?"
_ART_SIGN = rf"§§?{_S}(?P<sa>[0-9]+)(?:{_S}-{_S}(?P<sa2>[0-9]+))?"
_ART_LATIN = rf"\b(?:art|arts|article|articles)\.?{_S}(?P<la>[0-9]+)(?:{_S}-{_S}(?P<la2>[0-9]+))?"
_PARA_ZH = rf"第{_S}(?P<p>{NUM}){_S}项"
_ITEM_ZH = rf"第{_S}(?P<i>{NUM}){_S}款"
_SUB_ZH = rf"第{_S}(?P<s>{NUM}){_S}目"
_PARA_PAREN = rf"\({_S}(?P<pp>[0-9]+){_S}\)"
_ITEM_PAREN = rf"\({_S}(?P<ip>[a-z]){_S}\)"
_SUB_PAREN = rf"\({_S}(?P<sp>[ivx]+){_S}\)"
_TAIL = r"(?:前段|后段|但书|本文)?"

ARTICLE = re.compile(rf"(?:{_ART_ZH}|{_ART_SIGN}|{_ART_LATIN})")
_LEVELS = re.compile(
    rf"(?:{_S}(?:{_PARA_ZH}|{_PARA_PAREN}){_TAIL})?(?:{_S}(?:{_ITEM_ZH}|{_ITEM_PAREN}){_TAIL})?(?:{_S}(?:{_SUB_ZH}|{_SUB_PAREN}))?{_TAIL}"
)
_PARA_ONLY = re.compile(rf"{_PARA_ZH}{_TAIL}(?:{_S}{_ITEM_ZH}{_TAIL})?(?:{_S}{_SUB_ZH})?{_TAIL}")
_ITEM_ONLY = re.compile(rf"{_ITEM_ZH}{_TAIL}(?:{_S}{_SUB_ZH})?{_TAIL}")
_SEPARATOR = re.compile(rf"{_S}(?:、|,|及|与|和|或|暨|以及|并|、及|至|到|~|～|-|—){_S}")
_RANGE = ("至", "到", "~", "～", "-", "—")

_DEFINITION = re.compile(
    rf"(?:\(|,){_S}(?:以下|下)?(?:简称|称){_S}[「『\"“]?{_S}(?P<alias>[^()「」『』\"“”,;。、\s]{{1,20}}?){_S}[」』\"”]?{_S}(?:\)|,|;|。)"
)
#: Words that point back to a law: the one cited last, or (本法) the text's own.
_SAME_LAW = ("同法", "前法", "该法", "此法", "前揭法", "前开法", "上开法", "上揭法", "前述法", "同条例", "该条例", "前揭条例")
_OWN_LAW = ("本法", "本条例", "本规则", "本办法", "本细则", "本准则", "本标准", "本要点", "本规程")
_SAME_ARTICLE = ("同条", "本条")
_REFWORDS = re.compile("|".join(sorted(_SAME_LAW + _OWN_LAW + _SAME_ARTICLE, key=len, reverse=True)))
#: Before a reference word, only a character that cannot make it part of a longer word
#: (根本法, 基本法, 日本法, 不同法).
_BEFORE_REFWORD = set("依据按照及与、于为之即系称如在对由以从将使和或并且而则但亦皆均另若因就违反准用适用参查见除凡非至经")
#: Before a bare 第X條: not the end of a name we do not know (公約第3條, 本章第2條).
_NAME_ENDINGS = set("法例则约定章令准点程纲表书文议制规典案节编款项目号")

_FOREIGN_WORDS = ("德國", "日本", "美國", "法國", "英國", "歐盟", "歐洲", "中國", "大陸", "韓國", "南韓", "瑞士", "荷蘭", "義大利", "奧地利", "新加坡", "香港", "澳門", "加州", "中共", "俄羅斯", "印度", "澳洲", "加拿大", "西班牙", "瑞典", "芬蘭", "丹麥", "比利時", "挪威", "愛爾蘭", "紐西蘭", "泰國", "越南", "菲律賓", "馬來西亞", "印尼", "德意志", "聯邦", "外國", "各國", "他國")


@functools.lru_cache(maxsize=1)
def _foreign() -> tuple[str, ...]:
    """Names of other countries before a law name (folded on first use: no work at import)."""
    return tuple(fold_chars(w) for w in _FOREIGN_WORDS)


@functools.lru_cache(maxsize=1)
def _reject_after_fa() -> frozenset[str]:
    return frozenset(fold_chars("院官人庭律學典制令"))


# Each starts with a character class or a literal (the regex engine then skips quickly); the
# optional issuer before it is read backwards by _PREFIXES.
_INTERPRETATION = re.compile(
    rf"释字{_S}(?:第{_S})?(?P<n>{NUM}){_S}(?:号)?(?:解释)?(?:理由书|协同意见书|不同意见书)?"
)
_JUDGMENT = re.compile(
    rf"(?P<y>{NUM_START}){_S}年{_S}(?:度{_S})?(?P<c>宪判|宪裁|宪暂裁){_S}字{_S}第{_S}(?P<n>{NUM}){_S}号(?P<r>判决|裁定)?"
)
_COURTS = (
    "最高行政法院|最高法院|惩戒法院|公务员惩戒委员会|司法院职务法庭|智慧财产及商业法院|智慧财产法院|"
    "(?:台北|台中|高雄)高等行政法院(?:地方行政诉讼庭)?|"
    "(?:台湾|福建)?高等法院(?:[" + _HAN + "]{2}分院)?|"
    "(?:台湾|福建)?[" + _HAN + "]{2}地方法院(?:[" + _HAN + "]{2}简易庭)?"
)
_DECISION = re.compile(
    rf"(?P<y>{NUM_START}){_S}年{_S}(?:度{_S})?(?P<c>[{_HAN}]{{1,7}}?){_S}字{_S}第{_S}(?P<n>{NUM}){_S}号"
    rf"(?P<r>(?:民事|刑事|行政|家事|少年|惩戒)?(?:判决|裁定|判例|决议|决定))?"
)
_RESOLUTION = re.compile(
    rf"(?P<y>{NUM_START}){_S}年{_S}(?:度{_S})?第{_S}(?P<n>{NUM}){_S}次{_S}(?P<r>(?:民事|刑事|行政)?(?:庭会议|庭庭长会议|大法庭)?(?:决议|决定))"
)
_MORE_INTERPRETATIONS = re.compile(rf"{_S}(?:、|,|及|与|和|或){_S}(?P<item>第{_S}(?P<n>{NUM}){_S}号(?:解释)?)")
_PREFIXES = {
    "interpretation": re.compile(rf"(?:司法院{_S})?(?:大法官{_S})?(?:会议{_S})?\Z"),
    "judgment": re.compile(rf"(?:宪法法庭{_S})?\Z"),
    "decision": re.compile(rf"(?P<court>{_COURTS})?{_S}\Z"),
}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _arabic(value: str | None) -> str | None:
    """A number as digits: 十二 -> 12; None when it is not one."""
    if value is None:
        return None
    if value.isascii():
        return str(int(value)) if value.isdigit() else value
    number = han_number(value)
    return None if number is None else str(number)


def article_key(main: str | None, sub: str | None = None) -> str | None:
    """"6" or "6-1" (第6條之1, 第 6-1 條, §6-1)."""
    a = _arabic(main)
    if a is None:
        return None
    b = _arabic(sub)
    return f"{a}-{b}" if b else a


# --- the name lookup ------------------------------------------------------------------------


@dataclass
class _NameTable:
    names: dict[str, _names.Target]
    lengths: dict[str, list[int]]  # last character -> name lengths ending with it, longest first
    ends: re.Pattern[str]  # the characters names end with
    extends: dict[str, set[str]]  # name -> characters that, before it, make a longer name's tail
    latin: dict[str, list[str]]  # first Latin word -> names starting with it, longest first
    tails: frozenset[str]  # the last two characters of every name: most 法 end no name


@functools.lru_cache(maxsize=1)
def _table() -> _NameTable:
    index = _names.name_index()
    han_names: dict[str, _names.Target] = {}
    latin_names: list[str] = []
    for name, target in index.items():
        if re.search("[a-z0-9]", name):
            latin_names.append(name)
        elif len(name) >= 2:
            han_names[name] = target
    lengths: dict[str, set[int]] = {}
    for name in han_names:
        lengths.setdefault(name[-1], set()).add(len(name))
    extends: dict[str, set[str]] = {}
    by_suffix = set(han_names)
    for name in han_names:
        for cut in range(1, len(name) - 1):
            tail = name[cut:]
            if tail in by_suffix:
                extends.setdefault(tail, set()).add(name[cut - 1])
    latin: dict[str, list[str]] = {}
    for name in sorted(latin_names, key=len, reverse=True):
        first = re.match(r"[a-z0-9]+|.", name)
        latin.setdefault(first.group(0) if first else name[0], []).append(name)
    ends = re.compile("[" + "".join(re.escape(c) for c in sorted(lengths)) + "]")
    tails = frozenset(name[-2:] for name in han_names)
    return _NameTable(han_names, {k: sorted(v, reverse=True) for k, v in lengths.items()}, ends, extends, latin, tails)


_LATIN_WORD = re.compile(r"(?<![a-z0-9])[a-z0-9]+")


def _statute_context_ok(folded: str, start: int, end: int, name: str, kind: str) -> bool:
    before = folded[max(0, start - 4) : start]
    if kind == "statute":
        if any(before.endswith(f) for f in _foreign()):
            return False
        previous = folded[start - 1] if start else ""
        # 監獄行刑法 written without 監獄, 移民法 seen as 民法: a longer name's tail.
        if previous and previous in _table().extends.get(name, ()) and previous != "国":
            return False
    if name.endswith("法"):
        after = folded[end : end + 2]
        if after[:1] in _reject_after_fa() or after in ("法庭", "法院"):
            return False
        # 電信法規 (regulations) is not 電信法 規定 (the Act provides).
        if after[:1] == "规" and after[1:2] not in ("定", "范"):
            return False
    return True


def _name_matches(folded: str) -> list[tuple[int, int, _names.Target, str]]:
    """Law and instrument names in ``folded``: (start, end, target, name), longest first
    where they overlap, never two overlapping."""
    table = _table()
    candidates: list[tuple[int, int, _names.Target, str]] = []
    tails = table.tails
    for found in table.ends.finditer(folded):
        end = found.end()
        if folded[end - 2 : end] not in tails:
            continue
        for length in table.lengths[found.group(0)]:
            start = end - length
            if start < 0:
                continue
            name = folded[start:end]
            target = table.names.get(name)
            if target is not None and _statute_context_ok(folded, start, end, name, target[0]):
                candidates.append((start, end, target, name))
                break
    index = _names.name_index()
    for word in _LATIN_WORD.finditer(folded):
        for name in table.latin.get(word.group(0), ()):
            end = word.start() + len(name)
            if folded.startswith(name, word.start()) and not (end < len(folded) and folded[end].isascii() and folded[end].isalnum()):
                candidates.append((word.start(), end, index[name], name))
                break
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for candidate in candidates:
        start, end = candidate[0], candidate[1]
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append(candidate)
    chosen.sort()
    return chosen


# --- the scan ---------------------------------------------------------------------------------


@dataclass
class _Provision:
    article: str | None = None
    paragraph: str | None = None
    item: str | None = None
    subitem: str | None = None


@dataclass
class _State:
    law: _names.Target | None = None
    law_paragraph: int = -1  # which paragraph of the text the last law was cited in
    article: str | None = None
    paragraph: str | None = None
    own: _names.Target | None = None
    definitions: dict[str, _names.Target] = field(default_factory=dict)


def _levels(match: re.Match[str]) -> tuple[str | None, str | None, str | None]:
    g = match.groupdict()
    paragraph = _arabic(g.get("p")) if g.get("p") else g.get("pp")
    item = _arabic(g.get("i")) if g.get("i") else g.get("ip")
    sub = _arabic(g.get("s")) if g.get("s") else g.get("sp")
    return paragraph, item, sub


def _read_article(folded: str, pos: int) -> tuple[int, _Provision] | None:
    """An article (with its 項/款/目) starting at ``pos``: (end, provision)."""
    match = ARTICLE.match(folded, pos)
    if not match:
        return None
    g = match.groupdict()
    if g.get("a") is not None:
        article = article_key(g["a"], g.get("a2") or g.get("a3"))
    elif g.get("sa") is not None:
        article = article_key(g["sa"], g.get("sa2"))
    else:
        article = article_key(g["la"], g.get("la2"))
    if article is None:
        return None
    levels = _LEVELS.match(folded, match.end())
    paragraph, item, sub = _levels(levels) if levels else (None, None, None)
    end = levels.end() if levels else match.end()
    return end, _Provision(article, paragraph, item, sub)


def _read_provisions(folded: str, pos: int, first: _Provision | None = None) -> list[tuple[int, int, _Provision]]:
    """The provisions cited from ``pos`` on: one article and what continues it (、第7條,
    第1項、第2項, 至第8條)."""
    out: list[tuple[int, int, _Provision]] = []
    if first is None:
        pos = _skip_spaces(folded, pos)
        read = _read_article(folded, pos)
        if read is None:
            return out
        end, first = read
        out.append((pos, end, first))
    else:
        end = pos
    current = first
    while True:
        sep = _SEPARATOR.match(folded, end)
        if not sep:
            break
        here = sep.end()
        is_range = sep.group(0).strip() in _RANGE
        read = _read_article(folded, here)
        if read is not None:
            new_end, provision = read
            if is_range and current.article and provision.article and not current.paragraph and not provision.paragraph:
                out.extend(_range(current.article, provision.article, out[-1][0] if out else pos, new_end))
            out.append((here, new_end, provision))
            current, end = provision, new_end
            continue
        para = _PARA_ONLY.match(folded, here)
        if para and current.article:
            p, i, s = _levels(para)
            provision = _Provision(current.article, p, i, s)
            if is_range and current.paragraph and current.paragraph.isdigit() and p and p.isdigit() and 0 < int(p) - int(current.paragraph) <= 20:
                # 第58條第2項至第4項: paragraph 3 too
                out.extend((out[-1][0], para.end(), _Provision(current.article, str(n))) for n in range(int(current.paragraph) + 1, int(p)))
            out.append((here, para.end(), provision))
            current, end = provision, para.end()
            continue
        item = _ITEM_ONLY.match(folded, here)
        if item and current.article:
            _, i, s = _levels(item)
            provision = _Provision(current.article, current.paragraph, i, s)
            out.append((here, item.end(), provision))
            current, end = provision, item.end()
            continue
        break
    return out


def _range(first: str, last: str, start: int, end: int) -> list[tuple[int, int, _Provision]]:
    """The articles strictly between ``first`` and ``last`` (第6條至第8條: 7), spanning the
    whole range, for ranges of plain article numbers up to 50 apart."""
    if not (first.isdigit() and last.isdigit()):
        return []
    a, b = int(first), int(last)
    if not 0 < b - a <= 50:
        return []
    return [(start, end, _Provision(str(n))) for n in range(a + 1, b)]


#: References one text may give at most (a hostile text of ranges stays bounded; a long law
#: cites a few hundred).
MAX_REFERENCES = 20_000


class _Builder:
    def __init__(self, text: str, folded: str, origin: list[int] | None, names: list) -> None:
        self.text, self.folded, self.origin, self.names = text, folded, origin, names
        self.refs: list[Reference] = []
        self.breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(folded)]

    def original(self, index: int) -> int:
        if self.origin is None:
            return index
        return self.origin[min(index, len(self.origin) - 1)]

    def paragraph_of(self, index: int) -> int:
        return bisect.bisect_right(self.breaks, index)

    def add(self, kind: str, start: int, end: int, *, target: _names.Target | None = None,
            provision: _Provision | None = None, **extra: str | None) -> None:
        if len(self.refs) >= MAX_REFERENCES:
            return
        s, e = self.original(start), self.original(end)
        law = pcode = None
        if target is not None:
            law, pcode = _names.display_name(target), target[1]
        if extra.get("law"):
            law = extra.pop("law")
        extra.pop("law", None)
        p = provision or _Provision()
        self.refs.append(Reference(kind, law, pcode, p.article, p.paragraph, p.item, s, e, self.text[s:e], subitem=p.subitem, **extra))

    def add_law(self, target: _names.Target, start: int, end: int) -> int:
        """A law named at [start, end) and the provisions that follow it (also after a
        parenthesis: 個人資料保護法（下稱個資法）§6, GDPR (EU) Art. 6); returns where the
        citation ends."""
        kind = target[0]
        folded = self.folded
        before = _LATIN_BEFORE.search(folded, max(0, start - 40), start)
        if before is not None and kind == "instrument":  # Art. 6(1)(a) GDPR
            levels = _LEVELS.match(folded, before.end("art"))
            paragraph, item, sub = _levels(levels) if levels else (None, None, None)
            provision = _Provision(article_key(before.group("la"), before.group("la2")), paragraph, item, sub)
            self.add(kind, before.start(), end, target=target, provision=provision)
            return end
        provisions = _read_provisions(folded, _skip_spaces(folded, end))
        stop = end
        if not provisions and end < len(folded) and folded[end] in "》」』〉\"”" and start and folded[start - 1] in "《「『〈\"“":
            provisions = _read_provisions(folded, _skip_spaces(folded, end + 1))  # 《人工智慧法》第50條
        if not provisions:
            paren = _PAREN.match(folded, end)
            if paren is not None and self.gloss(paren, target):
                stop = paren.end()
                provisions = _read_provisions(folded, _skip_spaces(folded, stop))
        if not provisions:
            self.add(kind, start, end, target=target)
            return stop
        for index, (p_start, p_end, provision) in enumerate(provisions):
            self.add(kind, start if index == 0 else p_start, p_end, target=target, provision=provision)
        return provisions[-1][1]

    def gloss(self, paren: re.Match[str], target: _names.Target) -> bool:
        """Whether a parenthesis after a name only glosses or renames it: 「（下稱個資法）」,
        「（General Data Protection Regulation, GDPR）」, 「（Personal Data Protection Act）」."""
        inner = paren.group(0)
        if _DEFINITION.search(inner):
            return True
        named = [t for s, e, t, _ in self.names if paren.start() <= s and e <= paren.end()]
        if named:
            return all(t == target for t in named)
        return bool(re.fullmatch(r"\(\s*[a-z][a-z .,'&\-]*\)", inner))


def _skip_spaces(folded: str, pos: int) -> int:
    while pos < len(folded) and folded[pos] in " \t\u00a0":
        pos += 1
    return pos


_PAREN = re.compile(r"[ \t]*\([^()]{0,80}\)")
_OF_THE = re.compile(rf"{_S}(?:of{_S}(?:the{_S})?)?")
_LATIN_BEFORE = re.compile(
    rf"(?P<art>\b(?:art|article)\.?{_S}(?P<la>[0-9]+)(?:{_S}-{_S}(?P<la2>[0-9]+))?)(?:\([0-9a-z]+\))*{_S}(?:of{_S}(?:the{_S})?)?\Z"
)


def _definitions(folded: str, names: list[tuple[int, int, _names.Target, str]]) -> list[tuple[int, str, _names.Target]]:
    """(position, alias, target) for each 「（下稱X）」 right after a law name or a citation of
    one: X then means that law from there on."""
    out = []
    ends = {}
    for _, end, target, _ in names:
        ends[end] = target
        provisions = _read_provisions(folded, end)
        if provisions:
            ends[provisions[-1][1]] = target
    for match in _DEFINITION.finditer(folded):
        start = match.start()
        back = start
        while back > 0 and folded[back - 1] in " \t":
            back -= 1
        target = ends.get(back)
        if target is None and folded[start] == ",":
            # 「個人資料保護法(Personal Data Protection Act, 下稱個資法)」: the paren opens after the name
            paren = folded.rfind("(", 0, start)
            if paren != -1 and ")" not in folded[paren:start]:
                back = paren
                while back > 0 and folded[back - 1] in " \t":
                    back -= 1
                target = ends.get(back)
        if target is not None:
            out.append((match.end(), fold_chars(match.group("alias")), target))
    return out


def find_references(text: str, default_law: str | None = None) -> list[Reference]:
    """Every reference in ``text``, in order, with offsets into ``text``.

    ``default_law`` (a name, short name or pcode) is the law the text is about, for 本法 and
    a bare 第X條 with no law cited before it in the same paragraph."""
    folded, origin = fold_chars_with_offsets(text)
    names = _name_matches(folded)
    builder = _Builder(text, folded, origin, names)
    state = _State(own=_names.resolve(default_law) if default_law else None)
    definitions = _definitions(folded, names)

    # Everything that can start a citation, by position: names, definitions' aliases used
    # later, reference words, interpretations, judgments, decisions, bare articles.
    events: list[tuple[int, int, str, object]] = []
    used = bytearray(len(folded) + 1)

    class _Taken:
        @staticmethod
        def append(span: tuple[int, int]) -> None:
            used[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

    taken = _Taken()

    def free(start: int, end: int) -> bool:
        return not any(used[start:end])

    for pattern, kind in ((_JUDGMENT, "judgment"), (_RESOLUTION, "decision"), (_DECISION, "decision"), (_INTERPRETATION, "interpretation")):
        for match in pattern.finditer(folded):
            if kind == "decision" and (match.groupdict().get("c") or "").endswith(("宪判", "宪裁", "释")):
                continue
            prefix = _PREFIXES[kind].search(folded, max(0, match.start() - 24), match.start())
            start = prefix.start() if prefix else match.start()
            if prefix and prefix.groupdict().get("court") is None:
                start = _skip_spaces(folded, start) if kind == "decision" else start
            if free(start, match.end()):
                events.append((start, match.end(), kind, (match, prefix)))
                taken.append((start, match.end()))
    for match in _DEFINITION.finditer(folded):  # the alias in its own definition is no citation
        if match.group(0).startswith("("):
            taken.append((match.start() + 1, match.end()))
    for start, end, target, _name in names:
        if free(start, end):
            events.append((start, end, "name", target))
            taken.append((start, end))
    for position, alias, target in definitions:
        search_from = position
        while True:
            found = folded.find(alias, search_from)
            if found == -1:
                break
            search_from = found + len(alias)
            if free(found, found + len(alias)):
                events.append((found, found + len(alias), "defined", (alias, target)))
                taken.append((found, found + len(alias)))
    for match in _REFWORDS.finditer(folded):
        word = match.group(0)
        before = folded[match.start() - 1] if match.start() else ""
        if before and re.match(f"[{_HAN}]", before) and before not in _BEFORE_REFWORD:
            continue
        if free(match.start(), match.end()):
            events.append((match.start(), match.end(), "word", word))
            taken.append((match.start(), match.end()))
    events.sort(key=lambda e: e[0])

    consumed_to = 0
    bare = [m for m in ARTICLE.finditer(folded)]
    bare_index = 0
    for start, end, kind, payload in events:
        # Bare articles before this event (依第6條).
        while bare_index < len(bare) and bare[bare_index].start() < start:
            match = bare[bare_index]
            bare_index += 1
            if match.start() >= consumed_to:
                consumed_to = max(consumed_to, _bare_article(builder, state, match))
        if start < consumed_to:
            continue
        if kind == "name":
            target = payload  # type: ignore[assignment]
            consumed_to = builder.add_law(target, start, end)
            _remember(state, builder, target, start)
        elif kind == "defined":
            alias, target = payload  # type: ignore[misc]
            if alias in _OWN_LAW:
                state.own = target
            consumed_to = builder.add_law(target, start, end)
            _remember(state, builder, target, start)
        elif kind == "word":
            consumed_to = _reference_word(builder, state, payload, start, end)  # type: ignore[arg-type]
        else:
            consumed_to = _court(builder, kind, start, payload)  # type: ignore[arg-type]
    while bare_index < len(bare):
        match = bare[bare_index]
        bare_index += 1
        if match.start() >= consumed_to:
            consumed_to = max(consumed_to, _bare_article(builder, state, match))
    builder.refs.sort(key=lambda r: (r.start, r.end))
    return builder.refs


def _remember(state: _State, builder: _Builder, target: _names.Target, start: int) -> None:
    state.law = target
    state.law_paragraph = builder.paragraph_of(start)
    last = builder.refs[-1] if builder.refs else None
    if last is not None and last.pcode == target[1]:
        state.article, state.paragraph = last.article, last.paragraph


def _reference_word(builder: _Builder, state: _State, word: str, start: int, end: int) -> int:
    folded = builder.folded
    if word in _SAME_ARTICLE:
        if word != "同条" or state.law is None or state.article is None:
            return end
        para = _PARA_ONLY.match(folded, _skip_spaces(folded, end))
        item = _ITEM_ONLY.match(folded, end) if not para else None
        if para:
            p, i, s = _levels(para)
            first = _Provision(state.article, p, i, s)
            stop = para.end()
        elif item:
            _, i, s = _levels(item)
            first = _Provision(state.article, state.paragraph, i, s)
            stop = item.end()
        else:
            return end
        builder.add(state.law[0], start, stop, target=state.law, provision=first)
        for p_start, p_end, provision in _read_provisions(folded, stop, first):
            builder.add(state.law[0], p_start, p_end, target=state.law, provision=provision)
            stop = p_end
        state.paragraph = first.paragraph
        return stop
    target = state.law if word in _SAME_LAW else state.definitions.get(word, state.own)
    if word in _SAME_LAW and word.endswith("条例") and target and not _names.display_name(target).endswith("條例"):
        target = None
    if target is None:
        return end
    stop = builder.add_law(target, start, end)
    _remember(state, builder, target, start)
    return stop


def _bare_article(builder: _Builder, state: _State, match: re.Match[str]) -> int:
    """依第6條: the law cited last in this paragraph, or the text's own."""
    folded = builder.folded
    start = match.start()
    latin = not folded.startswith(("第", "§"), start)
    if latin:
        # "subject to Art. 9(2)": the instrument cited last in this paragraph, or nothing.
        if state.law is None or state.law[0] != "instrument" or state.law_paragraph != builder.paragraph_of(start):
            return start
        provisions = _read_provisions(folded, start)
        if not provisions:
            return start
        after = _OF_THE.match(folded, provisions[-1][1]).end()
        if any(s == after for s, _, _, _ in builder.names):
            return start  # "Art. 9 GDPR": the name that follows is read with it
        for p_start, p_end, provision in provisions:
            builder.add("instrument", p_start, p_end, target=state.law, provision=provision)
        return provisions[-1][1]
    before = folded[start - 1] if start else ""
    if before in _NAME_ENDINGS:
        return start
    if state.law is not None and state.law_paragraph == builder.paragraph_of(start):
        target = state.law
    else:
        target = state.own
    if target is None:
        return start
    provisions = _read_provisions(folded, start)
    if not provisions:
        return start
    for p_start, p_end, provision in provisions:
        builder.add(target[0], p_start, p_end, target=target, provision=provision)
    last = provisions[-1][2]
    state.article, state.paragraph = last.article, last.paragraph
    return provisions[-1][1]


def _court(builder: _Builder, kind: str, start: int, found: tuple[re.Match[str], re.Match[str] | None]) -> int:
    match, prefix = found
    g = match.groupdict()
    number = _arabic(g.get("n"))
    if kind == "interpretation":
        builder.add(kind, start, match.end(), law="司法院大法官解釋", number=number)
        end = match.end()
        while True:  # 釋字第689號、第585號解釋
            more = _MORE_INTERPRETATIONS.match(builder.folded, end)
            if more is None:
                break
            builder.add(kind, more.start("item"), more.end(), law="司法院大法官解釋", number=_arabic(more.group("n")))
            end = more.end()
        return end
    elif kind == "judgment":
        ruling = g.get("r") or ("判决" if g["c"] == "宪判" else "裁定")
        builder.add(kind, start, match.end(), law="憲法法庭", number=number, year=_arabic(g["y"]),
                    case={"宪判": "憲判", "宪裁": "憲裁", "宪暂裁": "憲暫裁"}[g["c"]], ruling=_traditional(ruling))
    else:
        court = None
        if prefix is not None and prefix.group("court"):
            court = _original_text(builder, prefix, "court").replace("台", "臺")
        builder.add(kind, start, match.end(), law=court, number=number, year=_arabic(g["y"]),
                    case=_original_text(builder, match, "c") if g.get("c") else None,
                    ruling=_original_text(builder, match, "r") if g.get("r") else None)
    return match.end()


def _original_text(builder: _Builder, match: re.Match[str], group: str) -> str:
    s, e = match.span(group)
    return builder.text[builder.original(s) : builder.original(e)]


def _traditional(word: str) -> str:
    return {"判决": "判決", "裁定": "裁定"}.get(word, word)


# --- index terms ------------------------------------------------------------------------------


def reference_terms(ref: Reference) -> list[str]:
    """Index terms of a ``ref`` field for one reference (every level it gives, so a query at
    any level is one term lookup):

    * statute / instrument: ``I0050021``, ``I0050021:6``, ``I0050021:6:p1``,
      ``I0050021:6:p1:i2``, ``I0050021:6:i2`` (an item without its paragraph, for
      ``art:6 item:2``), ``...:s3`` for 目; ``EU-GDPR:6:p1:ia`` for GDPR Art. 6(1)(a);
    * interpretation ``釋字:748``; judgment ``憲判:112:1``; decision ``判:112:台上:123`` and,
      with its court, ``判:最高法院:112:台上:123``.
    """
    if ref.kind in ("statute", "instrument"):
        if not ref.pcode:
            return []
        terms = [ref.pcode]
        if ref.article:
            base = f"{ref.pcode}:{ref.article}"
            terms.append(base)
            if ref.paragraph:
                terms.append(f"{base}:p{ref.paragraph}")
            if ref.item:
                terms.append(f"{base}:i{ref.item}")
                if ref.paragraph:
                    terms.append(f"{base}:p{ref.paragraph}:i{ref.item}")
                if ref.subitem:
                    terms.append(f"{base}:i{ref.item}:s{ref.subitem}")
                    if ref.paragraph:
                        terms.append(f"{base}:p{ref.paragraph}:i{ref.item}:s{ref.subitem}")
        return terms
    if ref.kind == "interpretation":
        return [f"釋字:{ref.number}"]
    if ref.kind == "judgment":
        return [f"{ref.case}:{ref.year}:{ref.number}"]
    terms = [f"判:{ref.year}:{_trad_case(ref.case)}:{ref.number}"]
    if ref.law:
        terms.append(f"判:{ref.law}:{ref.year}:{_trad_case(ref.case)}:{ref.number}")
    return terms


def _trad_case(case: str | None) -> str:
    """字別 as the courts write it (臺上 and 台上 are one)."""
    return (case or "").replace("臺", "台")


def document_terms(text: str, default_law: str | None = None) -> list[str]:
    """All ``ref`` terms of a text, each once (what the index stores for an article)."""
    out: dict[str, None] = {}
    for ref in find_references(text, default_law):
        for term in reference_terms(ref):
            out[term] = None
    return list(out)


class ProvisionQueryError(ValueError):
    """A ``law:`` / ``art:`` / ``para:`` query that names nothing (the message says why)."""


def parse_article(value: str) -> str:
    """``6``, ``6-1``, ``6之1``, ``第6條之1``, ``第六條``, ``§6`` -> the article key."""
    folded = fold_chars(value.strip()).replace(" ", "")
    folded = re.sub(r"^(?:§|art\.?|article)", "", folded)
    match = re.fullmatch(rf"第?({NUM})(?:条)?(?:(?:之|-)({NUM}))?(?:条)?", folded)
    key = article_key(match.group(1), match.group(2)) if match else None
    if key is None:
        raise ProvisionQueryError(f"'{value}' is not an article number like 6 or 6-1")
    return key


def _level(value: str, what: str, letters: bool = False) -> str:
    folded = fold_chars(value.strip()).replace(" ", "")
    folded = re.sub(r"^第|[项款目]$", "", folded).strip("()")
    if letters and re.fullmatch("[a-z]|[ivx]+", folded):
        return folded
    number = _arabic(folded) if re.fullmatch(NUM, folded or "x") else None
    if number is None:
        raise ProvisionQueryError(f"'{value}' is not a {what} number")
    return number


def provision_terms(law: str | None = None, art: str | None = None, para: str | None = None,
                    item: str | None = None) -> list[str]:
    """The ``ref`` term(s) a ``law:X art:N para:M item:K`` query looks up (any of them).

    ``law`` is a name, short name, pcode or instrument (個資法, 個人資料保護法, I0050021,
    GDPR); ``art`` 6 / 6-1 / 第6條之1; ``para`` and ``item`` numbers (``item`` also a letter
    for an instrument). Raises :class:`ProvisionQueryError` for an unknown law, or a level
    given without the one above it (``para:`` needs ``art:``)."""
    if law is None:
        raise ProvisionQueryError("art: and para: need law: (law:個資法 art:6)")
    target = _names.resolve(law)
    if target is None:
        raise ProvisionQueryError(f"no law or instrument is called '{law}'")
    term = target[1]
    if art is None:
        if para is not None or item is not None:
            raise ProvisionQueryError("para: and item: need art: (law:個資法 art:6 para:1)")
        return [term]
    term += ":" + parse_article(art)
    if para is not None:
        term += ":p" + _level(para, "paragraph")
    if item is not None:
        term += ":i" + _level(item, "item", letters=True)
    return [term]
