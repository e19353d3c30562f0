"""Dates as written in policy documents → ISO "YYYY-MM-DD", for the metadata stage.

Reads 2009-04-29, 2009/4/29, 2009.04.29, 2014年11月30日, 二○○九年四月十日 and full-width
digits; a match that is no real calendar day (2月30日) is not a date.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from search.errors import SearchError
from search.text.numerals import FULLWIDTH_DIGITS, NumeralError, to_int

# Full-width digits become ASCII one for one, so offsets into the original text stay valid.

# Spaces allowed between the parts of a Chinese date (2021年 12月 15日); never a line break.
_GAP = r"[ \t\u3000\xa0]*"
_CN_DIGIT = r"[〇○零一二三四五六七八九]"

# One separator used twice (\g<sep>), so URL paths like 2018-11/19 are not dates; no digit
# may touch either end, so 000014349/2018-00206 yields nothing.
NUMERIC_DATE = (
    r"(?<![0-9])(?P<ny>[0-9]{4})(?P<sep>[-/.])(?P<nm>[0-9]{1,2})(?P=sep)(?P<nd>[0-9]{1,2})(?![0-9])"
)
# The year is four digits either way: 2014年 or 二○○九年. Month and day are Arabic or
# Chinese (十二月, 三十一日). A longer numeral must not run into the year (12009年).
CHINESE_DATE = (
    rf"(?<![0-9〇○零一二三四五六七八九十])"
    rf"(?P<cy>[0-9]{{4}}|{_CN_DIGIT}{{4}}){_GAP}年{_GAP}"
    rf"(?P<cm>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,2}}){_GAP}月{_GAP}"
    rf"(?P<cd>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}}){_GAP}日"
)
DATE_RE = re.compile(rf"{NUMERIC_DATE}|{CHINESE_DATE}")


class DateError(SearchError, ValueError):
    """The string is not a calendar date in a form this module reads."""


@dataclass(frozen=True)
class DateMatch:
    """A date found in running text: its ISO form and where it was written."""

    iso: str  # 2014-11-30
    start: int  # offsets into the text passed to find_dates
    end: int
    text: str  # as written: 2014年11月30日


def _iso(match: re.Match[str]) -> str:
    """Return the ISO date of a DATE_RE match, or raise DateError if it is no calendar day."""
    if match.group("ny"):
        parts = match.group("ny", "nm", "nd")
    else:
        parts = match.group("cy", "cm", "cd")
    try:
        year, month, day = (to_int(part) for part in parts)
        return datetime.date(year, month, day).isoformat()
    except (NumeralError, ValueError) as exc:
        raise DateError(f"not a calendar date: {match.group()!r}") from exc


def parse_date(s: str) -> str:
    """Return the ISO date written in s: "二○○九年四月十日" → "2009-04-10".

    Surrounding whitespace is ignored; anything else around the date is not.

    :raises DateError: when s is not exactly one valid date.
    """
    match = DATE_RE.fullmatch(s.strip().translate(FULLWIDTH_DIGITS))
    if match is None:
        raise DateError(f"not a date: {s!r}")
    return _iso(match)


def find_dates(text: str) -> list[DateMatch]:
    """Return every valid date in text, in order; date-shaped strings that are no calendar day are skipped."""
    found = []
    for match in DATE_RE.finditer(text.translate(FULLWIDTH_DIGITS)):
        try:
            iso = _iso(match)
        except DateError:
            continue  # 2019年2月30日 is a typo or not a date; either way not a date to report
        found.append(DateMatch(iso, match.start(), match.end(), text[match.start() : match.end()]))
    return found
