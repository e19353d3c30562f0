"""Searching the index of raw_docs/: real queries, facets, filters, highlights, phrases, bad input."""
from __future__ import annotations

import random

import pytest

from search.analysis import normalize
from search.ingest import document_id
from search.errors import ClauseNotFound, FilterError, QuerySyntaxError
from search.searching import FACETS, get_document, search, similar

from conftest import SEED_FILES

SEED_SOURCES = set(SEED_FILES.values())


def _all_hits(index, q, **kw):
    first = search(index, q, per_page=100, **kw)
    hits = list(first.hits)
    page = 2
    while len(hits) < first.total:
        more = search(index, q, per_page=100, page=page, **kw).hits
        assert more, f"page {page} of {q!r} is empty although {first.total} clauses match"
        hits += more
        page += 1
    assert len({h.clause_id for h in hits}) == len(hits) == first.total, "pages overlap or miss clauses"
    return first, hits


def test_pledge_financing_finds_the_financing_clauses_first(searchable):
    page = search(searchable, "质押融资", per_page=5)
    assert page.total >= 5
    assert all("质押融资" in h.text or "质押融资" in h.heading for h in page.hits)
    assert {h.title for h in page.hits[:3]} & {"罗山县人民政府关于进一步加强知识产权工作的实施意见",
                                                "河南省知识产权局关于印发河南省知识产权创造保护运用“十四五”规划的通知"}


@pytest.mark.parametrize("q,title,label", [
    ("专利导航", "罗山县人民政府关于进一步加强知识产权工作的实施意见", "（七）"),
    ("商业秘密 保密措施", "最高人民法院关于审理侵犯商业秘密民事案件适用法律若干问题的规定", None),
    ("地理标志 农产品", None, None),
    ("维权援助", None, None),
])
def test_real_queries_rank_the_expected_clause_first(searchable, q, title, label):
    hit = search(searchable, q).hits[0]
    words = q.split()
    assert all(w in normalize(hit.heading + hit.text) for w in words)
    if title:
        assert hit.title == title
    if label:
        assert hit.label == label


@pytest.mark.parametrize("typed", ["三政〔2014〕61号", "三政[2014]61号", "三政(2014)61号", "三政【2014】61号", "三政（2014）61号"])
def test_a_doc_number_in_any_brackets_finds_its_document(searchable, typed):
    page, hits = _all_hits(searchable, typed)
    assert page.total == 29
    assert {h.title for h in hits} == {"三门峡市人民政府关于加快实施知识产权战略的意见"}


def test_copyright_finds_banquan_clauses(searchable):
    _, hits = _all_hits(searchable, "著作权")
    assert any("版权" in h.text and "著作权" not in h.text for h in hits)


def test_law_name_and_article_go_to_the_article(searchable):
    page = search(searchable, "专利法第二十条")
    first = page.hits[0]
    assert (first.title, first.label) == ("中华人民共和国专利法", "第二十条")
    assert first.citation == "《中华人民共和国专利法》第二十条"


def test_citation_names_the_paragraph_that_matched(searchable):
    # 专利法第二十条: 第一款 诚实信用原则…; 第二款 滥用专利权，排除或者限制竞争，构成垄断行为的…
    assert search(searchable, "专利法第二十条").hits[0].citation == "《中华人民共和国专利法》第二十条"
    monopoly = search(searchable, "专利法第二十条 垄断").hits[0]
    assert monopoly.citation == "《中华人民共和国专利法》第二十条第二款"
    good_faith = search(searchable, "专利法第二十条 诚实信用").hits[0]
    assert good_faith.citation == "《中华人民共和国专利法》第二十条第一款"


def test_law_name_ranks_that_law_first(searchable):
    page = search(searchable, "专利法", per_page=20)
    assert all(h.title == "中华人民共和国专利法" for h in page.hits)
    assert search(searchable, "中华人民共和国专利法").hits[0].title == "中华人民共和国专利法"


def test_citation_of_a_policy_clause(searchable):
    hit = next(h for h in search(searchable, "推进名优产品培育").hits if h.label == "（五）")
    assert hit.citation == "《三门峡市人民政府关于加快实施知识产权战略的意见》（三政〔2014〕61号）第（五）项"


def exact_total(page) -> int:
    """Return how many hits of a search hold every word (the ranked reading's follow them)."""
    return page.relaxed.exact_total if page.relaxed else page.total


def test_exclusion_and_or(searchable):
    trademarks = search(searchable, "商标")
    without = search(searchable, "商标 -驰名商标")
    assert 0 < without.total < trademarks.total
    _, hits = _all_hits(searchable, "商标 -驰名商标")
    assert not any("驰名商标" in normalize(h.heading + h.text) for h in hits)
    either = exact_total(search(searchable, "专利 OR 商标 质押"))
    patent, trademark = exact_total(search(searchable, "专利 质押")), exact_total(search(searchable, "商标 质押"))
    assert max(patent, trademark) <= either <= patent + trademark


def test_facet_counts_add_up_and_filters_narrow(searchable):
    page = search(searchable, "知识产权")
    assert list(page.facets) == [*(f.name for f in FACETS), "status"]
    assert sum(v.count for v in page.facets["level"]) == page.total  # one level per clause
    assert sum(v.count for v in page.facets["ip_type"]) >= page.total  # several types per clause
    province = next(v for v in page.facets["level"] if v.value == "省")
    narrowed = search(searchable, "知识产权", filters={"level": ["省"]})
    assert narrowed.total == province.count
    assert all(h.level == "省" for h in narrowed.hits)
    # a facet is counted with the other filters only: its own values stay visible
    assert {v.value for v in narrowed.facets["level"]} == {v.value for v in page.facets["level"]}
    both = search(searchable, "知识产权", filters={"level": ["省", "县"]})
    county = next(v for v in page.facets["level"] if v.value == "县")
    assert both.total == province.count + county.count


def test_year_filter_single_and_range(searchable):
    page = search(searchable, "知识产权")
    by_year = {v.value: v.count for v in page.facets["year"]}
    assert search(searchable, "知识产权", filters={"year": ["2021"]}).total == by_year["2021"]
    ranged = search(searchable, "知识产权", filters={"year": ["2020-2022"]}).total
    assert ranged == sum(by_year.get(str(y), 0) for y in (2020, 2021, 2022))


def test_ip_type_and_agency_filters(searchable):
    page = search(searchable, "", filters={"ip_type": ["商标"], "year": ["2021"]})
    assert page.total > 0 and all("商标" in h.ip_types and h.year == 2021 for h in page.hits)
    led = search(searchable, "", filters={"agency": ["知识产权局"]})
    assert led.total > 0
    assert all(any(a.canonical == "知识产权局" for a in h.agencies) for h in led.hits)


def test_browse_mode_shows_the_whole_collection(searchable, bundled):
    page = search(searchable, "")
    assert page.total == searchable.searcher.doc_count()  # every clause in the index
    assert page.hits[0].date >= page.hits[-1].date


def test_sort_by_date_and_paging(searchable):
    first = search(searchable, "专利", sort="date", per_page=10)
    dates = [h.date for h in first.hits]
    assert dates == sorted(dates, reverse=True)
    second = search(searchable, "专利", sort="date", per_page=10, page=2)
    assert not {h.clause_id for h in first.hits} & {h.clause_id for h in second.hits}


def test_one_hit_per_document(searchable):
    page = search(searchable, "专利", one_per_doc=True, per_page=100)
    docs = [h.doc_id for h in page.hits]
    assert len(docs) == len(set(docs)) == page.total
    clauses = search(searchable, "专利").total
    assert sum(1 + h.others_in_doc for h in page.hits) == clauses


def test_highlights_mark_words_and_escape_everything_else(searchable):
    hit = search(searchable, "质押融资").hits[0]
    assert "<mark>质押融资</mark>" in hit.highlight
    phrase = search(searchable, '"保护中心"').hits[0]
    assert "<mark>保护中心</mark>" in phrase.highlight
    assert "<" not in phrase.highlight.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.slow
def test_exact_phrases_match_a_brute_force_scan(searchable):
    reader = searchable.searcher.reader()
    units = {stored["clause_id"]: normalize(stored.get("heading", "") + "\n" + stored.get("text", ""))
             for _, stored in reader.iter_docs()}
    texts = [t for t in units.values() if len(t) > 12]
    rng = random.Random(20261123)
    # one character too: it may stand only at a text's end, where no bigram begins with it
    phrases = {"保护中心", "专利权质押", "知识产权质押融资", "商标品牌", "罚", texts[0][-1]}
    while len(phrases) < 300:
        text = rng.choice(texts)
        size = rng.randint(1, 8)
        start = rng.randrange(0, len(text) - size)
        candidate = text[start:start + size]
        if '"' not in candidate and candidate.strip() == candidate and candidate.strip():
            phrases.add(candidate)
    for phrase in sorted(phrases):
        _, hits = _all_hits(searchable, f'"{phrase}"')
        expected = {cid for cid, text in units.items() if normalize(phrase) in text}
        assert {h.clause_id for h in hits} == expected, phrase


def test_phrase_over_the_seeds(searchable):
    _, hits = _all_hits(searchable, '"专利权质押"')
    seeds = {document_id(name) for name in SEED_SOURCES}
    assert hits and not {h.doc_id for h in hits} & seeds
    _, centre = _all_hits(searchable, '"保护中心"')
    assert centre and all("保护中心" in normalize(h.heading + h.text) for h in centre)


def test_similar_clauses_come_from_other_documents(searchable):
    origin_hit = next(h for h in search(searchable, "商标品牌", per_page=20).hits if h.title.startswith("河南省知识产权局"))
    origin, hits, versions = similar(searchable, origin_hit.clause_id, limit=5)
    assert versions == ()  # a provincial office's opinion has no other version here
    assert origin.clause_id == origin_hit.clause_id
    assert hits and all(h.doc_id != origin.doc_id for h in hits)
    assert all(0 < h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    with pytest.raises(ClauseNotFound):
        similar(searchable, "no-such-clause")


def test_document_in_reading_order(searchable):
    hit = search(searchable, "三政〔2014〕61号").hits[0]
    clauses = get_document(searchable, hit.doc_id)
    assert len(clauses) == 29
    assert [c.label for c in clauses][:3] == ["", "一、", "二、"]


@pytest.mark.parametrize("q", ['"未闭合的引号', "-", "专利 OR", "x" * 10_000, "\x00\x07专利", "title:专利", "*", "专利 AND", "((", "?"])
def test_malformed_queries_give_a_clear_error_or_a_sensible_reading(searchable, q):
    try:
        page = search(searchable, q)
    except QuerySyntaxError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert page.total >= 0


def test_bad_filters_are_named(searchable):
    with pytest.raises(FilterError, match="年份筛选“twenty”"):
        search(searchable, "专利", filters={"year": ["twenty"]})
    with pytest.raises(FilterError, match="不认识的筛选项“colour”"):
        search(searchable, "专利", filters={"colour": ["red"]})
    with pytest.raises(FilterError, match="不认识的排序方式“random”"):
        search(searchable, "专利", sort="random")


def test_page_and_per_page_are_capped(searchable):
    page = search(searchable, "专利", per_page=10_000, page=-3)
    assert page.page == 1 and page.per_page == 100


def test_page_numbers_as_a_request_writes_them_are_read_and_capped_by_the_search(searchable):
    assert (search(searchable, "专利", page=" 2 ", per_page="5").page, search(searchable, "专利", per_page="5").per_page) == (2, 5)
    assert search(searchable, "专利", page="", per_page="").per_page == 10  # empty: the default
    assert search(searchable, "专利", page="99999999").page == 1000
    with pytest.raises(FilterError, match="page 应为整数，收到的是“二”"):
        search(searchable, "专利", page="二")
    with pytest.raises(FilterError, match="per_page 应为整数"):
        search(searchable, "专利", per_page="1e3")


def test_similar_caps_its_limit_and_names_a_bad_one(searchable):
    clause_id = search(searchable, "质押融资").hits[0].clause_id
    assert len(similar(searchable, clause_id, limit="500")[1]) == 50
    assert len(similar(searchable, clause_id, limit=0)[1]) == 1
    with pytest.raises(FilterError, match="limit 应为整数"):
        similar(searchable, clause_id, limit="ten")


# --- what applies in a place -------------------------------------------------------------------


@pytest.mark.parametrize("place,chain", [
    ("三门峡", ("河南省", "三门峡市")), ("三门峡市", ("河南省", "三门峡市")),
    ("三门峡市湖滨区", ("河南省", "三门峡市", "湖滨区")), ("罗山县", ("河南省", "信阳市", "罗山县")), ("河南", ("河南省",)),
])
def test_a_place_keeps_its_documents_and_those_of_every_level_above(searchable, place, chain):
    page = search(searchable, "", place=place, one_per_doc=True, per_page=100)
    assert page.place == chain and page.total == len(page.hits)
    for hit in page.hits:
        assert set(hit.region) <= set(chain), f"{hit.title} ({'、'.join(hit.region)}) applies elsewhere"
    levels = {h.level for h in page.hits}
    assert "国家" in levels and "省" in levels
    everything = search(searchable, "", one_per_doc=True, per_page=100)
    assert {h.doc_id for h in everything.hits if set(h.region) <= set(chain)} == {h.doc_id for h in page.hits}


def test_a_city_sees_its_own_document_the_province_and_the_nation(searchable):
    page = search(searchable, "知识产权", place="三门峡", one_per_doc=True, per_page=100)
    assert {"市", "省", "国家"} <= {h.level for h in page.hits}
    assert any(h.title.startswith("三门峡市") for h in page.hits)
    assert not any("郑州" in h.title or "罗山" in h.title for h in page.hits)
    assert sum(v.count for v in page.facets["level"]) == search(searchable, "知识产权", place="三门峡").total


def test_a_place_no_gazetteer_knows_is_a_clear_error(searchable):
    with pytest.raises(FilterError, match="不认识的地点") as caught:
        search(searchable, "专利", place="火星")
    assert caught.value.code == "bad_place"


def test_a_short_province_name_filters_as_the_full_one(searchable):
    assert search(searchable, "", filters={"region": ["河南"]}).total == \
        search(searchable, "", filters={"region": ["河南省"]}).total > 0


def test_the_general_ip_switch_adds_the_clauses_on_ip_as_a_whole(searchable):
    patent = search(searchable, "质押融资", filters={"ip_type": ["专利"]})
    wider = search(searchable, "质押融资", filters={"ip_type": ["专利"]}, ip_general=True)
    general = search(searchable, "质押融资", filters={"ip_type": ["综合"]})
    assert wider.total > patent.total and wider.total <= patent.total + general.total
    assert {t for h in wider.hits for t in h.ip_types} & {"专利", "综合"}
    assert search(searchable, "质押融资", ip_general=True).total == search(searchable, "质押融资").total
