"""Tests for search.text.dates: parse_date and find_dates on real seed and law text."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import SearchError
from search.text.dates import DateError, DateMatch, find_dates, parse_date

from conftest import GOVCN, LAWS, SEEDS


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2009-04-29", "2009-04-29"),  # seed 000 发布日期
        ("2009/4/29", "2009-04-29"),
        ("2009.04.29", "2009-04-29"),
        ("2014年11月30日", "2014-11-30"),  # seed 002 signature
        ("2018年11月06日", "2018-11-06"),  # gov.cn 成文日期
        ("2018年9月6日", "2018-09-06"),
        ("二○○九年四月十日", "2009-04-10"),  # seed 000 signature, U+25CB
        ("二〇二一年十二月十五日", "2021-12-15"),
        ("二零零九年四月十日", "2009-04-10"),
        ("一九九二年九月三十日", "1992-09-30"),  # 实施国际著作权条约的规定 第二十二条
        ("２０１６年１０月１１日", "2016-10-11"),
        ("2021年 12月 15日", "2021-12-15"),
        ("2020 年 10 月 17 日", "2020-10-17"),
        ("2021年\u300012月\u300015日", "2021-12-15"),
        ("  2022年1月28日 ", "2022-01-28"),  # seed 001, indented signature
        ("2020-02-29", "2020-02-29"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2019年2月30日",
        "2019-02-29",
        "2009-13-01",
        "二○○九年十三月一日",
        "二○○九年四月三十一日",
        "2014年11月",  # no day
        "2018-11/19",  # gov.cn URL path, two separators
        "2052-10.8",  # a WPS build number in the nfra.gov.cn page
        "2009-04-29起",
        "发布日期:2009-04-29",
        "（2021-2035年）",
        "2021年12月\n15日",  # a line break is not a gap inside a date
    ],
)
def test_parse_date_rejects(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_date_error_is_a_value_error_of_the_package():
    with pytest.raises(ValueError) as info:
        parse_date("2019年2月30日")
    assert isinstance(info.value, SearchError)
    assert str(info.value) == "not a calendar date: '2019年2月30日'"


def found(text: str) -> list[tuple[str, str]]:
    return [(m.iso, m.text) for m in find_dates(text)]


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000_66ce048e690a739c.txt",
         [("2009-04-29", "2009-04-29"), ("2009-04-29", "2009-04-29"), ("2009-04-10", "二○○九年四月十日")]),
        ("001_7f4fbdf0e3c78fda.txt", [("2022-05-16", "2022-05-16"), ("2022-01-28", "2022年1月28日")]),
        ("002_d612a12ae481ae56.txt", [("2014-11-30", "2014年11月30日"), ("2014-11-30", "2014年11月30日")]),
        ("003_06b732dbd06fe955.txt", [("2021-12-15", "2021年12月15日")]),
        ("004_77ef637a5b3fa8c7.txt", [("2016-10-11", "2016年10月11日")]),
    ],
)
def test_find_dates_in_seeds(seed, expected):
    assert found(read(SEEDS / seed)) == expected


def test_find_dates_offsets_point_into_the_text():
    text = read(SEEDS / "000_66ce048e690a739c.txt")
    matches = find_dates(text)
    assert all(text[m.start : m.end] == m.text for m in matches)
    assert matches[0] == DateMatch("2009-04-29", 39, 49, "2009-04-29")


def test_find_dates_keeps_offsets_with_full_width_digits():
    text = "黑龙江省人民政府办公厅\n２０１６年１０月１１日印发"
    assert find_dates(text) == [DateMatch("2016-10-11", 12, 23, "２０１６年１０月１１日")]


def test_find_dates_in_a_law_header_and_body():
    text = read(LAWS / "实施国际著作权条约的规定(2020-11-29).md")
    assert found(text) == [("1992-09-25", "1992年9月25日"), ("1992-09-30", "一九九二年九月三十日")]


def test_find_dates_in_the_govcn_fragment_ignores_url_paths():
    text = read(GOVCN / "gov.cn_content_5341736_专利代理条例.fragment.html")
    assert "/2018-11/19/" in text
    assert found(text) == [
        ("2018-11-06", "2018年11月06日"),  # 成文日期
        ("2018-11-19", "2018年11月19日"),  # 发布日期
        ("2018-09-06", "2018年9月6日"),
        ("2019-03-01", "2019年3月1日"),
        ("2018-11-06", "2018年11月6日"),
        ("1991-03-04", "1991年3月4日"),
        ("2018-09-06", "2018年9月6日"),
        ("2019-03-01", "2019年3月1日"),
    ]


def test_find_dates_skips_what_is_no_calendar_day():
    text = "索引号：000014349/2018-00206，2019年2月30日印发，自2019年3月1日起施行，规划（2021-2035年）"
    assert found(text) == [("2019-03-01", "2019年3月1日")]


def test_find_dates_does_not_start_inside_a_longer_number():
    assert found("编号12009年4月10日") == []
    assert found("编号12009-04-10") == []
