"""Legal numbering and counted units folded to one form: 第三條 = 第3條, 第十二條之一 =
第12條之1, 第 12-1 條 = 第12條之1, 三十日 = 30日, 一百萬元 = 100萬元, 三年以下 = 3年以下.

Numerals are rewritten *only inside recognised patterns*, so 三 in 三權分立 stays 三:

* numbering: 第 or 前, a number, a numbering or counted unit (條 項 款 目 編 章 節 點 次 屆 審
  號 類 級 ... 年 月 日 人 ...), optionally 之 and a number (第十二條之一, 第 12-1 條);
* counted units: a Han number before a unit of time, money, persons or measure (日 天 個月
  月 年 小時 分鐘 秒 歲 元 萬 億 人 名 次 倍 件 ...; 萬/億/兆 only before another unit or number,
  so 千萬不可 stays);
* fractions: 三分之二 = 3分之2.

A one-character number before a unit folds only where it cannot be the end of a word: 一
after a character that introduces a quantity (處 於 逾 滿 達 為 約 共 計 至 或 及 前 後 內 以
經 科 幣 ...) or after no Han character; the other numerals unless the pair is a word such as
再三, 不二, 數十, 上百. So 同一人, 統一日本, 每一年 and 一時 stay as written.

Han numbers are positional (一千二百三十四, 一百零五, 廿一, 一百五 = 150) or, with 〇/零 or three
or more digits, digit by digit (一〇八年, 一一二年度, 七四八號); 三五天 (three to five days) is
neither and stays. Financial numerals (壹貳參 ... 拾佰仟) count in numbers of two or more
characters, or alone before 元/萬/億. Arabic numbers are never rewritten; only white space
inside a numbering pattern is dropped (第 1 條 = 第1條).

Everything works on the text as :mod:`reader.search.folding` folds it (Simplified forms) and
on unfolded text alike. :func:`fold_numbering` returns an offset map, so marks still fall on
the original characters; :func:`query_forms` gives the folded forms a query must be matched
in, for a query that cuts a pattern at its edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Digits, multipliers and their values (Traditional and Simplified forms alike).
_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "两": 2, "兩": 2,
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "参": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
}
_MULTIPLIERS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TENS = {"廿": 20, "卅": 30}
#: Plain digits: only these may be read digit by digit (一〇八).
_PLAIN = set("〇零一二三四五六七八九")
#: Financial forms and the ones with another common meaning: a number of one of these alone
#: counts only before money.
_AMBIGUOUS = set("壹贰貳叁參参肆伍陆陸柒捌玖拾佰仟")
HAN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_MULTIPLIERS) + "".join(_TENS)


def _alt(*words: str) -> str:
    """A regex alternation of words, longest first (so 個月 wins over 月)."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


def _both(*pairs: str) -> list[str]:
    """Words given as 'Traditional/Simplified' (or one form when they are equal)."""
    out: list[str] = []
    for pair in pairs:
        out.extend(pair.split("/"))
    return out


#: Counted units after a bare number (time, money, persons, measure).
COUNTED_UNITS = _both(
    "個月/个月", "小時/小时", "分鐘/分钟", "週年/周年", "星期", "日", "天", "月", "年", "秒", "歲/岁",
    "元", "人", "名", "次", "倍", "件", "張/张", "份", "頁/页", "屆/届", "位", "戶/户", "家", "個/个",
    "公里", "公尺", "公斤", "公克", "公頃/公顷", "公分", "平方公尺",
)
#: Large-number units: count only before another unit or a number (一百萬元, 千萬不可).
LARGE_UNITS = _both("萬/万", "億/亿", "兆")
#: Units after 第 / 前 (numbering), besides the counted units.
NUMBERING_UNITS = _both(
    "條/条", "項/项", "款", "目", "編/编", "章", "節/节", "點/点", "次", "審/审", "期", "號/号",
    "類/类", "級/级", "部", "篇", "卷", "輯/辑", "冊/册", "季", "段", "欄/栏", "順位/顺位", "梯次",
    "屆/届",
)
#: A one-character 一 before a unit folds only after one of these (or no Han character).
ONE_AFTER = set(
    "處处於于逾滿满達达為为約约近共計计至或及與与前後后內内起以經经科幣币金役額额屆届延長长各需須须"
    "應应得距短僅仅已年月日元刑罰罚鍰锾期過过超未達"
)
#: Other one-character numerals before a unit fold unless the pair is a word.
BLOCKED_PAIRS = set(
    ["再三", "不二", "無二", "无二", "數十", "数十", "數百", "数百", "數千", "数千", "幾十", "几十", "幾百", "几百", "幾千", "几千", "上百", "上千", "成千", "好幾", "好几", "一一", "二二", "三三", "四四", "五五", "六六", "七七", "八八", "九九"]
)
_HAN_RE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3005-\u3007"

_NUM_HAN = f"[{re.escape(HAN_NUMERAL_CHARS)}]+"
_SP = "[ \t\u3000\u00a0]*"
_UNIT_ALL = _alt(*COUNTED_UNITS, *NUMBERING_UNITS)
_AFTER_LARGE = _alt(*COUNTED_UNITS, *LARGE_UNITS, "以上", "以下", "以內", "以内", "餘", "余", "多") + "|[0-9" + re.escape(HAN_NUMERAL_CHARS) + "]"

_PATTERN = re.compile(
    # 第 3 條之 1, 第十二條之一, 第 12-1 條, 前二項
    rf"(?P<lead>[第前]){_SP}(?P<n1>{_NUM_HAN}|[0-9]+)(?:{_SP}-{_SP}(?P<n1b>[0-9]+))?{_SP}"
    rf"(?P<u1>{_UNIT_ALL})(?:{_SP}(?P<zhi>之){_SP}(?P<n2>{_NUM_HAN}|[0-9]+))?"
    # 三分之二
    rf"|(?<![{re.escape(HAN_NUMERAL_CHARS)}])(?P<f1>{_NUM_HAN})(?P<fen>分之)(?P<f2>{_NUM_HAN})"
    # 三十日, 一百萬元, 30 日 (a number is read whole: never from inside another)
    rf"|(?P<n3>(?<![{re.escape(HAN_NUMERAL_CHARS)}]){_NUM_HAN}|(?<![0-9.,])[0-9]+){_SP}(?:(?P<u3>{_alt(*COUNTED_UNITS)})|(?P<big>{_alt(*LARGE_UNITS)})(?=(?:{_AFTER_LARGE})))"
)
_ANY_NUMERAL = re.compile(f"[0-9{re.escape(HAN_NUMERAL_CHARS)}]")
_UNIT_FIRST = "".join(sorted({u[0] for u in (*COUNTED_UNITS, *NUMBERING_UNITS, *LARGE_UNITS, "分之")}))
#: Where a pattern can start: 第/前 before a number, a Han number before the first character
#: of a unit, an Arabic number with white space before one.
_TRIGGER = re.compile(
    rf"(?=[第前0-9{re.escape(HAN_NUMERAL_CHARS)}])"  # lets the regex engine skip other characters fast
    rf"(?:[第前]{_SP}[0-9{re.escape(HAN_NUMERAL_CHARS)}]"
    # a number is tried from its first character only, and never given back character by
    # character (an emulated atomic group): a line of 100,000 numerals stays linear
    rf"|(?<![{re.escape(HAN_NUMERAL_CHARS)}])(?=(?P<run>[{re.escape(HAN_NUMERAL_CHARS)}]+))(?P=run){_SP}[{re.escape(_UNIT_FIRST)}]"
    rf"|(?<![0-9])(?=(?P<digits>[0-9]+))(?P=digits)[ \t\u3000\u00a0]+[{re.escape(_UNIT_FIRST)}])"
)
_HAN_CHAR = re.compile(f"[{_HAN_RE}]")


def han_number(text: str) -> int | None:
    """The value of a Han number, or None when ``text`` is not one (三五, 十百, 一二)."""
    if not text:
        return None
    if all(c in _PLAIN for c in text):
        if len(text) == 1:
            return _DIGITS[text]
        if len(text) >= 3 or "〇" in text or "零" in text:
            return int("".join(str(_DIGITS[c]) for c in text))
        return None
    # Positional: each multiplier the next lower one after the last (一千二百三十四), unless a
    # 零 skips places (一千零五十); a bare 十/百/千 only first (十二, 百元); 廿/卅 only first;
    # a last digit after 百 or 千 counts a tenth of it (一百五 = 150).
    total = 0
    last = 0  # the multiplier of the last group (0: none yet)
    pending: int | None = None
    zero = False
    for index, char in enumerate(text):
        if char in _TENS:
            if index:
                return None
            total, last = _TENS[char], 10
            continue
        if char in _DIGITS:
            value = _DIGITS[char]
            if value == 0:
                if pending is not None or not last or zero:
                    return None
                zero = True
                continue
            if pending is not None:
                return None  # two digits in a row
            pending = value
            continue
        multiplier = _MULTIPLIERS.get(char)
        if multiplier is None:
            return None
        if pending is None:
            if index and not (multiplier == 10 and last == 100 and not zero):
                return None  # 千百; but 一百十九 is how the laws write 119
            pending = 1
        if last and not (multiplier * 10 < last if zero else multiplier * 10 == last):
            return None  # 三千五十 (零 missing), 五百零一十 (a zero that skips nothing)
        total += pending * multiplier
        last, pending, zero = multiplier, None, False
    if pending is None:
        return None if zero else total
    if zero:
        return total + pending if last >= 100 else None
    if last >= 100:
        return total + pending * last // 10
    return total + pending


def _number(text: str, *, alone_before_money: bool = True) -> str | None:
    """The Arabic form of a matched number (Arabic numbers are kept as written)."""
    if text.isascii():
        return text
    if len(text) == 1 and text in _AMBIGUOUS and not alone_before_money:
        return None
    value = han_number(text)
    return None if value is None else str(value)


def _single_allowed(folded: str, start: int, numeral: str) -> bool:
    """Whether a one-character Han number at ``start`` may fold (see the module's rules)."""
    previous = folded[start - 1] if start > 0 else ""
    if not previous or not _HAN_CHAR.match(previous):
        return True
    if numeral == "一":
        return previous in ONE_AFTER
    return previous + numeral not in BLOCKED_PAIRS


class _Touching(Exception):
    pass


def _touches(folded: str, start: int, end: int) -> bool:
    """Whether [start, end) has a Latin letter or digit next to it: 1一分之一 would become 11,
    AI三年 the word ai3. A folded number never touches one, so no word of a text changes."""
    before, after = folded[start - 1 : start] if start else "", folded[end : end + 1]
    return (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum())


def _fold_match(folded: str, match: re.Match[str]) -> tuple[list[tuple[str, list[int]]], int] | None:
    """The output of one match as (text, origins) pieces and where the consumed input ends,
    or None to leave the match as written."""
    try:
        return _fold_pieces(folded, match)
    except _Touching:
        return None


def _fold_pieces(folded: str, match: re.Match[str]) -> tuple[list[tuple[str, list[int]]], int] | None:
    groups = match.groupdict()
    out: list[tuple[str, list[int]]] = []

    def keep(name: str) -> None:
        s, e = match.span(name)
        out.append((folded[s:e], list(range(s, e))))

    def number(name: str, value: str) -> None:
        if value == match.group(name):  # an Arabic number, kept as written
            keep(name)
            return
        s, e = match.span(name)
        if _touches(folded, s, e):
            raise _Touching
        # Its digits point at its first character, the last digit at its last one: a span
        # ending at the number (its last digit's character + 1) then covers all of it.
        out.append((value, [s] * (len(value) - 1) + [e - 1] if len(value) > 1 else [s]))

    if groups["lead"] is not None:
        n1 = _number(groups["n1"])
        if n1 is None:
            return None
        keep("lead")
        number("n1", n1)
        keep("u1")
        if groups["n1b"] is not None:  # 第 12-1 條 -> 第12條之1
            out.append(("之", [match.start("n1b")]))
            keep("n1b")
            return out, match.end("u1")  # a 之 after it is read on its own (第 12-1 條之一)
        if groups["zhi"] is not None:
            n2 = _number(groups["n2"])
            s2, e2 = match.span("n2")
            if n2 is None or (n2 != groups["n2"] and _touches(folded, s2, e2)):
                return out, match.end("u1")  # 之 and what follows are read on their own
            keep("zhi")
            number("n2", n2)
        return out, match.end()
    if groups["fen"] is not None:
        if len(groups["f1"]) == 1 and not _single_allowed(folded, match.start("f1"), groups["f1"]):
            return None
        f1, f2 = _number(groups["f1"]), _number(groups["f2"])
        if f1 is None or f2 is None:
            return None
        number("f1", f1)
        keep("fen")
        number("f2", f2)
        return out, match.end()
    text = groups["n3"]
    unit_group = "u3" if groups["u3"] is not None else "big"
    money = groups[unit_group] in ("元", "萬", "万", "億", "亿", "兆")
    if not text.isascii() and len(text) == 1:
        if not _single_allowed(folded, match.start("n3"), text):
            return None
        if text in _AMBIGUOUS and not money:
            return None
    value = _number(text, alone_before_money=money)
    if value is None:
        return None
    number("n3", value)
    keep(unit_group)
    return out, match.end()


_CACHE: dict[str, object] = {}
_MISSING = object()


def _changes(folded: str) -> Iterator[tuple[int, int, list[tuple[str, list[int]]]]]:
    """(start, end, pieces) of each pattern that folds to something else, in order.

    A cheap scan finds where a pattern can start (第/前 before a number, a number before the
    first character of a unit); the full pattern is tried only there: 15 ns a character for
    the scan instead of 140 for searching with the pattern itself."""
    match_at = _PATTERN.match
    at = 0
    trigger = _TRIGGER.search
    while True:
        found = trigger(folded, at)
        if found is None:
            return
        start = found.start()
        match = match_at(folded, start)
        result = None
        if match is not None:
            # What a match folds to depends only on it and the characters on either side.
            # (with a mark for either end of the text, so no two windows read alike)
            key = ((folded[start - 1 : match.end() + 1] if start else "\x00" + folded[: match.end() + 1])
                   + ("\x00" if match.end() >= len(folded) else ""))
            cached = _CACHE.get(key, _MISSING)
            if cached is _MISSING:
                result = _fold_match(folded, match)
                cached = None if result is None else (
                    [(text, [o - start for o in origins]) for text, origins in result[0]], result[1] - start)
                if len(_CACHE) >= 8192:
                    _CACHE.clear()
                _CACHE[key] = cached
            elif cached is not None:
                result = ([(text, [o + start for o in origins]) for text, origins in cached[0]], cached[1] + start)
        if result is None:
            at = start + 1  # what a refused match spans may hold a pattern of its own
            continue
        pieces, end = result
        at = max(end, start + 1)
        if "".join(p for p, _ in pieces) != folded[start:end]:
            yield start, end, pieces


def fold_numbering(folded: str) -> tuple[str, list[int] | None]:
    """``folded`` with legal numbering and counted units in one form, and for each output
    character its index in ``folded`` (``len(out) + 1`` entries, the last ``len(folded)``), or
    ``None`` when nothing changed."""
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for start, end, pieces in _changes(folded):
        parts.append(folded[pos:start])
        origin.extend(range(pos, start))
        for piece, origins in pieces:
            parts.append(piece)
            origin.extend(origins)
        pos = end
    if not parts:
        return folded, None
    parts.append(folded[pos:])
    origin.extend(range(pos, len(folded)))
    origin.append(len(folded))
    return "".join(parts), origin


def fold_numbering_text(folded: str) -> str:
    """:func:`fold_numbering` without the offsets (what the index, queries and verification
    need; it builds no offset list)."""
    parts: list[str] = []
    pos = 0
    for start, end, pieces in _changes(folded):
        parts.append(folded[pos:start])
        parts.extend(p for p, _ in pieces)
        pos = end
    if not parts:
        return folded
    parts.append(folded[pos:])
    return "".join(parts)


def compose_offsets(outer: list[int] | None, inner: list[int] | None) -> list[int] | None:
    """Offsets of a two-step folding: ``inner`` maps the second step's output into its input
    (the first step's output), ``outer`` maps that into the original text."""
    if inner is None:
        return outer
    if outer is None:
        return inner
    last = len(outer) - 1
    return [outer[min(i, last)] for i in inner]


_SPACE_IN_NUMBERING = re.compile(
    rf"[第前]{_SP}(?:{_NUM_HAN}|[0-9]+)(?:{_SP}-{_SP}[0-9]+)?{_SP}(?:{_UNIT_ALL})(?:{_SP}之{_SP}(?:{_NUM_HAN}|[0-9]+))?"
    rf"|(?<![0-9.,])[0-9]+[ \t\u3000\u00a0]+(?:{_alt(*COUNTED_UNITS)})"
)


#: 第 12-1 條 (as written, or folded): the one numbering the folding reorders (第12條之1), so
#: a query without numbers (條規定) can match it before the numbering pass and not after.
#: Broad on purpose (any dash, full-width digits, invisible characters): a text it finds is
#: folded whole, which is always right.
_DASHES = "[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d\ufe31\ufe32\u2e3a\u2e3b]"
_DASH_NUMBERING = re.compile(
    "[第前][\\s\u00ad\u200b-\u200f\u2060-\u206f\ufeff]*[0-9\uff10-\uff19]+[\\s\u00ad\u200b-\u200f\u2060-\u206f\ufeff]*"
    + _DASHES
)
_ANY_DASH = re.compile(_DASHES)


def has_dash_numbering(text: str) -> bool:
    """Whether ``text`` (raw or folded) may hold a numbering the folding reorders. (A law text
    has a 第 in every line, where the pattern would be tried: the dash, rarer, is looked
    for first.)"""
    return _ANY_DASH.search(text) is not None and _DASH_NUMBERING.search(text) is not None


def join_numbering_spaces(text: str) -> str:
    """``text`` without the white space inside legal numbering (第 3 條 -> 第3條, 30 日 -> 30日).

    For raw queries, before they are split into words; the folding does the same to texts."""
    return _SPACE_IN_NUMBERING.sub(lambda m: re.sub(r"[ \t\u3000\u00a0]+", "", m.group(0)), text)


#: Words a query may end inside of: the start of a longer unit (三小 of 三小時, 三個 of 三個月,
#: 三分 of 三分之二, 萬以 of 萬以下).
_LONG_WORDS = [w for w in (*COUNTED_UNITS, *NUMBERING_UNITS, "分之", "以上", "以下", "以內", "以内") if len(w) > 1]
_COMPLETIONS: dict[str, list[str]] = {}
for _word in _LONG_WORDS:
    for _cut in range(1, len(_word)):
        _COMPLETIONS.setdefault(_word[:_cut], []).append(_word[_cut:])
#: A one-character number after these is not folded (the pair is a word): 同一, 再三, 不二, 數十.
_BLOCKERS = {"一": "同", "三": "再", "二": "不", "十": "数", "百": "数", "千": "数"}
_EDGE_CHARS = set(HAN_NUMERAL_CHARS) | set(LARGE_UNITS) | {"之", "分", "第", "前"}
_STARTS_WITH_UNIT = re.compile(f"(?:{_UNIT_ALL}|{_alt(*LARGE_UNITS)})")


def _left_contexts(query: str) -> list[str]:
    """Texts that may stand before ``query`` in a text, one for each way they fold it."""
    contexts = ["", "处", "第", "a"]  # a: a Latin letter, which keeps a number from folding
    first = query[0]
    if first in _BLOCKERS and not (len(query) > 1 and query[1] in HAN_NUMERAL_CHARS):
        contexts.append(_BLOCKERS[first])
    if first in HAN_NUMERAL_CHARS:
        contexts += ["一分之", "第一条之"]  # the second number of 一分之二, 第一條之二
    if first == "之":
        contexts += ["第一条", "一分"]  # 第一條之二, 一分之二
    if query.startswith("分之"):
        contexts.append("一")
    if _STARTS_WITH_UNIT.match(query):
        contexts += ["第一", "一"]  # 條之三 of 第一條之三, 個月 of 三個月
    return contexts


def _right_contexts(query: str) -> list[str]:
    """Texts that may follow ``query``, one for each way they fold it."""
    contexts = ["", "日", "条", "元", "分之一", "。", "a"]
    if query[-1] not in HAN_NUMERAL_CHARS and not query[-1].isdigit():
        contexts += ["一", "一日"]  # 分之 + 一, 萬 + 一千元, 第 + 一條
    for length in range(1, 4):
        contexts += _COMPLETIONS.get(query[-length:], [])
    return list(dict.fromkeys(contexts))


def query_forms(folded_query: str) -> list[str]:
    """The folded forms a (character-folded) query text is looked for in, the plain
    folding first.

    Numbering folds with its context, and a query cuts that context at its edges: 一人 is
    written as it is in 同一人 and folded in 處一人; 統一 stays in 統一日本; 三條 is folded in
    第三條; 三小 in 三小時. So a query whose first or last characters take part in numbering
    is folded as it would be after and before each kind of context (nothing, a character
    that lets a number fold, one that keeps it, 第, a unit, 分之, the rest of a unit it ends
    inside of), and each different folding of the query's own characters is a form. A number
    is matched as a whole number: 十日 does not find 三十日 (that is 30日)."""
    base = fold_numbering_text(folded_query)
    if not _ANY_NUMERAL.search(folded_query):
        return [base]  # a text's folding keeps every character of a query without numbers
    edges = (
        folded_query[0] in _EDGE_CHARS
        or _STARTS_WITH_UNIT.match(folded_query)
        or folded_query[-1] in _EDGE_CHARS
        or any(folded_query.endswith(p) for p in _COMPLETIONS)
    )
    if not edges:
        return [base]
    forms = [base]
    for left in _left_contexts(folded_query):
        for right in _right_contexts(folded_query):
            text = left + folded_query + right
            folded, origin = fold_numbering(text)
            if origin is None:
                forms.append(folded_query)
                continue
            lo, hi = len(left), len(left) + len(folded_query)
            forms.append("".join(c for c, o in zip(folded, origin, strict=False) if lo <= o < hi))
    return list(dict.fromkeys(f for f in forms if f))
