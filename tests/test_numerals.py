"""Tests for search.text.numerals: Chinese and Arabic numerals → int."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.errors import SearchError
from search.text.numerals import NUMERAL_CHARS, NumeralError, to_int

LAWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ip"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("十", 10),  # no leading 一
        ("十一", 11),
        ("二十", 20),
        ("二十二", 22),
        ("三十一", 31),
        ("一百零一", 101),
        ("一百四十九", 149),
        ("一千零一", 1001),
        ("一千二百", 1200),
        ("一百二十三万四千五百六十七", 1234567),
        ("零", 0),
        ("〇", 0),
        ("○", 0),  # U+25CB, which cn2an does not know
        ("两", 2),
        ("两百", 200),
        ("二○○九", 2009),  # digit run as in 二○○九年四月十日
        ("二〇二一", 2021),
        ("二零零九", 2009),
        ("一九九二", 1992),
        ("１２", 12),
        ("12", 12),
        ("306", 306),
        ("０６", 6),
    ],
)
def test_to_int(text, expected):
    assert to_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 十",  # callers pass clean regex groups; spaces are not trimmed
        "十二月",
        "12三",  # Arabic and Chinese mixed
        "5万",
        "百",
        "十十",
        "一百零",  # cn2an: 100
        "二十零",  # cn2an: KeyError
        "零十一",  # cn2an: KeyError
        "两两",  # cn2an: 22
        "一点五",  # cn2an: 1.5
        "负一",  # cn2an: -1
        "萬",
        "abc",
    ],
)
def test_to_int_rejects(text):
    with pytest.raises(NumeralError):
        to_int(text)


def test_numeral_error_is_a_value_error_of_the_package():
    with pytest.raises(ValueError) as info:
        to_int("第一条")
    assert isinstance(info.value, SearchError)
    assert str(info.value) == "not a numeral: '第一条'"


def test_numeral_chars_reads_every_article_number_of_the_patent_law():
    text = (LAWS / "专利法(2020-10-17).md").read_text(encoding="utf-8")
    labels = re.findall(rf"^第({NUMERAL_CHARS}+)条", text, flags=re.MULTILINE)
    assert [to_int(label) for label in labels] == list(range(1, 83))


def test_numeral_chars_is_one_character_class():
    assert re.fullmatch(rf"{NUMERAL_CHARS}+", "二○○九１２〇两")
    assert not re.fullmatch(NUMERAL_CHARS, "条")
