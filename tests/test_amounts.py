"""Tests for search.text.amounts: sums of money and rates read from real clauses, checked against their own text."""
from __future__ import annotations

import re
import tarfile

import pytest

from conftest import RAW_DOCS, SEED_FILES, SHARED
from search.text.amounts import find_amounts, unread_amounts, unread_spans
from search.text.numerals import to_int

SCALE_ARCHIVE = SHARED / "corpus" / "scale" / "laws.tar.gz"


def _line(file: str, holding: str) -> str:
    """Return the line of a raw_docs file that holds ``holding``."""
    text = (RAW_DOCS / file).read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if holding in line)


def _spans_hold(text: str, amounts) -> None:
    for amount in amounts:
        assert text[amount.span[0]:amount.span[1]] == amount.text


def test_the_luoshan_rewards_per_item_in_wan_yuan():
    line = _line(SEED_FILES["luoshan"], "每件一次性奖励")
    amounts = find_amounts(line)
    _spans_hold(line, amounts)
    per_item = {a.per: a for a in amounts}
    for per, written in (("件", r"每件一次性奖励\s*([0-9.]+)\s*万元"), ("项", r"每项奖励\s*([0-9.]+)\s*万元")):
        wan = float(re.search(written, line).group(1))
        assert per_item[per].value == wan * 10_000 and per_item[per].unit == "元"
        assert per_item[per].text.replace(" ", "") == f"{re.search(written, line).group(1)}万元"
        assert not per_item[per].cap and not per_item[per].floor


def test_two_amounts_of_one_sentence_are_read_apart():
    line = _line(SEED_FILES["luoshan"], "分别一次性奖励")
    written = re.search(r"分别一次性奖励\s*([0-9.]+)\s*万元、\s*([0-9.]+)\s*万元", line)
    amounts = [a for a in find_amounts(line) if a.span[0] >= written.start() and a.span[1] <= written.end()]
    assert [a.value for a in amounts] == [float(written.group(1)) * 10_000, float(written.group(2)) * 10_000]
    assert [a.per for a in amounts] == ["", ""]


def test_chinese_numerals_and_a_floor_per_patent():
    line = _line("宁波市专利管理条例(2012-04-09).md", "第十一条")
    amounts = find_amounts(line)
    _spans_hold(line, amounts)
    written = re.findall(r"最低不少于([一二三四五六七八九十百千万]+)元", line)
    assert [a.value for a in amounts] == [float(to_int(w)) for w in written]
    assert all(a.floor and not a.cap and a.per == "项" and a.text.startswith("最低不少于") for a in amounts)


def test_a_cap_written_as_a_limit_not_to_pass():
    line = _line("河南省反不正当竞争条例(2010-07-30).md", "最高奖的金额不得超过")
    first = find_amounts(line)[0]
    assert first.value == float(to_int(re.search(r"不得超过([一二三四五六七八九十百千万]+)元", line).group(1)))
    assert first.cap and not first.floor


def test_a_range_of_a_penalty_is_a_floor_then_a_cap():
    line = _line("宁波市专利管理条例(2012-04-09).md", "第二十七条")
    low, high = re.search(r"处以([一二三四五六七八九十千万]+)元以上([一二三四五六七八九十千万]+)元以下", line).groups()
    amounts = [a for a in find_amounts(line) if a.unit == "元"]
    assert [(a.value, a.floor, a.cap) for a in amounts] == [(float(to_int(low)), True, False),
                                                             (float(to_int(high)), False, True)]
    assert amounts[0].text.endswith("以上") and amounts[1].text.endswith("以下")


@pytest.mark.parametrize("file,holding,pattern,expected_floor", [
    ("促进科技成果转化法(2015-08-29).md", "转让净收入或者许可净收入中提取", r"不低于百分之([一二三四五六七八九十]+)", True),
    ("浙江省专利条例(2015-09-25).md", "净收入中提取不低于百分之", r"不低于百分之([一二三四五六七八九十]+)", True),
    ("北京市专利保护和促进条例.md", "许可使用费净收入的", r"净收入的([0-9]+)%", True),
    ("洛阳市专利促进与保护条例(2013-01-15).md", "一般预算支出的比例", r"不低于([0-9.]+)％", True),
])
def test_rates_in_percent(file, holding, pattern, expected_floor):
    line = _line(file, holding)
    rates = [a for a in find_amounts(line) if a.unit == "%"]
    _spans_hold(line, rates)
    written = re.findall(pattern, line)
    values = [float(w) if w[0].isdigit() else float(to_int(w)) for w in written]
    assert [a.value for a in rates][:len(values)] == values
    assert all(a.floor == expected_floor for a in rates[:len(values)])


def test_per_year_rate():
    line = _line("浙江省专利条例(2015-09-25).md", "可以每年从实施该项专利的营业利润中提取")
    (rate,) = find_amounts(line)
    assert rate.per == "年" and rate.unit == "%" and rate.floor


def test_counts_years_and_dates_are_no_amounts():
    for holding in ("商标注册总量达到", "罗政〔2021〕28号", "2021年12月15日印发"):
        line = _line(SEED_FILES["luoshan"], holding)
        assert find_amounts(line) == () and unread_amounts(line) == ()


def test_a_goal_sum_is_read_as_it_is_written():
    # amounts reads sums wherever they stand; whether one is granted is search.support's business
    line = _line(SEED_FILES["luoshan"], "融资额累计达")
    (amount,) = find_amounts(line)
    assert amount.value == float(re.search(r"累计达\s*([0-9]+)\s*万元", line).group(1)) * 10_000


def test_no_amount_of_the_bundled_documents_goes_unread():
    for path in sorted(RAW_DOCS.iterdir()):
        if path.suffix in (".txt", ".md"):
            text = path.read_text(encoding="utf-8")
            assert unread_amounts(text) == (), path.name


@pytest.fixture(scope="module")
def scale_lines():
    """Lines of the scale corpus' laws that write a sum in a way no reader can be sure of (an OCR'd l for 1)."""
    wanted = {"北京市实施《种子法》办法": "l万元", "北京市科学技术普及条例": "每人每年O.5元", "重庆市林地保护管理条例": "点五万元",
              "北京市实施《残疾人保障法》办法": "1.7%", "重庆市招标投标条例": "千分之五"}
    found = {}
    with tarfile.open(SCALE_ARCHIVE) as archive:
        for member in archive:
            name = next((key for key in wanted if key in member.name), None)
            if name and name not in found and member.isfile():
                text = archive.extractfile(member).read().decode("utf-8")
                found[name] = next(line for line in text.splitlines() if wanted[name] in line)
            if len(found) == len(wanted):
                break
    return found


def test_what_cannot_be_read_is_said(scale_lines):
    for name in ("北京市实施《种子法》办法", "北京市科学技术普及条例"):
        line = scale_lines[name]
        amounts = find_amounts(line)
        spans = unread_spans(line, amounts)
        assert spans and unread_amounts(line, amounts) == tuple(line[a:b].strip() for a, b in spans)
        assert not any(a.span[0] < end and start < a.span[1] for a in amounts for start, end in spans)


def test_chinese_decimals_per_mille_and_arabic_after_a_word(scale_lines):
    line = scale_lines["重庆市林地保护管理条例"]
    written = re.search(r"([一二三四五六七八九十]+)点([一二三四五六七八九])万元", line)
    decimal = next(a for a in find_amounts(line) if a.text == written.group(0))
    assert decimal.value == (to_int(written.group(1)) + to_int(written.group(2)) / 10) * 10_000
    rate = next(a for a in find_amounts(scale_lines["北京市实施《残疾人保障法》办法"]) if a.text == "1.7%")
    assert rate.value == 1.7 and rate.floor  # 不少于……总数1.7%
    per_mille = next(a for a in find_amounts(scale_lines["重庆市招标投标条例"]) if a.text.startswith("千分之五"))
    assert per_mille.unit == "%" and per_mille.value == to_int("五") / 10
