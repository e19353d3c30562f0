"""Sums of money and rates as a clause writes them (每件奖励2000元, 最高不超过50万元, 贴息50%, 百分之六十),
read into numbers: yuan for money, percent for rates, with what each is counted per and whether it is a cap or a floor.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from search.text.numerals import FULLWIDTH_DIGITS, NumeralError, to_int

__all__ = ["Amount", "describe", "find_amounts", "unread_amounts", "unread_spans"]

_DIGIT = r"[0-9０-９]"
# 2000, 1,500, 0.5, １２ — Arabic, with thousands commas and a decimal part.
_ARABIC = rf"{_DIGIT}{{1,12}}(?:,{_DIGIT}{{3}}){{0,4}}(?:[.．]{_DIGIT}{{1,6}})?"
# 二千, 十万, 一千五百 — a Chinese numeral read whole by numerals.to_int. It starts with a digit or
# 十: a bare 万元 or 千元 (上万元, 数千元) is a vague amount, not a number.
_CHINESE = r"[零〇○一二两三四五六七八九十][零〇○一二两三四五六七八九十百千万亿]{0,15}"
# 0.5 万元, 5千元, 3百万元: the multiplier after an Arabic number.
_MULTIPLIER = r"(?:[百千]万|[十百千]亿|[十百千万亿])"
MULTIPLIERS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
# A number starts inside no longer number; a Chinese one not after 数/几 either (数十万元 is vague).
_START = r"(?<![0-9０-９.．,])"
_CHINESE_START = r"(?<![零〇○一二两三四五六七八九十百千万亿数几余多点])"
# 二十二点五万元, 一点二元: the digits after 点, then the multiplier they are counted in.
_CHINESE_DECIMALS = r"(?:点(?P<cdecimals>[零〇○一二三四五六七八九]{1,6})(?P<cmult>[千万亿]|千万)?)?"
# 元 that is no unit of money: 一元化, 二元结构, 元素, 元旦, 元首.
_YUAN = r"元(?![化素旦首])"
_RANGE_DASH = r"(?:-|—|－|–|~|～|至|到)"
_SPACE = r"\s{0,3}"  # 10 万元, as scrapes space numbers out

# 10-50万元: two numbers sharing one unit.
RANGE_RE = re.compile(
    rf"{_START}(?P<low>{_ARABIC}){_SPACE}{_RANGE_DASH}{_SPACE}(?P<high>{_ARABIC}){_SPACE}(?P<mult>{_MULTIPLIER})?"
    rf"{_SPACE}{_YUAN}")
MONEY_RE = re.compile(
    rf"(?:{_START}(?P<arabic>{_ARABIC}){_SPACE}(?P<mult>{_MULTIPLIER})?"
    rf"|{_CHINESE_START}(?P<chinese>{_CHINESE}){_CHINESE_DECIMALS}){_SPACE}{_YUAN}")
# 50%, 0.15％, 百分之六十, 百分之十五点五, 百分之百; per mille (千分之五, 5‰) as the percent it is (0.5).
PERCENT_RE = re.compile(
    rf"{_START}(?P<arabic>{_ARABIC}){_SPACE}(?P<sign>[%％‰])"
    r"|(?P<base>[百千])分之(?P<chinese>[零〇○一二两三四五六七八九十百]{1,6})(?:点(?P<decimals>[零〇○一二三四五六七八九]{1,6}))?")
# Anything that looks like a sum or a rate, read or not (上万元, 数十万元, 零点五万元, 千分之五, 5‰):
# a clause holding one that find_amounts could not read says so instead of hiding it.
_LIKE_CHARS = r"[0-9０-９.．,零〇○一二两三四五六七八九十百千万亿数几余多点]"
AMOUNT_LIKE_RE = re.compile(
    rf"{_LIKE_CHARS}{{0,20}}[0-9０-９零〇○一二两三四五六七八九十百千万亿]{_LIKE_CHARS}{{0,20}}{_SPACE}{_YUAN}"
    r"|[百千]分之[零〇○一二两三四五六七八九十百点]{0,12}|[0-9０-９.．lO]{1,20}\s{0,3}[%％‰]")

# Bounds written next to an amount, or earlier in its phrase (最高资助50万元, 奖金最低不少于二千元).
CAP_BEFORE_RE = re.compile(r"最高|不超过|不得超过|不高于|不多于|不满|至多|最多|上限|封顶")
FLOOR_BEFORE_RE = re.compile(r"最低|不少于|不低于|不得少于|不得低于|至少")
BOUND_PREFIX_RE = re.compile(r"(?:最高不超过|最高不高于|最低不少于|最低不低于|最高|最低|不超过|不高于|不多于|"
                             r"不少于|不低于|至多|最多|至少|上限为?)\s{0,3}$")
CAP_AFTER_RE = re.compile(r"\s{0,3}(?:以内|以下|为限|封顶)")
FLOOR_AFTER_RE = re.compile(r"\s{0,3}以上")
# What an amount is counted per: 每件, 每项, 每家, 每年 … in its phrase; 一项发明专利的奖金 opening it;
# 2000元/件 after it.
PER_RE = re.compile(r"每\s{0,3}(?P<unit>[件项个家名人次户年笔所])")
PER_OPENING_RE = re.compile(r"\s{0,3}一(?P<unit>[件项])(?!性)")
PER_AFTER_RE = re.compile(r"\s{0,3}[/／]\s{0,3}(?P<unit>[件项个家名人次户年笔])")
# An amount's phrase runs back to the last of these.
PHRASE_END_RE = re.compile(r"[，,；;。：:！？!?\n]")
# Two amounts joined by one of these share the first one's per and bounds (分别奖励10万元、5万元);
# joined by a dash or 至 they are a range: the first a floor, the second a cap.
LIST_JOIN_RE = re.compile(r"\s{0,3}(?:、|和|或者?|及)\s{0,3}")
RANGE_JOIN_RE = re.compile(rf"{_SPACE}{_RANGE_DASH}{_SPACE}")


@dataclass(frozen=True)
class Amount:
    """One sum or rate: as written, its value (yuan, or percent), what it is per, and its bound."""

    text: str  # as written, with the bound words next to it: 最低不少于二千元, 1 万元, 百分之六十
    value: float  # in yuan for money (0.5 万元 → 5000.0), in percent for a rate
    unit: str  # "元" or "%"
    per: str = ""  # 件, 项, 个, 家, 年 … ("" when not per anything)
    cap: bool = False  # 最高, 不超过, 以内, 以下, 上限: at most this much
    floor: bool = False  # 最低, 不少于, 不低于, 以上: at least this much
    span: tuple[int, int] = (0, 0)  # where ``text`` stands in the text read

    def describe(self) -> str:
        """Say what it comes to as a number: 每件 10,000 元, 最高 500,000 元, 至少 60%."""
        return describe(self.value, self.unit, self.per, self.cap, self.floor)

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "per": self.per, "cap": self.cap,
                "floor": self.floor, "span": list(self.span)}


def describe(value: float, unit: str, per: str = "", cap: bool = False, floor: bool = False) -> str:
    """Say what an amount comes to as a number, per what and bounded how: 每项至少 4,000 元.

    >>> describe(5000.0, "元", per="项")
    '每项 5,000 元'
    """
    words = (f"每{per}" if per else "") + ("最高" if cap else "至少" if floor else "")
    if unit == "%":
        number = f"{value:g}%"
    else:
        number = f"{value:,.0f} 元" if value == int(value) else f"{value:,.2f} 元"
    return f"{words} {number}" if words else number


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: float
    unit: str


def find_amounts(text: str) -> tuple[Amount, ...]:
    """Return the sums of money and rates in ``text``, in order.

    >>> [(a.text, a.value, a.per) for a in find_amounts("涉外授权专利给予发明人每件一次性奖励 1 万元")]
    [('1 万元', 10000.0, '件')]
    """
    numbers = _numbers(text)
    phrase_ends = [m.end() for m in PHRASE_END_RE.finditer(text)]
    amounts: list[Amount] = []
    previous: Amount | None = None
    for number in numbers:
        start, end = _with_bounds(text, number.start, number.end)
        opening = bisect_right(phrase_ends, number.start)
        phrase = text[phrase_ends[opening - 1] if opening else 0:number.start]
        after = text[number.end:]
        per = _per(phrase, after)
        cap = bool(CAP_BEFORE_RE.search(phrase) or CAP_AFTER_RE.match(after))
        floor = bool(FLOOR_BEFORE_RE.search(phrase) or FLOOR_AFTER_RE.match(after))
        if previous is not None and previous.unit == number.unit:
            gap = text[previous.span[1]:start]
            if LIST_JOIN_RE.fullmatch(gap):
                per, cap, floor = per or previous.per, cap or previous.cap, floor or previous.floor
            elif RANGE_JOIN_RE.fullmatch(gap):
                amounts[-1] = previous = _bounded(previous, floor=True)
                cap = True
        amount = Amount(text=text[start:end], value=number.value, unit=number.unit, per=per, cap=cap,
                        floor=floor and not cap, span=(start, end))
        amounts.append(amount)
        previous = amount
    return tuple(amounts)


def unread_spans(text: str, amounts: tuple[Amount, ...] | None = None) -> tuple[tuple[int, int], ...]:
    """Return where ``text`` holds what looks like a sum or a rate but is none of ``amounts`` (上万元, 千分之五)."""
    amounts = find_amounts(text) if amounts is None else amounts
    spans = [a.span for a in amounts]
    return tuple(m.span() for m in AMOUNT_LIKE_RE.finditer(text)
                 if not any(start < m.end() and m.start() < end for start, end in spans))


def unread_amounts(text: str, amounts: tuple[Amount, ...] | None = None) -> tuple[str, ...]:
    """Return, as written, what looks like a sum or a rate in ``text`` but could not be read (数十万元, 零点五万元)."""
    return tuple(text[start:end].strip() for start, end in unread_spans(text, amounts))


def _numbers(text: str) -> list[_Number]:
    """Return every number read with its unit, ranges split in two, in order."""
    found: list[_Number] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE_RE.finditer(text):
        mult = _multiplier(m.group("mult"))
        found.append(_Number(m.start("low"), m.end("low"), _arabic(m.group("low")) * mult, "元"))
        found.append(_Number(m.start("high"), m.end(), _arabic(m.group("high")) * mult, "元"))
        taken.append(m.span())
    for m in MONEY_RE.finditer(text):
        if _inside(m.span(), taken):
            continue
        if m.group("arabic"):
            value = _arabic(m.group("arabic")) * _multiplier(m.group("mult"))
        else:
            value = _chinese(m.group("chinese"))
            if value is None:
                continue
            if m.group("cdecimals"):
                value = (value + _chinese_decimals(m.group("cdecimals"))) * _multiplier(m.group("cmult"))
        found.append(_Number(m.start(), m.end(), value, "元"))
    for m in PERCENT_RE.finditer(text):
        if m.group("arabic"):
            value = _arabic(m.group("arabic")) / (10 if m.group("sign") == "‰" else 1)
        else:
            written = m.group("chinese")
            whole = 100.0 if written == "百" else _chinese(written)  # 百分之百
            if whole is None:
                continue
            value = (whole + _chinese_decimals(m.group("decimals") or "")) / (10 if m.group("base") == "千" else 1)
        found.append(_Number(m.start(), m.end(), value, "%"))
    return sorted(found, key=lambda n: n.start)


def _multiplier(written: str | None) -> float:
    """Return what a multiplier written after a number multiplies by: 万 → 10000, 千万 → 10000000."""
    value = 1.0
    for char in written or "":
        value *= MULTIPLIERS[char]
    return value


def _arabic(written: str) -> float:
    return float(written.translate(FULLWIDTH_DIGITS).replace(",", "").replace("．", "."))


def _chinese(written: str) -> float | None:
    """Return a Chinese numeral's value, or None when numerals.to_int can't read it (二十零)."""
    try:
        return float(to_int(written))
    except NumeralError:
        return None


CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}


def _chinese_decimals(written: str) -> float:
    """Return the digits after 点 as a fraction: 五 → 0.5, 二五 → 0.25."""
    return sum(CHINESE_DIGITS[c] / 10 ** (i + 1) for i, c in enumerate(written))


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _with_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen an amount to the bound words written next to it: 最低不少于二千元, 5万元以下."""
    m = BOUND_PREFIX_RE.search(text, max(0, start - 8), start)
    if m and m.end() == start:
        start = m.start()
    after = CAP_AFTER_RE.match(text[end:]) or FLOOR_AFTER_RE.match(text[end:])
    if after:
        end += after.end()
    per = PER_AFTER_RE.match(text[end:])
    if per:
        end += per.end()
    return start, end


def _per(phrase: str, after: str) -> str:
    m = PER_AFTER_RE.match(after)
    if m:
        return m.group("unit")
    found = list(PER_RE.finditer(phrase))
    if found:
        return found[-1].group("unit")
    m = PER_OPENING_RE.match(phrase)
    return m.group("unit") if m else ""


def _bounded(amount: Amount, floor: bool) -> Amount:
    return Amount(text=amount.text, value=amount.value, unit=amount.unit, per=amount.per, cap=amount.cap and not floor,
                  floor=floor, span=amount.span)
