"""Chinese and Arabic numerals → int, for clause labels (第一百四十九条), dates (二○○九年) and 文号.

Conversion is cn2an's; this module only fixes the inputs it rejects or misreads.
"""
from __future__ import annotations

import re

import cn2an

from search.errors import SearchError

# Every character to_int accepts; other modules build patterns such as 第(NUMERAL_CHARS+)条.
# ○ (U+25CB WHITE CIRCLE) stands in for 〇 in typed dates like 二○○九年.
NUMERAL_CHARS = r"[零〇○一二两三四五六七八九十百千万亿0-9０-９]"

NUMERAL_RE = re.compile(rf"{NUMERAL_CHARS}+")
ARABIC_RE = re.compile(r"[0-9]+")
CHINESE_UNIT_RE = re.compile(r"[十百千万亿]")
ZERO_END_RE = re.compile(r"[零〇]$")

# Full-width digits become ASCII; ○ becomes 〇, which cn2an knows and ○ it does not.
# Full-width digits → ASCII, the one table every module folds digits with.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
NORMALIZE = str.maketrans("０１２３４５６７８９○", "0123456789〇")


class NumeralError(SearchError, ValueError):
    """The string is not a whole, non-negative numeral."""


def to_int(s: str) -> int:
    """Return the value of a numeral: 一百四十九 → 149, 二○○九 → 2009, １２ → 12.

    Whole numbers only, written either in Arabic digits (ASCII or full-width) or in Chinese
    numerals, never a mix of the two ("12三", "5万"). A run of digit characters without
    units is read digit by digit, as years are written: 二〇二一 → 2021.

    :raises NumeralError: for anything else, including surrounding spaces.
    """
    if not NUMERAL_RE.fullmatch(s):
        raise NumeralError(f"not a numeral: {s!r}")
    text = s.translate(NORMALIZE)
    if ARABIC_RE.fullmatch(text):
        return int(text)
    if any(c.isdigit() for c in text):
        raise NumeralError(f"mixes Arabic and Chinese numerals: {s!r}")
    # cn2an reads 一百零 as 100 and fails on 二十零 with a KeyError: a numeral with units
    # never ends in a zero, so refuse both here.
    if CHINESE_UNIT_RE.search(text) and ZERO_END_RE.search(text):
        raise NumeralError(f"numeral ends in a zero after a unit: {s!r}")
    if not CHINESE_UNIT_RE.search(text) and len(text) > 1 and "两" in text:
        raise NumeralError(f"两 only counts units, never a digit in a run: {s!r}")
    try:
        # "normal" mode: strict mode refuses 〇, 两 and digit runs (二零零九).
        value = cn2an.cn2an(text, "normal")
    # cn2an signals some malformed input (零十一) with a KeyError from its own tables.
    except (ValueError, KeyError) as exc:
        raise NumeralError(f"not a well-formed Chinese numeral: {s!r}") from exc
    if not isinstance(value, int):
        raise NumeralError(f"not a whole number: {s!r}")
    return value
