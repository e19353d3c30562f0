"""The HTML pages: real content from the bundled index, state in the URL, escaping, error pages."""
import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, quote, urlparse

import pytest

from conftest import RAW_DOCS, SEED_FILES
from search.searching import get_document, search
from search.validity import STATUSES
from web import create_app
from web.index import close_index

LUOSHAN_CLAUSE = "2797ba83d9-p2.s8"
LUOSHAN_DOC = "2797ba83d9"


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _page_post(client, url: str, data: dict, status: int = 200) -> str:
    response = client.post(url, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _total(page: str) -> int:
    return int(re.search(r'<strong class="total">(\d+)</strong>', page).group(1))


def _links(page: str, css_class: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'<a class="{css_class}" href="([^"]+)"', page)]


def _facet_link(page: str, facet: str, value: str) -> tuple[str, int]:
    """Return the toggle link and count of a facet value in the sidebar."""
    section = page[page.index(f'data-facet="{facet}"'):]
    m = re.search(rf'<a href="([^"]+)"[^>]*>\s*<span class="check"[^>]*>.</span>\s*'
                  rf'<span class="facet-label">{re.escape(value)}</span>\s*<span class="count">(\d+)</span>', section)
    assert m, f"no facet value {facet}={value}"
    return html.unescape(m.group(1)), int(m.group(2))


def test_search_shows_clauses_with_highlights_and_facet_counts(client):
    page = _page(client, "/?q=质押融资")
    assert 'lang="zh-CN"' in page
    assert "罗山县人民政府关于进一步加强知识产权工作的实施意见" in page
    assert "<mark>质押融资</mark>" in page
    assert "罗政〔2021〕28号" in page
    assert re.search(r'<span class="path-step">二、促进知识产权创造运用</span>', page)  # the clause's path
    assert 'data-facet="region"' in page and _facet_link(page, "region", "河南省")[1] == 6
    assert 'class="copy-button"' in page and 'data-copy-target="cite-' in page
    assert f'href="/clause/{LUOSHAN_CLAUSE}/similar"' in page
    assert f'href="/doc/{LUOSHAN_DOC}?q=%E8%B4%A8%E6%8A%BC%E8%9E%8D%E8%B5%84#{LUOSHAN_CLAUSE}"' in page


def test_html_search_links_its_json_twin(client):
    response = client.get("/?q=质押融资&level=省")
    link = response.headers["Link"]
    assert link.startswith("</api/search?q=") and 'rel="alternate"; type="application/json"' in link
    twin = link[1:link.index(">")]
    assert f'href="{html.escape(twin)}"' in response.get_data(as_text=True)
    assert client.get(twin).get_json()["filters"] == {"level": ["省"]}


def test_clicking_a_facet_narrows_and_its_chip_removes_it(client, searchable):
    page = _page(client, "/?q=质押融资")
    url, count = _facet_link(page, "level", "县")
    narrowed = _page(client, url)
    assert _total(narrowed) == count < _total(page)
    assert search(searchable, "质押融资", filters={"level": ["县"]}).total == count
    chips = _links(narrowed, "chip-remove")
    assert len(chips) == 1
    assert _total(_page(client, chips[0])) == _total(page)


def test_several_values_of_one_facet_widen(client):
    one = _page(client, "/?level=县")
    url, _ = _facet_link(one, "level", "市")
    both = _page(client, url)
    assert "level=%E5%8E%BF" in url and "level=%E5%B8%82" in url
    assert _total(both) > _total(one)
    assert len(_links(both, "chip-remove")) == 2


def test_browse_mode_shows_the_whole_collection_with_facets(client, searchable):
    page = _page(client, "/")
    assert _total(page) == search(searchable, "").total > 2000
    assert "全部条款" in page
    for facet in ("issuer", "level", "region", "year", "ip_type", "agency", "doc_type", "authority"):
        assert f'data-facet="{facet}"' in page
    assert 'class="year-chart"' in page and 'class="bar-fill w-100"' in page


def test_browse_all_trademark_clauses_of_2021(client, searchable):
    page = _page(client, "/?ip_type=商标&year=2021")
    assert _total(page) == search(searchable, "", filters={"ip_type": ["商标"], "year": ["2021"]}).total > 0


def test_year_bars_link_to_a_year_filter(client):
    page = _page(client, "/?q=质押融资")
    bars = re.findall(r'<li class="bar[^"]*">\s*<a href="([^"]+)"', page)
    assert bars and all("year=" in html.unescape(b) for b in bars)
    assert _total(_page(client, html.unescape(bars[0]))) > 0


def test_sort_mode_and_pages_are_links_that_keep_the_state(client):
    page = _page(client, "/?q=知识产权&ip_type=专利")
    assert "sort=date" in page and "one_per_doc=1" in page
    by_doc = _page(client, "/?q=知识产权&ip_type=专利&one_per_doc=1")
    assert re.search(r'共 <strong class="total">\d+</strong> 个文件', by_doc) and "本文件另有" in by_doc
    second = _page(client, "/?q=知识产权&ip_type=专利&page=2")
    assert 'aria-current="page">2<' in second and 'rel="prev"' in second
    assert 'name="ip_type" value="专利"' in second  # a new query keeps the filters


def test_no_hits_offers_to_drop_the_filter_that_emptied_the_list(client):
    page = _page(client, "/?q=质押融资&year=1996")
    assert _total(page) == 0 and "没有找到" in page
    m = re.search(r'<ul class="suggestions">\s*<li><a href="([^"]+)">去掉“年份：1996”</a>，可得 (\d+) 条', page)
    assert m and int(m.group(2)) > 0
    assert _total(_page(client, html.unescape(m.group(1)))) == int(m.group(2))


def test_a_query_with_script_is_escaped(client):
    page = _page(client, "/?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page.replace('<script src="/static/app.js" defer></script>', "")


def test_the_document_page_has_metadata_toc_and_every_clause_anchor(client, searchable):
    page = _page(client, f"/doc/{LUOSHAN_DOC}")
    units = get_document(searchable, LUOSHAN_DOC)
    for unit in units:
        assert f'id="{unit.clause_id}"' in page
    for label in ("标题", "文号", "发文机关", "层级", "地区", "成文/通过日期", "发布日期", "施行日期", "文种", "效力级别", "来源文件"):
        assert f'<th scope="row">{label}</th>' in page
    assert "罗政〔2021〕28号" in page and "003_06b732dbd06fe955.txt" in page
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert 'href="#2797ba83d9-p2"' in toc and "促进知识产权创造运用" in toc
    assert page.count('class="copy-button"') >= len([u for u in units if u.text])
    assert f'</api/doc/{LUOSHAN_DOC}>; rel="alternate"' in client.get(f"/doc/{LUOSHAN_DOC}").headers["Link"]


def test_a_law_gets_a_chapter_toc(client, searchable):
    law = search(searchable, "", filters={"authority": ["法律"]}, per_page=1).hits[0]
    page = _page(client, f"/doc/{law.doc_id}")
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    assert "第一章" in toc and "第一条" not in toc


def test_a_policy_toc_lists_every_top_level_part(client, searchable):
    henan = search(searchable, "", filters={"issuer": ["河南省知识产权局"]}, per_page=1).hits[0]
    toc = re.search(r'<nav class="toc".*?</nav>', _page(client, f"/doc/{henan.doc_id}"), re.S).group(0)
    assert "规划背景" in toc and "总体要求" in toc and "基本原则" in toc


def test_the_document_page_shows_publication_and_effective_dates(client, searchable):
    hit = search(searchable, "专利代理条例", per_page=1).hits[0]
    page = _page(client, f"/doc/{hit.doc_id}")
    assert '<time datetime="2019-03-01">' in page and '<time datetime="2018-11-06">' in page


def test_the_document_page_marks_the_query(client):
    page = _page(client, f"/doc/{LUOSHAN_DOC}?q=质押融资")
    assert "<mark>质押融资</mark>" in page and "已标出检索词" in page


def test_a_clause_permalink_redirects_to_its_place_in_the_document(client):
    response = client.get(f"/clause/{LUOSHAN_CLAUSE}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/doc/{LUOSHAN_DOC}#{LUOSHAN_CLAUSE}"
    with_query = client.get(f"/clause/{LUOSHAN_CLAUSE}?q=质押融资").headers["Location"]
    assert with_query == f"/doc/{LUOSHAN_DOC}?q=%E8%B4%A8%E6%8A%BC%E8%9E%8D%E8%B5%84#{LUOSHAN_CLAUSE}"


def test_the_similar_page_shows_both_sides_with_marks(client):
    page = _page(client, f"/clause/{LUOSHAN_CLAUSE}/similar")
    assert page.count('class="side side-origin"') == page.count('class="side side-other"') > 0
    assert '<mark class="same">' in page and '<span class="diff">' in page
    assert "罗山县人民政府关于进一步加强知识产权工作的实施意见" in page
    assert "/api/clause/2797ba83d9-p2.s8/similar" in client.get(f"/clause/{LUOSHAN_CLAUSE}/similar").headers["Link"]


def test_the_agency_page_groups_by_document(client):
    page = _page(client, "/agency/知识产权局")
    data = client.get("/api/agency/知识产权局").get_json()
    assert page.count('class="agency-doc"') == len(data["documents"]) > 1
    assert _total(page) == data["total"]
    assert "牵头" in page
    for doc in data["documents"]:
        assert html.escape(doc["title"]) in page


@pytest.mark.parametrize("url,status", [
    ("/?page=x", 400), ("/?sort=newest", 400), ("/?year=去年", 400), ("/?q=%22未闭合", 400),
    ("/?q=" + "a" * 2001, 400), ("/clause/2797ba83d9-p99.s99", 404), ("/clause/bad!id", 404),
    ("/clause/bad!id/similar", 404), ("/doc/0000000000", 404), ("/doc/bad", 404),
    ("/agency/没有这个机关", 404), ("/nowhere", 404), ("/export.csv?page=x", 400),
])
def test_html_errors_are_error_pages(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'class="error-message"' in page and f"（{status}）" in page
    assert "Traceback" not in page


def test_the_error_page_says_what_was_wrong(client):
    page = _page(client, "/?q=%22未闭合", 400)
    assert "第 1 个字符处的引号 \" 没有闭合" in html.unescape(page)
    assert 'value="&#34;未闭合"' in page  # the query stays in the box, to be mended
    page = _page(client, "/?sort=<b>x</b>", 400)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize("url,words", [
    ("/nowhere", "找不到这个网址"), ("/doc/0000000000", "没有编号为“0000000000”的文件"),
    ("/clause/2797ba83d9-p99.s99", "没有编号为“2797ba83d9-p99.s99”的条款"), ("/?page=x", "page 应为整数"),
    ("/agency/没有这个机关", "没有条款给“没有这个机关”"),
])
def test_error_pages_speak_chinese(client, url, words):
    page = client.get(url).get_data(as_text=True)
    message = re.search(r'<p class="error-message">(.*?)</p>', page, re.S).group(1)
    assert words in html.unescape(message)
    assert not re.search(r"[A-Za-z]{4,}", message.replace("page", "")), message  # no English sentence


def test_csv_export_opens_in_excel(client, searchable):
    response = client.get("/export.csv?q=质押融资&level=省")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ip-search.csv"')
    disposition.encode("latin-1")  # headers stay ASCII; the Chinese name goes in filename*
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["引文", "文件", "文号", "发文机关", "日期", "地区", "层级", "效力状态", "条款", "知识产权类型",
                       "责任部门及角色", "条文", "链接", "条款编号"]
    for row in (dict(zip(rows[0], r)) for r in rows[1:]):
        assert row["链接"].endswith("/clause/" + row["条款编号"]) and row["层级"] == "省"
        assert row["地区"].endswith("省") and row["效力状态"] in STATUSES
    total = search(searchable, "质押融资", filters={"level": ["省"]}).total
    assert len(rows) - 1 == total == int(response.headers["X-Total-Count"])
    assert response.headers["X-Export-Truncated"] == "false"


def test_csv_export_of_the_whole_collection_spans_pages(client, searchable):
    response = client.get("/export.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) - 1 == search(searchable, "").total > 2000
    assert len({r[-1] for r in rows[1:]}) == len(rows) - 1  # every clause once


def test_json_export_fields(client):
    data = json.loads(client.get("/export.json?q=质押融资").data)
    assert data["total"] == data["exported"] == len(data["rows"]) > 0 and data["truncated"] is False
    row = next(r for r in data["rows"] if r["clause_id"] == LUOSHAN_CLAUSE)
    assert row["title"] == "罗山县人民政府关于进一步加强知识产权工作的实施意见"
    assert row["doc_number"] == "罗政〔2021〕28号" and row["issuer"] == "罗山县人民政府"
    assert row["date"] and row["label"] == "（八）" and "质押融资" in row["text"]
    assert row["citation"].startswith("《罗山县人民政府关于进一步加强知识产权工作的实施意见》")
    assert row["permalink"].endswith(f"/clause/{LUOSHAN_CLAUSE}") and row["level"] == "县"
    assert row["region"] == "河南省 › 信阳市 › 罗山县"
    roles = [r for r in data["rows"] if r["agencies"]]
    assert roles and all(re.fullmatch(r"[^（）、]+（(牵头|配合|负责)）(、[^（）、]+（(牵头|配合|负责)）)*", r["agencies"])
                         for r in roles), "each agency with its own role"


@pytest.fixture
def capped_client(bundled_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(bundled_index), "EXPORT_MAX_ROWS": 150})
    yield app.test_client()
    close_index(app)


def test_exports_are_capped_and_say_so(capped_client):
    client = capped_client
    data = json.loads(client.get("/export.json").data)
    assert data["exported"] == len(data["rows"]) == 150 and data["total"] > 150 and data["truncated"] is True
    response = client.get("/export.csv")
    assert response.headers["X-Export-Truncated"] == "true"
    assert len(list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))) == 151


def test_static_files_are_served(client):
    with client.get("/static/style.css") as response:
        css = response.get_data(as_text=True)
    assert '"Noto Sans CJK SC"' in css and "@media (min-width: 720px)" in css
    with client.get("/static/app.js") as response:
        assert "navigator.clipboard" in response.get_data(as_text=True)


def test_templates_have_no_inline_script_or_handlers(app):
    from pathlib import Path

    templates = sorted((Path(app.root_path) / app.template_folder).glob("*.html"))
    assert len(templates) >= 6
    for path in templates:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert not re.search(r"\son[a-z]+\s*=", source), path.name


@pytest.fixture(scope="module")
def script_client(tmp_path_factory):
    """An app over a one-document index: a real seed with a <script> tag written into one line."""
    from search.build import build_index

    source = tmp_path_factory.mktemp("script_docs")
    text = (RAW_DOCS / SEED_FILES["luoshan"]).read_text(encoding="utf-8")
    marker = "建立知识产权质押融资风险补偿机制"
    assert marker in text
    (source / SEED_FILES["luoshan"]).write_text(text.replace(marker, marker + "<script>alert('x')</script>", 1),
                                              encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("script_index")
    build_index(source, index_dir)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    yield app.test_client()
    close_index(app)


def test_a_document_containing_script_shows_it_as_text(script_client):
    for url in (f"/doc/{LUOSHAN_DOC}", f"/doc/{LUOSHAN_DOC}?q=质押融资", "/?q=风险补偿机制", "/agency/财政局",
                f"/clause/{LUOSHAN_CLAUSE}/similar"):
        response = script_client.get(url)
        if response.status_code == 404:  # the one-document index may name no such agency
            continue
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page, url
    page = _page(script_client, f"/doc/{LUOSHAN_DOC}")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    results = _page(script_client, "/?q=风险补偿机制")
    assert "&lt;script&gt;" in results and "<mark>风险补偿机制</mark>" in results


# What a hostile document could carry into an export: each would run as a formula in Excel or LibreOffice.
FORMULAS = ['=HYPERLINK("http://127.0.0.1/","知识产权质押融资申请表")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_csv_export_neutralises_cells_that_would_run_as_formulas(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    text = (RAW_DOCS / SEED_FILES["luoshan"]).read_text(encoding="utf-8")
    # Real clauses of the Luoshan seed with formula cells pasted in, as a tampered page would carry them.
    text = text.replace("（六）实施知识产权强企培育工程。", "（六）" + FORMULAS[0] + "\n\n")
    text = text.replace("（七）实施专利导航产业发展工程。", "（七）" + FORMULAS[2] + "\n\n")
    (src / "luoshan.txt").write_text(text, encoding="utf-8")
    (src / "luoshan.meta.json").write_text(json.dumps({"doc_number": FORMULAS[1], "title": FORMULAS[3]}),
                                           encoding="utf-8")
    from search.build import build_index

    build_index(src, tmp_path / "index")
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")})
    try:
        response = app.test_client().get("/export.csv")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row.values()]
        assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert {row["文号"] for row in rows} == {"'" + FORMULAS[1]}
        assert {row["文件"] for row in rows} == {"'" + FORMULAS[3]}
        assert any(row["条文"].startswith("'" + FORMULAS[0]) for row in rows)
        assert any(row["条文"].startswith("'" + FORMULAS[2]) for row in rows)
        exported = app.test_client().get("/export.json").get_json()["rows"]  # JSON is data, kept as written
        assert {row["doc_number"] for row in exported} == {FORMULAS[1]}
    finally:
        close_index(app)


# -- how a search was widened, and help when few clauses match ---------------------------------------


def _hit_lists(page: str) -> list[tuple[int, int]]:
    """Return each list of hits on a page: the number of its first hit and how many it holds."""
    lists = re.findall(r'<ol class="hits[^"]*" start="(\d+)">(.*?)</ol>', page, re.S)
    return [(int(start), body.count('<li class="hit">')) for start, body in lists]


def _relaxed_note(page: str) -> str:
    m = re.search(r'<div class="relaxed-note" role="note">(.*?)</div>', page, re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))).strip() if m else ""


def test_the_relaxed_line_sits_just_above_the_first_hit_without_every_word(client):
    data = client.get("/api/search?q=商标 质押").get_json()
    exact = data["relaxed"]["exact_total"]
    assert 0 < exact < data["per_page"]
    page = _page(client, "/?q=商标 质押")
    assert _hit_lists(page) == [(1, exact), (exact + 1, data["per_page"] - exact)]
    # the note comes between the two lists, after the last exact hit
    assert page.index('class="hits"') < page.index('class="relaxed-note"') < page.index('class="hits hits-relaxed"')
    assert _relaxed_note(page) == f"以下 {data['total'] - exact} 条不要求包含全部词语：按“商标”“质押”的相关度排列。"
    assert f'其中 <strong class="exact-total">{exact}</strong> 条包含全部词语' in page
    second = _page(client, "/?q=商标 质押&page=2")  # past the exact hits: the note opens the page
    assert _hit_lists(second) == [(data["per_page"] + 1, data["per_page"])]
    assert second.index('class="relaxed-note"') < second.index('class="hits hits-relaxed"')
    assert 'class="relaxed-note"' not in _page(client, "/?q=质押融资")  # every hit holds every word


def test_a_question_says_what_it_ignored_and_which_legal_terms_it_searched(client):
    note = _relaxed_note(_page(client, "/?q=发明专利能保护多少年？"))
    assert note.startswith("没有条款包含全部词语。以下 ") and "按“发明专利”“保护”" in note
    assert "；已忽略：能、多少、年。" in note  # 年: a lone character, which says little
    expanded = client.get("/api/search?q=发明专利能保护多少年？").get_json()["relaxed"]["expanded"]
    assert f"也检索了：{'、'.join(expanded)}" in note and "只检索输入的词" in note


def test_the_legal_terms_switch_turns_them_off_and_on_in_one_click(client):
    on = _page(client, "/?q=别人盗版我的软件怎么办")
    assert "也检索了：" in _relaxed_note(on) and "侵犯著作权" in _relaxed_note(on)
    off_url = html.unescape(re.search(r'<a href="([^"]+)">只检索输入的词</a>', on).group(1))
    assert "legal_terms=0" in off_url
    off = _page(client, off_url)
    assert "侵犯著作权" not in _relaxed_note(off) and "未检索日常用语对应的法律用语" in _relaxed_note(off)
    assert _total(off) < _total(on)
    assert 'name="legal_terms" value="0"' in off  # a new query from this page keeps them off
    back = html.unescape(re.search(r'<a href="([^"]+)">同时检索法律用语</a>', off).group(1))
    assert _total(_page(client, back)) == _total(on)


def test_did_you_mean_is_one_click_away(client, searchable):
    page = _page(client, "/?q=驰名商表")
    m = re.search(r'<p class="did-you-mean">您是不是要找：<a href="([^"]+)">驰名商标</a></p>', page)
    assert m
    meant = _page(client, html.unescape(m.group(1)))
    assert "<h1 id=\"results-heading\" tabindex=\"-1\">“驰名商标”</h1>" in meant
    assert _total(meant) == search(searchable, "驰名商标").total > 0


def test_each_words_count_links_to_that_word_alone(client):
    page = _page(client, "/?q=贴息 质押融资&level=县")
    counts = re.search(r'<p class="word-counts">(.*?)</p>', page, re.S).group(1)
    assert "（不计筛选条件）" in counts  # the counts are over every clause
    words = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+) <span class="count">(\d+)</span></a>', counts)
    assert [w for _url, w, _n in words] == ["贴息", "质押融资"]
    assert re.sub(r"<[^>]+>|\s", "", counts).endswith(f"贴息{words[0][2]}·质押融资{words[1][2]}")
    for url, word, count in words:
        alone = _page(client, html.unescape(url))
        assert f"“{word}”</h1>" in alone and _total(alone) == int(count) > 0
    assert 'class="word-counts"' not in _page(client, "/?q=质押融资")  # one word: its count is the total


def test_the_summary_counts_clauses_or_documents_and_says_what_the_facets_count(client):
    page = _page(client, "/?q=质押融资")
    assert re.search(r'共 <strong class="total">\d+</strong> 条，', page) and "条条款" not in page
    assert "条款数，不是文件数" not in page
    by_doc = _page(client, "/?q=质押融资&one_per_doc=1")
    assert re.search(r'共 <strong class="total">\d+</strong> 个文件', by_doc)
    assert _total(by_doc) < _total(page)
    facets = by_doc[by_doc.index('<aside class="facets"'):]
    assert "筛选项旁的数字是条款数，不是文件数" in facets
    # what the facets count: the clauses, as in the per-clause view
    assert _facet_link(by_doc, "region", "河南省")[1] == _facet_link(page, "region", "河南省")[1]


def test_a_ticked_year_range_shows_the_results_it_holds(client, searchable):
    page = _page(client, "/?q=质押融资&year=2016-2022")
    url, count = _facet_link(page, "year", "2016-2022")
    assert count == _total(page) == search(searchable, "质押融资", filters={"year": ["2016-2022"]}).total > 0
    assert _total(_page(client, url)) == _total(_page(client, "/?q=质押融资"))  # its ✕ removes it
    # a year inside the range is ticked through it, and its link narrows the range to that year
    inside, n = _facet_link(page, "year", "2021")
    assert re.search(r'<li class="facet-value selected">\s*<a href="[^"]*"[^>]*title="在所选年份范围内', page)
    narrowed = _page(client, inside)
    assert _total(narrowed) == n and [c for c in _links(narrowed, "chip-remove")] and "年份：</span>2021" in narrowed


def test_filter_and_page_links_land_on_the_results_heading(client):
    page = _page(client, "/?q=知识产权")
    url, _ = _facet_link(page, "level", "县")
    assert url.endswith("#results-heading")
    assert all(u.endswith("#results-heading") for u in _links(_page(client, url), "chip-remove"))
    assert re.search(r'<a href="[^"]+#results-heading" rel="next">', page)
    assert '<h1 id="results-heading" tabindex="-1">' in page


def test_favicon_is_a_real_icon(client):
    page = _page(client, "/")
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    with client.get(href) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
        svg = icon.data
    with client.get("/favicon.ico", follow_redirects=True) as response:  # what a browser asks for unprompted
        assert response.status_code == 200 and response.data == svg


# -- searches POSTed as a form ---------------------------------------------------------------------


def _law_passage(chars: int, name: str = "著作权法(2020-11-11).md") -> str:
    text = (RAW_DOCS / name).read_text(encoding="utf-8")
    start = text.index("第一条")
    return text[start:start + chars]


def test_a_posted_search_renders_exactly_as_the_get_one(client):
    got = client.get("/?q=质押融资&level=省&sort=date")
    posted = client.post("/", data={"q": "质押融资", "level": "省", "sort": "date"})
    assert posted.status_code == 200
    assert posted.get_data(as_text=True) == got.get_data(as_text=True)
    assert posted.headers["Link"] == got.headers["Link"]


def test_a_pasted_passage_finds_similar_clauses_and_stays_editable(client):
    passage = _law_passage(1500)
    page = _page_post(client, "/", {"q": passage})
    assert '<h1 id="results-heading" tabindex="-1">按段落查找相似条款</h1>' in page
    assert "（共 1500 字）" in page and _total(page) > 0
    assert _relaxed_note(page).startswith("按这段文字的要点查找相似条款：")
    assert re.search(r'<h2 class="hit-title"><a [^>]+>中华人民共和国著作权法</a>', page)
    textarea = re.search(r'<textarea id="passage-text" name="q" rows="6">(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(textarea) == passage  # line breaks and all, to edit and search again
    assert '<details class="passage" open>' in page
    # Its links can't carry 1,500 characters: they search its key words, and app.js POSTs the passage.
    state = re.search(r'<form id="passage-state" method="post" hidden data-link-q="([^"]+)"', page)
    key_words = html.unescape(state.group(1))
    url, _ = _facet_link(page, "level", "国家")
    assert len(url) < 4096 and parse_qs(urlparse(url).query)["q"] == [key_words]
    assert "Link" not in client.post("/", data={"q": passage}).headers  # no URL is its JSON twin


def test_a_passage_that_fits_in_a_url_can_be_a_get(client):
    passage = _law_passage(250)
    page = _page(client, "/?q=" + quote(passage))
    assert "按段落查找相似条款</h1>" in page and _total(page) > 0
    assert 'id="passage-state"' not in page  # its links carry it whole


def test_a_passage_over_the_limit_is_a_chinese_400_that_keeps_the_text(client):
    passage = _law_passage(2001)
    response = client.post("/", data={"q": passage})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "查询有 2001 个字符，最多 2000 个" in page and "（400）" in page
    textarea = re.search(r'<textarea id="passage-text" name="q" rows="6">(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(textarea) == passage  # to be shortened, not pasted again


def test_a_place_shows_what_applies_there_with_each_level(client):
    page = _page(client, "/?q=" + quote("知识产权") + "&place=" + quote("三门峡") + "&one_per_doc=1&per_page=100")
    assert "适用于三门峡市：三门峡市、河南省及国家的文件" in page
    assert '<span class="level level-市">市</span>' in page and '<span class="level level-国家">国家</span>' in page
    assert 'value="三门峡"' in page and "适用地点：" in re.sub(r"\s", "", page)
    data = client.get("/api/search?q=" + quote("知识产权") + "&place=" + quote("三门峡")).get_json()
    assert data["place"] == ["河南省", "三门峡市"]
    bad = client.get("/api/search?place=" + quote("火星"))
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_place" and "不认识的地点" in bad.get_json()["error"]


def test_the_general_ip_type_says_what_it_means(client):
    page = _page(client, "/?q=" + quote("质押融资"))
    assert "知识产权总体（综合）" in page
    wider = _page(client, "/?q=" + quote("质押融资") + "&ip_type=" + quote("专利") + "&ip_general=1")
    assert _total(wider) > _total(_page(client, "/?q=" + quote("质押融资") + "&ip_type=" + quote("专利")))


def test_an_agency_filter_says_which_names_it_searched(client):
    page = _page(client, "/?agency=" + quote("市场监管局"))
    chip = page[page.index('<ul class="chips"'):page.index("</ul>", page.index('<ul class="chips"'))]
    assert "（含 " in chip and "工商行政管理局" in chip and "质量技术监督局" in chip
