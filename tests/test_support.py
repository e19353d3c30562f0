"""Tests for search.support and web/support.py: the clauses that grant a benefit, read from the bundled documents."""
from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import SEED_FILES
from search.errors import FilterError
from search.ingest import document_id
from search.searching import get_clause, get_document, search
from search.support import Measure, _amount_key, _vocabulary, kind_words, query_words, read_grant, support_measures
from search.text.numerals import to_int
from web import support as support_pages

LUOSHAN = document_id(SEED_FILES["luoshan"])
SANMENXIA = document_id(SEED_FILES["sanmenxia"])
HENAN_2022 = document_id(SEED_FILES["henan2022"])


@pytest.fixture(scope="module")
def measures(searchable):
    """Every support measure of the bundled documents, by clause id."""
    page = support_measures(searchable)
    return {m.clause_id: m for m in page.measures}


def _clause(searchable, doc_id: str, label: str):
    return next(u for u in get_document(searchable, doc_id) if u.label.strip("()（） ") == label.strip("()（） "))


def test_every_benefit_word_is_found_by_the_candidate_search():
    words = query_words()
    for kind, kind_vocabulary in kind_words().items():
        for word in kind_vocabulary:
            assert any(w in word for w in words), f"{kind}: {word} holds no search word"


def test_the_luoshan_rewards_come_out_with_their_amounts(searchable, measures):
    clause = _clause(searchable, LUOSHAN, "十")
    m = measures[clause.clause_id]
    assert m.text == clause.text and m.doc_id == LUOSHAN and m.level == "县" and m.region[-1] == "罗山县"
    assert m.status == get_clause(searchable, clause.clause_id).status and "第（十）项" in m.citation
    assert "奖励" in m.kinds and {"企业", "个人"} <= set(m.beneficiaries) and "发明专利" in m.ip_targets
    for per, written in (("件", r"每件一次性奖励\s*([0-9.]+)\s*万元"), ("项", r"每项奖励\s*([0-9.]+)\s*万元")):
        wan = re.search(written, m.text)
        (amount,) = [a for a in m.amounts if a.per == per]
        assert amount.text in m.text and m.text[amount.span[0]:amount.span[1]] == amount.text
        assert amount.value == float(wan.group(1)) * 10_000 and amount.unit == "元"
    respective = re.search(r"分别一次性奖励\s*([0-9.]+)\s*万元、\s*([0-9.]+)\s*万元", m.text)
    assert {float(respective.group(1)) * 10_000, float(respective.group(2)) * 10_000} <= {a.value for a in m.amounts}
    assert m.readable and m.largest == max(a.value for a in m.amounts)


# The support articles of the local 专利 regulations of raw_docs: (file, article, words of it, a kind it grants).
LOCAL_SUPPORT = [
    ("河南省专利保护条例(2005-12-02).md", "第四条", "设立专利奖", "奖励"),
    ("河南省专利保护条例(2005-12-02).md", "第六条", "奖金最低不少于", "奖励"),
    ("河南省专利保护条例(2005-12-02).md", "第八条", "可以申请政府财政资金资助", "资助"),
    ("洛阳市专利促进与保护条例(2013-01-15).md", "第九条", "应当设立专利专项资金", "专项资金"),
    ("洛阳市专利促进与保护条例(2013-01-15).md", "第十四条", "贷款贴息", "贴息"),
    ("郑州市专利促进和保护条例(2009-09-01).md", "第七条", "应当设立专利专项资金", "专项资金"),
    ("郑州市专利促进和保护条例(2009-09-01).md", "第十条", "优先扶持", "优先"),
    ("宁波市专利管理条例(2012-04-09).md", "第五条", "设立专利专项资金", "专项资金"),
    ("宁波市专利管理条例(2012-04-09).md", "第十一条", "奖金最低不少于", "奖励"),
    ("青岛市专利保护规定(2011-11-25).md", "第四条", "用于资助本市的单位和个人", "资助"),
    ("山东省专利条例(2013-08-01).md", "第九条", "应当设立专项资金", "专项资金"),
    ("山东省专利条例(2013-08-01).md", "第十三条", "专利权质押贷款", "质押融资"),
    ("浙江省专利条例(2015-09-25).md", "第十条", "给予必要的补助", "补助"),
    ("重庆市专利促进与保护条例(2011-11-29).md", "第七条", "设立专利专项资金", "专项资金"),
    ("淄博市专利管理若干规定(2014-12-01).md", "第五条", "应当设立专项资金", "专项资金"),
    ("北京市专利保护和促进条例.md", "第二十九条", "设立专利奖", "奖励"),
    ("北京市专利保护和促进条例.md", "第四十二条", "质押贷款和风险补偿", "质押融资"),
]


@pytest.mark.parametrize("file,label,words,kind", LOCAL_SUPPORT)
def test_the_support_articles_of_local_patent_regulations_come_out(searchable, measures, file, label, words, kind):
    clause = _clause(searchable, document_id(file), label)
    assert words in clause.text
    m = measures[clause.clause_id]
    assert kind in m.kinds and m.text == clause.text and m.level in ("省", "市")


def test_a_floor_per_patent_is_read_from_the_regulation(searchable, measures):
    m = measures[_clause(searchable, document_id("宁波市专利管理条例(2012-04-09).md"), "第十一条").clause_id]
    written = re.findall(r"奖金最低不少于([一二三四五六七八九十百千万]+)元", m.text)
    assert [(a.value, a.per, a.floor) for a in m.amounts] == [(float(to_int(w)), "项", True) for w in written]
    assert "个人" in m.beneficiaries and "单位" not in m.beneficiaries  # the 单位 pays its inventors


def test_the_rates_of_a_list_belong_to_the_grant_that_opens_it(searchable, measures):
    m = measures[_clause(searchable, document_id("促进科技成果转化法(2015-08-29).md"), "第四十五条").clause_id]
    written = re.findall(r"不低于百分之([一二三四五六七八九十]+)", m.text)
    assert [a.value for a in m.amounts if a.unit == "%"] == [float(to_int(w)) for w in written]


def test_goals_preambles_and_penalties_are_no_measures(searchable, measures):
    goals = _clause(searchable, LUOSHAN, "二")
    assert "主要目标" in goals.heading + goals.text and read_grant(goals.text) is None
    assert goals.clause_id not in measures
    # 河南 2009: 专利申请量、授权量、每百万人拥有量年增长幅度高于全国平均水平
    growth = search(searchable, '"年增长幅度"', per_page=50).hits
    assert growth and not {h.clause_id for h in growth} & set(measures)
    for seed in SEED_FILES.values():
        for unit in get_document(searchable, document_id(seed)):
            if unit.kind == "preamble":
                assert unit.clause_id not in measures, unit.text[:40]
    for words in ('"骗取"', '"报酬纠纷"', '"有奖销售"', '"罚款"'):
        hits = search(searchable, words, per_page=100).hits
        assert hits and not {h.clause_id for h in hits} & set(measures), words


def test_a_goal_sum_in_a_measure_is_not_its_amount(searchable, measures):
    clause = _clause(searchable, LUOSHAN, "八")  # 建立知识产权质押融资风险补偿机制……到 2030 年……融资额累计达 5000 万元
    goal = float(re.search(r"累计达\s*([0-9]+)\s*万元", clause.text).group(1)) * 10_000
    m = measures[clause.clause_id]
    assert "质押融资" in m.kinds and goal not in {a.value for a in m.amounts}
    # 河南 2022: 全省专利质押融资金额累计超过140亿元 (a goal), ……质押融资额达105.5亿元 under 规划背景 (a look back)
    for hit in search(searchable, '"质押融资"', per_page=100).hits:
        if hit.doc_id == HENAN_2022 and re.search(r"[0-9.]+亿元", hit.text):
            assert hit.clause_id not in measures, hit.text[:60]


@pytest.mark.parametrize("place", ["三门峡", "罗山县"])
def test_a_place_gives_its_own_its_provinces_and_national_measures(searchable, measures, place):
    page = support_measures(searchable, place=place)
    chain = set(page.place)
    expected = {cid for cid, m in measures.items() if set(m.region) <= chain}
    assert {m.clause_id for m in page.measures} == expected and page.total == len(expected)
    levels = {m.level for m in page.measures}
    assert {"国家", "省", "市" if place == "三门峡" else "县"} <= levels
    own = SANMENXIA if place == "三门峡" else LUOSHAN
    other = LUOSHAN if place == "三门峡" else SANMENXIA
    docs = {m.doc_id for m in page.measures}
    assert own in docs and other not in docs


def test_a_bad_place_is_refused_in_chinese(searchable):
    with pytest.raises(FilterError) as caught:
        support_measures(searchable, place="火星")
    assert caught.value.code == "bad_place" and "火星" in str(caught.value)


def test_an_ip_type_narrows_and_ip_general_adds_ip_as_a_whole(searchable, measures):
    patents = support_measures(searchable, ip_type="专利")
    general = support_measures(searchable, ip_type="专利", ip_general=True)
    assert patents.measures and all("专利" in m.ip_types for m in patents.measures)
    ids, wider = {m.clause_id for m in patents.measures}, {m.clause_id for m in general.measures}
    assert ids < wider <= set(measures)
    assert all(set(m.ip_types) & {"专利", "综合"} for m in general.measures)
    assert "专利" in patents.ip_type_options and "综合" in patents.ip_type_options


def test_sort_by_amount_puts_the_largest_sum_first_and_none_last(searchable, measures):
    page = support_measures(searchable, sort="amount")
    assert {m.clause_id for m in page.measures} == set(measures)
    groups = [_amount_key(m)[0] for m in page.measures]
    assert groups == sorted(groups)
    largest = [m.largest for m in page.measures if m.largest is not None]
    assert largest == sorted(largest, reverse=True) and largest[0] == max(m.largest or 0 for m in measures.values())


def test_sort_by_date_is_newest_first(searchable):
    dates = [m.date for m in support_measures(searchable, sort="date").measures if m.date]
    assert dates == sorted(dates, reverse=True)


def test_limit_cuts_the_list_and_says_so(searchable, measures):
    page = support_measures(searchable, limit=3)
    assert len(page.measures) == 3 and page.total == len(measures) and page.truncated
    with pytest.raises(FilterError):
        support_measures(searchable, sort="biggest")


def test_an_amount_that_cannot_be_read_keeps_the_clause_listed_last(searchable, measures):
    # The Luoshan sentence as an OCR'd scrape writes it: l for 1, as 北京市实施《种子法》办法 of the scale corpus does.
    clause = _clause(searchable, LUOSHAN, "十")
    scanned = clause.text.replace("每件一次性奖励 1 万元", "每件一次性奖励 l 万元")
    grant = read_grant(scanned)
    assert grant is not None and not grant.readable and any("万元" in u for u in grant.unread)
    assert 10_000 not in {a.value for a in grant.amounts if a.per == "件"}
    readable = measures[clause.clause_id]
    unreadable = Measure(**{**{f: getattr(readable, f) for f in readable.__dataclass_fields__},
                            "amounts": grant.amounts, "readable": False, "unread": grant.unread, "text": scanned})
    ranked = sorted([unreadable, *measures.values()], key=_amount_key)
    assert ranked[-1] is unreadable and unreadable.to_dict()["text"] == scanned


def test_the_vocabulary_names_every_kind_once():
    voc = _vocabulary()
    assert len(voc.kind_order) == len(set(voc.kind_order)) == 9
    assert {"资助", "奖励", "补贴", "补助", "贴息", "专项资金", "质押融资", "费用减免", "优先"} == set(voc.kind_order)


# -- the pages ------------------------------------------------------------------------------


def test_the_json_is_the_library_page(client, searchable):
    data = client.get("/api/support?place=三门峡&sort=amount").get_json()
    assert data == support_measures(searchable, place="三门峡", sort="amount").to_dict()
    assert data["place"] == ["河南省", "三门峡市"] and data["measures"][0]["amounts"]


def test_the_page_shows_cards_with_amounts_place_status_and_links(client, searchable, measures):
    response = client.get("/support?place=罗山县")
    assert response.status_code == 200 and "/api/support?place=" in response.headers["Link"]
    html = response.get_data(as_text=True)
    page = support_measures(searchable, place="罗山县")
    assert f'<strong class="total">{page.total}</strong>' in html
    assert html.count('class="hit support-card"') == page.total
    clause = _clause(searchable, LUOSHAN, "十")
    assert f'href="/doc/{LUOSHAN}#{clause.clause_id}"' in html
    m = measures[clause.clause_id]
    per_item = next(a for a in m.amounts if a.per == "件")
    assert per_item.text in html and f"每件 {per_item.value:,.0f} 元" in html
    assert 'class="level level-县"' in html and f'class="status status-{m.status}"' in html
    assert 'value="罗山县"' in html


def test_user_text_is_escaped_and_a_bad_place_is_a_chinese_400(client):
    response = client.get("/support?place=<script>alert(1)</script>")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "不认识的地点" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    error = client.get("/api/support?place=火星")
    assert error.status_code == 400 and error.get_json()["code"] == "bad_place"
    assert client.get("/api/support?ip_general=maybe").get_json()["code"] == "bad_flag"
    assert client.get("/api/support?limit=many").get_json()["code"] == "bad_number"


def test_the_csv_has_chinese_headers_a_bom_and_a_row_per_measure(client, searchable, measures):
    response = client.get("/support.csv?place=罗山县&sort=amount")
    body = response.get_data()
    assert response.status_code == 200 and body.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(rows[0]) == support_pages.CSV_FIELDS
    page = support_measures(searchable, place="罗山县", sort="amount")
    assert len(rows) - 1 == page.total == int(response.headers["X-Total-Count"])
    first = dict(zip(rows[0], rows[1]))
    top = page.measures[0]
    assert first["引文"] == top.citation and first["链接"].endswith(f"/doc/{top.doc_id}#{top.clause_id}")
    assert all(a.text in first["金额"] for a in top.amounts) and first["层级"] == top.level
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
