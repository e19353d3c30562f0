"""Tests for search.query: every form of the issue's query syntax, and malformed input."""
from __future__ import annotations

import pytest

from search import settings
from search.errors import QuerySyntaxError
from search.query import ParsedQuery, parse_query


def test_words_are_segmented_like_the_index_and_stop_words_go():
    parsed = parse_query("专利权质押融资的ＰＣＴ申请")
    assert parsed == ParsedQuery(text="专利权质押融资的ＰＣＴ申请", required=("专利权", "质押融资", "pct", "申请"),
                                 tokens=("专利权质押融资的pct申请",))


def test_minus_excludes_a_word():
    parsed = parse_query("知识产权 -驰名商标")
    assert (parsed.required, parsed.excluded) == (("知识产权",), ("驰名商标",))


def test_minus_before_several_words_excludes_them_as_a_phrase():
    parsed = parse_query("质押 -专利质押")
    assert (parsed.required, parsed.excluded, parsed.excluded_phrases) == (("质押",), (), ("专利质押",))


def test_or_widens_between_words():
    parsed = parse_query("专利 OR 商标 质押")
    assert parsed.any_of == (("专利", "商标"),)
    assert parsed.required == ("质押",)


def test_or_chains_and_several_groups():
    parsed = parse_query("专利 OR 商标 OR 版权 质押 OR 许可")
    assert parsed.any_of == (("专利", "商标", "版权"), ("质押", "许可"))
    assert parsed.required == ()


def test_full_width_or_is_the_operator_and_lowercase_or_is_a_word():
    assert parse_query("专利 ＯＲ 商标").any_of == (("专利", "商标"),)
    assert parse_query("专利 or 商标").required == ("专利", "or", "商标")


def test_or_alternative_of_several_words_is_kept_whole():
    assert parse_query("专利权质押 OR 商标").any_of == (("专利权质押", "商标"),)


@pytest.mark.parametrize("q", ['"知识产权质押"', "“知识产权质押”", "「知识产权质押」", "『知识产权质押』", "＂知识产权质押＂"])
def test_quotes_make_an_exact_phrase(q):
    assert parse_query(q).phrases == ("知识产权质押",)


def test_phrase_is_normalized():
    assert parse_query("“ＰＣＴ　国际申请”").phrases == ("pct 国际申请",)


def test_excluded_phrase_and_phrase_next_to_words():
    parsed = parse_query('专利 "质押融资"贷款 -"商标专用权"')
    assert parsed.required == ("专利", "贷款")
    assert parsed.phrases == ("质押融资",)
    assert parsed.excluded_phrases == ("商标专用权",)


@pytest.mark.parametrize(
    "q",
    ["三政〔2014〕61号", "三政[2014]61号", "三政(2014)61号", "三政（2014）61号", "三政【2014】61号",
     "三政［２０１４］６１号", "三政 2014 61号", "三政2014 61号"],
)
def test_doc_number_in_any_brackets_or_none(q):
    parsed = parse_query(q)
    assert parsed.doc_numbers == ("三政〔2014〕61号",)
    assert parsed.required == ()


def test_doc_number_among_words():
    parsed = parse_query("知识产权 三政〔2014〕61号 战略")
    assert parsed.doc_numbers == ("三政〔2014〕61号",)
    assert parsed.required == ("知识产权", "战略")


@pytest.mark.parametrize("q", ["三政201461号", "三政2014年61号"])
def test_doc_number_without_a_year_boundary_is_not_guessed(q):
    assert parse_query(q).doc_numbers == ()


def test_order_number_and_several_doc_numbers():
    assert parse_query("国务院令第306号").doc_numbers == ("国务院令第306号",)
    assert parse_query("三政〔2014〕61号 OR 罗政〔2021〕28号").doc_numbers == ("三政〔2014〕61号", "罗政〔2021〕28号")


def test_bare_law_name_is_words_and_a_hint():
    assert parse_query("专利法") == ParsedQuery(text="专利法", required=("专利法",), tokens=("专利法",), law_name="专利法")
    parsed = parse_query("中华人民共和国专利法")
    assert parsed.required == ("中华人民共和国", "专利法")
    assert parsed.law_name == "专利法"


@pytest.mark.parametrize("q", ["治疗方法", "依法 保护", "有关规定", "行政执法"])
def test_words_that_only_look_like_law_names(q):
    assert parse_query(q).law_name is None


@pytest.mark.parametrize(
    "q, law, article, paragraph",
    [
        ("专利法第二十条", "专利法", 20, None),
        ("中华人民共和国专利法 第20条", "专利法", 20, None),
        ("商标法第五十条第二款", "商标法", 50, 2),
        ("专利法实施细则第十条", "专利法实施细则", 10, None),
        ("商标法实施条例 第３条", "商标法实施条例", 3, None),
        ("集成电路布图设计行政执法办法第五条", "集成电路布图设计行政执法办法", 5, None),
        ("最高人民法院关于审理专利纠纷案件适用法律问题的若干规定第五条",
         "最高人民法院关于审理专利纠纷案件适用法律问题的若干规定", 5, None),
        ("最高人民法院关于审理专利授权确权行政案件适用法律若干问题的规定（一）第三条",
         "最高人民法院关于审理专利授权确权行政案件适用法律若干问题的规定(一)", 3, None),
    ],
)
def test_article_reference(q, law, article, paragraph):
    parsed = parse_query(q)
    assert (parsed.law_name, parsed.article, parsed.paragraph) == (law, article, paragraph)
    assert parsed.required == ()


def test_article_reference_with_more_words():
    parsed = parse_query("专利法第二十条 滥用")
    assert (parsed.law_name, parsed.article, parsed.required) == ("专利法", 20, ("滥用",))


def test_empty_and_stop_word_queries_parse_to_nothing():
    assert parse_query("").is_empty
    assert parse_query("   ").is_empty
    assert parse_query("的").is_empty
    assert not parse_query("三政〔2014〕61号").is_empty


def test_to_dict_is_json_shaped():
    assert parse_query("专利 OR 商标").to_dict()["any_of"] == [["专利", "商标"]]


@pytest.mark.parametrize(
    "q, code, message",
    [
        ('"专利质押', "unbalanced_quote", "没有闭合"),
        ("“专利质押", "unbalanced_quote", "加上 ”"),
        ("专利质押」", "unbalanced_quote", "前面没有左引号"),
        ('""', "empty_phrase", "引号里没有内容"),
        ("“　”", "empty_phrase", "引号里没有内容"),
        ("专利 - 商标", "bad_exclusion", "“-”后面没有词"),
        ("-", "bad_exclusion", "“-”后面没有词"),
        ("--商标", "bad_exclusion", "有多个“-”"),
        ("-的", "bad_exclusion", "排除不了什么"),
        ("OR 专利", "bad_or", "以 OR 开头"),
        ("专利 OR", "bad_or", "以 OR 结尾"),
        ("ＯＲ", "bad_or", "以 OR 开头"),
        ("专利 OR OR 商标", "bad_or", "OR 连续出现"),
        ('"专利" OR 商标', "bad_or", "OR 只能连接词语"),
        ("专利 OR -商标", "bad_or", "OR 只能连接词语"),
        ("专利 OR 的", "bad_or", "没有可检索的词"),
        ("-三政〔2014〕61号", "bad_exclusion", "不能排除"),
        ("专利法第二十条 商标法第三条", "bad_article", "引用了多个条文"),
        ("x" * (settings.MAX_QUERY_CHARS + 1), "query_too_long", f"最多 {settings.MAX_QUERY_CHARS} 个"),
    ],
)
def test_malformed_queries_raise_with_a_message_in_chinese_and_a_stable_code(q, code, message):
    with pytest.raises(QuerySyntaxError, match=message) as raised:
        parse_query(q)
    assert raised.value.code == code


def test_longest_query_allowed():
    assert parse_query("专" * settings.MAX_QUERY_CHARS).required


@pytest.mark.parametrize("q,number", [("专利法第2147483648条", "2147483648"), ("专利法第一万亿条", "1000000000000"),
                                      ("专利法第零条", "0"), ("商标法第十三条第10000款", "10000")])
def test_article_numbers_out_of_range_are_refused_where_they_are_read(q, number):
    with pytest.raises(QuerySyntaxError, match=f"没有法律有第 {number} 条或第 {number} 款，条款序号在 1 到 9999 之间"):
        parse_query(q)
