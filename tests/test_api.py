"""The JSON API: each route returns the dict its HTML page renders, and every error has one shape."""
import pytest

from conftest import RAW_DOCS
from search import settings
from search.searching import get_clause, get_document, search, similar
from web import views

LUOSHAN_CLAUSE = "2797ba83d9-p2.s8"  # 罗山 (八): 知识产权质押融资风险补偿机制
LUOSHAN_DOC = "2797ba83d9"


def test_search_json_is_exactly_the_library_search_page(client, searchable):
    got = client.get("/api/search?q=质押融资&ip_type=专利&sort=date&per_page=3&page=2").get_json()
    assert got == search(searchable, "质押融资", filters={"ip_type": ["专利"]}, sort="date", per_page=3,
                         page=2).to_dict()


def test_search_json_takes_repeated_filters_and_one_per_doc(client, searchable):
    got = client.get("/api/search?level=省&level=县&year=2016-2022&one_per_doc=1").get_json()
    expected = search(searchable, "", filters={"level": ["省", "县"], "year": ["2016-2022"]}, one_per_doc=True)
    assert got == expected.to_dict()
    assert got["filters"] == {"level": ["省", "县"], "year": ["2016-2022"]} and got["one_per_doc"] is True


def test_search_json_keys(client):
    data = client.get("/api/search?q=质押融资").get_json()
    assert list(data) == ["query", "total", "page", "per_page", "hits", "facets", "filters", "sort", "one_per_doc",
                          "relaxed", "little", "as_of", "place"]
    assert set(data["facets"]) == {"issuer", "level", "region", "year", "ip_type", "agency", "doc_type", "authority",
                                   "status"}


@pytest.mark.parametrize("query,page,per_page", [
    ("per_page=100000", 1, settings.MAX_PER_PAGE),
    ("per_page=0", 1, 1),
    ("per_page=-5", 1, 1),
    ("page=99999999", settings.MAX_PAGE, settings.DEFAULT_PER_PAGE),
    ("page=0", 1, settings.DEFAULT_PER_PAGE),
])
def test_page_and_per_page_are_capped(client, query, page, per_page):
    data = client.get(f"/api/search?{query}").get_json()
    assert (data["page"], data["per_page"]) == (page, per_page)
    assert len(data["hits"]) <= per_page


def test_doc_json_is_the_document_page_dict(app, client, searchable):
    data = client.get(f"/api/doc/{LUOSHAN_DOC}?q=质押融资").get_json()
    with app.test_request_context():
        assert data == views.document_page(LUOSHAN_DOC, "质押融资")
    units = get_document(searchable, LUOSHAN_DOC)
    assert [c["clause_id"] for c in data["clauses"]] == [u.clause_id for u in units]
    assert data["metadata"]["doc_number"] == "罗政〔2021〕28号"
    assert data["metadata"]["source"] == "003_06b732dbd06fe955.txt"
    marked = next(c for c in data["clauses"] if c["clause_id"] == LUOSHAN_CLAUSE)
    assert "<mark>质押融资</mark>" in marked["highlight"]
    assert "…" not in marked["highlight"]  # the whole clause, not a snippet


def test_clause_json(client, searchable):
    data = client.get(f"/api/clause/{LUOSHAN_CLAUSE}").get_json()
    assert data == {**get_clause(searchable, LUOSHAN_CLAUSE).to_dict(), "cited_by": []}


def test_similar_json(client, searchable):
    data = client.get(f"/api/clause/{LUOSHAN_CLAUSE}/similar?limit=3").get_json()
    origin, hits, versions = similar(searchable, LUOSHAN_CLAUSE, limit=3)
    assert data["clause"] == origin.to_dict() and data["other_versions"] == []
    assert [{k: v for k, v in h.items() if k != "wording"} for h in data["similar"]] == [h.to_dict() for h in hits]
    # the share of wording in common is the same from either clause (BM25's score is not)
    for hit in data["similar"]:
        back = client.get(f"/api/clause/{hit['clause_id']}/similar?limit=50").get_json()
        mine = next((h for h in back["similar"] if h["clause_id"] == LUOSHAN_CLAUSE), None)
        if mine is not None:
            assert mine["wording"] == hit["wording"]
    assert all(h["doc_id"] != LUOSHAN_DOC for h in data["similar"])


def test_agency_json_groups_by_document(client, searchable):
    data = client.get("/api/agency/知识产权局").get_json()
    expected = search(searchable, "", filters={"agency": ["知识产权局"]}, per_page=1)
    assert data["canonical"] == "知识产权局" and data["total"] == expected.total
    assert sum(len(d["clauses"]) for d in data["documents"]) == data["total"]
    doc_ids = [d["doc_id"] for d in data["documents"]]
    assert len(doc_ids) == len(set(doc_ids)) > 1
    for doc in data["documents"]:
        for clause in doc["clauses"]:
            assert clause["doc_id"] == doc["doc_id"]
            assert clause["roles"] and all(r["role"] in ("lead", "cooperate", "responsible") for r in clause["roles"])


def test_agency_alias_is_folded(client):
    data = client.get("/api/agency/省知识产权局").get_json()
    assert data["canonical"] == "知识产权局"


def test_healthz(client):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["clauses"] > 2000


@pytest.mark.parametrize("url,status,code,words", [
    ("/api/search?sort=newest", 400, "bad_sort", "不认识的排序方式“newest”"),
    ("/api/search?page=two", 400, "bad_number", "page 应为整数"),
    ("/api/search?per_page=1.5", 400, "bad_number", "per_page 应为整数"),
    ("/api/search?one_per_doc=maybe", 400, "bad_flag", "one_per_doc 只能是 1 或 0"),
    ("/api/search?legal_terms=perhaps", 400, "bad_flag", "legal_terms 只能是 1 或 0"),
    ("/api/search?year=去年", 400, "bad_year", "年份筛选“去年”"),
    ("/api/search?year=2020-2010", 400, "bad_year", "结束年份早于开始年份"),
    ("/api/search?level2=省", 200, None, ""),  # an unknown parameter is ignored, as in any query string
    ("/api/search?q=%22未闭合", 400, "unbalanced_quote", "没有闭合"),
    ("/api/search?q=%22%22", 400, "empty_phrase", "引号里没有内容"),
    ("/api/search?q=专利+OR", 400, "bad_or", "以 OR 结尾"),
    # longer than a passage may be (a longer query string still: 414, test_security.py)
    ("/api/search?q=" + "a" * (settings.MAX_PASSAGE_CHARS + 1), 400, "query_too_long", "最多 2000 个"),
    ("/api/clause/2797ba83d9-p99.s99", 404, "clause_not_found", "没有编号为“2797ba83d9-p99.s99”的条款"),
    ("/api/clause/not-a-clause!", 404, "clause_not_found", "条款编号形如"),
    ("/api/clause/../../etc/passwd/similar", 404, "not_found", "找不到这个网址"),
    ("/api/clause/0000000000-a1/similar", 404, "clause_not_found", "没有编号为“0000000000-a1”的条款"),
    ("/api/doc/0000000000", 404, "document_not_found", "没有编号为“0000000000”的文件"),
    ("/api/doc/XYZ", 404, "document_not_found", "10 位十六进制"),
    ("/api/doc/2797ba83d9?q=-", 400, "bad_exclusion", "“-”后面没有词"),
    ("/api/agency/没有这个机关", 404, "agency_not_found", "没有条款给“没有这个机关”"),
    ("/api/agency/%20", 404, "agency_not_found", "机关名称"),
    ("/api/nowhere", 404, "not_found", "找不到这个网址"),
    ("/export.json?sort=x", 400, "bad_sort", "不认识的排序方式"),
    ("/export.json?legal_terms=x", 400, "bad_flag", "legal_terms"),
    ("/api/search?q=专利法第2147483648条", 400, "bad_article", "没有法律有第 2147483648 条"),
    ("/api/search?q=专利法第一万亿条", 400, "bad_article", "在 1 到 9999 之间"),
    ("/api/search?q=专利法第二十条第99999999999款", 400, "bad_article", "第 99999999999 款"),
    ("/export.json?q=专利法第一万亿条", 400, "bad_article", "没有法律有第"),
])
def test_errors_are_json_of_one_shape(client, url, status, code, words):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    if status == 200:
        return
    body = response.get_json()
    assert body == {"error": body["error"], "code": code, "status": status}
    assert words in body["error"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_missing_index_is_503_json(tmp_path):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == 503 and body["code"] == "index_unavailable"
    assert body["error"].startswith("还没有建立检索索引") and "search build" in body["error"]  # the admin's command
    page = client.get("/")
    assert page.status_code == 503 and "还没有建立检索索引" in page.get_data(as_text=True)  # a page, not a traceback


# -- legal terms, questions, few matches ------------------------------------------------------------


def test_legal_terms_can_be_turned_off(client, searchable):
    q = "别人盗版我的软件怎么办"
    on = client.get(f"/api/search?q={q}").get_json()
    off = client.get(f"/api/search?q={q}&legal_terms=0").get_json()
    assert off == search(searchable, q, legal_terms=False).to_dict()
    assert "侵犯著作权" in on["relaxed"]["expanded"] and off["relaxed"]["expanded"] == []
    assert on["total"] > off["total"]  # the clauses only a legal term finds are gone
    assert client.get(f"/api/search?q={q}&legal_terms=1").get_json() == on


def test_a_question_says_which_words_it_dropped_and_where_the_exact_hits_end(client):
    data = client.get("/api/search?q=商标 质押").get_json()
    exact = data["relaxed"]["exact_total"]
    assert 0 < exact < data["total"]
    for hit in data["hits"][:exact]:
        assert "商标" in hit["text"] and "质押" in hit["text"]
    assert not all("商标" in hit["text"] and "质押" in hit["text"] for hit in data["hits"][exact:])
    question = client.get("/api/search?q=发明专利能保护多少年？").get_json()["relaxed"]
    assert {"能", "多少"} <= set(question["dropped"]) and "发明专利" in question["words"]


def test_few_matches_give_each_words_count_and_a_near_word(client):
    little = client.get("/api/search?q=贴息 质押融资").get_json()["little"]
    counts = {c["word"]: c["count"] for c in little["word_counts"]}
    assert counts == {word: client.get(f"/api/search?q={word}").get_json()["total"] for word in ("贴息", "质押融资")}
    typo = client.get("/api/search?q=驰名商表").get_json()["little"]
    assert typo["did_you_mean"] == [{"typed": "驰名商表", "suggestion": "驰名商标"}]
    assert typo["suggested_query"] == "驰名商标"
    assert client.get("/api/search?q=质押融资&per_page=50").get_json()["relaxed"] is None


# -- searches POSTed as a form: passages too long for a URL -----------------------------------------


def law_passage(name: str = "著作权法(2020-11-11).md", chars: int = 1500) -> str:
    """Return ``chars`` characters of a real law in raw_docs/, from its first article on."""
    text = (RAW_DOCS / name).read_text(encoding="utf-8")
    start = text.index("第一条")
    passage = text[start:start + chars]
    assert len(passage) == chars
    return passage


def test_a_posted_form_is_the_same_search_as_the_query_string(client):
    got = client.post("/api/search", data={"q": "质押融资", "level": ["省", "县"], "sort": "date", "one_per_doc": "1"})
    assert got.status_code == 200
    assert got.get_json() == client.get("/api/search?q=质押融资&level=省&level=县&sort=date&one_per_doc=1").get_json()


def test_a_pasted_passage_of_a_law_finds_that_law(client):
    passage = law_passage()
    response = client.post("/api/search", data={"q": passage})
    assert response.status_code == 200
    data = response.get_json()
    assert data["query"] == passage and data["total"] > 0
    assert data["relaxed"]["passage"] is True and data["relaxed"]["words"]
    assert data["hits"][0]["title"] == "中华人民共和国著作权法"
    multipart = client.post("/api/search", data={"q": passage}, content_type="multipart/form-data")
    assert multipart.get_json() == data


def test_a_passage_over_the_limit_is_a_clear_400(client):
    response = client.post("/api/search", data={"q": law_passage(chars=settings.MAX_PASSAGE_CHARS + 1)})
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "query_too_long" and "2001 个字符" in body["error"] and "最多 2000 个" in body["error"]


def test_exports_take_a_posted_passage(client):
    passage = law_passage(chars=600)
    data = client.post("/export.json", data={"q": passage, "level": "国家"}).get_json()
    assert data["query"] == passage and data["total"] == data["exported"] > 0
    assert data["total"] == client.post("/api/search", data={"q": passage, "level": "国家"}).get_json()["total"]


@pytest.mark.parametrize("body,content_type,status,code", [
    ('{"q": "专利"}', "application/json", 415, "unsupported_media_type"),
    ("q=专利", "text/plain", 415, "unsupported_media_type"),
    ("q=" + "a" * 70_000, "application/x-www-form-urlencoded", 413, "body_too_large"),
])
def test_a_body_that_is_no_search_form_is_refused(client, body, content_type, status, code):
    response = client.post("/api/search", data=body.encode(), content_type=content_type)
    assert response.status_code == status
    assert response.get_json()["code"] == code and response.get_json()["error"]
