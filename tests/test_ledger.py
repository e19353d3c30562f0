"""The task ledger: every clause giving agencies work, with their roles and time limits, from the library and the web."""
from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import urlparse

import pytest

from search.errors import FilterError
from search.ledger import LEDGER_FIELDS, ROLE_LABELS, first_sentence, ledger, write_csv
from search.models import ROLES
from search.searching import get_clause, get_document, search

from conftest import RAW_DOCS, SEED_FILES
from web.pages import spreadsheet_safe

# A Heilongjiang task ends with who does it: （省国资委牵头，省工信委、知识产权局、教育厅、科技厅配合）
# or （省编办、知识产权局、工商局、新闻出版广电局按职责分别负责）.
ASSIGNMENT = re.compile(r"（(?P<who>[^（）]*(?:负责|牵头)[^（）]*)）\s*$", re.M)
LEAD_PART = re.compile(r"^(?P<names>[^，]*)牵头")
COOPERATE_PART = re.compile(r"牵头，(?P<names>[^，]*)配合")
RESPONSIBLE_PART = re.compile(r"(?:^|，)(?P<names>[^，]*?)(?:按职责分别)?负责$")  # （哈尔滨海关牵头，省公安厅负责） too


def _tasks_of(index, doc_id: str) -> list:
    return [u for u in get_document(index, doc_id) if u.agencies]


def _bare(name: str) -> str:
    """The name as a list in the text writes it after its first item: 省知识产权局 → 知识产权局."""
    return name.removeprefix("省")


@pytest.fixture(scope="module")
def heilongjiang(searchable):
    return ledger(searchable, filters={"region": ["黑龙江省"]})


@pytest.fixture(scope="module")
def henan2009(searchable):
    return ledger(searchable, filters={"region": ["河南省"], "year": ["2009"]})


def test_the_heilongjiang_ledger_holds_every_task_of_the_seed_with_its_lead(searchable, seed, heilongjiang):
    raw = (RAW_DOCS / SEED_FILES["heilongjiang"]).read_text(encoding="utf-8")
    assigned = ASSIGNMENT.findall(raw)
    assert len(heilongjiang.rows) == heilongjiang.total == len(assigned) == 60  # the count, from the text
    doc_id = seed("heilongjiang").id
    assert [r.clause_id for r in heilongjiang.rows] == [u.clause_id for u in _tasks_of(searchable, doc_id)]
    assert not heilongjiang.truncated and heilongjiang.exact_total == heilongjiang.total
    for row in heilongjiang.rows:
        who = ASSIGNMENT.search(row.text).group("who")
        lead = LEAD_PART.search(who)
        if lead:  # （X牵头，…配合）: X is the lead, the others cooperate
            assert row.names("lead") and all(_bare(n) in lead.group("names") for n in row.names("lead")), row.where
            cooperate = COOPERATE_PART.search(who)
            if cooperate and "领导小组" not in cooperate.group("names"):  # 60.: 领导小组其他各成员单位 is no agency
                assert row.names("cooperate"), row.where
                assert all(_bare(n) in cooperate.group("names") for n in row.names("cooperate")), row.where
        else:  # （X、Y按职责分别负责）
            assert not row.names("lead") and not row.names("cooperate")
        responsible = RESPONSIBLE_PART.search(who)
        assert bool(responsible) == bool(row.names("responsible")), row.where
        assert all(_bare(n) in responsible.group("names") for n in row.names("responsible")), row.where
        assert len(row.agencies) <= len(re.split(r"[、，]", who))  # a name listed twice is one agency


def test_role_counts_add_up(heilongjiang, henan2009):
    for result in (heilongjiang, henan2009):
        roles = result.roles
        assert set(roles) == set(ROLES)
        assert sum(roles.values()) == sum(len(r.agencies) for r in result.rows)
        for role in ROLES:
            assert roles[role] == sum(len(r.names(role)) for r in result.rows)
        data = result.to_dict()
        assert data["roles"] == roles and data["listed"] == len(data["rows"])
        for row in data["rows"]:
            assert len(row["agencies"]) == sum(len(row[role]) for role in ROLES)
            assert all(a["role_label"] == ROLE_LABELS[a["role"]] for a in row["agencies"])


def test_the_henan_2009_ledger_names_each_agency_as_the_text_does(searchable, seed, henan2009):
    doc_id = seed("henan2009").id
    assert {r.doc_id for r in henan2009.rows} == {doc_id}
    assert [r.clause_id for r in henan2009.rows] == [u.clause_id for u in _tasks_of(searchable, doc_id)]
    for row in henan2009.rows:
        assert "负责落实" in row.text, row.where  # 由省知识产权局、工商局…负责落实
        for agency in row.agencies:
            assert _bare(agency.name) in row.text, (row.where, agency)
        for name in row.names("lead"):  # 由省编办牵头负责落实
            assert re.search(re.escape(_bare(name)) + "牵头", row.text), row.where
    assert any(row.names("lead") and row.names("responsible") for row in henan2009.rows)


def test_each_row_says_where_the_task_is_and_links_it(searchable, heilongjiang, henan2009):
    for row in (*heilongjiang.rows, *henan2009.rows):
        assert row.permalink == f"/clause/{row.clause_id}"
        assert row.where == "".join(step.label for step in row.path) + row.label
        hit = get_clause(searchable, row.clause_id)
        assert row.task == (hit.heading or first_sentence(hit.text))  # the heading, or the first sentence
        assert (row.title, row.doc_number, row.region, row.citation) == (hit.title, hit.doc_number, hit.region,
                                                                          hit.citation)


def test_a_task_without_a_heading_is_named_by_its_first_sentence(searchable, heilongjiang):
    untitled = [r for r in heilongjiang.rows if not get_clause(searchable, r.clause_id).heading]
    assert untitled
    for row in untitled:
        assert row.text.startswith(row.task)
        rest = row.text[len(row.task):]
        assert row.task[-1] in "。；;！!？?" or not rest or rest.startswith("\n")
        assert not re.search(r"[。；;！!？?]", row.task[:-1])


def test_time_limits_come_from_the_clause_text(searchable):
    everything = ledger(searchable)
    assert not everything.truncated and len(everything.rows) == everything.total
    recurring = 0
    for row in everything.rows:
        for d in row.deadlines:
            assert d.text in row.text or d.text in row.task, (row.where, d)
            if d.recurring:
                recurring += 1
                assert d.year is None
    # 力争每年审定新品种100个左右 (Heilongjiang): a yearly task; 定期召开全体成员会议: a regular one
    yearly = next(r for r in everything.rows if "力争每年审定新品种" in r.text)
    assert [(d.text, d.recurring) for d in yearly.deadlines] == [("每年", True)]
    regular = next(r for r in everything.rows if "定期召开全体成员会议" in r.text)
    assert ("定期", True) in [(d.text, d.recurring) for d in regular.deadlines]
    # 办理定期存款业务 (the free trade zones' notice): a deposit, no time limit
    deposit = next(r for r in everything.rows if "定期存款" in r.text)
    assert deposit.deadlines == ()
    assert recurring >= 2


def test_a_limit_cuts_the_rows_not_the_counts(searchable, heilongjiang):
    cut = ledger(searchable, filters={"region": ["黑龙江省"]}, limit=5)
    assert [r.clause_id for r in cut.rows] == [r.clause_id for r in heilongjiang.rows[:5]]
    assert cut.total == heilongjiang.total and cut.truncated
    assert cut.facets == heilongjiang.facets


def test_facets_count_tasks_each_with_the_other_filters(searchable, heilongjiang, henan2009):
    facets = {name: {v.value: v.count for v in values} for name, values in heilongjiang.facets.items()}
    assert facets["region"]["黑龙江省"] == heilongjiang.total
    # the region facet is counted without its own filter: ticking 河南省 too would add its tasks
    assert facets["region"]["河南省"] == ledger(searchable, filters={"region": ["河南省"]}).total
    assert heilongjiang.clauses == search(searchable, "", filters={"region": ["黑龙江省"]}).total > heilongjiang.total
    # an agency counts once per task, however many of its names the task gives
    for canonical, count in facets["agency"].items():
        assert count == sum(1 for r in heilongjiang.rows if canonical in {a.canonical for a in r.agencies})
    # the year facet of Henan's 2009 tasks lists every year of Henan's tasks, newest first
    years = [v.value for v in henan2009.facets["year"]]
    henan = ledger(searchable, filters={"region": ["河南省"]})
    assert years == sorted({str(r.year) for r in henan.rows}, reverse=True)


def test_a_query_keeps_the_tasks_holding_every_word_first(searchable):
    asked = ledger(searchable, "专利奖励怎么申请")  # a question: every task found by its words' ranking
    assert asked.exact_total <= asked.total
    exact = [r.exact for r in asked.rows]
    assert exact == sorted(exact, reverse=True)
    words = ledger(searchable, "专利")
    assert words.total and words.exact_total == words.total
    assert all("专利" in r.text or "专利" in r.title or "专利" in r.task for r in words.rows)


def test_a_place_keeps_its_own_tasks_and_the_national_ones(searchable, heilongjiang):
    everything = ledger(searchable)
    placed = ledger(searchable, place="黑龙江")
    assert placed.place == ("黑龙江省",)
    national = [r.clause_id for r in everything.rows if not r.region]
    assert national and sorted(r.clause_id for r in placed.rows) == sorted(
        national + [r.clause_id for r in heilongjiang.rows])
    assert placed.to_dict()["place"] == ["黑龙江省"]
    assert all(cells["region"] in ("全国", "黑龙江省") for cells in (r.cells() for r in placed.rows))


def test_bad_filters_are_the_searchs_errors(searchable):
    with pytest.raises(FilterError) as caught:
        ledger(searchable, filters={"year": ["二〇一六"]})
    assert caught.value.code == "bad_year"
    with pytest.raises(FilterError):
        ledger(searchable, filters={"colour": ["红"]})


def test_csv_has_the_chinese_headers_and_one_row_per_task(heilongjiang):
    out = io.StringIO()
    write_csv(heilongjiang, out, base_url="http://example.org/")
    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table[0] == list(LEDGER_FIELDS.values()) == ["文件", "文号", "地区", "层级", "年份", "条款", "任务", "牵头单位",
                                                        "配合单位", "负责单位", "知识产权类型", "完成时限", "引文", "链接"]
    assert len(table) == 1 + len(heilongjiang.rows)
    column = {label: i for i, label in enumerate(table[0])}
    for cells, row in zip(table[1:], heilongjiang.rows):
        assert cells[column["牵头单位"]] == "、".join(row.names("lead"))
        assert cells[column["负责单位"]] == "、".join(row.names("responsible"))
        assert cells[column["链接"]] == f"http://example.org/clause/{row.clause_id}"
        assert cells[column["完成时限"]] == "；".join(d.text for d in row.deadlines)


# -- the web pages (the blueprint web.ledger) ------------------------------------------------


def test_the_json_is_the_librarys_ledger(client, heilongjiang):
    response = client.get("/api/ledger?region=黑龙江省")
    assert response.status_code == 200
    assert response.get_json() == heilongjiang.to_dict()
    assert "service-desc" in response.headers["Link"]


def test_the_page_shows_every_task_with_each_agency_and_its_role(client, heilongjiang):
    response = client.get("/ledger?region=黑龙江省")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '</api/ledger?region=' in response.headers["Link"] and 'rel="alternate"' in response.headers["Link"]
    assert page.count('class="ledger-row"') == heilongjiang.total
    assert f'<strong class="total">{heilongjiang.total}</strong>' in page
    for row in heilongjiang.rows:
        tr = page[page.index(f'id="task-{row.clause_id}"'):]
        tr = tr[:tr.index("</tr>")]
        for agency in row.agencies:  # each name with its own role, never a bare role
            assert re.search(rf'<li class="ledger-agency ledger-{agency.role}"><a href="[^"]+">{re.escape(agency.name)}</a>'
                             rf'<span class="ledger-role role-{agency.role}">{ROLE_LABELS[agency.role]}</span></li>', tr), \
                (row.where, agency)
        assert f'href="/clause/{row.clause_id}"' in tr
    assert not re.search(r"(负责|牵头|配合)</span>\s*<span class=\"ledger-role", page)


def test_the_page_facets_lead_to_the_ledger(client):
    page = client.get("/ledger?region=黑龙江省").get_data(as_text=True)
    section = page[page.index('data-facet="region"'):]
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)"', section[:section.index("</section>")])]
    assert links and all(urlparse(link).path == "/ledger" for link in links)
    henan = next(link for link in links if "%E6%B2%B3%E5%8D%97" in link)  # 河南省: ticked too
    both = client.get(henan.split("#")[0]).get_data(as_text=True)
    assert both.count('class="ledger-row"') == ledger_total(client, "region=黑龙江省&region=河南省")
    chips = re.findall(r'<a class="chip-remove" href="([^"]+)"', both)
    assert len(chips) == 2 and all(urlparse(html.unescape(c)).path == "/ledger" for c in chips)


def ledger_total(client, query: str) -> int:
    return client.get(f"/api/ledger?{query}").get_json()["total"]


def test_the_place_field_and_its_chip_stay_on_the_ledger(client):
    page = client.get("/ledger?place=黑龙江").get_data(as_text=True)
    assert 'id="ledger-place"' in page and 'value="黑龙江"' in page
    assert page.count('class="ledger-row"') == ledger_total(client, "place=黑龙江")
    chip = html.unescape(re.search(r'<a class="chip-remove" href="([^"]+)"[^>]*适用地点', page).group(1))
    assert urlparse(chip).path == "/ledger" and "place" not in urlparse(chip).query


def test_the_csv_download_is_excel_ready(client, heilongjiang):
    response = client.get("/ledger.csv?region=黑龙江省")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode("utf-8"))
    assert response.headers["X-Total-Count"] == str(heilongjiang.total)
    assert response.headers["X-Export-Truncated"] == "false"
    assert "attachment" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == list(LEDGER_FIELDS.values())
    assert len(table) == 1 + heilongjiang.total
    for cells, row in zip(table[1:], heilongjiang.rows):
        expected = row.cells("http://localhost/")
        assert cells == [spreadsheet_safe(expected[name]) for name in LEDGER_FIELDS]


def test_user_text_is_escaped_and_bad_input_is_a_clear_400(client):
    page = client.get("/ledger?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    bad = client.get("/api/ledger?year=二〇一六")
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_year" and "年份" in bad.get_json()["error"]
    assert client.get("/ledger?year=二〇一六").status_code == 400
    assert client.post("/ledger").status_code == 405
