"""Status, versions, 新旧对照 and the 依据/引用 graph as the web shows them: pages, JSON API and the CLI."""
from __future__ import annotations

import html
import json
import re

from click.testing import CliRunner

from conftest import SEED_FILES
from search.cli import cli
from search.ingest import document_id
from web import views
from web.graphsvg import neighbours_svg

RULES_2010 = document_id("专利法实施细则(2010-01-09).md")
RULES_2023 = document_id("专利法实施细则(2023-12-11).md")
PATENT_LAW = document_id("专利法(2020-10-17).md")
SANMENXIA = document_id(SEED_FILES["sanmenxia"])
ZHENGZHOU = document_id("郑州市专利促进和保护条例(2009-09-01).md")


def _get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:400]
    return response


def test_the_old_version_page_says_it_was_revised_and_links_the_new_one(client):
    page = _get(client, f"/doc/{RULES_2010}").get_data(as_text=True)
    assert '<span class="status status-已被修订">已被修订</span>' in page
    assert f'href="/doc/{RULES_2023}"' in page
    assert f'href="/doc/{RULES_2010}/diff/{RULES_2023}"' in page  # 新旧对照 from the versions list
    assert "（2010年版）" in page and "（2023年修订）" in page


def test_a_law_page_lists_its_history_and_who_cites_it(client):
    page = _get(client, f"/doc/{PATENT_LAW}").get_data(as_text=True)
    history = page[page.index('id="history-heading"'):]
    assert "1984-03-12" in history and "第四次修正" in history
    cited = page[page.index('class="relation-list relation-cited_by"'):]
    assert f'href="/doc/{RULES_2023}#' in cited
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="graph"' in page
    # an article cited by other documents says so, and by which clauses
    assert re.search(r'<details class="cited-by"><summary>被引用 \d+ 处</summary>', page)


def test_a_policy_page_names_what_it_rests_on_even_when_we_lack_it(client):
    page = _get(client, f"/doc/{SANMENXIA}").get_data(as_text=True)
    rests = page[page.index('class="relation-list relation-rests_on"'):]
    assert "《河南省知识产权战略纲要》" in rests and "本库未收录" in rests
    assert "豫政〔2013〕60号" in rests


def test_the_status_as_of_a_day_is_in_the_url(client):
    page = _get(client, f"/doc/{RULES_2023}?as_of=2015-06-01").get_data(as_text=True)
    assert '<span class="status status-尚未生效">尚未生效</span>' in page
    assert 'value="2015-06-01"' in page
    bad = _get(client, f"/doc/{RULES_2023}?as_of=yesterday", 400).get_data(as_text=True)
    assert "无法识别" in bad


def test_the_relations_json_is_the_page_dict(app, client):
    data = _get(client, f"/api/doc/{RULES_2010}/relations?as_of=2026-12-01").get_json()
    with app.test_request_context():
        assert data == views.relations_page(RULES_2010, "2026-12-01")
    assert data["status"]["value"] == "已被修订" and data["next"] == RULES_2023
    assert [v["doc_id"] for v in data["versions"]] == [RULES_2010, RULES_2023]
    document = _get(client, f"/api/doc/{RULES_2010}?as_of=2026-12-01").get_json()
    assert document["relations"] == data
    error = _get(client, "/api/doc/0000000000/relations", 404).get_json()
    assert error["code"] == "document_not_found" and "没有编号" in error["error"]


def test_search_has_a_status_facet_a_badge_per_hit_and_an_as_of_day(client):
    page = _get(client, "/?q=" + "专利法实施细则").get_data(as_text=True)
    assert 'data-facet="status"' in page and "效力状态" in page
    assert '<span class="status status-已被修订">已被修订</span>' in page
    assert 'name="as_of" type="date"' in page
    then = _get(client, "/api/search?q=专利法实施细则&status=尚未生效&as_of=2015-06-01&one_per_doc=1").get_json()
    assert then["as_of"] == "2015-06-01" and RULES_2023 in {h["doc_id"] for h in then["hits"]}
    assert {h["status"] for h in then["hits"]} == {"尚未生效"}
    bad = _get(client, "/api/search?q=专利&status=有效", 400).get_json()
    assert bad["code"] == "bad_status" and "效力状态" in bad["error"]


def test_the_diff_page_and_json_show_the_articles_added_in_2023(client):
    data = _get(client, f"/api/doc/{RULES_2010}/diff/{RULES_2023}").get_json()
    assert data["counts"]["added"] >= 20 and data["new_meta"]["version_label"] == "（2023年修订）"
    added = [a for a in data["articles"] if a["change"] == "added"]
    assert any("专利权期限补偿" in a["new_text"] for a in added)
    page = _get(client, f"/doc/{RULES_2010}/diff/{RULES_2023}").get_data(as_text=True)
    assert "新旧对照" in page and "<ins>" in page and "<del>" in page
    missing = _get(client, f"/api/doc/{RULES_2010}/diff/0000000000", 404).get_json()
    assert "0000000000" in missing["error"], "the message names the document it lacks"
    swapped = _get(client, f"/api/doc/{RULES_2023}/diff/{RULES_2010}").get_json()
    assert (swapped["old_id"], swapped["new_id"]) == (RULES_2010, RULES_2023), "the older version goes first"
    assert (swapped["old_date"], swapped["new_date"]) == ("2010-01-09", "2023-12-11")
    apart = _get(client, f"/api/doc/{RULES_2010}/diff/{PATENT_LAW}", 400).get_json()
    assert apart["code"] == "not_versions" and "不是同一法规的两个版本" in apart["error"]


def test_similar_clauses_show_the_other_version_in_its_own_group(client):
    article = next(c for c in views_doc(client, RULES_2010)["clauses"] if c["label"] == "第十二条")
    page = _get(client, f"/clause/{article['clause_id']}/similar").get_data(as_text=True)
    versions = page[page.index("同一法规的其他版本"):page.index("其他文件的相似条款")]
    assert f'href="/doc/{RULES_2023}#' in versions
    others = page[page.index("其他文件的相似条款"):]
    assert f'/doc/{RULES_2023}#' not in others.split("</ol>")[0]


def test_a_city_law_page_names_the_approving_body_apart(client):
    data = views_doc(client, ZHENGZHOU)
    assert data["metadata"]["issuer"] == ["郑州市人民代表大会常务委员会"]
    assert data["metadata"]["approved_by"] == ["河南省人民代表大会常务委员会"]
    assert "批准机关" in _get(client, f"/doc/{ZHENGZHOU}").get_data(as_text=True)


def test_the_picture_escapes_every_title(app):
    hostile = '<script>alert("x")</script>'
    relations = {"title": hostile, "version_label": "", "status": {"value": "现行有效"},
                 "rests_on": [{"doc_id": None, "title": hostile, "doc_number": "", "version_label": "", "held": False,
                               "verbs": ["依据"]}],
                 "cites": [], "cited_by": [], "versions": []}
    with app.test_request_context():
        svg = str(neighbours_svg(relations))
    assert hostile not in svg and html.escape(hostile[:14], quote=False)[:10] in svg


def test_the_cli_shows_relations_status_and_a_diff(bundled_index):
    index = ["--index", str(bundled_index)]
    shown = CliRunner().invoke(cli, ["relations", RULES_2010, "--as-of", "2026-12-01", *index])
    assert shown.exit_code == 0, shown.output
    assert "已被修订" in shown.stdout and RULES_2023 in shown.stdout
    data = json.loads(CliRunner().invoke(cli, ["relations", SANMENXIA, "--json", *index]).stdout)
    assert any("河南省知识产权战略纲要" in g["title"] for g in data["rests_on"])
    query = CliRunner().invoke(cli, ["query", "专利法实施细则", "--status", "尚未生效", "--as-of", "2015-06-01",
                                     "--json", *index])
    assert {h["status"] for h in json.loads(query.stdout)["hits"]} == {"尚未生效"}
    bad = CliRunner().invoke(cli, ["query", "专利", "--as-of", "someday", *index])
    assert bad.exit_code == 1 and "无法识别" in bad.output and "Traceback" not in bad.output
    diff = CliRunner().invoke(cli, ["diff", RULES_2010, RULES_2023, *index])
    assert diff.exit_code == 0 and "新增" in diff.stdout and "专利权期限补偿" in diff.stdout
    missing = CliRunner().invoke(cli, ["relations", "0000000000", *index])
    assert missing.exit_code == 1 and "没有编号" in missing.output


def views_doc(client, doc_id: str) -> dict:
    return _get(client, f"/api/doc/{doc_id}").get_json()
