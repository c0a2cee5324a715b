"""An independent folding oracle for the folding tests (issue 14).

Written from the tables, not from the code under test: the ordinary folding is NFKC, lower
case and OpenCC's TSCharacters.txt read here; variant classes come from the shipped
variant_table.json, joined with a union-find of this module's own that keeps the *smallest*
member (the code keeps the most used one), so only equality can be compared, never the
chosen form; invisible characters and dashes are the lists below, typed from the issue and
the README table; Han numbers are written from integers (the inverse of what the code
parses).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANT_TABLE = ROOT / "reader" / "search" / "variant_table.json"

INVISIBLE = (
    [0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F]
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2065))
    + list(range(0x2066, 0x206A))
    + [0xFEFF]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
DASHES = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE31, 0xFE32, 0xFE63, 0xFF0D, 0x2E3A, 0x2E3B]


@functools.lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values:
            table[key] = values.split(" ")[0]
    return table


def base_char(char: str) -> str:
    t2s = _t2s()
    return "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", char).lower())


@functools.lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for members in json.loads(VARIANT_TABLE.read_text(encoding="utf-8"))["classes"]:
        forms = [base_char(c) for c in members]
        forms = [f for f in forms if len(f) == 1]
        for form in forms[1:]:
            a, b = find(forms[0]), find(form)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {x: find(x) for x in parent}


def char(c: str) -> str:
    """The oracle's folding of one character."""
    if ord(c) in INVISIBLE:
        return ""
    if ord(c) in DASHES:
        return "-"
    canonical = _canonical()
    out = []
    for x in base_char(c):
        if ord(x) in INVISIBLE:
            continue
        out.append("-" if ord(x) in DASHES else canonical.get(x, x))
    return "".join(out)


def chars(text: str) -> str:
    return "".join(char(c) for c in text)


def _plain_char(c: str) -> str:
    """:func:`char` without the variant classes."""
    if ord(c) in INVISIBLE:
        return ""
    if ord(c) in DASHES:
        return "-"
    return "".join("" if ord(x) in INVISIBLE else "-" if ord(x) in DASHES else x for x in base_char(c))


# --- Han numbers from integers ------------------------------------------------------------

_DIGIT = "〇一二三四五六七八九"


def han(n: int, *, formal_ten: bool = False) -> str:
    """The positional Han numeral of 1 <= n <= 9999 as laws write it (十二, 一百零五, 一千二百三十四;
    十 alone for 10-19 unless ``formal_ten``: 一十二)."""
    assert 0 < n < 10000
    out = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            if out:
                zero = True
            continue
        if zero:
            out.append("零")
            zero = False
        if unit == "十" and digit == 1 and not out and not formal_ten:
            out.append("十")
        else:
            out.append(_DIGIT[digit] + unit)
    return "".join(out)


def han_digits(n: int) -> str:
    """Digit by digit: 一〇八, 一一二."""
    return "".join(_DIGIT[int(d)] for d in str(n))


# --- legal numbering, written from the rules and the unit tables --------------------------
#
# The unit lists and the left-context sets are tables and are taken from the module; the
# reading of numbers and the scan are written here again: numbers by a lookup table built
# from integers, the scan position by position, trying at each position the one pattern its
# character can start.

_FINANCIAL = str.maketrans("壹贰貳叁參参肆伍陆陸柒捌玖拾佰仟两兩〇", "一二二三三三四五六六七八九十百千二二零")


@functools.lru_cache(maxsize=1)
def _values() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(1, 10000):
        for form in {han(n), han(n, formal_ten=True)}:
            table.setdefault(form, n)
            # 一百五 = 150, 三千五 = 3500: a last 十 or 百 after 百 or 千 may be left out.
            variants = [form]
            if "百一十" in form:  # 一百十九 (the laws' 第一百十九條) for 一百一十九
                variants.append(form.replace("百一十", "百十"))
            for unit, higher in (("十", "百"), ("百", "千")):
                if form.endswith(unit) and len(form) >= 4 and form[-3] == higher:
                    variants.append(form[:-1])
            if form.endswith("百一十"):  # 一百一 = 110 as 一百五 = 150
                variants.append(form[:-1])
            for variant in variants:
                table.setdefault(variant, n)
                # 百 and 千 without their 一: 百元, 千年, 百分之五.
                if variant.startswith(("一百", "一千")):
                    table.setdefault(variant[1:], n)
    for n in range(20, 40):  # 廿一, 卅五
        tens = {2: "廿", 3: "卅"}[n // 10]
        table.setdefault(tens + (_DIGIT[n % 10] if n % 10 else ""), n)
    return table


def number_value(run: str) -> int | None:
    """The value of a Han number as the laws write it, or None."""
    if all(c in "〇零一二三四五六七八九" for c in run):
        if len(run) == 1:
            return "〇一二三四五六七八九".index(run) if run != "零" else 0
        if len(run) >= 3 or "〇" in run or "零" in run:
            return int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in run))
        return None
    return _values().get(run.translate(_FINANCIAL))


def numbering(text: str) -> str:
    """The oracle's folding of legal numbering, for already character-folded text."""
    return numbering_with_offsets(text)[0]


def numbering_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`numbering` and, for each output character, the index of the input character it
    comes from (``len + 1`` entries): a converted number's digits point at its first
    character and its last digit at its last one; white space dropped points nowhere."""
    from reader.search import numbering as tables

    numerals = set(tables.HAN_NUMERAL_CHARS)
    ambiguous = set("壹贰貳叁參参肆伍陆陸柒捌玖拾佰仟")
    counted = sorted(tables.COUNTED_UNITS, key=len, reverse=True)
    numbering_units = sorted(set(tables.COUNTED_UNITS) | set(tables.NUMBERING_UNITS), key=len, reverse=True)
    large = sorted(tables.LARGE_UNITS, key=len, reverse=True)
    after_large = counted + large + ["以上", "以下", "以內", "以内", "餘", "余", "多"]
    spaces = " \t\u3000\u00a0"
    money = {"元", "萬", "万", "億", "亿", "兆"}

    def han_char(c: str) -> bool:
        return any(a <= c <= b for a, b in (("\u3040", "\u30ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"),
                                            ("\uf900", "\ufaff"), ("\U00020000", "\U000323af"), ("\u3005", "\u3007")))

    def alnum(c: str) -> bool:
        return c.isascii() and c.isalnum()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in spaces:
            i += 1
        return i

    def run_at(i: int, chars) -> int:
        j = i
        while j < len(text) and text[j] in chars:
            j += 1
        return j

    def unit_at(i: int, units: list[str]) -> str | None:
        return next((u for u in units if text.startswith(u, i)), None)

    def allowed_single(i: int, numeral: str) -> bool:
        previous = text[i - 1] if i else ""
        if not previous or not han_char(previous):
            return True
        if numeral == "一":
            return previous in tables.ONE_AFTER
        return previous + numeral not in tables.BLOCKED_PAIRS

    def converted(start: int, end: int) -> str | None:
        """A Han number's digits, or None (not a number, or touching a Latin letter/digit)."""
        value = number_value(text[start:end])
        if value is None or (start and alnum(text[start - 1])) or (end < len(text) and alnum(text[end])):
            return None
        return str(value)

    out: list[str] = []
    origin: list[int] = []

    def put(piece: str, where: list[int]) -> None:
        assert len(piece) == len(where)
        out.append(piece)
        origin.extend(where)

    def number_at(start: int, end: int, value: str) -> list[int]:
        """Origins of a number's output: itself when Arabic, else first/last character."""
        if text[start:end] == value:
            return list(range(start, end))
        return [start] * (len(value) - 1) + [end - 1] if len(value) > 1 else [start]

    i = 0
    while i < len(text):
        c = text[i]
        if c in "第前":  # numbering
            j = skip(i + 1)
            if j < len(text) and (text[j] in numerals or text[j].isdigit()):
                arabic = text[j].isdigit()
                k = run_at(j, "0123456789" if arabic else numerals)
                first = text[j:k] if arabic else converted(j, k)
                dash = None
                m = skip(k)
                if m < len(text) and text[m] == "-":
                    d = skip(m + 1)
                    e = run_at(d, "0123456789")
                    if e > d:
                        dash, m = text[d:e], skip(e)
                unit = unit_at(m, numbering_units)
                if first is not None and unit:
                    piece = c + first + unit
                    where = [i] + number_at(j, k, first) + list(range(m, m + len(unit)))
                    end = m + len(unit)
                    if dash:
                        piece += "之" + dash
                        where += [d] + list(range(d, e))
                    else:
                        z = skip(end)
                        if z < len(text) and text[z] == "之":
                            y = skip(z + 1)
                            if y < len(text) and (text[y] in numerals or text[y].isdigit()):
                                arabic2 = text[y].isdigit()
                                e2 = run_at(y, "0123456789" if arabic2 else numerals)
                                second = text[y:e2] if arabic2 else converted(y, e2)
                                if second is not None:
                                    piece += "之" + second
                                    where += [z] + number_at(y, e2, second)
                                    end = e2
                    put(piece, where)
                    i = end
                    continue
        if c in numerals and not (i and text[i - 1] in numerals):
            k = run_at(i, numerals)
            run = text[i:k]
            if text.startswith("分之", k) and k + 2 < len(text) and text[k + 2] in numerals:  # fraction
                e = run_at(k + 2, numerals)
                a, b = converted(i, k), converted(k + 2, e)
                if a is not None and b is not None and (len(run) > 1 or allowed_single(i, run)):
                    put(a + "分之" + b, number_at(i, k, a) + [k, k + 1] + number_at(k + 2, e, b))
                    i = e
                    continue
                put(c, [i])
                i += 1
                continue
            m = skip(k)
            unit = unit_at(m, counted)
            if unit is None:
                big = unit_at(m, large)
                following = m + len(big) if big else 0
                if big and following < len(text) and (unit_at(following, after_large) or text[following] in numerals or text[following].isdigit()):
                    unit = big
            if unit is not None:
                ok = len(run) > 1 or (allowed_single(i, run) and (run not in ambiguous or unit in money))
                value = converted(i, k) if ok else None
                if value is not None:
                    put(value + unit, number_at(i, k, value) + list(range(m, m + len(unit))))
                    i = m + len(unit)
                    continue
        if c.isdigit() and c.isascii() and not (i and (text[i - 1].isdigit() or text[i - 1] in ".,")):
            k = run_at(i, "0123456789")
            m = skip(k)
            unit = unit_at(m, counted) if m > k else None
            if unit is None and m > k:
                big = unit_at(m, large)
                following = m + len(big) if big else 0
                if big and following < len(text) and (unit_at(following, after_large) or text[following] in numerals or text[following].isdigit()):
                    unit = big
            if unit is not None:
                put(text[i:k] + unit, list(range(i, k)) + list(range(m, m + len(unit))))
                i = m + len(unit)
                continue
            put(text[i:k], list(range(i, k)))
            i = k
            continue
        put(c, [i])
        i += 1
    return "".join(out), origin + [len(text)]


# --- whole texts and queries ----------------------------------------------------------------

NUMERALS = "〇零一二三四五六七八九十百千兩两廿卅壹貳贰參参叁肆伍陸陆柒捌玖拾佰仟"


def full(text: str) -> str:
    """The oracle's whole folding: the ordinary folding, invisible characters and dashes,
    legal numbering, then the variant classes. (Its classes keep the smallest member, often
    a radical-supplement form the numbering tables do not hold, so numbering comes before
    them here: the code merges variants first. The two orders agree unless a character of a
    numbering pattern is written as a variant, which the test texts never do.)"""
    canonical = _canonical()
    return "".join(canonical.get(c, c) for c in numbering("".join(_plain_char(c) for c in text)))


@functools.lru_cache(maxsize=1024)
def full_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`full` and, for each folded character, the index in ``text`` it comes from."""
    plain: list[str] = []
    first: list[int] = []
    for index, c in enumerate(text):
        piece = _plain_char(c)
        plain.append(piece)
        first.extend([index] * len(piece))
    first.append(len(text))
    folded, inner = numbering_with_offsets("".join(plain))
    canonical = _canonical()
    return "".join(canonical.get(c, c) for c in folded), [first[i] for i in inner]


def has_numerals(query: str) -> bool:
    """Whether a query has a digit or a Han numeral (read before the variant classes)."""
    plain = "".join(_plain_char(c) for c in query)
    return any(c in NUMERALS or (c.isascii() and c.isdigit()) for c in plain)


def _literal(text: str) -> str:
    """``text`` as a regex: digits at digit boundaries at its ends (a number is matched whole)."""
    import re

    body = re.escape(text)
    if text[:1].isdigit():
        body = r"(?<![0-9])" + body
    if text[-1:].isdigit():
        body += r"(?![0-9])"
    return body


def query_bounds(query: str) -> tuple[str, str]:
    """(the plain form of a query, a regex of every form it may take), over oracle-folded
    text, for a query of Han text and numbers: the plain form is the query folded on its own
    (every text holding it matches); a text may match only where each Han number of the
    query stands as written or as its Arabic value (三條 in 第三條 = 第3條 is found as 3条,
    三 in 三十日 = 30日 is not found: a number is matched whole)."""
    import re

    folded = "".join(_plain_char(c) for c in query)  # numbers are read before the classes
    canonical = _canonical()

    def canon(text: str) -> str:
        return "".join(canonical.get(c, c) for c in text)

    plain = full(query)
    parts: list[str] = []
    i = 0
    while i < len(folded):
        if folded[i] in NUMERALS:
            j = i
            while j < len(folded) and folded[j] in NUMERALS:
                j += 1
            run = folded[i:j]
            options = [re.escape(canon(run))]
            value = number_value(run)
            if value is not None:
                options.append(_literal(str(value)))
            parts.append("(?:" + "|".join(options) + ")")
            i = j
        elif folded[i].isascii() and folded[i].isdigit():
            j = i
            while j < len(folded) and folded[j].isascii() and folded[j].isdigit():
                j += 1
            parts.append(_literal(folded[i:j]))
            i = j
        else:
            parts.append(re.escape(canon(folded[i])))
            i += 1
    return plain, "".join(parts)
