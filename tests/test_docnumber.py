"""Tests for search.text.docnumber: finding 文号 and normalizing their typed variants."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import SearchError
from search.text.docnumber import DocNumberError, find_doc_number, normalize_doc_number

from conftest import GOVCN, LAWS, SEEDS


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("002_d612a12ae481ae56.txt", "三政〔2014〕61号"),  # before the cited 豫政〔2013〕60号
        ("003_06b732dbd06fe955.txt", "罗政〔2021〕28号"),  # before 中办发〔2019〕56号 …
        ("000_66ce048e690a739c.txt", None),
        ("001_7f4fbdf0e3c78fda.txt", None),
        ("004_77ef637a5b3fa8c7.txt", None),
    ],
)
def test_find_doc_number_in_seeds(seed, expected):
    assert find_doc_number(read(SEEDS / seed)) == expected


@pytest.mark.parametrize(
    ("law", "expected"),
    [
        ("专利法实施细则(2010-01-09).md", "中华人民共和国国务院令第306号"),
        ("国防专利条例(2004-09-17).md", "中华人民共和国国务院、中华人民共和国中央军事委员会令第418号"),
        ("集成电路布图设计行政执法办法(2001-11-28).md", "国家知识产权局令第17号"),
        ("最高人民法院关于适用《反不正当竞争法》若干问题的解释(2022-03-16).md", "法释〔2022〕9号"),
        ("专利法(2020-10-17).md", None),
    ],
)
def test_find_doc_number_in_laws(law, expected):
    assert find_doc_number(read(LAWS / law)) == expected


def test_find_doc_number_in_govcn_fragments():
    assert find_doc_number(read(GOVCN / "gov.cn_content_5341736_专利代理条例.fragment.html")) == "国令第706号"
    notice = GOVCN / "gov.cn_content_5342665_国务院关于支持自由贸易试验区深化改革创新若干措施的通知.fragment.html"
    assert find_doc_number(read(notice)) == "国发〔2018〕38号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三政〔2014〕61号", "三政〔2014〕61号"),
        ("国办发〔2018〕126号", "国办发〔2018〕126号"),
        ("信政文〔2017〕143号", "信政文〔2017〕143号"),
        ("中华人民共和国国务院令 第706号", "中华人民共和国国务院令 第706号"),  # gov.cn body
        ("主席令第八号", "主席令第八号"),
        ("  三政[2014]61号  ", "三政[2014]61号"),
        # In running text the 文号 starts after punctuation or a function word.
        ("《关于强化知识产权保护的意见》（中办发〔2019〕56号）", "中办发〔2019〕56号"),
        ("按照豫政〔2013〕60号精神", "豫政〔2013〕60号"),
        ("1991年3月4日中华人民共和国国务院令第76号发布", "中华人民共和国国务院令第76号"),
        ("修订后的国务院令第706号", "国务院令第706号"),
        ("发文字号： 国令第706号", "国令第706号"),
        ("工业和信息化部令第12号", "工业和信息化部令第12号"),
        ("海关总署令第227号", "海关总署令第227号"),
    ],
)
def test_find_doc_number(text, expected):
    assert find_doc_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "第二十条",
        "到2014年，力争达到以下目标",
        "知识产权强国建设纲要（2021-2035年）",
        "三政2014年61号",  # 年 instead of brackets: reads like running text
        "三政201461号",  # no visible year boundary
        "三政〔2014〕",
        "〔2022〕3号",  # no 机关代字
        "（2019）最高法知民终1号",  # a case number, not a 文号
        "责令第三人停止侵权",
        "命令第三号",
    ],
)
def test_find_doc_number_ignores(text):
    assert find_doc_number(text) is None


@pytest.mark.parametrize(
    "typed",
    [
        "三政〔2014〕61号",
        "三政[2014]61号",
        "三政［２０１４］６１号",
        "三政（2014）61号",
        "三政(2014)61号",
        "三政【2014】61号",
        "三政〖2014〗61号",
        "三政〔2014]61号",  # mismatched pair
        "三政 〔2014〕 61 号",
        "三政 2014 61号",  # brackets lost, year set off by spaces
        "三政〔2014〕061号",
        " 三政〔2014〕61号\u3000",
    ],
)
def test_normalize_bracketed_variants(typed):
    assert normalize_doc_number(typed) == "三政〔2014〕61号"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("国务院令第306号", "国务院令第306号"),
        ("中华人民共和国国务院令第306号", "国务院令第306号"),
        ("中华人民共和国国务院令 第 306 号", "国务院令第306号"),
        ("国令第706号", "国务院令第706号"),
        ("主席令第八号", "主席令第8号"),
        ("中华人民共和国主席令第8号", "主席令第8号"),
        ("国家知识产权局令第１７号", "国家知识产权局令第17号"),
        ("中华人民共和国国务院、中华人民共和国中央军事委员会令第418号", "国务院、中央军事委员会令第418号"),
        ("法释〔2020〕19号", "法释〔2020〕19号"),
        ("国发〔2018〕38号", "国发〔2018〕38号"),
    ],
)
def test_normalize_orders_and_others(typed, expected):
    assert normalize_doc_number(typed) == expected


def test_normalized_forms_compare_equal():
    found = find_doc_number(read(SEEDS / "002_d612a12ae481ae56.txt"))
    assert normalize_doc_number(found) == normalize_doc_number("三政[2014]61号")
    assert normalize_doc_number("国令第706号") == normalize_doc_number("中华人民共和国国务院令第706号")


@pytest.mark.parametrize(
    "text",
    ["", "三政〔2014〕61号文件", "按照三政〔2014〕61号", "三政2014年61号", "第二十条", "2014年", "三政〔2014〕61"],
)
def test_normalize_rejects(text):
    with pytest.raises(DocNumberError):
        normalize_doc_number(text)


def test_doc_number_error_is_a_value_error_of_the_package():
    with pytest.raises(ValueError) as info:
        normalize_doc_number("第二十条")
    assert isinstance(info.value, SearchError)
    assert str(info.value) == "not a 文号: '第二十条'"
