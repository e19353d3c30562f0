"""Tests for search.ingest.lifecycle: what a document says about when it lives, on the real raw documents."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from search.ingest.lawheader import split_law_header
from search.ingest.lifecycle import Event, Lifecycle, _years_after, read_lifecycle

RAW_DOCS = Path(__file__).parent.parent / "raw_docs"
DECISION = "最高人民法院关于修改《最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）》等十八件知识产权类司法解释的决定.md"
TAG = re.compile(r"<[^>]+>")


def paragraphs(name: str) -> list[str]:
    text = (RAW_DOCS / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n") if p.strip()]


def law_parts(name: str):
    """Return a database law's header and body, split at <!-- INFO END -->."""
    return split_law_header(paragraphs(name))


def law(name: str) -> Lifecycle:
    header, body = law_parts(name)
    return read_lifecycle(header.title, header.history, body, header.date, header.published)


# -- when it takes effect -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["专利法实施细则(2023-12-11).md", "专利法实施细则(2010-01-09).md"])
def test_patent_rules_say_they_took_effect_in_2001_and_repealed_the_1992_rules(name):
    rules = law(name)
    assert (rules.effective, rules.effective_text) == ("2001-07-01", "本细则自2001年7月1日起施行。")
    assert [r.title for r in rules.repeals] == ["中华人民共和国专利法实施细则"]
    assert (rules.expires, rules.expires_text, rules.amends, rules.approved_by) == ("", "", (), ())


def test_patent_rules_history_lists_publication_and_three_revisions_oldest_first():
    assert [(e.date, e.kind) for e in law("专利法实施细则(2023-12-11).md").events] == [
        ("2001-06-15", "公布"), ("2002-12-28", "修订"), ("2010-01-09", "修订"), ("2023-12-11", "修订"),
    ]


def test_the_versions_history_line_wins_over_the_unchanged_commencement_article():
    # 2023 version: "2023年11月1日 施行" in the header, "本规定自2019年1月1日起施行" still in 第十一条
    current = law("最高人民法院关于知识产权法庭若干问题的规定(2023-10-21).md")
    assert (current.effective, current.effective_text) == ("2023-11-01", "2023年11月1日 施行")
    assert law("最高人民法院关于知识产权法庭若干问题的规定(2018-12-28).md").effective == "2019-01-01"


def test_a_document_that_says_nothing_gives_nothing():
    # re-adopted in 2020 without a 施行 line, and no 自…起施行 in its text
    silent = law("最高人民法院关于人民法院对注册商标权进行财产保全的解释(2020-12-29).md")
    assert (silent.effective, silent.effective_text, silent.expires) == ("", "", "")
    notice = read_lifecycle("三门峡市人民政府关于加快实施知识产权战略的意见", [],
                            paragraphs("002_d612a12ae481ae56.txt"), date="2014-11-30")
    assert notice == Lifecycle((), "", "", "", "", (), (), ())


def test_in_force_on_the_day_of_publication_or_issue():
    # 本条例自发布之日起施行; the header's "…令第202号发布" gives the day
    assert law("特殊标志管理条例(1996-07-13).md").effective == "1996-07-13"
    # 本办法自颁布之日起施行; "…令第17号公布"
    assert law("集成电路布图设计行政执法办法(2001-11-28).md").effective == "2001-11-28"


def test_the_day_of_publication_is_never_guessed():
    _, body = law_parts("特殊标志管理条例(1996-07-13).md")
    unknown = read_lifecycle("特殊标志管理条例", [], body)
    assert (unknown.effective, unknown.effective_text) == ("", "本条例自发布之日起施行。")


def test_an_order_naming_the_document_by_title_says_when_it_takes_effect():
    page = (RAW_DOCS / "gov.cn_content_5341736_专利代理条例.fragment.html").read_text(encoding="utf-8")
    lines = [line.strip() for line in html.unescape(TAG.sub("\n", page)).split("\n") if line.strip()]
    order = next(line for line in lines if "现将修订后的《专利代理条例》公布" in line)
    # 《专利代理条例》已经…修订通过，现将修订后的《专利代理条例》公布，自2019年3月1日起施行。
    assert read_lifecycle("专利代理条例", [], [order]).effective == "2019-03-01"
    assert read_lifecycle("商标法实施条例", [], [order]).effective == ""  # not its own title


# -- history: approval, events, two events on one line -----------------------------------------

def test_zhengzhou_regulation_was_approved_by_the_provincial_standing_committee():
    zhengzhou = law("郑州市专利促进和保护条例(2009-09-01).md")
    assert zhengzhou.to_dict() == {
        "events": [
            {"date": "2009-06-25", "kind": "通过", "text": "2009年6月25日 郑州市第十三届人民代表大会常务委员会第三次会议通过"},
            {"date": "2009-07-31", "kind": "批准", "text": "2009年7月31日 河南省第十一届人民代表大会常务委员会第十次会议批准"},
        ],
        "effective": "2009-10-01", "effective_text": "本条例自2009年10月1日起施行。",
        "expires": "", "expires_text": "", "repeals": [], "amends": [],
        "approved_by": ["河南省人民代表大会常务委员会"],
    }


def test_approval_named_twice_is_listed_once():
    # 2003 "…浙江省…批准" and 2012 "…浙江省…批准的《宁波市…决定》修正"
    ningbo = law("宁波市专利管理条例(2012-04-09).md")
    assert ningbo.approved_by == ("浙江省人民代表大会常务委员会",)
    assert ningbo.events[-1].kind == "修正"  # the approved decision amended it
    # "…山东省…第十一次会议批准修订": a revision, approved
    zibo = law("淄博市专利管理若干规定(2014-12-01).md")
    assert (zibo.approved_by, zibo.events[-1].kind) == (("山东省人民代表大会常务委员会",), "修订")


def test_one_history_line_with_two_dates_gives_two_events():
    assert [(e.date, e.kind) for e in law("河南省反不正当竞争条例(2010-07-30).md").events] == [
        ("1994-12-27", "通过"), ("1997-05-23", "修正"), ("2010-07-30", "修正"),
    ]
    # "A会议、2004年11月11日B会议通过": both meetings adopted it
    joint = law("最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释(2004-12-08).md")
    assert joint.events[:2] == (
        Event("2004-11-02", "通过", "2004年11月2日 最高人民法院审判委员会第1331次会议"),
        Event("2004-11-11", "通过", "2004年11月11日最高人民检察院第十届检察委员会第28次会议通过"),
    )


# -- what it repeals and amends ---------------------------------------------------------------

def test_the_decision_amends_each_of_its_eighteen_interpretations_once():
    header, body = law_parts(DECISION)
    decision = read_lifecycle(header.title, header.history, body, header.date, header.published)
    sections = [re.search(r"修改《(.+)》$", p).group(1) for p in body if re.match(r"^[一二三四五六七八九十]+、修改《", p)]
    assert len(sections) == 18
    assert [r.title for r in decision.amends] == sections
    assert {r.verb for r in decision.amends} == {"amends"}
    assert (decision.effective, decision.repeals) == ("2021-01-01", ())
    # without its header, the decision's own closing sentence (outside every quotation) gives the date
    bare = read_lifecycle(header.title, [], body)
    assert (bare.effective, bare.effective_text) == ("2021-01-01", "本决定自2021年1月1日起施行。")


def test_only_a_decision_to_amend_amends():
    patent_law = law("专利法(2020-10-17).md")
    assert (patent_law.amends, patent_law.effective) == ((), "1985-04-01")


def test_a_regulation_repeals_the_one_it_replaces():
    assert [r.title for r in law("山东省专利条例(2013-08-01).md").repeals] == ["山东省专利保护条例"]
    assert [(r.title, r.doc_number) for r in law("最高人民法院关于审理侵害信息网络传播权民事纠纷案件适用法律若干问题的规定(2020-12-29).md").repeals] == [
        ("最高人民法院关于审理涉及计算机网络著作权纠纷案件适用法律若干问题的解释", "法释〔2006〕11号"),
    ]


# -- expiry -----------------------------------------------------------------------------------

# No document in raw_docs/ or /work/shared/corpus states a 有效期 of its own; the real sentences
# with 有效期 are about registrations and marks, which must not read as the document's expiry.
@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("知识产权海关保护条例(2018-03-19).md", "知识产权海关保护备案自海关总署准予备案之日起生效，有效期为10年。"),
        ("商标法实施条例(2014-04-29).md", "有效期自国际注册日或者后期指定日起算。"),
        ("专利法实施细则(2010-01-09).md", "在专利权有效期限内"),
    ],
)
def test_a_validity_of_something_else_is_not_the_documents_expiry(name, sentence):
    header, body = law_parts(name)
    assert any(sentence in p for p in body)
    found = read_lifecycle(header.title, header.history, body, header.date, header.published)
    assert (found.expires, found.expires_text) == ("", "")


def test_a_term_of_years_ends_the_day_before_its_anniversary():
    assert _years_after("2020-01-01", "5") == "2024-12-31"
    assert _years_after("2021-03-03", "三") == "2024-03-02"
    assert _years_after("2020-02-29", "一") == "2021-02-28"
    assert _years_after("", "5") == ""  # no effective date to count from


# -- malformed input ---------------------------------------------------------------------------

def test_malformed_input_returns_an_empty_lifecycle():
    empty = Lifecycle((), "", "", "", "", (), (), ())
    assert read_lifecycle("", [], []) == empty
    assert read_lifecycle("《", ["《" * 1000], ["《" * 100_000]) == empty
    first_line = paragraphs("000_66ce048e690a739c.txt")[0]
    long_line = (first_line * (100_000 // len(first_line) + 1))[:100_000]
    assert read_lifecycle("通知", [], [long_line]) == empty
    as_history = read_lifecycle("通知", [long_line], [])  # dated words become events, none says 施行
    assert (as_history.effective, as_history.approved_by) == ("", ())
