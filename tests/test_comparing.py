"""Tests for search.comparing and web.comparing: how other places worded the same task, on the seeds of raw_docs/."""
from __future__ import annotations

import html
import re

import pytest

from search import settings
from search.comparing import NATIONAL, compare_tasks, compare_text, wording_similarity
from search.errors import ClauseNotFound, FilterError, QuerySyntaxError
from search.ingest import ingest
from search.searching import get_document
from web.views import ROLE_LABELS

from conftest import RAW_DOCS

# Tasks of 黑龙江 (the seed 004_…), by the end of their clause ids:
# item 30: 商标 to be cultivated — 著名商标, 驰名商标, 地理标志证明商标 (工商局 and five more responsible)
TRADEMARK_TASK = "p3.s2.i30"
# item 31: 国际商标注册 and the 商标品牌 of the province (issue 14's 商标品牌 pair, with 河南 2022 (十五))
BRAND_TASK = "p3.s2.i31"
# item 36: 专利证券化 and a 运营 centre (金融办 leads); the State Council's 自贸区 notice has 证券化 too
SECURITISATION_TASK = "p4.s1.i36"


@pytest.fixture(scope="module")
def heilongjiang(seed) -> str:
    """The id of the 黑龙江 seed's document."""
    return seed("heilongjiang").id


@pytest.fixture(scope="module")
def task(heilongjiang):
    """A 黑龙江 task's clause id."""
    return lambda suffix: f"{heilongjiang}-{suffix}"


def clause(doc, clause_id):
    [found] = [c for c in doc.clauses if c.id == clause_id or c.id.endswith("-" + clause_id)]
    return found


def matches(comparison):
    """Every match, most similar first (across places)."""
    return sorted((m for p in comparison.places for m in p.matches), key=lambda m: -m.shared.similarity)


# -- the library ------------------------------------------------------------------------


def test_a_heilongjiang_trademark_task_finds_henan_and_sanmenxia_first(searchable, seed, task):
    comparison = compare_tasks(searchable, task(TRADEMARK_TASK))
    origin = comparison.clause
    assert "商标" in origin.ip_types
    first = matches(comparison)[:3]
    assert {m.hit.doc_id for m in first} == {seed("henan2009").id, seed("henan2022").id, seed("sanmenxia").id}
    for m in first:  # on the same theme: trademarks, in words both texts hold
        assert "商标" in m.hit.ip_types
        assert any("商标" in p or "地理标志" in p for p in m.shared.phrases), m.hit.clause_id
    assert comparison.places[0].name == "河南省"


def test_the_brand_task_shares_商标品牌_wherever_it_stands(searchable, seed, task):
    comparison = compare_tasks(searchable, task(BRAND_TASK))
    best = matches(comparison)[0]
    assert best.hit.doc_id == seed("henan2022").id and "商标品牌建设" in best.hit.path[-1].heading + best.hit.text
    text = best.hit.text
    spans = [(m.start(), m.end()) for m in re.finditer("商标品牌", text)]
    assert len(spans) > 1 and all(any(s <= a and b <= e for s, e in best.shared.right) for a, b in spans)
    origin_spans = [(m.start(), m.end()) for m in re.finditer("商标品牌", comparison.text)]
    assert origin_spans and all(any(s <= a and b <= e for s, e in best.shared.left) for a, b in origin_spans)


def test_a_pair_scores_the_same_from_either_side(searchable, task):
    one = compare_tasks(searchable, task(BRAND_TASK), limit=settings.SIMILAR_MAX)
    henan = matches(one)[0]
    other = compare_tasks(searchable, henan.hit.clause_id, limit=settings.SIMILAR_MAX)
    [back] = [m for m in matches(other) if m.hit.clause_id == task(BRAND_TASK)]
    assert back.shared.similarity == pytest.approx(henan.shared.similarity)
    assert henan.hit.score == henan.shared.similarity


def test_the_wording_similarity_of_any_two_clauses_is_symmetric(searchable, seed, task):
    # what the similar-clauses page can show in place of a score that differs with the side asked from
    heilongjiang = clause(seed("heilongjiang"), task(BRAND_TASK))
    henan = clause(seed("henan2022"), "p5.s15")
    there = wording_similarity(searchable, heilongjiang.text, henan.text)
    assert there == pytest.approx(wording_similarity(searchable, henan.text, heilongjiang.text)) and 0 < there < 1
    [match] = [m for m in matches(compare_tasks(searchable, task(BRAND_TASK))) if m.hit.clause_id == henan.id]
    assert wording_similarity(searchable, heilongjiang.text, henan.text, skip_task_lists=True) == \
        pytest.approx(match.shared.similarity)


def test_matches_are_grouped_by_place_and_national_documents_are_全国(searchable, task):
    comparison = compare_tasks(searchable, task(SECURITISATION_TASK), limit=settings.SIMILAR_MAX)
    names = [p.name for p in comparison.places]
    assert len(names) == len(set(names)) and NATIONAL in names
    for place in comparison.places:
        assert all(tuple(m.hit.region) == place.region for m in place.matches)
        assert place.name == ("".join(place.region) or NATIONAL)
        scores = [m.shared.similarity for m in place.matches]
        assert scores == sorted(scores, reverse=True)
    best = [p.matches[0].shared.similarity for p in comparison.places]
    assert best == sorted(best, reverse=True)
    [national] = [p for p in comparison.places if p.name == NATIONAL]
    assert all(m.hit.region == () and m.hit.agencies for m in national.matches)


def test_who_leads_each_task(searchable, seed, heilongjiang):
    # From 河南 2009's talent task: 黑龙江's talent tasks, each led by the agency its list names first as 牵头.
    talent = next(c for c in seed("henan2009").clauses if c.heading.startswith("加快知识产权人才培养"))
    comparison = compare_tasks(searchable, talent.id, limit=settings.SIMILAR_MAX)
    led = [m for m in matches(comparison) if m.lead_role == "lead"]
    assert led and all(m.hit.doc_id == heilongjiang for m in led)
    for m in matches(comparison):
        roles = {a.role for a in m.hit.agencies}
        expected = "lead" if "lead" in roles else "responsible" if "responsible" in roles else ""
        assert m.lead_role == expected
        assert m.leads == tuple(a for a in m.hit.agencies if a.role == expected)
        for a in m.leads:  # the agency is named in the clause's own task list
            assert a.name.removeprefix("省") in m.hit.text


def test_only_other_documents_and_tasks_or_policy_measures(searchable, task, heilongjiang):
    comparison = compare_tasks(searchable, task(TRADEMARK_TASK), limit=settings.SIMILAR_MAX)
    assert all(m.hit.doc_id != heilongjiang for m in matches(comparison))
    assert all(m.hit.kind != "preamble" for m in matches(comparison))
    untasked = [m for m in matches(comparison) if not m.hit.agencies]
    assert untasked  # 河南 2022 and 三门峡 name no agency, and are compared
    only = compare_tasks(searchable, task(TRADEMARK_TASK), limit=settings.SIMILAR_MAX, tasks_only=True)
    assert matches(only) and all(m.hit.agencies for m in matches(only))
    assert all(m.leads == () and m.lead_role == "" for m in untasked)


def test_a_pasted_paragraph_finds_its_own_clause_first(searchable, seed):
    measure = next(c for c in seed("sanmenxia").clauses if c.label == "（五）")
    comparison = compare_text(searchable, measure.text)
    assert comparison.clause is None
    best = matches(comparison)[0]
    assert best.hit.clause_id == measure.id and best.shared.similarity == pytest.approx(1.0)


def test_a_pasted_paragraph_must_be_there_and_not_too_long(searchable, seed):
    with pytest.raises(QuerySyntaxError) as empty:
        compare_text(searchable, "  \n ")
    assert empty.value.code == "empty_text" and "粘贴" in str(empty.value)
    long_text = "\n".join(c.text for c in seed("henan2022").clauses)
    assert len(long_text) > settings.MAX_PASSAGE_CHARS
    with pytest.raises(QuerySyntaxError) as long:
        compare_text(searchable, long_text)
    assert long.value.code == "text_too_long" and str(settings.MAX_PASSAGE_CHARS) in str(long.value)


def test_limit_and_unknown_clause(searchable, task, heilongjiang):
    assert compare_tasks(searchable, task(TRADEMARK_TASK), limit=3).total == 3
    assert compare_tasks(searchable, task(TRADEMARK_TASK), limit=10_000).total <= settings.SIMILAR_MAX
    with pytest.raises(FilterError) as bad:
        compare_tasks(searchable, task(TRADEMARK_TASK), limit="三")
    assert bad.value.code == "bad_number"
    with pytest.raises(ClauseNotFound):
        compare_tasks(searchable, f"{heilongjiang}-p9.s9")


def test_the_json_shape(searchable, task):
    data = compare_tasks(searchable, task(BRAND_TASK)).to_dict()
    assert list(data) == ["clause", "text", "words", "total", "weighed", "tasks_only", "places"]
    assert data["clause"]["clause_id"] == task(BRAND_TASK) and data["total"] == sum(len(p["matches"]) for p in data["places"])
    match = data["places"][0]["matches"][0]
    assert {"similarity", "phrases", "key_phrases", "marks", "origin_marks", "leads", "lead_role"} <= set(match)
    assert set(match["key_phrases"]) <= set(match["phrases"])
    assert all(0 <= s < e <= len(match["text"]) for s, e in match["marks"])
    assert all(0 <= s < e <= len(data["text"]) for s, e in match["origin_marks"])
    assert match["score"] == match["similarity"] and 0 < match["similarity"] <= 1


def test_other_versions_of_the_same_act_are_not_compared(searchable):
    # 专利法实施细则 2010 and 2023: the same act, never "another place's wording" of itself
    doc_id = ingest(RAW_DOCS / "专利法实施细则(2023-12-11).md", root=RAW_DOCS).id
    versions = set(searchable.graph().versions(doc_id))
    assert len(versions) == 2 and doc_id in versions
    article = next(h for h in get_document(searchable, doc_id) if h.kind == "article" and len(h.text) > 40)
    comparison = compare_tasks(searchable, article.clause_id, limit=settings.SIMILAR_MAX)
    assert not {m.hit.doc_id for m in matches(comparison)} & versions


# -- the web pages -----------------------------------------------------------------------


def test_the_page_marks_shared_wording_and_says_who_leads(client, task):
    response = client.get(f"/clause/{task(BRAND_TASK)}/compare")
    assert response.status_code == 200
    assert f'</api/clause/{task(BRAND_TASK)}/compare>; rel="alternate"' in response.headers["Link"]
    page = response.get_data(as_text=True)
    assert re.search(r'<mark class="same">[^<]*商标品牌[^<]*</mark>', page)
    data = client.get(f"/api/clause/{task(BRAND_TASK)}/compare").get_json()
    for place in data["places"]:
        assert f'<h2 class="place-name" id="place-{data["places"].index(place) + 1}">{place["name"]} ' in page
    everyone = [m for place in data["places"] for m in place["matches"]]
    led = [m for m in everyone if m["leads"]]
    assert led and any(not m["leads"] for m in everyone)
    for m in led:  # 负责：<a …>省人力资源和社会保障厅</a>、…
        role = ROLE_LABELS[m["lead_role"]]
        assert re.search(f'{role}：<a [^>]*>{re.escape(m["leads"][0]["name"])}</a>', page), m["clause_id"]
    assert page.count("未写明牵头或负责单位") == len(everyone) - len(led)
    assert ">省工商局<small>负责</small>" in page  # the task's own agency and role
    assert '<span class="aside">（省工商局负责）</span>' in page  # who does it: shown, not compared
    assert page.count('id="gbt-') == len(everyone)  # each match offers its GB/T 7714 entry


def test_the_json_twin_is_the_page_dict(client, searchable, task):
    data = client.get(f"/api/clause/{task(TRADEMARK_TASK)}/compare?limit=5").get_json()
    assert data == compare_tasks(searchable, task(TRADEMARK_TASK), limit=5).to_dict()


def test_bad_requests_get_a_chinese_message_and_a_code(client, task, heilongjiang):
    bad_flag = client.get(f"/api/clause/{task(TRADEMARK_TASK)}/compare?tasks_only=maybe")
    assert bad_flag.status_code == 400 and bad_flag.get_json()["code"] == "bad_flag"
    assert client.get("/api/clause/not-an-id/compare").get_json()["code"] == "clause_not_found"
    missing = client.get(f"/clause/{heilongjiang}-p9.s9/compare")
    assert missing.status_code == 404 and "条款" in missing.get_data(as_text=True)
    assert client.get(f"/api/clause/{task(TRADEMARK_TASK)}/compare?limit=x").get_json()["code"] == "bad_number"


def test_the_paste_form(client, seed):
    assert client.get("/compare").status_code == 200
    measure = next(c for c in seed("sanmenxia").clauses if c.label == "（五）")
    page = client.post("/compare", data={"text": measure.text})
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="comparison"') >= 1
    data = client.post("/api/compare", data={"text": measure.text, "limit": "3"}).get_json()
    assert data["clause"] is None and data["total"] == 3
    assert data["places"][0]["matches"][0]["clause_id"] == measure.id


def test_an_empty_or_too_long_paste_is_refused_in_chinese(client, seed):
    empty = client.post("/compare", data={"text": ""})
    assert empty.status_code == 400 and "请粘贴要比较的段落" in empty.get_data(as_text=True)
    assert client.post("/api/compare", data={"text": " "}).get_json()["code"] == "empty_text"
    long_text = "\n".join(c.text for c in seed("henan2022").clauses)[:settings.MAX_PASSAGE_CHARS + 1]
    refused = client.post("/compare", data={"text": long_text})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f"最多 {settings.MAX_PASSAGE_CHARS} 个" in body
    assert html.escape(long_text[:60], quote=False) in body  # kept in the form, to be shortened
    assert client.post("/api/compare", data={"text": long_text}).get_json()["code"] == "text_too_long"


def test_a_pasted_script_is_escaped(client, seed):
    # A real measure with a tag spliced in: the one synthetic twist.
    measure = next(c for c in seed("sanmenxia").clauses if c.label == "（五）")
    text = measure.text.replace("品牌经营", "品牌<script>alert(1)</script>经营", 1)
    body = client.post("/compare", data={"text": text}).get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
