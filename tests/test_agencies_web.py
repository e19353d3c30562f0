"""Tests for web/agencies.py: the directory page, an agency's page, its JSON, its CSV, and the 404 that points on."""
from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import quote, unquote

import pytest

from search.agencydir import directory
from search.searching import search
from search.synonyms import expand_agency

ROLE_ORDER = ("lead", "responsible", "cooperate")
ROLE_TEXT = {"lead": "牵头", "responsible": "负责", "cooperate": "配合", "other": "其他"}


def _json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return response.get_json()


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _clauses(data: dict) -> list[dict]:
    return [c for doc in data["documents"] for c in doc["clauses"]]


def _facet(searchable, name: str, filters: dict | None = None) -> dict[str, int]:
    return {v.value: v.count for v in search(searchable, "", filters=filters or {}).facets[name]}


# -- the directory ---------------------------------------------------------------------------------


def test_the_directory_lists_every_agency_of_the_index_with_its_count(client, searchable):
    data = _json(client, "/api/agencies")
    counts = _facet(searchable, "agency")
    listed = {e["canonical"]: e for f in data["families"] for e in f["entries"]}
    assert data["unlisted"] == [] and data["entries"] == len(listed) == len(directory().entries())
    assert {name: listed[name]["clauses"] for name in counts} == counts
    assert data["in_index"] == len(counts)
    for f in data["families"]:
        assert f["clauses"] == sum(e["clauses"] for e in f["entries"])
        assert {e["family"] for e in f["entries"]} == {f["family"]}


def test_the_directory_page_groups_each_family(client, searchable):
    page = _html(client, "/agencies")
    assert '</api/agencies>; rel="alternate"' in client.get("/agencies").headers["Link"]
    sections = re.findall(r'<section class="agencies-family" id="family-\d+".*?</section>', page, re.S)
    assert len(sections) == len({e.family for e in directory().entries()})
    finance = next(s for s in sections if ">财政 <" in s)
    assert [html.unescape(n) for n in re.findall(r'id="entry-([^"]+)"', finance)] == ["财政部", "财政厅", "财政局"]
    counts = _facet(searchable, "agency")
    for name, n in counts.items():  # each agency of the index links its page, with its count
        link = f'<a class="agencies-name" href="/agency/{quote(name)}">{html.escape(name)}</a>'
        assert link in page, name
        entry = page[page.index(link):]
        assert re.match(rf".*?<span class=\"count\">{n} 条", entry, re.S), name


def test_a_link_of_the_directory_leads_to_the_agency_page(client):
    page = _html(client, "/agencies")
    href = re.search(r'<a class="agencies-name" href="(/agency/[^"]+)">质量技术监督局</a>', page).group(1)
    target = _html(client, href)
    assert "质量技术监督局：牵头、配合、负责的条款" in target


def test_a_former_name_says_where_its_duties_went(client):
    page = _html(client, "/agencies")
    entry = re.search(r'<li class="agencies-entry agencies-former" id="entry-工商行政管理局">.*?</li>', page, re.S).group(0)
    assert "2018年起职责划入" in entry and 'href="#entry-市场监督管理局"' in entry
    assert "又称：工商局" in entry


# -- an agency's page ------------------------------------------------------------------------------


def test_each_clause_counts_once_and_the_counts_add_up(client, searchable):
    data = _json(client, "/api/agency/" + quote("市场监管局"))
    included = set(expand_agency("市场监督管理局"))
    clauses = _clauses(data)
    assert data["canonical"] == "市场监督管理局"
    assert data["total"] == len(clauses) == search(searchable, "", filters={"agency": ["市场监督管理局"]}).total
    assert sum(data["roles"].values()) == data["total"]
    for c in clauses:
        mine = [a["role"] for a in c["agencies"] if a["canonical"] in included]
        assert c["role"] == next((r for r in ROLE_ORDER if r in mine), "other"), c["clause_id"]
    # Counting each name and role as the page used to would count some clauses more than once.
    assert sum(len(c["roles"]) for c in clauses) > data["total"]
    assert any(len({a["role"] for a in c["roles"]}) > 1 for c in clauses)
    for doc in data["documents"]:
        assert doc["count"] == len(doc["clauses"]) == sum(doc["roles"].values())


def test_the_page_says_which_names_it_includes(client, searchable):
    data = _json(client, "/api/agency/" + quote("市场监管局"))
    facet = _facet(searchable, "agency", {"agency": ["市场监督管理局"]})
    assert [i["name"] for i in data["includes"]] == list(expand_agency("市场监督管理局"))
    assert {i["name"]: i["clauses"] for i in data["includes"]} == {n: facet.get(n, 0) for n in expand_agency("市场监督管理局")}
    relation = {i["name"]: i["relation"] for i in data["includes"]}
    assert relation == {"市场监督管理局": "self", "工商行政管理局": "former", "质量技术监督局": "former", "知识产权局": "under"}
    page = html.unescape(_html(client, "/agency/" + quote("市场监管局")))
    assert "本页包括" in page and "旧称（已并入本机关）" in page and "由本机关管理，仍是独立机关" in page
    assert "每条条款只计一次" in page  # the counting rule is stated
    assert f'<strong class="total">{data["total"]}</strong>' in page
    for role in ROLE_ORDER:
        assert f'{ROLE_TEXT[role]} <strong>{data["roles"][role]}</strong>' in page


def test_each_clause_shows_each_agency_with_its_own_role(client):
    data = _json(client, "/api/agency/" + quote("市场监管局"))
    page = _html(client, "/agency/" + quote("市场监管局"))
    lists = re.findall(r'<ul class="agency-roles"[^>]*>(.*?)</ul>', page, re.S)
    clauses = _clauses(data)
    assert len(lists) == len(clauses)
    for c, listed in zip(clauses, lists):
        items = re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)
        assert len(items) == len({a["canonical"] for a in c["agencies"]}), c["clause_id"]
        for item in items:
            name = re.search(r"<(?:strong|a)[^>]*>([^<]+)</(?:strong|a)>", item).group(1)
            roles = re.search(r"<small>(.*?)</small>", item).group(1).split("、")
            expected = {a["role"] for a in c["agencies"] if a["canonical"] == name}
            assert {k for k, v in ROLE_TEXT.items() if v in roles} == expected and len(roles) == len(set(roles))
    assert "负责 负责" not in page and "负责负责" not in page


def test_a_filter_by_level_or_region_narrows_the_page(client, searchable):
    whole = _json(client, "/api/agency/" + quote("知识产权局"))
    for key in ("level", "region"):
        option = whole["options"][key][-1]
        data = _json(client, f"/api/agency/{quote('知识产权局')}?{key}={quote(option['value'])}")
        expected = search(searchable, "", filters={"agency": ["知识产权局"], key: [option["value"]]}).total
        assert data["total"] == option["count"] == expected < whole["total"] == data["all_total"]
        assert data["filters"] == {key: [option["value"]]}
        for c in _clauses(data):
            assert (c["level"] == option["value"]) if key == "level" else (option["value"] in c["region"])
    page = _html(client, f"/agency/{quote('知识产权局')}?level={quote('国家')}")
    assert 'aria-current="true">☑ 国家' in page and 'class="agency-clear"' in page
    assert f'?level={quote("国家")}>; rel="alternate"' in client.get(f"/agency/{quote('知识产权局')}?level={quote('国家')}").headers["Link"]


def test_a_bad_level_is_refused_in_chinese(client):
    data = _json(client, f"/api/agency/{quote('知识产权局')}?level=province", 400)
    assert data["code"] == "bad_filter" and "层级只能是国家、省、市、县" in data["error"]


def test_counts_by_year_and_by_document(client):
    data = _json(client, "/api/agency/" + quote("知识产权局"))
    years = {}
    for c in _clauses(data):
        years[c["year"]] = years.get(c["year"], 0) + 1
    assert {y["year"]: y["count"] for y in data["by_year"]} == years
    dates = [d["date"] for d in data["documents"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 1
    page = _html(client, "/agency/" + quote("知识产权局"))
    assert page.count('class="agency-doc"') == len(data["documents"])
    for doc in data["documents"]:
        assert f'href="#doc-{doc["doc_id"]}"' in page and f'{doc["count"]} 条' in page


def test_an_alias_or_a_place_is_folded(client):
    assert _json(client, "/api/agency/" + quote("省知识产权局"))["canonical"] == "知识产权局"
    assert _json(client, "/api/agency/" + quote("发改委"))["canonical"] == "发展改革委"
    old = _json(client, "/api/agency/" + quote("国家工商行政管理总局"))  # a name only the directory knows
    assert old["canonical"] == "工商总局" and old["entry"]["successors"] == ["市场监管总局"]
    assert {i["name"]: i["relation"] for i in old["includes"]}["市场监管总局"] == "successor"


def test_the_page_points_to_who_manages_the_agency(client):
    related = {r["canonical"]: r for r in _json(client, "/api/agency/" + quote("知识产权局"))["related"]}
    manager = related["市场监督管理局"]
    assert manager["relation"] == "manages"
    assert manager["clauses"] == _json(client, "/api/agency/" + quote("市场监督管理局"))["total"]


def test_a_former_agency_page_points_to_its_successor(client):
    page = _html(client, "/agency/" + quote("工商行政管理局"))
    assert "2018年起</dt><dd>职责划入 <a href=\"/agency/" + quote("市场监督管理局") in page


# -- not found -------------------------------------------------------------------------------------


def test_an_agency_no_clause_names_points_to_its_family(client, searchable):
    counts = _facet(searchable, "agency")
    data = _json(client, "/api/agency/" + quote("财政局"), 404)
    assert data["code"] == "agency_not_found"
    assert data["error"].startswith("没有条款给“财政局”分配任务；您是不是要找：财政厅（省）、财政部（国家）")
    page = _html(client, "/agency/" + quote("财政局"), 404)
    assert 'class="error-message"' in page and "（404）" in page
    links = re.findall(r'<li><a href="/agency/([^"]+)">([^<]+)</a>\s*<span class="level">([^<]+)</span> '
                       r'<span class="count">(\d+) 条</span>', page)
    assert [(unquote(href), name, level, int(n)) for href, name, level, n in links] == [
        ("财政厅", "财政厅", "省", counts["财政厅"]), ("财政部", "财政部", "国家", counts["财政部"])]
    assert _html(client, "/agency/" + quote("财政厅")).count('class="agency-doc"') > 0


def test_a_name_like_nothing_gets_a_plain_404(client):
    data = _json(client, "/api/agency/" + quote("没有这个机关"), 404)
    assert data == {"error": "没有条款给“没有这个机关”分配任务。", "code": "agency_not_found", "status": 404}
    assert _json(client, "/api/agency/%20", 404)["error"].startswith("请在网址中写上机关名称")


def test_a_name_is_escaped_on_the_404_page(client):
    page = _html(client, "/agency/" + quote("<b>局"), 404)
    message = re.search(r'<p class="error-message">(.*?)</p>', page, re.S).group(1)
    assert "<b>" not in page and "没有条款给“&lt;b&gt;局”" in message


# -- CSV -------------------------------------------------------------------------------------------


def test_the_csv_has_chinese_headers_and_a_row_per_clause(client):
    data = _json(client, "/api/agency/" + quote("市场监管局"))
    response = client.get("/agency/" + quote("市场监管局") + ".csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["X-Total-Count"] == str(data["total"])
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["文件", "文号", "地区", "层级", "年份", "条款", "角色", "引文", "链接"]
    clauses = _clauses(data)
    assert len(rows) - 1 == len(clauses) == data["total"]
    for row, c in zip(rows[1:], clauses):
        record = dict(zip(rows[0], row))
        assert record["角色"] == ROLE_TEXT[c["role"]] and record["引文"] == c["citation"]
        assert record["层级"] == c["level"] and record["地区"] == "、".join(c["region"])
        assert c["text"] in record["条款"] and record["链接"].endswith(f"/doc/{c['doc_id']}#{c['clause_id']}")


def test_the_csv_keeps_the_page_filters(client, searchable):
    response = client.get(f"/agency/{quote('知识产权局')}.csv?level={quote('国家')}")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    expected = search(searchable, "", filters={"agency": ["知识产权局"], "level": ["国家"]}).total
    assert len(rows) == expected > 0 and {r["层级"] for r in rows} == {"国家"}


def test_an_unknown_agency_has_no_csv(client):
    response = client.get("/agency/" + quote("财政局") + ".csv")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/agencies", "/agency/" + quote("知识产权局"), "/agency/" + quote("财政局")])
def test_the_pages_carry_no_inline_style_or_script(client, url):
    page = client.get(url).get_data(as_text=True)
    assert " style=" not in page and "<script>" not in page
