"""Tests for search.text.references: the documents a text refers to, and the verb that governs each."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from search.text.references import VERB_LABELS, VERBS, Reference, find_references

RAW_DOCS = Path(__file__).parent.parent / "raw_docs"
SENTENCE_END = re.compile(r"[。；\n]")


def read(name: str) -> str:
    return (RAW_DOCS / name).read_text(encoding="utf-8")


def seed_about(word: str) -> str:
    """Return the text of the one seed notice whose opening names ``word`` (三门峡, 罗山 …)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW_DOCS.glob("*.txt"))]
    found = [t for t in texts if word in t[:300]]
    assert len(found) == 1, f"{len(found)} seeds open with {word}"
    return found[0]


def sentence(name: str, snippet: str) -> str:
    """Return the whole sentence of a raw document that holds ``snippet``, so cases stay real text."""
    text = read(name)
    at = text.index(snippet)
    starts = [m.end() for m in SENTENCE_END.finditer(text, 0, at)]
    end = SENTENCE_END.search(text, at + len(snippet))
    return text[starts[-1] if starts else 0:end.end() if end else len(text)]


def summary(refs) -> list[tuple]:
    return [(r.verb, r.title, r.doc_number, r.article) for r in refs]


# -- policy notices: titles, 文号 and the verb of a run -----------------------------------------

def test_sanmenxia_opinion_rests_on_the_provincial_strategy_and_opinion():
    refs = find_references(seed_about("三门峡"))
    assert [summary([r])[0] for r in refs if r.verb == "basis"] == [
        ("basis", "河南省知识产权战略纲要", "", None),
        ("basis", "河南省人民政府关于加快实施知识产权战略的意见", "豫政〔2013〕60号", None),
    ]
    # the title and the 文号 in brackets after it are one reference, shown as written
    opinion = next(r for r in refs if r.doc_number == "豫政〔2013〕60号")
    assert opinion.text == "《河南省人民政府关于加快实施知识产权战略的意见》（豫政〔2013〕60号）"
    # its own 文号 in the letterhead is a lone number, only cited
    assert refs[0] == Reference("cites", "", "三政〔2014〕61号", None, "三政〔2014〕61号")


def test_luoshan_opinion_implements_three_documents_and_follows_two():
    refs = find_references(seed_about("罗山"))
    numbered = [(r.verb, r.doc_number) for r in refs if r.doc_number]
    assert numbered == [
        ("cites", "罗政〔2021〕28号"),  # its own number
        # 为贯彻落实…《A》（…）《B》（…）《C》（…）等文件精神: adjacent titles share the verb
        ("implements", "中办发〔2019〕56号"),
        ("implements", "豫政〔2017〕17号"),
        ("implements", "豫办〔2020〕21号"),
        # 按照《D》（…）《E》（…）要求
        ("basis", "信政文〔2017〕143号"),
        ("basis", "信政〔2021〕12号"),
    ]
    assert refs[1].title == "关于强化知识产权保护的意见"


def test_a_title_repeated_throughout_a_notice_is_listed_once():
    refs = find_references(seed_about("实施河南省知识产权战略纲要任务分工"))
    assert summary(refs) == [
        ("cites", "河南省知识产权战略纲要", "", None),
        ("cites", "实施河南省知识产权战略纲要任务分工", "", None),
    ]


def test_a_title_quoted_inside_a_title_stays_part_of_it():
    refs = find_references(seed_about("黑龙江"))
    assert summary(refs) == [
        ("cites", "〈黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见〉重点任务分工方案", "", None),
    ]


def test_a_run_joined_by_he_shares_the_verb_before_it():
    text = sentence("002_d612a12ae481ae56.txt", "落实《河南省专利保护条例》")
    assert summary(find_references(text)) == [
        ("implements", "河南省专利保护条例", "", None),
        ("implements", "三门峡市加快推进高新技术产业发展的十条意见", "", None),
    ]


# -- judicial interpretations and laws: law names with articles -------------------------------

def test_copyright_interpretation_cites_articles_of_laws_and_regulations():
    refs = find_references(read("最高人民法院关于审理著作权民事纠纷案件适用法律若干问题的解释(2020-12-29).md"))
    assert ("basis", "中华人民共和国著作权法", "", None) in summary(refs)
    # 依据著作权法第四十八条第（一）项、《计算机软件保护条例》第二十四条第（一）项的规定
    assert ("basis", "著作权法", "", 48) in summary(refs)
    software = next(r for r in refs if r.title == "计算机软件保护条例")
    assert (software.verb, software.article, software.text) == ("basis", 24, "《计算机软件保护条例》第二十四条")


def test_plant_variety_interpretation_cites_bracketed_laws_by_article():
    text = sentence("最高人民法院关于审理植物新品种纠纷案件若干问题的解释(2020-12-29).md", "第一百一十九条")
    assert summary(find_references(text)) == [
        ("cites", "中华人民共和国民事诉讼法", "", 119),
        ("cites", "中华人民共和国行政诉讼法", "", 49),
    ]


@pytest.mark.parametrize(
    ("name", "snippet", "expected"),
    [
        # the verb before the name is not part of it
        ("最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）(2020-12-29).md",
         "因明显违反专利法第二十六条", [("cites", "专利法", "", 26)]),
        ("专利法实施细则(2010-01-09).md", "依照专利法第三十一条第一款规定，可以作为",
         [("basis", "专利法", "", 31)]),
        # …属于专利法第五条…不符合专利法第十八条…或者本细则第十六条…不符合专利法第二条第二款
        ("专利法实施细则(2010-01-09).md", "发明专利申请是否明显属于专利法第五条",
         [("cites", "专利法", "", 5), ("cites", "专利法", "", 18), ("cites", "专利法", "", 2)]),
        # 第一千一百八十五条和种子法: the joiner after an article starts the next name
        ("最高人民法院关于审理侵害植物新品种权纠纷案件具体应用法律问题的若干规定(2020-12-29).md",
         "应当依照民法典第一百七十九条", [("basis", "民法典", "", 179), ("basis", "种子法", "", 73)]),
        # 修改后 names a version of the law; the law is cited, not amended
        ("最高人民法院关于审理商标案件有关管辖和法律适用范围问题的解释(2020-12-29).md",
         "适用修改后商标法第五十七条", [("cites", "商标法", "", 57)]),
        # a lead word whose remainder is no name (该履行期限为民法典) does not end the search
        ("最高人民法院关于审理技术合同纠纷案件适用法律若干问题的解释(2020-12-29).md",
         "应当认定该履行期限为民法典", [("cites", "民法典", "", 563)]),
        # committing the acts an article describes implements nothing
        ("最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释(2004-12-08).md",
         "以营利为目的，实施刑法第二百一十七条", [("cites", "刑法", "", 217)]),
    ],
)
def test_bare_law_names_start_after_the_words_before_them(name, snippet, expected):
    assert summary(find_references(sentence(name, snippet))) == expected


def test_self_references_are_not_references():
    # 违反本条例第二十五条规定，…依照《中华人民共和国专利法》第五十八条、第五十九条规定处罚
    text = sentence("上海市专利保护条例.md", "违反本条例第二十五条规定")
    assert summary(find_references(text)) == [("basis", "中华人民共和国专利法", "", 58)]
    # 依照专利法和本细则规定; 前款; 第X条 alone: no law article named
    rules = read("专利法实施细则(2010-01-09).md")
    titles = {r.title for r in find_references(rules)}
    assert titles and not any(t.startswith(("本", "前")) or "本细则" in t for t in titles)


# -- verbs after the reference: 废止, 修改, and the instruments of an amendment -----------------

def test_the_rules_repeal_their_1992_predecessor():
    text = sentence("专利法实施细则(2023-12-11).md", "同时废止")
    assert summary(find_references(text)) == [("repeals", "中华人民共和国专利法实施细则", "", None)]


def test_a_repealed_interpretation_keeps_its_number():
    text = sentence("最高人民法院关于适用《反不正当竞争法》若干问题的解释(2022-03-16).md", "同时废止")
    assert summary(find_references(text)) == [
        ("repeals", "最高人民法院关于审理不正当竞争民事案件应用法律若干问题的解释", "法释〔2007〕2号", None),
    ]


def test_the_amending_decision_amends_and_its_quoted_text_cites():
    text = read("最高人民法院关于修改《最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）》等十八件知识产权类司法解释的决定.md")
    refs = find_references(text)
    first = "最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）"
    # 关于修改《…》的决定 in the title, 对《…》等十八件司法解释作如下修改 in the body: one reference
    assert [r for r in refs if r.title == first] == [Reference("amends", first, "", None, f"《{first}》")]
    # the replacement preamble it quotes (“…根据《中华人民共和国民法典》…制定本解释。”) is its own scope
    assert ("basis", "中华人民共和国民法典", "", None) in summary(refs)
    assert len({r.title for r in refs if r.verb == "amends"}) == 18


def test_an_amending_decision_named_in_a_history_line_is_the_instrument():
    line = next(p for p in read("专利法(2020-10-17).md").split("\n") if "第四次修正" in p)
    assert summary(find_references(line)) == [
        ("cites", "关于修改〈中华人民共和国专利法〉的决定", "", None),
    ]


# -- the record and malformed input --------------------------------------------------------------

def test_to_dict_carries_the_verb_label():
    ref = find_references(seed_about("三门峡"))[1]
    assert ref.to_dict() == {
        "verb": "basis", "title": "河南省知识产权战略纲要", "doc_number": "", "article": None,
        "text": "《河南省知识产权战略纲要》", "verb_label": "依据",
    }
    assert set(VERB_LABELS) == set(VERBS)


def test_unbalanced_bracket_empty_text_and_a_long_line_return():
    opening = sentence("002_d612a12ae481ae56.txt", "根据《河南省知识产权战略纲要》")
    unbalanced = opening.replace("》", "")  # two 《 that never close: no title, the 文号 still found
    assert [(r.title, r.doc_number) for r in find_references(unbalanced)] == [("", "豫政〔2013〕60号")]
    assert find_references("") == ()
    assert find_references("《" * 100_000) == ()
    line = re.sub(r"\s+", "", seed_about("实施河南省知识产权战略纲要任务分工"))
    long_line = (line * (100_000 // len(line) + 1))[:100_000]
    assert len(long_line) == 100_000 and "\n" not in long_line
    assert [r.title for r in find_references(long_line)] == ["河南省知识产权战略纲要", "实施河南省知识产权战略纲要任务分工"]
